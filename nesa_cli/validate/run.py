"""Load a whole source: strict YAML, schemas, model, cross-file rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath

from nesa_cli.diagnostics import ERROR, WARNING, Diagnostic, counts, declare, sort_key
from nesa_cli.kinds import KINDS, Kind, kind_for
from nesa_cli.load import Document, load_bytes
from nesa_cli.model import SUMMARISED, Model, add_record, add_summaries, summary
from nesa_cli.store.cache import file_key
from nesa_cli.timings import stage

# The rule ids this module reports: severity and meaning (the README's rule
# table and nesa_cli.validate.catalogue are made from these).
RULE_IDS = declare({
    "unreadable": ("error", "The file could not be read."),
    "unsafe-path": ("error", "A symbolic link or other non-regular file under data/."),
    "unknown-file": ("warning", "A file under data/ that no kind of record claims (so nothing checks it)."),
    "alliance-missing": ("error", "data/alliance.yaml is missing."),
})



# The stages reported to nesa_cli.progress.
READING = "Reading files"
CHECKING = "Checking across files"


class _Documents(dict):
    """path -> Document. A file served clean from its kind's pack is held as
    (pack row, origin) until its document is first asked for: a listing of
    4,000 of a region's 25,000 schools never makes the other 21,000. Read it
    with ``[path]``, ``get``, ``values`` or ``items`` (they make what they return)."""

    def __getitem__(self, path: str) -> Document:
        doc = dict.__getitem__(self, path)
        if type(doc) is tuple:
            doc = _packed(path, *doc)
            dict.__setitem__(self, path, doc)
        return doc

    def get(self, path: str, default=None):
        return self[path] if path in self else default

    def values(self) -> list[Document]:
        return [self[path] for path in self]

    def items(self) -> list[tuple[str, Document]]:
        return [(path, self[path]) for path in self]


@dataclass
class Result:
    """Everything one read of the data produced."""

    model: Model
    documents: dict[str, Document] = field(default_factory=_Documents)
    kinds: dict[str, Kind] = field(default_factory=dict)  # path -> kind
    diagnostics: list[Diagnostic] = field(default_factory=list)
    checked: int | None = None  # files checked, when known without documents (a cached run)
    # What a full load found, kept apart for nesa_cli.validate.incremental:
    by_file: dict[str, list[Diagnostic]] = field(default_factory=dict)  # a file's own (YAML, schema) diagnostics
    cross: list[tuple[Diagnostic, tuple | None]] = field(default_factory=list)  # cross-file ones, with their places
    incremental: bool = False  # True when only edited files were read again (see validate)
    run: str | None = None  # the cache's key for this exact state of the files (see validate), when known
    counts: dict[str, int] | None = None  # records of each kind, when told apart from the model (validate.checked)

    @property
    def files(self) -> int:
        return self.checked if self.checked is not None else len(self.documents)

    @property
    def errors(self) -> int:
        return counts(self.diagnostics)[0]

    @property
    def warnings(self) -> int:
        return counts(self.diagnostics)[1]

    @property
    def ok(self) -> bool:
        return self.errors == 0

    def ids(self, kind: str) -> set:
        """Ids of every file of ``kind`` that names one, valid or not."""
        out = set()
        for path, k in self.kinds.items():
            doc = self.documents[path]
            if k.name == kind and k.id_field and isinstance(doc.data, dict) and k.id_field in doc.data:
                out.add(doc.data[k.id_field])
        return out

    def only(self, paths: list[str]) -> list[Diagnostic]:
        """Diagnostics for files at or below the given repository-relative paths."""
        if not paths:
            return self.diagnostics
        prefixes = [p.rstrip("/") for p in paths]
        return [
            d for d in self.diagnostics
            if any(d.path == p or d.path.startswith(p + "/") or p in ("", ".") for p in prefixes)
        ]


def load(source, cache=None, kinds: set[str] | None = None) -> Result:
    """Read, check and model every data file of ``source``. Never raises for bad data.

    ``cache`` (a :class:`nesa_cli.store.cache.Cache`; default: the repository's)
    reuses parsed files and their schema verdicts by content. ``kinds`` limits
    the read to those kinds of file (a query that needs only schools need not
    read every policy); cross-file rules then do not run, so use it only where
    no validation is reported."""
    import gc

    # Loading makes millions of small objects and no cycles: the cyclic
    # collector would only rescan them again and again.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _load(source, _cache_for(source) if cache is None else cache, kinds)
    finally:
        # What was loaded lives until the command ends: move it out of the
        # collector's sight, or every later collection rescans all of it.
        gc.freeze()
        if enabled:
            gc.enable()


def _cache_for(source):
    from nesa_cli.store.cache import Cache

    return Cache(getattr(source, "root", None))


def _use_listings(source, cache) -> None:
    """Let a working tree reuse the listings of folders that have not changed."""
    use = getattr(source, "use_listings", None)
    if use is not None and cache.dir is not None:
        use(cache.listings())


def _strip(problems: list[Diagnostic]) -> list[tuple]:
    return [(d.line, d.col, d.severity, d.rule, d.message) for d in problems]


def _dress(path: str, rows) -> list[Diagnostic]:
    return [Diagnostic(path, *row) for row in rows]


def _content_id(source, path: str) -> str:
    from nesa_cli.store.sources import blob_id

    getter = getattr(source, "content_id", None)
    return getter(path) if getter else blob_id(source.read(path))


class _PackedDocument(Document):
    """A document whose data is still in the cache's pack: unpacked when first
    read (should the packed bytes prove damaged, the file is read instead).
    Its own attributes are only its path, its entry and where that came from:
    a region makes 25,000 of these for a listing that reads 4,000."""

    text = None

    @property
    def data(self):
        d = self.__dict__
        if "data" not in d:
            kind, cache, source = d["_from"]
            try:
                d["data"] = cache.unpack(kind, d["_entry"])
            except ValueError:
                d["data"] = load_bytes(self.path, source.read(self.path)).data
        return d["data"]

    @data.setter
    def data(self, value) -> None:
        self.__dict__["data"] = value

    @property
    def problems(self) -> list[Diagnostic]:
        return self.__dict__.setdefault("problems", [])

    @problems.setter
    def problems(self, value) -> None:
        self.__dict__["problems"] = value

    @property
    def reread(self):
        d = self.__dict__
        if "reread" in d:
            return d["reread"]
        source, path = d["_from"][2], self.path
        return lambda: source.read(path)

    @reread.setter
    def reread(self, value) -> None:
        self.__dict__["reread"] = value


def _packed(path: str, entry, origin: tuple) -> Document:
    """A document of an entry (or a row of a pack: see Cache.rows) still
    packed; ``origin`` is (kind name, cache, source)."""
    doc = object.__new__(_PackedDocument)
    d = doc.__dict__
    d["path"], d["_entry"], d["_from"] = path, entry, origin
    load_rows = entry[1] if type(entry) is tuple else entry.load_rows
    if load_rows:
        d["problems"] = _dress(path, load_rows)
    return doc


def _read_one(source, path: str, kind: Kind, cache, packs: bool = True, key: str | None = None):
    """One file: from the cache by content, else parsed and schema-checked.
    Returns (document, schema diagnostics, cache entry or None). ``key`` is
    its cache key when already known (see store.cache.file_key).
    ``packs=False`` looks only at the file's own cache entry (reading a few
    files, opening a kind's whole pack costs more than it saves)."""
    if key is None:
        key = file_key(kind.key, _content_id(source, path))
    with stage("cache"):
        entry = cache.lookup(kind.name, key) if packs else cache.own(key)
    if entry is not None:
        if entry.blob is not None:
            doc = _packed(path, entry, (kind.name, cache, source))
        else:
            doc = Document(path, None, entry.data, _dress(path, entry.load_rows))
            doc.forget_text(lambda: source.read(path))
        return doc, _dress(path, entry.schema_rows) if entry.schema_rows else [], entry
    with stage("read"):
        raw = source.read(path)
    with stage("parse"):
        doc = load_bytes(path, raw)
    schema_problems: list[Diagnostic] = []
    if doc.data is not None:
        if not isinstance(doc.data, dict):
            schema_problems = [Diagnostic(path, 1, 1, ERROR, "schema", f"a {kind.name} file must be a mapping of fields (key: value lines)")]
        else:
            from nesa_cli.validate import schema as schema_check  # not imported when every file is cached

            with stage("schema"):
                schema_problems = schema_check.check(doc, kind.schema)
    entry = cache.put_file(kind.name, key, doc.data, _strip(doc.problems), _strip(schema_problems))
    doc.forget_text(lambda: source.read(path))
    return doc, schema_problems, entry


def read_file(source, path: str, kind: Kind, cache, key: str | None = None) -> Document:
    """One file as a load reads it: from its own cache entry by content (no
    YAML parser then), else parsed, checked against its kind's schema and
    kept. Change reports read a file's earlier versions this way."""
    return _read_one(source, path, kind, cache, packs=False, key=key)[0]


def _load(source, cache, kinds: set[str] | None = None) -> Result:
    """The stages, each timed under --timings: list the files; for each file,
    take it from the cache or read, parse and check it against its kind's
    schema; build its record; then run the cross-file rules."""
    result = Result(Model())
    diags = result.diagnostics
    content_id = getattr(source, "content_id", None)
    packs = cache.dir is not None and content_id is not None
    with stage("list"):
        _use_listings(source, cache)
        if packs and hasattr(source, "start_content_ids"):
            source.start_content_ids()  # git answers while the files are listed and the packs read
        for path, reason in source.unsafe():
            diags.append(Diagnostic(path, 1, 1, ERROR, "unsafe-path", f"refused: {reason}"))
        files = source.files()
    if packs:
        with stage("cache"):
            cache.open_packs(sorted(kinds) if kinds is not None else [k.name for k in KINDS])
    _read_and_build(result, source, cache, files, kinds, packs, content_id)
    if getattr(source, "is_working_tree", False):
        with stage("cache"):
            cache.save_packs()  # packs follow the working tree, not revisions read with --at
    if kinds is None:
        from nesa_cli.progress import step

        step(CHECKING, 0, 1)
        with stage("rules"):
            _cross_file(result)
        step(CHECKING, 1, 1)
    diags.sort(key=sort_key)
    return result


def _read_and_build(result: Result, source, cache, files, kinds, packs: bool, content_id) -> None:
    """Every file in listing order, kind by kind (runs of packed schools at once),
    each step reported to nesa_cli.progress (every 50 files)."""
    from itertools import groupby

    from nesa_cli.progress import step

    total, done = len(files), 0
    step(READING, 0, total)
    for kind, group in groupby(files, kind_for):
        group = list(group)
        if kinds is not None and (kind is None or kind.name not in kinds):
            done += len(group)
            continue
        if packs and kind is not None and kind.name in SUMMARISED:
            _load_run(result, source, cache, kind, group, content_id)
            done += len(group)
            step(READING, done, total)
            continue
        for path in group:
            _load_one(result, source, cache, kind, path)
            done += 1
            if done % 50 == 0:
                step(READING, done, total)
    step(READING, total, total)


def _cross_file(result: Result) -> None:
    from nesa_cli.validate.rules import check_rules

    cross = []
    if not any(k.name == "alliance" for k in result.kinds.values()):
        cross.append(Diagnostic("data/alliance.yaml", 1, 1, ERROR, "alliance-missing", "data/alliance.yaml is missing: every data repository needs one"))
    places: list = [None] * len(cross)
    cross.extend(check_rules(result, places))
    result.cross = list(zip(cross, places))
    result.diagnostics.extend(cross)


def _load_run(result: Result, source, cache, kind: Kind, paths: list[str], content_id) -> None:
    """Files of one kind, next to each other in the listing. Runs of them that
    the kind's pack serves clean and summarised are added at once, neither
    unpacked nor built (see _Documents, model.add_summaries); any other file
    goes through _load_one, in its place, so the order is a cold load's."""
    name = kind.name
    keys = [file_key(kind.key, content_id(p)) for p in paths]
    rows = cache.rows(name, keys)
    origin = (name, cache, source)
    documents = result.documents
    i, n = 0, len(paths)
    while i < n:
        j = i
        while j < n:
            row = rows[j]
            if row is None or row[3] is None or row[1] or row[2]:
                break
            j += 1
        if j > i:
            run = paths[i:j]
            documents.update(zip(run, [(row, origin) for row in rows[i:j]]))
            result.kinds.update(dict.fromkeys(run, kind))
            add_summaries(result.model, name, [row[3] for row in rows[i:j]], run, documents)
            cache.use(name, keys[i:j], rows[i:j])
        if j < n:
            _load_one(result, source, cache, kind, paths[j], keys[j])
        i = j + 1


def _load_one(result: Result, source, cache, kind: Kind | None, path: str, key: str | None = None) -> None:
    """One file: its document, its own diagnostics, its record."""
    diags = result.diagnostics
    if kind is None:
        hint = "; data files end in .yaml" if path.endswith(".yml") else ""
        if path.endswith((".yaml", ".yml")) or not _is_ignorable(path):
            diags.append(Diagnostic(path, 1, 1, WARNING, "unknown-file", f"no kind of data file lives here, so it is not checked{hint}"))
        return
    try:
        doc, problems, entry = _read_one(source, path, kind, cache, key=key)
    except OSError as exc:
        diags.append(Diagnostic(path, 1, 1, ERROR, "unreadable", f"cannot read the file: {exc.strerror or exc}"))
        return
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
            if entry is not None:
                entry.summary = summary(kind.name, record)
    if own:
        diags.extend(own)
        result.by_file[path] = own


def _is_ignorable(path: str) -> bool:
    name = PurePosixPath(path).name
    return name.lower() in {"readme.md", "readme", ".gitkeep", "license"}


def validate(source, paths: list[str] | None = None, cache=None) -> tuple[Result, list[Diagnostic]]:
    """Load everything (cross-file rules need it), report for ``paths`` only.

    When no file's content has changed since a run that the cache remembers,
    its diagnostics are returned without parsing anything. When a few school
    files changed only in fields no cross-file rule reads, only they are read
    again (nesa_cli.validate.incremental)."""
    from nesa_cli.store.cache import run_key, run_rows_ok

    cache = _cache_for(source) if cache is None else cache
    _use_listings(source, cache)
    key = None
    if cache.dir is not None:
        try:
            entries = []
            for path in source.files():
                kind = kind_for(path)
                if kind is not None:
                    entries.append((path, file_key(kind.key, _content_id(source, path))))
            extra = [sorted(source.unsafe()), [p for p in source.files() if kind_for(p) is None]]
            key = run_key(entries, extra)
        except OSError:
            key = None
        hit = cache.get(key) if key else None
        if hit is not None and run_rows_ok(hit):
            files, rows = hit
            result = Result(Model(), diagnostics=[Diagnostic(*row) for row in rows], checked=files, run=key)
            return result, result.only(paths or [])
    from nesa_cli.validate import incremental

    result = incremental.revalidate(source, cache, entries, extra) if key else None
    if result is None:
        result = load(source, cache)
        if key:
            incremental.remember(source, cache, entries, extra, result)
    if key:
        cache.put(key, (result.files, [(d.path, d.line, d.col, d.severity, d.rule, d.message) for d in result.diagnostics]))
        result.run = key
    return result, result.only(paths or [])
