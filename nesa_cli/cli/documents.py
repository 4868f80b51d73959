"""One way for a register, tracker, finance paper, agenda or minutes to print its document: HTML, PDF, Markdown,
CSV or JSON.

No commands here (importing it registers nothing): ``nesa registers``, ``nesa
actions log``, ``nesa policies schedule``, ``nesa finance papers``, ``nesa agenda`` and ``nesa minutes`` call
:func:`deliver`.
"""

from __future__ import annotations

from typing import Callable, Optional

from nesa_cli.cli import common, files

def deliver(model, day, document: str, fmt: str, data: dict, rows: Optional[Callable[[dict], object]],
            output: Optional[str], what: str) -> None:
    """Render ``data`` as ``document`` in ``fmt`` (checked already) to ``output`` or stdout.
    ``rows``: the document's table for CSV (a Listing made from ``data``; None where it has no csv form)."""
    from nesa_cli.render import RenderError
    from nesa_cli.render.documents import render_document

    target = files.output_file(output)
    if fmt == "json":
        from nesa_cli.jsonout import dumps

        payload = (dumps(data) + "\n").encode("utf-8")
    elif fmt == "csv":
        from nesa_cli.cli.output import csv_bom
        from nesa_cli.tabular import to_csv

        payload = to_csv(rows(data), bom=csv_bom(target)).encode("utf-8")
    else:
        try:
            payload = render_document(common.root(), model, document, fmt, data, day, files.pdf_warning)
        except RenderError as exc:
            raise common.Misuse(str(exc)) from None
    if target:
        files.write(target, payload)
        files.announce(target, what, payload)
    else:
        common.write_document(payload.decode("utf-8"))


def check_form(fmt: str, output: Optional[str]) -> str:
    """``fmt`` (already one of the command's forms: cli.formats checks it), when it can be written where asked
    (a bad ``-o`` is said before the data is read)."""
    if files.output_file(output) is None and fmt == "pdf":
        raise common.Misuse("--format pdf needs -o FILE")
    return fmt
