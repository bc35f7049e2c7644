"""Derivation: what the guide says applies to a project, and why, and what is still open.

Each rule is a small pure function of the intake and the knowledge base that yields
findings; ``derive`` applies RULES in order and folds the findings into one Dossier.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, cast

from dossier.ids import own_value_id
from dossier.intake import ChosenInstrument, Intake, ValueAnswer
from dossier.intake import DrietrapStep as DrietrapAnswer
from dossier.knowledge import Knowledge, families_in_play, family_for
from dossier.labels import in_sentence, labels
from dossier.messages import join_names, pointer
from dossier.model import (
    ActionOption,
    AppliedValue,
    ClauseUse,
    DataSource,
    Decision,
    Dossier,
    DrietrapStep,
    InstrumentPlan,
    Project,
    Rejection,
    Signing,
    Stakeholder,
    Supplier,
    Technology,
    TemplateStamp,
    WeighedReason,
    canonical_json,
)
from dossier.text import text_warnings

VALUE, INSTRUMENT, CLAUSE, OPEN_POINT, WARNING = "waarde", "instrument", "clausule", "open_punt", "waarschuwing"

ALGORITHMIC = ("ai_ml", "algoritme", "generatieve_ai")
DATA_DRIVEN = ("ai_ml", "algoritme", "generatieve_ai", "data_analyse", "locatiedata")
OBSERVING = ("sensoren", "iot", "drones", "camera", "satelliet", "locatiedata")
EARLY_PHASES = ("idee", "verkenning", "pilot")

TECHNOLOGY_NAMES = in_sentence("technologie", "soorten", "*")  # from the schema's x-labels-in-zin
SUPPLY_NAMES = in_sentence("technologie", "leverancier", "levert", "*")
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


def _technology(intake: Intake, kinds: tuple[str, ...]) -> list[str]:
    return [k for k in intake["technologie"]["soorten"] if k in kinds]


# --- rules -----------------------------------------------------------------------------------

def rule_always(intake: Intake, knowledge: Knowledge) -> Iterator[Finding]:
    """Effectiviteit, doelmatigheid and betrokkenheid apply to every project."""
    purpose = "elke inzet van data en digitale technologie moet bijdragen aan het beoogde doel (gids, Tabel 1)"
    yield _value("effectiviteit", purpose)
    yield _value("doelmatigheid", purpose)
    yield _value("betrokkenheid", "belanghebbenden bij elk project in beeld moeten zijn en betrokken moeten worden "
                                  "(gids, Tabel 1 en hoofdstuk 3, thema 5)")


def rule_personal_data(intake: Intake, knowledge: Knowledge) -> Iterator[Finding]:
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


def rule_special_personal_data(intake: Intake, knowledge: Knowledge) -> Iterator[Finding]:
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


def rule_decisions_about_people(intake: Intake, knowledge: Knowledge) -> Iterator[Finding]:
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


def rule_data_driven(intake: Intake, knowledge: Knowledge) -> Iterator[Finding]:
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


def rule_observation(intake: Intake, knowledge: Knowledge) -> Iterator[Finding]:
    """Sensors, drones, cameras, satellites and location data observe people and their property."""
    kinds = _technology(intake, OBSERVING)
    if not kinds:
        return
    names = join_names([TECHNOLOGY_NAMES[k] for k in kinds])
    because = f"het project met {names} mensen en hun eigendommen kan waarnemen"
    yield _value("privacy", because)
    yield _value("autonomie", because)


def rule_residents(intake: Intake, knowledge: Knowledge) -> Iterator[Finding]:
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


def rule_supplier(intake: Intake, knowledge: Knowledge) -> Iterator[Finding]:
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


def rule_lock_in_assessment(intake: Intake, knowledge: Knowledge) -> Iterator[Finding]:
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


def rule_cloud(intake: Intake, knowledge: Knowledge) -> Iterator[Finding]:
    """Cloud services store data elsewhere: where must be agreed in the contract."""
    if "cloud" in intake["technologie"]["soorten"]:
        yield Finding(CLAUSE, "opslaglocatie", "het project clouddiensten gebruikt, waarbij de data buiten de "
                      "provincie worden opgeslagen, en de gids de opslag van data noemt als uitgangspunt voor "
                      "inkoopvoorwaarden (hoofdstuk 3, thema 4)")


def rule_third_party_data(intake: Intake, knowledge: Knowledge) -> Iterator[Finding]:
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


def rule_subsidy(intake: Intake, knowledge: Knowledge) -> Iterator[Finding]:
    """A subsidising province makes open results and data a condition."""
    if "subsidieverstrekker" in intake["rol_provincie"]:
        yield Finding(CLAUSE, "open_data_subsidie", "de provincie subsidie verstrekt en de gids als voorbeeld "
                      "noemt dat uitkomsten en onderliggende data dan voor iedereen toegankelijk zijn "
                      "(hoofdstuk 3, thema 4)")


def rule_early_phase(intake: Intake, knowledge: Knowledge) -> Iterator[Finding]:
    """Early phases call for Begeleidingsethiek: the sooner an instrument is used, the better."""
    phase = intake["project"]["fase"]
    if phase in EARLY_PHASES:
        yield Finding(INSTRUMENT, "begeleidingsethiek", f"het project in de fase '{phase}' is en de gids "
                      "adviseert instrumenten zo vroeg mogelijk in te zetten ('hoe eerder, hoe beter')")


def rule_mentioned_in_weighing(intake: Intake, knowledge: Knowledge) -> Iterator[Finding]:
    """A value weighed for or against the project is at stake, so its guiding question needs an answer."""
    counts: dict[str, dict[str, int]] = {}
    for reason in intake["afweging"]:
        for value_id in dict.fromkeys(reason["waarden"]):
            tally = counts.setdefault(value_id, {"wenselijk": 0, "onwenselijk": 0})
            tally[reason["richting"]] += 1
    for value_id, tally in counts.items():
        sides = [f"{n} keer {side}" for side, n in (("vóór", tally["wenselijk"]), ("tegen", tally["onwenselijk"])) if n]
        yield _value(value_id, f"de waarde in de afweging wordt genoemd ({' en '.join(sides)})")


def dilemmas(intake: Intake) -> list[str]:
    """Return the value ids that appear in both a wenselijk and an onwenselijk reasoning."""
    pro = {v for r in intake["afweging"] if r["richting"] == "wenselijk" for v in r["waarden"]}
    contra = [v for r in intake["afweging"] if r["richting"] == "onwenselijk" for v in r["waarden"]]
    return list(dict.fromkeys(v for v in contra if v in pro))


def rule_dilemma(intake: Intake, knowledge: Knowledge) -> Iterator[Finding]:
    """A value both for and against the project is a real dilemma: Moreel Beraad fits."""
    found = dilemmas(intake)
    if found:
        name_of = value_names(intake, knowledge)
        names = join_names([name_of.get(v, v) for v in found])
        verb = "pleit" if len(found) == 1 else "pleiten"
        yield Finding(INSTRUMENT, "moreel_beraad", f"{names} zowel vóór als tegen het project {verb}: een echt "
                      "dilemma, en Moreel Beraad is de gespreksmethode voor een ethisch dilemma")


def rule_group_size(intake: Intake, knowledge: Knowledge) -> Iterator[Finding]:
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
        fields = {key: clean(item, (*path, key)) for key, item in data.items()}
        return {k: p[0] for k, p in fields.items()}, [w for p in fields.values() for w in p[1]]
    return data, []


def reassessment_date(intake: Intake) -> tuple[str, bool]:
    """Return the re-assessment date and whether it is the default (12 months after the intake date)."""
    given = intake["ondertekening"].get("herbeoordeling")
    if given:
        return given, False
    date = datetime.date.fromisoformat(intake["project"]["datum"])
    try:
        return date.replace(year=date.year + 1).isoformat(), True
    except ValueError:  # 29 February
        return date.replace(year=date.year + 1, day=28).isoformat(), True


def _drietrap_answers(intake: Intake) -> dict[str, DrietrapAnswer]:
    """Return the intake's answer to each of the three questions, by DRIETRAP key."""
    drietrap = intake["drietrap"]
    return {"kan_het": drietrap["kan_het"], "mag_het": drietrap["mag_het"], "willen_we_het": drietrap["willen_we_het"]}


