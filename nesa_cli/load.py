"""Strict YAML loading.

Data files are read with libyaml's composer (C, when available) and turned into
plain Python values by a small walker that enforces the rules of a data file:

* one document, UTF-8 without a byte-order mark, not empty;
* no duplicate keys (PyYAML would silently keep the last one and lose data);
* keys are strings; no explicit tags (``!!python/object`` and friends); no
  anchors or aliases (so "billion laughs" is refused at once);
* plain scalars follow a strict YAML 1.2-like core schema: ``true``/``false``,
  ``null``/``~``, decimal integers without leading zeros, decimal fractions
  (as :class:`decimal.Decimal`, never float). Everything else - ``no``, ``010``,
  ``1e3``, ``2024-09-01`` - stays text, so nothing is silently turned into
  another type. Dates are checked by the schema and converted by the model.

Problems come back as :class:`~nesa_cli.diagnostics.Diagnostic` values; this
module never raises for bad input.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from functools import lru_cache

from nesa_cli.diagnostics import ERROR, Diagnostic, declare
from nesa_cli import nesting
from nesa_cli.nesting import MAX_DEPTH

# The rule ids this module reports: severity and meaning (the README's rule
# table and nesa_cli.validate.catalogue are made from these).
RULE_IDS = declare({
    "yaml-syntax": ("error", "The file is not valid YAML."),
    "yaml-tab": ("error", "A tab character where YAML needs spaces."),
    "yaml-encoding": ("error", "The file is not UTF-8 (e.g. saved as Windows-1252 or UTF-16)."),
    "yaml-bom": ("error", "The file starts with a byte-order mark."),
    "yaml-empty": ("error", "The file is empty or holds only comments."),
    "yaml-multi-document": ("error", "More than one YAML document ('---') in one file."),
    "yaml-duplicate-key": ("error", "A key appears twice in one mapping; YAML would silently keep the last."),
    "yaml-key-type": ("error", "A key that is not text (e.g. a number)."),
    "yaml-tag": ("error", "An explicit tag such as !!python/object."),
    "yaml-alias": ("error", "Anchors, aliases or merge keys (&a, *a, <<)."),
    "yaml-too-deep": ("error", "Data nested more than 64 levels deep."),
    "yaml-too-large": ("error", "A data file over 5 MiB."),
    "yaml-number-too-long": ("error", "A number of more than 100 characters (quote it if it is text)."),
})


MAX_BYTES = 5 * 1024 * 1024
# The longest number a data file may hold, in characters (sign and point
# included). The largest figures an alliance writes (a URN, a LAESTAB, £999m
# in pence) have under 15 digits; past Python's 4,300-digit limit an integer
# cannot even be printed. A longer run of digits is refused at its place
# (quote it if it is text, such as a long reference).
MAX_NUMBER_CHARS = 100

PLAIN = "!nesa/plain"
QUOTED = "!nesa/quoted"
_SEQ = "!nesa/seq"
_MAP = "!nesa/map"

_NULLS = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)\Z")
_DEC = re.compile(r"[-+]?(0|[1-9][0-9]*)\.[0-9]+\Z")
# Quick signs that a file may nest deeply enough to need an event-level check
# before composing (libyaml's composer recurses in C).
_CONTENT = re.compile(r"^[ \t]*[^#\s]", re.M)  # a line that is neither blank nor a comment
_DEEP_HINT = re.compile(r"\n[ \t]{96,}\S|(?:[-?][ \t]+){24}")


@lru_cache(maxsize=None)
def _yaml():
    """(PyYAML, the strict composer class, whether libyaml is there), imported
    on first use: a command whose files all come from the cache never parses
    YAML, and importing PyYAML is about a tenth of its start-up."""
    import yaml

    try:  # libyaml's composer when present (issue: use the C loader)
        from yaml._yaml import CParser as Parser  # type: ignore[attr-defined]

        libyaml = True
    except ImportError:  # pragma: no cover - exercised only without libyaml
        from yaml.composer import Composer
        from yaml.parser import Parser as PyParser
        from yaml.reader import Reader
        from yaml.scanner import Scanner

        class Parser(Reader, Scanner, PyParser, Composer):  # type: ignore[no-redef]
            def __init__(self, stream):
                Reader.__init__(self, stream)
                Scanner.__init__(self)
                PyParser.__init__(self)
                Composer.__init__(self)

        libyaml = False
    scalar, sequence = yaml.ScalarNode, yaml.SequenceNode

    class StrictComposer(Parser):
        """Marks implicit scalars as plain or quoted; explicit tags pass through."""

        def descend_resolver(self, *args):  # noqa: D401 - libyaml hook
            pass

        def ascend_resolver(self, *args):
            pass

        def resolve(self, kind, value, implicit):
            if kind is scalar:
                return PLAIN if implicit[0] else QUOTED
            if kind is sequence:
                return _SEQ
            return _MAP

    return yaml, StrictComposer, libyaml


@dataclass
class Document:
    """One loaded data file."""

    path: str
    text: str | None
    data: Any = None
    problems: list[Diagnostic] = field(default_factory=list)
    _root: Any = field(default=None, repr=False)
    reread: Any = field(default=None, repr=False)  # () -> bytes, when text is not kept

    def forget_text(self, reread) -> None:
        """Drop the text (memory) and read it again only if a place is asked for."""
        self.text, self.reread, self._root = None, reread, None
        self.__dict__.pop("_key_index", None)

    @property
    def ok(self) -> bool:
        return self.data is not None and not any(p.severity == ERROR for p in self.problems)

    def locate(self, pointer: tuple, key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of the value at ``pointer`` (or of its key).

        Falls back to the nearest enclosing node that exists.
        """
        node = self._node()
        if node is None:
            return (1, 1)
        yaml = _yaml()[0]
        best = node.start_mark
        for step in pointer:
            nxt = None
            key_node = None
            if isinstance(node, yaml.MappingNode):
                found = self._keys(node).get(step)
                if found is not None:
                    key_node, nxt = found
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
                if 0 <= step < len(node.value):
                    nxt = node.value[step]
            if nxt is None:
                break
            node = nxt
            best = key_node.start_mark if (key and key_node is not None and step == pointer[-1]) else nxt.start_mark
        return (best.line + 1, best.column + 1)

    def _keys(self, node) -> dict:
        """{key text: (key node, value node)} of one mapping node, made once:
        a file with thousands of problems in one mapping is located in
        linear time, not by scanning the mapping once per problem."""
        indexes = self.__dict__.setdefault("_key_index", {})  # id(mapping node) -> its keys
        index = indexes.get(id(node))
        if index is None:
            scalar = _yaml()[0].ScalarNode
            index = {}
            for k, v in node.value:
                if isinstance(k, scalar):
                    index.setdefault(k.value, (k, v))  # the first, as a scan would find
            indexes[id(node)] = index
        return index

    def _node(self):
        if self.text is None and self.reread is not None:
            try:
                self.text = decode(self.path, self.reread())[0]
            except OSError:
                self.text = None
            self.reread = None
        if self._root is None and self.text is not None:
            yaml, composer, _ = _yaml()
            try:
                parser = composer(self.text)
                try:
                    self._root = parser.get_single_node()
                finally:
                    parser.dispose()
            except yaml.YAMLError:
                self._root = None
        return self._root


