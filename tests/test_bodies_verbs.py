"""nesa bodies list / show / new / add-member / end-term / set / delete (issue 20): bodies edited
from the terminal like networks, with --dry-run and --commit, terms of office kept."""

from __future__ import annotations

import json

from conftest import git
from test_bodies import board, run


def committed(repo) -> str:
    return git(repo, "log", "-1", "--format=%s").strip()


def on(repo, day: str, *args: str):
    from test_bodies import runner
    from nesa_cli.cli import app

    return runner.invoke(app, ["-C", str(repo), "--today", day, *args])


def test_list_and_show(repo):
    board(repo)
    r = run(repo, "bodies", "list", "--json")
    assert r.exit_code == 0, r.output
    (row,) = json.loads(r.stdout)
    assert row["id"] == "improvement-board" and row["chair"] == "Dr Jo Indie" and row["on_body"] == 6
    assert row["quorum"] == "3 present (3 of 4 voting members)"
    rec = json.loads(run(repo, "bodies", "show", "improvement-board", "--all", "--json").stdout)
    names = [m["name"] for m in rec["members"]]
    assert "New Professor" in names and "Old Professor" not in names  # on the day, 23 Nov 2026
    assert {t["who"]: t["status"] for t in rec["terms"]}["Old Professor"] == "ended"
    assert run(repo, "bodies", "show", "Improvement").exit_code == 0  # part of the name
    bad = run(repo, "bodies", "show", "nosuch")
    assert bad.exit_code == 2 and "bodies: improvement-board" in bad.output


def test_new_body_with_a_rule_and_quorum_commits_only_its_file(repo):
    r = run(repo, "bodies", "new", "reference-group", "--name", "Headteacher Reference Group", "--rule", "heads",
            "--quorum", "1/2", "--purpose", "Heads test plans before the Board decides.", "--commit")
    assert r.exit_code == 0, r.output
    text = (repo / "data/bodies/reference-group.yaml").read_text(encoding="utf-8")
    assert "  - {rule: heads}" in text and "fraction: 1/2" in text
    assert committed(repo) == "New body: Headteacher Reference Group (body reference-group)"
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == ["data/bodies/reference-group.yaml"]
    again = run(repo, "bodies", "new", "reference-group", "--name", "X")
    assert again.exit_code == 2 and "already exists" in again.output
    assert run(repo, "bodies", "new", "x", "--name", "X", "--quorum", "half").exit_code == 2


def test_add_members_of_each_kind_and_dry_run_writes_nothing(repo):
    board(repo)
    before = (repo / "data/bodies/improvement-board.yaml").read_text(encoding="utf-8")
    r = run(repo, "bodies", "add-member", "improvement-board", "Prof. Lucy Tait", "--organisation", "Testshire University",
            "--role", "co-opted", "--from", "2027-01-01", "--to", "2027-12-31", "--dry-run")
    assert r.exit_code == 0, r.output
    assert "+  - {name: Prof. Lucy Tait, organisation: Testshire University, role: co-opted, from: 2027-01-01, to: 2027-12-31}" in r.output
    assert (repo / "data/bodies/improvement-board.yaml").read_text(encoding="utf-8") == before
    assert run(repo, "bodies", "add-member", "improvement-board", "100002:Ben Head", "--from", "2026-12-01").exit_code == 0
    assert run(repo, "bodies", "add-member", "improvement-board", "team:bsia", "--role", "observer").exit_code == 0
    text = (repo / "data/bodies/improvement-board.yaml").read_text(encoding="utf-8")
    assert "  - {school: 100002, name: Ben Head, role: member, from: 2026-12-01}" in text
    assert "  - {team: bsia, role: observer}" in text
    seats = json.loads(on(repo, "2026-12-02", "bodies", "show", "improvement-board", "--json").stdout)["members"]
    assert {"Ben Head", "Bea Adviser"} <= {m["name"] for m in seats}


def test_add_member_refusals(repo):
    board(repo)
    cases = [
        (["100002:Nobody Here"], "is not a contact at Beta Primary School"),
        (["team:zzz"], "no central-team member 'zzz'"),
        (["Someone"], "an outside member needs --organisation"),
        (["100001:Ann Head", "--role", "vice-chair"], "already on Testshire Education Improvement Board as vice-chair"),
        (["Someone", "--organisation", "X", "--role", "president"], "--role 'president'"),
        (["Someone", "--organisation", "X", "--from", "2027-01-01", "--to", "2026-01-01"], "ends 2026-01-01 before it starts"),
        ([], "say who"),
    ]
    for args, words in cases:
        r = run(repo, "bodies", "add-member", "improvement-board", *args)
        assert r.exit_code == 2 and words in " ".join(r.output.split()), (args, r.output)
    assert run(repo, "bodies", "add-member", "nosuch", "team:alead").exit_code == 2


def test_end_term_sets_to_and_keeps_the_history(repo):
    board(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "The board")
    r = run(repo, "bodies", "end-term", "improvement-board", "Pat Director", "--date", "2026-12-31", "--commit")
    assert r.exit_code == 0, r.output
    text = (repo / "data/bodies/improvement-board.yaml").read_text(encoding="utf-8")
    assert "{name: Pat Director, organisation: Testshire County Council, email: pat@testshire.example.org, to: 2026-12-31}" in text
    assert committed(repo).startswith("Testshire Education Improvement Board: Pat Director")
    after = json.loads(on(repo, "2027-01-05", "bodies", "show", "improvement-board", "--json").stdout)["members"]
    assert "Pat Director" not in {m["name"] for m in after}
    assert run(repo, "bodies", "end-term", "improvement-board", "team:alead").exit_code == 0
    # not serving (ended), or unknown: refused
    for who in ("Old Professor", "Nobody"):
        r = run(repo, "bodies", "end-term", "improvement-board", who)
        assert r.exit_code == 2 and "has no member serving" in r.output
    r = run(repo, "bodies", "end-term", "improvement-board", "Dr Jo Indie", "--date", "2025-01-01")
    assert r.exit_code == 2 and "after 2025-01-01" in r.output


def test_set_and_delete_through_the_generic_verbs(repo):
    board(repo)
    r = run(repo, "bodies", "set", "improvement-board", "quorum.count=4")
    assert r.exit_code == 0, r.output
    assert "quorum: {count: 4}" in (repo / "data/bodies/improvement-board.yaml").read_text(encoding="utf-8")
    assert run(repo, "bodies", "delete", "improvement-board").exit_code == 0
    assert not (repo / "data/bodies/improvement-board.yaml").exists()