def _sentence(subject: str, verb: str, because: str) -> str:
    return f"{subject} {verb} omdat {because}."


def _reasons(findings: list[Finding], kind: str, sentence: Any, unique: bool) -> dict[str, list[str]]:
    """Return {id: reason sentences} for the findings of one kind, in finding order."""
    reasons: dict[str, list[str]] = {}
    seen: set[tuple[str, str]] = set()  # a set, so n findings cost O(n), not O(n^2)
    for finding in findings:
        if finding.kind == kind and finding.id is not None:
            text = sentence(finding)
            if unique and (finding.id, text) in seen:
                continue
            seen.add((finding.id, text))
            reasons.setdefault(finding.id, []).append(text)
    return reasons


def _values(intake: Intake, knowledge: Knowledge, findings: list[Finding]) -> tuple[AppliedValue, ...]:
    answers: dict[str, tuple[ValueAnswer, str]] = {}
    for i, item in enumerate(intake["waarden"]):
        value_id = item["waarde"] if "waarde" in item else own_value_id(item)
        answers[value_id] = (item, f"/waarden/{i}")
    names = value_names(intake, knowledge)
    reasons = _reasons(findings, VALUE, lambda f: _sentence(names.get(f.id, f.id),
                                                            "is van toepassing", f.because), unique=True)
    relevance = labels("waarden", "*", "relevantie")

    def applied(value_id: str, name: str, question: str, source: str, origin: str, origin_label: str,
                row_number: int | None, item: ValueAnswer | None, where: str | None) -> AppliedValue:
        answer = item.get("antwoord") if item else None
        level = item.get("relevantie") if item else None
        own = tuple(reasons.get(value_id, ()))
        return AppliedValue(
            id=value_id, name=name, question=question, source=source, origin=origin, origin_label=origin_label,
            row_number=row_number, answer=answer, relevance=level, relevance_label=relevance.get(level or "", ""),
            pointer=where, reasons=own,
            explanation=((f"{name} is beantwoord in de intake.",) if answer is not None else ()) + own,
        )

    values = []
    for value in knowledge.values.values():
        if value.id not in answers and value.id not in reasons:
            continue
        answered: tuple[ValueAnswer | None, str | None] = answers.get(value.id, (None, None))
        row = value.row.number if value.row else None
        values.append(applied(value.id, value.name, value.question, value.source,
                              "tabel_1" if value.from_table else "aanvullend",
                              f"Tabel 1, rij {row}" if row else "Aanvullende waarde", row, *answered))
    for value_id, (item, where) in answers.items():
        if "eigen" in item:
            values.append(applied(value_id, item["eigen"]["naam"], item["eigen"]["vraag"], "eigen waarde van het project",
                                  "eigen", "Eigen waarde", None, item, where))
    return tuple(values)


