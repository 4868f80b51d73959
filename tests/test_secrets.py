"""The SMTP password comes only from the environment and goes only to the SMTP
server: never to the output, the error messages, the email, or any file the
tool writes (the sent-record, the cache, git).

A real `nesa digest --send` runs in its own process against a local SMTP
server that requires a login; once with a wrong password (the server refuses
it) and once with the right one.
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest

from test_digest import Collector, add_recipients, serve, smtp_env, week  # noqa: F401  (week: a fixture)

PASSWORD = "Tr0ub4dor&3-pw-for-the-test"
USER = "digest-bot"


def forms(secret: str) -> list[bytes]:
    """The password as it could leak: plain, and base64 as in AUTH PLAIN and LOGIN."""
    return [secret.encode(), base64.b64encode(secret.encode()), base64.b64encode(f"\0{USER}\0{secret}".encode())]


@pytest.fixture
def auth_smtp():
    from aiosmtpd.smtp import AuthResult, LoginPassword

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login == USER.encode() and auth_data.password == PASSWORD.encode()
        return AuthResult(success=ok, handled=False)

    handler = Collector()
    ctl, port = serve(handler, authenticator=authenticate, auth_require_tls=False)
    yield handler, port
    ctl.stop()


def send(repo: Path, port: int, password: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, **smtp_env(port, NESA_SMTP_USER=USER, NESA_SMTP_PASSWORD=password))
    return subprocess.run([sys.executable, "-m", "nesa_cli", "-C", str(repo), "--today", "2025-11-21", "digest", "--send"],
                          env=env, capture_output=True, timeout=120)


def files_containing(root: Path, needles: list[bytes]) -> list[str]:
    hits = []
    for p in root.rglob("*"):
        if p.is_file() and not p.is_symlink():
            data = p.read_bytes()
            if any(n in data for n in needles):
                hits.append(p.relative_to(root).as_posix())
    return hits


def test_the_password_goes_to_the_server_and_nowhere_else(week, auth_smtp):
    handler, port = auth_smtp
    add_recipients(week)

    refused = send(week, port, PASSWORD + "-wrong")
    assert refused.returncode == 1, refused
    assert b"535" in refused.stdout + refused.stderr  # the server's answer is shown...
    assert b"Traceback" not in refused.stderr
    for needle in forms(PASSWORD + "-wrong") + forms(PASSWORD):  # ...the password is not
        assert needle not in refused.stdout + refused.stderr
    assert not handler.envelopes

    sent = send(week, port, PASSWORD)
    assert sent.returncode == 0, sent.stderr.decode()
    assert len(handler.envelopes) == 2  # it logged in: the right password did reach the server
    for needle in forms(PASSWORD):
        assert needle not in sent.stdout + sent.stderr
        assert not any(needle in e.content for e in handler.envelopes)
    # every file the runs wrote or touched: .nesa-state/, .nesa-cache/, .git/, data/
    assert (week / ".nesa-state" / "digest-sent.json").exists()
    assert files_containing(week, forms(PASSWORD) + forms(PASSWORD + "-wrong")) == []
