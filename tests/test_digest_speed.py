"""A warm digest reads every version of a changed file from the cache by its
bytes, so it never starts the YAML parser; what it reads there is what
parsing gives."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import PROJECT, commit_at, edit, git
from nesa_cli.changes.walk import Versions
from nesa_cli.load import load_bytes


@pytest.fixture
def week(tmp_path):
    import shutil

    repo = tmp_path / "sample"
    shutil.copytree(PROJECT / "data", repo / "data")
    git(repo, "init", "-q", "-b", "main")
    commit_at(repo, "2026-11-01", "Start", "Alex Lead")
    edit(repo, "data/schools/122220.yaml", "    count: 97", "    count: 101")
    commit_at(repo, "2026-11-20", "Census", "Bea Adviser")
    edit(repo, "data/schools/122262.yaml", "capacity: 460", "capacity: 480")
    commit_at(repo, "2026-11-21", "Capacity", "Bea Adviser")
    return repo


def _imports(repo, *args) -> set[str]:
    r = subprocess.run([sys.executable, "-X", "importtime", "-m", "nesa_cli", "-C", str(repo), "--today", "2026-11-23", *args],
                       capture_output=True, text=True)
    assert r.returncode in (0, 1), r.stderr[-2000:]
    return {line.rsplit("|", 1)[1].strip() for line in r.stderr.splitlines() if line.startswith("import time:") and "|" in line}


@pytest.mark.slow
def test_a_warm_digest_never_imports_the_yaml_parser(week):
    first = _imports(week, "digest")
    assert "yaml" in first  # the old versions were never read here: parsed once, and kept
    again = _imports(week, "digest")
    assert "yaml" not in again and "jsonschema" not in again
    assert "yaml" not in _imports(week, "status")  # the verdict from the run cache: no rule locates a problem


def test_versions_from_the_cache_equal_parsing(week):
    old = subprocess.run(["git", "show", "HEAD~1:data/schools/122220.yaml"], cwd=week, capture_output=True, check=True).stdout
    broken = b"urn: 1\nname: [\n"
    for raw, path in ((old, "data/schools/122220.yaml"), (broken, "data/schools/100001.yaml"), (b"x: 1\n", "data/README.yaml")):
        want = load_bytes(path, raw)
        for _ in range(2):  # parsed and kept, then from the cache
            got = Versions(week).document(path, raw)
            assert got.data == want.data
            assert [(p.line, p.severity, p.message) for p in got.problems] == [(p.line, p.severity, p.message) for p in want.problems]


def test_a_warm_digest_builds_only_the_kinds_it_reads(week, monkeypatch):
    from nesa_cli.digest.build import READS, load_checked
    from nesa_cli.store import WorkingTree
    from nesa_cli.validate import run

    full, _ = run.validate(WorkingTree(week))  # a full load; the verdict remembered, as nesa validate does
    assert full.documents and run.validate(WorkingTree(week))[0].checked is not None
    built = []
    from nesa_cli.loader import stages

    real = stages.add_record
    monkeypatch.setattr(stages, "add_record", lambda model, kind, data, path: built.append(kind.name) or real(model, kind, data, path))
    result = load_checked(WorkingTree(week))
    assert built and set(built) <= READS and "activity" not in built
    assert [d.text() for d in result.diagnostics] == [d.text() for d in full.diagnostics]
    assert set(result.model.records("meeting")) == set(full.model.records("meeting"))
