"""Merging a GIAS extract into the alliance: new files for new establishments,
GIAS-owned fields updated in existing ones, closures flagged (see :mod:`nesa_cli.gias`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from nesa_cli.gias.read import LOCAL_PHASES, OWNED, OWNED_BLOCKS, Establishment, postcode, read


@dataclass
class Options:
    la_codes: list[int] | None = None  # default: the alliance's la_codes
    urns: list[int] | None = None
    phases: list[str] | None = None
    types: list[str] | None = None  # default: the alliance's eligible types
    all_types: bool = False
    heads: bool = True


@dataclass
class Report:
    file: str
    encoding: str
    rows: int
    created: list[dict] = field(default_factory=list)
    changed: list[dict] = field(default_factory=list)
    flagged: list[dict] = field(default_factory=list)
    unchanged: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    missing: list[dict] = field(default_factory=list)  # alliance schools the file does not list
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"file": self.file, "encoding": self.encoding, "rows": self.rows, "created": self.created,
                "changed": self.changed, "flagged": self.flagged, "unchanged": self.unchanged,
                "skipped": self.skipped, "missing": self.missing, "problems": self.problems}

    def lines(self) -> list[str]:
        out = [f"read {self.rows} rows from {self.file} ({self.encoding})"]
        for c in self.created:
            out.append(f"new: {c['name']} ({c['urn']}), {c['phase']}, {c['type']}, prospective")
        for c in self.changed:
            for change in c["changes"]:
                out.append(f"changed: {c['name']} ({c['urn']}): {change}")
        for f in self.flagged:
            when = f" on {f['close_date']}" if f.get("close_date") else ""
            out.append(f"flagged: {f['name']} ({f['urn']}) is {f['status'].replace('-', ' ')} in GIAS{when}")
        for m in self.missing:
            out.append(f"not in the file: {m['name']} ({m['urn']})")
        for p in self.problems:
            out.append(f"skipped: {p}")
        skipped = ", ".join(f"{n} {why}" for why, n in sorted(self.skipped.items()) if n)
        out.append(f"{len(self.created)} new, {len(self.changed)} changed, {self.unchanged} unchanged"
                   + (f"; not imported: {skipped}" if skipped else ""))
        return out


# --- merging ----------------------------------------------------------------------------------


def _get(data: dict, dotted: str):
    node = data
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _same(dotted: str, current, new) -> bool:
    if dotted == "religious_character" and current is None and new == "none":
        return True  # absent means none
    if current is None:
        return False
    if dotted == "phone":
        return re.sub(r"\D", "", str(current)) == re.sub(r"\D", "", str(new))
    if dotted == "website":
        norm = lambda u: re.sub(r"^https?://", "", str(u).strip().lower()).rstrip("/")  # noqa: E731
        return norm(current) == norm(new)
    if dotted == "phase":
        return current == new or current in LOCAL_PHASES.get(new, ())
    if dotted == "address.postcode":
        return postcode(str(current)) == new
    return current == new


def differences(current: dict, est: Establishment) -> list[tuple[str, object, object]]:
    """(field, old, new) for every GIAS-owned field where GIAS says something else."""
    out = []
    for dotted in OWNED:
        if dotted not in est.fields:
            continue
        new = est.fields[dotted]
        if dotted == "phase" and new is None:
            continue
        old = _get(current, dotted)
        if not _same(dotted, old, new):
            out.append((dotted, old, new))
    return out


def _pupils_change(current: dict, est: Establishment) -> str | None:
    if not est.census:
        return None
    day, count = est.census
    for p in current.get("pupils") or []:
        if str(p.get("census_date")) == day.isoformat():
            return None if p.get("count") == count else f"pupils {p.get('count')} -> {count} (census {day})"
    return f"pupils {count} (census {day})"


def _gias_block(est: Establishment) -> dict | None:
    if est.status == "open":
        return None
    block = {"status": est.status}
    if est.close_date:
        block["close_date"] = est.close_date
    return block


def _same_block(current, wanted) -> bool:
    if not current and not wanted:
        return True
    if not current or not wanted:
        return False
    return {k: str(v) for k, v in dict(current).items()} == {k: str(v) for k, v in wanted.items()}


def import_into(tx, path: str | Path, opts: Options) -> Report:
    """Read the GIAS file and plan the changes in ``tx`` (a Transaction)."""
    from nesa_cli.edit import operations as ops
    from nesa_cli.edit import roundtrip

    alliance = tx.model.alliance
    la_codes = set(opts.la_codes or (alliance.la_codes if alliance else ()))
    urns = set(opts.urns or ())
    types = set(opts.types or (alliance.eligible_types if alliance and not opts.all_types else ()))
    known: dict[int, str] = {}
    for doc_path, kind in tx.result.kinds.items():
        if kind.name == "school":
            stem = Path(doc_path).stem
            if stem.isdigit():
                known[int(stem)] = doc_path

    def keep(urn: int, la: int | None) -> bool:
        if urn in known:
            return True
        if urns:
            return urn in urns
        return la in la_codes

    extract = read(path, keep)
    _trust_kinds(extract)  # issue 20
    report = Report(Path(path).name, extract.encoding, extract.rows, problems=list(extract.problems))
    skipped = report.skipped
    for urn in sorted(extract.establishments):
        est = extract.establishments[urn]
        name = est.fields.get("name", str(urn))
        if urn in known:
            if urns and urn not in urns:
                continue
            _update(tx, known[urn], est, opts, report)
            continue
        if est.status == "closed":
            skipped["closed"] = skipped.get("closed", 0) + 1
            continue
        if not urns:
            if types and est.fields["type"] not in types:
                skipped["of other types"] = skipped.get("of other types", 0) + 1
                continue
            if opts.phases and est.fields.get("phase") not in opts.phases:
                skipped["of other phases"] = skipped.get("of other phases", 0) + 1
                continue
            if alliance and alliance.eligible_governance and not opts.all_types and not _governance_fits(alliance, est):
                skipped["of other governance"] = skipped.get("of other governance", 0) + 1  # issue 20
                continue
        if est.problem:
            report.problems.append(f"{name} ({urn}): {est.problem}; add it by hand with nesa schools add")
            continue
        doc = roundtrip.new_map({"urn": urn})
        for dotted in OWNED:
            if dotted in est.fields:
                ops._set(doc, "school", dotted.split("."), est.fields[dotted])
        if est.census:
            ops._set_pupils(doc, est.census[1], est.census[0])
        ops.put(doc, "membership", [{"state": "prospective", "date": tx.today}], ops.key_order("school", []))
        if est.head and opts.heads:
            role = "executive-headteacher" if (est.head_title or "").lower().startswith("executive") else "headteacher"
            contact = {"role": role, "name": est.head}
            if est.head_title and est.head_title.lower() not in ("headteacher", "head teacher", "executive headteacher"):
                contact["title"] = est.head_title
            ops.put(doc, "contacts", [contact], ops.key_order("school", []))
        block = _gias_block(est)
        if block:
            ops.put(doc, "gias", block, ops.key_order("school", []))
        tx.create(ops.school_path(urn), doc, ops.header("school"))
        report.created.append({"urn": urn, "name": name, "phase": est.fields.get("phase"), "type": est.fields["type"]})
        tx.note(f"new: {name} ({urn}), {est.fields.get('phase')}, {est.fields['type']}, prospective")
    for urn, doc_path in sorted(known.items()):
        if urn not in extract.establishments and not urns:
            data = tx.result.documents[doc_path].data
            if isinstance(data, dict) and (opts.la_codes is None or (data.get("laestab") or 0) // 10000 in la_codes):
                report.missing.append({"urn": urn, "name": data.get("name", "")})
    total = len(report.created) + len(report.changed)
    tx.subject = (f"GIAS import ({report.file}): {len(report.created)} new, {len(report.changed)} changed"
                  if total else f"GIAS import ({report.file})")
    return report


def _update(tx, doc_path: str, est: Establishment, opts: Options, report: Report) -> None:
    from nesa_cli.edit import operations as ops

    current = tx.result.documents[doc_path].data
    if not isinstance(current, dict):
        report.problems.append(f"{doc_path}: not updated because the file cannot be read (see nesa validate)")
        return
    name = current.get("name") or est.fields.get("name") or str(est.urn)
    diffs = differences(current, est)
    pupils = _pupils_change(current, est)
    head_change = None
    head_index = None
    if opts.heads and est.head:
        contacts = current.get("contacts") or []
        head_index = ops.head_contact_index({"contacts": contacts})
        if head_index is None:
            head_change = f"headteacher {est.head} added as a contact"
        elif contacts[head_index].get("name") != est.head:
            head_change = (f"headteacher {contacts[head_index].get('name')} -> {est.head} "
                           "(check the contact's email and any network or meeting that names them)")
    wanted_block = _gias_block(est)
    block_change = not _same_block(current.get("gias"), wanted_block)
    # issue 20: a trust or federation the row no longer lists (and, in a trust, a kind it does not give) goes
    gone = [b for b in OWNED_BLOCKS if isinstance(current.get(b), dict) and not any(f.startswith(b + ".") for f in est.fields)]
    stale_kind = (isinstance(current.get("trust"), dict) and "trust" not in gone and current["trust"].get("type")
                  and "trust.type" not in est.fields and est.fields.get("trust.name") != current["trust"].get("name"))
    if not (diffs or pupils or head_change or block_change or gone or stale_kind):
        report.unchanged += 1
        return
    doc = tx.doc(doc_path)
    changes = []
    for dotted, old, new in diffs:
        ops._set(doc, "school", dotted.split("."), new)
        changes.append(f"{dotted} {'(none)' if old is None else old} -> {new}")
    for b in gone:
        changes.append(f"{b} {current[b].get('name')} removed (GIAS lists none)")
        del doc[b]
    if stale_kind:
        del doc["trust"]["type"]
        changes.append(f"trust.type {current['trust']['type']} removed (GIAS does not say it for the new trust)")
    if pupils:
        ops._set_pupils(doc, est.census[1], est.census[0])
        changes.append(pupils)
    if head_change:
        if head_index is None:
            role = "executive-headteacher" if (est.head_title or "").lower().startswith("executive") else "headteacher"
            ops.append_entry(doc, "contacts", {"role": role, "name": est.head}, "school")
        else:
            doc["contacts"][head_index]["name"] = est.head
        changes.append(head_change)
    if block_change:
        if wanted_block is None:
            del doc["gias"]
            changes.append("open again in GIAS (closure flag removed)")
        else:
            from nesa_cli.edit import roundtrip

            if "gias" in doc:
                doc["gias"] = roundtrip.new_map(wanted_block)
            else:
                ops.put(doc, "gias", wanted_block, ops.key_order("school", []))
            report.flagged.append({"urn": est.urn, "name": name, "status": est.status,
                                   "close_date": est.close_date.isoformat() if est.close_date else None})
            when = f" on {est.close_date}" if est.close_date else ""
            changes.append(f"{est.status.replace('-', ' ')} in GIAS{when}")
    report.changed.append({"urn": est.urn, "name": name, "changes": changes})
    for c in changes:
        tx.note(f"{name} ({est.urn}): {c}")


# --- issue 20: trusts ---------------------------------------------------------------------------


def _trust_kinds(extract) -> None:
    """A trust GIAS gives without TrustSchoolFlag is a MAT when the file lists two or more open
    establishments with its code (a SAT has one academy); otherwise its kind stays unsaid."""
    for est in extract.establishments.values():
        code = est.fields.get("trust.code")
        if code and "trust.type" not in est.fields and extract.trust_counts.get(f"code:{code}", 0) >= 2:
            est.fields["trust.type"] = "mat"


def _governance_fits(alliance, est) -> bool:
    """A new establishment's governance is one the alliance admits (not known: imported, and
    nesa validate says so once it joins)."""
    from types import SimpleNamespace

    from nesa_cli.governance import governance_ok

    trust = {k.split(".", 1)[1]: v for k, v in est.fields.items() if k.startswith("trust.")} or None
    ok, _ = governance_ok(alliance, SimpleNamespace(type=est.fields["type"], trust=trust))
    return ok is not False
