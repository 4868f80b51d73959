"""The golden-file helper fails on a missing file instead of writing it."""

from __future__ import annotations

import pytest

import conftest


def test_missing_golden_file_fails_and_is_not_written(tmp_path, monkeypatch):
    monkeypatch.setattr(conftest, "GOLDEN", tmp_path)
    monkeypatch.delenv("NESA_UPDATE_GOLDEN", raising=False)
    with pytest.raises(pytest.fail.Exception, match="missing"):
        conftest.assert_golden("docs/agenda.md", "# Agenda\n")
    assert not (tmp_path / "docs" / "agenda.md").exists()


def test_golden_file_differs_fails(tmp_path, monkeypatch):
    monkeypatch.setattr(conftest, "GOLDEN", tmp_path)
    monkeypatch.delenv("NESA_UPDATE_GOLDEN", raising=False)
    (tmp_path / "a.txt").write_text("old\n", encoding="utf-8")
    with pytest.raises(AssertionError):
        conftest.assert_golden("a.txt", "new\n")
    conftest.assert_golden("a.txt", "old\n")


def test_update_rewrites_on_request(tmp_path, monkeypatch):
    monkeypatch.setattr(conftest, "GOLDEN", tmp_path)
    monkeypatch.setenv("NESA_UPDATE_GOLDEN", "1")
    conftest.assert_golden("b/c.txt", "text\n")
    assert (tmp_path / "b" / "c.txt").read_text(encoding="utf-8") == "text\n"
