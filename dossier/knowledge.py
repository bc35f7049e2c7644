"""The knowledge base: values, instruments, needs and procurement clauses from the guide, as data.

Each YAML file in ``dossier/knowledge`` is validated against its own schema in
``dossier/schemas/knowledge`` when loaded, then cross-checked.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from dossier import cache as disk_cache
from dossier.errors import KnowledgeError, Problem

FILES = ("kennisbank", "waarden", "instrumenten", "behoeften", "clausules")
PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")


@dataclass(frozen=True)
class Row:
    """A row of the guide's value table (Tabel 1): one guiding question for one or two values."""

    id: str
    number: int
    name: str
    question: str
    source: str


@dataclass(frozen=True)
class Value:
    """A public value with its guiding question; ``row`` is None for values not from Tabel 1."""

    id: str
    name: str
    question: str
    source: str
    row: Row | None = None
    description: str | None = None

    @property
    def from_table(self) -> bool:
        return self.row is not None


@dataclass(frozen=True)
class Conditions:
    """The guide's conditions (randvoorwaarden) for an instrument; None where the guide gives none."""

    min_hours: float | None
    duration: str | None
    group_min: int | None
    group_max: int | None
    location: str | None
    preparation: str | None
    facilitation: str | None


@dataclass(frozen=True)
class Instrument:
    """An ethics instrument from the guide's appendix."""

    id: str
    name: str
    summary: str
    purpose: str
    method: tuple[str, ...]
    results: tuple[str, ...]
    conditions: Conditions
    more_information: str | None
    source: str


@dataclass(frozen=True)
class Need:
    """A 'behoefte aan …' from chapter 1, mapped to the instruments that serve it."""

    id: str
    question: str
    instruments: tuple[str, ...]
    explanation: str | None
    source: str


@dataclass(frozen=True)
class Parameter:
    """A named parameter of a clause text, with its type and default."""

    name: str
    type: str
    default: str | int
    description: str
    minimum: int | None = None


@dataclass(frozen=True)
class Topic:
    id: str
    name: str


@dataclass(frozen=True)
class Clause:
    """A standard procurement or subsidy clause with named parameters."""

    id: str
    title: str
    topic: str
    version: str
    applies_to: tuple[str, ...]
    text: str
    parameters: Mapping[str, Parameter]
    rationale: str
    source: str

    def parameter_problems(self, name: str, value: Any) -> Iterator[str]:
        """Yield a Dutch message for each problem with one given parameter value."""
        from dossier.validate import quote, suggest

        parameter = self.parameters.get(name)
        if parameter is None:
            known = list(self.parameters)
            hint = suggest(name, known) if known else "deze clausule heeft geen parameters"
            yield f"onbekende parameter {quote(name)} voor clausule '{self.id}'; {hint}"
        elif parameter.type == "geheel_getal":
            if isinstance(value, bool) or not isinstance(value, int):
                yield f"parameter '{name}' moet een geheel getal zijn, niet {quote(value)}"
            elif parameter.minimum is not None and value < parameter.minimum:
                yield f"parameter '{name}' moet minstens {parameter.minimum} zijn"
        elif not isinstance(value, str):
            yield f"parameter '{name}' moet een tekst zijn, niet {quote(value)}"
        elif not value.strip():
            yield f"parameter '{name}' mag niet leeg zijn"

    def fill(self, values: Mapping[str, Any]) -> list[tuple[str, bool]]:
        """Return the text as (piece, is_default) parts: literal text and filled-in parameters.

        Parameters missing from ``values`` get their default, with ``is_default`` True.
        Literal text parts have ``is_default`` False.
        """
        parts: list[tuple[str, bool]] = []
        position = 0
        for match in PLACEHOLDER.finditer(self.text):
            parts.append((self.text[position:match.start()], False))
            name = match.group(1)
            given = name in values
            parts.append((str(values[name] if given else self.parameters[name].default), not given))
            position = match.end()
        parts.append((self.text[position:], False))
        return [part for part in parts if part[0]]


