"""What changed between two states of the data, in words a headteacher understands.

Works on the loaded data of the files that changed (a few files, not the whole
repository), with the newer model for names. Renames, additions and removals
of files are understood. Contact details marked private are never shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, Callable, Iterable

from nesa_cli.changes import PRIVATE, field_changes
from nesa_cli.kinds import kind_for


@dataclass(frozen=True)
class Change:
    area: str  # a kind's area (nesa_cli.kinds.areas())
    thing: str  # "Hawthorn First School"
    text: str  # "Hawthorn First School: pupils 412 -> 430 (census 2025-10-02)"
    path: str
    author: str | None = None
    commit: str | None = None
    date: str | None = None

    def as_dict(self) -> dict:
        return {"area": self.area, "thing": self.thing, "text": self.text, "path": self.path,
                "author": self.author, "commit": self.commit, "date": self.date}


@dataclass
class FileChange:
    """One changed file: its data before and after (None when absent)."""

    old_path: str | None
    new_path: str | None
    old: dict | None
    new: dict | None


Names = Callable[[int], str]


def _v(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _label(field: str) -> str:
    return field.replace("_", " ").replace(".", " ")


ROLE_WORDS = {
    "headteacher": "headteacher", "executive-headteacher": "executive headteacher", "head-of-school": "head of school",
    "deputy-headteacher": "deputy headteacher", "senco": "SENCO", "dsl": "designated safeguarding lead",
    "deputy-dsl": "deputy DSL", "school-business-manager": "school business manager", "office-manager": "office manager",
    "site-manager": "site manager", "chair-of-governors": "chair of governors", "clerk-to-governors": "clerk to governors",
}


def _role(role: str) -> str:
    return ROLE_WORDS.get(role, role.replace("-", " "))


# --- per kind ----------------------------------------------------------------


def _school(fc: FileChange, names: Names) -> list[tuple[str, str]]:
    new, old = fc.new, fc.old
    name = (new or old or {}).get("name", "a school")
    if old is None:
        history = new.get("membership") or [{}]
        last = history[-1].get("state", "prospective")
        if last == "member":
            return [(name, f"{name} joined (member from {history[-1].get('date')})")]
        return [(name, f"{name} added ({last} since {history[-1].get('date')})" if history[-1].get("date") else f"{name} added ({last})")]
    if new is None:
        return [(name, f"{name} removed from the data")]
    out: list[str] = []
    if old.get("name") != new.get("name"):
        out.append(f"{old.get('name')} is now called {new.get('name')}")
    # pupils: the latest census
    def latest(d):
        ps = sorted(d.get("pupils") or [], key=lambda p: p.get("census_date", ""))
        return ps[-1] if ps else None
    lo, ln = latest(old), latest(new)
    if ln and (not lo or lo != ln):
        before = f"{lo['count']} -> " if lo else ""
        out.append(f"{name}: pupils {before}{ln['count']} (census {ln['census_date']})")
    # membership: new entries
    om, nm = old.get("membership") or [], new.get("membership") or []
    for m in nm[len(om):] if nm[: len(om)] == om else [m for m in nm if m not in om]:
        state, day = m.get("state"), m.get("date")
        if state == "member":
            out.append(f"{name} joined (member from {day})")
        elif state == "withdrawn":
            reason = f": {m['reason']}" if m.get("reason") else ""
            out.append(f"{name} withdrew on {day}{reason}")
        elif state == "signed-up":
            out.append(f"{name} signed up on {day}")
        else:
            out.append(f"{name}: membership {state} from {day}")
    if nm[: len(om)] != om and len(nm) <= len(om):
        out.append(f"{name}: membership history corrected")
    # contacts by role
    out += _contacts(name, old.get("contacts") or [], new.get("contacts") or [])
    handled = {"name", "pupils", "membership", "contacts"}
    out += _generic(name, old, new, handled)
    return [(name, t) for t in out]


def _contacts(name: str, old: list, new: list) -> list[str]:
    out = []
    by_role_old: dict[str, list] = {}
    by_role_new: dict[str, list] = {}
    for c in old:
        by_role_old.setdefault(c.get("role"), []).append(c)
    for c in new:
        by_role_new.setdefault(c.get("role"), []).append(c)
    for role in list(by_role_new) + [r for r in by_role_old if r not in by_role_new]:
        o = {c.get("name"): c for c in by_role_old.get(role, [])}
        n = {c.get("name"): c for c in by_role_new.get(role, [])}
        added, gone = [x for x in n if x not in o], [x for x in o if x not in n]
        if len(added) == 1 and len(gone) == 1:
            out.append(f"{name}: {_role(role)} is now {added[0]} (was {gone[0]})")
            continue
        out += [f"{name}: new {_role(role)} {x}" for x in added]
        out += [f"{name}: {x} is no longer {_role(role)}" for x in gone]
        for person in set(o) & set(n):
            for ch in field_changes(o[person], n[person]):
                if ch.field == "private" or ch.field.startswith("private["):
                    continue
                if PRIVATE in (ch.old, ch.new):
                    out.append(f"{name}: {person}'s {ch.field} changed (not for circulation)")
                else:
                    out.append(f"{name}: {person}'s {_label(ch.field)} {_v(ch.old)} -> {_v(ch.new)}")
    return out


def _generic(name: str, old: dict, new: dict, handled: Iterable[str] = ()) -> list[str]:
    handled = set(handled)
    out = []
    for ch in field_changes({k: v for k, v in old.items() if k not in handled},
                            {k: v for k, v in new.items() if k not in handled}):
        if ch.kind == "added":
            out.append(f"{name}: {_label(ch.field)} set to {_v(ch.new)}")
        elif ch.kind == "removed":
            out.append(f"{name}: {_label(ch.field)} removed (was {_v(ch.old)})")
        else:
            out.append(f"{name}: {_label(ch.field)} {_v(ch.old)} -> {_v(ch.new)}")
    return out


def _network(fc: FileChange, names: Names) -> list[tuple[str, str]]:
    new, old = fc.new, fc.old
    name = (new or old or {}).get("name", "a network")
    if old is None:
        return [(name, f"New network: {name} ({len(new.get('members') or [])} members)")]
    if new is None:
        return [(name, f"Network {name} removed")]
    out = []
    ol, nl = old.get("lead") or {}, new.get("lead") or {}
    if ol != nl:
        who = lambda l: f"{l.get('person')} ({names(l.get('school'))})" if l else "nobody"  # noqa: E731
        out.append(f"{name}: lead is now {who(nl)} (was {who(ol)})")
    key = lambda m: (m.get("school"), m.get("person"))  # noqa: E731
    om = {key(m): m for m in old.get("members") or []}
    nm = {key(m): m for m in new.get("members") or []}
    for k, m in nm.items():
        if k not in om:
            out.append(f"{name}: {m.get('person')} ({names(m.get('school'))}) joined")
        elif m.get("until") and not om[k].get("until"):
            out.append(f"{name}: {m.get('person')} ({names(m.get('school'))}) left on {m['until']}")
        elif m != om[k]:
            out.append(f"{name}: {m.get('person')} ({names(m.get('school'))}) details updated")
    for k, m in om.items():
        if k not in nm:
            out.append(f"{name}: {m.get('person')} ({names(m.get('school'))}) removed")
    out += _generic(name, old, new, {"lead", "members"})
    return [(name, t) for t in out]


def _policy(fc: FileChange, names: Names) -> list[tuple[str, str]]:
    new, old = fc.new, fc.old
    title = (new or old or {}).get("title", "a policy")
    if old is None:
        vs = new.get("versions") or [{}]
        return [(title, f"New model policy: {title} (version {vs[-1].get('version')})")]
    if new is None:
        return [(title, f"Model policy {title} removed")]
    out = []
    ov = {v.get("version"): v for v in old.get("versions") or []}
    for v in new.get("versions") or []:
        if v.get("version") not in ov:
            summary = f": {v['summary']}" if v.get("summary") else ""
            out.append(f"{title}: version {v.get('version')} approved on {v.get('approved')}{summary}")
    oa = [(a.get("school"), a.get("version")) for a in old.get("adoptions") or []]
    for a in new.get("adoptions") or []:
        if (a.get("school"), a.get("version")) not in oa:
            out.append(f"{names(a.get('school'))} adopted {title} version {a.get('version')} on {a.get('date')}")
    out += _generic(title, old, new, {"versions", "adoptions"})
    return [(title, t) for t in out]


def _money(value: Any) -> str:
    from nesa_cli.render import money

    try:
        return money(value)
    except Exception:  # noqa: BLE001 - odd data is described, not fatal
        return _v(value)


def _invoice(fc: FileChange, names: Names) -> list[tuple[str, str]]:
    new, old = fc.new, fc.old
    number = (new or old or {}).get("number", PurePosixPath(fc.new_path or fc.old_path or "").stem)
    thing = f"Invoice {number}"
    if old is None:
        to = new.get("to") or {}
        who = names(to.get("school")) if isinstance(to, dict) and to.get("school") else (to.get("name") if isinstance(to, dict) else to)
        total = (new.get("totals") or {}).get("total") if isinstance(new.get("totals"), dict) else new.get("total")
        kind = "Credit note" if (new.get("type") == "credit-note" or new.get("credit_note_for") or new.get("credits")) else "Invoice"
        return [(thing, f"{kind} {number} issued to {who or 'unknown'}" + (f" for {_money(total)}" if total is not None else ""))]
    if new is None:
        return [(thing, f"{thing} file removed (invoices should never be deleted)")]
    out = []
    os_, ns = _status(old), _status(new)
    if os_ != ns:
        if ns == "paid":
            status = new.get("status")
            paid = new.get("paid_on") or (status.get("date") if isinstance(status, dict) else None)
            out.append(f"{thing} paid" + (f" on {paid}" if paid else ""))
        elif ns == "void":
            reason = new.get("void_reason") or ((new.get("status") or {}).get("reason") if isinstance(new.get("status"), dict) else None)
            out.append(f"{thing} void" + (f": {reason}" if reason else ""))
        else:
            out.append(f"{thing}: status {os_} -> {ns}")
    return [(thing, t) for t in out] or [(thing, t) for t in _generic(thing, old, new, {"status", "paid_on", "void_reason"})]


def _status(d: dict) -> str | None:
    s = d.get("status")
    return s.get("state") if isinstance(s, dict) else s


def _meeting(fc: FileChange, names: Names) -> list[tuple[str, str]]:
    new, old = fc.new, fc.old
    d = new or old or {}
    thing = d.get("title") or f"{d.get('body', 'meeting')} meeting on {d.get('date')}"
    if old is None:
        return [(thing, f"Meeting added: {thing}")]
    if new is None:
        return [(thing, f"Meeting removed: {thing}")]
    out = []
    if old.get("date") != new.get("date"):
        out.append(f"{thing}: moved from {old.get('date')} to {new.get('date')}")
    oa = {str(a.get("id") or i): a for i, a in enumerate(old.get("actions") or [])}
    for i, a in enumerate(new.get("actions") or []):
        k = str(a.get("id") or i)
        text = a.get("action") or a.get("text") or k
        if k not in oa:
            out.append(f"{thing}: new action: {text}")
        elif (oa[k].get("status") != a.get("status")) and a.get("status") == "done":
            out.append(f"{thing}: action done: {text}")
    if (new.get("attendance") and not old.get("attendance")):
        out.append(f"{thing}: attendance recorded")
    if len(new.get("decisions") or []) > len(old.get("decisions") or []):
        out.append(f"{thing}: {len(new['decisions']) - len(old.get('decisions') or [])} decision(s) recorded")
    if not out:
        out = _generic(thing, old, new, {"attendance", "decisions", "actions"}) or [f"{thing}: details updated"]
    return [(thing, t) for t in out]


def _other(fc: FileChange, names: Names) -> list[tuple[str, str]]:
    d = fc.new or fc.old or {}
    thing = str(d.get("name") or d.get("title") or d.get("id") or d.get("year") or PurePosixPath(fc.new_path or fc.old_path).stem)
    if fc.old is None:
        return [(thing, f"Added: {thing}")]
    if fc.new is None:
        return [(thing, f"Removed: {thing}")]
    return [(thing, t) for t in _generic(thing, fc.old, fc.new)]


def describe(files: list[FileChange], names: Names) -> list[Change]:
    """Each changed file's changes in words, by its kind's describer (a
    field-by-field account for kinds without one)."""
    out = []
    for fc in files:
        path = fc.new_path or fc.old_path
        kind = kind_for(path)
        area = kind.area if kind else "other"
        fn = (kind.describer() if kind else None) or _other
        if fc.old is not None and fc.new is not None and fc.old == fc.new:
            if fc.old_path != fc.new_path:
                thing = str(fc.new.get("name") or fc.new.get("title") or fc.new_path)
                out.append(Change(area, thing, f"{thing}: file moved to {fc.new_path}", path))
            continue
        for thing, text in fn(fc, names):
            out.append(Change(area, thing, text, path))
    return out
