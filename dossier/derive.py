"""Derivation: what the guide says applies to a project, and why, and what is still open.

Each rule is a small pure function of the intake and the knowledge base that yields
findings; ``derive`` applies RULES in order and folds the findings into one Dossier.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from dossier.knowledge import Knowledge
from dossier.model import AppliedValue, ClauseUse, Dossier, InstrumentPlan
from dossier.text import text_warnings
from dossier.validate import own_value_id, pointer

VALUE, INSTRUMENT, CLAUSE, OPEN_POINT, WARNING = "waarde", "instrument", "clausule", "open_punt", "waarschuwing"

ALGORITHMIC = ("ai_ml", "algoritme", "generatieve_ai")
DATA_DRIVEN = ("ai_ml", "algoritme", "generatieve_ai", "data_analyse", "locatiedata")
OBSERVING = ("sensoren", "iot", "drones", "camera", "satelliet", "locatiedata")
EARLY_PHASES = ("idee", "verkenning", "pilot")

TECHNOLOGY_NAMES = {
    "sensoren": "sensoren", "iot": "Internet of Things", "drones": "drones", "satelliet": "satellietbeelden",
    "camera": "camera's", "locatiedata": "locatiedata", "ai_ml": "AI/machine learning",
    "generatieve_ai": "generatieve AI", "algoritme": "algoritmen", "data_analyse": "data-analyse",
    "platform": "een platform", "cloud": "cloud", "chatbot": "een chatbot", "blockchain": "blockchain",
    "ar_vr": "AR/VR", "robotica": "robotica",
}
SUPPLY_NAMES = {"algoritme": "een algoritme", "data": "data", "software": "software", "hosting": "hosting",
                "hardware": "hardware", "advies": "advies"}
DATA_SUPPLIES = ("data", "software", "hosting", "algoritme")
DRIETRAP = (("kan_het", "Kan het?", "Is het technisch mogelijk?"),
            ("mag_het", "Mag het?", "Is het juridisch toegestaan?"),
            ("willen_we_het", "Willen we het?", "Is het ethisch wenselijk?"))

# XML 1.0 cannot hold these; docxtpl would drop them silently or truncate after a lone surrogate. C1 controls
# (U+007F-U+009F) are legal XML but invisible, or a line break (U+0085) Word does not show: removed alike.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


@dataclass(frozen=True)
class Finding:
    """One conclusion of a rule: a value, instrument or clause that applies, an open point or a warning."""

    kind: str
    id: str | None
    because: str


def _value(value_id: str, because: str) -> Finding:
    return Finding(VALUE, value_id, because)


def join_names(items: list[str]) -> str:
    """Return 'A', 'A en B' or 'A, B en C'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " en " + items[-1]


def _technology(intake: Mapping[str, Any], kinds: tuple[str, ...]) -> list[str]:
    return [k for k in intake["technologie"]["soorten"] if k in kinds]


# --- rules -----------------------------------------------------------------------------------

def rule_always(intake: Mapping[str, Any], knowledge: Knowledge) -> Iterator[Finding]:
    """Effectiviteit, doelmatigheid and betrokkenheid apply to every project."""
    purpose = "elke inzet van data en digitale technologie moet bijdragen aan het beoogde doel (gids, Tabel 1)"
    yield _value("effectiviteit", purpose)
    yield _value("doelmatigheid", purpose)
    yield _value("betrokkenheid", "belanghebbenden bij elk project in beeld moeten zijn en betrokken moeten worden "
                                  "(gids, Tabel 1 en hoofdstuk 3, thema 5)")


def rule_personal_data(intake: Mapping[str, Any], knowledge: Knowledge) -> Iterator[Finding]:
    """Personal data (or not knowing) brings privacy and veiligheid; not knowing is an open point."""
    answer = intake["technologie"]["persoonsgegevens"]
    if answer == "nee":
        return
    because = ("het project persoonsgegevens verwerkt" if answer == "ja"
               else "nog niet vaststaat of het project persoonsgegevens verwerkt")
    yield _value("privacy", because)
    yield _value("veiligheid", because)
    if answer == "onbekend":
        yield Finding(OPEN_POINT, None, "Stel vast of het project persoonsgegevens verwerkt "
                      "(/technologie/persoonsgegevens is 'onbekend') en of daarvoor een DPIA nodig is.")


