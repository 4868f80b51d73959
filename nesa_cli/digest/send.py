"""Sending the digest by SMTP, configured only by environment variables.

Cron-safe: each (week, recipient group) is recorded in ``.nesa-state/`` (outside
the tracked data) after the server accepts it, and skipped on later runs. The
password is never printed, logged, or put in an error message.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path
from typing import Mapping

ENV = {
    "host": "NESA_SMTP_HOST", "port": "NESA_SMTP_PORT", "security": "NESA_SMTP_SECURITY",
    "user": "NESA_SMTP_USER", "password": "NESA_SMTP_PASSWORD", "sender": "NESA_SMTP_FROM",
}
STATE_DIR = ".nesa-state"
STATE_FILE = "digest-sent.json"


class ConfigError(Exception):
    """A missing or bad SMTP setting; the message names the variable."""


class SendError(Exception):
    """The server refused or dropped the message; the message says what it answered."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str  # starttls | ssl | none
    sender: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)

    def scrub(self, text: str) -> str:
        """Remove the password (and its base64 forms, as in AUTH PLAIN) from text."""
        if not self.password:
            return text
        secrets = {self.password, base64.b64encode(self.password.encode()).decode()}
        if self.user:
            secrets.add(base64.b64encode(f"\0{self.user}\0{self.password}".encode()).decode())
        for s in secrets:
            text = text.replace(s, "********")
        return text


def settings_from_env(env: Mapping[str, str] | None = None, default_sender: str | None = None) -> SmtpSettings:
    env = os.environ if env is None else env
    host = env.get(ENV["host"], "").strip()
    if not host:
        raise ConfigError(f"{ENV['host']} is not set: the SMTP server to send through (e.g. smtp.office365.com)")
    security = env.get(ENV["security"], "starttls").strip().lower() or "starttls"
    if security not in ("starttls", "ssl", "none"):
        raise ConfigError(f"{ENV['security']} must be starttls, ssl or none (not {security!r})")
    port_text = env.get(ENV["port"], "").strip()
    if port_text:
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise ConfigError(f"{ENV['port']} must be a port number (not {port_text!r})")
        port = int(port_text)
    else:
        port = {"starttls": 587, "ssl": 465, "none": 25}[security]
    user = env.get(ENV["user"], "").strip() or None
    password = env.get(ENV["password"]) or None
    if user and not password:
        raise ConfigError(f"{ENV['password']} is not set, but {ENV['user']} is: the SMTP password comes only from the environment")
    sender = env.get(ENV["sender"], "").strip() or (default_sender or "")
    if not sender:
        raise ConfigError(f"{ENV['sender']} is not set: the address the digest is sent from")
    if not _ADDR.match(sender):
        raise ConfigError(f"{ENV['sender']} is not an email address")
    return SmtpSettings(host, port, security, sender, user, password)


