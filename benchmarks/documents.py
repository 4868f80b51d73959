"""How long a document takes, as a ratio to a bare Typer hello app.

    .venv/bin/python benchmarks/documents.py [--runs 9] [--compare OTHER_CHECKOUT]

Runs each command ``--runs`` times, interleaved (hello, then every document,
then hello again, ...), so a slow spell of the machine touches them all alike,
and reports the median of each and its ratio to the hello app's median. All
runs are warm: each command runs once before timing, so the repository's cache
is written. ``--compare`` times the same documents from another checkout
with its own ``.venv`` (for example one from before the PDF engine changed)
on that checkout's own sample. Targets (issue 21): any single document at most
1.5x the hello app, the 22-page contact sheet at most 2x.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from run import HELLO  # noqa: E402 - the same hello app as benchmarks/run.py

DOCUMENTS = {
    "agenda, Markdown": ["agenda", "2026-12-09-strategic-board"],
    "agenda, PDF (3 pages)": ["agenda", "2026-12-09-strategic-board", "--format", "pdf", "-o", "{out}/agenda.pdf"],
    "invoice, PDF (1 page)": ["invoices", "render", "NESA-2025-0001", "--format", "pdf", "-o", "{out}/inv"],
    "contact sheet, PDF (all schools)": ["contacts", "--format", "pdf", "-o", "{out}/contacts.pdf"],
}


def once(cmd: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("--compare", type=Path, help="another checkout with its own .venv, timed on its own sample")
    a = ap.parse_args()
    env = {**os.environ, "NESA_TODAY": "2026-11-23"}
    # As an installed user runs it: bytecode and the generated code kept (nesa_cli.codecache).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory() as tmp:
        hello = Path(tmp) / "hello.py"
        hello.write_text(HELLO, encoding="utf-8")
        nesa = str(Path(sys.executable).parent / "nesa")
        runs: dict[str, list[str]] = {"hello app": [sys.executable, str(hello)]}
        project = HERE.parent
        for name, args in DOCUMENTS.items():
            runs[name] = [nesa, "-C", str(project), *[x.format(out=tmp) for x in args]]
        if a.compare:
            other = str(a.compare / ".venv" / "bin" / "nesa")
            for name, args in DOCUMENTS.items():
                if "PDF" in name:
                    runs[f"{name} [{a.compare.name}]"] = [other, "-C", str(a.compare), *[x.format(out=tmp) for x in args]]
        for cmd in runs.values():
            once(cmd, env)
        times: dict[str, list[float]] = {k: [] for k in runs}
        for _ in range(a.runs):
            for name, cmd in runs.items():
                times[name].append(once(cmd, env))
    base = statistics.median(times["hello app"])
    print(f"| Command (median of {a.runs}, interleaved, warm) | Seconds | Ratio to hello |")
    print("|---|---:|---:|")
    for name, ts in times.items():
        m = statistics.median(ts)
        print(f"| {name} | {m:.3f} | {m / base:.2f}x |")


if __name__ == "__main__":
    main()
