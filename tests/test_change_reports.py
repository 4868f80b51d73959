"""Change reports in words everywhere (issue 22): no change reported when the
value is equal (numbers re-typed as text, lists reordered), list items named
by what they are, never a raw field path, and no placeholder files."""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st
from typer.testing import CliRunner

from conftest import PROJECT, commit_at, edit
from nesa_cli.changes import deltas, field_changes, same
from nesa_cli.cli import app

runner = CliRunner()
RAW_PATH = re.compile(r"\w\[\d+\]|\b[a-z]+_[a-z_]+\b")  # contacts[0], central_team, partnership_type


def nesa(repo: Path, *args: str):
    return runner.invoke(app, ["-C", str(repo), "--today", "2026-11-23", *args], catch_exceptions=False)


@pytest.fixture
def sample_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "sample"
    shutil.copytree(PROJECT / "data", repo / "data")
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
    commit_at(repo, "2026-11-02", "The sample alliance")
    return repo


def reported(repo: Path) -> str:
    out = nesa(repo, "diff", "HEAD~1..HEAD")
    assert out.exit_code == 0, out.output
    return out.output


# --- equal values are no change ------------------------------------------------

numbers = st.decimals(min_value=-10**6, max_value=10**6, places=2, allow_nan=False, allow_infinity=False)


@given(numbers, st.sampled_from(["str", "float", "int-if-whole", "padded"]))
def test_a_number_written_another_way_is_the_same(value: Decimal, how: str):
    other = {"str": f"{value:.2f}", "float": float(value), "padded": f"{value:.4f}",
             "int-if-whole": int(value) if value == value.to_integral_value() else str(value)}[how]
    assert same(value, other)
    assert deltas({"spend": value, "x": [{"amount": value}]}, {"spend": other, "x": [{"amount": other}]}) == []


@given(st.lists(st.fixed_dictionaries({"name": st.text("abcdef", min_size=1, max_size=6), "email": st.emails()}),
                min_size=1, max_size=8, unique_by=lambda c: c["name"]), st.randoms())
def test_a_list_in_another_order_is_no_change(contacts, rnd):
    shuffled = contacts[:]
    rnd.shuffle(shuffled)
    assert field_changes({"contacts": contacts}, {"contacts": shuffled}) == []
    assert deltas({"partners": [c["name"] for c in contacts]}, {"partners": [c["name"] for c in shuffled]}) == []


@given(st.lists(st.fixed_dictionaries({"name": st.text("abcdef", min_size=1, max_size=6), "n": st.integers(0, 9)}),
                min_size=1, max_size=6, unique_by=lambda c: c["name"]), st.integers(0, 5), st.integers(10, 99))
def test_one_item_edited_is_one_change_wherever_it_moved(items, which, value):
    which %= len(items)
    new = [dict(i) for i in reversed(items)]
    target = items[which]["name"]
    for i in new:
        if i["name"] == target:
            i["n"] = value
    ds = deltas({"x": items}, {"x": new})
    assert len(ds) == 1 and ds[0].old == items[which]["n"] and ds[0].new == value


def test_retyped_numbers_commit_reports_nothing(sample_repo):
    for f in sorted((sample_repo / "data/activities").glob("support-*.yaml")):
        text = f.read_text(encoding="utf-8")
        f.write_text(re.sub(r'spend: "([0-9.]+)"', r"spend: \1", text), encoding="utf-8")
    commit_at(sample_repo, "2026-11-20", "Spend as numbers")
    out = reported(sample_repo)
    assert "No changes to the alliance data." in out and "->" not in out
    assert "No changes" in nesa(sample_repo, "digest").output


def test_reordered_lists_report_nothing(sample_repo):
    rnd = random.Random(22)
    import yaml

    for rel in ("data/schools/122101.yaml", "data/policies/child-protection-safeguarding.yaml", "data/networks/sencos.yaml"):
        p = sample_repo / rel
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
        for key in ("contacts", "adoptions", "members"):
            if isinstance(data.get(key), list):
                rnd.shuffle(data[key])
        p.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    commit_at(sample_repo, "2026-11-20", "Reordered")
    assert "No changes to the alliance data." in reported(sample_repo)


