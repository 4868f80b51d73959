"""Importing schools from GIAS, the DfE's register of establishments.

GIAS publishes every establishment in England as ``edubasealldata<date>.csv``:
a header row, every field quoted, Windows-1252 text, dates as DD-MM-YYYY,
about 50,000 rows. :func:`read` streams it with the csv module and keeps only
the rows wanted (the alliance's LA codes, given URNs, and every school the
alliance already has a file for); :func:`import_into` then creates a file for
each new establishment (membership ``prospective``) and updates the fields
GIAS owns in existing files, leaving the alliance's own fields and comments
untouched. A second run with the same file changes nothing.

GIAS owns: name, LAESTAB, type, phase (except the alliance's three-tier
names: a file that says first/high keeps them when GIAS says
primary/secondary), age range, religious character, diocese, address,
postcode, easting/northing, website, telephone, pupils on roll with their
census date, capacity, the headteacher's name, and (issue 20) the trust
(``trust:`` name, code, and ``type`` mat/sat/foundation from TrustSchoolFlag, or
mat when two open establishments in the file share its code) and federation
(``federation:``): a row listing none removes them, and says so. New schools
whose governance the alliance's ``eligibility: governance:`` does not admit are
not created (unless ``--all-types``). Establishments GIAS lists
as closed are flagged (``gias: {status: closed, close_date: ...}``), never
deleted; closed establishments the alliance does not know are not created.
Empty GIAS cells never remove what a file holds.
"""

from nesa_cli.gias.merge import Options, Report, differences, import_into
from nesa_cli.gias.read import (
    COLUMNS,
    OWNED,
    PHASES,
    TYPES,
    Establishment,
    Extract,
    GiasError,
    address_lines,
    decode,
    phone,
    postcode,
    read,
    website,
)

__all__ = ["COLUMNS", "OWNED", "PHASES", "TYPES", "Establishment", "Extract", "GiasError", "Options", "Report",
           "address_lines", "decode", "differences", "import_into", "phone", "postcode", "read", "website"]
