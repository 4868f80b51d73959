"""Atomic writes survive being killed at any moment; the lock loses no update."""

from __future__ import annotations

import pytest

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from nesa_cli.store.write import atomic_write, repo_lock

WRITER = r"""
import sys
from nesa_cli.store.write import atomic_write
path, a, b = sys.argv[1], sys.argv[2].encode() * 5000, sys.argv[3].encode() * 5000
i = 0
print("ready", flush=True)
while True:
    atomic_write(path, a if i % 2 else b)
    i += 1
"""


@pytest.mark.slow
def test_killed_writer_leaves_old_or_new_never_half(tmp_path: Path):
    target = tmp_path / "school.yaml"
    old, new = "old-version\n", "new-version\n"
    target.write_bytes(old.encode() * 5000)
    rng = random.Random(7)
    for _ in range(60):
        p = subprocess.Popen([sys.executable, "-c", WRITER, str(target), new, old], stdout=subprocess.PIPE)
        p.stdout.readline()
        time.sleep(rng.uniform(0, 0.02))
        p.send_signal(signal.SIGKILL)
        p.wait()
        data = target.read_bytes()
        assert data in (old.encode() * 5000, new.encode() * 5000)
    leftovers = [f for f in os.listdir(tmp_path) if f != "school.yaml"]
    assert all(f.endswith(".tmp") for f in leftovers)  # a killed writer may leave its temp file, never a broken target


COUNTER = r"""
import sys
from pathlib import Path
from nesa_cli.store.write import atomic_write, repo_lock
root, n = Path(sys.argv[1]), int(sys.argv[2])
for _ in range(n):
    with repo_lock(root):
        value = int((root / "counter").read_text())
        atomic_write(root / "counter", str(value + 1).encode())
"""


def test_two_writers_lose_no_update(tmp_path: Path):
    (tmp_path / "counter").write_text("0")
    procs = [subprocess.Popen([sys.executable, "-c", COUNTER, str(tmp_path), "40"]) for _ in range(2)]
    for p in procs:
        assert p.wait() == 0
    assert (tmp_path / "counter").read_text() == "80"


def test_lock_timeout(tmp_path: Path):
    import pytest

    with repo_lock(tmp_path):
        code = "import sys\nfrom nesa_cli.store.write import repo_lock\ntry:\n    with repo_lock(sys.argv[1], timeout=0.2):\n        pass\nexcept TimeoutError as e:\n    print(e)\n    sys.exit(3)\n"
        p = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True)
    assert p.returncode == 3 and "another nesa command is writing" in p.stdout


def test_atomic_write_replaces_content(tmp_path: Path):
    f = tmp_path / "a" / "b.yaml"
    atomic_write(f, b"one")
    atomic_write(f, b"two")
    assert f.read_bytes() == b"two"
    assert os.listdir(f.parent) == ["b.yaml"]
