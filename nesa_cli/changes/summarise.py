"""Many alike changes as one line: "Child Protection Policy version 3.0
adopted by 12 schools: ..." rather than twelve lines."""

from __future__ import annotations

from dataclasses import dataclass, field

from nesa_cli.changes.describe import Change
from nesa_cli.kinds import areas


def area_title(area: str) -> str:
    """The heading of a change-report area (each kind names its own)."""
    return areas().get(area) or area.replace("-", " ").capitalize()
LEAST = 3  # alike changes summed up from this many
NAMED = 6  # members named in a summary line before "and N more"


@dataclass
class Line:
    """One line of a change report: a change, or several summed up."""

    area: str
    text: str
    path: str  # the file it concerns, or the folder of the files
    authors: list[str] = field(default_factory=list)
    count: int = 1  # changes it stands for
    schools: tuple = ()

    @property
    def author(self) -> str | None:
        if not self.authors:
            return None
        return self.authors[0] if len(self.authors) == 1 else f"{len(self.authors)} people"


def _folder(paths: list[str]) -> str:
    if len(set(paths)) == 1:
        return paths[0]
    parts = [p.split("/") for p in paths]
    common = []
    for bits in zip(*parts):
        if len(set(bits)) != 1:
            break
        common.append(bits[0])
    return "/".join(common) or "data"


def _members(names: list[str]) -> str:
    if len(names) <= NAMED:
        return ", ".join(names[:-1]) + (" and " if len(names) > 1 else "") + names[-1]
    return ", ".join(names[:NAMED]) + f" and {len(names) - NAMED} more"


def summarise(changes: list[Change], least: int = LEAST) -> list[Line]:
    """The changes as lines, area by area; a group of ``least`` or more alike
    changes becomes one line that counts and names them."""
    groups: dict[tuple, list[Change]] = {}
    for c in changes:
        if c.group:
            groups.setdefault((c.area, c.group), []).append(c)
    out: list[Line] = []
    done: set[tuple] = set()
    for c in changes:
        key = (c.area, c.group)
        if c.group and len(groups[key]) >= least:
            if key in done:
                continue
            done.add(key)
            items = groups[key]
            members = list(dict.fromkeys(i.member or i.thing for i in items))
            text = c.group.format(n=len(members)) + ": " + _members(members)
            out.append(Line(c.area, text, _folder([i.path for i in items]),
                            list(dict.fromkeys(i.author for i in items if i.author)), len(items),
                            tuple(dict.fromkeys(u for i in items for u in i.schools))))
        else:
            out.append(Line(c.area, c.text, c.path, [c.author] if c.author else [], 1, c.schools))
    order = {a: n for n, a in enumerate(areas())}
    return sorted(out, key=lambda line: order.get(line.area, len(order)))  # stable: each area keeps its order
