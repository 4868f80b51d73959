"""One way to make a document in any of its formats.

Markdown and HTML come from the Jinja templates (``<document>.md.j2``,
``<document>.html.j2``), PDF from the Typst template (``<document>.typ``, see
:mod:`nesa_cli.render.pdf`); all three get the same document data. The
letterhead (name, address, contact, colour, logo) comes from ``branding`` in
``data/alliance.yaml``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, Callable


def brand(model) -> dict[str, Any]:
    """The alliance's letterhead, for every document."""
    a = getattr(model, "alliance", None)
    if a is None:
        return {}
    b = dict(a.branding or {})
    out: dict[str, Any] = {"name": a.name, "short_name": a.short_name, "email": a.email, "website": a.website,
                           "address": list(b.get("address") or ()), "phone": b.get("phone")}
    if b.get("colour"):
        out["colour"] = b["colour"]
    if b.get("logo"):
        out["logo"] = b["logo"]
    return out


def render_document(root: Path | None, model, document: str, fmt: str, data: dict[str, Any], today: date | None = None,
                    on_refused: Callable[[str, str], None] | None = None) -> bytes:
    """The bytes of ``document`` in ``fmt`` (md, html or pdf)."""
    if fmt == "pdf":
        from nesa_cli.render.pdf import to_pdf

        return to_pdf(root, document, data, brand=brand(model), today=today, on_refused=on_refused)
    from nesa_cli.render import render

    return render(root, document, fmt, {**data, "brand": brand(model)}).encode("utf-8")
