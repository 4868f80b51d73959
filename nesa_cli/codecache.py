"""Compiled code for the source the standard library writes at start-up.

Each ``@dataclass`` writes its methods (``__init__``, ``__repr__``, ``__eq__``,
``__setattr__``...) as Python source and compiles it, on every start of the
process; ``typing`` compiles every string annotation (Typer reads the
commands' annotations), ``namedtuple`` its ``__new__``. A ``nesa digest``
run compiled about 550 such strings: 15% of all its instructions (callgrind,
2 December 2026), paid again by every command. Python keeps the compiled
code of modules in ``__pycache__``; this does the same for these strings:
their code objects, keyed by their source text, in one marshal file beside
nesa's own bytecode, handed back to the next run.

Only the `nesa` script installs it (:func:`install`, from ``nesa_cli.entry``):
it replaces the names ``exec`` in :mod:`dataclasses`, ``eval`` in
:mod:`collections` and ``compile`` in :mod:`typing` by functions that look the
text up first. What runs is the same code: compiled from the same text, with
the same mode and the same (no) compiler flags; anything else (a code object,
another file name, flags) goes to the built-in as before. The file is only a
cache: it is written as ``.pyc`` files are (not when ``PYTHONDONTWRITEBYTECODE``
is set; atomically), starts with Python's bytecode magic number (another
Python ignores it), and a damaged or unreadable one is ignored and replaced.
A library user who imports nesa_cli keeps Python's ordinary behaviour.

``NESA_CODE_CACHE=0`` turns it off; ``NESA_CODE_CACHE=FILE`` keeps the file
elsewhere (an installation in a folder its users may not write to).
"""

import builtins
import marshal
import os
import sys
from importlib._bootstrap_external import MAGIC_NUMBER  # already loaded by every import

_HEADER = MAGIC_NUMBER + b"nesa-code-1\n"
_LIMIT = 20_000  # entries: a file that grew past this (many nesa versions) starts again
_compile = builtins.compile
_exec = builtins.exec
_eval = builtins.eval


def default_path() -> str:
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.join(here, "__pycache__", f"generated-code.{sys.implementation.cache_tag}.marshal")


class CodeCache:
    """Code objects by (mode, source text), read from and written to ``path``."""

    def __init__(self, path: str):
        self.path = path
        self.codes: dict = {}
        self.added = 0
        self.hits = 0
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError:
            return
        if not data.startswith(_HEADER):
            return
        try:
            codes = marshal.loads(data[len(_HEADER):])
        except (EOFError, ValueError, TypeError):
            return
        if isinstance(codes, dict) and len(codes) <= _LIMIT:
            self.codes = codes

    def code(self, source: str, mode: str):
        key = mode + "\0" + source
        code = self.codes.get(key)
        if code is None:
            code = _compile(source, "<string>", mode, dont_inherit=True)
            self.codes[key] = code
            self.added += 1
        else:
            self.hits += 1
        return code

    def exec(self, source, globals=None, locals=None, /):
        if globals is None:  # as the built-in: the caller's namespaces
            frame = sys._getframe(1)
            globals, locals = frame.f_globals, frame.f_locals if locals is None else locals
        if isinstance(source, str):
            source = self.code(source, "exec")
        return _exec(source, globals, locals)

    def eval(self, source, globals=None, locals=None, /):
        if globals is None:
            frame = sys._getframe(1)
            globals, locals = frame.f_globals, frame.f_locals if locals is None else locals
        if isinstance(source, str):
            source = self.code(source, "eval")
        return _eval(source, globals, locals)

    def compile(self, source, filename, mode, flags=0, dont_inherit=False, optimize=-1, **kwargs):
        if isinstance(source, str) and filename == "<string>" and mode in ("exec", "eval") and not flags \
                and optimize == -1 and not kwargs:
            return self.code(source, mode)
        return _compile(source, filename, mode, flags, dont_inherit, optimize, **kwargs)

    def save(self) -> None:
        """Write the file when this run compiled something new (and Python
        writes bytecode at all); a folder we may not write to is no error."""
        if not self.added or sys.dont_write_bytecode:
            return
        codes = self.codes if len(self.codes) <= _LIMIT else {}
        tmp = f"{self.path}.{os.getpid()}.tmp"
        try:
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
            with open(tmp, "wb") as f:
                f.write(_HEADER + marshal.dumps(codes))
            os.replace(tmp, self.path)
        except (OSError, ValueError):
            try:
                os.unlink(tmp)
            except OSError:
                pass
        self.added = 0


def install(path: str | None = None) -> CodeCache | None:
    """Serve dataclasses', namedtuple's and typing's compilations from the
    cache at ``path`` (default: NESA_CODE_CACHE, else beside nesa's bytecode;
    None when NESA_CODE_CACHE is 0). For the process's entry point only."""
    import collections
    import dataclasses
    import typing

    path = path or os.environ.get("NESA_CODE_CACHE") or default_path()
    if path == "0":
        return None
    cache = CodeCache(path)
    dataclasses.exec = cache.exec
    collections.eval = cache.eval
    typing.compile = cache.compile
    return cache


def uninstall() -> None:
    import collections
    import dataclasses
    import typing

    for module, name in ((dataclasses, "exec"), (collections, "eval"), (typing, "compile")):
        module.__dict__.pop(name, None)
