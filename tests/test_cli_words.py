"""Words (issue 23): labels from the schemas' titles, names instead of ids,
plurals, one date style, no Python None, counts of what was checked, and
no quiet success."""

from __future__ import annotations

import re

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import PROJECT, make_repo
from nesa_cli.cli import app
from nesa_cli.store import WorkingTree
from nesa_cli.validate.run import load
from nesa_cli.wording import day, plural

runner = CliRunner()
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
INTERNAL = re.compile(r"(^|[\s,;(])[a-z]+_[a-z_]+:|\b(low|high|treatment|rate|applies_to|source_date): ")


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return make_repo(tmp_path_factory.mktemp("words") / "sample", PROJECT)


@pytest.fixture(scope="module")
def model(sample):
    return load(WorkingTree(sample)).model


def cli(repo, *args, **kw):
    return runner.invoke(app, ["-C", str(repo), "--today", "2026-11-23", *args], catch_exceptions=False, **kw)


def _field_lines(text: str) -> list[str]:
    """The "  Label: value" lines of a show command (not the file path or links)."""
    return [ln for ln in text.splitlines() if ln.startswith("  ") and ":" in ln
            and not ln.lstrip().startswith(("File:", "Source:", "Website:", "Document:"))]


def _check_show(text: str) -> None:
    assert "None" not in text
    for line in _field_lines(text):
        assert not INTERNAL.search(line), line
        assert not ISO.search(line), line


@SETTINGS
@given(data=st.data())
@pytest.mark.shared_sample
def test_schools_show_reads_as_words(sample, model, data):
    urn = data.draw(st.sampled_from(sorted(model.schools)))
    r = cli(sample, "schools", "show", str(urn))
    assert r.exit_code == 0
    _check_show(r.stdout)
    s = model.schools[urn]
    if s.age_low is not None:
        assert f"Age range: youngest {s.age_low}; oldest {s.age_high}" in r.stdout
    if s.partnership:
        assert "Partnership: " + model.alliance.partnership(s.partnership).name in r.stdout


@SETTINGS
@given(data=st.data())
@pytest.mark.shared_sample
def test_policies_show_names_the_owner(sample, model, data):
    pid = data.draw(st.sampled_from(sorted(model.policies)))
    r = cli(sample, "policies", "show", pid)
    assert r.exit_code == 0
    _check_show(r.stdout)
    owner = model.policies[pid].owner
    if owner:
        member = model.alliance.team_member(owner)
        assert f"Owner: {member.name if member else owner}" in r.stdout
        assert member is None or f"Owner: {owner}\n" not in r.stdout


@pytest.mark.shared_sample
def test_invoices_show_reads_as_words(sample):
    from nesa_cli.finance.model import invoices

    m = load(WorkingTree(sample)).model
    for inv in invoices(m)[:10]:
        r = cli(sample, "invoices", "show", inv.number)
        assert r.exit_code == 0
        _check_show(r.stdout)
        assert "VAT: treatment" in r.stdout and "Vat:" not in r.stdout
        assert "school: " not in r.stdout  # the recipient by name, not its URN


@pytest.mark.shared_sample
def test_networks_show_reads_as_words(sample, model):
    for nid in sorted(model.networks):
        r = cli(sample, "networks", "show", nid)
        assert r.exit_code == 0
        _check_show(r.stdout)


@given(n=st.integers(min_value=0, max_value=10**6))
def test_plural(n):
    assert plural(n, "policy", "policies").endswith("policy" if n == 1 else "policies")
    assert plural(n, "member school").endswith("school" if n == 1 else "schools")


@given(d=st.dates())
def test_one_date_style(d):
    assert day(d) == f"{d.day} {d:%B} {d.year}"


def _one_member(sample, tmp_path):
    """The sample with a single member school."""
    repo = make_repo(tmp_path / "one", sample)
    m = load(WorkingTree(repo)).model
    for s in list(m.members_on(m_day()))[1:]:
        (repo / s.path).unlink()
    return repo


def m_day():
    from datetime import date

    return date(2026, 11, 23)


