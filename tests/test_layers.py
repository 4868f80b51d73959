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
