"""The little shell the README's console examples are written in.

A ``$`` line of an example (see nesa_cli.cli.examples) is read as a shell
would read it, but only these forms are run, each by the generator itself,
so an example can never reach outside its copy of the sample:

* ``nesa ARGS``: nesa, in-process; ``NAME=value nesa ARGS`` (an environment
  variable for that one command, as ``_NESA_COMPLETE=bash_source nesa`` or
  ``NESA_CSV_BOM=0 nesa``), and any nesa command whose standard output goes
  to a file (``> FILE``, ``>> FILE``), run nesa as a real process instead,
  so nesa sees what a shell would give it (the variable; a real file, so a
  CSV gets its byte-order mark as it would);
* a nesa command with ``--send`` (it emails) or ``--install-completion`` (it
  edits the shell's start-up file) is never run: its words are only parsed
  as nesa would parse them (the command, each option's name and value), and
  it shows no output;
* ``cd DIR``: the block's later commands run in DIR (inside the block's copy);
* ``git mv|add|rm|commit|status|log|show|diff|switch|branch ...``: git in the
  copy, with the generator's fixed author and dates;
* the filters ``| head -n N``, ``| head -c N``, ``| tail -n N``,
  ``| grep [-A N] [-B N] [-e PATTERN]... [PATTERN]`` (a Python regular
  expression, case kept; ``--`` between separate groups as grep prints),
  ``| jq [-r] PATH`` (PATH like ``.[].name``, ``.[0].urn`` or ``.total``) and
  ``| xxd [-l N]`` (a hex dump as xxd prints it); ``head``, ``tail`` and
  ``xxd`` also read a FILE named after their options (``xxd -l 3 schools.csv``);
* ``A && B``: B runs only if A exited 0; ``# ...`` ends the line (a line that
  is only a comment is kept and not run);
* ``> FILE`` (``>> FILE`` appends) after any of them: what it prints goes to
  FILE in the copy (``~/`` is the copy's ``home/`` folder; a target such as
  ``$PROFILE`` is not written); only standard error is then shown.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field

GIT_VERBS = ("mv", "add", "rm", "commit", "status", "log", "show", "diff", "switch", "branch")
PARSE_ONLY = ("--send", "--install-completion")
FILTERS = ("head", "tail", "grep", "jq", "xxd")


class ShellError(Exception):
    """A command line the examples' shell does not run."""


@dataclass
class Step:
    argv: list[str]  # the program and its words: ["nesa", ...], ["cd", DIR], ["git", ...], ["xxd", "-l", "3", FILE]
    env: dict[str, str] = field(default_factory=dict)
    filters: list[list[str]] = field(default_factory=list)
    into: str | None = None
    append: bool = False

    @property
    def parse_only(self) -> bool:
        return self.argv[0] == "nesa" and any(w.split("=", 1)[0] in PARSE_ONLY for w in self.argv[1:])


def parse_line(line: str) -> list[Step]:
    """A ``$`` line (without the ``$ ``) as its steps; none for a comment."""
    lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    lexer.commenters = "#"
    try:
        words = list(lexer)
    except ValueError as exc:
        raise ShellError(f"{exc}: {line!r}") from None
    if not words:
        return []
    steps, current = [], []
    for word in words + ["&&"]:
        if word == "&&":
            if not current:
                raise ShellError(f"'&&' with no command before it: {line!r}")
            steps.append(_step(current, line))
            current = []
        else:
            current.append(word)
    return steps


def _step(words: list[str], line: str) -> Step:
    env: dict[str, str] = {}
    while words and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", words[0]):
        name, _, value = words.pop(0).partition("=")
        env[name] = value
    if not words:
        raise ShellError(f"a variable and no command: {line!r}")
    step = Step([], env)
    stages: list[list[str]] = [[]]
    rest = iter(words)
    for w in rest:
        if w in (">", ">>"):
            step.into, step.append = next(rest, ""), w == ">>"
            if not step.into or next(rest, None) is not None:
                raise ShellError(f"'{w}' must end the command, with one file after it: {line!r}")
        elif w == "|":
            stages.append([])
        elif w and set(w) <= set("();<>|&"):
            raise ShellError(f"{w!r} is not run in an example: {line!r}")
        else:
            stages[-1].append(w)
    if any(not s for s in stages):
        raise ShellError(f"'|' with no command on one side: {line!r}")
    step.argv, step.filters = stages[0], stages[1:]
    program = step.argv[0]
    if program == "cd":
        if len(step.argv) != 2 or step.filters or step.into or env:
            raise ShellError(f"'cd' takes one folder and nothing else: {line!r}")
    elif program == "git":
        if len(step.argv) < 2 or step.argv[1] not in GIT_VERBS or env:
            raise ShellError(f"only 'git {'|'.join(GIT_VERBS)} ...' runs in an example: {line!r}")
    elif program in ("head", "tail", "xxd"):
        filter_of(step.argv, line, with_file=True)
    elif program != "nesa":
        raise ShellError(f"an example command that is neither nesa's nor one the examples run: {line!r}")
    if env and program != "nesa":
        raise ShellError(f"a variable before a command other than nesa: {line!r}")
    for f in step.filters:
        filter_of(f, line)
    return step


