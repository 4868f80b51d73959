"""Strict YAML loading: positive/ files load clean, negative/ files report
the rule and place named in their first line (``# expect: rule line:col``)."""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path

import pytest

from nesa_cli.load import load_bytes

HERE = Path(__file__).parent / "fixtures" / "yaml"
POSITIVE = sorted((HERE / "positive").glob("*.yaml"))
NEGATIVE = sorted((HERE / "negative").glob("*.yaml"))
# Files whose bytes cannot carry an "# expect:" line.
NO_HEADER = {"utf16.yaml": ("yaml-encoding", 1, 1), "empty.yaml": ("yaml-empty", 1, 1), "whitespace.yaml": ("yaml-empty", 1, 1)}


def _expected(path: Path) -> tuple[str, int, int]:
    if path.name in NO_HEADER:
        return NO_HEADER[path.name]
    first = path.read_bytes().split(b"\n", 1)[0].decode("utf-8", "replace").lstrip("\ufeff")
    rule, place = first.split("expect:", 1)[1].split()
    line, col = place.split(":")
    return rule, int(line), int(col)


@pytest.mark.parametrize("path", POSITIVE, ids=lambda p: p.name)
def test_positive_files_load_without_problems(path: Path):
    doc = load_bytes(path.name, path.read_bytes())
    assert doc.problems == []
    assert isinstance(doc.data, dict)


@pytest.mark.parametrize("path", NEGATIVE, ids=lambda p: p.name)
def test_negative_files_report_rule_at_place(path: Path):
    rule, line, col = _expected(path)
    doc = load_bytes(path.name, path.read_bytes())
    found = [(p.rule, p.line, p.col) for p in doc.problems]
    assert (rule, line, col) in found, found
    assert all(p.path == path.name for p in doc.problems)


def test_strict_scalars_never_change_type_silently():
    doc = load_bytes("x.yaml", (HERE / "positive" / "scalars.yaml").read_bytes())
    d = doc.data
    assert d["count"] == 12 and d["negative"] == -3
    assert d["money"] == Decimal("12.50") and isinstance(d["money"], Decimal)
    assert d["flag"] is True and d["nothing"] is None and d["tilde"] is None
    # YAML 1.1 would make these a date, False, 8 and 1000.0
    assert d["date_is_text"] == "2024-09-01"
    assert d["no_is_text"] == "no"
    assert d["octal_looking_is_text"] == "010"
    assert d["exponent_is_text"] == "1e3"
    assert d["quoted"] == "yes" and d["single"] == "it's"
    assert d["multiline"] == "line one\nline two\n"


def test_alias_bomb_is_refused_quickly_and_reported_once():
    raw = (HERE / "negative" / "billion-laughs.yaml").read_bytes()
    start = time.process_time()
    doc = load_bytes("b.yaml", raw)
    assert time.process_time() - start < 5  # generous: expansion would never finish
    assert [p.rule for p in doc.problems] == ["yaml-alias"]
    assert doc.data is None


def test_duplicate_key_reports_every_duplicate():
    doc = load_bytes("d.yaml", b"a: 1\nb: 2\na: 3\nb: 4\n")
    assert [(p.rule, p.line) for p in doc.problems] == [("yaml-duplicate-key", 3), ("yaml-duplicate-key", 4)]


def test_too_large_file_is_refused_without_parsing():
    doc = load_bytes("big.yaml", b"a: " + b"x" * (6 * 1024 * 1024) + b"\n")
    assert [p.rule for p in doc.problems] == ["yaml-too-large"]


def test_locate_points_at_values_and_keys():
    doc = load_bytes("l.yaml", b"# c\nouter:\n  list:\n    - a: 1\n      b: two\n")
    assert doc.locate(("outer", "list", 0, "b")) == (5, 10)
    assert doc.locate(("outer", "list", 0, "b"), key=True) == (5, 7)
    # a missing step falls back to the nearest existing node
    assert doc.locate(("outer", "missing")) == (3, 3)


@pytest.mark.parametrize("text", ["a: [", "a: 'x", "- a\nb: c", "a: b: c", "? [a\n", "%YAML 9.9\n---\na: 1"])
def test_syntax_errors_are_diagnostics_not_exceptions(text):
    doc = load_bytes("s.yaml", text.encode())
    assert doc.problems and doc.problems[0].rule.startswith("yaml-")
    assert doc.data is None


def test_keys_and_short_texts_are_shared_between_files():
    """A region's data fits in memory because repeated names are one string each."""
    a = load_bytes("data/policies/a.yaml", b"adoptions:\n  - {school: 100001, version: '1.0', body: Full governing body}\n")
    b = load_bytes("data/policies/b.yaml", b"adoptions:\n  - {school: 100002, version: '1.0', body: Full governing body}\n")
    (ka,), (kb,) = [list(d.data) for d in (a, b)]
    assert ka is kb
    ea, eb = a.data["adoptions"][0], b.data["adoptions"][0]
    assert [k for k in ea][1] is [k for k in eb][1]
    assert ea["version"] is eb["version"] and ea["body"] is eb["body"]
    long_text = "x" * 200
    c = load_bytes("c.yaml", f"a: {long_text}\n".encode())
    assert c.data["a"] == long_text


