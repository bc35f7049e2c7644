"""Turn a Dossier into the plain context the Word template receives (and --dump-context writes).

All wording and selection happens here; the template only places strings, loops and ifs.
"""

from __future__ import annotations

import datetime
from typing import Any

from dossier import __version__
from dossier.derive import DRIETRAP, join_names
from dossier.model import DERIVED, INTAKE, Dossier

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
          "oktober", "november", "december")
LABELS = {
    "fase": {"idee": "Idee", "verkenning": "Verkenning", "pilot": "Pilot", "implementatie": "Implementatie",
             "beheer": "Beheer", "evaluatie": "Evaluatie"},
    "rol": {"uitvoerder": "Uitvoerder", "opdrachtgever": "Opdrachtgever", "beleidsmaker": "Beleidsmaker",
            "subsidieverstrekker": "Subsidieverstrekker", "toezichthouder": "Toezichthouder", "partner": "Partner"},
    "soort": {"sensoren": "Sensoren", "iot": "Internet of Things (IoT)", "drones": "Drones",
              "satelliet": "Satellietbeelden", "camera": "Camera's", "locatiedata": "Locatiedata",
              "ai_ml": "AI / machine learning", "generatieve_ai": "Generatieve AI", "algoritme": "Algoritme",
              "data_analyse": "Data-analyse", "platform": "Platform", "cloud": "Cloud", "chatbot": "Chatbot",
              "blockchain": "Blockchain", "ar_vr": "AR / VR", "robotica": "Robotica"},
    "herkomst": {"eigen": "Eigen data", "derde_partij": "Derde partij", "open_data": "Open data",
                 "burgers": "Burgers", "sensoren": "Sensoren"},
    "levert": {"algoritme": "algoritme", "data": "data", "software": "software", "hosting": "hosting",
               "hardware": "hardware", "advies": "advies"},
    "oordeel": {"ja": "Ja", "nee": "Nee", "onder_voorwaarden": "Ja, onder voorwaarden", "onbekend": "Onbekend"},
    "persoonsgegevens": {"ja": "Ja", "nee": "Nee", "onbekend": "Onbekend"},
    "relevantie": {"hoog": "Hoog", "midden": "Midden", "laag": "Laag"},
    "status": {"voorgesteld": "Voorgesteld", "gepland": "Gepland", "uitgevoerd": "Uitgevoerd"},
    "dpia": {"nog_niet": "Nog niet uitgevoerd", "gepland": "Gepland", "uitgevoerd": "Uitgevoerd",
             "niet_nodig": "Niet nodig"},
    "herkomst_waarde": {"tabel_1": "Tabel 1", "aanvullend": "Aanvullende waarde", "eigen": "Eigen waarde"},
}
NOT_GIVEN = "Niet opgegeven"


def dutch_date(iso: str) -> str:
    """Return '12 maart 2024' for '2024-03-12'."""
    date = datetime.date.fromisoformat(iso)
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def _yes_no(value: bool | None) -> str:
    return NOT_GIVEN if value is None else ("Ja" if value else "Nee")


def _hours(hours: float | None) -> str | None:
    if hours is None:
        return None
    text = f"{hours:g}".replace(".", ",")
    return f"minimaal {text} uur"


def _values_text(ids: list[str], names: dict[str, str]) -> str:
    return ", ".join(names.get(v, v) for v in ids)


def value_entries(dossier: Dossier) -> list[dict[str, Any]]:
    """Return the applicable values as context/check entries."""
    entries = []
    for value in dossier.values:
        reasons = list(value.reasons)
        if value.answered:
            reasons.insert(0, f"{value.name} is beantwoord in de intake.")
        origin = LABELS["herkomst_waarde"][value.origin]
        if value.row_number:
            origin = f"Tabel 1, rij {value.row_number}"
        entries.append({
            "id": value.id, "naam": value.name, "vraag": value.question, "bron_vraag": value.source,
            "herkomst": origin, "antwoord": value.answer or "", "beantwoord": value.answered, "plaats": value.pointer,
            "relevantie": LABELS["relevantie"].get(value.relevance or "", ""),
            "bron": [b for b, on in ((INTAKE, value.answered), (DERIVED, value.derived)) if on],
            "redenen": reasons,
        })
    return entries


