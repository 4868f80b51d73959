"""Cross-file rules: ids, references, history and eligibility.

Each rule reads the model (schema-valid records only) and the documents (for
places) and yields diagnostics. Rules never raise on odd data.
"""

from __future__ import annotations

from nesa_cli.wording import day

from pathlib import PurePosixPath
from typing import Callable, Iterator

from nesa_cli.diagnostics import ERROR, WARNING, Diagnostic, declare
from nesa_cli.model import MEMBER_STATES

# The rule ids this module reports: severity and meaning (the README's rule
# table and nesa_cli.validate.catalogue are made from these).
RULE_IDS = declare({
    "id-filename": ("error", "The file name does not match the id inside (e.g. schools/123456.yaml must hold urn: 123456)."),
    "id-unique": ("error", "An id is used twice (files, central-team ids, partnership ids, policy versions), or a network lists one person twice for the same days."),
    "ref-school": ("error", "A URN that no school file holds."),
    "ref-person": ("error", "A person who is not a contact at the school named with them."),
    "ref-partnership": ("error", "A partnership id that data/alliance.yaml does not define."),
    "ref-central-team": ("error", "A central-team id that data/alliance.yaml does not define."),
    "ref-version": ("error", "A policy adoption names a version the policy does not have."),
    "membership-order": ("error", "Membership history is not in date order."),
    "membership-reason": ("warning", "A withdrawal without a reason."),
    "policy-version-order": ("error", "A policy's versions are not in date order."),
    "adoption-date": ("error", "A school adopted a policy version before it was approved."),
    "network-withdrawn-member": ("error", "A withdrawn school is still an active network member (or lead) after its withdrawal date."),
    "network-non-member": ("warning", "An active network member whose school is not a member of the alliance."),
    "eligibility": ("error", "A school outside the alliance's eligibility rule is signed-up or a member."),
    "contact-headteacher": ("warning", "A member school without a headteacher contact."),
    "pupils-stale": ("warning", "A member school whose latest pupil number is older than the alliance's census date."),
    "skipped": ("warning", "Checks of an item that names a school (or the alliance's team) whose own file has errors: they run once those are fixed (no knock-on errors)."),
})



class Ctx:
    def __init__(self, result):
        self.result = result
        self.model = result.model
        self.docs = result.documents
        self.school_ids = result.ids("school")
        alliance = self.model.alliance
        self.partnership_ids = {p.id for p in alliance.partnerships} if alliance else None
        self.team_ids = {t.id for t in alliance.central_team} if alliance else None
        self.places: dict[int, tuple[tuple, bool]] = {}  # id(diagnostic) -> (pointer, key), to place it again
        from nesa_cli.validate.knockon import broken

        self.broken = broken(result)  # identity -> (label, path) of records whose files have errors
        self._skipped: set = set()
        self.school_ids |= {i for i, (_, path) in self.broken.items() if result.kinds[path].name == "school"}
        # (label, path) of data/alliance.yaml when it has errors of its own (every finance year depends on it)
        from nesa_cli.validate.knockon import broken_alliance

        self.alliance_broken = broken_alliance(result) if alliance is None else None
        self.alliance_unreadable = False  # its YAML cannot be read: no id of it is known
        if self.alliance_broken:
            self._raw_alliance_ids()
            self.alliance_unreadable = not isinstance(self.docs[self.alliance_broken[1]].data, dict)

    def _raw_alliance_ids(self) -> None:
        """A broken alliance.yaml keeps its valid identity: its team and partnership ids."""
        for path, kind in self.result.kinds.items():
            if kind.name == "alliance" and isinstance(self.docs[path].data, dict):
                data = self.docs[path].data
                for attr, part in (("team_ids", "central_team"), ("partnership_ids", "partnerships")):
                    items = data.get(part)
                    if isinstance(items, list):
                        setattr(self, attr, {i.get("id") for i in items if isinstance(i, dict)})

    def skip(self, path: str, pointer: tuple, broken: tuple[str, str]) -> Diagnostic | None:
        """Once per file and broken record ``(label, path)``: the checks here that involve it are skipped."""
        label, where = broken
        if (path, where) in self._skipped:
            return None
        self._skipped.add((path, where))
        thing = label if label == where else f"{label} ({where})"
        return self.at(path, pointer, WARNING, "skipped", f"skipped: {thing} has errors; the checks here that involve it run once they are fixed")

    def at(self, path: str, pointer: tuple, severity: str, rule: str, message: str, key: bool = False) -> Diagnostic | None:
        """A diagnostic placed at ``pointer`` in ``path``. A knock-on of a
        record whose own file has errors (nesa_cli.validate.knockon) is one
        "skipped" warning per file and record instead (None for the others)."""
        doc = self.docs.get(path)
        if (self.broken or self.alliance_unreadable) and doc is not None and rule != "skipped":
            from nesa_cli.validate.knockon import item_at, named_in

            from nesa_cli.validate.knockon import ALLIANCE_REFERENCES

            if self.alliance_unreadable and rule in ALLIANCE_REFERENCES:
                return self.skip(path, pointer, self.alliance_broken)
            hit = named_in(item_at(doc.data, tuple(pointer)), self.broken)
            if hit is not None and self.broken[hit][1] != path:
                return self.skip(path, pointer, self.broken[hit])
        line, col = doc.locate(pointer, key=key) if doc else (1, 1)
        d = Diagnostic(path, line, col, severity, rule, message)
        self.places[id(d)] = (tuple(pointer), key)
        return d

    def school_ref(self, path: str, pointer: tuple, urn) -> Diagnostic | None:
        """ref-school at ``pointer`` when no school file holds ``urn`` (None when one does)."""
        if urn in self.school_ids:
            return None
        return self.at(path, pointer, ERROR, "ref-school", f"no school with URN {urn} (no data/schools/{urn}.yaml)")

    def team_ref(self, path: str, field: str, ident: str | None) -> Diagnostic | None:
        """ref-central-team at ``field`` when ``ident`` is given and the central team has no such id."""
        if ident and self.team_ids is not None and ident not in self.team_ids:
            return self.at(path, (field,), ERROR, "ref-central-team", f"{field} '{ident}' is not in the central team")
        return None


