"""Contact cards as address books read them: one card per person with a
stable UID, structured names, the school's office; escaped and folded; read
back by vobject (a second, independent parser)."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from conftest import edit
from nesa_cli.cli import app
from nesa_cli.names import Name, structured_name
from nesa_cli.reports.vcard import escape, fold

runner = CliRunner()
SIAN = "Siân Ó Briain-Żółć"


def vcf(repo, *args) -> str:
    r = runner.invoke(app, ["-C", str(repo), "--today", "2026-11-23", "contacts", "--format", "vcf", *args])
    assert r.exit_code == 0, r.output
    return r.stdout


def unfolded(text: str) -> list[list[str]]:
    """Cards as lists of content lines (a reader of our own, RFC 2426 unfolding)."""
    lines = re.sub(r"\r?\n[ \t]", "", text).splitlines()
    cards, cur = [], None
    for line in lines:
        if line == "BEGIN:VCARD":
            cur = []
        elif line == "END:VCARD":
            cards.append(cur)
        elif cur is not None:
            cur.append(line)
    return cards


def card_of(text: str, fn: str) -> list[str]:
    found = [c for c in unfolded(text) if f"FN:{fn}" in c]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("name, parts", [
    (SIAN, Name("Ó Briain-Żółć", "Siân")),
    ("Dr Helen Armstrong", Name("Armstrong", "Helen", "", "Dr")),
    ("Prof. Anne Charlton", Name("Charlton", "Anne", "", "Prof.")),
    ("Mary Jane Smith", Name("Smith", "Mary", "Jane")),
    ("Jan van der Berg", Name("van der Berg", "Jan")),
    ("Aoife Nic Giolla Phádraig", Name("Nic Giolla Phádraig", "Aoife")),
    ("Samir Khan OBE", Name("Khan", "Samir", "", "", "OBE")),
    ("Cher", Name("", "Cher")),
])
def test_structured_names_derived(name, parts):
    assert structured_name(name) == parts


def test_structured_names_from_the_data():
    assert structured_name("Kim Min-jun", family_name="Kim", given_name="Min-jun") == Name("Kim", "Min-jun")
    assert structured_name("Anna Maria Nowak", family_name="Nowak") == Name("Nowak", "Anna", "Maria")
    assert structured_name("Dr Li Wei", family_name="Li") == Name("Li", "Wei", "", "Dr")


@pytest.mark.shared_sample
def test_one_card_per_person_with_all_roles_and_schools(sample):
    text = vcf(sample)
    c = card_of(text, SIAN)
    assert "N:Ó Briain-Żółć;Siân;;;" in c
    assert c.count("EMAIL;TYPE=INTERNET,WORK:s.obriain-zolc@example.org") == 1
    title = next(x for x in c if x.startswith("TITLE:"))
    assert "Allendale Moor Primary School: SEND Outreach Teacher" in title and "Wark Church of England Primary School: SENCO\\, Deputy" in title
    assert "ROLE:SENCO\\, Deputy DSL" in c
    adr = [x for x in c if x.startswith("ADR;TYPE=WORK:")]
    assert adr == ["ADR;TYPE=WORK:;Allendale Moor Primary School;Allen Mill Road;Allendale;Northumberland;NE47 9BN;United Kingdom",
                   "ADR;TYPE=WORK:;Wark Church of England Primary School;Barrasford Road;Wark;Northumberland;NE48 3DD;United Kingdom"]
    assert "TEL;TYPE=WORK,VOICE:01434 230372" in c and "TEL;TYPE=WORK,VOICE:01434 683218" in c
    # a head who is also the DSL: one card
    emma = card_of(text, "Emma Charlton")
    assert "TITLE:Headteacher and Designated Safeguarding Lead" in emma
    # no two cards share a UID, and nobody has two cards under one email
    uids = [x for card in unfolded(text) for x in card if x.startswith("UID:")]
    assert len(uids) == len(set(uids)) == text.count("BEGIN:VCARD")
    emails = [x for card in unfolded(text) for x in card if x.startswith("EMAIL")]
    assert len(emails) == len(set(emails))


def test_uid_stable_and_derived_from_the_person(sample):
    first = card_of(vcf(sample), SIAN)
    uid = next(x for x in first if x.startswith("UID:urn:uuid:"))
    # another run, another scope, a changed title: the same UID
    edit(sample, "data/schools/122234.yaml", "title: SENCO\n", "title: SENCO and Inclusion Lead\n")
    assert uid in card_of(vcf(sample, "--school", "122234"), SIAN)
    assert uid in card_of(vcf(sample, "--role", "senco"), SIAN)
    # a person without a public email: known by school and name, still stable
    chair = [x for x in card_of(vcf(sample, "--school", "122101"), "Zoe Pattinson") if x.startswith("UID:")]
    again = [x for x in card_of(vcf(sample, "--school", "122101", "--include-private"), "Zoe Pattinson") if x.startswith("UID:")]
    assert chair == again and "pattinson" not in chair[0]


@pytest.mark.shared_sample
def test_school_office_on_every_card(sample):
    for card in unfolded(vcf(sample, "--school", "122101")):
        assert "ADR;TYPE=WORK:;Rothbury First School;Whitton Road;Rothbury;Northumberland;NE65 7HG;United Kingdom" in card
        assert "TEL;TYPE=WORK,VOICE:01669 620348" in card


def test_escaping_and_folding():
    assert escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "TITLE:" + "Żółć " * 30
    folded = fold(line)
    for part in folded.split("\r\n"):
        assert len(part.encode("utf-8")) <= 75
    assert folded.replace("\r\n ", "") == line  # never split inside a character


@pytest.mark.shared_sample
def test_lines_folded_crlf(sample, tmp_path):
    out = tmp_path / "all.vcf"
    r = runner.invoke(app, ["-C", str(sample), "--today", "2026-11-23", "contacts", "--format", "vcf", "-o", str(out)])
    assert r.exit_code == 0
    raw = out.read_bytes()
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert max(len(x) for x in raw.split(b"\r\n")) <= 75


@pytest.mark.shared_sample
def test_vobject_reads_every_card_and_round_trips(sample):
    vobject = pytest.importorskip("vobject")
    text = vcf(sample)
    cards = list(vobject.readComponents(text))
    assert len(cards) == text.count("BEGIN:VCARD")
    sian = next(c for c in cards if c.fn.value == SIAN)
    assert (sian.n.value.family, sian.n.value.given) == ("Ó Briain-Żółć", "Siân")
    assert [a.value.code for a in sian.adr_list] == ["NE47 9BN", "NE48 3DD"]
    assert sian.org.value == ["Allendale Moor Primary School"]
    assert "Wark Church of England Primary School: SENCO, Deputy Designated Safeguarding Lead" in sian.title.value
    # round trip: vobject writes the card out, reads it again, nothing lost
    back = vobject.readOne(sian.serialize())
    assert back.uid.value == sian.uid.value and back.fn.value == SIAN
    assert (back.n.value.family, back.n.value.given) == ("Ó Briain-Żółć", "Siân")
    assert back.title.value == sian.title.value
    assert sorted(t.value for t in back.tel_list) == sorted(t.value for t in sian.tel_list)
