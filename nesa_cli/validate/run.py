"""Load a whole source: strict YAML, schemas, model, cross-file rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath

from nesa_cli.diagnostics import ERROR, WARNING, Diagnostic, counts, sort_key
from nesa_cli.kinds import Kind, kind_for
from nesa_cli.load import Document, load_bytes
from nesa_cli.model import Model, add_record
from nesa_cli.validate import schema as schema_check


@dataclass
class Result:
    """Everything one read of the data produced."""

    model: Model
    documents: dict[str, Document] = field(default_factory=dict)
    kinds: dict[str, Kind] = field(default_factory=dict)  # path -> kind
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def files(self) -> int:
        return len(self.documents)

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


def load(source) -> Result:
    """Read, check and model every data file of ``source``. Never raises for bad data."""
    from nesa_cli.validate.rules import check_rules

    result = Result(Model())
    diags = result.diagnostics
    for path, reason in source.unsafe():
        diags.append(Diagnostic(path, 1, 1, ERROR, "unsafe-path", f"refused: {reason}"))
    for path in source.files():
        kind = kind_for(path)
        if kind is None:
            hint = "; data files end in .yaml" if path.endswith(".yml") else ""
            if path.endswith((".yaml", ".yml")) or not _is_ignorable(path):
                diags.append(Diagnostic(path, 1, 1, WARNING, "unknown-file", f"no kind of data file lives here, so it is not checked{hint}"))
            continue
        try:
            raw = source.read(path)
        except OSError as exc:
            diags.append(Diagnostic(path, 1, 1, ERROR, "unreadable", f"cannot read the file: {exc.strerror or exc}"))
            continue
        doc = load_bytes(path, raw)
        result.documents[path] = doc
        result.kinds[path] = kind
        diags.extend(doc.problems)
        if doc.data is None:
            continue
        if not isinstance(doc.data, dict):
            diags.append(Diagnostic(path, 1, 1, ERROR, "schema", f"a {kind.name} file must be a mapping of fields (key: value lines)"))
            continue
        problems = schema_check.check(doc, kind.schema)
        diags.extend(problems)
        if not problems and doc.ok:
            try:
                add_record(result.model, kind, doc.data, path)
            except (ValueError, KeyError, TypeError) as exc:  # e.g. 2024-02-30 passes the pattern
                diags.append(Diagnostic(path, 1, 1, ERROR, "schema", f"cannot read the record: {exc}"))
    if not any(k.name == "alliance" for k in result.kinds.values()):
        diags.append(Diagnostic("data/alliance.yaml", 1, 1, ERROR, "alliance-missing", "data/alliance.yaml is missing: every data repository needs one"))
    diags.extend(check_rules(result))
    diags.sort(key=sort_key)
    return result


def _is_ignorable(path: str) -> bool:
    name = PurePosixPath(path).name
    return name.lower() in {"readme.md", "readme", ".gitkeep", "license"}


def validate(source, paths: list[str] | None = None) -> tuple[Result, list[Diagnostic]]:
    """Load everything (cross-file rules need it), report for ``paths`` only."""
    result = load(source)
    return result, result.only(paths or [])
