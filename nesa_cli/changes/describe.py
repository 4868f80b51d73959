"""What changed between two states of the data, in words a headteacher understands.

Works on the loaded data of the files that changed (a few files, not the whole
repository), with the newer model for names. Renames, additions and removals
of files are understood. Contact details marked private are never shown.
Each change says which schools it concerns (for a school's own digest) and,
when it is one of many alike, the line that sums them up (``group``).

Each kind names its describer (``Kind.describe``): a school's is in
:mod:`.schools`, the other kinds' in :mod:`.records`, and both fall back on
:func:`.generic.generic` for fields they have no sentence of their own for.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from nesa_cli.changes.change import Change, FileChange, Names, Said
from nesa_cli.changes.fields import same
from nesa_cli.changes.generic import generic
from nesa_cli.changes.schools import ROLE_WORDS
from nesa_cli.kinds import kind_for

__all__ = ["ROLE_WORDS", "Change", "FileChange", "Names", "Said", "describe", "generic", "is_data_file"]


def is_data_file(path: str | None) -> bool:
    """A YAML file of data: not a placeholder like ``.gitkeep`` or a README."""
    name = PurePosixPath(path or "").name
    return bool(name) and not name.startswith(".") and name.endswith((".yaml", ".yml"))


def describe(files: list[FileChange], names: Names) -> list[Change]:
    out = []
    for fc in files:
        path = fc.new_path or fc.old_path
        if not is_data_file(path):
            continue
        kind = kind_for(path)
        area = kind.area if kind else "other"
        fn = (kind.describer() if kind else None) or _fallback()  # each kind names its describer (nesa_cli.kinds)
        if fc.old is not None and fc.new is not None and same(fc.old, fc.new):
            if fc.old_path != fc.new_path:
                thing = str(fc.new.get("name") or fc.new.get("title") or fc.new_path)
                out.append(Change(area, thing, f"{thing}: file moved to {fc.new_path}", path))
            continue
        for s in fn(fc, names):
            if isinstance(s, tuple):  # a plug-in's describer may say (thing, text)
                s = Said(*s)
            out.append(Change(area, s.thing, s.text, path, group=s.group, member=s.member, schools=tuple(s.schools)))
    return out


def _fallback():
    from nesa_cli.changes.records import _other as describer

    return describer
