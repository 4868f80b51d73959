"""Interrupted digest sending resumes without duplicates.

A real ``nesa digest --send`` is killed (SIGKILL) at random points of its
life, then run again to completion. The SMTP server takes each message at
once but is slow to answer, so many kills land where the old code sent the
message again: the server has it, the client has no answer yet.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest

from nesa_cli.digest.send import NOT_CONFIRMED
from test_digest import Collector, add_recipients, digest_cli, serve, smtp, smtp_env, week  # noqa: F401  (smtp, week: fixtures)

REPLY_DELAY = 0.3  # seconds between the server taking a message and saying so
KILLS = 18
GROUPS = {("alex.lead@example.org", "evil@example.org"), ("chair@example.org",)}
STATE_FILES = {".gitignore", "digest.lock", "digest-sent.json"}


class SlowCollector(Collector):
    """Keeps the message as soon as it has it (as a real server commits it to
    its queue: aiosmtpd would drop it if the client vanished first), then is
    slow to answer."""

    def __init__(self):
        super().__init__()
        self.taken_at: list[float] = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        self.taken_at.append(time.monotonic())
        await asyncio.sleep(REPLY_DELAY)
        return "250 Message accepted"


class Sender:
    """``nesa digest --send`` of ``repo`` (on 21 November 2025) to the server ``handler`` on ``port``, in a
    process of its own: run through, or killed and run again."""

    def __init__(self, repo, handler, port: int):
        self.handler = handler
        self.state = repo / ".nesa-state"
        self.cmd = [sys.executable, "-m", "nesa_cli", "-C", str(repo), "--today", "2025-11-21", "digest", "--send"]
        self.env = dict(os.environ, **smtp_env(port))

    def start(self) -> subprocess.Popen:
        # its own process group, so that the kill takes any git it is running too
        return subprocess.Popen(self.cmd, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                start_new_session=True)

    def delivered(self) -> Counter:
        return Counter(tuple(sorted(e.rcpt_tos)) for e in self.handler.envelopes)

    def records(self) -> dict:
        path = self.state / "digest-sent.json"
        data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        return {tuple(sorted(v["recipients"])): v["status"] for v in data.values()}

    def kill_then_rerun(self, delay: float):
        """From no state and nothing delivered: a run killed after ``delay`` seconds, then one run through.
        (The records the kill left, whether the server had any message by then, the second run.)"""
        shutil.rmtree(self.state, ignore_errors=True)
        self.handler.envelopes.clear()
        run = self.start()
        time.sleep(delay)
        os.killpg(run.pid, signal.SIGKILL)
        run.communicate(timeout=60)
        before, reached = self.records(), bool(self.handler.envelopes)
        rerun = subprocess.run(self.cmd, env=self.env, capture_output=True, text=True, timeout=60)
        return before, reached, rerun


@pytest.fixture
def slow_smtp():
    handler = SlowCollector()
    ctl, port = serve(handler)
    yield handler, port
    ctl.stop()


@pytest.mark.slow
def test_killed_sends_resume_without_duplicates(week, slow_smtp):
    add_recipients(week)
    handler, port = slow_smtp
    sender = Sender(week, handler, port)

    # one uninterrupted run: how long it lives, and when it starts sending
    began = time.monotonic()
    out, err = sender.start().communicate(timeout=60)
    life = time.monotonic() - began
    assert sender.delivered() == Counter({g: 1 for g in GROUPS}), (out, err)
    sending = min(handler.taken_at) - began - 0.05

    # a random moment in each of KILLS slices of its life: half the slices
    # before it sends, half while it sends (which is the shorter part)
    rng = random.Random(47)
    half = KILLS // 2
    delays = [sending * (i + rng.random()) / half for i in range(half)]
    delays += [sending + (life - sending) * (i + rng.random()) / (KILLS - half) for i in range(KILLS - half)]
    rng.shuffle(delays)
    unconfirmed_reported = killed_before_sending = 0
    for delay in delays:
        before, reached, rerun = sender.kill_then_rerun(delay)
        if not before and not reached:
            killed_before_sending += 1
        assert rerun.returncode == 0, (delay, rerun.stdout, rerun.stderr)
        after = sender.records()
        counts = sender.delivered()
        where = f"killed after {delay:.2f}s of {life:.2f}s; records {after}; delivered {dict(counts)}; rerun said {rerun.stdout!r}"
        assert set(counts) <= GROUPS, where
        assert max(counts.values()) == 1, "sent twice: " + where
        assert set(after) == GROUPS, where
        for group in GROUPS:
            # delivered exactly once, or handed over and lost only in the moment
            # between recording that and sending the end-of-data mark
            assert counts[group] == 1 or after[group] == "handed-over", where
            if after[group] == "handed-over":
                assert before.get(group) == "handed-over", where
        if "handed-over" in after.values():
            assert NOT_CONFIRMED in rerun.stdout, where
            unconfirmed_reported += 1
        assert {p.name for p in sender.state.iterdir()} <= STATE_FILES, where  # no temp files left by the kill

    # the kills really hit both paths: before anything was sent, and while the
    # server had a message but had not yet answered
    assert killed_before_sending >= 1 and unconfirmed_reported >= 1, (killed_before_sending, unconfirmed_reported)


def test_handed_over_and_old_records_are_not_sent_again(week, smtp):
    add_recipients(week)
    handler, port = smtp()
    assert digest_cli(week, "--send", env=smtp_env(port)).exit_code == 0
    path = week / ".nesa-state" / "digest-sent.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    for entry in data.values():
        if entry["recipients"] == ["chair@example.org"]:  # as recorded before the two phases
            entry.pop("status")
        else:  # as a run killed while waiting for the server's answer leaves it
            entry["status"] = "handed-over"
            entry["handed_over_at"] = entry.pop("sent_at")
    path.write_text(json.dumps(data), encoding="utf-8")
    stale = path.with_name("digest-sent.json.tmp99999")
    stale.write_text("{", encoding="utf-8")  # as a run killed while writing the record leaves it
    r = digest_cli(week, "--send", env=smtp_env(port))
    assert r.exit_code == 0, r.output
    assert len(handler.envelopes) == 2
    assert f"{NOT_CONFIRMED}: week 2025-W47 to alex.lead@example.org, evil@example.org" in r.output
    assert "already sent: week 2025-W47 to chair@example.org" in r.output
    assert not stale.exists()
