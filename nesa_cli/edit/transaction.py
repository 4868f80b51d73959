"""Plan edits in memory, validate the whole result, then write safely.

One :func:`run` call is one edit:

1. take the repository's write lock (so two commands at once cannot lose an
   edit: the second reads what the first wrote);
2. load the data as it is now, and let the edit function change documents in
   memory (round-trip YAML, so comments and formatting survive);
3. validate the whole resulting state, with the changed files laid over the
   working tree (:class:`OverlaySource`); refuse - nothing written - when a
   touched file would have an error or any new error would appear anywhere
   (errors that were already there elsewhere do not block an unrelated edit,
   and are mentioned);
4. write each changed file atomically (temporary file, fsync, rename), through
   a journal when there are several, so a crash never leaves half an edit;
5. optionally create a branch and commit exactly the touched files.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from nesa_cli.diagnostics import ERROR, Diagnostic
from nesa_cli.edit import roundtrip
from nesa_cli.errors import UsageError

LOCK_WAIT = 30.0  # seconds to wait for another writer


class EditError(UsageError):
    """The edit cannot be made as asked (unknown school, bad value, ...):
    a user's mistake, reported with a clear message (exit 2)."""


@dataclass
class EditResult:
    """What one edit did (or would do)."""

    ok: bool
    changes: list[str] = field(default_factory=list)  # what changed, in words
    paths: list[str] = field(default_factory=list)  # files written (or that would be)
    created: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # files deleted (or that would be)
    diagnostics: list[Diagnostic] = field(default_factory=list)  # blocking errors, or new warnings
    existing_errors: int = 0  # errors already present elsewhere, untouched
    diff: str = ""
    written: bool = False
    commit: str | None = None
    branch: str | None = None
    message: str = ""  # the commit message (generated or given)

    def as_dict(self) -> dict:
        return {
            "ok": self.ok, "written": self.written, "changes": self.changes, "paths": self.paths,
            "created": self.created, "removed": self.removed, "commit": self.commit, "branch": self.branch,
            "diagnostics": [d.as_dict() for d in self.diagnostics],
            "existing_errors": self.existing_errors,
        }


class OverlaySource:
    """A source that reads like ``base`` but with some files replaced or added:
    the state an edit would produce, before anything touches the disk."""

    def __init__(self, base, overlay: dict[str, bytes], removed=()):
        self.base = base
        self.overlay = dict(overlay)
        self.removed = set(removed)
        self.root = base.root
        self.label = f"{base.label} with the edit"

    def files(self) -> list[str]:
        return sorted((set(self.base.files()) | set(self.overlay)) - self.removed)

    def read(self, path: str) -> bytes:
        if path in self.removed:
            raise FileNotFoundError(path)
        if path in self.overlay:
            return self.overlay[path]
        return self.base.read(path)

    def unsafe(self) -> list[tuple[str, str]]:
        return self.base.unsafe()

    def content_id(self, path: str) -> str:
        from nesa_cli.store.sources import blob_id

        if path in self.overlay:
            return blob_id(self.overlay[path])
        getter = getattr(self.base, "content_id", None)
        return getter(path) if getter else blob_id(self.base.read(path))


class Transaction:
    """The documents an edit changes, held in memory until validated.

    ``result``/``model`` are the data as they were when the edit began (read
    under the lock)."""

    def __init__(self, root: Path, result, today):
        self.root = Path(root)
        self.result = result
        self.model = result.model
        self.today = today
        self._docs: dict[str, object] = {}
        self._original: dict[str, bytes | None] = {}
        self._headers: dict[str, str] = {}
        self._removed: dict[str, bytes] = {}  # path -> its bytes before the edit, for files the edit deletes
        self.changes: list[str] = []
        self.subject: str | None = None  # first line of the commit message

    # -- documents -------------------------------------------------------------

    def exists(self, path: str) -> bool:
        if path in self._removed:
            return False
        return path in self._docs or self._full(path).is_file()

    def _full(self, path: str) -> Path:
        """The file behind ``path``: only ever inside data/ (the edit functions
        build paths from ids; see nesa_cli.store.paths)."""
        from nesa_cli.store.paths import UnsafePath, check_relative

        try:
            check_relative(path, under="data")
        except UnsafePath as exc:
            raise EditError(str(exc)) from None
        return self.root / path

    def doc(self, path: str):
        """The round-trip document at ``path`` (loaded once; edits accumulate)."""
        if path not in self._docs:
            full = self._full(path)
            if not full.is_file():
                raise EditError(f"{path} does not exist")
            raw = full.read_bytes()
            try:
                self._docs[path] = roundtrip.load(raw, path)
            except roundtrip.RoundTripError as exc:
                raise EditError(str(exc)) from None
            self._original[path] = raw
        return self._docs[path]

    def create(self, path: str, data, header: str) -> None:
        """A new file: ``header`` is its first line(s), e.g. the editor's schema hint."""
        if self.exists(path):
            raise EditError(f"{path} already exists")
        self._docs[path] = data
        self._original[path] = None
        self._headers[path] = header

    def delete(self, path: str) -> None:
        """The file goes (written out by the edit as a removal, and committed so)."""
        full = self._full(path)
        if path not in self._docs and not full.is_file():
            raise EditError(f"{path} does not exist")
        if self._original.get(path, b"") is None:  # made by this very edit: just forget it
            for held in (self._docs, self._original, self._headers):
                held.pop(path, None)
            return
        self._removed[path] = self._original.get(path) or full.read_bytes()
        self._docs.pop(path, None)
        self._original.pop(path, None)

    def removed(self) -> list[str]:
        return sorted(self._removed)

    def note(self, text: str) -> None:
        self.changes.append(text)

    def planned(self) -> dict[str, bytes]:
        """path -> new bytes, for every file whose bytes would change."""
        out = {}
        for path, data in self._docs.items():
            new = self._headers.get(path, "").encode("utf-8") + roundtrip.dump(data)
            if new != self._original[path]:
                out[path] = new
        return out

    def created(self) -> list[str]:
        return sorted(p for p, raw in self._original.items() if raw is None)

    def diff(self, planned: dict[str, bytes]) -> str:
        """The unified diff of the planned files; values marked private (in the
        file before or after) are shown as "(not for circulation)"."""
        from nesa_cli.privacy import unified_diff

        out = [unified_diff(path, self._original.get(path), planned[path]) for path in sorted(planned)]
        out += [unified_diff(path, old, b"").replace(f"+++ b/{path}", "+++ /dev/null", 1) for path, old in sorted(self._removed.items())]
        return "".join(out)


