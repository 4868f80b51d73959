"""A kind added by a package of its own, with no edit to any file of nesa.

The package (made in a temporary folder, with the dist-info an installer
would write, declaring an entry point in the group ``nesa.kinds``) brings a
schema, a builder, one cross-file rule with its id, a describer and listing
columns. nesa then validates its files, lists them, tells their changes in
words and counts them in `nesa status`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import commit_at, make_repo

TRIP_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "School trip",
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "destination", "school", "date"],
    "properties": {
        "id": {"title": "Id", "type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"},
        "destination": {"title": "Destination", "type": "string", "minLength": 1},
        "school": {"title": "School", "type": "integer"},
        "date": {"title": "Date", "type": "string", "format": "date"},
        "pupils": {"title": "Pupils", "type": "integer", "minimum": 1, "maximum": 500},
    },
}

PACKAGE = '''
from dataclasses import dataclass
from pathlib import Path

from nesa_cli.kinds import Kind

KINDS = [Kind("trip", "data/trips", str(Path(__file__).parent / "trip.schema.json"), "id", plural="trips",
              builder="nesa_trips:build", rules=("nesa_trips.rules",), describe="nesa_trips:describe",
              area="trips", area_title="School trips", columns=(("Id", "id"), ("Destination", "destination"), ("School", "school")),
              label="destination")]


@dataclass(frozen=True)
class Trip:
    id: str
    destination: str
    school: int
    date: str
    path: str


def build(d, path):
    return Trip(d["id"], d["destination"], d["school"], d["date"], path)


def describe(fc, names):
    new, old = fc.new, fc.old
    where = (new or old)["destination"]
    if old is None:
        return [(where, f"New trip to {where} for {names(new['school'])}")]
    if new is None:
        return [(where, f"Trip to {where} cancelled")]
    if old.get("pupils") != new.get("pupils"):
        return [(where, f"Trip to {where}: {new.get('pupils')} pupils now going (was {old.get('pupils')})")]
    return [(where, f"Trip to {where} changed")]
'''

RULES = '''
from nesa_cli.diagnostics import WARNING, declare
from nesa_cli.validate.rules import Ctx, rule

RULE_IDS = declare({"trip-school": ("warning", "A trip for a school that is not a member of the alliance.")})


@rule
def trip_school(ctx: Ctx):
    for trip in ctx.model.records("trip").values():
        school = ctx.model.schools.get(trip.school)
        if school is None:
            yield ctx.at(trip.path, ("school",), WARNING, "trip-school", f"trip {trip.id}: no school with URN {trip.school}")
'''


@pytest.fixture
def plugin(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    pkg = site / "nesa_trips"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text(textwrap.dedent(PACKAGE), encoding="utf-8")
    (pkg / "rules.py").write_text(textwrap.dedent(RULES), encoding="utf-8")
    (pkg / "trip.schema.json").write_text(json.dumps(TRIP_SCHEMA, indent=2), encoding="utf-8")
    info = site / "nesa_trips-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: nesa-trips\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[nesa.kinds]\ntrips = nesa_trips\n", encoding="utf-8")
    return site


def nesa(repo: Path, site: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(site), "NESA_TODAY": "2026-11-23", "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "nesa_cli", "-C", str(repo), *args], capture_output=True, text=True, env=env)


def trip(repo: Path, ident: str, school: int, pupils: int, destination: str = "Kielder Observatory") -> None:
    folder = repo / "data" / "trips"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{ident}.yaml").write_text(
        f"id: {ident}\ndestination: {destination}\nschool: {school}\ndate: '2027-03-04'\npupils: {pupils}\n", encoding="utf-8")


def test_a_plugin_kind_validates_lists_diffs_and_shows_in_status(tmp_path, plugin):
    repo = make_repo(tmp_path / "alliance")
    trip(repo, "kielder-2027", 100001, 28)
    trip(repo, "bamburgh-2027", 999999, 30, destination="Bamburgh Castle")
    commit_at(repo, "2026-11-20", "Two trips")

    v = nesa(repo, plugin, "validate")
    assert v.returncode == 0, v.stdout + v.stderr  # a warning only
    assert "data/trips/bamburgh-2027.yaml:3:9: warning: trip bamburgh-2027: no school with URN 999999 [trip-school]" in v.stdout
    assert "trips/kielder" not in v.stdout

    (repo / "data/trips/kielder-2027.yaml").write_text("id: kielder-2027\ndestination: Kielder Observatory\nschool: 100001\n"
                                                      "date: '2027-03-04'\npupils: many\n", encoding="utf-8")
    bad = nesa(repo, plugin, "validate")
    assert bad.returncode == 1 and "data/trips/kielder-2027.yaml:5:9: error: pupils:" in bad.stdout and "[schema]" in bad.stdout
    subprocess.run(["git", "checkout", "-q", "--", "data/trips"], cwd=repo, check=True)

    listed = nesa(repo, plugin, "list", "trips", "--json")
    assert listed.returncode == 0, listed.stderr
    assert [r["destination"] for r in json.loads(listed.stdout)] == ["Bamburgh Castle", "Kielder Observatory"]

    trip(repo, "kielder-2027", 100001, 31)
    diff = nesa(repo, plugin, "diff")
    assert diff.returncode == 0, diff.stderr
    assert "School trips" in diff.stdout
    assert "Trip to Kielder Observatory: 31 pupils now going (was 28)" in diff.stdout

    status = nesa(repo, plugin, "status")
    assert status.returncode == 0, status.stderr
    assert "2 trips" in status.stdout


def test_without_the_plugin_its_files_are_unknown(tmp_path, plugin):
    repo = make_repo(tmp_path / "alliance")
    trip(repo, "kielder-2027", 100001, 28)
    v = nesa(repo, tmp_path / "empty-site", "validate")
    assert "data/trips/kielder-2027.yaml:1:1: warning:" in v.stdout and "[unknown-file]" in v.stdout
