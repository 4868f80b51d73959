"""Text that meets a terminal or a plain-text email: control characters made visible.

One sanitiser for every place data (names, commit authors and messages, a
user's own arguments echoed back) is shown as text. It replaces

* C0 controls and DEL (ESC starts a terminal escape; CR and NUL forge lines),
* C1 controls U+0080-U+009F (U+009B is a one-character CSI on many terminals),
* bidirectional overrides and isolates U+202A-U+202E, U+2066-U+2069, the
  marks U+200E, U+200F, U+061C, and the separators U+2028, U+2029 (they
  reorder or break what the reader sees),

with a visible escape: ``\\x1b``, ``\\x9b``, ``\\u202e``. The text is otherwise
unchanged, so nothing is lost and the escape says what was there.
"""

from __future__ import annotations

import re

_C0 = [*range(0, 32), 127]
_OTHER = [*range(0x80, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C, 0x2028, 0x2029]


def _escape(code: int) -> str:
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _pattern(codes) -> re.Pattern:
    return re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(codes)) + "]")


_UNSAFE = [c for c in [*_C0, *_OTHER] if c != 9]  # a tab is harmless and common in pasted text
_ONE_LINE = _pattern(_UNSAFE)
_LINES = _pattern(c for c in _UNSAFE if c != 10)  # multi-line output keeps its line breaks
_RECORDS = _pattern(c for c in _UNSAFE if c not in (10, 13))  # CSV ends its rows with CR LF
_JSON = _pattern(_OTHER)


_ASCII_BAD = {p: bytes(c for c in _UNSAFE if c < 128 and p.match(chr(c))) for p in (_ONE_LINE, _LINES, _RECORDS)}


def _sub(pattern: re.Pattern, text: str) -> str:
    if text.isascii():  # most output: a byte-level check is several times faster than the pattern
        raw = text.encode("ascii")
        if len(raw.translate(None, _ASCII_BAD[pattern])) == len(raw):
            return text
    return pattern.sub(lambda m: _escape(ord(m.group())), text) if pattern.search(text) else text


def visible(text: str) -> str:
    """One line of text with every unsafe character shown as an escape
    (newlines too: a value can never forge an extra line)."""
    return _sub(_ONE_LINE, text)


def visible_lines(text: str) -> str:
    """Several lines of text (a report, an email body): unsafe characters
    shown as escapes, the line breaks kept."""
    return _sub(_LINES, text)


def visible_records(text: str) -> str:
    """CSV text: as :func:`visible_lines`, keeping CR LF row ends."""
    return _sub(_RECORDS, text)


def json_safe(text: str) -> str:
    """JSON text with the C1 and bidirectional characters written as \\uXXXX
    escapes (the same string to a JSON reader; json itself escapes C0)."""
    if text.isascii():  # the common case, checked at memory speed
        return text
    return _JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text) if _JSON.search(text) else text
