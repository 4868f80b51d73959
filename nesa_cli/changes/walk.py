"""Which files changed between revisions (or HEAD and the working tree), and
their changes in words, commit by commit."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from nesa_cli.load import load_bytes
from nesa_cli.kinds import kind_for
from nesa_cli.changes.describe import Change, FileChange, describe, is_data_file


class Unreadable(Exception):
    """One version of a changed file cannot be read: say so instead of
    describing its every field as removed."""


class Versions:
    """Data files at any version, by their bytes: from the cache entry that a
    load keeps for exactly those bytes (so a warm digest never starts the YAML
    parser), else parsed, checked and kept as a load does (the next run finds
    them). A file no kind claims, or no repository to keep a cache in: parsed."""

    def __init__(self, root: Path | None):
        self.root = root
        self._cache = None

    def document(self, path: str, raw: bytes):
        kind = kind_for(path)
        if kind is None or self.root is None:
            return load_bytes(path, raw)
        from nesa_cli.store.cache import Cache, file_key
        from nesa_cli.store.sources import blob_id
        from nesa_cli.validate.run import read_file

        if self._cache is None:
            self._cache = Cache(self.root)
        try:
            return read_file(_Bytes(raw), path, kind, self._cache, key=file_key(kind.key, blob_id(raw)))
        except OSError:
            return load_bytes(path, raw)


class _Bytes:
    """A source of one file's bytes (for validate.run.read_file)."""

    def __init__(self, raw: bytes):
        self.raw = raw

    def read(self, path: str) -> bytes:
        return self.raw


def _data(path: str | None, raw: bytes | None, privacy, versions: Versions | None = None) -> dict | None:
    if path is None or raw is None:
        return None
    doc = versions.document(path, raw) if versions is not None else load_bytes(path, raw)
    if isinstance(doc.data, dict):
        return privacy.mask(doc.data)
    if b"\n<<<<<<< " in b"\n" + raw and b"\n>>>>>>> " in raw:
        raise Unreadable("it holds unresolved merge conflict markers; resolve the conflict (and git add the file) to see what changed")
    first = next((p for p in doc.problems), None)
    raise Unreadable(f"it cannot be read ({first.message} at line {first.line})" if first else "it holds no mapping of fields")


def _names(model):
    def name(urn) -> str:
        s = model.schools.get(urn) if model else None
        return s.name if s else f"URN {urn}"

    def partnership(pid) -> str:
        found = model.alliance.partnership(pid) if model and model.alliance else None
        return found.name if found else str(pid)

    name.partnership = partnership  # a partnership by its name (see changes.schools)
    return name


def _file_changes(root: Path, entries, known: dict | None = None, versions: Versions | None = None) -> list[FileChange]:
    """Each changed file's data before and after, a value hidden when it is
    private in that version or in the file as it is now (the working tree)."""
    from nesa_cli.reports.history import newest_privacy

    known = {} if known is None else known  # path -> Privacy, across the commits of one digest
    versions = Versions(root) if versions is None else versions
    out, notes = [], []
    for op, ob, np, nb in entries:
        if not is_data_file(np or op):
            continue  # a .gitkeep or README is no change to the data
        if (np or op) not in known:
            known[np or op] = newest_privacy(root, np or op, versions.document)
        privacy = known[np or op]
        try:
            out.append(FileChange(op, np, _data(op, ob, privacy, versions), _data(np, nb, privacy, versions)))
        except Unreadable as exc:
            notes.append(_note(np or op, f"{np or op}: changes not shown: {exc}"))
    return out, notes


def _note(path: str, text: str) -> Change:

    kind = kind_for(path)
    return Change((kind.area if kind else "other"), path, text, path)


def _described(root: Path, entries, names, known: dict | None = None, versions: Versions | None = None) -> list[Change]:
    files, notes = _file_changes(root, entries, known, versions)
    return describe(files, names) + notes


def diff(root: Path, base: str = "HEAD", target: str | None = None, model=None) -> list[Change]:
    """Changes from ``base`` to ``target`` (None: the working tree)."""
    from nesa_cli.store.git import changed_files

    return _described(root, changed_files(root, base, target), _names(model))


def commit_changes(root: Path, since: str | None = None, base: str | None = None, target: str = "HEAD", model=None,
                   pending=None) -> list[Change]:
    """Changes commit by commit (so each has its author), oldest first.
    ``pending``: git already asked (nesa_cli.store.gitlog.start)."""
    from nesa_cli.store import gitlog

    out: list[Change] = []
    names = _names(model)
    known: dict = {}
    try:
        found = gitlog.commits(root, base, target, since, pending)
    except gitlog.Unusual:  # a shallow clone, a date, no commits, no git: GitPython's way
        return _commit_changes_slowly(root, since, base, target, names, known)
    versions = Versions(root)
    for info, entries in found:
        for ch in _described(root, entries, names, known, versions):
            out.append(replace(ch, author=info.author, commit=info.sha[:10], date=info.date))
    return out


def _commit_changes_slowly(root: Path, since, base, target, names, known) -> list[Change]:
    from nesa_cli.store.git import commit_files, commits_in

    out: list[Change] = []
    for commit in commits_in(root, base, target, since):
        for ch in _described(root, commit_files(commit, root), names, known):
            out.append(replace(ch, author=commit.author.name, commit=commit.hexsha[:10],
                               date=commit.committed_datetime.date().isoformat()))
    return out


def grouped(changes: list[Change]) -> dict[str, list[Change]]:
    """The changes by area, in the order of the kinds' areas (unknown areas last)."""
    from nesa_cli.kinds import areas

    order = list(areas())
    out: dict[str, list[Change]] = {}
    for area in order + sorted({c.area for c in changes} - set(order)):
        items = [c for c in changes if c.area == area]
        if items:
            out[area] = items
    return out
