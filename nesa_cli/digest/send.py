"""Sending the digest by SMTP, configured only by environment variables.

Cron-safe, and safe to kill: each (week, recipient group) is sent at most once.
The record is ``.nesa-state/digest-sent.json`` (outside the tracked data),
written atomically (fsync, then rename) under the lock ``.nesa-state/digest.lock``
(a link or a file of the wrong type at any of these places is refused),
in two phases for each group:

1. "handed-over": written after the whole message has gone to the server but
   before the end-of-data mark (the final ``.``) that tells the server to take
   it. From the end mark on, only the server's reply is missing.
2. "sent": written after the server accepts the message (its 250 reply).

A later run sends only the groups with no record. A group left "handed-over"
(an earlier run was killed or lost the connection while waiting for the reply)
is reported as not confirmed and not sent again: the server almost certainly
has it, and sending it again would make a duplicate. It is lost only if the
run died in the moment between writing the mark and sending the three bytes of
the end mark, or if the server failed after receiving it without saying so. A
clear refusal of the message removes the mark, so a later run tries again.
Records from before the two phases (no "status") count as sent.

The password is never printed, logged, or put in an error message.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import smtplib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Callable, Mapping

from nesa_cli.errors import DataError, UsageError
from nesa_cli.store.paths import safe_path

ENV = {
    "host": "NESA_SMTP_HOST", "port": "NESA_SMTP_PORT", "security": "NESA_SMTP_SECURITY",
    "user": "NESA_SMTP_USER", "password": "NESA_SMTP_PASSWORD", "sender": "NESA_SMTP_FROM",
}
STATE_DIR = ".nesa-state"
STATE_FILE = "digest-sent.json"
LOCK_FILE = "digest.lock"
SENT, HANDED_OVER = "sent", "handed-over"
NOT_CONFIRMED = "handed over but not confirmed (an earlier run was interrupted waiting for the server); not sent again"


class ConfigError(UsageError):
    """A missing or bad SMTP setting; the message names the variable."""


class SendError(DataError):
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
        raise ConfigError(f"{ENV['security']} must be starttls, ssl or none")  # never echo a variable's value: it may be a secret set in the wrong place
    port_text = env.get(ENV["port"], "").strip()
    if port_text:
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise ConfigError(f"{ENV['port']} must be a port number from 1 to 65535 (its value is not shown: check the variable is the one you meant)")
        port = int(port_text)
    else:
        port = {"starttls": 587, "ssl": 465, "none": 25}[security]
    user = env.get(ENV["user"], "").strip() or None
    password = env.get(ENV["password"]) or None
    for key, value in (("user", user), ("password", password), ("host", host)):
        if value and not _PRINTABLE_ASCII.match(value):  # smtplib sends AUTH and the host name as ASCII
            raise ConfigError(f"{ENV[key]} holds a character that is not printable ASCII (a letter such as é, a line break "
                              "or a control character); SMTP logins and host names must be plain ASCII")
    if user and not password:
        raise ConfigError(f"{ENV['password']} is not set, but {ENV['user']} is: the SMTP password comes only from the environment")
    sender = env.get(ENV["sender"], "").strip() or (default_sender or "")
    if not sender:
        raise ConfigError(f"{ENV['sender']} is not set: the address the digest is sent from")
    if not _ADDR.match(sender):
        raise ConfigError(f"{ENV['sender']} is not an email address")
    return SmtpSettings(host, port, security, sender, user, password)


_PRINTABLE_ASCII = re.compile(r"[\x20-\x7e]+\Z")
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
    label: str = ""  # whose digest it is, when not the team's: "Rothbury First School (URN 122101)"


def group_key(week: str, recipients: list[str], sections: tuple[str, ...], scope: str = "") -> str:
    """The sent-record's key for one message. ``scope`` tells apart digests of
    different content to the same people (a school's own: "school:122101");
    the team digest's keys are as before scopes existed."""
    text = "|".join(sorted(r.lower() for r in recipients)) + "#" + ",".join(sections) + (f"#{scope}" if scope else "")
    return f"{week}:{hashlib.sha256(text.encode()).hexdigest()[:12]}"


def build_messages(digest: dict, recipients, settings: SmtpSettings, render_text, render_html) -> list[Outgoing]:
    """One multipart (text + HTML) message per group of recipients who chose
    the same sections. ``render_*`` take the per-recipient digest dict; each
    message is cut to fit :data:`nesa_cli.digest.fit.LIMIT` (saying so)."""
    from nesa_cli.digest.build import SECTIONS, for_sections

    groups: dict[tuple[str, ...], list] = {}
    for r in recipients:
        groups.setdefault(tuple(r.sections) if r.sections else SECTIONS, []).append(r)
    out = []
    for sections, people in groups.items():
        view = for_sections(digest, sections)
        key = group_key(digest["week"], [p.email for p in people], sections)
        out.append(Outgoing(key, message(digest, view, people, key, settings, render_text, render_html),
                            [p.email for p in people], sections))
    return out


def school_messages(digest: dict, views: list[tuple], settings: SmtpSettings, render_text, render_html) -> list[Outgoing]:
    """One message per school: ``views`` holds (SchoolRecipient, the school's
    digest, from :func:`nesa_cli.digest.schools.for_school`)."""
    from nesa_cli.model import Recipient

    out = []
    for r, view in views:
        key = group_key(digest["week"], [r.email], tuple(view["sections"]), scope=f"school:{r.urn}")
        out.append(Outgoing(key, message(view, view, [Recipient(r.name, r.email)], key, settings, render_text, render_html),
                            [r.email], tuple(view["sections"]), f"{r.school} (URN {r.urn})"))
    return out


def message(digest: dict, view: dict, people, key: str, settings: SmtpSettings, render_text, render_html) -> EmailMessage:
    """One digest email: headers that say it is automatic (no out-of-office
    replies to it), which list it is, and where replies go."""
    from nesa_cli.digest.fit import fit

    view = fit(view, render_text, render_html)
    domain = settings.sender.partition("@")[2]
    msg = EmailMessage()
    school = (digest.get("school") or {}).get("name")
    subject = f"{digest['short_name']} weekly digest" + (f" for {school}" if school else "") + f": week to {digest['today']:%d %B %Y}"
    msg["Subject"] = _clean(subject)
    msg["From"] = _address(digest["alliance"] or digest["short_name"], settings.sender)
    msg["To"] = [_address(p.name, p.email) for p in people]
    reply_to = digest.get("reply_to")
    if reply_to and _ADDR.match(reply_to):
        msg["Reply-To"] = _address(f"{digest['short_name']} central team", reply_to)
    msg["Date"] = format_datetime(datetime.now(timezone.utc).replace(microsecond=0))  # "+0000": the time is known to be UTC
    msg["Message-ID"] = f"<nesa-digest-{key.replace(':', '-')}@{domain}>"
    list_name = re.sub(r"[^a-z0-9-]+", "-", str(digest.get("short_name") or "nesa").lower()).strip("-") or "nesa"
    msg["List-Id"] = _clean(f"{digest['short_name']} weekly digest <{list_name}-digest.{domain}>")
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no automatic replies (out-of-office) to it
    msg["X-Auto-Response-Suppress"] = "All"  # the same for Exchange
    msg["Precedence"] = "bulk"
    msg.set_content(render_text(view))
    msg.add_alternative(render_html(view), subtype="html")
    return msg


def _state_path(root: Path) -> Path:
    """The sent-record's place, checked (a link or a folder there is refused: UnsafePath)."""
    return safe_path(root, f"{STATE_DIR}/{STATE_FILE}")


def sent_record(root: Path) -> dict:
    """What was sent (or handed over) before: {group key: entry}. A record
    that exists but cannot be read, or does not hold such a mapping, raises
    SendError rather than risk sending twice: it is never "nothing sent"."""
    path = _state_path(root)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise SendError(f"{path} is unreadable ({exc}); {_REPAIR}") from None
    if not isinstance(data, dict):
        raise SendError(f"{path} does not hold a record of sent digests (it holds {type(data).__name__} {_shown(data)}); {_REPAIR}")
    for key, entry in data.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("status", SENT), str):
            raise SendError(f"{path} does not hold a record of sent digests (the entry {key!r} is {_shown(entry)}); {_REPAIR}")
    return data


