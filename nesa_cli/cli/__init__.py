"""The command-line adapter: Typer commands that parse, call the library, print.

Only this package imports Typer and rich. Commands import heavy modules
(jinja2, git, jsonschema) inside their bodies, never at start-up.
"""

from __future__ import annotations

import sys
from datetime import datetime
from typing import Optional

import typer
from typer.core import TyperGroup

from nesa_cli import __version__
from nesa_cli.cli import common
from nesa_cli.cli.helptext import plain_types
from nesa_cli.errors import NesaError

plain_types()


class _Group(TyperGroup):
    """The top command: any error the user can fix (nesa_cli.errors.NesaError:
    a path nesa refuses to write, an unknown school, a git state, a mail
    server's refusal...) is ``nesa: error: <message>`` and its exit code from
    whichever command met it, never a traceback. The one place where errors
    become exit codes."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except NesaError as exc:
            common.fail(str(exc), exc.exit_code)


app = typer.Typer(
    cls=_Group,
    name="nesa",
    help="Run a school alliance from a git repository of YAML files: validate it, query it, render its documents.",
    no_args_is_help=True,
    add_completion=True,  # --install-completion, --show-completion (nesa_cli.cli.completion)
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        common.echo(f"nesa {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    data_dir: Optional[str] = typer.Option(
        None, "--data-dir", "-C", envvar="NESA_DATA_DIR", metavar="DIR",
        help="The alliance data repository (default: found from the current folder upwards).",
    ),
    today: Optional[datetime] = typer.Option(
        None, "--today", formats=["%Y-%m-%d"], envvar="NESA_TODAY", metavar="YYYY-MM-DD",
        help="Treat this date as today (reproducible reports).",
    ),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
    timings: bool = typer.Option(False, "--timings", help="Afterwards, print on stderr the time spent in each stage of loading the data."),
) -> None:
    if timings:
        from nesa_cli import timings as clock

        clock.start()
        ctx.call_on_close(lambda: common.echo(clock.stop().report(), err=True))
    from nesa_cli.cli import progress

    ctx.call_on_close(progress.start())  # a progress bar for long work, on a terminal only
    common.OPTIONS.data_dir = data_dir
    common.OPTIONS.today = today.date() if today else None


# Each module registers its commands on ``app`` when imported. The `nesa`
# script imports only the modules that define the command its command line
# names (start-up is most of a short command's time); importing this package
# any other way (tests, python -c) registers everything.
MODULES = (
    "status", "validate", "schools", "networks", "policies", "people", "membership", "history", "diff",
    "digest", "meetings", "templates", "collab", "finance", "invoices", "actions", "init", "importer",
    "activities", "alliance", "listing", "commit", "record", "bodies", "registers",
)
# The modules that define each top-level command or group (tests/test_cli_lazy.py keeps this true).
BY_NAME = {
    "status": ("status",), "validate": ("validate",), "history": ("history",), "diff": ("diff",),
    "digest": ("digest",), "init": ("init",), "import": ("importer",), "people": ("people",),
    "templates": ("templates",), "finance": ("finance",), "invoices": ("invoices",),
    "agenda": ("meetings",), "calendar": ("meetings",), "contacts": ("meetings",), "engagement": ("meetings",),
    "equity": ("collab",), "broker": ("collab",), "impact": ("collab",), "partnerships": ("collab",),
    "schools": ("schools",), "networks": ("networks",), "policies": ("policies",),
    "membership": ("membership",), "meetings": ("meetings",), "actions": ("actions",),
    "activities": ("activities",), "alliance": ("alliance",), "team": ("alliance",), "list": ("listing",),
    "commit": ("commit",), "minutes": ("record",), "pack": ("record",), "bodies": ("bodies",),
    "registers": ("registers",),
}
_ROOT_OPTIONS_WITH_VALUE = ("--data-dir", "-C", "--today")
_ROOT_FLAGS = ("--timings",)


def register(modules=MODULES) -> None:
    import importlib

    for name in modules:
        importlib.import_module(f"nesa_cli.cli.{name}")
    one_line_summaries(app)
    from nesa_cli.cli import completion, formats, helptext

    formats.apply(app)  # one output switch: --format, with --json/--csv/--markdown as shorthands
    helptext.apply(app)
    completion.attach(app)


def _summary(text: str | None) -> str | None:
    """The first paragraph of a help text on one line (None when there is none,
    or when it is marked \\b: keep its line breaks)."""
    import inspect

    if not text:
        return None
    first = inspect.cleandoc(text).split("\n\n", 1)[0]
    if first.startswith("\b"):
        return None
    return " ".join(first.split()) or None


def one_line_summaries(typer_app: typer.Typer) -> None:
    """Give every command and group a ``short_help``: the first paragraph of its
    help (or docstring) with the line breaks of the source joined.

    In rich markup mode Typer keeps a docstring's single newlines in the
    command lists of ``nesa --help`` and each group's ``--help``, so a
    docstring wrapped at 100 columns showed as a summary broken mid-sentence.
    A command's own help page is unchanged. Runs after every registration
    (eager and lazy), and never replaces a short_help set by hand."""
    import inspect

    from typer.models import DefaultPlaceholder

    for info in typer_app.registered_commands:
        if info.short_help is None:
            text = info.help if info.help is not None else (inspect.getdoc(info.callback) if info.callback else None)
            info.short_help = _summary(text)
    for group in typer_app.registered_groups:
        if isinstance(group.short_help, DefaultPlaceholder) and group.typer_instance is not None:
            from typer.main import solve_typer_info_help

            text = solve_typer_info_help(group)
            if text:
                group.short_help = _summary(text)
        if group.typer_instance is not None:
            one_line_summaries(group.typer_instance)


def modules_for(argv: list[str]) -> tuple[str, ...]:
    """The command modules a command line needs: those of its first word, or all
    of them (help, a mistyped command that deserves suggestions, and shell
    completion: the shell's words are in COMP_WORDS, not the command line)."""
    import os

    if os.environ.get("_NESA_COMPLETE"):
        return MODULES
    words = iter(argv)
    for word in words:
        if word in _ROOT_OPTIONS_WITH_VALUE:
            next(words, None)
        elif word in _ROOT_FLAGS:
            continue
        elif word.startswith("-"):
            if word.split("=", 1)[0] not in _ROOT_OPTIONS_WITH_VALUE:
                return MODULES  # --help, --version, or an unknown option: let Typer answer with everything
        else:
            return BY_NAME.get(word, MODULES)
    return MODULES


if not getattr(sys.modules.get("nesa_cli"), "LAZY_CLI", False):
    register()


_SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")


def _completion_instruction() -> None:
    """Accept click's spelling of the completion instruction (``bash_source``,
    ``zsh_complete``) as well as Typer's (``source_bash``)."""
    import os

    value = os.environ.get("_NESA_COMPLETE", "")
    shell, _, instruction = value.partition("_")
    if shell in _SHELLS and instruction in ("source", "complete"):
        os.environ["_NESA_COMPLETE"] = f"{instruction}_{shell}"


def main() -> None:
    """Entry point: a user's mistake is a message and an exit code, never a traceback."""
    register(modules_for(sys.argv[1:]))
    _completion_instruction()
    try:
        app(standalone_mode=True)
    except KeyboardInterrupt:
        common.echo("nesa: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
