"""Shared fixtures: temporary alliance repositories in real git repositories."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
BASE = FIXTURES / "base"
PROJECT = Path(__file__).resolve().parent.parent


# The one "today" of every command a test runs, unless the test gives its own
# (--today or NESA_TODAY): the suite passes on any day, and nothing in it
# reads the real clock through nesa.
SUITE_TODAY = "2026-11-23"


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch):
    monkeypatch.setenv("NESA_TODAY", SUITE_TODAY)
    # The width of a pipe, whoever runs the suite: pytest-xdist's workers set
    # COLUMNS=80 and LINES=24, and a developer's shell may export them. A test
    # that wants a width sets COLUMNS itself.
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("LINES", raising=False)


def git(repo: Path, *args: str) -> str:
    env = {
        "GIT_AUTHOR_NAME": "Test Author", "GIT_AUTHOR_EMAIL": "author@example.org",
        "GIT_COMMITTER_NAME": "Test Author", "GIT_COMMITTER_EMAIL": "author@example.org",
        "HOME": str(repo), "PATH": "/usr/bin:/bin:/usr/local/bin",
    }
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


def make_repo(path: Path, source: Path = BASE) -> Path:
    shutil.copytree(source / "data", path / "data")
    if (source / "papers").is_dir():  # the sample's meeting papers (PDFs the agenda pack merges in)
        shutil.copytree(source / "papers", path / "papers")
    git(path, "init", "-q", "-b", "main")
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", "Initial alliance data")
    return path


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A small valid alliance in a fresh git repository."""
    return make_repo(tmp_path / "alliance")


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A copy of the shipped sample alliance in a fresh git repository."""
    return make_repo(tmp_path / "sample", PROJECT)


def commit_at(repo: Path, when: str, message: str, author: str = "Casey Clerk", hour: int = 12) -> None:
    """Commit everything with a fixed author and date (YYYY-MM-DD)."""
    import os

    stamp = f"{when}T{hour:02d}:00:00+00:00"
    env = dict(os.environ, GIT_AUTHOR_NAME=author, GIT_AUTHOR_EMAIL="c@example.org", GIT_COMMITTER_NAME=author,
               GIT_COMMITTER_EMAIL="c@example.org", GIT_AUTHOR_DATE=stamp, GIT_COMMITTER_DATE=stamp)
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True, env=env)
    subprocess.run(["git", "commit", "-q", "-m", message], cwd=repo, check=True, env=env)


def edit(repo: Path, rel: str, old: str, new: str, count: int = 1) -> None:
    p = repo / rel
    text = p.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    p.write_text(text.replace(old, new, count), encoding="utf-8")


GOLDEN = Path(__file__).parent / "golden"


def assert_golden(rel: str, text: str) -> None:
    """``text`` equals the golden file ``tests/golden/<rel>``.

    A missing golden file is a failure, never written silently: a test that
    writes its own expectation cannot fail. After a deliberate change to a
    document, run the tests with NESA_UPDATE_GOLDEN=1 to rewrite the files,
    then review the diff like any other change."""
    import os

    path = GOLDEN / rel
    if os.environ.get("NESA_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    if not path.exists():
        pytest.fail(f"golden file tests/golden/{rel} is missing: render it, look at it, then run with NESA_UPDATE_GOLDEN=1")
    assert text == path.read_text(encoding="utf-8"), f"differs from tests/golden/{rel} (NESA_UPDATE_GOLDEN=1 rewrites it)"
