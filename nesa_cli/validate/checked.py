"""The model and the validation verdict of a source, as a full load gives
them, without running the cross-file rules when the verdict is known.

A full load runs the cross-file rules only to count the problems; when the
cache remembers a run over exactly these files (as ``nesa validate`` does),
the diagnostics are taken from there and the model is read without the
rules, which is the same model. Commands that print the model and a
validation line (``status``, ``digest``) start here.

A command that prints only how many records some kinds hold (``status``:
"Also recorded: 16 meetings, ...") need not build them: ``kinds`` names the
kinds it reads, and the number of records of every kind comes with the
result (:attr:`Checked.counts`), kept in the cache beside the verdict for
this exact state of the files (a full load counts them once).
"""

from __future__ import annotations

COUNTS = "-records"  # the cache key of the counts: the run's key and this


def record_counts(model) -> dict[str, int]:
    """How many records the model holds of each kind (every kind, in the registry's order)."""
    from nesa_cli.kinds import KINDS

    return {k.name: len(model.records(k.name)) for k in KINDS}


def load_checked(source, kinds: set[str] | None = None, counted: bool = True):
    """A :class:`nesa_cli.validate.run.Result` with the diagnostics of the
    whole data (``files`` counted as validate does), the model of every kind
    (only of ``kinds`` when given and the counts are known), and ``counts``:
    the number of records of each kind, as a full model holds them.
    ``counted=False``: no counts wanted, so only ``kinds`` are read."""
    from nesa_cli.kinds import KINDS
    from nesa_cli.validate.run import load, validate

    checked, _ = validate(source)
    every = {k.name for k in KINDS}
    if checked.documents or checked.checked is None:  # read in full (or again in part) just now: the model is there
        checked.counts = record_counts(checked.model)
        _keep(source, checked.run, checked.counts)
        return checked
    partial = kinds is not None and not every <= set(kinds)
    counts = _kept(source, checked.run) if partial and counted else None
    result = load(source, kinds=set(kinds) if partial and (counts is not None or not counted) else every)
    result.diagnostics = list(checked.diagnostics)
    result.checked = checked.files
    result.run = checked.run
    if counts is None and counted:
        counts = record_counts(result.model)
        if kinds is not None:
            _keep(source, checked.run, counts)  # for the next run that asks for fewer kinds
    result.counts = counts
    return result


def _cache(source):
    from nesa_cli.store.cache import Cache

    return Cache(getattr(source, "root", None))


def _kept(source, run: str | None) -> dict[str, int] | None:
    if not run:
        return None
    value = _cache(source).get(run + COUNTS, count=False)
    from nesa_cli.kinds import KINDS

    if not (isinstance(value, dict) and all(isinstance(value.get(k.name), int) for k in KINDS)):
        return None  # not kept, or kept before a kind was registered: count again
    return value


def _keep(source, run: str | None, counts: dict[str, int]) -> None:
    if run:
        _cache(source).put(run + COUNTS, counts)
