"""Clause texts that hold up in a tender and in a subsidy decision (issue 17).

Per clause and family: the text filled with defaults, with given values and refused with invalid ones;
the two families where the law differs; one party name reaching every party reference; terms in every
unit; the export in Word and Markdown for a tender and for a subsidy decision, read for what a lawyer
checks (no property in data, no processor duty on a subsidy recipient, no norm without its source).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import docx
import pytest

from dossier.cli import main
from dossier.context import clause_entries, clause_introduction
from dossier.derive import derive
from dossier.knowledge import (
    UNITS,
    Clause,
    Duration,
    Parameter,
    default_knowledge,
    families_in_play,
    family_for,
    parse_duration,
)
from dossier.model import TemplateStamp
from dossier.validate import validate

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = default_knowledge()
PLACEHOLDER = re.compile(r"\{[a-z_0-9]+\}")
CASES = [(clause, family) for clause in KNOWLEDGE.clauses.values() for family in clause.texts]
PARAMETERS = [(clause, family, parameter) for clause, family in CASES
              for parameter in clause.parameters_in(family).values()]
# A word in a clause text or default value, and the norm that must then be credited.
NORM_WORDS = {"BIO": "bio", "ISO 27001": "iso27001", "Third Party Memorandum": "isae", "CC BY": "cc_by",
              "AVG": "avg", "Awb": "awb", "Archiefwet": "archiefwet", "Forum Standaardisatie": "forum_standaardisatie",
              "Algoritmeregister van de Nederlandse overheid": "algoritmeregister"}


def case_id(value: Any) -> str:
    return value.id if isinstance(value, Clause) else value.name if isinstance(value, Parameter) else str(value)


def plain(parts: list[tuple[str, bool]]) -> str:
    return "".join(text for text, _ in parts)


def valid_value(parameter: Parameter) -> str | int:
    """Return a value other than the default that the parameter accepts."""
    if parameter.type == "geheel_getal":
        assert isinstance(parameter.minimum, int)
        return parameter.minimum if parameter.minimum != parameter.default else parameter.minimum + 1
    if parameter.type == "termijn":
        bound = str(parameter.maximum) if parameter.maximum != parameter.default else str(parameter.minimum)
        return bound
    return f"Waarde voor {parameter.name}"


def invalid_values(parameter: Parameter) -> list[tuple[Any, str]]:
    """Return (value, part of the Dutch message) pairs the parameter must refuse."""
    name = parameter.name
    if parameter.type == "geheel_getal":
        found = [("tien", f"parameter '{name}' moet een geheel getal zijn, niet 'tien'"),
                 (True, f"parameter '{name}' moet een geheel getal zijn"),
                 (int(str(parameter.minimum)) - 1, f"parameter '{name}' moet minstens {parameter.minimum} zijn")]
        if parameter.maximum is not None:
            found.append((int(str(parameter.maximum)) + 1, f"parameter '{name}' mag hoogstens {parameter.maximum} zijn"))
        return found
    if parameter.type == "termijn":
        low, high = parse_duration(str(parameter.minimum)), parse_duration(str(parameter.maximum))
        assert low is not None and high is not None
        other = next(unit for unit in UNITS if unit not in parameter.units)
        return [(12, f"parameter '{name}' is een termijn: geef aantal en eenheid"),
                ("twaalf", f"parameter '{name}' moet een termijn zijn als aantal en eenheid"),
                ("", f"parameter '{name}' mag niet leeg zijn"),
                (f"2 {UNITS[other][1]}", f"parameter '{name}' is een termijn in "),
                (f"{high.amount + 1} {UNITS[high.unit][1]}", f"moet minstens {low} en hoogstens {high} zijn"),
                (f"0 {UNITS[low.unit][1]}", f"moet minstens {low} en hoogstens {high} zijn")]
    return [("", f"parameter '{name}' mag niet leeg zijn"), ("   ", f"parameter '{name}' mag niet leeg zijn"),
            (12, f"parameter '{name}' moet een tekst zijn, niet '12'")]


# --- each clause: filled, default, invalid -----------------------------------------------------

@pytest.mark.parametrize(("clause", "family"), CASES, ids=case_id)
def test_default_text_has_every_placeholder_filled_and_marked(clause: Clause, family: str) -> None:
    parts = clause.fill({}, family)
    text = plain(parts)
    assert not PLACEHOLDER.search(text) and "{" not in text and "}" not in text
    defaults = [piece for piece, is_default in parts if is_default]
    used = PLACEHOLDER.findall(clause.texts[family])
    assert len(defaults) == len(used)  # every placeholder became a marked default
    for parameter in clause.parameters_in(family).values():
        assert parameter.show(parameter.default).lower() in (piece.lower() for piece in defaults)
    assert "  " not in text and text == text.strip()
    assert re.match(r"[A-Z]", text), "a clause opens with a capital"


@pytest.mark.parametrize(("clause", "family", "parameter"), PARAMETERS, ids=case_id)
def test_given_value_reaches_the_text_unmarked(clause: Clause, family: str, parameter: Parameter) -> None:
    value = valid_value(parameter)
    assert list(parameter.problems(value)) == []
    parts = clause.fill({parameter.name: value}, family)
    shown = parameter.show(value)
    assert any(piece.lower() == shown.lower() and not is_default for piece, is_default in parts)
    assert all(not (is_default and piece == shown) for piece, is_default in parts) or shown == parameter.show(
        parameter.default)


@pytest.mark.parametrize(("clause", "family", "parameter"), PARAMETERS, ids=case_id)
def test_invalid_values_are_refused_in_dutch(clause: Clause, family: str, parameter: Parameter) -> None:
    for value, message in invalid_values(parameter):
        problems = list(clause.parameter_problems(parameter.name, value))
        assert len(problems) == 1 and message in problems[0], (value, problems)


def test_defaults_fit_their_own_types_and_ranges() -> None:
    for clause in KNOWLEDGE.clauses.values():
        for parameter in clause.parameters.values():
            assert list(parameter.problems(parameter.default)) == [], (clause.id, parameter.name)


# --- terms -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "shown"), [
    ("1 uur", "1 uur"), ("24 uur", "24 uur"), ("24 uren", "24 uur"), ("1 dag", "1 dag"), ("2 dagen", "2 dagen"),
    ("1 dagen", "1 dag"), ("30 kalenderdagen", "30 dagen"), ("1 werkdag", "1 werkdag"), ("10 werkdagen", "10 werkdagen"),
    ("1 week", "1 week"), ("2 weken", "2 weken"), ("1 maand", "1 maand"), ("1 maanden", "1 maand"),
    ("6 maanden", "6 maanden"), ("1 jaar", "1 jaar"), ("2 jaren", "2 jaar"), (" 3  Maanden ", "3 maanden")])
def test_terms_in_every_unit_print_in_correct_dutch(text: str, shown: str) -> None:
    duration = parse_duration(text)
    assert duration is not None and str(duration) == shown
    assert Parameter("t", "termijn", "1 dag", "", "1 uur", "10 jaar", tuple(UNITS)).show(text) == shown


@pytest.mark.parametrize("text", ["", "twaalf", "12", "12 eeuwen", "-1 dag", "1,5 dag", "1234567 dagen", "dag 12"])
def test_what_is_not_a_term(text: str) -> None:
    assert parse_duration(text) is None


def test_terms_compare_across_units() -> None:
    parameter = Parameter("meldtermijn", "termijn", "24 uur", "", "1 uur", "72 uur", ("uur", "dag", "werkdag"))
    assert list(parameter.problems("3 dagen")) == []
    assert list(parameter.problems("2 werkdagen")) == []
    assert list(parameter.problems("4 dagen")) == ["parameter 'meldtermijn' moet minstens 1 uur en hoogstens "
                                                   "72 uur zijn, niet '4 dagen'"]
    assert Duration(1, "maand").hours > Duration(30, "dag").hours > Duration(4, "week").hours


@pytest.mark.parametrize("unit", list(UNITS))
def test_a_clause_term_in_each_unit(unit: str) -> None:
    clause = KNOWLEDGE.clauses["bewaartermijnen"]
    value = f"1 {UNITS[unit][0]}"
    problems = list(clause.parameter_problems("bewaartermijn", value))
    if unit == "jaar":
        assert problems == ["parameter 'bewaartermijn' is een termijn in uren, dagen, werkdagen, weken of maanden, "
                            "niet in jaren ('1 jaar')"]
    else:
        assert problems == []
        assert f"niet langer dan {value} na het moment van verzamelen" in plain(
            clause.fill({"bewaartermijn": value}, "inkoop"))
        more = f"2 {UNITS[unit][1]}"
        assert f"niet langer dan {more} na" in plain(clause.fill({"bewaartermijn": more}, "subsidie"))


def test_set_normalises_a_term_and_refuses_a_bare_number(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clauses", "export", "datalek_melding", "-o", "-", "--set", "meldtermijn=48 uren"]) == 0
    out = capsys.readouterr().out
    assert "uiterlijk binnen **48 uur** na" not in out and "uiterlijk binnen 48 uur na ontdekking" in out
    assert main(["clauses", "export", "datalek_melding", "-o", "-", "--set", "meldtermijn=48"]) == 1
    assert ("parameter 'meldtermijn' moet een termijn zijn als aantal en eenheid in uren, dagen of werkdagen, "
            "bijvoorbeeld '24 uur', niet '48'") in capsys.readouterr().err


# --- two families where the law differs ----------------------------------------------------------

def test_the_families_and_their_party_parameters() -> None:
    assert {f: KNOWLEDGE.families[f].party.name for f in KNOWLEDGE.families} == {
        "inkoop": "leverancier", "subsidie": "subsidieontvanger", "samenwerking": "partner"}
    assert "artikel 28 AVG" in KNOWLEDGE.families["inkoop"].basis
    assert "artikel 4:38 Awb" in KNOWLEDGE.families["subsidie"].basis
    assert "geen verwerkersplichten" in KNOWLEDGE.families["subsidie"].basis
    assert "Gedeputeerde Staten" in KNOWLEDGE.families["subsidie"].province


@pytest.mark.parametrize(("clause", "family"), CASES, ids=case_id)
def test_each_text_names_only_its_own_family_party(clause: Clause, family: str) -> None:
    party = KNOWLEDGE.families[family].party.name
    others = {f.party.name for f in KNOWLEDGE.families.values()} - {party}
    assert not set(PLACEHOLDER.findall(clause.texts[family])) & {f"{{{o}}}" for o in others}
    assert not set(re.findall(r"\{([a-z_0-9]+)\}", clause.texts[family])) & others
    assert "Opdrachtnemer" not in clause.texts[family]  # the party is always the parameter
    if family != "inkoop":
        assert "{leverancier}" not in clause.texts[family] and "deze overeenkomst" not in clause.texts[family]


SUBSIDY = [(clause, "subsidie") for clause in KNOWLEDGE.clauses.values() if "subsidie" in clause.texts]


@pytest.mark.parametrize(("clause", "family"), SUBSIDY, ids=case_id)
def test_subsidy_texts_impose_no_processor_duty(clause: Clause, family: str) -> None:
    text = plain(clause.fill({}, family))
    assert not re.search(r"\bverwerker\b|verwerkersovereenkomst|subverwerker", text)
    assert "BIO" not in text and "ISO 27001" not in text and "Third Party Memorandum" not in text
    assert "Opdrachtnemer" not in text and "opdracht" not in text.lower().replace("opdrachtgever", "")
    assert "subsidieontvanger en de Provincie" not in text and "en de Provincie uitsluitend" not in text
    if "Autoriteit Persoonsgegevens" in text:  # only to leave the recipient's own duty as controller intact
        assert "eigen meldplicht" in text and "verwerkingsverantwoordelijke" in text and "onverlet" in text


def test_the_contract_has_a_processing_agreement_and_the_subsidy_decision_has_none() -> None:
    clause = KNOWLEDGE.clauses["verwerkersovereenkomst"]
    assert clause.applies_to == ("inkoop",)
    text = plain(clause.fill({}, "inkoop"))
    assert "artikel 28, derde lid, AVG" in text and "ten behoeve van de Provincie" in text
    assert "geen verwerker" in text  # a supplier deciding purposes itself is not made a processor
    contract_leak = plain(KNOWLEDGE.clauses["datalek_melding"].fill({}, "inkoop"))
    subsidy_leak = plain(KNOWLEDGE.clauses["datalek_melding"].fill({}, "subsidie"))
    assert "alle medewerking die de Provincie als verwerkingsverantwoordelijke nodig heeft" in contract_leak
    assert "medewerking" not in subsidy_leak and "eigen meldplicht van de subsidieontvanger" in subsidy_leak


@pytest.mark.parametrize(("clause", "family"), CASES, ids=case_id)
def test_no_text_claims_property_in_data(clause: Clause, family: str) -> None:
    text = plain(clause.fill({}, family)).lower()
    assert not re.search(r"(zijn|blijven|is) (en blijven )?eigendom|eigendom van de provincie|eigenaar van de data",
                         text)


def test_control_clause_separates_bespoke_work_from_standard_products_and_takes_the_data_received() -> None:
    clause = KNOWLEDGE.clauses["data_eigendom"]
    text = plain(clause.fill({"ontvangen_data": "de geschatte bezoekersaantallen per gebied"}, "inkoop"))
    for words in ("zeggenschap", "maatwerk", "standaardproducten", "vooraf getrainde modellen", "niet-exclusief",
                  "toegang", "levert de Opdrachtnemer deze data volledig", "verwijdert de Opdrachtnemer de data",
                  "voortbrengt: de geschatte bezoekersaantallen per gebied."):
        assert words in text, words
    subsidy = plain(clause.fill({}, "subsidie"))
    assert "blijven bij de subsidieontvanger of bij degenen die ze hebben verzameld" in subsidy
    assert "zeggenschap heeft over de data die zij aanleveren" in subsidy


def test_exit_escrow_and_algorithm_supervision_cover_what_the_issue_lists() -> None:
    exit_text = plain(KNOWLEDGE.clauses["exit_migratie"].fill({"exitkosten_maximum": "EUR 25.000"}, "inkoop"))
    for words in ("exitplan", "blijven gebruiken", "voor de Provincie getrainde modellen", "niet meer dan EUR 25.000",
                  "CSV of JSON", "GeoPackage", "documentatie van interfaces"):
        assert words in exit_text, words
    assert "broncode" in plain(KNOWLEDGE.clauses["broncodedepot"].fill({}, "inkoop"))
    assert "documenteert alle interfaces" in plain(KNOWLEDGE.clauses["vendor_lock_in"].fill({}, "inkoop"))
    inspection = plain(KNOWLEDGE.clauses["algoritme_inzage"].fill({}, "inkoop"))
    for words in ("logbestanden", "hertraining", "ten minste 20 werkdagen voordat", "eenmaal per 3 maanden rapporteert",
                  "onafhankelijke auditor"):
        assert words in inspection, words
    bias = plain(KNOWLEDGE.clauses["bias_toetsing"].fill({}, "inkoop"))
    assert "laat de Opdrachtnemer het geleverde algoritme op eigen kosten toetsen" in bias
    assert "onafhankelijke deskundige" in bias
    assert "Uitlegplicht" in KNOWLEDGE.clauses["uitlegbaarheid"].title
    criterion = plain(KNOWLEDGE.clauses["waarden_gunningscriterium"].fill({}, "inkoop"))
    assert "gunningscriterium" in criterion and "20 procent" in criterion
    partner = plain(KNOWLEDGE.clauses["samenwerking"].fill({"partner": "Stichting Lucht"}, "samenwerking"))
    assert "taken en verantwoordelijkheden de Provincie en Stichting Lucht" in partner and "artikel 26 AVG" in partner


# --- sources, honestly ---------------------------------------------------------------------------

@pytest.mark.parametrize(("clause", "family"), CASES, ids=case_id)
def test_every_norm_a_text_uses_is_credited(clause: Clause, family: str) -> None:
    text = plain(clause.fill({}, family))
    credited = {norm.id for norm, _ in clause.norms_in(family)}
    for word, norm in NORM_WORDS.items():
        if word in text:
            assert norm in credited, (word, clause.id)
            assert KNOWLEDGE.norms[norm].name in clause.norm_sentence(family)
    assert clause.provenance.startswith(("Eigen uitwerking van dossier op basis van de gids: ",
                                         "Eigen uitwerking van dossier van een concreet voorbeeld uit de gids: "))
    assert clause.source in clause.provenance


# --- one party name for every clause --------------------------------------------------------------

def test_set_leverancier_reaches_every_party_reference(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clauses", "export", "--family", "inkoop", "-o", "-", "--set", "leverancier=Acme B.V."]) == 0
    out = capsys.readouterr().out
    expected = sum(clause.texts["inkoop"].count("{leverancier}") for clause in KNOWLEDGE.clauses.values()
                   if "inkoop" in clause.texts)
    bodies = [line for line in out.splitlines() if line and not line.startswith(("#", "-", "*", "Voor:", "Parameters"))]
    clause_text = "\n".join(bodies)
    assert clause_text.count("Acme B.V.") >= expected and expected > 20
    assert "Opdrachtnemer" not in "\n".join(line for line in out.splitlines() if not line.startswith("- `"))


def intake_with(tmp_path: Path, roles: list[str], supplier: dict[str, Any] | None,
                clauses: list[dict[str, Any]], **purchase: Any) -> Path:
    intake = json.loads((ROOT / "examples" / "minimaal.json").read_text("utf-8"))
    intake["rol_provincie"] = roles
    if supplier:
        intake["technologie"]["leverancier"] = supplier
    intake["inkoop"] = {"clausules": clauses, **purchase}
    path = tmp_path / "intake.json"
    path.write_text(json.dumps(intake, ensure_ascii=False), "utf-8")
    return path


def dossier_of(path: Path) -> Any:
    intake = json.loads(path.read_text("utf-8"))
    validate(intake, KNOWLEDGE, str(path))
    return derive(intake, KNOWLEDGE, TemplateStamp("0" * 64, "test"))


def test_the_intakes_supplier_name_reaches_every_clause_in_export_and_dossier(capsys: pytest.CaptureFixture[str],
                                                                          tmp_path: Path) -> None:
    chosen = [{"id": c.id} for c in KNOWLEDGE.clauses.values() if "inkoop" in c.texts]
    path = intake_with(tmp_path, ["opdrachtgever"], {"naam": "Geodata Noord B.V.", "levert": ["software"]}, chosen)
    for entry in clause_entries(dossier_of(path)):
        text = "".join(part["tekst"] for part in entry["tekst"])
        assert "Opdrachtnemer" not in text and entry["soort"] == "overeenkomst (inkoop)"
        parties = [p for p in entry["parameters"] if p["naam"] == "leverancier"]
        assert all(p["waarde"] == "Geodata Noord B.V." and not p["standaard"] for p in parties)
    assert main(["clauses", "export", "--for", str(path), "-o", "-"]) == 0
    out = capsys.readouterr().out
    assert "Opdrachtnemer" not in "\n".join(line for line in out.splitlines() if not line.startswith("- `"))
    assert "Geodata Noord B.V. gebruikt de data en systemen" in out


def test_a_party_set_on_one_clause_names_the_party_in_all(tmp_path: Path) -> None:
    path = intake_with(tmp_path, ["opdrachtgever"], {"naam": "Leverancier X", "levert": ["software"]},
                       [{"id": "doelbinding", "parameters": {"leverancier": "de Leverancier"}}, {"id": "beveiliging"}])
    texts = ["".join(p["tekst"] for p in e["tekst"]) for e in clause_entries(dossier_of(path))]
    assert all("de Leverancier" in t or "De Leverancier" in t for t in texts)
    assert not any("Leverancier X" in t for t in texts)


def test_a_value_opening_a_sentence_gets_a_capital_only_on_its_article() -> None:
    clause = KNOWLEDGE.clauses["doelbinding"]
    assert plain(clause.fill({}, "inkoop")).startswith("De Opdrachtnemer gebruikt")
    assert plain(clause.fill({"leverancier": "iGov B.V."}, "inkoop")).startswith("iGov B.V. gebruikt")
    assert ", is de Opdrachtnemer niet toegestaan" in plain(clause.fill({}, "inkoop"))


# --- the family follows the intake's role -----------------------------------------------------------

@pytest.mark.parametrize(("roles", "supplier", "expected"), [
    (["subsidieverstrekker"], None, ("subsidie",)),
    (["opdrachtgever"], None, ("inkoop",)),
    (["uitvoerder"], {"naam": "X", "levert": ["advies"]}, ("inkoop",)),
    (["subsidieverstrekker", "toezichthouder"], {"naam": "X", "levert": ["hardware"]}, ("inkoop", "subsidie")),
    (["partner"], None, ("samenwerking",)),
    (["uitvoerder"], None, ("inkoop",)),
])
def test_families_in_play(roles: list[str], supplier: dict[str, Any] | None, expected: tuple[str, ...]) -> None:
    intake: dict[str, Any] = {"rol_provincie": roles, "technologie": {"leverancier": supplier} if supplier else {}}
    assert families_in_play(intake) == expected
    assert family_for(KNOWLEDGE.clauses["open_data_subsidie"], expected) == "subsidie"
    assert family_for(KNOWLEDGE.clauses["doelbinding"], expected) == (
        "subsidie" if expected == ("subsidie",) else "inkoop")


def test_a_subsidy_intake_gets_subsidy_texts_in_dossier_and_export(capsys: pytest.CaptureFixture[str],
                                                               tmp_path: Path) -> None:
    path = intake_with(tmp_path, ["subsidieverstrekker"], None,
                       [{"id": "doelbinding"}, {"id": "beveiliging"}, {"id": "datalek_melding"}],
                       data_voor_provincie="de jaarlijkse meetreeksen per sensor")
    dossier = dossier_of(path)
    entries = clause_entries(dossier)
    assert {e["soort"] for e in entries} == {"subsidiebeschikking"}
    assert all("subsidieontvanger (standaardwaarde)" not in "".join(p["tekst"] for p in e["tekst"]) for e in entries)
    intro = clause_introduction(dossier)
    assert any("Gedeputeerde Staten van de provincie Drenthe" in p and "de subsidieontvanger (standaardwaarde)" in p
               for p in intro)
    assert any("artikel 4:38 Awb" in p for p in intro)
    assert main(["clauses", "export", "--for", str(path), "-o", "-"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Bijlage: subsidievoorschriften digitale ethiek")
    assert "verwerker" not in out.replace("verwerkingsverantwoordelijke", "").replace("verwerkersplichten", "")
    assert "ARBIT" not in out and "de subsidieregeling en de algemene subsidieverordening" in out


def test_the_lock_in_assessment_is_recorded_in_the_dossier(tmp_path: Path) -> None:
    supplier = {"naam": "Platform B.V.", "levert": ["software", "hosting"]}
    path = intake_with(tmp_path, ["opdrachtgever"], supplier, [{"id": "data_eigendom"}])
    dossier = dossier_of(path)
    assert any("/inkoop/lock_in_beoordeling" in point and "Platform B.V." in point for point in dossier.open_points)
    assert any(p.endswith("nog niet vastgelegd.") for p in clause_introduction(dossier))
    done = intake_with(tmp_path, ["opdrachtgever"], supplier, [{"id": "data_eigendom"}],
                       lock_in_beoordeling={"datum": "2026-02-03", "uitkomst": "Middelgroot risico; exitplan en depot."},
                       data_voor_provincie="de dagelijkse export van meldingen")
    dossier = dossier_of(done)
    assert not any("lock_in_beoordeling" in point for point in dossier.open_points)
    intro = clause_introduction(dossier)
    assert "afgerond op 3 februari 2026. Uitkomst: Middelgroot risico; exitplan en depot." in intro[-1]
    text = "".join(p["tekst"] for p in clause_entries(dossier)[0]["tekst"])
    assert "voortbrengt: de dagelijkse export van meldingen." in text


# --- the export in Word and Markdown, for a tender and for a subsidy decision ---------------------------

@pytest.fixture(scope="module")
def family_exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    folder = tmp_path_factory.mktemp("families")
    made: dict[str, dict[str, Path]] = {}
    for family in ("inkoop", "subsidie"):
        made[family] = {}
        for format in ("docx", "md"):
            target = folder / f"{family}.{format}"
            assert main(["clauses", "export", "--family", family, "--set", "provincie=Zeeland", "-o", str(target)]) == 0
            made[family][format] = target
    return made


def export_lines(path: Path) -> list[str]:
    if path.suffix == ".md":
        return [line.replace("\\", "") for line in path.read_text("utf-8").splitlines() if line]
    return [p.text for p in docx.Document(str(path)).paragraphs if p.text]


@pytest.mark.parametrize("format", ["docx", "md"])
@pytest.mark.parametrize("family", ["inkoop", "subsidie"])
def test_export_opens_with_the_model_text_note_and_defines_de_provincie_once(
        family_exports: dict[str, dict[str, Path]], family: str, format: str) -> None:
    lines = export_lines(family_exports[family][format])
    text = "\n".join(lines)
    name = KNOWLEDGE.families[family].name
    assert "modeltekst" in lines[1] and "juristen van de Provincie" in lines[1]
    assert ("ARBIT, GIBIT of eigen voorwaarden" in lines[1]) == (family == "inkoop")
    assert text.count("wordt verstaan onder 'de Provincie'") == 1
    assert (f"In de clausules voor een {name} wordt verstaan onder 'de Provincie': "
            + KNOWLEDGE.families[family].province.replace("{provincie}", "Zeeland")) in text
    clauses = [c for c in KNOWLEDGE.clauses.values() if family in c.texts]
    assert text.count(f"Voor: {name} · ") == len(clauses)
    for clause in clauses:
        assert plain(clause.fill({}, family)) in text.replace("**[standaard: ", "").replace("]**", "")
        assert f"{clause.provenance} {clause.norm_sentence(family)}" in text


def test_word_export_highlights_defaults_only_for_the_procurement_officer(
        family_exports: dict[str, dict[str, Path]]) -> None:
    document = docx.Document(str(family_exports["subsidie"]["docx"]))
    marked = [run.text for p in document.paragraphs for run in p.runs
              if run.style is not None and run.style.name == "Standaardwaarde"]
    assert "de subsidieontvanger" in marked and "6 maanden" in marked


def test_subsidy_export_as_a_lawyer_reads_it(family_exports: dict[str, dict[str, Path]]) -> None:
    text = family_exports["subsidie"]["md"].read_text("utf-8").replace("\\", "")
    body = "\n".join(line for line in text.splitlines()
                     if not line.startswith(("*Toelichting.*", "*Herkomst.*", "- `")))
    assert not re.search(r"\bverwerker\b|verwerkersovereenkomst", body)
    assert "Opdrachtnemer" not in text and "eigendom van" not in text
    assert "Gedeputeerde Staten van de provincie Zeeland" in text
