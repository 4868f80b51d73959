"""Shell completion of values: schools, meetings, networks, policies...

``nesa --install-completion`` (Typer) installs the script for the shell in
use; ``nesa --show-completion SHELL`` prints it. The script runs
``_NESA_COMPLETE=complete_bash nesa`` (zsh, fish, powershell alike), which
imports every command module (nesa_cli.cli.modules_for).

Values come from file names under data/ (cheap: no YAML is parsed), and for
schools also the ``name:`` line of each file, so ``--school roth<TAB>``
offers ``rothbury`` with "Rothbury First School (122101)" beside it (a
unique part of a name is how the vocabulary names a school: nesa_cli.cli.vocab). Which parameters complete
what is decided by their names, once, for every command (:func:`attach`).
"""

from __future__ import annotations

import os
import re

import typer

# parameter name -> the folder under data/ its values are the file names of
BY_PARAMETER = {
    "school": "schools", "schools": "schools", "urn": "schools", "for_school": "schools", "provider": "schools",
    "meeting": "meetings", "network": "networks", "policy": "policies",
}
# the generic IDENT argument of a group's commands (schools set IDENT ...)
BY_GROUP = {"schools": "schools", "networks": "networks", "policies": "policies", "meetings": "meetings",
            "activities": "activities", "finance": "finance", "membership": "schools"}
MANY_NAMES = 400  # beyond this many candidates, URNs are offered without names
_NAME = re.compile(rb"^name:[ \t]*(.+?)[ \t]*$", re.M)


def attach(app) -> None:
    """Give each school, meeting, network and policy parameter its completion."""
    _walk(app, None)


def _walk(typer_app, group: str | None) -> None:
    import inspect

    from typer.models import ParameterInfo

    for info in typer_app.registered_commands:
        if info.callback is None:
            continue
        for name, param in inspect.signature(info.callback).parameters.items():
            default = param.default
            if not isinstance(default, ParameterInfo) or default.autocompletion is not None:
                continue
            folder = BY_PARAMETER.get(name) or (BY_GROUP.get(group) if name in ("ident", "thing") else None)
            if name == "thing" and group is None:
                folder = "schools networks policies"
            if folder:
                default.autocompletion = _completer(folder)
    for sub in typer_app.registered_groups:
        if sub.typer_instance is not None:
            _walk(sub.typer_instance, sub.name)


def _completer(folders: str):
    def complete(ctx, incomplete: str):
        try:
            root = _root(ctx)
            out = []
            for folder in folders.split():
                out += values(root, folder, incomplete)
            return out
        except Exception:  # noqa: BLE001 - a completion never breaks the shell
            return []

    def typed(ctx: typer.Context, incomplete: str):
        return complete(ctx, incomplete)

    return typed


def _root(ctx):
    from nesa_cli.store import find_root

    explicit = ctx.find_root().params.get("data_dir") if ctx is not None else None
    return find_root(explicit=explicit or os.environ.get("NESA_DATA_DIR") or None)


def values(root, folder: str, incomplete: str) -> list[tuple[str, str]]:
    """(value, help) pairs for ``incomplete`` from the files of data/<folder>."""
    base = os.path.join(os.fspath(root), "data", folder)
    try:
        stems = sorted(n[:-5] for n in os.listdir(base) if n.endswith(".yaml") and not n.startswith("."))
    except OSError:
        return []
    word = incomplete.casefold()
    if folder != "schools":
        return [(s, "") for s in stems if s.casefold().startswith(word)]
    if word.isdigit() or not word:
        hits = [s for s in stems if s.startswith(word)]
        if len(hits) > MANY_NAMES:
            return [(s, "") for s in hits]
        return [(s, _name(base, s)) for s in hits]
    # a word of a school's name (the vocabulary takes a unique part of a name):
    # "roth" -> "rothbury", with the school beside it; one value per word
    found: dict[str, list[str]] = {}
    for s in stems:
        name = _name(base, s)
        for w in re.findall(r"[\w'’-]+", name):
            if w.casefold().startswith(word) and len(w) >= len(incomplete):
                found.setdefault(incomplete + w[len(incomplete):], []).append(f"{name} ({s})")
    return [(value, ", ".join(names[:2]) + (f" and {len(names) - 2} more" if len(names) > 2 else ""))
            for value, names in sorted(found.items())]


def _name(base: str, stem: str) -> str:
    try:
        with open(os.path.join(base, stem + ".yaml"), "rb") as f:
            m = _NAME.search(f.read(4096))
    except OSError:
        return ""
    if not m:
        return ""
    text = m.group(1).decode("utf-8", "replace").split(" #")[0].strip()
    if len(text) > 1 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1]
    return text
