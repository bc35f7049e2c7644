"""The knowledge base: values, instruments, needs and procurement clauses from the guide, as data.

Each YAML file in ``dossier/knowledge`` is validated against its own schema in
``dossier/schemas/knowledge`` when loaded, then cross-checked.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from dossier import __version__
from dossier import cache as disk_cache
from dossier.errors import KnowledgeError, Problem
from dossier.files import ReadProblem, read_bounded
from dossier.messages import quote, suggest
from dossier.schema import schema_problems

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


UNITS: Mapping[str, tuple[str, str, float]] = {  # unit: (singular, plural, hours for comparing)
    "uur": ("uur", "uur", 1.0),  # Dutch keeps 'uur' after a number: '24 uur'
    "dag": ("dag", "dagen", 24.0),
    "werkdag": ("werkdag", "werkdagen", 24.0 * 7 / 5),
    "week": ("week", "weken", 168.0),
    "maand": ("maand", "maanden", 24.0 * 365.25 / 12),
    "jaar": ("jaar", "jaar", 24.0 * 365.25),
}
UNIT_WORDS = {"uur": "uur", "uren": "uur", "dag": "dag", "dagen": "dag", "kalenderdag": "dag", "kalenderdagen": "dag",
              "werkdag": "werkdag", "werkdagen": "werkdag", "week": "week", "weken": "week",
              "maand": "maand", "maanden": "maand", "jaar": "jaar", "jaren": "jaar"}
DURATION = re.compile(r"\s*([0-9]{1,6})\s*([a-z]+)\s*", re.IGNORECASE)
ARTICLE_AT_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+)$")
ARTICLES = ("de ", "het ", "een ")


@dataclass(frozen=True)
class Duration:
    """A term such as '24 uur' or '6 maanden': a whole number of one unit."""

    amount: int
    unit: str

    def __str__(self) -> str:
        singular, plural, _ = UNITS[self.unit]
        return f"{self.amount} {singular if self.amount == 1 else plural}"

    @property
    def hours(self) -> float:
        return self.amount * UNITS[self.unit][2]


def parse_duration(text: str) -> Duration | None:
    """Return the duration written in text ('24 uur', '1 dag', '10 werkdagen'), or None if it is not one."""
    match = DURATION.fullmatch(text)
    if match is None or match.group(2).lower() not in UNIT_WORDS:
        return None
    return Duration(int(match.group(1)), UNIT_WORDS[match.group(2).lower()])


UNIT_NOUNS = {"uur": "uren", "dag": "dagen", "werkdag": "werkdagen", "week": "weken", "maand": "maanden", "jaar": "jaren"}


def _unit_list(units: tuple[str, ...]) -> str:
    """Return 'uren, dagen of werkdagen' for the units."""
    names = [UNIT_NOUNS[unit] for unit in units]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " of " + names[-1]


@dataclass(frozen=True)
class Parameter:
    """A named parameter of a clause text: its type ('tekst', 'geheel_getal' or 'termijn'), default and bounds."""

    name: str
    type: str
    default: str | int
    description: str
    minimum: int | str | None = None
    maximum: int | str | None = None
    units: tuple[str, ...] = ()

    def problems(self, value: Any) -> Iterator[str]:
        """Yield a Dutch message for each way value does not fit this parameter's type and range."""
        name = self.name
        if self.type == "geheel_getal":
            if isinstance(value, bool) or not isinstance(value, int):
                yield f"parameter '{name}' moet een geheel getal zijn, niet {quote(value)}"
            elif isinstance(self.minimum, int) and value < self.minimum:
                yield f"parameter '{name}' moet minstens {self.minimum} zijn, niet {value}"
            elif isinstance(self.maximum, int) and value > self.maximum:
                yield f"parameter '{name}' mag hoogstens {self.maximum} zijn, niet {value}"
        elif not isinstance(value, str):
            if self.type == "termijn":
                given = f"het getal {value}" if isinstance(value, int) and not isinstance(value, bool) else quote(value)
                yield (f"parameter '{name}' is een termijn: geef aantal en eenheid, bijvoorbeeld "
                       f"'{self.default}', niet {given}")
            else:
                yield f"parameter '{name}' moet een tekst zijn, niet {quote(value)}"
        elif not value.strip():
            yield f"parameter '{name}' mag niet leeg zijn"
        elif self.type == "termijn":
            yield from self._duration_problems(value)

    def _duration_problems(self, value: str) -> Iterator[str]:
        duration = parse_duration(value)
        if duration is None:
            yield (f"parameter '{self.name}' moet een termijn zijn als aantal en eenheid in {_unit_list(self.units)}, "
                   f"bijvoorbeeld '{self.default}', niet {quote(value)}")
            return
        if duration.unit not in self.units:
            yield (f"parameter '{self.name}' is een termijn in {_unit_list(self.units)}, niet in "
                   f"{_unit_list((duration.unit,))} ({quote(value)})")
            return
        low = parse_duration(str(self.minimum)) if self.minimum is not None else None
        high = parse_duration(str(self.maximum)) if self.maximum is not None else None
        if (low and duration.hours < low.hours) or (high and duration.hours > high.hours):
            bounds = " en ".join(part for part in (f"minstens {low}" if low else "", f"hoogstens {high}" if high else "")
                                 if part)
            yield f"parameter '{self.name}' moet {bounds} zijn, niet {quote(value)}"

    def typed(self, text: str) -> str | int:
        """Return a command-line value as this parameter's type: an int for 'geheel_getal' when it is one, else the text."""
        return int(text) if self.type == "geheel_getal" and re.fullmatch(r"[+-]?[0-9]{1,18}", text) else text

    def show(self, value: Any) -> str:
        """Return the value as the clause prints it: a term in correct Dutch ('1 dag', '24 uur'), else as given."""
        if self.type == "termijn" and isinstance(value, str):
            duration = parse_duration(value)
            if duration is not None:
                return str(duration)
        return str(value)


