"""Edit commands: only the intended lines change, a refused edit writes
nothing, commits hold only the touched files, and a crash never leaves half
a file."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import PROJECT, commit_at, edit, git, snapshot
from nesa_cli.cli import app
from nesa_cli.edit import roundtrip
from nesa_cli.store import WorkingTree
from nesa_cli.validate.run import load

runner = CliRunner()
TODAY = "2026-11-23"


def nesa(repo: Path, *args: str):
    return runner.invoke(app, ["-C", str(repo), "--today", TODAY, *args], catch_exceptions=False)


def changed_lines(old: bytes, new: bytes) -> tuple[list[str], list[str]]:
    import difflib

    removed, added = [], []
    for line in difflib.ndiff(old.decode().splitlines(), new.decode().splitlines()):
        if line.startswith("- "):
            removed.append(line[2:])
        elif line.startswith("+ "):
            added.append(line[2:])
    return removed, added


def head(repo: Path) -> str:
    return git(repo, "rev-parse", "HEAD").strip()


# --- round trip -------------------------------------------------------------------------------


def _data_files():
    roots = [PROJECT / "data", PROJECT / "tests" / "fixtures" / "base" / "data"]
    return sorted(p for r in roots for p in r.rglob("*.yaml"))


@pytest.mark.slow
def test_noop_load_and_dump_is_byte_identical_for_every_shipped_file():
    files = _data_files()
    assert len(files) > 50
    for path in files:
        raw = path.read_bytes()
        assert roundtrip.dump(roundtrip.load(raw, str(path))) == raw, path


def test_appending_keeps_a_comment_above_the_entry_it_introduces():
    raw = b"a:\n  - x: 1  # eol\n# about b\nb: 1\n"
    doc = roundtrip.load(raw)
    roundtrip.append(doc["a"], {"x": 2})
    assert roundtrip.dump(doc) == b"a:\n  - x: 1  # eol\n  - x: 2\n# about b\nb: 1\n"


def test_a_value_used_twice_is_written_out_twice_not_as_an_alias():
    from datetime import date

    doc = roundtrip.load(b"a: []\n")
    day = date(2026, 1, 5)
    roundtrip.append(doc["a"], {"d": day})
    roundtrip.append(doc["a"], {"d": day})
    assert b"&" not in roundtrip.dump(doc) and b"*" not in roundtrip.dump(doc)


# --- schools set ------------------------------------------------------------------------------


def test_set_changes_only_the_intended_lines_and_keeps_comments(repo):
    edit(repo, "data/schools/100001.yaml", "name: Alpha First School\n", "name: Alpha First School  # as in GIAS\n# the phase is the three-tier name\n")
    edit(repo, "data/schools/100001.yaml", "  postcode: NE66 1AA\n", "  postcode: 'NE66 1AA'\n")
    commit_at(repo, "2026-01-01", "comments")
    before = snapshot(repo)
    r = nesa(repo, "schools", "set", "100001", "address.postcode=NE66 9ZZ", "capacity=120", "age_range.high=10")
    assert r.exit_code == 0, r.output
    after = snapshot(repo)
    path = "data/schools/100001.yaml"
    assert {k for k in after if after[k] != before[k]} == {path}
    removed, added = changed_lines(before[path], after[path])
    assert sorted(removed) == sorted(["  postcode: 'NE66 1AA'", "age_range: {low: 4, high: 9}"])
    assert sorted(added) == sorted(["age_range: {low: 4, high: 10}", "  postcode: 'NE66 9ZZ'", "capacity: 120"])
    text = after[path].decode()
    assert "# as in GIAS\n# the phase is the three-tier name\n" in text
    assert text.index("capacity: 120") > text.index("location:")  # schema order: after location, before pupils
    assert text.index("capacity: 120") < text.index("pupils:")
    assert "capacity: 50 -> 120" not in r.output and "capacity: (none) -> 120" in r.output


def test_set_coerces_by_the_schema(repo):
    r = nesa(repo, "schools", "set", "100002", "phone=01670 555111", "preferences.partners=100001,100003",
             "preferences.partnership_type=hard", "website=https://beta.example.org")
    assert r.exit_code == 0, r.output
    data = load(WorkingTree(repo)).documents["data/schools/100002.yaml"].data
    assert data["phone"] == "01670 555111"
    assert data["preferences"]["partners"] == [100001, 100003]
    raw = (repo / "data/schools/100002.yaml").read_text()
    assert 'phone: "01670 555111"' in raw and "partners: [100001, 100003]" in raw


@pytest.mark.parametrize("args,message", [
    (["phon=1"], "did you mean phone"),
    (["phase=primry"], "did you mean primary"),
    (["capacity=lots"], "not a whole number"),
    (["urn=100009"], "identity"),
    (["membership=member"], "nesa membership join"),
    (["nonsense"], "FIELD=VALUE"),
    (["contacts.9.email=a@example.org"], "no entry 9"),
])
def test_set_misuse_is_exit_2_and_writes_nothing(repo, args, message):
    before = snapshot(repo)
    r = nesa(repo, "schools", "set", "100001", *args)
    assert r.exit_code == 2, r.output
    assert message in r.output
    assert snapshot(repo) == before


@pytest.mark.parametrize("args,message", [
    (["networks", "set", "sencoes", "frequency=termly"], "no network 'sencoes'; did you mean sencos?"),
    (["networks", "add-member", "zzz", "100001", "--person", "Ann Lee"], "no network 'zzz'; known: "),
    (["policies", "set", "safeguardin", "review_cycle_months=24"], "no policy 'safeguardin'; did you mean safeguarding?"),
])
def test_unknown_network_or_policy_names_close_matches(repo, args, message):
    before = snapshot(repo)
    r = nesa(repo, *args)
    assert r.exit_code == 2, r.output
    assert message in r.output
    assert snapshot(repo) == before


def test_refused_edit_leaves_every_file_byte_identical(repo):
    before, commit = snapshot(repo), head(repo)
    r = nesa(repo, "schools", "set", "100001", "partnership=nowhere", "--commit")
    assert r.exit_code == 1
    assert "refused" in r.output and "[ref-partnership]" in r.output and "data/schools/100001.yaml:" in r.output
    assert snapshot(repo) == before
    assert head(repo) == commit
    r = nesa(repo, "schools", "set", "100001", "phone=12345")  # breaks the schema's pattern
    assert r.exit_code == 1 and "[schema]" in r.output
    assert snapshot(repo) == before


def test_existing_errors_elsewhere_do_not_block_an_unrelated_edit(repo):
    edit(repo, "data/schools/100003.yaml", "partnership: south", "partnership: nowhere")
    r = nesa(repo, "schools", "set", "100001", "capacity=99")
    assert r.exit_code == 0, r.output
    assert "1 error already in other files" in r.output
    r = nesa(repo, "schools", "set", "100003", "capacity=99")  # but the broken file itself must come out valid
    assert r.exit_code == 1 and "[ref-partnership]" in r.output


def test_private_values_are_not_echoed(repo):
    r = nesa(repo, "schools", "set", "100001", "contacts.1.mobile=07700 900999")
    assert r.exit_code == 0, r.output
    assert "07700" not in r.output and "not for circulation" in r.output


def test_unset_removes_a_field(repo):
    r = nesa(repo, "schools", "set", "100001", "--unset", "location")
    assert r.exit_code == 0, r.output
    assert "location" not in (repo / "data/schools/100001.yaml").read_text()


def test_dry_run_shows_the_diff_and_writes_nothing(repo):
    before = snapshot(repo)
    r = nesa(repo, "schools", "set", "100001", "capacity=77", "--dry-run")
    assert r.exit_code == 0
    assert "+capacity: 77" in r.output and "nothing written" in r.output
    assert snapshot(repo) == before


def test_json_result(repo):
    r = nesa(repo, "schools", "set", "100001", "capacity=77", "--json")
    out = json.loads(r.stdout)
    assert out["ok"] and out["written"] and out["paths"] == ["data/schools/100001.yaml"]
    assert out["changes"] == ["Alpha First School (100001): capacity: (none) -> 77"]


# --- commits and branches ---------------------------------------------------------------------------


def test_commit_holds_only_the_touched_file(repo):
    edit(repo, "data/schools/100002.yaml", "town: Morpeth", "town: Morpeth Town")  # unrelated, unstaged
    edit(repo, "data/schools/100003.yaml", "town: Hexham", "town: Hexham Town")
    git(repo, "add", "data/schools/100003.yaml")  # unrelated, staged
    r = nesa(repo, "schools", "set", "100001", "capacity=120", "--commit")
    assert r.exit_code == 0, r.output
    files = git(repo, "show", "--name-only", "--format=", "HEAD").split()
    assert files == ["data/schools/100001.yaml"]
    message = git(repo, "log", "-1", "--format=%B")
    assert message.startswith("Alpha First School (100001): capacity: (none) -> 120")
    status = git(repo, "status", "--porcelain")
    assert " M data/schools/100002.yaml" in status and "M  data/schools/100003.yaml" in status
    assert git(repo, "status", "--porcelain", "data/schools/100001.yaml") == ""


def test_commit_refused_when_the_file_already_has_uncommitted_changes(repo):
    edit(repo, "data/schools/100001.yaml", "town: Alnwick", "town: Alnwick Town")
    before = snapshot(repo)
    r = nesa(repo, "schools", "set", "100001", "capacity=120", "--commit")
    assert r.exit_code == 2
    assert "not committed" in r.output
    assert snapshot(repo) == before


def test_branch_creates_the_branch_and_commits_there(repo):
    r = nesa(repo, "membership", "join", "100003", "--date", "2026-12-01", "--branch", "rejoin-gamma")
    assert r.exit_code == 0, r.output
    assert git(repo, "branch", "--show-current").strip() == "rejoin-gamma"
    assert git(repo, "log", "-1", "--format=%s").strip() == "Gamma High School (100003) joins as a member on 2026-12-01"
    assert git(repo, "rev-parse", "main").strip() != head(repo)


@pytest.mark.parametrize("name", ["-x", "a..b", "has space", "rejoin-gamma"])
def test_bad_or_existing_branch_names_are_refused(repo, name):
    git(repo, "branch", "rejoin-gamma")
    before = snapshot(repo)
    r = nesa(repo, "schools", "set", "100001", "capacity=1", "--branch", name)
    assert r.exit_code == 2, r.output
    assert snapshot(repo) == before
    assert git(repo, "branch", "--show-current").strip() == "main"


# --- membership, networks, policies ---------------------------------------------------------------------


def test_withdraw_ends_network_memberships_the_same_day(repo):
    r = nesa(repo, "membership", "withdraw", "100002", "--date", "2026-12-31", "--reason", "Joining a trust")
    assert r.exit_code == 0, r.output
    school = (repo / "data/schools/100002.yaml").read_text()
    assert "  - state: withdrawn\n    date: 2026-12-31\n    reason: Joining a trust\n" in school
    net = (repo / "data/networks/sencos.yaml").read_text()
    assert "    person: Bo Senco\n    since: 2024-09-01\n    until: 2026-12-31\n" in net
    assert "SENCO Network: Bo Senco of Beta Primary School leaves on 2026-12-31" in r.output


def test_withdrawing_a_network_lead_is_refused_with_the_reason(repo):
    before = snapshot(repo)
    r = nesa(repo, "membership", "withdraw", "100001", "--date", "2026-12-31", "--reason", "Closing")
    assert r.exit_code == 1
    assert "[network-withdrawn-member]" in r.output and "name a new lead" in r.output
    assert snapshot(repo) == before


def test_join_twice_and_out_of_order_are_refused(repo):
    assert nesa(repo, "membership", "join", "100001").exit_code == 2  # already a member
    r = nesa(repo, "membership", "join", "100003", "--date", "2020-01-01")
    assert r.exit_code == 2 and "oldest first" in r.output


def test_join_an_ineligible_school_is_refused(repo):
    edit(repo, "data/schools/100003.yaml", "type: academy-converter", "type: independent")
    r = nesa(repo, "membership", "join", "100003", "--date", "2026-12-01")
    assert r.exit_code == 1 and "[eligibility]" in r.output


def test_network_add_and_remove_member(repo):
    r = nesa(repo, "networks", "add-member", "sencos", "100003", "--person", "Gus Senco", "--since", "2026-12-01")
    assert r.exit_code == 1 and "withdrawal is dated" in r.output  # a withdrawn school cannot rejoin a network
    r = nesa(repo, "networks", "add-member", "sencos", "100002", "--person", "Ben Head", "--since", "2026-12-01")
    assert r.exit_code == 0, r.output
    assert "  - school: 100002\n    person: Ben Head\n    role: member\n    since: 2026-12-01\n" in (repo / "data/networks/sencos.yaml").read_text()
    r = nesa(repo, "networks", "remove-member", "sencos", "100002")
    assert r.exit_code == 2 and "--person" in r.output  # two active members from that school
    r = nesa(repo, "networks", "remove-member", "sencos", "100002", "--person", "Bo Senco", "--date", "2026-12-02")
    assert r.exit_code == 0, r.output
    assert "    person: Bo Senco\n    since: 2024-09-01\n    until: 2026-12-02\n" in (repo / "data/networks/sencos.yaml").read_text()
    r = nesa(repo, "networks", "add-member", "sencoss", "100002", "--person", "x")
    assert r.exit_code == 2 and "did you mean sencos" in r.output


def test_policy_publish_and_adopt(repo):
    r = nesa(repo, "policies", "publish", "safeguarding", "--version", "3.0", "--date", "2026-09-01", "--summary", "KCSIE 2026")
    assert r.exit_code == 0, r.output
    r = nesa(repo, "policies", "adopt", "safeguarding", "100001", "Beta", "--date", "2026-10-01", "--body", "Full governing body")
    assert r.exit_code == 0, r.output
    text = (repo / "data/policies/safeguarding.yaml").read_text()
    assert '  - version: "3.0"\n    approved: 2026-09-01\n    summary: KCSIE 2026\nadoptions:' in text
    assert text.endswith('  - school: 100002\n    version: "3.0"\n    date: 2026-10-01\n    body: Full governing body\n')
    r = nesa(repo, "policies", "adopt", "safeguarding", "100001", "--date", "2026-08-01")
    assert r.exit_code == 2  # version 3.0 already adopted by 100001
    r = nesa(repo, "policies", "adopt", "safeguarding", "100003", "--date", "2026-08-01")
    assert r.exit_code == 1 and "[adoption-date]" in r.output  # before 3.0 was approved
    assert nesa(repo, "policies", "publish", "safeguarding", "--version", "3.0").exit_code == 2


# --- schools add, contacts, pupils ------------------------------------------------------------------------


def test_schools_add_writes_the_shipped_layout(repo):
    r = nesa(repo, "schools", "add", "100004", "--name", "Delta Middle School", "--phase", "middle-deemed-secondary",
             "--type", "community", "--town", "Morpeth", "--postcode", "ne61 1aa", "--laestab", "9291004",
             "--phone", "01670 500400", "--partnership", "north", "--set", "location.easting=420000",
             "--set", "location.northing=586000", "--low-age", "9", "--high-age", "13")
    assert r.exit_code == 0, r.output
    text = (repo / "data/schools/100004.yaml").read_text()
    assert text == (
        "# yaml-language-server: $schema=../../schemas/school.schema.json\n"
        "urn: 100004\nlaestab: 9291004\nname: Delta Middle School\nphase: middle-deemed-secondary\ntype: community\n"
        "age_range:\n  low: 9\n  high: 13\naddress:\n  town: Morpeth\n  postcode: NE61 1AA\n"
        "location:\n  easting: 420000\n  northing: 586000\nphone: \"01670 500400\"\npartnership: north\n"
        "membership:\n  - state: prospective\n    date: 2026-11-23\n")
    assert nesa(repo, "schools", "add", "100004", "--name", "x", "--phase", "first", "--type", "community",
                "--town", "x", "--postcode", "NE1 1AA").exit_code == 2
    r = nesa(repo, "schools", "add", "100005", "--name", "Epsilon", "--phase", "first", "--type", "independent",
             "--town", "x", "--postcode", "NE1 1AA", "--state", "member")
    assert r.exit_code == 1 and "[eligibility]" in r.output
    assert not (repo / "data/schools/100005.yaml").exists()


def test_contacts_and_pupils(repo):
    r = nesa(repo, "schools", "add-contact", "100002", "--role", "dsl", "--name", "Dee Lead", "--email", "dsl@beta.example.org",
             "--mobile", "07700 900555", "--private", "mobile")
    assert r.exit_code == 0, r.output
    assert "  - role: dsl\n    name: Dee Lead\n    email: dsl@beta.example.org\n    mobile: \"07700 900555\"\n    private: [mobile]\n" in (
        repo / "data/schools/100002.yaml").read_text()
    r = nesa(repo, "schools", "remove-contact", "100002", "Bo Senco")
    assert r.exit_code == 1 and "[ref-person]" in r.output  # still named in the SENCO network
    assert nesa(repo, "schools", "remove-contact", "100002", "Dee Lead").exit_code == 0
    r = nesa(repo, "schools", "pupils", "100002", "215", "--census", "2026-10-01")
    assert r.exit_code == 0, r.output
    r = nesa(repo, "schools", "pupils", "100002", "212", "--census", "2026-01-15")
    text = (repo / "data/schools/100002.yaml").read_text()
    assert "  - census_date: 2025-10-02\n    count: 210\n  - census_date: 2026-01-15\n    count: 212\n  - census_date: 2026-10-01\n    count: 215\n" in text


# --- meetings and actions ----------------------------------------------------------------------------------


def test_meetings_new_and_actions_done(repo):
    r = nesa(repo, "meetings", "new", "--body", "network:sencos", "--date", "2027-01-20", "--start", "15:45", "--end", "17:00",
             "--venue", "Morpeth", "--chair", "alead", "--item", "decision:Approve the SEND policy")
    assert r.exit_code == 0, r.output
    path = repo / "data/meetings/2027-01-20-network-sencos.yaml"
    text = path.read_text()
    assert text.startswith("# yaml-language-server: $schema=../../schemas/meeting.schema.json\nid: 2027-01-20-network-sencos\n")
    assert 'start: "15:45"\n' in text and "chair: {team: alead}\n" in text
    with path.open("a") as f:
        f.write("actions:\n  - action: Send the papers\n    owner: {team: alead}\n    due: 2027-01-13\n    status: open\n")
    r = nesa(repo, "actions", "list", "--json")
    assert [a["id"] for a in json.loads(r.stdout)] == ["2027-01-20-network-sencos#1"]
    r = nesa(repo, "actions", "done", "2027-01-20-network-sencos#1")
    assert r.exit_code == 0, r.output
    assert path.read_text().endswith("    status: done\n")
    assert nesa(repo, "actions", "done", "2027-01-20-network-sencos#1").exit_code == 2
    assert nesa(repo, "actions", "done", "2027-01-20-network-sencos#2").exit_code == 2
    assert nesa(repo, "actions", "done", "nonsense").exit_code == 2
    assert nesa(repo, "meetings", "new", "--body", "network:nope", "--date", "2027-01-20", "--start", "15:45",
                "--end", "17:00").exit_code == 2
    assert nesa(repo, "meetings", "new", "--body", "strategic-board", "--date", "2027-01-20", "--start", "17:45",
                "--end", "17:00").exit_code == 2


# --- the lock and crashes ----------------------------------------------------------------------------------------

PUPILS = r"""
import sys
from datetime import date
from pathlib import Path
from nesa_cli.edit import operations as ops
from nesa_cli.edit.transaction import run
root, year = Path(sys.argv[1]), int(sys.argv[2])
for day in range(1, 6):
    run(root, lambda tx: ops.record_pupils(tx, "100002", 100 + day, date(year, 1, day)), today=date(2026, 11, 23))
