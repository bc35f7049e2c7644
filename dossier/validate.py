"""Check an intake against the JSON Schema and the knowledge base; report every problem in Dutch."""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from dossier.errors import InputError, Problem, printable
from dossier.text import ONE_LINE_PATTERN, VISIBLE_PATTERN, is_visible, one_line_problem

if TYPE_CHECKING:
    from jsonschema import ValidationError

    from dossier.knowledge import Knowledge

_TYPE_NAMES = {
    "string": "een tekst",
    "integer": "een geheel getal",
    "number": "een getal",
    "boolean": "true of false",
    "array": "een lijst ([…])",
    "object": "een object ({…})",
    "null": "null",
}


MAX_SCHEMA_PROBLEMS = 1000

ALIASES = {"friesland": "Fryslân", "fryslan": "Fryslân", "brabant": "Noord-Brabant"}


def _type_of(value: Any) -> str:
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
    return "null"


def pointer(path: Iterable[Any]) -> str:
    """Return the JSON pointer (RFC 6901) of a path of keys and indexes."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def quote(value: Any) -> str:
    """Return a short, printable rendering of a user value for a message."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    if len(text) > 60:
        text = text[:57] + "…"
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return "'" + printable(text) + "'"


def suggest(value: Any, allowed: Iterable[str]) -> str:
    """Return 'bedoelde u …?' for a close match, else the list of allowed values."""
    allowed = [str(a) for a in allowed]
    if isinstance(value, str) and ALIASES.get(value.strip().lower()) in allowed:
        return f"bedoelde u '{ALIASES[value.strip().lower()]}'?"
    if isinstance(value, str):
        lowered = {a.lower(): a for a in allowed}
        close = difflib.get_close_matches(value.strip().lower(), list(lowered), n=1, cutoff=0.6)
        if close:
            return f"bedoelde u '{lowered[close[0]]}'?"
    if len(allowed) > 30:
        return "zie 'dossier values' of 'dossier clauses list' voor de toegestane waarden"
    return "toegestaan: " + ", ".join(allowed)


def slug(name: str) -> str:
    """Return the id of a name: lower case ASCII, words joined by '_'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_")


def _messages(error: ValidationError) -> Iterator[tuple[list[Any], str]]:
    """Yield (path, Dutch message) for one jsonschema error."""
    path, keyword, expected, value = list(error.absolute_path), error.validator, error.validator_value, error.instance
    if keyword == "required":
        for name in expected:
            if isinstance(value, dict) and name not in value:
                yield path + [name], "verplicht veld ontbreekt"
    elif keyword == "additionalProperties":
        known = list(error.schema.get("properties", {}))
        for name in value:
            if name not in known:
                yield path + [name], f"onbekend veld {quote(name)}; {suggest(name, known)}"
    elif keyword == "enum":
        yield path, f"onbekende waarde {quote(value)}; {suggest(value, expected)}"
    elif keyword == "const":
        yield path, f"moet {json.dumps(expected, ensure_ascii=False)} zijn, niet {quote(value)}"
    elif keyword == "type":
        wanted = " of ".join(_TYPE_NAMES[t] for t in ([expected] if isinstance(expected, str) else expected))
        yield path, f"moet {wanted} zijn, maar is {_TYPE_NAMES[_type_of(value)]}"
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
    elif keyword in ("oneOf", "anyOf") and "x-foutmelding" in error.schema:
        yield path, error.schema["x-foutmelding"]
    else:
        yield path, f"voldoet niet aan het schema (regel '{keyword}')"


def _sort_key(path: list[Any], schema: Mapping[str, Any] | None = None) -> tuple[tuple[int, str], ...]:
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
    from jsonschema import Draft202012Validator, FormatChecker

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
    ordered = sorted(found.values(), key=lambda item: _sort_key(item[0], schema))
    return [Problem(name, pointer=pointer(path), message=message) for path, message in ordered]


@cache
def intake_schema() -> dict[str, Any]:
    """Return the intake JSON Schema shipped with the package."""
    text = resources.files("dossier").joinpath("schemas/intake.schema.json").read_text("utf-8")
    return json.loads(text)


def own_value_id(item: Mapping[str, Any]) -> str:
    """Return the id of a project's own value: its explicit id, else the slug of its name."""
    eigen = item["eigen"]
    return eigen.get("id") or slug(eigen["naam"])


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def reference_problems(intake: Any, knowledge: Knowledge, name: str) -> list[Problem]:
    """Return problems with ids that must exist in the knowledge base or in the intake itself."""
    problems: list[Problem] = []

    def add(path: list[Any], message: str) -> None:
        problems.append(Problem(name, pointer=pointer(path), message=message))

    intake = _dict(intake)
    declared: dict[str, list[Any]] = {}
    for i, item in enumerate(_list(intake.get("waarden"))):
        item = _dict(item)
        if isinstance(item.get("waarde"), str):
            value_id, path = item["waarde"], ["waarden", i, "waarde"]
            if value_id not in knowledge.values:
                add(path, f"onbekende waarde {quote(value_id)}; {suggest(value_id, knowledge.values)}")
                continue
        elif isinstance(_dict(item.get("eigen")).get("naam"), str) and "waarde" not in item:
            value_id, path = own_value_id(item), ["waarden", i, "eigen"]
            if not value_id:
                add(path, f"van de naam {quote(item['eigen']['naam'])} is geen id te maken; geef deze eigen waarde een "
                          "'id' (kleine letters a-z, cijfers en '_'), zodat de afweging ernaar kan verwijzen")
                continue
            if value_id in knowledge.values:
                add(path, f"de eigen waarde heeft id '{value_id}', maar die hoort bij een waarde uit de kennisbank; "
                          "gebruik \"waarde\": \"" + value_id + "\" of geef de eigen waarde een andere id")
                continue
        else:
            continue
        if value_id in declared:
            add(path, f"waarde '{value_id}' staat al bij {pointer(declared[value_id])}; voeg de antwoorden samen")
        else:
            declared[value_id] = path

    referable = {**{v: v for v in knowledge.values}, **{v: v for v in declared}}
    for section in ("afweging", "handelingsopties"):
        for i, item in enumerate(_list(intake.get(section))):
            for j, value_id in enumerate(_list(_dict(item).get("waarden"))):
                if isinstance(value_id, str) and value_id not in referable:
                    add([section, i, "waarden", j],
                        f"onbekende waarde {quote(value_id)}; {suggest(value_id, referable)}")

    chosen: dict[str, int] = {}
    parties = {family.party.name for family in knowledge.families.values()}
    named: dict[str, tuple[Any, int]] = {}  # party parameter: (value, clause index) where first set
    from dossier.knowledge import families_in_play, family_for

    roles = [r for r in _list(intake.get("rol_provincie")) if isinstance(r, str)]
    supplier = _dict(_dict(intake.get("technologie")).get("leverancier"))
    in_play = families_in_play({"rol_provincie": roles, "technologie": {"leverancier": supplier or None}})
    for i, item in enumerate(_list(_dict(intake.get("inkoop")).get("clausules"))):
        item = _dict(item)
        clause_id = item.get("id")
        if not isinstance(clause_id, str):
            continue
        clause = knowledge.clauses.get(clause_id)
        if clause is None:
            add(["inkoop", "clausules", i, "id"], f"onbekende clausule {quote(clause_id)}; {suggest(clause_id, knowledge.clauses)}")
            continue
        if clause_id in chosen:
            add(["inkoop", "clausules", i, "id"], f"clausule '{clause_id}' staat al bij /inkoop/clausules/{chosen[clause_id]}")
        chosen.setdefault(clause_id, i)
        for parameter, value in _dict(item.get("parameters")).items():
            path = ["inkoop", "clausules", i, "parameters", parameter]
            for message in clause.parameter_problems(parameter, value):
                add(path, message)
            if parameter in clause.parameters and parameter not in clause.parameters_in(family_for(clause, in_play)):
                family = knowledge.families[family_for(clause, in_play)]
                hint = (f"die noemt de wederpartij '{family.party.name}'" if parameter in parties else
                        "die tekst heeft deze parameter niet")
                add(path, f"parameter '{parameter}' komt niet voor in de tekst die deze clausule hier krijgt, de tekst "
                          f"voor een {family.name} (volgt uit de rol van de provincie); {hint}")
            elif parameter in parties and parameter in clause.parameters:
                first = named.setdefault(parameter, (value, i))
                if first[0] != value:
                    add(path, f"de wederpartij heet in /inkoop/clausules/{first[1]}/parameters/{parameter} al "
                              f"{quote(first[0])}; die naam geldt voor elke clausule, geef haar één keer of overal gelijk")
    _check_consistency(intake, add)
    return problems


