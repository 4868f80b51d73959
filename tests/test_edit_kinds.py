"""Every kind can be created and changed from the terminal, through the
schema-driven verbs (new / set with = += -= --unset / delete) and the named
verbs built on them; each with the school edits' guarantees: a refused edit
or a dry run writes nothing, comments stay, messages say what to type."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import PROJECT, git, make_repo, snapshot
from nesa_cli.cli import app
from nesa_cli.store import WorkingTree
from nesa_cli.validate.run import load

runner = CliRunner()
TODAY = "2026-11-23"


def nesa(repo: Path, *args: str):
    return runner.invoke(app, ["-C", str(repo), "--today", TODAY, *args], catch_exceptions=False)


def errors(root: Path) -> list[str]:
    return [d.text() for d in load(WorkingTree(root)).diagnostics if d.severity == "error"]


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    return make_repo(tmp_path_factory.mktemp("pristine") / "sample", PROJECT)


@pytest.fixture
def sample_copy(tmp_path, pristine) -> Path:
    import shutil

    target = tmp_path / "s"
    shutil.copytree(pristine, target)
    return target


# --- the README's examples, in order ------------------------------------------------------


def readme_examples() -> list[tuple[int, list[str]]]:
    """The commands of the sh block after the README's "examples: run in order" marker."""
    lines = (PROJECT / "README.md").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if "examples: run in order" in line)
    assert lines[start + 1] == "```sh"
    out, pending, first = [], "", 0
    for number, line in enumerate(lines[start + 2:], start + 3):
        if line.startswith("```"):
            break
        if not pending:
            first = number
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        words = shlex.split(pending + line)
        pending = ""
        assert words[0] == "nesa", line
        out.append((first, words[1:]))
    return out


def test_the_readme_examples_create_and_change_every_kind(sample_copy):
    root = sample_copy
    for number, args in readme_examples():
        r = nesa(root, *args)
        assert r.exit_code == 0 and "Traceback" not in r.output, f"README.md:{number}: nesa {' '.join(args)}\n{r.output}"
    assert errors(root) == []
    used = {" ".join(a[:2]) for _, a in readme_examples()}
    # every kind in data/ is made and changed by a command shown there (schools: nesa schools add, above it)
    for made, changed in [("networks new", "networks set"), ("policies new", "policies delete"), ("meetings new", "meetings set"),
                          ("activities new", "activities set"), ("finance new", "finance set"), ("team add", "alliance set"),
                          ("invoices issue", "invoices issue"), ("schools set", "schools set")]:
        assert made in used and changed in used, (made, changed)
    school = load(WorkingTree(root)).model.schools[122108]
    assert [(s["area"], s["detail"], list(s["people"])) for s in school.strengths] == [
        ("maths-mastery", "Teaching for mastery, from Reception to Year 4", ["Nicola Wilson"])]
    assert [(n["area"], n["priority"]) for n in school.needs] == [("send", "high")]
    meeting = (root / "data/meetings/2027-01-20-network-early-years.yaml").read_text()
    assert "{school: 122108, person: Nicola Wilson, status: apologies-accepted}" in meeting
    assert "- Adopt the EYFS moderation calendar." in meeting and "owner: {team: rhall}" in meeting
    assert "- {date: 2026-11-23, stream: wellbeing, amount: \"450.00\"" in (root / "data/finance/2026-27.yaml").read_text()
    assert (root / "data/finance/2027-28.yaml").read_text().startswith("# yaml-language-server: $schema=../../schemas/finance-year.schema.json\nyear: \"2027-28\"\nfund:\n")
    assert git(root, "status", "--porcelain", "data/finance/invoices") == ""  # issued and committed
    assert (root / "data/policies/online-safety.yaml").exists()  # the delete was a dry run


# --- the original failure -------------------------------------------------------------------


def test_a_dotted_path_into_a_missing_list_makes_the_list(sample_copy):
    r = nesa(sample_copy, "schools", "set", "122108", "strengths.0.area=early-reading")
    assert r.exit_code == 0, r.output
    assert "strengths:\n  - area: early-reading\n" in (sample_copy / "data/schools/122108.yaml").read_text()
    r = nesa(sample_copy, "schools", "set", "122108", "strengths.3.area=send")
    assert r.exit_code == 2 and "there is no entry 3" in r.output and "there is 1" in r.output


# --- messages for a mistake: exit 2, nothing written ----------------------------------------


