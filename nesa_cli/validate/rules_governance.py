"""Cross-file rules for trusts, federations, governance eligibility and a
school's several partnerships (issue 20; nesa_cli.governance)."""

from __future__ import annotations

from nesa_cli.diagnostics import ERROR, WARNING, declare
from nesa_cli.model import HEAD_ROLES, MEMBER_STATES
from nesa_cli.validate.rules import rule

# The rule ids this module reports: severity and meaning (the README's rule
# table and nesa_cli.validate.catalogue are made from these).
RULE_IDS = declare({
    "eligibility-governance": ("error", "A signed-up or member school is governed in a way the alliance's eligibility does not admit (e.g. an academy in a multi-academy trust where only maintained schools and standalone academies may join)."),
    "governance-unknown": ("warning", "The alliance admits schools by governance, and a signed-up or member academy's trust is not known to be single- or multi-academy."),
    "trust-type": ("warning", "Schools of one trust disagree on its kind, or a trust called single-academy holds two schools."),
    "partnership-primary": ("error", "other_partnerships without a (primary) partnership, or naming the primary again."),
    "partnership-lead": ("error", "A partnership's lead head is not the head (headteacher, executive headteacher, head of school) of the school named."),
    "partnership-lead-school": ("warning", "A partnership's lead head is at a school that is not (yet) in that partnership."),
})


@rule
def governance(ctx):
    from nesa_cli.governance import governance_ok, trust_key, trust_sizes

    a = ctx.model.alliance
    schools = list(ctx.model.schools.values())
    sizes = trust_sizes(schools)
    kinds: dict[str, set] = {}
    for s in schools:
        if s.trust and s.trust.get("type"):
            kinds.setdefault(trust_key(s), set()).add(s.trust["type"])
    for s in schools:
        key = trust_key(s)
        if key and len(kinds.get(key, ())) > 1:
            yield ctx.at(s.path, ("trust", "type"), WARNING, "trust-type",
                         f"the schools of {s.trust['name']} say different kinds of trust ({', '.join(sorted(kinds[key]))}); "
                         "run nesa import gias to take GIAS's")
        elif key and s.trust.get("type") == "sat" and sizes[key] > 1:
            yield ctx.at(s.path, ("trust", "type"), WARNING, "trust-type",
                         f"{s.trust['name']} is called a single-academy trust but {sizes[key]} schools are in it")
        joined = [i for i, ev in enumerate(s.membership) if ev.state in MEMBER_STATES]
        if a is None or not joined or not a.eligible_governance:
            continue
        ok, why = governance_ok(a, s, sizes)
        state = s.membership[joined[0]].state
        if ok is False:
            yield ctx.at(s.path, ("membership", joined[0], "state"), ERROR, "eligibility-governance",
                         f"{s.name} cannot be {state}: {why}")
        elif ok is None:
            yield ctx.at(s.path, ("trust",) if s.trust else ("type",), WARNING, "governance-unknown",
                         f"{s.name} is {state}, but {why}")


@rule
def partnerships(ctx):
    from nesa_cli.governance import in_partnership

    known = ctx.partnership_ids
    for s in ctx.model.schools.values():
        others = s.other_partnerships or ()
        if others and not s.partnership:
            yield ctx.at(s.path, ("other_partnerships",), ERROR, "partnership-primary",
                         f"{s.name} lists other_partnerships but no partnership: say which is its primary one with partnership: ID")
        for i, pid in enumerate(others):
            if pid == s.partnership:
                yield ctx.at(s.path, ("other_partnerships", i), ERROR, "partnership-primary",
                             f"'{pid}' is already {s.name}'s (primary) partnership; list only the others here")
            elif known is not None and pid not in known:
                yield ctx.at(s.path, ("other_partnerships", i), ERROR, "ref-partnership",
                             f"partnership '{pid}' is not defined in data/alliance.yaml (known: {', '.join(sorted(known)) or 'none'})")
    a = ctx.model.alliance
    if a is None:
        return
    for i, p in enumerate(a.partnerships):
        for j, (urn, person) in enumerate(p.leads):
            where = ("partnerships", i, "leads", j)
            if urn not in ctx.school_ids:
                yield ctx.school_ref(a.path, where + ("school",), urn)
                continue
            s = ctx.model.schools.get(urn)
            if s is None:
                continue
            if not in_partnership(s, p.id):
                yield ctx.at(a.path, where + ("school",), WARNING, "partnership-lead-school",
                             f"{s.name} leads {p.name} but is not in it (add {p.id} to its partnership or other_partnerships)")
            c = s.contact_named(person)
            if c is None:
                yield ctx.at(a.path, where + ("person",), ERROR, "ref-person",
                             f"{person} is not a contact at {s.name} (contacts: {', '.join(x.name for x in s.contacts) or 'none'})")
            elif c.role not in HEAD_ROLES:
                yield ctx.at(a.path, where + ("person",), ERROR, "partnership-lead",
                             f"{person} is {s.name}'s {c.role.replace('-', ' ')}, not its head: a lead head is a headteacher, executive headteacher or head of school")
