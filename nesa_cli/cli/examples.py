"""The README's console examples, made by running them on the sample alliance.

A generated example is a console block between two markers::

    <!-- example -->
    ```console
    $ nesa validate
    (its output: rewritten by the generator)
    $ nesa status --within 90
    (its output)
    ```
    <!-- /example -->

Every ``$ `` line is a command and stays as written; every other line of the
block is output, and is replaced by what the command prints (standard output
and standard error, in the order printed). What a command line may hold:

* ``nesa ...``, with its arguments quoted as a shell would read them; a
  comment after it (`` # ...``) is kept, and not run;
* ``> FILE`` after it: its standard output goes to FILE (in the copy of the
  sample), and only its standard error is shown;
* ``| head -n N`` after it: only the first N lines of its output are shown.

Options in the opening marker, ``<!-- example: first=N last=M writes -->``:

* ``first=N`` (and ``last=M``, default 0): an output longer than N + M + 1
  lines shows its first N lines, a line ``...``, then its last M;
* ``writes``: the block runs on its own copy of the sample, so what its
  commands change (edits, commits) is never seen by another block. Without
  it, blocks share one copy, and their commands must not write;
* ``data=FOLDER``: the block runs on its own copy of another alliance, the
  ``data/`` of that folder of the project (``data=tests/fixtures/base``: the
  tests' small alliance), made the same way.

The commands run in-process on a copy of the shipped sample alliance in a fresh
git repository (:func:`sample_with_history`: the sample, then ten empty
commits a day apart, so ``main~10`` names a revision), from the copy's root,
on the README's day (:data:`DAY`, as ``NESA_TODAY``), at COLUMNS=160 (the
width nesa gives a pipe), with git's author and dates fixed (so commit ids do
not change). The files a block needs that are not in the sample come from
the project (see :data:`FILES`).

``python -m nesa_cli.cli.readme`` rewrites the examples with the other
generated parts; tests/test_readme_generated.py fails when one differs.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
DAY = "2026-11-23"  # the day the README says its outputs were produced on
WIDTH = "160"
# Files the examples name that the sample does not hold: name in the copy -> path in the project.
FILES = {"edubasealldata20261120.csv": "tests/fixtures/gias/edubasealldata20261120.csv"}

_BLOCK = re.compile(r"(<!-- example(?::(?P<options>[^>]*))? -->\n```console\n)(?P<body>.*?)(```\n<!-- /example -->)", re.S)
_AUTHOR = {"GIT_AUTHOR_NAME": "Casey Clerk", "GIT_AUTHOR_EMAIL": "c@example.org",
           "GIT_COMMITTER_NAME": "Casey Clerk", "GIT_COMMITTER_EMAIL": "c@example.org"}


class ExampleError(Exception):
    """An example that cannot be run as written (a bug in the README or in nesa)."""


@dataclass
class Options:
    first: int | None = None
    last: int = 0
    writes: bool = False
    data: str = "."  # the project folder whose data/ the block runs on


def parse_options(text: str | None) -> Options:
    options = Options()
    for word in (text or "").split():
        name, _, value = word.partition("=")
        if name == "writes" and not value:
            options.writes = True
        elif name in ("first", "last") and value.isdigit():
            setattr(options, name, int(value))
        elif name == "data" and value and (PROJECT / value / "data" / "alliance.yaml").is_file():
            options.data = value
        else:
            raise ExampleError(f"an example marker with an option it does not know: {word!r}")
    return options


@dataclass
class Command:
    line: str  # as written after "$ "
    args: list[str]  # nesa's arguments
    into: str | None = None  # "> FILE"
    head: int | None = None  # "| head -n N"


def parse_command(line: str) -> Command:
    """One ``$`` line: nesa's arguments, and the redirection or head after them."""
    lexer = shlex.shlex(line, posix=True, punctuation_chars="|>")
    lexer.whitespace_split = True
    lexer.commenters = "#"
    words = list(lexer)
    if not words or words[0] != "nesa":
        raise ExampleError(f"an example command that is not nesa's: {line!r}")
    args, into, head = [], None, None
    rest = iter(words[1:])
    for w in rest:
        if w == ">":
            into = next(rest, None)
        elif w == "|":
            tail = list(rest)
            if len(tail) != 3 or tail[:2] != ["head", "-n"] or not tail[2].isdigit():
                raise ExampleError(f"only '| head -n N' may follow an example command: {line!r}")
            head = int(tail[2])
        else:
            args.append(w)
    if into is not None and not into:
        raise ExampleError(f"'>' with no file: {line!r}")
    return Command(line, args, into, head)


