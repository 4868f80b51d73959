"""Progress of long work, reported through a plain callback.

The library calls :func:`step` as it goes (files read, rules run); nothing
is shown unless the command line installed a callback with :func:`use`
(nesa_cli.cli.progress draws it with rich, on a terminal only). No rich
or Typer here: a callback is any ``(stage, done, total) -> None``.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Callable, Iterator, Optional

Callback = Callable[[str, int, int], None]

_sink: Optional[Callback] = None


def step(stage: str, done: int, total: int) -> None:
    """``done`` of ``total`` units of ``stage`` ("Reading files") are done."""
    if _sink is not None:
        _sink(stage, done, total)


def install(callback: Optional[Callback]) -> Optional[Callback]:
    """Make ``callback`` receive every step from now on (None: none); returns the previous one."""
    global _sink
    previous, _sink = _sink, callback
    return previous


@contextmanager
def use(callback: Callback) -> Iterator[None]:
    previous = install(callback)
    try:
        yield
    finally:
        install(previous)
