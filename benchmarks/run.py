#!/usr/bin/env python3
"""Time nesa against the targets of the performance issue and write RESULTS.md.

    python benchmarks/run.py                       # 200-school and 25,000-school corpora, 5 runs each
    python benchmarks/run.py --large 2500 --runs 3 # quicker
    python benchmarks/run.py --small 20 --large 60 --runs 1 --out /tmp/r.md   # smoke run

Each figure is the median wall-clock time of --runs runs of a whole command
(a fresh process, as a user runs it), measured with this script's own timer;
the start-up figures (the hello app, --version, schools list, status, and the
digest of the sample) are measured interleaved, at least 9 rounds of each in turn;
peak memory is the maximum resident set size reported by the kernel for the
child (resource.getrusage). Ratios compare two medians measured in the same
run. Corpora come from benchmarks/generate.py (deterministic).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
HELLO = '''import typer
app = typer.Typer()
@app.command()
def hello():
    print("hello")
app()
'''


def timed(cmd: list[str], cwd: Path, runs: int, env: dict | None = None, before=None) -> tuple[float, int]:
    """Median seconds over ``runs`` and the largest peak RSS (KiB) of the children."""
    times = []
    peak = 0
    for _ in range(runs):
        if before:
            before()
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - start)
        if os.waitstatus_to_exitcode(status) != 0:  # a command that failed fast must not pass for a fast one
            raise SystemExit(f"benchmark: {' '.join(cmd)} (in {cwd}) exited with {os.waitstatus_to_exitcode(status)}")
        peak = max(peak, usage.ru_maxrss)
    return statistics.median(times), peak


def interleaved(commands: dict[str, tuple[list[str], Path]], runs: int) -> dict[str, float]:
    """Median seconds of each command over ``runs`` rounds, each round running
    every command once, in turn (after one warm-up run each): on a shared
    machine a slow spell then slows every command alike, not one figure."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for cmd, cwd in commands.values():
        timed(cmd, cwd, 1)
    for _ in range(runs):
        for name, (cmd, cwd) in commands.items():
            times[name].append(timed(cmd, cwd, 1)[0])
    return {name: statistics.median(t) for name, t in times.items()}


def corpus(kind: str, schools: int, years: int, base: Path) -> Path:
    out = base / f"{kind}-{schools}-{years}y"
    if not out.exists():
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--schools", str(schools), "--years", str(years), str(out)],
                       check=True, stdout=subprocess.DEVNULL)
    return out


