"""Hostile and random input never produces a traceback: loading and
validation turn everything into diagnostics, in bounded time."""

from __future__ import annotations

import pytest

import random
import string

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nesa_cli.kinds import KINDS
from nesa_cli.load import load_bytes
from nesa_cli.validate.schema import check

PIECES = ["urn: ", "name: ", "phase: ", "- ", "  ", "\n", ": ", "[", "]", "{", "}", "&a ", "*a", "!!python/object ", "<<: ",
          "'", '"', "#", "---\n", "...\n", "\t", "? ", "|\n", ">\n", "2024-09-01", "no", "010", "1e3", "~", "null",
          "\\x00", "é", "\u2028", "%YAML 1.1\n", "!tag ", ",", "-1", "0.5", "contacts:\n  - role: senco\n", "\ufeff"]
SCHEMAS = [k.schema for k in KINDS]


def _random_doc(rng: random.Random) -> bytes:
    parts = [rng.choice(PIECES) if rng.random() < 0.7 else rng.choice(string.printable) for _ in range(rng.randrange(0, 40))]
    raw = "".join(parts).encode("utf-8", "surrogatepass")
    if rng.random() < 0.05:
        raw = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 30)))
    return raw


def _survive(raw: bytes, schema: str) -> None:
    doc = load_bytes("fuzz.yaml", raw)
    for p in doc.problems:
        assert p.line >= 1 and p.col >= 1 and p.rule.startswith("yaml-")
    if isinstance(doc.data, dict) and doc.ok:
        for d in check(doc, schema):
            assert d.rule == "schema" and d.line >= 1


@pytest.mark.slow
def test_a_hundred_thousand_random_documents_never_raise():
    rng = random.Random(20261123)
    loaded = 0
    for i in range(100_000):
        raw = _random_doc(rng)
        _survive(raw, SCHEMAS[i % len(SCHEMAS)])
        loaded += 1
    assert loaded == 100_000


# Structured documents: real-looking records with wrong types and values.
scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12), st.text(max_size=30),
                    st.sampled_from(["2024-02-30", "NE61 1AA", "x@example.org", "http://x", "member", "first", "01670 123456"]))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)), max_leaves=12)
keys = st.sampled_from(["urn", "name", "phase", "type", "membership", "contacts", "pupils", "address", "id", "kind", "members",
                        "lead", "versions", "adoptions", "title", "area", "review_cycle_months", "short_name", "la_codes"])


@pytest.mark.slow
@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(keys, values, max_size=8), st.sampled_from(SCHEMAS))
def test_structured_random_records_are_diagnosed(record, schema):
    raw = yaml.safe_dump(record, allow_unicode=True).encode("utf-8")
    _survive(raw, schema)


@settings(max_examples=1500, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes_never_raise(raw):
    _survive(raw, "school.schema.json")
