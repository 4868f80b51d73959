"""Every rule id the validator can report, with its severity and meaning.

Each module declares the ids it reports where it reports them
(``RULE_IDS = declare({...})``; plug-in kinds' rule modules too). This module
gathers them: loading, the schema check, then the rules of every registered
kind, in that order. The README's rule table is made from it
(``python -m nesa_cli.docs``), and a test fails when the two differ.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Iterator

# Modules that report rules before any kind's cross-file rules run.
HOMES = ("nesa_cli.load", "nesa_cli.loader", "nesa_cli.validate.schema")


def catalogue() -> dict[str, tuple[str, str]]:
    """rule id -> (severity, meaning), every module that declares rules imported."""
    import importlib

    from nesa_cli.diagnostics import DECLARED
    from nesa_cli.kinds import rule_modules

    modules = HOMES + rule_modules()
    for name in modules:
        importlib.import_module(name)
    order: dict[str, tuple[str, str]] = {}
    for name in modules:
        order.update(getattr(importlib.import_module(name), "RULE_IDS", {}))
    order.update((k, v) for k, v in DECLARED.items() if k not in order)
    return order


class _Catalogue(Mapping):
    """``RULES[rule_id]`` -> (severity, meaning), gathered on first use."""

    _made: tuple = (None, {})

    def _all(self) -> dict[str, tuple[str, str]]:
        from nesa_cli.diagnostics import DECLARED
        from nesa_cli.kinds import KINDS

        stamp = (len(KINDS), len(DECLARED))
        if self._made[0] != stamp:
            self._made = (stamp, catalogue())
        return self._made[1]

    def __getitem__(self, key: str) -> tuple[str, str]:
        return self._all()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


RULES: Mapping[str, tuple[str, str]] = _Catalogue()


def rule_table() -> str:
    """The README's rule table (Markdown)."""
    rows = ["| rule | severity | what it means |", "| --- | --- | --- |"]
    rows += [f"| `{rule}` | {severity} | {meaning} |" for rule, (severity, meaning) in catalogue().items()]
    return "\n".join(rows) + "\n"
