"""One output switch (issue 23): every command that prints in more than one
form takes --format with its forms (the first the default); --json, --csv and
--markdown are shorthands wherever the command has that form; a misspelt
form gets a suggestion; two switches that disagree are refused."""

from __future__ import annotations

import json

import pytest
import typer.main
from typer.testing import CliRunner

from nesa_cli.cli import app, formats, register

runner = CliRunner()
SHORT = {"--json": "json", "--csv": "csv", "--markdown": "markdown"}


def commands():
    register()
    out = {}

    def walk(group, path):
        for name, cmd in sorted(group.commands.items()):
            sub = getattr(cmd, "commands", None)
            if sub:
                walk(cmd, f"{path} {name}".strip())
            else:
                out[f"{path} {name}".strip()] = cmd

    walk(typer.main.get_command(app), "")
    return out


def _options(cmd) -> dict[str, object]:
    return {o: p for p in cmd.params for o in getattr(p, "opts", ())}


def test_every_command_with_more_than_one_form_has_the_one_switch():
    seen = 0
    for path, cmd in commands().items():
        opts = _options(cmd)
        shorthands = {o for o in opts if o in SHORT}
        if "--format" not in opts:
            assert not shorthands, f"nesa {path}: {sorted(shorthands)} without --format"
            continue
        seen += 1
        forms = opts["--format"].metavar.split("|")
        assert len(forms) > 1 and len(set(forms)) == len(forms), path
        # a shorthand exactly where the form is, and meaning it
        assert shorthands == {o for o, f in SHORT.items() if f in forms}, (path, forms, shorthands)
        # listings and reports spell their forms alike
        if "csv" in forms and "table" in forms:
            assert forms == ["table", "json", "csv"], path
        if forms[0] == "text" and path != "validate":
            assert set(forms) <= {"text", "json", "markdown"}, path
    assert seen > 60


def test_the_forms_are_the_commands_own():
    cmds = commands()

    def forms(path):
        return _options(cmds[path])["--format"].metavar.split("|")

    assert forms("schools list") == ["table", "json", "csv"]
    assert forms("status") == ["text", "json"]
    assert forms("schools set") == ["text", "json"]
    assert forms("diff") == ["text", "markdown", "json"]
    assert forms("validate") == ["text", "github", "json"] and "-f" in _options(cmds["validate"])
    assert forms("agenda") == ["md", "html", "pdf"]
    assert forms("contacts") == ["html", "pdf", "csv", "vcf"]
    assert forms("invoices render") == ["html", "pdf"]
    assert "--format" not in _options(cmds["calendar"]) and "--format" not in _options(cmds["commit"])


def nesa(repo, *args):
    return runner.invoke(app, ["-C", str(repo), "--today", "2026-11-23", *args], catch_exceptions=False)


@pytest.mark.parametrize("argv", [["schools", "list"], ["networks", "list"], ["policies", "due"], ["invoices", "list"],
                                  ["status"], ["validate"], ["history", "122101"], ["diff", "HEAD"], ["templates", "list"]])
@pytest.mark.shared_sample
def test_format_json_is_the_json_shorthand(sample, argv):
    short = nesa(sample, *argv, "--json")
    long = nesa(sample, *argv, "--format", "json")
    upper = nesa(sample, *argv, "--format", "JSON")
    assert short.exit_code == long.exit_code == upper.exit_code and short.exit_code in (0, 1), long.output
    assert json.loads(short.stdout) == json.loads(long.stdout) == json.loads(upper.stdout)


@pytest.mark.shared_sample
def test_format_csv_and_the_default(sample):
    assert nesa(sample, "schools", "list", "--format", "csv").stdout == nesa(sample, "schools", "list", "--csv").stdout
    assert nesa(sample, "schools", "list", "--format", "table").stdout == nesa(sample, "schools", "list").stdout
    assert nesa(sample, "contacts", "--csv").stdout == nesa(sample, "contacts", "--format", "csv").stdout
    assert nesa(sample, "contacts", "--csv").stdout.startswith("school,urn,role,name")
    assert nesa(sample, "diff", "HEAD", "--format", "markdown").stdout == nesa(sample, "diff", "HEAD", "--markdown").stdout
    assert nesa(sample, "validate", "-f", "github").stdout == nesa(sample, "validate", "--format", "github").stdout


@pytest.mark.parametrize("argv,wrong,meant", [
    (["schools", "list"], "jsno", "json"),
    (["status"], "txt", "text"),
    (["validate"], "githb", "github"),
    (["agenda", "2026-12-09-strategic-board"], "htm", "html"),
    (["contacts"], "vcard", "vcf"),
    (["invoices", "render", "NESA-2025-0001", "-o", "out"], "pfd", "pdf"),
])
@pytest.mark.shared_sample
def test_a_misspelt_form_is_refused_with_a_suggestion(sample, argv, wrong, meant):
    r = nesa(sample, *argv, "--format", wrong)
    assert r.exit_code == 2
    assert f"--format {wrong!r} is not known" in r.output and meant in r.output.split("not known", 1)[1]
    assert "Traceback" not in r.output


@pytest.mark.shared_sample
def test_two_switches_that_disagree_are_refused(sample):
    r = nesa(sample, "schools", "list", "--json", "--csv")
    assert r.exit_code == 2 and "choose one output form" in r.output
    r = nesa(sample, "schools", "list", "--format", "csv", "--json")
    assert r.exit_code == 2 and "--format csv and --json" in r.output
    assert nesa(sample, "schools", "list", "--format", "json", "--json").exit_code == 0  # the same form twice is fine


def test_chosen():
    assert formats.chosen(("table", "json", "csv"), None, {"json": False, "csv": False}) == "table"
    assert formats.chosen(("table", "json", "csv"), None, {"json": False, "csv": True}) == "csv"
    assert formats.chosen(("md", "html", "pdf"), "PDF", {}) == "pdf"
