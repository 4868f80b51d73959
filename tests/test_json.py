"""--json text: dumps() writes what json.dumps(plain(...)) would, for every kind of value a listing holds."""

from __future__ import annotations

import json

from nesa_cli.safetext import json_safe
from datetime import date
from decimal import Decimal

from hypothesis import given, strategies as st
import pytest

from nesa_cli.jsonout import dumps, plain
from nesa_cli.model import Contact, MembershipEvent

leaves = st.one_of(
    st.none(), st.booleans(), st.integers(), st.text(max_size=8),
    st.dates(), st.times(), st.decimals(allow_nan=False, allow_infinity=False, places=2),
    st.builds(MembershipEvent, st.sampled_from(["member", "withdrawn"]), st.dates()),
    st.builds(Contact, st.just("senco"), st.text(max_size=5), email=st.just("a@b.org"), mobile=st.just("07700 900123"),
              private=st.just(frozenset({"mobile"}))),
)
values = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.tuples(inner, inner),
        st.frozensets(st.integers(), max_size=4), st.frozensets(st.dates(), max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=5), st.integers()), inner, max_size=4),
    ),
    max_leaves=12,
)


@given(values)
def test_dumps_is_json_of_plain(value):
    # C1 and bidirectional characters are written as \\uXXXX escapes (nesa_cli.safetext): the same JSON value
    from nesa_cli.safetext import json_safe

    assert dumps(value) == json_safe(json.dumps(plain(value), indent=2, ensure_ascii=False))


flat = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(), st.dates(), st.datetimes(), st.times(),
                 st.decimals(allow_nan=False, allow_infinity=False))
text = st.one_of(st.text(max_size=6), st.sampled_from(["}", "{", "},\n    {", "}, {", "\n", "\"", "\\"]))
rows = st.lists(st.dictionaries(text, st.one_of(flat, text), max_size=6), max_size=6)
full_rows = st.lists(st.dictionaries(text, st.one_of(flat, text), min_size=1, max_size=6), max_size=6)


@given(rows)
def test_listing_rows_are_written_as_indented_json(value):
    """Rows of plain values (every listing) take the quick path: the same text, to the byte."""
    assert dumps(value) == json_safe(json.dumps(plain(value), indent=2, ensure_ascii=False))


@given(full_rows)
def test_rows_none_of_them_empty_are_written_as_indented_json(value):
    """(Rows none of them empty are written by a single call: braces inside text stay as they are.)"""
    assert dumps(value) == json_safe(json.dumps(plain(value), indent=2, ensure_ascii=False))


def test_keys_json_cannot_write_take_the_long_way():
    value = {date(2026, 9, 1): Decimal("1.50")}
    assert json.loads(dumps(value)) == {"2026-09-01": "1.50"}


def test_private_contact_fields_stay_out():
    c = Contact("senco", "Ann Lee", email="ann@school.org", mobile="07700 900123", private=frozenset({"mobile"}))
    assert "07700" not in dumps([c]) and "ann@school.org" in dumps([c])


@pytest.mark.shared_sample
def test_digest_json_on_the_sample_writes_times_as_text(sample):
    """Meetings coming up carry times of day; --json used to fail on them with a traceback."""
    from typer.testing import CliRunner

    from nesa_cli.cli import app

    r = CliRunner().invoke(app, ["-C", str(sample), "--today", "2026-11-23", "digest", "--json"], catch_exceptions=False)
    assert r.exit_code == 0
    starts = [m["start"] for m in json.loads(r.stdout)["upcoming"]]
    assert starts and all(len(s) == 5 and s[2] == ":" for s in starts)
