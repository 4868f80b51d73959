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

    entry = next(p for p in (repo / ".nesa-cache").rglob("*") if p.is_file() and p.name != ".gitignore")
    entry.write_bytes(pickle.dumps(("x", "y")))
    c = Cache(repo)
    load(WorkingTree(repo), cache=c)
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


@pytest.mark.parametrize("damage", [b"", b"\x00garbage", b"truncate", "wrong-kind", "no-end"])
def test_a_damaged_pack_is_ignored(repo, damage):
    import marshal

    broken(repo)
    expected = texts(load(WorkingTree(repo), cache=Cache(repo, enabled=False)).diagnostics)
    load(WorkingTree(repo))
    pack = next((repo / ".nesa-cache").rglob("pack-school"))
    data = pack.read_bytes()
    records, at = [], 0  # (4-byte length, marshal) records
    while at < len(data):
        size = int.from_bytes(data[at:at + 4], "little")
        records.append(data[at:at + 4 + size])
        at += 4 + size
    if damage == "wrong-kind":
        tag, kind = marshal.loads(records[0][4:])
        first = marshal.dumps((tag, "network"))
        pack.write_bytes(len(first).to_bytes(4, "little") + first + b"".join(records[1:]))
    elif damage == "no-end":  # every chunk whole, the end record lost
        pack.write_bytes(b"".join(records[:-1]))
    else:
        pack.write_bytes(data[: len(data) // 2] if damage == b"truncate" else damage)
    c = Cache(repo)
    assert texts(load(WorkingTree(repo), cache=c).diagnostics) == expected
    assert c.misses >= 1
    again = Cache(repo)
    load(WorkingTree(repo), cache=again)
    assert again.misses == 0  # the pack was written again


def test_a_pack_is_written_in_chunks_and_read_back_whole():
    """Large packs are marshalled a chunk at a time (one marshal call over a
    region's policies held 80 MB at the peak); reading gives every entry back."""
    import io
    import marshal

    from nesa_cli.store.cache import PACK_CHUNK, _read_pack, _write_pack

    entries = {f"k{i}-policy": (False, ({"id": f"p{i}", "adoptions": list(range(PACK_CHUNK // 2))}, [], [])) for i in range(5)}
    f = io.BytesIO()
    _write_pack(f, "policy", entries)
    data = f.getvalue()
    records, at = [], 0
    while at < len(data):
        size = int.from_bytes(data[at:at + 4], "little")
        records.append(marshal.loads(data[at + 4:at + 4 + size]))
        at += 4 + size
    chunks = records[1:-1]
    assert len(chunks) >= 3 and all(isinstance(c, dict) and len(c) <= 2 for c in chunks)
    assert _read_pack(data, "policy") == entries
