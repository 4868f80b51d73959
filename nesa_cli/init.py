"""A new alliance repository in one command (``nesa init``).

The repository validates at once: ``data/alliance.yaml`` with the name,
short name and LA code(s) given, eligibility defaults for maintained schools
and academies, an April financial year and the latest October census date;
empty folders for schools, networks, policies and meetings; the JSON Schemas
editors need; a CI workflow and a pre-commit configuration that run
``nesa validate``; a README for the team; and a first commit. With
``nesa import gias`` another local authority's alliance runs in minutes
with no code change.
"""

from __future__ import annotations

from nesa_cli.wording import plural

import json
import os
import re
import shutil
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from nesa_cli.errors import UsageError

FOLDERS = ("data/schools", "data/networks", "data/policies", "data/meetings")
ELIGIBLE_TYPES = (
    "community", "voluntary-aided", "voluntary-controlled", "foundation", "community-special", "foundation-special",
    "la-nursery", "academy-converter", "academy-sponsor-led", "academy-special-converter", "academy-special-sponsor-led",
    "free-school", "free-school-special",
)
FALLBACK_AUTHOR = ("nesa init", "nesa-init@localhost")


class InitError(UsageError):
    """The repository cannot be created as asked; the message says why."""


@dataclass
class InitReport:
    root: Path
    files: list[str] = field(default_factory=list)
    commit: str | None = None
    author: str | None = None
    fallback_author: bool = False
    nesa_source: str | None = None

    def lines(self) -> list[str]:
        out = [f"created {self.root} ({plural(len(self.files), 'file')})"]
        out += [f"  {f}" for f in self.files]
        if self.commit:
            out.append(f"first commit {self.commit[:10]} by {self.author}")
        if self.fallback_author:
            out.append("note: git has no user.name / user.email here, so the first commit is by "
                       f"'{FALLBACK_AUTHOR[0]} <{FALLBACK_AUTHOR[1]}>'; set them with git config before you commit")
        if self.nesa_source:
            out.append(f"CI installs nesa from {self.nesa_source}")
        else:
            out.append("note: this nesa was installed from a folder on this machine, which CI cannot reach: set NESA_PACKAGE "
                       "in .github/workflows/validate.yml (or run nesa init with --nesa-source), or CI fails at 'Install nesa'")
        out += ["next:", f"  cd {self.root}",
                "  edit data/alliance.yaml (central team, partnerships, digest recipients)",
                "  nesa import gias edubasealldata<date>.csv --commit   # your schools, from GIAS",
                "  nesa validate"]
        return out


def latest_census(today: date) -> date:
    """The autumn school census: the first Thursday of October, the latest on or before today."""
    def first_thursday(year: int) -> date:
        d = date(year, 10, 1)
        return d + timedelta(days=(3 - d.weekday()) % 7)

    this = first_thursday(today.year)
    return this if this <= today else first_thursday(today.year - 1)


def _yaml_text(text: str) -> str:
    """Text as a YAML scalar: plain when that is safe, else double-quoted."""
    import json

    if re.fullmatch(r"[A-Za-z][A-Za-z0-9 ',.()&/-]*", text) and not text.endswith((" ", ":")):
        return text
    return json.dumps(text, ensure_ascii=False)


def alliance_yaml(name: str, short_name: str, la_codes: list[int], area: str | None, email: str | None, census: date) -> str:
    codes = ", ".join(str(c) for c in la_codes)
    where = area or f"LA {codes}"
    lines = [
        "# yaml-language-server: $schema=../schemas/alliance.schema.json",
        "# The alliance itself. Everything that differs between alliances lives here.",
        "# Fill in the central team, the partnerships and the digest recipients (see the",
        "# commented examples below), then import your schools from GIAS:",
        "#   nesa import gias edubasealldata<date>.csv",
        f"name: {_yaml_text(name)}",
        f"short_name: {short_name}",
    ]
    if area:
        lines.append(f"area: {_yaml_text(area)}")
    lines.append(f"la_codes: [{codes}]")
    if email:
        lines.append(f"email: {email}")
    lines += [
        "eligibility:",
        f"  description: {_yaml_text(f'Any maintained school or academy in {where}')}",
        f"  types: [{', '.join(ELIGIBLE_TYPES)}]",
        f"  la_codes: [{codes}]",
        "# 4 = April (maintained schools' financial year); 9 = September for an alliance of academies",
        "financial_year_start_month: 4",
        "# The census whose pupil numbers the alliance uses this year (October census)",
        f"census_date: {census.isoformat()}",
        "# central_team:",
        "#   - id: alead",
        "#     name: Alex Lead",
        "#     role: lead            # lead, school-improvement-adviser, school-business-management, administrator, other",
        "#     email: alex.lead@example.org",
        "#     partnerships: [north]",
        "# partnerships:",
        "#   - id: north",
        "#     name: North Partnership",
        "#     type: structured      # hard, structured or loose",
        "#     link: alead",
        "# digest:",
        "#   recipients:",
        "#     - name: Alex Lead",
        "#       email: alex.lead@example.org",
        "# categorisation:          # categories schools are put in each academic year, best first (nesa broker ranks by them)",
        "#   categories:",
        "#     - {id: A, label: Strong}",
        "#     - {id: B, label: Good}",
        "#     - {id: C, label: Requires support, support: true}",
        "# broker:",
        "#   competitors: {nearest: 3, within_km: 5}   # the default; false: none",
        "",
    ]
    return "\n".join(lines)


