"""Engagement: attendance rate per school per network."""

from __future__ import annotations

import json

import pytest

from typer.testing import CliRunner

from nesa_cli.cli import app
from nesa_cli.meetings.engagement import engagement

runner = CliRunner()


@pytest.mark.shared_sample
def test_engagement_rates_and_flags(sample):
    r = runner.invoke(app, ["-C", str(sample), "--today", "2026-11-23", "engagement", "--network", "sencos", "--json"])
    assert r.exit_code == 0, r.output
    rows = {row["urn"]: row for row in json.loads(r.stdout)}
    assert rows[122101]["rate"] == 100 and rows[122101]["flag"] == ""
    assert rows[122115]["rate"] == 50 and rows[122115]["flag"] == "below threshold"
    assert rows[122122]["rate"] == 0
    from nesa_cli.validate.run import load
    from nesa_cli.store import WorkingTree

    lib = engagement(load(WorkingTree(sample)).model, "sencos").json_rows()
    assert json.loads(json.dumps(lib, default=str)) == json.loads(r.stdout)


@pytest.mark.shared_sample
def test_engagement_unknown_network(sample):
    r = runner.invoke(app, ["-C", str(sample), "engagement", "--network", "nope"])
    assert r.exit_code == 2