def instrument_entries(dossier: Dossier) -> list[dict[str, Any]]:
    """Return chosen and recommended instruments as context/check entries."""
    entries = []
    for plan in dossier.instruments:
        instrument, conditions, chosen = plan.instrument, plan.instrument.conditions, plan.chosen or {}
        reasons = list(plan.reasons)
        if plan.chosen is not None:
            reasons.insert(0, f"Gekozen in de intake: {chosen['motivatie']}")
        group = (f"{conditions.group_min}-{conditions.group_max} deelnemers"
                 if conditions.group_min is not None and conditions.group_max is not None else None)
        entries.append({
            "id": instrument.id, "naam": instrument.name, "kort": instrument.summary, "doel": instrument.purpose,
            "gekozen": plan.chosen is not None,
            "bron": [b for b, on in ((INTAKE, plan.chosen is not None), (DERIVED, bool(plan.reasons))) if on],
            "redenen": reasons,
            "aanbevolen_omdat": " ".join(plan.reasons),
            "motivatie": chosen.get("motivatie", ""),
            "afgewezen_motivatie": plan.rejection or "",
            "planning": dutch_date(chosen["planning"]) if chosen.get("planning") else NOT_GIVEN,
            "begeleider": chosen.get("begeleider") or NOT_GIVEN,
            "deelnemers": str(chosen["deelnemers"]) if chosen.get("deelnemers") else NOT_GIVEN,
            "behoeften": list(plan.needs),
            "voorwaarden": {
                "duur": conditions.duration or _hours(conditions.min_hours) or "De gids noemt geen duur.",
                "groepsgrootte": group or "De gids noemt geen groepsgrootte.",
                "locatie": conditions.location or "De gids noemt geen locatie.",
                "voorbereiding": conditions.preparation or "De gids noemt geen voorbereiding.",
                "uitvoering": conditions.facilitation or "De gids noemt niet wie het begeleidt.",
            },
            "methode": list(instrument.method),
            "resultaten": list(instrument.results),
            "bron_gids": instrument.source,
        })
    return entries


def clause_entries(dossier: Dossier) -> list[dict[str, Any]]:
    """Return selected and required clauses, numbered, each in the family the intake's role calls for, with its
    filled-in text parts (the party named from the intake: a party parameter, else the supplier's name)."""
    from dossier.knowledge import families_in_play, family_for

    knowledge = dossier.knowledge
    in_play = families_in_play(dossier.intake)
    shared = knowledge.intake_values(dossier.intake)
    entries = []
    for number, use in enumerate(dossier.clauses, 1):
        clause = use.clause
        family = family_for(clause, in_play)
        values = {**shared, **use.parameters}
        reasons = list(use.reasons)
        if use.selected:
            reasons.insert(0, f"Clausule '{clause.title}' is gekozen in de intake.")
        parts = clause.fill(values, family)
        entries.append({
            "nummer": number, "id": clause.id, "titel": clause.title, "versie": clause.version,
            "onderwerp": knowledge.topics[clause.topic].name, "soort": knowledge.families[family].name,
            "bron": [b for b, on in ((INTAKE, use.selected), (DERIVED, bool(use.reasons))) if on],
            "redenen": reasons,
            "tekst": [{"tekst": text, "standaard": is_default} for text, is_default in parts],
            "heeft_standaardwaarden": any(is_default for _, is_default in parts),
            "parameters": [{"naam": name, "waarde": p.show(values.get(name, p.default)),
                            "standaard": name not in values, "omschrijving": p.description}
                           for name, p in clause.parameters_in(family).items()],
            "toelichting": clause.rationale, "bron_gids": clause.source,
            "herkomst": f"{clause.provenance} {clause.norm_sentence(family)}",
        })
    return entries


FAMILY_CHOICE = ("Elke clausule staat in de soort document die bij het project past: een overeenkomst als de provincie "
                 "opdrachtgever is of een leverancier heeft, een subsidiebeschikking als zij subsidieverstrekker is, een "
                 "samenwerkingsovereenkomst als zij partner is; een clausule die voor maar één soort bestaat, staat in "
                 "die soort.")


