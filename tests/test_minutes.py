"""Minutes: the governance record of a meeting (nesa minutes), Part 2 kept apart, approval at a later meeting."""

from __future__ import annotations

import io
import re

import pytest
from typer.testing import CliRunner

from conftest import assert_golden, edit, git
from nesa_cli.cli import app

runner = CliRunner()
OCT = "2026-10-14-strategic-board"
DEC = "data/meetings/2026-12-09-strategic-board.yaml"
# Everything of the 14 October meeting that was taken in Part 2 (its confidential item)
SECRET = ("Staffing at a member school", "seconded deputy head", "leadership absence", "£9,000",
          "proposing to second", "Ian Reay (Coquet Valley High School):")


def run(repo, *args, today="2026-11-23"):
    return runner.invoke(app, ["-C", str(repo), "--today", today, *args])


def pdf_text(path) -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text() for p in PdfReader(str(path)).pages)


def assert_tagged(path, title_part: str) -> None:
    """The PDF/UA basics a reader's assistive technology needs, seen with pypdf."""
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root, "no structure tree: the PDF is not tagged"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert str(root["/Lang"]).startswith("en")
    assert title_part in reader.metadata.title
    assert "/Metadata" in root  # XMP, where PDF/UA-1 declares itself
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8", "replace")
    assert "pdfuaid" in xmp


@pytest.mark.shared_sample
def test_minutes_md_golden(sample):
    r = run(sample, "minutes", OCT)
    assert r.exit_code == 0, r.output
    text = r.stdout
    for part in ("## Attendance", "**Apologies (accepted):** Maria Fenwick", "**Apologies (not accepted):** Aisha Pattinson",
                 "**Absent:** Beth Urwin", "**Observers:** Local authority school improvement partner",
                 "the meeting was quorate", "Joanne Robson (Simonside High School): Simonside High School holds",
                 "Minutes of the meeting of 1 July 2026 approved as a true record.",
                 "**Decision:** Contributions for 2027-28 set at the 2026 census rate.",
                 "The next meeting will be held on Wednesday 9 December 2026 at 13:30",
                 "Signed: ______________________ Rachel Hall, Chair. Date: 9 December 2026"):
        assert part in text, part
    assert "DRAFT" not in text
    assert "#1" not in text and OCT not in text  # no internal ids for readers
    assert_golden("minutes/2026-10-14.md", text)


def test_minutes_html_golden_and_escaping(sample):
    r = run(sample, "minutes", OCT, "--format", "html")
    assert r.exit_code == 0, r.output
    assert '<html lang="en-GB">' in r.stdout and '<th scope="col">Name</th>' in r.stdout
    assert_golden("minutes/2026-10-14.html", r.stdout)
    edit(sample, f"data/meetings/{OCT}.yaml", "Summer conference 2027", "<script>{{ 7*7 }}</script>")
    r = run(sample, "minutes", OCT, "--format", "html")
    assert "&lt;script&gt;{{ 7*7 }}&lt;/script&gt;" in r.stdout and "<script>" not in r.stdout


@pytest.mark.pdf
@pytest.mark.shared_sample
def test_minutes_pdf_text_golden_and_tagged(sample, tmp_path):
    out = tmp_path / "m.pdf"
    r = run(sample, "minutes", OCT, "--format", "pdf", "-o", str(out))
    assert r.exit_code == 0, r.output
    assert "(approved)" in r.stderr
    assert_tagged(out, "Strategic Board – minutes, 14 October 2026")
    text = pdf_text(out)
    assert "Signed: Rachel Hall, Chair" in text and "Date: 9 December 2026" in text
    assert_golden("minutes/2026-10-14.pdf.txt", text)


@pytest.mark.pdf
@pytest.mark.slow
@pytest.mark.shared_sample
def test_no_part2_text_in_published_minutes_in_any_format(sample, tmp_path):
    for fmt in ("md", "html", "pdf"):
        out = tmp_path / f"published.{fmt}"
        r = run(sample, "minutes", OCT, "--format", fmt, "-o", str(out))
        assert r.exit_code == 0, r.output
        text = pdf_text(out) if fmt == "pdf" else out.read_text(encoding="utf-8")
        leaked = [s for s in SECRET if s in text]
        assert not leaked, (fmt, leaked)
        assert "1 confidential item was taken in Part 2" in " ".join(text.split())
        out2 = tmp_path / f"part2.{fmt}"
        r = run(sample, "minutes", OCT, "--part2", "--format", fmt, "-o", str(out2))
        assert r.exit_code == 0, r.output
        text2 = " ".join((pdf_text(out2) if fmt == "pdf" else out2.read_text(encoding="utf-8")).split())
        assert "Staffing at a member school" in text2 and "seconded deputy head" in text2
        assert "Ian Reay" in text2 and "left the meeting for that item" in text2
        assert "Partnership Fund contributions 2027-28" not in text2 and "Emma Charlton" not in text2
    assert_tagged(tmp_path / "part2.pdf", "Part 2 minutes")


def test_an_action_under_a_confidential_item_stays_out_of_the_published_record(sample):
    edit(sample, f"data/meetings/{OCT}.yaml", "    status: done\n    item: 3\n",
         "    status: done\n    item: 3\n  - action: Confirm the secondment letter\n    owner: {team: jokafor}\n"
         "    due: 2026-10-21\n    status: open\n    item: 4\n")
    assert run(sample, "validate").exit_code == 0
    assert "secondment letter" not in run(sample, "minutes", OCT).stdout
    assert "secondment letter" in run(sample, "minutes", OCT, "--part2").stdout
    assert "secondment letter" not in run(sample, "agenda", "2026-12-09-strategic-board").stdout
    assert "secondment letter" in run(sample, "agenda", "2026-12-09-strategic-board", "--confidential").stdout


