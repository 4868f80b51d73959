"""Crafted input is diagnosed in time that grows with its size, not its square.

Every file within the size limit must be diagnosed in about a second
(benchmarks/ measures it); these tests prove the mechanisms that make it so:
problems are located through a per-mapping index built once, a file's schema
problems stop at a cap, and an edit refuses an oversized file before parsing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st
from typer.testing import CliRunner

from nesa_cli import load as _load
from nesa_cli.cli import app
from nesa_cli.edit import roundtrip
from nesa_cli.validate import schema as _schema

runner = CliRunner()
SCHOOL = "data/schools/122101.yaml"


def _validate(repo: Path):
    return runner.invoke(app, ["-C", str(repo), "validate", "--format", "json"])


def test_sixteen_thousand_unknown_keys_give_a_capped_list_of_problems(sample):
    path = sample / SCHOOL
    path.write_text(path.read_text() + "".join(f"unknown_key_{i}: {i}\n" for i in range(16000)))
    r = _validate(sample)
    assert r.exit_code == 1
    import json

    mine = [d for d in json.loads(r.stdout) if d["path"] == SCHOOL and d["rule"] == "schema"]
    assert len(mine) == _schema.MAX_PROBLEMS + 1
    first = next(d for d in mine if d["message"].startswith("unknown_key_0: unknown field"))
    assert first["line"] > 20  # its own line, not the top of the file
    assert any("more than 100 problems in this file" in d["message"] for d in mine)


def test_many_bad_list_items_stop_the_schema_check_early(sample, monkeypatch):
    """The reference validator is asked for at most MAX_PROBLEMS + 1 errors."""
    path = sample / "data/schools/122108.yaml"  # has no strengths of its own
    assert "\nstrengths:" not in path.read_text()
    path.write_text(path.read_text() + "strengths:\n" + "".join(f"  - {i}\n" for i in range(20000)))
    asked = []
    real = _schema.validator

    class Counting:
        def __init__(self, inner):
            self.inner = inner

        def iter_errors(self, data):
            for err in self.inner.iter_errors(data):
                asked.append(err)
                yield err

    monkeypatch.setattr(_schema, "validator", lambda name: Counting(real(name)))
    r = _validate(sample)
    assert r.exit_code == 1
    assert 0 < len(asked) <= _schema.MAX_PROBLEMS + 1 + 20  # the other files' few problems


@settings(max_examples=30, deadline=None)
@given(st.lists(st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True), min_size=1, max_size=60))
def test_the_key_index_finds_each_key_where_a_scan_would(keys):
    text = "".join(f"{k}: {i}\n" for i, k in enumerate(keys))
    doc = _load.load_bytes("x.yaml", text.encode())
    if doc.data is None:  # a repeated key: refused as a duplicate, nothing to locate
        assert any(p.rule == "yaml-duplicate-key" for p in doc.problems)
        return
    for i, k in enumerate(keys):
        assert doc.locate((k,)) == (i + 1, len(k) + 3)
        assert doc.locate((k,), key=True) == (i + 1, 1)


def test_each_mapping_is_indexed_once_however_many_problems_it_has():
    text = "top:\n" + "".join(f"  k{i}: {i}\n" for i in range(5000))
    doc = _load.load_bytes("x.yaml", text.encode())
    built = []
    real = _load.Document._keys

    def counting(self, node):
        if id(node) not in self.__dict__.get("_key_index", {}):
            built.append(id(node))
        return real(self, node)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_load.Document, "_keys", counting)
        places = [doc.locate(("top", f"k{i}")) for i in range(5000)]
    assert places[4999] == (5001, 10)  # "  k4999: " is 9 characters
    assert len(built) == 2  # the root mapping and "top"


def test_an_edit_refuses_an_oversized_file_before_parsing_it(monkeypatch):
    def no_parse(*a, **k):
        raise AssertionError("parsed an oversized file")

    monkeypatch.setattr(roundtrip, "_yaml", no_parse)
    raw = b"name: x\n" + b"#" * (_load.MAX_BYTES + 10)
    with pytest.raises(roundtrip.RoundTripError, match="at most 5 MiB"):
        roundtrip.load(raw, SCHOOL)


def test_an_oversized_file_is_refused_by_the_edit_command(sample):
    path = sample / SCHOOL
    path.write_bytes(path.read_bytes() + b"# " + b"x" * (_load.MAX_BYTES + 10) + b"\n")
    r = runner.invoke(app, ["-C", str(sample), "schools", "set", "122101", "phone=01670 123456"])
    assert r.exit_code in (1, 2)
    assert "Traceback" not in r.output
