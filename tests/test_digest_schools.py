"""Per-school digests (issue 22): each member school's contact gets only what
concerns that school, once a week, through the same once-only sent-record;
a school nobody can be sent to is reported, and private addresses are never used."""

from __future__ import annotations

import email
import json
import re
import shutil
import subprocess
from collections import Counter
from email import policy
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import PROJECT, assert_golden, commit_at, edit
from nesa_cli.cli import app
from test_digest import serve, smtp, smtp_env  # noqa: F401  (smtp: a fixture)

runner = CliRunner()
TODAY = "2026-11-23"
BELLINGHAM, NEWSHAM, CHANTRY = 122220, 122262, 122150


def nesa(repo: Path, *args: str, env=None):
    return runner.invoke(app, ["-C", str(repo), "--today", TODAY, *args], env=env, catch_exceptions=False)


@pytest.fixture
def week(tmp_path: Path) -> Path:
    """The sample alliance, and a week of changes to some of its schools."""
    repo = tmp_path / "sample"
    shutil.copytree(PROJECT / "data", repo / "data")
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
    commit_at(repo, "2026-11-01", "The sample alliance", "Rachel Hall")
    edit(repo, "data/schools/122220.yaml", "    count: 97", "    count: 101")
    edit(repo, "data/schools/122262.yaml", "capacity: ", "capacity: 1")  # another school's change
    edit(repo, "data/meetings/2026-11-26-network-sencos.yaml", "agenda:",
         "actions:\n  - action: Send the SEND audit to the network\n    owner: {school: 122220, person: Ian Scott}\n"
         "    due: 2026-12-04\n    status: open\nagenda:")
    commit_at(repo, "2026-11-19", "Bellingham's census; an action for Bellingham", "Meera Patel")
    return repo


def school_lines(text: str) -> list[str]:
    return [ln for ln in text.splitlines() if ln.startswith("  - ")]


def test_one_schools_digest_golden(week, tmp_path):
    html_file = tmp_path / "b.html"
    r = nesa(week, "digest", "--school", "Bellingham", "--html", str(html_file))
    assert r.exit_code == 0, r.output
    text = r.output
    assert "For Bellingham Primary School: only what concerns your school." in text
    assert "Send the SEND audit to the network" in text  # its open action
    assert "NESA-2026-0047" in text and "Bellingham Primary School (£979.75)" in text  # its invoice, its contribution (on its new census)
    assert "pupils" in text.lower() and "97 -> 101" in text  # its change
    assert "Newsham" not in text and "Lewis Milburn" not in text  # nobody else's action, invoice or change
    assert "DATA CHECK" not in text and "leaves out" not in text
    assert_golden("digest/school-122220.txt", text)
    assert_golden("digest/school-122220.html", html_file.read_text(encoding="utf-8"))


def test_school_by_urn_and_json(week):
    r = nesa(week, "digest", "--school", str(NEWSHAM), "--json")
    d = json.loads(r.output)
    assert d["school"] == {"urn": NEWSHAM, "name": "Newsham Primary School"}
    assert [a["school"] for a in d["due"]["overdue_actions"]] == [NEWSHAM]
    assert d["change_count"] == 1  # its own change, not Bellingham's
    assert [i["text"] for g in d["changes"] for i in g["items"]] == ["Newsham Primary School: capacity 460 -> 1460"]


def test_unknown_school_is_a_usage_error(week):
    r = nesa(week, "digest", "--school", "Nowhere Academy")
    assert r.exit_code == 2 and "--school" in r.output and "Traceback" not in r.output


def team_and_schools(handler):
    out = {}
    for e in handler.envelopes:
        msg = email.message_from_bytes(e.content, policy=policy.default)
        out.setdefault(tuple(sorted(e.rcpt_tos)), []).append(msg)
    return out


def test_send_each_school_only_its_own_once(week, smtp):  # noqa: F811
    from nesa_cli.digest.schools import recipients
    from nesa_cli.store import WorkingTree
    from nesa_cli.validate.run import load
    from datetime import date

    model = load(WorkingTree(week)).model
    people, problems = recipients(model, date.fromisoformat(TODAY))
    assert not problems and len(people) == len(model.members_on(date.fromisoformat(TODAY)))
    handler, port = smtp()
    r = nesa(week, "digest", "--send", env=smtp_env(port))
    assert r.exit_code == 0, r.output
    got = team_and_schools(handler)
    team = [m for msgs in got.values() for m in msgs if " for " not in m["Subject"]]
    assert len(team) == 3  # the team digest: three section choices among its recipients
    schools = {p.email: p for p in people}
    for p in people:
        msgs = got[(p.email,)] if (p.email,) in got else []
        mine = [m for m in msgs if f" for {p.school}:" in m["Subject"]]
        assert len(mine) == 1, p
        body = mine[0].get_body(("plain",)).get_content()
        assert f"For {p.school}: only what concerns your school." in body
        others = [o.school for o in people if o.urn != p.urn and o.school in body and o.school not in p.school]
        assert not [o for o in others if not _mentioned_by_meeting(body, o)], (p.school, others)
        assert mine[0]["Auto-Submitted"] == "auto-generated" and mine[0]["List-Id"]
    assert ("l.straker@chantrymiddle.example.org",) in got  # the named contact, not the head
    assert ("head@chantrymiddle.example.org",) not in got
    assert sum(len(v) for v in got.values()) == 3 + len(schools)
    # every school's message names the school in the output; a second run sends nothing
    assert "(the digest of Bellingham Primary School (URN 122220))" in r.output
    again = nesa(week, "digest", "--send", env=smtp_env(port))
    assert again.exit_code == 0 and "sent:" not in again.output.replace("already sent:", "")
    assert len(handler.envelopes) == 3 + len(schools)


