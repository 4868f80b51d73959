"""Validate a whole source: every file loaded (nesa_cli.loader), reported for some paths.

The load itself lives in :mod:`nesa_cli.loader`; ``load``, ``Result`` and the
progress stages are imported from here too, as before."""

from __future__ import annotations

from nesa_cli.diagnostics import Diagnostic
from nesa_cli.kinds import kind_for
from nesa_cli.loader import CHECKING, READING, Result, cache_for, content_id, load, use_listings
from nesa_cli.model import Model
from nesa_cli.store.cache import file_key

__all__ = ["CHECKING", "READING", "Result", "load", "validate"]


def validate(source, paths: list[str] | None = None, cache=None) -> tuple[Result, list[Diagnostic]]:
    """Load everything (cross-file rules need it), report for ``paths`` only.

    When no file's content has changed since a run that the cache remembers,
    its diagnostics are returned without parsing anything. When a few school
    files changed only in fields no cross-file rule reads, only they are read
    again (nesa_cli.validate.incremental)."""
    from nesa_cli.store.cache import run_key, run_rows_ok

    cache = cache_for(source) if cache is None else cache
    use_listings(source, cache)
    key = None
    if cache.dir is not None:
        try:
            entries = []
            for path in source.files():
                kind = kind_for(path)
                if kind is not None:
                    entries.append((path, file_key(kind.key, content_id(source, path))))
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


def read_file(source, path: str, kind, cache, key: str | None = None):
    """One file as a load reads it: from its own cache entry by content (no
    YAML parser then), else parsed, checked against its kind's schema and
    kept. Change reports read a file's earlier versions this way."""
    from nesa_cli.loader import read_one

    return read_one(source, path, kind, cache)[0]
