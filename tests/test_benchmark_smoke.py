"""A small run of the benchmark, so the script keeps working (no times asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent.parent / "benchmarks"


def test_generate_is_deterministic_and_valid(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for out in (a, b):
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--schools", "30", "--years", "1", "--seed", "3", str(out)], check=True, capture_output=True)
    files_a = sorted(p.relative_to(a).as_posix() for p in (a / "data").rglob("*.yaml"))
    assert files_a == sorted(p.relative_to(b).as_posix() for p in (b / "data").rglob("*.yaml"))
    assert all((a / f).read_bytes() == (b / f).read_bytes() for f in files_a)
    head = lambda r: subprocess.run(["git", "rev-parse", "HEAD"], cwd=r, capture_output=True, text=True).stdout  # noqa: E731
    assert head(a) == head(b)
    from nesa_cli.store import WorkingTree
    from nesa_cli.validate.run import load

    result = load(WorkingTree(a))
    assert result.errors == 0 and len(result.model.schools) == 30


@pytest.mark.slow
def test_run_writes_every_figure(tmp_path):
    out = tmp_path / "RESULTS.md"
    subprocess.run([sys.executable, str(HERE / "run.py"), "--small", "20", "--large", "40", "--years", "1", "--runs", "1",
                    "--work", str(tmp_path / "work"), "--out", str(out)], check=True, capture_output=True)
    text = out.read_text()
    for figure in ("nesa --version", "cold `nesa validate`", "warm `nesa validate`", "one school edited", "--at HEAD~52",
                   "nesa digest --since 7d", "nesa status", "the shipped sample alliance", "peak memory", "cache written", "check-jsonschema"):
        assert figure in text, figure
