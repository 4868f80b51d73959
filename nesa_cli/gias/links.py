"""GIAS links: which URN succeeded which (issue 20, conversions).

GIAS publishes the links between establishments as ``links_edubasealldata<date>.csv``
(same conventions as the establishment file: quoted, Windows-1252, dates
DD-MM-YYYY), one row per link and per side::

    "URN","LinkURN","LinkName","LinkType","LinkEstablishedDate"
    "149001","122220","Bellingham Primary School","Predecessor","01-09-2026"
    "122220","149001","Bellingham Primary Academy","Successor","01-09-2026"

A "Predecessor" row says LinkURN is the predecessor of URN; a "Successor" row
the other way round; both sides usually appear and are read as one
succession. Types such as "Predecessor - amalgamated" or "Successor - merged"
carry the reason; "Sixth form centre link", "Other", "Expansion" and the like
are not successions and are ignored.

:func:`record_links` records each succession that touches the alliance's
schools, through the same edit as ``nesa schools convert``: the old URN has a
file and the new one not yet -> the academy's file is made from it; both
have files (the establishment import already made the academy's) -> they are
joined; only the new one has a file -> its predecessor is recorded by name.
Successions already recorded change nothing.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from nesa_cli.gias.read import GiasError, _date, open_csv

LINK_COLUMNS = ("URN", "LinkURN", "LinkName", "LinkType", "LinkEstablishedDate")


@dataclass(frozen=True)
class Succession:
    old: int
    new: int
    date: date
    reason: str
    old_name: str | None = None
    new_name: str | None = None
    line: int = 0


@dataclass
class LinksReport:
    file: str
    rows: int = 0
    recorded: list[str] = field(default_factory=list)
    already: int = 0
    outside: int = 0  # successions that touch none of the alliance's schools
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"file": self.file, "rows": self.rows, "recorded": self.recorded, "already_recorded": self.already,
                "outside": self.outside, "problems": self.problems}

    def lines(self) -> list[str]:
        out = [f"read {self.rows} links from {self.file}"]
        out += [f"succession: {r}" for r in self.recorded]
        out += [f"skipped: {p}" for p in self.problems]
        out.append(f"{len(self.recorded)} succession{'s' if len(self.recorded) != 1 else ''} recorded, "
                   f"{self.already} already recorded")
        return out


def _reason(link_type: str) -> str | None:
    t = link_type.strip().lower()
    if not (t.startswith("predecessor") or t.startswith("successor") or t.startswith("merged")):
        return None
    if "amalgamat" in t:
        return "amalgamation"
    if "age range" in t:
        return "change-of-age-range"
    if "merge" in t:
        return "merger"
    if "split" in t:
        return "other"
    return "academy-converter"  # a plain Predecessor/Successor link: in practice an academy conversion


def read_links(path: str | Path) -> tuple[list[Succession], int, list[str]]:
    """(successions, rows read, problems) from a GIAS links file."""
    p = Path(path)
    reader, head, _, _ = open_csv(path)
    head = [c.strip().lstrip("\ufeff") for c in head]
    missing = [c for c in LINK_COLUMNS if c not in head]
    if missing:
        raise GiasError(f"{p.name} is not a GIAS links file: missing column{'s' if len(missing) != 1 else ''} "
                        f"{', '.join(missing)} (use links_edubasealldata<date>.csv from GIAS downloads)")
    ix = {c: head.index(c) for c in LINK_COLUMNS}
    found: dict[tuple[int, int], Succession] = {}
    problems: list[str] = []
    rows = 0
    try:
        for row in reader:
            if not row:
                continue
            rows += 1
            line = reader.line_num
            try:
                urn, other = int(row[ix["URN"]]), int(row[ix["LinkURN"]])
            except (ValueError, IndexError):
                problems.append(f"line {line}: URN or LinkURN is not a number")
                continue
            link_type = row[ix["LinkType"]]
            reason = _reason(link_type)
            if reason is None:
                continue
            when = _date(row[ix["LinkEstablishedDate"]])
            if when is None:
                problems.append(f"line {line}: {link_type} link {urn}-{other} has no date (LinkEstablishedDate)")
                continue
            name = row[ix["LinkName"]].strip() or None
            predecessor_row = link_type.strip().lower().startswith(("predecessor", "merged"))
            old, new = (other, urn) if predecessor_row else (urn, other)
            seen = found.get((old, new))
            names = {"old_name": name} if predecessor_row else {"new_name": name}
            if seen is None:
                found[(old, new)] = Succession(old, new, when, reason, line=line, **names)
            else:  # the other side's row: fill in the name it gives
                found[(old, new)] = Succession(old, new, seen.date, seen.reason, names.get("old_name") or seen.old_name,
                                               names.get("new_name") or seen.new_name, seen.line)
    except csv.Error as exc:
        raise GiasError(f"{p.name}: broken CSV near line {reader.line_num}: {exc}") from None
    return sorted(found.values(), key=lambda s: (s.date, s.old, s.new)), rows, problems


def record_links(tx, path: str | Path) -> LinksReport:
    """Record the successions of a links file that touch the alliance's schools (see the module)."""
    from nesa_cli.edit.transaction import EditError
    from nesa_cli.edit.verbs_convert import convert, join_existing, name_predecessor
    from nesa_cli.edit.verbs_school import school_path

    successions, rows, problems = read_links(path)
    report = LinksReport(str(path), rows, problems=problems)
    for s in successions:
        has_old, has_new = tx.exists(school_path(s.old)), tx.exists(school_path(s.new))
        if not has_old and not has_new:
            report.outside += 1
            continue
        try:
            if has_new:
                pred = tx.doc(school_path(s.new)).get("predecessor")
                if pred and pred.get("urn") == s.old:
                    report.already += 1
                    continue
            if has_old and not has_new:
                convert(tx, str(s.old), str(s.new), s.date, s.reason, name=s.new_name)
            elif has_old:
                join_existing(tx, s.old, s.new, s.date, s.reason)
            else:
                name_predecessor(tx, s.new, s.old, s.old_name, s.date, s.reason)
        except EditError as exc:
            report.problems.append(f"line {s.line}: {s.old} -> {s.new}: {exc}")
            continue
        old_label = s.old_name or str(s.old)
        report.recorded.append(f"{s.new_name or s.new} ({s.new}) succeeds {old_label} ({s.old}) from {s.date} ({s.reason})")
    return report
