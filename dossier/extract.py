"""Give back the intake embedded in a dossier as a person writes it: the schema's field order, indented
UTF-8, the ``$schema`` line first."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dossier.model import REFERENCE_SCHEME, dossier_reference
from dossier.package import Package
from dossier.schema import intake_schema
from dossier.write import write_atomic

SCHEMA_LINE = "../schemas/intake.schema.json"  # where examples/ and a project folder next to it find the schema
# Characters a terminal or an editor could act on, and lone surrogates UTF-8 cannot hold: kept as \u escapes.
_ESCAPE = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def _ordered(data: Any, node: Mapping[str, Any]) -> Any:
    """Return data with every object's keys in the order of the schema's properties (unknown keys last)."""
    if isinstance(data, list):
        items = node.get("items", {})
        return [_ordered(item, items if isinstance(items, Mapping) else {}) for item in data]
    if not isinstance(data, dict):
        return data
    fields = list(node.get("properties", {}))
    keys = sorted(data, key=lambda key: (fields.index(key) if key in fields else len(fields), key))
    return {key: _ordered(data[key], node.get("properties", {}).get(key, {})) for key in keys}


def readable_intake(canonical: str) -> str:
    """Return an intake's JSON text as a person writes it: "$schema" first, then the schema's order, indented."""
    data = json.loads(canonical)
    if isinstance(data, dict):
        data = {"$schema": data.get("$schema", SCHEMA_LINE), **data}
    text = json.dumps(_ordered(data, intake_schema()), ensure_ascii=False, indent=2)
    return _ESCAPE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def extract(document: Path | str, output: Path | str | None = None) -> str:
    """Return the intake embedded in document as readable JSON; with output, also write it there atomically.

    Raises InputError when the document holds no intact intake, OutputError when output cannot be written.
    """
    text = readable_intake(extract_intake(document))
    if output is not None:
        write_atomic(Path(output), text.encode("utf-8"))
    return text


def extract_intake(path: Path | str) -> str:
    """Return the intake embedded in a dossier as canonical JSON text.

    Only the custom XML part the main document points to is read (see dossier.package). Raises
    InputError when there is none or it is ambiguous, when it is not valid JSON, or when the reference
    stored with it does not match it (a swapped or edited intake).
    """
    with Package(path) as package:
        embedded = package.intake()
        identifier = core_identifier(package)
    try:
        json.loads(embedded.text)
    except ValueError as err:
        raise package.error("de ingebedde intake is beschadigd (geen geldige JSON)") from err
    problem = reference_problem(embedded.text, embedded.attributes, identifier)
    if problem:
        raise package.error(problem)
    return embedded.text


def core_identifier(package: Any) -> str | None:
    """Return the reference stored in the document properties (dc:identifier), or None."""
    if "docProps/core.xml" not in package.names():
        return None
    found = package.xml("docProps/core.xml").find("{http://purl.org/dc/elements/1.1/}identifier")
    return found.text if found is not None else None


def reference_problem(canonical: str, attributes: dict[str, str], identifier: str | None) -> str | None:
    """Return the Dutch reason why the stored reference does not belong to this intake, or None when it does.

    A dossier made before the reference covered the knowledge base's content and the program version
    (scheme 1) cannot be checked this way; it is said so, not called wrong.
    """
    stored = attributes.get("referentie", "")
    if identifier is not None and identifier != stored:
        return (f"de referentie in de documenteigenschappen ({identifier[:12]}) is niet die bij de ingebedde intake "
                f"({stored[:12]}); het document is na het maken gewijzigd")
    if attributes.get("schema") != REFERENCE_SCHEME:
        return None if attributes.get("schema") is None else "onbekende referentiemethode; maak het dossier opnieuw"
    expected = dossier_reference(canonical, attributes.get("kennisbank", ""), attributes.get("template", ""),
                                 attributes.get("programma", ""))
    if expected != stored:
        return (f"de ingebedde intake past niet bij de dossierreferentie {stored[:12]}: de intake is na het maken "
                "vervangen of gewijzigd")
    return None
