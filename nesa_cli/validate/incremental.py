"""Validate again after a small edit without reading everything again.

A full validation of the working tree leaves behind what it found: each
file's content key, and every diagnostic with, for the cross-file ones, the
place in the document it points at (a path of keys and indexes, not a line).

The next validation of the working tree compares the content keys. When the
only files that changed are a few school files, and in each of them only
fields that no cross-file rule reads changed (see :data:`LEAF_FIELDS`: phone
numbers, email addresses, the postal address, notes, a comment...), then
every cross-file diagnostic is what it was: the rules read exactly the same
values. So only the edited files are read again (YAML and schema), their own
diagnostics are replaced, and the cross-file diagnostics that sit in them are
placed again on their new lines. Anything else (a new or deleted file, an
edit to a name, a contact's name or role, membership, pupils, any other kind
of file, a file that was or becomes invalid) takes the full path.

The answer is the same as a full validation's: tests/test_incremental.py edits
fields at random and compares the two.
"""

from __future__ import annotations

from typing import Any

from nesa_cli.diagnostics import ERROR, Diagnostic, sort_key

LAST_RUN = "last-run-working-tree"
MAX_CHANGED = 100  # beyond this many edited files, the full path is about as fast

# Fields of a school file that no cross-file rule reads (checked by
# tests/test_incremental.py: a rule that starts reading one of these must
# remove it from here).
LEAF_FIELDS = frozenset({
    "phone", "email", "website", "address", "location", "capacity", "notes", "age_range",
    "religious_character", "diocese",
})
LEAF_CONTACT_FIELDS = frozenset({"title", "email", "phone", "mobile", "private"})


def interface(data: dict) -> dict:
    """What cross-file rules can see of one school file's data."""
    out = {k: v for k, v in data.items() if k not in LEAF_FIELDS}
    contacts = data.get("contacts")
    if isinstance(contacts, list):
        out["contacts"] = [
            {k: v for k, v in c.items() if k not in LEAF_CONTACT_FIELDS} if isinstance(c, dict) else c for c in contacts
        ]
    return out


def remember(source, cache, entries: list[tuple[str, str]], extra: Any, result) -> None:
    """Keep what a full load of the working tree found, for :func:`revalidate`."""
    if cache.dir is None or not getattr(source, "is_working_tree", False):
        return
    places = {id(d): place for d, place in result.cross if place is not None}
    cross_ids = {id(d) for d, _ in result.cross}
    rows = []
    for d in result.diagnostics:
        place = places.get(id(d))
        kind = "cross" if id(d) in cross_ids else "own"
        rows.append((d.path, d.line, d.col, d.severity, d.rule, d.message, kind, place))
    cache.put(LAST_RUN, {"files": dict(entries), "extra": repr(extra), "count": result.files, "rows": rows})


def revalidate(source, cache, entries: list[tuple[str, str]], extra: Any):
    """The diagnostics of the working tree, from the last full run and the
    edited files alone; None when the full path is needed (see the module)."""
    from nesa_cli.kinds import kind_for
    from nesa_cli.model import Model, add_record
    from nesa_cli.loader import Result, read_one

    if cache.dir is None or not getattr(source, "is_working_tree", False):
        return None
    last = cache.get(LAST_RUN)
    if not _well_formed(last) or last["extra"] != repr(extra) or len(last["files"]) != len(entries):
        return None
    files: dict = last["files"]
    changed = []
    for path, key in entries:
        before = files.get(path)
        if before is None:
            return None  # a file that was not there
        if before != key:
            changed.append((path, before))
            if len(changed) > MAX_CHANGED:
                return None
    rows: list = last["rows"]
    changed_paths = {p for p, _ in changed}
    kept = [r for r in rows if r[0] not in changed_paths]
    fresh = []
    docs = {}
    for path, old_key in changed:
        kind = kind_for(path)
        if kind is None or kind.name != "school":
            return None
        if any(r[0] == path and r[3] == ERROR and r[6] == "own" for r in rows):
            return None  # it was invalid: the model lacked it
        old = cache.get(old_key)
        if not (isinstance(old, tuple) and len(old) == 3 and isinstance(old[0], dict)):
            return None
        doc, problems = read_one(source, path, kind, cache)
        if not isinstance(doc.data, dict) or not doc.ok or any(p.severity == ERROR for p in problems):
            return None  # it became invalid: the model loses it
        try:
            add_record(Model(), kind, doc.data, path)
        except (ValueError, KeyError, TypeError):
            return None
        if interface(old[0]) != interface(doc.data):
            return None  # a field the rules read changed
        docs[path] = doc
        fresh.extend((d.path, d.line, d.col, d.severity, d.rule, d.message, "own", None) for d in doc.problems + problems)
    for r in rows:
        if r[0] in changed_paths and r[6] == "cross":
            path, line, col, severity, rule, message, _, place = r
            if place is not None:
                pointer, key = place
                line, col = docs[path].locate(tuple(pointer), key=key)
            fresh.append((path, line, col, severity, rule, message, "cross", place))
    new_rows = kept + fresh
    diagnostics = sorted((Diagnostic(*r[:6]) for r in new_rows), key=sort_key)
    new_files = dict(files)
    new_files.update(entries)
    cache.put(LAST_RUN, {"files": new_files, "extra": last["extra"], "count": last["count"], "rows": new_rows})
    return Result(Model(), diagnostics=diagnostics, checked=last["count"], incremental=True)


def _well_formed(last) -> bool:
    return (isinstance(last, dict) and isinstance(last.get("files"), dict) and isinstance(last.get("rows"), list)
            and isinstance(last.get("extra"), str) and isinstance(last.get("count"), int)
            and all(isinstance(r, tuple) and len(r) == 8 for r in last["rows"]))
