"""Reading a GIAS establishment file: decoding, the header, and each row mapped
to the school record's fields (see :mod:`nesa_cli.gias` for what GIAS owns)."""

from __future__ import annotations

import csv
import difflib
import io
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from nesa_cli.errors import UsageError
from nesa_cli.progress import step

# The columns the import reads (GIAS spells them exactly so).
COLUMNS = (
    "URN", "LA (code)", "LA (name)", "EstablishmentNumber", "EstablishmentName", "TypeOfEstablishment (name)",
    "EstablishmentStatus (name)", "PhaseOfEducation (name)", "StatutoryLowAge", "StatutoryHighAge",
    "ReligiousCharacter (name)", "Diocese (name)", "SchoolCapacity", "CensusDate", "NumberOfPupils", "Trusts (name)",
    "Street", "Locality", "Address3", "Town", "County (name)", "Postcode", "SchoolWebsite", "TelephoneNum",
    "HeadTitle (name)", "HeadFirstName", "HeadLastName", "HeadPreferredJobTitle", "Easting", "Northing",
    "UrbanRural (name)", "OfstedRating (name)", "OfstedLastInsp",
    # issue 20, trusts: the trust (and whether single- or multi-academy) and the federation
    "Trusts (code)", "TrustSchoolFlag (name)", "Federations (code)", "Federations (name)",
)

TYPES = {
    "community school": "community",
    "voluntary aided school": "voluntary-aided",
    "voluntary controlled school": "voluntary-controlled",
    "foundation school": "foundation",
    "community special school": "community-special",
    "foundation special school": "foundation-special",
    "local authority nursery school": "la-nursery",
    "pupil referral unit": "pupil-referral-unit",
    "academy converter": "academy-converter",
    "academy sponsor led": "academy-sponsor-led",
    "academy special converter": "academy-special-converter",
    "academy special sponsor led": "academy-special-sponsor-led",
    "academy alternative provision converter": "academy-alternative-provision",
    "academy alternative provision sponsor led": "academy-alternative-provision",
    "academy 16-19 converter": "academy-16-19",
    "academy 16-19 sponsor led": "academy-16-19",
    "academy 16 to 19 sponsor led": "academy-16-19",
    "academy 16 to 19 converter": "academy-16-19",
    "free schools": "free-school",
    "free schools special": "free-school-special",
    "free schools alternative provision": "free-school-alternative-provision",
    "free schools 16 to 19": "free-school",
    "university technical college": "university-technical-college",
    "studio schools": "studio-school",
    "non-maintained special school": "non-maintained-special",
    "other independent school": "independent",
    "other independent special school": "independent",
}
SPECIAL_TYPES = {"community-special", "foundation-special", "academy-special-converter", "academy-special-sponsor-led",
                 "free-school-special", "non-maintained-special"}
AP_TYPES = {"pupil-referral-unit", "academy-alternative-provision", "free-school-alternative-provision"}

PHASES = {
    "nursery": "nursery",
    "primary": "primary",
    "middle deemed primary": "middle-deemed-primary",
    "secondary": "secondary",
    "middle deemed secondary": "middle-deemed-secondary",
    "16 plus": "16-plus",
    "all-through": "all-through",
    "all through": "all-through",
}
# The alliance's own names for what GIAS calls primary/secondary: kept when the file uses them.
LOCAL_PHASES = {"primary": {"first"}, "secondary": {"high"}}

RELIGION = {
    "does not apply": "none", "none": "none", "": None,
    "church of england": "church-of-england",
    "roman catholic": "roman-catholic", "catholic": "roman-catholic",
    "church of england/methodist": "church-of-england-methodist",
    "methodist/church of england": "church-of-england-methodist",
    "church of england/christian": "church-of-england",
    "roman catholic/church of england": "other", "church of england/roman catholic": "other",
    "methodist": "methodist", "christian": "christian",
    "jewish": "jewish", "orthodox jewish": "jewish",
    "muslim": "muslim", "islam": "muslim",
    "sikh": "sikh", "hindu": "hindu",
}
STATUSES = {
    "open": "open", "closed": "closed",
    "open, but proposed to close": "open-proposed-to-close",
    "proposed to open": "proposed-to-open",
}
NOT_GIVEN = {"", "not applicable", "not recorded", "unknown", "none", "n/a"}

