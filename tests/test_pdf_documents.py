"""Every PDF nesa makes is tagged for PDF/UA-1, and says what its reader needs.

veraPDF cannot run here (it is a Java download from outside the package
registries), so the PDF/UA-1 requirements a document can miss are checked
with pypdf instead: a structure tree that holds the headings, the tables
with header cells and the paragraphs; the catalogue's /MarkInfo, /Lang and
/ViewerPreferences /DisplayDocTitle; the title and ``pdfuaid:part`` 1 in the
XMP metadata; every font embedded. The text of each sample document is a
golden file (its words in reading order, so a change of line breaking does
not count, a change of wording does).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nesa_cli.cli import app
from tests.conftest import PROJECT, assert_golden

pytestmark = pytest.mark.pdf
pytest.importorskip("typst")
pypdf = pytest.importorskip("pypdf")

DEJAVU = any(Path(p).is_dir() for p in ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF"))

DOCS = {
    "agenda-strategic-board": ["agenda", "2026-12-09-strategic-board", "--format", "pdf"],
    "agenda-improvement-board": ["agenda", "2027-01-20-improvement-board", "--format", "pdf"],
    "contacts-sencos": ["contacts", "--network", "sencos", "--format", "pdf"],
    "contacts-headteachers-simonside": ["contacts", "--partnership", "simonside", "--role", "headteacher", "--format", "pdf"],
    "invoice-void": ["invoices", "render", "NESA-2025-0014", "--format", "pdf"],
    "invoice-recharge-paid": ["invoices", "render", "NESA-2025-0064", "--format", "pdf"],
    "invoice-issued": ["invoices", "render", "NESA-2025-0036", "--format", "pdf"],
    "finance-budget": ["finance", "papers", "budget", "2026-27", "--format", "pdf"],
    "finance-contributions": ["finance", "papers", "contributions", "2026-27", "--format", "pdf"],
    "finance-debtors": ["finance", "papers", "debtors", "--format", "pdf"],
    "finance-statement-bothal-lane": ["finance", "papers", "statement", "122325", "2026-27", "--format", "pdf"],
    "finance-reminder-choppington": ["finance", "papers", "reminder", "122353", "--format", "pdf"],
    "register-interests-improvement-board": ["registers", "interests", "improvement-board", "--format", "pdf"],
    "register-attendance-strategic-board": ["registers", "attendance", "strategic-board", "--year", "2025-26", "--format", "pdf"],
    "actions-log": ["actions", "log", "--format", "pdf"],
    "policy-schedule": ["policies", "schedule", "--format", "pdf"],
}


def _make(tmp_path: Path, args: list[str]) -> tuple[bytes, str]:
    out = tmp_path / ("inv" if args[0] == "invoices" else "doc.pdf")
    r = CliRunner().invoke(app, ["-C", str(PROJECT), *args, "-o", str(out)])
    assert r.exit_code == 0, r.output
    pdf = out / f"{args[2]}.pdf" if args[0] == "invoices" else out
    return pdf.read_bytes(), r.stderr


def _tags(reader) -> dict[str, int]:
    seen: dict[str, int] = {}

    def walk(node) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, pypdf.generic.ArrayObject):
            for x in node:
                walk(x)
        elif isinstance(node, pypdf.generic.DictionaryObject):
            s = node.get("/S")
            if s:
                seen[str(s)] = seen.get(str(s), 0) + 1
            if "/K" in node:
                walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"]["/K"])
    return seen


def _fonts_embedded(reader) -> list[str]:
    missing = []
    for page in reader.pages:
        fonts = (page.get("/Resources") or {}).get("/Font") or {}
        for name, ref in fonts.items():
            font = ref.get_object()
            for f in [font] + [d.get_object() for d in font.get("/DescendantFonts", [])]:
                desc = f.get("/FontDescriptor")
                if desc is not None and not any(k in desc.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    missing.append(f"{name}: {f.get('/BaseFont')}")
    return missing


def words(reader) -> str:
    """The document's text, one page per paragraph, words joined by single spaces."""
    return "\n\n".join(" ".join((p.extract_text() or "").split()) for p in reader.pages) + "\n"


@pytest.mark.parametrize("name", sorted(DOCS))
def test_pdf_is_tagged_for_pdf_ua(tmp_path, name):
    import io

    data, stderr = _make(tmp_path, DOCS[name])
    reader = pypdf.PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] is True or root["/MarkInfo"]["/Marked"] == pypdf.generic.BooleanObject(True)
    assert root["/Lang"] == "en-GB"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    xmp = reader.xmp_metadata.rdf_root.toxml()
    assert "<pdfuaid:part>1</pdfuaid:part>" in xmp
    title = re.search(r"<dc:title>.*?<rdf:li[^>]*>(.*?)</rdf:li>", xmp).group(1)
    assert title and title == reader.metadata.title
    tags = _tags(reader)
    for tag in ("/Document", "/H1", "/Table", "/TR", "/TH", "/TD", "/P"):
        assert tags.get(tag), (tag, tags)
    assert _fonts_embedded(reader) == []
    assert "left out" not in stderr