def rule_special_personal_data(intake: Mapping[str, Any], knowledge: Knowledge) -> Iterator[Finding]:
    """Special categories of personal data bring privacy and non-discriminatie, and a DPIA."""
    technology = intake["technologie"]
    if not technology.get("bijzondere_persoonsgegevens"):
        return
    because = "het project bijzondere persoonsgegevens verwerkt"
    yield _value("privacy", because)
    yield _value("non_discriminatie", because)
    if technology.get("dpia") != "uitgevoerd":
        yield Finding(OPEN_POINT, None, "Er worden bijzondere persoonsgegevens verwerkt: voer een DPIA uit "
                      "(in de regel verplicht, AVG artikel 35) en leg dat vast in /technologie/dpia.")


def rule_decisions_about_people(intake: Mapping[str, Any], knowledge: Knowledge) -> Iterator[Finding]:
    """Output that influences decisions about people calls for fairness, openness and accountability."""
    if not intake["technologie"]["besluitvorming_over_personen"]:
        return
    because = "de uitkomsten besluiten over personen of organisaties beïnvloeden"
    for value_id in ("non_discriminatie", "transparantie", "verantwoording", "autonomie"):
        yield _value(value_id, because)
    algorithmic = _technology(intake, ALGORITHMIC)
    if algorithmic:
        names = join_names([TECHNOLOGY_NAMES[k] for k in algorithmic])
        yield Finding(INSTRUMENT, "iama", f"{names} meeweegt in besluiten over personen of organisaties; "
                      "het IAMA is de ethische toets op mensenrechten voor algoritmes")


def rule_data_driven(intake: Mapping[str, Any], knowledge: Knowledge) -> Iterator[Finding]:
    """Algorithms, AI and data analysis must be reliable and explainable; DEDA fits data projects."""
    kinds = _technology(intake, DATA_DRIVEN)
    if not kinds:
        return
    names = join_names([TECHNOLOGY_NAMES[k] for k in kinds])
    because = f"het project {names} gebruikt, waarvan de uitkomsten betrouwbaar en uitlegbaar moeten zijn"
    yield _value("betrouwbaarheid", because)
    yield _value("transparantie", because)
    yield Finding(INSTRUMENT, "deda", f"het een dataproject is ({names}); DEDA helpt het team de ethische "
                  "kwesties in dataprojecten te herkennen")


def rule_observation(intake: Mapping[str, Any], knowledge: Knowledge) -> Iterator[Finding]:
    """Sensors, drones, cameras, satellites and location data observe people and their property."""
    kinds = _technology(intake, OBSERVING)
    if not kinds:
        return
    names = join_names([TECHNOLOGY_NAMES[k] for k in kinds])
    because = f"het project met {names} mensen en hun eigendommen kan waarnemen"
    yield _value("privacy", because)
    yield _value("autonomie", because)


def rule_residents(intake: Mapping[str, Any], knowledge: Knowledge) -> Iterator[Finding]:
    """Direct contact with residents, chatbots and generative AI risk excluding people."""
    if intake["technologie"].get("burgercontact"):
        yield _value("inclusie", "inwoners rechtstreeks met de toepassing in contact komen en niemand "
                                 "mag worden buitengesloten")
    kinds = _technology(intake, ("generatieve_ai", "chatbot"))
    if kinds:
        names = join_names([TECHNOLOGY_NAMES[k] for k in kinds])
        because = (f"het project {names} inzet, wat minder digitaal vaardige inwoners kan buitensluiten "
                   "en onjuiste antwoorden kan geven")
        for value_id in ("inclusie", "betrouwbaarheid", "transparantie"):
            yield _value(value_id, because)


