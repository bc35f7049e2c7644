"""Derivation: one test per rule, the open points, and the derived sets of the examples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dossier import derive as d
from dossier.derive import derive
from dossier.knowledge import default_knowledge
from dossier.model import TemplateStamp
from tests.conftest import EXAMPLES

TEMPLATE = TemplateStamp("0" * 64, "test")  # derivation does not read the template


@pytest.fixture(scope="module")
def knowledge():
    return default_knowledge()


def findings(rule, intake, knowledge, kind):
    return {(f.id if kind != d.OPEN_POINT else f.because) for f in rule(intake, knowledge) if f.kind == kind}


def test_rule_always(minimal, knowledge) -> None:
    assert findings(d.rule_always, minimal, knowledge, d.VALUE) == {"effectiviteit", "doelmatigheid", "betrokkenheid"}


@pytest.mark.parametrize(("answer", "values", "open_points"), [
    ("ja", {"privacy", "veiligheid"}, 0), ("onbekend", {"privacy", "veiligheid"}, 1), ("nee", set(), 0)])
def test_rule_personal_data(minimal, knowledge, answer, values, open_points) -> None:
    minimal["technologie"]["persoonsgegevens"] = answer
    assert findings(d.rule_personal_data, minimal, knowledge, d.VALUE) == values
    points = findings(d.rule_personal_data, minimal, knowledge, d.OPEN_POINT)
    assert len(points) == open_points
    assert all("DPIA" in p for p in points)


def test_rule_special_personal_data(minimal, knowledge) -> None:
    minimal["technologie"]["bijzondere_persoonsgegevens"] = True
    assert findings(d.rule_special_personal_data, minimal, knowledge, d.VALUE) == {"privacy", "non_discriminatie"}
    assert len(findings(d.rule_special_personal_data, minimal, knowledge, d.OPEN_POINT)) == 1
    minimal["technologie"]["dpia"] = "uitgevoerd"
    assert not findings(d.rule_special_personal_data, minimal, knowledge, d.OPEN_POINT)


def test_rule_decisions_about_people(minimal, knowledge) -> None:
    minimal["technologie"]["besluitvorming_over_personen"] = True
    assert findings(d.rule_decisions_about_people, minimal, knowledge, d.VALUE) == {
        "non_discriminatie", "transparantie", "verantwoording", "autonomie"}
    assert not findings(d.rule_decisions_about_people, minimal, knowledge, d.INSTRUMENT)
    minimal["technologie"]["soorten"] = ["ai_ml"]
    assert findings(d.rule_decisions_about_people, minimal, knowledge, d.INSTRUMENT) == {"iama"}


@pytest.mark.parametrize("kind", ["ai_ml", "algoritme", "generatieve_ai", "data_analyse", "locatiedata"])
def test_rule_data_driven(minimal, knowledge, kind) -> None:
    minimal["technologie"]["soorten"] = [kind]
    assert findings(d.rule_data_driven, minimal, knowledge, d.VALUE) == {"betrouwbaarheid", "transparantie"}
    assert findings(d.rule_data_driven, minimal, knowledge, d.INSTRUMENT) == {"deda"}
    minimal["technologie"]["soorten"] = ["blockchain"]
    assert not list(d.rule_data_driven(minimal, knowledge))


@pytest.mark.parametrize("kind", ["sensoren", "iot", "drones", "camera", "satelliet", "locatiedata"])
def test_rule_observation(minimal, knowledge, kind) -> None:
    minimal["technologie"]["soorten"] = [kind]
    assert findings(d.rule_observation, minimal, knowledge, d.VALUE) == {"privacy", "autonomie"}


def test_rule_residents(minimal, knowledge) -> None:
    minimal["technologie"]["burgercontact"] = True
    assert findings(d.rule_residents, minimal, knowledge, d.VALUE) == {"inclusie"}
    minimal["technologie"]["burgercontact"] = False
    minimal["technologie"]["soorten"] = ["chatbot"]
    assert findings(d.rule_residents, minimal, knowledge, d.VALUE) == {"inclusie", "betrouwbaarheid", "transparantie"}


def test_rule_supplier(minimal, knowledge) -> None:
    minimal["technologie"]["leverancier"] = {"naam": "Firma X", "levert": ["software"]}
    assert findings(d.rule_supplier, minimal, knowledge, d.CLAUSE) == {"vendor_lock_in", "data_eigendom"}
    assert not findings(d.rule_supplier, minimal, knowledge, d.VALUE)
    minimal["technologie"]["leverancier"]["levert"] = ["algoritme"]
    assert findings(d.rule_supplier, minimal, knowledge, d.CLAUSE) == {"vendor_lock_in", "data_eigendom", "algoritme_inzage"}
    assert findings(d.rule_supplier, minimal, knowledge, d.VALUE) == {"transparantie", "verantwoording"}
    reasons = [f.because for f in d.rule_supplier(minimal, knowledge)]
    assert all("Firma X" in r for r in reasons if "leverancier" in r)


@pytest.mark.parametrize(("supplies", "kinds", "points"), [
    (["software"], [], 1), (["hosting", "hardware"], [], 1), (["algoritme"], [], 1),
    (["hardware"], ["platform"], 1), (["hardware", "advies"], [], 0), (["data"], [], 0)])
def test_rule_lock_in_assessment(minimal, knowledge, supplies, kinds, points) -> None:
    minimal["technologie"]["leverancier"] = {"naam": "Firma X", "levert": supplies}
    minimal["technologie"]["soorten"] = minimal["technologie"]["soorten"] + kinds
    found = findings(d.rule_lock_in_assessment, minimal, knowledge, d.OPEN_POINT)
    assert len(found) == points
    assert all("Firma X" in p and "/inkoop/lock_in_beoordeling" in p for p in found)
    minimal.setdefault("inkoop", {})["lock_in_beoordeling"] = {"datum": "2026-01-05", "uitkomst": "Gering risico."}
    assert not findings(d.rule_lock_in_assessment, minimal, knowledge, d.OPEN_POINT)


def test_rule_supplier_extensions(minimal, knowledge) -> None:
    minimal["technologie"].update(leverancier={"naam": "Y", "levert": ["algoritme", "hosting"]}, persoonsgegevens="ja",
                                  besluitvorming_over_personen=True)
    assert findings(d.rule_supplier, minimal, knowledge, d.CLAUSE) >= {"menselijk_toezicht", "opslaglocatie", "bewaartermijnen"}


def test_rule_supplier_of_advice_only(minimal, knowledge) -> None:
    minimal["technologie"].update(leverancier={"naam": "Bureau Z", "levert": ["advies"]}, persoonsgegevens="ja")
    findings_ = list(d.rule_supplier(minimal, knowledge))
    assert {f.id for f in findings_ if f.kind == d.CLAUSE} == {"vendor_lock_in", "data_eigendom"}
    assert all("verzamelt" not in f.because for f in findings_)


def test_rule_cloud(minimal, knowledge) -> None:
    assert not list(d.rule_cloud(minimal, knowledge))
    minimal["technologie"]["soorten"] = ["cloud"]
    assert findings(d.rule_cloud, minimal, knowledge, d.CLAUSE) == {"opslaglocatie"}


def test_rule_third_party_data(minimal, knowledge) -> None:
    minimal["technologie"]["databronnen"] = [{"naam": "Eigen registratie", "herkomst": "eigen"},
                                             {"naam": "Telefoonlocaties", "herkomst": "derde_partij"}]
    assert findings(d.rule_third_party_data, minimal, knowledge, d.VALUE) == {"transparantie"}
    assert findings(d.rule_third_party_data, minimal, knowledge, d.CLAUSE) == {"rechtmatige_herkomst"}
    points = findings(d.rule_third_party_data, minimal, knowledge, d.OPEN_POINT)
    assert len(points) == 1 and "/technologie/databronnen/1/ketenverantwoordelijkheid" in points.pop()
    minimal["technologie"]["databronnen"][1]["ketenverantwoordelijkheid"] = "Contractueel geregeld en steekproefsgewijs gecontroleerd."
    assert not findings(d.rule_third_party_data, minimal, knowledge, d.OPEN_POINT)


def test_rule_subsidy(minimal, knowledge) -> None:
    assert not list(d.rule_subsidy(minimal, knowledge))
    minimal["rol_provincie"] = ["subsidieverstrekker"]
    assert findings(d.rule_subsidy, minimal, knowledge, d.CLAUSE) == {"open_data_subsidie"}


@pytest.mark.parametrize(("phase", "expected"), [("idee", True), ("verkenning", True), ("pilot", True),
                                                 ("implementatie", False), ("beheer", False), ("evaluatie", False)])
def test_rule_early_phase(minimal, knowledge, phase, expected) -> None:
    minimal["project"]["fase"] = phase
    assert (findings(d.rule_early_phase, minimal, knowledge, d.INSTRUMENT) == {"begeleidingsethiek"}) is expected


def test_rule_mentioned_in_weighing(minimal, knowledge) -> None:
    minimal["afweging"].append({"richting": "onwenselijk", "waarden": ["gezondheid"], "omdat": "x"})
    assert findings(d.rule_mentioned_in_weighing, minimal, knowledge, d.VALUE) == {"effectiviteit", "gezondheid"}


def test_rule_dilemma(minimal, knowledge) -> None:
    assert not list(d.rule_dilemma(minimal, knowledge))
    minimal["afweging"].append({"richting": "onwenselijk", "waarden": ["effectiviteit"], "omdat": "het niet werkt."})
    result = list(d.rule_dilemma(minimal, knowledge))
    assert [f.id for f in result] == ["moreel_beraad"]
    assert "Effectiviteit" in result[0].because


@pytest.mark.parametrize(("count", "warned"), [(7, True), (8, False), (15, False), (16, True)])
def test_rule_group_size(minimal, knowledge, count, warned) -> None:
    minimal["instrumenten"] = [{"instrument": "moreel_beraad", "motivatie": "m", "deelnemers": count}]
    warnings = [f.because for f in d.rule_group_size(minimal, knowledge)]
    assert bool(warnings) is warned
    if warned:
        assert "8-15" in warnings[0]


def test_no_warning_without_group_size_in_the_guide(minimal, knowledge) -> None:
    minimal["instrumenten"] = [{"instrument": "deda", "motivatie": "m", "deelnemers": 200}]
    assert not list(d.rule_group_size(minimal, knowledge))


def test_every_rule_has_a_test() -> None:
    source = Path(__file__).read_text("utf-8")
    for rule in d.RULES:
        assert f"d.{rule.__name__}" in source


def test_reasons_are_sentences_naming_the_value(minimal, knowledge) -> None:
    minimal["technologie"]["persoonsgegevens"] = "ja"
    dossier = derive(minimal, knowledge, TEMPLATE)
    privacy = next(v for v in dossier.values if v.id == "privacy")
    assert privacy.reasons == ("Privacy is van toepassing omdat het project persoonsgegevens verwerkt.",)


def test_open_points(minimal, knowledge) -> None:
    dossier = derive(minimal, knowledge, TEMPLATE)
    unanswered = {"doelmatigheid", "betrokkenheid", "betrouwbaarheid", "transparantie"}
    assert {v.id for v in dossier.values if not v.answered} == unanswered
    assert sum("niet beantwoord" in p for p in dossier.open_points) == len(unanswered)
    assert sum("wordt aanbevolen maar is niet gekozen" in p for p in dossier.open_points) == 2  # begeleidingsethiek, deda
    assert not dossier.ready
    assert dossier.status == f"Niet gereed: {len(dossier.open_points)} open punten"


def test_rejected_instrument_with_motivation_is_not_open(minimal, knowledge) -> None:
    minimal["instrumenten_afgewezen"] = [{"instrument": "deda", "motivatie": "Al gedaan in 2024."}]
    dossier = derive(minimal, knowledge, TEMPLATE)
    assert not any("DEDA" in p for p in dossier.open_points)
    plan = next(p for p in dossier.instruments if p.instrument.id == "deda")
    assert plan.rejection == "Al gedaan in 2024."


def test_drietrap_no_and_unknown_are_open_points(minimal, knowledge) -> None:
    minimal["drietrap"]["mag_het"]["oordeel"] = "nee"
    minimal["drietrap"]["kan_het"]["oordeel"] = "onbekend"
    points = derive(minimal, knowledge, TEMPLATE).open_points
    assert any("'Mag het?' is 'nee'" in p for p in points)
    assert any("'Kan het?' is nog niet beantwoord" in p for p in points)


def test_unaddressed_objection_is_open_until_a_measure_addresses_it(minimal, knowledge) -> None:
    minimal["afweging"].append({"richting": "onwenselijk", "waarden": ["privacy"], "omdat": "x"})
    assert any("/afweging/1" in p for p in derive(minimal, knowledge, TEMPLATE).open_points)
    minimal["handelingsopties"] = [{"maatregel": "Anonimiseren.", "waarden": ["privacy"]}]
    assert not any("/afweging/1" in p for p in derive(minimal, knowledge, TEMPLATE).open_points)


def test_a_complete_intake_is_ready(minimal, knowledge) -> None:
    minimal["project"]["fase"] = "implementatie"
    minimal["technologie"]["soorten"] = ["platform"]
    minimal["waarden"].append({"waarde": "doelmatigheid", "antwoord": "a"})
    minimal["waarden"].append({"waarde": "betrokkenheid", "antwoord": "b"})
    dossier = derive(minimal, knowledge, TEMPLATE)
    assert dossier.open_points == ()
    assert dossier.ready and dossier.status == "Gereed voor besluit"


def test_illegal_characters_are_removed_with_a_warning(minimal, knowledge) -> None:
    minimal["project"]["naam"] = "Dash\x07board\ud800 na"
    dossier = derive(minimal, knowledge, TEMPLATE)
    assert dossier.project.name == "Dashboard na"
    assert any("/project/naam" in w and "U+0007" in w and "U+D800" in w for w in dossier.warnings)


def test_reassessment_defaults_to_twelve_months(minimal, knowledge) -> None:
    minimal["project"]["datum"] = "2024-02-29"
    dossier = derive(minimal, knowledge, TEMPLATE)
    assert (dossier.reassessment, dossier.reassessment_is_default) == ("2025-02-28", True)
    minimal["ondertekening"]["herbeoordeling"] = "2025-06-01"
    assert derive(minimal, knowledge, TEMPLATE).reassessment == "2025-06-01"


def test_derive_does_not_change_the_intake(minimal, knowledge) -> None:
    before = json.dumps(minimal, sort_keys=True)
    derive(minimal, knowledge, TEMPLATE)
    assert json.dumps(minimal, sort_keys=True) == before


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_examples_derive_what_their_facts_imply(example: Path, knowledge) -> None:
    """Derived sets follow from each example's facts, not from its wording."""
    intake = json.loads(example.read_text("utf-8"))
    dossier = derive(intake, knowledge, TEMPLATE)
    technology = intake["technologie"]
    values = {v.id for v in dossier.values}
    clauses = {c.clause.id for c in dossier.clauses}
    instruments = {p.instrument.id for p in dossier.instruments}
    assert {"effectiviteit", "doelmatigheid", "betrokkenheid"} <= values
    if technology["persoonsgegevens"] != "nee":
        assert {"privacy", "veiligheid"} <= values
    if technology.get("leverancier"):
        assert {"vendor_lock_in", "data_eigendom"} <= clauses
    if "subsidieverstrekker" in intake["rol_provincie"]:
        assert "open_data_subsidie" in clauses
    if any(s["herkomst"] == "derde_partij" for s in technology.get("databronnen", [])):
        assert "rechtmatige_herkomst" in clauses
    if intake["project"]["fase"] in ("idee", "verkenning", "pilot"):
        assert "begeleidingsethiek" in instruments
    assert {i["instrument"] for i in intake["instrumenten"]} <= instruments
    selected = {c["id"] for c in intake.get("inkoop", {}).get("clausules", [])}
    assert selected <= clauses
    for value in dossier.values:  # every reason is a sentence about its own value
        assert all(reason.startswith(f"{value.name} is van toepassing omdat ") for reason in value.reasons)


