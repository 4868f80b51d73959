"""Semantic diff and the weekly digest: every kind of change described; a
real SMTP server on loopback receives the email; failures leave no record."""

from __future__ import annotations

import email
import json
import os
import socket
import subprocess
import threading
from email import policy
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import BASE, commit_at, edit
from nesa_cli.cli import app
from nesa_cli.changes.render import markdown
from nesa_cli.changes.walk import commit_changes, diff
from nesa_cli.digest.send import ConfigError, SmtpSettings, settings_from_env
from nesa_cli.store import WorkingTree
from nesa_cli.validate.run import load

runner = CliRunner()
S2, NET, POL = "data/schools/100002.yaml", "data/networks/sencos.yaml", "data/policies/safeguarding.yaml"
NEW_SCHOOL = """urn: 100004
laestab: 9291004
name: Delta Middle School
phase: middle-deemed-secondary
type: community
address: {town: Rothbury, postcode: NE65 7AA}
pupils:
  - census_date: 2025-10-02
    count: 300
partnership: north
membership:
  - state: member
    date: 2025-09-01
contacts:
  - role: headteacher
    name: Dee Head
"""


def commit(repo: Path, when: str, message: str, author: str) -> None:
    commit_at(repo, when, message, author, hour=10)


@pytest.fixture
def week(tmp_path: Path) -> Path:
    """An alliance whose last week holds one change of every kind."""
    import shutil

    repo = tmp_path / "week"
    shutil.copytree(BASE / "data", repo / "data")
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
    commit(repo, "2025-09-01", "Initial data", "Alex Lead")
    edit(repo, S2, "count: 210", "count: 230")
    edit(repo, S2, "name: Ben Head", "name: Bea Newhead")
    commit(repo, "2025-11-17", "Beta: census and new head", "Bea Adviser")
    (repo / "data/schools/100004.yaml").write_text(NEW_SCHOOL, encoding="utf-8")
    edit(repo, NET, "  person: Sam Senco\ncentral_link", "  person: Bo Senco\ncentral_link")
    edit(repo, NET, "  school: 100001\n  person: Bo Senco", "  school: 100002\n  person: Bo Senco")
    commit(repo, "2025-11-18", "Delta joins; new SENCO lead", "Alex Lead")
    edit(repo, POL, "adoptions:", '  - version: "3.0"\n    approved: 2025-11-19\n    summary: KCSIE 2025 changes\nadoptions:')
    edit(repo, "data/schools/100001.yaml", '"07700 900123"', '"07700 900456"')
    commit(repo, "2025-11-19", "Safeguarding 3.0; Sam's mobile", "Alex Lead")
    subprocess.run(["git", "mv", "data/networks/sencos.yaml", "data/networks/send.yaml"], cwd=repo, check=True)
    edit(repo, "data/networks/send.yaml", "id: sencos", "id: send")
    commit(repo, "2025-11-20", "Rename the SENCO network file", "Alex Lead")
    return repo


def texts(changes):
    return [c.text for c in changes]


def test_every_kind_of_change_in_words(week):
    model = load(WorkingTree(week)).model
    changes = commit_changes(week, since="2025-11-16T00:00:00", model=model)
    t = texts(changes)
    assert "Beta Primary School: pupils 210 -> 230 (census 2025-10-02)" in t
    assert "Beta Primary School: headteacher is now Bea Newhead (was Ben Head)" in t
    assert "Delta Middle School joined (member from 2025-09-01)" in t
    assert "SENCO Network: lead is now Bo Senco (Beta Primary School) (was Sam Senco (Alpha First School))" in t
    assert "Child Protection and Safeguarding: version 3.0 approved on 2025-11-19: KCSIE 2025 changes" in t
    assert any("file moved to data/networks/send.yaml" in x or "id sencos -> send" in x for x in t)
    authors = {c.text: c.author for c in changes}
    assert authors["Beta Primary School: pupils 210 -> 230 (census 2025-10-02)"] == "Bea Adviser"
    assert "Initial data" not in json.dumps([c.as_dict() for c in changes])


def test_private_fields_never_shown(week):
    changes = commit_changes(week, since="2025-11-16T00:00:00", model=load(WorkingTree(week)).model)
    assert "Alpha First School: Sam Senco's mobile changed (not for circulation)" in texts(changes)
    blob = json.dumps([c.as_dict() for c in changes])
    assert "07700" not in blob


