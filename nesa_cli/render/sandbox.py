"""The Jinja environment templates run in: sandboxed, and bounded.

Templates are edited by users (a data repository's ``templates/`` overrides
the built-in ones), so besides Jinja's sandbox (no attribute tricks, no
mutation of data) a render is bounded:

* **work**: every loop iteration, call and filter costs steps (a filter also
  pays for the length of the list it is given); more than ``MAX_STEPS`` and
  the render stops ("loops without end?");
* **size**: all text a template emits (in the document, a ``{% set %}`` block
  or a macro) counts towards ``MAX_OUTPUT`` characters; one value (a string
  built by ``*``, ``+``, ``~``, ``%``, a filter or a method) may not exceed it
  either, and operations that would build a huge value from small operands
  (``'x' * 10**9``, ``2 ** 10**9``, ``'%999999999s'``, ``center(10**9)``) are
  refused before they run;
* **names**: a template may include or extend only templates by plain name
  from the template folders (no absolute path, no ``..``, no hidden file, no
  symbolic link that leads out of the folder).

Recursion without end is reported too (the caller catches RecursionError).
Any breach raises :class:`TemplateLimit` or :class:`TemplateRefused`.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from typing import Any

MAX_OUTPUT = 64 * 1024 * 1024  # characters; the largest real document is a few MiB
MAX_STEPS = 10_000_000  # a contact sheet of 3,000 schools takes well under 1,000,000
MAX_SECONDS = 120.0  # and, whatever the steps, no render runs longer than this
CALL_STEPS = 50  # a macro call or a recursive loop's next level costs as much as 50 loop turns
MAX_ARG = 1_000_000  # the largest number a call or filter may be given as a width, count or range
MAX_BITS = 100_000  # the largest integer (about 30,000 digits) arithmetic may make
MAX_TEMPLATE_BYTES = 1024 * 1024

_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)*\Z")
_PERCENT_WIDTH = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\*|\d{7,}|\d*\.(?:\*|\d{7,}))")
_BRACE_WIDTH = re.compile(r"\{[^{}]*:[^{}]*(?:\d{7,}|\{)")


class TemplateLimit(Exception):
    """A template needed more time or room than any document does."""


class TemplateRefused(Exception):
    """A template named something it may not read."""


def _too_big(value: Any) -> bool:
    try:
        return isinstance(value, (str, bytes, list, tuple)) and len(value) > MAX_OUTPUT
    except TypeError:  # pragma: no cover - defensive
        return False


def _check_args(args, kwargs) -> None:
    for a in (*args, *kwargs.values()):
        if type(a) is int and abs(a) > MAX_ARG:
            raise TemplateLimit(f"a number given to a call or filter is larger than {MAX_ARG:,}")


def _check_format(text: Any, braces: bool) -> None:
    if isinstance(text, str) and (_BRACE_WIDTH if braces else _PERCENT_WIDTH).search(text):
        raise TemplateLimit("a format with a width or precision of a million or more (or a '*' width) is not allowed")


def _check_binop(operator: str, left: Any, right: Any) -> None:
    ints = type(left) is int and type(right) is int
    if operator == "**":
        if ints and right > 0 and left not in (0, 1, -1) and left.bit_length() * right > MAX_BITS:
            raise TemplateLimit("a power would make a number of more than 30,000 digits")
    elif operator == "*":
        if ints and left.bit_length() + right.bit_length() > MAX_BITS:
            raise TemplateLimit("a product would make a number of more than 30,000 digits")
        for seq, n in ((left, right), (right, left)):
            if isinstance(seq, (str, list, tuple)) and type(n) is int and len(seq) * n > MAX_OUTPUT:
                raise TemplateLimit(f"a repetition would make a value of more than {MAX_OUTPUT:,} characters or items")
    elif operator == "%":
        _check_format(left, braces=False)
    elif operator == "+":
        if isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)) and len(left) + len(right) > MAX_OUTPUT:
            raise TemplateLimit(f"a value of more than {MAX_OUTPUT:,} characters or items")


def guarded_environment(folders: list[Path], filters: dict | None = None, **options):
    """A sandboxed environment loading templates from ``folders`` (first wins),
    with the bounds described above. One environment serves one render."""
    from jinja2 import BaseLoader, TemplateNotFound, nodes, pass_context
    from jinja2.runtime import LoopContext, Macro
    from jinja2.sandbox import ImmutableSandboxedEnvironment
    from jinja2.visitor import NodeTransformer

    class Loader(BaseLoader):
        def __init__(self, folders):
            self.folders = [Path(f).resolve() for f in folders]

        def get_source(self, environment, template):
            if not isinstance(template, str) or not _NAME.match(template) or any(p.startswith(".") for p in template.split("/")):
                raise TemplateRefused(
                    f"template name {template!r} is not allowed: templates may include or extend only other "
                    "templates by name from templates/ (no absolute path, no '..')")
            for folder in self.folders:
                candidate = folder.joinpath(*template.split("/"))
                if not os.path.lexists(candidate):
                    continue
                real = Path(os.path.realpath(candidate))
                if folder not in real.parents:
                    raise TemplateRefused(f"template {template!r} is a link that leads outside {folder.name}/")
                if not real.is_file():
                    continue
                if real.stat().st_size > MAX_TEMPLATE_BYTES:
                    raise TemplateLimit(f"template {template!r} is larger than {MAX_TEMPLATE_BYTES // 1024} KiB")
                try:
                    source = real.read_text(encoding="utf-8")
                except UnicodeDecodeError:
                    raise TemplateRefused(f"template {template!r} is not UTF-8 text") from None
                mtime = real.stat().st_mtime
                return source, str(real), lambda: real.exists() and real.stat().st_mtime == mtime
            raise TemplateNotFound(template)

    class Guard(NodeTransformer):
        """Routes loops, emitted text and concatenations through the budget."""

        def _wrap(self, node, name):
            return nodes.Filter(node, name, [], [], None, None, lineno=node.lineno)

        def visit_For(self, node):
            self.generic_visit(node)
            node.iter = self._wrap(node.iter, "nesa_steps")
            return node

        def visit_Output(self, node):
            self.generic_visit(node)
            node.nodes = [self._wrap(n, "nesa_emit") for n in node.nodes]
            return node

        def visit_Concat(self, node):
            self.generic_visit(node)
            return self._wrap(node, "nesa_value")

    class Guarded(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**", "%", "+"})

        def __init__(self, **kw):
            super().__init__(**kw)
            self.steps = 0
            self.emitted = 0
            self.checked = 0
            self.deadline = time.monotonic() + MAX_SECONDS

        def step(self, n: int = 1) -> None:
            self.steps += n
            if self.steps > MAX_STEPS:
                raise TemplateLimit(f"rendering took more than {MAX_STEPS:,} steps: does a loop or a macro run without end?")
            if self.steps - self.checked > 4096:
                self.checked = self.steps
                if time.monotonic() > self.deadline:
                    raise TemplateLimit(f"rendering took more than {MAX_SECONDS:.0f} seconds: does a loop or a macro run without end?")

        def _parse(self, source, name, filename):
            return Guard().visit(super()._parse(source, name, filename))

        def call_binop(self, context, operator, left, right):
            _check_binop(operator, left, right)
            return self.value(super().call_binop(context, operator, left, right))

        def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - Jinja's signature
            heavy = isinstance(__obj, (LoopContext, Macro))
            __self.step(CALL_STEPS if heavy else 1)
            _check_args(args, kwargs)
            if isinstance(__obj, LoopContext) and args:  # a recursive loop's next level
                args = (__self.steps_through(args[0]),) + args[1:]
            owner = getattr(getattr(__obj, "__wrapped__", __obj), "__self__", None)
            if isinstance(owner, str) and getattr(__obj, "__name__", "") in ("format", "format_map"):
                _check_format(owner, braces=True)
            return __self.value(super().call(__context, __obj, *args, **kwargs))

        def value(self, result):
            if _too_big(result):
                raise TemplateLimit(f"a value of more than {MAX_OUTPUT:,} characters or items")
            return result

        def steps_through(self, iterable):
            for item in iterable:
                self.step()
                yield item

        def emit(self, value):
            self.emitted += len(value) if isinstance(value, str) else 16
            if self.emitted > MAX_OUTPUT:
                raise TemplateLimit(f"the document grew beyond {MAX_OUTPUT // 1024 // 1024} MiB")
            return value

    env = Guarded(loader=Loader(folders), **options)
    env.filters.update(filters or {})

    @pass_context
    def nesa_steps(context, iterable):
        return env.steps_through(iterable)

    @pass_context
    def nesa_emit(context, value):
        if isinstance(value, str):
            env.emit(value)
        return value

    @pass_context
    def nesa_value(context, value):
        return env.value(value)

    def guarded_filter(name, func):
        import functools

        @functools.wraps(func)
        def run(*args, **kwargs):
            # the first argument is the context/environment for pass_* filters, then the value
            start = 1 if getattr(func, "jinja_pass_arg", None) is not None else 0
            value = args[start] if len(args) > start else None
            env.step(1 + (len(value) if isinstance(value, (list, tuple, dict, set)) else 0)
                     + (len(value) // 1000 if isinstance(value, str) else 0))
            _check_args(args[start + 1:], kwargs)
            if name == "format":
                _check_format(value, braces=False)
            return env.value(func(*args, **kwargs))

        return run

    env.filters = {name: guarded_filter(name, f) for name, f in env.filters.items()}
    env.filters.update(nesa_steps=nesa_steps, nesa_emit=nesa_emit, nesa_value=nesa_value)
    return env