@dataclass(frozen=True)
class Topic:
    id: str
    name: str


@dataclass(frozen=True)
class Family:
    """A kind of document the clauses are written for: a contract, a subsidy decision or a collaboration."""

    id: str  # "inkoop", "subsidie" or "samenwerking"
    name: str
    document: str
    party: Parameter  # the one parameter every text of this family names the other party with
    province: str  # the definition of 'de Provincie', with {provincie} for the province's name
    alignment: str  # what the province must align the model texts with
    basis: str  # the law the texts of this family rest on

    def definition(self, province: str, party: str) -> str:
        """Return the sentence defining 'de Provincie' for this family and naming the other party."""
        return (f"In de clausules voor een {self.name} wordt verstaan onder 'de Provincie': "
                f"{self.province.replace('{provincie}', province)}; de wederpartij heet daarin {party}.")


@dataclass(frozen=True)
class Norm:
    """A law, norm or standard from outside the guide that clauses rely on."""

    id: str
    name: str


ORIGINS = {"eigen": "Eigen uitwerking van dossier op basis van de gids",
           "voorbeeld_gids": "Eigen uitwerking van dossier van een concreet voorbeeld uit de gids"}


@dataclass(frozen=True)
class Clause:
    """A standard clause with one text per family of documents and named parameters."""

    id: str
    title: str
    topic: str
    version: str
    origin: str  # "eigen" or "voorbeeld_gids"
    texts: Mapping[str, str]  # family id: text
    parameters: Mapping[str, Parameter]  # its own and the party parameter of each of its families
    rationale: str
    source: str
    norms: tuple[tuple[Norm, str, tuple[str, ...]], ...] = ()  # (norm, which part and what for, families; () = all)

    @property
    def applies_to(self) -> tuple[str, ...]:
        return tuple(self.texts)

    @property
    def text(self) -> str:
        """Return the text of the clause's first family."""
        return next(iter(self.texts.values()))

    @property
    def provenance(self) -> str:
        """Return the Dutch sentence saying who drafted the text and on which passages of the guide it rests."""
        return f"{ORIGINS[self.origin]}: {self.source}."

    def norms_in(self, family: str) -> list[tuple[Norm, str]]:
        """Return (norm, part) for the norms from outside the guide that the family's text relies on."""
        return [(norm, part) for norm, part, families in self.norms if not families or family in families]

    def norm_sentence(self, family: str) -> str:
        """Return the Dutch sentence crediting every norm the family's text relies on, or saying there is none."""
        norms = self.norms_in(family)
        if not norms:
            return "Normen buiten de gids: geen."
        return "Normen buiten de gids: " + "; ".join(f"{norm.name}, {part}" for norm, part in norms) + "."

    def parameters_in(self, family: str) -> dict[str, Parameter]:
        """Return the parameters the family's text uses, in declaration order."""
        used = set(PLACEHOLDER.findall(self.texts[family]))
        return {name: p for name, p in self.parameters.items() if name in used}

    def parameter_problems(self, name: str, value: Any) -> Iterator[str]:
        """Yield a Dutch message for each problem with one given parameter value."""
        parameter = self.parameters.get(name)
        if parameter is None:
            known = list(self.parameters)
            hint = suggest(name, known) if known else "deze clausule heeft geen parameters"
            yield f"onbekende parameter {quote(name)} voor clausule '{self.id}'; {hint}"
        else:
            yield from parameter.problems(value)

    def fill(self, values: Mapping[str, Any], family: str | None = None) -> list[tuple[str, bool]]:
        """Return the family's text (default: the first) as (piece, is_default) parts: literal text and values.

        Parameters missing from ``values`` get their default, with ``is_default`` True; terms are
        printed in correct Dutch ('1 dag', '24 uur'). A value that opens a sentence and starts with
        an article ('de Opdrachtnemer') gets a capital. Literal text parts have ``is_default`` False.
        """
        text = self.texts[family] if family is not None else self.text
        parts: list[tuple[str, bool]] = []
        position = 0
        for match in PLACEHOLDER.finditer(text):
            before = text[position:match.start()]
            parts.append((before, False))
            name = match.group(1)
            given = name in values
            parameter = self.parameters[name]
            shown = parameter.show(values[name] if given else parameter.default)
            if shown.startswith(ARTICLES) and ARTICLE_AT_SENTENCE_START.search(text[:match.start()]):
                shown = shown[0].upper() + shown[1:]
            parts.append((shown, not given))
            position = match.end()
        parts.append((text[position:], False))
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
    families: Mapping[str, Family]
    norms: Mapping[str, Norm]
    digest: str = field(default="", compare=False)

    def intake_values(self, intake: Mapping[str, Any]) -> dict[str, str]:
        """Return the parameter values a validated intake gives every clause at once.

        The party of each family: a party parameter set on any chosen clause (validation makes them
        agree), else for a contract the supplier's name. And the data the province receives
        (/inkoop/data_voor_provincie) as 'ontvangen_data'.
        """
        purchase = intake.get("inkoop", {})
        values: dict[str, str] = {}
        supplier = intake.get("technologie", {}).get("leverancier")
        if supplier:
            values[self.families["inkoop"].party.name] = supplier["naam"]
        parties = {family.party.name for family in self.families.values()}
        for item in reversed(purchase.get("clausules", [])):  # the first clause that sets a party wins
            values |= {name: value for name, value in item.get("parameters", {}).items() if name in parties}
        if purchase.get("data_voor_provincie"):
            values["ontvangen_data"] = purchase["data_voor_provincie"]
        return values