def test_diff_working_tree_and_ranges(week):
    edit(week, "data/schools/100001.yaml", "count: 98", "count: 101")
    (week / "data/schools/100005.yaml").write_text(NEW_SCHOOL.replace("100004", "100005").replace("9291004", "9291005").replace("Delta", "Epsilon"), encoding="utf-8")
    r = runner.invoke(app, ["-C", str(week), "diff"])
    assert r.exit_code == 0, r.output
    assert r.output.startswith("Uncommitted changes\n")  # plain text: Markdown only with --markdown
    assert "- Alpha First School: pupils 98 -> 101 (census 2025-10-02)" in r.output
    assert "- Epsilon Middle School joined (member from 2025-09-01)" in r.output
    md = runner.invoke(app, ["-C", str(week), "diff", "--markdown"]).output
    assert md.startswith("## Uncommitted changes") and "### Schools" in md
    r = runner.invoke(app, ["-C", str(week), "diff", "HEAD~4..HEAD~3", "--json"])
    assert [c["text"] for c in json.loads(r.output)] == [
        "Beta Primary School: pupils 210 -> 230 (census 2025-10-02)",
        "Beta Primary School: headteacher is now Bea Newhead (was Ben Head)"]
    assert runner.invoke(app, ["-C", str(week), "diff", "nope..HEAD"]).exit_code == 2


def test_diff_base_for_a_pull_request(week):
    subprocess.run(["git", "checkout", "-q", "-b", "feature"], cwd=week, check=True)
    edit(week, S2, "count: 230", "count: 240")
    commit(week, "2025-11-21", "Beta recount", "Bea Adviser")
    r = runner.invoke(app, ["-C", str(week), "diff", "--base", "main"])
    assert "pupils 230 -> 240" in r.output and "Bea Newhead" not in r.output


def test_markdown_escapes_data():
    from nesa_cli.changes.describe import Change

    md = markdown([Change("schools", "x", "<script>alert(1)</script> *bold* [link](http://x)", "p")], "T")
    assert "<script>" not in md.replace("\\<", "") and "\\<script>" in md and "\\*bold\\*" in md


def digest_cli(repo, *args, env=None):
    return runner.invoke(app, ["-C", str(repo), "--today", "2025-11-21", "digest", *args], env=env, catch_exceptions=False)


def test_digest_text_and_html(week, tmp_path):
    # the digest's window is in commit dates: fix the commits into "this week"
    out = tmp_path / "digest.html"
    r = digest_cli(week, "--from", "HEAD~4", "--html", str(out))
    assert r.exit_code == 0, r.output
    assert "weekly digest for the week to Friday 21 November 2025" in r.output
    assert "Beta Primary School: headteacher is now Bea Newhead (was Ben Head) (Bea Adviser)" in r.output
    assert "Child Protection and Safeguarding: review due 19 Nov 2026" not in r.output
    assert "6 files checked" not in r.output and "7 files checked: 0 errors" in r.output
    html = out.read_text(encoding="utf-8")
    assert "<h2>What changed</h2>" in html and "Bea Newhead" in html


def test_digest_json_has_sections(week):
    r = digest_cli(week, "--from", "HEAD~4", "--json")
    d = json.loads(r.output)
    assert d["week"] == "2025-W47"
    assert [g["area"] for g in d["changes"]] == ["schools", "networks", "policies"]
    assert d["validation"]["errors"] == 0


# --- email -------------------------------------------------------------------


class Collector:
    def __init__(self, refuse: str | None = None):
        self.envelopes = []
        self.refuse = refuse

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse == "rcpt":
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.refuse == "data":
            return "554 5.7.1 message rejected as spam"
        self.envelopes.append(envelope)
        return "250 Message accepted"


def serve(handler, **options):
    """A local aiosmtpd server for ``handler`` on a free port: (controller, port)."""
    from aiosmtpd.controller import Controller

    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    ctl = Controller(handler, hostname="127.0.0.1", port=port, **options)
    ctl.start()
    return ctl, port


@pytest.fixture
def smtp():
    servers = []

    def start(refuse=None):
        handler = Collector(refuse)
        ctl, port = serve(handler)
        servers.append(ctl)
        return handler, port

    yield start
    for s in servers:
        s.stop()


