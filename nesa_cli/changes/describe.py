"""What changed between two states of the data, in words a headteacher understands.

Works on the loaded data of the files that changed (a few files, not the whole
repository), with the newer model for names. Renames, additions and removals
of files are understood. Contact details marked private are never shown.
Each change says which schools it concerns (for a school's own digest) and,
when it is one of many alike, the line that sums them up (``group``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, Callable, Iterable

from nesa_cli.changes.fields import Item, deltas, same
from nesa_cli.changes.labels import item_name, money, place, schema_for, value_text, words
from nesa_cli.kinds import kind_for
from nesa_cli.privacy import PRIVATE, Masked



@dataclass(frozen=True)
class Change:
    area: str  # its kind's area (nesa_cli.kinds.areas())
    thing: str  # "Hawthorn First School"
    text: str  # "Hawthorn First School: pupils 412 -> 430 (census 2025-10-02)"
    path: str
    author: str | None = None
    commit: str | None = None
    date: str | None = None
    group: str | None = None  # "{n} schools joined": alike changes summed up in one line
    member: str | None = None  # this change's part of that line: "Rothbury First School"
    schools: tuple = ()  # URNs of the schools it concerns

    def as_dict(self) -> dict:
        return {"area": self.area, "thing": self.thing, "text": self.text, "path": self.path,
                "author": self.author, "commit": self.commit, "date": self.date, "schools": list(self.schools)}


@dataclass
class FileChange:
    """One changed file: its data before and after (None when absent)."""

    old_path: str | None
    new_path: str | None
    old: dict | None
    new: dict | None


Names = Callable[[int], str]


@dataclass(frozen=True)
class Said:
    """A describer's sentence, before it becomes a Change."""

    thing: str
    text: str
    group: str | None = None
    member: str | None = None
    schools: tuple = ()


def _v(value: Any) -> str:
    return value_text(value, {}, lambda u: f"URN {u}")


ROLE_WORDS = {
    "headteacher": "headteacher", "executive-headteacher": "executive headteacher", "head-of-school": "head of school",
    "deputy-headteacher": "deputy headteacher", "senco": "SENCO", "dsl": "designated safeguarding lead",
    "deputy-dsl": "deputy DSL", "school-business-manager": "school business manager", "office-manager": "office manager",
    "site-manager": "site manager", "chair-of-governors": "chair of governors", "clerk-to-governors": "clerk to governors",
    "governor-representative": "governor representative",
}


def _role(role: str) -> str:
    return ROLE_WORDS.get(role, str(role).replace("-", " "))


def _urn(value) -> tuple:
    return (value,) if isinstance(value, int) else ()


# --- any record: its fields in words ---------------------------------------------


def generic(kind: str | None, name: str, old: dict, new: dict, names: Names, handled: Iterable[str] = (),
            schools: tuple = ()) -> list[Said]:
    """Each change of the fields not ``handled``, labelled from the schema's titles."""
    root = schema_for(kind)
    handled = set(handled)
    ds = deltas({k: v for k, v in old.items() if k not in handled}, {k: v for k, v in new.items() if k not in handled})
    out: list[Said] = []
    # items added to (or removed from) one list of plain values: one sentence
    lists: dict[tuple, list] = {}
    for d in ds:
        last = d.steps[-1] if d.steps else None
        if isinstance(last, Item) and d.kind != "changed" and not isinstance(d.new if d.old is None else d.old, (dict, list)):
            lists.setdefault((d.steps[:-1], d.kind), []).append(d)
            continue
        out.append(_said(root, name, d, names, schools, kind))
    for (steps, kind_), items in lists.items():
        where, node = place(root, steps, names)
        inner = node.get("items") if isinstance(node.get("items"), dict) else {}
        from nesa_cli.changes.labels import _resolve

        inner = _resolve(root, inner)
        values = [item_name(d.new if d.old is None else d.old, inner, names) for d in items]
        verb = "added" if kind_ == "added" else "removed"
        out.append(Said(name, f"{name}: {where}: {_and(values)} {verb}", schools=schools))
    return out


def _and(values: list[str]) -> str:
    values = [v for v in values if v]
    if len(values) <= 1:
        return "".join(values)
    return ", ".join(values[:-1]) + " and " + values[-1]


