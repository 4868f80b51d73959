"""Day-one path (issue 23): `policies adopt POLICY A B` records B when A already adopted."""

from __future__ import annotations

import itertools

import pytest
import yaml

from conftest import git
from test_edit import nesa


@pytest.mark.parametrize("order", list(itertools.permutations(["100001", "100002", "100003"])))
def test_adopt_records_the_others_when_some_already_adopted(repo, order):
    assert nesa(repo, "policies", "publish", "safeguarding", "--version", "3.0", "--date", "2026-09-01").exit_code == 0
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "publish")
    first = order[0]
    assert nesa(repo, "policies", "adopt", "safeguarding", first, "--date", "2026-10-01").exit_code == 0
    r = nesa(repo, "policies", "adopt", "safeguarding", *order, "--date", "2026-10-02")
    assert r.exit_code == 0, r.output
    assert "already adopted" in r.output
    doc = yaml.safe_load((repo / "data/policies/safeguarding.yaml").read_text())
    v3 = [a["school"] for a in doc["adoptions"] if str(a["version"]) == "3.0"]
    assert sorted(v3) == sorted(int(u) for u in order)  # each once, none twice
    r = nesa(repo, "policies", "adopt", "safeguarding", *order, "--date", "2026-10-03")
    assert r.exit_code == 2 and "nothing to record" in r.output
