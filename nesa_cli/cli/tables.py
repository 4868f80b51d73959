"""Fitting a table to the terminal: columns chosen by width, cells cut with an
ellipsis, never wrapped; ``--wide`` shows every column at full width.

The listing's columns come in order of importance (the library puts the
thing's id and name first), so when the row is too wide the last columns go
first, and a note says which were left out. A name column keeps up to 40
characters before it is cut; other columns give way before it does.
"""

from __future__ import annotations

import os
import shutil
import sys

GAP = 2
ELLIPSIS = "…"
NAME_HEADINGS = {"school", "name", "title", "policy", "network", "to", "where"}
NAME_KEEP = 40  # a name column is cut only beyond this
KEEP = 14  # other columns are cut to no fewer than this; a column that would be narrower is left out


def width(stream=None) -> int:
    """The width to fit: COLUMNS when set, else the terminal's, else 160 (a pipe)."""
    env = os.environ.get("COLUMNS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    stream = stream or sys.stdout
    if stream.isatty():
        return shutil.get_terminal_size((80, 24)).columns
    return 160


def cut(text: str, room: int) -> str:
    """``text`` in at most ``room`` characters, an ellipsis marking a cut."""
    if len(text) <= room:
        return text
    return text[: max(0, room - 1)] + ELLIPSIS if room > 0 else ""


def fit(headings: list[str], rows: list[list[str]], room: int, wide: bool = False) -> tuple[list[int], list[int]]:
    """(indices of the columns shown, their widths) for a table of ``room`` columns."""
    natural = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headings)]
    shown = list(range(len(headings)))
    if wide:
        return shown, natural

    names = sum(h.lower() in NAME_HEADINGS for h in headings)
    name_keep = NAME_KEEP if names <= 1 else NAME_KEEP * 3 // 4

    def least(i: int) -> int:
        if i == 0 and headings[0].lower() not in NAME_HEADINGS:
            return natural[0]  # the id (URN, number): never cut
        keep = name_keep if headings[i].lower() in NAME_HEADINGS else max(KEEP, len(headings[i]))
        return min(natural[i], keep)

    def total(cols, widths) -> int:
        return sum(widths[c] for c in cols) + GAP * (len(cols) - 1)

    minimum = {i: least(i) for i in shown}
    while len(shown) > 1 and total(shown, minimum) > room:
        # the last column goes first, but a name column only when nothing else is left to go
        others = [i for i in shown[1:] if headings[i].lower() not in NAME_HEADINGS]
        shown.remove(others[-1] if others else shown[-1])
    widths = {i: natural[i] for i in shown}
    while total(shown, widths) > room:
        # shrink the column with the most to give, non-name columns first
        give = [i for i in shown if widths[i] > minimum[i]]
        if not give:
            break
        i = max(give, key=lambda c: (headings[c].lower() not in NAME_HEADINGS, widths[c] - minimum[c]))
        widths[i] -= min(widths[i] - minimum[i], total(shown, widths) - room)
    if total(shown, widths) > room and len(shown) == 1:
        widths[shown[0]] = max(1, room)
    return shown, [widths[i] for i in shown]


def wrap(text: str, room: int, wide: bool = False) -> str:
    """A note under a table in lines of at most ``room`` characters (its own line breaks kept); as it is when --wide."""
    import textwrap

    if wide:
        return text
    return "\n".join(textwrap.fill(line, max(20, room)) if len(line) > room else line for line in text.split("\n"))


def hidden_note(headings: list[str], shown: list[int], room: int = 80) -> str | None:
    """Which columns were left out, in lines of at most ``room`` characters."""
    import textwrap

    left = [h for i, h in enumerate(headings) if i not in shown]
    if not left:
        return None
    text = f"(left out to fit: {', '.join(left)}; --wide shows all)"
    return "\n".join(textwrap.wrap(text, max(20, room)))
