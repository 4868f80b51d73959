"""Record helpers the reports rely on."""

from __future__ import annotations

from datetime import date

import pytest

from nesa_cli.model import Adoption, Policy, PolicyVersion


def policy(*adoptions: Adoption) -> Policy:
    versions = (PolicyVersion("1.0", date(2024, 9, 1)), PolicyVersion("2.0", date(2025, 9, 1)))
    return Policy("send", "SEND", "send", 12, versions, adoptions=adoptions)


def test_latest_adoption_is_the_latest_date_whatever_the_order():
    p = policy(Adoption(1, "2.0", date(2025, 10, 1)), Adoption(2, "1.0", date(2024, 10, 1)), Adoption(1, "1.0", date(2024, 10, 1)))
    assert p.latest_adoption(1) == Adoption(1, "2.0", date(2025, 10, 1))
    assert p.latest_adoption(2).version == "1.0"
    assert p.latest_adoption(3) is None


def test_on_the_same_day_the_first_listed_adoption_counts():
    first, second = Adoption(1, "1.0", date(2025, 10, 1), "FGB"), Adoption(1, "2.0", date(2025, 10, 1), "Committee")
    assert policy(first, second).latest_adoption(1) is first


def test_versions_by_number():
    p = policy()
    assert p.version("2.0").approved == date(2025, 9, 1)
    assert p.version("3.0") is None
    assert p.current.version == "2.0"