def smtp_env(port, **extra):
    env = {"NESA_SMTP_HOST": "127.0.0.1", "NESA_SMTP_PORT": str(port), "NESA_SMTP_SECURITY": "none",
           "NESA_SMTP_FROM": "digest@example.org"}
    env.update(extra)
    return env


def add_recipients(repo):
    edit(repo, "data/alliance.yaml", """    - name: Alex Lead
      email: alex.lead@example.org""", """    - name: Alex Lead
      email: alex.lead@example.org
    - name: Board Chair
      email: chair@example.org
      sections: [upcoming, due]
    - name: "Evil, Bcc: victim@example.com"
      email: evil@example.org""")
    commit(repo, "2025-11-21", "Digest recipients", "Alex Lead")


def test_send_multipart_to_recipients_once(week, smtp):
    add_recipients(week)
    handler, port = smtp()
    r = digest_cli(week, "--send", env=smtp_env(port))
    assert r.exit_code == 0, r.output
    assert len(handler.envelopes) == 2  # two section choices, two messages
    by_rcpt = {tuple(sorted(e.rcpt_tos)): e for e in handler.envelopes}
    everyone = by_rcpt[("alex.lead@example.org", "evil@example.org")]
    msg = email.message_from_bytes(everyone.content, policy=policy.default)
    assert msg["Subject"] == "TSA weekly digest: week to 21 November 2025"
    assert [p.get_content_type() for p in msg.iter_parts()] == ["text/plain", "text/html"]
    assert "Bea Newhead" in msg.get_body(("plain",)).get_content()
    assert "<h2>What changed</h2>" in msg.get_body(("html",)).get_content()
    assert msg["Bcc"] is None
    assert all("victim@example.com" not in e.rcpt_tos for e in handler.envelopes)
    chair = email.message_from_bytes(by_rcpt[("chair@example.org",)].content, policy=policy.default)
    chair_text = chair.get_body(("plain",)).get_content()
    assert "WHAT CHANGED" not in chair_text and "COMING UP" in chair_text
    assert "leaves out changes, validation" in chair_text
    # the second run sends nothing
    r = digest_cli(week, "--send", env=smtp_env(port))
    assert r.exit_code == 0 and "already sent" in r.output
    assert len(handler.envelopes) == 2


@pytest.mark.parametrize("refuse,answer", [("rcpt", "550"), ("data", "554 5.7.1 message rejected as spam")])
def test_refusal_is_a_clear_error_and_not_recorded(week, smtp, refuse, answer):
    handler, port = smtp(refuse)
    r = digest_cli(week, "--send", env=smtp_env(port))
    assert r.exit_code == 1
    assert "digest not sent" in r.output and answer in r.output
    assert not (week / ".nesa-state" / "digest-sent.json").exists()
    ok_handler, ok_port = smtp()
    assert digest_cli(week, "--send", env=smtp_env(ok_port)).exit_code == 0
    assert len(ok_handler.envelopes) == 1


def test_dropped_connection(week):
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    port = srv.getsockname()[1]

    def drop():
        conn, _ = srv.accept()
        conn.close()

    t = threading.Thread(target=drop, daemon=True)
    t.start()
    r = digest_cli(week, "--send", env=smtp_env(port, NESA_SMTP_PASSWORD="hunter2-secret", NESA_SMTP_USER="bot"))
    srv.close()
    assert r.exit_code == 1
    assert "digest not sent" in r.output and "Traceback" not in r.output
    assert "hunter2-secret" not in r.output
    assert not (week / ".nesa-state" / "digest-sent.json").exists()


def test_missing_settings_name_the_variable(week, monkeypatch):
    for k in ("NESA_SMTP_HOST", "NESA_SMTP_FROM", "NESA_SMTP_USER", "NESA_SMTP_PASSWORD"):
        monkeypatch.delenv(k, raising=False)
    r = digest_cli(week, "--send")
    assert r.exit_code == 2 and "NESA_SMTP_HOST is not set" in r.output
    with pytest.raises(ConfigError, match="NESA_SMTP_PASSWORD"):
        settings_from_env({"NESA_SMTP_HOST": "h", "NESA_SMTP_USER": "u", "NESA_SMTP_FROM": "a@example.org"})
    with pytest.raises(ConfigError, match="NESA_SMTP_PORT"):
        settings_from_env({"NESA_SMTP_HOST": "h", "NESA_SMTP_PORT": "x", "NESA_SMTP_FROM": "a@example.org"})


