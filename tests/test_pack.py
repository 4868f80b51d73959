"""The agenda pack (nesa pack): one tagged PDF, papers merged in, pages numbered through."""

from __future__ import annotations

import os
import re

import pytest
from typer.testing import CliRunner

from conftest import assert_golden, edit
from nesa_cli.cli import app
from test_minutes import assert_tagged

pytestmark = pytest.mark.pdf
runner = CliRunner()
DEC = "2026-12-09-strategic-board"
DEC_FILE = f"data/meetings/{DEC}.yaml"


def run(repo, *args):
    return runner.invoke(app, ["-C", str(repo), "--today", "2026-11-23", *args])


def pages(path) -> list[str]:
    from pypdf import PdfReader

    return [p.extract_text() for p in PdfReader(str(path)).pages]


@pytest.mark.shared_sample
def test_pack_golden_numbered_through_and_tagged(sample, tmp_path):
    out = tmp_path / "pack.pdf"
    r = run(sample, "pack", DEC, "-o", str(out))
    assert r.exit_code == 0, r.output
    assert "(6 pages, 1 appendix)" in r.stderr
    text = pages(out)
    # every page, the merged paper's too, carries "Page n of N" with one N: the whole pack
    for n, page in enumerate(text, 1):
        assert re.search(rf"Page {n} of {len(text)}\s*$", page), (n, page[-80:])
    assert "ISSUED" in text[0] and "23 November 2026" in text[0] and "siobhan.brennan@nesa.example.org" in text[0]
    assert "Appendix 1: Alliance improvement priorities 2027" in text[0]
    assert "Minutes of the meeting of 14 October 2026 approved as a true record" in " ".join(text[1].split())
    cover = next(i for i, t in enumerate(text) if t.startswith("APPENDIX 1"))
    assert "Recommendation" in text[cover] and "Rachel Hall, Alliance Lead" in text[cover]
    assert "What the evidence says" in text[cover + 1] and "Resources" in text[cover + 2]  # the paper's own pages follow
    whole = "\n".join(text)
    assert "causing concern" not in whole and "seconded deputy" not in whole and "Part 2" not in whole
    assert_tagged(out, "Strategic Board – agenda pack, 9 December 2026")
    assert_golden("pack/2026-12-09.pdf.txt", "\n\f".join(text))


@pytest.mark.shared_sample
def test_confidential_pack_has_part2_at_the_end(sample, tmp_path):
    out = tmp_path / "pack.pdf"
    r = run(sample, "pack", DEC, "--confidential", "-o", str(out))
    assert r.exit_code == 0, r.output
    text = pages(out)
    agenda = " ".join(text[1].split())
    assert agenda.index("Part 2: confidential") > agenda.index("Date of the next meeting")
    assert "Support arrangements for a school causing concern" in agenda
    assert "APPENDIX 2 · PART 2 · CONFIDENTIAL" in text[-2] and "Support plan" in text[-1]
    assert re.search(rf"Page {len(text)} of {len(text)}\s*$", text[-1])


@pytest.mark.shared_sample
def test_the_notice_warning_and_overdue_reviews_are_on_the_document(sample, tmp_path):
    out = tmp_path / "pack.pdf"
    r = runner.invoke(app, ["-C", str(sample), "--today", "2026-12-04", "pack", DEC, "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "4 clear days" in r.stderr
    text = pages(out)
    assert "agenda issued 4 clear days before the meeting; governing-board notice is 7 clear days" in " ".join(text[0].split())
    assert "8 September 2026 (overdue)" in text[1]


def test_a_paper_outside_the_repository_is_refused_with_its_place(sample, tmp_path):
    outside = tmp_path / "outside.pdf"
    outside.write_bytes((sample / "papers/2026-12-priorities.pdf").read_bytes())
    os.symlink(outside, sample / "papers/link.pdf")
    edit(sample, DEC_FILE, "paper: papers/2026-12-priorities.pdf", "paper: papers/link.pdf")
    r = run(sample, "pack", DEC, "-o", str(tmp_path / "p.pdf"))
    assert r.exit_code == 1
    assert re.search(rf"{DEC_FILE}:\d+:\d+: paper papers/link.pdf: outside the data repository \[meeting-paper\]", r.output), r.output
    assert not (tmp_path / "p.pdf").exists()
    edit(sample, DEC_FILE, "paper: papers/link.pdf", "paper: ../outside.pdf")
    r = run(sample, "pack", DEC, "-o", str(tmp_path / "p.pdf"))
    assert r.exit_code == 1 and "'..'" in r.output and f"{DEC_FILE}:" in r.output


def test_a_paper_that_is_not_a_pdf_or_too_large_is_refused(sample, tmp_path):
    (sample / "papers/notes.pdf").write_text("not a pdf", encoding="utf-8")
    edit(sample, DEC_FILE, "paper: papers/2026-12-priorities.pdf", "paper: papers/notes.pdf")
    r = run(sample, "pack", DEC, "-o", str(tmp_path / "p.pdf"))
    assert r.exit_code == 1 and "not a PDF file" in r.output
    with open(sample / "papers/notes.pdf", "wb") as fh:
        fh.truncate(11 * 1024 * 1024)
    r = run(sample, "pack", DEC, "-o", str(tmp_path / "p.pdf"))
    assert r.exit_code == 1 and "larger than 10 MiB" in r.output


def test_a_paper_not_yet_written_is_a_paper_to_follow(sample, tmp_path):
    (sample / "papers/2026-12-priorities.pdf").unlink()
    out = tmp_path / "p.pdf"
    r = run(sample, "pack", DEC, "-o", str(out))
    assert r.exit_code == 0, r.output
    assert "is not in the repository" in r.stderr
    text = pages(out)
    assert "Paper to follow" in text[-1] and re.search(rf"Page {len(text)} of {len(text)}", text[-1])
