"""Confidential (Part 2) business never reaches the digest or a change report:
an action minuted under a confidential item is named only as such, and an edit
to such an item's minutes is reported without its words."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from conftest import commit_at, edit
from nesa_cli.cli import app
from nesa_cli.meetings.model import CONFIDENTIAL_ACTION

runner = CliRunner()
MEETING = "data/meetings/2026-10-14-strategic-board.yaml"
SECRET_ACTION = "Confirm the deputy head's secondment terms"
SECRET_NOTES = "long-term leadership absence"


def nesa(repo: Path, *args: str, today: str = "2026-12-02"):
    r = runner.invoke(app, ["-C", str(repo), "--today", today, *args], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return r.stdout


def test_the_digest_names_a_part2_action_only_as_such(sample, tmp_path):
    html = tmp_path / "digest.html"
    text = nesa(sample, "digest", "--html", str(html))
    data = json.loads(nesa(sample, "digest", "--json"))
    row = next(a for a in data["due"]["overdue_actions"] if a["confidential"])
    assert row["text"] == CONFIDENTIAL_ACTION and row["owner"] == "James Okafor" and row["days"] == 12
    for shown in (text, html.read_text(encoding="utf-8"), json.dumps(data)):
        assert SECRET_ACTION not in shown
    assert f"{CONFIDENTIAL_ACTION} (James Okafor; due 20 November 2026, 12 days overdue; Strategic Board, 14 October 2026)" in text
    # an action under an open item keeps its words, and the meeting its date in the one document style
    assert "Circulate contribution letters to governing bodies (Siobhan Brennan; due 6 November 2026" in text
    assert "14 Oct 2026" not in text


def test_an_edit_to_part2_minutes_is_reported_without_its_words(sample):
    edit(sample, MEETING, SECRET_NOTES, "long-term leadership absence (now expected to last until Easter)")
    edit(sample, MEETING, "The chair reported that two venues", "The chair firmly reported that two venues")
    text = (sample / MEETING).read_text(encoding="utf-8")
    (sample / MEETING).write_text(text + "  - action: Write to the chair about the interim head's contract\n"
                                  "    owner: {team: jokafor}\n    due: 2026-12-20\n    status: open\n    item: 4\n",
                                  encoding="utf-8")
    commit_at(sample, "2026-12-01", "Minutes of October corrected")
    for args in (["diff", "HEAD~1..HEAD"], ["digest", "--since", "7d"]):
        out = nesa(sample, *args)
        assert "interim head's contract" not in out and "until Easter" not in out, args
        assert "an action under a confidential item" in out, args
    diff = nesa(sample, "diff", "HEAD~1..HEAD")
    assert "the minutes of a confidential item updated (Part 2: not shown)" in diff
    assert "The chair firmly reported" in diff  # an open item's discussion is still said in words


def test_an_item_made_confidential_does_not_show_its_old_minutes(sample):
    edit(sample, MEETING, "    lead: {team: rhall}\n    notes: |\n      The chair reported that two venues",
         "    lead: {team: rhall}\n    confidential: true\n    notes: |\n      The chair reported that two venues")
    edit(sample, MEETING, "Druridge Bay Centre was preferred", "a venue was preferred")
    commit_at(sample, "2026-12-01", "Conference venue is commercially sensitive")
    out = nesa(sample, "diff", "HEAD~1..HEAD")
    assert "Druridge Bay" not in out and "a venue was preferred" not in out
    assert "(Part 2: not shown)" in out


def test_actions_list_names_a_part2_action_only_as_such_unless_confidential():
    """nesa actions list, like the digest and the actions log: an action under a confidential item
    shows its owner and due date, in the one wording, its text only with --confidential."""
    from conftest import PROJECT

    def listed(*args):
        r = runner.invoke(app, ["-C", str(PROJECT), "--today", "2026-12-02", "actions", "list", *args], catch_exceptions=False)
        assert r.exit_code == 0, r.output
        return r.stdout

    rows = {r["id"]: r for r in json.loads(listed("--json"))}
    secret = rows["2026-10-14-strategic-board#4"]
    assert (secret["action"], secret["owner"], secret["due"], secret["confidential"]) == (
        CONFIDENTIAL_ACTION, "James Okafor", "2026-11-20", True)
    assert rows["2026-10-14-strategic-board#1"]["confidential"] is False
    for args in ([], ["--csv"], ["--all"]):
        assert SECRET_ACTION not in listed(*args), args
    assert "1 action from confidential (Part 2) items: the text only with --confidential." in listed()
    assert "not for publication" in listed("--confidential")
    assert {r["id"]: r["action"] for r in json.loads(listed("--json", "--confidential"))}["2026-10-14-strategic-board#4"].startswith(SECRET_ACTION)
