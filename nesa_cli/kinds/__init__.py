"""The registry of kinds of data file: one module per kind (or small family).

A kind says where its files live, which schema checks them, which field is
the id that the file name must repeat, how a valid file becomes a record,
which cross-file rules read it, how its changes are told in words, where
they are grouped in change reports, and which columns list it. Everything
else (loading, validation, the cache, `nesa list`, `nesa status`, `nesa
diff`, the digest) takes kinds from here.

Where kinds come from:

* the modules named in ``BUILTIN`` (``nesa_cli/kinds/<module>.py``), each
  with a ``KINDS`` list of :class:`Kind`;
* any installed package that declares an entry point in the group
  ``nesa.kinds`` naming a module with a ``KINDS`` list (or a ``KIND``). These
  are looked for only when a file under ``data/`` belongs to no built-in kind,
  or a kind is asked for by a name no built-in kind has: reading the
  installed packages' metadata costs about 30 ms, more than most commands.

Strings such as ``"nesa_cli.model:build_school"`` name functions imported on
first use, so listing kinds imports nothing heavy.
"""

from __future__ import annotations

import hashlib
import importlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

ENTRY_POINT_GROUP = "nesa.kinds"
BUILTIN = ("alliance", "school", "network", "policy", "body", "meeting", "finance", "activity")


def _function(spec: str) -> Callable:
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


@dataclass(frozen=True)
class Kind:
    name: str  # "school"
    folder: str  # folder relative to the repository root, e.g. "data/schools"
    schema: str  # a file name in the tool's schemas/ folder, or an absolute path (a plug-in's own schema)
    id_field: str | None  # field holding the id, e.g. "urn"; None for a single file
    file: str | None = None  # for a single-file kind, its path, e.g. "data/alliance.yaml"
    stem: str = r"[a-z0-9]+(-[a-z0-9]+)*"  # what a file name (without .yaml) must look like
    plural: str = ""
    builder: str | None = None  # "module:function" turning a valid dict (and path) into a record with an .id
    store: str | None = None  # the Model attribute holding its records ("schools"); None: Model.records(name)
    rules: tuple[str, ...] = ()  # modules whose @rule functions check this kind across files
    describe: str | None = None  # "module:function"(FileChange, names) -> [(thing, text)]: its changes in words
    area: str = "other"  # where its changes are grouped in change reports ("meetings", "money", ...)
    area_title: str | None = None  # the heading of that group, for an area no built-in kind has
    columns: tuple[tuple[str, str], ...] = (("Id", "id"),)  # (heading, attribute) for `nesa list`
    label: str | None = None  # attribute naming one record for readers ("name", "title")
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def build(self, data: dict, path: str):
        return _function(self.builder)(data, path)

    def describer(self) -> Callable | None:
        return _function(self.describe) if self.describe else None

    @property
    def title(self) -> str:
        return self.plural or self.name + "s"

    @property
    def key(self) -> str:
        """The name this kind's entries carry in the cache: a plug-in's schema is
        not among the tool's (whose bytes are in every key already), so a
        digest of it is part of the name and a changed schema is a miss."""
        path = Path(self.schema)
        if not path.is_absolute():
            return self.name
        try:
            return f"{self.name}.{hashlib.blake2b(path.read_bytes(), digest_size=6).hexdigest()}"
        except OSError:
            return self.name

    def matches(self, path: str) -> bool:
        if self.file is not None:
            return path == self.file
        folder, _, name = path.rpartition("/")
        return folder == self.folder and name.endswith(".yaml")


def _from_module(name: str) -> list[Kind]:
    module = importlib.import_module(name)
    found = getattr(module, "KINDS", None)
    if found is None:
        found = [module.KIND]
    return [k for k in found if isinstance(k, Kind)]


KINDS: list[Kind] = [k for mod in BUILTIN for k in _from_module(f"nesa_cli.kinds.{mod}")]
_plugins_loaded = False


def register(kind: Kind) -> None:
    """Add a kind (a plug-in module, a test); idempotent by name."""
    if all(k.name != kind.name for k in KINDS):
        KINDS.append(kind)


def load_plugins() -> bool:
    """Register the kinds of installed plug-ins (entry points in the group
    ``nesa.kinds``), once. True when that added a kind."""
    global _plugins_loaded
    if _plugins_loaded:
        return False
    _plugins_loaded = True
    from importlib import metadata

    before = len(KINDS)
    for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
        loaded = ep.load()
        kinds = [loaded] if isinstance(loaded, Kind) else _from_module(loaded.__name__)
        for kind in kinds:
            register(kind)
    return len(KINDS) > before


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


def kind_for(path: str, plugins: bool = True) -> Kind | None:
    """The kind of file at ``path`` (repository-relative, POSIX), or None.
    The same answer as the first of KINDS whose ``matches`` is true, by two
    dictionary lookups (a region has 25,000 files to place). A ``.yaml`` file
    under data/ that no kind claims makes the plug-ins be looked for once."""
    made, size, by_file, by_folder = _places
    if made is not KINDS or size != len(KINDS):
        made, size, by_file, by_folder = _by_place()
    kind = by_file.get(path)
    if kind is not None:
        return kind
    folder, _, name = path.rpartition("/")
    if not name.endswith(".yaml"):
        return None
    kind = by_folder.get(folder)
    if kind is None and plugins and not _plugins_loaded and path.startswith("data/") and load_plugins():
        return kind_for(path, plugins=False)
    return kind


def named(name: str) -> Kind | None:
    """The kind called ``name`` (or by its plural title, any case), plug-ins included."""
    wanted = re.sub(r"[\s_]+", "-", name.strip().lower())
    for attempt in (0, 1):
        for kind in KINDS:
            if wanted in (kind.name, re.sub(r"\s+", "-", kind.title.lower())):
                return kind
        if attempt == 0 and not load_plugins():
            break
    return None


def areas() -> dict[str, str]:
    """Change-report areas in the order reports show them, with their headings."""
    out: dict[str, str] = {}
    for kind in KINDS:
        out.setdefault(kind.area, kind.area_title or kind.area.replace("-", " ").capitalize())
    out.setdefault("other", "Other")
    return out


def area_of(kind_name: str | None) -> str:
    for kind in KINDS:
        if kind.name == kind_name:
            return kind.area
    return "other"


def rule_modules() -> tuple[str, ...]:
    """Every module holding cross-file rules of a registered kind, in order."""
    return tuple(dict.fromkeys(m for kind in KINDS for m in kind.rules))
