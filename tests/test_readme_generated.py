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
    assert (cmd.args, cmd.steps[0].into, cmd.steps[0].filters) == (["agenda", "x"], "agenda.md", [])
    for line in ("rm -rf data", "git push origin main", "nesa validate | sh", "nesa validate; rm x", "nesa validate &",
                 "FOO=1 git status", "cd a b", "nesa validate | head -n x"):
        with pytest.raises(examples.ExampleError):
            examples.parse_command(line)
    with pytest.raises(examples.ExampleError):
        examples.parse_options("speed=fast")
    writing = "<!-- example -->\n```console\n$ nesa schools set 122108 capacity=61\n```\n<!-- /example -->\n"
    with pytest.raises(examples.ExampleError, match="without 'writes'"):
        examples.render(writing, tmp_path / "writing")
    assert "capacity: 50 -> 61" in examples.render(writing.replace("<!-- example -->", "<!-- example: writes -->"), tmp_path / "w2")


def test_every_console_block_in_the_readme_is_an_example():
    """A console block with no marker would be output typed by hand: refused.
    Every one is generated, or a commands-only block whose commands are run."""
    text = readme.README.read_text(encoding="utf-8")
    assert examples.unmarked(text) == []
    assert "```text\n$ " not in text and "```sh\n$ " not in text
    typed = text.replace("<!-- example -->\n```console\n$ nesa finance balances", "```console\n$ nesa finance balances", 1)
    line = typed[:typed.index("```console\n$ nesa finance balances")].count("\n") + 1
    assert examples.unmarked(typed) == [line]


def _block(text: str, first: str) -> str:
    """The README's example block whose first command is ``first``, markers included."""
    at = text.index("```console\n$ " + first)
    start = text.rindex("<!-- example", 0, at)
    end = text.index("<!-- /example -->\n", at) + len("<!-- /example -->\n")
    return text[start:end]


def test_a_hand_edited_output_line_is_caught(tmp_path):
    """Change one line of what a README example shows: the generator puts back
    what nesa prints, so the README test fails on the edit."""
    block = _block(readme.README.read_text(encoding="utf-8"), "nesa finance balances")
    edited = block.replace("2026-27  2 of 3        22182.08", "2026-27  2 of 3        22182.80")
    assert edited != block
    assert examples.render(edited, tmp_path) == block


def test_commands_only_blocks_are_run_and_checked(tmp_path):
    ok = ("<!-- example: commands -->\n```console\n$ nesa validate --json > v.json   # quiet\n"
          "$ _NESA_COMPLETE=bash_source nesa > ~/.nesa-complete.bash\n$ nesa digest --send\n"
          "$ nesa --install-completion\n$ # a comment\n```\n<!-- /example -->\n")
    assert examples.render(ok, tmp_path / "ok") == ok  # nothing shown, nothing sent, nothing installed
    typed = ok.replace("$ nesa digest --send\n", "$ nesa digest --send\nsent to 3 recipients\n")
    with pytest.raises(examples.ExampleError, match="not a command"):
        examples.render(typed, tmp_path / "typed")
    failing = ok.replace("$ nesa validate --json", "$ nesa schools show 999999")
    with pytest.raises(examples.ExampleError, match="exit"):
        examples.render(failing, tmp_path / "failing")
    for i, bad in enumerate(("nesa digest --send --sinse 7d", "nesa digest --send 7d", "nesa digestt --send", "nesa digest --send --since")):
        with pytest.raises(examples.ExampleError, match="nesa digest"):
            examples.render(ok.replace("$ nesa digest --send", "$ " + bad), tmp_path / f"bad{i}")


def test_the_examples_shell(tmp_path):
    from nesa_cli.cli import example_shell as sh

    assert sh.xxd(b"\xef\xbb\xbfurn,name\n") == b"00000000: efbb bf75 726e 2c6e 616d 650a            ...urn,name.\n"
    text = b"a\nb\nc\nd\ne\n"
    grep, _ = sh.filter_of(["grep", "-A", "1", "-e", "^b", "-e", "e"], "x")
    assert grep(text) == b"b\nc\n--\ne\n"
    jq, _ = sh.filter_of(["jq", "-r", ".[].name"], "x")
    assert jq(b'[{"name": "A"}, {"name": "B"}]') == b"A\nB\n"
    tail, _ = sh.filter_of(["tail", "-n", "2"], "x")
    assert tail(text) == b"d\ne\n"
    steps = sh.parse_line("cd new && NESA_CSV_BOM=0 nesa schools list --csv >> s.csv  # append")
    assert [s.argv[0] for s in steps] == ["cd", "nesa"] and steps[1].env == {"NESA_CSV_BOM": "0"} and steps[1].append
    block = ("<!-- example: writes -->\n```console\n$ nesa schools list --csv > s.csv && xxd -l 3 s.csv\n"
             "$ NESA_CSV_BOM=0 nesa schools list --csv | head -c 3 | xxd\n$ nesa schools show 999999 && nesa validate\n"
             "$ cd data && git mv schools/122108.yaml schools/x.yaml && git status --short\n```\n<!-- /example -->\n")
    lines = examples.render(block, tmp_path / "shell").splitlines()
    assert lines[3] == "00000000: efbb bf                                  ..."  # a CSV into a new file: the mark
    assert lines[5] == "00000000: 7572 6e                                  urn"  # NESA_CSV_BOM=0: none
    assert lines[7].startswith("nesa: ") and lines[8].startswith("$ cd data")  # && stops after a failure
    assert lines[9].startswith("R  schools/122108.yaml -> schools/x.yaml")
    with pytest.raises(examples.ExampleError, match="not a folder in the example's copy"):
        examples.render(block.replace("cd data", "cd ../.."), tmp_path / "out")
    for i, escape in enumerate(("nesa validate > ../../x.txt", "xxd -l 3 /etc/hostname")):
        with pytest.raises(examples.ExampleError, match="outside the example's copy"):
            examples.render(block.replace("nesa schools show 999999 && nesa validate", escape), tmp_path / f"esc{i}")
