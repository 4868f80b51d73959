"""System-leadership designations and the categorisation of schools.

A school file may list ``designations`` (a person's NLE, LLE, SLE with a
specialism, NLG; the school's teaching school, teaching school hub or
national support school), each with ``from`` and (optionally) ``to`` dates:
current on a day between them, lapsed after ``to``. And ``categories``: one
category per academic year (Wigan-style categorisation: A-D, 1-4, whatever
``categorisation`` in data/alliance.yaml defines, best first), with who set it.

The broker (nesa_cli.collab.broker) ranks by both; ``nesa schools show``
says them in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from nesa_cli.dates import parse

# id -> (abbreviation, title). Person designations need a person; school ones are the school's.
TYPES = {
    "nle": ("NLE", "National Leader of Education"),
    "lle": ("LLE", "Local Leader of Education"),
    "sle": ("SLE", "Specialist Leader of Education"),
    "nlg": ("NLG", "National Leader of Governance"),
    "teaching-school": ("TS", "Teaching school"),
    "teaching-school-hub": ("TSH", "Teaching school hub"),
    "national-support-school": ("NSS", "National support school"),
}
PERSON_TYPES = ("nle", "lle", "sle", "nlg")
SCHOOL_TYPES = tuple(t for t in TYPES if t not in PERSON_TYPES)


@dataclass(frozen=True)
class Designation:
    type: str
    start: date
    person: str | None = None
    specialism: str | None = None
    end: date | None = None  # last day (inclusive)
    note: str | None = None

    @property
    def abbreviation(self) -> str:
        return TYPES.get(self.type, (self.type.upper(), self.type))[0]

    @property
    def title(self) -> str:
        return TYPES.get(self.type, (self.type, self.type))[1]

    def current_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    def status_on(self, day: date) -> str:
        """current, lapsed (its ``to`` has passed) or future (its ``from`` is to come)."""
        if self.start > day:
            return "future"
        return "current" if self.current_on(day) else "lapsed"

    def words(self, day: date) -> str:
        """E.g. 'Specialist Leader of Education (maths-mastery), current since 1 Sep 2022'."""
        from nesa_cli.dates import uk_short

        what = self.title + (f" ({self.specialism})" if self.specialism else "")
        status = self.status_on(day)
        if status == "future":
            return f"{what}, from {uk_short(self.start)}"
        if status == "lapsed":
            return f"{what}, lapsed: {uk_short(self.start)} to {uk_short(self.end)}"
        return f"{what}, current since {uk_short(self.start)}" + (f" until {uk_short(self.end)}" if self.end else "")


@dataclass(frozen=True)
class Category:
    year: str  # academic year, e.g. 2026-27
    category: str
    set_by: str | None = None
    date: date | None = None
    note: str | None = None


def build_designations(raw) -> tuple[Designation, ...]:
    return tuple(Designation(d["type"], parse(d["from"]), d.get("person"), d.get("specialism"), parse(d.get("to")), d.get("note"))
                 for d in raw or ())


def build_categories(raw) -> tuple[Category, ...]:
    return tuple(Category(str(c["year"]), str(c["category"]), c.get("set_by"), parse(c.get("date")), c.get("note"))
                 for c in raw or ())


def academic_year(day: date) -> str:
    """The academic year (September to August) holding ``day``, e.g. 2026-27."""
    y = day.year if day.month >= 9 else day.year - 1
    return f"{y}-{(y + 1) % 100:02d}"


def is_year_label(text: str) -> bool:
    """2025-26 yes; 2025-27 or 2025-2026 no."""
    head, sep, tail = text.partition("-")
    return bool(sep) and head.isdigit() and len(head) == 4 and tail.isdigit() and len(tail) == 2 \
        and (int(head) + 1) % 100 == int(tail)


def current(school, day: date) -> list[Designation]:
    return [d for d in getattr(school, "designations", ()) if d.current_on(day)]


def category_on(school, day: date) -> Category | None:
    """The school's category for the academic year holding ``day`` (None: not categorised that year)."""
    year = academic_year(day)
    return next((c for c in getattr(school, "categories", ()) if c.year == year), None)


# --- the alliance's scale (data/alliance.yaml: categorisation) ----------------------


