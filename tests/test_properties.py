"""Property test: every valid intake builds a valid .docx that shows all of the intake's free text.

Intakes come from the intake JSON Schema (``schema_strategy``: objects and arrays composed here,
every other node by hypothesis-jsonschema), then ids are replaced with ids that exist
(knowledge-base values, the intake's own values, clauses) and clause parameters with valid ones,
because the schema cannot say which ids exist. Every example is re-validated with
``dossier.validate.validate``: hypothesis-jsonschema ignores some keywords.
"""

from __future__ import annotations

import copy
import json
import re
import tempfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from jsonschema import Draft202012Validator

from dossier.derive import XML_ILLEGAL, clean
from dossier.errors import InputError
from dossier.ids import own_value_id
from dossier.knowledge import default_knowledge
from dossier.messages import pointer
from dossier.pipeline import build_one
from dossier.schema import intake_schema
from dossier.text import ONE_LINE_FORBIDDEN, is_visible
from dossier.validate import validate
from tests.conftest import ROOT
from tests.docx_text import document_text, normalise
from tests.ooxml import assert_valid_docx

KNOWLEDGE = default_knowledge()

# Keywords that say nothing about which instances are valid.
ANNOTATIONS = frozenset({"$schema", "$id", "$comment", "title", "description", "examples", "default"})
OBJECT_KEYWORDS = frozenset({"type", "properties", "required", "additionalProperties", "oneOf"})
ARRAY_KEYWORDS = frozenset({"type", "items", "minItems", "maxItems", "uniqueItems"})


