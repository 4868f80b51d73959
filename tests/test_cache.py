"""The content-addressed cache: reused by content, invalidated by content,
schema and version changes, never trusted when corrupt; warm runs report
exactly what cold runs report."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import edit
from nesa_cli.store import WorkingTree
from nesa_cli.store import cache as cache_mod
from nesa_cli.store.cache import Cache
from nesa_cli.validate.run import load, validate


def broken(repo: Path) -> Path:
    edit(repo, "data/schools/100001.yaml", "phase: first", "phase: frist")
    edit(repo, "data/networks/sencos.yaml", "central_link: bsia", "central_link: zed")
    (repo / "data/schools/100004.yaml").write_text("urn: 100004\nname: [oops\n", encoding="utf-8")
    edit(repo, "data/policies/safeguarding.yaml", "review_cycle_months: 12", "review_cycle_months: 12\nreview_cycle_months: 24")
    return repo


def texts(diags):
    return [d.text() for d in diags]


def test_warm_and_cold_report_identical_diagnostics(repo):
    broken(repo)
    cold = load(WorkingTree(repo), cache=Cache(repo, enabled=False))
    first = Cache(repo)
    filled = load(WorkingTree(repo), cache=first)
    assert first.misses > 0 and first.hits == 0
    warm_cache = Cache(repo)
    warm = load(WorkingTree(repo), cache=warm_cache)
    assert warm_cache.hits == warm.files and warm_cache.misses == 0
    assert texts(cold.diagnostics) == texts(filled.diagnostics) == texts(warm.diagnostics)
    assert len(cold.diagnostics) >= 4
    # the whole-run cache answers validate without parsing anything
    validate(WorkingTree(repo))
    run_cache = Cache(repo)
    result, diags = validate(WorkingTree(repo), cache=run_cache)
    assert texts(diags) == texts(cold.diagnostics) and result.files == cold.files
    assert run_cache.hits == 1


def test_places_of_cached_problems_are_still_found(repo):
    broken(repo)
    load(WorkingTree(repo))
    warm = load(WorkingTree(repo))
    ref = [d for d in warm.diagnostics if d.rule == "ref-central-team"][0]
    assert (ref.line, ref.col) == (8, 15)  # located by re-reading the file on demand


def test_content_change_invalidates(repo):
    load(WorkingTree(repo))
    edit(repo, "data/schools/100001.yaml", "phase: first", "phase: frist")
    c = Cache(repo)
    result = load(WorkingTree(repo), cache=c)
    assert c.misses == 1
    assert [d.rule for d in result.diagnostics] == ["schema"]


def test_schema_change_and_upgrade_invalidate(repo, monkeypatch):
    load(WorkingTree(repo))
    monkeypatch.setattr(cache_mod, "__version__", "99.0.0")
    cache_mod.fingerprint.cache_clear()
    try:
        c = Cache(repo)
        load(WorkingTree(repo), cache=c)
        assert c.hits == 0 and c.misses == 6
    finally:
        cache_mod.fingerprint.cache_clear()
    from nesa_cli import resources

    original = resources.schemas_dir()
    tmp_schemas = repo / "other-schemas"
    tmp_schemas.mkdir()
    for p in original.glob("*.json"):
        (tmp_schemas / p.name).write_bytes(p.read_bytes())
    (tmp_schemas / "school.schema.json").write_text(
        (original / "school.schema.json").read_text().replace('"maxLength": 2000', '"maxLength": 5'), encoding="utf-8")
    monkeypatch.setattr(cache_mod, "schemas_dir", lambda: tmp_schemas)
    monkeypatch.setattr(resources, "schemas_dir", lambda: tmp_schemas)
    resources.schema.cache_clear()
    from nesa_cli.validate import schema as schema_mod

    schema_mod.validator.cache_clear()
    schema_mod.fast_validator.cache_clear()
    cache_mod.fingerprint.cache_clear()
    try:
        c = Cache(repo)
        result = load(WorkingTree(repo), cache=c)
        assert c.hits == 0
        assert any("must be at most" in d.message or "longer" in d.message or d.rule == "schema" for d in result.diagnostics)
    finally:
        resources.schema.cache_clear()
        schema_mod.validator.cache_clear()
        schema_mod.fast_validator.cache_clear()
        cache_mod.fingerprint.cache_clear()


@pytest.mark.parametrize("damage", [b"", b"\x00garbage", b"truncate"])
def test_corrupt_entries_are_ignored_and_rebuilt(repo, damage):
    broken(repo)
    expected = texts(load(WorkingTree(repo), cache=Cache(repo, enabled=False)).diagnostics)
    load(WorkingTree(repo))
    entries = [p for p in (repo / ".nesa-cache").rglob("*") if p.is_file() and p.name != ".gitignore"]
    assert entries
    for p in entries:
        data = p.read_bytes()
        p.write_bytes(data[: len(data) // 2] if damage == b"truncate" else damage)
    c = Cache(repo)
    result = load(WorkingTree(repo), cache=c)
    assert texts(result.diagnostics) == expected
    assert c.hits == 0
    again = Cache(repo)
    load(WorkingTree(repo), cache=again)
    assert again.misses == 0  # rebuilt


def test_cache_never_unpickles(repo):
    load(WorkingTree(repo))
    import pickle

    entry = next(p for p in (repo / ".nesa-cache").rglob("*") if p.is_file() and p.name not in (".gitignore", "folder-listings"))
    entry.write_bytes(pickle.dumps(("x", "y")))
    for listings in (repo / ".nesa-cache").rglob("folder-listings"):
        listings.write_bytes(pickle.dumps({"data/schools": "x"}))
    c = Cache(repo)
    expected = texts(load(WorkingTree(repo), cache=Cache(repo, enabled=False)).diagnostics)
    assert texts(load(WorkingTree(repo), cache=c).diagnostics) == expected
    assert c.misses >= 1


def test_cache_can_be_turned_off(repo, monkeypatch):
    monkeypatch.setenv("NESA_CACHE", "0")
    load(WorkingTree(repo))
    assert not (repo / ".nesa-cache").exists()


def test_cache_folder_ignores_itself(repo):
    load(WorkingTree(repo))
    assert (repo / ".nesa-cache" / ".gitignore").read_text() == "*\n"
    import subprocess

    status = subprocess.run(["git", "status", "--porcelain"], cwd=repo, capture_output=True, text=True).stdout
    assert status == ""


def packs(repo: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (repo / ".nesa-cache").rglob("pack-*")}


def test_packs_serve_a_warm_load_and_follow_an_edit(repo):
    broken(repo)
    expected = texts(load(WorkingTree(repo), cache=Cache(repo, enabled=False)).diagnostics)
    load(WorkingTree(repo))
    before = packs(repo)
    assert {"pack-school", "pack-network", "pack-policy", "pack-alliance"} <= before.keys()
    # single-file entries gone: every file is still served, from its kind's pack
    for p in (repo / ".nesa-cache").rglob("*"):
        if p.is_file() and not p.name.startswith("pack-") and p.name != ".gitignore":
            p.unlink()
    c = Cache(repo)
    warm = load(WorkingTree(repo), cache=c)
    assert c.hits == warm.files and c.misses == 0
    assert texts(warm.diagnostics) == expected
    assert packs(repo) == before  # nothing changed, nothing rewritten
    # an edit: one file parsed afresh, the school pack rewritten, the others left alone
    edit(repo, "data/schools/100002.yaml", "phase: primary", "phase: prmary")
    c = Cache(repo)
    result = load(WorkingTree(repo), cache=c)
    assert c.misses == 1
    assert [d for d in result.diagnostics if d.path == "data/schools/100002.yaml"]
    after = packs(repo)
    assert after["pack-school"] != before["pack-school"]
    assert after["pack-policy"] == before["pack-policy"]
    again = Cache(repo)
    load(WorkingTree(repo), cache=again)
    assert again.misses == 0 and again.hits == result.files


def test_a_revision_read_with_at_leaves_the_packs_alone(repo):
    from nesa_cli.store.git import GitRevision, resolve

    load(WorkingTree(repo))
    edit(repo, "data/schools/100001.yaml", "phase: first", "phase: frist")
    load(WorkingTree(repo))
    before = packs(repo)
    c = Cache(repo)
    old = load(GitRevision(repo, resolve(repo, "HEAD")), cache=c)
    assert not [d for d in old.diagnostics if d.path == "data/schools/100001.yaml"]
    assert packs(repo) == before


def _damage_pack(pack: Path, damage) -> None:
    """Damage a pack (header, entries' data, index, trailer: see cache._write_pack)."""
    import marshal

    from nesa_cli.store.cache import PACK_TAG

    data = pack.read_bytes()
    index_at = int.from_bytes(data[-28:-20], "little")
    if damage == "wrong-kind":  # a whole pack of another kind of the same name length
        head = marshal.dumps((PACK_TAG, "policy"))
        assert len(head) == int.from_bytes(data[:4], "little")
        pack.write_bytes(data[:4] + head + data[4 + len(head):])
    elif damage == "no-trailer":  # everything but the last bytes
        pack.write_bytes(data[:-5])
    elif damage == "index-byte":  # one byte of the index changed
        i = index_at + 40
        pack.write_bytes(data[:i] + bytes([data[i] ^ 0x55]) + data[i + 1:])
    elif damage == "truncate":
        pack.write_bytes(data[: len(data) // 2])
    else:
        pack.write_bytes(damage)


@pytest.mark.parametrize("damage", [b"", b"\x00garbage", "truncate", "wrong-kind", "no-trailer", "index-byte"])
def test_a_damaged_pack_is_ignored(repo, damage):
    broken(repo)
    expected = texts(load(WorkingTree(repo), cache=Cache(repo, enabled=False)).diagnostics)
    load(WorkingTree(repo))
    _damage_pack(next((repo / ".nesa-cache").rglob("pack-school")), damage)
    c = Cache(repo)
    assert texts(load(WorkingTree(repo), cache=c).diagnostics) == expected
    assert c.misses >= 1
    again = Cache(repo)
    load(WorkingTree(repo), cache=again)
    assert again.misses == 0  # the pack was written again


def test_a_damaged_entry_in_a_pack_is_read_from_its_file(repo):
    """One file's packed data damaged (the index whole): its checksum fails
    when it is unpacked, the file itself is read, and the pack is written again."""
    expected = load(WorkingTree(repo), cache=Cache(repo, enabled=False)).model.schools
    load(WorkingTree(repo))
    pack = next((repo / ".nesa-cache").rglob("pack-school"))
    data = pack.read_bytes()
    head = 4 + int.from_bytes(data[:4], "little")
    i = data.index(b"phase", head)  # inside the first school's data
    pack.write_bytes(data[:i] + b"PHASE" + data[i + 5:])
    c = Cache(repo)
    result = load(WorkingTree(repo), cache=c)
    assert result.model.schools == expected
    assert c.misses == 1  # the damaged entry
    assert not pack.exists()  # removed when the damage was found...
    again = Cache(repo)
    assert load(WorkingTree(repo), cache=again).model.schools == expected
    assert again.misses == 0 and b"PHASE" not in pack.read_bytes()  # ...and written again whole


def test_a_damaged_entry_read_during_the_load_is_not_written_back(repo):
    """Networks are built as they are read, so a damaged network entry is met
    before the load writes its packs: that pack must not be written again
    with the damaged bytes in it (though another network file changed too)."""
    load(WorkingTree(repo))
    pack = next((repo / ".nesa-cache").rglob("pack-network"))
    data = pack.read_bytes()
    i = data.index(b"name", 4 + int.from_bytes(data[:4], "little"))
    pack.write_bytes(data[:i] + b"NAME" + data[i + 4:])
    new = repo / "data/networks/maths-leads.yaml"
    new.write_text((repo / "data/networks/sencos.yaml").read_text().replace("id: sencos", "id: maths-leads"))
    expected = load(WorkingTree(repo), cache=Cache(repo, enabled=False)).model.networks
    c = Cache(repo)
    assert load(WorkingTree(repo), cache=c).model.networks == expected and c.misses == 2  # the new file, the damaged entry
    assert not pack.exists()
    again = Cache(repo)
    assert load(WorkingTree(repo), cache=again).model.networks == expected
    assert b"NAME" not in pack.read_bytes()
    last = Cache(repo)
    load(WorkingTree(repo), cache=last)
    assert last.misses == 0


def test_a_pack_writes_each_entry_on_its_own_and_reads_it_back():
    """Entries are marshalled one at a time (one marshal call over a region's
    policies held 80 MB at the peak of a first validation); the index reads
    back every entry's verdict, and its data comes back exact, Decimals too."""
    import io
    import marshal
    from decimal import Decimal

    from nesa_cli.store.entries import Entry, at_hand
    from nesa_cli.store.packs import bytes_reader, read_pack, write_pack

    values = {f"k{i}-policy": {"id": f"p{i}", "adoptions": list(range(5000)), "fee": Decimal(f"{i}.50")} for i in range(5)}
    entries = {key: at_hand(data, [], [(1, 1, "warning", "w", "m")], ("p",)) for key, data in values.items()}
    f = io.BytesIO()
    write_pack(f, "policy", entries)
    data = f.getvalue()
    blobs = bytes_reader(data)
    index = read_pack(blobs, len(data), "policy")
    assert index.keys() == values.keys()
    c = Cache(None)
    c._blobs["policy"] = blobs
    for key, entry in index.items():
        assert isinstance(entry, Entry) and entry.packed and entry.data is None
        assert (entry.frozen, entry.load_rows, entry.schema_rows, entry.summary) == (True, [], [(1, 1, "warning", "w", "m")], ("p",))
        assert marshal.loads(blobs(entry.offset, entry.length))["id"] == values[key]["id"]  # each entry's data stands alone
        assert c.unpack("policy", entry) == values[key]


def test_a_listing_unpacks_only_the_schools_it_keeps(sample):
    """Warm, a query built from the packs neither makes the document of a
    school nor unpacks its data until something other than its URN, name,
    phase, type or partnership is asked for."""
    import datetime

    from nesa_cli.reports.schools import SchoolFilter, list_schools

    kinds = {"alliance", "school", "network"}
    load(WorkingTree(sample), kinds=kinds)  # writes the packs
    warm = load(WorkingTree(sample), kinds=kinds)
    paths = [p for p in warm.documents if p.startswith("data/schools/")]

    assert paths and not any(warm.documents.is_made(p) for p in paths)  # no document made yet
    listing = list_schools(warm.model, datetime.date(2026, 11, 23), SchoolFilter(phase=["first"]))
    kept = {f"data/schools/{r['urn']}.yaml" for r in listing.rows}
    made = {p for p in paths if warm.documents.is_made(p)}
    assert kept and made == kept and len(kept) < len(paths)
    assert all("data" in warm.documents[p].__dict__ for p in kept)  # made and unpacked
    cold = load(WorkingTree(sample), cache=Cache(sample, enabled=False), kinds=kinds)
    assert listing == list_schools(cold.model, datetime.date(2026, 11, 23), SchoolFilter(phase=["first"]))
    assert list(warm.model.schools) == list(cold.model.schools)  # the same order
    assert warm.documents.get("data/schools/nothing.yaml") is None
    assert [d.path for d in warm.documents.values()] == list(warm.documents) == list(cold.documents)
    from nesa_cli.load import Document

    every = dict(warm.documents)  # a real mapping: every way of reading it hands out documents
    assert list(every) == list(cold.documents) and all(isinstance(d, Document) for d in every.values())


def test_a_partnership_filter_finds_a_school_by_its_other_partnership_from_the_packs(sample):
    """Warm, ``--partnership`` is answered from the schools' summaries: a school
    in the partnership only as one of its other_partnerships (Coquet Valley
    High: coquet-valley, and simonside) is listed, and no school outside the
    partnership is built or unpacked to find out."""
    import datetime

    from nesa_cli.reports.schools import SchoolFilter, list_schools

    kinds = {"alliance", "school"}
    load(WorkingTree(sample), kinds=kinds)  # writes the packs
    warm = load(WorkingTree(sample), kinds=kinds)
    paths = [p for p in warm.documents if p.startswith("data/schools/")]
    listing = list_schools(warm.model, datetime.date(2026, 11, 23), SchoolFilter(partnership=["simonside"]))
    kept = {f"data/schools/{r['urn']}.yaml" for r in listing.rows}
    assert "data/schools/122206.yaml" in kept
    assert {p for p in paths if warm.documents.is_made(p)} == kept and len(kept) < len(paths)
    # a converted school's successor is found from the summaries too (its predecessor is in them)
    wansbeck = list_schools(warm.model, datetime.date(2026, 11, 23), SchoolFilter(partnership=["wansbeck"]))
    assert {r["urn"]: r["successor"] for r in wansbeck.rows if r["status"] == "converted"} == {122339: 149993}
    kept |= {f"data/schools/{r['urn']}.yaml" for r in wansbeck.rows}
    assert {p for p in paths if warm.documents.is_made(p)} == kept and len(kept) < len(paths)


def test_a_record_that_cannot_be_built_is_reported_warm_too(repo, monkeypatch):
    """A file the schema accepts but no record can be made of (the schema
    cannot see everything a builder checks): cold and warm runs both say so;
    the pack keeps no summary for it, so it is built, and fails, every time."""
    from nesa_cli import model

    real = model.build_school

    def build(d, path=""):
        if d["urn"] == 100002:
            raise ValueError("no such day")
        return real(d, path)

    monkeypatch.setattr(model, "build_school", build)  # the school kind names its builder by module and name
    cold = texts(load(WorkingTree(repo), cache=Cache(repo, enabled=False)).diagnostics)
    assert "data/schools/100002.yaml:1:1: error: cannot read the record: no such day [schema]" in cold
    load(WorkingTree(repo))
    for _ in range(2):
        warm = load(WorkingTree(repo))
        assert texts(warm.diagnostics) == cold
        assert 100002 not in warm.model.schools and 100001 in warm.model.schools


def test_a_file_the_pack_lacks_keeps_its_place(sample):
    """Schools served in runs from the pack, with an edited one (parsed
    afresh) and a broken one between them: the documents, the records and
    the diagnostics come in the order and with the content of a cold load."""
    paths = sorted((sample / "data/schools").glob("*.yaml"))
    load(WorkingTree(sample))
    middle, broken_one = paths[len(paths) // 2], paths[len(paths) // 3]
    middle.write_text(middle.read_text(encoding="utf-8").replace("\nname: ", "\nname: Renamed ", 1), encoding="utf-8")
    broken_one.write_text(broken_one.read_text(encoding="utf-8").replace("\nphase: ", "\nphase: x", 1), encoding="utf-8")
    cold = load(WorkingTree(sample), cache=Cache(sample, enabled=False))
    warm = load(WorkingTree(sample))
    assert list(warm.documents) == list(cold.documents)
    assert list(warm.model.schools) == list(cold.model.schools)
    assert warm.model.schools == cold.model.schools
    assert texts(warm.diagnostics) == texts(cold.diagnostics) and any(broken_one.name in t for t in texts(cold.diagnostics))


def _age_folders(repo: Path, seconds: int = 3600) -> None:
    """Make every folder under data/ look last modified ``seconds`` ago."""
    import os
    import time

    then = time.time() - seconds
    for folder in [repo / "data", *(p for p in (repo / "data").rglob("*") if p.is_dir())]:
        os.utime(folder, (then, then))


def test_an_unchanged_folder_is_not_listed_again(sample, monkeypatch):
    from nesa_cli.store import sources

    _age_folders(sample)
    cold = load(WorkingTree(sample), cache=Cache(sample, enabled=False))
    load(WorkingTree(sample))  # lists every folder, and keeps the listings
    listed = []
    real = sources._list_folder
    monkeypatch.setattr(sources, "_list_folder", lambda root, folder, rel: listed.append(rel) or real(root, folder, rel))
    warm = load(WorkingTree(sample))
    assert listed == []
    assert list(warm.documents) == list(cold.documents) and texts(warm.diagnostics) == texts(cold.diagnostics)


def test_a_folder_changed_since_it_was_listed_is_listed_again(sample):
    import os

    _age_folders(sample)
    load(WorkingTree(sample))
    schools = sample / "data/schools"
    before = os.stat(schools)
    # a new file, and the folder's modification time set back to what it was (its change time moves)
    new = schools / "999999.yaml"
    new.write_text((schools / "122101.yaml").read_text(encoding="utf-8").replace("urn: 122101", "urn: 999999"), encoding="utf-8")
    os.utime(schools, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(schools).st_mtime_ns == before.st_mtime_ns
    assert "data/schools/999999.yaml" in load(WorkingTree(sample)).documents
    new.unlink()
    assert "data/schools/999999.yaml" not in load(WorkingTree(sample)).documents
    os.symlink(schools / "122101.yaml", schools / "123456.yaml")
    _age_folders(sample)
    diags = texts(load(WorkingTree(sample)).diagnostics)
    assert any("123456.yaml" in t and "unsafe-path" in t for t in diags)


def test_a_folder_modified_moments_ago_is_not_kept(repo):
    """Its time may not move again for a change in the same clock tick."""
    from nesa_cli.store.cache import Listings

    _age_folders(repo, 0)  # every folder modified just now
    load(WorkingTree(repo))
    assert not Cache(repo).get(Listings.KEY, count=False)
    _age_folders(repo)
    load(WorkingTree(repo))
    kept = Cache(repo).get(Listings.KEY, count=False)
    assert set(kept) == {"data", "data/schools", "data/networks", "data/policies"}
    files, folders, refused = kept["data/schools"][1]
    assert sorted(files) == sorted(p.name for p in (repo / "data/schools").iterdir()) and folders == [] and refused == []


@pytest.mark.skipif(not hasattr(__import__("os"), "pread"), reason="packs are read whole where there is no pread")
def test_a_query_reads_the_pack_index_and_only_the_entries_it_uses(sample, monkeypatch):
    import datetime
    import os

    from nesa_cli.reports.schools import SchoolFilter, list_schools

    kinds = {"alliance", "school"}
    load(WorkingTree(sample), kinds=kinds)
    pack = next((sample / ".nesa-cache").rglob("pack-school"))
    read = []
    real = os.pread
    monkeypatch.setattr(os, "pread", lambda fd, n, at: read.append(n) or real(fd, n, at))
    warm = load(WorkingTree(sample), kinds=kinds)
    index_reads, index_bytes = len(read), sum(read)
    listing = list_schools(warm.model, datetime.date(2026, 11, 23), SchoolFilter(phase=["first"]))
    assert 0 < index_bytes < pack.stat().st_size
    assert 0 < len(listing.rows) < len(warm.model.schools)
    assert len(read) - index_reads == len(listing.rows)  # one read per school listed
    assert sum(read) < pack.stat().st_size
