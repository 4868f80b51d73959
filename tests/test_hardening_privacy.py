"""Personal data marked private never reaches output: not in a --dry-run diff
(changed, added, removed or unchanged context lines), not in a validation
message in any format, not in history or diff after it was marked private,
and no configuration error echoes an environment variable's value."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings, strategies as st
from typer.testing import CliRunner

from conftest import commit_at, edit, make_repo
from nesa_cli.cli import app

runner = CliRunner()
TODAY = "2026-11-23"
SCHOOL = "data/schools/100001.yaml"
MOBILE = '"07700 900123"'  # Sam Senco's mobile in the fixture, marked private: [mobile]

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
QUICK = [Phase.explicit, Phase.reuse, Phase.generate]  # each example runs commands: no slow shrinking


def nesa(repo: Path, *args: str):
    return runner.invoke(app, ["-C", str(repo), "--today", TODAY, *args], catch_exceptions=False)


# A private value always carries enough distinct characters that finding it in
# output means it leaked (never a coincidence with a date or a count).
mobiles = st.integers(min_value=10000, max_value=99999).map(lambda n: f"07700 9{n}")
emails = st.text(alphabet="bcdfghjkmnpqrstvwxz", min_size=6, max_size=12).map(lambda s: f"{s}@home.example.org")
malformed = st.tuples(st.integers(1000, 9999), st.sampled_from("XYZQ#")).map(lambda t: f"01434 6{t[0]}{t[1]}")


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    return make_repo(tmp_path_factory.mktemp("privacy") / "alliance")


def _fresh(pristine: Path, tmp: Path) -> Path:
    work = tmp / "work"
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(pristine, work, symlinks=True)
    return work


def _outputs(repo: Path, *args: str) -> list[str]:
    """The command's text and --json output."""
    text = nesa(repo, *args)
    js = nesa(repo, *args, "--json")
    return [text.output, js.output]


def _assert_hidden(outputs: list[str], *values: str) -> None:
    for out in outputs:
        for v in values:
            assert v not in out, f"private value {v!r} shown in:\n{out}"


