"""The stages of a whole-repository load, in the order :func:`nesa_cli.loader.load` runs them.

list -> cache -> read -> parse -> check schema -> build -> cross-file rules.
Each stage times its own work under ``--timings`` (nesa_cli.timings). The
read, parse and schema stages are generators over the files the cache could
not serve, and the build stage draws from them in listing order: one file's
text is held at a time, never a region's.
"""

from __future__ import annotations

from itertools import groupby
from pathlib import PurePosixPath
from typing import Iterator

from nesa_cli.diagnostics import ERROR, WARNING, Diagnostic
from nesa_cli.kinds import KINDS, Kind, kind_for
from nesa_cli.load import Document, load_bytes
from nesa_cli.loader.documents import Origin, entry_document
from nesa_cli.loader.lazy import SUMMARISED, add_summaries, summary
from nesa_cli.loader.result import Result
from nesa_cli.model import add_record
from nesa_cli.store.cache import file_key
from nesa_cli.store.entries import Entry
from nesa_cli.timings import stage

# The stages reported to nesa_cli.progress.
READING = "Reading files"
CHECKING = "Checking across files"


class Group:
    """Files of one kind, next to each other in the listing, and what the
    cache holds of each (``entries[i]`` for ``paths[i]``, None: not held)."""

    __slots__ = ("kind", "paths", "keys", "entries", "origin")

    def __init__(self, kind: Kind, paths: list[str], origin: Origin):
        self.kind, self.paths, self.origin = kind, paths, origin
        self.keys: list[str | None] = [None] * len(paths)
        self.entries: list[Entry | None] = [None] * len(paths)


class Fresh:
    """A file the cache did not serve, as it goes through read, parse and schema."""

    __slots__ = ("path", "kind", "key", "raw", "error", "doc", "problems", "entry")

    def __init__(self, path: str, kind: Kind, key: str | None):
        self.path, self.kind, self.key = path, kind, key
        self.raw: bytes | None = None
        self.error: str | None = None  # why it could not be read
        self.doc: Document | None = None
        self.problems: list[Diagnostic] = []  # its schema diagnostics
        self.entry: Entry | None = None


def content_id(source, path: str) -> str:
    from nesa_cli.store.sources import blob_id

    getter = getattr(source, "content_id", None)
    return getter(path) if getter else blob_id(source.read(path))


# --- list ---------------------------------------------------------------------

def list_files(result: Result, source, cache, kinds: set[str] | None) -> tuple[list[Group], int]:
    """The files of the source in listing order, in runs of one kind (those
    ``kinds`` asks for), and how many files there are; refused paths and files
    no kind claims become diagnostics here."""
    diags = result.diagnostics
    with stage("list"):
        use = getattr(source, "use_listings", None)
        if use is not None and cache.dir is not None:
            use(cache.listings())  # a working tree reuses the listings of folders that have not changed
        if cache.dir is not None and hasattr(source, "start_content_ids") and hasattr(source, "content_id"):
            source.start_content_ids()  # git answers while the files are listed and the packs read
        for path, reason in source.unsafe():
            diags.append(Diagnostic(path, 1, 1, ERROR, "unsafe-path", f"refused: {reason}"))
        files = source.files()
        groups = []
        for kind, run in groupby(files, kind_for):
            if kind is None:
                diags.extend(_unknown(path) for path in run if path.endswith((".yaml", ".yml")) or not _is_ignorable(path))
            elif kinds is None or kind.name in kinds:
                groups.append(Group(kind, list(run), Origin(kind.name, cache, source)))
    return groups, len(files)


def _unknown(path: str) -> Diagnostic:
    hint = "; data files end in .yaml" if path.endswith(".yml") else ""
    return Diagnostic(path, 1, 1, WARNING, "unknown-file", f"no kind of data file lives here, so it is not checked{hint}")


def _is_ignorable(path: str) -> bool:
    return PurePosixPath(path).name.lower() in {"readme.md", "readme", ".gitkeep", "license"}


# --- cache --------------------------------------------------------------------

def from_cache(source, cache, groups: list[Group], kinds: set[str] | None) -> None:
    """Each file's entry from the cache by content (its kind's pack, else its own entry)."""
    with stage("cache"):
        if cache.dir is None:
            return
        cache.open_packs(sorted(kinds) if kinds is not None else [k.name for k in KINDS])
        for group in groups:
            name = group.kind.key
            try:
                group.keys = [file_key(name, content_id(source, p)) for p in group.paths]
            except OSError:  # one that cannot be read is reported when it is read
                group.keys = [_key_or_none(source, name, p) for p in group.paths]
            group.entries = cache.entries(group.kind.name, group.keys)


def _key_or_none(source, kind_key: str, path: str) -> str | None:
    try:
        return file_key(kind_key, content_id(source, path))
    except OSError:
        return None


# --- read, parse, check schema (for the files the cache did not serve) --------

def read(source, groups: list[Group]) -> Iterator[Fresh]:
    for group in groups:
        for path, key, entry in zip(group.paths, group.keys, group.entries):
            if entry is not None:
                continue
            fresh = Fresh(path, group.kind, key)
            try:
                with stage("read"):
                    fresh.raw = source.read(path)
            except OSError as exc:
                fresh.error = f"cannot read the file: {exc.strerror or exc}"
            yield fresh


