"""Where a CI runner installs nesa from.

A new alliance repository's workflow must install a nesa that exists. The
install source is a pip requirement: ``nesa-cli==0.2.0`` from a package
index, ``git+https://host/owner/nesa@v0.2.0`` from the tool's repository, or
an ``https://`` URL of a wheel. ``nesa init --nesa-source`` names it; without
it, the source the running nesa was installed from is used when a runner
can reach it (PEP 610's ``direct_url.json`` says how a package was
installed). A local folder, a local file or an editable install cannot be
reached from CI: then there is no default, and the generated workflow stops
with a message naming the line to set.
"""

from __future__ import annotations

import json
import re
from nesa_cli.errors import UsageError

DIST = "nesa-cli"
_NAME = re.compile(r"nesa-cli(\[[a-z,]+\])?\s*(==|~=|>=)\s*[0-9][0-9A-Za-z.+!-]*\Z")
_DIRECT = re.compile(r"(nesa-cli(\[[a-z,]+\])?\s*@\s*)?(git\+)?https://[^\s\"'`$\\]+\Z")


class SourceError(UsageError, ValueError):
    """The install source given cannot be installed by a CI runner."""


def check(source: str) -> str:
    """``source`` tidied, or SourceError saying what to give instead."""
    text = (source or "").strip()
    if not text:
        raise SourceError("--nesa-source is empty; give e.g. 'git+https://github.com/<owner>/nesa@v0.2.0'")
    if re.search(r"[\x00-\x1f\x7f]", text):
        raise SourceError("--nesa-source must be one line of text")
    if text.startswith(("file:", "/", ".", "~", "\\")) or re.match(r"[A-Za-z]:[\\/]", text):
        raise SourceError(f"--nesa-source {text!r} is a path on this machine, which a CI runner cannot reach; "
                          "give a git+https:// URL of the tool's repository, an https:// URL of a wheel, or nesa-cli==<version>")
    if text.startswith(("git+ssh:", "ssh:", "git@", "http://", "git+http://")):
        raise SourceError(f"--nesa-source {text!r}: CI installs over https; give the https:// form of the address")
    if not (_NAME.match(text) or _DIRECT.match(text)):
        raise SourceError(f"--nesa-source {text!r} is not something pip installs nesa from; "
                          "e.g. 'git+https://github.com/<owner>/nesa@v0.2.0', 'https://<host>/nesa_cli-0.2.0-py3-none-any.whl' "
                          "or 'nesa-cli==0.2.0'")
    return text


def from_direct_url(raw: str | None, version: str) -> str | None:
    """The requirement a runner can install, from a ``direct_url.json`` text
    (None: the package came from an index, so ``nesa-cli==<version>``)."""
    if raw is None:
        return f"{DIST}=={version}"
    try:
        info = json.loads(raw)
    except ValueError:
        return None
    url = info.get("url") if isinstance(info, dict) else None
    if not isinstance(url, str) or not url.startswith("https://"):
        return None  # a local folder, file or editable install
    vcs = info.get("vcs_info")
    if isinstance(vcs, dict):
        if vcs.get("vcs") != "git":
            return None
        ref = vcs.get("requested_revision") or vcs.get("commit_id")
        source = f"git+{url}@{ref}" if ref else f"git+{url}"
    elif isinstance(info.get("archive_info"), dict):
        source = url
    else:
        return None
    try:
        return check(source)
    except SourceError:
        return None


def running() -> str | None:
    """How the running nesa was installed, when a CI runner can reach that."""
    from importlib import metadata

    try:
        dist = metadata.distribution(DIST)
    except metadata.PackageNotFoundError:
        return None
    return from_direct_url(dist.read_text("direct_url.json"), dist.version)


def with_pdf(source: str) -> str:
    """The same source with the ``pdf`` extra (Typst)."""
    if source.startswith(DIST + "[") or re.match(r"nesa-cli(\[[a-z,]+\])?\s*@", source):
        return source
    if source.startswith(DIST):
        return DIST + "[pdf]" + source[len(DIST):]
    return f"{DIST}[pdf] @ {source}"
