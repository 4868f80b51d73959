"""The schemas are usable by editors and standard tools: every property is
described, every object closed, and every shipped data file names its schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nesa_cli.kinds import KINDS, kind_for
from nesa_cli.load import Document
from nesa_cli.store import WorkingTree
from nesa_cli.validate.run import load

PROJECT = Path(__file__).resolve().parent.parent
SCHEMAS = sorted((PROJECT / "schemas").glob("*.schema.json"))


def _walk(node, where="#"):
    if isinstance(node, dict):
        yield where, node
        for k, v in node.items():
            yield from _walk(v, f"{where}/{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _walk(v, f"{where}/{i}")


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_schema_is_2020_12_with_id(path):
    s = json.loads(path.read_text(encoding="utf-8"))
    assert s["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert s["$id"].endswith("/" + path.name)
    from jsonschema import Draft202012Validator

    Draft202012Validator.check_schema(s)


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_every_property_described_and_every_object_closed(path):
    s = json.loads(path.read_text(encoding="utf-8"))
    for where, node in _walk(s):
        if "/$defs/" in where + "/" and "properties" not in node:
            continue
        if "properties" in node and isinstance(node["properties"], dict):
            assert node.get("additionalProperties") is False, f"{path.name} {where} is not closed"
            for name, prop in node["properties"].items():
                assert "description" in prop, f"{path.name} {where}/properties/{name} has no description"


def test_every_kind_has_its_schema():
    for kind in KINDS:
        assert (PROJECT / "schemas" / kind.schema).is_file(), kind.schema


def test_every_shipped_data_file_names_its_schema():
    for p in sorted((PROJECT / "data").rglob("*.yaml")):
        rel = p.relative_to(PROJECT).as_posix()
        kind = kind_for(rel)
        assert kind is not None, rel
        first = p.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), rel
        target = (p.parent / first.split("=", 1)[1]).resolve()
        assert target == (PROJECT / "schemas" / kind.schema).resolve(), rel


def test_unreadable_file_is_a_diagnostic(repo):
    class Flaky(WorkingTree):
        def read(self, path):
            if path.endswith("100002.yaml"):
                raise PermissionError(13, "Permission denied")
            return super().read(path)

    from nesa_cli.store.cache import Cache

    result = load(Flaky(repo), cache=Cache(repo, enabled=False))
    assert ("data/schools/100002.yaml", "unreadable") in {(d.path, d.rule) for d in result.diagnostics}