def parse_only(repo: Path) -> list[str]:
    code = ("import sys, pathlib, yaml\n"
            "for p in sorted(pathlib.Path(sys.argv[1]).rglob('*.yaml')):\n"
            "    yaml.load(p.read_bytes(), Loader=yaml.CSafeLoader)\n")
    return [sys.executable, "-c", code, str(repo / "data")]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--small", type=int, default=200)
    ap.add_argument("--large", type=int, default=25000)
    ap.add_argument("--years", type=int, default=5, help="years of weekly history for the small corpus")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--rounds", type=int, default=None, help="rounds of the interleaved start-up figures (default: --runs, at least 9)")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "nesa-bench")
    ap.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    ap.add_argument("--only", choices=("digest",), help="only the start-up, status and digest figures (no 25,000-school corpus)")
    a = ap.parse_args(argv)
    a.work.mkdir(parents=True, exist_ok=True)
    nesa = str(BIN / "nesa")
    small = corpus("alliance", a.small, a.years, a.work)
    large = corpus("region", a.large, 1, a.work) if not a.only else None
    hello = a.work / "hello.py"
    hello.write_text(HELLO, encoding="utf-8")
    rows: list[tuple[str, str, str]] = []
    nocache = {"NESA_CACHE": "0"}
    # Byte-compile nesa as an installed package is (pip compiles on install).
    # An editable install under PYTHONDONTWRITEBYTECODE=1 (set on the
    # development machines) would otherwise compile every module from source
    # on every run, about 60 ms of each start-up that no user pays.
    package = Path(__file__).resolve().parent.parent / "nesa_cli"
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], check=True)
    # And run as an installed user does, without PYTHONDONTWRITEBYTECODE: the
    # first run keeps the code dataclasses and typing generate (nesa_cli.codecache).
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    # The built-in templates' code too, as the first run after an install keeps it (nesa_cli.render.compiled).
    subprocess.run([sys.executable, "-c", "from nesa_cli.render.compiled import precompile; precompile()"], check=True)

    def clear(repo):
        return lambda: shutil.rmtree(repo / ".nesa-cache", ignore_errors=True)

    # 1. start-up, and the short commands measured against it: interleaved (see interleaved())
    sample = a.work / "sample"
    if not sample.exists():
        _sample_week(sample)
    t = interleaved({"hello": ([sys.executable, str(hello)], a.work), "version": ([nesa, "--version"], a.work),
                     "list": ([nesa, "schools", "list"], small), "status": ([nesa, "status"], sample),
                     "digest": ([nesa, "digest"], sample)}, a.rounds or max(a.runs, 9))
    t_hello = t["hello"]
    rows += [("bare Typer hello app", f"{t_hello:.3f} s", ""),
             ("`nesa --version`", f"{t['version']:.3f} s", f"{t['version'] / t_hello:.2f}x hello (target 1.1x)"),
             (f"`nesa schools list`, {a.small} schools, warm", f"{t['list']:.3f} s", f"{t['list'] / t_hello:.2f}x hello (target 1.2x)"),
             ("`nesa status`, the shipped sample alliance, warm", f"{t['status']:.3f} s", f"{t['status'] / t_hello:.2f}x hello (target 1.3x)"),
             ("`nesa digest`, the shipped sample alliance (46 schools, a week of 3 commits), warm", f"{t['digest']:.3f} s",
              f"{t['digest'] / t_hello:.2f}x hello (target 1.5x)")]
    if a.only == "digest":
        return _digest_rows(a, nesa, small, t_hello, rows)
    # 2. cold validate against parsing alone, and against check-jsonschema
    n_files = sum(1 for _ in (large / "data").rglob("*.yaml"))
    t_parse, _ = timed(parse_only(large), large, max(1, a.runs // 2))
    t_cold, peak = timed([nesa, "validate"], large, max(1, a.runs // 2), env=nocache)
    # A first run with the cache on also writes it (every entry, and a pack per kind).
    t_first, peak_first = timed([nesa, "validate"], large, max(1, a.runs // 2), before=clear(large))
    rows += [(f"parse only (libyaml CSafeLoader), {n_files} files", f"{t_parse:.2f} s", ""),
             (f"cold `nesa validate`, {a.large} schools (cache off: NESA_CACHE=0)", f"{t_cold:.2f} s", f"{t_cold / t_parse:.2f}x parse only (target 1.3x)"),
             (f"cold `nesa validate`, {a.large} schools (cache emptied first, so it is written)", f"{t_first:.2f} s", f"{t_first / t_parse:.2f}x parse only"),
             (f"peak memory of cold validate, {a.large} schools, cache off", f"{peak / 1024:.0f} MB", "target 600 MB"),
             (f"peak memory of cold validate, {a.large} schools, cache written", f"{peak_first / 1024:.0f} MB", "target 600 MB")]
    cj = shutil.which("check-jsonschema") or str(BIN / "check-jsonschema")
    if Path(cj).exists():
        subset = sorted((large / "data" / "schools").glob("*.yaml"))[:2000]
        sub = a.work / "subset-2000"
        if not sub.exists():
            (sub / "data" / "schools").mkdir(parents=True)
            shutil.copy(large / "data" / "alliance.yaml", sub / "data" / "alliance.yaml")
            for p in subset:
                shutil.copy(p, sub / "data" / "schools" / p.name)
        schema = str(Path(__file__).resolve().parent.parent / "schemas" / "school.schema.json")
        files = [str(p) for p in sorted((sub / "data" / "schools").glob("*.yaml"))]
        t_cj, _ = timed([cj, "--schemafile", schema, *files], sub, 1)
        t_ours, _ = timed([nesa, "validate"], sub, max(1, a.runs // 2), env=nocache)
        rows += [("check-jsonschema, 2,000 school files", f"{t_cj:.2f} s", ""),
                 ("cold `nesa validate`, the same 2,000 files", f"{t_ours:.2f} s", f"{t_cj / t_ours:.1f}x faster (target 10x)")]
    # 3. warm validate, and after editing one school
    timed([nesa, "validate"], large, 1)
    t_warm, _ = timed([nesa, "validate"], large, a.runs)
    target = sorted((large / "data" / "schools").glob("*.yaml"))[0]
    original = target.read_text(encoding="utf-8")

    def touch():
        # Content never seen before (the run cache would answer a state it has seen in an earlier benchmark).
        # The capacity changes too: a real edit, to a field no cross-file rule reads.
        stamp = time.time_ns()
        text = re.sub(r"(?m)^capacity: \d+", f"# edit {stamp}\ncapacity: {100 + stamp % 900}", original, count=1)
        target.write_text(text, encoding="utf-8")

    t_edit, _ = timed([nesa, "validate"], large, a.runs, before=touch)

    def rename():
        # An edit the cross-file rules read (the school's name appears in their messages): the full path.
        target.write_text(original.replace("\nname: ", f"\nname: Renamed {time.time_ns()} ", 1), encoding="utf-8")

    t_rename, _ = timed([nesa, "validate"], large, max(1, a.runs // 2), before=rename)
    target.write_text(original, encoding="utf-8")
    rows += [(f"warm `nesa validate`, {a.large} schools, nothing changed", f"{t_warm:.2f} s", "target 1.0 s"),
             (f"warm `nesa validate`, {a.large} schools, one school edited (a field no cross-file rule reads)",
              f"{t_edit:.2f} s", "target 1.2 s"),
             (f"warm `nesa validate`, {a.large} schools, one school renamed (a field the rules read: full path)",
              f"{t_rename:.2f} s", "no target")]
    # 4. listing at scale; --at on the small alliance
    timed([nesa, "schools", "list", "--phase", "primary", "--json"], large, 1)
    t_list, _ = timed([nesa, "schools", "list", "--phase", "primary", "--json"], large, a.runs)
    t_now, _ = timed([nesa, "schools", "list", "--json"], small, a.runs)
    timed([nesa, "schools", "list", "--json", "--at", "HEAD~52"], small, 1)
    t_at, _ = timed([nesa, "schools", "list", "--json", "--at", "HEAD~52"], small, a.runs)
    rows += [(f"`nesa schools list --phase primary --json`, {a.large} schools, warm", f"{t_list:.2f} s", "target 1.0 s"),
             (f"`nesa schools list --json --at HEAD~52` (a year back), {a.small} schools", f"{t_at:.3f} s", f"{t_at / t_now:.2f}x without --at (target 1.5x)")]
    return _digest_rows(a, nesa, small, t_hello, rows)


def _digest_rows(a, nesa: str, small: Path, t_hello: float, rows: list) -> int:
    # 5. digest: on the generated alliance, and on the shipped sample (its own git history)
    timed([nesa, "digest", "--since", "7d"], small, 1)  # warm the cache, as a weekly cron run finds it
    t_digest, _ = timed([nesa, "digest", "--since", "7d"], small, a.runs)
    rows.append((f"`nesa digest --since 7d`, {a.small} schools, {a.years} years of weekly history", f"{t_digest:.2f} s",
                 f"{t_digest / t_hello:.2f}x hello (target 2 s)"))
    return _write(a, rows)


def _sample_week(sample: Path) -> None:
    """The shipped sample alliance, committed a month ago, and a week of
    ordinary changes (a census figure, a contact, a meeting's date) since."""
    shutil.copytree(HERE.parent / "data", sample / "data")

    def commit(message: str, days_ago: int) -> None:
        stamp = f"@{int(time.time()) - days_ago * 86400} +0000"
        env = {"GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "b@example.org", "GIT_COMMITTER_NAME": "Bench",
               "GIT_COMMITTER_EMAIL": "b@example.org", "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
        subprocess.run(["git", "add", "-A"], cwd=sample, check=True)
        subprocess.run(["git", "commit", "-q", "-m", message], cwd=sample, check=True, env={**os.environ, **env})

    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=sample, check=True)
    commit("The sample alliance", 30)
    for rel, old, new, days in (("data/schools/122220.yaml", "    count: 97", "    count: 101", 3),
                                ("data/schools/122150.yaml", "name: Beth Kerr", "name: Beth Carr", 2),
                                ("data/schools/122262.yaml", "capacity: 460", "capacity: 480", 1)):
        f = sample / rel
        f.write_text(f.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
        commit(f"Edit {rel}", days)


def _write(a, rows: list) -> int:
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} {platform.release()}"
    lines = ["# Benchmark results", "",
             f"Measured by `python benchmarks/run.py --small {a.small} --large {a.large} --runs {a.runs}"
             f"{f' --rounds {a.rounds}' if a.rounds else ''}{f' --only {a.only}' if a.only else ''}` on {machine}.",
             "Each time is the median wall-clock time of whole `nesa` processes; peak memory is the child's maximum resident set size.",
             "The nesa package is byte-compiled first (as pip does on install), so no run compiles it from source.",
             "Corpora are generated by `benchmarks/generate.py` (deterministic). Other work on the machine adds noise; the ratios are measured in the same run.",
             "", "| figure | median | against the target |", "| --- | --- | --- |"]
    lines += [f"| {a_} | {b} | {c} |" for a_, b, c in rows]
    a.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