def clause_introduction(dossier: Dossier, entries: list[dict[str, Any]]) -> list[str]:
    """Return the paragraphs that open the clauses chapter: for which documents, on which law, 'de Provincie'
    defined once per family, that the texts are model text, how defaults are marked, and the lock-in assessment."""
    from dossier.knowledge import families_in_play, family_for

    knowledge, intake = dossier.knowledge, dossier.intake
    in_play = families_in_play(intake)
    used = list(dict.fromkeys(family_for(use.clause, in_play) for use in dossier.clauses))
    families = [knowledge.families[f] for f in used]
    roles = join_names([LABELS["rol"][r].lower() for r in intake["rol_provincie"]])
    paragraphs = []
    if families:
        kinds = ", een ".join(f.name for f in families[:-1]) + (" en een " if len(families) > 1 else "") + families[-1].name
        paragraphs.append(f"Deze clausules zijn in de intake gekozen of volgen uit de kenmerken van het project. Zij "
                          f"zijn geschreven voor een {kinds}. {FAMILY_CHOICE} Rol van de provincie in dit project: "
                          f"{roles}.")
        paragraphs += [f"{f.name[0].upper()}{f.name[1:]}. {f.basis}" for f in families]
        shared = knowledge.intake_values(intake)
        for f in families:
            party = shared.get(f.party.name)
            paragraphs.append(f.definition(intake["project"]["provincie"], party if party else
                                           f"{f.party.default} (standaardwaarde)"))
        paragraphs.append("De teksten zijn modeltekst en een eigen uitwerking van dossier op basis van de gids. Stem ze "
                          "af op " + join_names([f.alignment for f in families]) + ", en laat ze toetsen door de "
                          "juristen van de Provincie voordat ze worden opgenomen.")
        if any(entry["heeft_standaardwaarden"] for entry in entries):
            paragraphs.append("Waarden met '(standaardwaarde)' erachter zijn standaardwaarden uit de kennisbank die "
                              "nog niet voor dit project zijn ingevuld; controleer ze en pas ze zo nodig aan voordat "
                              "de clausule wordt gebruikt.")
    assessment = intake.get("inkoop", {}).get("lock_in_beoordeling")
    if assessment:
        paragraphs.append(f"Beoordeling van het gevaar van vendor lock-in (vóór het contract, gids hoofdstuk 3, "
                          f"thema 4): afgerond op {dutch_date(assessment['datum'])}. Uitkomst: {assessment['uitkomst']}")
    elif intake["technologie"].get("leverancier"):
        paragraphs.append("Beoordeling van het gevaar van vendor lock-in (vóór het contract, gids hoofdstuk 3, "
                          "thema 4): nog niet vastgelegd.")
    return paragraphs


def _dilemma_sentence(names: list[str]) -> str:
    """Return 'A en B pleiten zowel vóór als tegen het project.' (empty without dilemmas)."""
    if not names:
        return ""
    return f"{join_names(names)} {'pleit' if len(names) == 1 else 'pleiten'} zowel vóór als tegen het project."


