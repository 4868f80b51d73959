"""The README's generated parts (command reference, rule table) match the code."""

from __future__ import annotations

from nesa_cli.cli import readme


def test_readme_generated_parts_are_up_to_date():
    text = readme.README.read_text(encoding="utf-8")
    assert readme.render(text, readme.parts()) == text, "README.md is out of date: run python -m nesa_cli.cli.readme"


def test_every_command_and_rule_is_in_the_generated_parts():
    made = readme.parts()
    assert "- `nesa list`:" in made["commands"] and "- `nesa schools set`:" in made["commands"]
    assert "| `yaml-too-deep` | error |" in made["rules"] and "| `trip-school`" not in made["rules"]


def test_a_stale_part_is_found(tmp_path):
    text = readme.README.read_text(encoding="utf-8")
    stale = text.replace("| `yaml-tab` | error |", "| `yaml-tab` | warning |")
    assert readme.render(stale, readme.parts()) == text
