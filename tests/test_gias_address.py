"""GIAS rows with gaps in the address (issue 20): a City of London school has an empty
``Town`` and ``London`` in ``Address3``; it is imported, not refused for a missing town."""

from __future__ import annotations

from itertools import product

import pytest
import yaml

from nesa_cli.gias import address_lines

from test_gias import _nesa, row, to_bytes


def cols(**values):
    return lambda column: values.get(column, "")


def test_city_of_london_row_is_imported(repo, tmp_path):
    r = row(900401, "Sir John Cass's Foundation Primary School", la=201, type_="Voluntary aided school",
            Street="St James's Passage", Locality="Duke's Place", Address3="London", Town="", Postcode="EC3A 5DE")
    csv = tmp_path / "edubasealldata20261120.csv"
    csv.write_bytes(to_bytes([r]))
    out = _nesa(repo, "import", "gias", str(csv), "--urn", "900401")
    assert out.exit_code == 0, out.output
    assert "missing required field" not in out.output
    data = yaml.safe_load((repo / "data/schools/900401.yaml").read_text(encoding="utf-8"))
    assert data["address"] == {"street": "St James's Passage", "locality": "Duke's Place", "town": "London",
                               "postcode": "EC3A 5DE"}
    assert _nesa(repo, "validate").exit_code == 0


@pytest.mark.parametrize("street,locality,address3,town,county",
                         [c for c in product(["", "1 Lane"], ["", "Hamlet"], ["", "London"], ["", "Morpeth"],
                                             ["", "Northumberland"])])
def test_every_pattern_of_gaps_gives_a_town_and_loses_no_line(street, locality, address3, town, county):
    given = {"Street": street, "Locality": locality, "Address3": address3, "Town": town, "County (name)": county,
             "LA (name)": "City of London"}
    out = address_lines(cols(**given))
    assert out["town"]  # always a post town
    filled = [v for v in (street, locality, address3, town) if v]
    kept = [out[k] for k in ("street", "locality", "address3", "town") if out[k]]
    fallback = [] if (town or address3 or locality) else [county or "City of London"]
    assert kept == filled + fallback  # every line kept once, in order; the last one is the post town
    if town:
        assert out["town"] == town
    assert out["county"] == (county or None)
