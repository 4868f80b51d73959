"""The records of "what changed": a change in words, a changed file, a describer's sentence."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Change:
    area: str  # its kind's area (nesa_cli.kinds.areas())
    thing: str  # "Hawthorn First School"
    text: str  # "Hawthorn First School: pupils 412 -> 430 (census 2025-10-02)"
    path: str
    author: str | None = None
    commit: str | None = None
    date: str | None = None
    group: str | None = None  # "{n} schools joined": alike changes summed up in one line
    member: str | None = None  # this change's part of that line: "Rothbury First School"
    schools: tuple = ()  # URNs of the schools it concerns

    def as_dict(self) -> dict:
        return {"area": self.area, "thing": self.thing, "text": self.text, "path": self.path,
                "author": self.author, "commit": self.commit, "date": self.date, "schools": list(self.schools)}


@dataclass
class FileChange:
    """One changed file: its data before and after (None when absent)."""

    old_path: str | None
    new_path: str | None
    old: dict | None
    new: dict | None


Names = Callable[[int], str]


@dataclass(frozen=True)
class Said:
    """A describer's sentence, before it becomes a Change."""

    thing: str
    text: str
    group: str | None = None
    member: str | None = None
    schools: tuple = ()
