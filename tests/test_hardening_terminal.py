"""No control or bidirectional character from data, commit metadata or the
user's own arguments reaches a terminal or the digest's text email raw; and
the messages for unusual files say what is wrong."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings, strategies as st
from typer.testing import CliRunner

from conftest import edit, make_repo
from nesa_cli.cli import app

runner = CliRunner()
TODAY = "2026-11-23"
SCHOOL = "data/schools/100001.yaml"
QUICK = [Phase.explicit, Phase.reuse, Phase.generate]

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

# What must never reach a terminal raw (written out here, not taken from the code under test).
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f\x80-\x9f\u202a-\u202e\u2066-\u2069]")
NASTY = ["\x1b", "\x1b[2J", "\x9b", "\x9b31m", "\u202e", "\u2066", "\u2069", "\x07", "\r", "\x00", "\x85", "\u202a"]


def nesa(repo: Path, *args: str):
    return runner.invoke(app, ["-C", str(repo), "--today", TODAY, *args], catch_exceptions=False)


def raw_controls(text: str) -> list[str]:
    return sorted(set(RAW.findall(text)))


# Text with a nasty character somewhere in it.
nasty_text = st.builds(lambda a, n, b: f"{a}{n}{b}", st.text(alphabet="abcXYZ ", min_size=1, max_size=5),
                       st.sampled_from(NASTY) | st.characters(min_codepoint=0x80, max_codepoint=0x9f)
                       | st.characters(min_codepoint=0x202a, max_codepoint=0x202e)
                       | st.characters(min_codepoint=0x2066, max_codepoint=0x2069)
                       | st.characters(max_codepoint=0x1f), st.text(alphabet="abcXYZ ", min_size=1, max_size=5))


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    return make_repo(tmp_path_factory.mktemp("terminal") / "alliance")


def _commit(repo: Path, message: str, author: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": "a@example.org", "GIT_COMMITTER_NAME": "C",
           "GIT_COMMITTER_EMAIL": "c@example.org", "GIT_AUTHOR_DATE": "2026-11-20T12:00:00+00:00",
           "GIT_COMMITTER_DATE": "2026-11-20T12:00:00+00:00"}
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True, env=env)
    subprocess.run(["git", "commit", "-q", "-F", "-"], input=message.encode(), cwd=repo, check=True, env=env)


@pytest.mark.slow
@settings(max_examples=10, deadline=None, phases=QUICK, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=nasty_text, message=nasty_text, author=nasty_text)
def test_no_raw_control_character_reaches_the_terminal_or_the_email(pristine, tmp_path, name, message, author):
    repo = tmp_path / "work"
    if repo.exists():
        shutil.rmtree(repo)
    shutil.copytree(pristine, repo, symlinks=True)
    # a double-quoted YAML scalar can carry any character as an escape (JSON's escapes are YAML's)
    edit(repo, SCHOOL, "name: Alpha First School", f"name: {json.dumps(name)}")
    edit(repo, "data/schools/100002.yaml", "name: Beta Primary School", f"name: {json.dumps('Beta ' + name)}")
    author = author.replace("\x00", "").replace("\n", "") .replace("<", "").replace(">", "").strip() or "x"
    _commit(repo, message.replace("\x00", "") or "x", f"A{author}Z")
    outputs = {}
    for args in (["schools", "list"], ["schools", "list", "--csv"], ["schools", "list", "--json"],
                 ["schools", "show", "100001"], ["schools", "show", "100001", "--json"], ["history", "100001"],
                 ["history", "100001", "--json"], ["diff", "HEAD~1..HEAD"], ["diff", "HEAD~1..HEAD", "--json"],
                 ["digest", "--since", "30d"], ["digest", "--since", "30d", "--json"], ["validate"],
                 ["validate", "--format", "json"], ["validate", "--format", "github"], ["status"],
                 ["schools", "show", name], ["history", name]):
        r = nesa(repo, *args)
        assert r.exit_code in (0, 1, 2), (args, r.output)
        outputs[" ".join(args)] = r.output
    for what, out in outputs.items():
        assert raw_controls(out) == [], (what, out)
    listed = {s["name"] for s in json.loads(outputs["schools list --json"])}  # still JSON, the same strings
    if "error" not in outputs["validate"]:  # the schema refuses most such names; those it allows are listed
        assert {name, "Beta " + name} <= listed
    # the email's text part
    from nesa_cli.digest.send import SmtpSettings, build_messages
    from nesa_cli.digest.build import build_digest
    from nesa_cli.render import render
    from nesa_cli.safetext import visible_lines
    from nesa_cli.store import WorkingTree
    from nesa_cli.validate.run import load
    from datetime import date
    from types import SimpleNamespace

    result = load(WorkingTree(repo))
    d = build_digest(repo, result, date(2026, 11, 23), 30)
    settings_ = SmtpSettings("smtp.example.org", 587, "starttls", "digest@example.org")
    people = [SimpleNamespace(name="R", email="r@example.org", sections=())]
    msgs = build_messages(d, people, settings_, lambda v: visible_lines(render(repo, "digest", "txt", v)),
                          lambda v: render(repo, "digest", "html", v))
    body = msgs[0].message.get_body(("plain",)).get_content()
    assert raw_controls(body.replace("\r", "")) == []


def test_the_digest_command_sanitises_the_email_text(repo, monkeypatch):
    """The text renderer the digest command hands to build_messages."""
    edit(repo, SCHOOL, "name: Alpha First School", 'name: "Alpha \\e[2J \\u202e School"')
    _commit(repo, "rename \x1b[31m red \u202e", "Evil\x9bAuthor")
    sent = {}

    def fake_send(root, outgoing, settings):
        sent["text"] = outgoing[0].message.get_body(("plain",)).get_content()
        return [{"status": "sent", "recipients": outgoing[0].recipients}]

    import nesa_cli.digest.send as send

    monkeypatch.setattr(send, "send_all", fake_send)
    monkeypatch.setenv("NESA_SMTP_HOST", "smtp.example.org")
    monkeypatch.setenv("NESA_SMTP_FROM", "digest@example.org")
    r = nesa(repo, "digest", "--since", "30d", "--send")
    assert r.exit_code == 0, r.output
    assert raw_controls(sent["text"].replace("\r", "")) == []
    assert "\\x1b" in sent["text"] or "\\u202e" in sent["text"]


@pytest.mark.parametrize("arg", ["x\x1b[2Jy", "x\x9b2Jy", "evil\u202eexe.txt", "a\rforged line"])
def test_arguments_echoed_in_errors_are_escaped(repo, arg):
    for args in (["schools", "show", arg], ["history", arg], ["schools", "list", "--at", arg],
                 ["schools", "set", arg, "phone=1"], ["digest", "--since", arg]):
        r = nesa(repo, *args)
        assert r.exit_code == 2, (args, r.output)
        assert raw_controls(r.output) == [], (args, r.output)


def test_sanitiser_escapes_and_keeps_everything_else():
    from nesa_cli.safetext import json_safe, visible, visible_lines

    assert visible("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert visible("\x9b\u202e\u2066") == "\\x9b\\u202e\\u2066"
    assert visible("é ü 日本 \t") == "é ü 日本 \t"
    assert visible_lines("a\nb\x1b") == "a\nb\\x1b"
    assert json.loads(json_safe(json.dumps("x\u202e\x9b", ensure_ascii=False))) == "x\u202e\x9b"


# --- unclear messages ------------------------------------------------------------


def _validate(repo: Path) -> str:
    return nesa(repo, "validate").output


def test_complex_yaml_key_is_named_not_shown_as_a_node(repo):
    (repo / "data/schools/100001.yaml").write_text("? [a, b]\n: 1\nurn: 100001\n", encoding="utf-8")
    out = _validate(repo)
    assert "a key must be text, not a list" in out
    assert "Node" not in out and "tag:" not in out


def test_fifo_under_data_is_a_diagnostic(repo):
    os.mkfifo(repo / "data/schools/pipe.yaml")
    r = nesa(repo, "validate")
    assert r.exit_code == 1
    assert "data/schools/pipe.yaml" in r.output and "named pipe (FIFO)" in r.output


def test_anchor_without_alias_is_an_error(repo):
    edit(repo, SCHOOL, "name: Alpha First School", "name: &n Alpha First School")
    out = _validate(repo)
    assert "anchor '&n'" in out and "[yaml-alias]" in out


def test_unreadable_alliance_file_is_said_in_words(repo):
    """The repository is found by data/alliance.yaml; when it holds no alliance
    (invalid, or not an alliance at all) status says so, not "None (None)"."""
    (repo / "data/alliance.yaml").write_text("something: else\n", encoding="utf-8")
    out = nesa(repo, "status").output
    assert "None" not in out
    assert "no data/alliance.yaml, or it could not be read" in out


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_named(repo, encoding):
    p = repo / SCHOOL
    p.write_bytes(p.read_text(encoding="utf-8").encode(encoding))
    out = _validate(repo)
    assert "looks like UTF-16" in out and "save it as UTF-8" in out
    assert "NUL" not in out.replace("is NUL", "")