def workflow_yaml(source: str | None) -> str:
    """The validate workflow; ``source`` is the pip requirement nesa is
    installed from (None: unknown, and the install step says what to set)."""
    value = json.dumps(source or "")
    return f"""# Validate the alliance data on every push and pull request.
# Problems appear as annotations on the changed lines of the pull request,
# and the pull request's job summary says what changed, in words.
name: validate
on:
  push:
  pull_request:
permissions:
  contents: read
jobs:
  validate:
    runs-on: ubuntu-latest
    timeout-minutes: 15
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - name: Install nesa
        # NESA_PACKAGE: where the team installs the tool from, as pip takes it:
        # git+https://<host>/<owner>/nesa@<tag>, an https:// URL of a wheel,
        # or nesa-cli==<version> from a package index.
        env:
          NESA_PACKAGE: {value}
        run: |
          if [ -z "$NESA_PACKAGE" ]; then
            echo "::error file=.github/workflows/validate.yml::Set NESA_PACKAGE in .github/workflows/validate.yml (step 'Install nesa') to where your team installs nesa, e.g. git+https://github.com/<owner>/nesa@v0.2.0"
            exit 1
          fi
          python -m pip install "$NESA_PACKAGE"
      - name: Validate the data
        run: nesa validate --format github
      - name: Describe the change
        if: github.event_name == 'pull_request'
        run: nesa diff --base "origin/${{{{ github.base_ref }}}}" >> "$GITHUB_STEP_SUMMARY"
"""


PRE_COMMIT = """# pre-commit (https://pre-commit.com): run `pre-commit install` once, and every
# commit that touches a data file or schema is validated first.
# This uses the nesa already installed on your machine; to let pre-commit
# install it instead, use the tool's own hook:
#   - repo: <the nesa tool's repository>
#     rev: <tag>
#     hooks:
#       - id: nesa-validate
repos:
  - repo: local
    hooks:
      - id: nesa-validate
        name: nesa validate
        description: Check the alliance data (strict YAML, JSON Schema, cross-file rules).
        entry: nesa validate
        language: system
        files: ^(data/.*\\.yaml|schemas/.*\\.json)$
        pass_filenames: false
"""

GITIGNORE = """.nesa-cache/
.nesa-state/
.nesa-lock
# a writer killed mid-write leaves one; the next edit deletes it
.*.tmp
__pycache__/
"""


def readme(name: str, short_name: str, codes: str, source: str | None) -> str:
    return f"""# {name} ({short_name})

The data of the alliance, kept by the central team with the `nesa` tool: which
schools are members and since when, their contacts, the staff networks, the
model policies and who has adopted which version, meetings and their actions.
Every change is a pull request that a colleague reviews; CI validates the data
on every push.

## Layout

- `data/alliance.yaml`: the alliance itself (name, LA code(s) {codes}, who may
  join, central team, partnerships, digest recipients).
- `data/schools/<URN>.yaml`: one file per school.
- `data/networks/<id>.yaml`, `data/policies/<id>.yaml`,
  `data/meetings/<date>-<body>.yaml`: networks, model policies, meetings.
- `schemas/`: what each file may hold (your editor uses them for completion
  and checks: every data file's first line names its schema).

## Installing nesa

{_install_text(source)}

## Getting started

```sh
nesa import gias edubasealldata<date>.csv --dry-run   # what would be created
nesa import gias edubasealldata<date>.csv --branch gias-import
nesa validate
nesa status
```

Download the "all establishment data" CSV from Get Information About Schools
(GIAS). The import creates a file for each school in your LA (membership
state `prospective`) and, when run again with a newer file, updates only the
fields GIAS owns.

## Everyday changes

Edit the YAML by hand, or use the commands; either way open a pull request.

```sh
nesa membership join 123456 --date 2026-09-01 --branch join-123456
nesa schools set 123456 phone="01234 567890" --commit
nesa networks add-member sencos 123456 --person "Sam Senco"
nesa policies adopt child-protection-safeguarding 123456 --date 2026-10-01 --body "Full governing body"
```

Every command validates the whole result before writing, keeps the file's
comments and layout, and with `--commit` commits only the files it changed.
Run `pre-commit install` once to validate before each commit.
"""


