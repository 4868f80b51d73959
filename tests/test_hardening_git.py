"""Git states a data repository can be in, each built for real in tmp_path:
git busy with a rebase, merge, cherry-pick, revert or bisect; a data
repository in a subfolder of its git repository; a shallow clone; revisions
and dates git or Python cannot turn into a commit. Never a traceback
(the runner is told not to catch exceptions), never a half-made edit."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import BASE, commit_at, edit, git, make_repo
from nesa_cli.cli import app

runner = CliRunner()
TODAY = "2026-11-23"
OTHER = "data/schools/100002.yaml"

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def nesa(repo: Path, *args: str):
    return runner.invoke(app, ["-C", str(repo), "--today", TODAY, *args], catch_exceptions=False)


def _run(repo: Path, *args: str) -> subprocess.CompletedProcess:
    """git, allowed to fail (a conflict stops it)."""
    env = {"GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "T",
           "GIT_COMMITTER_EMAIL": "t@example.org", "HOME": str(repo), "PATH": "/usr/bin:/bin:/usr/local/bin",
           "GIT_EDITOR": "true"}
    return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True)


def _conflicting(repo: Path) -> str:
    """Branch ``other`` and main change the same line of 100002; returns the
    id of other's commit."""
    text = (repo / OTHER).read_text(encoding="utf-8")
    line = next(ln for ln in text.splitlines() if ln.startswith("name:"))
    git(repo, "checkout", "-q", "-b", "other")
    edit(repo, OTHER, line, "name: Beta Primary School (theirs)")
    commit_at(repo, "2026-11-02", "theirs")
    theirs = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "checkout", "-q", "main")
    edit(repo, OTHER, line, "name: Beta Primary School (ours)")
    commit_at(repo, "2026-11-03", "ours")
    return theirs


def _state(repo: Path, how: str) -> None:
    theirs = _conflicting(repo)
    if how == "merge":
        assert _run(repo, "merge", "other").returncode != 0
    elif how == "rebase":
        assert _run(repo, "rebase", "other").returncode != 0
    elif how == "rebase-apply":
        assert _run(repo, "rebase", "--apply", "other").returncode != 0
    elif how == "cherry-pick":
        assert _run(repo, "cherry-pick", theirs).returncode != 0
    elif how == "revert":
        edit(repo, OTHER, "name: Beta Primary School (ours)", "name: Beta Primary School (ours again)")
        commit_at(repo, "2026-11-04", "ours again")
        assert _run(repo, "revert", "--no-edit", "HEAD~1").returncode != 0
    elif how == "bisect":
        assert _run(repo, "bisect", "start").returncode == 0
    elif how == "unmerged-only":  # the merge's own record gone, the conflicts still in the index
        assert _run(repo, "merge", "other").returncode != 0
        for name in ("MERGE_HEAD", "MERGE_MSG", "MERGE_MODE", "AUTO_MERGE"):
            (repo / ".git" / name).unlink(missing_ok=True)


STATES = ["merge", "rebase", "rebase-apply", "cherry-pick", "revert", "bisect", "unmerged-only"]


@pytest.mark.parametrize("how", STATES)
def test_commit_is_refused_before_anything_is_written(repo, how):
    _state(repo, how)
    school = repo / "data/schools/100001.yaml"
    before = (school.read_bytes(), _run(repo, "status", "--porcelain=v1").stdout, git(repo, "rev-parse", "HEAD"))
    r = nesa(repo, "schools", "set", "100001", "phone=01670 555111", "--commit")
    assert r.exit_code == 2, r.output
    assert "cannot commit" in r.output and "nothing was written" in r.output
    word = {"rebase-apply": "rebase", "unmerged-only": "conflict"}.get(how, how)
    assert word in r.output
    after = (school.read_bytes(), _run(repo, "status", "--porcelain=v1").stdout, git(repo, "rev-parse", "HEAD"))
    assert after == before  # not written, not staged, not committed


def test_commit_after_the_rebase_is_finished_works(repo):
    _state(repo, "rebase")
    assert _run(repo, "rebase", "--abort").returncode == 0
    r = nesa(repo, "schools", "set", "100001", "phone=01670 555111", "--commit")
    assert r.exit_code == 0, r.output


def test_diff_during_a_conflicted_merge_names_the_conflict(repo):
    _state(repo, "merge")
    r = nesa(repo, "diff")
    assert r.exit_code == 0, r.output
    assert "merge conflict" in r.output and "100002" in r.output
    assert "removed" not in r.output and "no longer" not in r.output