def _diag(path: str, line: int, col: int, rule: str, message: str) -> Diagnostic:
    return Diagnostic(path, line, col, ERROR, rule, message)


def decode(path: str, raw: bytes) -> tuple[str | None, list[Diagnostic]]:
    """Bytes to text: UTF-8 only; a BOM is reported (then ignored)."""
    problems: list[Diagnostic] = []
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append(_diag(path, 1, 1, "yaml-bom", "file starts with a byte-order mark; save it as UTF-8 without BOM"))
        raw = raw[3:]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.append(_diag(path, 1, 1, "yaml-encoding", "file is UTF-16; save it as UTF-8"))
        return None, problems
    if _looks_utf16(raw):
        problems.append(_diag(path, 1, 1, "yaml-encoding", "file looks like UTF-16 (every other byte is NUL); save it as UTF-8"))
        return None, problems
    try:
        return raw.decode("utf-8"), problems
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        problems.append(
            _diag(path, line, col, "yaml-encoding", f"byte 0x{raw[exc.start]:02x} is not valid UTF-8; save the file as UTF-8")
        )
        return None, problems


def _looks_utf16(raw: bytes) -> bool:
    """UTF-16 without a byte-order mark: text whose every other byte is NUL
    (a data file of UTF-8 text has no NUL bytes at all)."""
    head = raw[:4096]
    if len(head) < 4 or b"\x00" not in head:
        return False
    even, odd = head[0::2], head[1::2]
    return max(even.count(0) / len(even), odd.count(0) / len(odd)) > 0.4


