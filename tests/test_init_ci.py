"""A new alliance's CI installs a nesa that exists, and validates on its first push."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from nesa_cli.cli import app
from nesa_cli.install_source import SourceError, check, from_direct_url, with_pdf

PROJECT = Path(__file__).resolve().parent.parent
runner = CliRunner()


def nesa(*args: str):
    return runner.invoke(app, ["--today", "2026-11-23", *args], catch_exceptions=False)


def install_step(root: Path) -> dict:
    flow = yaml.safe_load((root / ".github/workflows/validate.yml").read_text())
    steps = flow["jobs"]["validate"]["steps"]
    return next(s for s in steps if s.get("name") == "Install nesa")


@pytest.mark.parametrize("raw, want", [
    (None, "nesa-cli==0.2.0"),  # from a package index
    (json.dumps({"url": "https://github.com/owner/nesa", "vcs_info": {"vcs": "git", "requested_revision": "v0.2.0", "commit_id": "ab" * 20}}),
     "git+https://github.com/owner/nesa@v0.2.0"),
    (json.dumps({"url": "https://github.com/owner/nesa", "vcs_info": {"vcs": "git", "commit_id": "ab" * 20}}),
     "git+https://github.com/owner/nesa@" + "ab" * 20),
    (json.dumps({"url": "https://example.org/dist/nesa_cli-0.2.0-py3-none-any.whl", "archive_info": {}}),
     "https://example.org/dist/nesa_cli-0.2.0-py3-none-any.whl"),
    (json.dumps({"url": "file:///home/sbm/nesa", "dir_info": {"editable": True}}), None),  # editable clone
    (json.dumps({"url": "file:///tmp/nesa_cli-0.2.0-py3-none-any.whl", "archive_info": {}}), None),
    (json.dumps({"url": "ssh://git@github.com/owner/nesa", "vcs_info": {"vcs": "git", "commit_id": "ab" * 20}}), None),
    ("not json", None),
])
def test_default_source_is_how_the_running_nesa_was_installed_when_reachable(raw, want):
    assert from_direct_url(raw, "0.2.0") == want


@pytest.mark.parametrize("bad", ["", "  ", "./nesa", "/home/x/nesa", "~/nesa", "C:\\nesa", "file:///x.whl",
                                 "git+ssh://git@github.com/o/nesa", "http://example.org/n.whl", "nesa-cli",
                                 "requests==2.0", "git+https://x/${{ secrets.TOKEN }}", "nesa-cli==0.2.0\nrun: evil"])
def test_a_source_ci_cannot_install_is_refused(bad):
    with pytest.raises(SourceError):
        check(bad)


def test_pdf_extra_is_added_to_any_source():
    assert with_pdf("nesa-cli==0.2.0") == "nesa-cli[pdf]==0.2.0"
    assert with_pdf("git+https://h/o/nesa@v1") == "nesa-cli[pdf] @ git+https://h/o/nesa@v1"


def test_init_records_the_source_in_workflow_and_readme(tmp_path):
    root = tmp_path / "a"
    source = "git+https://github.com/owner/nesa@v0.2.0"
    r = nesa("init", str(root), "--name", "A", "--short", "AA", "--la", "302", "--nesa-source", source)
    assert r.exit_code == 0, r.output
    assert install_step(root)["env"]["NESA_PACKAGE"] == source
    readme = (root / "README.md").read_text()
    assert f"python -m pip install '{source}'" in readme
    assert f"nesa-cli[pdf] @ {source}" in readme
    assert "nesa-cli==0.1.0" not in (root / ".github/workflows/validate.yml").read_text()


def test_init_refuses_a_local_source_with_exit_2(tmp_path):
    r = runner.invoke(app, ["init", str(tmp_path / "a"), "--name", "A", "--short", "AA", "--la", "302", "--nesa-source", "./nesa"])
    assert r.exit_code == 2 and "cannot reach" in r.output
    assert not (tmp_path / "a").exists()


def test_unknown_source_makes_a_workflow_that_says_what_to_set(tmp_path, monkeypatch):
    monkeypatch.setattr("nesa_cli.install_source.running", lambda: None)  # an editable install, as here
    root = tmp_path / "a"
    r = nesa("init", str(root), "--name", "A", "--short", "AA", "--la", "302")
    assert r.exit_code == 0 and "CI cannot reach" in r.output
    step = install_step(root)
    assert step["env"]["NESA_PACKAGE"] == ""
    done = subprocess.run(["bash", "-c", step["run"]], env={**os.environ, **step["env"]}, capture_output=True, text=True)
    assert done.returncode == 1
    assert "::error file=.github/workflows/validate.yml::Set NESA_PACKAGE" in done.stdout


@pytest.mark.slow
def test_new_repository_validates_with_the_workflow_it_was_given(tmp_path):
    """Build nesa's wheel, make a repository with `nesa init` naming it by
    version, then run the workflow's own install and validate steps in a
    fresh virtual environment, with the wheel's folder as the package index."""
    wheels = tmp_path / "index"
    import importlib.util

    # the locked install has the build backend (no download); an unpinned one lets pip fetch it
    isolation = ["--no-build-isolation"] if importlib.util.find_spec("hatchling") else []
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", *isolation, "-w", str(wheels), str(PROJECT)],
                   check=True, capture_output=True)
    wheel = next(wheels.glob("nesa_cli-*.whl"))
    version = wheel.name.split("-")[1]
    root = tmp_path / "alliance"
    r = nesa("init", str(root), "--name", "Test Alliance", "--short", "TA", "--la", "302", "--nesa-source", f"nesa-cli=={version}")
    assert r.exit_code == 0, r.output
    venv = tmp_path / "runner"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    env = {**os.environ, "PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}", "PIP_FIND_LINKS": str(wheels),
           "VIRTUAL_ENV": str(venv), "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("PYTHONPATH", None)
    flow = yaml.safe_load((root / ".github/workflows/validate.yml").read_text())
    ran = []
    for step in flow["jobs"]["validate"]["steps"]:
        if "run" not in step or "if" in step:
            continue  # actions (checkout, setup-python) and pull-request-only steps
        done = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=root, env={**env, **step.get("env", {})},
                              capture_output=True, text=True)
        assert done.returncode == 0, (step["name"], done.stdout[-2000:], done.stderr[-2000:])
        ran.append(step["name"])
    assert ran == ["Install nesa", "Validate the data"]
    assert (bindir / "nesa").exists() or (bindir / "nesa.exe").exists()


@pytest.mark.parametrize("source, want", [
    (None, "python -m pip install 'typst>=0.14'"),
    ("git+https://github.com/owner/nesa@v0.2.0", "python -m pip install 'nesa-cli[pdf] @ git+https://github.com/owner/nesa@v0.2.0'"),
    ("nesa-cli==0.2.0", "python -m pip install 'nesa-cli[pdf]==0.2.0'"),
])
def test_the_pdf_hint_names_something_that_installs(source, want, monkeypatch):
    from nesa_cli.render import pdf_install_hint

    monkeypatch.setattr("nesa_cli.install_source.running", lambda: source)
    hint = pdf_install_hint()
    assert want in hint and "nesa-cli[pdf]'" not in hint.replace(want, "")
