"""The knowledge base: every file loads against its schema, and its content matches the guide."""

from __future__ import annotations

import json
import re
import shutil
from importlib import resources
from pathlib import Path

import pytest

from dossier.errors import KnowledgeError
from dossier.knowledge import FILES, PLACEHOLDER, load_knowledge

PACKAGED = Path(str(resources.files("dossier").joinpath("knowledge")))
TABLE_1 = ("effectiviteit doelmatigheid autonomie zelfbeschikking gelijkwaardigheid non_discriminatie inclusie "
           "transparantie openheid privacy verantwoording controleerbaarheid duurzaamheid leefbaarheid veiligheid "
           "betrokkenheid gezondheid betrouwbaarheid").split()
EXTRA = ("vertrouwen legitimiteit rechtvaardigheid eerlijkheid innovatie democratie gelijkheid kwaliteit "
         "openbaarheid efficientie participatie").split()


@pytest.fixture(scope="module")
def knowledge():
    return load_knowledge()


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """Return a writable copy of the packaged knowledge base."""
    target = tmp_path / "kennisbank"
    shutil.copytree(PACKAGED, target)
    return target


def test_every_schema_is_valid_draft_2020_12() -> None:
    from jsonschema import Draft202012Validator

    for name in FILES:
        schema = json.loads(resources.files("dossier").joinpath(f"schemas/knowledge/{name}.schema.json").read_text("utf-8"))
        Draft202012Validator.check_schema(schema)
        assert schema["$schema"].endswith("2020-12/schema")


def test_table_1_rows_and_values(knowledge) -> None:
    assert [row.number for row in knowledge.rows] == list(range(1, 13))
    table_values = [v.id for v in knowledge.values.values() if v.from_table]
    assert sorted(table_values) == sorted(TABLE_1)
    assert knowledge.values["effectiviteit"].question == knowledge.values["doelmatigheid"].question
    assert knowledge.values["effectiviteit"].row == knowledge.values["doelmatigheid"].row
    assert knowledge.values["privacy"].row.name == "Privacy"


def test_extra_values_are_marked_and_have_their_own_question(knowledge) -> None:
    for value_id in EXTRA:
        value = knowledge.values[value_id]
        assert not value.from_table
        assert value.question.endswith("?")
        assert value.source


def test_every_value_id_of_the_intake_contract_exists(knowledge) -> None:
    assert set(TABLE_1 + EXTRA) <= set(knowledge.values)


@pytest.mark.parametrize(("instrument", "hours", "low", "high"), [
    ("begeleidingsethiek", 3, 15, 30),
    ("moreel_beraad", 1.5, 8, 15),
    ("deda", 3, None, None),
    ("goed_digitaal_bestuur", 2.5, 9, 15),
    ("iama", None, None, None),
    ("data_ethiek_volwassenheidsmodel", None, None, None),
])
def test_instrument_conditions_match_the_guide(knowledge, instrument, hours, low, high) -> None:
    conditions = knowledge.instruments[instrument].conditions
    assert (conditions.min_hours, conditions.group_min, conditions.group_max) == (hours, low, high)


def test_iama_takes_one_day(knowledge) -> None:
    assert "dag" in knowledge.instruments["iama"].conditions.duration.lower()


def test_six_instruments_with_method_and_results(knowledge) -> None:
    assert list(knowledge.instruments) == ["begeleidingsethiek", "moreel_beraad", "deda", "goed_digitaal_bestuur",
                                           "iama", "data_ethiek_volwassenheidsmodel"]
    assert len(knowledge.instruments["begeleidingsethiek"].method) == 3
    assert len(knowledge.instruments["goed_digitaal_bestuur"].method) == 5
    for instrument in knowledge.instruments.values():
        assert instrument.method and instrument.results and instrument.source


def test_needs_map_to_instruments_as_chapter_1(knowledge) -> None:
    mapping = {need.id: set(need.instruments) for need in knowledge.needs}
    assert mapping == {
        "waarden_en_richtlijnen": {"goed_digitaal_bestuur"},
        "dialoogmethode": {"deda", "begeleidingsethiek", "moreel_beraad"},
        "mensenrechtentoets": {"iama"},
        "organisatiemeting": {"data_ethiek_volwassenheidsmodel"},
    }