def test_an_added_list_item_is_one_sentence_naming_it(sample_repo):
    edit(sample_repo, "data/schools/122101.yaml", "contacts:\n", "contacts:\n  - role: senco\n    name: Nora New\n    email: n.new@example.org\n")
    edit(sample_repo, "data/finance/2026-27.yaml", "spend:\n", 'spend:\n  - {date: 2026-11-18, stream: networks, amount: "450.00", description: Supply cover for network leads}\n')
    edit(sample_repo, "data/alliance.yaml", "central_team:\n", "central_team:\n  - id: nn\n    name: Nia Newcomer\n    role: administrator\n")
    commit_at(sample_repo, "2026-11-20", "Additions")
    out = reported(sample_repo)
    assert "Rothbury First School: new SENCO Nora New" in out
    assert "new spend entry: £450.00 on 2026-11-18: Supply cover for network leads" in out
    assert "new central team member: Nia Newcomer" in out
    assert not RAW_PATH.search(out.replace("nesa_", "")), out
    assert out.count("Nora New") == 1 and out.count("Nia Newcomer") == 1 and out.count("£450.00") == 1
    assert " set to " not in out, "an added item described field by field"


def test_no_raw_paths_or_urns_in_a_big_change(sample_repo):
    """Every kind of file edited: labels are the schemas' titles, list items
    are named, URNs become names."""
    import yaml

    for rel in ("data/alliance.yaml", "data/schools/122108.yaml", "data/networks/sencos.yaml",
                "data/policies/send.yaml", "data/activities/support-send-122164.yaml"):
        p = sample_repo / rel
        text = p.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
        _touch(data)
        p.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    commit_at(sample_repo, "2026-11-20", "Everything touched")
    out = reported(sample_repo)
    assert out.count("\n  - ") > 10
    assert not RAW_PATH.search(out), RAW_PATH.search(out)
    assert not re.search(r"\b1\d{5}\b", out), "a URN instead of a name"


def test_per_school_digest_contacts_are_named_schools_not_urns(sample_repo):
    """digest: per_school: contacts (the schools whose digest goes to a named
    contact instead): a school moved and a contact added say the schools' names."""
    edit(sample_repo, "data/alliance.yaml", "      - school: 122150", "      - school: 122262")
    edit(sample_repo, "data/alliance.yaml", "        name: Liam Straker\n", "        name: Liam Straker\n      - school: 122220\n        name: Beth Ord\n")
    commit_at(sample_repo, "2026-11-20", "Per-school digests: named contacts")
    for out in (reported(sample_repo), nesa(sample_repo, "digest").output):
        assert "named contact Liam Straker's school Morpeth Chantry Middle School -> Newsham Primary School" in out, out
        assert "new named contact: Beth Ord (Bellingham Primary School)" in out, out
        assert not re.search(r"\b1\d{5}\b", out), "a URN instead of a name"


def _touch(node):
    """Change every text value a little (keeping ids, URNs, dates, enums valid)."""
    if isinstance(node, dict):
        for k, v in node.items():
            if isinstance(v, str) and k in ("description", "purpose", "title", "summary", "expected_outcome", "notes", "detail", "channel"):
                node[k] = v + " (revised)"
            else:
                _touch(v)
    elif isinstance(node, list):
        for v in node:
            _touch(v)


def test_placeholder_files_of_a_new_alliance_are_not_changes(tmp_path):
    repo = tmp_path / "new"
    (repo / "data").mkdir(parents=True)
    shutil.copy(PROJECT / "data/alliance.yaml", repo / "data/alliance.yaml")
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
    commit_at(repo, "2026-11-01", "Alliance")
    for folder in ("schools", "networks", "policies", "meetings"):
        (repo / "data" / folder).mkdir()
        (repo / "data" / folder / ".gitkeep").write_text("", encoding="utf-8")
    (repo / "data/README.md").write_text("# notes\n", encoding="utf-8")
    commit_at(repo, "2026-11-20", "Folders")
    for out in (nesa(repo, "diff", "HEAD~1..HEAD").output, nesa(repo, "diff", "HEAD~1..HEAD", "--json").output,
                nesa(repo, "digest").output):
        assert "gitkeep" not in out and "README" not in out


def test_diff_text_has_no_markdown_escapes(sample_repo):
    edit(sample_repo, "data/alliance.yaml", "name: Rachel Hall", "name: Rachel_Hall [lead]")
    commit_at(sample_repo, "2026-11-20", "Odd name")
    out = reported(sample_repo)
    assert "\\" not in out and "Rachel_Hall [lead]" in out
    md = nesa(sample_repo, "diff", "HEAD~1..HEAD", "--markdown").output
    assert "Rachel\\_Hall \\[lead\\]" in md


def test_history_says_fields_in_words(sample_repo):
    edit(sample_repo, "data/schools/122101.yaml", "head@rothburyfirst.example.org", "maria.fenwick@rothburyfirst.example.org")
    commit_at(sample_repo, "2026-11-20", "Head's email")
    out = nesa(sample_repo, "history", "122101").output
    assert "contact Maria Fenwick's email" in out and "contacts[" not in out
    entry = json.loads(nesa(sample_repo, "history", "122101", "--json").output)[0]
    assert entry["changes"][0]["field"].startswith("contacts[")  # JSON keeps the machine path beside the words
