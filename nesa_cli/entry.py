"""The `nesa` console script.

It marks the command-line adapter as lazy before importing it, so that a run
imports only the command modules its command line names (see
``nesa_cli.cli.modules_for``). No Typer or rich here: this only sets a flag.

When the command is done, the process ends at once (:func:`_end`): its output
flushed, without freeing its objects one by one. A query over a region holds
25,000 schools, documents and cache rows; freeing them took 60 to 100 ms of a
one-second run, for memory the operating system takes back anyway. Nothing in
nesa leaves work for exit time: files are written and closed, and pools and
child processes finished, before a command returns.

While the data is loaded, the cyclic garbage collector is paused, and what
was loaded is then moved out of its sight (:func:`_collector_paused`, which
the loader calls through ``nesa_cli.WHILE_LOADING``). These are decisions
about the whole process, so they are made here, in the process's entry point,
and never by the library (whose users keep Python's ordinary behaviour).
So is the third: the source text that dataclasses, typing and namedtuple
compile at every start is compiled once and kept (:mod:`nesa_cli.codecache`).
"""

import os
import sys
from contextlib import contextmanager

import nesa_cli


_CODE = None  # the code cache of this run (nesa_cli.codecache), saved by _end


def main() -> None:
    global _CODE
    from nesa_cli import codecache

    _CODE = codecache.install()
    nesa_cli.LAZY_CLI = True
    nesa_cli.KEEP_LOADED = True  # see nesa_cli.cli.common.loaded
    nesa_cli.WHILE_LOADING = _collector_paused  # see nesa_cli.loader.load
    from nesa_cli.cli import main as cli_main

    try:
        cli_main()
    except SystemExit as exc:
        _end(exc.code)
    _end(0)


@contextmanager
def _collector_paused():
    """Loading makes millions of small objects and no cycles: the cyclic
    collector would only rescan them again and again. What was loaded lives
    until the command ends: afterwards it is moved out of the collector's
    sight (gc.freeze), or every later collection rescans all of it."""
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def _end(code) -> None:
    """Exit with ``code`` as SystemExit would, without tearing down the heap."""
    if code is None:
        code = 0
    elif not isinstance(code, int):
        sys.stderr.write(f"{code}\n")
        code = 1
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # the reader went away (nesa ... | head): not an error
        pass
    except OSError:
        code = code or 1
    try:
        sys.stderr.flush()
    except OSError:
        pass
    if _CODE is not None:
        _CODE.save()
    os._exit(code)
