"""A finance year file that cannot be read is reported at its place, never as "no finance data"
(issue 20): ``finance`` commands and ``impact`` exit 1 with path:line:col, not £0.00."""

from __future__ import annotations

import pytest

from test_collab import cli

BROKEN = {
    "yaml": ("year: 2015-16\nfund: {name: Fund\n", "data/finance/2015-16.yaml:3:1:"),
    "schema": ("year: 2015-16\nfund: {name: Fund}\npayment_terms_days: many\n", "data/finance/2015-16.yaml:3:"),
}


@pytest.mark.parametrize("fixture", ["repo", "sample"])
@pytest.mark.parametrize("kind", sorted(BROKEN))
@pytest.mark.parametrize("command", [["finance", "budget", "2015-16"], ["finance", "contributions", "2015"],
                                     ["impact", "2015-16"]])
def test_broken_year_file_is_pointed_at(request, fixture, kind, command):
    root = request.getfixturevalue(fixture)
    text, where = BROKEN[kind]
    (root / "data" / "finance").mkdir(exist_ok=True)
    (root / "data" / "finance" / "2015-16.yaml").write_text(text, encoding="utf-8")
    r = cli(root, *command)
    assert r.exit_code == 1, r.output
    assert where in r.output and "cannot be read" in r.output
    assert "no finance data" not in r.output.lower() and "£0.00" not in r.output


@pytest.mark.shared_sample
def test_missing_year_is_still_a_usage_error(sample):
    r = cli(sample, "finance", "budget", "2015-16")
    assert r.exit_code == 2 and "no finance data for 2015-16" in r.output
    r = cli(sample, "impact", "2015-16")
    assert r.exit_code == 0 and "No finance data for 2015-16" in r.output
