"""--at and history over a scripted git history: a school joins, changes
head, withdraws. Reading at a revision never touches the working tree."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import BASE, commit_at, edit
from nesa_cli.cli import app
from nesa_cli.reports.history import history
from nesa_cli.store.git import RevisionError, at, resolve
from nesa_cli.validate.run import load

runner = CliRunner()
NEW = "data/schools/100004.yaml"
SCHOOL = """# yaml-language-server: $schema=../../schemas/school.schema.json
urn: 100004
laestab: 9291004
name: Delta Middle School
phase: middle-deemed-secondary
type: community
address:
  town: Rothbury
  postcode: NE65 7AA
pupils:
  - census_date: 2025-10-02
    count: 300
partnership: north
membership:
  - state: member
    date: 2024-09-01
contacts:
  - role: headteacher
    name: Dee First
  - role: senco
    name: Dan Senco
    mobile: "07700 900999"
    private: [mobile]
"""


def commit(repo: Path, when: str, message: str, author: str = "Casey Clerk") -> None:
    commit_at(repo, when, message, author)


@pytest.fixture
def story(tmp_path: Path) -> Path:
    repo = tmp_path / "story"
    (repo / "data").mkdir(parents=True)
    import shutil

    shutil.copytree(BASE / "data", repo / "data", dirs_exist_ok=True)
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
    commit(repo, "2024-06-01", "Initial alliance data")
    (repo / NEW).write_text(SCHOOL, encoding="utf-8")
    commit(repo, "2024-10-01", "Delta Middle joins")
    edit(repo, NEW, "name: Dee First", "name: Dee Second")
    commit(repo, "2025-03-01", "New head at Delta Middle", author="Robin Adviser")
    edit(repo, NEW, "    date: 2024-09-01\n", "    date: 2024-09-01\n  - state: withdrawn\n    date: 2025-08-31\n    reason: Joined a trust\n")
    commit(repo, "2025-09-15", "Delta Middle withdraws")
    return repo


def run(repo: Path, *args: str):
    return runner.invoke(app, ["-C", str(repo), "--today", "2026-01-01", *args], catch_exceptions=False)


def members(repo: Path, when: str) -> list[int]:
    r = run(repo, "schools", "list", "--status", "member", "--at", when, "--json")
    assert r.exit_code == 0, r.output
    return [row["urn"] for row in json.loads(r.output)]


def test_at_date_reads_the_last_commit_on_or_before_it(story):
    assert members(story, "2024-09-15") == [100001, 100002, 100003]  # Delta's file came on 1 Oct
    assert members(story, "2024-10-01") == [100001, 100002, 100004, 100003]  # sorted by name
    assert members(story, "2025-09-01") == [100001, 100002, 100004]  # withdrawal not yet committed
    assert members(story, "2025-09-15") == [100001, 100002]


def test_at_revision(story):
    # a revision is read as of its commit date: 1 March 2025, Gamma not yet withdrawn
    assert members(story, "HEAD~1") == [100001, 100002, 100004, 100003]
    assert members(story, "HEAD~3") == []  # 1 June 2024: nobody was a member yet
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=story, capture_output=True, text=True).stdout.strip()
    assert members(story, head[:12]) == [100001, 100002]


def test_at_head_of_the_school_then(story):
    r = run(story, "schools", "show", "100004", "--at", "2025-01-01", "--json")
    heads = [c["name"] for c in json.loads(r.output)["contacts"] if c["role"] == "headteacher"]
    assert heads == ["Dee First"]
    r = run(story, "schools", "show", "100004", "--json")
    assert [c["name"] for c in json.loads(r.output)["contacts"] if c["role"] == "headteacher"] == ["Dee Second"]


def test_working_tree_is_read_without_at_and_untouched_with_it(story):
    edit(story, NEW, "name: Delta Middle School", "name: Delta Middle School (edited)")
    before = subprocess.run(["git", "status", "--porcelain"], cwd=story, capture_output=True, text=True).stdout
    r = run(story, "schools", "show", "100004", "--json")
    assert json.loads(r.output)["name"] == "Delta Middle School (edited)"
    r = run(story, "schools", "show", "100004", "--at", "HEAD", "--json")
    assert json.loads(r.output)["name"] == "Delta Middle School"
    after = subprocess.run(["git", "status", "--porcelain"], cwd=story, capture_output=True, text=True).stdout
    assert before == after == " M data/schools/100004.yaml\n"
    assert "(edited)" in (story / NEW).read_text(encoding="utf-8")


def test_bad_at_values_are_clear_misuse(story):
    for bad in ("1999-01-01", "no-such-branch", "--upload-pack=touch /tmp/x", "2024-02-30"):
        r = run(story, "schools", "list", "--at", bad)
        assert r.exit_code == 2, (bad, r.output)
        assert "Traceback" not in r.output
    with pytest.raises(RevisionError):
        resolve(story, "-x")


def test_git_source_lists_only_committed_data(story):
    (story / "data/schools/100005.yaml").write_text("urn: 100005\n", encoding="utf-8")
    src = at(story, "HEAD")
    assert "data/schools/100005.yaml" not in src.files()
    assert load(src).diagnostics == []


def test_history_lists_commits_and_field_changes(story):
    entries = history(story, NEW)
    assert [e["message"] for e in entries] == ["Delta Middle withdraws", "New head at Delta Middle", "Delta Middle joins"]
    assert entries[1]["author"] == "Robin Adviser"
    assert {"field": "contacts[0].name", "old": "Dee First", "new": "Dee Second", "kind": "changed",
            "label": "contact Dee Second's name"} in entries[1]["changes"]
    assert entries[2]["event"] == "created"
    withdrawn = {c["field"]: c["new"] for c in entries[0]["changes"]}
    assert withdrawn["membership[1].state"] == "withdrawn" and withdrawn["membership[1].reason"] == "Joined a trust"


def test_history_never_shows_private_values(story):
    edit(story, NEW, '"07700 900999"', '"07700 900111"')
    commit(story, "2025-10-01", "New mobile")
    r = run(story, "history", "100004")
    assert r.exit_code == 0, r.output
    assert "07700" not in r.output
    assert "not for circulation" in r.output


def test_history_cli_by_name_network_policy(story):
    r = run(story, "history", "Delta Middle", "--json")
    assert len(json.loads(r.output)) == 3
    assert json.loads(run(story, "history", "sencos", "--json").output)[0]["event"] == "created"
    assert run(story, "history", "safeguarding").exit_code == 0
    assert run(story, "history", "no such thing").exit_code == 2


def test_history_follows_a_rename(story):
    subprocess.run(["git", "mv", "data/policies/safeguarding.yaml", "data/policies/child-protection.yaml"], cwd=story, check=True)
    edit(story, "data/policies/child-protection.yaml", "id: safeguarding", "id: child-protection")
    commit(story, "2025-11-01", "Rename the safeguarding policy")
    entries = history(story, "data/policies/child-protection.yaml")
    assert entries[0]["event"] == "renamed"
    assert entries[-1]["event"] == "created"


def test_history_never_climbs_out_of_data(story, tmp_path):
    for bad in ("../../etc/passwd", "/etc/passwd", "..", "sencos/../../x", "a\x00b"):
        r = run(story, "history", bad)
        assert r.exit_code == 2, (bad, r.output)
        assert "Traceback" not in r.output


def test_validate_at_a_revision(story):
    edit(story, NEW, "phase: middle-deemed-secondary", "phase: middle")
    assert run(story, "validate").exit_code == 1
    r = run(story, "validate", "--at", "HEAD")
    assert r.exit_code == 0, r.output
