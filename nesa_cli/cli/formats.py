"""One output switch for every command: ``--format VALUE``.

The rule (README, "Commands"): a command that can print in more than one
form takes ``--format`` with the forms it has, the first being the default:

* listings: ``table`` (a terminal table, aligned text in a pipe), ``json``, ``csv``;
* reports, ``show`` commands and edits: ``text``, ``json`` (``diff`` also ``markdown``);
* documents: their own, e.g. ``agenda``: ``md``, ``html``, ``pdf``;
  ``contacts``: ``html``, ``pdf``, ``csv``, ``vcf``;
* ``validate``: ``text``, ``github``, ``json``.

``--json``, ``--csv`` and ``--markdown`` stay, as shorthands for
``--format json``, ``--format csv`` and ``--format markdown``, wherever the
command has that form (so old scripts and the README's examples keep
working, and ``validate --json`` or ``contacts --csv`` work too). A value is
checked like every choice option: case ignored, ``did you mean`` for a
misspelling (nesa_cli.cli.vocab); two switches naming different forms are a
usage error.

Commands keep their own parameters (``as_json``, ``as_csv``, ``as_markdown``,
``fmt``): :func:`apply` (run by ``nesa_cli.cli.register``) gives each command
the switches above and sets those parameters from the form chosen, so a
command's body is unchanged and no command can miss the rule. A command
whose ``fmt`` has its own forms declares them with :func:`FORMAT`.
"""

from __future__ import annotations

import functools
import inspect
from typing import Optional

import typer

SHORTHANDS = {"json": ("as_json", "--json"), "csv": ("as_csv", "--csv"), "markdown": ("as_markdown", "--markdown")}
_DONE = "__nesa_formats__"


def FORMAT(*values: str, help: str | None = None, short: bool = False):  # noqa: N802 - reads like typer.Option
    """The ``fmt`` option of a command with forms of its own (the first is
    the default); ``help`` says what they are. ``short``: also ``-f``."""
    names = ("--format", "-f") if short else ("--format",)
    info = typer.Option(values[0], *names, metavar="|".join(values), help=help)
    info.nesa_formats = tuple(values)
    return info


def forms(callback) -> tuple[str, ...] | None:
    """The forms a command prints in, from its parameters; None: one form only."""
    params = inspect.signature(callback).parameters
    declared = getattr(params["fmt"].default, "nesa_formats", None) if "fmt" in params else None
    if declared:
        return declared
    if "as_csv" in params:
        return ("table", "json", "csv")
    if "as_json" in params or "as_markdown" in params:
        return ("text",) + (("markdown",) if "as_markdown" in params else ()) + (("json",) if "as_json" in params else ())
    return None


def apply(typer_app: typer.Typer) -> None:
    """Give every command with more than one form the switches (see the module)."""
    for info in typer_app.registered_commands:
        if info.callback is not None and not getattr(info.callback, _DONE, None):
            values = forms(info.callback)
            if values:
                info.callback = _switched(info.callback, values)
    for group in typer_app.registered_groups:
        if group.typer_instance is not None:
            apply(group.typer_instance)


def chosen(values: tuple[str, ...], fmt: str | None, flags: dict[str, bool]) -> str:
    """The form asked for: ``--format`` (checked, did you mean) or a shorthand;
    the default (the first form) when neither is given."""
    from nesa_cli.cli import common, vocab

    picked = [(f"--format {fmt}", vocab.choice(fmt, values, "--format"))] if fmt is not None else []
    picked += [(SHORTHANDS[form][1], form) for form, on in flags.items() if on]
    if len({form for _, form in picked}) > 1:
        raise common.Misuse(f"choose one output form: {' and '.join(switch for switch, _ in picked)} say different things")
    return picked[0][1] if picked else values[0]


def _switched(callback, values: tuple[str, ...]):
    sig = inspect.signature(callback)
    params = sig.parameters
    own = params.get("fmt")
    own_help = own.default.help if own is not None else None
    default = values[0]
    listed = ", ".join(values[:-1]) + f" or {values[-1]}" if len(values) > 1 else values[0]
    help_ = f"How to print: {listed} (default {default})" + (f": {own_help.rstrip('.')}" if own_help else "") + "."
    names = ("--format", "-f") if own is not None and "-f" in (own.default.param_decls or ()) else ("--format",)

    def complete(incomplete: str):
        return [v for v in values if v.startswith(incomplete or "")]

    fmt_info = typer.Option(None, *names, metavar="|".join(values), help=help_, show_default=False, autocompletion=complete)
    new = [p for name, p in params.items() if name not in ("fmt",) + tuple(s[0] for s in SHORTHANDS.values())]
    added = {"fmt": Optional[str]}
    new.append(inspect.Parameter("fmt", inspect.Parameter.KEYWORD_ONLY, default=fmt_info, annotation=Optional[str]))
    for form in values:
        if form in SHORTHANDS:
            name, switch = SHORTHANDS[form]
            old = params.get(name)
            said = old.default.help if old is not None and getattr(old.default, "help", None) else f"Print {form.upper() if form != 'markdown' else 'Markdown'}."
            info = typer.Option(False, switch, help=f"{said.rstrip('.')}; short for --format {form}.")
            new.append(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=info, annotation=bool))
            added[name] = bool
    takes = set(params)

    @functools.wraps(callback)
    def run(**kwargs):
        fmt = kwargs.pop("fmt", None)
        flags = {form: kwargs.pop(SHORTHANDS[form][0], False) for form in values if form in SHORTHANDS}
        form = chosen(values, fmt, flags)
        if "fmt" in takes:
            kwargs["fmt"] = form
        for f, (name, _) in SHORTHANDS.items():
            if name in takes:
                kwargs[name] = form == f
        return callback(**kwargs)

    run.__signature__ = sig.replace(parameters=[p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in new])
    # Typer reads the signature above (inspect stops unwrapping at __signature__) and
    # resolves the command's own postponed annotations in its module (through __wrapped__)
    removed = ("fmt",) + tuple(s[0] for s in SHORTHANDS.values())
    run.__annotations__ = {**{k: v for k, v in callback.__annotations__.items() if k not in removed}, **added}
    setattr(run, _DONE, values)
    return run