MISTAKES = [
    (["meetings", "set", "2026-10-14-strategic-board", "venu=Hall"], "did you mean venue?"),
    (["meetings", "set", "2026-10-14-strategic-board", "cancelled=maybe"], "write true or false"),
    (["meetings", "set", "2026-10-14-strategic-board", "actions.0.status=dun"], "did you mean done?"),
    (["meetings", "set", "2026-10-14-strategic-board", "actions.9.status=done"], "there is no entry 9"),
    (["meetings", "set", "2026-10-14-strategic-board", "decisions-=Nothing like it"], "has no entry"),
    (["meetings", "set", "2026-10-14-strategic-board", "id=other"], "cannot be set"),
    (["meetings", "set", "2026-10-14-stratgic-board", "venue=x"], "did you mean 2026-10-14-strategic-board"),
    (["meetings", "attend", "2026-10-14-strategic-board", "122101", "presnt"], "did you mean present?"),
    (["schools", "set", "122108", "strengths+=aera=send"], "did you mean"),
    (["schools", "set", "122108", "membership+=state=member"], "nesa membership join"),
    (["activities", "set", "cpd-new-sencos", "spend=12.345"], "pounds and pence"),
    (["networks", "new", "sencos", "--name", "X", "--kind", "role"], "already exists"),
    (["finance", "new", "2028-29"], "fund.name=... fund.account_holder.name=..."),
    (["finance", "spend", "10", "--stream", "contingncy", "--description", "x", "--year", "2026-27"], "did you mean contingency?"),
    (["finance", "recharge", "r", "--description", "d", "--provider", "122101", "--amount", "10", "--split", "hours",
      "--school", "122101"], "as URN:N"),
    (["team", "add", "rhall", "--name", "R", "--role", "lead"], "already has a central-team member 'rhall'"),
    (["actions", "add", "2026-10-14-strategic-board", "x", "--owner", "rhall", "--due", "soon"], "not a date"),
    (["networks", "set", "sencos", "'members+={school: 1, person: [a'"], "not a flow mapping"),
]


@pytest.mark.parametrize("argv,message", MISTAKES, ids=lambda v: " ".join(v[:2]) if isinstance(v, list) else None)
def test_a_mistake_is_exit_2_with_a_useful_message_and_writes_nothing(pristine, argv, message):
    before = snapshot(pristine)
    r = nesa(pristine, *[a.strip("'") for a in argv])
    assert r.exit_code == 2, r.output
    assert message in r.output and "Traceback" not in r.output, r.output
    assert snapshot(pristine) == before


UNSAFE = ["../../etc/x", "a/b", "..", "sub\\x"]


@pytest.mark.parametrize("ident", UNSAFE)
@pytest.mark.parametrize("group", ["networks", "policies", "meetings", "activities", "finance"])
def test_an_id_that_leaves_the_folder_is_refused_by_every_verb(pristine, group, ident):
    before = snapshot(pristine)
    for verb in (["set", ident, "notes=x"], ["delete", ident], ["new", ident, "name=x"]):
        r = nesa(pristine, group, *verb)
        if r.exit_code == 2 and "No such command" in r.output:
            continue  # the group has no such verb
        assert r.exit_code == 2 and "Traceback" not in r.output, (group, verb, r.output)
    assert snapshot(pristine) == before


# --- refused by validation: exit 1, file:line, nothing written -------------------------------


def test_an_edit_that_would_not_validate_is_refused_with_the_line_of_the_result(pristine):
    before = snapshot(pristine)
    r = nesa(pristine, "meetings", "set", "2026-10-14-strategic-board", "chair.team=nobody")
    assert r.exit_code == 1, r.output
    assert re.search(r"data/meetings/2026-10-14-strategic-board\.yaml:\d+:\d+: error", r.output), r.output
    assert "nothing was written" in r.output
    r = nesa(pristine, "activities", "delete", "cpd-early-reading-2026")  # finance spend names it
    assert r.exit_code == 1 and "cpd-early-reading-2026" in r.output, r.output
    assert snapshot(pristine) == before


# --- dry runs, comments, deletion, commits ----------------------------------------------------


@pytest.mark.parametrize("argv", [
    ["alliance", "set", "census_date=2026-10-01"],
    ["meetings", "decide", "2026-10-14-strategic-board", "A decision"],
    ["finance", "confirm", "122346", "--date", "2026-11-20", "--minute", "FGB 1/26", "--year", "2026-27"],
    ["activities", "delete", "sports-festival-2026"],
    ["policies", "new", "p", "--title", "T", "--area", "send", "--approved", "2026-11-20"],
])
def test_a_dry_run_leaves_every_file_byte_identical(pristine, argv):
    before = snapshot(pristine)
    r = nesa(pristine, *argv, "--dry-run")
    assert r.exit_code == 0 and "nothing written" in r.output, r.output
    assert snapshot(pristine) == before


