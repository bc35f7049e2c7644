"""Turn a Dossier into the plain context the Word template receives (and --dump-context writes).

All wording and selection happens here; the template only places strings, loops and ifs.
"""

from __future__ import annotations

import datetime
from typing import Any

from dossier import __version__
from dossier.messages import join_names
from dossier.model import ClauseUse, Dossier

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
          "oktober", "november", "december")
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


def value_entries(dossier: Dossier) -> list[dict[str, Any]]:
    """Return the applicable values as context entries."""
    return [{
        "id": value.id, "naam": value.name, "vraag": value.question, "bron_vraag": value.source,
        "herkomst": value.origin_label, "antwoord": value.answer or "", "beantwoord": value.answered,
        "plaats": value.pointer, "relevantie": value.relevance_label, "bron": list(value.sources),
        "redenen": list(value.explanation),
    } for value in dossier.values]


def instrument_entries(dossier: Dossier) -> list[dict[str, Any]]:
    """Return chosen and recommended instruments as context entries."""
    entries = []
    for plan in dossier.instruments:
        instrument, conditions = plan.instrument, plan.instrument.conditions
        group = (f"{conditions.group_min}-{conditions.group_max} deelnemers"
                 if conditions.group_min is not None and conditions.group_max is not None else None)
        entries.append({
            "id": instrument.id, "naam": instrument.name, "kort": instrument.summary, "doel": instrument.purpose,
            "gekozen": plan.chosen,
            "bron": list(plan.sources),
            "redenen": list(plan.explanation),
            "aanbevolen_omdat": " ".join(plan.reasons),
            "motivatie": plan.motivation,
            "afgewezen_motivatie": plan.rejection or "",
            "planning": dutch_date(plan.planning) if plan.planning else NOT_GIVEN,
            "begeleider": plan.facilitator or NOT_GIVEN,
            "deelnemers": str(plan.participants) if plan.participants else NOT_GIVEN,
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


def clause_entry(use: ClauseUse) -> dict[str, Any]:
    """Return one numbered clause in its family's text, with its filled-in text parts."""
    clause = use.clause
    return {
        "nummer": use.number, "id": clause.id, "titel": clause.title, "versie": clause.version,
        "onderwerp": use.topic, "soort": use.family.name,
        "bron": list(use.sources),
        "redenen": list(use.explanation),
        "tekst": [{"tekst": text, "standaard": is_default} for text, is_default in use.parts],
        "heeft_standaardwaarden": use.has_defaults,
        "parameters": [{"naam": p.name, "waarde": p.value, "standaard": p.is_default, "omschrijving": p.description}
                       for p in use.parameters],
        "toelichting": clause.rationale, "bron_gids": clause.source,
        "herkomst": f"{clause.provenance} {clause.norm_sentence(use.family.id)}",
    }


def clause_entries(dossier: Dossier) -> list[dict[str, Any]]:
    """Return the dossier's clauses as context entries, numbered, each in its family's text."""
    return [clause_entry(use) for use in dossier.clauses]


FAMILY_CHOICE = ("Elke clausule staat in de soort document die bij het project past: een overeenkomst als de provincie "
                 "opdrachtgever is of een leverancier heeft, een subsidiebeschikking als zij subsidieverstrekker is, een "
                 "samenwerkingsovereenkomst als zij partner is; een clausule die voor maar één soort bestaat, staat in "
                 "die soort.")


def clause_introduction(dossier: Dossier) -> list[str]:
    """Return the paragraphs that open the clauses chapter: for which documents, on which law, 'de Provincie'
    defined once per family, that the texts are model text, how defaults are marked, and the lock-in assessment."""
    families = list({use.family.id: use.family for use in dossier.clauses}.values())
    roles = join_names([label.lower() for label in dossier.roles_labels])
    paragraphs = []
    if families:
        kinds = ", een ".join(f.name for f in families[:-1]) + (" en een " if len(families) > 1 else "") + families[-1].name
        paragraphs.append(f"Deze clausules zijn in de intake gekozen of volgen uit de kenmerken van het project. Zij "
                          f"zijn geschreven voor een {kinds}. {FAMILY_CHOICE} Rol van de provincie in dit project: "
                          f"{roles}.")
        paragraphs += [f"{f.name[0].upper()}{f.name[1:]}. {f.basis}" for f in families]
        for f in families:
            party = dossier.clause_values.get(f.party.name)
            paragraphs.append(f.definition(dossier.project.province, party if party else
                                           f"{f.party.default} (standaardwaarde)"))
        paragraphs.append("De teksten zijn modeltekst en een eigen uitwerking van dossier op basis van de gids. Stem ze "
                          "af op " + join_names([f.alignment for f in families]) + ", en laat ze toetsen door de "
                          "juristen van de Provincie voordat ze worden opgenomen.")
        if any(use.has_defaults for use in dossier.clauses):
            paragraphs.append("Waarden met '(standaardwaarde)' erachter zijn standaardwaarden uit de kennisbank die "
                              "nog niet voor dit project zijn ingevuld; controleer ze en pas ze zo nodig aan voordat "
                              "de clausule wordt gebruikt.")
    if dossier.lock_in_assessment:
        date, outcome = dossier.lock_in_assessment
        paragraphs.append(f"Beoordeling van het gevaar van vendor lock-in (vóór het contract, gids hoofdstuk 3, "
                          f"thema 4): afgerond op {dutch_date(date)}. Uitkomst: {outcome}")
    elif dossier.technology.supplier:
        paragraphs.append("Beoordeling van het gevaar van vendor lock-in (vóór het contract, gids hoofdstuk 3, "
                          "thema 4): nog niet vastgelegd.")
    return paragraphs


def _dilemma_sentence(names: tuple[str, ...]) -> str:
    """Return 'A en B pleiten zowel vóór als tegen het project.' (empty without dilemmas)."""
    if not names:
        return ""
    return f"{join_names(list(names))} {'pleit' if len(names) == 1 else 'pleiten'} zowel vóór als tegen het project."


def to_context(dossier: Dossier) -> dict[str, Any]:
    """Return the template context: only strings, numbers, booleans, lists and dicts."""
    project, technology, signing, knowledge = dossier.project, dossier.technology, dossier.signing, dossier.knowledge
    reference = dossier.reference
    supplier = technology.supplier
    weighing: dict[str, list[dict[str, str]]] = {"wenselijk": [], "onwenselijk": []}
    for reason in dossier.weighing:
        weighing[reason.direction].append({"waarden": ", ".join(reason.value_names), "omdat": reason.because})
    decisions = [{"nummer": d.number, "besluit": d.decision, "risico": d.risk, "toelichting": d.explanation}
                 for d in dossier.decisions]
    instruments = instrument_entries(dossier)
    return {
        "dossier": {
            "referentie": reference, "referentie_kort": reference[:12], "status": dossier.status,
            "gereed": dossier.ready, "aantal_open_punten": len(dossier.open_points),
            "kennisbank_versie": knowledge.version, "template_versie": dossier.template.version,
            "programma_versie": __version__,
            "gids": dossier.guide,
        },
        "project": {
            "naam": project.name, "provincie": project.province,
            "afdeling": project.department or NOT_GIVEN, "projectleider": project.leader,
            "adviseur": project.adviser, "datum": dutch_date(project.date), "datum_iso": project.date,
            "fase": project.phase_label, "centrale_vraag": project.central_question,
            "beschrijving": project.description,
        },
        "rollen": ", ".join(dossier.roles_labels),
        "technologie": {
            "soorten": ", ".join(technology.kinds_labels),
            "persoonsgegevens": technology.personal_data_label,
            "bijzondere_persoonsgegevens": _yes_no(technology.special_personal_data),
            "besluitvorming_over_personen": _yes_no(technology.decisions_about_people),
            "burgercontact": _yes_no(technology.citizen_contact),
            "dpia": technology.dpia_label or NOT_GIVEN,
            "databronnen": [{"naam": s.name, "herkomst": s.origin_label, "toelichting": s.explanation,
                             "ketenverantwoordelijkheid": s.chain_responsibility}
                            for s in technology.data_sources],
            "leverancier": {"naam": supplier.name, "levert": ", ".join(supplier.supplies_labels)} if supplier else None,
        },
        "drietrap": [{"vraag": step.question, "omschrijving": step.meaning, "oordeel": step.verdict_label,
                      "toelichting": step.explanation} for step in dossier.drietrap],
        "waarden": value_entries(dossier),
        "waarden_niet_van_toepassing": [
            {"naam": v.name, "herkomst": f"Tabel 1, rij {v.row.number}", "vraag": v.question}
            for v in dossier.values_not_applicable if v.row is not None],
        "dilemmas": ", ".join(dossier.dilemma_names),
        "dilemma_zin": _dilemma_sentence(dossier.dilemma_names),
        "afweging": weighing,
        "betrokkenen": [{"partij": b.party, "rol": b.role, "wijze_van_betrekken": b.involvement}
                        for b in dossier.stakeholders],
        "handelingsopties": [{"maatregel": h.measure, "waarden": ", ".join(h.value_names), "eigenaar": h.owner,
                              "status": h.status_label} for h in dossier.options],
        "instrumenten": {
            "gekozen": [i for i in instruments if i["gekozen"]],
            "aanbevolen_niet_gekozen": [i for i in instruments if not i["gekozen"]],
            "afgewezen_overig": [{"naam": r.name, "motivatie": r.motivation} for r in dossier.other_rejections],
        },
        "clausules": clause_entries(dossier),
        "clausules_inleiding": clause_introduction(dossier),
        "open_punten": list(dossier.open_points),
        "waarschuwingen": list(dossier.warnings),
        "besluiten": decisions,
        "risicos": [d["risico"] for d in decisions if d["risico"]],
        "ondertekening": {
            "gedeputeerde": signing.gedeputeerde, "portefeuille": signing.portfolio,
            "ambtelijk_opdrachtgever": signing.official,
            "herbeoordeling": dutch_date(signing.reassessment),
            "herbeoordeling_standaard": signing.reassessment_is_default,
        },
    }
