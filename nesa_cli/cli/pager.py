"""Paging long output through $PAGER on a terminal, as git and gh do.

Only when standard output is a terminal, not in CI (``CI`` set), not with
``--no-pager`` (or ``NESA_PAGER=cat``), and only when the output is longer
than the screen. The pager is ``NESA_PAGER``, else ``PAGER``, else
``less`` with ``LESS=FRX`` (quit when it fits, keep colours, leave the text
on screen). A pager that cannot start means the text is printed instead.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys

from nesa_cli.cli import common


def command() -> list[str] | None:
    """The pager to run, or None: print straight out."""
    if common.OPTIONS.no_pager or os.environ.get("CI") or not sys.stdout.isatty() or os.environ.get("TERM") == "dumb":
        return None
    text = os.environ.get("NESA_PAGER") or os.environ.get("PAGER") or "less"
    try:
        words = shlex.split(text)
    except ValueError:
        return None
    if not words or words[0] == "cat":
        return None
    return words


def show(renderables: list, width: int) -> None:
    """Print rich renderables, through the pager when they overflow the screen."""
    from rich.console import Console

    out = common.console()
    words = command()
    if words is None:
        for r in renderables:
            out.print(r)
        return
    capture = Console(width=width, force_terminal=True, color_system=out.color_system, no_color=out.no_color,
                      highlight=False, soft_wrap=False)
    with capture.capture() as cap:
        for r in renderables:
            capture.print(r)
    text = cap.get()
    if text.count("\n") < shutil.get_terminal_size((80, 24)).lines:
        sys.stdout.write(text)
        return
    env = dict(os.environ)
    env.setdefault("LESS", "FRX")
    try:
        proc = subprocess.Popen(words, stdin=subprocess.PIPE, env=env)
    except OSError:
        sys.stdout.write(text)
        return
    try:
        proc.communicate(text.encode("utf-8", "replace"))
    except (BrokenPipeError, KeyboardInterrupt):
        pass
    proc.wait()
