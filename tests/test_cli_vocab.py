"""One vocabulary (issue 23): schools by URN or name, durations as 90 or 90d,
choices checked with did-you-mean, look-ups with suggestions, roles in any case."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import PROJECT, make_repo
from nesa_cli.cli import app, vocab
from nesa_cli.cli.common import Misuse
from nesa_cli.store import WorkingTree
from nesa_cli.validate.run import load

runner = CliRunner()
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return make_repo(tmp_path_factory.mktemp("vocab") / "sample", PROJECT)


@pytest.fixture(scope="module")
def model(sample):
    return load(WorkingTree(sample)).model


def cli(repo, *args):
    return runner.invoke(app, ["-C", str(repo), "--today", "2026-11-23", *args], catch_exceptions=False)


def _unique_words(model):
    """(word, urn) for each school with a word in its name no other school has."""
    names = [s.name.lower() for s in model.schools.values()]
    for s in sorted(model.schools.values(), key=lambda s: s.urn):
        words = [w for w in s.name.split() if len(w) > 3 and sum(w.lower() in n for n in names) == 1]
        if words:
            yield words[0], s.urn


# -- a school by URN or part of its name, wherever a school is named ----------------------------------

SCHOOL_OPTIONS = [
    ("invoices", "list", "--json", "--school"),
    ("contacts", "--format", "csv", "--school"),
    ("broker", "maths-mastery", "--json", "--for"),
]


@pytest.mark.parametrize("command", SCHOOL_OPTIONS, ids=lambda c: " ".join(c))
@pytest.mark.shared_sample
def test_school_options_take_a_name(sample, model, command):
    word, urn = next(_unique_words(model))
    by_name, by_urn = cli(sample, *command, word.lower()), cli(sample, *command, str(urn))
    assert by_name.exit_code == 0, by_name.output
    assert by_name.stdout == by_urn.stdout


@pytest.mark.shared_sample
def test_invoices_school_rothbury_is_not_a_type_error(sample):
    r = cli(sample, "invoices", "list", "--school", "rothbury")
    assert r.exit_code == 0 and "integer" not in r.output and "Rothbury" in r.stdout


@pytest.mark.parametrize("command", SCHOOL_OPTIONS, ids=lambda c: " ".join(c))
@pytest.mark.shared_sample
def test_unknown_school_is_a_plain_usage_error_with_suggestions(sample, command):
    r = cli(sample, *command, "rothbery")
    assert r.exit_code == 2
    assert "Did you mean" in r.output and "Rothbury" in r.output and "integer" not in r.output


@pytest.mark.shared_sample
def test_every_unique_name_word_finds_its_school(model):
    for word, urn in _unique_words(model):
        assert vocab.school(model, word).urn == urn
        assert vocab.school(model, word.upper()).urn == urn


# -- durations ----------------------------------------------------------------------------------------

@SETTINGS
@given(n=st.integers(min_value=0, max_value=4000), unit=st.sampled_from(["", "d", "D", " d"]))
def test_days_number_or_suffix(n, unit):
    assert vocab.days(f"{n}{unit}") == n


@pytest.mark.parametrize("command", [("status", "--json"), ("policies", "due", "--json")])
@pytest.mark.shared_sample
def test_within_takes_90_and_90d(sample, command):
    plain, suffixed = cli(sample, *command, "--within", "90"), cli(sample, *command, "--within", "90d")
    assert plain.exit_code == suffixed.exit_code == 0, plain.output + suffixed.output
    assert plain.stdout == suffixed.stdout
    weeks = cli(sample, *command, "--within", "13w")
    assert weeks.exit_code == 0 and json.loads(weeks.stdout) != json.loads(plain.stdout) or weeks.stdout


@pytest.mark.parametrize("command", [("status",), ("policies", "due")])
@pytest.mark.shared_sample
def test_bad_within_is_one_plain_line(sample, command):
    r = cli(sample, *command, "--within", "soon")
    assert r.exit_code == 2 and "90d" in r.output and "╭" not in r.output


# -- choices: case ignored, misspellings refused with did-you-mean ----------------------------------------

def _misspell(word: str, data) -> str:
    """One edit that leaves the word close but wrong: a dropped, doubled or swapped letter."""
    i = data.draw(st.integers(min_value=1, max_value=len(word) - 2))
    how = data.draw(st.sampled_from(["drop", "swap"]))
    if how == "drop":
        return word[:i] + word[i + 1:]
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


@SETTINGS
@given(data=st.data())
def test_misspelt_choice_suggests_the_word(data):
    allowed = data.draw(st.sampled_from([vocab.phases(), vocab.types(), vocab.contact_roles()]))
    word = data.draw(st.sampled_from([w for w in allowed if len(w) > 4]))
    typo = _misspell(word, data)
    if typo.lower() in (a.lower() for a in allowed):
        return
    with pytest.raises(Misuse) as exc:
        vocab.choice(typo, allowed, "--x")
    assert word in exc.value.message


@SETTINGS
@given(data=st.data())
def test_choice_in_any_case(data):
    allowed = data.draw(st.sampled_from([vocab.phases(), vocab.types(), vocab.contact_roles()]))
    word = data.draw(st.sampled_from(allowed))
    flipped = "".join(c.upper() if data.draw(st.booleans()) else c for c in word)
    assert vocab.choice(flipped, allowed, "--x") == word


@pytest.mark.parametrize("command", [
    ("schools", "list", "--phase", "frist"), ("schools", "list", "--type", "comunity"),
    ("policies", "due", "--phase", "frist"), ("policies", "due", "--type", "acadmy-converter"),
    ("contacts", "--format", "csv", "--role", "sencoo"), ("schools", "list", "--status", "membr"),
])
@pytest.mark.shared_sample
def test_misspelt_choice_options_are_refused(sample, command):
    r = cli(sample, *command)
    assert r.exit_code == 2, r.output
    assert "did you mean" in r.output


@pytest.mark.shared_sample
def test_phase_first_in_capitals_matches(sample):
    lower, upper = cli(sample, "schools", "list", "--phase", "first", "--json"), cli(sample, "schools", "list", "--phase", "FIRST", "--json")
    assert lower.exit_code == 0 and json.loads(lower.stdout) and lower.stdout == upper.stdout


@pytest.mark.shared_sample
def test_role_case_insensitive(sample):
    lower, upper = cli(sample, "contacts", "--format", "csv", "--role", "dsl"), cli(sample, "contacts", "--format", "csv", "--role", "DSL")
    assert upper.exit_code == 0 and lower.stdout == upper.stdout and lower.stdout.count("\n") > 1


@pytest.mark.parametrize("value", ["120", "-1", "lots"])
@pytest.mark.shared_sample
def test_threshold_out_of_range_is_plain(sample, value):
    r = cli(sample, "engagement", "--threshold", value)
    assert r.exit_code == 2 and "0 to 100" in r.output and "╭" not in r.output


@pytest.mark.shared_sample
def test_threshold_percent_sign(sample):
    assert cli(sample, "engagement", "--threshold", "50%", "--json").stdout == cli(sample, "engagement", "--threshold", "50", "--json").stdout


# -- look-ups with suggestions ----------------------------------------------------------------------------

@pytest.mark.shared_sample
def test_agenda_by_date(sample, model):
    from nesa_cli.meetings.model import meetings

    days = {}
    for m in meetings(model):
        days.setdefault(m.date.isoformat(), []).append(m.id)
    day, ids = next((d, i) for d, i in days.items() if len(i) == 1)
    assert cli(sample, "agenda", day).stdout == cli(sample, "agenda", ids[0]).stdout


@SETTINGS
@given(data=st.data())
@pytest.mark.shared_sample
def test_misspelt_meeting_id_suggests_it(model, data):
    from nesa_cli.meetings.model import meetings

    mid = data.draw(st.sampled_from([m.id for m in meetings(model)]))
    typo = _misspell(mid[11:], data)
    typo = mid[:11] + typo
    if any(m.id == typo for m in meetings(model)):
        return
    try:
        found = vocab.meeting(model, typo)
    except Misuse as exc:
        assert mid in exc.message
    else:
        assert found.id == mid


@pytest.mark.shared_sample
def test_people_find_suggests(sample):
    r = cli(sample, "people", "find", "fenwik")
    assert r.exit_code == 0 and "Did you mean" in r.stdout and "Fenwick" in r.stdout


@pytest.mark.shared_sample
def test_network_by_part_of_slug_or_name(sample, model):
    assert vocab.network(model, "senco") == "sencos"
    r = cli(sample, "contacts", "--format", "csv", "--network", "senco")
    assert r.exit_code == 0 and r.stdout.count("\n") > 1
    bad = cli(sample, "contacts", "--format", "csv", "--network", "sencoes")
    assert bad.exit_code == 2 and "sencos" in bad.output.lower()


@pytest.mark.shared_sample
def test_meeting_body_checked(sample):
    r = cli(sample, "meetings", "list", "--body", "strategic-bored")
    assert r.exit_code == 2 and "strategic-board" in r.output
    assert cli(sample, "calendar", "--body", "Strategic-Board").exit_code == 0
