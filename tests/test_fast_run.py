"""The fast run (pytest -m "not slow") is chosen by measurement: tests/slow.txt
lists the costly test functions, conftest marks them slow, and
tests/tools/slow_survey.py writes the list from measured CPU seconds."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

import conftest
from conftest import PROJECT, function_id, slow_functions

sys.path.insert(0, str(PROJECT / "tests" / "tools"))
import slow_survey  # noqa: E402


def defined_tests(path: Path) -> set[str]:
    """``file::function`` and ``file::Class::function`` for every test a file defines."""
    rel = path.relative_to(PROJECT).as_posix()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
            found.add(f"{rel}::{node.name}")
        elif isinstance(node, ast.ClassDef):
            found |= {f"{rel}::{node.name}::{f.name}" for f in node.body
                      if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)) and f.name.startswith("test")}
    return found


def test_every_listed_function_is_a_test_that_exists():
    """A renamed or removed test leaves a stale line, which would quietly put its successor in the fast run."""
    listed = slow_functions()
    assert listed, "tests/slow.txt lists nothing"
    files = {f.split("::", 1)[0] for f in listed}
    defined = set().union(*(defined_tests(PROJECT / f) for f in files if (PROJECT / f).exists()))
    assert sorted(listed - defined) == []


def test_every_case_of_a_parametrised_function_is_one_function():
    assert function_id("tests/test_x.py::test_y[a-1]") == "tests/test_x.py::test_y"
    assert function_id("tests/test_x.py::Klass::test_y[b]") == "tests/test_x.py::Klass::test_y"
    assert function_id("tests/test_x.py::test_y") == "tests/test_x.py::test_y"


class _Item:
    def __init__(self, nodeid):
        self.nodeid, self.markers, self.fixturenames = nodeid, [], ()

    def add_marker(self, marker):
        self.markers.append(marker.name)


@pytest.mark.parametrize("setting, marked", [("1", True), ("0", False)])
def test_the_listed_functions_are_marked_slow_unless_the_list_is_off(monkeypatch, setting, marked):
    listed = sorted(slow_functions())[0]
    items = [_Item(listed + "[case]"), _Item("tests/test_fast_run.py::test_not_listed")]
    monkeypatch.setenv("NESA_SLOW_LIST", setting)
    monkeypatch.delenv("NESA_SHARED_SAMPLE_LOG", raising=False)
    conftest.pytest_collection_modifyitems(None, items)
    assert items[0].markers == (["slow"] if marked else [])
    assert items[1].markers == []


def test_the_survey_keeps_the_cheapest_within_the_budget_and_one_test_of_every_file():
    costs = {
        "tests/a.py::test_cheap": [0.1, 0.1, 0.1],   # 0.1 a case
        "tests/a.py::test_mid": [0.5],
        "tests/a.py::test_dear": [2.0],
        "tests/b.py::test_only": [3.0],             # the only test of its file: kept whatever it costs
    }
    slow, kept, whole = slow_survey.choose(costs, budget=3.9)
    assert slow == ["tests/a.py::test_dear"]
    assert kept == pytest.approx(3.8) and whole == pytest.approx(5.8)
    slow, kept, _ = slow_survey.choose(costs, budget=3.3)
    assert slow == ["tests/a.py::test_dear", "tests/a.py::test_mid"]  # no cheaper test jumps a dearer one's place


def test_the_survey_writes_a_list_conftest_reads(tmp_path, monkeypatch):
    monkeypatch.setattr(slow_survey, "SLOW_LIST", tmp_path / "slow.txt")
    monkeypatch.setattr(conftest, "SLOW_LIST", tmp_path / "slow.txt")
    costs = {"tests/a.py::test_cheap": [0.1], "tests/a.py::test_dear": [2.0, 2.5]}
    slow_survey.write(costs, *slow_survey.choose(costs, budget=1.0), 1.0)
    text = (tmp_path / "slow.txt").read_text(encoding="utf-8")
    assert "tests/a.py::test_dear  # 2.25 s x 2" in text
    assert conftest.slow_functions() == {"tests/a.py::test_dear"}
