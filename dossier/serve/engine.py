"""The form's calls into the pipeline: validate and derive a draft, write it as canonical JSON, build its dossier.

Nothing is validated or derived here: these are the library functions the command line uses
(``validate``, ``derive``, ``check_report``, ``build_one``), called on a draft held in memory.
"""

from __future__ import annotations

import json
import re
import tempfile
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dossier import render
from dossier.check import check_report
from dossier.convert import find_soffice
from dossier.derive import derive
from dossier.errors import DossierError, InputError, Problem
from dossier.knowledge import default_knowledge
from dossier.model import Dossier
from dossier.pipeline import build_one
from dossier.schema import intake_schema
from dossier.validate import validate


@dataclass(frozen=True)
class Outcome:
    """A draft after validation and, when valid, derivation: what the form shows beside and at the fields."""

    problems: tuple[Problem, ...]
    document: Mapping[str, Any] | None  # the document of 'dossier check --json', when the draft is valid
    risks: tuple[str, ...] = ()  # the risks the gedeputeerde is asked to accept

    @property
    def valid(self) -> bool:
        return self.document is not None

    @property
    def status(self) -> str:
        """Return the status line: the dossier's own status, or how many problems keep the draft invalid."""
        if self.document is not None:
            return str(self.document["status"])
        count = len(self.problems)
        return f"Nog niet geldig: {count} {'probleem' if count == 1 else 'problemen'}"


def examine(intake: Any, name: str) -> Outcome:
    """Return the validation problems of a draft, or, when it is valid, what the tool derives from it."""
    try:
        dossier = _derived(intake, name)
    except InputError as err:
        return Outcome(err.problems, None)
    risks = tuple(decision.risk for decision in dossier.decisions if decision.risk)
    return Outcome((), check_report(dossier, name), risks)


def check_json(intake: Any, name: str) -> dict[str, Any]:
    """Return the document of 'dossier check --json' for an intake; raise InputError when it is invalid."""
    return check_report(_derived(intake, name), name)


def _derived(intake: Any, name: str) -> Dossier:
    """Return the Dossier of a draft, as 'dossier build' would make it; raise InputError when it is invalid."""
    knowledge = default_knowledge()
    return derive(validate(intake, knowledge, name), knowledge, render.load_template().stamp)


def _ordered(value: Any, schema: Mapping[str, Any]) -> Any:
    """Return value with object keys in the schema's order (unknown keys after, as they came)."""
    if isinstance(value, dict):
        properties = schema.get("properties", {}) if isinstance(schema, Mapping) else {}
        extra = schema.get("additionalProperties") if isinstance(schema, Mapping) else None
        keys = [k for k in properties if k in value] + [k for k in value if k not in properties]
        return {k: _ordered(value[k], properties.get(k, extra if isinstance(extra, Mapping) else {})) for k in keys}
    if isinstance(value, list):
        items = schema.get("items", {}) if isinstance(schema, Mapping) else {}
        return [_ordered(v, items if isinstance(items, Mapping) else {}) for v in value]
    return value


def canonical_text(intake: Any, schema_reference: str) -> str:
    """Return the intake as the user would write it: the '$schema' line first, keys in schema order, UTF-8."""
    document = dict(intake) if isinstance(intake, dict) else {}
    document.pop("$schema", None)
    ordered = _ordered({"$schema": schema_reference, **document}, intake_schema())
    return json.dumps(ordered, ensure_ascii=False, indent=2) + "\n"


def file_stem(name: str) -> str:
    """Return a safe file name stem for a project name: lower case ASCII words joined by '-'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60].strip("-")
    return stem or "intake"


def pdf_available() -> bool:
    """Return True when LibreOffice is installed, so a PDF can be made."""
    try:
        find_soffice()
    except DossierError:
        return False
    return True


def build(intake: Any, stem: str, fmt: str, schema_reference: str) -> bytes:
    """Return the dossier of a valid intake in one format (docx or pdf), made by the same build as the CLI.

    The intake is built as it would be saved (with schema_reference as its '$schema'), so the intake embedded
    in the dossier is the saved one.

    Raises DossierError (with the file name stem.json in its messages) when the intake is invalid or the
    build fails.
    """
    with tempfile.TemporaryDirectory(prefix="dossier-serve-") as work:
        source = Path(work) / f"{stem}.json"
        source.write_text(canonical_text(intake, schema_reference), encoding="utf-8")
        report = build_one(str(source), Path(work) / "uit", formats=(fmt,))
        failures = [error for _, error in report.failed] + report.errors
        if failures:
            lines = [line.replace(str(source), source.name) for error in failures for line in error.lines()]
            raise type(failures[0])("\n".join(lines))
        written = next(path for path in report.written if path.suffix == f".{fmt}")
        return written.read_bytes()
