"""A real CalDAV/CardDAV server takes what nesa writes: Radicale (PyPI
``radicale``, in the test lock) runs on the loopback, stores the calendar and
the contact cards, and gives them back whole; a moved meeting PUT again under
its UID replaces the event."""

from __future__ import annotations

import base64
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from typer.testing import CliRunner

from conftest import edit
from nesa_cli.cli import app

pytestmark = pytest.mark.slow
runner = CliRunner()
AUTH = "Basic " + base64.b64encode(b"clerk:x").decode()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    pytest.importorskip("radicale")
    port = _free_port()
    config = tmp_path / "radicale.conf"
    config.write_text(f"[server]\nhosts = 127.0.0.1:{port}\n[auth]\ntype = none\n[rights]\ntype = owner_only\n"
                      f"[storage]\nfilesystem_folder = {tmp_path / 'collections'}\n", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "radicale", "--config", str(config)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/clerk/"
    try:
        for _ in range(100):  # at most 10 s
            try:
                urllib.request.urlopen(urllib.request.Request(url, headers={"Authorization": AUTH}), timeout=1)
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def dav(method: str, url: str, body: bytes | None = None, kind: str | None = None) -> tuple[int, bytes]:
    headers = {"Authorization": AUTH}
    if kind:
        headers["Content-Type"] = kind
    req = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def nesa(repo, *args) -> bytes:
    r = runner.invoke(app, ["-C", str(repo), "--today", "2026-11-23", *args], env={"NESA_NOW": "2026-11-23T09:15:00Z"})
    assert r.exit_code == 0, r.output
    return r.stdout.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8")


ADDRESSBOOK = (b'<?xml version="1.0"?><mkcol xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><set><prop>'
               b'<resourcetype><collection/><C:addressbook/></resourcetype></prop></set></mkcol>')


@pytest.mark.shared_sample
def test_radicale_stores_the_calendar_and_the_cards(sample, server):
    ics = nesa(sample, "calendar")
    assert dav("MKCALENDAR", server + "meetings/")[0] == 201
    assert dav("PUT", server + "meetings/", ics, "text/calendar")[0] == 201
    status, back = dav("GET", server + "meetings/")
    assert status == 200 and back.count(b"BEGIN:VEVENT") == ics.count(b"BEGIN:VEVENT")
    assert b"TZID:Europe/London" in back and b"UID:sb-2026-12-09@nesa.example.org" in back

    vcf = nesa(sample, "contacts", "--format", "vcf")
    assert dav("MKCOL", server + "contacts/", ADDRESSBOOK, "application/xml")[0] == 201
    assert dav("PUT", server + "contacts/", vcf, "text/vcard")[0] == 201
    status, back = dav("GET", server + "contacts/")
    assert status == 200 and back.count(b"BEGIN:VCARD") == vcf.count(b"BEGIN:VCARD")
    assert "N:Ó Briain-Żółć;Siân;;;".encode() in back


def test_a_moved_meeting_replaces_its_event(sample, server):
    from icalendar import Calendar

    assert dav("MKCALENDAR", server + "meetings/")[0] == 201
    one = nesa(sample, "calendar", "--body", "strategic-board")
    assert dav("PUT", server + "meetings/", one, "text/calendar")[0] == 201
    edit(sample, "data/meetings/2026-12-09-strategic-board.yaml", "date: 2026-12-09", "date: 2026-12-10")
    edit(sample, "data/meetings/2026-12-09-strategic-board.yaml", "sequence: 1\n", "")
    moved = Calendar.from_ical(nesa(sample, "calendar", "--body", "strategic-board"))
    event = next(e for e in moved.walk("VEVENT") if str(e["UID"]) == "sb-2026-12-09@nesa.example.org")
    assert event["SEQUENCE"] == 1  # the move, counted: the file's own number is gone
    single = Calendar()
    for k, v in moved.items():
        single.add(k, v)
    single.add_component(moved.walk("VTIMEZONE")[0])
    single.add_component(event)
    # the item Radicale made for this UID: found by its UID, replaced in place
    status, listing = dav("GET", server + "meetings/")
    before = listing.count(b"BEGIN:VEVENT")
    hrefs = _hrefs(server + "meetings/")
    href = next(h for h in hrefs if b"sb-2026-12-09@nesa.example.org" in dav("GET", h)[1])
    assert dav("PUT", href, single.to_ical(), "text/calendar")[0] in (201, 204)
    after = dav("GET", server + "meetings/")[1]
    assert after.count(b"BEGIN:VEVENT") == before
    assert b"DTSTART;TZID=Europe/London:20261210T133000" in after


def _hrefs(collection: str) -> list[str]:
    import re

    body = (b'<?xml version="1.0"?><propfind xmlns="DAV:"><prop><getetag/></prop></propfind>')
    req = urllib.request.Request(collection, data=body, method="PROPFIND",
                                 headers={"Authorization": AUTH, "Depth": "1", "Content-Type": "application/xml"})
    with urllib.request.urlopen(req, timeout=30) as r:
        text = r.read().decode()
    base = collection.split("/clerk/")[0]
    return [base + h for h in re.findall(r"<href>([^<]+\.ics)</href>", text)]
