"""Contact details marked not for circulation never leave the repository by
accident: every read command, in every output format, is run on the sample
alliance and its output searched for every private value. Only the explicit
--include-private shows them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import git
from nesa_cli.cli import app
from nesa_cli.store import WorkingTree
from nesa_cli.validate.run import load

runner = CliRunner()
TODAY = "2026-11-23"


def private_values(repo: Path) -> dict[str, str]:
    """Each private contact value (that is not also written somewhere as public) -> its school's URN."""
    model = load(WorkingTree(repo)).model
    public = set()
    for s in model.schools.values():
        public |= {s.phone, s.email}
        for c in s.contacts:
            public |= {getattr(c, f) for f in ("email", "phone", "mobile") if f not in c.private}
    found = {}
    for s in model.schools.values():
        for c in s.contacts:
            for f in c.private:
                value = getattr(c, f)
                if value and value not in public:
                    found[value] = str(s.urn)
    return found


def run(repo: Path, *args: str) -> str:
    r = runner.invoke(app, ["-C", str(repo), "--today", TODAY, *args], catch_exceptions=False)
    assert r.exit_code in (0, 1), (args, r.output)
    return r.output


def outputs(repo: Path, tmp: Path, urns: set[str]) -> dict[str, str]:
    model = load(WorkingTree(repo)).model
    out: dict[str, str] = {}
    listings = [["schools", "list"], ["networks", "list"], ["policies", "list"], ["policies", "due"], ["membership", "report"],
                ["meetings", "list"], ["actions", "list", "--all"], ["equity"], ["broker", "send"], ["impact", "2025-26"],
                ["engagement"], ["finance", "contributions", "2025-26"], ["invoices", "list"], ["partnerships", "propose"]]
    for args in listings:
        for fmt in ([], ["--json"], ["--csv"]):
            if args[0] == "partnerships" and fmt == ["--csv"]:
                continue
            out[" ".join(args + fmt)] = run(repo, *args, *fmt)
    for urn in sorted(urns):
        for fmt in ([], ["--json"]):
            out[f"schools show {urn} {fmt}"] = run(repo, "schools", "show", urn, *fmt)
        out[f"history {urn}"] = run(repo, "history", urn)
        out[f"history {urn} --json"] = run(repo, "history", urn, "--json")
    for s in model.schools.values():
        if str(s.urn) in urns:
            for c in s.contacts:
                for fmt in ([], ["--json"], ["--csv"]):
                    out[f"people find {c.name} {fmt}"] = run(repo, "people", "find", c.name, *fmt)
    for nid in model.networks:
        out[f"networks show {nid}"] = run(repo, "networks", "show", nid, "--json")
    for fmt in ("html", "csv", "vcf"):
        out[f"contacts {fmt}"] = run(repo, "contacts", "--format", fmt)
    pdf = tmp / "contacts.pdf"
    run(repo, "contacts", "--format", "pdf", "-o", str(pdf))
    from pypdf import PdfReader

    out["contacts pdf"] = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    meetings = sorted(model.other.get("meeting") or {})
    for mid in meetings:
        out[f"meetings show {mid}"] = run(repo, "meetings", "show", mid)
    for mid in meetings[-3:]:
        for fmt in ("md", "html"):
            out[f"agenda {mid} {fmt}"] = run(repo, "agenda", mid, "--format", fmt, "--confidential")
    out["calendar"] = run(repo, "calendar")
    html = tmp / "digest.html"
    out["digest"] = run(repo, "digest", "--since", "3650d", "--html", str(html))
    out["digest html"] = html.read_text(encoding="utf-8")
    out["digest json"] = run(repo, "digest", "--since", "3650d", "--json")
    out["status"] = run(repo, "status")
    out["validate"] = run(repo, "validate")
    for number in sorted(model.other.get("invoice") or {})[:5]:
        out[f"invoices show {number}"] = run(repo, "invoices", "show", number, "--json")
    return out


@pytest.mark.pdf
@pytest.mark.slow
def test_no_output_shows_a_private_value(sample, tmp_path):
    secrets = private_values(sample)
    assert len(secrets) >= 10  # the sample marks mobiles, home numbers and personal emails private
    # a change to a private value, committed: the diff and the digest say it changed, not what to
    urn = next(iter(sorted(set(secrets.values()))))
    path = sample / "data" / "schools" / f"{urn}.yaml"
    text = path.read_text(encoding="utf-8")
    value = next(v for v, u in secrets.items() if u == urn and f'"{v}"' in text or f" {v}\n" in text and u == urn)
    changed = re.sub(r"\d(?=\d\d\b)", "9", value) if any(ch.isdigit() for ch in value) else "new." + value
    path.write_text(text.replace(value, changed, 1), encoding="utf-8")
    git(sample, "commit", "-qam", "Private value changed")
    secrets[changed] = urn
    seen = outputs(sample, tmp_path, set(secrets.values()))
    seen["diff"] = run(sample, "diff", "HEAD~1..HEAD")
    seen["diff json"] = run(sample, "diff", "HEAD~1..HEAD", "--json")
    assert "changed" in seen["diff"] or "mobile" in seen["diff"] or "phone" in seen["diff"] or "email" in seen["diff"]
    leaks = [(name, value) for name, text in seen.items() for value in secrets if value in text]
    assert not leaks, leaks[:10]


@pytest.mark.parametrize("args", [["people", "find", "{name}", "--include-private"],
                                  ["schools", "show", "{urn}", "--include-private"],
                                  ["contacts", "--school", "{urn}", "--format", "csv", "--include-private"]])
@pytest.mark.shared_sample
def test_include_private_shows_them(sample, args):
    secrets = private_values(sample)
    model = load(WorkingTree(sample)).model
    value, urn = next(iter(sorted(secrets.items())))
    contact = next(c for c in model.schools[int(urn)].contacts if value in (c.email, c.phone, c.mobile))
    filled = [a.format(name=contact.name, urn=urn) for a in args]
    assert value in run(sample, *filled)
    assert value not in run(sample, *[a for a in filled if a != "--include-private"])
