"""The agenda pack: one PDF with a cover, the agenda and every paper.

The cover, the agenda (confidential items in a Part 2 section at the end,
only when asked for) and one cover page per paper come from the Typst
template ``pack.typ``; each paper that is a PDF in the repository is then
merged in after its cover page with pypdf, and its pages get the pack's
footer ("Page n of N", from ``pack-stamp.typ``), so the numbers run through
the whole pack.

A paper is read like any other file a document may contain (see
:class:`nesa_cli.render.fetch.Gate`): a plain path from the repository's
root, resolving inside it (no symbolic link out), not under a dot-folder, a
regular ``.pdf`` file of at most 10 MiB that pypdf can read. Anything else
is an error naming the meeting file and line of its ``paper:``. A paper not
yet in the repository is a warning and a "paper to follow" cover.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from nesa_cli.dates import uk_text
from nesa_cli.errors import DataError


class PaperError(DataError):
    """A paper that cannot go into a pack (outside the repository, not a PDF...)."""


@dataclass
class Pack:
    pdf: bytes
    pages: int
    appendices: int
    title: str
    warnings: list[str] = field(default_factory=list)


def _where(result, m, index: int) -> str:
    doc = result.documents.get(m.path) if result is not None else None
    line, col = doc.locate(("agenda", index, "paper")) if doc is not None else (1, 1)
    return f"{m.path}:{line}:{col}"


def read_paper(root: Path, paper: str, where: str, on_refused=None) -> bytes | None:
    """The bytes of a paper PDF (None: not in the repository yet); PaperError
    when it may not be read."""
    from nesa_cli.render.fetch import Gate, Refused
    from nesa_cli.validate.rules_minutes import paper_problem

    why = paper_problem(paper)
    if why:
        raise PaperError(f"{where}: {why} [meeting-paper]")
    if not paper.lower().endswith(".pdf"):
        raise PaperError(f"{where}: paper {paper}: only PDF papers can go into a pack [meeting-paper]")
    gate = Gate(root)
    gate.folders = [Path(root).resolve()]  # the repository only, not nesa's own files
    target = Path(root) / paper
    if not target.exists() and not target.is_symlink():
        return None
    try:
        content, _ = gate.read(target.absolute().as_uri(), frozenset({".pdf"}))
    except Refused as exc:
        raise PaperError(f"{where}: paper {paper}: {exc} [meeting-paper]") from None
    if not content.startswith(b"%PDF-"):
        raise PaperError(f"{where}: paper {paper}: not a PDF file [meeting-paper]")
    return content


def _pdf_reader(content: bytes, where: str, paper: str):
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted:
            raise PaperError(f"{where}: paper {paper}: the PDF is encrypted; save an unprotected copy [meeting-paper]")
        len(reader.pages)
        return reader
    except (PyPdfError, ValueError, KeyError, TypeError) as exc:
        raise PaperError(f"{where}: paper {paper}: pypdf cannot read it ({type(exc).__name__}) [meeting-paper]") from None


def _clerk(model, m) -> dict | None:
    ref = m.minute_taker
    if ref is None:
        return None
    if ref.team and model.alliance:
        for t in model.alliance.central_team:
            if t.id == ref.team:
                return {"name": t.name, "title": t.title, "email": t.email, "phone": t.phone}
    return {"name": ref.label(model), "title": None, "email": None, "phone": None}


def pack(root: Path, result, m, today, confidential: bool = False, on_refused=None) -> Pack:
    """The agenda pack of meeting ``m`` as PDF bytes (PaperError: a paper may not be read)."""
    try:
        from pypdf import PdfReader, PdfWriter, Transformation
    except ImportError:
        from nesa_cli.render.pdf import PdfError, install_hint

        raise PdfError(install_hint() + " (agenda packs also need pypdf)") from None
    from nesa_cli.meetings.agenda import agenda
    from nesa_cli.render.documents import brand
    from nesa_cli.render.pdf import to_pdf

    model = result.model
    data = agenda(model, m, today, confidential, part2_section=True)
    warnings = [w for w in (data["notice_warning"], data["quorum_warning"]) if w]
    appendices, readers = [], []
    previous = 0
    for it in data["items"] + data["part2"]:
        if not it.get("appendix"):
            continue
        index = it["index"] - 1
        item = m.agenda[index]
        reader, link, missing = None, None, False
        if item.paper.startswith("https://"):
            from nesa_cli.validate.rules_minutes import paper_problem

            link = item.paper if paper_problem(item.paper) is None else None
        else:
            where = _where(result, m, index)
            content = read_paper(root, item.paper, where, on_refused)
            if content is None:
                missing = True
                warnings.append(f"{where}: paper {item.paper} is not in the repository: the pack says 'paper to follow'")
            else:
                reader = _pdf_reader(content, where, item.paper)
        pages = len(reader.pages) if reader is not None else 0
        appendices.append({"number": it["appendix"], "title": item.title, "item": it["number"], "purpose": item.purpose,
                           "summary": item.summary, "recommendation": item.recommendation,
                           "author": item.author or (item.lead.label(model) if item.lead else None),
                           "lead": item.lead.label(model) if item.lead else None, "part2": item.confidential,
                           "pages": pages, "link": link, "missing": missing, "file": item.paper, "skip": previous})
        readers.append(reader)
        previous = pages
    clerk = _clerk(model, m)
    data["pack"] = {"issued": uk_text(today), "clerk": clerk, "appendices": appendices, "trailing": previous}
    front = PdfReader(io.BytesIO(to_pdf(root, "pack", data, brand=brand(model), today=today, on_refused=on_refused)))
    covers = len(front.pages) - len(appendices)
    total = len(front.pages) + sum(a["pages"] for a in appendices)
    writer = PdfWriter(clone_from=front)
    # where each paper's pages go in the finished pack, and their numbers
    stamps, place, at = [], [], covers
    for a in appendices:
        at += 1  # its cover page
        place.append(at)
        stamps += [{"n": at + k + 1, "total": total} for k in range(a["pages"])]
        at += a["pages"]
    stamp_pages = []
    if stamps:
        footer = f"{data['title']} · agenda pack for {uk_text(m.date)}" + (" · CONFIDENTIAL (includes Part 2)" if confidential else "")
        stamp_pdf = to_pdf(root, "pack-stamp", {"footer": footer, "pages": stamps}, brand=brand(model), today=today,
                           on_refused=on_refused)
        stamp_pages = list(PdfReader(io.BytesIO(stamp_pdf)).pages)
    from nesa_cli.render.graft import graft, tagged

    used = 0
    for a, reader, where in zip(appendices, readers, place):
        if reader is None:
            continue
        added_pages = []
        for k, page in enumerate(reader.pages):
            added = writer.insert_page(page, where + k)
            added_pages.append(added)
            stamp = stamp_pages[used]
            used += 1
            box = added.mediabox
            added.merge_transformed_page(stamp, Transformation().translate(float(box.right) - float(stamp.mediabox.right),
                                                                          float(box.bottom)))
        if tagged(reader):  # its headings, paragraphs and tables join the pack's, so the pack stays accessible
            graft(writer, reader, added_pages, f"A{a['number']}-")
        else:
            warnings.append(f"paper {a['file']} (appendix {a['number']}) is not a tagged PDF: its pages in the pack "
                            "cannot be read by a screen reader; ask its author for an accessible (tagged) PDF")
        writer.add_outline_item(title=f"Appendix {a['number']}: {a['title']}", page_number=where - 1)
    writer.add_outline_item(title="Agenda", page_number=1)
    out = io.BytesIO()
    writer.write(out)
    return Pack(out.getvalue(), total, len(appendices), data["title"], warnings)
