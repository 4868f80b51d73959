"""The commits in a period and what each changed under data/, from three git
processes instead of GitPython objects per commit.

``git rev-parse`` says where the data sits and whether the clone is shallow,
one ``git log --raw`` lists the commits with the blob ids of every changed
file, and one ``git cat-file --batch`` reads those blobs. The answer is what
:func:`nesa_cli.store.git.commits_in` and :func:`~nesa_cli.store.git.commit_files`
give, without importing GitPython (30 ms) or starting a ``git diff`` per commit.
Anything unusual (a shallow clone, whose oldest commit must be left out; a
revision given by date; no commits yet; not a git repository) is left to
:mod:`nesa_cli.store.git`, which knows how to say what is wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from nesa_cli.store import gitrun
from nesa_cli.store.root import DATA_DIR

_ZERO = re.compile(rb"0+\Z")
_SHA = re.compile(r"[0-9a-f]{40,64}\Z")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_SAFE_REV = re.compile(r"[A-Za-z0-9._/@{}~^:+-]+\Z")
_ENV = {"GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}


class Unusual(Exception):
    """Not the plain case: let nesa_cli.store.git answer."""


@dataclass(frozen=True)
class CommitInfo:
    sha: str
    author: str
    date: str  # the committer's date, YYYY-MM-DD


def _git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    try:
        done = gitrun.call(root, *args, stdin=stdin, env=_ENV)
    except OSError:
        raise Unusual("no git") from None
    if done.returncode != 0:
        raise Unusual(done.stderr.decode("utf-8", "replace"))
    return done.stdout


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")


def _rev(rev: str) -> str:
    if _DATE.match(rev) or rev.startswith("-") or not _SAFE_REV.match(rev):
        raise Unusual("a date or an odd name: resolved by nesa_cli.store.git")
    return rev


class Pending:
    """``git rev-parse`` and ``git log`` started, to be read by :meth:`commits`
    (they run while the caller loads the data)."""

    def __init__(self, root: Path, base: str | None, target: str, since: str | None, under: str = DATA_DIR):
        self.root = Path(root)
        self.key = (base, target, since, under)
        rev = f"{_rev(base)}..{_rev(target)}" if base else _rev(target)
        args = ["-c", "log.showSignature=false", "log", "--no-merges", "--no-color", "--encoding=UTF-8", "-M", "--raw",
                "--no-abbrev", "-z", "--format=%x00@%H%x00%an%x00%cI%x00"]
        if since:
            args.append(f"--since={since}")
        # a pathspec from root (git runs there); git gives paths back from its top folder
        self.procs = [self._start("rev-parse", "--show-prefix", "--is-shallow-repository"),
                      self._start(*args, rev, "--", under)]
        self.shallow: bool | None = None  # known once read

    def _start(self, *args: str):
        try:
            return gitrun.start(self.root, *args, env=_ENV, stderr=True)
        except OSError:
            return None

    def _output(self, proc) -> bytes:
        if proc is None:
            raise Unusual("no git")
        out, err = proc.communicate()
        if proc.returncode != 0:
            raise Unusual(err.decode("utf-8", "replace"))
        return out

    def commits(self) -> list[tuple[CommitInfo, list]]:
        lines = _text(self._output(self.procs[0])).split("\n")
        pre = lines[0]
        self.shallow = (lines[1].strip() if len(lines) > 1 else "?") != "false"
        log = self._output(self.procs[1])
        if self.shallow:
            raise Unusual("a shallow clone (or a git too old to say)")
        found = _parse_log(log, pre)
        blobs = _read_blobs(self.root, {sha for _, entries in found for e in entries for sha in (e[1], e[3]) if sha})
        return [(info, [(old, blobs.get(osha) if osha else None, new, blobs.get(nsha) if nsha else None)
                        for old, osha, new, nsha in entries])
                for info, entries in reversed(found)]

    def close(self) -> None:
        for p in self.procs:
            if p is not None and p.poll() is None:
                p.kill()
                p.communicate()


def start(root: Path, base: str | None = None, target: str = "HEAD", since: str | None = None) -> Pending | None:
    """Start reading the commits (see :func:`commits`); None when only
    nesa_cli.store.git can (a date given as a revision, an odd name)."""
    try:
        return Pending(root, base, target, since)
    except Unusual:
        return None


def commits(root: Path, base: str | None = None, target: str = "HEAD", since: str | None = None,
            pending: Pending | None = None, under: str = DATA_DIR) -> list[tuple[CommitInfo, list]]:
    """Non-merge commits touching data/ in ``base..target`` (or since a time on
    ``target``), oldest first, each with ``(old_path, old_bytes, new_path,
    new_bytes)`` for every file it changed under data/ (renames detected).
    Raises :class:`Unusual` for anything but a plain, full clone. ``pending``:
    the same, started earlier by :func:`start`. ``under``: only the commits
    touching this folder (e.g. data/meetings), and only its files."""
    if pending is None or pending.key != (base, target, since, under) or Path(root) != pending.root:
        pending = Pending(root, base, target, since, under)
    try:
        return pending.commits()
    finally:
        pending.close()


def _parse_log(out: bytes, pre: str) -> list[tuple[CommitInfo, list]]:
    """``git log -z --raw`` with the format above: per commit, (old_path,
    old_blob, new_path, new_blob), paths in the data repository."""
    tokens = out.split(b"\0")
    found: list[tuple[CommitInfo, list]] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i].lstrip(b"\n")
        if not tok:
            i += 1
        elif tok.startswith(b"@") and i + 2 < len(tokens):
            found.append((CommitInfo(_text(tok[1:]), _text(tokens[i + 1]), _text(tokens[i + 2])[:10]), []))
            i += 3
        elif tok.startswith(b":") and found:
            meta = tok[1:].split(b" ")  # old mode, new mode, old blob, new blob, status
            status = _text(meta[4][:1]) if len(meta) > 4 else "M"
            paths = 2 if status in ("R", "C") else 1
            names = [_unprefixed(_text(p), pre) for p in tokens[i + 1:i + 1 + paths]]
            i += 1 + paths
            old_path, new_path = (names[0], names[-1])
            old_sha = None if status == "A" or _ZERO.match(meta[2]) or meta[0] == b"160000" else _text(meta[2])
            new_sha = None if status == "D" or _ZERO.match(meta[3]) or meta[1] == b"160000" else _text(meta[3])
            if status == "A":
                old_path = None
            if status == "D":
                new_path = None
            found[-1][1].append((old_path, old_sha, new_path, new_sha))
        else:
            raise Unusual(f"unexpected git log output near {tok[:40]!r}")
    return found


def _unprefixed(path: str, pre: str) -> str | None:
    if not pre:
        return path
    return path[len(pre):] if path.startswith(pre) else None


def _read_blobs(root: Path, shas: set[str]) -> dict[str, bytes]:
    """The bytes of each blob, from one ``git cat-file --batch``."""
    wanted = sorted(s for s in shas if _SHA.match(s))
    if not wanted:
        return {}
    out = _git(root, "cat-file", "--batch", stdin=("\n".join(wanted) + "\n").encode("ascii"))
    blobs: dict[str, bytes] = {}
    pos = 0
    for sha in wanted:
        end = out.index(b"\n", pos)
        header = out[pos:end].split(b" ")
        pos = end + 1
        if len(header) != 3:  # "<sha> missing"
            continue
        size = int(header[2])
        blobs[sha] = out[pos:pos + size]
        pos += size + 1
    return blobs


def is_shallow_or_unknown(root: Path, pending: Pending | None = None) -> bool:
    """Whether the history may be incomplete (so history_note has something to say)."""
    if pending is not None and pending.shallow is not None:
        return pending.shallow
    try:
        return _text(_git(root, "rev-parse", "--is-shallow-repository")).strip() != "false"
    except Unusual:
        return True
