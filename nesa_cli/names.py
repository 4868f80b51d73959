"""People's names in parts: family, given, additional, prefix, suffix (vCard N).

A file holds a person's ``name`` as written ("Dr Siân Ó Briain-Żółć OBE");
``family_name`` and ``given_name`` may say which part is which where the
words alone cannot (a family name written first). Without them the parts are
derived: honorifics in front and letters after are set apart, the first word
is the given name, and the family name is the last word together with any
particle before it (Ó, Mac, de, van der, ...), so "Siân Ó Briain-Żółć" has the
family name "Ó Briain-Żółć", not "Briain-Żółć"."""

from __future__ import annotations

from typing import NamedTuple

PREFIXES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "revd", "rev", "reverend", "canon",
                      "fr", "father", "sister", "sir", "dame", "lord", "lady", "cllr", "councillor", "rt", "hon"})
SUFFIXES = frozenset({"obe", "mbe", "cbe", "kbe", "dbe", "cb", "qc", "kc", "phd", "jr", "jnr", "sr", "snr", "ii", "iii",
                      "frsa", "dl", "jp", "mp"})
PARTICLES = frozenset({"ó", "o", "ní", "nic", "ua", "uí", "mac", "mc", "mhic", "de", "da", "di", "del", "della", "der",
                       "den", "du", "la", "le", "van", "von", "ter", "ten", "bin", "binti", "bint", "ibn", "al", "el",
                       "ap", "ab", "dos", "das", "do", "st", "st."})


class Name(NamedTuple):
    family: str
    given: str
    additional: str = ""
    prefix: str = ""
    suffix: str = ""


def _word(w: str) -> str:
    return w.casefold().rstrip(".,")


def structured_name(name: str, family_name: str | None = None, given_name: str | None = None) -> Name:
    """The parts of ``name``; ``family_name``/``given_name`` as written in the data win."""
    words = name.split()
    prefix: list[str] = []
    suffix: list[str] = []
    while len(words) > 1 and _word(words[0]) in PREFIXES:
        prefix.append(words.pop(0))
    while len(words) > 1 and _word(words[-1]) in SUFFIXES:
        suffix.insert(0, words.pop().rstrip(","))
    if words and words[-1].endswith(","):
        words[-1] = words[-1].rstrip(",")
    pre, suf = " ".join(prefix), " ".join(suffix)
    if family_name:
        fam = family_name.split()
        if words[-len(fam):] == fam:
            rest = words[:-len(fam)]
        elif words[:len(fam)] == fam:  # family name first
            rest = words[len(fam):]
        else:
            rest = [] if given_name else words
        if given_name:
            giv = given_name.split()
            rest = rest[len(giv):] if rest[:len(giv)] == giv else []
            return Name(family_name, given_name, " ".join(rest), pre, suf)
        return Name(family_name, " ".join(rest[:1]), " ".join(rest[1:]), pre, suf)
    if len(words) <= 1:
        return Name("", given_name or " ".join(words), "", pre, suf)
    start = len(words) - 1
    for i in range(1, len(words) - 1):
        if _word(words[i]) in PARTICLES:
            start = i
            break
    given = words[0]
    additional = words[1:start]
    if given_name:
        giv = given_name.split()
        head = words[:start]
        given = given_name
        additional = head[len(giv):] if head[:len(giv)] == giv else []
    return Name(" ".join(words[start:]), given, " ".join(additional), pre, suf)
