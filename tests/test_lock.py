"""The lock files satisfy pyproject.toml, and the Quickstart installs through them."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement

PROJECT = Path(__file__).resolve().parent.parent


def pins(path: Path) -> dict[str, tuple[str, str | None, int]]:
    """name -> (version, marker, number of hashes)."""
    out = {}
    text = path.read_text(encoding="utf-8").replace("\\\n", " ")
    for line in text.splitlines():
        m = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)(?:\s*;\s*([^-][^\n]*?))?\s*(--hash.*)?$", line.strip())
        if m:
            name = re.sub(r"[-_.]+", "-", m.group(1)).lower()
            out[name] = (m.group(2), m.group(3), len(re.findall(r"--hash=sha256:", m.group(4) or "")))
    return out


def requirements(extras: list[str]) -> list[Requirement]:
    meta = tomllib.loads((PROJECT / "pyproject.toml").read_text())["project"]
    reqs = [Requirement(r) for r in meta["dependencies"]]
    for extra in extras:
        reqs += [Requirement(r) for r in meta["optional-dependencies"][extra]]
    reqs += [Requirement(line) for line in (PROJECT / "requirements/build.in").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    return reqs


@pytest.mark.parametrize("lock, extras", [("run.txt", ["pdf"]), ("test.txt", ["pdf", "test"])])
def test_lock_pins_every_requirement_within_its_range_with_hashes(lock, extras):
    pinned = pins(PROJECT / "requirements" / lock)
    assert pinned, lock
    for req in requirements(extras):
        name = re.sub(r"[-_.]+", "-", req.name).lower()
        assert name in pinned, f"{req.name} is in pyproject.toml but not in requirements/{lock}: refresh the lock (README)"
        version, _, hashes = pinned[name]
        assert req.specifier.contains(version, prereleases=True), f"requirements/{lock} pins {name} {version}, outside {req.specifier}"
    assert all(h >= 1 for _, _, h in pinned.values()), "every pin carries a hash"


def test_lock_is_universal_windows_packages_included():
    pinned = pins(PROJECT / "requirements" / "test.txt")
    version, marker, _ = pinned["colorama"]  # click needs it on Windows only
    assert marker and Marker(marker).evaluate({"sys_platform": "win32"}) and not Marker(marker).evaluate({"sys_platform": "linux"})


def test_quickstart_and_ci_install_through_the_lock():
    readme = (PROJECT / "README.md").read_text()
    blocks = re.findall(r"```sh\n(.*?)\n```", readme.split("## Quickstart", 1)[1], re.S)[:2]
    assert "--require-hashes -r requirements/run.txt" in blocks[0] and "nesa validate" in blocks[0]
    assert "--require-hashes -r requirements/test.txt" in blocks[1] and blocks[1].endswith("-m pytest")
    assert blocks[1] in (PROJECT / ".ci" / "run").read_text()