def test_casus3_derivation(knowledge) -> None:
    intake = json.loads((Path(__file__).parent.parent / "examples" / "casus3-bezoekersdata.json").read_text("utf-8"))
    dossier = derive(intake, knowledge, TEMPLATE)
    clauses = {c.clause.id for c in dossier.clauses if c.reasons}
    assert {"vendor_lock_in", "data_eigendom", "algoritme_inzage", "rechtmatige_herkomst"} <= clauses
    assert {"privacy", "autonomie", "transparantie"} <= {v.id for v in dossier.values}
    assert "deda" in {p.instrument.id for p in dossier.instruments}


def test_check_json_and_exit_codes(run) -> None:
    """Casus 3 has open points: check says so in JSON and in text, and exits 3 both times."""
    example = Path(__file__).parent.parent / "examples" / "casus3-bezoekersdata.json"
    code, out, _ = run("check", example, "--json")
    result = json.loads(out)
    assert code == 3 and result["gereed"] is False and result["open_punten"]
    assert {"waarden", "instrumenten", "clausules", "open_punten", "gereed"} <= set(result)
    for key in ("waarden", "instrumenten", "clausules"):
        for entry in result[key]:
            assert entry["id"] and entry["redenen"]
            assert entry["bron"] and set(entry["bron"]) <= {"intake", "afgeleid"}
    code, out, _ = run("check", example)
    assert code == 3 and "Open punten" in out
    assert out.rstrip().endswith(f"Niet gereed: {len(result['open_punten'])} open punten.")