def test_comments_and_layout_are_kept(sample_copy):
    r = nesa(sample_copy, "alliance", "set", "census_date=2026-10-01", "la_codes+=931")
    assert r.exit_code == 0, r.output
    text = (sample_copy / "data/alliance.yaml").read_text()
    assert "census_date: 2026-10-01  # autumn 2025 census, used for 2026-27 contributions" in text
    assert re.search(r"\nla_codes: \[929, 931\] +# Northumberland County Council\n", text)
    r = nesa(sample_copy, "partnerships", "add", "cheviot", "--name", "Cheviot", "--type", "loose")
    text = (sample_copy / "data/alliance.yaml").read_text()
    assert "    link: mpatel\n    description: Two-tier and special schools in Ashington, Bedlington, Newbiggin and Stakeford\n" \
           "  - id: cheviot\n    name: Cheviot\n    type: loose\n\n# Where this data can be read on the web" in text


def test_a_deletion_is_validated_written_and_committed(sample_copy):
    r = nesa(sample_copy, "activities", "delete", "sports-festival-2026", "--commit")
    assert r.exit_code == 0, r.output
    assert not (sample_copy / "data/activities/sports-festival-2026.yaml").exists()
    assert git(sample_copy, "status", "--porcelain") .strip() in ("", "?? .nesa-lock")
    assert "D\tdata/activities/sports-festival-2026.yaml" in git(sample_copy, "show", "--name-status", "--format=", "HEAD")


def test_a_journal_that_removes_a_file_is_finished_by_the_next_command(sample_copy):
    import base64
    import json

    from nesa_cli.store.journal import JOURNAL, recover

    gone = "data/activities/sports-festival-2026.yaml"
    new = "data/activities/cpd-new-sencos.yaml"
    payload = {"version": 1, "files": {new: base64.b64encode(b"x: 1\n").decode()}, "removed": [gone]}
    (sample_copy / JOURNAL).parent.mkdir(exist_ok=True)
    (sample_copy / JOURNAL).write_text(json.dumps(payload))
    assert recover(sample_copy) == sorted([gone, new])
    assert not (sample_copy / gone).exists() and (sample_copy / new).read_bytes() == b"x: 1\n"
    (sample_copy / JOURNAL).write_text(json.dumps({"version": 1, "files": {}, "removed": ["../outside.txt"]}))
    (sample_copy / "outside.txt").write_text("keep")
    from nesa_cli.store.journal import JournalError

    with pytest.raises(JournalError):
        recover(sample_copy)
    assert (sample_copy / "outside.txt").read_text() == "keep"


def test_invoices_commit_only_their_files_and_refuse_a_dirty_one(sample_copy):
    (sample_copy / "notes.txt").write_text("not mine")
    r = nesa(sample_copy, "finance", "confirm", "122346", "--date", "2026-11-20", "--minute", "FGB 1/26", "--year", "2026-27", "--commit")
    assert r.exit_code == 0, r.output
    r = nesa(sample_copy, "invoices", "issue", "2026-27", "--commit")
    assert r.exit_code == 0 and "committed" in r.output, r.output
    shown = git(sample_copy, "show", "--name-only", "--format=", "HEAD").split()
    assert shown and all(p.startswith("data/finance/invoices/") for p in shown)
    number = Path(shown[0]).stem
    path = sample_copy / shown[0]
    path.write_text(path.read_text() + "# a hand note\n")
    before = snapshot(sample_copy)
    r = nesa(sample_copy, "invoices", "pay", number, "--date", TODAY, "--commit")
    assert r.exit_code == 2 and "changes that are not committed" in r.output, r.output
    assert snapshot(sample_copy) == before
    assert (sample_copy / "notes.txt").read_text() == "not mine"


# --- typed text is stored exactly --------------------------------------------------------------

TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=40).filter(lambda t: t.strip() == t and t)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(decision=TEXT, detail=TEXT)
def test_any_text_is_stored_as_typed(repo, decision, detail):
    from datetime import date

    from nesa_cli.edit import records
    from nesa_cli.edit.transaction import run
    from nesa_cli.load import load_bytes

    def edit(tx):
        path = "data/schools/100001.yaml"
        records.set_fields(tx, "school", path, 100001, records.parse_assignments([f"strengths+=area=send,detail={detail}",
                                                                                 f"notes={decision}"]))

    result = run(repo, edit, today=date(2026, 11, 23), dry_run=True)
    if not result.ok:  # a value the schema refuses (e.g. a control character): refused, never mangled
        return
    doc = load_bytes("school", [b for p, b in _planned(repo, edit).items()][0])
    assert doc.data["strengths"][-1]["detail"] == detail.strip() or "," in detail
    assert doc.data["notes"] == decision


def _planned(repo, edit):
    from datetime import date

    from nesa_cli.edit.transaction import Transaction

    tx = Transaction(repo, load(WorkingTree(repo)), date(2026, 11, 23))
    edit(tx)
    return tx.planned()