@dataclass(frozen=True)
class Scale:
    """The alliance's categories, best first; ``support``: those that mean the school needs support."""

    categories: tuple[tuple[str, str], ...]  # (id, label)
    support: frozenset[str]
    description: str | None = None

    def label(self, cid: str) -> str:
        return next((lab for i, lab in self.categories if i == cid), "")

    def ids(self) -> list[str]:
        return [i for i, _ in self.categories]

    def is_best(self, cid: str) -> bool:
        return bool(self.categories) and self.categories[0][0] == cid


def scale(alliance) -> Scale | None:
    raw = getattr(alliance, "categorisation", None) if alliance is not None else None
    if not raw:
        return None
    cats = tuple((str(c["id"]), c.get("label", "")) for c in raw.get("categories") or ())
    return Scale(cats, frozenset(str(c["id"]) for c in raw.get("categories") or () if c.get("support")), raw.get("description"))


def category_words(cat: Category | None, sc: Scale | None) -> str:
    if cat is None:
        return ""
    label = sc.label(cat.category) if sc else ""
    from nesa_cli.dates import uk_short

    text = f"{cat.category}" + (f" ({label})" if label else "") + f" for {cat.year}"
    if cat.set_by:
        text += f", set by {cat.set_by}"
    if cat.date:
        text += f" on {uk_short(cat.date)}"
    return text


def school_summary(model, school, day: date) -> dict:
    """What ``nesa schools show`` adds: designations and categories in words."""
    sc = scale(model.alliance)
    out = {
        "category": category_words(category_on(school, day), sc) or None,
        "designations": [{"holder": d.person or "the school", "designation": d.words(day), "status": d.status_on(day)}
                         for d in getattr(school, "designations", ())],
        "categories": [{"year": c.year, "category": c.category, "meaning": sc.label(c.category) if sc else "",
                        "set_by": c.set_by, "date": c.date} for c in getattr(school, "categories", ())],
    }
    return out


# --- changes in words (nesa diff, the digest) -------------------------------------------


def _norm(entry) -> dict:
    return {str(k): str(v) for k, v in dict(entry or {}).items()} if isinstance(entry, dict) else {}


def _designation_words(d: dict) -> str:
    abbr, title = TYPES.get(d.get("type", ""), (d.get("type", "?").upper(), d.get("type", "?")))
    if not d.get("person"):
        return f"the school: {title.lower()}"
    return f"{d['person']}: {abbr}" + (f" ({d['specialism']})" if d.get("specialism") else "")


def changes_in_words(name: str, old: dict, new: dict) -> list[str]:
    """A school file's designation and category changes, one line each."""
    out: list[str] = []
    od = [_norm(d) for d in old.get("designations") or () if isinstance(d, dict)]
    nd = [_norm(d) for d in new.get("designations") or () if isinstance(d, dict)]
    key = lambda d: (d.get("type"), d.get("person"), d.get("specialism"), d.get("from"))  # noqa: E731
    before = {key(d): d for d in od}
    after = {key(d): d for d in nd}
    for k, d in after.items():
        was = before.get(k)
        if was is None:
            out.append(f"{name}: designation {_designation_words(d)} from {d.get('from')}" + (f" to {d['to']}" if d.get("to") else ""))
        elif was.get("to") != d.get("to"):
            out.append(f"{name}: designation {_designation_words(d)} now ends {d['to']}" if d.get("to")
                       else f"{name}: designation {_designation_words(d)} no longer has an end date")
        elif was != d:
            out.append(f"{name}: designation {_designation_words(d)} details changed")
    for k, d in before.items():
        if k not in after:
            out.append(f"{name}: designation {_designation_words(d)} removed")
    oc = {c.get("year"): c for c in (_norm(c) for c in old.get("categories") or () if isinstance(c, dict))}
    nc = {c.get("year"): c for c in (_norm(c) for c in new.get("categories") or () if isinstance(c, dict))}
    for year, c in nc.items():
        by = f" (set by {c['set_by']})" if c.get("set_by") else ""
        was = oc.get(year)
        if was is None:
            out.append(f"{name}: category {c.get('category')} for {year}{by}")
        elif was.get("category") != c.get("category"):
            out.append(f"{name}: category for {year} {was.get('category')} -> {c.get('category')}{by}")
    for year, c in oc.items():
        if year not in nc:
            out.append(f"{name}: category for {year} removed (was {c.get('category')})")
    return out
