"""The code keeps its layers: only nesa_cli/cli imports Typer or rich, only
nesa_cli/store/gitrun.py starts git or opens a GitPython repository, and no
module grows past what one reader can hold."""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "nesa_cli"
LIBRARY = [p for p in PACKAGE.rglob("*.py") if "cli" not in p.relative_to(PACKAGE).parts[:1]]


def test_the_library_never_imports_typer_or_rich():
    found = [str(p.relative_to(PACKAGE)) for p in LIBRARY
             if re.search(r"^\s*(import|from)\s+(typer|rich|click)\b", p.read_text(encoding="utf-8"), re.M)]
    assert found == []


def test_git_is_reached_one_way():
    others = [p for p in PACKAGE.rglob("*.py") if p.name != "gitrun.py"]
    starts = [str(p.relative_to(PACKAGE)) for p in others
              if re.search(r"subprocess\.(run|Popen|check_output|call)\(\s*\[\s*\"git\"", p.read_text(encoding="utf-8"))]
    opens = [str(p.relative_to(PACKAGE)) for p in others if "git.Repo(" in p.read_text(encoding="utf-8")]
    assert starts == [] and opens == []


def test_process_tricks_live_only_in_the_entry_point():
    """Pausing the garbage collector and ending the process without teardown
    are decisions about the whole process: only nesa_cli/entry.py makes them
    (the library offers the load's seam, nesa_cli.WHILE_LOADING)."""
    pattern = re.compile(r"\bgc\.(disable|enable|freeze|collect|set_threshold)\b|\bos\._exit\(|^\s*import gc\b", re.M)
    found = [p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py") if pattern.search(p.read_text(encoding="utf-8"))]
    assert found == ["entry.py"], found


def test_the_loader_leaves_the_collector_alone_unless_the_process_asks():
    import gc

    import nesa_cli
    from nesa_cli.loader import load

    class Empty:
        def files(self):
            return []

        def unsafe(self):
            return []

        def read(self, path):
            raise OSError(path)

    assert getattr(nesa_cli, "WHILE_LOADING", None) is None
    assert gc.isenabled()
    from contextlib import contextmanager

    from nesa_cli.store.cache import Cache

    seen = []
    load(Empty(), cache=Cache(None))

    @contextmanager
    def hook():
        seen.append("in")
        yield
        seen.append("out")

    nesa_cli.WHILE_LOADING = hook
    try:
        load(Empty(), cache=Cache(None))
    finally:
        del nesa_cli.WHILE_LOADING
    assert seen == ["in", "out"] and gc.isenabled()