def test_draft_until_a_later_meeting_approves_them(sample):
    edit(sample, DEC, "minutes_approved:\n  - meeting: 2026-10-14-strategic-board\n    signed_by: {team: rhall}\n", "")
    text = run(sample, "minutes", OCT).stdout
    assert "**DRAFT: not yet approved.**" in text and "Signed:" not in text
    assert "true record" not in run(sample, "agenda", "2026-12-09-strategic-board").stdout


@pytest.mark.shared_sample
def test_the_approving_meeting_says_so_in_its_minutes_and_agenda(sample):
    phrase = "Minutes of the meeting of 14 October 2026 approved as a true record"
    dec = run(sample, "minutes", "2026-12-09-strategic-board", today="2026-12-10").stdout
    assert phrase in dec and "DRAFT" in dec  # its own minutes wait for February
    assert phrase in run(sample, "agenda", "2026-12-09-strategic-board").stdout
    assert phrase in run(sample, "agenda", "2026-12-09-strategic-board", "--format", "html").stdout


def _diagnostics(r, rule: str) -> list[str]:
    return [line for line in r.output.splitlines() if f"[{rule}]" in line]


@pytest.mark.parametrize("meeting, why", [
    ("2026-11-26-network-sencos", "is a meeting of network:sencos, not of strategic-board"),
    ("2027-02-10-strategic-board", "is not before this meeting"),
    ("2026-10-15-strategic-board", "no meeting 2026-10-15-strategic-board"),
    ("2026-07-01-strategic-board", "already approved at 2026-10-14-strategic-board"),
])
def test_an_approval_must_name_an_earlier_meeting_of_the_same_body(sample, meeting, why):
    edit(sample, DEC, "  - meeting: 2026-10-14-strategic-board\n", f"  - meeting: {meeting}\n")
    r = run(sample, "validate")
    assert r.exit_code == 1
    [line] = _diagnostics(r, "minutes-approval")
    assert line.startswith(f"{DEC}:") and why in line, line


def test_declarations_and_actions_name_agenda_entries_that_exist(sample):
    edit(sample, f"data/meetings/{OCT}.yaml", "person: Joanne Robson, item: 1,", "person: Joanne Robson, item: 9,")
    edit(sample, f"data/meetings/{OCT}.yaml", "    item: 3\n", "    item: 12\n")
    r = run(sample, "validate")
    assert r.exit_code == 1
    lines = _diagnostics(r, "meeting-item-ref")
    assert len(lines) == 2 and all("the agenda list has 4 entries" in x for x in lines)
    assert re.match(rf"data/meetings/{OCT}.yaml:\d+:\d+: error: item 9", lines[0])


def test_a_paper_outside_the_repository_is_a_validation_error(sample):
    edit(sample, DEC, "paper: papers/2026-12-priorities.pdf", "paper: ../elsewhere/priorities.pdf")
    edit(sample, f"data/meetings/{OCT}.yaml", "paper: papers/2026-10-partnership-fund.pdf", "paper: /etc/passwd")
    r = run(sample, "validate")
    assert r.exit_code == 1
    lines = _diagnostics(r, "meeting-paper")
    assert len(lines) == 2, r.output
    assert any(x.startswith(f"{DEC}:") and "'..'" in x for x in lines)


def test_minutes_of_a_fresh_repository(tmp_path):
    """nesa init, a body, a meeting and its attendance: minutes in every format."""
    target = tmp_path / "fresh"
    r = runner.invoke(app, ["init", str(target), "--name", "Tyne Valley Schools Alliance", "--short", "TVSA", "--la", "929"])
    assert r.exit_code == 0, r.output
    (target / "data/bodies").mkdir(exist_ok=True)
    (target / "data/bodies/board.yaml").write_text(
        "id: board\nname: Tyne Valley Partnership Board\nmembership:\n"
        "  - {name: Dr Asha Rahman, organisation: Independent, role: chair}\n"
        "  - {name: Tom Elliott, organisation: Tyne Valley Council}\n"
        "  - {name: Grace Nwosu, organisation: Hexham Teaching Hub}\nquorum: {count: 2}\n", encoding="utf-8")
    r = run(target, "meetings", "new", "--body", "board", "--date", "2026-11-04", "--start", "16:00", "--end", "17:30",
            "--venue", "Hexham Library", "--item", "decision:Terms of reference")
    assert r.exit_code == 0, r.output
    for who, status in (("Dr Asha Rahman", "present"), ("Tom Elliott", "apologies"), ("Grace Nwosu", "present")):
        assert run(target, "meetings", "attend", "2026-11-04-board", who, status).exit_code == 0
    assert run(target, "validate").exit_code == 0
    text = run(target, "minutes", "2026-11-04-board").stdout
    assert "**Present:** Dr Asha Rahman (chair, Independent); Grace Nwosu (member, Hexham Teaching Hub)" in text
    assert "Apologies were received from Tom Elliott and accepted." in text
    assert "2 of 3 counted members present: the meeting was quorate" in text and "DRAFT" in text
    assert "## 5. Terms of reference" in text and "No earlier meeting of this body is recorded." in text
    out = tmp_path / "m.pdf"
    r = run(target, "minutes", "2026-11-04-board", "--format", "pdf", "-o", str(out))
    assert r.exit_code == 0, r.output
    assert "Tyne Valley Partnership Board" in pdf_text(out)