_ADDR = re.compile(r"^[^@\s<>\"',;]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


def _clean(text: str, limit: int = 200) -> str:
    """A header value from data: no CR, LF or other control characters, bounded."""
    return re.sub(r"[\x00-\x1f\x7f]+", " ", str(text)).strip()[:limit]


def _address(name: str, email: str) -> Address:
    if not _ADDR.match(email or ""):
        raise ConfigError(f"{email!r} is not a valid recipient address")
    local, _, domain = email.partition("@")
    return Address(display_name=_clean(name), username=local, domain=domain)


@dataclass
class Outgoing:
    key: str
    message: EmailMessage
    recipients: list[str]
    sections: tuple[str, ...]


def group_key(week: str, recipients: list[str], sections: tuple[str, ...]) -> str:
    digest = hashlib.sha256(("|".join(sorted(r.lower() for r in recipients)) + "#" + ",".join(sections)).encode()).hexdigest()[:12]
    return f"{week}:{digest}"


def build_messages(digest: dict, recipients, settings: SmtpSettings, render_text, render_html) -> list[Outgoing]:
    """One multipart (text + HTML) message per group of recipients who chose
    the same sections. ``render_*`` take the per-recipient digest dict."""
    from nesa_cli.digest.build import SECTIONS, for_sections

    groups: dict[tuple[str, ...], list] = {}
    for r in recipients:
        groups.setdefault(tuple(r.sections) if r.sections else SECTIONS, []).append(r)
    out = []
    for sections, people in groups.items():
        view = for_sections(digest, sections)
        msg = EmailMessage()
        msg["Subject"] = _clean(f"{digest['short_name']} weekly digest: week to {digest['today']:%d %B %Y}")
        msg["From"] = _address(digest["alliance"] or digest["short_name"], settings.sender)
        msg["To"] = [_address(p.name, p.email) for p in people]
        msg["Date"] = formatdate(localtime=False)
        key = group_key(digest["week"], [p.email for p in people], sections)
        msg["Message-ID"] = f"<nesa-digest-{key.replace(':', '-')}@{settings.sender.partition('@')[2]}>"
        msg.set_content(render_text(view))
        msg.add_alternative(render_html(view), subtype="html")
        out.append(Outgoing(key, msg, [p.email for p in people], sections))
    return out


def _state_path(root: Path) -> Path:
    return root / STATE_DIR / STATE_FILE


def sent_record(root: Path) -> dict:
    """What was sent before; a corrupt record is treated as empty only if unreadable JSON is impossible to trust."""
    path = _state_path(root)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise SendError(f"{path} is unreadable ({exc}); refusing to send in case it would send twice. Check or remove it.") from None


def _record(root: Path, key: str, recipients: list[str]) -> None:
    path = _state_path(root)
    path.parent.mkdir(exist_ok=True)
    gitignore = path.parent / ".gitignore"
    if not gitignore.exists():
        gitignore.write_text("*\n", encoding="utf-8")
    data = sent_record(root)
    data[key] = {"sent_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "recipients": recipients}
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=2, sort_keys=True)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def send_all(root: Path, outgoing: list[Outgoing], settings: SmtpSettings, timeout: float = 30.0) -> list[dict]:
    """Send what has not been sent; record each success. Raises SendError on
    the first failure (what was sent before it stays recorded)."""
    import fcntl
    import smtplib
    import ssl

    (root / STATE_DIR).mkdir(exist_ok=True)
    results = []
    with open(root / STATE_DIR / "digest.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = sent_record(root)
        todo = []
        for o in outgoing:
            if o.key in done:
                results.append({"key": o.key, "recipients": o.recipients, "status": "already sent", "sent_at": done[o.key].get("sent_at")})
            else:
                todo.append(o)
        if not todo:
            return results
        try:
            if settings.security == "ssl":
                server = smtplib.SMTP_SSL(settings.host, settings.port, timeout=timeout, context=ssl.create_default_context())
            else:
                server = smtplib.SMTP(settings.host, settings.port, timeout=timeout)
            with server:
                if settings.security == "starttls":
                    server.starttls(context=ssl.create_default_context())
                if settings.user:
                    server.login(settings.user, settings.password or "")
                for o in todo:
                    refused = server.send_message(o.message, from_addr=settings.sender, to_addrs=o.recipients)
                    accepted = [r for r in o.recipients if r not in refused]
                    _record(root, o.key, accepted)
                    status = "sent" if not refused else "sent, some recipients refused: " + ", ".join(
                        f"{r} ({c} {m.decode(errors='replace') if isinstance(m, bytes) else m})" for r, (c, m) in refused.items())
                    results.append({"key": o.key, "recipients": accepted, "status": status})
        except smtplib.SMTPResponseException as exc:
            text = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
            raise SendError(settings.scrub(f"the SMTP server {settings.host}:{settings.port} answered {exc.smtp_code} {text}")) from None
        except smtplib.SMTPRecipientsRefused as exc:
            detail = "; ".join(f"{r}: {c} {m.decode(errors='replace') if isinstance(m, bytes) else m}" for r, (c, m) in exc.recipients.items())
            raise SendError(settings.scrub(f"the SMTP server refused every recipient: {detail}")) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise SendError(settings.scrub(f"sending through {settings.host}:{settings.port} failed: {exc.__class__.__name__}: {exc}")) from None
    return results