def _instruments(intake: Intake, knowledge: Knowledge, findings: list[Finding]) -> tuple[InstrumentPlan, ...]:
    chosen: dict[str, list[ChosenInstrument]] = {}
    for item in intake["instrumenten"]:
        chosen.setdefault(item["instrument"], []).append(item)
    rejected: dict[str, str] = {item["instrument"]: item["motivatie"] for item in intake.get("instrumenten_afgewezen", [])}
    reasons = _reasons(findings, INSTRUMENT, lambda f: _sentence(knowledge.instruments[f.id].name, "wordt aanbevolen",
                                                                 f.because), unique=False)
    plans = []
    for instrument in knowledge.instruments.values():
        needs = tuple(n.question for n in knowledge.needs if instrument.id in n.instruments)
        own = tuple(reasons.get(instrument.id, ()))
        entries: list[ChosenInstrument | None] = list(chosen.get(instrument.id, []))
        if not entries and instrument.id in reasons:
            entries = [None]
        for entry in entries:
            plans.append(InstrumentPlan(
                instrument, chosen=entry is not None, motivation=entry["motivatie"] if entry else "",
                planning=entry.get("planning") if entry else None, facilitator=entry.get("begeleider") if entry else None,
                participants=entry.get("deelnemers") if entry else None,
                rejection=rejected.get(instrument.id) if entry is None else None, needs=needs, reasons=own,
                explanation=((f"Gekozen in de intake: {entry['motivatie']}",) if entry else ()) + own,
            ))
    return tuple(plans)