def test_check_ready_exits_0(minimal, write_intake, run) -> None:
    minimal["project"]["fase"] = "implementatie"
    minimal["technologie"]["soorten"] = ["platform"]
    minimal["waarden"] += [{"waarde": "doelmatigheid", "antwoord": "a"}, {"waarde": "betrokkenheid", "antwoord": "b"}]
    code, out, _ = run("check", write_intake(minimal))
    assert code == 0 and "Gereed voor besluit." in out


def test_check_shows_a_motivated_rejection(minimal, write_intake, run) -> None:
    minimal["instrumenten_afgewezen"] = [{"instrument": "deda", "motivatie": "Al gedaan in 2024."}]
    code, out, _ = run("check", write_intake(minimal))
    assert "De Ethische Data Assistent (DEDA) (deda): aanbevolen, afgewezen: Al gedaan in 2024." in out
    code, out, _ = run("check", write_intake(minimal), "--json")
    deda = next(i for i in json.loads(out)["instrumenten"] if i["id"] == "deda")
    assert deda["afgewezen_motivatie"] == "Al gedaan in 2024." and deda["bron"] == ["afgeleid"]


def test_check_status_is_singular_for_one_open_point(minimal, write_intake, run) -> None:
    minimal["project"]["fase"] = "implementatie"
    minimal["technologie"]["soorten"] = ["platform"]
    minimal["waarden"] += [{"waarde": "doelmatigheid", "antwoord": "a"}]
    code, out, _ = run("check", write_intake(minimal))
    assert code == 3 and out.rstrip().endswith("Niet gereed: 1 open punt.")
    assert "Instrumenten:\n  geen" in out and "Clausules:\n  geen" in out


def test_check_invalid_exits_1(run, tmp_path) -> None:
    path = tmp_path / "x.json"
    path.write_text("[]", "utf-8")
    assert run("check", path)[0] == 1