def _other_rejections(intake: Any, knowledge: Any, instruments: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the intake's rejections not shown with a recommended instrument (so no motivation gets lost):
    a rejection of an instrument that is not recommended, or rejected more than once. (Validation
    refuses an instrument that is both chosen and rejected.)"""
    shown = [(i["id"], i["afgewezen_motivatie"]) for i in instruments if not i["gekozen"] and i["afgewezen_motivatie"]]
    other = []
    for rejection in intake.get("instrumenten_afgewezen", []):
        key = (rejection["instrument"], rejection["motivatie"])
        if key in shown:
            shown.remove(key)
            continue
        other.append({"naam": knowledge.instruments[rejection["instrument"]].name, "motivatie": rejection["motivatie"]})
    return other


def to_context(dossier: Dossier, reference: str = "", template_version: str = "") -> dict[str, Any]:
    """Return the template context: only strings, numbers, booleans, lists and dicts."""
    intake, knowledge = dossier.intake, dossier.knowledge
    project, technology, signing = intake["project"], intake["technologie"], intake["ondertekening"]
    names = {v.id: v.name for v in dossier.values} | {v.id: v.name for v in knowledge.values.values()}
    applicable = {v.id for v in dossier.values}
    supplier = technology.get("leverancier")
    weighing = {"wenselijk": [], "onwenselijk": []}
    for reason in intake["afweging"]:
        weighing[reason["richting"]].append({"waarden": _values_text(reason["waarden"], names), "omdat": reason["omdat"]})
    decisions = [{"nummer": i, "besluit": d["besluit"], "risico": d.get("risico", ""), "toelichting": d.get("toelichting", "")}
                 for i, d in enumerate(intake.get("besluiten", []), 1)]
    instruments = instrument_entries(dossier)
    clauses = clause_entries(dossier)
    return {
        "dossier": {
            "referentie": reference, "referentie_kort": reference[:12], "status": dossier.status,
            "gereed": dossier.ready, "aantal_open_punten": len(dossier.open_points),
            "kennisbank_versie": knowledge.version, "template_versie": template_version,
            "programma_versie": __version__,
            "gids": f"{knowledge.source['titel']} ({knowledge.source['uitgever']}, {knowledge.source['editie']})",
        },
        "project": {
            "naam": project["naam"], "provincie": project["provincie"],
            "afdeling": project.get("afdeling") or NOT_GIVEN, "projectleider": project["projectleider"],
            "adviseur": project["adviseur"], "datum": dutch_date(project["datum"]), "datum_iso": project["datum"],
            "fase": LABELS["fase"][project["fase"]], "centrale_vraag": project["centrale_vraag"],
            "beschrijving": project["beschrijving"],
        },
        "rollen": ", ".join(LABELS["rol"][r] for r in intake["rol_provincie"]),
        "technologie": {
            "soorten": ", ".join(LABELS["soort"][s] for s in technology["soorten"]),
            "persoonsgegevens": LABELS["persoonsgegevens"][technology["persoonsgegevens"]],
            "bijzondere_persoonsgegevens": _yes_no(technology.get("bijzondere_persoonsgegevens")),
            "besluitvorming_over_personen": _yes_no(technology["besluitvorming_over_personen"]),
            "burgercontact": _yes_no(technology.get("burgercontact")),
            "dpia": LABELS["dpia"].get(technology.get("dpia", ""), NOT_GIVEN),
            "databronnen": [{"naam": s["naam"], "herkomst": LABELS["herkomst"][s["herkomst"]],
                             "toelichting": s.get("toelichting", ""),
                             "ketenverantwoordelijkheid": s.get("ketenverantwoordelijkheid", "")}
                            for s in technology.get("databronnen", [])],
            "leverancier": {"naam": supplier["naam"], "levert": ", ".join(LABELS["levert"][x] for x in supplier["levert"])}
            if supplier else None,
        },
        "drietrap": [{"vraag": question, "omschrijving": meaning,
                      "oordeel": LABELS["oordeel"][intake["drietrap"][key]["oordeel"]],
                      "toelichting": intake["drietrap"][key]["toelichting"]} for key, question, meaning in DRIETRAP],
        "waarden": value_entries(dossier),
        "waarden_niet_van_toepassing": [
            {"naam": v.name, "herkomst": f"Tabel 1, rij {v.row.number}", "vraag": v.question}
            for v in knowledge.values.values() if v.id not in applicable and v.row is not None],
        "dilemmas": _values_text(list(dossier.dilemmas), names),
        "dilemma_zin": _dilemma_sentence([names.get(v, v) for v in dossier.dilemmas]),
        "afweging": weighing,
        "betrokkenen": [{"partij": b["partij"], "rol": b.get("rol", ""), "wijze_van_betrekken": b.get("wijze_van_betrekken", "")}
                        for b in intake.get("betrokkenen", [])],
        "handelingsopties": [{"maatregel": h["maatregel"], "waarden": _values_text(h.get("waarden", []), names),
                              "eigenaar": h.get("eigenaar", ""), "status": LABELS["status"].get(h.get("status", ""), "")}
                             for h in intake.get("handelingsopties", [])],
        "instrumenten": {
            "gekozen": [i for i in instruments if i["gekozen"]],
            "aanbevolen_niet_gekozen": [i for i in instruments if not i["gekozen"]],
            "afgewezen_overig": _other_rejections(intake, knowledge, instruments),
        },
        "clausules": clauses,
        "clausules_inleiding": clause_introduction(dossier, clauses),
        "open_punten": list(dossier.open_points),
        "waarschuwingen": list(dossier.warnings),
        "besluiten": decisions,
        "risicos": [d["risico"] for d in decisions if d["risico"]],
        "ondertekening": {
            "gedeputeerde": signing["gedeputeerde"], "portefeuille": signing["portefeuille"],
            "ambtelijk_opdrachtgever": signing.get("ambtelijk_opdrachtgever") or "",
            "herbeoordeling": dutch_date(dossier.reassessment),
            "herbeoordeling_standaard": dossier.reassessment_is_default,
        },
    }
