"""Check an intake against the JSON Schema and the knowledge base; report every problem in Dutch."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, cast

from dossier.conformance import Unsupported, conforms
from dossier.errors import DossierError, InputError, Problem
from dossier.ids import own_value_id
from dossier.intake import Intake
from dossier.knowledge import Knowledge, default_knowledge, families_in_play, family_for
from dossier.labels import check_labels
from dossier.load import load_intake
from dossier.messages import pointer, quote, suggest
from dossier.schema import document_order, intake_schema, schema_problems


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

    for section in ("instrumenten", "instrumenten_afgewezen"):  # the schema lists them; a custom knowledge base may not
        for i, item in enumerate(_list(intake.get(section))):
            instrument = _dict(item).get("instrument")
            if isinstance(instrument, str) and instrument not in knowledge.instruments:
                add([section, i, "instrument"], f"instrument {quote(instrument)} staat niet in de kennisbank "
                    f"(versie {knowledge.version}); {suggest(instrument, knowledge.instruments)}")

    chosen: dict[str, int] = {}
    parties = {family.party.name for family in knowledge.families.values()}
    named: dict[str, tuple[Any, int]] = {}  # party parameter: (value, clause index) where first set
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
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) is not None


def _pointer_key(problem: Problem) -> tuple[tuple[int, str], ...]:
    parts = (problem.pointer or "").split("/")[1:]
    return document_order([int(p) if p.isdigit() else p for p in parts], intake_schema())


def _conforms(intake: Any) -> bool:
    """Return True when the intake certainly satisfies the schema, without importing jsonschema (slow to
    import); False sends it to jsonschema, which finds each problem for the messages."""
    try:
        return conforms(intake, intake_schema())
    except (Unsupported, RecursionError):
        return False


def load_valid(path: Path | str, knowledge: Knowledge) -> Intake:
    """Return the intake of a file once it is valid; raise InputError listing every problem."""
    return validate(load_intake(path), knowledge, str(path))


def validate_files(paths: Sequence[str]) -> Iterator[tuple[str, DossierError | None]]:
    """Yield (path, None) for each valid intake and (path, error) for each invalid one.

    Raises KnowledgeError first when the knowledge base, or a label of the packaged schema, is broken:
    an intake is never called valid that a build would then fail on.
    """
    check_labels()
    knowledge = default_knowledge()
    for path in paths:
        try:
            load_valid(path, knowledge)
        except DossierError as err:
            yield path, err
        else:
            yield path, None


def validate(data: object, knowledge: Knowledge, name: str) -> Intake:
    """Return the data as a typed Intake once it is valid; raise InputError listing every problem otherwise."""
    problems = [] if _conforms(data) else schema_problems(data, intake_schema(), name)
    if isinstance(data, dict):
        problems += reference_problems(data, knowledge, name)
    if problems:
        raise InputError(problems=sorted(problems, key=_pointer_key))
    return cast(Intake, data)