def _check_consistency(intake: dict[str, Any], add: Callable[[list[Any], str], None]) -> None:
    """Report, through add, answers in the intake that contradict each other."""
    technology = _dict(intake.get("technologie"))
    if technology.get("bijzondere_persoonsgegevens") is True and technology.get("persoonsgegevens") == "nee":
        add(["technologie", "bijzondere_persoonsgegevens"], "bijzondere persoonsgegevens zijn ook persoonsgegevens: "
            "zet 'persoonsgegevens' op 'ja' of dit veld op false")
    start = _dict(intake.get("project")).get("datum")
    if isinstance(start, str) and _is_date(start) and start > "9998-12-31":  # the re-assessment is a year later
        add(["project", "datum"], f"datum {start} ligt te ver in de toekomst (uiterlijk 9998-12-31)")
    again = _dict(intake.get("ondertekening")).get("herbeoordeling")
    if isinstance(start, str) and isinstance(again, str) and _is_date(start) and _is_date(again) and again < start:
        add(["ondertekening", "herbeoordeling"], f"herbeoordeling ({again}) ligt vóór de intakedatum ({start})")
    chosen = {item.get("instrument"): j for j, item in enumerate(_list(intake.get("instrumenten"))) if isinstance(item, dict)}
    for i, item in enumerate(_list(intake.get("instrumenten_afgewezen"))):
        instrument = _dict(item).get("instrument")
        if isinstance(instrument, str) and instrument in chosen:
            add(["instrumenten_afgewezen", i, "instrument"], f"instrument '{instrument}' is ook gekozen in "
                f"/instrumenten/{chosen[instrument]}; kies het of wijs het af, niet beide")


def _is_date(text: str) -> bool:
    import datetime

    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) is not None


def _pointer_key(problem: Problem) -> tuple[tuple[int, str], ...]:
    parts = (problem.pointer or "").split("/")[1:]
    return _sort_key([int(p) if p.isdigit() else p for p in parts], intake_schema())


def _conforms(intake: Any) -> bool:
    """Return True when the intake certainly satisfies the schema, without importing jsonschema (slow to
    import); False sends it to jsonschema, which finds each problem for the messages."""
    from dossier.conformance import Unsupported, conforms

    try:
        return conforms(intake, intake_schema())
    except (Unsupported, RecursionError):
        return False


def validate(intake: Any, knowledge: Knowledge, name: str) -> None:
    """Return None when the intake is valid; raise InputError listing every problem otherwise."""
    problems = [] if _conforms(intake) else schema_problems(intake, intake_schema(), name)
    if isinstance(intake, dict):
        problems += reference_problems(intake, knowledge, name)
    if problems:
        raise InputError(problems=sorted(problems, key=_pointer_key))
