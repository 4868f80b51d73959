"""Which values are not for circulation, and hiding them wherever data is shown.

A mapping with a ``private:`` list (a contact) marks the fields it names as
private. This module is the one place that knows it: the field-level changes
of ``nesa history`` / ``nesa diff`` (nesa_cli.changes), the ``--dry-run`` diff
of an edit, and schema messages that would quote a value all use it, and all
show a private value as :data:`PRIVATE`.
"""

from __future__ import annotations

import difflib
from typing import Any, Iterable, Iterator

PRIVATE = "(not for circulation)"

Pointer = tuple  # keys and list indexes from the document root


def marked(mapping: dict) -> set:
    """The field names a mapping's ``private:`` list marks (empty when none)."""
    names = mapping.get("private")
    return {n for n in names if isinstance(n, str)} if isinstance(names, list) else set()


def private_pointers(data: Any, prefix: Pointer = ()) -> set[Pointer]:
    """Pointers of every value marked private in ``data`` (loaded YAML)."""
    out: set[Pointer] = set()
    if isinstance(data, dict):
        hidden = marked(data)
        for k, v in data.items():
            if k in hidden:
                out.add(prefix + (k,))
            else:
                out |= private_pointers(v, prefix + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out |= private_pointers(v, prefix + (i,))
    return out


def is_private(pointer: Iterable, pointers: set[Pointer]) -> bool:
    """True when ``pointer`` is a private value or lies inside one."""
    p = tuple(pointer)
    return any(p[:n] in pointers for n in range(1, len(p) + 1))


def _texts(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for v in value.values():
            yield from _texts(v)
    elif isinstance(value, list):
        for v in value:
            yield from _texts(v)
    elif value is not None and not isinstance(value, bool):
        yield str(value)


def private_texts(data: Any) -> set[str]:
    """The text of every private value in ``data`` (to hide wherever it appears)."""
    out: set[str] = set()
    for pointer in private_pointers(data):
        node = data
        for step in pointer:
            node = node[step]
        out.update(t for t in _texts(node) if t.strip())
    return out


def scrub(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every occurrence of a secret replaced by :data:`PRIVATE`
    (longest first, so a value that contains another goes whole): a value
    private in one version is hidden wherever it appears in the other."""
    for s in sorted(set(secrets), key=len, reverse=True):
        if len(s) >= 4 and s in text:  # a shorter value is hidden on its own line only
            text = text.replace(s, PRIVATE)
    return text


class Masked:
    """A private value: compares by a hash of the real value, never shows it."""

    __slots__ = ("_digest",)

    def __init__(self, value: Any):
        import hashlib

        if isinstance(value, Masked):  # masked twice: still the same value
            self._digest = value._digest
            return
        self._digest = hashlib.sha256(repr(value).encode()).hexdigest()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Masked) and other._digest == self._digest

    def __hash__(self) -> int:
        return hash(self._digest)

    def __repr__(self) -> str:
        return PRIVATE

    __str__ = __repr__


class Privacy:
    """What the newest state of a file says is private: its private values'
    places and texts. Older versions are shown with a value hidden when it is
    private in that version OR here (a detail marked private later is hidden
    in all of history, wherever it had moved to)."""

    def __init__(self, newest: Any = None):
        self.pointers = private_pointers(newest) if newest is not None else set()
        self.secrets = private_texts(newest) if newest is not None else set()

    def mask(self, data: Any) -> Any:
        """A copy of ``data`` with every value private in it or in the newest
        state replaced by a :class:`Masked` stand-in."""
        return self._mask(data, (), private_pointers(data) | self.pointers)

    def _mask(self, value: Any, here: Pointer, hidden: set[Pointer]) -> Any:
        if here and here in hidden and value is not None:
            return Masked(value)
        if isinstance(value, dict):
            return {k: self._mask(v, here + (k,), hidden) for k, v in value.items()}
        if isinstance(value, list):
            return [self._mask(v, here + (i,), hidden) for i, v in enumerate(value)]
        if value is not None and not isinstance(value, bool) and str(value) in self.secrets:
            return Masked(value)
        return value


# --- the --dry-run diff ---------------------------------------------------------


class _Version:
    """One version of a file: its lines as shown (private values hidden) and
    the texts of its private values."""

    def __init__(self, path: str, raw: bytes | None):
        self.lines = (raw or b"").decode("utf-8", "replace").splitlines(keepends=True)
        self.shown = list(self.lines)
        self.secrets: set[str] = set()
        if not raw:
            return
        from nesa_cli.load import load_bytes

        doc = load_bytes(path, raw)
        if doc.data is None:
            return
        self.secrets = private_texts(doc.data)
        root = doc._node()
        for pointer in private_pointers(doc.data):
            span = _span(root, pointer)
            if span is not None:
                self._hide(*span)

    def _hide(self, key_line: int, end_line: int) -> None:
        """Lines key_line..end_line (0-based) hold a private value: show the key only."""
        for i in range(key_line, min(end_line, len(self.lines) - 1) + 1):
            line = self.lines[i]
            ending = line[len(line.rstrip("\r\n")):]
            indent = line[: len(line) - len(line.lstrip(" "))]
            if i == key_line:
                head, colon, _ = line.partition(":")
                self.shown[i] = f"{head}{colon} {PRIVATE}{ending}" if colon else f"{indent}{PRIVATE}{ending}"
            else:
                self.shown[i] = f"{indent}{PRIVATE}{ending}"


def _span(root, pointer: Pointer) -> tuple[int, int] | None:
    """(line of the key, last line of the value), 0-based, of ``pointer``'s node."""
    from nesa_cli.load import _yaml

    yaml = _yaml()[0]
    node, key_node = root, None
    for step in pointer:
        if isinstance(node, yaml.MappingNode):
            hit = next(((k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == step), None)
            if hit is None:
                return None
            key_node, node = hit
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
            key_node, node = None, node.value[step]
        else:
            return None
    start = (key_node or node).start_mark.line
    end = node.end_mark.line
    if end > start and node.end_mark.column == 0:  # a block value ends at the start of the next line
        end -= 1
    return start, max(start, end)


def _range(start: int, stop: int) -> str:
    """A unified diff's range, as difflib writes it."""
    beginning, length = start + 1, stop - start
    if length == 1:
        return f"{beginning}"
    if not length:
        beginning -= 1
    return f"{beginning},{length}"


def unified_diff(path: str, old: bytes | None, new: bytes | None, context: int = 3) -> str:
    """The unified diff of one file's two versions, with every value that is
    private in either version shown as :data:`PRIVATE` (changed, added,
    removed and unchanged lines alike). Lines are matched on the real text,
    so a change of a private value still shows as a changed line."""
    a, b = _Version(path, old), _Version(path, new)
    secrets = a.secrets | b.secrets
    out: list[str] = []
    for group in difflib.SequenceMatcher(None, a.lines, b.lines).get_grouped_opcodes(context):
        if not out:
            out += [f"--- {'/dev/null' if old is None else 'a/' + path}\n", f"+++ b/{path}\n"]
        first, last = group[0], group[-1]
        out.append(f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@\n")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out += [" " + line for line in a.shown[i1:i2]]
                continue
            if tag in ("replace", "delete"):
                out += ["-" + line for line in a.shown[i1:i2]]
            if tag in ("replace", "insert"):
                out += ["+" + line for line in b.shown[j1:j2]]
    return scrub("".join(out), secrets)