@dataclass(frozen=True)
class Knowledge:
    """The whole knowledge base, with the version string every dossier cites."""

    version: str
    source: Mapping[str, str]
    rows: tuple[Row, ...]
    values: Mapping[str, Value]
    instruments: Mapping[str, Instrument]
    needs: tuple[Need, ...]
    topics: Mapping[str, Topic]
    clauses: Mapping[str, Clause]
    digest: str = field(default="", compare=False)


def _read_yaml(path: Path) -> Any:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise KnowledgeError(problems=[Problem(str(path), message=f"kennisbestand kan niet worden gelezen ({err})")]) from err
    try:
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        problem = getattr(err, "problem", None) or "ongeldige YAML"
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise KnowledgeError(problems=[Problem(str(path), line=line, column=column,
                                               message=f"ongeldige YAML: {problem}")]) from err


def _check_references(data: Mapping[str, Any], files: Mapping[str, Path]) -> list[Problem]:
    problems: list[Problem] = []

    def add(file: str, pointer: str, message: str) -> None:
        problems.append(Problem(str(files[file]), pointer=pointer, message=message))

    def unique(file: str, key: str) -> set[str]:
        seen: set[str] = set()
        for i, item in enumerate(data[file][key]):
            if item["id"] in seen:
                add(file, f"/{key}/{i}/id", f"id '{item['id']}' komt meer dan eens voor")
            seen.add(item["id"])
        return seen

    rows = unique("waarden", "rijen")
    unique("waarden", "waarden")
    for i, value in enumerate(data["waarden"]["waarden"]):
        if "rij" in value and value["rij"] not in rows:
            add("waarden", f"/waarden/{i}/rij", f"onbekende rij '{value['rij']}'")
    instruments = unique("instrumenten", "instrumenten")
    for i, need in enumerate(data["behoeften"]["behoeften"]):
        for j, instrument in enumerate(need["instrumenten"]):
            if instrument not in instruments:
                add("behoeften", f"/behoeften/{i}/instrumenten/{j}", f"onbekend instrument '{instrument}'")
    topics = unique("clausules", "onderwerpen")
    unique("clausules", "clausules")
    for i, clause in enumerate(data["clausules"]["clausules"]):
        if clause["onderwerp"] not in topics:
            add("clausules", f"/clausules/{i}/onderwerp", f"onbekend onderwerp '{clause['onderwerp']}'")
        used = set(PLACEHOLDER.findall(clause["tekst"]))
        declared = set(clause.get("parameters", {}))
        for name in sorted(used - declared):
            add("clausules", f"/clausules/{i}/tekst", f"parameter '{{{name}}}' staat in de tekst maar heeft geen standaardwaarde in 'parameters'")
        for name in sorted(declared - used):
            add("clausules", f"/clausules/{i}/parameters/{name}", f"parameter '{name}' wordt niet in de tekst gebruikt")
        stray = re.sub(PLACEHOLDER, "", clause["tekst"])
        if "{" in stray or "}" in stray:
            add("clausules", f"/clausules/{i}/tekst", "losse accolade in de tekst; parameters schrijf je als {naam}")
        for name, parameter in clause.get("parameters", {}).items():
            default = parameter["standaard"]
            wrong = (isinstance(default, bool) or not isinstance(default, int)) if parameter["type"] == "geheel_getal" else not isinstance(default, str)
            if wrong:
                add("clausules", f"/clausules/{i}/parameters/{name}/standaard", f"standaardwaarde past niet bij type '{parameter['type']}'")
    return problems