_PLURAL = {"school": "schools", "network": "networks", "policy": "policies", "activity": "activities",
           "meeting": "meetings", "invoice": "invoices", "finance-year": "financial years", "alliance": "alliances"}


def _said(root: dict, name: str, d, names: Names, schools: tuple, kind: str | None = None) -> Said:
    where, node = place(root, d.steps, names)
    last = d.steps[-1] if d.steps else None
    if isinstance(last, Item) and d.kind != "changed":
        # a whole item: one sentence, not one per field
        where_list, list_node = place(root, d.steps[:-1], names)
        from nesa_cli.changes.labels import child

        inner = child(root, list_node, last)
        noun = words(inner.get("title") or "item")
        item = d.new if d.old is None else d.old
        what = _item_sentence(item, inner, names)
        text = f"{name}: {('new ' + noun) if d.kind == 'added' else noun + ' removed'}: {what}" if what else \
            f"{name}: {noun} {'added to' if d.kind == 'added' else 'removed from'} {where_list}"
        return Said(name, text, group=f"{{n}} {noun}s {d.kind}" if noun else None, member=f"{name}: {what}" if what else name,
                    schools=schools)
    if isinstance(d.old, Masked) or isinstance(d.new, Masked):
        return Said(name, f"{name}: {where} changed {PRIVATE}", schools=schools)
    group = f"{where[0].upper() + where[1:]} changed for {{n}} {_PLURAL.get(kind, 'records')}" if where else None
    if d.kind == "added":
        return Said(name, f"{name}: {where} set to {value_text(d.new, node, names)}", group, name, schools)
    if d.kind == "removed":
        return Said(name, f"{name}: {where} removed (was {value_text(d.old, node, names)})", group, name, schools)
    if isinstance(d.new, str) and len(d.new) > 60 or isinstance(d.old, str) and len(d.old) > 60:
        return Said(name, f"{name}: {where} now reads: {value_text(d.new, node, names, 120)}", group, name, schools)
    return Said(name, f"{name}: {where} {value_text(d.old, node, names)} -> {value_text(d.new, node, names)}", group, name, schools)


def _item_sentence(item: Any, node: dict, names: Names) -> str:
    """A list item in one phrase: a finance entry as '£450.00 on 2026-05-01: Supply cover'."""
    if isinstance(item, dict) and "amount" in item:
        bits = [money(item["amount"])]
        if item.get("date"):
            bits.append(f"on {item['date']}")
        if item.get("school"):
            bits.append(f"for {names(item['school'])}")
        text = " ".join(bits)
        if item.get("description"):
            text += f": {value_text(item['description'], {}, names, 80)}"
        return text
    return item_name(item, node, names)


# --- per kind ----------------------------------------------------------------


def _school(fc: FileChange, names: Names) -> list[Said]:
    new, old = fc.new, fc.old
    d = new or old or {}
    name = d.get("name", "a school")
    urn = _urn(d.get("urn"))
    if old is None:
        history = new.get("membership") or [{}]
        last = history[-1].get("state", "prospective")
        if last == "member":
            return [Said(name, f"{name} joined (member from {history[-1].get('date')})", "{n} schools joined", name, urn)]
        text = f"{name} added ({last} since {history[-1].get('date')})" if history[-1].get("date") else f"{name} added ({last})"
        return [Said(name, text, "{n} schools added (not members)", f"{name} ({last})", urn)]
    if new is None:
        return [Said(name, f"{name} removed from the data", "{n} schools removed from the data", name, urn)]
    out: list[str] = []
    if old.get("name") != new.get("name"):
        out.append(f"{old.get('name')} is now called {new.get('name')}")

    def latest(d):
        ps = sorted(d.get("pupils") or [], key=lambda p: str(p.get("census_date", "")))
        return ps[-1] if ps else None

    lo, ln = latest(old), latest(new)
    if ln and (not lo or not same(lo, ln)):
        before = f"{lo['count']} -> " if lo else ""
        out.append(f"{name}: pupils {before}{ln['count']} (census {ln['census_date']})")
    om, nm = old.get("membership") or [], new.get("membership") or []
    for m in [m for m in nm if not any(same(m, o) for o in om)]:
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
    if any(not any(same(o, m) for m in nm) for o in om):
        out.append(f"{name}: membership history corrected")
    said = [Said(name, t, schools=urn) for t in out]
    said += _contacts(name, old.get("contacts") or [], new.get("contacts") or [], names, urn)
    from nesa_cli.designations import changes_in_words  # designations and categories (issue 20)

    said += [Said(name, t, schools=urn) for t in changes_in_words(name, old, new)]
    said += generic("school", name, old, new, names, {"name", "pupils", "membership", "contacts", "designations", "categories"}, urn)
    return said