def _mentioned_by_meeting(body: str, school: str) -> bool:
    """Another school's name may appear only as a meeting's venue."""
    return all(re.search(r"^  - .*(at \d\d:\d\d: ).*" + re.escape(school), ln) for ln in body.splitlines() if school in ln)


def test_bellingham_gets_its_items_and_no_one_elses(week, smtp):  # noqa: F811
    handler, port = smtp()
    assert nesa(week, "digest", "--send", "--school", str(BELLINGHAM), env=smtp_env(port)).exit_code == 0
    assert [tuple(e.rcpt_tos) for e in handler.envelopes] == [("head@bellinghamprimary.example.org",)]
    body = email.message_from_bytes(handler.envelopes[0].content, policy=policy.default).get_body(("plain",)).get_content()
    assert "NESA-2026-0047" in body and "Send the SEND audit" in body
    assert not re.search(r"NESA-20\d\d-00(36|46|69|10|21|32|43|51|55|59|63)", body)  # other schools' invoices
    # the whole run then sends everyone else, and Bellingham not again
    r = nesa(week, "digest", "--send", env=smtp_env(port))
    assert r.exit_code == 0
    counts = Counter(tuple(e.rcpt_tos) for e in handler.envelopes)
    assert counts[("head@bellinghamprimary.example.org",)] == 1
    assert "already sent: week 2026-W48 to head@bellinghamprimary.example.org (the digest of Bellingham" in r.output


@pytest.mark.parametrize("change,reason", [
    (("data/schools/122220.yaml", "    email: head@bellinghamprimary.example.org\n", ""), "Karen Singh, its head, has no email address"),
    (("data/schools/122220.yaml", "    email: head@bellinghamprimary.example.org\n",
      "    email: head@bellinghamprimary.example.org\n    private: [email]\n"), "marked private"),
    (("data/schools/122220.yaml", "role: headteacher", "role: deputy-headteacher"), "no head among its contacts"),
    (("data/alliance.yaml", "name: Liam Straker", "name: Nobody Here"), "names Nobody Here, who is not among"),
])
def test_a_school_without_a_usable_contact_is_reported(week, smtp, change, reason):  # noqa: F811
    edit(week, *change)
    commit_at(week, "2026-11-20", "A contact problem", "Rachel Hall")
    handler, port = smtp()
    r = nesa(week, "digest", "--send", env=smtp_env(port))
    assert r.exit_code == 1, r.output
    assert "per-school digest not sent" in r.output and reason in r.output, r.output
    assert "head@bellinghamprimary.example.org" not in r.output or "no email" not in reason
    assert len(handler.envelopes) >= 40  # everyone else was sent theirs
    if "private" in reason:
        assert all("head@bellinghamprimary.example.org" not in e.rcpt_tos for e in handler.envelopes)
        assert "head@bellinghamprimary.example.org" not in r.output
        assert "head@bellinghamprimary" not in (week / ".nesa-state" / "digest-sent.json").read_text()


def test_disabled_sends_only_the_team_digest(week, smtp):  # noqa: F811
    edit(week, "data/alliance.yaml", "    enabled: true", "    enabled: false")
    commit_at(week, "2026-11-20", "No per-school digests", "Rachel Hall")
    handler, port = smtp()
    assert nesa(week, "digest", "--send", env=smtp_env(port)).exit_code == 0
    assert len(handler.envelopes) == 3
    r = nesa(week, "digest", "--send", "--school", "122220", env=smtp_env(port))
    assert r.exit_code == 2 and "not enabled" in r.output


def test_team_keys_are_unchanged_by_scopes():
    from nesa_cli.digest.send import group_key

    assert group_key("2026-W48", ["a@example.org"], ("due",)) == group_key("2026-W48", ["A@example.org"], ("due",))
    assert group_key("2026-W48", ["a@example.org"], ("due",)) != group_key("2026-W48", ["a@example.org"], ("due",), "school:122101")
    import hashlib

    assert group_key("2026-W48", ["a@example.org"], ("due",)) == "2026-W48:" + hashlib.sha256(b"a@example.org#due").hexdigest()[:12]


# --- a killed send resumes without duplicates ---------------------------------


