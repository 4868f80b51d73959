"""The code cache of the `nesa` script (nesa_cli.codecache): the second run
compiles nothing the first compiled, and what runs behaves exactly as without
it. Each case runs in a fresh interpreter, since the cache is about start-up."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from nesa_cli.codecache import _HEADER

PROBE = r'''
import json, sys
from nesa_cli import codecache
cache = codecache.install(sys.argv[1])

import collections, dataclasses, typing
from dataclasses import dataclass, field

@dataclass(frozen=True)
class Point:
    x: int
    y: int = 2
    tags: tuple = field(default_factory=tuple)

P = collections.namedtuple("P", "a b")
hints = typing.get_type_hints(type("H", (), {"__annotations__": {"n": "Optional[int]"}, "__module__": "typing"}))

p = Point(1)
try:
    p.x = 5
    frozen = False
except dataclasses.FrozenInstanceError:
    frozen = True
out = {"repr": repr(p), "eq": p == Point(1, 2, ()), "ne": p != Point(1, 3), "hash": hash(p) == hash(Point(1)),
       "frozen": frozen, "nt": repr(P(1, 2)), "hints": repr(hints["n"]),
       "added": cache.added, "hits": cache.hits}
cache.save()
print(json.dumps(out))
'''


def probe(path: Path, **env) -> dict:
    full = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}  # as an installed user runs nesa
    full.update(env)
    r = subprocess.run([sys.executable, "-c", PROBE, str(path)], capture_output=True, text=True, env=full, check=True)
    return json.loads(r.stdout)


def same_behaviour(a: dict, b: dict) -> bool:
    keep = ("repr", "eq", "ne", "hash", "frozen", "nt", "hints")
    return all(a[k] == b[k] for k in keep)


def test_the_second_run_compiles_nothing_new_and_behaves_the_same(tmp_path):
    path = tmp_path / "code.marshal"
    first = probe(path)
    assert first["added"] > 5 and first["hits"] == 0
    assert path.read_bytes().startswith(_HEADER)
    second = probe(path)
    assert second["added"] == 0 and second["hits"] == first["added"]
    assert same_behaviour(first, second)
    assert first["repr"] == "Point(x=1, y=2, tags=())" and first["frozen"] and first["eq"] and first["ne"]
    assert first["nt"] == "P(a=1, b=2)" and first["hints"] == "typing.Optional[int]"


@pytest.mark.parametrize("content", [b"", b"garbage", _HEADER + b"\x00broken marshal", b"\x00\x00\x00\x00" + _HEADER[4:] + b"x"],
                         ids=["empty", "not ours", "damaged", "another Python"])
def test_a_damaged_or_foreign_file_is_ignored_and_replaced(tmp_path, content):
    path = tmp_path / "code.marshal"
    path.write_bytes(content)
    first = probe(path)
    assert first["hits"] == 0 and first["added"] > 5
    assert probe(path)["added"] == 0  # written again, good this time


def test_nothing_is_written_under_pythondontwritebytecode(tmp_path):
    path = tmp_path / "code.marshal"
    probe(path, PYTHONDONTWRITEBYTECODE="1")
    assert not path.exists()


def test_importing_the_library_changes_nothing_in_the_standard_library():
    code = ("import nesa_cli.cli, nesa_cli.model, dataclasses, collections, typing; "
            "print(any(n in m.__dict__ for m, n in ((dataclasses, 'exec'), (collections, 'eval'), (typing, 'compile'))))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert r.stdout.strip() == "False"


@pytest.mark.shared_sample
def test_the_nesa_script_gives_the_same_output_with_and_without_it(sample, tmp_path):
    nesa = str(Path(sys.executable).parent / "nesa")
    path = tmp_path / "code.marshal"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

    def run(cache: str) -> str:
        r = subprocess.run([nesa, "digest"], cwd=sample, capture_output=True, text=True, env={**env, "NESA_CODE_CACHE": cache})
        assert r.returncode == 0, r.stderr
        return r.stdout

    plain = run("0")
    assert not path.exists()
    assert run(str(path)) == plain
    assert path.stat().st_size > 10_000  # the first run kept its code
    assert run(str(path)) == plain
