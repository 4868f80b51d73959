"""What one read of the data produced."""

from __future__ import annotations

from dataclasses import dataclass, field

from nesa_cli.diagnostics import Diagnostic, counts
from nesa_cli.kinds import Kind
from nesa_cli.loader.documents import Documents
from nesa_cli.model import Model


@dataclass
class Result:
    """Everything one read of the data produced."""

    model: Model
    documents: Documents = field(default_factory=Documents)  # path -> Document
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
