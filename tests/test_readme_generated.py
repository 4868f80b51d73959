"""The README's generated parts (command reference, rule table) and its console
examples (run on the sample alliance) match the code."""

from __future__ import annotations

import pytest

from nesa_cli.cli import examples, readme


def test_readme_generated_parts_are_up_to_date():
    text = readme.README.read_text(encoding="utf-8")
    assert readme.render(text, readme.parts()) == text, "README.md is out of date: run python -m nesa_cli.cli.readme"


def test_every_command_and_rule_is_in_the_generated_parts():
    made = readme.parts()
    assert "- `nesa list`:" in made["commands"] and "- `nesa schools set`:" in made["commands"]
    assert "| `yaml-tab` | error |" in made["rules"] and "| `trip-school`" not in made["rules"]


def test_a_stale_part_is_found(tmp_path):
    text = readme.README.read_text(encoding="utf-8")
    stale = text.replace("| `yaml-tab` | error |", "| `yaml-tab` | warning |")
    assert readme.render(stale, readme.parts()) == text


def test_the_readme_examples_print_what_nesa_prints(tmp_path):
    """Every console example between <!-- example --> markers shows what its
    commands print on the sample alliance today (python -m nesa_cli.cli.readme
    writes them); one typed by hand, or left behind by a change, fails."""
    text = readme.README.read_text(encoding="utf-8")
    assert text.count("<!-- example") >= 12
    made = examples.render(text, tmp_path)
    if made != text:
        import difflib

        diff = "".join(list(difflib.unified_diff(text.splitlines(True), made.splitlines(True), "README.md", "generated", n=1))[:80])
        pytest.fail("README.md's examples are out of date: run python -m nesa_cli.cli.readme\n" + diff)


def test_the_example_generator_rules(tmp_path):
    stale = ("<!-- example: first=1 -->\n```console\n$ nesa validate   # all of it\ntyped by hand\n"
             "$ nesa validate --format json | head -n 2\n```\n<!-- /example -->\n")
    made = examples.render(stale, tmp_path)
    lines = made.splitlines()
    assert lines[2] == "$ nesa validate   # all of it" and lines[3].startswith("data/schools/") and lines[4] == "..."
    assert "typed by hand" not in made and lines[5] == "$ nesa validate --format json | head -n 2"
    assert lines[6:8] == ["[", "  {"] and lines[8] == "```"  # head -n 2: two lines, too few to abridge
    assert examples.render(made, tmp_path / "again") == made  # generating twice changes nothing
    cmd = examples.parse_command('nesa agenda x > agenda.md  # quiet')
    assert (cmd.args, cmd.into, cmd.head) == (["agenda", "x"], "agenda.md", None)
    with pytest.raises(examples.ExampleError):
        examples.parse_command("git status")
    with pytest.raises(examples.ExampleError):
        examples.parse_options("speed=fast")
    writing = "<!-- example -->\n```console\n$ nesa schools set 122108 capacity=61\n```\n<!-- /example -->\n"
    with pytest.raises(examples.ExampleError, match="without 'writes'"):
        examples.render(writing, tmp_path / "writing")
    assert "capacity: 50 -> 61" in examples.render(writing.replace("<!-- example -->", "<!-- example: writes -->"), tmp_path / "w2")
