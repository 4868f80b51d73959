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
and standard error, in the order printed). What a command line may hold is
the small shell of nesa_cli.cli.example_shell: ``nesa ...`` with its
arguments quoted as a shell would read them (``NAME=value nesa ...`` for an
environment variable), ``> FILE``, ``| head -n N`` and a few other filters
(``grep``, ``jq``, ``xxd``, ``tail``), ``cd DIR``, ``git mv`` and the like,
``A && B``, and a comment after ``#``. A command with ``--send`` or
``--install-completion`` is parsed, never run. Nothing else runs: an example
cannot reach outside its copy of the sample.

Options in the opening marker, ``<!-- example: first=N last=M writes -->``:

* ``first=N`` (and ``last=M``, default 0): an output longer than N + M + 1
  lines shows its first N lines, a line ``...``, then its last M;
* ``writes``: the block runs on its own copy of the sample, so what its
  commands change (edits, commits) is never seen by another block. Without
  it, blocks share one copy, and their commands must not write;
* ``data=FOLDER``: the block runs on its own copy of another alliance, the
  ``data/`` of that folder of the project (``data=tests/fixtures/base``: the
  tests' small alliance), made the same way; ``data=none``: in an empty
  folder holding only the :data:`FILES` (for ``nesa init``);
* ``commands``: the block shows commands only, no output. Each is still run
  (a parse-only one parsed) and must exit 0; a line that is not a ``$``
  command is refused, so no output can be typed into such a block by hand.

A console block with no marker is reported (:func:`unmarked`; the README
test and ``readme --check`` fail on one): every console example in the README
is either generated or a checked commands-only list.

The commands run on a copy of the shipped sample alliance in a fresh git
repository (:func:`sample_with_history`: the sample, then ten empty commits a
day apart, so ``main~10`` names a revision), from the copy's root, on the
README's day (:data:`DAY`, as ``NESA_TODAY``), at COLUMNS=160 (the width nesa
gives a pipe), with git's author and dates fixed (so commit ids do not
change). nesa runs in-process, except that a command whose standard output
goes to a file, or that has a variable before it, runs as a real process, so
it sees what a shell would give it. The files a block needs that are not in
the sample come from the project (:data:`FILES`); the sample's papers and
logo, which sit beside ``data/`` in this project, are committed with it
(:data:`WITH_SAMPLE`). Where a command prints the copy's absolute path
(``nesa init``), it is shown as ``~``, as for a user in their home folder. A
PDF's size depends on the fonts installed (DejaVu Sans where the suite runs):
the examples are made and checked where the suite runs.

``python -m nesa_cli.cli.readme`` rewrites the examples with the other
generated parts; tests/test_readme_generated.py fails when one differs.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from nesa_cli.cli.example_shell import ShellError, Step, check_parses, filter_of, parse_line

PROJECT = Path(__file__).resolve().parents[2]
DAY = "2026-11-23"  # the day the README says its outputs were produced on
WIDTH = "160"
# Files the examples name that the sample does not hold: name in the copy -> path in the project.
FILES = {"edubasealldata20261120.csv": "tests/fixtures/gias/edubasealldata20261120.csv",
         "links_edubasealldata20261120.csv": "tests/fixtures/gias/links_edubasealldata20261120.csv"}
# The sample's papers and logo live beside data/ in this project, as in an alliance's repository: committed with it.
WITH_SAMPLE = {"papers": "papers", "templates/nesa-logo.svg": "templates/nesa-logo.svg"}

_BLOCK = re.compile(r"(<!-- example(?::(?P<options>[^>]*))? -->\n```console\n)(?P<body>.*?)(```\n<!-- /example -->)", re.S)
# What the installed ``nesa`` script runs (its name, too: shell completion is keyed on it).
_AS_NESA = "import sys; sys.argv[0] = 'nesa'; from nesa_cli.entry import main; sys.exit(main())"
_AUTHOR = {"GIT_AUTHOR_NAME": "Casey Clerk", "GIT_AUTHOR_EMAIL": "c@example.org",
           "GIT_COMMITTER_NAME": "Casey Clerk", "GIT_COMMITTER_EMAIL": "c@example.org"}


class ExampleError(Exception):
    """An example that cannot be run as written (a bug in the README or in nesa)."""


@dataclass
class Options:
    first: int | None = None
    last: int = 0
    writes: bool = False
    data: str = "."  # the project folder whose data/ the block runs on; "none": an empty folder
    commands: bool = False  # commands only: run and checked, no output shown


