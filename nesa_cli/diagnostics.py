"""Problems as values: every check returns Diagnostic records, never raises.

A diagnostic has a place (path relative to the data repository, 1-based line
and column), a severity, a rule id documented in the README, and a message.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Iterable

ERROR = "error"
WARNING = "warning"

# rule id -> (severity, meaning), filled by declare() in the modules that report them
DECLARED: dict[str, tuple[str, str]] = {}


def declare(rules: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """Declare the rule ids a module reports, with severity and meaning, where
    it reports them (see nesa_cli.validate.catalogue); returns them."""
    for rule_id, (severity, meaning) in rules.items():
        if severity not in (ERROR, WARNING):
            raise ValueError(f"rule {rule_id}: severity {severity!r} is neither {ERROR!r} nor {WARNING!r}")
        known = DECLARED.get(rule_id)
        if known is not None and known != (severity, meaning):
            raise ValueError(f"rule {rule_id} is declared twice, differently")
        DECLARED[rule_id] = (severity, meaning)
    return dict(rules)


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    col: int
    severity: str
    rule: str
    message: str

    def text(self) -> str:
        return visible(f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message} [{self.rule}]")

    def github(self) -> str:
        # GitHub Actions workflow command; message data must escape %, CR and LF,
        # properties additionally ',' and ':'.
        msg = _gh_escape(visible(f"{self.message} [{self.rule}]"))
        path = _gh_escape(visible(self.path), prop=True)
        level = "error" if self.severity == ERROR else "warning"
        return f"::{level} file={path},line={self.line},col={self.col},title={self.rule}::{msg}"

    def as_dict(self) -> dict:
        return asdict(self)


from nesa_cli.safetext import json_safe, visible  # noqa: E402 - one sanitiser for every text output


def _gh_escape(value: str, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def sort_key(d: Diagnostic):
    return (d.path, d.line, d.col, d.rule, d.message)


def counts(diags: Iterable[Diagnostic]) -> tuple[int, int]:
    errors = warnings = 0
    for d in diags:
        if d.severity == ERROR:
            errors += 1
        else:
            warnings += 1
    return errors, warnings


def summary(diags: list[Diagnostic], files: int) -> str:
    errors, warnings = counts(diags)
    return (
        f"{files} file{'s' if files != 1 else ''} checked: "
        f"{errors} error{'s' if errors != 1 else ''}, "
        f"{warnings} warning{'s' if warnings != 1 else ''}"
    )


def to_json(diags: Iterable[Diagnostic]) -> str:
    return json_safe(json.dumps([d.as_dict() for d in diags], indent=2, ensure_ascii=False))