def rule_supplier(intake: Mapping[str, Any], knowledge: Knowledge) -> Iterator[Finding]:
    """A supplier brings lock-in and data ownership clauses; what it supplies decides the rest."""
    supplier = intake["technologie"].get("leverancier")
    if not supplier:
        return
    name, supplies = supplier["naam"], supplier["levert"]
    what = join_names([SUPPLY_NAMES[x] for x in supplies])
    yield Finding(CLAUSE, "vendor_lock_in", f"de provincie {what} afneemt van een externe leverancier ({name}) en de "
                  "gids vraagt het gevaar van vendor lock-in vóór het contract te beoordelen (hoofdstuk 3, thema 4)")
    yield Finding(CLAUSE, "data_eigendom", f"er een externe leverancier is ({name}) en vooraf moet vastliggen dat de "
                  "provincie zeggenschap heeft over de data die zij ontvangt (hoofdstuk 3, thema 4)")
    handles_data = [SUPPLY_NAMES[x] for x in supplies if x in DATA_SUPPLIES]
    if handles_data and intake["technologie"]["persoonsgegevens"] != "nee":
        yield Finding(CLAUSE, "bewaartermijnen", f"de leverancier ({name}) {join_names(handles_data)} levert, zo "
                      "gegevens verwerkt die persoonsgegevens kunnen bevatten, en de gids bewaartermijnen noemt als "
                      "uitgangspunt voor inkoopvoorwaarden (hoofdstuk 3, thema 4)")
    if "hosting" in supplies:
        yield Finding(CLAUSE, "opslaglocatie", f"de leverancier ({name}) de data host en de gids de opslag van data "
                      "noemt als uitgangspunt voor inkoopvoorwaarden (hoofdstuk 3, thema 4)")
    if "algoritme" in supplies:
        yield Finding(CLAUSE, "algoritme_inzage", f"de leverancier ({name}) een algoritme levert dat de provincie "
                      "moet kunnen inzien en laten testen op nauwkeurigheid en functionele correctheid")
        because = f"de provincie een algoritme van een derde partij ({name}) gebruikt"
        yield _value("transparantie", because)
        yield _value("verantwoording", because)
        if intake["technologie"]["besluitvorming_over_personen"]:
            yield Finding(CLAUSE, "menselijk_toezicht", f"een algoritme van de leverancier ({name}) meeweegt in "
                          "besluiten over personen of organisaties en er altijd een mens moet kunnen ingrijpen "
                          "(gids, casus 2)")


LOCK_IN_SUPPLIES = ("software", "hosting", "algoritme")


def rule_lock_in_assessment(intake: Mapping[str, Any], knowledge: Knowledge) -> Iterator[Finding]:
    """A supplier of software, hosting, an algorithm or a platform needs the province's own lock-in assessment."""
    supplier = intake["technologie"].get("leverancier")
    if not supplier or "lock_in_beoordeling" in intake.get("inkoop", {}):
        return
    supplied = [SUPPLY_NAMES[x] for x in supplier["levert"] if x in LOCK_IN_SUPPLIES]
    platform = "platform" in intake["technologie"]["soorten"]
    if not supplied and not platform:
        return
    facts = [f"levert {join_names(supplied)}"] if supplied else []
    facts += ["het project gebruikt een platform"] if platform else []
    yield Finding(OPEN_POINT, None, f"Beoordeel vóór het sluiten van het contract met de leverancier "
                  f"({supplier['naam']}; {' en '.join(facts)}) het gevaar van vendor lock-in, zoals de gids vraagt "
                  "(hoofdstuk 3, thema 4), en leg datum en uitkomst vast in /inkoop/lock_in_beoordeling.")


def rule_cloud(intake: Mapping[str, Any], knowledge: Knowledge) -> Iterator[Finding]:
    """Cloud services store data elsewhere: where must be agreed in the contract."""
    if "cloud" in intake["technologie"]["soorten"]:
        yield Finding(CLAUSE, "opslaglocatie", "het project clouddiensten gebruikt, waarbij de data buiten de "
                      "provincie worden opgeslagen, en de gids de opslag van data noemt als uitgangspunt voor "
                      "inkoopvoorwaarden (hoofdstuk 3, thema 4)")


def rule_third_party_data(intake: Mapping[str, Any], knowledge: Knowledge) -> Iterator[Finding]:
    """Data bought from third parties needs openness, proof of lawful origin and chain responsibility."""
    for i, source in enumerate(intake["technologie"].get("databronnen", [])):
        if source["herkomst"] != "derde_partij":
            continue
        name = source["naam"]
        yield _value("transparantie", f"het project data van een derde partij gebruikt ({name})")
        yield Finding(CLAUSE, "rechtmatige_herkomst", f"het project data van een derde partij gebruikt ({name}), "
                      "waarvan de rechtmatige herkomst in de hele keten moet vaststaan (gids, casus 3)")
        if not source.get("ketenverantwoordelijkheid"):
            yield Finding(OPEN_POINT, None, f"Beschrijf hoe de provincie haar ketenverantwoordelijkheid invult voor "
                          f"databron '{name}' (derde partij): hoe is aangetoond dat de data rechtmatig zijn "
                          f"verkregen? Leg dit vast in /technologie/databronnen/{i}/ketenverantwoordelijkheid.")


