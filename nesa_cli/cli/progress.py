"""The progress display: rich, on stderr, only on a terminal and outside CI.

The library reports steps through nesa_cli.progress; :class:`Display` draws
them once the work has run for :data:`AFTER` seconds (a short command shows
nothing), and clears itself when done. Never in a pipe, a redirect or a CI
log (``CI`` set to anything), and rich is imported only when it draws.
"""

from __future__ import annotations

import os
import sys
import time

AFTER = 1.0  # seconds of work before anything is shown
EVERY = 0.1  # at most this often a redraw


def wanted(stream=None, environ=None) -> bool:
    stream = stream if stream is not None else sys.stderr
    environ = os.environ if environ is None else environ
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        tty = False
    return tty and "CI" not in environ and environ.get("TERM") != "dumb"


class Display:
    """A callback for nesa_cli.progress that draws a rich progress bar."""

    def __init__(self, console=None, clock=time.monotonic):
        self.console = console
        self.clock = clock
        self.start = clock()
        self.last = 0.0
        self.bar = None
        self.tasks: dict[str, int] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = self.clock()
        if self.bar is None:
            if now - self.start < AFTER or done >= total:
                return
            self._open()
        task = self.tasks.get(stage)
        if task is None:
            task = self.tasks[stage] = self.bar.add_task(stage, total=total or 1)
        self.bar.update(task, completed=done, total=total or 1)
        if now - self.last >= EVERY or done >= total:
            self.last = now
            self.bar.refresh()
        if all(t.finished for t in self.bar.tasks):
            self.close()  # the work is done: clear the bar before the command prints its output

    def _open(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        console = self.console or Console(file=sys.stderr)
        self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                            console=console, transient=True, auto_refresh=False)
        self.bar.start()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None
            self.tasks = {}


def start():
    """Install a display when one is wanted; returns a function that removes it."""
    if not wanted():
        return lambda: None
    from nesa_cli import progress

    display = Display()
    previous = progress.install(display)

    def stop() -> None:
        progress.install(previous)
        display.close()

    return stop