def family_for(clause: Clause, in_play: Sequence[str]) -> str:
    """Return the first family in play that the clause has a text for, else the clause's own first family."""
    return next((family for family in in_play if family in clause.texts), clause.applies_to[0])


CONTRACT_ROLES = ("opdrachtgever",)


def families_in_play(intake: Mapping[str, Any]) -> tuple[str, ...]:
    """Return the families of documents a validated intake calls for, contract first.

    A contract ('inkoop') when the province is opdrachtgever or has a supplier; a subsidy decision
    when it is subsidieverstrekker; a collaboration agreement when it is partner. A contract when
    none of these applies.
    """
    roles = intake.get("rol_provincie", [])
    found = []
    if any(role in roles for role in CONTRACT_ROLES) or intake.get("technologie", {}).get("leverancier"):
        found.append("inkoop")
    if "subsidieverstrekker" in roles:
        found.append("subsidie")
    if "partner" in roles:
        found.append("samenwerking")
    return tuple(found) or ("inkoop",)


MAX_FILE_BYTES = 4 * 1024 * 1024  # per knowledge-base file; the packaged ones are well under 100 kB

# PyYAML's problem texts, with a Dutch equivalent (the first that a problem starts with wins).
_YAML_MESSAGES = (
    ("mapping values are not allowed", "hier mag geen ':' staan; zet tekst met een dubbele punt tussen aanhalingstekens"),
    ("could not find expected ':'", "':' verwacht na een sleutel"),
    ("found character", "teken dat hier niet mag staan (een tab? spring in met spaties)"),
    ("found unexpected end of stream", "bestand houdt onverwacht op (ontbreekt een afsluitend aanhalingsteken?)"),
    ("found unknown escape character", "ongeldige escape-reeks in tekst"),
    ("expected <block end>", "de inspringing klopt niet"),
    ("did not find expected key", "sleutel verwacht; klopt de inspringing?"),
    ("did not find expected '-' indicator", "'-' verwacht; klopt de inspringing van de lijst?"),
    ("expected ',' or ']'", "',' of ']' verwacht"),
    ("expected ',' or '}'", "',' of '}' verwacht"),
    ("found undefined alias", "verwijzing (*) naar een onbekend anker"),
    ("could not determine a constructor", "onbekend YAML-label (!...)"),
    ("expected a single document", "meer dan één YAML-document in het bestand"),
)