def test_records_built_from_data_equal_records_made_by_hand():
    """The builders' fast constructors make the same frozen records."""
    import dataclasses

    import pytest

    from nesa_cli.model import Contact, MembershipEvent, NetworkMember, PupilCount, build_network, build_school

    s = build_school({"urn": 1, "name": "A", "phase": "primary", "type": "community",
                      "pupils": [{"census_date": "2025-10-02", "count": 9}],
                      "membership": [{"state": "member", "date": "2024-09-01", "reason": None}],
                      "contacts": [{"role": "headteacher", "name": "H", "mobile": "07700 900000", "private": ["mobile"]},
                                   {"role": "senco", "name": "S"}]})
    assert s.contacts == (Contact("headteacher", "H", mobile="07700 900000", private=frozenset({"mobile"})), Contact("senco", "S"))
    assert s.membership == (MembershipEvent("member", date(2024, 9, 1)),)
    assert s.pupils == (PupilCount(date(2025, 10, 2), 9),)
    assert hash(s.contacts[1]) == hash(Contact("senco", "S"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.contacts[0].name = "X"
    n = build_network({"id": "n", "name": "N", "kind": "role", "members": [{"school": 1, "person": "S", "since": "2024-09-01"}]})
    assert n.members == (NetworkMember(1, "S", None, date(2024, 9, 1), None),)


def test_a_school_read_from_a_file_is_the_same_record_as_one_made_by_hand():
    """Contacts of a school read from a file are built when first asked for;
    the record still compares, prints, converts and edits as a School."""
    import dataclasses

    from nesa_cli.model import Contact, MembershipEvent, School, build_school

    raw = {"urn": 7, "name": "B", "phase": "first", "type": "community",
           "membership": [{"state": "member", "date": "2024-09-01"}],
           "contacts": [{"role": "headteacher", "name": "H"}, {"role": "senco", "name": "S", "email": "s@example.org"}]}
    read = build_school(raw, "data/schools/7.yaml")
    hand = School(7, "B", "first", "community", path="data/schools/7.yaml",
                  membership=(MembershipEvent("member", date(2024, 9, 1)),),
                  contacts=(Contact("headteacher", "H"), Contact("senco", "S", email="s@example.org")))
    assert "_raw_contacts" in vars(read)  # not built yet
    assert read == hand and hand == read
    assert repr(read) == repr(hand)
    assert dataclasses.asdict(read) == dataclasses.asdict(hand)
    assert isinstance(read, School) and read.head == Contact("headteacher", "H")
    assert read.contact_named("S").email == "s@example.org"
    assert read.contacts is read.contacts  # built once
    assert dataclasses.replace(read, name="C") == dataclasses.replace(hand, name="C")
    read.contacts = (Contact("senco", "T"),)
    assert read != hand and read.contacts == (Contact("senco", "T"),)
    assert build_school({**raw, "contacts": []}).contacts == () and build_school({k: v for k, v in raw.items() if k != "contacts"}).head is None


def test_head_of_a_school_read_from_a_file_needs_no_other_contact():
    """The head is found among the raw contacts without building the others,
    and is the contact School.head gives once they are built."""
    from nesa_cli.model import Contact, build_school

    raw = {"urn": 7, "name": "B", "phase": "first", "type": "community",
           "contacts": [{"role": "senco", "name": "S"}, {"role": "head-of-school", "name": "H", "mobile": "07700 900000", "private": ["mobile"]},
                        {"role": "headteacher", "name": "T"}]}
    read = build_school(raw)
    assert read.head == Contact("head-of-school", "H", mobile="07700 900000", private=frozenset({"mobile"}))
    assert "_built_contacts" not in vars(read)
    assert read.contacts[1] == read.head  # built now: the same answer
    assert build_school({**raw, "contacts": [{"role": "senco", "name": "S"}]}).head is None


def test_a_school_known_by_its_summary_is_built_on_first_use():
    """A lazy school (from a cache pack's summary) answers URN, name, phase,
    type and partnerships without its data; anything else builds the whole
    record, which is then the school build_school makes."""
    import dataclasses

    from nesa_cli.loader.lazy import SCHOOL_SUMMARY, lazy_school, summary
    from nesa_cli.model import Contact, build_school

    raw = {"urn": 7, "name": "B", "phase": "first", "type": "community", "partnership": "north", "laestab": 9297007,
           "address": {"town": "Alnwick", "postcode": "NE66 1AA"},
           "membership": [{"state": "member", "date": "2024-09-01"}],
           "contacts": [{"role": "senco", "name": "S"}, {"role": "headteacher", "name": "H"}]}
    eager = build_school(raw, "data/schools/7.yaml")

    class Doc:
        reads = 0

        @property
        def data(self):
            Doc.reads += 1
            return raw

    def fresh():
        return lazy_school(summary("school", eager), "data/schools/7.yaml", {"data/schools/7.yaml": Doc()})

    s = fresh()
    assert [getattr(s, f) for f in SCHOOL_SUMMARY] == [7, "B", "first", "community", "north", (), None] and Doc.reads == 0
    assert s.town == "Alnwick" and Doc.reads == 1
    assert s == eager and repr(s) == repr(eager) and dataclasses.asdict(s) == dataclasses.asdict(eager)
    assert s.laestab == 9297007 and Doc.reads == 1  # built once
    assert fresh().head == Contact("headteacher", "H")
    assert fresh().status_on(date(2025, 1, 1)) == "member"
    t = fresh()
    t.notes = "set before it was built"
    assert t.notes == "set before it was built" and t.town == "Alnwick"
    u = fresh()
    u.contacts = (Contact("senco", "T"),)
    assert u.contacts == (Contact("senco", "T"),) and u.head is None
    # a successor's predecessor (and its other partnerships) come from the summary too, as plain values
    raw.update(other_partnerships=["south"], predecessor={"urn": 6, "date": "2025-09-01", "reason": "academy-converter"})
    eager = build_school(raw, "data/schools/7.yaml")
    import marshal

    kept = marshal.loads(marshal.dumps(summary("school", eager)))  # as a pack keeps it
    v = lazy_school(kept, "data/schools/7.yaml", {"data/schools/7.yaml": Doc()})
    reads = Doc.reads
    assert v.predecessor == eager.predecessor and v.predecessor.date == date(2025, 9, 1) and v.other_partnerships == ("south",)
    assert Doc.reads == reads and v == eager


@pytest.mark.shared_sample
def test_a_lazy_school_pickles_like_any_school(sample):
    """A school known from the cache's index (not yet built) pickles to a
    whole school, equal to one built from its file, with no cache inside."""
    import pickle

    from nesa_cli.loader.lazy import LazySchool
    from nesa_cli.model import School, build_school
    from nesa_cli.load import load_bytes
    from nesa_cli.store import WorkingTree
    from nesa_cli.validate.run import load

    load(WorkingTree(sample))
    warm = load(WorkingTree(sample))
    lazy = [s for s in warm.model.schools.values() if isinstance(s, LazySchool)]
    assert lazy, "the warm load serves schools from the pack"
    school = lazy[-1]
    path = f"data/schools/{school.urn}.yaml"
    built = build_school(load_bytes(path, (sample / path).read_bytes()).data, path)
    raw = pickle.dumps(school)
    assert b"Cache" not in raw and b"_Documents" not in raw
    again = pickle.loads(raw)
    assert isinstance(again, School) and again == built and again.contacts == built.contacts


@pytest.mark.shared_sample
def test_a_school_not_yet_built_pickles_and_copies_as_a_whole_school(sample):
    """A listing's load (no cross-file rules) leaves schools known only by
    their summary; pickling or copying one builds it first, and what comes
    back holds no cache, documents or pack reader."""
    import copy
    import pickle

    from nesa_cli.loader import load
    from nesa_cli.loader.lazy import LazySchool
    from nesa_cli.load import load_bytes
    from nesa_cli.model import School, build_school
    from nesa_cli.store import WorkingTree

    load(WorkingTree(sample), kinds={"school"})
    warm = load(WorkingTree(sample), kinds={"school"})
    unbuilt = [s for s in warm.model.schools.values() if isinstance(s, LazySchool) and "_docs" in s.__dict__]
    assert len(unbuilt) == len(warm.model.schools) > 1
    for school in unbuilt[:2]:
        path = school.path
        built = build_school(load_bytes(path, (sample / path).read_bytes()).data, path)
        raw = pickle.dumps(school)
        assert b"Cache" not in raw and b"Documents" not in raw and b"LazySchool" not in raw
        again = pickle.loads(raw)
        assert isinstance(again, School) and again == built and again.contacts == built.contacts
        assert copy.deepcopy(school) == built and copy.copy(school) == built