def test_the_cache_does_not_copy_data_without_decimals():
    from decimal import Decimal

    from nesa_cli.store.entries import freeze as _freeze, thaw as _thaw

    plain_data = {"adoptions": [{"school": 1, "version": "1.0"}], "t": ("a", 1)}
    found: list[bool] = []
    assert _freeze(plain_data, found) is plain_data and not found
    money = {"rows": [{"amount": Decimal("1.50")}, {"name": "x"}]}
    frozen = _freeze(money, found)
    assert found and frozen is not money and frozen["rows"][1] is money["rows"][1]
    assert _thaw(frozen) == money and money["rows"][0]["amount"] == Decimal("1.50")


# --- Nesting depth, whichever libyaml is installed --------------------------
# libyaml 0.2.5 (and PyYAML's pure-Python parser) hand out parse events as
# they go, so the check sees the 65th level itself. libyaml 0.2.6 stops deep
# flow collections in its scanner, which reads ahead to the end of the line
# before the parser emits that line's events. Both must give one diagnostic.

import yaml as _pyyaml
from hypothesis import given, settings, strategies as st

from nesa_cli import load as _load
from nesa_cli import nesting as _nesting


def _pure_events(text):
    return _pyyaml.parse(text, Loader=_pyyaml.SafeLoader)


def _overflow_line(text):
    depth = 0
    for event in _pure_events(text):
        if isinstance(event, (_pyyaml.MappingStartEvent, _pyyaml.SequenceStartEvent)):
            depth += 1
            if depth > _nesting.MAX_DEPTH:
                return event.start_mark.line
        elif isinstance(event, (_pyyaml.MappingEndEvent, _pyyaml.SequenceEndEvent)):
            depth -= 1
    return None


def _libyaml_026_events(text):
    """Events as libyaml 0.2.6 gives them: its scanner reads ahead from the
    first flow collection on the line where nesting runs past the limit (each
    one might be a key), so that and later events never come; its error
    names a later column."""
    stop = _overflow_line(text)
    starts = (_pyyaml.MappingStartEvent, _pyyaml.SequenceStartEvent)
    for event in _pure_events(text):
        if stop is not None and event.start_mark.line >= stop and isinstance(event, starts) and event.flow_style:
            mark = _pyyaml.Mark("<unicode string>", 0, stop, 1002, None, None)
            raise _pyyaml.scanner.ScannerError("while increasing flow level", mark, "exceeded maximum nesting depth", mark)
        yield event


def _too_deep_places(text):
    doc = _load.load_bytes("x.yaml", text.encode())
    return [(p.line, p.col) for p in doc.problems if p.rule == "yaml-too-deep"]


@pytest.mark.parametrize("events", [_pure_events, _libyaml_026_events], ids=["streaming-parser", "libyaml-0.2.6"])
@pytest.mark.parametrize("bounded", [True, False], ids=["compose-first", "check-first"])
def test_deep_nesting_fixture_is_too_deep_at_its_place_under_either_parser(monkeypatch, events, bounded):
    monkeypatch.setattr(_nesting, "_events", events)
    monkeypatch.setattr(_nesting, "bounded_parser", lambda: bounded)
    path = HERE / "negative" / "deep-nesting.yaml"
    assert _too_deep_places(path.read_text()) == [(2, 67)]


def test_an_unrelated_scanner_error_is_still_a_syntax_error(monkeypatch):
    monkeypatch.setattr(_nesting, "_events", _pure_events)
    doc = _load.load_bytes("x.yaml", ("x: " + "[" * 40 + "\ty: 'open\n" + "[" * 40).encode())
    assert "yaml-too-deep" not in [p.rule for p in doc.problems]
    assert doc.problems and doc.data is None


_piece = st.sampled_from(["[", "{k: ", "'a]b', ", '"c}\\"d", ', "x, ", "]", "}"])


@st.composite
def _nested(draw):
    """A block mapping some levels deep whose value is a flow collection with
    quoted brackets and commas; sometimes deeper than the limit."""
    block = draw(st.integers(0, 30))
    opens = draw(st.lists(st.sampled_from(["[", "{k: "]), min_size=1, max_size=90))
    filler = draw(st.lists(st.sampled_from(["'a]b', ", '"c}{d", ', "x, "]), max_size=3))
    head = "".join(f"{'  ' * i}k{i}:\n" for i in range(block))
    body = ""
    for o in opens:
        body += o + "".join(filler)
    closes = "".join("]" if o == "[" else "}" for o in reversed(opens))
    comment = draw(st.sampled_from(["", "  # [[[[ not nesting"]))
    return f"{head}{'  ' * block}v: {body}z{closes}{comment}\n"


@settings(max_examples=150, deadline=None)
@given(_nested())
def test_nesting_place_is_the_same_with_libyaml_026_and_a_streaming_parser(text):
    """Three ways to one answer: compose first (libyaml bounds nesting, the
    walker reports), or check events first with a streaming parser, or with
    libyaml 0.2.6's read-ahead."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_nesting, "bounded_parser", lambda: True)
        composed = _too_deep_places(text)
        mp.setattr(_nesting, "bounded_parser", lambda: False)
        mp.setattr(_nesting, "_events", _pure_events)
        streaming = _too_deep_places(text)
        mp.setattr(_nesting, "_events", _libyaml_026_events)
        scanner_stops = _too_deep_places(text)
    assert composed == streaming == scanner_stops
    assert bool(streaming) == (_overflow_line(text) is not None)
