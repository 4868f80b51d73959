"""nesa --timings: the time of each loading stage, on stderr, and nothing when off."""

from __future__ import annotations

import os
import subprocess
import sys

from nesa_cli import timings
from nesa_cli.cli import modules_for


def test_timings_name_every_stage_of_a_cold_validate(sample):
    env = {**os.environ, "NESA_CACHE": "0"}
    done = subprocess.run([sys.executable, "-m", "nesa_cli", "-C", str(sample), "--timings", "validate"],
                          capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    stages = [line.split()[0] for line in done.stderr.splitlines() if line.endswith(("time)", "times)", "started)"))]
    assert stages == ["list", "cache", "read", "parse", "schema", "build", "rules", "total"]
    files = sum(1 for _ in (sample / "data").rglob("*.yaml"))  # the sample's data files, each parsed once
    assert f"{files} times" in done.stderr.split("parse", 1)[1].splitlines()[0]
    assert "files checked" in done.stdout and "parse" not in done.stdout


def test_stages_are_free_when_timing_is_off():
    assert timings.ACTIVE is None
    assert timings.stage("parse") is timings.stage("build")  # one shared do-nothing object
    clock = timings.start()
    try:
        with timings.stage("parse"):
            pass
        with timings.stage("parse"):
            pass
    finally:
        timings.stop()
    assert clock.counts == {"parse": 2} and timings.ACTIVE is None


def test_the_lazy_script_looks_past_the_flag():
    assert modules_for(["--timings", "schools", "list"]) == ("schools",)


def test_reading_invoices_reads_only_what_they_show_and_runs_no_cross_file_rules(sample):
    """Listing, showing and rendering invoices read the alliance, schools, finance years and invoices only:
    the cross-file rules (nesa validate's work, most of a warm load) do not run, and a broken meeting file
    is not read at all."""
    (sample / "data" / "meetings" / "2026-10-14-strategic-board.yaml").write_text("date: [unclosed\n", encoding="utf-8")
    for args in (["invoices", "list"], ["invoices", "show", "NESA-2025-0001"]):
        done = subprocess.run([sys.executable, "-m", "nesa_cli", "-C", str(sample), "--timings", *args],
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        stages = [line.split()[0] for line in done.stderr.splitlines() if line.endswith(("time)", "times)"))]
        assert "build" in stages and "rules" not in stages, done.stderr
        assert "2026-10-14-strategic-board" not in done.stderr