def _install_text(source: str | None) -> str:
    from nesa_cli.install_source import with_pdf

    if not source:
        return ("Where this team installs nesa from is not set yet: put it in\n"
                "`.github/workflows/validate.yml` (`NESA_PACKAGE`, step \"Install nesa\"),\n"
                "e.g. `git+https://github.com/<owner>/nesa@v0.2.0`, and install the same on\n"
                "your laptop with `python -m pip install '<that source>'`. CI fails until it is set.")
    return (f"CI installs `{source}` (`NESA_PACKAGE` in `.github/workflows/validate.yml`).\n"
            "On your laptop, in a virtual environment:\n\n"
            f"```sh\npython -m pip install '{source}'\n```\n\n"
            f"For PDF documents as well: `python -m pip install '{with_pdf(source)}'`\n"
            "(Typst: one wheel, nothing else to install).")


def _git(root: Path, *args: str, env: dict | None = None) -> str:
    from nesa_cli.store.gitrun import GitFailed, run

    try:
        return run(root, *args, env=env)
    except GitFailed as exc:
        raise InitError(str(exc)) from None


def _config(root: Path, key: str) -> str:
    from nesa_cli.store.gitrun import run

    return run(root, "config", "--get", key, quiet=True)


def create(directory: str | os.PathLike, *, name: str, short_name: str, la_codes: list[int], area: str | None = None,
           email: str | None = None, census_date: date | None = None, today: date,
           commit: bool = True, nesa_source: str | None = None) -> InitReport:
    """Create the repository. ``nesa_source``: the pip requirement CI installs
    nesa from (default: how the running nesa was installed, when a runner can
    reach that)."""
    from nesa_cli.resources import schemas_dir

    name = " ".join((name or "").split())
    if not name or re.search(r"[\x00-\x1f\x7f]", name):
        raise InitError("--name must be the alliance's name (text, no control characters)")
    if not re.fullmatch(r"[A-Z][A-Z0-9]{1,11}", short_name or ""):
        raise InitError(f"--short {short_name!r} must be 2-12 capital letters or digits starting with a letter, e.g. NESA")
    if not la_codes:
        raise InitError("give at least one --la code, e.g. --la 929")
    for code in la_codes:
        if not 100 <= code <= 999:
            raise InitError(f"--la {code} is not a three-digit DfE local authority code")
    if email and not re.fullmatch(r"[^@\s<>\"',;]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+", email):
        raise InitError(f"--email {email!r} is not an email address")
    root = Path(directory).expanduser()
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise InitError(f"{root} exists and is not empty; nesa init only creates a new repository in a new or empty folder")
    la_codes = list(dict.fromkeys(la_codes))
    from nesa_cli.install_source import SourceError, check, running

    try:
        source = check(nesa_source) if nesa_source is not None else running()
    except SourceError as exc:
        raise InitError(str(exc)) from None
    census = census_date or latest_census(today)
    root.mkdir(parents=True, exist_ok=True)
    root = root.resolve()
    report = InitReport(root, nesa_source=source)

    def write(rel: str, text: str) -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        report.files.append(rel)

    write("data/alliance.yaml", alliance_yaml(name, short_name, la_codes, area, email, census))
    for folder in FOLDERS:
        write(f"{folder}/.gitkeep", "")
    for schema in sorted(schemas_dir().glob("*.schema.json")):
        target = root / "schemas" / schema.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(schema, target)
        report.files.append(f"schemas/{schema.name}")
    write(".github/workflows/validate.yml", workflow_yaml(source))
    write(".pre-commit-config.yaml", PRE_COMMIT)
    write(".gitignore", GITIGNORE)
    write("README.md", readme(name, short_name, ", ".join(map(str, la_codes)), source))
    if not commit:
        _git(root, "init", "-q", "-b", "main")
        return report
    _git(root, "init", "-q", "-b", "main")
    env = dict(os.environ)
    user, mail = _config(root, "user.name"), _config(root, "user.email")
    if not (user and mail) and not (env.get("GIT_AUTHOR_NAME") and env.get("GIT_AUTHOR_EMAIL")):
        report.fallback_author = True
        for prefix in ("GIT_AUTHOR", "GIT_COMMITTER"):
            env[f"{prefix}_NAME"], env[f"{prefix}_EMAIL"] = FALLBACK_AUTHOR
    _git(root, "add", "-A", env=env)
    _git(root, "commit", "-q", "--no-verify", "-m", f"Start the {short_name} alliance repository (nesa init)", env=env)
    report.commit = _git(root, "rev-parse", "HEAD")
    report.author = _git(root, "log", "-1", "--format=%an <%ae>")
    return report