def _clauses(intake: Intake, knowledge: Knowledge, findings: list[Finding]) -> tuple[ClauseUse, ...]:
    selected = {item["id"]: item.get("parameters", {}) for item in intake.get("inkoop", {}).get("clausules", [])}
    reasons = _reasons(findings, CLAUSE, lambda f: _sentence(f"Clausule '{knowledge.clauses[f.id].title}'", "is vereist",
                                                             f.because), unique=True)
    used = [clause for clause in knowledge.clauses.values() if clause.id in selected or clause.id in reasons]
    in_play, shared = families_in_play(intake), knowledge.intake_values(intake)
    return tuple(ClauseUse.fill(number, clause, knowledge.families[family_for(clause, in_play)],
                                knowledge.topics[clause.topic].name, {**shared, **selected.get(clause.id, {})},
                                clause.id in selected, tuple(reasons.get(clause.id, ())))
                 for number, clause in enumerate(used, 1))


def _open_points(intake: Intake, findings: list[Finding], values: tuple[AppliedValue, ...],
                 instruments: tuple[InstrumentPlan, ...], knowledge: Knowledge) -> list[str]:
    points = []
    answers = _drietrap_answers(intake)
    for key, question, _ in DRIETRAP:
        verdict = answers[key]["oordeel"]
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
        if not plan.chosen and plan.rejection is None:
            points.append(f"Instrument '{plan.instrument.name}' wordt aanbevolen maar is niet gekozen: neem het op "
                          "in 'instrumenten' of motiveer in 'instrumenten_afgewezen' waarom niet.")
    return points


# --- the intake's own answers, with their Dutch labels --------------------------------------

def _project(intake: Intake) -> Project:
    project = intake["project"]
    return Project(project["naam"], project["provincie"], project.get("afdeling") or None, project["projectleider"],
                   project["adviseur"], project["datum"], project["fase"],
                   labels("project", "fase")[project["fase"]], project["centrale_vraag"], project["beschrijving"])


def _technology_facts(intake: Intake) -> Technology:
    technology = intake["technologie"]
    supplier = technology.get("leverancier")
    supplies = labels("technologie", "leverancier", "levert", "*")
    origins = labels("technologie", "databronnen", "*", "herkomst")
    dpia = technology.get("dpia")
    return Technology(
        kinds_labels=tuple(labels("technologie", "soorten", "*")[k] for k in technology["soorten"]),
        personal_data_label=labels("technologie", "persoonsgegevens")[technology["persoonsgegevens"]],
        special_personal_data=technology.get("bijzondere_persoonsgegevens"),
        decisions_about_people=technology["besluitvorming_over_personen"],
        citizen_contact=technology.get("burgercontact"),
        dpia_label=labels("technologie", "dpia")[dpia] if dpia else None,
        data_sources=tuple(DataSource(s["naam"], origins[s["herkomst"]], s.get("toelichting", ""),
                                      s.get("ketenverantwoordelijkheid", ""))
                           for s in technology.get("databronnen", [])),
        supplier=Supplier(supplier["naam"], tuple(supplies[x] for x in supplier["levert"])) if supplier else None,
    )


def _drietrap(intake: Intake) -> tuple[DrietrapStep, ...]:
    verdicts, answers = labels("drietrap", "kan_het", "oordeel"), _drietrap_answers(intake)
    return tuple(DrietrapStep(key, question, meaning, answers[key]["oordeel"], verdicts[answers[key]["oordeel"]],
                              answers[key]["toelichting"]) for key, question, meaning in DRIETRAP)


