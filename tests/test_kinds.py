"""Placing a file by its path: kind_for gives the first kind whose rule matches."""

from __future__ import annotations

import pytest

from nesa_cli import kinds
from nesa_cli.kinds import KINDS, Kind, kind_for, register


def first_match(path: str):
    return next((k for k in KINDS if k.matches(path)), None)


PATHS = [
    "data/alliance.yaml", "data/alliance.yml", "data/schools/100001.yaml", "data/schools/100001.yml",
    "data/schools/sub/100001.yaml", "data/schools", "data/networks/sencos.yaml", "data/finance/2025-26.yaml",
    "data/finance/invoices/NESA-2025-0001.yaml", "data/finance/invoices/README.md", "data/meetings/x.yaml",
    "data/other.yaml", "data/README.md", "README.md", "alliance.yaml", "data/schools/.yaml", "",
]


@pytest.mark.parametrize("path", PATHS)
def test_kind_for_is_the_first_kind_that_matches(path):
    assert kind_for(path) is first_match(path)


def test_a_kind_registered_later_is_found(monkeypatch):
    monkeypatch.setattr(kinds, "KINDS", list(KINDS))
    assert kind_for("data/visits/v1.yaml") is None
    register(Kind("visit", "data/visits", "visit.schema.json", "id"))
    assert kind_for("data/visits/v1.yaml").name == "visit"
    # a single-file kind in a folder an earlier kind holds loses to it, as in KINDS order
    register(Kind("visit-index", "data/visits", "x.schema.json", None, file="data/visits/index.yaml"))
    assert kind_for("data/visits/index.yaml").name == "visit"
