"""Compiled template code is kept only where code is trusted (the package's
__pycache__, for built-in templates), and only for the same source and sandbox."""

from __future__ import annotations

import sys

import pytest

from nesa_cli.render import compiled, render


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "pycache"
    monkeypatch.setattr(compiled, "cache_folder", lambda: folder)
    monkeypatch.setattr(compiled, "_MEMORY", {})
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    return folder


def test_builtin_template_kept_and_used(cache_dir, monkeypatch):
    text = compiled.precompile()
    assert "digest.txt.j2" in text and len(list(cache_dir.glob("*.code"))) == len(text)
    monkeypatch.setattr(compiled, "_MEMORY", {})
    calls = []
    from nesa_cli.render import environment

    env = environment(None)
    real = env.compile
    monkeypatch.setattr(type(env), "compile", lambda self, *a, **k: calls.append(a) or real(*a, **k))
    env.get_template("digest.txt.j2")
    assert calls == []  # read from the cache, not compiled


def test_repository_template_never_kept_on_disk(cache_dir, tmp_path):
    repo = tmp_path / "repo"
    (repo / "templates").mkdir(parents=True)
    (repo / "templates" / "note.txt.j2").write_text("{{ 6 * 7 }}\n", encoding="utf-8")
    assert render(repo, "note", "txt", {}) == "42\n"
    assert not cache_dir.exists() or not list(cache_dir.glob("*.code"))
    (repo / "templates" / "note.txt.j2").write_text("{{ 6 * 8 }}\n", encoding="utf-8")
    assert render(repo, "note", "txt", {}) == "48\n"  # a changed source is compiled again


def test_planted_or_stale_entries_are_not_run(cache_dir, monkeypatch):
    compiled.precompile()
    for f in cache_dir.glob("*.code"):
        f.write_bytes(b"junk")
    monkeypatch.setattr(compiled, "_MEMORY", {})
    assert "weekly digest" in render(None, "digest", "txt", _tiny())  # compiled afresh
    monkeypatch.setattr(compiled, "_MEMORY", {})
    monkeypatch.setattr(compiled, "fingerprint", lambda: "another sandbox")
    keys = {f.name for f in cache_dir.glob("*.code")}
    render(None, "digest", "txt", _tiny())
    assert {f.name for f in cache_dir.glob("*.code")} - keys  # a new sandbox, a new entry


def test_dont_write_bytecode_is_honoured(cache_dir, monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    render(None, "digest", "txt", _tiny())
    assert not cache_dir.exists()


def _tiny() -> dict:
    from datetime import date

    return {"alliance": "A", "short_name": "A", "today": date(2026, 11, 23), "school": None, "sections": ("validation",),
            "left_out": [], "validation": {"files": 1, "errors": 0, "warnings": 0, "first": []}}