Rule = Callable[[Ctx], Iterator[Diagnostic]]
RULES: list[Rule] = []


def rule(fn: Rule) -> Rule:
    RULES.append(fn)
    return fn


def check_rules(result, places: list | None = None) -> list[Diagnostic]:
    """Every cross-file diagnostic. With ``places``, also appends, for each
    diagnostic in order, the (pointer, key) it was placed at (None when it was
    not placed through a pointer), so that it can be placed again in an edited
    version of its file (see nesa_cli.validate.incremental)."""
    import importlib

    from nesa_cli.kinds import rule_modules

    for name in rule_modules():  # each registers its rules with @rule when imported
        importlib.import_module(name)
    ctx = Ctx(result)
    out: list[Diagnostic] = []
    for fn in RULES:
        out.extend(d for d in fn(ctx) if d is not None)
    if places is not None:
        places.extend(ctx.places.get(id(d)) for d in out)
    return out


@rule
def file_names(ctx: Ctx):
    seen: dict[tuple[str, object], str] = {}
    for path, kind in ctx.result.kinds.items():
        doc = ctx.docs[path]
        if not kind.id_field or not isinstance(doc.data, dict):
            continue
        stem = PurePosixPath(path).stem
        ident = doc.data.get(kind.id_field)
        if ident is None:
            continue
        if str(ident) != stem:
            yield ctx.at(path, (kind.id_field,), ERROR, "id-filename",
                         f"{kind.id_field} is {ident} but the file is named {PurePosixPath(path).name}; name it {ident}.yaml")
        previous = seen.get((kind.name, ident))
        if previous:
            yield ctx.at(path, (kind.id_field,), ERROR, "id-unique", f"{kind.name} {ident} is also defined in {previous}")
        else:
            seen[(kind.name, ident)] = path


def _dupes(items, attr):
    seen = set()
    for i, item in enumerate(items):
        value = getattr(item, attr)
        if value in seen:
            yield i, value
        seen.add(value)


@rule
def alliance_refs(ctx: Ctx):
    a = ctx.model.alliance
    if not a:
        return
    for i, ident in _dupes(a.central_team, "id"):
        yield ctx.at(a.path, ("central_team", i, "id"), ERROR, "id-unique", f"central-team id '{ident}' is used twice")
    for i, ident in _dupes(a.partnerships, "id"):
        yield ctx.at(a.path, ("partnerships", i, "id"), ERROR, "id-unique", f"partnership id '{ident}' is used twice")
    for i, p in enumerate(a.partnerships):
        if p.link and p.link not in ctx.team_ids:
            yield ctx.at(a.path, ("partnerships", i, "link"), ERROR, "ref-central-team", f"partnership '{p.id}' links with '{p.link}', who is not in central_team")
    for i, t in enumerate(a.central_team):
        for j, pid in enumerate(t.partnerships):
            if pid not in ctx.partnership_ids:
                yield ctx.at(a.path, ("central_team", i, "partnerships", j), ERROR, "ref-partnership", f"{t.name} links with partnership '{pid}', which is not defined")


