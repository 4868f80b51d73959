"""Every validation rule, proved on a broken copy of the small base alliance:
the rule fires, at the right file and line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import assert_fires, edit
from nesa_cli.store import WorkingTree
from nesa_cli.validate.catalogue import RULES
from nesa_cli.validate.run import load

S1, S2, S3 = "data/schools/100001.yaml", "data/schools/100002.yaml", "data/schools/100003.yaml"
NET, POL, ALL = "data/networks/sencos.yaml", "data/policies/safeguarding.yaml", "data/alliance.yaml"

# (case id, [(file, old text, new text)], (file, line, rule))
CASES = [
    ("id-filename", [(S1, "urn: 100001", "urn: 100009")], (S1, 2, "id-filename")),
    ("id-unique-partnership", [(ALL, "  - id: south\n    name: South Partnership", "  - id: north\n    name: South Partnership")], (ALL, 26, "id-unique")),
    ("id-unique-network-member", [(NET, "  - school: 100002\n    person: Bo Senco\n", "  - school: 100001\n    person: Sam Senco\n")], (NET, 14, "id-unique")),
    ("id-unique-network-member-overlap", [(NET, "    until: 2025-08-31\n", "    until: 2025-08-31\n  - school: 100001\n    person: Sam Senco\n    since: 2025-01-01\n")],
     (NET, 21, "id-unique")),
    ("id-unique-policy-version", [(POL, 'version: "2.0"\n    approved', 'version: "1.0"\n    approved')], (POL, 13, "id-unique")),
    ("ref-school-adoption", [(POL, "school: 100002", "school: 100099")], (POL, 20, "ref-school")),
    ("ref-school-network", [(NET, "  - school: 100002", "  - school: 100098")], (NET, 14, "ref-school")),
    ("ref-person", [(NET, "person: Bo Senco", "person: Bob Senco")], (NET, 15, "ref-person")),
    ("ref-person-lead", [(NET, "  person: Sam Senco", "  person: Nobody Here")], (NET, 7, "ref-person")),
    ("ref-partnership", [(S1, "partnership: north", "partnership: nowhere")], (S1, 16, "ref-partnership")),
    ("ref-partnership-team", [(ALL, "partnerships: [south]", "partnerships: [east]")], (ALL, 20, "ref-partnership")),
    ("ref-central-team", [(NET, "central_link: bsia", "central_link: zed")], (NET, 8, "ref-central-team")),
    ("ref-central-team-owner", [(POL, "owner: alead", "owner: zed")], (POL, 8, "ref-central-team")),
    ("ref-central-team-link", [(ALL, "link: bsia", "link: zed")], (ALL, 29, "ref-central-team")),
    ("ref-version", [(POL, 'version: "1.0"\n    date: 2024-10-01', 'version: "1.5"\n    date: 2024-10-01')], (POL, 21, "ref-version")),
    ("membership-order", [(S1, "date: 2023-09-18", "date: 2024-12-18")], (S1, 21, "membership-order")),
    ("membership-reason", [(S3, "    reason: Joined a multi-academy trust\n", "")], (S3, 17, "membership-reason")),
    ("policy-version-order", [(POL, "approved: 2025-09-01", "approved: 2024-01-01")], (POL, 14, "policy-version-order")),
    ("adoption-date", [(POL, "date: 2025-10-01", "date: 2025-08-01")], (POL, 18, "adoption-date")),
    ("network-withdrawn-member", [(NET, "    until: 2025-08-31\n", "")], (NET, 17, "network-withdrawn-member")),
    ("network-withdrawn-member-late", [(NET, "until: 2025-08-31", "until: 2025-12-31")], (NET, 17, "network-withdrawn-member")),
    ("network-non-member", [(S2, "  - state: member", "  - state: consulting")], (NET, 14, "network-non-member")),
    ("eligibility", [(S2, "type: voluntary-aided", "type: foundation")], (S2, 17, "eligibility")),
    ("eligibility-la", [(S2, "laestab: 9291002", "laestab: 8881002")], (S2, 17, "eligibility")),
    ("contact-headteacher", [(S2, "role: headteacher", "role: deputy-headteacher")], (S2, 20, "contact-headteacher")),
    ("pupils-stale", [(S2, "census_date: 2025-10-02", "census_date: 2024-10-03")], (S2, 13, "pupils-stale")),
    ("schema-enum", [(S1, "phase: first", "phase: frist")], (S1, 5, "schema")),
    ("schema-unknown-field", [(S1, "name: Alpha First School", "nmae: Alpha First School")], (S1, 4, "schema")),
    ("schema-type", [(S1, "count: 98", "count: lots")], (S1, 15, "schema")),
    ("schema-postcode", [(S1, "postcode: NE66 1AA", "postcode: ne66 1aa")], (S1, 11, "schema")),
    ("schema-email", [(S1, "email: head@alpha.example.org", "email: head at alpha")], (S1, 25, "schema")),
    ("schema-date", [(S1, "date: 2024-09-01", "date: 2024-13-01")], (S1, 21, "schema")),
    ("schema-required", [(POL, "review_cycle_months: 12\n", "")], (POL, 2, "schema")),
    ("schema-control-character", [(S1, "name: Alpha First School", 'name: "Alpha\\e[31m First"')], (S1, 4, "schema")),
    ("yaml-duplicate-key-in-data", [(S1, "phase: first\n", "phase: first\nphase: primary\n")], (S1, 6, "yaml-duplicate-key")),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_rule_fires_at_the_right_line(repo: Path, case):
    _, edits, (path, line, rule) = case
    for rel, old, new in edits:
        edit(repo, rel, old, new)
    assert_fires(repo, path, line, rule)


def test_a_person_may_leave_a_network_and_rejoin(repo: Path):
    """An earlier, ended stint of the same person is history, not a duplicate."""
    edit(repo, NET, "    until: 2025-08-31\n",
         "    until: 2025-08-31\n  - school: 100001\n    person: Sam Senco\n    since: 2023-09-01\n    until: 2024-09-01\n")
    result = load(WorkingTree(repo))
    assert not result.diagnostics, [d.text() for d in result.diagnostics]


def test_base_alliance_is_clean(repo: Path):
    result = load(WorkingTree(repo))
    assert result.diagnostics == []
    assert result.files == 6
    assert set(result.model.schools) == {100001, 100002, 100003}


def test_every_problem_is_reported_not_just_the_first(repo: Path):
    edit(repo, S1, "phase: first", "phase: frist")
    edit(repo, S2, "type: voluntary-aided", "type: foundation")
    edit(repo, NET, "central_link: bsia", "central_link: zed")
    (repo / "data/schools/100004.yaml").write_text("urn: 100004\nname: [unclosed\n", encoding="utf-8")
    result = load(WorkingTree(repo))
    rules = {(d.path, d.rule) for d in result.diagnostics}
    assert {(S1, "schema"), (S2, "eligibility"), (NET, "ref-central-team"), ("data/schools/100004.yaml", "yaml-syntax")} <= rules


def test_unknown_and_misnamed_files_are_warned_about(repo: Path):
    (repo / "data/schools/100004.yml").write_text("urn: 100004\n", encoding="utf-8")
    (repo / "data/notes.txt").write_text("hello\n", encoding="utf-8")
    (repo / "data/README.md").write_text("about\n", encoding="utf-8")
    result = load(WorkingTree(repo))
    unknown = {d.path: d for d in result.diagnostics if d.rule == "unknown-file"}
    assert set(unknown) == {"data/schools/100004.yml", "data/notes.txt"}
    assert "end in .yaml" in unknown["data/schools/100004.yml"].message
    assert result.errors == 0


def test_symlink_in_data_is_refused(repo: Path, tmp_path: Path):
    outside = tmp_path / "secret.yaml"
    outside.write_text("urn: 100005\n", encoding="utf-8")
    os.symlink(outside, repo / "data/schools/100005.yaml")
    result = load(WorkingTree(repo))
    assert [(d.path, d.rule) for d in result.diagnostics] == [("data/schools/100005.yaml", "unsafe-path")]
    assert "outside the repository" in result.diagnostics[0].message


def test_missing_alliance_file(repo: Path):
    (repo / "data/alliance.yaml").unlink()
    result = load(WorkingTree(repo))
    assert ("data/alliance.yaml", "alliance-missing") in {(d.path, d.rule) for d in result.diagnostics}


def test_schema_messages_say_what_to_do(repo: Path):
    edit(repo, S1, "name: Alpha First School", "nmae: Alpha First School")
    edit(repo, S2, "phase: primary", "phase: primry")
    msgs = {d.path: d.message for d in load(WorkingTree(repo)).diagnostics if d.rule == "schema" and "unknown" in d.message or "primry" in d.message}
    assert "did you mean 'name'?" in msgs[S1]
    assert "did you mean 'primary'?" in msgs[S2]


def test_invalid_school_is_not_modelled_but_its_id_still_resolves(repo: Path):
    edit(repo, S2, "phase: primary", "phase: primry")
    result = load(WorkingTree(repo))
    assert 100002 not in result.model.schools
    assert not [d for d in result.diagnostics if d.rule == "ref-school"]


def test_rule_catalogue_covers_every_rule_in_the_code():
    import re

    src = Path(__file__).resolve().parent.parent / "nesa_cli"
    used = set()
    for py in src.rglob("*.py"):
        used |= set(re.findall(r'"((?:yaml|ref|id|schema|network|policy|membership|adoption|contact|pupils|unknown|unsafe|unreadable|alliance|eligibility)[a-z-]*)"', py.read_text()))
    used -= {"schema", "alliance"} - set(RULES)
    unknown = {u for u in used if u not in RULES and u.count("-") and not u.endswith(".json")}
    assert not unknown - {"id-field"}, unknown


def test_readme_documents_every_rule():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    missing = [r for r in RULES if f"`{r}`" not in readme]
    assert not missing, missing


def test_diagnostics_never_carry_control_characters(repo):
    (repo / "data/schools/bad\x1b[2J.yaml").write_text("urn: 100009\n", encoding="utf-8")
    edit(repo, S1, "name: Alpha First School", 'name: "Alpha\\e]0;pwned\\a"')
    result = load(WorkingTree(repo))
    for d in result.diagnostics:
        assert "\x1b" not in d.text() and "\x07" not in d.text()
        assert "\n" not in d.github()
    assert any("\\x1b" in d.text() for d in result.diagnostics)
