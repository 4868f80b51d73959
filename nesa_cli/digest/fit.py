"""Keeping the digest email small enough to be read to the end.

Gmail clips a message at about 102 KB, hiding what comes after. The digest
puts what needs action first and cuts only the list of changes: each area
keeps its first lines, the same number for every area, as many as fit, and
says how many it left out ("... and 37 more here", and a closing line with
the command that shows them all). Nothing is dropped without saying so.
"""

from __future__ import annotations

from typing import Callable

LIMIT = 60_000  # bytes of text and HTML together: under 100 KB once encoded for email (base64 is 4/3)


def size(view: dict, render_text: Callable, render_html: Callable) -> int:
    return len(render_text(view).encode("utf-8")) + len(render_html(view).encode("utf-8"))


def cut(view: dict, keep: int) -> dict:
    """``view`` with at most ``keep`` change lines per area, counting the rest."""
    groups, more = [], 0
    for g in view.get("changes") or []:
        items = g["items"]
        left = sum(i.get("count", 1) for i in items[keep:])
        groups.append(dict(g, items=items[:keep], more=left + g.get("more", 0)))
        more += left
    return dict(view, changes=groups, more=view.get("more", 0) + more)


def fit(view: dict, render_text: Callable, render_html: Callable, limit: int = LIMIT) -> dict:
    """The largest cut of ``view`` whose text and HTML together fit ``limit``."""
    if "changes" not in view.get("sections", ("changes",)) or size(view, render_text, render_html) <= limit:
        return view
    longest = max((len(g["items"]) for g in view.get("changes") or []), default=0)
    lo, hi = 0, longest  # lo always fits (or is 0)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if size(cut(view, mid), render_text, render_html) <= limit:
            lo = mid
        else:
            hi = mid - 1
    return cut(view, lo)