"""


def test_two_commands_at_once_lose_no_edit(repo):
    procs = [subprocess.Popen([sys.executable, "-c", PUPILS, str(repo), str(year)]) for year in (2030, 2031)]
    assert [p.wait() for p in procs] == [0, 0]
    text = (repo / "data/schools/100002.yaml").read_text()
    for year in (2030, 2031):
        for day in range(1, 6):
            assert f"census_date: {year}-01-0{day}\n" in text


@pytest.mark.slow
def test_killed_during_an_edit_leaves_the_old_or_the_new_file(repo):
    """A writer toggling a school file through the edit path is killed (SIGKILL)
    at random moments, 50 times: the file is always one whole version."""
    from nesa_cli.edit import operations as ops
    from nesa_cli.store.write import atomic_write

    path = repo / "data/schools/100001.yaml"
    doc = roundtrip.load(path.read_bytes())
    doc["notes"] = "x" * 1900  # a bigger file: more time spent inside each write
    old = roundtrip.dump(doc)
    ops._set(doc, "school", ["capacity"], 120)
    new = roundtrip.dump(doc)
    path.write_bytes(old)
    rng = random.Random(11)
    for _ in range(50):
        pid = os.fork()
        if pid == 0:  # child: toggle the file through the round trip as fast as it can
            try:
                i = 0
                while True:
                    d = roundtrip.load(path.read_bytes())
                    if "capacity" in d:
                        del d["capacity"]
                    else:
                        ops._set(d, "school", ["capacity"], 120)
                    atomic_write(path, roundtrip.dump(d))
                    i += 1
            finally:
                os._exit(0)
        time.sleep(rng.uniform(0.001, 0.03))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        data = path.read_bytes()
        assert data in (old, new)
        assert isinstance(roundtrip.load(data), dict)
    assert not load(WorkingTree(repo)).errors


def test_cli_json_equals_the_library_result(repo):
    from datetime import date

    from nesa_cli.edit import operations as ops
    from nesa_cli.edit.transaction import run
    from nesa_cli.jsonout import plain

    lib = run(repo, lambda tx: ops.set_fields(tx, "school", "data/schools/100001.yaml", 100001, [("capacity", "77")]),
              today=date(2026, 11, 23), dry_run=True, command="nesa schools set")
    r = nesa(repo, "schools", "set", "100001", "capacity=77", "--dry-run", "--json")
    assert json.loads(r.stdout) == plain(lib.as_dict())


def test_actions_list_json_equals_the_library_listing(repo):
    from nesa_cli.edit.operations import open_actions
    from nesa_cli.jsonout import plain

    (repo / "data/meetings").mkdir()
    (repo / "data/bodies").mkdir()
    (repo / "data/bodies/strategic-board.yaml").write_text(
        "# yaml-language-server: $schema=../../schemas/body.schema.json\nid: strategic-board\nname: Strategic Board\n"
        "membership:\n  - {rule: heads}\n")
    (repo / "data/meetings/2026-10-14-strategic-board.yaml").write_text(
        "# yaml-language-server: $schema=../../schemas/meeting.schema.json\nid: 2026-10-14-strategic-board\n"
        "uid: sb-2026-10-14@example.org\nbody: strategic-board\ndate: 2026-10-14\nstart: \"13:30\"\nend: \"15:30\"\n"
        "actions:\n  - action: Circulate the letters\n    owner: {team: alead}\n    due: 2026-11-06\n    status: open\n"
        "  - action: Book the venue\n    owner: {team: bsia}\n    status: done\n")
    result = load(WorkingTree(repo))
    assert result.errors == 0, [d.text() for d in result.diagnostics]
    r = nesa(repo, "actions", "list", "--json", "--all")
    assert json.loads(r.stdout) == plain(open_actions(result.model, None, True).json_rows())
    assert [a["id"] for a in json.loads(nesa(repo, "actions", "list", "--json").stdout)] == ["2026-10-14-strategic-board#1"]