def rule_subsidy(intake: Mapping[str, Any], knowledge: Knowledge) -> Iterator[Finding]:
    """A subsidising province makes open results and data a condition."""
    if "subsidieverstrekker" in intake["rol_provincie"]:
        yield Finding(CLAUSE, "open_data_subsidie", "de provincie subsidie verstrekt en de gids als voorbeeld "
                      "noemt dat uitkomsten en onderliggende data dan voor iedereen toegankelijk zijn "
                      "(hoofdstuk 3, thema 4)")


def rule_early_phase(intake: Mapping[str, Any], knowledge: Knowledge) -> Iterator[Finding]:
    """Early phases call for Begeleidingsethiek: the sooner an instrument is used, the better."""
    phase = intake["project"]["fase"]
    if phase in EARLY_PHASES:
        yield Finding(INSTRUMENT, "begeleidingsethiek", f"het project in de fase '{phase}' is en de gids "
                      "adviseert instrumenten zo vroeg mogelijk in te zetten ('hoe eerder, hoe beter')")


def rule_mentioned_in_weighing(intake: Mapping[str, Any], knowledge: Knowledge) -> Iterator[Finding]:
    """A value weighed for or against the project is at stake, so its guiding question needs an answer."""
    counts: dict[str, dict[str, int]] = {}
    for reason in intake["afweging"]:
        for value_id in dict.fromkeys(reason["waarden"]):
            tally = counts.setdefault(value_id, {"wenselijk": 0, "onwenselijk": 0})
            tally[reason["richting"]] += 1
    for value_id, tally in counts.items():
        sides = [f"{n} keer {side}" for side, n in (("vóór", tally["wenselijk"]), ("tegen", tally["onwenselijk"])) if n]
        yield _value(value_id, f"de waarde in de afweging wordt genoemd ({' en '.join(sides)})")


def dilemmas(intake: Mapping[str, Any]) -> list[str]:
    """Return the value ids that appear in both a wenselijk and an onwenselijk reasoning."""
    pro = {v for r in intake["afweging"] if r["richting"] == "wenselijk" for v in r["waarden"]}
    contra = [v for r in intake["afweging"] if r["richting"] == "onwenselijk" for v in r["waarden"]]
    return list(dict.fromkeys(v for v in contra if v in pro))


def rule_dilemma(intake: Mapping[str, Any], knowledge: Knowledge) -> Iterator[Finding]:
    """A value both for and against the project is a real dilemma: Moreel Beraad fits."""
    found = dilemmas(intake)
    if found:
        name_of = value_names(intake, knowledge)
        names = join_names([name_of.get(v, v) for v in found])
        verb = "pleit" if len(found) == 1 else "pleiten"
        yield Finding(INSTRUMENT, "moreel_beraad", f"{names} zowel vóór als tegen het project {verb}: een echt "
                      "dilemma, en Moreel Beraad is de gespreksmethode voor een ethisch dilemma")


def rule_group_size(intake: Mapping[str, Any], knowledge: Knowledge) -> Iterator[Finding]:
    """A chosen instrument planned outside the guide's group size gets a warning."""
    for i, chosen in enumerate(intake["instrumenten"]):
        instrument = knowledge.instruments[chosen["instrument"]]
        low, high, count = instrument.conditions.group_min, instrument.conditions.group_max, chosen.get("deelnemers")
        if count is None or low is None or high is None or low <= count <= high:
            continue
        yield Finding(WARNING, chosen["instrument"], f"{instrument.name} (/instrumenten/{i}) is gepland met "
                      f"{count} deelnemers; de gids noemt een groep van {low}-{high} deelnemers.")


RULES = (
    rule_always,
    rule_personal_data,
    rule_special_personal_data,
    rule_decisions_about_people,
    rule_data_driven,
    rule_observation,
    rule_residents,
    rule_supplier,
    rule_lock_in_assessment,
    rule_cloud,
    rule_third_party_data,
    rule_subsidy,
    rule_early_phase,
    rule_mentioned_in_weighing,
    rule_dilemma,
    rule_group_size,
)


# --- folding findings into the dossier --------------------------------------------------------

