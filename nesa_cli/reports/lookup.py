"""Finding one thing by what a person types: a URN, an id or part of a name."""

from __future__ import annotations

import difflib
from typing import Callable, Iterable, TypeVar
from nesa_cli.errors import UsageError

T = TypeVar("T")


class NotFound(UsageError, LookupError):
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
        many = what[:-1] + "ies" if what.endswith("y") and what[-2:-1] not in "aeiou" else what + "s"
        raise NotFound(f"'{q}' matches {len(partial)} {many}: {shown}{more}. Give the id or more of the name.")
    names = {name(i): i for i in items}
    close = difflib.get_close_matches(q, list(names), n=5, cutoff=0.5)
    # A misspelt part of a name ('rothbery') is far from the whole name but
    # close to the words it was meant to be.
    close += [n for n in names if n not in close and _close_to_part(ql, n.lower())][: max(0, 5 - len(close))]
    close += [ident(i) for i in items if ident(i) not in close and difflib.SequenceMatcher(None, ql, ident(i).lower()).ratio() > 0.7][:3]
    hint = f" Did you mean: {', '.join(close)}?" if close else ""
    raise NotFound(f"no {what} matches '{q}'.{hint}")


def _close_to_part(query: str, name: str) -> bool:
    """Whether the query is close to as many consecutive words of the name."""
    q_words, words = query.split(), name.split()
    if not q_words or len(q_words) > len(words):
        return False
    span = len(q_words)
    for i in range(len(words) - span + 1):
        m = difflib.SequenceMatcher(None, query, " ".join(words[i:i + span]))
        if m.real_quick_ratio() >= 0.8 and m.quick_ratio() >= 0.8 and m.ratio() >= 0.8:
            return True
    return False
