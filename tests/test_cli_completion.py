"""Shell completion (issue 23): scripts for bash, zsh, fish and PowerShell from
the lazy console script, and values (URNs, school names, meetings, networks,
policies) read from the file names under data/."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
NESA = Path(sys.executable).with_name("nesa")
pytestmark = pytest.mark.skipif(not NESA.exists(), reason="the nesa console script is not installed in this environment")

SCRIPTS = {
    "bash": ["_NESA_COMPLETE=complete_bash", "complete -o default -F _nesa_completion nesa"],
    "zsh": ["#compdef nesa", "_NESA_COMPLETE=complete_zsh"],
    "fish": ["complete --command nesa", "_NESA_COMPLETE=complete_fish"],
    "powershell": ["Register-ArgumentCompleter -Native -CommandName nesa", '"complete_powershell"'],
}


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if not k.startswith(("_NESA", "COMP_", "_TYPER"))}
    full.update(env)
    full["NESA_DATA_DIR"] = str(PROJECT)
    full["PATH"] = f"{NESA.parent}{os.pathsep}{full.get('PATH', '')}"
    return subprocess.run([str(NESA), *args], env=full, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("shell", sorted(SCRIPTS))
@pytest.mark.parametrize("spelling", ["{shell}_source", "source_{shell}"])
def test_the_script_for_each_shell(shell, spelling):
    r = run({"_NESA_COMPLETE": spelling.format(shell=shell)})
    assert r.returncode == 0, r.stderr
    assert "not supported" not in r.stdout + r.stderr
    for part in SCRIPTS[shell]:
        assert part in r.stdout


def test_show_completion_prints_the_script_of_the_shell_in_use():
    """Typer finds "the shell in use" by walking up the processes: run nesa
    from bash, so the answer does not depend on what started the tests."""
    import shlex

    full = {k: v for k, v in os.environ.items() if not k.startswith(("_NESA", "COMP_", "_TYPER"))}
    full["NESA_DATA_DIR"] = str(PROJECT)
    r = subprocess.run(["bash", "-c", f"{shlex.quote(str(NESA))} --show-completion; exit $?"], env=full,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert any(all(part in r.stdout for part in parts) for parts in SCRIPTS.values()), r.stdout


def test_install_completion_is_offered():
    r = run({}, "--help")
    assert "--install-completion" in r.stdout and "--show-completion" in r.stdout


def complete(words: str) -> list[str]:
    """What bash would offer for the last word of ``words`` (through the lazy script)."""
    parts = words.split(" ")
    r = run({"_NESA_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(len(parts) - 1)})
    assert r.returncode == 0, r.stderr
    return r.stdout.split()


def _stems(folder: str) -> list[str]:
    return sorted(p.stem for p in (PROJECT / "data" / folder).glob("*.yaml"))


@pytest.mark.parametrize("words,folder", [
    ("nesa agenda 2026-", "meetings"),
    ("nesa meetings show 2026-", "meetings"),
    ("nesa networks show s", "networks"),
    ("nesa policies show ", "policies"),
    ("nesa schools show 1221", "schools"),
    ("nesa invoices list --school 1221", "schools"),
    ("nesa schools set 1221", "schools"),  # the generic IDENT of a group's commands
])
def test_values_come_from_the_file_names(words, folder):
    prefix = words.rsplit(" ", 1)[1]
    assert complete(words) == [s for s in _stems(folder) if s.startswith(prefix)]


def test_a_school_by_a_word_of_its_name():
    assert complete("nesa schools show Roth") == ["Rothbury"]
    got = complete("nesa invoices list --school whit")
    assert got and all(g.startswith("whit") for g in got)


def test_the_zsh_answer_names_the_school_beside_its_urn():
    r = run({"_NESA_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "nesa schools show 122101"})
    assert "122101" in r.stdout and "Rothbury First School" in r.stdout


def test_commands_complete_too():
    assert "schools" in complete("nesa sch")
    assert set(complete("nesa schools ")) >= {"list", "show", "set"}


@pytest.mark.skipif(shutil.which("bash") is None, reason="no bash here")
def test_bash_drives_the_completion_function():
    script = run({"_NESA_COMPLETE": "bash_source"}).stdout
    program = script + '\nCOMP_WORDS=(nesa schools show 12210); COMP_CWORD=3; _nesa_completion nesa; printf "%s\\n" "${COMPREPLY[@]}"\n'
    env = {k: v for k, v in os.environ.items() if not k.startswith(("_NESA", "COMP_"))}
    env.update(NESA_DATA_DIR=str(PROJECT), PATH=f"{NESA.parent}{os.pathsep}{env.get('PATH', '')}")
    r = subprocess.run(["bash", "--norc", "--noprofile", "-c", program], env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == [s for s in _stems("schools") if s.startswith("12210")]


def test_outside_a_data_repository_completion_offers_nothing_and_never_fails(tmp_path):
    full = {k: v for k, v in os.environ.items() if not k.startswith(("_NESA", "COMP_", "NESA_DATA_DIR"))}
    full.update({"_NESA_COMPLETE": "complete_bash", "COMP_WORDS": "nesa schools show 12", "COMP_CWORD": "3"})
    r = subprocess.run([str(NESA), ], env=full, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stdout.strip() == "" and "Traceback" not in r.stderr