def load_bytes(path: str, raw: bytes) -> Document:
    """Load one data file strictly. Never raises for bad content."""
    if len(raw) > MAX_BYTES:
        return Document(
            path, None, None,
            [_diag(path, 1, 1, "yaml-too-large", f"file is {len(raw) // 1024} KiB; data files may be at most {MAX_BYTES // 1024 // 1024} MiB")],
        )
    text, problems = decode(path, raw)
    doc = Document(path, text, None, problems)
    if text is None:
        return doc
    if _CONTENT.search(text) is None:
        doc.problems.append(_diag(path, 1, 1, "yaml-empty", "file is empty (only comments or white space)"))
        return doc
    if "\x00" in text:
        i = text.index("\x00")
        doc.problems.append(_diag(path, text.count("\n", 0, i) + 1, i - (text.rfind("\n", 0, i) + 1) + 1, "yaml-syntax", "file contains a NUL character"))
        return doc
    if not nesting.bounded_parser() and (text.count("[") + text.count("{") > 64 or _DEEP_HINT.search(text)) \
            and not nesting.depth_ok(path, text, doc):
        return doc
    yaml, composer, _ = _yaml()
    try:
        parser = composer(text)
        try:
            root = parser.get_single_node()
        finally:
            parser.dispose()
    except yaml.MarkedYAMLError as exc:
        if "nesting depth" in str(exc.problem or "") and not nesting.depth_ok(path, text, doc):
            return doc  # libyaml's own limit: the place where nesting first passed ours
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        if "expected a single document" in message:
            doc.problems.append(_diag(path, line, col, "yaml-multi-document", "file holds more than one YAML document ('---'); keep one per file"))
        elif mark is not None and _char_at(text, mark.line, mark.column) == "\t":
            doc.problems.append(_diag(path, line, col, "yaml-tab", "tab character: YAML indentation must use spaces, not tabs"))
        else:
            doc.problems.append(_diag(path, line, col, "yaml-syntax", _tidy(message)))
        return doc
    except yaml.YAMLError as exc:  # reader errors: a position, not a mark
        pos = getattr(exc, "position", None)
        line, col = (1, 1)
        if isinstance(pos, int):
            line, col = text.count("\n", 0, pos) + 1, pos - (text.rfind("\n", 0, pos) + 1) + 1
        char = getattr(exc, "character", None)
        code = ord(char) if isinstance(char, str) and len(char) == 1 else char
        what = f"control character U+{code:04X} is not allowed in YAML" if isinstance(code, int) else _tidy(str(exc))
        doc.problems.append(_diag(path, line, col, "yaml-syntax", what))
        return doc
    if root is None:
        doc.problems.append(_diag(path, 1, 1, "yaml-empty", "file holds no data"))
        return doc
    walker = _Walker(path)
    data = walker.value(root, 0)
    if "&" in text and not walker.aliased:
        walker.anchors(text)
    doc.problems.extend(walker.problems)
    if not any(p.severity == ERROR for p in walker.problems):
        doc.data = data
    return doc


def _tidy(message: str) -> str:
    return " ".join(message.split())


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n")
    if 0 <= line < len(lines) and 0 <= column < len(lines[line]):
        return lines[line][column]
    return ""