def test_password_never_in_repr_or_errors():
    s = SmtpSettings("h", 25, "none", "a@example.org", "user", "s3cret-pw")
    assert "s3cret-pw" not in repr(s)
    import base64

    assert s.scrub("auth failed for s3cret-pw " + base64.b64encode(b"s3cret-pw").decode()) == "auth failed for ******** ********"


def test_header_values_from_data_cannot_add_headers_or_recipients():
    from nesa_cli.digest.send import build_messages
    from nesa_cli.model import Recipient

    settings = SmtpSettings("h", 25, "none", "digest@example.org")
    digest = {"short_name": "TSA\r\nBcc: thief@example.com", "alliance": "Evil\nX-Injected: yes", "today": __import__("datetime").date(2025, 11, 21),
              "week": "2025-W47"}
    people = [Recipient("Mallory\r\nBcc: thief@example.com", "mallory@example.org")]
    out = build_messages(digest, people, settings, lambda v: "text", lambda v: "<p>html</p>")
    raw = out[0].message.as_bytes()
    headers = raw.split(b"\r\n\r\n", 1)[0] if b"\r\n\r\n" in raw else raw.split(b"\n\n", 1)[0]
    assert b"\nBcc:" not in headers and b"\nX-Injected" not in headers
    assert out[0].recipients == ["mallory@example.org"]
    with pytest.raises(ConfigError):
        build_messages(digest, [Recipient("x", "a@example.org\r\nBcc: b@example.com")], settings, lambda v: "t", lambda v: "h")


def test_invoice_and_meeting_changes_in_words():
    from nesa_cli.changes import records
    from nesa_cli.changes.describe import FileChange

    def pairs(said):
        return lambda fc, names: [(s.thing, s.text) for s in said(fc, names)]

    _invoice, _meeting = pairs(records._invoice), pairs(records._meeting)

    names = lambda urn: {122101: "Rothbury First School"}.get(urn, f"URN {urn}")  # noqa: E731
    issued = {"number": "NESA-2025-0012", "to": {"school": 122101}, "totals": {"total": "1234.50"}, "status": "issued"}
    p = "data/finance/invoices/NESA-2025-0012.yaml"
    assert _invoice(FileChange(None, p, None, issued), names) == [
        ("Invoice NESA-2025-0012", "Invoice NESA-2025-0012 issued to Rothbury First School for £1,234.50")]
    paid = dict(issued, status="paid", paid_on="2025-12-01")
    assert _invoice(FileChange(p, p, issued, paid), names)[0][1] == "Invoice NESA-2025-0012 paid on 2025-12-01"
    void = dict(issued, status="void", void_reason="raised twice")
    assert _invoice(FileChange(p, p, issued, void), names)[0][1] == "Invoice NESA-2025-0012 void: raised twice"
    m_old = {"title": "Strategic Board", "date": "2026-12-09", "actions": [{"id": "a1", "text": "Draft the SLA", "status": "open"}]}
    m_new = {"title": "Strategic Board", "date": "2026-12-16", "actions": [{"id": "a1", "text": "Draft the SLA", "status": "done"}]}
    texts_ = [t for _, t in _meeting(FileChange("m", "m", m_old, m_new), names)]
    assert texts_ == ["Strategic Board: moved from 2026-12-09 to 2026-12-16", "Strategic Board: action done: Draft the SLA"]


@pytest.mark.shared_sample
def test_digest_on_the_sample_alliance_lists_meetings_and_overdue_actions(sample):
    from datetime import date

    from nesa_cli.digest import build_digest

    result = load(WorkingTree(sample))
    d = build_digest(sample, result, date(2026, 11, 23), 7)
    assert d["upcoming"] and all(date(2026, 11, 23) <= m["date"] <= date(2026, 12, 7) for m in d["upcoming"])
    assert all(m["agenda_ready"] == (m["agenda_items"] > 0) for m in d["upcoming"])
    overdue = d["due"]["overdue_actions"]
    assert overdue and all(a["due"] < date(2026, 11, 23) and a["text"] and a["owner"] for a in overdue)
    assert "bound method" not in json.dumps(overdue, default=str)