def _contacts(name: str, old: list, new: list, names: Names, urn: tuple) -> list[Said]:
    root = schema_for("school")
    from nesa_cli.changes.labels import child

    contact = child(root, child(root, root, "contacts"), Item(0))
    out: list[Said] = []
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
            out.append(Said(name, f"{name}: {_role(role)} is now {added[0]} (was {gone[0]})", schools=urn))
            continue
        out += [Said(name, f"{name}: new {_role(role)} {x}", schools=urn) for x in added]
        out += [Said(name, f"{name}: {x} is no longer {_role(role)}", schools=urn) for x in gone]
        for person in [p for p in n if p in o]:
            for d in deltas(o[person], n[person]):
                if d.steps and d.steps[0] == "private":
                    continue
                where, node = place(contact, d.steps, names)
                group = f"{name}: {where} changed for {{n}} contacts"
                if isinstance(d.old, Masked) or isinstance(d.new, Masked):
                    out.append(Said(name, f"{name}: {person}'s {where} changed {PRIVATE}", group, person, urn))
                elif d.kind == "added":
                    out.append(Said(name, f"{name}: {person}'s {where} set to {value_text(d.new, node, names)}", group, person, urn))
                elif d.kind == "removed":
                    out.append(Said(name, f"{name}: {person}'s {where} removed", group, person, urn))
                else:
                    out.append(Said(name, f"{name}: {person}'s {where} {value_text(d.old, node, names)} -> {value_text(d.new, node, names)}",
                                    group, person, urn))
    return out


def _network(fc: FileChange, names: Names) -> list[Said]:
    new, old = fc.new, fc.old
    name = (new or old or {}).get("name", "a network")
    if old is None:
        n = len(new.get("members") or [])
        return [Said(name, f"New network: {name} ({n} members)", "{n} new networks", f"{name} ({n} members)")]
    if new is None:
        return [Said(name, f"Network {name} removed", "{n} networks removed", name)]
    out: list[Said] = []
    ol, nl = old.get("lead") or {}, new.get("lead") or {}
    if not same(ol, nl):
        who = lambda l: f"{l.get('person')} ({names(l.get('school'))})" if l else "nobody"  # noqa: E731
        out.append(Said(name, f"{name}: lead is now {who(nl)} (was {who(ol)})", schools=_urn(nl.get("school")) + _urn(ol.get("school"))))
    key = lambda m: (m.get("school"), m.get("person"))  # noqa: E731
    om = {key(m): m for m in old.get("members") or []}
    nm = {key(m): m for m in new.get("members") or []}
    for k, m in nm.items():
        who = f"{m.get('person')} ({names(m.get('school'))})"
        urn = _urn(m.get("school"))
        if k not in om:
            out.append(Said(name, f"{name}: {who} joined", f"{name}: {{n}} new members", who, urn))
        elif m.get("until") and not om[k].get("until"):
            out.append(Said(name, f"{name}: {who} left on {m['until']}", f"{name}: {{n}} members left", who, urn))
        elif not same(m, om[k]):
            out.append(Said(name, f"{name}: {who} details updated", f"{name}: {{n}} members' details updated", who, urn))
    for k, m in om.items():
        if k not in nm:
            who = f"{m.get('person')} ({names(m.get('school'))})"
            out.append(Said(name, f"{name}: {who} removed", f"{name}: {{n}} members removed", who, _urn(m.get("school"))))
    out += generic("network", name, old, new, names, {"lead", "members"})
    return out