# Short texts (states, roles, versions, "Full governing body") repeat across
# thousands of files: one shared string each keeps a region's data in memory
# once, and marshal writes shared strings once.
_SHARED = 24


class _Walker:
    def __init__(self, path: str):
        self.path = path
        self.problems: list[Diagnostic] = []
        self.seen: set[int] = set()
        self.aliased = False

    def _alias(self, where, message: str) -> None:
        if not self.aliased:  # once per file: a "billion laughs" must not flood
            self.aliased = True
            self._err(where, "yaml-alias", message)

    def anchors(self, text: str) -> None:
        """An anchor (&name) with no alias is refused too: anchors are not allowed."""
        yaml, _, libyaml = _yaml()
        try:
            for event in yaml.parse(text, Loader=yaml.CSafeLoader if libyaml else yaml.SafeLoader):
                if getattr(event, "anchor", None) is not None and not isinstance(event, yaml.AliasEvent):
                    self._err(event, "yaml-alias", f"anchor '&{event.anchor}': anchors and aliases are not allowed in data files; remove it")
                    return
        except yaml.YAMLError:
            return

    def _err(self, node, rule: str, message: str) -> None:
        m = node.start_mark
        self.problems.append(_diag(self.path, m.line + 1, m.column + 1, rule, message))

    def value(self, node, depth: int, parent=None) -> Any:
        if id(node) in self.seen:
            self._alias(parent or node, "a value is reused through an alias (*name); anchors and aliases are not allowed in data files, write the value out")
            return None
        self.seen.add(id(node))
        if depth > MAX_DEPTH:
            self._err(node, "yaml-too-deep", f"data nests more than {MAX_DEPTH} levels deep")
            return None
        tag = node.tag
        if tag == PLAIN:
            if len(node.value) > MAX_NUMBER_CHARS and (_INT.match(node.value) or _DEC.match(node.value)):
                self._err(node, "yaml-number-too-long",
                          f"number of {len(node.value):,} characters; numbers may have at most {MAX_NUMBER_CHARS} (quote it if it is text)")
                return None
            value = _plain(node.value)
            return sys.intern(value) if type(value) is str and len(value) <= _SHARED else value
        if tag == QUOTED:
            value = node.value
            return sys.intern(value) if len(value) <= _SHARED else value
        if tag == _MAP:
            out: dict[str, Any] = {}
            for k, v in node.value:
                if k.tag == PLAIN and k.value == "<<":
                    self._err(k, "yaml-alias", "merge keys ('<<') are not allowed in data files")
                    continue
                if k.tag in (_SEQ, _MAP):  # a complex key ("? [a, b]" or "{a: 1}: x")
                    what = "a list" if k.tag == _SEQ else "a mapping"
                    self._err(k, "yaml-key-type", f"a key must be text, not {what} (complex keys are not allowed)")
                    continue
                key = self.value(k, depth + 1)
                if not isinstance(key, str):
                    self._err(k, "yaml-key-type", f"key {k.value!r} must be text (quote it)")
                    continue
                if key in out:
                    self._err(k, "yaml-duplicate-key", f"duplicate key '{key}': the earlier value would be lost")
                    self.value(v, depth + 1)
                    continue
                if id(v) in self.seen:
                    self._alias(k, f"'{key}' reuses another value through an alias (*name); anchors and aliases are not allowed in data files, write the value out")
                    continue
                out[sys.intern(key)] = self.value(v, depth + 1)  # one string per key name, not one per entry
            return out
        if tag == _SEQ:
            return [self.value(item, depth + 1, node) for item in node.value]
        if tag in ("tag:yaml.org,2002:str",):
            return node.value if isinstance(node, _yaml()[0].ScalarNode) else None
        self._err(node, "yaml-tag", f"tag '{tag}' is not allowed in data files; plain YAML only")
        return None


def _plain(value: str) -> Any:
    if value in _NULLS:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if _INT.match(value):
        return int(value)
    if _DEC.match(value):
        return Decimal(value)
    return value
