"""nesa validate and nesa status through the CLI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from conftest import PROJECT, edit
from nesa_cli.cli import app
from nesa_cli.jsonout import plain
from nesa_cli.reports.status import status as status_report
from nesa_cli.store import WorkingTree
from nesa_cli.validate.run import load

runner = CliRunner()


def run(*args: str, cwd: Path | None = None):
    old = os.getcwd()
    try:
        if cwd:
            os.chdir(cwd)
        return runner.invoke(app, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)


def test_clean_repository_exits_zero(repo):
    r = run("-C", str(repo), "validate")
    assert r.exit_code == 0, r.output
    assert "6 files checked: 0 errors, 0 warnings" in r.output


def test_errors_print_path_line_col_and_exit_one(repo):
    edit(repo, "data/schools/100001.yaml", "phase: first", "phase: frist")
    r = run("-C", str(repo), "validate")
    assert r.exit_code == 1
    assert "data/schools/100001.yaml:5:8: error: phase: 'frist' is not one of:" in r.output
    assert "[schema]" in r.output
    assert "1 error" in r.output


def test_warnings_alone_exit_zero_unless_strict(repo):
    edit(repo, "data/schools/100002.yaml", "census_date: 2025-10-02", "census_date: 2024-10-03")
    assert run("-C", str(repo), "validate").exit_code == 0
    assert run("-C", str(repo), "validate", "--strict").exit_code == 1


def test_json_format_equals_library_result(repo):
    edit(repo, "data/schools/100001.yaml", "phase: first", "phase: frist")
    edit(repo, "data/networks/sencos.yaml", "central_link: bsia", "central_link: zed")
    r = run("-C", str(repo), "validate", "--format", "json")
    assert r.exit_code == 1
    lib = [d.as_dict() for d in load(WorkingTree(repo)).diagnostics]
    assert json.loads(r.output) == lib
    assert {"path", "line", "col", "severity", "rule", "message"} == set(lib[0])


def test_github_format_prints_annotations(repo):
    edit(repo, "data/schools/100001.yaml", "phase: first", "phase: frist")
    r = run("-C", str(repo), "validate", "--format", "github")
    assert r.exit_code == 1
    assert "::error file=data/schools/100001.yaml,line=5,col=8,title=schema::phase: 'frist'" in r.output


def test_paths_restrict_the_report_but_not_the_rules(repo):
    edit(repo, "data/schools/100001.yaml", "phase: first", "phase: frist")
    edit(repo, "data/networks/sencos.yaml", "central_link: bsia", "central_link: zed")
    r = run("validate", "data/networks", cwd=repo)
    assert r.exit_code == 1
    assert "sencos.yaml" in r.output and "100001.yaml" not in r.output
    r = run("validate", "schools/100002.yaml", cwd=repo / "data")
    assert r.exit_code == 0, r.output


def test_found_from_a_subfolder(repo):
    r = run("validate", cwd=repo / "data" / "schools")
    assert r.exit_code == 0, r.output


def test_misuse_exits_two(repo, tmp_path):
    assert run("-C", str(repo), "validate", "--format", "xml").exit_code == 2
    r = run("-C", str(tmp_path / "nowhere"), "validate")
    assert r.exit_code == 2
    assert "not an alliance data repository" in r.output
    assert "Traceback" not in r.output
    r = run("validate", cwd=tmp_path)
    assert r.exit_code == 2
    assert "no alliance data repository" in r.output


def test_data_dir_from_environment(repo, monkeypatch, tmp_path):
    monkeypatch.setenv("NESA_DATA_DIR", str(repo / "data"))
    r = run("validate", cwd=tmp_path)
    assert r.exit_code == 0, r.output


def test_status_json_equals_library(repo):
    r = run("-C", str(repo), "--today", "2025-11-01", "status", "--json")
    assert r.exit_code == 0, r.output
    from datetime import date

    result = load(WorkingTree(repo))
    expected = plain(status_report(result.model, date(2025, 11, 1), 60))
    expected["validation"] = {"files": 6, "errors": 0, "warnings": 0}
    assert json.loads(r.output) == expected
    assert expected["members"] == 2
    assert [w["urn"] for w in expected["withdrawn"]] == [100003]


def test_status_shows_policies_due(repo):
    r = run("-C", str(repo), "--today", "2026-08-15", "status")
    assert r.exit_code == 0, r.output
    assert "Child Protection and Safeguarding" in r.output
    assert "1 September 2026" in r.output
    r = run("-C", str(repo), "--today", "2026-09-15", "status", "--json")
    assert json.loads(r.output)["policies_due"][0]["overdue"] is True


def test_status_on_broken_data_still_reports(repo):
    edit(repo, "data/schools/100001.yaml", "phase: first", "phase: frist")
    r = run("-C", str(repo), "status")
    assert r.exit_code == 0
    assert "1 error" in r.output


def test_installed_console_script(repo):
    exe = Path(sys.executable).with_name("nesa")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "nesa_cli"]
    p = subprocess.run([*cmd, "validate", "--format", "json"], cwd=repo / "data", capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout) == []
    p = subprocess.run([*cmd, "--version"], capture_output=True, text=True)
    assert p.returncode == 0 and p.stdout.startswith("nesa ")


def test_shipped_sample_validates_without_errors():
    result = load(WorkingTree(PROJECT))
    errors = [d.text() for d in result.diagnostics if d.severity == "error"]
    assert errors == []
    m = result.model
    assert len(m.schools) >= 40 and len(m.networks) >= 10 and len(m.policies) >= 12
    assert {s.phase for s in m.schools.values()} >= {"first", "primary", "middle-deemed-secondary", "high", "special"}
    assert any(p.name == "Simonside Alliance" for p in m.alliance.partnerships)


def test_check_jsonschema_accepts_shipped_schools_and_rejects_bad(tmp_path):
    exe = shutil.which("check-jsonschema") or str(Path(sys.executable).with_name("check-jsonschema"))
    files = sorted(str(p) for p in (PROJECT / "data/schools").glob("*.yaml"))
    p = subprocess.run([exe, "--schemafile", str(PROJECT / "schemas/school.schema.json"), *files], capture_output=True, text=True)
    assert p.returncode == 0, p.stdout + p.stderr
    bad = tmp_path / "123456.yaml"
    good = (PROJECT / "data/schools").glob("*.yaml").__next__().read_text(encoding="utf-8")
    bad.write_text(good + "favourite_colour: blue\n", encoding="utf-8")
    p = subprocess.run([exe, "--schemafile", str(PROJECT / "schemas/school.schema.json"), str(bad)], capture_output=True, text=True)
    assert p.returncode == 1
    wrong_type = tmp_path / "654321.yaml"
    wrong_type.write_text(good.replace("phase:", "phase: 12\nold_phase:", 1), encoding="utf-8")
    p = subprocess.run([exe, "--schemafile", str(PROJECT / "schemas/school.schema.json"), str(wrong_type)], capture_output=True, text=True)
    assert p.returncode == 1