# GIAS-owned fields, in the order changes are reported.
OWNED = ("name", "laestab", "type", "phase", "age_range.low", "age_range.high", "religious_character", "diocese",
         "address.street", "address.locality", "address.address3", "address.town", "address.county",
         "address.postcode", "location.easting", "location.northing", "website", "phone", "capacity",
         "trust.name", "trust.code", "trust.type", "federation.name", "federation.code")  # trust, federation: issue 20
# Blocks GIAS owns whole: a row that lists none removes the file's (a school leaves a federation).
OWNED_BLOCKS = ("trust", "federation")


class GiasError(UsageError):
    """The file is not a GIAS establishment file we can read; the message says why."""


@dataclass
class Establishment:
    """One GIAS row, mapped to the school record's fields."""

    urn: int
    line: int
    la_code: int | None
    fields: dict  # dotted school field -> value (absent when GIAS leaves it empty)
    gias_type: str
    gias_phase: str
    status: str
    close_date: date | None = None
    census: tuple[date, int] | None = None
    head: str | None = None
    head_title: str | None = None
    problem: str | None = None  # why it cannot be imported as a new school


@dataclass
class Extract:
    path: str
    encoding: str
    rows: int = 0
    establishments: dict[int, Establishment] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    trust_counts: dict = field(default_factory=dict)  # issue 20: "code:<Trusts (code)>" -> open establishments in it


# --- reading ---------------------------------------------------------------------------------


def decode(raw: bytes, name: str) -> tuple[str, str]:
    """The file's text and the encoding it was read with; GiasError naming
    what is wrong when it is not a text file GIAS could have written."""
    if raw.startswith(b"PK\x03\x04"):
        raise GiasError(f"{name} is a spreadsheet workbook (.xlsx), not CSV: download the CSV from GIAS, or save it as CSV")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw[:4096]:
        raise GiasError(f"{name} is UTF-16 text; GIAS files are Windows-1252 (save it again as 'CSV', not 'Unicode text')")
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw[3:].decode("utf-8"), "UTF-8"
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, 3 + exc.start) + 1
            raise GiasError(f"{name} starts as UTF-8 but byte {raw[3 + exc.start]:#04x} at line {line} is not UTF-8") from None
    try:
        text = raw.decode("utf-8")
        if not text.isascii():
            return text, "UTF-8"  # re-saved by a spreadsheet as UTF-8: read as such
        return text, "Windows-1252"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise GiasError(f"{name}: byte {raw[exc.start]:#04x} at line {line} is neither Windows-1252 (GIAS's encoding) "
                        "nor UTF-8; is this really the GIAS CSV?") from None


def _header(row: list[str], name: str) -> dict[str, int]:
    if row and row[0].startswith("\ufeff"):
        row = [row[0][1:]] + row[1:]
    row = [c.strip() for c in row]
    if len(row) == 1 and (";" in row[0] or "\t" in row[0]):
        sep = "semicolons" if ";" in row[0] else "tabs"
        raise GiasError(f"{name}: the columns are separated by {sep}; GIAS files use commas")
    index = {c: i for i, c in enumerate(row)}
    missing = [c for c in COLUMNS if c not in index]
    if missing:
        hints = []
        for m in missing[:8]:
            close = difflib.get_close_matches(m, row, n=1, cutoff=0.75)
            hints.append(f"{m!r}" + (f" (the file has {close[0]!r})" if close else ""))
        more = f" and {len(missing) - 8} more" if len(missing) > 8 else ""
        what = "is not a GIAS establishment file: " if len(missing) > len(COLUMNS) // 2 else ""
        raise GiasError(f"{name} {what}missing column{'s' if len(missing) != 1 else ''} {', '.join(hints)}{more}. "
                        "Use the 'all establishment data' CSV (edubasealldata<date>.csv) from GIAS downloads")
    return index


