"""Round-trip YAML: an edit changes only the lines it means to change.

Reads go through the fast strict loader (:mod:`nesa_cli.load`); edits go
through ruamel.yaml in round-trip mode, which keeps comments, key order,
quoting, flow sequences (``[a, b]``) and block scalars. The settings below
match the shipped files (2-space mappings, ``- `` items indented by 2), so a
load and dump with no change is byte-identical (tested for every shipped
data file).
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from nesa_cli.errors import UsageError


class RoundTripError(UsageError):
    """The file could not be read for editing (not YAML, not a mapping)."""


def _yaml():
    from ruamel.yaml import YAML

    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.indent(mapping=2, sequence=4, offset=2)
    y.width = 4096  # never fold long lines: a changed word must not reflow a paragraph
    y.allow_duplicate_keys = False
    # Data files may not use anchors and aliases: write a value used twice out twice.
    y.representer.ignore_aliases = lambda data: True
    y.representer.add_representer(Decimal, _represent_decimal)
    return y


def _represent_decimal(representer, value: Decimal):
    """A number typed at the terminal (hours 1.5, a ratio): written as typed,
    never through a float (so 0.1 stays 0.1)."""
    if value == value.to_integral_value():
        return representer.represent_int(int(value))
    return representer.represent_scalar("tag:yaml.org,2002:float", format(value.normalize(), "f"))


def load(raw: bytes, path: str = "<text>"):
    """The document as ruamel's commented mapping (comments and order kept)."""
    from ruamel.yaml.error import YAMLError

    from nesa_cli.load import MAX_BYTES

    if len(raw) > MAX_BYTES:  # before parsing: ruamel would build the whole tree first
        raise RoundTripError(f"{path}: cannot be edited because it is {len(raw) // 1024} KiB; data files may be at most "
                             f"{MAX_BYTES // 1024 // 1024} MiB (run nesa validate)")
    try:
        data = _yaml().load(raw)
    except YAMLError as exc:
        raise RoundTripError(f"{path}: cannot be edited because it is not valid YAML ({_first_line(exc)}); run nesa validate") from None
    if not isinstance(data, dict):
        raise RoundTripError(f"{path}: cannot be edited because it does not hold a mapping of fields")
    return data


def dump(data) -> bytes:
    out = io.BytesIO()
    _yaml().dump(data, out)
    return out.getvalue()


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def new_map(items=None):
    """A block-style mapping (new records look like the shipped ones)."""
    from ruamel.yaml.comments import CommentedMap

    m = CommentedMap()
    for k, v in (items or {}).items():
        if v is not None:
            m[k] = to_yaml(v)
    return m


def new_seq(items=(), flow: bool = False):
    from ruamel.yaml.comments import CommentedSeq

    s = CommentedSeq([to_yaml(v) for v in items])
    if flow:
        s.fa.set_flow_style()
    return s


def to_yaml(value):
    """A plain Python value as ruamel should write it: dates unquoted
    (``2025-09-01``), decimals as written, text quoted only where YAML would
    otherwise read it as something else (or where the shipped files quote it:
    times and telephone numbers)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, (CommentedMap, CommentedSeq)):
        return value
    if isinstance(value, dict):
        return new_map(value)
    if isinstance(value, (list, tuple)):
        flow = all(isinstance(v, (int, str)) and not isinstance(v, bool) for v in value) and value and len(value) <= 12 \
            and all(isinstance(v, int) or " " not in v for v in value)
        return new_seq(value, flow=bool(flow))
    if isinstance(value, Decimal):
        return value
    if isinstance(value, str):
        return quoted_if_needed(value)
    return value


def quoted(text: str):
    """Text written in double quotes, as the shipped files write free text in a flow list
    (a register's interests: ``business: ["Director, ... Ltd"]``)."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    return DoubleQuotedScalarString(text)


def quoted_if_needed(text: str):
    """Double-quote text that a YAML reader could take for another type
    (``01670 123456`` is safe in YAML 1.2 but not in every editor's reader,
    ``16:00`` is a sexagesimal number in YAML 1.1, ``1.0`` a number)."""
    import re

    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    risky = (
        re.fullmatch(r"[-+0-9.:_ ]+", text) is not None
        or text.lower() in {"yes", "no", "on", "off", "y", "n", "true", "false", "null", "~"}
        or text != text.strip()
        or text[:1] in "!&*?|>'\"%@`#{}[],-"
        or ": " in text or " #" in text
    )
    return DoubleQuotedScalarString(text) if risky else text


def plain(value):
    """ruamel values -> plain Python (for comparisons and messages)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, str):
        return str(value)
    return value


# --- adding entries without moving comments ---------------------------------------
#
# ruamel keeps a comment that stands on its own line(s) with the node *before*
# it. Appending after that node would put the new entry below the comment
# (which usually introduces what follows, e.g. "# Adoptions ..."), so the
# comment lines are moved to the new entry; a comment at the end of the
# previous entry's line stays where it is.


def _is_block(node) -> bool:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    return isinstance(node, (CommentedMap, CommentedSeq)) and len(node) > 0 and not node.fa.flow_style()


def _slot(container, key):
    """(comment dict, key, index) where the comment after ``container[key]`` lives."""
    from ruamel.yaml.comments import CommentedMap

    value = container[key]
    if _is_block(value):
        last = list(value.keys())[-1] if isinstance(value, CommentedMap) else len(value) - 1
        return _slot(value, last)
    return container.ca.items, key, 2 if isinstance(container, CommentedMap) else 0


def _detach(slot):
    import copy

    items, key, index = slot
    entry = items.get(key)
    token = entry[index] if entry else None
    if token is None or not isinstance(getattr(token, "value", None), str):
        return None
    value = token.value
    nl = value.find("\n")
    if nl < 0 or not value[nl + 1:]:
        return None
    head, rest = value[: nl + 1], value[nl + 1:]
    if head == "\n":
        entry[index] = None
        return token
    token.value = head
    moved = copy.copy(token)
    moved.value = "\n" + rest
    return moved


def _attach(slot, token) -> None:
    items, key, index = slot
    entry = items.setdefault(key, [None, None, None, None])
    if entry[index] is None:
        entry[index] = token
    else:
        entry[index].value = entry[index].value.rstrip("\n") + token.value


def map_insert(mapping, position: int, key, value) -> None:
    """Insert ``key`` at ``position``, keeping comment lines above the entry they introduce."""
    keys = list(mapping.keys())
    token = _detach(_slot(mapping, keys[position - 1])) if 0 < position <= len(keys) else None
    mapping.insert(position, key, value)
    if token is not None:
        _attach(_slot(mapping, key), token)


def seq_insert(seq, position: int, value) -> None:
    """Insert an item at ``position`` (``len(seq)`` appends), keeping comments in place."""
    token = _detach(_slot(seq, position - 1)) if 0 < position <= len(seq) else None
    if position >= len(seq):
        seq.append(value)
    else:
        seq.insert(position, value)
    if token is not None:
        _attach(_slot(seq, position), token)


def append(seq, value) -> None:
    seq_insert(seq, len(seq), to_yaml(value))
