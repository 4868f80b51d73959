"""The digest people read to the end (issue 22): what needs action first,
changes summed up, a size cap that says what it left out, golden text and
HTML, and the email's headers on a real (local) SMTP server."""

from __future__ import annotations

import email
import re
import shutil
import subprocess
from email import policy
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import PROJECT, assert_golden, commit_at
from nesa_cli.cli import app

runner = CliRunner()


def nesa(repo: Path, *args: str, env=None):
    return runner.invoke(app, ["-C", str(repo), "--today", "2026-11-23", *args], env=env, catch_exceptions=False)


@pytest.fixture
def big_week(tmp_path: Path) -> Path:
    """A week in which the rest of the sample alliance arrives and every
    school's file is revised: the largest digest, which must be cut."""
    import yaml

    repo = tmp_path / "big"
    (repo / "data").mkdir(parents=True)
    shutil.copy(PROJECT / "data/alliance.yaml", repo / "data/alliance.yaml")
    shutil.copytree(PROJECT / "data/schools", repo / "data/schools")
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
    commit_at(repo, "2026-11-01", "The alliance and its schools", "Rachel Hall")
    shutil.copytree(PROJECT / "data", repo / "data", dirs_exist_ok=True)
    for f in sorted((repo / "data/schools").glob("*.yaml")):
        data = yaml.safe_load(f.read_text(encoding="utf-8"))
        for c in data.get("contacts") or []:
            if isinstance(c.get("email"), str) and "email" not in (c.get("private") or []):
                c["email"] = c["email"].replace(".example.org", ".sch.example.org")
            c["title"] = (c.get("title") or "Staff") + " (acting)"
        data["contacts"] = list(reversed(data.get("contacts") or []))  # reordered: no change
        f.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    for f in sorted((repo / "data/activities").glob("support-*.yaml")):  # numbers re-typed: no change
        f.write_text(re.sub(r'spend: "([0-9.]+)"', r"spend: \1", f.read_text(encoding="utf-8")), encoding="utf-8")
    commit_at(repo, "2026-11-18", "Networks, policies, meetings and money; new school email addresses", "Rachel Hall")
    shutil.copytree(PROJECT / "data/activities", repo / "data/activities", dirs_exist_ok=True)
    commit_at(repo, "2026-11-19", "Spend as quoted text", "James Okafor")
    return repo


def test_full_digest_puts_action_first_and_fits_the_cap(big_week, tmp_path):
    html_file = tmp_path / "d.html"
    r = nesa(big_week, "digest", "--html", str(html_file))
    assert r.exit_code == 0, r.output
    text, html = r.output, html_file.read_text(encoding="utf-8")
    assert len(text.encode()) + len(html.encode()) <= 60_000
    order = [text.index(h) for h in ("NEEDS ACTION", "COMING UP", "WHAT CHANGED", "DATA CHECK")]
    assert order == sorted(order)
    assert "£22,450.96 outstanding" in text and "days overdue" in text  # 13 overdue invoices, one half paid, on 23 November 2026
    assert "adopted by" in text and "invoices issued" in text and "changed for" in text
    more = re.search(r"And (\d+) more changes not shown, to keep this email short: run `nesa diff --since 7d`", text)
    assert more, "changes were cut without saying so"
    shown = len(re.findall(r"^  - ", text.split("WHAT CHANGED")[1].split("DATA CHECK")[0], re.M))
    here = sum(int(n) for n in re.findall(r"and (\d+) more here", text))
    assert here == int(more.group(1)) and shown > 20
    assert "600.00 -> 600.00" not in text and "[0]" not in text and "gitkeep" not in text
    assert 'href="https://github.com/example/nesa-data/blob/main/data/' in html
    assert_golden("digest/big-week.txt", text)
    assert_golden("digest/big-week.html", html)


def test_a_small_week_is_not_cut(big_week):
    r = nesa(big_week, "digest", "--from", "HEAD~1")
    assert "not shown" not in r.output and "more here" not in r.output
    assert "No changes to the alliance data this week." in r.output  # re-typed numbers only
    r = nesa(big_week, "digest", "--from", "HEAD~2", "--to", "HEAD~1")
    assert "not shown" in r.output and "nesa diff HEAD~2..HEAD~1" in r.output


def test_email_headers_and_size_on_a_local_server(big_week):
    from test_digest import Collector, serve

    handler = Collector()
    ctl, port = serve(handler, data_size_limit=10_000_000)
    try:
        env = {"NESA_SMTP_HOST": "127.0.0.1", "NESA_SMTP_PORT": str(port), "NESA_SMTP_SECURITY": "none",
               "NESA_SMTP_FROM": "digest@nesa.example.org"}
        r = nesa(big_week, "digest", "--send", env=env)
        assert r.exit_code == 0, r.output
    finally:
        ctl.stop()
    assert handler.envelopes
    for e in handler.envelopes:
        assert len(e.content) < 100_000, len(e.content)
        msg = email.message_from_bytes(e.content, policy=policy.default)
        assert msg["Date"].endswith("+0000")
        assert msg["Auto-Submitted"] == "auto-generated"
        assert msg["List-Id"] == "NESA weekly digest <nesa-digest.nesa.example.org>"
        assert msg["Reply-To"].addresses[0].addr_spec == "nesa@example.org"
        assert msg["Message-ID"].startswith("<nesa-digest-2026-W48-")