def filter_of(words: list[str], line: str, with_file: bool = False):
    """The filter ``words`` names, as (a function of bytes, the file it reads
    or None); an ExampleError for one the examples do not run."""
    name, args = words[0], list(words[1:])
    file = None
    if with_file and name in ("head", "tail", "xxd") and args and (len(args) % 2 == 1):
        file = args.pop()
    try:
        if name in ("head", "tail") and len(args) == 2 and args[0] in ("-n", "-c") and args[1].isdigit():
            n = int(args[1])
            if args[0] == "-c":
                if name == "tail":
                    raise ValueError
                return (lambda data: data[:n]), file
            pick = (lambda ls: ls[:n]) if name == "head" else (lambda ls: ls[len(ls) - n:] if n else [])
            return (lambda data: b"".join(pick(data.splitlines(True)))), file
        if name == "xxd" and (not args or (len(args) == 2 and args[0] == "-l" and args[1].isdigit())):
            limit = int(args[1]) if args else None
            return (lambda data: xxd(data[:limit] if limit is not None else data)), file
        if name == "grep" and not with_file:
            return _grep(args), None
        if name == "jq" and not with_file and args and len(args) <= 2 and args[:-1] in ([], ["-r"]):
            return _jq(args[-1], raw=args[0] == "-r"), None
    except ValueError:
        pass
    raise ShellError(f"not a filter the examples run: {' '.join(words)!r} in {line!r} (see nesa_cli.cli.example_shell)")


def xxd(data: bytes) -> bytes:
    """What ``xxd`` prints for ``data``: offset, 16 bytes in groups of two, the bytes as text."""
    out = []
    for at in range(0, len(data), 16):
        chunk = data[at:at + 16]
        hexes = " ".join(chunk[i:i + 2].hex() for i in range(0, len(chunk), 2))
        text = "".join(chr(b) if 32 <= b < 127 else "." for b in chunk)
        out.append(f"{at:08x}: {hexes:<40} {text}\n")
    return "".join(out).encode()


def _grep(args: list[str]):
    patterns, after, before = [], 0, 0
    words = iter(args)
    for w in words:
        if w in ("-A", "-B", "-C"):
            n = next(words, "")
            if not n.isdigit():
                raise ValueError
            after = int(n) if w in ("-A", "-C") else after
            before = int(n) if w in ("-B", "-C") else before
        elif w == "-e":
            patterns.append(next(words, None) or "")
        elif w.startswith("-") or "-e" in args or patterns:  # a second word would be a file
            raise ValueError
        else:
            patterns.append(w)
    if not patterns:
        raise ValueError
    found = re.compile("|".join(f"(?:{p})" for p in patterns))

    def run(data: bytes) -> bytes:
        lines = data.decode("utf-8").splitlines(True)
        keep = sorted({j for i, ln in enumerate(lines) if found.search(ln)
                       for j in range(max(0, i - before), min(len(lines), i + after + 1))})
        out, last = [], None
        for j in keep:
            if last is not None and j != last + 1 and (after or before):
                out.append("--\n")
            out.append(lines[j])
            last = j
        return "".join(out).encode()

    return run


def _jq(path: str, raw: bool):
    steps = re.findall(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d*)\]|(\.)", path)
    if not path.startswith(".") or "".join(f".{a}" if a else (f"[{b}]" if c == "" else ".") for a, b, c in steps) != path:
        raise ValueError

    def run(data: bytes) -> bytes:
        values = [json.loads(data.decode("utf-8"))]
        for name, index, dot in steps:
            if dot:
                continue
            if name:
                values = [v.get(name) for v in values]
            elif index:
                values = [v[int(index)] for v in values]
            else:
                values = [x for v in values for x in (v.values() if isinstance(v, dict) else v)]
        return "".join((v if raw and isinstance(v, str) else json.dumps(v, ensure_ascii=False, indent=2)) + "\n"
                       for v in values).encode()

    return run


def check_parses(root, args: list[str]) -> None:
    """Parse ``nesa ARGS`` as nesa would, running nothing: the command must
    exist, each option one it takes, with a value where it needs one, and no
    extra arguments. No option's action runs (not even --install-completion's,
    which Typer runs as it reads it), so a value is not checked further."""
    try:
        from typer import _click as click  # the click Typer carries (0.25 and later), its commands' own
    except ImportError:  # pragma: no cover - an older Typer, on click itself
        import click

    cmd, name, parent, words = root, "nesa", None, list(args)
    while True:
        ctx = click.Context(cmd, info_name=name, parent=parent)
        try:
            opts, rest, order = cmd.make_parser(ctx).parse_args(args=list(words))
        except click.ClickException as exc:
            raise ShellError(f"nesa {' '.join(args)}: {exc.format_message()}") from None
        if not hasattr(cmd, "get_command"):  # a command, not a group
            if rest and not ctx.allow_extra_args:  # the parser took the arguments the command has
                raise ShellError(f"nesa {' '.join(args)}: an argument it does not take: {rest[0]!r}")
            return
        if not rest:
            if order:  # root options alone: nesa --install-completion, nesa --version
                return
            raise ShellError(f"nesa {' '.join(args)}: a command group with no command after it")
        sub = cmd.get_command(ctx, rest[0])
        if sub is None:
            raise ShellError(f"nesa {' '.join(args)}: no command {rest[0]!r}")
        cmd, name, parent, words = sub, rest[0], ctx, rest[1:]
