"""The intake JSON Schema and the translation of schema violations into Dutch problems, in document order.

Used for the intake and for every knowledge-base file: one translator for every schema.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from dossier.conformance import json_type
from dossier.errors import Problem
from dossier.messages import pointer, quote, suggest
from dossier.text import ONE_LINE_PATTERN, VISIBLE_PATTERN, is_visible, one_line_problem

if TYPE_CHECKING:
    from jsonschema import ValidationError

INTAKE_SCHEMA_FILE = "schemas/intake.schema.json"  # inside the package
MAX_SCHEMA_PROBLEMS = 1000
_TYPE_NAMES = {
    "string": "een tekst",
    "integer": "een geheel getal",
    "number": "een getal",
    "boolean": "true of false",
    "array": "een lijst ([…])",
    "object": "een object ({…})",
    "null": "null",
}


def _messages(error: ValidationError) -> Iterator[tuple[list[Any], str]]:
    """Yield (path, Dutch message) for one jsonschema error."""
    path: list[Any] = list(error.absolute_path)
    keyword: Any = error.validator
    expected: Any = error.validator_value
    value: Any = error.instance
    node: Any = error.schema  # a schema node (a mapping) for the errors translated here
    if keyword == "required":
        for name in expected:
            if isinstance(value, dict) and name not in value:
                yield path + [name], "verplicht veld ontbreekt"
    elif keyword == "additionalProperties":
        known = list(node.get("properties", {}))
        for name in value:
            if name not in known:
                yield path + [name], f"onbekend veld {quote(name)}; {suggest(name, known)}"
    elif keyword == "enum":
        yield path, f"onbekende waarde {quote(value)}; {suggest(value, expected)}"
    elif keyword == "const":
        yield path, f"moet {json.dumps(expected, ensure_ascii=False)} zijn, niet {quote(value)}"
    elif keyword == "type":
        wanted = " of ".join(_TYPE_NAMES[t] for t in ([expected] if isinstance(expected, str) else expected))
        yield path, f"moet {wanted} zijn, maar is {_TYPE_NAMES[json_type(value)]}"
    elif keyword == "minLength":
        yield path, "mag niet leeg zijn" if expected == 1 else f"moet minstens {expected} tekens lang zijn (nu {len(value)})"
    elif keyword == "maxLength":
        yield path, f"is te lang: {len(value)} tekens, maximaal {expected}"
    elif keyword == "pattern" and expected == ONE_LINE_PATTERN:
        if is_visible(value):
            yield path, one_line_problem(value) or "moet één regel gewone tekst zijn"
        elif value != "":  # nothing visible; minLength already says it is empty
            yield path, "mag niet leeg zijn (alleen spaties)" if not value.strip() else \
                "mag niet leeg zijn (alleen spaties en onzichtbare tekens of richtingstekens)"
    elif keyword == "pattern" and expected == VISIBLE_PATTERN:
        if value != "":  # minLength already says it is empty
            yield path, "mag niet leeg zijn (alleen spaties)" if not value.strip() else \
                "mag niet leeg zijn (alleen spaties en onzichtbare tekens of richtingstekens)"
    elif keyword == "pattern":
        if expected == "\\S":
            if value == "":
                return  # minLength already says it is empty
            yield path, "mag niet leeg zijn (alleen spaties)"
        else:
            yield path, f"{quote(value)} is geen geldige id: gebruik kleine letters, cijfers en '_', beginnend met een letter"
    elif keyword == "minItems":
        yield path, "lijst mag niet leeg zijn" if expected == 1 else f"lijst moet minstens {expected} elementen hebben"
    elif keyword == "uniqueItems":
        yield path, "lijst bevat een waarde meer dan eens"
    elif keyword == "format":
        yield path, f"{quote(value)} is geen geldige datum (JJJJ-MM-DD)"
    elif keyword == "minimum":
        yield path, f"moet minstens {expected} zijn"
    elif keyword == "maximum":
        yield path, f"mag hoogstens {expected} zijn"
    elif keyword in ("oneOf", "anyOf") and "x-foutmelding" in node:
        yield path, str(node["x-foutmelding"])
    else:
        yield path, f"voldoet niet aan het schema (regel '{keyword}')"


def document_order(path: list[Any], schema: Mapping[str, Any] | None = None) -> tuple[tuple[int, str], ...]:
    """Return a key that orders paths as the document does: list positions, then the schema's field order."""
    key, node = [], schema or {}
    for part in path:
        if isinstance(part, int):
            key.append((part, ""))
            node = node.get("items", {}) if isinstance(node, Mapping) else {}
            continue
        fields = list(node.get("properties", {})) if isinstance(node, Mapping) else []
        key.append((fields.index(part) if part in fields else len(fields), str(part)))
        node = node.get("properties", {}).get(part, {}) if isinstance(node, Mapping) else {}
    return tuple(key)


def schema_problems(instance: Any, schema: Mapping[str, Any], name: str) -> list[Problem]:
    """Return one Dutch Problem per schema violation, in document order."""
    from jsonschema import Draft202012Validator, FormatChecker  # heavy; only validation needs it

    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    found: dict[str, tuple[list[Any], str]] = {}
    try:
        for error in validator.iter_errors(instance):
            for path, message in _messages(error):
                found.setdefault(pointer(path) + "\0" + message, (path, message))
            if len(found) >= MAX_SCHEMA_PROBLEMS:  # enough to act on; checking on costs time and memory
                found["\uffff"] = ([], f"de controle is gestopt na {MAX_SCHEMA_PROBLEMS} problemen; los deze eerst op")
                break
    except RecursionError:
        return [Problem(name, pointer="", message="de inhoud is te diep genest")]
    ordered = sorted(found.values(), key=lambda item: document_order(item[0], schema))
    return [Problem(name, pointer=pointer(path), message=message) for path, message in ordered]


def read_intake_schema() -> dict[str, Any]:
    """Return a fresh copy of the intake JSON Schema shipped with the package, read from its file."""
    text = resources.files("dossier").joinpath(INTAKE_SCHEMA_FILE).read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def intake_schema() -> dict[str, Any]:
    """Return the intake JSON Schema shipped with the package, read once and shared: do not change it."""
    return read_intake_schema()
