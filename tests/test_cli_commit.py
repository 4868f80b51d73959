"""`nesa commit -m` (issue 23, day-one path): data and templates only, a body in words."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import edit, git
from test_edit import nesa


def _git_env(repo: Path, monkeypatch) -> None:
    for k in ("GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME"):
        monkeypatch.setenv(k, "Casey Clerk")
    for k in ("GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"):
        monkeypatch.setenv(k, "casey@example.org")


@pytest.fixture
def alliance(repo, monkeypatch):
    _git_env(repo, monkeypatch)
    (repo / "templates").mkdir()
    (repo / "templates/agenda.md.j2").write_text("# {{ meeting.title }}\n")
    (repo / "README.md").write_text("notes\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "templates")
    return repo


def _school(repo: Path) -> Path:
    return sorted((repo / "data/schools").glob("*.yaml"))[0]


def _status(repo: Path) -> str:
    return git(repo, "status", "--porcelain=v1", "--untracked-files=all")


def test_commits_data_and_templates_with_a_body_in_words(alliance):
    school = _school(alliance)
    text = school.read_text()
    school.write_text(text.replace("name: ", "name: Renamed ", 1))
    (alliance / "templates/agenda.md.j2").write_text("# {{ meeting.title }}!\n")
    (alliance / "README.md").write_text("changed, and staged\n")
    git(alliance, "add", "README.md")
    (alliance / "notes.txt").write_text("untracked, outside data\n")
    r = nesa(alliance, "commit", "-m", "Renamed a school")
    assert r.exit_code == 0, r.output
    assert "committed 2 files" in r.output
    log = git(alliance, "log", "-1", "--format=%B")
    assert log.startswith("Renamed a school\n\n")
    assert "is now called Renamed" in log.split("\n", 2)[2]  # the change in words
    assert "templates/agenda.md.j2 changed" in log
    shown = git(alliance, "show", "--name-only", "--format=", "HEAD").split()
    assert sorted(shown) == sorted([school.relative_to(alliance).as_posix(), "templates/agenda.md.j2"])
    status = _status(alliance)
    assert "M  README.md" in status and "?? notes.txt" in status  # left as they were
    assert "data/" not in status and "templates/" not in status


def test_new_and_removed_files_are_committed(alliance):
    school = _school(alliance)
    rel = school.relative_to(alliance).as_posix()
    school.unlink()
    (alliance / "templates/extra.md.j2").write_text("x\n")
    r = nesa(alliance, "commit", "-m", "tidy")
    assert r.exit_code == 0, r.output
    names = git(alliance, "show", "--name-status", "--format=", "HEAD")
    assert f"D\t{rel}" in names and "A\ttemplates/extra.md.j2" in names
    assert _status(alliance) == ""


def test_nothing_changed_is_refused(alliance):
    (alliance / "README.md").write_text("outside data only\n")
    before = git(alliance, "rev-parse", "HEAD")
    r = nesa(alliance, "commit", "-m", "nothing")
    assert r.exit_code == 2 and "nothing to commit" in r.output
    assert git(alliance, "rev-parse", "HEAD") == before


def test_empty_message_is_refused(alliance):
    edit(alliance, _school(alliance).relative_to(alliance).as_posix(), "name: ", "name: X ")
    r = nesa(alliance, "commit", "-m", "   ")
    assert r.exit_code == 2 and "message is empty" in r.output


def test_dry_run_commits_nothing(alliance):
    school = _school(alliance)
    school.write_text(school.read_text().replace("name: ", "name: Dry ", 1))
    before = git(alliance, "rev-parse", "HEAD")
    r = nesa(alliance, "commit", "-n", "-m", "try")
    assert r.exit_code == 0, r.output
    assert "Would commit 1 file" in r.output and school.name in r.output and "Dry" in r.output
    assert git(alliance, "rev-parse", "HEAD") == before
    assert school.name in _status(alliance)


@pytest.mark.parametrize("operation", ["merge", "cherry-pick"])
def test_refused_while_git_is_in_the_middle_of_something(alliance, operation):
    school = _school(alliance)
    rel = school.relative_to(alliance).as_posix()
    git(alliance, "checkout", "-qb", "other")
    edit(alliance, rel, "name: ", "name: Other ")
    git(alliance, "commit", "-qam", "other")
    git(alliance, "checkout", "-q", "main")
    edit(alliance, rel, "name: ", "name: Main ")
    git(alliance, "commit", "-qam", "main")
    cmd = ["git", operation, "other"] if operation == "merge" else ["git", "cherry-pick", "other"]
    assert subprocess.run(cmd, cwd=alliance, capture_output=True).returncode != 0  # a conflict
    before = git(alliance, "rev-parse", "HEAD")
    r = nesa(alliance, "commit", "-m", "in the middle")
    assert r.exit_code == 2 and "in progress" in r.output
    assert git(alliance, "rev-parse", "HEAD") == before


_PLACES = st.sampled_from(["data/schools/new-{i}.yaml", "templates/t{i}.md.j2", "README.md", "other/f{i}.txt", "data.txt"])


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(_PLACES, st.booleans()), min_size=1, max_size=6))
def test_never_commits_outside_data_and_templates(alliance, writes):
    """Whatever is changed, staged or not, only data/ and templates/ are committed."""
    before = git(alliance, "rev-parse", "HEAD").strip()
    try:
        _one_mixed_commit(alliance, writes, before)
    finally:
        git(alliance, "reset", "-q", "--hard", before)
        git(alliance, "clean", "-qfdx")


def _one_mixed_commit(alliance, writes, before):
    wanted, outside = set(), set()
    for i, (place, stage) in enumerate(writes):
        rel = place.format(i=i)
        p = alliance / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(f"school_name: x{i}\n")
        if stage:
            git(alliance, "add", rel)
        (wanted if rel.startswith(("data/", "templates/")) else outside).add(rel)
    r = nesa(alliance, "commit", "-m", "mixed")
    if not wanted:
        assert r.exit_code == 2 and git(alliance, "rev-parse", "HEAD").strip() == before
    else:
        assert r.exit_code == 0, r.output
        shown = set(git(alliance, "show", "--name-only", "--format=", "HEAD").split())
        assert shown == wanted
    status = _status(alliance)
    for rel in outside:
        assert rel in status
