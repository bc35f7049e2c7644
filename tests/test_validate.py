"""Validation: one folder per error case in tests/cases/<name>/ with intake.json and expected.txt.

expected.txt holds the exact stderr of `dossier validate intake.json` run inside the case folder.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT

CASES = sorted(p for p in (Path(__file__).parent / "cases").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_error_case(case: Path, run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(case)
    code, out, err = run("validate", "intake.json")
    assert code == 1
    assert out == "" and err == (case / "expected.txt").read_text("utf-8")
    for line in err.splitlines():
        assert line.startswith("intake.json:"), line


def test_cases_cover_every_error_class() -> None:
    names = {c.name for c in CASES}
    for required in ("bestand-ontbreekt", "map-in-plaats-van-bestand", "leeg-bestand", "geen-utf8",
                     "komma-te-veel", "afgebroken-bestand", "onbekende-enum-suggestie", "onbekende-enum-lijst",
                     "onbekende-waarde-suggestie", "onbekende-clausule", "verplicht-veld-ontbreekt"):
        assert required in names


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_examples_are_valid(example: Path, run) -> None:
    code, _, err = run("validate", example)
    assert (code, err) == (0, f"{example}: geldig\n")


def test_every_problem_is_reported_once(minimal, write_intake, run) -> None:
    minimal["project"]["fase"] = "pilott"
    minimal["project"]["datum"] = "gisteren"
    minimal["waarden"][0]["waarde"] = "privacey"
    del minimal["ondertekening"]["gedeputeerde"]
    minimal["extra"] = 1
    code, _, err = run("validate", write_intake(minimal))
    lines = err.splitlines()
    assert code == 1
    assert len(lines) == 5 == len(set(lines))
    assert any("/project/fase: onbekende waarde 'pilott'; bedoelde u 'pilot'?" in line for line in lines)
    assert any("/ondertekening/gedeputeerde: verplicht veld ontbreekt" in line for line in lines)
    assert any("/extra: onbekend veld 'extra'" in line for line in lines)


def test_several_files_report_each_and_fail(write_intake, minimal, run, tmp_path: Path) -> None:
    good = write_intake(minimal, "goed.json")
    code, _, err = run("validate", good, tmp_path / "weg.json")
    assert code == 1
    assert f"{good}: geldig" in err
    assert f"{tmp_path / 'weg.json'}: bestand bestaat niet" in err


def test_byte_order_mark_is_accepted(minimal, tmp_path: Path, run) -> None:
    import json

    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(minimal).encode("utf-8"))
    assert run("validate", path)[0] == 0


def test_deep_nesting_is_a_clear_error(tmp_path: Path, run) -> None:
    path = tmp_path / "diep.json"
    path.write_text('{"inkoop": ' + "[" * 100_000 + "]" * 100_000 + "}", "utf-8")
    code, _, err = run("validate", path)
    assert code == 1
    assert "te diep genest" in err


def test_own_value_can_be_referenced_by_id(minimal, write_intake, run) -> None:
    minimal["waarden"].append({"eigen": {"id": "menselijke_maat", "naam": "Menselijke maat", "vraag": "Blijft er ruimte voor maatwerk?"},
                               "antwoord": "Ja."})
    minimal["afweging"].append({"richting": "onwenselijk", "waarden": ["menselijke_maat"], "omdat": "het kil kan voelen."})
    minimal["handelingsopties"] = [{"maatregel": "Vaste contactpersoon.", "waarden": ["menselijke_maat"]}]
    assert run("validate", write_intake(minimal))[0] == 0


def test_usage_errors_exit_2(run) -> None:
    assert run("validate")[0] == 2
    code, _, err = run("bogus")
    assert code == 2
    assert "ongeldige keuze" in err


def test_control_characters_in_user_text_never_reach_the_terminal(minimal, write_intake, run) -> None:
    minimal["na\x1b[31mam"] = 1
    code, _, err = run("validate", write_intake(minimal))
    assert code == 1
    assert "\x1b" not in err and "'na\\x1b[31mam'" in err


def test_schema_describes_every_property_in_dutch() -> None:
    from dossier.validate import intake_schema

    schema = intake_schema()
    assert schema["$schema"].endswith("2020-12/schema") and schema["$id"]

    def walk(node, where):
        if isinstance(node, dict):
            if node.get("type") == "object" and "properties" in node:
                assert node.get("additionalProperties") is False, where
                for name, sub in node["properties"].items():
                    assert sub.get("description"), f"{where}/{name}"
            for key, sub in node.items():
                walk(sub, f"{where}/{key}")
        elif isinstance(node, list):
            for i, sub in enumerate(node):
                walk(sub, f"{where}/{i}")

    walk(schema, "")


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_every_example_points_editors_at_the_schema(example: Path) -> None:
    """The README tells users to start an intake with this line; the examples do, with a path that resolves."""
    import json

    from dossier.validate import intake_schema

    intake = json.loads(example.read_text("utf-8"))
    assert next(iter(intake)) == "$schema", "$schema hoort de eerste regel van de intake te zijn"
    assert intake["$schema"] == "../schemas/intake.schema.json"
    schema = (example.parent / intake["$schema"]).resolve()
    assert json.loads(schema.read_text("utf-8")) == intake_schema()
    assert '"$schema": "../schemas/intake.schema.json"' in (ROOT / "README.md").read_text("utf-8")
