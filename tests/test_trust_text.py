"""Text that cannot spoof the page: one-line fields hold one line of visible text, hidden characters are named."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dossier import text
from tests.conftest import EXAMPLES
from tests.docx_text import docx_text


def _one_line_paths(node: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Yield the schema paths ('*' for list items, '+' for map values) of every field that is $defs/regel."""
    if not isinstance(node, dict):
        return
    if node.get("$ref") == "#/$defs/regel":
        yield path
    for key, child in node.get("properties", {}).items():
        yield from _one_line_paths(child, (*path, key))
    if isinstance(node.get("items"), dict):
        yield from _one_line_paths(node["items"], (*path, "*"))
    if isinstance(node.get("additionalProperties"), dict):
        yield from _one_line_paths(node["additionalProperties"], (*path, "+"))


# Read from the file: intake_schema() is shared, and hypothesis-jsonschema resolves its $refs in place.
SCHEMA = json.loads((Path(text.__file__).parent / "schemas" / "intake.schema.json").read_text("utf-8"))
ONE_LINE = sorted(_one_line_paths(SCHEMA))


def _locate(data: Any, path: tuple[str, ...]) -> list[Any] | None:
    """Return the concrete path (first list item, first map key) of a schema path in data, or None."""
    concrete: list[Any] = []
    for part in path:
        if part == "*":
            if not isinstance(data, list) or not data:
                return None
            part_value: Any = next((i for i, item in enumerate(data)
                                    if not (isinstance(item, dict) and "waarde" in item)), 0)
            concrete.append(part_value)
            data = data[part_value]
        elif part == "+":
            strings = [k for k, v in data.items() if isinstance(v, str)] if isinstance(data, dict) else []
            if not strings:
                return None
            concrete.append(strings[0])
            data = data[strings[0]]
        else:
            if not isinstance(data, dict) or part not in data:
                return None
            concrete.append(part)
            data = data[part]
    return concrete if isinstance(data, str) else None


def _intake_with(path: tuple[str, ...]) -> tuple[dict[str, Any], list[Any]]:
    for example in EXAMPLES:
        data = json.loads(example.read_text("utf-8"))
        concrete = _locate(data, path)
        if concrete is not None:
            return data, concrete
    raise AssertionError(f"geen voorbeeld heeft {path}")


def _set(data: dict[str, Any], concrete: list[Any], value: str) -> dict[str, Any]:
    data = copy.deepcopy(data)
    node: Any = data
    for part in concrete[:-1]:
        node = node[part]
    node[concrete[-1]] = value
    return data


def _pointer(concrete: list[Any]) -> str:
    return "".join(f"/{part}" for part in concrete)


def test_the_one_line_fields_are_the_names_titles_and_parameters() -> None:
    names = {path[-1] if path[-1] != "+" else "parameter" for path in ONE_LINE}
    assert names >= {"naam", "afdeling", "projectleider", "adviseur", "gedeputeerde", "portefeuille",
                     "ambtelijk_opdrachtgever", "partij", "eigenaar", "begeleider", "parameter"}
    assert ("technologie", "leverancier", "naam") in ONE_LINE and ("waarden", "*", "eigen", "naam") in ONE_LINE


def test_the_schema_holds_the_patterns_of_the_text_module() -> None:
    definitions = SCHEMA["$defs"]
    assert definitions["regel"]["pattern"] == text.ONE_LINE_PATTERN
    assert definitions["tekst"]["pattern"] == text.VISIBLE_PATTERN


SPOOFS = {
    "regeleinde": ("Dashboard\nStatus: Gereed voor besluit", "moet op één regel: een regeleinde"),
    "regeleinde-cr": ("Dashboard\rStatus: Gereed voor besluit", "moet op één regel: een regeleinde"),
    "regelscheiding": ("Dashboard\u2028Status: Gereed", "moet op één regel: een regeleinde"),
    "pagina-einde": ("Dashboard\fStatus", "moet op één regel: een regeleinde of pagina-einde"),
    "tab": ("J.\tde Vries", "moet op één regel: een tab"),
    "rechts-naar-links": ("\u202eseirV ed .J\u202c", "leesrichting omdraait (U+202E, U+202C)"),
    "isolaat": ("J. de \u2067Vries\u2069", "leesrichting omdraait (U+2067, U+2069)"),
    "nulbreedte": ("J. de\u200b Vries", "onzichtbaar teken (U+200B)"),
    "woordverbinder": ("J. de\u2060Vries", "onzichtbaar teken (U+2060)"),
    "bom-midden": ("J. de\ufeffVries", "onzichtbaar teken (U+FEFF)"),
    "hangul-vuller": ("J. de Vries\u3164", "onzichtbaar teken (U+3164)"),
    "c1": ("J. de\x85Vries", "regeleinde"),
    "escape": ("J. de \x1b[31mVries", "stuurteken (U+001B)"),
}