_REPAIR = ("refusing to send in case it would send twice. Check it against the mail that was sent and repair it, "
           "or delete it if nothing was sent this week")


def _shown(value) -> str:
    text = json.dumps(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _status(entry) -> str:
    """A record's phase; records from before the two phases count as sent."""
    return entry.get("status", SENT) if isinstance(entry, dict) else SENT


def _write_state(root: Path, data: dict) -> None:
    """Replace the record atomically and durably: a reader sees the old or the new, never half."""
    from nesa_cli.store.write import atomic_write

    gitignore = safe_path(root, f"{STATE_DIR}/.gitignore")
    if not gitignore.exists() or not gitignore.stat().st_size:
        atomic_write(gitignore, b"*\n")
    atomic_write(_state_path(root), json.dumps(data, indent=2, sort_keys=True).encode("utf-8"))


def _record(root: Path, key: str, recipients: list[str], status: str = SENT) -> None:
    data = sent_record(root)
    stamp = "sent_at" if status == SENT else "handed_over_at"
    data[key] = {"status": status, stamp: datetime.now(timezone.utc).isoformat(timespec="seconds"), "recipients": recipients}
    _write_state(root, data)


def _forget(root: Path, key: str) -> None:
    data = sent_record(root)
    if data.pop(key, None) is None:
        return
    if data:
        _write_state(root, data)
    else:
        _state_path(root).unlink()  # as if it had never been handed over


class _HandOver:
    """smtplib's DATA in two steps (``sendmail`` calls ``self.data``): send the
    message, run ``on_handover``, then send the end-of-data mark. If the server
    then refuses the message, ``on_refused`` runs."""

    on_handover: Callable[[], None] | None = None
    on_refused: Callable[[], None] | None = None

    def data(self, msg):
        self.putcmd("data")
        code, repl = self.getreply()
        if code != 354:
            raise smtplib.SMTPDataError(code, repl)
        if isinstance(msg, str):
            msg = re.sub(r"\r\n|\r|\n", "\r\n", msg).encode("ascii")
        body = re.sub(rb"(?m)^\.", b"..", msg)  # a line starting with "." gets another (RFC 5321 4.5.2)
        if not body.endswith(b"\r\n"):
            body += b"\r\n"
        self.send(body)
        if self.on_handover:
            try:
                self.on_handover()
            except BaseException:
                self.close()  # no end mark: the server drops what it has (and no QUIT inside the message)
                raise
        self.send(b".\r\n")
        code, repl = self.getreply()
        if code != 250 and self.on_refused:
            self.on_refused()
        return code, repl


class _SMTP(_HandOver, smtplib.SMTP):
    pass


class _SMTP_SSL(_HandOver, smtplib.SMTP_SSL):
    pass


def send_all(root: Path, outgoing: list[Outgoing], settings: SmtpSettings, timeout: float = 30.0) -> list[dict]:
    """Send each group that has no record, recording it in two phases (see
    the module docstring); a group handed over by an earlier run is reported,
    not sent. Raises SendError on the first failure (what was sent before it
    stays recorded)."""
    import ssl

    from nesa_cli.store.journal import sweep_temp_files
    from nesa_cli.store.write import file_lock

    state = safe_path(root, STATE_DIR, folder=True)
    state.mkdir(exist_ok=True)
    results = []
    with file_lock(safe_path(root, f"{STATE_DIR}/{LOCK_FILE}")):
        sweep_temp_files(root, [f"{STATE_DIR}/{STATE_FILE}"])  # from a run killed mid-write
        for stale in state.glob(STATE_FILE + ".tmp*"):  # the same, as older versions named them
            stale.unlink(missing_ok=True)
        done = sent_record(root)
        todo = []
        for o in outgoing:
            entry = done.get(o.key)
            if entry is None:
                todo.append(o)
            elif _status(entry) == HANDED_OVER:
                results.append({"key": o.key, "recipients": entry.get("recipients", o.recipients), "status": NOT_CONFIRMED,
                                "handed_over_at": entry.get("handed_over_at"), "label": o.label})
            else:
                results.append({"key": o.key, "recipients": o.recipients, "status": "already sent",
                                "sent_at": entry.get("sent_at") if isinstance(entry, dict) else None, "label": o.label})
        if not todo:
            return results
        unconfirmed: dict[str, Outgoing] = {}  # handed over in this run, the server's answer still to come

        def hand_over(o: Outgoing) -> None:
            _record(root, o.key, o.recipients, HANDED_OVER)
            unconfirmed[o.key] = o

        def refused_after_all(o: Outgoing) -> None:
            _forget(root, o.key)  # not delivered: a later run may try again
            unconfirmed.pop(o.key, None)

        try:
            if settings.security == "ssl":
                server = _SMTP_SSL(settings.host, settings.port, timeout=timeout, context=ssl.create_default_context())
            else:
                server = _SMTP(settings.host, settings.port, timeout=timeout)
            with server:
                if settings.security == "starttls":
                    server.starttls(context=ssl.create_default_context())
                if settings.user:
                    server.login(settings.user, settings.password or "")
                for o in todo:
                    server.on_handover = lambda o=o: hand_over(o)
                    server.on_refused = lambda o=o: refused_after_all(o)
                    refused = server.send_message(o.message, from_addr=settings.sender, to_addrs=o.recipients)
                    accepted = [r for r in o.recipients if r not in refused]
                    _record(root, o.key, accepted)
                    unconfirmed.pop(o.key, None)
                    status = "sent" if not refused else "sent, some recipients refused: " + ", ".join(
                        f"{r} ({c} {m.decode(errors='replace') if isinstance(m, bytes) else m})" for r, (c, m) in refused.items())
                    results.append({"key": o.key, "recipients": accepted, "status": status, "label": o.label})
        except smtplib.SMTPResponseException as exc:
            text = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
            raise SendError(settings.scrub(f"the SMTP server {settings.host}:{settings.port} answered {exc.smtp_code} {text}"
                                           + _unconfirmed(unconfirmed))) from None
        except smtplib.SMTPRecipientsRefused as exc:
            detail = "; ".join(f"{r}: {c} {m.decode(errors='replace') if isinstance(m, bytes) else m}" for r, (c, m) in exc.recipients.items())
            raise SendError(settings.scrub(f"the SMTP server refused every recipient: {detail}")) from None
        except (smtplib.SMTPException, OSError, UnicodeError) as exc:
            raise SendError(settings.scrub(f"sending through {settings.host}:{settings.port} failed: {exc.__class__.__name__}: {exc}"
                                           + _unconfirmed(unconfirmed))) from None
    return results


def _unconfirmed(unconfirmed: dict[str, Outgoing]) -> str:
    """A note for an error after a message was handed over but before the server answered."""
    return "".join(f" (the message to {', '.join(o.recipients)} had been handed over, so the server may have it;"
                   " it will not be sent again)" for o in unconfirmed.values())