@pytest.mark.shared_sample
def test_status_singular(sample, tmp_path):
    repo = _one_member(sample, tmp_path)
    for p in (repo / "data" / "policies").glob("*.yaml"):
        p.unlink()
    (repo / "data" / "policies" / "x.yaml").write_text("")  # keep the folder
    (repo / "data" / "policies" / "x.yaml").unlink()
    r = cli(repo, "status")
    assert "1 member school of" in r.stdout
    assert "1 member schools" not in r.stdout
    assert "(0 policies)" in r.stdout or "policies due" in r.stdout.lower()


def test_listing_titles_singular(repo):
    r = cli(repo, "policies", "list")
    assert r.exit_code == 0
    assert not re.search(r"\b1 model policies\b", r.stdout)
    r = cli(repo, "people", "find", "Ann Lee")
    assert "1 people" not in r.stdout


# -- no Python None in a message --------------------------------------------------------------

OPTIONAL = ["laestab", "age_range", "religious_character", "address", "website", "phone", "email", "capacity",
            "partnership", "pupils", "diocese"]


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
@pytest.mark.shared_sample
def test_no_none_in_messages_when_fields_are_missing(sample, tmp_path_factory, data):
    repo = make_repo(tmp_path_factory.mktemp("none") / "r", sample)
    m = load(WorkingTree(repo)).model
    urn = data.draw(st.sampled_from(sorted(s.urn for s in m.members_on(m_day()))))
    drop = data.draw(st.lists(st.sampled_from(OPTIONAL), min_size=1, max_size=4, unique=True))
    path = repo / m.schools[urn].path
    doc = yaml.safe_load(path.read_text())
    for key in drop:
        doc.pop(key, None)
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    for d in load(WorkingTree(repo)).diagnostics:
        assert "None" not in d.message, d.text()


@pytest.mark.shared_sample
def test_missing_laestab_says_so(sample, tmp_path):
    repo = make_repo(tmp_path / "r", sample)
    path = repo / "data" / "schools" / "122101.yaml"
    doc = yaml.safe_load(path.read_text())
    doc.pop("laestab")
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    messages = [d.message for d in load(WorkingTree(repo)).diagnostics if d.path.endswith("122101.yaml")]
    assert any("no LAESTAB" in msg for msg in messages)
    assert not any("None" in msg for msg in messages)


@pytest.mark.shared_sample
def test_withdrawal_is_not_in_the_past_tense(sample, tmp_path):
    """A withdrawal dated after today is not "withdrew on"; the rule's words fit any day."""
    repo = make_repo(tmp_path / "r", sample)
    m = load(WorkingTree(repo)).model
    n = next(n for n in m.networks.values() if n.active_members(m_day()))
    member = n.active_members(m_day())[0]
    path = repo / m.schools[member.school].path
    doc = yaml.safe_load(path.read_text())
    doc["membership"].append({"state": "withdrawn", "date": "2027-08-31", "reason": "Joining a trust"})
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    msgs = [d.message for d in load(WorkingTree(repo)).diagnostics if d.rule == "network-withdrawn-member"]
    assert msgs and all("withdrew" not in x and "31 August 2027" in x for x in msgs)


# -- counts and quiet success ------------------------------------------------------------------

@pytest.mark.shared_sample
def test_validate_file_counts_what_it_checked(sample):
    r = cli(sample, "validate", str(sample / "data" / "schools" / "122101.yaml"))
    assert r.exit_code == 0
    assert r.stdout.startswith("1 file checked: ") and "265 files checked" not in r.stdout
    r = cli(sample, "validate", str(sample / "data" / "policies"))
    n = len(list((sample / "data" / "policies").glob("*")))
    assert r.stdout.startswith(f"{n} files checked: ")


@pytest.mark.parametrize("command", [("agenda", "2026-12-09"), ("calendar",), ("contacts", "--format", "csv")])
@pytest.mark.shared_sample
def test_writing_a_file_says_so(sample, tmp_path, command):
    target = tmp_path / "out.txt"
    r = cli(sample, *command, "-o", str(target))
    assert r.exit_code == 0 and target.exists()
    assert f"wrote " in r.stderr and str(target) in r.stderr and r.stdout == ""