def parse(files: Iterator[Fresh]) -> Iterator[Fresh]:
    for fresh in files:
        if fresh.raw is not None:
            with stage("parse"):
                fresh.doc = load_bytes(fresh.path, fresh.raw)
            fresh.raw = None
        yield fresh


def check_schema(files: Iterator[Fresh], source, cache) -> Iterator[Fresh]:
    """Each parsed file against its kind's schema; the verdict goes into the cache."""
    for fresh in files:
        doc, path = fresh.doc, fresh.path
        if doc is not None:
            if doc.data is not None:
                if not isinstance(doc.data, dict):
                    fresh.problems = [Diagnostic(path, 1, 1, ERROR, "schema", f"a {fresh.kind.name} file must be a mapping of fields (key: value lines)")]
                else:
                    from nesa_cli.validate import schema as schema_check  # not imported when every file is cached

                    with stage("schema"):
                        fresh.problems = schema_check.check(doc, fresh.kind.schema)
            if fresh.key is not None:
                with stage("cache"):
                    fresh.entry = cache.put_file(fresh.kind.name, fresh.key, doc.data, doc.problems, fresh.problems)
            doc.forget_text(lambda source=source, path=path: source.read(path))
        yield fresh


# --- build ----------------------------------------------------------------------

def build(result: Result, cache, groups: list[Group], fresh: Iterator[Fresh], total: int) -> None:
    """Every file's document, own diagnostics and record, in listing order.
    Runs of files that the kind's pack serves clean and summarised are added
    at once, neither unpacked nor built (see Documents.add_packed,
    nesa_cli.loader.lazy); every other file takes its entry, or the next
    file from the schema stage. Each step is reported to nesa_cli.progress."""
    from nesa_cli.progress import step

    done = 0
    step(READING, 0, total)
    for group in groups:
        kind, paths, entries = group.kind, group.paths, group.entries
        summarised = kind.name in SUMMARISED
        i, n = 0, len(paths)
        while i < n:
            j = i
            if summarised:
                while j < n:
                    e = entries[j]
                    if e is None or e.summary is None or not e.packed or e.load_rows or e.schema_rows:
                        break
                    j += 1
                if j > i:
                    _add_served(result, kind, paths[i:j], entries[i:j], group.origin)
            if j < n:
                entry = entries[j]
                if entry is not None:
                    doc = entry_document(paths[j], entry, group.origin)
                    _add(result, cache, kind, paths[j], group.keys[j], doc, entry.schema_problems(paths[j]), entry)
                else:
                    f = next(fresh)
                    if f.error is not None:
                        result.diagnostics.append(Diagnostic(f.path, 1, 1, ERROR, "unreadable", f.error))
                    else:
                        _add(result, cache, kind, f.path, f.key, f.doc, f.problems, f.entry)
            before, done = done, done + (j + 1 - i if j < n else j - i)
            if done // 50 != before // 50 or j - i > 1:
                step(READING, done, total)
            i = j + 1
    step(READING, total, total)


def _add_served(result: Result, kind: Kind, paths: list[str], entries: list[Entry], origin: Origin) -> None:
    result.documents.add_packed(paths, entries, origin)
    result.kinds.update(dict.fromkeys(paths, kind))
    add_summaries(result.model, kind.name, [e.summary for e in entries], paths, result.documents)


def _add(result: Result, cache, kind: Kind, path: str, key: str | None, doc: Document, problems: list, entry: Entry | None) -> None:
    """One file: its document, its own diagnostics, its record."""
    result.documents[path] = doc
    result.kinds[path] = kind
    own = doc.problems + problems if (doc.problems or problems) else None
    if entry is not None and entry.summary is not None and kind.name in SUMMARISED:
        # built before from this very content: the record is made when first used
        add_summaries(result.model, kind.name, [entry.summary], [path], result.documents)
    elif isinstance(doc.data, dict) and not problems and doc.ok:
        try:
            with stage("build"):
                record = add_record(result.model, kind, doc.data, path)
        except (ValueError, KeyError, TypeError) as exc:  # e.g. 2024-02-30 passes the pattern
            own = (own or []) + [Diagnostic(path, 1, 1, ERROR, "schema", f"cannot read the record: {exc}")]
        else:
            made = summary(kind.name, record)
            if entry is not None and made is not None:
                cache.summarised(kind.name, key, entry, made)
    if own:
        result.diagnostics.extend(own)
        result.by_file[path] = own


# --- cross-file rules -------------------------------------------------------------

def cross_file(result: Result) -> None:
    from nesa_cli.progress import step
    from nesa_cli.validate.rules import check_rules

    step(CHECKING, 0, 1)
    with stage("rules"):
        cross = []
        if not any(k.name == "alliance" for k in result.kinds.values()):
            cross.append(Diagnostic("data/alliance.yaml", 1, 1, ERROR, "alliance-missing", "data/alliance.yaml is missing: every data repository needs one"))
        places: list = [None] * len(cross)
        cross.extend(check_rules(result, places))
        result.cross = list(zip(cross, places))
        result.diagnostics.extend(cross)
    step(CHECKING, 1, 1)
