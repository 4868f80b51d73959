"""Shared fixtures: temporary alliance repositories in real git repositories."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest


def _memory_backed_tmp() -> None:
    """Temporary repositories in memory where Linux offers it (/dev/shm):
    most tests copy the sample alliance into a new git repository, and on a
    disk that copy and git's writes cost more system time than the test.
    TMPDIR, when set, is honoured as tempfile always does."""
    shm = "/dev/shm"
    if os.environ.get("TMPDIR") or not sys.platform.startswith("linux") or not os.path.isdir(shm):
        return
    try:
        if os.access(shm, os.W_OK) and shutil.disk_usage(shm).free > 4 * 2**30:
            tempfile.tempdir = shm
    except OSError:
        pass


_memory_backed_tmp()

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
    """``source``'s data (and papers) in a new git repository at ``path``,
    one commit. The tests' base alliance and the sample are made once per
    process and copied (with their .git), which is several times faster."""
    template = _TEMPLATES.get(source)
    if template is None and source in (BASE, PROJECT):
        template = _TEMPLATES[source] = _new_repo(Path(tempfile.mkdtemp(prefix="nesa-template-")) / "repo", source)
    if template is None:
        return _new_repo(path, source)
    shutil.copytree(template, path, symlinks=True)
    git(path, "update-index", "-q", "--refresh")  # the copies' inodes and times, so git sees them unchanged
    return path


_TEMPLATES: dict[Path, Path] = {}


@atexit.register
def _remove_templates() -> None:
    for template in _TEMPLATES.values():
        shutil.rmtree(template.parent, ignore_errors=True)


def _new_repo(path: Path, source: Path) -> Path:
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
def sample(request, tmp_path: Path) -> Path:
    """A copy of the shipped sample alliance in a fresh git repository.

    A test marked ``shared_sample`` (it only reads) gets one copy shared with
    every such test of its worker, its cache warm: copying the sample and
    loading it cold is most of what a short test costs. After each such test
    the copy is checked: a test that changed a file or made a commit fails,
    and the copy is put back, so a test that writes must not carry the mark."""
    if request.node.get_closest_marker("shared_sample") is None:
        return make_repo(tmp_path / "sample", PROJECT)
    shared = request.getfixturevalue("_shared_sample")
    request.addfinalizer(lambda: _unchanged(shared, request.node.nodeid))
    return shared


@pytest.fixture(scope="session")
def _shared_sample(tmp_path_factory) -> Path:
    repo = make_repo(tmp_path_factory.mktemp("shared") / "sample", PROJECT)
    _FIRST[repo] = git(repo, "rev-parse", "HEAD").strip()
    return repo


_FIRST: dict[Path, str] = {}  # the shared copy's one commit


def _unchanged(repo: Path, test: str) -> None:
    head = git(repo, "rev-parse", "HEAD").strip()
    first = _FIRST[repo]
    dirty = git(repo, "status", "--porcelain", "--untracked-files=all").strip()
    if head == first and not dirty:
        return
    git(repo, "reset", "-q", "--hard", first)
    git(repo, "clean", "-q", "-fd")
    log = os.environ.get("NESA_SHARED_SAMPLE_LOG")
    if log:  # a survey of which tests write: record instead of failing
        with open(log, "a", encoding="utf-8") as f:
            f.write(test + "\n")
        return
    pytest.fail(f"{test} is marked shared_sample but changed the shared sample "
                f"({'a commit' if head != first else dirty.splitlines()[0]}): it writes, so it needs its own copy")


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


def snapshot(root: Path, pattern: str = "*") -> dict[str, bytes]:
    """Every file under ``root``/data (matching ``pattern``): its path from ``root``, POSIX style -> its bytes
    (temporary files included: a test that compares two snapshots sees one left behind)."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "data").rglob(pattern)) if p.is_file()}


