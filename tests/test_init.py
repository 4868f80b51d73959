"""nesa init: a new alliance repository that validates at once."""

from __future__ import annotations

import os
import subprocess
from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from nesa_cli.cli import app
from nesa_cli.init import latest_census
from nesa_cli.store import WorkingTree
from nesa_cli.validate.run import load

runner = CliRunner()
FIXTURE = Path(__file__).parent / "fixtures" / "gias" / "edubasealldata20261120.csv"


def nesa(*args: str):
    return runner.invoke(app, ["--today", "2026-11-23", *args], catch_exceptions=False)


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout


def test_init_creates_a_repository_that_validates_at_once(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Ada Admin")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "ada@example.org")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "Ada Admin")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "ada@example.org")
    root = tmp_path / "barnet"
    r = nesa("init", str(root), "--name", "Barnet Schools' Partnership", "--short", "BSP", "--la", "302", "--area", "Barnet")
    assert r.exit_code == 0, r.output
    for rel in ("data/alliance.yaml", "schemas/school.schema.json", "schemas/alliance.schema.json",
                ".github/workflows/validate.yml", ".pre-commit-config.yaml", "README.md", ".gitignore",
                "data/schools/.gitkeep", "data/networks/.gitkeep", "data/policies/.gitkeep", "data/meetings/.gitkeep"):
        assert (root / rel).is_file(), rel
    result = load(WorkingTree(root))
    assert result.errors == 0 and result.warnings == 0, [d.text() for d in result.diagnostics]
    a = result.model.alliance
    assert (a.name, a.short_name, a.la_codes, a.financial_year_start_month) == ("Barnet Schools' Partnership", "BSP", (302,), 4)
    assert a.census_date == date(2026, 10, 1)
    assert "academy-converter" in a.eligible_types and "community" in a.eligible_types and a.eligible_la_codes == (302,)
    assert git(root, "log", "--format=%an|%s").strip() == "Ada Admin|Start the BSP alliance repository (nesa init)"
    assert git(root, "status", "--porcelain") == ""
    workflow = (root / ".github/workflows/validate.yml").read_text()
    assert "nesa validate --format github" in workflow and "nesa diff --base" in workflow
    assert "entry: nesa validate" in (root / ".pre-commit-config.yaml").read_text()
    assert ".nesa-lock" in (root / ".gitignore").read_text()
    assert (root / "data/alliance.yaml").read_text().startswith("# yaml-language-server: $schema=../schemas/alliance.schema.json\n")
    v = nesa("-C", str(root), "validate")
    assert v.exit_code == 0, v.output


def test_init_then_import_runs_another_alliance_with_no_code_change(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))  # no git identity: the clear fallback is used and said
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for v in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        monkeypatch.delenv(v, raising=False)
    root = tmp_path / "north"
    r = nesa("init", str(root), "--name", "North Schools Alliance", "--short", "NSA", "--la", "929")
    assert r.exit_code == 0, r.output
    assert "nesa init <nesa-init@localhost>" in r.output
    r = nesa("-C", str(root), "import", "gias", str(FIXTURE))
    assert r.exit_code == 0, r.output
    # LA 929's open schools of the eligible types (special schools included), none closed, no other LA's
    assert sorted(p.stem for p in (root / "data/schools").glob("*.yaml")) == [
        "100001", "100002", "900101", "900102", "900103", "900104", "900107"]
    result = load(WorkingTree(root))
    assert result.errors == 0, [d.text() for d in result.diagnostics]
    assert 900101 in result.model.schools and 900104 in result.model.schools and 900201 not in result.model.schools


def test_init_refuses_a_non_empty_folder_and_bad_options(tmp_path: Path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("x")
    r = nesa("init", str(tmp_path / "full"), "--name", "X", "--short", "XA", "--la", "929")
    assert r.exit_code == 2 and "not empty" in r.output
    assert os.listdir(tmp_path / "full") == ["notes.txt"]
    assert nesa("init", str(tmp_path / "a"), "--name", "X", "--short", "xa", "--la", "929").exit_code == 2
    assert nesa("init", str(tmp_path / "b"), "--name", "X", "--short", "XA", "--la", "9290").exit_code == 2
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_latest_census_is_the_first_thursday_of_october():
    assert latest_census(date(2026, 11, 23)) == date(2026, 10, 1)
    assert latest_census(date(2026, 9, 30)) == date(2025, 10, 2)
