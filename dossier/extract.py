"""Give back the intake embedded in a dossier as a person writes it: the schema's field order, indented
UTF-8, the ``$schema`` line first."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dossier.render import extract_intake
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
