"""A meeting's iCalendar SEQUENCE, counted from the git history of the meeting files.

RFC 5545 asks for SEQUENCE to go up with every significant revision of an
event, so that a calendar that already has it replaces it: here, every change
of its time or place (date, start, end, venue, online link) or of its
cancellation. Nobody has to remember to raise it: the history of
``data/meetings/`` says how often that happened to each uid (a file renamed
when a meeting moves keeps its uid, so it is followed). A change not yet
committed counts as one more. A ``sequence`` written in the file by hand is
kept as a floor.

One ``git log --raw`` over data/meetings and one ``git cat-file --batch``
(:mod:`nesa_cli.store.gitlog`); no git, no commits or a shallow clone leave
the hand-set values, and :attr:`Sequences.complete` says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

MEETINGS_DIR = "data/meetings"
# What makes a revision significant (the fields a calendar shows as time and place).
SIGNIFICANT = ("date", "start", "end", "venue", "online", "cancelled")


def significant(data) -> tuple | None:
    """The fields of a meeting's data that count, as text (None: not a meeting mapping)."""
    if not isinstance(data, dict) or not isinstance(data.get("uid"), str):
        return None
    return tuple("" if data.get(k) in (None, False) else str(data.get(k)) for k in SIGNIFICANT)


def meeting_key(m) -> tuple:
    """:func:`significant` for a built :class:`~nesa_cli.meetings.model.Meeting`."""
    values = {"date": m.date.isoformat(), "start": m.start.strftime("%H:%M"), "end": m.end.strftime("%H:%M"),
              "venue": m.venue, "online": m.online, "cancelled": m.cancelled}
    return tuple("" if values[k] in (None, False) else str(values[k]) for k in SIGNIFICANT)


@dataclass
class Sequences:
    """Per uid: how many significant changes the history holds, and the last committed state."""

    changes: dict[str, int] = field(default_factory=dict)
    last: dict[str, tuple] = field(default_factory=dict)
    complete: bool = True  # False: no history could be read (shallow clone, no git)
    why: str = ""

    def of(self, m, working: bool = True) -> int:
        """The SEQUENCE of meeting ``m`` as loaded: the changes in the history,
        one more when ``working`` (the working tree) differs from the last
        commit, never below the file's own ``sequence``."""
        n = self.changes.get(m.uid, 0)
        if working and m.uid in self.last and self.last[m.uid] != meeting_key(m):
            n += 1
        return max(n, m.sequence)


def _parse(raw: bytes | None):
    if raw is None:
        return None
    from nesa_cli.load import load_bytes

    doc = load_bytes("meeting.yaml", raw)
    return None if doc.problems else doc.data


def from_history(root: Path, target: str = "HEAD") -> Sequences:
    """Count the significant changes of every meeting uid in the commits up to ``target``."""
    from nesa_cli.store import gitlog

    out = Sequences()
    try:
        found = gitlog.commits(Path(root), None, target, under=MEETINGS_DIR)
    except gitlog.Unusual as exc:
        out.complete = False
        out.why = "shallow" if "shallow" in str(exc) else "no history"
        return out
    for _info, entries in found:  # oldest first
        for _old, _old_bytes, new_path, new_bytes in entries:
            if new_path is None or not new_path.endswith((".yaml", ".yml")):
                continue
            data = _parse(new_bytes)
            key = significant(data)
            if key is None:
                continue
            uid = data["uid"]
            if uid in out.last and out.last[uid] != key:
                out.changes[uid] = out.changes.get(uid, 0) + 1
            out.last[uid] = key
    return out