def _key(d: Diagnostic) -> tuple:
    return (d.path, d.severity, d.rule, d.message)


def judge(before, after, touched: set[str]) -> tuple[list[Diagnostic], list[Diagnostic], int]:
    """(blocking errors, new warnings, errors already present elsewhere).

    Blocking: any error in a touched file, and any error elsewhere that was
    not there before the edit (compared by file, rule and message, since line
    numbers move)."""
    old = Counter(_key(d) for d in before.diagnostics)
    blocking, warnings = [], []
    seen: Counter = Counter()
    for d in after.diagnostics:
        k = _key(d)
        seen[k] += 1
        is_new = seen[k] > old[k]
        if d.severity == ERROR and (d.path in touched or is_new):
            blocking.append(d)
        elif d.severity != ERROR and is_new:
            warnings.append(d)
    existing = sum(1 for d in after.diagnostics if d.severity == ERROR and d.path not in touched) - sum(
        1 for d in blocking if d.path not in touched)
    return blocking, warnings, existing


def subject_line(text: str, limit: int = 72) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def commit_message(tx: Transaction, command: str) -> str:
    subject = subject_line(tx.subject or (tx.changes[0] if tx.changes else "Edit the alliance data"))
    body = "\n".join(f"- {c}" for c in tx.changes)
    return f"{subject}\n\n{body}\n\nMade with: {command}\n"


def run(
    root: Path,
    edit: Callable[[Transaction], None],
    *,
    today,
    commit: bool = False,
    branch: str | None = None,
    dry_run: bool = False,
    message: str | None = None,
    command: str = "nesa",
) -> EditResult:
    """Make one edit safely (see the module's description). Raises
    :class:`EditError` for a mistake in the request; a change that would make
    the data invalid comes back as ``ok=False`` with the diagnostics."""
    from nesa_cli.edit import git as gitops
    from nesa_cli.store.write import UnsafePath, repo_lock

    root = Path(root)
    commit = commit or branch is not None
    if commit and not dry_run:
        try:
            if branch is not None:
                gitops.check_branch(root, branch)
            else:
                gitops.current_branch(root)  # is this a git repository at all?
            gitops.check_state(root)  # not in the middle of a rebase, merge, ...: before anything is written
        except gitops.GitError as exc:
            raise EditError(str(exc)) from None
    try:
        with repo_lock(root, timeout=LOCK_WAIT):
            return _locked(root, edit, today, commit, branch, dry_run, message, command)
    except (TimeoutError, UnsafePath) as exc:
        raise EditError(str(exc)) from None
    except OSError as exc:  # PermissionError, a read-only file system (EROFS), a full disk
        raise EditError(f"cannot write in {exc.filename or root}: {exc.strerror or exc}") from None


def _locked(root: Path, edit, today, commit: bool, branch: str | None, dry_run: bool, message: str | None,
            command: str) -> EditResult:
    """The edit itself, with the repository lock held."""
    from nesa_cli.edit import git as gitops
    from nesa_cli.store import WorkingTree
    from nesa_cli.store.journal import JournalError, recover_locked, write_files
    from nesa_cli.loader import load

    try:
        recover_locked(root)  # an earlier edit of several files killed half way
    except JournalError as exc:
        raise EditError(str(exc)) from None
    base = WorkingTree(root)
    before = load(base)
    tx = Transaction(root, before, today)
    edit(tx)
    planned = tx.planned()
    removed = tx.removed()
    touched = sorted([*planned, *removed])
    result = EditResult(ok=True, changes=list(tx.changes), paths=touched, created=[p for p in tx.created() if p in planned],
                        removed=removed)
    if not touched:
        result.changes = result.changes or ["nothing to change"]
        return result
    result.diff = tx.diff(planned)
    result.message = message or commit_message(tx, command)
    if commit and not dry_run:
        try:
            dirty = gitops.changed(root, touched)
        except gitops.GitError as exc:
            raise EditError(str(exc)) from None
        if dirty:
            raise EditError(
                f"{', '.join(dirty)} already {'has' if len(dirty) == 1 else 'have'} changes that are not committed; "
                "committing the edit would include them. Commit or discard them first, or run without --commit")
    after = load(OverlaySource(base, planned, removed))
    blocking, warnings, existing = judge(before, after, set(touched))
    result.existing_errors = existing
    if blocking:
        result.ok = False
        result.diagnostics = blocking
        return result
    result.diagnostics = warnings
    if dry_run:
        return result
    if branch is not None:
        try:
            gitops.create_branch(root, branch)
        except gitops.GitError as exc:
            raise EditError(str(exc)) from None
        result.branch = branch
    write_files(root, planned, removed)  # all files or, after a crash, none until the next command finishes them
    result.written = True
    if commit:
        try:
            result.commit = gitops.commit(root, touched, result.message)
        except gitops.GitError as exc:
            result.changes.append(f"written but NOT committed: {exc}")
            result.ok = False
    return result
