"""Collaboration commands through the CLI, the activity rules and the shipped sample."""

from __future__ import annotations

import json
from datetime import date

import pytest

from typer.testing import CliRunner

from nesa_cli.cli import app
from nesa_cli.collab.broker import broker
from nesa_cli.collab.equity import equity
from nesa_cli.collab.impact import impact
from nesa_cli.jsonout import plain
from nesa_cli.store import WorkingTree
from nesa_cli.validate.run import load

runner = CliRunner()
DAY = date(2026, 11, 23)


def cli(repo, *args):
    return runner.invoke(app, ["-C", str(repo), "--today", DAY.isoformat(), *args], catch_exceptions=False)


def loaded(repo):
    return load(WorkingTree(repo))


ACTIVITY = """# yaml-language-server: $schema=../../schemas/activity.schema.json
id: {id}
title: Maths support
kind: school-to-school-support
lead:
  school: {lead}
  person: {person}
schools: [{schools}]
start: 2025-10-01
end: {end}
time:
  amount: 3
  unit: days
partnership: {partnership}
status: active
need: maths-mastery
"""


def add_activity(repo, id="maths-support", lead=100001, person="Ann Head", schools="100002", end="2025-12-01",
                 partnership="north"):
    folder = repo / "data" / "activities"
    folder.mkdir(exist_ok=True)
    (folder / f"{id}.yaml").write_text(ACTIVITY.format(id=id, lead=lead, person=person, schools=schools, end=end,
                                                       partnership=partnership), encoding="utf-8")


def codes(repo):
    return [d.rule for d in loaded(repo).diagnostics]


@pytest.mark.shared_sample
def test_sample_validates_and_has_activities(sample):
    result = loaded(sample)
    assert not [d for d in result.diagnostics if d.severity == "error"]
    assert 25 <= len(result.model.other["activity"]) <= 40
    prefs = [s for s in result.model.schools.values()
             if "preferences" in (result.documents[s.path].data or {})]
    assert len(prefs) >= 10


def test_activity_rules(repo):
    add_activity(repo)
    assert not {"ref-school", "ref-person", "activity-dates"} & set(codes(repo))
    add_activity(repo, id="bad", lead=100009, schools="100001", end="2025-09-01", partnership="nowhere")
    got = codes(repo)
    assert {"ref-school", "activity-dates", "ref-partnership"} <= set(got)
    add_activity(repo, id="bad", person="Nobody", schools="100001")
    got = codes(repo)
    assert "ref-person" in got and "activity-self" in got


def test_preference_rules(repo):
    p = repo / "data" / "schools" / "100001.yaml"
    p.write_text(p.read_text() + "preferences:\n  partners: [100001, 100077]\n  partnership_type: hard\n")
    got = codes(repo)
    assert "preference-self" in got and "ref-school" in got


@pytest.mark.shared_sample
def test_equity_cli_json_equals_library_and_plot(sample, tmp_path):
    r = cli(sample, "equity", "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.output) == plain(equity(loaded(sample).model, DAY))
    svg = tmp_path / "eq.svg"
    r = cli(sample, "equity", "--plot", str(svg), "--from", "2025-09-01", "--to", "2026-08-31")
    assert r.exit_code == 0 and "Gini" in r.output and "over" in r.output
    assert svg.read_text().startswith("<svg")
    assert cli(sample, "equity", "--by", "size").exit_code == 2
    assert cli(sample, "equity", "--from", "yesterday").exit_code == 2


@pytest.mark.shared_sample
def test_broker_cli(sample):
    r = cli(sample, "broker", "send", "--for", "122101", "--json")
    assert r.exit_code == 0
    rows = json.loads(r.output)
    assert rows == plain(broker(loaded(sample).model, DAY, "send", 122101).rows)
    assert rows and all(row["urn"] != 122101 and row["why"] for row in rows)
    assert cli(sample, "broker", "send", "--for", "999999").exit_code == 2
    r = cli(sample, "broker", "underwater-basket-weaving")
    assert r.exit_code == 0 and "No member school offers" in r.output


@pytest.mark.shared_sample
def test_impact_cli(sample):
    r = cli(sample, "impact", "2025", "--json")
    assert r.exit_code == 0
    rows = json.loads(r.output)
    assert rows == plain(impact(loaded(sample).model, DAY, "2025-26").rows)
    assert rows and all("2025-04-01" <= row["start"] <= "2026-03-31" for row in rows)
    by_id = {row["id"]: row for row in rows}
    # spend comes from the finance year's entries that name the activity (4200.00 release time) ...
    assert by_id["network-lead-maths-2025-26"]["spend"] == "4200.00"
    assert cli(sample, "impact", "2025-26", "--json").output == r.output
    assert cli(sample, "impact", "2026-28").exit_code == 2


def test_impact_without_finance_uses_activity_spend(sample):
    """With no finance file for the year, an activity's own recorded spend is shown, and the listing says why."""
    (sample / "data" / "finance" / "2025-26.yaml").unlink()
    listing = impact(loaded(sample).model, DAY, "2025")
    assert any("No finance data for 2025-26" in note for note in listing.notes)
    by_id = {row["id"]: row for row in listing.rows}
    assert str(by_id["support-curriculum-design-122101"]["spend"]) == "900.00"
    assert by_id["network-lead-maths-2025-26"]["spend"] is None


def test_propose_write_list_show(sample):
    r = cli(sample, "partnerships", "propose", "--json")
    assert r.exit_code == 0
    proposal = json.loads(r.output)
    members = {s.urn for s in loaded(sample).model.members_on(DAY)}
    assert sorted(u for g in proposal["groups"] for u in g["schools"]) == sorted(members)
    assert proposal == json.loads(cli(sample, "partnerships", "propose", "--json").output)  # deterministic
    r = cli(sample, "partnerships", "propose", "--write", "--size", "4..6")
    assert r.exit_code == 0 and "preferences met" in r.output and "written to data/proposals/" in r.output
    path = sample / "data" / "proposals" / "proposal-2026-11-23.yaml"
    assert path.exists()
    result = loaded(sample)
    assert not [d for d in result.diagnostics if d.severity == "error"]
    assert "proposal-2026-11-23" in cli(sample, "partnerships", "list").output
    r = cli(sample, "partnerships", "show", "proposal-2026-11-23")
    assert r.exit_code == 0 and "group-1" in r.output
    assert cli(sample, "partnerships", "show", "nope").exit_code == 2
    assert cli(sample, "partnerships", "propose", "--write").exit_code == 2  # exists already
    assert cli(sample, "partnerships", "propose", "--size", "50..60").exit_code == 2
    assert cli(sample, "partnerships", "propose", "--size", "x").exit_code == 2