class Memory:
    """A source of data files held in memory (as nesa_cli.store.sources.Source): path -> bytes."""

    def __init__(self, data: dict[str, bytes]):
        self.data = data

    def files(self):
        return sorted(self.data)

    def read(self, path):
        return self.data[path]

    def unsafe(self):
        return []


def line_of(repo: Path, rel: str, text: str) -> int:
    """The line of ``rel`` that ``text`` begins on (past any newlines it starts with)."""
    content = (repo / rel).read_text(encoding="utf-8")
    assert text in content, f"{text!r} not in {rel}"
    return content[: content.index(text)].count("\n") + 1 + (len(text) - len(text.lstrip("\n")))


def assert_fires(repo: Path, path: str, line: int, rule: str):
    """Validating ``repo`` reports ``rule`` at ``path``:``line``, with the severity the
    rule catalogue declares for it; returns the validation result."""
    from nesa_cli.store import WorkingTree
    from nesa_cli.validate.catalogue import RULES
    from nesa_cli.validate.run import load

    result = load(WorkingTree(repo))
    got = [(d.path, d.line, d.rule) for d in result.diagnostics]
    assert (path, line, rule) in got, "\n".join(d.text() for d in result.diagnostics)
    assert any(d.severity == RULES[rule][0] for d in result.diagnostics if (d.path, d.line, d.rule) == (path, line, rule))
    return result


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


SLOW_LIST = Path(__file__).parent / "slow.txt"


def slow_functions() -> set[str]:
    """The test functions tests/slow.txt names (``file::function``, a class
    as ``file::Class::function``): the costly ones, measured by
    tests/tools/slow_survey.py, that the fast run leaves out."""
    if not SLOW_LIST.exists():
        return set()
    lines = SLOW_LIST.read_text(encoding="utf-8").splitlines()
    return {line.split("#", 1)[0].strip() for line in lines} - {""}


def function_id(nodeid: str) -> str:
    """``tests/test_x.py::test_y`` for every case of a parametrised ``test_y``."""
    return nodeid.split("[", 1)[0]


def pytest_collection_modifyitems(config, items):
    """Two things at collection.

    The functions tests/slow.txt lists are marked ``slow`` (so ``-m "not
    slow"`` is the fast run), unless NESA_SLOW_LIST=0: then only the tests
    marked in their code are (the survey, and CI's run under faketime).

    NESA_SHARED_SAMPLE_LOG=FILE: a survey. Every test that uses the sample
    shares it, and the ones that changed it are listed in FILE (instead of
    failing); FILE.used lists every test that used it. What passed and is not
    in FILE may carry the shared_sample mark."""
    if os.environ.get("NESA_SLOW_LIST", "1") != "0":
        slow = slow_functions()
        for item in items:
            if function_id(item.nodeid) in slow:
                item.add_marker(pytest.mark.slow)
    if os.environ.get("NESA_SHARED_SAMPLE_LOG"):
        for item in items:
            if "sample" in getattr(item, "fixturenames", ()):
                item.add_marker(pytest.mark.shared_sample)
                with open(os.environ["NESA_SHARED_SAMPLE_LOG"] + ".used", "a") as f:
                    f.write(item.nodeid + "\n")


# NESA_TEST_COST=FILE: the CPU seconds each test costs (its process and the
# processes it ran), one line a test, in FILE.<worker>; tests/tools/slow_survey.py
# reads them. CPU time rather than wall time, so that a busy machine changes
# the figures little.
_COSTS: list[tuple[str, float]] = []


def _cpu_seconds() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    if not os.environ.get("NESA_TEST_COST"):
        yield
        return
    start = _cpu_seconds()
    yield
    _COSTS.append((item.nodeid, _cpu_seconds() - start))


def pytest_sessionfinish(session):
    out = os.environ.get("NESA_TEST_COST")
    if out and _COSTS:
        with open(f"{out}.{os.environ.get('PYTEST_XDIST_WORKER', 'main')}", "w", encoding="utf-8") as f:
            f.writelines(f"{cost:.4f} {nodeid}\n" for nodeid, cost in _COSTS)