def value_names(intake: Mapping[str, Any], knowledge: Knowledge) -> dict[str, str]:
    """Return the name of every value id: the knowledge base's, else the project's own value's.

    Built once per use and looked up per item, so naming n values costs O(n), not O(n^2).
    """
    own = {own_value_id(item): item["eigen"]["naam"] for item in intake["waarden"] if "eigen" in item}
    return own | {value_id: value.name for value_id, value in knowledge.values.items()}


def clean(data: Any, path: tuple[Any, ...] = ()) -> tuple[Any, list[str]]:
    """Return a copy without characters XML cannot hold, plus one warning per field that had them."""
    if isinstance(data, str):
        removed = XML_ILLEGAL.findall(data)
        if not removed:
            return data, []
        codes = ", ".join(dict.fromkeys(f"U+{ord(c):04X}" for c in removed))
        return XML_ILLEGAL.sub("", data), [f"Uit {pointer(path) or '/'} zijn {len(removed)} teken(s) verwijderd "
                                           f"die een Word-document niet kan bevatten ({codes})."]
    if isinstance(data, list):
        pairs = [clean(item, (*path, i)) for i, item in enumerate(data)]
        return [p[0] for p in pairs], [w for p in pairs for w in p[1]]
    if isinstance(data, dict):
        pairs = {key: clean(item, (*path, key)) for key, item in data.items()}
        return {k: p[0] for k, p in pairs.items()}, [w for p in pairs.values() for w in p[1]]
    return data, []


def reassessment_date(intake: Mapping[str, Any]) -> tuple[str, bool]:
    """Return the re-assessment date and whether it is the default (12 months after the intake date)."""
    given = intake["ondertekening"].get("herbeoordeling")
    if given:
        return given, False
    date = datetime.date.fromisoformat(intake["project"]["datum"])
    try:
        return date.replace(year=date.year + 1).isoformat(), True
    except ValueError:  # 29 February
        return date.replace(year=date.year + 1, day=28).isoformat(), True


def _sentence(subject: str, verb: str, because: str) -> str:
    return f"{subject} {verb} omdat {because}."


def _values(intake: Mapping[str, Any], knowledge: Knowledge, findings: list[Finding]) -> tuple[AppliedValue, ...]:
    answers = {}
    for i, item in enumerate(intake["waarden"]):
        value_id = item["waarde"] if "waarde" in item else own_value_id(item)
        answers[value_id] = (item, f"/waarden/{i}")
    names = value_names(intake, knowledge)
    reasons: dict[str, dict[str, None]] = {}  # per value its distinct sentences, in order (a dict: O(1) lookup)
    for finding in findings:
        if finding.kind == VALUE:
            sentence = _sentence(names.get(finding.id, finding.id), "is van toepassing", finding.because)
            reasons.setdefault(finding.id, {})[sentence] = None
    applied = []
    for value in knowledge.values.values():
        if value.id not in answers and value.id not in reasons:
            continue
        item, where = answers.get(value.id, ({}, None))
        applied.append(AppliedValue(
            id=value.id, name=value.name, question=value.question, source=value.source,
            origin="tabel_1" if value.from_table else "aanvullend", row_number=value.row.number if value.row else None,
            answer=item.get("antwoord"), relevance=item.get("relevantie"), pointer=where,
            reasons=tuple(reasons.get(value.id, ())),
        ))
    for value_id, (item, where) in answers.items():
        if "eigen" in item:
            applied.append(AppliedValue(
                id=value_id, name=item["eigen"]["naam"], question=item["eigen"]["vraag"], source="eigen waarde van het project",
                origin="eigen", row_number=None, answer=item["antwoord"], relevance=item.get("relevantie"),
                pointer=where, reasons=tuple(reasons.get(value_id, ())),
            ))
    return tuple(applied)


def _instruments(intake: Mapping[str, Any], knowledge: Knowledge, findings: list[Finding]) -> tuple[InstrumentPlan, ...]:
    chosen: dict[str, list[Mapping[str, Any]]] = {}
    for item in intake["instrumenten"]:
        chosen.setdefault(item["instrument"], []).append(item)
    rejected = {item["instrument"]: item["motivatie"] for item in intake.get("instrumenten_afgewezen", [])}
    reasons: dict[str, list[str]] = {}
    for finding in findings:
        if finding.kind == INSTRUMENT:
            name = knowledge.instruments[finding.id].name
            reasons.setdefault(finding.id, []).append(_sentence(name, "wordt aanbevolen", finding.because))
    plans = []
    for instrument in knowledge.instruments.values():
        needs = tuple(n.question for n in knowledge.needs if instrument.id in n.instruments)
        entries = chosen.get(instrument.id) or ([None] if instrument.id in reasons else [])
        for entry in entries:
            plans.append(InstrumentPlan(instrument, entry, rejected.get(instrument.id) if entry is None else None,
                                        needs, tuple(reasons.get(instrument.id, ()))))
    return tuple(plans)