@pytest.mark.slow
@settings(max_examples=12, deadline=None, phases=QUICK, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(old=mobiles, new=mobiles)
def test_dry_run_diff_hides_changed_and_context_private_values(pristine, tmp_path, old, new):
    assume(old != new)
    repo = _fresh(pristine, tmp_path)
    edit(repo, SCHOOL, MOBILE, f'"{old}"')
    commit_at(repo, "2026-11-01", "private mobile")
    # changed: both the old and the new value are private
    changed = _outputs(repo, "schools", "set", "100001", f"contacts.1.mobile={new}", "--dry-run")
    assert "(not for circulation)" in changed[0] and "@@" in changed[0]
    _assert_hidden(changed, old, new)
    # unchanged: the private line is a context line of another field's change
    context = _outputs(repo, "schools", "set", "100001", "contacts.1.title=SENCo", "--dry-run")
    assert "mobile: (not for circulation)" in context[0]
    _assert_hidden(context, old)


@pytest.mark.slow
@settings(max_examples=10, deadline=None, phases=QUICK, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mobile=mobiles, email=emails)
def test_dry_run_diff_hides_added_and_removed_private_values(pristine, tmp_path, mobile, email):
    repo = _fresh(pristine, tmp_path)
    added = _outputs(repo, "schools", "add-contact", "100001", "--role", "dsl", "--name", "Dee Ess",
                     "--mobile", mobile, "--email", email, "--private", "mobile", "--private", "email", "--dry-run")
    assert "+    mobile: (not for circulation)" in added[0]
    _assert_hidden(added, mobile, email)
    # written for real (the output of a real edit shows no diff, and no value)
    made = nesa(repo, "schools", "add-contact", "100001", "--role", "dsl", "--name", "Dee Ess",
                "--mobile", mobile, "--email", email, "--private", "mobile", "--private", "email", "--commit")
    assert made.exit_code == 0, made.output
    _assert_hidden([made.output], mobile, email)
    # removed: the contact goes, and so do its private details' lines
    removed = _outputs(repo, "schools", "remove-contact", "100001", "Dee Ess", "--dry-run")
    assert "-    mobile: (not for circulation)" in removed[0] and "-    email: (not for circulation)" in removed[0]
    _assert_hidden(removed, mobile, email)


@pytest.mark.slow
@settings(max_examples=10, deadline=None, phases=QUICK, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bad=malformed)
def test_validation_never_quotes_a_malformed_private_value(pristine, tmp_path, bad):
    repo = _fresh(pristine, tmp_path)
    edit(repo, SCHOOL, MOBILE, f'"{bad}"')
    outs = [nesa(repo, "validate", "--format", fmt).output for fmt in ("text", "json", "github")]
    assert "contacts[1].mobile" in outs[0] and "(not for circulation)" in outs[0]
    json.loads(outs[1])
    _assert_hidden(outs, bad)
    # a refused edit prints the same messages
    refused = _outputs(repo, "schools", "set", "100001", "contacts.0.title=Head")
    _assert_hidden(refused, bad)


def test_refused_edit_of_a_private_value_does_not_quote_it(repo):
    out = _outputs(repo, "schools", "set", "100001", "contacts.1.mobile=01434 60783X", "--dry-run")
    assert "not a valid" in out[0]
    _assert_hidden(out, "60783X")


def test_a_private_value_in_a_type_error_is_not_quoted(repo):
    edit(repo, SCHOOL, MOBILE, "7700900123")
    out = nesa(repo, "validate").output
    assert "expected text, found a number (not for circulation)" in out
    assert "7700900123" not in out


def test_value_marked_private_later_is_hidden_in_history_and_diff(repo):
    """Decision: a value is hidden when it is private at the revision shown OR
    in the file as it is now, so marking a detail private later hides it in all
    of its history. Here the head's email was public in three commits and
    marked private in the last one."""
    edit(repo, SCHOOL, "email: head@alpha.example.org", "email: ann.home1@personal.example.org")
    commit_at(repo, "2026-10-01", "Ann's email")
    edit(repo, SCHOOL, "email: ann.home1@personal.example.org", "email: ann.home2@personal.example.org")
    commit_at(repo, "2026-10-02", "Ann's new email")
    edit(repo, SCHOOL, "email: ann.home2@personal.example.org", "email: ann.home2@personal.example.org\n    private: [email]")
    commit_at(repo, "2026-10-03", "Ann's email is personal")
    secrets = ("head@alpha.example.org", "ann.home1@personal.example.org", "ann.home2@personal.example.org")
    outs = [nesa(repo, "history", "100001").output, nesa(repo, "history", "100001", "--json").output]
    assert "(not for circulation)" in outs[0]
    _assert_hidden(outs[:1] + outs[1:], secrets[1], secrets[2])  # private in the newest state: hidden at every revision
    for rev in ("HEAD~2..HEAD~1", "HEAD~3..HEAD~1", "HEAD~3..HEAD"):
        outs = [nesa(repo, "diff", rev).output, nesa(repo, "diff", rev, "--json").output]
        _assert_hidden(outs, secrets[1], secrets[2])


def test_value_private_at_a_revision_stays_hidden_after_it_is_made_public(repo):
    """The other half: private at the revision shown is enough."""
    edit(repo, SCHOOL, MOBILE, '"07700 900777"')
    commit_at(repo, "2026-10-01", "new private mobile")
    edit(repo, SCHOOL, "    private: [mobile]\n", "")
    commit_at(repo, "2026-10-02", "mobile now public")
    out = nesa(repo, "diff", "HEAD~2..HEAD~1").output + nesa(repo, "history", "100001", "--json").output
    assert "07700 900123" not in out


def test_unified_diff_of_a_multi_line_private_value():
    from nesa_cli.privacy import unified_diff

    old = b"contacts:\n  - name: A\n    mobile: >-\n      07700\n      900555\n    private: [mobile]\n    title: Head\n"
    new = old.replace(b"title: Head", b"title: Boss")
    text = unified_diff("data/schools/100001.yaml", old, new)
    assert "900555" not in text and "07700" not in text
    assert "+    title: Boss" in text


@pytest.mark.parametrize("var", ["NESA_SMTP_PORT", "NESA_SMTP_SECURITY"])
def test_smtp_setting_error_never_echoes_the_value(var):
    from nesa_cli.digest.send import ConfigError, settings_from_env

    secret = "hunter2-S3cret!"
    env = {"NESA_SMTP_HOST": "smtp.example.org", "NESA_SMTP_FROM": "a@example.org", var: secret}
    with pytest.raises(ConfigError) as exc:
        settings_from_env(env)
    assert var in str(exc.value) and secret not in str(exc.value)


def test_nesa_today_error_never_echoes_the_value(repo, monkeypatch):
    from nesa_cli.cli import common

    monkeypatch.setenv("NESA_TODAY", "hunter2-S3cret!")
    monkeypatch.setattr(common.OPTIONS, "today", None)
    with pytest.raises(common.Misuse) as exc:
        common.today()
    assert "hunter2" not in exc.value.message