def _policy(fc: FileChange, names: Names) -> list[Said]:
    new, old = fc.new, fc.old
    title = (new or old or {}).get("title", "a policy")
    if old is None:
        vs = new.get("versions") or [{}]
        v = vs[-1].get("version")
        said = [Said(title, f"New model policy: {title} (version {v})", "{n} new model policies", f"{title} (version {v})")]
        return said + [_adoption(title, a, names) for a in new.get("adoptions") or []]
    if new is None:
        return [Said(title, f"Model policy {title} removed")]
    out: list[Said] = []
    ov = {str(v.get("version")): v for v in old.get("versions") or []}
    for v in new.get("versions") or []:
        if str(v.get("version")) not in ov:
            summary = f": {v['summary']}" if v.get("summary") else ""
            out.append(Said(title, f"{title}: version {v.get('version')} approved on {v.get('approved')}{summary}"))
    oa = {(a.get("school"), str(a.get("version"))) for a in old.get("adoptions") or []}
    for a in new.get("adoptions") or []:
        if (a.get("school"), str(a.get("version"))) not in oa:
            out.append(_adoption(title, a, names))
    out += generic("policy", title, old, new, names, {"versions", "adoptions"})
    return out


def _adoption(title: str, a: dict, names: Names) -> Said:
    school = names(a.get("school"))
    return Said(title, f"{school} adopted {title} version {a.get('version')} on {a.get('date')}",
                f"{title} version {a.get('version')} adopted by {{n}} schools", school, _urn(a.get("school")))


def _invoice(fc: FileChange, names: Names) -> list[Said]:
    new, old = fc.new, fc.old
    number = (new or old or {}).get("number", PurePosixPath(fc.new_path or fc.old_path or "").stem)
    thing = f"Invoice {number}"
    to = (new or old or {}).get("to") or {}
    urn = _urn(to.get("school")) if isinstance(to, dict) else ()
    if old is None:
        who = names(to.get("school")) if isinstance(to, dict) and to.get("school") else (to.get("name") if isinstance(to, dict) else to)
        total = (new.get("totals") or {}).get("total") if isinstance(new.get("totals"), dict) else new.get("total")
        kind = "Credit note" if (new.get("type") == "credit-note" or new.get("credit_note_for") or new.get("credits")) else "Invoice"
        amount = f" for {money(total)}" if total is not None else ""
        return [Said(thing, f"{kind} {number} issued to {who or 'unknown'}{amount}",
                     f"{{n}} {kind.lower()}s issued", f"{number} to {who or 'unknown'}{amount}", urn)]
    if new is None:
        return [Said(thing, f"{thing} file removed (invoices should never be deleted)", schools=urn)]
    out = []
    os_, ns = _status(old), _status(new)
    if os_ != ns:
        if ns == "paid":
            status = new.get("status")
            paid = new.get("paid_on") or (status.get("date") if isinstance(status, dict) else None)
            out.append(Said(thing, f"{thing} paid" + (f" on {paid}" if paid else ""), "{n} invoices paid", str(number), urn))
        elif ns == "void":
            reason = new.get("void_reason") or ((new.get("status") or {}).get("reason") if isinstance(new.get("status"), dict) else None)
            out.append(Said(thing, f"{thing} void" + (f": {reason}" if reason else ""), schools=urn))
        else:
            out.append(Said(thing, f"{thing}: status {os_} -> {ns}", schools=urn))
    return out or generic("invoice", thing, old, new, names, {"status", "paid_on", "void_reason"}, urn)


def _status(d: dict) -> str | None:
    s = d.get("status")
    return s.get("state") if isinstance(s, dict) else s


def _meeting_name(d: dict) -> str:
    if d.get("title"):
        return str(d["title"])
    body = str(d.get("body", "meeting"))
    kind, _, ref = body.partition(":")
    what = f"{ref.replace('-', ' ')} {kind}" if ref else body.replace("-", " ").title()  # a body: its id, as a title
    return f"{what} meeting on {d.get('date')}"