def _clauses(intake: Mapping[str, Any], knowledge: Knowledge, findings: list[Finding]) -> tuple[ClauseUse, ...]:
    selected = {item["id"]: item.get("parameters", {}) for item in intake.get("inkoop", {}).get("clausules", [])}
    reasons: dict[str, dict[str, None]] = {}  # per clause its distinct sentences, in order
    for finding in findings:
        if finding.kind == CLAUSE:
            title = knowledge.clauses[finding.id].title
            reasons.setdefault(finding.id, {})[_sentence(f"Clausule '{title}'", "is vereist", finding.because)] = None
    return tuple(
        ClauseUse(clause, clause.id in selected, selected.get(clause.id, {}), tuple(reasons.get(clause.id, ())))
        for clause in knowledge.clauses.values() if clause.id in selected or clause.id in reasons
    )


def _open_points(intake: Mapping[str, Any], findings: list[Finding], values: tuple[AppliedValue, ...],
                 instruments: tuple[InstrumentPlan, ...], knowledge: Knowledge) -> list[str]:
    points = []
    for key, question, _ in DRIETRAP:
        verdict = intake["drietrap"][key]["oordeel"]
        if verdict == "nee":
            points.append(f"Het oordeel op '{question}' is 'nee': het project kan in deze vorm niet door. Pas het "
                          "project aan of leg deze uitkomst zo aan de gedeputeerde voor.")
        elif verdict == "onbekend":
            points.append(f"'{question}' is nog niet beantwoord (oordeel 'onbekend', /drietrap/{key}).")
    points += [f.because for f in findings if f.kind == OPEN_POINT]
    for value in values:
        if not value.answered:
            points.append(f"Waarde '{value.name}' is van toepassing maar niet beantwoord: neem in 'waarden' een "
                          f"antwoord op de begeleidende vraag op ({value.id}).")
    addressed = {v for option in intake.get("handelingsopties", []) for v in option.get("waarden", [])}
    name_of = value_names(intake, knowledge)
    for i, reason in enumerate(intake["afweging"]):
        missing = [v for v in dict.fromkeys(reason["waarden"]) if v not in addressed]
        if reason["richting"] == "onwenselijk" and missing:
            names = join_names([name_of.get(v, v) for v in missing])
            points.append(f"De reden tegen het project in /afweging/{i} raakt {names}, maar geen handelingsoptie "
                          "beschermt die waarde(n): voeg een maatregel toe in 'handelingsopties'.")
    for plan in instruments:
        if plan.chosen is None and plan.rejection is None:
            points.append(f"Instrument '{plan.instrument.name}' wordt aanbevolen maar is niet gekozen: neem het op "
                          "in 'instrumenten' of motiveer in 'instrumenten_afgewezen' waarom niet.")
    return points


def derive(intake: Mapping[str, Any], knowledge: Knowledge) -> Dossier:
    """Return the dossier for a validated intake: applicable values, instruments, clauses, open points."""
    cleaned, warnings = clean(intake)
    warnings += text_warnings(cleaned)
    for raw, item in zip(intake["waarden"], cleaned["waarden"], strict=True):
        if "eigen" in item:  # keep the id validation saw: cleaning a name must not merge two values
            item["eigen"]["id"] = own_value_id(raw)
    findings = [finding for rule in RULES for finding in rule(cleaned, knowledge)]
    values = _values(cleaned, knowledge, findings)
    instruments = _instruments(cleaned, knowledge, findings)
    reassessment, is_default = reassessment_date(cleaned)
    return Dossier(
        intake=cleaned,
        knowledge=knowledge,
        values=values,
        instruments=instruments,
        clauses=_clauses(cleaned, knowledge, findings),
        open_points=tuple(_open_points(cleaned, findings, values, instruments, knowledge)),
        warnings=tuple(warnings + [f.because for f in findings if f.kind == WARNING]),
        reassessment=reassessment,
        reassessment_is_default=is_default,
        dilemmas=tuple(dilemmas(cleaned)),
    )
