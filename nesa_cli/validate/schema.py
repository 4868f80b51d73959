"""JSON Schema checks with messages a person can act on."""

from __future__ import annotations

import difflib
from decimal import Decimal
from functools import lru_cache
from itertools import islice
from typing import Any, Iterator

from nesa_cli.diagnostics import ERROR, Diagnostic, declare
from nesa_cli.load import Document
from nesa_cli.privacy import PRIVATE, is_private, private_pointers, private_texts, scrub
from nesa_cli.resources import schema as load_schema

# The rule ids this module reports: severity and meaning (the README's rule
# table and nesa_cli.validate.catalogue are made from these).
RULE_IDS = declare({
    "schema": ("error", "The record breaks its JSON Schema: unknown field, missing field, wrong type, bad value."),
})


SCHEMA_RULE = "schema"
# At most this many schema problems are reported for one file, then one line
# saying there are more: a file with 150,000 bad items is diagnosed in about a
# second, and nobody fixes the 101st before the first hundred.
MAX_PROBLEMS = 100


@lru_cache(maxsize=None)
def validator(schema_name: str):
    """The reference validator (python-jsonschema): slower, best messages."""
    import jsonschema

    schema = load_schema(schema_name)
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


@lru_cache(maxsize=None)
def fast_validator(schema_name: str):
    """A compiled validator (jsonschema-rs) used only to say "valid" quickly;
    None when it is not installed."""
    try:
        import jsonschema_rs
    except ImportError:  # pragma: no cover - the dependency is declared
        return None
    return jsonschema_rs.validator_for(load_schema(schema_name), validate_formats=True)


def quick_ok(data: Any, schema_name: str) -> bool:
    """True when the compiled validator accepts ``data`` (so there is nothing
    to report); False means "ask the reference validator"."""
    fast = fast_validator(schema_name)
    if fast is None:
        return False
    try:
        return bool(fast.is_valid(data))
    except (ValueError, TypeError):
        return False


def check(doc: Document, schema_name: str) -> list[Diagnostic]:
    """Every schema problem of one loaded document."""
    if quick_ok(doc.data, schema_name):
        return []
    out: list[Diagnostic] = []
    seen: set[tuple] = set()
    errors = list(islice(validator(schema_name).iter_errors(doc.data), MAX_PROBLEMS + 1))
    more = len(errors) > MAX_PROBLEMS
    errors = sorted(errors[:MAX_PROBLEMS], key=lambda e: (list(map(str, e.absolute_path)), e.validator))
    hidden = private_pointers(doc.data)
    secrets = private_texts(doc.data) if hidden else set()
    for err in errors:
        if len(out) >= MAX_PROBLEMS:
            more = True
            break
        for pointer, key, message in islice(_explain(err, is_private(err.absolute_path, hidden)), MAX_PROBLEMS - len(out) + 1):
            message = scrub(message, secrets)  # a message about an enclosing mapping may still quote one
            mark = (pointer, err.validator in ("pattern", "format"))
            if mark in seen and mark[1]:
                continue
            seen.add(mark)
            line, col = doc.locate(pointer, key=key)
            out.append(Diagnostic(doc.path, line, col, ERROR, SCHEMA_RULE, message))
    if more or len(out) > MAX_PROBLEMS:
        del out[MAX_PROBLEMS:]
        out.append(Diagnostic(doc.path, 1, 1, ERROR, SCHEMA_RULE,
                              f"more than {MAX_PROBLEMS} problems in this file: the first {MAX_PROBLEMS} are shown; fix them and run again"))
    return out


def _where(pointer: tuple) -> str:
    text = ""
    for step in pointer:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, (int, Decimal)):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"text ({value!r})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


_TYPE_WORDS = {
    "string": "text", "integer": "a whole number", "number": "a number", "boolean": "true or false",
    "array": "a list", "object": "a mapping (key: value lines)", "null": "nothing",
}


def _explain(err, private: bool = False) -> Iterator[tuple[tuple, bool, str]]:
    """The messages for one schema error. A ``private`` value (marked not for
    circulation) is never quoted: it is named "(not for circulation)"."""
    pointer = tuple(err.absolute_path)
    where = _where(pointer)
    prefix = f"{where}: " if where else ""
    v = err.validator
    if private:
        yield from _explain_private(err, pointer, prefix)
        return
    if v == "additionalProperties" and isinstance(err.instance, dict):
        allowed = list(err.schema.get("properties", {}))
        for extra in sorted(k for k in err.instance if k not in allowed):
            hint = difflib.get_close_matches(extra, allowed, n=1)
            tip = f"; did you mean '{hint[0]}'?" if hint else f"; allowed fields: {', '.join(allowed)}"
            sub = _where(pointer + (extra,))
            yield pointer + (extra,), True, f"{sub}: unknown field{tip}"
        return
    if v == "required":
        missing = err.message.split("'")[1] if "'" in err.message else err.message
        yield pointer, False, f"{prefix}missing required field '{missing}'"
        return
    if v == "enum":
        options = [str(o) for o in err.validator_value]
        hint = difflib.get_close_matches(str(err.instance), options, n=1)
        tip = f"; did you mean '{hint[0]}'?" if hint else ""
        shown = ", ".join(options) if len(options) <= 12 else ", ".join(options[:12]) + ", ..."
        yield pointer, False, f"{prefix}{err.instance!r} is not one of: {shown}{tip}"
        return
    if v == "type":
        want = err.validator_value if isinstance(err.validator_value, str) else err.validator_value[0]
        yield pointer, False, f"{prefix}expected {_TYPE_WORDS.get(want, want)}, found {_describe(err.instance)}"
        return
    if v in ("pattern", "format"):
        title = err.schema.get("title") or (f"{err.validator_value}" if v == "format" else "value of the expected form")
        yield pointer, False, f"{prefix}{err.instance!r} is not a valid {title}"
        return
    if v in ("minimum", "maximum"):
        word = "at least" if v == "minimum" else "at most"
        yield pointer, False, f"{prefix}{err.instance} must be {word} {err.validator_value}"
        return
    if v == "minLength" and err.validator_value == 1:
        yield pointer, False, f"{prefix}must not be empty"
        return
    if v == "minItems":
        yield pointer, False, f"{prefix}needs at least {err.validator_value} item{'s' if err.validator_value != 1 else ''}"
        return
    if v == "uniqueItems":
        yield pointer, False, f"{prefix}items must not repeat"
        return
    yield pointer, False, f"{prefix}{err.message}"


def _explain_private(err, pointer: tuple, prefix: str) -> Iterator[tuple[tuple, bool, str]]:
    """As :func:`_explain`, for a value not for circulation: what is wrong, never the value."""
    v = err.validator
    if v in ("pattern", "format"):
        title = err.schema.get("title") or (f"{err.validator_value}" if v == "format" else "value of the expected form")
        yield pointer, False, f"{prefix}the value {PRIVATE} is not a valid {title}"
    elif v == "type":
        want = err.validator_value if isinstance(err.validator_value, str) else err.validator_value[0]
        yield pointer, False, f"{prefix}expected {_TYPE_WORDS.get(want, want)}, found {_describe_kind(err.instance)} {PRIVATE}"
    elif v == "minLength" and err.validator_value == 1:
        yield pointer, False, f"{prefix}must not be empty"
    elif v == "required":
        yield from _explain(err)  # names a field, not a value
    else:
        yield pointer, False, f"{prefix}the value {PRIVATE} does not meet the schema's {v!r} rule"


def _describe_kind(value: Any) -> str:
    return _describe(value).split(" (", 1)[0]
