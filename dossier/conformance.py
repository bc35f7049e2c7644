"""A fast yes/no check of an instance against a JSON Schema, for the keywords the intake schema uses.

Importing jsonschema costs a cold `dossier validate` or `build` more time than the validation itself.
A valid intake (the usual case) needs no messages, so ``conforms`` answers only "valid or not", with
the meaning jsonschema's Draft 2020-12 validator (with its format checker) gives each keyword. When the
answer is no, or the schema uses a keyword this module does not know, the caller asks jsonschema,
which finds every problem and the Dutch messages are made from its errors as before.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from contextvars import ContextVar
from functools import cache
from typing import Any

ANNOTATIONS = frozenset({"title", "description", "$schema", "$id", "$comment", "x-foutmelding", "examples",
                         "default", "$defs"})
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)  # as jsonschema's "date" format


class Unsupported(Exception):
    """Raised when the schema uses a keyword (or a value of one) this check does not implement."""


_ROOT: ContextVar[Any] = ContextVar("root", default=None)  # the outermost schema, for local $ref


def conforms(instance: Any, schema: Any) -> bool:
    """Return whether instance is valid against schema; raise Unsupported for keywords not implemented."""
    if _ROOT.get() is not None:
        return _conforms(instance, schema)
    token = _ROOT.set(schema)
    try:
        return _conforms(instance, schema)
    finally:
        _ROOT.reset(token)


def _conforms(instance: Any, schema: Any) -> bool:
    if schema is True or schema == {}:
        return True
    if schema is False:
        return False
    if not isinstance(schema, Mapping):
        raise Unsupported(repr(schema)[:40])
    for keyword, expected in schema.items():
        if keyword in ANNOTATIONS or keyword.startswith("x-"):  # x-labels and the like: the project's own notes
            continue
        check = _KEYWORDS.get(keyword)
        if check is None:
            raise Unsupported(keyword)
        if not check(instance, expected, schema):
            return False
    return True


def _ref(value: Any, expected: Any, schema: Any) -> bool:
    """Follow a reference inside the same schema ('#/$defs/regel'); other references are not implemented."""
    if not isinstance(expected, str) or not expected.startswith("#/"):
        raise Unsupported(f"$ref {expected}")
    target = _ROOT.get()
    for part in expected[2:].split("/"):
        key = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(target, Mapping) or key not in target:
            raise Unsupported(f"$ref {expected}")
        target = target[key]
    return conforms(value, target)


def json_type(value: Any) -> str:
    """Return the JSON Schema type name of a decoded JSON value; raise Unsupported for anything else."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    raise Unsupported(type(value).__name__)


def _is_type(value: Any, name: str) -> bool:
    actual = json_type(value)
    if name == "number":
        return actual in ("integer", "number")
    if name == "integer" and actual == "number":
        return float(value).is_integer()  # jsonschema counts 1.0 as an integer
    return actual == name


def _equal(one: Any, other: Any) -> bool:
    """Return JSON equality as jsonschema has it: true is not 1, and lists and objects compare deeply."""
    kinds = json_type(one), json_type(other)
    if "boolean" in kinds or "null" in kinds:
        return kinds[0] == kinds[1] and one == other
    if kinds[0] in ("integer", "number") and kinds[1] in ("integer", "number"):
        return bool(one == other)
    if kinds[0] != kinds[1]:
        return False
    if kinds[0] == "array":
        return len(one) == len(other) and all(_equal(a, b) for a, b in zip(one, other, strict=True))
    if kinds[0] == "object":
        return one.keys() == other.keys() and all(_equal(one[key], other[key]) for key in one)
    return bool(one == other)


def _type(value: Any, expected: Any, schema: Any) -> bool:
    return any(_is_type(value, name) for name in ([expected] if isinstance(expected, str) else expected))


def _properties(value: Any, expected: Any, schema: Any) -> bool:
    return not isinstance(value, dict) or all(conforms(value[key], sub) for key, sub in expected.items() if key in value)


def _additional(value: Any, expected: Any, schema: Any) -> bool:
    if not isinstance(value, dict):
        return True
    if "patternProperties" in schema:
        raise Unsupported("patternProperties")
    known = schema.get("properties", {})
    return all(conforms(item, expected) for key, item in value.items() if key not in known)


def _required(value: Any, expected: Any, schema: Any) -> bool:
    return not isinstance(value, dict) or all(key in value for key in expected)


def _items(value: Any, expected: Any, schema: Any) -> bool:
    if "prefixItems" in schema or not isinstance(expected, (Mapping, bool)):
        raise Unsupported("items")
    return not isinstance(value, list) or all(conforms(item, expected) for item in value)


def _unique(value: Any, expected: Any, schema: Any) -> bool:
    if not expected or not isinstance(value, list):
        return True
    if all(isinstance(item, str) for item in value):
        return len(set(value)) == len(value)
    return all(not _equal(a, b) for i, a in enumerate(value) for b in value[i + 1:])


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _format(value: Any, expected: Any, schema: Any) -> bool:
    if expected != "date":
        raise Unsupported(f"format {expected}")
    if not isinstance(value, str):
        return True
    try:
        return bool(_DATE.fullmatch(value) and datetime.date.fromisoformat(value))
    except ValueError:
        return False


def _string(test: Any) -> Any:
    return lambda value, expected, schema: not isinstance(value, str) or test(value, expected)


def _number(test: Any) -> Any:
    return lambda value, expected, schema: not _is_type(value, "number") or test(value, expected)


def _array(test: Any) -> Any:
    return lambda value, expected, schema: not isinstance(value, list) or test(value, expected)


_KEYWORDS = {
    "$ref": _ref,
    "type": _type,
    "properties": _properties,
    "additionalProperties": _additional,
    "required": _required,
    "items": _items,
    "uniqueItems": _unique,
    "format": _format,
    "enum": lambda value, expected, schema: any(_equal(value, option) for option in expected),
    "const": lambda value, expected, schema: _equal(value, expected),
    "minLength": _string(lambda value, limit: len(value) >= limit),
    "maxLength": _string(lambda value, limit: len(value) <= limit),
    "pattern": _string(lambda value, pattern: _compiled(pattern).search(value) is not None),
    "minItems": _array(lambda value, limit: len(value) >= limit),
    "maxItems": _array(lambda value, limit: len(value) <= limit),
    "minimum": _number(lambda value, limit: value >= limit),
    "maximum": _number(lambda value, limit: value <= limit),
    "oneOf": lambda value, expected, schema: sum(conforms(value, sub) for sub in expected) == 1,
    "anyOf": lambda value, expected, schema: any(conforms(value, sub) for sub in expected),
    "allOf": lambda value, expected, schema: all(conforms(value, sub) for sub in expected),
}
