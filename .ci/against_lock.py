"""Say which installed packages differ from a lock file.

Used by the unpinned ("latest") test run: when it fails and the locked run
passes, one of the packages listed here is the cause.

    python .ci/against_lock.py requirements/test.txt
"""

from __future__ import annotations

import re
import sys
from importlib import metadata


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked(path: str) -> dict[str, str]:
    pins = {}
    for line in open(path, encoding="utf-8"):
        m = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", line)
        if m:
            pins[canonical(m.group(1))] = m.group(2)
    return pins


def main(path: str) -> int:
    pins = locked(path)
    installed = {canonical(d.metadata["Name"]): d.version for d in metadata.distributions()}
    rows = [(n, pins[n], installed[n]) for n in sorted(pins) if n in installed and installed[n] != pins[n]]
    extra = sorted(n for n in installed if n not in pins and n not in {"pip", "setuptools", "wheel", "nesa-cli"})
    if not rows and not extra:
        print(f"every installed package is as {path} pins it")
        return 0
    print(f"packages that differ from {path} (a failure of this run is one of these):")
    for name, want, have in rows:
        print(f"  {name}: locked {want}, installed {have}")
    for name in extra:
        print(f"  {name}: not in the lock, installed {installed[name]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "requirements/test.txt"))
