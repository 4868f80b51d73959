"""The README's generated parts: the command reference, the rule table and
the console examples.

    python -m nesa_cli.cli.readme          # rewrite them in README.md
    python -m nesa_cli.cli.readme --check  # exit 1 when README.md differs

Each part sits between ``<!-- generated: NAME -->`` and ``<!-- end: NAME -->``;
each console example between ``<!-- example -->`` and ``<!-- /example -->``,
its output made by running its commands on the sample alliance (see
nesa_cli.cli.examples). tests/test_readme_generated.py fails when a part or
an example is out of date, so the README cannot drift from the commands, the
rules the code declares, or what the commands print.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def commands() -> str:
    """Every command, with its one-line summary, as a Markdown list."""
    import typer.main

    from nesa_cli.cli import app, register

    register()
    root = typer.main.get_command(app)
    rows: list[str] = []

    def walk(group, prefix: str) -> None:
        for name in sorted(group.commands):
            cmd = group.commands[name]
            if getattr(cmd, "hidden", False):
                continue
            path = f"{prefix} {name}"
            sub = getattr(cmd, "commands", None)
            if sub:
                walk(cmd, path)
            else:
                summary = cmd.get_short_help_str(limit=300).strip()
                forms = next((p.metavar for p in cmd.params if p.name == "fmt" and p.metavar), None)
                rows.append(f"- `{path}`: {summary}" + (f" (`--format {forms}`)" if forms else ""))

    walk(root, "nesa")
    return "\n".join(rows) + "\n"


def parts() -> dict[str, str]:
    from nesa_cli.validate.catalogue import rule_table

    return {"commands": commands(), "rules": rule_table()}


def render(text: str, made: dict[str, str]) -> str:
    for name, body in made.items():
        pattern = re.compile(rf"(<!-- generated: {name} -->\n).*?(<!-- end: {name} -->)", re.S)
        if not pattern.search(text):
            raise SystemExit(f"README.md has no <!-- generated: {name} --> ... <!-- end: {name} --> part")
        text = pattern.sub(lambda m: m.group(1) + body + m.group(2), text)
    return text


def regenerate(text: str) -> str:
    """The README with every generated part and example made afresh."""
    from nesa_cli.cli import examples

    return examples.render(render(text, parts()))


def main(argv: list[str]) -> int:
    from nesa_cli.cli import examples

    old = README.read_text(encoding="utf-8")
    new = regenerate(old)
    typed = examples.unmarked(new)
    if typed:
        where = ", ".join(f"README.md:{n}" for n in typed)
        print(f"{where}: a console block with no <!-- example --> marker (its output would be typed by hand)", file=sys.stderr)
        return 1
    if "--check" in argv:
        if new != old:
            print("README.md is out of date: run python -m nesa_cli.cli.readme", file=sys.stderr)
            return 1
        return 0
    if new != old:
        README.write_text(new, encoding="utf-8", newline="\n")
        print("README.md updated")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