@pytest.mark.slow
def test_killed_send_with_school_digests_resumes_without_duplicates(tmp_path):
    """``nesa digest --send`` killed at random moments, then run again: the
    team's and each school's digest arrive once (or, killed in the moment
    between recording the hand-over and the end mark, are reported)."""
    import random
    import time

    from conftest import BASE
    from nesa_cli.digest.send import NOT_CONFIRMED
    from test_digest_resume import Sender, SlowCollector

    repo = tmp_path / "small"
    shutil.copytree(BASE / "data", repo / "data")
    edit(repo, "data/alliance.yaml", "digest:\n", "digest:\n  per_school: {enabled: true}\n")
    edit(repo, "data/schools/100002.yaml", "  - role: headteacher\n", "  - role: headteacher\n    email: head@beta.example.org\n")
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
    commit_at(repo, "2025-11-18", "Data", "Alex Lead")
    groups = {("alex.lead@example.org",), ("head@alpha.example.org",), ("head@beta.example.org",)}
    handler = SlowCollector()
    ctl, port = serve(handler)
    sender = Sender(repo, handler, port)
    try:
        began = time.monotonic()
        out, err = sender.start().communicate(timeout=60)
        life = time.monotonic() - began
        assert sender.delivered() == Counter({g: 1 for g in groups}), (out, err)
        sending = min(handler.taken_at) - began - 0.05
        rng = random.Random(22)
        delays = [sending * rng.random() for _ in range(3)] + [sending + (life - sending) * (i + rng.random()) / 7 for i in range(7)]
        unconfirmed = 0
        for delay in delays:
            before, _, rerun = sender.kill_then_rerun(delay)
            assert rerun.returncode == 0, (delay, rerun.stdout, rerun.stderr)
            counts = sender.delivered()
            after = sender.records()
            where = f"killed after {delay:.2f}s of {life:.2f}s; records {after}; delivered {dict(counts)}"
            assert set(counts) <= groups and max(counts.values()) == 1, "sent twice: " + where
            assert set(after) == groups, where
            for g in groups:
                assert counts[g] == 1 or (after[g] == "handed-over" == before.get(g)), where
            if "handed-over" in after.values():
                assert NOT_CONFIRMED in rerun.stdout, where
                unconfirmed += 1
        assert unconfirmed >= 1  # some kills landed while the server held a message it had not yet answered
    finally:
        ctl.stop()


# --- the fast history reader says what GitPython's way says ---------------------


@pytest.mark.parametrize("seed", range(4))
def test_git_log_reader_matches_the_gitpython_walk(tmp_path, seed):
    """Random histories (edits, additions, deletions, renames, a data folder
    below the git top folder): the changes read from one ``git log --raw`` are
    exactly those read commit by commit through GitPython."""
    import random

    from conftest import BASE
    from nesa_cli.changes.walk import _commit_changes_slowly, _names, commit_changes

    rng = random.Random(seed)
    top = tmp_path / "top"
    repo = top / ("alliance" if seed % 2 else "")
    shutil.copytree(BASE / "data", repo / "data")
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=top, check=True)
    commit_at(top, "2025-11-01", "Start", "Alex Lead")
    schools = sorted((repo / "data/schools").glob("*.yaml"))
    for day in range(2, 9):
        for _ in range(rng.randint(1, 3)):
            move = rng.choice(["edit", "add", "delete", "rename"])
            live = sorted((repo / "data/schools").glob("*.yaml"))
            if move == "edit" and live:
                f = rng.choice(live)
                f.write_text(f.read_text(encoding="utf-8").replace("    count: ", f"    count: {rng.randint(1, 9)}", 1), encoding="utf-8")
            elif move == "add":
                src = rng.choice(schools)
                text = src.read_text(encoding="utf-8") if src.exists() else (BASE / "data/schools" / src.name).read_text(encoding="utf-8")
                urn = 100100 + rng.randint(0, 50)
                (repo / f"data/schools/{urn}.yaml").write_text(re.sub(r"(?m)^urn: \d+", f"urn: {urn}", text), encoding="utf-8")
            elif move == "delete" and len(live) > 1:
                rng.choice(live).unlink()
            elif move == "rename" and live:
                f = rng.choice(live)
                f.rename(f.with_name(f"1009{rng.randint(10, 99)}.yaml"))
        f = sorted((repo / "data/schools").glob("*.yaml"))[0]  # something changes every day
        f.write_text(re.sub(r"(?m)^    count: \d+", f"    count: {day}{rng.randint(10, 99)}", f.read_text(encoding="utf-8"), count=1), encoding="utf-8")
        commit_at(top, f"2025-11-{day:02d}", f"Day {day}", rng.choice(["Alex Lead", "Bea Adviser", "Zoë Ñame"]))
    names = _names(None)
    for kwargs in ({"since": "2025-11-04T00:00:00"}, {"base": "HEAD~5"}, {"since": "2025-10-01T00:00:00"}):
        fast = commit_changes(repo, **kwargs)
        slow = _commit_changes_slowly(repo, kwargs.get("since"), kwargs.get("base"), "HEAD", names, {})
        assert [c.as_dict() for c in fast] == [c.as_dict() for c in slow], kwargs
        assert fast, kwargs
