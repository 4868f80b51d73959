"""Finding one thing by what a person types: a URN, an id or part of a name."""

from __future__ import annotations

import difflib
from typing import Callable, Iterable, TypeVar

T = TypeVar("T")


class NotFound(LookupError):
    """Nothing, or more than one thing, matched; the message lists close matches."""


def find_one(query: str, items: Iterable[T], ident: Callable[[T], str], name: Callable[[T], str], what: str) -> T:
    """Exact id, then exact name (any case), then a unique part of a name."""
    items = list(items)
    q = query.strip()
    ql = q.lower()
    for item in items:
        if ident(item).lower() == ql:
            return item
    exact = [i for i in items if name(i).lower() == ql]
    if len(exact) == 1:
        return exact[0]
    partial = [i for i in items if ql and ql in name(i).lower()]
    if len(partial) == 1:
        return partial[0]
    if len(partial) > 1:
        shown = "; ".join(f"{ident(i)} {name(i)}" for i in partial[:10])
        more = f" and {len(partial) - 10} more" if len(partial) > 10 else ""
        raise NotFound(f"'{q}' matches {len(partial)} {what}s: {shown}{more}. Give the id or more of the name.")
    names = {name(i): i for i in items}
    close = difflib.get_close_matches(q, list(names), n=5, cutoff=0.5)
    close += [ident(i) for i in items if ident(i) not in close and difflib.SequenceMatcher(None, ql, ident(i).lower()).ratio() > 0.7][:3]
    hint = f" Did you mean: {', '.join(close)}?" if close else ""
    raise NotFound(f"no {what} matches '{q}'.{hint}")