def _keywords(node: dict[str, Any]) -> set[str]:
    return {key for key in node if key not in ANNOTATIONS and not key.startswith("x-")}


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def schema_strategy(node: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Return a strategy for the instances of a JSON Schema node, every part of it built once.

    Closed objects (``additionalProperties: false``, ``required``, a ``oneOf`` of required key sets)
    and arrays are composed here from the strategies of their parts; every other node (strings, dates,
    numbers, enums, open objects, any keyword not named above) goes to hypothesis-jsonschema's
    ``from_schema``. That one rebuilds the strategies of an object's properties on every draw: for a
    whole intake about 0.25 s per example, three quarters of this test's time.
    """
    keywords = _keywords(node)
    if node.get("type") == "object" and node.get("additionalProperties") is False and keywords <= OBJECT_KEYWORDS:
        properties = {name: schema_strategy(sub) for name, sub in node.get("properties", {}).items()}
        required = list(node.get("required", []))
        variants = node.get("oneOf", [{}])
        if not all(_keywords(variant) <= {"required"} for variant in variants):
            return from_schema(node)
        choices = []
        for variant in variants:
            needed = [*required, *(name for name in variant.get("required", []) if name not in required)]
            others = {name for other in variants if other is not variant for name in other.get("required", [])}
            choices.append(st.fixed_dictionaries({name: properties[name] for name in needed}, optional={
                name: strategy for name, strategy in properties.items() if name not in needed and name not in others}))
        strategy = st.one_of(choices)
        return strategy.filter(Draft202012Validator(node).is_valid) if "oneOf" in node else strategy
    if node.get("type") == "array" and "items" in node and keywords <= ARRAY_KEYWORDS:
        return st.lists(schema_strategy(node["items"]), min_size=node.get("minItems", 0), max_size=node.get("maxItems"),
                        unique_by=_canonical if node.get("uniqueItems") else None)
    return from_schema(node)


def _generation_schema() -> dict[str, Any]:
    """Return a copy of the intake schema with every $defs/regel or $defs/tekst reference replaced by the
    plain pattern "\\S": generating strings for their lookarounds takes seconds per intake. intakes()
    then takes out what one-line fields refuse, and every example is validated with the real schema."""

    def plain(node: Any) -> Any:
        if isinstance(node, dict):
            node = {key: plain(value) for key, value in node.items() if key != "$defs"}
            if node.get("$ref") in ("#/$defs/regel", "#/$defs/tekst"):
                del node["$ref"]
                node["pattern"] = "\\S"
            return node
        return [plain(item) for item in node] if isinstance(node, list) else node

    return plain(copy.deepcopy(intake_schema()))  # type: ignore[no-any-return]



def _inline(node: Any, schema: dict[str, Any]) -> Any:
    """Return node with every local $ref replaced by what it points at (the schema keeps shared enums in $defs)."""
    if isinstance(node, list):
        return [_inline(item, schema) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        target: Any = schema
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return {key: _inline(value, schema) for key, value in node.items() if key != "$defs"}


SCHEMA_INTAKES = schema_strategy(_inline(_generation_schema(), intake_schema()))

# Keys whose string values are shown as typed (ids and enum values are shown as labels instead).
FREE_TEXT = frozenset({
    "naam", "centrale_vraag", "beschrijving", "antwoord", "omdat", "toelichting", "maatregel", "partij", "rol",
    "wijze_van_betrekken", "motivatie", "begeleider", "besluit", "risico", "gedeputeerde", "portefeuille",
    "ambtelijk_opdrachtgever", "afdeling", "projectleider", "adviseur", "vraag", "eigenaar",
    "ketenverantwoordelijkheid",
})

# beschrijving is Markdown; generated text leaves out every character with a meaning in Markdown
# (and typographic replacements), so its text content is the text itself.
MARKDOWN_SYNTAX = "\\`*_[](){}#+-.!|<>&~=:\"'^$@"
PLAIN_TEXT = st.text(st.characters(blacklist_characters=MARKDOWN_SYNTAX, blacklist_categories=("Cs",)),
                     min_size=1, max_size=300).filter(lambda text: re.search(r"\S", text) is not None)

# Characters derive.clean removes (XML 1.0 cannot hold them), including lone surrogates.
ILLEGAL = st.sampled_from(["\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\ufffe", "\uffff",
                           "\ud800", "\udbff", "\udc00", "\udfff"])

PARAMETER_TEXT = from_schema({"type": "string", "minLength": 1, "maxLength": 500, "pattern": "\\S"}).filter(
    lambda text: text.strip() != "")  # Clause.parameter_problems rejects what str.strip() empties


def free_text(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Yield (path, string) for every free-text string, clause parameter texts included."""
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, str) and (key in FREE_TEXT or (len(path) >= 1 and path[-1] == "parameters")):
                yield (*path, key), value
            else:
                yield from free_text(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from free_text(value, (*path, index))


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        data = data[key]
    return data


def _set(data: Any, path: tuple[Any, ...], value: Any) -> None:
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = value


def _own_value_ids(intake: dict[str, Any], draw: st.DrawFn) -> list[str]:
    """Give every 'waarde' a distinct knowledge-base id and every 'eigen' a distinct own id; return own ids."""
    known = list(draw(st.permutations(list(KNOWLEDGE.values))))
    used: set[str] = set()
    own: list[str] = []
    for index, item in enumerate(intake["waarden"]):
        if "waarde" in item and known:
            item["waarde"] = known.pop()
            used.add(item["waarde"])
            continue
        if "waarde" in item:  # more values than the knowledge base has: make it an own value
            del item["waarde"]
            item["eigen"] = {"naam": f"Eigen waarde {index}", "vraag": "Welke vraag hoort hierbij?"}
        value_id = own_value_id(item)
        if value_id in KNOWLEDGE.values or value_id in used:
            value_id = f"eigen_{index}"
            while value_id in KNOWLEDGE.values or value_id in used:
                value_id += "_x"
            item["eigen"]["id"] = value_id
        used.add(value_id)
        own.append(value_id)
    return own


def _clause_parameters(clause_id: str, draw: st.DrawFn) -> dict[str, Any]:
    parameters = {}
    for name, parameter in KNOWLEDGE.clauses[clause_id].parameters.items():
        if not draw(st.booleans()):
            continue
        if parameter.type == "geheel_getal":
            parameters[name] = draw(st.integers(min_value=parameter.minimum or 0, max_value=10**6))
        else:
            parameters[name] = _one_line(draw(PARAMETER_TEXT))
    return parameters


@st.composite
def intakes(draw: st.DrawFn) -> dict[str, Any]:
    """Return a valid intake: schema-generated, with existing ids, plain-text beschrijving, some illegal characters."""
    intake = draw(SCHEMA_INTAKES)
    # One-line fields refuse control, bidi and invisible characters (generation uses plain patterns): take
    # those out before ids are derived from names, and leave one-line fields out of the injection below.
    for path, value in free_text(intake):
        if _is_one_line(path):
            _set(intake, path, _one_line(value))
    referable = list(KNOWLEDGE.values) + _own_value_ids(intake, draw)
    for section in ("afweging", "handelingsopties"):
        for item in intake.get(section, []):
            if "waarden" in item:
                item["waarden"] = [draw(st.sampled_from(referable)) for _ in item["waarden"]]
    clauses = intake.get("inkoop", {}).get("clausules")
    if clauses is not None:
        del clauses[len(KNOWLEDGE.clauses):]
        for item, clause_id in zip(clauses, draw(st.permutations(list(KNOWLEDGE.clauses))), strict=False):
            item["id"] = clause_id
            item["parameters"] = _clause_parameters(clause_id, draw)
            if not item["parameters"] and draw(st.booleans()):
                del item["parameters"]
    intake["project"]["beschrijving"] = draw(PLAIN_TEXT)
    # Put characters a Word document cannot hold into a few free-text fields.
    places = [path for path, _ in free_text(intake) if not _is_one_line(path)]
    for _ in range(draw(st.integers(0, 3))):
        path = draw(st.sampled_from(places))
        text = _get(intake, path)
        at = draw(st.integers(0, len(text)))
        _set(intake, path, text[:at] + draw(ILLEGAL) + text[at:])
    return json.loads(json.dumps(intake))  # as read from a file: an escaped surrogate pair becomes one character


ONE_LINE_KEYS = frozenset({"naam", "afdeling", "projectleider", "adviseur", "centrale_vraag", "partij", "eigenaar",
                           "begeleider", "gedeputeerde", "portefeuille", "ambtelijk_opdrachtgever"})


def _one_line(value: str) -> str:
    """Return value without what one-line fields refuse, still visible and at least 3 characters (project.naam)."""
    cleaned = ONE_LINE_FORBIDDEN.sub("", value)
    cleaned = cleaned if is_visible(cleaned) else "x" + cleaned
    return cleaned + "x" * (3 - len(cleaned))


def _is_one_line(path: tuple[Any, ...]) -> bool:
    return path[-1] in ONE_LINE_KEYS or (len(path) >= 2 and path[-2] == "parameters")


def _is_valid(intake: dict[str, Any]) -> bool:
    try:
        validate(intake, KNOWLEDGE, "gegenereerd")
    except InputError:
        return False
    return True


def own_values_whose_ids_meet_after_cleaning() -> dict[str, Any]:
    """Return an intake this test found: 'R\\x01ust' has id r_ust when validated but rust, the id of 'Rust',
    once derive has cleaned it, so one of the two values disappeared from the dossier. One-line fields
    now refuse control characters, so validation refuses it (test_the_id_merging_intake_is_refused)."""
    intake = json.loads((ROOT / "examples" / "minimaal.json").read_text("utf-8"))
    intake["waarden"] += [
        {"eigen": {"naam": "Rust", "vraag": "Hoe blijft het rustig rond de meters?"}, "antwoord": "Met stille meters."},
        {"eigen": {"naam": "R\x01ust", "vraag": "Wie bewaakt de rust?"}, "antwoord": "De omgevingsdienst."},
    ]
    return intake


def _check_schema(intake: dict[str, Any]) -> bool:
    """Return True for about one example in ten, the same one on every run (replay and shrinking need that)."""
    return zlib.crc32(json.dumps(intake, sort_keys=True).encode("utf-8", "surrogatepass")) % 10 == 0


# 300 examples take about 50 s of CPU: ~0.08 s to generate one, ~0.07 s to build it in this process
# (build_one: no worker, no subprocess) and read it back, and 0.3 s per OOXML check, so the schema check
# runs on about every 10th example, the text check on all. (With from_schema on the whole intake,
# generating took ~0.28 s per example and the test about 200 s of CPU.)
# No shrink phase: shrinking an intake this size stops only after Hypothesis's five-minute limit,
# and the failure message already names each field and value that went wrong.
@settings(max_examples=300, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
@given(intakes().filter(_is_valid))
def test_every_valid_intake_builds_a_valid_document_with_all_its_text(intake: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory(prefix="dossier-prop-") as tmp:
        source = Path(tmp) / "intake.json"
        source.write_text(json.dumps(intake, indent=1), "ascii")  # \uXXXX escapes: lone surrogates survive
        out = Path(tmp) / "uit"

        report = build_one(str(source), out)

        assert report.failed == [] and report.errors == [], [e.lines() for _, e in report.failed]
        target = out / "intake.docx"
        assert report.written == [target]
        docx.Document(str(target))
        if _check_schema(intake):
            assert_valid_docx(target)
        text = document_text(target)
        cleaned, warnings = clean(intake)
        missing = [f"{pointer(path)}: {value!r}" for path, value in free_text(cleaned)
                   if normalise(value) and normalise(value) not in text]
        assert not missing, "tekst ontbreekt in het dossier:\n" + "\n".join(missing)
        for path, value in free_text(intake):
            if XML_ILLEGAL.search(value):
                assert any(f" {pointer(path)} " in w for w in report.warnings), (pointer(path), report.warnings)
        assert len(warnings) <= len(report.warnings)


def test_the_id_merging_intake_is_refused() -> None:
    with pytest.raises(InputError, match="/waarden/2/eigen/naam: bevat een stuurteken"):
        validate(own_values_whose_ids_meet_after_cleaning(), KNOWLEDGE, "intake.json")