def open_csv(path: str | Path):
    """A GIAS CSV file (establishments or links) opened for reading: (its csv
    reader, past the header; the header row; the text; its encoding)."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise GiasError(f"cannot read {path}: {exc.strerror or exc}") from None
    text, encoding = decode(raw, p.name)
    del raw
    reader = csv.reader(io.StringIO(text, newline=""), strict=False)
    try:
        head = next(reader)
    except StopIteration:
        raise GiasError(f"{p.name} is empty") from None
    except csv.Error as exc:
        raise GiasError(f"{p.name} is not readable CSV: {exc}") from None
    return reader, head, text, encoding


def read(path: str | Path, keep=None) -> Extract:
    """Stream the CSV; build establishments only for rows where
    ``keep(urn, la_code)`` is true (all rows when ``keep`` is None)."""
    p = Path(path)
    reader, head, text, encoding = open_csv(path)
    ix = _header(head, p.name)
    extract = Extract(str(path), encoding)
    i_urn, i_la, width = ix["URN"], ix["LA (code)"], len(head)
    lines = text.count("\n")  # for progress: about one row a line (a quoted cell may hold a line break)
    i_trust, i_status = ix["Trusts (code)"], ix["EstablishmentStatus (name)"]
    counts = extract.trust_counts
    try:
        for row in reader:
            extract.rows += 1
            if not extract.rows % 2000:
                step("Reading GIAS rows", min(reader.line_num, lines), lines)
            if not row:
                continue
            line = reader.line_num
            if len(row) != width:
                extract.problems.append(f"line {line}: {len(row)} cells where the header has {width}")
                continue
            urn_text = row[i_urn].strip()
            if not urn_text.isdigit():
                extract.problems.append(f"line {line}: URN {urn_text!r} is not a number")
                continue
            urn = int(urn_text)
            code = row[i_trust].strip()
            if code and row[i_status].strip().lower() != "closed":
                counts[f"code:{code}"] = counts.get(f"code:{code}", 0) + 1
            la_text = row[i_la].strip()
            la = int(la_text) if la_text.isdigit() else None
            if keep is not None and not keep(urn, la):
                continue
            if urn in extract.establishments:
                extract.problems.append(f"line {line}: URN {urn} is listed twice (kept line {extract.establishments[urn].line})")
                continue
            extract.establishments[urn] = _establishment(row, ix, urn, la, line)
    except csv.Error as exc:
        raise GiasError(f"{p.name}: broken CSV near line {reader.line_num}: {exc}") from None
    return extract


def _date(text: str) -> date | None:
    text = text.strip()
    m = re.fullmatch(r"(\d{1,2})[-/](\d{1,2})[-/](\d{4})", text)
    if not m:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
        return None
    try:
        return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None


def _int(text: str) -> int | None:
    text = text.strip().replace(",", "")
    return int(text) if text.isdigit() else None


def _text(text: str) -> str | None:
    text = " ".join(text.split())
    return None if text.lower() in NOT_GIVEN else text


def postcode(text: str) -> str | None:
    compact = re.sub(r"\s+", "", text or "").upper()
    if not compact:
        return None
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def website(text: str) -> str | None:
    text = (text or "").strip()
    if not text or text.lower() in NOT_GIVEN:
        return None
    if not re.match(r"https?://", text, re.I):
        text = "https://" + text
    return text


def phone(text: str) -> str | None:
    """A GIAS number (often digits run together) in the usual UK grouping."""
    digits = re.sub(r"[^0-9+]", "", text or "")
    if digits.startswith("+44"):
        digits = "0" + digits[3:]
    if not digits.isdigit() or len(digits) < 10:
        return _text(text or "")
    if len(digits) == 11 and digits.startswith("02"):
        return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    if len(digits) == 11 and digits.startswith("01"):
        return f"{digits[:5]} {digits[5:]}"
    if len(digits) == 11:
        return f"{digits[:4]} {digits[4:7]} {digits[7:]}"
    return f"{digits[:5]} {digits[5:]}"


def _establishment(row: list[str], ix: dict[str, int], urn: int, la: int | None, line: int) -> Establishment:
    def col(name: str) -> str:
        i = ix.get(name)
        return row[i] if i is not None else ""

    gtype = " ".join(col("TypeOfEstablishment (name)").split())
    gphase = " ".join(col("PhaseOfEducation (name)").split())
    status = STATUSES.get(col("EstablishmentStatus (name)").strip().lower(), "open")
    our_type = TYPES.get(gtype.lower(), "other")
    f: dict = {}
    f["name"] = _text(col("EstablishmentName"))
    number = _int(col("EstablishmentNumber"))
    if la is not None and number is not None and 100 <= la <= 999 and number <= 9999:
        f["laestab"] = la * 10000 + number
    f["type"] = our_type
    problem = None
    phase = PHASES.get(gphase.lower())
    if our_type in SPECIAL_TYPES:
        phase = "special"  # the alliance's phase for a special school, whatever age range GIAS gives
    elif phase is None:
        if our_type in AP_TYPES:
            phase = "alternative-provision"
        elif our_type == "la-nursery":
            phase = "nursery"
        else:
            problem = f"phase {gphase or '(empty)'!r} of a {gtype or 'establishment'!r} does not map to a phase"
    f["phase"] = phase
    f["age_range.low"] = _int(col("StatutoryLowAge"))
    f["age_range.high"] = _int(col("StatutoryHighAge"))
    rc = col("ReligiousCharacter (name)").strip().lower()
    f["religious_character"] = RELIGION.get(rc, "other") if rc else None
    f["diocese"] = _text(col("Diocese (name)"))
    for key, value in address_lines(col).items():
        f[f"address.{key}"] = value
    f["address.postcode"] = postcode(col("Postcode"))
    easting, northing = _int(col("Easting")), _int(col("Northing"))
    if easting and northing:
        f["location.easting"], f["location.northing"] = easting, northing
    f["website"] = website(col("SchoolWebsite"))
    f["phone"] = phone(col("TelephoneNum"))
    f["capacity"] = _int(col("SchoolCapacity"))
    f.update(trust_fields(col))  # issue 20
    census_day, count = _date(col("CensusDate")), _int(col("NumberOfPupils"))
    head = " ".join(p for p in (_text(col("HeadFirstName")), _text(col("HeadLastName"))) if p) or None
    return Establishment(
        urn=urn, line=line, la_code=la, fields={k: v for k, v in f.items() if v is not None}, gias_type=gtype,
        gias_phase=gphase, status=status, close_date=_date(col("CloseDate")),
        census=(census_day, count) if census_day and count is not None else None,
        head=head, head_title=_text(col("HeadPreferredJobTitle")), problem=problem,
    )


ADDRESS_COLUMNS = (("street", "Street"), ("locality", "Locality"), ("address3", "Address3"), ("town", "Town"),
                   ("county", "County (name)"))


def address_lines(col) -> dict:
    """The school's address from a GIAS row, the way real rows fill it: lines may be empty
    anywhere (a City of London school has no ``Town`` and ``London`` in ``Address3``). The post
    town is ``Town``, else the last filled of ``Address3`` and ``Locality`` (moved up, not
    repeated), else ``County (name)``, else the LA's name; the other lines are kept as given."""
    out = {key: _text(col(column)) for key, column in ADDRESS_COLUMNS}
    if not out["town"]:
        for key in ("address3", "locality"):
            if out[key]:
                out["town"], out[key] = out[key], None
                break
    if not out["town"]:
        out["town"] = out["county"] or _text(col("LA (name)"))
    return out


def trust_fields(col) -> dict:
    """issue 20: the trust and federation of a GIAS row, as dotted school fields. The kind of
    trust is GIAS's TrustSchoolFlag (its first part: "Supported by a multi-academy trust~Supported
    by an umbrella trust" is a MAT); nesa_cli.governance explains the fallback when it is empty."""
    from nesa_cli.governance import TRUST_FLAGS

    out: dict = {}
    if _named(out, col, "trust", "Trusts"):
        kind = TRUST_FLAGS.get(col("TrustSchoolFlag (name)").split("~")[0].strip().lower())
        if kind:
            out["trust.type"] = kind
    _named(out, col, "federation", "Federations")
    return out


def _named(out: dict, col, field: str, column: str) -> bool:
    """``field.name`` and ``field.code`` from GIAS's "<column> (name)" and "(code)" into ``out``
    (no code without a name); whether there was a name."""
    name = _text(col(f"{column} (name)"))
    if not name:
        return False
    out[f"{field}.name"] = name
    code = _text(col(f"{column} (code)"))
    if code:
        out[f"{field}.code"] = code
    return True
