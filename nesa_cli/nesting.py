"""How deep data nests, checked before a file is composed.

libyaml's composer recurses in C, and PyYAML's pure-Python one in Python, so
a file nested thousands deep must be refused before it is composed - unless
libyaml bounds nesting itself (0.2.6 and later), when composing is safe and
the walker in nesa_cli.load reports depth past MAX_DEPTH at its place. The
diagnostic (yaml-too-deep at the place nesting first passes the limit) is the
same whichever libyaml, or none, is installed.
"""

from __future__ import annotations

from functools import lru_cache

from nesa_cli.diagnostics import ERROR, Diagnostic

MAX_DEPTH = 64


def _load():
    from nesa_cli import load

    return load


@lru_cache(maxsize=None)
def bounded_parser() -> bool:
    """True when libyaml (0.2.6 or later) bounds nesting itself, so composing
    any file is safe and the walker reports depth past MAX_DEPTH at its place;
    older libyaml and the pure-Python composer recurse without a bound, so
    suspicious files get the event-level check first."""
    yaml, _, libyaml = _load()._yaml()
    if not libyaml:
        return False
    try:
        from yaml._yaml import get_version  # type: ignore[attr-defined]

        return tuple(get_version()) >= (0, 2, 6)
    except (ImportError, TypeError):  # pragma: no cover
        return False


def _events(text: str):
    """The parse events of ``text`` (libyaml's iterative parser when present)."""
    yaml, _, libyaml = _load()._yaml()
    return yaml.parse(text, Loader=yaml.CSafeLoader if libyaml else yaml.SafeLoader)


def depth_ok(path: str, text: str, doc) -> bool:
    """Event-level nesting check (iterative in libyaml) for suspicious files.

    libyaml 0.2.6 and later stop very deep flow collections themselves: their
    scanner reads ahead and raises "exceeded maximum nesting depth" before the
    parser has produced the events that would take us past MAX_DEPTH. Then
    the place is found by counting flow brackets from the last event seen, so
    the diagnostic is the same whichever libyaml (or none) is installed."""
    yaml = _load()._yaml()[0]
    depth, last = 0, (0, 0)
    try:
        for event in _events(text):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    m = event.start_mark
                    doc.problems.append(_too_deep(path, m.line, m.column))
                    return False
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
            last = (event.end_mark.line, event.end_mark.column)
    except yaml.YAMLError as exc:
        if "nesting depth" not in str(getattr(exc, "problem", "") or exc):
            return True  # the composer will report the syntax error with its place
        place = _flow_overflow(text, last, depth)
        if place is None:  # the parser saw deeper nesting than we can count: its place then
            mark = getattr(exc, "problem_mark", None)
            place = (mark.line, mark.column) if mark else (0, 0)
        doc.problems.append(_too_deep(path, *place))
        return False
    return True


def _too_deep(path: str, line: int, column: int) -> Diagnostic:
    return Diagnostic(path, line + 1, column + 1, ERROR, "yaml-too-deep", f"data nests more than {MAX_DEPTH} levels deep")


def _flow_overflow(text: str, start: tuple[int, int], depth: int) -> tuple[int, int] | None:
    """0-based (line, column) where flow brackets after ``start`` first take
    the nesting past MAX_DEPTH, starting from ``depth``; quoted text and
    comments are skipped. None when they never do."""
    line, col = start
    lines = text.split("\n")
    quote = ""
    while line < len(lines):
        row = lines[line]
        while col < len(row):
            ch = row[col]
            if quote:
                if ch == quote:
                    if quote == "'" and row[col + 1:col + 2] == "'":
                        col += 1  # '' inside single quotes
                    else:
                        quote = ""
                elif ch == "\\" and quote == '"':
                    col += 1
            elif ch in "'\"":
                quote = ch
            elif ch == "#" and (col == 0 or row[col - 1] in " \t"):
                break  # a comment runs to the end of the line
            elif ch in "[{":
                depth += 1
                if depth > MAX_DEPTH:
                    return line, col
            elif ch in "]}":
                depth -= 1
            col += 1
        line, col = line + 1, 0
    return None
