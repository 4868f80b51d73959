"""Every write works where there is no ``fcntl`` and a folder cannot be flushed.

Windows has no ``fcntl`` and cannot open a folder as a file; some file
systems refuse to flush one. Each write path (an edit of one file, an edit of
two through the journal, an edit with --commit, invoice issuing, the digest's
sent-record) is run in a fresh interpreter where ``import fcntl`` fails and
folder flushing is impossible in one of three ways, and must do its work.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PROJECT, git
from test_digest import add_recipients, smtp, smtp_env, week  # noqa: F401  (smtp, week: fixtures)
from test_finance import add_finance

pytestmark = pytest.mark.slow  # many real processes: in CI and the full run, not the fast one

# Runs nesa's command line (or, with -c CODE, some Python) with fcntl gone and
# folder flushing broken as NESA_TEST_BREAK says.
BOOT = r"""
import os, sys, warnings
sys.modules["fcntl"] = None  # as on Windows: import fcntl raises ImportError
warnings.simplefilter("ignore")  # filelock notes that only its soft lock is left
mode = os.environ["NESA_TEST_BREAK"]
if mode == "no-o-directory":
    del os.O_DIRECTORY
elif mode == "open-folder-fails":  # as on Windows, where a folder does not open as a file
    import errno
    real_open = os.open
    def fake_open(path, flags, *args, **kw):
        if os.path.isdir(path):
            raise PermissionError(errno.EACCES, "Permission denied", path)
        return real_open(path, flags, *args, **kw)
    os.open = fake_open
elif mode == "fsync-folder-fails":  # a file system that refuses to flush a folder
    import errno, stat
    real_fsync = os.fsync
    def fake_fsync(fd):
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "Invalid argument")
        return real_fsync(fd)
    os.fsync = fake_fsync
if sys.argv[1] == "-c":
    exec(sys.argv[2])
else:
    from nesa_cli.cli import main
    sys.argv = ["nesa", *sys.argv[1:]]
    main()
"""

BREAKS = ["no-o-directory", "open-folder-fails", "fsync-folder-fails"]


def run(root: Path, mode: str, *args: str, env: dict | None = None, today: str = "2026-11-23") -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-c", BOOT]
    cmd += list(args) if args[0] == "-c" else ["-C", str(root), "--today", today, *args]
    full = dict(os.environ, NESA_TEST_BREAK=mode, GIT_AUTHOR_NAME="T", GIT_AUTHOR_EMAIL="t@example.org",
                GIT_COMMITTER_NAME="T", GIT_COMMITTER_EMAIL="t@example.org", **(env or {}))
    return subprocess.run(cmd, cwd=PROJECT, env=full, capture_output=True, text=True, timeout=120)


def test_the_boot_really_removes_fcntl(repo):
    r = run(repo, "no-o-directory", "-c", "import os\ntry:\n    import fcntl\nexcept ImportError:\n    print('gone', hasattr(os, 'O_DIRECTORY'))")
    assert r.stdout.strip() == "gone False", r.stderr


@pytest.mark.parametrize("mode", BREAKS)
def test_edits_with_and_without_commit(repo, mode):
    r = run(repo, mode, "schools", "set", "100001", "phone=01670 000001")
    assert r.returncode == 0, r.stderr
    assert "01670 000001" in (repo / "data/schools/100001.yaml").read_text()
    # two files at once: through the journal
    r = run(repo, mode, "membership", "withdraw", "100002", "--date", "2026-01-05", "--reason", "Portable")
    assert r.returncode == 0, r.stderr
    assert "withdrawn" in (repo / "data/schools/100002.yaml").read_text()
    assert "until: 2026-01-05" in (repo / "data/networks/sencos.yaml").read_text()
    assert not (repo / ".nesa-state/edit-journal.json").exists()
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "so far")
    r = run(repo, mode, "networks", "set", "sencos", "frequency=termly", "--commit")
    assert r.returncode == 0, r.stderr
    assert "committed" in r.stdout
    assert git(repo, "status", "--porcelain", "--", "data") == ""
    assert "frequency: termly" in git(repo, "show", "HEAD:data/networks/sencos.yaml")
    leftovers = [p for p in (repo / "data").rglob(".*.tmp")]
    assert leftovers == []


@pytest.mark.parametrize("mode", BREAKS)
def test_invoice_issue(repo, mode):
    add_finance(repo)
    r = run(repo, mode, "invoices", "issue", "2025-26", today="2025-12-01")
    assert r.returncode == 0, r.stdout + r.stderr
    assert len(list((repo / "data/finance/invoices").glob("*.yaml"))) >= 1
    again = run(repo, mode, "invoices", "issue", "2025-26", today="2025-12-01")
    assert again.returncode == 0 and "issued 0 invoices" in again.stdout, again.stdout + again.stderr


@pytest.mark.parametrize("mode", BREAKS)
def test_digest_sent_record(week, smtp, mode):  # noqa: F811 - fixtures
    add_recipients(week)
    handler, port = smtp()
    r = run(week, mode, "digest", "--send", env=smtp_env(port), today="2025-11-21")
    assert r.returncode == 0, r.stdout + r.stderr
    sent = json.loads((week / ".nesa-state/digest-sent.json").read_text())
    assert len(sent) == len(handler.envelopes) == 2
    again = run(week, mode, "digest", "--send", env=smtp_env(port), today="2025-11-21")
    assert again.returncode == 0 and again.stdout.count("already sent") == 2, again.stdout + again.stderr
    assert len(handler.envelopes) == 2


@pytest.mark.parametrize("mode", BREAKS)
def test_the_lock_still_excludes_and_times_out(tmp_path, mode):
    code = (
        "import sys, subprocess, os\n"
        "from nesa_cli.store.write import repo_lock\n"
        f"root = {str(tmp_path)!r}\n"
        "with repo_lock(root):\n"
        "    try:\n"
        "        with repo_lock(root, timeout=0.2):\n"
        "            print('both held')\n"
        "    except TimeoutError as e:\n"
        "        print(e)\n"
        "with repo_lock(root, timeout=1):\n"
        "    print('free again')\n"
    )
    r = run(tmp_path, mode, "-c", code)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == [f"another nesa command is writing in {tmp_path}; try again", "free again"]