def abridge(lines: list[str], options: Options) -> list[str]:
    if options.first is None or len(lines) <= options.first + options.last + 1:
        return lines
    return lines[:options.first] + ["..."] + (lines[len(lines) - options.last:] if options.last else [])


def sample_with_history(root: Path, data: Path = PROJECT) -> Path:
    """The shipped sample alliance (or the alliance in ``data``/data) in a git
    repository whose history the README's examples can name: one commit on
    2026-11-01, then ten empty ones a day apart (``main~10`` is the first)."""
    from nesa_cli.store import gitrun

    shutil.copytree(data / "data", root / "data")
    logo = data / "templates" / "nesa-logo.svg"  # the sample's logo (alliance.yaml branding), for the PDF examples
    if logo.is_file():
        (root / "templates").mkdir()
        shutil.copy(logo, root / "templates" / logo.name)
    (root / ".gitignore").write_text(".nesa-cache/\n.nesa-state/\n.nesa-lock\n", encoding="utf-8")

    def git(*args: str, day: str = "2026-11-01") -> None:
        stamp = f"{day}T12:00:00+00:00"
        gitrun.run(root, *args, env={**_AUTHOR, "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp})

    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-q", "-m", "Sample alliance")
    for i in range(1, 11):
        git("commit", "-q", "--allow-empty", "-m", f"Review {i}", day=f"2026-11-{1 + i:02d}")
    return root


class Runner:
    """Runs example commands in-process, each copy of the sample made once."""

    def __init__(self, work: Path):
        import typer.main
        from click.testing import CliRunner

        from nesa_cli.cli import app, register

        register()
        self.command = typer.main.get_command(app)
        self.runner = CliRunner()
        self.work = work
        self.shared: Path | None = None
        self.copies = 0

    def copy(self, options: Options) -> Path:
        self.copies += 1
        if options.data != ".":
            return self._made(self.work / f"copy-{self.copies}", PROJECT / options.data)
        if self.shared is None:
            self.shared = self._made(self.work / "sample", PROJECT)
        if not options.writes:
            return self.shared
        own = self.work / f"copy-{self.copies}"
        shutil.copytree(self.shared, own, symlinks=True)
        return own

    @staticmethod
    def _made(root: Path, data: Path) -> Path:
        sample_with_history(root, data)
        for name, rel in FILES.items():
            shutil.copy(PROJECT / rel, root / name)
        return root

    def run(self, where: Path, command: Command) -> list[str]:
        stamp = f"{DAY}T12:00:00+00:00"
        env = {"NESA_TODAY": DAY, "COLUMNS": WIDTH, "NO_COLOR": "1", "NESA_DATA_DIR": None, "GIT_CONFIG_NOSYSTEM": "1",
               "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp, "EDITOR": None, "VISUAL": None, **_AUTHOR}
        with _cwd(where):
            result = self.runner.invoke(self.command, command.args, env=env, prog_name="nesa")
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise ExampleError(f"$ {command.line}: {type(result.exception).__name__}: {result.exception}")
        if command.into is not None:
            (where / command.into).write_text(result.stdout, encoding="utf-8")
            text = result.stderr
        else:
            text = result.output
        lines = text.splitlines()
        if command.head is not None:
            lines = lines[:command.head]
        return [line.rstrip() for line in lines]


def _unchanged(where: Path, commands: list[Command]) -> None:
    """A block that shares the copy must have left its data as it was."""
    from nesa_cli.store import gitrun

    changed = gitrun.run(where, "status", "--porcelain", "--", "data")
    if changed:
        raise ExampleError(f"an example changed the data without 'writes' in its marker ({commands[0].line!r}...):\n{changed}")


@contextmanager
def _cwd(path: Path):
    before = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def render(text: str, work: Path | None = None) -> str:
    """``text`` (the README) with every example block's output made afresh."""
    if not _BLOCK.search(text):
        return text
    with tempfile.TemporaryDirectory(prefix="nesa-examples-") as tmp:
        runner = Runner(Path(work or tmp))

        def block(match: re.Match) -> str:
            options = parse_options(match.group("options"))
            commands = [parse_command(line[2:]) for line in match.group("body").splitlines() if line.startswith("$ ")]
            if not commands:
                raise ExampleError("an example block with no '$ nesa ...' line")
            where = runner.copy(options)
            out: list[str] = []
            for command in commands:
                out.append(f"$ {command.line}")
                out.extend(abridge(runner.run(where, command), options))
            if where == runner.shared:
                _unchanged(where, commands)
            return match.group(1) + "\n".join(out) + "\n" + match.group(4)

        return _BLOCK.sub(block, text)