def parse_options(text: str | None) -> Options:
    options = Options()
    for word in (text or "").split():
        name, _, value = word.partition("=")
        if name in ("writes", "commands") and not value:
            setattr(options, name, True)
        elif name in ("first", "last") and value.isdigit():
            setattr(options, name, int(value))
        elif name == "data" and value and (value == "none" or (PROJECT / value / "data" / "alliance.yaml").is_file()):
            options.data = value
        else:
            raise ExampleError(f"an example marker with an option it does not know: {word!r}")
    return options


@dataclass
class Command:
    line: str  # as written after "$ "
    steps: list[Step]  # none for a line that is only a comment

    @property
    def args(self) -> list[str]:
        """The first step's nesa arguments."""
        return self.steps[0].argv[1:] if self.steps else []


def parse_command(line: str) -> Command:
    """One ``$`` line: its steps (see nesa_cli.cli.example_shell)."""
    try:
        return Command(line, parse_line(line))
    except ShellError as exc:
        raise ExampleError(str(exc)) from None


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
    if data == PROJECT:
        _copy(WITH_SAMPLE, root)
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


def _copy(files: dict[str, str], root: Path) -> None:
    for name, rel in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        if (PROJECT / rel).is_dir():
            shutil.copytree(PROJECT / rel, root / name)
        else:
            shutil.copy(PROJECT / rel, root / name)


def _environment() -> dict[str, str | None]:
    stamp = f"{DAY}T12:00:00+00:00"
    return {"NESA_TODAY": DAY, "COLUMNS": WIDTH, "NO_COLOR": "1", "NESA_DATA_DIR": None, "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp, "EDITOR": None, "VISUAL": None, **_AUTHOR}


@dataclass
class Ran:
    code: int
    shown: list[str]  # what the terminal shows


class Runner:
    """Runs example commands, each copy of the sample made once."""

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
        own = self.work / f"copy-{self.copies}"
        if options.data == "none":
            own.mkdir(parents=True)
            return self._files(own)
        if options.data != ".":
            return self._files(sample_with_history(own, PROJECT / options.data))
        if self.shared is None:
            self.shared = self._files(sample_with_history(self.work / "sample"))
        if not options.writes:
            return self.shared
        shutil.copytree(self.shared, own, symlinks=True)
        return own

    @staticmethod
    def _files(root: Path) -> Path:
        _copy(FILES, root)
        return root

    def run(self, where: Path, command: Command, cwd: list[Path] | None = None) -> list[str]:
        """What ``command`` shows, run in ``cwd[0]`` (default ``where``; a ``cd`` changes it)."""
        return self.run_line(where, command, cwd or [where]).shown

    def run_line(self, where: Path, command: Command, cwd: list[Path]) -> Ran:
        ran = Ran(0, [])
        for step in command.steps:
            one = self._step(where, step, cwd, command.line)
            ran.code, ran.shown = one.code, ran.shown + [_home(where, ln) for ln in one.shown]
            if one.code != 0:
                break
        return ran

    def _step(self, where: Path, step: Step, cwd: list[Path], line: str) -> Ran:
        here = cwd[0]
        program = step.argv[0]
        if program == "cd":
            name = step.argv[1]
            target = (where / "home" / name[2:] if name.startswith("~/") else here / name).resolve()
            if not target.is_dir() or not target.is_relative_to(where.resolve()):
                raise ExampleError(f"$ {line}: cd to {name!r}, not a folder in the example's copy")
            cwd[0] = target
            return Ran(0, [])
        if step.parse_only:
            try:
                check_parses(self.command, step.argv[1:])
            except ShellError as exc:
                raise ExampleError(f"$ {line}: {exc}") from None
            return Ran(0, [])
        mixed = None  # stdout and stderr in the order printed, when nothing filters or redirects stdout
        if program == "nesa" and (step.env or step.into is not None):
            return self._nesa_process(where, here, step, line)
        if program == "nesa":
            with _cwd(here):
                result = self.runner.invoke(self.command, step.argv[1:], env={**_environment(), **step.env}, prog_name="nesa")
            if result.exception is not None and not isinstance(result.exception, SystemExit):
                raise ExampleError(f"$ {line}: {type(result.exception).__name__}: {result.exception}")
            code, out, err, mixed = result.exit_code, result.stdout_bytes, result.stderr, result.output
        elif program == "git":
            from nesa_cli.store import gitrun

            done = gitrun.call(here, *step.argv[1:], env=_full(_environment()))
            code, out, err = done.returncode, done.stdout, done.stderr.decode("utf-8", "replace")
        else:  # head, tail, xxd reading a file
            fn, file = filter_of(step.argv, line, with_file=True)
            code, out, err = 0, fn(_inside(where, here / file).read_bytes()), ""
        return self._shown(where, here, step, line, code, out, err, mixed)

    def _nesa_process(self, where: Path, here: Path, step: Step, line: str) -> Ran:
        """nesa as a real process: it sees the variable, and a real file as its output."""
        env = {**_full({**_environment(), **step.env}),
               "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT), os.environ.get("PYTHONPATH")]))}
        argv = [sys.executable, "-c", _AS_NESA, *step.argv[1:]]
        target = self._target(where, here, step)
        if target is not None and not step.filters:
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "ab" if step.append else "wb") as sink:
                done = subprocess.run(argv, cwd=here, env=env, stdout=sink, stderr=subprocess.PIPE)
            out, step = b"", Step(step.argv, step.env)  # written: nothing left to write
        else:
            done = subprocess.run(argv, cwd=here, env=env, capture_output=True)
            out = done.stdout
        err = done.stderr.decode("utf-8", "replace")
        if "Traceback (most recent call last)" in err:
            raise ExampleError(f"$ {line}:\n{err}")
        return self._shown(where, here, step, line, done.returncode, out, err, None)

    def _shown(self, where: Path, here: Path, step: Step, line: str, code: int, out: bytes, err: str,
               mixed: str | None) -> Ran:
        for words in step.filters:
            fn, _ = filter_of(words, line)
            out, mixed = fn(out), None
        if step.into is not None:
            self._write(where, here, step, out)
            text = err
        else:
            text = mixed if mixed is not None else err + out.decode("utf-8", "replace")
        return Ran(code, [ln.rstrip() for ln in text.splitlines()])

    @staticmethod
    def _target(where: Path, here: Path, step: Step) -> Path | None:
        """The file ``> FILE`` names, or None for one not written (``$PROFILE``)."""
        if step.into is None or step.into.startswith("$"):
            return None
        return _inside(where, where / "home" / step.into[2:] if step.into.startswith("~/") else here / step.into)

    def _write(self, where: Path, here: Path, step: Step, data: bytes) -> None:
        target = self._target(where, here, step)
        if target is not None:
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "ab" if step.append else "wb") as sink:
                sink.write(data)


