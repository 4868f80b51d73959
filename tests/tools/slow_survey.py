"""Choose the fast run: measure what each test costs, and list the costly ones in tests/slow.txt.

    python tests/tools/slow_survey.py              # run the suite once (about 5 minutes) and rewrite the list
    python tests/tools/slow_survey.py --budget 70  # a smaller fast run
    python tests/tools/slow_survey.py --costs /tmp/cost  # reuse cost files from an earlier NESA_TEST_COST run

The suite is run as the fast run would be, but with only the tests marked
``slow`` in their code left out (NESA_SLOW_LIST=0), and with NESA_TEST_COST
set, so conftest.py records the CPU seconds of every test (its process and
the processes it started). CPU time, not wall time: a busy machine changes
it little. Tests are grouped by function (every case of a parametrised test
together); the cheapest functions per case are kept in the fast run while
their total stays within the budget, and the rest are listed as slow
(each test file keeps its cheapest function, so the fast run touches every
area). The
budget is CPU seconds of test bodies: two processes (``-n 2``) share it, and
collection and start-up add a few seconds to the wall time.

The list is data, not judgement: a test in it is not worse, only dearer. CI
runs every test. Re-run the survey when the fast run has grown past a minute.
"""

from __future__ import annotations

import argparse
import collections
import datetime
import glob
import os
import subprocess
import sys
import tempfile
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(TESTS))

from conftest import SLOW_LIST, function_id  # noqa: E402


def measure(prefix: str) -> None:
    env = dict(os.environ, NESA_SLOW_LIST="0", NESA_TEST_COST=prefix)
    command = [sys.executable, "-m", "pytest", "-m", "not slow", "-n", "2", "-q", "-p", "no:cacheprovider"]
    done = subprocess.run(command, cwd=TESTS.parent, env=env)
    if done.returncode != 0:
        sys.exit(f"slow_survey: the suite failed (exit {done.returncode}); fix it before choosing the fast run")


def read_costs(prefix: str) -> dict[str, list[float]]:
    """function id -> the CPU seconds of each of its cases."""
    by_function: dict[str, list[float]] = collections.defaultdict(list)
    files = glob.glob(prefix + ".*")
    if not files:
        sys.exit(f"slow_survey: no cost files {prefix}.*")
    for name in files:
        for line in Path(name).read_text(encoding="utf-8").splitlines():
            cost, nodeid = line.split(" ", 1)
            by_function[function_id(nodeid)].append(float(cost))
    return by_function


def choose(costs: dict[str, list[float]], budget: float) -> tuple[list[str], float, float]:
    """The functions to list as slow, the fast run's cost and the whole cost.

    Every test file keeps its cheapest function, so the fast run touches
    every area; then the cheapest functions a case are kept while the
    budget lasts."""
    per_file: dict[str, str] = {}
    for f in sorted(costs, key=lambda f: (sum(costs[f]), f)):
        per_file.setdefault(f.split("::", 1)[0], f)
    kept_functions = set(per_file.values())
    kept = sum(sum(costs[f]) for f in kept_functions)
    slow = []
    for f in sorted(costs, key=lambda f: (sum(costs[f]) / len(costs[f]), f)):
        if f in kept_functions:
            continue
        if not slow and kept + sum(costs[f]) <= budget:
            kept += sum(costs[f])
        else:
            slow.append(f)
    return sorted(slow), kept, sum(map(sum, costs.values()))


def write(costs: dict[str, list[float]], slow: list[str], kept: float, whole: float, budget: float) -> None:
    fast_cases = sum(len(c) for f, c in costs.items() if f not in slow)
    slow_cases = sum(len(costs[f]) for f in slow)
    head = [
        "# The costly tests, left out of the fast run (pytest -m \"not slow\"); CI runs them.",
        "# Written by tests/tools/slow_survey.py: do not edit by hand, re-run it.",
        f"# {datetime.date.today().isoformat()}: budget {budget:g} CPU-s; the fast run kept {fast_cases} tests "
        f"({kept:.0f} CPU-s), this list {slow_cases} tests ({whole - kept:.0f} CPU-s).",
        "# Each line: a test function (every case of it), its mean CPU seconds a case and how many cases.",
    ]
    body = [f"{f}  # {sum(costs[f]) / len(costs[f]):.2f} s x {len(costs[f])}" for f in slow]
    SLOW_LIST.write_text("\n".join(head + body) + "\n", encoding="utf-8")
    print(f"slow_survey: {SLOW_LIST}: {len(slow)} functions ({slow_cases} tests, "
          f"{whole - kept:.0f} CPU-s) slow; the fast run keeps {fast_cases} tests ({kept:.0f} CPU-s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--budget", type=float, default=80.0, help="CPU seconds of tests the fast run may cost (80)")
    parser.add_argument("--costs", help="read these cost files (PREFIX.*) instead of running the suite")
    args = parser.parse_args()
    prefix = args.costs
    if prefix is None:
        prefix = os.path.join(tempfile.mkdtemp(prefix="nesa-survey-"), "cost")
        measure(prefix)
    costs = read_costs(prefix)
    write(costs, *choose(costs, args.budget), args.budget)


if __name__ == "__main__":
    main()
