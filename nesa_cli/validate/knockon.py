"""Knock-on errors: what a file with errors does to the files that name it.

A file with an error of its own (a schema error, unreadable YAML) gives the
model no record, so every cross-file check that looks it up would report it
missing: one typo in a school's phase became "no pupil number for school
122108" in two finance years and "school 122108 was not invited" in a
meeting; a broken data/alliance.yaml made every meeting's central-team
people unknown.

Instead, the identities of such a file are read from its raw document (a
school's URN; the alliance's central-team and partnership ids), and a
cross-file diagnostic placed in an item of another file that names one of
them becomes, once per file and broken record, the warning
``skipped: 122108 has errors (data/schools/122108.yaml)``. Its own errors
say what to fix; once they are fixed its dependants are checked again.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from nesa_cli.diagnostics import ERROR


# Rules whose findings name the alliance's team, partnerships or bodies: all
# skipped while data/alliance.yaml cannot be read at all (no id of it is known).
ALLIANCE_REFERENCES = frozenset({"ref-central-team", "ref-partnership", "meeting-person", "meeting-body", "meeting-attendance",
                                 "body-member"})


def identities(kind, data, path: str) -> set:
    """What other files may name of one record: its id, and for the alliance
    the ids of its central team and partnerships. Read from raw data: only
    scalars that are not booleans. A file whose YAML cannot be read is named
    by its file name (schools/122108.yaml holds URN 122108: rule id-filename)."""
    out: set = set()
    if not isinstance(data, dict):
        if kind.id_field:
            stem = PurePosixPath(path).stem
            out.add(int(stem) if stem.isdigit() else stem)
        return out
    if kind.id_field and _scalar(data.get(kind.id_field)):
        out.add(data[kind.id_field])
    if kind.name == "alliance":
        for part in ("central_team", "partnerships"):
            items = data.get(part)
            for item in items if isinstance(items, list) else ():
                if isinstance(item, dict) and _scalar(item.get("id")):
                    out.add(item["id"])
    return out


def _scalar(value) -> bool:
    return isinstance(value, (int, str)) and not isinstance(value, bool) and value != ""


def broken(result) -> dict:
    """identity -> (label, path) for every record whose file has an error of its own."""
    out: dict = {}
    for path, diags in result.by_file.items():
        if not any(d.severity == ERROR for d in diags):
            continue
        kind = result.kinds.get(path)
        doc = result.documents.get(path) if kind is not None else None
        if doc is None:
            continue
        data = doc.data
        own = data.get(kind.id_field) if kind.id_field and isinstance(data, dict) else None
        label = str(own) if _scalar(own) else (PurePosixPath(path).stem if kind.id_field else path)
        for ident in identities(kind, data, path):
            out.setdefault(ident, (label, path))
    return out


def broken_alliance(result) -> tuple[str, str] | None:
    """(label, path) of the alliance file when it has errors of its own."""
    for path, diags in result.by_file.items():
        kind = result.kinds.get(path)
        if kind is not None and kind.name == "alliance" and any(d.severity == ERROR for d in diags):
            return path, path
    return None


def item_at(data, pointer: tuple):
    """The item a diagnostic's pointer sits in: the value at the pointer up to
    and including its last list index (the whole value when it has none)."""
    last = max((i for i, p in enumerate(pointer) if isinstance(p, int)), default=len(pointer) - 1)
    node = data
    for step in pointer[: last + 1]:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def named_in(node, names: dict, depth: int = 6):
    """The first identity of ``names`` that ``node`` holds as a whole scalar."""
    if depth < 0:
        return None
    if isinstance(node, dict):
        for value in node.values():
            hit = named_in(value, names, depth - 1)
            if hit is not None:
                return hit
    elif isinstance(node, list):
        for value in node:
            hit = named_in(value, names, depth - 1)
            if hit is not None:
                return hit
    elif _scalar(node) and node in names:
        return node
    return None