@pytest.mark.skipif(not DEJAVU, reason="the goldens are of text set in DejaVu Sans, the body font; it is not installed here")
@pytest.mark.parametrize("name", sorted(DOCS))
def test_pdf_text_golden(tmp_path, name):
    import io

    data, _ = _make(tmp_path, DOCS[name])
    assert_golden(f"pdf/{name}.txt", words(pypdf.PdfReader(io.BytesIO(data))))


def test_what_readers_found_is_fixed(tmp_path):
    """The defects the issue lists, in the words of the PDFs themselves."""
    import io

    def text(name: str) -> str:
        return words(pypdf.PdfReader(io.BytesIO(_make(tmp_path, DOCS[name])[0])))

    agenda = text("agenda-strategic-board")
    assert "14/10/2026" not in agenda and "Minutes of the previous meeting (14 October 2026)" in agenda
    assert "#1" not in agenda and "papers/" not in agenda  # no action ids, no raw paths
    assert "Paper: appendix 1" in agenda
    assert "8 September 2026 (overdue)" in agenda  # an overdue policy review, marked like an overdue action
    sheet = text("contacts-headteachers-simonside")
    assert "Contacts: Simonside" in sheet and "partnership simonside" not in sheet
    assert "Produced on 23 November 2026" in sheet
    void = text("invoice-void")
    assert "VAT: not VAT registered" in void and "VAT (not applicable)" not in void
    assert "nothing is owed" in void and "Pay by BACS" not in void and "Total due" not in void
    assert "held by Morpeth Chantry Middle School" in void
    recharge = text("invoice-recharge-paid")
    assert "shared invoice register" in recharge  # a school's invoice explains its number


def test_notice_warning_on_the_document(tmp_path):
    """An agenda issued late carries the 7-clear-days warning on its face, not only on stderr."""
    import io

    out = tmp_path / "late.pdf"
    r = CliRunner().invoke(app, ["-C", str(PROJECT), "--today", "2026-12-07", "agenda", "2026-12-09-strategic-board",
                                 "--format", "pdf", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "7 clear days" in r.stderr
    assert "7 clear days" in words(pypdf.PdfReader(io.BytesIO(out.read_bytes())))


def _marked_content_ids(page) -> set[int]:
    contents = page.get_contents()
    data = contents.get_data().decode("latin-1") if contents is not None else ""
    return {int(n) for n in re.findall(r"/MCID\s+(\d+)", data)}


def _parent_tree(reader) -> dict[int, object]:
    def pairs(tree):
        tree = tree.get_object()
        nums = tree.get("/Nums") or []
        out = {int(nums[i]): nums[i + 1] for i in range(0, len(nums) - 1, 2)}
        for kid in tree.get("/Kids") or []:
            out.update(pairs(kid))
        return out

    return pairs(reader.trailer["/Root"]["/StructTreeRoot"]["/ParentTree"])


def test_the_agenda_pack_keeps_the_papers_tags(tmp_path):
    """Each merged paper's headings, paragraphs and tables are part of the
    pack's structure tree, after its cover, and every piece of tagged text on
    every page of the pack belongs to an element: the pack is as accessible as
    the papers in it (pypdf alone would leave their pages untagged)."""
    import io

    out = tmp_path / "pack.pdf"
    r = CliRunner().invoke(app, ["-C", str(PROJECT), "pack", "2026-12-09-strategic-board", "--confidential", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "not a tagged PDF" not in r.stderr
    reader = pypdf.PdfReader(io.BytesIO(out.read_bytes()))
    tree = _parent_tree(reader)
    keys = [page.get("/StructParents") for page in reader.pages]
    assert None not in keys and len(set(keys)) == len(keys)
    for n, page in enumerate(reader.pages):
        ids = _marked_content_ids(page)
        assert ids, f"page {n + 1} has no tagged content"
        elements = tree[keys[n]].get_object()
        assert len(elements) > max(ids), f"page {n + 1}: marked content {max(ids)} has no element"
        for mcid in ids:
            element = elements[mcid].get_object()
            assert element is not None and "/S" in element, (n + 1, mcid)
    document = reader.trailer["/Root"]["/StructTreeRoot"]["/K"][0].get_object()
    kinds = [str(k.get_object()["/S"]) for k in document["/K"]]
    assert kinds.count("/Part") == 2 and "/Document" not in kinds
    # each paper after its own cover: the first Part is followed by the second paper's cover heading
    first = kinds.index("/Part")
    assert "/H1" in kinds[first + 1:kinds.index("/Part", first + 1)]
    paper_tags = _tags(reader)
    assert paper_tags["/Part"] == 2 and paper_tags.get("/Table")


def test_an_untagged_paper_is_said_to_be_inaccessible(sample, tmp_path):
    from pypdf import PdfWriter

    plain = PdfWriter()
    plain.add_blank_page(595, 842)
    with open(sample / "papers/2026-12-priorities.pdf", "wb") as f:
        plain.write(f)
    out = tmp_path / "pack.pdf"
    r = CliRunner().invoke(app, ["-C", str(sample), "pack", "2026-12-09-strategic-board", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "papers/2026-12-priorities.pdf (appendix 1) is not a tagged PDF" in r.stderr
