"""The one way nesa reaches git.

* :func:`run` runs a git command and returns its output, raising
  :class:`GitFailed` (a UsageError: the message is git's own) when it fails
  or git cannot be started; ``quiet=True`` answers "" instead, for questions
  whose failure only means "no answer" (outside a repository, no commits).
* :func:`call` runs one and returns the whole outcome (bytes, return code).
* :func:`start` starts one without waiting (several at once: see
  store/sources.py), and :func:`output` waits for it.
* :func:`repository` opens the GitPython repository the history readers and
  the committer use (imported only when one is needed), with ``missing``
  naming the error class and message for "not inside a git repository".

Every call sets GIT_OPTIONAL_LOCKS=0 unless told otherwise: reading never
takes git's index lock, so a read never blocks a user's own git command.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from nesa_cli.errors import UsageError


class GitFailed(UsageError):
    """A git command failed; the message is what git said."""


def _env(env: dict | None) -> dict:
    return {**os.environ, "GIT_OPTIONAL_LOCKS": "0", **(env or {})}


def run(root: Path | str, *args: str, env: dict | None = None, quiet: bool = False, text: bool = True) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, env=_env(env))
    except OSError as exc:
        if quiet:
            return ""
        raise GitFailed(f"cannot run git: {exc.strerror or exc}") from None
    out = done.stdout.decode("utf-8", "replace") if text else done.stdout
    if done.returncode != 0:
        if quiet:
            return ""
        said = done.stderr.decode("utf-8", "replace").strip() or (out.strip() if text else "")
        raise GitFailed(f"git {args[0]} failed: {said}")
    return out.strip() if text else out


def call(root: Path | str, *args: str, stdin: bytes | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run git and hand back the whole outcome, bytes and return code (OSError
    if git cannot start): for callers that read binary output or decide
    themselves what a failure means."""
    return subprocess.run(["git", *args], cwd=root, input=stdin, capture_output=True, env=_env(env))


def start(root: Path | str, *args: str, env: dict | None = None, stderr: bool = False) -> subprocess.Popen:
    """Start a git command whose output :func:`output` collects (OSError if git
    cannot start); ``stderr=True`` keeps its error output for the caller."""
    return subprocess.Popen(["git", *args], cwd=root, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE if stderr else subprocess.DEVNULL, env=_env(env))


def output(proc: subprocess.Popen) -> str:
    out = proc.communicate()[0]
    if proc.returncode != 0:
        raise subprocess.CalledProcessError(proc.returncode, proc.args)
    return out.decode("utf-8", "surrogateescape")


def repository(root: Path | str, missing: type[Exception] = GitFailed, message: str | None = None):
    """The GitPython repository holding ``root`` (searching upwards)."""
    import git

    try:
        return git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise missing(message or f"{root} is not inside a git repository") from None