def _yaml_loader() -> Any:
    """Return a safe loader class (C-accelerated when available) that refuses duplicate keys."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):  # type: ignore[misc, valid-type]
        pass

    def mapping(loader: Any, node: Any) -> dict[Any, Any]:
        seen: dict[Any, Any] = {}
        for key_node, _ in node.value:
            key = loader.construct_object(key_node, deep=True)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"sleutel '{key}' komt twee keer voor; de eerste waarde zou verloren gaan",
                    key_node.start_mark)
            seen[key] = None
        return dict(loader.construct_pairs(node, deep=True))

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    return Loader


def _read_yaml(path: Path) -> Any:
    """Return the content of one knowledge-base YAML file; raise KnowledgeError with a Dutch reason and place.

    The file is read within MAX_FILE_BYTES and must be a regular file; anchors and aliases are refused
    (an alias can expand a small file into an enormous structure); duplicate keys are refused.
    """
    import yaml


    def fail(message: str, mark: Any = None) -> KnowledgeError:
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
        return KnowledgeError(problems=[Problem(str(path), line=line, column=column, message=message)])

    try:
        data = read_bounded(path, MAX_FILE_BYTES)
    except ReadProblem as err:
        raise fail(f"kennisbestand kan niet worden gelezen: {err}") from err
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise fail("kennisbestand is geen geldige UTF-8-tekst; sla het op als UTF-8") from err
    loader = _yaml_loader()
    try:
        for token in yaml.scan(text, Loader=loader):
            if isinstance(token, yaml.AnchorToken | yaml.AliasToken):
                raise fail("ankers en verwijzingen (& en *) zijn in de kennisbank niet toegestaan; schrijf de tekst uit",
                           token.start_mark)
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        problem = getattr(err, "problem", None) or ""
        message = next((nl for en, nl in _YAML_MESSAGES if problem.startswith(en)), None)
        if message is None and "twee keer" in problem:
            message = problem
        raise fail(f"ongeldige YAML: {message or 'de structuur klopt niet'}", mark) from err


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
    norms = unique("clausules", "normen")
    unique("clausules", "soorten")
    unique("clausules", "clausules")
    parties = {family["id"]: family["partij"] for family in data["clausules"]["soorten"]}
    for i, clause in enumerate(data["clausules"]["clausules"]):
        problems.extend(Problem(str(files["clausules"]), pointer=f"/clausules/{i}{place}", message=message)
                        for place, message in _clause_problems(clause, topics, norms, parties))
    return problems


def _clause_problems(clause: Mapping[str, Any], topics: set[str], norms: set[str],
                     parties: Mapping[str, Mapping[str, Any]]) -> Iterator[tuple[str, str]]:
    """Yield (place within the clause, Dutch message) for each inconsistency of one clause."""
    if clause["onderwerp"] not in topics:
        yield "/onderwerp", f"onbekend onderwerp '{clause['onderwerp']}'"
    for j, item in enumerate(clause["normen"]):
        if item["norm"] not in norms:
            yield f"/normen/{j}/norm", f"onbekende norm '{item['norm']}'"
        for family in item.get("soorten", ()):
            if family not in clause["teksten"]:
                yield f"/normen/{j}/soorten", f"de clausule heeft geen tekst voor soort '{family}'"
    declared = dict(clause.get("parameters", {}))
    party_names = {party["naam"] for party in parties.values()}
    for name in sorted(set(declared) & party_names):
        yield f"/parameters/{name}", f"'{name}' is de partijparameter van een soort; declareer haar niet bij de clausule"
    used: set[str] = set()
    for family, text in clause["teksten"].items():
        if family not in parties:
            yield f"/teksten/{family}", f"onbekende soort '{family}'"
            continue
        names = set(PLACEHOLDER.findall(text))
        used |= names
        party = parties[family]["naam"]
        for name in sorted(names - set(declared) - {party}):
            other = name in party_names
            yield f"/teksten/{family}", (f"de tekst voor '{family}' noemt de wederpartij '{{{name}}}'; gebruik "
                                         f"'{{{party}}}'" if other else
                                         f"parameter '{{{name}}}' staat in de tekst maar heeft geen standaardwaarde "
                                         "in 'parameters'")
        if "{" in PLACEHOLDER.sub("", text) or "}" in PLACEHOLDER.sub("", text):
            yield f"/teksten/{family}", "losse accolade in de tekst; parameters schrijf je als {naam}"
    for name in sorted(set(declared) - used):
        yield f"/parameters/{name}", f"parameter '{name}' wordt in geen enkele tekst gebruikt"
    for name, parameter in declared.items():
        yield from ((f"/parameters/{name}{place}", message) for place, message in _parameter_problems(parameter))


def _parameter_problems(parameter: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """Yield (place, message) when a parameter's default does not fit its type, units or bounds."""
    kind, default = parameter["type"], parameter["standaard"]
    if kind == "geheel_getal":
        if isinstance(default, bool) or not isinstance(default, int):
            yield "/standaard", f"standaardwaarde past niet bij type '{kind}'"
            return
    elif not isinstance(default, str):
        yield "/standaard", f"standaardwaarde past niet bij type '{kind}'"
        return
    check = Parameter("standaard", kind, default, "", parameter.get("minimum"), parameter.get("maximum"),
                      tuple(parameter.get("eenheden", ())))
    for message in check.problems(default):
        yield "/standaard", f"standaardwaarde valt buiten de eigen grenzen: {message}"
    if kind == "termijn":
        for bound in ("minimum", "maximum"):
            value = parameter.get(bound)
            duration = parse_duration(value) if isinstance(value, str) else None
            if value is not None and (duration is None or duration.unit not in check.units):
                yield f"/{bound}", f"{bound} {value!r} is geen termijn in een van de eenheden {check.units}"


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
    families = {f["id"]: Family(f["id"], f["naam"], f["document"],
                                Parameter(f["partij"]["naam"], "tekst", f["partij"]["standaard"], f["partij"]["omschrijving"]),
                                f["provincie"], f["afstemming"], " ".join(f["grondslag"].split()))
                for f in data["clausules"]["soorten"]}
    norms = {n["id"]: Norm(n["id"], n["naam"]) for n in data["clausules"]["normen"]}
    clauses = {}
    for c in data["clausules"]["clausules"]:
        parameters = {family.party.name: family.party for family in families.values() if family.id in c["teksten"]}
        parameters |= {name: Parameter(name, p["type"], p["standaard"], p["omschrijving"], p.get("minimum"),
                                       p.get("maximum"), tuple(p.get("eenheden", ())))
                       for name, p in c.get("parameters", {}).items()}
        texts = {family: " ".join(c["teksten"][family].split()) for family in families if family in c["teksten"]}
        clauses[c["id"]] = Clause(c["id"], c["titel"], c["onderwerp"], c["versie"], c["uitwerking"], texts, parameters,
                                  " ".join(c["toelichting"].split()), c["bron"],
                                  tuple((norms[n["norm"]], n["onderdeel"], tuple(n.get("soorten", ())))
                                        for n in c["normen"]))
    meta = data["kennisbank"]
    return Knowledge(meta["versie"], dict(meta["bron"]), rows, values, instruments, needs, topics, clauses, families,
                     norms, digest)


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
    """Return each file's content, validated against its schema, and the content digest of the whole.

    The content digest is the SHA-256 (hex) of the canonical JSON of all files' parsed content, so
    it changes with every change of text and never with layout or comments. Files are always read
    and parsed; the cache only remembers that content with this digest passed the schemas of this
    program version, which saves the schema check (most of the time of loading). Raises
    KnowledgeError listing every problem.
    """
    from importlib.metadata import version

    schemas = resources.files("dossier").joinpath("schemas/knowledge")
    missing = [Problem(str(path), message="kennisbestand ontbreekt") for path in files.values() if not path.exists()]
    if missing:
        raise KnowledgeError(problems=missing)
    data: dict[str, Any] = {}
    problems: list[Problem] = []
    for name, path in files.items():
        try:
            data[name] = _read_yaml(path)
        except KnowledgeError as err:
            problems += err.problems
    if problems:
        raise KnowledgeError(problems=problems)
    digest = content_digest(data)
    schema_texts = {name: schemas.joinpath(f"{name}.schema.json").read_bytes() for name in files}
    check = hashlib.sha256(f"{__version__}\0{version('jsonschema')}\0{digest}".encode())
    for name in files:
        check.update(hashlib.sha256(schema_texts[name]).digest())
    marker = f"dossier-kennisbank-geldig {check.hexdigest()}\n".encode()
    entry = f"kennisbank-{check.hexdigest()}"
    if disk_cache.read(entry) == marker:
        return data, digest
    for name, path in files.items():
        problems += schema_problems(data[name], json.loads(schema_texts[name]), str(path))
    if problems:
        raise KnowledgeError(problems=problems)
    disk_cache.write(entry, marker)
    return data, digest


def content_digest(data: Mapping[str, Any]) -> str:
    """Return the SHA-256 (hex) of the canonical JSON (sorted keys, ASCII) of knowledge-base content."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


@cache
def default_knowledge() -> Knowledge:
    """Return the knowledge base of DOSSIER_KENNISBANK (a folder), else the packaged one; loaded once."""
    return load_knowledge(os.environ.get("DOSSIER_KENNISBANK") or None)