@pytest.mark.parametrize("path", ONE_LINE, ids=["/".join(p) for p in ONE_LINE])
@pytest.mark.parametrize("spoof", SPOOFS, ids=list(SPOOFS))
def test_every_one_line_field_refuses_what_could_spoof_the_page(path: tuple[str, ...], spoof: str, write_intake,
                                                                run) -> None:
    data, concrete = _intake_with(path)
    value, message = SPOOFS[spoof]
    code, out, err = run("validate", write_intake(_set(data, concrete, value)))
    assert code == 1
    expected = f"intake.json: {_pointer(concrete)}: "
    lines = [line for line in err.splitlines() if expected in line]
    assert lines and message in lines[0], err
    assert "\x1b" not in err and "Traceback" not in err


@pytest.mark.parametrize("path", ONE_LINE, ids=["/".join(p) for p in ONE_LINE])
def test_a_name_of_invisible_characters_is_empty(path: tuple[str, ...], write_intake, run) -> None:
    data, concrete = _intake_with(path)
    code, _, err = run("validate", write_intake(_set(data, concrete, "\u2800\u200b ")))
    assert code == 1
    assert f"{_pointer(concrete)}: mag niet leeg zijn (alleen spaties en onzichtbare tekens" in err


def test_a_long_text_of_only_invisible_characters_is_empty(minimal, write_intake, run) -> None:
    minimal["project"]["beschrijving"] = "\u2800\u3164"
    code, _, err = run("validate", write_intake(minimal))
    assert code == 1 and "/project/beschrijving: mag niet leeg zijn" in err


@pytest.mark.parametrize(("field", "limit"), [("afdeling", 200), ("projectleider", 200), ("adviseur", 200),
                                              ("centrale_vraag", 600)])
def test_one_line_fields_are_short_enough_to_keep_the_status_on_the_cover(minimal, write_intake, run, field: str,
                                                                         limit: int) -> None:
    minimal["project"][field] = "x" * limit
    assert run("validate", write_intake(minimal))[0] == 0
    minimal["project"][field] = "x" * (limit + 1)
    code, _, err = run("validate", write_intake(minimal))
    assert code == 1 and f"/project/{field}: is te lang: {limit + 1} tekens, maximaal {limit}" in err


def test_ordinary_names_pass(minimal, write_intake, run) -> None:
    minimal["ondertekening"]["gedeputeerde"] = "Ö. Çelik-van 't Hooft"
    minimal["project"]["naam"] = "Sensoren 🐄 in de stal — fase 2"
    assert run("validate", write_intake(minimal)) == (0, "", f"{write_intake(minimal)}: geldig\n")


def test_hidden_characters_in_long_texts_are_kept_and_named(minimal, write_intake, run, tmp_path: Path) -> None:
    minimal["project"]["beschrijving"] = "Een budget van \u202e000.05\u202c euro."
    code, _, err = run("build", write_intake(minimal), "-o", tmp_path / "uit")
    assert code == 0, err
    assert "/project/beschrijving bevat 2 tekens die de leesrichting omdraaien of onzichtbaar zijn (U+202E, U+202C)" \
        in err
    document = docx_text((tmp_path / "uit" / "intake.docx").read_bytes())
    assert "\u202e000.05\u202c" in document  # kept as typed
    assert "/project/beschrijving bevat 2 tekens" in document  # and the reader is told


def test_emoji_sequences_pass_but_a_lone_joiner_does_not(minimal, write_intake, run) -> None:
    minimal["project"]["naam"] = "Drukte 📈 in het park met het gezin 👨\u200d👩\u200d👧"
    assert run("validate", write_intake(minimal))[0] == 0
    minimal["project"]["naam"] = "J. de\u200dVries"
    code, _, err = run("validate", write_intake(minimal))
    assert code == 1 and "/project/naam: bevat een onzichtbaar teken (U+200D)" in err


def test_tag_characters_are_invisible_too(minimal, write_intake, run) -> None:
    minimal["project"]["naam"] = "Dashboard\U000e0041\U000e0042"
    code, _, err = run("validate", write_intake(minimal))
    assert code == 1 and "/project/naam: bevat een onzichtbaar teken (U+E0041, U+E0042)" in err


def test_mixed_script_look_alike_names_are_warned_about(minimal, write_intake, run, tmp_path: Path) -> None:
    minimal["ondertekening"]["gedeputeerde"] = "J. de Vriеs"  # the e before the s is Cyrillic
    code, _, err = run("build", write_intake(minimal), "-o", tmp_path / "uit")
    assert code == 0
    assert "/ondertekening/gedeputeerde mengt letters uit verschillende schriften (Latijns, Cyrillisch)" in err
    assert "mengt letters" in docx_text((tmp_path / "uit" / "intake.docx").read_bytes())


def test_one_script_names_get_no_warning() -> None:
    assert text.mixed_script_warning("J. de Vries") is None
    assert text.mixed_script_warning("Ελένη Παπαδοπούλου") is None
    assert text.mixed_script_warning("Zoë Ørsted") is None


def test_one_line_problem_is_none_for_plain_text() -> None:
    assert text.one_line_problem("Gedeputeerde Staten van Fryslân") is None
    assert re.search(text.ONE_LINE_PATTERN, "regel\n") is None  # "$" would let a final line feed through
