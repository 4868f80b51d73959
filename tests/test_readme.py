"""The README stays true, and every read command works on a new repository.

- Every read-only command and subcommand runs on a repository fresh from
  ``nesa init``: it answers (exit 0), or says cleanly why there is nothing to
  answer (exit 2 with a helpful message), never with a traceback. The commands
  are enumerated from the Typer app, so a new command that this table does not
  cover fails the test.
- Every ``nesa ...`` line in the README's ``sh`` and ``console`` blocks that
  does not write runs on a copy of the sample alliance and exits 0.
- Command summaries in ``nesa --help`` and each group's ``--help`` are not
  broken mid-sentence.
- The fixes found while checking the README.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from nesa_cli.cli import app

PROJECT = Path(__file__).resolve().parent.parent
README = PROJECT / "README.md"
TODAY = "2026-11-23"  # the day the README's sample outputs were produced
runner = CliRunner()


@functools.cache
def tree():
    """The click command tree of the whole app, built once."""
    return get_command(app)


@pytest.fixture
def built_once(monkeypatch):
    """CliRunner builds the click command from the Typer app on every invoke
    (70 ms); these tests invoke it a hundred times, so build it once."""
    monkeypatch.setattr("typer.testing._get_command", lambda _app: tree(), raising=False)


def command_paths() -> set[str]:
    """Every runnable command in the app, as its words: 'status', 'schools list', ..."""
    paths: set[str] = set()

    def walk(cmd, words):
        subs = getattr(cmd, "commands", None)
        if subs:
            for name, sub in subs.items():
                walk(sub, words + [name])
        else:
            paths.add(" ".join(words))

    walk(tree(), [])
    return paths


# Commands that write (data files, commits, invoices, a new repository). Output
# files of read commands (-o, --html, --plot) are not writing the data.
WRITING = {
    "init", "import gias", "commit",
    "schools add", "schools set", "schools add-contact", "schools remove-contact", "schools pupils", "schools convert",
    "networks add-member", "networks remove-member", "networks set",
    "policies publish", "policies adopt", "policies set",
    "membership join", "membership withdraw",
    "meetings new", "actions done",
    "invoices issue", "invoices pay", "invoices void",
    "schools delete", "networks new", "networks delete", "policies new", "policies delete",
    "meetings set", "meetings delete", "meetings attend", "meetings decide", "actions add",
    "activities new", "activities set", "activities delete", "alliance set", "team add", "partnerships add",
    "templates copy",
    "finance new", "finance set", "finance confirm", "finance recharge", "finance spend", "finance source", "finance stream",
    "bodies new", "bodies add-member", "bodies end-term", "bodies set", "bodies delete", "registers declare",
}
# Options that make a command write or send even when its path is a read command.
WRITING_OPTIONS = ("--send", "--write", "--commit", "--branch")

OK = 0


def no(code: int, message: str):
    """A clean refusal: this exit code and a message that says what is missing."""
    return (code, message)


# Per read command: (arguments, expected). ``{out}`` is a folder for output
# files, ``{root}`` the repository.
# Expected is 0, or (exit code, fragment of the message) where a new repository
# legitimately has nothing to show.
NO_FINANCE = "no finance data for 2026-27 (data/finance/2026-27.yaml"
READ_COMMANDS: dict[str, list[tuple[list[str], object]]] = {
    "status": [([], OK), (["--json"], OK), (["--within", "90"], OK), (["--at", "HEAD"], OK)],
    "validate": [([], OK), (["--format", "json"], OK), (["--format", "github"], OK), (["--strict"], OK),
                 (["{root}/data/alliance.yaml"], OK), (["--at", "HEAD"], OK)],
    "history": [(["sencos"], no(2, "no school, network or policy matches 'sencos'")),
                (["100001"], no(2, "no commits change data/schools/100001.yaml")),
                (["--json", "100001"], OK)],  # JSON: the empty list of commits
    "diff": [([], OK), (["--json"], OK), (["--base", "main"], OK), (["HEAD..HEAD"], OK)],
    "digest": [([], OK), (["--json"], OK), (["--since", "14d", "--html", "{out}/digest.html"], OK),
               (["--from", "HEAD", "--to", "HEAD"], OK)],
    "agenda": [(["2027-01-20-strategic-board"], no(2, "no meeting matches '2027-01-20-strategic-board'.")),
               (["2027-01-20-strategic-board", "--format", "pdf", "-o", "{out}/a.pdf"], no(2, "no meeting"))],
    "minutes": [(["2027-01-20-strategic-board"], no(2, "no meeting matches '2027-01-20-strategic-board'.")),
                (["2027-01-20-strategic-board", "--part2", "--format", "pdf", "-o", "{out}/m.pdf"], no(2, "no meeting"))],
    "pack": [(["2027-01-20-strategic-board", "-o", "{out}/pack.pdf"], no(2, "no meeting matches '2027-01-20-strategic-board'."))],
    "calendar": [([], OK), (["-o", "{out}/meetings.ics"], OK), (["--body", "strategic-board", "--at", "HEAD"],
                  no(2, "no body 'strategic-board': create data/bodies/strategic-board.yaml"))],
    "contacts": [([], OK), (["--format", "csv"], OK), (["--format", "vcf"], OK), (["--role", "dsl", "--include-private"], OK),
                 (["--format", "pdf", "-o", "{out}/contacts.pdf"], OK),
                 (["--network", "sencos"], no(2, "--network: no network matches 'sencos'. Known networks: none.")),
                 (["--partnership", "north"], no(2, "--partnership: no partnership matches 'north'. Known partnerships: none.")),
                 (["--school", "100001"], no(2, "--school: no school matches '100001'."))],
    "engagement": [([], OK), (["--json"], OK), (["--csv"], OK), (["--from", "2025-09-01", "--to", "2026-08-31", "--threshold", "50"], OK),
                   (["--network", "sencos"], no(2, "--network: no network matches 'sencos'. Known networks: none."))],
    "equity": [([], OK), (["--json"], OK), (["--csv"], OK), (["--by", "staff"], OK), (["--plot", "{out}/equity.svg"], OK)],
    "broker": [(["send"], OK), (["send", "--json"], OK), (["send", "--csv"], OK),
               (["send", "--for", "100001"], no(2, "--for: no school matches '100001'."))],
    "impact": [([], OK), (["2025"], OK), (["--json"], OK), (["--csv"], OK)],
    "schools list": [([], OK), (["--json"], OK), (["--csv"], OK), (["--status", "member", "--sort", "pupils"], OK), (["--at", "HEAD"], OK)],
    "schools show": [(["100001"], no(2, "no school matches '100001'"))],
    "networks list": [([], OK), (["--json"], OK), (["--csv"], OK)],
    "networks show": [(["sencos", "--all"], no(2, "no network matches 'sencos'"))],
    "policies list": [([], OK), (["--json"], OK), (["--csv"], OK), (["--statutory"], OK)],
    "policies show": [(["send"], no(2, "no policy matches 'send'"))],
    "policies due": [([], OK), (["--json"], OK), (["--csv"], OK), (["--within", "60d"], OK)],
    "people find": [(["sam"], OK), (["sam", "--json"], OK), (["sam", "--csv"], OK)],
    "membership report": [([], OK), (["--by", "year"], OK), (["--json"], OK), (["--csv"], OK)],
    "meetings list": [([], OK), (["--json"], OK), (["--csv"], OK)],
    "meetings show": [(["2027-01-20-strategic-board"], no(2, "no meeting matches '2027-01-20-strategic-board'."))],
    "templates list": [([], OK), (["--json"], OK), (["--csv"], OK)],
    "partnerships propose": [([], OK), (["--json"], OK)],
    "partnerships list": [([], OK), (["--json"], OK), (["--csv"], OK)],
    "partnerships show": [(["proposal-2026-11-23"], no(2, "no proposal proposal-2026-11-23 (known: none)"))],
    "finance contributions": [([], no(2, NO_FINANCE)), (["2026-27", "--json"], no(2, NO_FINANCE)), (["--csv"], no(2, NO_FINANCE))],
    "finance recharges": [([], no(2, NO_FINANCE)), (["--json"], no(2, NO_FINANCE)), (["--csv"], no(2, NO_FINANCE))],
    "finance budget": [([], no(2, NO_FINANCE)), (["--json"], no(2, NO_FINANCE)), (["--csv"], no(2, NO_FINANCE))],
    "finance balances": [([], OK), (["--json"], OK), (["--csv"], OK)],
    "finance papers budget": [([], no(2, NO_FINANCE)), (["--json"], no(2, NO_FINANCE)),
                              (["--format", "pdf", "-o", "{out}/budget.pdf"], no(2, NO_FINANCE))],
    "finance papers contributions": [([], no(2, NO_FINANCE)), (["2026-27", "--csv"], no(2, NO_FINANCE))],
    "finance papers debtors": [([], OK), (["--json"], OK), (["--csv"], OK), (["--as-of", "2026-10-01"], OK),
                               (["--format", "pdf", "-o", "{out}/debtors.pdf"], OK)],
    "finance papers statement": [(["100001"], no(2, "no school matches '100001'"))],
    "finance papers reminder": [(["100001", "--format", "pdf", "-o", "{out}/r.pdf"], no(2, "no school matches '100001'"))],
    "bodies list": [([], OK), (["--json"], OK), (["--csv"], OK)],
    "bodies show": [(["strategic-board"], no(2, "no body 'strategic-board'"))],
    "invoices list": [([], OK), (["--json"], OK), (["--csv"], OK), (["--overdue"], OK)],
    "invoices show": [(["BSP-2026-0001"], no(2, "no invoice 'BSP-2026-0001'; see nesa invoices list"))],
    "invoices render": [(["--all", "-o", "{out}/invoices"], OK),
                        (["BSP-2026-0001", "-o", "{out}/invoices"], no(2, "no invoice 'BSP-2026-0001'"))],
    "actions list": [([], OK), (["--all"], OK), (["--json"], OK), (["--csv"], OK)],
    "actions log": [([], OK), (["--format", "csv"], OK), (["--format", "json"], OK),
                    (["--open", "--format", "pdf", "-o", "{out}/actions.pdf"], OK),
                    (["--body", "board"], no(2, "--body 'board' is not a meeting body"))],
    "policies schedule": [([], OK), (["--format", "csv"], OK), (["--format", "json"], OK),
                          (["--format", "pdf", "-o", "{out}/schedule.pdf"], OK)],
    "registers interests": [(["board"], no(2, "no body 'board': this repository has no bodies yet")),
                            (["board", "--format", "pdf", "-o", "{out}/interests.pdf"], no(2, "no bodies yet"))],
    "registers attendance": [(["board", "--year", "2025-26"], no(2, "no body 'board': this repository has no bodies yet")),
                             (["network:sencos"], no(2, "no network matches 'sencos'"))],
    "list": [(["schools"], OK), (["meetings", "--json"], OK), (["invoices", "--csv"], OK),
             (["trips"], no(2, "no kind of record called 'trips'"))],
}


def test_the_table_covers_every_command():
    paths = command_paths()
    assert not set(READ_COMMANDS) & WRITING
    missing = paths - set(READ_COMMANDS) - WRITING
    assert not missing, f"new commands: add them to READ_COMMANDS (or WRITING) in {__file__}: {sorted(missing)}"
    assert set(READ_COMMANDS) | WRITING == paths, f"no longer commands: {sorted((set(READ_COMMANDS) | WRITING) - paths)}"


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch) -> Path:
    """A repository straight from `nesa init` (no git identity: init's fallback)."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for v in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "NESA_DATA_DIR"):
        monkeypatch.delenv(v, raising=False)
    root = tmp_path / "bsp"
    r = runner.invoke(app, ["--today", TODAY, "init", str(root), "--name", "Barnet Schools' Partnership",
                            "--short", "BSP", "--la", "302", "--area", "Barnet"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return root


@pytest.mark.pdf
def test_every_read_command_works_on_a_new_repository(fresh: Path, tmp_path: Path, built_once):
    out = tmp_path / "out"
    out.mkdir()
    before = subprocess.run(["git", "status", "--porcelain"], cwd=fresh, capture_output=True, text=True, check=True).stdout
    assert before == ""
    failures = []
    for path, cases in sorted(READ_COMMANDS.items()):
        for args, expected in cases:
            argv = ["-C", str(fresh), "--today", TODAY, *path.split(), *(a.replace("{out}", str(out)).replace("{root}", str(fresh)) for a in args)]
            r = runner.invoke(app, argv, catch_exceptions=False)
            line = "nesa " + " ".join([path, *args])
            if "Traceback" in r.output:
                failures.append(f"{line}: traceback\n{r.output}")
            elif expected == OK:
                if r.exit_code != 0:
                    failures.append(f"{line}: exit {r.exit_code}\n{r.output}")
            else:
                code, message = expected
                if r.exit_code != code or message not in r.output or not r.output.startswith("nesa: error: "):
                    failures.append(f"{line}: expected exit {code} with {message!r}, got exit {r.exit_code}\n{r.output}")
    assert not failures, "\n\n".join(failures)
    # Reading never writes to the data (the cache is git-ignored by init's .gitignore).
    assert subprocess.run(["git", "status", "--porcelain"], cwd=fresh, capture_output=True, text=True, check=True).stdout == ""
    # Output files were written where they were asked for.
    assert (out / "digest.html").is_file() and (out / "equity.svg").is_file() and (out / "meetings.ics").is_file()
    assert (out / "contacts.pdf").read_bytes().startswith(b"%PDF")
    # JSON listings of an empty alliance are empty lists, not errors.
    r = runner.invoke(app, ["-C", str(fresh), "--today", TODAY, "schools", "list", "--json"], catch_exceptions=False)
    assert json.loads(r.output) == []


# ---------------------------------------------------------------------------
# README examples on the sample alliance

# Placeholders a README example might use, and a real value from the sample.
PLACEHOLDERS = {"URN": "122101", "YEAR": "2025-26", "NUMBER": "NESA-2025-0001", "MEETING": "2026-12-09-strategic-board"}
_SHELL_STOP = {"|", "||", ">", ">>", "<", "2>", "2>&1", ";", "&"}
_NESA = ("nesa", ".venv/bin/nesa")


def readme_commands(text: str | None = None) -> list[tuple[int, str, list[str]]]:
    """(line number, line, nesa's arguments) for every `nesa ...` command in the
    README's ```sh and ```console blocks (console: lines starting with "$ ").
    Comments, redirections and pipes are cut off; `a && b` gives each part."""
    found = []
    lines = (README.read_text(encoding="utf-8") if text is None else text).splitlines()
    lang = None
    pending, start = "", 0
    for number, line in enumerate(lines, 1):
        fence = re.match(r"^```(\S*)", line)
        if fence:
            lang = None if lang is not None else fence.group(1)
            continue
        if lang not in ("sh", "console"):
            continue
        if not pending:
            if lang == "console":
                if not line.startswith("$ "):
                    continue
                line = line[2:]
            start = number
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        command, pending = pending + line, ""
        words = shlex.split(_strip_comment(command))
        parts: list[list[str]] = [[]]
        for w in words:
            if w == "&&":
                parts.append([])
            else:
                parts[-1].append(w)
        for part in parts:
            if part and part[0] in _NESA:
                args = part[1:]
                cut = next((i for i, w in enumerate(args) if w in _SHELL_STOP or w.startswith((">", "|", "2>"))), len(args))
                found.append((start, command, args[:cut]))
    return found


def _strip_comment(line: str) -> str:
    """The line without a shell comment: '#' at the start of a word, outside quotes."""
    quote = None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i]
    return line


def _path(args: list[str]) -> str:
    """The command path that arguments name, skipping the root options."""
    words = iter(args)
    group = tree()
    path = []
    for w in words:
        if w in ("-C", "--data-dir", "--today"):
            next(words, None)
            continue
        if w.startswith("-"):
            continue
        sub = getattr(group, "commands", {}).get(w)
        if sub is None:
            break
        path.append(w)
        group = sub
        if not getattr(sub, "commands", None):
            break
    return " ".join(path)


def _writes(args: list[str]) -> bool:
    return _path(args) in WRITING or any(a.split("=", 1)[0] in WRITING_OPTIONS for a in args)


def _fill(args: list[str]) -> list[str]:
    """A synopsis made runnable: optional parts ``[...]`` left out, placeholders
    given a real value from the sample; any other placeholder is an error."""
    kept, depth = [], 0
    for a in args:
        opens = depth == 0 and a.startswith("[")
        depth += a.count("[") - a.count("]") if (opens or depth) else 0
        if not opens and depth == 0 and not a.endswith("]"):
            kept.append(PLACEHOLDERS.get(a, a))
        elif not opens and depth == 0 and a.endswith("]") and "[" in a:
            kept.append(a)  # a value holding brackets, e.g. a glob
    left = [a for a in kept if a.startswith("<") or a.endswith((">", "...")) or re.fullmatch(r"[A-Z][A-Z_]+", a)]
    assert not left, f"a placeholder in a runnable example (give a real value, or add it to PLACEHOLDERS): {args}"
    return kept


def test_the_readme_has_runnable_examples():
    cmds = readme_commands()
    paths = {_path(a) for _, _, a in cmds}
    # the ones a newcomer tries first are among them
    assert {"status", "validate", "agenda", "schools list", "schools show", "digest"} <= paths
    root_only = [c for c in cmds if all(a.startswith("--") for a in c[2])]  # nesa --install-completion
    assert all(_path(c[2]) for c in cmds if c not in root_only), [c for c in cmds if not _path(c[2]) and c not in root_only]


def _sample_with_history(root: Path) -> Path:
    """The sample alliance in a git repository whose history the README's
    examples can name (the one the README's generated examples run on)."""
    from nesa_cli.cli.examples import sample_with_history

    return sample_with_history(root)


@pytest.mark.pdf
def test_readme_examples_run_on_the_sample(tmp_path: Path, monkeypatch, built_once):
    sample = _sample_with_history(tmp_path / "sample")
    monkeypatch.chdir(sample)  # as the README says: run from the clone; outputs (-o) land here
    monkeypatch.delenv("NESA_DATA_DIR", raising=False)
    monkeypatch.setenv("COLUMNS", "160")
    ran, failures = [], []
    generated = _example_lines()
    for number, line, args in readme_commands():
        if _writes(args) or number in generated:
            continue  # a generated example's commands run in tests/test_readme_generated.py (some show an error on purpose)
        argv = ["--today", TODAY, *_fill(args)]
        r = runner.invoke(app, argv, catch_exceptions=False)
        ran.append(line)
        if r.exit_code != 0 or "Traceback" in r.output:
            failures.append(f"README.md:{number}: {line}\nexit {r.exit_code}\n{r.output[-2000:]}")
    assert not failures, "\n\n".join(failures)
    assert len(ran) >= 3 and sum(n in generated for n, _, _ in readme_commands()) >= 30, ran
    # the agenda the Quickstart promises was rendered
    assert "Strategic Board" in (sample / "agenda.html").read_text(encoding="utf-8")


def _example_lines() -> set[int]:
    """The line numbers inside the README's <!-- example --> blocks."""
    inside, lines = False, set()
    for number, line in enumerate(README.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("<!-- example"):
            inside = True
        elif line.startswith("<!-- /example"):
            inside = False
        elif inside:
            lines.add(number)
    return lines


def test_readme_parsing_rules():
    # the rule, on a small example: continuation lines, comments, pipes, redirections, &&
    text = (
        "```console\n$ nesa schools list --json | jq '.[].name'   # names\nnot a command\n```\n"
        "```sh\nnesa schools list --csv > schools.csv\ncd x && nesa validate && echo ok  # the alliance's\n"
        "nesa actions list --owner '#1 fan'  # a '#' inside quotes or a word#2 is not a comment\n"
        "nesa digest --since 14d \\\n    --html digest.html\n```\n"
        "```\nnesa status   # a synopsis block: not run\n```\n"
    )
    got = [args for _, _, args in readme_commands(text)]
    assert got == [["schools", "list", "--json"], ["schools", "list", "--csv"], ["validate"], ["actions", "list", "--owner", "#1 fan"],
                   ["digest", "--since", "14d", "--html", "digest.html"]]
    assert _writes(["schools", "set", "1", "a=b"]) and _writes(["digest", "--send"]) and not _writes(["digest"])
    assert _path(["--today", TODAY, "invoices", "render", "X"]) == "invoices render"
    assert _fill(["actions", "list", "[--owner", "mpatel]", "[--all]"]) == ["actions", "list"]
    assert _fill(["agenda", "MEETING", "[--format", "md|html|pdf]", "[-o", "agenda.pdf]"]) == ["agenda", "2026-12-09-strategic-board"]
    assert _fill(["invoices", "show", "NUMBER", "[--json]"]) == ["invoices", "show", "NESA-2025-0001"]
    with pytest.raises(AssertionError):
        _fill(["broker", "NEED"])


# ---------------------------------------------------------------------------
# Help: command summaries on one line

def _command_rows(help_text: str) -> list[str]:
    """The inside of each line of the command panels of a rich help page
    (Commands, or the panels by task of nesa --help: nesa_cli.cli.helptext)."""
    from nesa_cli.cli.helptext import PANELS

    titles = ["Commands", *PANELS]
    rows, inside = [], False
    for line in help_text.splitlines():
        if any(f"─ {t} " in line for t in titles):
            inside = True
            continue
        if inside:
            if line.lstrip().startswith("╰"):
                inside = False
                continue
            rows.append(line.strip()[1:-1])
    return rows


def _assert_one_line_summaries(help_text: str, where: str) -> None:
    rows = _command_rows(help_text)
    assert rows, f"{where}: no Commands panel in\n{help_text}"
    broken = [r for r in rows if r[:2] == "  " or not r.strip()]
    assert not broken, f"{where}: a command summary runs onto another line:\n" + "\n".join(rows)


GROUPS = sorted(name for name, c in get_command(app).commands.items() if getattr(c, "commands", None))


@pytest.mark.parametrize("words", [[]] + [[g] for g in GROUPS], ids=lambda w: " ".join(w) or "nesa")
def test_help_lists_each_command_on_one_line(words, monkeypatch):
    import typer.rich_utils

    monkeypatch.setattr(typer.rich_utils, "MAX_WIDTH", 400)  # wide: any line break left is in the text
    r = runner.invoke(app, [*words, "--help"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    _assert_one_line_summaries(r.output, "nesa " + " ".join(words))


def test_help_summaries_join_the_docstring_lines():
    # docstrings are wrapped in the source; each summary is its first paragraph on one line
    commands = [c for g in tree().commands.values() for c in [g, *getattr(g, "commands", {}).values()]]
    wrapped = [c for c in commands if c.help and "\n" in c.help.strip().split("\n\n")[0]]
    assert wrapped, "no wrapped docstring left: this test no longer tests anything"
    for c in wrapped:
        assert c.short_help == " ".join(c.help.strip().split("\n\n")[0].split()), c.name
    assert all(c.short_help is None or "\n" not in c.short_help for c in commands)


@pytest.mark.parametrize("argv", [["--help"], ["schools", "--help"], ["status", "--help"]])
def test_the_lazy_script_has_one_line_summaries_too(argv):
    env = dict(os.environ, TERMINAL_WIDTH="400")
    r = subprocess.run([sys.executable, "-m", "nesa_cli", *argv], capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr
    if argv == ["status", "--help"]:  # the command's own page keeps its whole help, joined
        assert "schools joining and withdrawn" in r.stdout
    else:
        _assert_one_line_summaries(r.stdout, " ".join(argv))


# ---------------------------------------------------------------------------
# Fixes found while checking the README


def test_listings_show_nested_counts_as_text_not_python(repo):
    r = runner.invoke(app, ["-C", str(repo), "--today", TODAY, "membership", "report"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    assert "{" not in r.output and "'" not in r.output
    assert re.search(r"first: \d+", r.output)
    r = runner.invoke(app, ["-C", str(repo), "--today", TODAY, "membership", "report", "--csv"], catch_exceptions=False)
    assert r.exit_code == 0 and "{" not in r.output and "'" not in r.output
    assert re.search(r"first: \d+; primary: \d+", r.output)
    r = runner.invoke(app, ["-C", str(repo), "--today", TODAY, "membership", "report", "--json"], catch_exceptions=False)
    assert isinstance(json.loads(r.output)[-1]["by_phase"], dict)  # JSON keeps the mapping


@pytest.mark.shared_sample
def test_a_misspelt_part_of_a_name_suggests_the_school(sample):
    r = runner.invoke(app, ["-C", str(sample), "schools", "show", "rothbery"])
    assert r.exit_code == 2
    assert "no school matches 'rothbery'. Did you mean: Rothbury First School?" in r.output
    r = runner.invoke(app, ["-C", str(sample), "policies", "show", "safegaurding"])
    assert r.exit_code == 2 and "Child Protection and Safeguarding Policy" in r.output


@pytest.mark.shared_sample
def test_contacts_refuses_an_unknown_partnership_or_school(sample):
    base = ["-C", str(sample), "--today", TODAY, "contacts", "--format", "csv"]
    r = runner.invoke(app, [*base, "--partnership", "simonsyde"])
    assert r.exit_code == 2 and "no partnership matches 'simonsyde'. Did you mean: " in r.output and "simonside" in r.output
    r = runner.invoke(app, [*base, "--school", "12210"])
    assert r.exit_code == 2 and "no school matches '12210'. Did you mean: " in r.output
    r = runner.invoke(app, [*base, "--partnership", "simonside"])
    assert r.exit_code == 0 and "Rothbury First School" in r.output


@pytest.mark.shared_sample
def test_agenda_notice_warning_after_or_on_the_meeting_day(sample):
    # The Quickstart's agenda, rendered after the meeting: no "-24 clear days before the meeting"
    from datetime import date

    from nesa_cli.meetings.agenda import notice_warning

    day = date(2026, 12, 9)
    assert notice_warning(date(2026, 12, 1), day) is None  # 7 clear days
    assert notice_warning(date(2026, 12, 7), day) == "agenda issued 1 clear day before the meeting; governing-board notice is 7 clear days"
    assert notice_warning(date(2026, 12, 8), day).startswith("agenda issued 0 clear days before")
    assert notice_warning(day, day) == "agenda issued on the day of the meeting; governing-board notice is 7 clear days"
    assert notice_warning(date(2027, 1, 1), day) == "the meeting was on 9 December 2026: this pack is issued after it"
    r = runner.invoke(app, ["-C", str(sample), "--today", "2027-01-01", "agenda", "2026-12-09-strategic-board"])
    assert r.exit_code == 0 and "Strategic Board" in r.stdout
    assert "nesa: warning: the meeting was on 9 December 2026: this pack is issued after it" in r.stderr
    assert "clear days" not in r.stderr
