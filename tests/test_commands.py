"""What a user meets first: help without arguments, the status of each built dossier, a readable extract,
topics by name, and the allowed values of every choice field."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dossier.schema import intake_schema
from tests.conftest import ROOT

Run = Callable[..., tuple[int, str, str]]
CASUS3 = ROOT / "examples" / "casus3-bezoekersdata.json"  # 9 open points
READY = ROOT / "examples" / "voorbeeld2-tiktok.json"  # ready for decision


def test_dossier_without_arguments_prints_its_help(run: Run) -> None:
    code, out, err = run()
    assert code == 0, err
    assert out.startswith("gebruik: dossier") and "opdrachten:" in out and "choices" in out


def test_build_ends_each_dossier_with_its_status(run: Run, tmp_path: Path) -> None:
    code, out, err = run("build", CASUS3, READY, "-o", tmp_path)
    assert code == 0, err
    assert out.splitlines() == [str(tmp_path / f"{p.stem}.docx") for p in (CASUS3, READY)]  # stdout stays scriptable
    lines = err.splitlines()
    assert f"{tmp_path / CASUS3.stem}.docx — niet gereed: 9 open punten — zie dossier check {CASUS3}" in lines
    assert f"{tmp_path / READY.stem}.docx — gereed voor besluit" in lines


def test_extract_writes_the_intake_as_a_person_would(run: Run, tmp_path: Path) -> None:
    assert run("build", CASUS3, "-o", tmp_path)[0] == 0
    document = tmp_path / f"{CASUS3.stem}.docx"
    code, out, err = run("extract", document)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[:3] == ["{", '  "$schema": "../schemas/intake.schema.json",', '  "schema_versie": "1.0",']
    assert "én" in out and "\\u00e9" not in out  # UTF-8, not \\u escapes
    original = json.loads(CASUS3.read_text("utf-8"))
    original.pop("$schema", None)
    extracted = json.loads(out)
    assert extracted.pop("$schema") == "../schemas/intake.schema.json"
    assert extracted == original
    assert list(extracted) == [key for key in intake_schema()["properties"] if key in extracted and key != "$schema"]

    target = tmp_path / "terug" / "intake.json"
    code, out, err = run("extract", document, "-o", target)
    assert code == 0, err
    assert out.strip() == str(target)
    assert target.read_text("utf-8") == "\n".join(lines) + "\n"
    assert run("validate", target)[0] == 0


def test_extract_keeps_control_characters_and_lone_surrogates_escaped() -> None:
    from dossier.extract import readable_intake

    text = readable_intake(json.dumps({"a": "x\u009by\ud800z\u0007"}))
    assert "\\u009b" in text and "\\ud800" in text and "\\u0007" in text
    text.encode("utf-8")  # a lone surrogate would fail here


def test_clause_topics_by_id_or_dutch_name_in_any_case(run: Run) -> None:
    by_id = run("clauses", "list", "--topic", "zeggenschap", "--json")
    by_name = run("clauses", "list", "--topic", "  ZEGGENSCHAP over DATA ", "--json")
    assert by_id[0] == by_name[0] == 0
    assert json.loads(by_id[1]) == json.loads(by_name[1])
    assert json.loads(by_id[1])["onderwerp"] == "zeggenschap"
    code, _, err = run("clauses", "list", "--topic", "Zegenschap")
    assert code == 1 and "bedoelde u 'zeggenschap'?" in err
    code, _, err = run("clauses", "export", "--topic", "opslag en bewaring van data", "-o", "-")
    assert code == 0, err


def test_clause_help_lists_the_topics(run: Run, capsys: Any) -> None:
    from dossier.cli import main
    from dossier.knowledge import default_knowledge

    for command in (["clauses", "list", "--help"], ["clauses", "export", "--help"]):
        try:
            main(command)
        except SystemExit as exit_info:
            assert exit_info.code == 0
        out = " ".join(capsys.readouterr().out.split())
        for topic in default_knowledge().topics.values():
            assert f"{topic.id} ({topic.name})" in out, (command, topic.id)


def test_choices_lists_every_enum_with_its_labels(run: Run) -> None:
    code, out, err = run("choices", "--json")
    assert code == 0, err
    fields = {field["veld"]: {v["waarde"]: v["label"] for v in field["waarden"]} for field in json.loads(out)["velden"]}
    assert fields["/technologie/soorten/*"]["iot"] == "Internet of Things (IoT)"
    assert fields["/drietrap/mag_het/oordeel"]["onder_voorwaarden"] == "Ja, onder voorwaarden"
    assert fields["/instrumenten/*/instrument"]["iama"] == "Impact Assessment Mensenrechten en Algoritmes (IAMA)"
    assert len(fields) == 16  # 13 places, the drietrap verdict thrice and the instrument twice among them
    from dossier.labels import enums

    assert {place: list(values) for place, values in fields.items()} == {e.place: list(e.values) for e in enums()}
    code, text, _ = run("choices")
    assert code == 0 and "    ar_vr" in text and "AR / VR" in text