def _meeting(fc: FileChange, names: Names) -> list[Said]:
    new, old = fc.new, fc.old
    d = new or old or {}
    thing = _meeting_name(d)
    if old is None:
        return [Said(thing, f"Meeting added: {thing}", "{n} meetings added", thing)]
    if new is None:
        return [Said(thing, f"Meeting removed: {thing}", "{n} meetings removed", thing)]
    out = []
    if not same(old.get("date"), new.get("date")):
        out.append(f"{thing}: moved from {old.get('date')} to {new.get('date')}")
    oa = {str(a.get("id") or i): a for i, a in enumerate(old.get("actions") or [])}
    for i, a in enumerate(new.get("actions") or []):
        k = str(a.get("id") or i)
        text = a.get("action") or a.get("text") or k
        if k not in oa:
            out.append(f"{thing}: new action: {text}")
        elif (oa[k].get("status") != a.get("status")) and a.get("status") == "done":
            out.append(f"{thing}: action done: {text}")
    if new.get("attendance") and not old.get("attendance"):
        out.append(f"{thing}: attendance recorded")
    if len(new.get("decisions") or []) > len(old.get("decisions") or []):
        out.append(f"{thing}: {len(new['decisions']) - len(old.get('decisions') or [])} decision(s) recorded")
    said = [Said(thing, t) for t in out]
    if not said:
        said = generic("meeting", thing, old, new, names, {"attendance", "decisions", "actions"}) or [Said(thing, f"{thing}: details updated")]
    return said


def _activity(fc: FileChange, names: Names) -> list[Said]:
    d = fc.new or fc.old or {}
    thing = str(d.get("title") or d.get("id") or PurePosixPath(fc.new_path or fc.old_path).stem)
    lead = d.get("lead") if isinstance(d.get("lead"), dict) else {}
    urns = tuple(dict.fromkeys(_urn(lead.get("school")) + tuple(u for u in d.get("schools") or () if isinstance(u, int))))
    if fc.old is None:
        return [Said(thing, f"New activity: {thing}", "{n} activities added", thing, urns)]
    if fc.new is None:
        return [Said(thing, f"Activity removed: {thing}", "{n} activities removed", thing, urns)]
    return generic("activity", thing, fc.old, fc.new, names, schools=urns)


def _other(fc: FileChange, names: Names) -> list[Said]:
    d = fc.new or fc.old or {}
    path = fc.new_path or fc.old_path
    kind = kind_for(path)
    thing = str(d.get("name") or d.get("title") or d.get("id") or d.get("year") or PurePosixPath(path).stem)
    if kind and kind.name == "finance-year":
        thing = f"Financial year {thing}"
    if fc.old is None:
        return [Said(thing, f"Added: {thing}")]
    if fc.new is None:
        return [Said(thing, f"Removed: {thing}")]
    return generic(kind.name if kind else None, thing, fc.old, fc.new, names)


def _alliance(fc: FileChange, names: Names) -> list[Said]:
    d = fc.new or fc.old or {}
    thing = str(d.get("name") or "The alliance")
    if fc.old is None:
        return [Said(thing, f"Alliance details added: {thing}")]
    if fc.new is None:
        return [Said(thing, "data/alliance.yaml removed")]
    return generic("alliance", thing, fc.old, fc.new, names)


def is_data_file(path: str | None) -> bool:
    """A YAML file of data: not a placeholder like ``.gitkeep`` or a README."""
    name = PurePosixPath(path or "").name
    return bool(name) and not name.startswith(".") and name.endswith((".yaml", ".yml"))


def describe(files: list[FileChange], names: Names) -> list[Change]:
    out = []
    for fc in files:
        path = fc.new_path or fc.old_path
        if not is_data_file(path):
            continue
        kind = kind_for(path)
        area = kind.area if kind else "other"
        fn = (kind.describer() if kind else None) or _other  # each kind names its describer (nesa_cli.kinds)
        if fc.old is not None and fc.new is not None and same(fc.old, fc.new):
            if fc.old_path != fc.new_path:
                thing = str(fc.new.get("name") or fc.new.get("title") or fc.new_path)
                out.append(Change(area, thing, f"{thing}: file moved to {fc.new_path}", path))
            continue
        for s in fn(fc, names):
            if isinstance(s, tuple):  # a plug-in's describer may say (thing, text)
                s = Said(*s)
            out.append(Change(area, s.thing, s.text, path, group=s.group, member=s.member, schools=tuple(s.schools)))
    return out