def _other_rejections(intake: Intake, knowledge: Knowledge, plans: tuple[InstrumentPlan, ...]) -> tuple[Rejection, ...]:
    """Return the intake's rejections not shown with a recommended instrument (so no motivation gets lost):
    a rejection of an instrument that is not recommended, or rejected more than once. (Validation
    refuses an instrument that is both chosen and rejected.)"""
    shown = [(p.instrument.id, p.rejection) for p in plans if not p.chosen and p.rejection]
    other = []
    for rejection in intake.get("instrumenten_afgewezen", []):
        key = (rejection["instrument"], rejection["motivatie"])
        if key in shown:
            shown.remove(key)
            continue
        other.append(Rejection(knowledge.instruments[rejection["instrument"]].name, rejection["motivatie"]))
    return tuple(other)


def _names(ids: list[str], names: Mapping[str, str]) -> tuple[str, ...]:
    return tuple(names.get(v, v) for v in ids)


def derive(intake: Intake, knowledge: Knowledge, template: TemplateStamp) -> Dossier:
    """Return the dossier for a validated intake, made for template: everything every writer shows."""
    canonical = canonical_json(intake)
    cleaned_data, warnings = clean(intake)
    cleaned = cast(Intake, cleaned_data)
    warnings += text_warnings(cleaned)
    for raw, item in zip(intake["waarden"], cleaned["waarden"], strict=True):
        if "eigen" in item:  # keep the id validation saw: cleaning a name must not merge two values
            item["eigen"]["id"] = own_value_id(raw)
    findings = [finding for rule in RULES for finding in rule(cleaned, knowledge)]
    values = _values(cleaned, knowledge, findings)
    instruments = _instruments(cleaned, knowledge, findings)
    reassessment, is_default = reassessment_date(cleaned)
    names = {v.id: v.name for v in values} | {v.id: v.name for v in knowledge.values.values()}
    applicable = {v.id for v in values}
    signing = cleaned["ondertekening"]
    status = labels("handelingsopties", "*", "status")
    assessment = cleaned.get("inkoop", {}).get("lock_in_beoordeling")
    return Dossier(
        knowledge=knowledge,
        canonical_intake=canonical,
        template=template,
        project=_project(cleaned),
        roles_labels=tuple(labels("rol_provincie", "*")[r] for r in cleaned["rol_provincie"]),
        technology=_technology_facts(cleaned),
        drietrap=_drietrap(cleaned),
        values=values,
        values_not_applicable=tuple(v for v in knowledge.values.values() if v.id not in applicable and v.row is not None),
        dilemmas=tuple(dilemmas(cleaned)),
        dilemma_names=_names(dilemmas(cleaned), names),
        weighing=tuple(WeighedReason(r["richting"], _names(r["waarden"], names), r["omdat"]) for r in cleaned["afweging"]),
        stakeholders=tuple(Stakeholder(b["partij"], b.get("rol", ""), b.get("wijze_van_betrekken", ""))
                           for b in cleaned.get("betrokkenen", [])),
        options=tuple(ActionOption(h["maatregel"], _names(h.get("waarden", []), names), h.get("eigenaar", ""),
                                   status.get(h.get("status", ""), "")) for h in cleaned.get("handelingsopties", [])),
        instruments=instruments,
        other_rejections=_other_rejections(cleaned, knowledge, instruments),
        clauses=_clauses(cleaned, knowledge, findings),
        decisions=tuple(Decision(i, d["besluit"], d.get("risico", ""), d.get("toelichting", ""))
                        for i, d in enumerate(cleaned.get("besluiten", []), 1)),
        signing=Signing(signing["gedeputeerde"], signing["portefeuille"], signing.get("ambtelijk_opdrachtgever") or "",
                        reassessment, is_default),
        open_points=tuple(_open_points(cleaned, findings, values, instruments, knowledge)),
        warnings=tuple(warnings + [f.because for f in findings if f.kind == WARNING]),
        families_in_play=families_in_play(cleaned),
        clause_values=knowledge.intake_values(cleaned),
        lock_in_assessment=(assessment["datum"], assessment["uitkomst"]) if assessment else None,
        value_names=names,
    )
