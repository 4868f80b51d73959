"""Validation after a small edit reads only the edited files
(nesa_cli.validate.incremental) and answers exactly as a full validation.

Random edits to the sample alliance's school files, some to fields no
cross-file rule reads (the quick path), some to fields they do read (the full
path), some that break the file; after each, the answer with the cache is
compared with a validation that reads everything afresh.
"""

from __future__ import annotations

import random

import pytest

from conftest import edit
from nesa_cli.edit import roundtrip
from nesa_cli.store import WorkingTree
from nesa_cli.store.cache import Cache
from nesa_cli.validate.incremental import LEAF_CONTACT_FIELDS, LEAF_FIELDS, interface
from nesa_cli.validate.run import validate


def with_cache(root):
    result, _ = validate(WorkingTree(root))
    return result


def afresh(root):
    result, _ = validate(WorkingTree(root), cache=Cache(root, enabled=False))
    return result


def rows(result):
    return [(d.path, d.line, d.col, d.severity, d.rule, d.message) for d in result.diagnostics]


def test_an_edit_to_a_phone_number_reads_one_file_and_moves_the_warnings_in_it(sample):
    stale = "data/schools/122122.yaml"  # has a pupils-stale warning
    first = with_cache(sample)
    assert not first.incremental
    warning = [d for d in first.diagnostics if d.path == stale]
    assert [d.rule for d in warning] == ["pupils-stale"]
    doc = roundtrip.load((sample / stale).read_bytes())
    doc["phone"] = "01670 999999"
    (sample / stale).write_bytes(b"# checked with the school office\n# on the phone\n" + roundtrip.dump(doc))
    second = with_cache(sample)
    assert second.incremental
    moved = [d for d in second.diagnostics if d.path == stale]
    assert [(d.rule, d.line) for d in moved] == [("pupils-stale", warning[0].line + 2)]
    assert rows(second) == rows(afresh(sample))


def test_an_edit_the_rules_read_takes_the_full_path(sample):
    with_cache(sample)
    path = "data/schools/122122.yaml"
    doc = roundtrip.load((sample / path).read_bytes())
    doc["name"] = doc["name"] + " and Nursery"
    (sample / path).write_bytes(roundtrip.dump(doc))
    again = with_cache(sample)
    assert not again.incremental
    assert rows(again) == rows(afresh(sample))


def test_a_file_that_becomes_invalid_takes_the_full_path(sample):
    with_cache(sample)
    path = "data/schools/122122.yaml"
    edit(sample, path, "\nurn:", "\nphone: [not, a, phone]\nurn:")
    again = with_cache(sample)
    assert not again.incremental and again.errors
    assert rows(again) == rows(afresh(sample))
    # and back: the next run is quick again only once the last full run was clean for that file
    (sample / path).write_text((sample / path).read_text().replace("phone: [not, a, phone]\n", ""))
    assert rows(with_cache(sample)) == rows(afresh(sample))


def _mutate(rng: random.Random, doc) -> str:
    """One random edit; returns what kind it was."""
    choice = rng.randrange(9)
    if choice == 0:
        doc["phone"] = f"01{rng.randrange(100, 999)} {rng.randrange(100000, 999999)}"
        return "leaf"
    if choice == 1:
        doc["notes"] = rng.choice(["Call before visiting.", "New building from 2027.", "Line one\nline two"])
        return "leaf"
    if choice == 2 and doc.get("contacts"):
        c = rng.choice(doc["contacts"])
        c["email"] = f"office{rng.randrange(1000)}@example.org"
        return "leaf"
    if choice == 3 and doc.get("contacts"):
        c = rng.choice(doc["contacts"])
        c["title"] = rng.choice(["Mrs", "Dr", "Mr"])
        return "leaf"
    if choice == 4 and isinstance(doc.get("address"), dict):
        doc["address"]["street"] = f"{rng.randrange(1, 99)} New Road"
        return "leaf"
    if choice == 5 and doc.get("contacts"):
        c = rng.choice(doc["contacts"])
        c["name"] = c["name"] + " Jr"  # networks and meetings name people: the rules read this
        return "read"
    if choice == 6 and doc.get("membership"):
        doc["membership"][-1]["state"] = rng.choice(["member", "withdrawn", "consulting"])
        return "read"
    if choice == 7 and doc.get("pupils"):
        doc["pupils"][-1]["count"] = rng.randrange(20, 900)
        return "read"
    doc["capacity"] = rng.randrange(50, 1200)
    return "leaf"


@pytest.mark.slow
def test_random_edits_answer_as_a_full_validation(sample):
    rng = random.Random(7)
    schools = sorted(p.relative_to(sample).as_posix() for p in (sample / "data/schools").glob("*.yaml"))
    with_cache(sample)
    quick = 0
    for _ in range(40):
        for path in rng.sample(schools, rng.choice([1, 1, 1, 2, 3])):
            doc = roundtrip.load((sample / path).read_bytes())
            _mutate(rng, doc)
            data = roundtrip.dump(doc)
            if rng.random() < 0.4:
                data = b"# " + str(rng.random()).encode() + b"\n" * rng.randrange(1, 4) + data  # lines move
            (sample / path).write_bytes(data)
        result = with_cache(sample)
        quick += result.incremental
        assert rows(result) == rows(afresh(sample))
    assert quick >= 8  # the quick path was really taken, not only the full one


def test_what_the_rules_can_see_leaves_out_only_the_leaf_fields():
    data = {"urn": 1, "name": "A", "phone": "0", "notes": "n", "address": {"town": "T"},
            "contacts": [{"role": "headteacher", "name": "H", "email": "h@example.org", "private": ["email"]}]}
    assert interface(data) == {"urn": 1, "name": "A", "contacts": [{"role": "headteacher", "name": "H"}]}
    assert {"urn", "name", "membership", "pupils", "partnership", "type", "phase", "laestab", "contacts"}.isdisjoint(LEAF_FIELDS)
    assert {"name", "role"}.isdisjoint(LEAF_CONTACT_FIELDS)