def _build(data: Mapping[str, Any], digest: str) -> Knowledge:
    rows = tuple(Row(r["id"], r["nummer"], r["naam"], r["vraag"], r["bron"]) for r in data["waarden"]["rijen"])
    by_row = {row.id: row for row in rows}
    values = {}
    for v in data["waarden"]["waarden"]:
        row = by_row.get(v.get("rij", ""))
        values[v["id"]] = Value(
            id=v["id"], name=v["naam"], row=row, description=v.get("omschrijving"),
            question=row.question if row else v["vraag"], source=row.source if row else v["bron"],
        )
    instruments = {}
    for i in data["instrumenten"]["instrumenten"]:
        c = i["voorwaarden"]
        group = c.get("groepsgrootte") or {}
        instruments[i["id"]] = Instrument(
            id=i["id"], name=i["naam"], summary=i["kort"], purpose=i["doel"],
            method=tuple(i["methode"]), results=tuple(i["resultaten"]),
            conditions=Conditions(c.get("minimale_duur_uren"), c.get("duur"), group.get("min"), group.get("max"),
                                  c.get("locatie"), c.get("voorbereiding"), c.get("uitvoering")),
            more_information=i.get("meer_informatie"), source=i["bron"],
        )
    needs = tuple(Need(n["id"], n["vraag"], tuple(n["instrumenten"]), n.get("toelichting"), n["bron"])
                  for n in data["behoeften"]["behoeften"])
    topics = {t["id"]: Topic(t["id"], t["naam"]) for t in data["clausules"]["onderwerpen"]}
    clauses = {}
    for c in data["clausules"]["clausules"]:
        parameters = {name: Parameter(name, p["type"], p["standaard"], p["omschrijving"], p.get("minimum"))
                      for name, p in c.get("parameters", {}).items()}
        clauses[c["id"]] = Clause(c["id"], c["titel"], c["onderwerp"], c["versie"], tuple(c["toepassing"]),
                                  c["tekst"].strip(), parameters, c["toelichting"], c["bron"])
    meta = data["kennisbank"]
    return Knowledge(meta["versie"], dict(meta["bron"]), rows, values, instruments, needs, topics, clauses, digest)


def load_knowledge(directory: Path | str | None = None) -> Knowledge:
    """Return the knowledge base from ``directory`` (default: the packaged one).

    Raises KnowledgeError listing every syntax, schema or cross-reference problem.
    """
    base = Path(directory) if directory else Path(str(resources.files("dossier").joinpath("knowledge")))
    files = {name: base / f"{name}.yaml" for name in FILES}
    data, digest = _validated_data(files)
    problems = _check_references(data, files)
    if problems:
        raise KnowledgeError(problems=problems)
    return _build(data, digest)


def _validated_data(files: Mapping[str, Path]) -> tuple[dict[str, Any], str]:
    """Return each file's content, validated against its schema, and the SHA-256 of files and schemas.

    Validation is remembered by that digest in the user's cache folder: identical bytes were
    already validated, so only a changed file (or schema, or program version) is parsed and
    checked again. Raises KnowledgeError listing every problem.
    """
    import hashlib

    from dossier import __version__

    schemas = resources.files("dossier").joinpath("schemas/knowledge")
    missing = [Problem(str(path), message="kennisbestand ontbreekt") for path in files.values() if not path.is_file()]
    if missing:
        raise KnowledgeError(problems=missing)
    texts = {name: path.read_bytes() for name, path in files.items()}
    schema_texts = {name: schemas.joinpath(f"{name}.schema.json").read_bytes() for name in files}
    digest = hashlib.sha256(__version__.encode())
    for name in files:
        digest.update(hashlib.sha256(texts[name]).digest() + hashlib.sha256(schema_texts[name]).digest())
    key = digest.hexdigest()
    cached = disk_cache.read(f"kennisbank-{key}.json")
    if cached is not None:
        try:
            return json.loads(cached), key
        except ValueError:
            pass

    from dossier.validate import schema_problems

    data: dict[str, Any] = {}
    problems: list[Problem] = []
    for name, path in files.items():
        try:
            content = _read_yaml(path)
        except KnowledgeError as err:
            problems += err.problems
            continue
        found = schema_problems(content, json.loads(schema_texts[name]), str(path))
        problems += found
        if not found:
            data[name] = content
    if problems:
        raise KnowledgeError(problems=problems)
    disk_cache.write(f"kennisbank-{key}.json", json.dumps(data, ensure_ascii=False).encode("utf-8"))
    return data, key


@cache
def default_knowledge() -> Knowledge:
    """Return the knowledge base of DOSSIER_KENNISBANK (a folder), else the packaged one; loaded once."""
    return load_knowledge(os.environ.get("DOSSIER_KENNISBANK") or None)
