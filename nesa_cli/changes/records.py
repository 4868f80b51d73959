"""The changes of networks, policies, invoices, meetings, activities, the
alliance and any other kind of record, in words."""

from __future__ import annotations

from pathlib import PurePosixPath

from nesa_cli.changes.change import FileChange, Names, Said
from nesa_cli.changes.fields import same
from nesa_cli.changes.generic import generic, urn_of
from nesa_cli.changes.labels import money
from nesa_cli.kinds import kind_for


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
        out.append(Said(name, f"{name}: lead is now {who(nl)} (was {who(ol)})", schools=urn_of(nl.get("school")) + urn_of(ol.get("school"))))
    key = lambda m: (m.get("school"), m.get("person"))  # noqa: E731
    om = {key(m): m for m in old.get("members") or []}
    nm = {key(m): m for m in new.get("members") or []}
    moved = _moved_places(om, nm)  # issue 20: a place that continues under a school's new URN
    for k, m in nm.items():
        who = f"{m.get('person')} ({names(m.get('school'))})"
        urn = urn_of(m.get("school"))
        if k in moved:
            if moved[k] is not None:
                school = names(m.get("school"))
                out.append(Said(name, f"{name}: {m.get('person')}'s place continues under {school}'s new URN from {m.get('since')}",
                                f"{{n}} network places continue under {school}'s new URN", name, urn + urn_of(moved[k])))
            continue
        if k not in om:
            out.append(Said(name, f"{name}: {who} joined", f"{name}: {{n}} new members", who, urn))
        elif m.get("until") and not om[k].get("until"):
            out.append(Said(name, f"{name}: {who} left on {m['until']}", f"{name}: {{n}} members left", who, urn))
        elif not same(m, om[k]):
            out.append(Said(name, f"{name}: {who} details updated", f"{name}: {{n}} members' details updated", who, urn))
    for k, m in om.items():
        if k not in nm:
            who = f"{m.get('person')} ({names(m.get('school'))})"
            out.append(Said(name, f"{name}: {who} removed", f"{name}: {{n}} members removed", who, urn_of(m.get("school"))))
    out += generic("network", name, old, new, names, {"lead", "members"})
    return out


def _moved_places(om: dict, nm: dict) -> dict:
    """(school, person) -> the old URN for a new place whose person's place at another school ended
    the day it began (a conversion); the ended place itself -> None (said with the new one)."""
    out: dict = {}
    for k, m in nm.items():
        if k in om or m.get("since") is None:
            continue
        for ok, o in nm.items():
            if ok[1] == k[1] and ok[0] != k[0] and o.get("until") == m.get("since") and ok in om and not om[ok].get("until"):
                out[k], out[ok] = ok[0], None
                break
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
                f"{title} version {a.get('version')} adopted by {{n}} schools", school, urn_of(a.get("school")))


def _invoice(fc: FileChange, names: Names) -> list[Said]:
    new, old = fc.new, fc.old
    number = (new or old or {}).get("number", PurePosixPath(fc.new_path or fc.old_path or "").stem)
    thing = f"Invoice {number}"
    to = (new or old or {}).get("to") or {}
    urn = urn_of(to.get("school")) if isinstance(to, dict) else ()
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
    secret = _part2_titles(old) | _part2_titles(new)
    old, new, part2 = _without_part2(old, secret), _without_part2(new, secret), []
    if not same(old.get("_part2"), new.get("_part2")):
        part2.append(f"{thing}: the minutes of a confidential item updated ({PART2_HIDDEN})")
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
    said += generic("meeting", thing, old, new, names, {"date", "attendance", "decisions", "actions", "_part2"})
    said += [Said(thing, t) for t in part2]
    return said or [Said(thing, f"{thing}: details updated")]


PART2_HIDDEN = "Part 2: not shown"
_PART2_FIELDS = ("notes", "decisions", "summary", "recommendation", "paper", "author")


def _part2_titles(d: dict) -> set:
    agenda = d.get("agenda") if isinstance(d.get("agenda"), list) else []
    return {str(it.get("title")) for it in agenda if isinstance(it, dict) and it.get("confidential")}


def _without_part2(d: dict, titles: set) -> dict:
    """The meeting with what its confidential (Part 2) items minute left out:
    change reports go to people who may not see Part 2 (the digest, a pull
    request's summary). The item's title stays, as the agenda shows it; an
    action under it is named only as such. What was taken out is kept under
    ``_part2``, so that a change to it is still reported, in those words.
    An item confidential in either version (``titles``) is left out of both."""
    agenda = d.get("agenda") if isinstance(d.get("agenda"), list) else []
    secret = {i + 1 for i, it in enumerate(agenda)
              if isinstance(it, dict) and (it.get("confidential") or str(it.get("title")) in titles)}
    if not secret:
        return d
    hidden = []
    items = []
    for i, it in enumerate(agenda):
        if i + 1 in secret:
            hidden.append({k: it.get(k) for k in _PART2_FIELDS if it.get(k) is not None})
            it = {k: v for k, v in it.items() if k not in _PART2_FIELDS}
        items.append(it)
    actions = []
    for a in d.get("actions") or []:
        if isinstance(a, dict) and a.get("item") in secret:
            hidden.append({"action": a.get("action")})
            a = dict(a, action="an action under a confidential item")
        actions.append(a)
    return dict(d, agenda=items, actions=actions, _part2=hidden)


def _activity(fc: FileChange, names: Names) -> list[Said]:
    d = fc.new or fc.old or {}
    thing = str(d.get("title") or d.get("id") or PurePosixPath(fc.new_path or fc.old_path).stem)
    lead = d.get("lead") if isinstance(d.get("lead"), dict) else {}
    urns = tuple(dict.fromkeys(urn_of(lead.get("school")) + tuple(u for u in d.get("schools") or () if isinstance(u, int))))
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
