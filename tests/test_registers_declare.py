"""nesa registers declare: recording a member's declaration of interests in a body's register
(its interests:), through the edit machinery (validated, --dry-run, --commit, layout kept)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from conftest import git
from nesa_cli.cli import app

runner = CliRunner()
BOARD = "data/bodies/improvement-board.yaml"
STRATEGIC = "data/bodies/strategic-board.yaml"
NPQ = "Director, North East Teaching School Hub (delivers the alliance's NPQ courses)"


def run(repo: Path, *args: str):
    return runner.invoke(app, ["-C", str(repo), "--today", "2026-11-23", *args])


def register(repo: Path, body: str = "improvement-board") -> dict:
    r = run(repo, "registers", "interests", body, "--format", "json")
    assert r.exit_code == 0, r.output
    return {m["name"]: m for m in json.loads(r.stdout)["members"]}


def test_a_declaration_is_written_in_the_files_layout_and_shows_in_the_register(sample: Path):
    before = (sample / BOARD).read_text(encoding="utf-8")
    assert register(sample)["Lesley Pringle"]["status"] == "not declared"
    dry = run(sample, "registers", "declare", "improvement-board", "Pringle", "--interest", NPQ, "--date", "2026-11-20", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert f'+    business: ["{NPQ}"]' in dry.stdout and (sample / BOARD).read_text(encoding="utf-8") == before
    r = run(sample, "registers", "declare", "improvement-board", "Lesley Pringle", "--interest", NPQ, "--date", "2026-11-20", "--commit")
    assert r.exit_code == 0, r.output
    after = (sample / BOARD).read_text(encoding="utf-8")
    assert after == before + f'  - name: Lesley Pringle\n    declared: 2026-11-20\n    business: ["{NPQ}"]\n'  # comments and all kept
    assert git(sample, "log", "-1", "--format=%s") == "Declaration of interests: Lesley Pringle (improvement-board)\n"
    assert not git(sample, "status", "--porcelain", "data")
    mine = register(sample)["Lesley Pringle"]
    assert (mine["status"], mine["declared"], mine["interests"]) == ("declared", "2026-11-20", [{"kind": "Business", "interest": NPQ}])
    assert run(sample, "validate").exit_code == 0


def test_a_second_declaration_adds_to_the_first_and_replace_starts_afresh(sample: Path):
    r = run(sample, "registers", "declare", "improvement-board", "Graham Wilson", "--interest", "Chair, Hexham Rotary Club",
            "--nature", "governance")
    assert r.exit_code == 0, r.output
    assert '  - {name: Graham Wilson, declared: 2026-11-23, governance: ["Chair, Hexham Rotary Club"]}\n' in (sample / BOARD).read_text(encoding="utf-8")
    r = run(sample, "registers", "declare", "improvement-board", "Armstrong", "--interest", "Director, Fell Books Ltd")
    assert r.exit_code == 0, r.output
    kinds = [(i["kind"], i["interest"]) for i in register(sample)["Dr Helen Armstrong"]["interests"]]
    assert kinds[1] == ("Business", "Director, Fell Books Ltd") and ("Governance elsewhere", "Trustee, Tyne Coast Learning Trust") in kinds
    again = run(sample, "registers", "declare", "improvement-board", "Armstrong", "--interest", "Director, Fell Books Ltd")
    assert again.exit_code == 2 and "has already declared 'Director, Fell Books Ltd' (business)" in again.output
    none = run(sample, "registers", "declare", "improvement-board", "Armstrong")
    assert none.exit_code == 2 and "declared 3 interests on 2026-11-23: to declare none now, add --replace" in none.output
    assert run(sample, "registers", "declare", "improvement-board", "Armstrong", "--replace").exit_code == 0
    assert (register(sample)["Dr Helen Armstrong"]["status"], register(sample)["Dr Helen Armstrong"]["declared"]) == ("none declared", "2026-11-23")


def test_a_head_who_declared_at_the_old_urn_is_declared_at_the_school_as_it_is(sample: Path):
    """Usman Dodd declared at Newbiggin Sands' old URN (122339); the academy (149993) continues it."""
    r = run(sample, "registers", "declare", "strategic-board", "Usman Dodd", "--interest", "Trustee, Newbiggin Sands Academy Trust",
            "--nature", "governance")
    assert r.exit_code == 0, r.output
    text = (sample / STRATEGIC).read_text(encoding="utf-8")
    assert '{school: 149993, name: Usman Dodd, declared: 2026-11-23, governance: ["Trustee, Newbiggin Sands Academy Trust"]}' in text
    assert "122339, name: Usman Dodd" not in text


def test_unknown_body_or_person_is_refused_with_close_matches_and_nothing_written(sample: Path):
    before = (sample / BOARD).read_text(encoding="utf-8")
    body = run(sample, "registers", "declare", "improvment-board", "Pringle", "--interest", "x")
    assert body.exit_code == 2 and "no body matches 'improvment-board'. Did you mean: improvement-board?" in body.output
    person = run(sample, "registers", "declare", "improvement-board", "Lesly Pringle", "--interest", "x")
    assert person.exit_code == 2 and "no member matches 'Lesly Pringle'. Did you mean: Lesley Pringle?" in person.output
    clerk = run(sample, "registers", "declare", "improvement-board", "team:sbrennan", "--interest", "x")
    assert clerk.exit_code == 2 and "not the clerk or observers" in clerk.output
    nature = run(sample, "registers", "declare", "improvement-board", "Pringle", "--interest", "x", "--nature", "busines")
    assert nature.exit_code == 2 and "business" in nature.output
    assert (sample / BOARD).read_text(encoding="utf-8") == before
    assert "Traceback" not in body.output + person.output + clerk.output + nature.output


def test_the_result_is_validated_before_anything_is_written(sample: Path):
    before = (sample / BOARD).read_text(encoding="utf-8")
    r = run(sample, "registers", "declare", "improvement-board", "Pringle", "--interest", "Director\x07, Bell Ltd")
    assert r.exit_code == 1 and "improvement-board.yaml" in r.output  # the schema refuses control characters
    assert (sample / BOARD).read_text(encoding="utf-8") == before
