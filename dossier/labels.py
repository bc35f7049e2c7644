"""The Dutch label of every enum value of the intake, read from the schema: the one place they live.

Next to each ``enum`` in ``schemas/intake.schema.json`` stands ``x-labels`` (value: label, as a
table shows it) and, where a rule names a value inside a sentence, ``x-labels-in-zin``.
``"x-labels": "kennisbank"`` says the labels are the names of the instruments in the knowledge base.
``missing_labels`` names every value without a label; a test holds the packaged schema to it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from dossier.errors import KnowledgeError, Problem
from dossier.messages import pointer
from dossier.schema import INTAKE_SCHEMA_FILE, intake_schema, read_intake_schema

LABELS = "x-labels"
IN_SENTENCE = "x-labels-in-zin"
FROM_KNOWLEDGE = "kennisbank"


@dataclass(frozen=True)
class Enum:
    """One enum of the intake: where it is (a JSON pointer into the intake), its values and their labels."""

    place: str  # e.g. /technologie/soorten/* ; '*' stands for any list item
    description: str
    values: tuple[str, ...]
    labels: Mapping[str, str]  # empty when the labels come from the knowledge base
    in_sentence: Mapping[str, str]
    from_knowledge: bool


def _resolve(node: Mapping[str, Any], schema: Mapping[str, Any]) -> Mapping[str, Any]:
    reference = node.get("$ref")
    if isinstance(reference, str) and reference.startswith("#/"):
        target: Any = schema
        for part in reference[2:].split("/"):
            target = target[part]
        return {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _walk(node: Mapping[str, Any], schema: Mapping[str, Any], path: tuple[str, ...]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    node = _resolve(node, schema)
    if "enum" in node:
        yield "/" + "/".join(path), node
    for name, child in node.get("properties", {}).items():
        yield from _walk(child, schema, (*path, name))
    if isinstance(node.get("items"), Mapping):
        yield from _walk(node["items"], schema, (*path, "*"))


def enums(schema: Mapping[str, Any] | None = None) -> tuple[Enum, ...]:
    """Return every enum of the intake schema, in document order, with whatever labels it carries."""
    schema = schema if schema is not None else intake_schema()
    found = []
    for place, node in _walk(schema, schema, ()):
        labels = node.get(LABELS)
        found.append(Enum(place, str(node.get("description", "")), tuple(str(v) for v in node["enum"]),
                          labels if isinstance(labels, dict) else {}, node.get(IN_SENTENCE) or {},
                          labels == FROM_KNOWLEDGE))
    return tuple(found)


def missing_labels(schema: Mapping[str, Any], knowledge_ids: Mapping[str, object] | None = None) -> list[str]:
    """Return one Dutch sentence per enum value without its label (empty when every value has one).

    ``knowledge_ids`` are the instrument ids of the knowledge base, for enums labelled from it.
    """
    problems = []
    for enum in enums(schema):
        if enum.from_knowledge:
            if knowledge_ids is not None:
                problems += [f"{enum.place}: waarde '{v}' staat niet in de kennisbank, dus heeft geen naam"
                             for v in enum.values if v not in knowledge_ids]
            continue
        if not enum.labels:
            problems.append(f"{enum.place}: enum zonder '{LABELS}' (het Nederlandse label van elke waarde)")
            continue
        problems += [f"{enum.place}: waarde '{v}' heeft geen label in '{LABELS}'"
                     for v in enum.values if v not in enum.labels]
        problems += [f"{enum.place}: label voor '{v}' in '{LABELS}', maar '{v}' staat niet in de enum"
                     for v in enum.labels if v not in enum.values]
        if enum.in_sentence:
            problems += [f"{enum.place}: waarde '{v}' heeft geen label in '{IN_SENTENCE}'"
                         for v in enum.values if v not in enum.in_sentence]
    return problems


@cache
def _by_place() -> dict[str, Enum]:
    schema = read_intake_schema()  # its own copy: the labels cannot change with the shared schema object
    problems = missing_labels(schema)
    if problems:  # a broken package, said plainly at the start of a command rather than as a KeyError later
        where = str(resources.files("dossier").joinpath(INTAKE_SCHEMA_FILE))
        raise KnowledgeError(problems=[Problem(where, message=p) for p in problems])
    return {enum.place: enum for enum in enums(schema)}


def check_labels() -> None:
    """Return None when every enum value of the packaged schema has its label; raise KnowledgeError otherwise."""
    _by_place()


def labels(*path: str) -> Mapping[str, str]:
    """Return {value: Dutch label} of the enum at path (e.g. 'technologie', 'soorten', '*').

    Raises KnowledgeError naming every missing label when the packaged schema lacks one.
    """
    return _by_place()[pointer(path)].labels


def in_sentence(*path: str) -> Mapping[str, str]:
    """Return {value: the words a sentence uses for it} of the enum at path."""
    return _by_place()[pointer(path)].in_sentence