def test_clause_library_size_and_required_ids(knowledge) -> None:
    assert len(knowledge.clauses) >= 14
    assert len({c.topic for c in knowledge.clauses.values()}) >= 7
    required = {"data_eigendom", "vendor_lock_in", "algoritme_inzage", "open_data_subsidie", "rechtmatige_herkomst",
                "opslaglocatie", "bewaartermijnen", "delen_met_derden", "doelbinding", "uitlegbaarheid",
                "menselijk_toezicht", "beveiliging", "exit_migratie"}
    assert required <= set(knowledge.clauses)
    assert "subsidie" in knowledge.clauses["open_data_subsidie"].applies_to


def test_every_clause_parameter_in_a_text_has_a_default(knowledge) -> None:
    for clause in knowledge.clauses.values():
        used = {name for text in clause.texts.values() for name in PLACEHOLDER.findall(text)}
        parties = {knowledge.families[family].party.name for family in clause.texts}
        assert used | parties == set(clause.parameters), clause.id
        for parameter in clause.parameters.values():
            assert parameter.default not in (None, ""), (clause.id, parameter.name)
        for family in clause.texts:
            filled = "".join(text for text, _ in clause.fill({}, family))
            assert not re.search(r"\{[a-z_0-9]+\}", filled), (clause.id, family)


def test_clause_fill_marks_defaults(knowledge) -> None:
    parts = knowledge.clauses["bewaartermijnen"].fill({"bewaartermijn": "12 maanden"})
    assert ("12 maanden", False) in parts
    assert any(is_default for _, is_default in knowledge.clauses["bewaartermijnen"].fill({}))


def test_version_is_set(knowledge) -> None:
    assert re.fullmatch(r"\d{4}\.\d+\.\d+", knowledge.version)
    assert knowledge.source["editie"] == "augustus 2024"


def test_broken_field_names_file_and_place(broken: Path) -> None:
    path = broken / "instrumenten.yaml"
    path.write_text(path.read_text("utf-8").replace("minimale_duur_uren: 1.5", "minimale_duur_uren: anderhalf"), "utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(broken)
    lines = caught.value.lines()
    assert len(lines) == 1
    assert lines[0].startswith(f"{path}: /instrumenten/1/voorwaarden/minimale_duur_uren: ")


def test_yaml_syntax_error_gives_line_and_column(broken: Path) -> None:
    path = broken / "waarden.yaml"
    path.write_text(path.read_text("utf-8") + "\n  - id: [kapot\n", "utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(broken)
    assert re.match(rf"{re.escape(str(path))}:\d+:\d+: ongeldige YAML", caught.value.lines()[0])


def test_placeholder_without_default_is_reported(broken: Path) -> None:
    path = broken / "clausules.yaml"
    text = path.read_text("utf-8").replace("{bewaartermijn}", "{bewaartermijn_jaren}", 1)
    path.write_text(text, "utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(broken)
    assert any("bewaartermijn_jaren" in line and "geen standaardwaarde" in line for line in caught.value.lines())


def test_unknown_instrument_in_need_is_reported(broken: Path) -> None:
    path = broken / "behoeften.yaml"
    path.write_text(path.read_text("utf-8").replace("[iama]", "[iamaa]"), "utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(broken)
    assert any("onbekend instrument 'iamaa'" in line for line in caught.value.lines())


def test_broken_knowledge_via_cli_is_a_message_not_a_traceback(broken: Path, run, monkeypatch) -> None:
    from dossier.knowledge import default_knowledge

    (broken / "kennisbank.yaml").write_text("versie: 3\n", "utf-8")
    monkeypatch.setenv("DOSSIER_KENNISBANK", str(broken))
    default_knowledge.cache_clear()
    try:
        code, _, err = run("values")
    finally:
        default_knowledge.cache_clear()
    assert code == 1 and "interne fout" not in err
    assert f"{broken / 'kennisbank.yaml'}: /versie: moet een tekst zijn, maar is een geheel getal" in err
    assert f"{broken / 'kennisbank.yaml'}: /bron: verplicht veld ontbreekt" in err


def test_values_and_instruments_commands(run) -> None:
    code, out, _ = run("values")
    assert code == 0 and "privacy" in out and "Tabel 1, rij" in out
    code, out, _ = run("values", "--json")
    data = json.loads(out)
    assert len(data["waarden"]) >= 29 and data["kennisbank_versie"]
    code, out, _ = run("instruments", "--json")
    assert {i["id"] for i in json.loads(out)["instrumenten"]} >= {"iama", "deda"}
    code, out, _ = run("instruments")
    assert code == 0 and "Moreel Beraad" in out