# --- a data repository in a subfolder of a git repository -----------------------


@pytest.fixture
def nested(tmp_path: Path) -> Path:
    """outer/ is the git repository; outer/alliance/ the data repository. The
    outer folder has a data/ of its own that must never be read."""
    outer = tmp_path / "outer"
    (outer / "data").mkdir(parents=True)
    (outer / "data" / "junk.yaml").write_text("not: alliance data\n", encoding="utf-8")
    import shutil

    shutil.copytree(BASE / "data", outer / "alliance" / "data")
    git(outer, "init", "-q", "-b", "main")
    commit_at(outer, "2026-10-01", "Initial alliance data")
    return outer / "alliance"


def test_subfolder_diff_history_at_and_digest(nested):
    outer = nested.parent
    edit(nested, "data/schools/100001.yaml", "name: Alpha First School", "name: Alpha First Academy")
    r = nesa(nested, "diff")
    assert "Alpha First Academy" in r.output, r.output  # the uncommitted change is seen
    commit_at(outer, "2026-11-20", "Rename Alpha")
    hist = json.loads(nesa(nested, "history", "100001", "--json").output)
    assert [e["message"] for e in hist] == ["Rename Alpha", "Initial alliance data"]
    assert hist[0]["path"] == "data/schools/100001.yaml"
    assert "Alpha First Academy" in nesa(nested, "diff", "HEAD~1..HEAD").output
    now = json.loads(nesa(nested, "schools", "list", "--json").output)
    then = json.loads(nesa(nested, "schools", "list", "--at", "HEAD~1", "--json").output)
    assert len(then) == len(now) == 3  # the alliance's schools, not the outer data/
    assert {s["name"] for s in then} == {s["name"] for s in now} - {"Alpha First Academy"} | {"Alpha First School"}
    assert "Alpha First Academy" in nesa(nested, "digest", "--since", "7d").output
    r = nesa(nested, "validate", "--at", "HEAD")
    assert r.exit_code == 0, r.output


def test_subfolder_edit_commits_the_right_file(nested):
    r = nesa(nested, "schools", "set", "100001", "phone=01670 555111", "--commit")
    assert r.exit_code == 0, r.output
    assert git(nested.parent, "show", "--name-only", "--format=", "HEAD").split() == ["alliance/data/schools/100001.yaml"]


# --- a shallow clone -------------------------------------------------------------


@pytest.fixture
def shallow(tmp_path: Path) -> Path:
    full = make_repo(tmp_path / "full")
    for day, name in (("2026-11-10", "Alpha One"), ("2026-11-20", "Alpha Two")):
        edit(full, "data/schools/100001.yaml", "name: Alpha", f"name: {name} Alpha")
        commit_at(full, day, f"rename to {name}")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{full}", str(clone)], check=True, capture_output=True)
    return clone


@pytest.mark.parametrize("args", [("schools", "list", "--at", "HEAD~1"), ("diff", "HEAD~1..HEAD"),
                                  ("status", "--at", "2026-11-15"), ("history", "100001")])
def test_shallow_clone_errors_name_the_clone_and_the_fix(shallow, args):
    r = nesa(shallow, *args)
    assert r.exit_code == 2, r.output
    assert "shallow clone" in r.output and "git fetch --unshallow" in r.output


def test_shallow_clone_digest_uses_the_history_there_and_says_so(shallow):
    r = nesa(shallow, "digest", "--since", "30d")
    assert r.exit_code == 0, r.output
    assert "shallow clone" in r.output and "git fetch --unshallow" in r.output
    # the one commit there has no parent here: its whole tree is not listed as new
    assert "Added:" not in r.output and "new school" not in r.output.lower()
    assert nesa(shallow, "schools", "list", "--at", "HEAD").exit_code == 0


# --- revisions and dates ---------------------------------------------------------


@pytest.mark.parametrize("at", ["HEAD@{1.year.ago}", "HEAD@{0}", "main@{2.weeks.ago}", "0001-01-01", "9999-12-31",
                                "HEAD~99", "HEAD@{upstream}", "main^{tree}"])
def test_revisions_are_a_result_or_a_clear_error(repo, at):
    r = nesa(repo, "schools", "list", "--at", at, "--json")
    assert r.exit_code in (0, 2), r.output
    if r.exit_code == 0:
        assert len(json.loads(r.output)) == 3
    else:
        assert r.output.startswith("nesa: error:")
    if at == "0001-01-01":
        assert "no commit on or before 0001-01-01" in r.output
    if at == "9999-12-31":
        assert r.exit_code == 0
