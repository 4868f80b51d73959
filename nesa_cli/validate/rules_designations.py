"""Cross-file rules for schools' designations and categories (nesa_cli.designations)."""

from __future__ import annotations

from nesa_cli.designations import PERSON_TYPES
from nesa_cli.diagnostics import ERROR, declare
from nesa_cli.validate.rules import rule

# The rule ids this module reports: severity and meaning (the README's rule
# table and nesa_cli.validate.catalogue are made from these).
RULE_IDS = declare({
    "designation-dates": ("error", "A designation ends before it starts."),
    "designation-holder": ("error", "A person's designation (nle, lle, sle, nlg) names no person, or an SLE no specialism."),
    "designation-overlap": ("error", "One person (or the school) holds the same designation twice on overlapping dates."),
    "category-unknown": ("error", "A school's category is not one data/alliance.yaml defines (categorisation), or the alliance defines none."),
    "category-year": ("error", "A school's category year is not an academic year like 2026-27, or is given twice."),
})


@rule
def designations(ctx):
    for s in ctx.model.schools.values():
        held = getattr(s, "designations", ())
        for i, d in enumerate(held):
            if d.type in PERSON_TYPES and not d.person:
                yield ctx.at(s.path, ("designations", i, "type"), ERROR, "designation-holder",
                             f"a {d.abbreviation} is a person's designation: say whose with person: (a contact of {s.name})")
            if d.type == "sle" and not d.specialism:
                yield ctx.at(s.path, ("designations", i, "type"), ERROR, "designation-holder",
                             "an SLE has a specialism: add specialism: (an area, as in strengths, e.g. maths-mastery)")
            if d.end is not None and d.end < d.start:
                yield ctx.at(s.path, ("designations", i, "to"), ERROR, "designation-dates",
                             f"{d.abbreviation} ends {d.end} before it starts {d.start}")
                continue
            if d.person and s.contact_named(d.person) is None:
                yield ctx.at(s.path, ("designations", i, "person"), ERROR, "ref-person",
                             f"{d.person} is not a contact at {s.name}")
            for j in range(i):
                e = held[j]
                if (e.type, e.person, e.specialism) != (d.type, d.person, d.specialism):
                    continue
                if (e.end is None or d.start <= e.end) and (d.end is None or e.start <= d.end):
                    who = d.person or s.name
                    yield ctx.at(s.path, ("designations", i), ERROR, "designation-overlap",
                                 f"{who} already holds {d.abbreviation}{' (' + d.specialism + ')' if d.specialism else ''} "
                                 f"on these dates (designations[{j}], from {e.start})")
                    break


@rule
def categories(ctx):
    from nesa_cli.designations import is_year_label, scale

    alliance = ctx.model.alliance
    if alliance is None:  # its own errors are reported; nothing to check against
        return
    sc = scale(alliance)
    known = sc.ids() if sc else []
    for i, cid in enumerate(known):
        if cid in known[:i]:
            yield ctx.at(alliance.path, ("categorisation", "categories", i, "id"), ERROR, "id-unique",
                         f"category {cid!r} is defined twice")
    for s in ctx.model.schools.values():
        seen: set[str] = set()
        for i, c in enumerate(getattr(s, "categories", ())):
            if not is_year_label(c.year):
                yield ctx.at(s.path, ("categories", i, "year"), ERROR, "category-year",
                             f"{c.year!r} is not an academic year such as 2026-27")
            elif c.year in seen:
                yield ctx.at(s.path, ("categories", i, "year"), ERROR, "category-year",
                             f"{s.name} has two categories for {c.year}")
            seen.add(c.year)
            if c.category not in known:
                hint = (f"categories: {', '.join(known)}" if known
                        else "data/alliance.yaml defines no categorisation (categorisation: categories: [...])")
                yield ctx.at(s.path, ("categories", i, "category"), ERROR, "category-unknown",
                             f"category {c.category!r} is not one the alliance uses ({hint})")
