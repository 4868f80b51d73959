"""The registry of kinds of data file.

A kind says where its files live, which schema checks them and which field
is the id that the file name must repeat. Later kinds (meetings, finance,
activities) register here and every command picks them up; nothing else in
loading or validation needs to change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    name: str  # "school"
    folder: str  # folder relative to the repository root, e.g. "data/schools"
    schema: str  # file name in schemas/, e.g. "school.schema.json"
    id_field: str | None  # field holding the id, e.g. "urn"; None for a single file
    file: str | None = None  # for a single-file kind, its path, e.g. "data/alliance.yaml"
    stem: str = r"[a-z0-9]+(-[a-z0-9]+)*"  # what a file name (without .yaml) must look like
    plural: str = ""
    builder: str | None = None  # "module:function" turning a valid dict (and path) into a record with an .id

    def build(self, data: dict, path: str):
        import importlib

        module, _, func = (self.builder or "").partition(":")
        return getattr(importlib.import_module(module), func)(data, path)

    @property
    def title(self) -> str:
        return self.plural or self.name + "s"

    def matches(self, path: str) -> bool:
        if self.file is not None:
            return path == self.file
        folder, _, name = path.rpartition("/")
        return folder == self.folder and name.endswith(".yaml")

    def stem_ok(self, stem: str) -> bool:
        return re.fullmatch(self.stem, stem) is not None


KINDS: list[Kind] = [
    Kind("alliance", "data", "alliance.schema.json", None, file="data/alliance.yaml", plural="alliance"),
    Kind("school", "data/schools", "school.schema.json", "urn", stem=r"[0-9]{6}"),
    Kind("network", "data/networks", "network.schema.json", "id"),
    Kind("policy", "data/policies", "policy.schema.json", "id", plural="policies"),
    Kind("activity", "data/activities", "activity.schema.json", "id", plural="activities", builder="nesa_cli.collab.model:build_activity"),
    Kind("proposal", "data/proposals", "proposal.schema.json", "id", builder="nesa_cli.collab.propose:build_proposal"),
    Kind("meeting", "data/meetings", "meeting.schema.json", "id", stem=r"[0-9]{4}-[0-9]{2}-[0-9]{2}-[a-z0-9]+(-[a-z0-9]+)*", builder="nesa_cli.meetings.model:build_meeting"),
    Kind("finance-year", "data/finance", "finance-year.schema.json", "year", stem=r"[0-9]{4}-[0-9]{2}", plural="finance years", builder="nesa_cli.finance.model:build_finance_year"),
    Kind("invoice", "data/finance/invoices", "invoice.schema.json", "number", stem=r"[A-Z][A-Z0-9]{1,11}-[0-9]{4}-[0-9]{4,6}", builder="nesa_cli.finance.model:build_invoice"),
]


def register(kind: Kind) -> None:
    """Add a kind (used by feature modules); idempotent by name."""
    if all(k.name != kind.name for k in KINDS):
        KINDS.append(kind)


# (the KINDS list and its length when made, by file, by folder)
_places: tuple[object, int, dict[str, Kind], dict[str, Kind]] = (None, -1, {}, {})


def _by_place() -> tuple[object, int, dict[str, Kind], dict[str, Kind]]:
    """Kinds by file and by folder, in the order of KINDS (the first that matches wins)."""
    global _places
    by_file: dict[str, Kind] = {}
    by_folder: dict[str, Kind] = {}
    for kind in KINDS:
        if kind.file is not None:
            folder = kind.file.rpartition("/")[0]
            if not (kind.file.endswith(".yaml") and folder in by_folder):
                by_file.setdefault(kind.file, kind)
        else:
            by_folder.setdefault(kind.folder, kind)
    _places = (KINDS, len(KINDS), by_file, by_folder)
    return _places


def kind_for(path: str) -> Kind | None:
    """The kind of file at ``path`` (repository-relative, POSIX), or None.
    The same answer as the first of KINDS whose ``matches`` is true, by two
    dictionary lookups (a region has 25,000 files to place)."""
    made, size, by_file, by_folder = _places
    if made is not KINDS or size != len(KINDS):
        made, size, by_file, by_folder = _by_place()
    kind = by_file.get(path)
    if kind is not None:
        return kind
    folder, _, name = path.rpartition("/")
    return by_folder.get(folder) if name.endswith(".yaml") else None


def by_name(name: str) -> Kind:
    for kind in KINDS:
        if kind.name == name:
            return kind
    raise KeyError(name)
