"""Load a whole source: list its files, take each from the cache or read,
parse and check it against its kind's schema, build its record, then run the
cross-file rules. :func:`load` is those stages in order (each in
:mod:`nesa_cli.loader.stages`, each timed under ``--timings``).

The cache sits behind one seam: what it keeps of a file is one
:class:`nesa_cli.store.entries.Entry`; ``Result.documents`` is a mapping of
path -> Document (:class:`nesa_cli.loader.documents.Documents`); records are
the plain ones of :mod:`nesa_cli.model`, except that a school served from the
cache may stand for itself by its summary until more is asked for
(:mod:`nesa_cli.loader.lazy`).
"""

from __future__ import annotations

from contextlib import nullcontext

from nesa_cli.diagnostics import Diagnostic, declare, sort_key
from nesa_cli.kinds import Kind
from nesa_cli.load import Document
from nesa_cli.loader import stages
from nesa_cli.loader.documents import Documents, Origin, entry_document
from nesa_cli.loader.result import Result
from nesa_cli.loader.stages import CHECKING, READING, content_id
from nesa_cli.model import Model
from nesa_cli.store.cache import file_key
from nesa_cli.timings import stage

__all__ = ["CHECKING", "READING", "Documents", "Result", "cache_for", "load", "read_one", "use_listings"]

# The rule ids this module reports: severity and meaning (the README's rule
# table and nesa_cli.validate.catalogue are made from these).
RULE_IDS = declare({
    "unreadable": ("error", "The file could not be read."),
    "unsafe-path": ("error", "A symbolic link or other non-regular file under data/."),
    "unknown-file": ("warning", "A file under data/ that no kind of record claims (so nothing checks it)."),
    "alliance-missing": ("error", "data/alliance.yaml is missing."),
})


def load(source, cache=None, kinds: set[str] | None = None) -> Result:
    """Read, check and model every data file of ``source``. Never raises for bad data.

    ``cache`` (a :class:`nesa_cli.store.cache.Cache`; default: the repository's)
    reuses parsed files and their schema verdicts by content. ``kinds`` limits
    the read to those kinds of file (a query that needs only schools need not
    read every policy); cross-file rules then do not run, so use it only where
    no validation is reported."""
    cache = cache_for(source) if cache is None else cache
    with _while_loading():
        result = Result(Model())
        groups, total = stages.list_files(result, source, cache, kinds)
        stages.from_cache(source, cache, groups, kinds)
        fresh = stages.read(source, groups)
        fresh = stages.parse(fresh)
        fresh = stages.check_schema(fresh, source, cache)
        stages.build(result, cache, groups, fresh, total)
        if getattr(source, "is_working_tree", False):
            with stage("cache"):
                cache.save_packs()  # packs follow the working tree, not revisions read with --at
        if kinds is None:
            stages.cross_file(result)
        result.diagnostics.sort(key=sort_key)
        return result


def _while_loading():
    """What the process wants around a load: nothing, unless the console
    script (nesa_cli.entry) set ``nesa_cli.WHILE_LOADING`` (it pauses the
    cyclic garbage collector: a library leaves that to its process)."""
    import nesa_cli

    hook = getattr(nesa_cli, "WHILE_LOADING", None)
    return nullcontext() if hook is None else hook()


def cache_for(source):
    """The cache of the source's repository (off for a source with no root)."""
    from nesa_cli.store.cache import Cache

    return Cache(getattr(source, "root", None))


def use_listings(source, cache) -> None:
    """Let a working tree reuse the listings of folders that have not changed."""
    use = getattr(source, "use_listings", None)
    if use is not None and cache.dir is not None:
        use(cache.listings())


def read_one(source, path: str, kind: Kind, cache) -> tuple[Document, list[Diagnostic]]:
    """One file on its own: (its document, its schema diagnostics), from its
    own cache entry (a kind's whole pack costs more than it saves for a few
    files) or read, parsed and checked. OSError when it cannot be read."""
    key = file_key(kind.key, content_id(source, path))
    origin = Origin(kind.name, cache, source)
    with stage("cache"):
        entry = cache.own(key)
    if entry is not None:
        return entry_document(path, entry, origin), entry.schema_problems(path)
    group = stages.Group(kind, [path], origin)
    group.keys = [key]
    fresh = next(stages.check_schema(stages.parse(stages.read(source, [group])), source, cache))
    if fresh.error is not None:
        raise OSError(fresh.error)
    return fresh.doc, fresh.problems
