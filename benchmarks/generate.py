#!/usr/bin/env python3
"""Write a deterministic synthetic alliance repository for benchmarks.

    python benchmarks/generate.py --schools 25000 --years 1 --seed 1 /tmp/bench-25k

N schools with contacts and membership history, about N/25 networks, about 40
policies adopted by every member, a board and network meeting calendar per
year, and a git history of weekly commits over Y years (written with
``git fast-import``, so even 25,000 schools take seconds). The same arguments
always give the same files and the same commits.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

PHASES = [("first", 4, 9, 60, 220), ("primary", 4, 11, 90, 450), ("middle-deemed-secondary", 9, 13, 250, 600),
          ("high", 13, 18, 700, 1500), ("secondary", 11, 18, 600, 1600), ("special", 2, 19, 40, 160)]
TYPES = ["community", "voluntary-aided", "voluntary-controlled", "foundation", "academy-converter", "academy-sponsor-led"]
FIRST = ["Amira", "Ben", "Chloe", "Dev", "Ella", "Femi", "Grace", "Harry", "Isla", "Jay", "Kiran", "Lena", "Mo", "Nia", "Owen", "Priya", "Rhys", "Sara", "Tom", "Zara"]
LAST = ["Ahmed", "Brown", "Carter", "Dixon", "Evans", "Fenwick", "Gray", "Hall", "Iqbal", "Jones", "Khan", "Lee", "Milburn", "Nowak", "Olsen", "Patel", "Robson", "Scott", "Taylor", "Wilson"]
TOWNS = ["Alnwick", "Morpeth", "Hexham", "Rothbury", "Blyth", "Ashington", "Berwick", "Amble", "Bedlington", "Cramlington"]
ROLES = ["senco", "dsl", "school-business-manager", "office-manager", "site-manager", "chair-of-governors"]
CENSUS = ["2021-10-07", "2022-10-06", "2023-10-05", "2024-10-03", "2025-10-02"]
NETWORK_ROLES = ["senco", "dsl", "school-business-manager", "office-manager", "site-manager"]


def school_yaml(urn: int, rng: random.Random, partnerships: list[str]) -> tuple[str, dict]:
    phase, low, high, pmin, pmax = rng.choice(PHASES)
    stype = "community-special" if phase == "special" else rng.choice(TYPES)
    town = rng.choice(TOWNS)
    people = {"headteacher": f"{rng.choice(FIRST)} {rng.choice(LAST)}"}
    for role in rng.sample(ROLES, 4):
        people[role] = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    join = date(2023, 9, 19) + timedelta(days=rng.randrange(0, 700))
    base = rng.randrange(pmin, pmax)
    lines = [
        "# yaml-language-server: $schema=../../schemas/school.schema.json",
        f"urn: {urn}",
        f"laestab: 929{urn % 10000:04d}",
        f"name: {town} {phase.split('-')[0].capitalize()} School {urn}",
        f"phase: {phase}",
        f"type: {stype}",
        f"age_range: {{low: {low}, high: {high}}}",
        "address:",
        f"  street: {rng.randrange(1, 200)} School Lane",
        f"  town: {town}",
        f"  postcode: NE{rng.randrange(10, 99)} {rng.randrange(1, 9)}AB",
        f"location: {{easting: {rng.randrange(385000, 432000)}, northing: {rng.randrange(560000, 640000)}}}",
        f"website: https://s{urn}.example.org",
        f'phone: "01670 {rng.randrange(100000, 999999)}"',
        f"capacity: {int(base * 1.2)}",
        "pupils:",
    ]
    for c in CENSUS[-2:]:
        lines += [f"  - census_date: {c}", f"    count: {base + rng.randrange(-20, 20)}"]
    lines += [f"partnership: {rng.choice(partnerships)}", "membership:",
              "  - state: consulting", "    date: 2023-09-18",
              "  - state: member", f"    date: {join.isoformat()}", "contacts:"]
    for role, name in people.items():
        first = name.split()[0].lower()
        lines += [f"  - role: {role}", f"    name: {name}", f"    email: {first}.{role[:4]}@s{urn}.example.org"]
        if rng.random() < 0.2:
            lines += [f'    mobile: "07700 {rng.randrange(900000, 900999)}"', "    private: [mobile]"]
    return "\n".join(lines) + "\n", {"urn": urn, "people": people, "phase": phase, "join": join}


def alliance_yaml(partnerships: list[str]) -> str:
    lines = ["# yaml-language-server: $schema=../schemas/alliance.schema.json",
             "name: Benchmark Schools Alliance", "short_name: BENCH", "area: Benchmarkshire", "la_codes: [929]",
             "email: team@example.org", "eligibility:",
             "  types: [community, voluntary-aided, voluntary-controlled, foundation, community-special, academy-converter, academy-sponsor-led]",
             "financial_year_start_month: 4", "census_date: 2025-10-02", "central_team:"]
    for i in range(4):
        lines += [f"  - id: t{i}", f"    name: Team Member {i}", "    role: school-improvement-adviser",
                  f"    partnerships: [{', '.join(p for j, p in enumerate(partnerships) if j % 4 == i)}]"]
    lines.append("partnerships:")
    for j, p in enumerate(partnerships):
        lines += [f"  - id: {p}", f"    name: Partnership {j}", "    type: structured", f"    link: t{j % 4}"]
    lines += ["digest:", "  recipients:", "    - name: Team", "      email: team@example.org"]
    return "\n".join(lines) + "\n"


def network_yaml(i: int, schools: list[dict], rng: random.Random) -> str:
    role = NETWORK_ROLES[i % len(NETWORK_ROLES)]
    chosen = [s for s in rng.sample(schools, min(len(schools), 30)) if role in s["people"]]
    if not chosen:
        chosen = [schools[0]]
        role = "headteacher"
    lead = chosen[0]
    lines = ["# yaml-language-server: $schema=../../schemas/network.schema.json", f"id: net-{i}",
             f"name: {role.replace('-', ' ').title()} Network {i}", "kind: role", f"purpose: Network {i} for {role}",
             "lead:", f"  school: {lead['urn']}", f"  person: {lead['people'][role]}", f"central_link: t{i % 4}",
             "frequency: half-termly", "members:"]
    for s in chosen:
        lines += [f"  - school: {s['urn']}", f"    person: {s['people'][role]}", f"    since: {s['join'].isoformat()}"]
    return "\n".join(lines) + "\n"


def policy_yaml(i: int, schools: list[dict]) -> str:
    lines = ["# yaml-language-server: $schema=../../schemas/policy.schema.json", f"id: policy-{i}", f"title: Model Policy {i}",
             "area: other", "statutory: {required: false}", f"owner: t{i % 4}", "approval_level: full-governing-body",
             "review_cycle_months: 24", "versions:",
             '  - version: "1.0"', "    approved: 2023-06-01", '  - version: "2.0"', "    approved: 2024-06-01", "adoptions:"]
    for s in schools:
        lines += [f"  - school: {s['urn']}", '    version: "2.0"', f"    date: {max(s['join'], date(2024, 6, 1)).isoformat()}"]
    return "\n".join(lines) + "\n"


def generate(out: Path, schools: int, years: int, seed: int) -> None:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=False)
    partnerships = [f"p{j}" for j in range(max(4, schools // 40))]
    files: dict[str, str] = {"data/alliance.yaml": alliance_yaml(partnerships)}
    meta = []
    for k in range(schools):
        urn = 100000 + k
        text, m = school_yaml(urn, rng, partnerships)
        files[f"data/schools/{urn}.yaml"] = text
        meta.append(m)
    for i in range(max(1, schools // 25)):
        files[f"data/networks/net-{i}.yaml"] = network_yaml(i, meta, rng)
    for i in range(40):
        files[f"data/policies/policy-{i}.yaml"] = policy_yaml(i, meta)
    start = date(2025, 11, 23) - timedelta(weeks=52 * years)
    commits = [(start, "Initial alliance data", files)]
    for w in range(1, 52 * years + 1):
        day = start + timedelta(weeks=w)
        changed = {}
        for urn in rng.sample(range(100000, 100000 + schools), min(schools, 3)):
            path = f"data/schools/{urn}.yaml"
            text = changed.get(path) or files[path]
            old = text.split("count: ")[-1].split("\n")[0]
            new = str(int(old) + rng.randrange(-5, 6)) if old.isdigit() else old
            text = text[: text.rfind("count: ")] + f"count: {new}" + text[text.rfind("count: ") + 7 + len(old):]
            changed[path] = text
        files = {**files, **changed}
        commits.append((day, f"Week {w}: pupil numbers", changed))
    stream = []
    for day, message, changed in commits:
        ts = f"{int((day - date(1970, 1, 1)).total_seconds()) + 43200} +0000"
        msg = message.encode()
        stream.append(b"commit refs/heads/main\n")
        stream.append(f"committer Bench Bot <bench@example.org> {ts}\n".encode())
        stream.append(f"data {len(msg)}\n".encode() + msg + b"\n")
        for path, text in sorted(changed.items()):
            data = text.encode()
            stream.append(f"M 100644 inline {path}\n".encode())
            stream.append(f"data {len(data)}\n".encode() + data + b"\n")
    subprocess.run(["git", "init", "-q", "-b", "main", str(out)], check=True)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=out, input=b"".join(stream), check=True)
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=out, check=True)
    (out / ".gitignore").write_text(".nesa-cache/\n.nesa-state/\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--schools", type=int, default=200)
    p.add_argument("--years", type=int, default=1)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("out", type=Path)
    a = p.parse_args(argv)
    if a.out.exists():
        print(f"{a.out} exists; choose a new folder", file=sys.stderr)
        return 2
    generate(a.out, a.schools, a.years, a.seed)
    print(f"wrote {a.out}: {a.schools} schools, {a.years} year(s) of weekly commits")
    return 0


if __name__ == "__main__":
    sys.exit(main())
