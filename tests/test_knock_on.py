"""Knock-on errors (issue 23): a file with errors of its own gives its dependants
one "skipped" warning each, never false errors about it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from conftest import PROJECT, Memory, snapshot
from nesa_cli.store.cache import Cache
from nesa_cli.validate.run import load

FILES = snapshot(PROJECT)
SCHOOLS = sorted(int(Path(p).stem) for p in FILES if p.startswith("data/schools/"))


def errors(changes: dict[str, bytes]):
    result = load(Memory({**FILES, **changes}), cache=Cache(None))  # the sample, some files replaced
    return [d for d in result.diagnostics if d.severity == "error"], result.diagnostics


def _replace(path: str, pattern: str, new: str) -> dict[str, bytes]:
    text = FILES[path].decode()
    out, n = re.subn(pattern, new, text, count=1, flags=re.M)
    assert n == 1, (path, pattern)
    return {path: out.encode()}


def test_the_sample_is_clean():
    assert errors({})[0] == []


def test_a_typo_in_one_schools_phase_gives_exactly_one_error():
    errs, diags = errors(_replace("data/schools/122108.yaml", r"^phase: first$", "phase: frist"))
    assert [(d.path, d.rule) for d in errs] == [("data/schools/122108.yaml", "schema")]
    skipped = [d for d in diags if d.rule == "skipped"]
    assert skipped and all("122108" in d.message for d in skipped)
    assert len({d.path for d in skipped}) == len(skipped)  # once per dependant file


_BREAKS = st.sampled_from([
    (r"^phase: .*$", "phase: frist"),
    (r"^type: .*$", "type: comunity"),
    (r"^name: .*$", "name: [unclosed"),  # unreadable YAML: known by its file name
    (r"^laestab: .*$", "laestab: not-a-number"),
])


@settings(max_examples=12, deadline=None)
@given(st.sampled_from(SCHOOLS), _BREAKS)
def test_one_broken_school_file_gives_errors_only_in_itself(urn, brk):
    path = f"data/schools/{urn}.yaml"
    errs, _ = errors(_replace(path, *brk))
    assert errs and {d.path for d in errs} == {path}, [d.text() for d in errs]


@pytest.mark.parametrize("pattern,new", [
    (r"^financial_year_start_month: .*$", "financial_year_start_month: 13"),
    (r"^census_date: .*$", "census_date: soon"),
    (r"^name: .*$", "name: [unclosed"),
])
def test_a_broken_alliance_gives_no_meeting_person_errors(pattern, new):
    errs, diags = errors(_replace("data/alliance.yaml", pattern, new))
    assert not [d for d in errs if d.rule == "meeting-person"], [d.text() for d in errs]
    assert {d.path for d in errs} == {"data/alliance.yaml"}, [d.text() for d in errs]
    assert any(d.rule == "skipped" and d.path.startswith("data/meetings/") for d in diags)


def test_a_real_error_beside_a_broken_record_is_still_reported():
    """Only what involves the broken record is skipped: a misspelt person elsewhere still shows."""
    changes = _replace("data/schools/122108.yaml", r"^phase: first$", "phase: frist")
    meeting = next(p for p in FILES if p.startswith("data/meetings/") and b"minute_taker:" in FILES[p] and b"team:" in FILES[p])
    changes.update(_replace(meeting, r"^(minute_taker:\s*\{?\s*team:\s*)(\w+)", r"\g<1>nobodyatall"))
    errs, _ = errors(changes)
    assert any(d.path == meeting and d.rule == "meeting-person" for d in errs), [d.text() for d in errs]