@rule
def schools(ctx: Ctx):
    a = ctx.model.alliance
    for s in ctx.model.schools.values():
        if s.partnership and ctx.partnership_ids is not None and s.partnership not in ctx.partnership_ids:
            yield ctx.at(s.path, ("partnership",), ERROR, "ref-partnership",
                         f"partnership '{s.partnership}' is not defined in data/alliance.yaml (known: {', '.join(sorted(ctx.partnership_ids)) or 'none'})")
        for i in range(1, len(s.membership)):
            if s.membership[i].date < s.membership[i - 1].date:
                yield ctx.at(s.path, ("membership", i, "date"), ERROR, "membership-order",
                             f"membership entry dated {s.membership[i].date} comes after one dated {s.membership[i - 1].date}; keep the history oldest first")
        for i, ev in enumerate(s.membership):
            if ev.state == "withdrawn" and not ev.reason:
                yield ctx.at(s.path, ("membership", i), WARNING, "membership-reason", "withdrawal has no reason recorded")
        joined = [i for i, ev in enumerate(s.membership) if ev.state in MEMBER_STATES]
        if a and joined:
            ok, why = a.eligible(s)
            if not ok:
                yield ctx.at(s.path, ("membership", joined[0], "state"), ERROR, "eligibility",
                             f"{s.name} cannot be {s.membership[joined[0]].state}: {why}")
        current = s.membership[-1].state if s.membership else "prospective"
        if current == "member":
            if s.head is None:
                yield ctx.at(s.path, ("contacts",), WARNING, "contact-headteacher", f"{s.name} is a member but has no headteacher contact")
            latest = s.pupils_on()
            if a and (latest is None or latest.census_date < a.census_date):
                when = f"latest is from {latest.census_date}" if latest else "none recorded"
                yield ctx.at(s.path, ("pupils",), WARNING, "pupils-stale",
                             f"pupil number for the census of {a.census_date} is missing ({when})")


def _overlap(a, b) -> bool:
    """Do two network memberships (since..until, either end open) share a day?"""
    return (a.since is None or b.until is None or a.since < b.until) and (
        b.since is None or a.until is None or b.since < a.until)


def _withdrawn_after(school) -> list:
    """Withdrawal events not followed by rejoining."""
    out = []
    for i, ev in enumerate(school.membership):
        if ev.state == "withdrawn" and not any(later.state in MEMBER_STATES for later in school.membership[i + 1:]):
            out.append(ev)
    return out


@rule
def networks(ctx: Ctx):
    model = ctx.model
    for n in model.networks.values():
        yield ctx.team_ref(n.path, "central_link", n.central_link)
        people = []
        if n.lead_school is not None:
            people.append((("lead",), n.lead_school, n.lead_person, None))
        for i, m in enumerate(n.members):
            people.append((("members", i), m.school, m.person, m))
        seen: dict = {}
        for pointer, urn, person, member in people:
            if urn not in ctx.school_ids:
                yield ctx.school_ref(n.path, pointer + ("school",), urn)
                continue
            school = model.schools.get(urn)
            if school is None:
                continue  # the school file is invalid; its own diagnostics say why
            if school.contact_named(person) is None:
                names = ", ".join(c.name for c in school.contacts) or "none"
                yield ctx.at(n.path, pointer + ("person",), ERROR, "ref-person", f"{person} is not a contact at {school.name} (contacts: {names})")
            if member is not None:
                # the same person may leave and rejoin (a new entry), but two
                # entries may not cover the same days
                if any(_overlap(member, other) for other in seen.get((urn, person), ())):
                    yield ctx.at(n.path, pointer, ERROR, "id-unique",
                                 f"{person} of {school.name} is listed twice for the same period")
                seen.setdefault((urn, person), []).append(member)
            for ev in _withdrawn_after(school):
                if member is None or member.until is None or member.until > ev.date:
                    what = "lead" if member is None else "member"
                    yield ctx.at(n.path, pointer, ERROR, "network-withdrawn-member",
                                 f"{school.name}'s withdrawal is dated {day(ev.date)}, but {person} is still an active {what}; "
                                 + ("name a new lead" if member is None else f"add until: {ev.date}"))
            if member is not None and member.until is None and not _withdrawn_after(school):
                if not any(ev.state in MEMBER_STATES for ev in school.membership):
                    yield ctx.at(n.path, pointer, WARNING, "network-non-member", f"{school.name} is not a member of the alliance")


@rule
def policies(ctx: Ctx):
    model = ctx.model
    for p in model.policies.values():
        yield ctx.team_ref(p.path, "owner", p.owner)
        for i, number in _dupes(p.versions, "version"):
            yield ctx.at(p.path, ("versions", i, "version"), ERROR, "id-unique", f"version {number} is listed twice")
        for i in range(1, len(p.versions)):
            if p.versions[i].approved <= p.versions[i - 1].approved:
                yield ctx.at(p.path, ("versions", i, "approved"), ERROR, "policy-version-order",
                             f"version {p.versions[i].version} (approved {p.versions[i].approved}) is not later than version {p.versions[i - 1].version} ({p.versions[i - 1].approved}); keep versions oldest first")
        for i, ad in enumerate(p.adoptions):
            yield ctx.school_ref(p.path, ("adoptions", i, "school"), ad.school)
            version = p.version(ad.version)
            if version is None:
                known = ", ".join(v.version for v in p.versions)
                yield ctx.at(p.path, ("adoptions", i, "version"), ERROR, "ref-version", f"'{p.title}' has no version {ad.version} (versions: {known})")
            elif ad.date < version.approved:
                yield ctx.at(p.path, ("adoptions", i, "date"), ERROR, "adoption-date",
                             f"adopted on {ad.date}, before version {ad.version} was approved on {version.approved}")
