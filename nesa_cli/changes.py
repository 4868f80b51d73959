"""Field-level changes between two versions of one record.

Values are compared after strict loading, so a change of layout or comments
is not a change. Contact fields marked private are never shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nesa_cli.privacy import PRIVATE, Masked as _Masked, marked


@dataclass(frozen=True)
class FieldChange:
    field: str  # e.g. "contacts[2].email", "pupils[1].count"
    old: Any
    new: Any

    @property
    def kind(self) -> str:
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        return "changed"

    def as_dict(self) -> dict:
        return {"field": self.field, "old": self.old, "new": self.new, "kind": self.kind}


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """{'a': {'b': [1, {'c': 2}]}} -> {'a.b[0]': 1, 'a.b[1].c': 2}.

    In any mapping with a ``private:`` list (a contact), the fields it names are masked."""
    out: dict[str, Any] = {}
    if isinstance(value, dict):
        private = marked(value)
        if not value and prefix:
            out[prefix] = {}
        for k, v in value.items():
            path = f"{prefix}.{k}" if prefix else str(k)
            if k in private and v is not None:
                out[path] = _Masked(v)
            else:
                out.update(flatten(v, path))
    elif isinstance(value, list):
        if not value and prefix:
            out[prefix] = []
        for i, v in enumerate(value):
            out.update(flatten(v, f"{prefix}[{i}]"))
    else:
        out[prefix] = value
    return out


def field_changes(old: Any, new: Any) -> list[FieldChange]:
    a, b = flatten(old or {}), flatten(new or {})
    out = []
    for key in list(a) + [k for k in b if k not in a]:
        va, vb = a.get(key), b.get(key)
        if va != vb:
            if isinstance(va, _Masked) or isinstance(vb, _Masked):
                out.append(FieldChange(key, None if va is None else PRIVATE, None if vb is None else PRIVATE))
            else:
                out.append(FieldChange(key, va, vb))
    return out