def _inside(where: Path, path: Path) -> Path:
    """``path``, which must lie in the example's copy."""
    if not path.resolve().is_relative_to(where.resolve()):
        raise ExampleError(f"{path}: outside the example's copy")
    return path


def _home(where: Path, line: str) -> str:
    """``line`` with the example's own folder (a temporary path) shown as ``~``."""
    for path in {str(where.resolve()), str(where)}:
        line = line.replace(path, "~")
    return line


def _full(env: dict[str, str | None]) -> dict[str, str]:
    """os.environ with ``env`` laid over it (None: left out)."""
    made = {**os.environ, **{k: v for k, v in env.items() if v is not None}}
    return {k: v for k, v in made.items() if env.get(k, "") is not None}


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


def unmarked(text: str) -> list[int]:
    """The line numbers of console blocks with no example marker just before them."""
    lines = text.splitlines()
    return [i + 1 for i, line in enumerate(lines) if line.startswith("```console") and not (i and lines[i - 1].startswith("<!-- example"))]


def render(text: str, work: Path | None = None) -> str:
    """``text`` (the README) with every example block's output made afresh."""
    if not _BLOCK.search(text):
        return text
    with tempfile.TemporaryDirectory(prefix="nesa-examples-") as tmp:
        runner = Runner(Path(work or tmp))

        def block(match: re.Match) -> str:
            options = parse_options(match.group("options"))
            body = match.group("body").splitlines()
            if options.commands and any(not line.startswith("$ ") for line in body):
                bad = next(line for line in body if not line.startswith("$ "))
                raise ExampleError(f"a commands-only example with a line that is not a command: {bad!r}")
            commands = [parse_command(line[2:]) for line in body if line.startswith("$ ")]
            if not any(c.steps for c in commands):
                raise ExampleError("an example block with no '$ nesa ...' line")
            where = runner.copy(options)
            cwd = [where]
            out: list[str] = []
            for command in commands:
                out.append(f"$ {command.line}")
                ran = runner.run_line(where, command, cwd)
                if options.commands:
                    if ran.code != 0:
                        raise ExampleError(f"$ {command.line}: exit {ran.code} in a commands-only example:\n" + "\n".join(ran.shown))
                else:
                    out.extend(abridge(ran.shown, options))
            if where == runner.shared:
                _unchanged(where, commands)
            return match.group(1) + "\n".join(out) + "\n" + match.group(4)

        return _BLOCK.sub(block, text)
