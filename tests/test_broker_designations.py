"""The broker ranks by designations, categories and need priority, and by the competitor
setting of data/alliance.yaml (issue 20), and says so in each row's one-line explanation."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from nesa_cli.collab.broker import broker, competitor_setting
from nesa_cli.designations import Category, Designation
from nesa_cli.model import Alliance, Contact

from test_broker import DAY, model, ranks, school
from test_broker_density import ring

SCALE = {"categories": [{"id": "A", "label": "Strong"}, {"id": "B", "label": "Good"},
                        {"id": "C", "label": "Requires support", "support": True},
                        {"id": "D", "label": "Requires intensive support", "support": True}]}


def alliance(**kw) -> Alliance:
    return Alliance(name="Test", short_name="T", la_codes=(929,), eligible_types=("community",),
                    financial_year_start_month=4, census_date=date(2025, 10, 2), **kw)


def with_(s, designations=(), categories=(), needs=(), contacts=()):
    return replace(s, designations=tuple(designations), categories=tuple(categories), needs=tuple(needs),
                   contacts=tuple(Contact("teacher", n) for n in contacts))


def sle(person, area="maths-mastery", start=date(2024, 9, 1), end=None):
    return Designation("sle", start, person, area, end)


def test_a_current_sle_in_the_need_outranks_a_nearer_school_and_says_so():
    target = school(100001, 400000, 600000, strengths=())
    near = school(100002, 410000, 600000)  # 10 km
    far = with_(school(100003, 420000, 600000), [sle("Ann Lee")], contacts=["Ann Lee"])  # 20 km, an SLE
    m = model(target, near, far)
    rows = broker(m, DAY, "maths-mastery", 100001).rows
    assert [r["urn"] for r in rows] == [100003, 100002]
    assert "SLE in maths-mastery: Ann Lee (+1.5)" in rows[0]["why"]


def test_a_lapsed_sle_or_one_in_another_specialism_does_not_count():
    target = school(100001, 400000, 600000, strengths=())
    near = school(100002, 410000, 600000)
    lapsed = with_(school(100003, 420000, 600000), [sle("Ann Lee", end=date(2025, 8, 31))])
    other = with_(school(100004, 420000, 600100), [sle("Bob Roe", area="send")])
    rows = {r["urn"]: r for r in broker(model(target, near, lapsed, other), DAY, "maths-mastery", 100001).rows}
    assert ranks(broker(model(target, near, lapsed, other), DAY, "maths-mastery", 100001))[0] == 100002
    assert "lapsed 2025-08-31 (not counted)" in rows[100003]["why"]
    assert "SLE" not in rows[100004]["why"]


def test_an_sle_designated_from_a_later_day_counts_only_from_then():
    target = school(100001, 400000, 600000, strengths=())
    soon = with_(school(100003, 420000, 600000), [sle("Ann Lee", start=date(2027, 1, 1))])
    m = model(target, school(100002, 410000, 600000), soon)
    assert ranks(broker(m, DAY, "maths-mastery", 100001))[0] == 100002
    assert ranks(broker(m, date(2027, 1, 4), "maths-mastery", 100001))[0] == 100003


def test_nle_weighs_more_for_a_high_priority_need_and_a_school_in_a_support_category():
    nle = Designation("nle", date(2020, 9, 1), "Cara Head")
    base_target = school(100001, 400000, 600000, strengths=())
    helper = with_(school(100002, 430000, 600000, strengths=("leadership",)), [nle])
    plain_target = with_(base_target, needs=[{"area": "leadership", "priority": "low"}])
    urgent = with_(base_target, categories=[Category("2026-27", "D")], needs=[{"area": "leadership", "priority": "high"}])
    m1, m2 = model(plain_target, helper), model(urgent, helper)
    m1.alliance = m2.alliance = alliance(categorisation=SCALE)
    calm = broker(m1, DAY, "leadership", 100001).rows[0]
    pressed = broker(m2, DAY, "leadership", 100001)
    assert "NLE Cara Head (+1)" in calm["why"]
    assert "NLE Cara Head (+2, x2: high-priority need and category D)" in pressed.rows[0]["why"]
    assert pressed.rows[0]["score"] == round(calm["score"] + 1, 2)
    assert any("category D (Requires intensive support) for 2026-27" in n for n in pressed.notes)


def test_the_supporters_own_category_counts_this_academic_year_only():
    target = school(100001, 400000, 600000, strengths=())
    strong = with_(school(100002, 420000, 600000), categories=[Category("2026-27", "A")])
    struggling = with_(school(100003, 410000, 600000), categories=[Category("2026-27", "C")])
    old = with_(school(100004, 410000, 600100), categories=[Category("2025-26", "C")])  # last year's: not counted
    m = model(target, strong, struggling, old)
    m.alliance = alliance(categorisation=SCALE)
    rows = {r["urn"]: r for r in broker(m, DAY, "maths-mastery", 100001).rows}
    assert "category A (Strong) (+0.5)" in rows[100002]["why"]
    assert "itself in category C (Requires support) (-1)" in rows[100003]["why"]
    assert "category" not in rows[100004]["why"]
    order = ranks(broker(m, DAY, "maths-mastery", 100001))
    assert order[-1] == 100003 and order.index(100004) < order.index(100003)  # the same distance, one category C


# --- the competitor setting in data/alliance.yaml --------------------------------------------


def barnet():
    """A London-like layout: six primaries next door offer nothing, four primaries 2.5 km away
    offer primary maths mastery, and a secondary 800 m away offers it too."""
    target = school(100001, 520000, 190000, strengths=())
    next_door = ring(100100, 6, 600, strengths=())
    offering = ring(100200, 4, 2500)
    secondary = school(100300, 520800, 190000, phase="secondary")
    return model(target, *next_door, *offering, secondary), {s.urn for s in offering}


def rural():
    """A rural layout: the two nearest villages' primaries (3 and 4 km) offer maths mastery, a first school
    3 km away and a primary 30 km away do too."""
    target = school(100001, 400000, 600000, strengths=())
    return model(target, school(100002, 403000, 600000), school(100003, 400000, 604000),
                 school(100004, 430000, 600000), school(100005, 400000, 603000, phase="first"))


def test_default_setting_is_right_for_london_and_for_a_rural_county():
    m, offering = barnet()
    m.alliance = alliance()  # no broker: setting
    listing = broker(m, DAY, "maths-mastery", 100001)
    assert listing.rows[0]["phase"] == "primary" and listing.rows[0]["urn"] in offering
    assert any("the 3 nearest within 5 km (the default)" in n for n in listing.notes)
    r = rural()
    r.alliance = alliance()
    rows = {x["urn"]: x for x in broker(r, DAY, "maths-mastery", 100001).rows}
    assert "competitor" in rows[100002]["why"] and "competitor" in rows[100003]["why"]
    assert ranks(broker(r, DAY, "maths-mastery", 100001))[0] == 100005


def test_alliance_setting_is_used_and_a_flat_radius_would_hit_every_london_primary():
    m, offering = barnet()
    m.alliance = alliance(broker={"competitors": {"nearest": 50, "within_km": 5}})  # every primary within 5 km
    listing = broker(m, DAY, "maths-mastery", 100001)
    assert listing.rows[0]["phase"] == "secondary"  # the old flat 5 km penalty: the wrong answer
    assert all("competitor" in r["why"] for r in listing.rows if r["urn"] in offering)
    assert any("data/alliance.yaml, broker: competitors" in n for n in listing.notes)


def test_alliance_can_switch_competition_off_and_the_options_override_it():
    r = rural()
    r.alliance = alliance(broker={"competitors": False})
    assert competitor_setting(r.alliance)[:2] == (0, 0.0)
    rows = broker(r, DAY, "maths-mastery", 100001).rows
    assert not any("competitor" in x["why"] for x in rows)
    assert ranks(broker(r, DAY, "maths-mastery", 100001))[0] == 100002
    rows = broker(r, DAY, "maths-mastery", 100001, competitor_nearest=3, competitor_km=5).rows
    assert any("competitor" in x["why"] for x in rows)


def test_setting_defaults_for_a_partial_mapping():
    assert competitor_setting(alliance(broker={"competitors": {"nearest": 2}}))[:2] == (2, 5.0)
    assert competitor_setting(alliance(broker={"competitors": {"within_km": 1.5}}))[:2] == (3, 1.5)
    assert competitor_setting(None)[:2] == (3, 5.0)


def test_an_nlg_counts_for_a_governance_need_only_and_a_hub_for_any():
    nlg = Designation("nlg", date(2022, 1, 1), "Gill Governor")
    hub = Designation("teaching-school-hub", date(2021, 9, 1))
    target = school(100001, 400000, 600000, strengths=())
    helper = with_(school(100002, 410000, 600000, strengths=("governance", "maths-mastery")), [nlg, hub])
    m = model(target, helper)
    gov = broker(m, DAY, "governance", 100001).rows[0]["why"]
    maths = broker(m, DAY, "maths-mastery", 100001).rows[0]["why"]
    assert "NLG Gill Governor (+1)" in gov and "teaching school hub (+0.5)" in gov
    assert "NLG" not in maths and "teaching school hub (+0.5)" in maths
