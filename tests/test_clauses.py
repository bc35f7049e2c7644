"""'dossier clauses list|show|export': the clause library for procurement officers (issues 6 and 17)."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest

from dossier.cli import main
from dossier.knowledge import default_knowledge
from dossier.pipeline import prepare
from tests.conftest import Run

ROOT = Path(__file__).resolve().parent.parent
CASUS3 = ROOT / "examples" / "casus3-bezoekersdata.json"
MINIMAL = ROOT / "examples" / "minimaal.json"
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
KNOWLEDGE = default_knowledge()


def plain(parts: list[tuple[str, bool]]) -> str:
    return "".join(text for text, _ in parts)


def marked_markdown(parts: list[tuple[str, bool]]) -> str:
    return "".join(f"**[standaard: {text}]**" if default else text for text, default in parts)


def docx_lines(path: Path) -> list[str]:
    """One line per paragraph, one '|'-joined line per table row, in document order."""
    document = docx.Document(str(path))
    lines = []
    for block in document.element.body.iterchildren():
        if block.tag == f"{W}p":
            lines.append("".join(t.text or "" for t in block.iter(f"{W}t")))
        elif block.tag == f"{W}tbl":
            for row in block.iter(f"{W}tr"):
                lines.append("|".join("".join(t.text or "" for t in cell.iter(f"{W}t")) for cell in row.iter(f"{W}tc")))
    return lines


def marked_runs(paragraph_text: str, path: Path) -> list[str]:
    """Return the texts of runs styled as default values in the paragraph with this text."""
    document = docx.Document(str(path))
    for paragraph in document.paragraphs:
        if paragraph.text == paragraph_text:
            return [run.text for run in paragraph.runs if run.style is not None and run.style.name == "Standaardwaarde"]
    raise AssertionError(f"paragraph not found: {paragraph_text[:60]}")


def casus3_values(settings: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Return {clause id: parameter values} as the casus 3 intake gives them (a contract), plus settings."""
    dossier = prepare(CASUS3)
    return {use.clause.id: {**use.given, **{k: v for k, v in settings.items() if k in use.clause.parameters_in("inkoop")}}
            for use in dossier.clauses}


def library_order() -> list[str]:
    """Return the clause ids in the order a library export without --family shows them: grouped by first family."""
    families = list(KNOWLEDGE.families)
    return sorted(KNOWLEDGE.clauses, key=lambda c: families.index(KNOWLEDGE.clauses[c].applies_to[0]))


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The whole library and casus 3 with --set, exported once as Word for the slower checks."""
    folder = tmp_path_factory.mktemp("clauses")
    files = {"library": folder / "library.docx", "casus3": folder / "casus3.docx"}
    assert main(["clauses", "export", "-o", str(files["library"])]) == 0
    assert main(["clauses", "export", "--for", str(CASUS3), "--set", "bewaartermijn=12 maanden",
                 "-o", str(files["casus3"])]) == 0
    return files


# --- list and show ---------------------------------------------------------------------------

def test_list_shows_a_table_of_every_clause(run: Run) -> None:
    code, out, err = run("clauses", "list")
    assert (code, err) == (0, "")
    assert out.splitlines()[2].split() == ["Id", "Versie", "Titel", "Onderwerp"]
    for clause in KNOWLEDGE.clauses.values():
        assert re.search(rf"^{clause.id}\s+{re.escape(clause.version)}\s+{re.escape(clause.title)}\s+{clause.topic}$",
                         out, re.MULTILINE)
    assert f"kennisbank {KNOWLEDGE.version}" in out


def test_list_json_is_stable_sorted_data(run: Run) -> None:
    _, first, _ = run("clauses", "list", "--json")
    code, second, _ = run("clauses", "list", "--json")
    data = json.loads(first)
    assert code == 0 and first == second
    assert first.strip() == json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
    assert data["kennisbank_versie"] == KNOWLEDGE.version
    assert [c["id"] for c in data["clausules"]] == list(KNOWLEDGE.clauses)
    assert data["clausules"][0] == {"id": "data_eigendom", "titel": KNOWLEDGE.clauses["data_eigendom"].title,
                                    "onderwerp": "zeggenschap", "onderwerp_naam": KNOWLEDGE.topics["zeggenschap"].name,
                                    "versie": "2.0", "toepassing": ["inkoop", "subsidie"]}


def test_list_topic_filters(run: Run) -> None:
    code, out, _ = run("clauses", "list", "--topic", "algoritmen", "--json")
    expected = [c.id for c in KNOWLEDGE.clauses.values() if c.topic == "algoritmen"]
    assert code == 0 and [c["id"] for c in json.loads(out)["clausules"]] == expected and len(expected) > 1


def test_show_gives_the_full_clause(run: Run) -> None:
    clause = KNOWLEDGE.clauses["bewaartermijnen"]
    code, out, _ = run("clauses", "show", "bewaartermijnen")
    flat = " ".join(out.split())
    assert code == 0
    for expected in (clause.title, clause.version, clause.source, *clause.texts.values(), clause.rationale,
                     KNOWLEDGE.topics[clause.topic].name, "inkoop, subsidie", clause.provenance,
                     "Tekst voor een overeenkomst (inkoop):", "Tekst voor een subsidiebeschikking:"):
        assert " ".join(expected.split()) in flat
    for parameter in clause.parameters.values():
        assert f"{{{parameter.name}}}" in out and f"standaard: {parameter.default}" in out
        assert " ".join(parameter.description.split()) in flat
    assert "termijn in uur, dag, werkdag, week, maand, minimaal 1 uur, maximaal 120 maanden" in out
    assert "Archiefwet" in flat and "artikel 5, eerste lid, onder e" in flat


def test_show_json(run: Run) -> None:
    code, out, _ = run("clauses", "show", "data_eigendom", "--json")
    clause = json.loads(out)["clausule"]
    assert code == 0
    assert clause["teksten"] == {family: {"soort": KNOWLEDGE.families[family].name, "tekst": text}
                                 for family, text in KNOWLEDGE.clauses["data_eigendom"].texts.items()}
    assert clause["toepassing"] == ["inkoop", "subsidie"] and clause["bron"] and clause["toelichting"]
    assert clause["herkomst"].startswith("Eigen uitwerking van dossier op basis van de gids: ")
    assert {"norm": "Burgerlijk Wetboek (BW)", "onderdeel": "artikel 3:2 (begrip zaak) en artikel 5:1 (eigendom)"} \
        in clause["normen"]
    assert clause["parameters"][3] == {
        "naam": "overdrachtstermijn", "type": "termijn", "standaard": "30 dagen", "minimum": "1 dag",
        "maximum": "12 maanden", "eenheden": ["dag", "werkdag", "maand"],
        "omschrijving": KNOWLEDGE.clauses["data_eigendom"].parameters["overdrachtstermijn"].description}


# --- errors ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("args", "code", "message"), [
    (["show", "bewaartermijn"], 1, "onbekende clausule 'bewaartermijn'; bedoelde u 'bewaartermijnen'?"),
    (["list", "--topic", "algoritme"], 1, "onbekend onderwerp 'algoritme'; bedoelde u 'algoritmen'?"),
    (["export", "data_eigendom", "geen_clausule"], 1, "onbekende clausule 'geen_clausule'; toegestaan: data_eigendom,"),
    (["export", "--topic", "inkoop"], 1, "onbekend onderwerp 'inkoop'; toegestaan: zeggenschap ("),
    (["export", "--set", "bewaartermijnen=12 maanden"], 1, "parameter 'bewaartermijnen'; bedoelde u 'bewaartermijn'?"),
    (["export", "data_eigendom", "--set", "bewaartermijn=3 maanden"], 1,
     "geen van de geëxporteerde clausules heeft parameter 'bewaartermijn'; toegestaan: exportformaten, leverancier, "
     "ontvangen_data, overdrachtstermijn, provincie"),
    (["export", "--set", "bewaartermijn=twaalf"], 1,
     "parameter 'bewaartermijn' moet een termijn zijn als aantal en eenheid in uren, dagen, werkdagen, weken of "
     "maanden, bijvoorbeeld '12 maanden', niet 'twaalf'"),
    (["export", "--set", "bewaartermijn=0 maanden"], 1,
     "parameter 'bewaartermijn' moet minstens 1 uur en hoogstens 120 maanden zijn, niet '0 maanden'"),
    (["export", "--set", "meldtermijn=3 maanden"], 1,
     "parameter 'meldtermijn' is een termijn in uren, dagen of werkdagen, niet in maanden ('3 maanden')"),
    (["export", "--set", "weging=0"], 1, "parameter 'weging' moet minstens 1 zijn, niet 0"),
    (["export", "--set", "weging=101"], 1, "parameter 'weging' mag hoogstens 100 zijn, niet 101"),
    (["export", "--set", "weging=veel"], 1, "parameter 'weging' moet een geheel getal zijn, niet 'veel'"),
    (["export", "--family", "subsidie", "--set", "leverancier=Acme"], 1,
     "geen van de geëxporteerde clausules heeft parameter 'leverancier'"),
    (["export", "--family", "subsidies"], 1, "onbekende soort 'subsidies'; bedoelde u 'subsidie'?"),
    (["export", "vendor_lock_in", "--family", "subsidie"], 1,
     "clausule 'vendor_lock_in' heeft geen tekst voor een subsidiebeschikking; die bestaat voor: overeenkomst (inkoop)"),
    (["export", "--set", "provincie= "], 1, "parameter 'provincie' mag niet leeg zijn"),
    (["export", "--set", "leverancier=  "], 1, "parameter 'leverancier' mag niet leeg zijn"),
    (["export", "--set", "leverancier=regel\nregel"], 1, "bevat een regeleinde of stuurteken"),
    (["export", "--set", "bewaartermijn"], 2, "heeft niet de vorm NAAM=WAARDE"),
    (["export", "--format", "pdf"], 2, "ongeldige keuze: 'pdf'"),
    (["export", "--format", "docx", "-o", "-"], 2, "-o - (standaarduitvoer) kan alleen met --format md"),
    (["export", "--for", str(MINIMAL)], 1, "de intake kiest geen clausules en de afleiding vereist er geen"),
    (["export", "data_eigendom", "--topic", "algoritmen"], 1, "geen van de gekozen clausules hoort bij onderwerp"),
])
def test_errors_are_one_dutch_message(run: Run, monkeypatch: pytest.MonkeyPatch,
                                      tmp_path: Path, args: list[str], code: int, message: str) -> None:
    monkeypatch.chdir(tmp_path)
    result, out, err = run("clauses", *args)
    assert result == code
    assert message in err and "interne fout" not in err
    assert out == "" and not (tmp_path / "output").exists()


def test_every_set_problem_is_reported_at_once(run: Run) -> None:
    code, _, err = run("clauses", "export", "-o", "-", "--set", "bewaartermijn=twaalf",
                       "--set", "leveranciers=X")
    assert code == 1 and len(err.strip().splitlines()) == 2


def test_help_texts_are_dutch(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("list", "show", "export"):
        with pytest.raises(SystemExit) as exit_info:
            main(["clauses", command, "--help"])
        out = capsys.readouterr().out
        assert exit_info.value.code == 0 and "gebruik: dossier clauses" in out and "toon deze hulptekst" in out


# --- Markdown export -------------------------------------------------------------------------

def test_markdown_export_of_the_library(run: Run) -> None:
    code, out, err = run("clauses", "export", "--format", "md", "-o", "-")
    assert code == 0 and f"{len(KNOWLEDGE.clauses)} clausules geëxporteerd" in err
    assert out.startswith("# Bijlage: voorwaarden digitale ethiek\n")
    assert f"Kennisbank versie {KNOWLEDGE.version}" in out
    assert "Waarden in de vorm **[standaard: …]** zijn standaardwaarden" in out
    for number, clause_id in enumerate(library_order(), 1):
        clause = KNOWLEDGE.clauses[clause_id]
        family = KNOWLEDGE.families[clause.applies_to[0]]
        assert f"\n## {number}. {clause.title}\n" in out
        assert f"Voor: {family.name} · onderwerp: {KNOWLEDGE.topics[clause.topic].name} · clausule `{clause.id}`, " \
               f"versie {clause.version}" in out
        assert f"\n{marked_markdown(clause.fill({}, family.id))}\n" in out
        assert clause.rationale in out.replace("\\", "")
        assert f"*Herkomst.* {clause.provenance} {clause.norm_sentence(family.id)}" in out.replace("\\", "")
    assert not PLACEHOLDER.search(out)
    assert "<" not in out  # plain Markdown: no HTML


def test_markdown_for_intake_with_set(run: Run) -> None:
    code, out, _ = run("clauses", "export", "--for", CASUS3, "--set", "bewaartermijn=12 maanden", "-o", "-")
    values = casus3_values({"bewaartermijn": "12 maanden"})
    assert code == 0 and "Samengesteld voor het project" in out
    for clause_id, given in values.items():
        assert f"\n{marked_markdown(KNOWLEDGE.clauses[clause_id].fill(given, 'inkoop'))}\n" in out
    assert "niet langer dan 12 maanden na het moment van verzamelen" in out
    assert "[standaard: 12 maanden] na het moment" not in out
    assert "- `bewaartermijn`: 12 maanden — " in out
    assert not PLACEHOLDER.search(out)


def test_for_exports_exactly_what_check_lists(run: Run) -> None:
    _, out, _ = run("check", CASUS3, "--json")
    expected = [item["id"] for item in json.loads(out)["clausules"]]
    code, out, _ = run("clauses", "export", "--for", CASUS3, "-o", "-")
    assert code == 0 and expected
    assert re.findall(r"clausule `([a-z_]+)`", out) == expected


def test_ids_keep_their_order_and_topic_narrows(run: Run) -> None:
    _, out, _ = run("clauses", "export", "bewaartermijnen", "data_eigendom", "-o", "-")
    assert re.findall(r"clausule `([a-z_]+)`", out) == ["bewaartermijnen", "data_eigendom"]
    _, out, _ = run("clauses", "export", "--topic", "algoritmen", "-o", "-")
    assert re.findall(r"clausule `([a-z_]+)`", out) == [c for c in library_order()
                                                        if KNOWLEDGE.clauses[c].topic == "algoritmen"]


def test_markdown_escapes_values(run: Run) -> None:
    code, out, _ = run("clauses", "export", "data_eigendom", "-o", "-", "--set", "leverancier=A & <b>*B*</b>")
    assert code == 0 and "A \\& \\<b\\>\\*B\\*\\</b\\>" in out and "<b>" not in out


def test_default_output_paths(run: Run, monkeypatch: pytest.MonkeyPatch,
                              tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    assert run("clauses", "export", "--format", "md")[:2] == (0, "output/inkoopclausules.md\n")
    assert run("clauses", "export", "beveiliging")[:2] == (0, "output/inkoopclausules.docx\n")
    assert (tmp_path / "output" / "inkoopclausules.md").read_text("utf-8").startswith("# Bijlage")
    assert zipfile.is_zipfile(tmp_path / "output" / "inkoopclausules.docx")
    assert run("clauses", "export", "beveiliging", "-o", "bijlage.md")[0] == 0
    assert (tmp_path / "bijlage.md").read_text("utf-8").startswith("# Bijlage")


def test_make_clauses_target_works(run: Run, tmp_path: Path) -> None:
    makefile = (ROOT / "Makefile").read_text("utf-8")
    recipe = re.search(r"^clauses:.*\n\t(.+)$", makefile, re.MULTILINE).group(1)
    words = shlex.split(recipe.replace("$(OUTPUT)", str(tmp_path)))
    assert words[0] == "$(BIN)/dossier"
    assert run(*words[1:])[0] == 0
    assert docx.Document(str(tmp_path / "inkoopclausules.docx")).paragraphs[0].text.startswith("Bijlage")


# --- Word export -----------------------------------------------------------------------------

def test_word_export_has_every_clause_filled_in(exports: dict[str, Path]) -> None:
    lines = docx_lines(exports["library"])
    text = "\n".join(lines)
    assert lines[0] == "Bijlage: voorwaarden digitale ethiek"
    assert any(line.startswith("Geel gemarkeerde waarden zijn standaardwaarden") for line in lines)
    for number, clause_id in enumerate(library_order(), 1):
        clause = KNOWLEDGE.clauses[clause_id]
        family = KNOWLEDGE.families[clause.applies_to[0]]
        assert f"{number}. {clause.title}" in lines
        assert plain(clause.fill({}, family.id)) in lines
        assert f"Voor: {family.name} · onderwerp: {KNOWLEDGE.topics[clause.topic].name} · clausule {clause.id}, " \
               f"versie {clause.version}" in lines
        assert clause.rationale in text
        assert f"Herkomst. {clause.provenance} {clause.norm_sentence(family.id)}" in lines
        for parameter in clause.parameters_in(family.id).values():
            assert f"{parameter.name}|{parameter.default} (standaard)|{parameter.description}" in lines
    assert f"Kennisbank versie {KNOWLEDGE.version}" in text
    assert not PLACEHOLDER.search(text)
    header = docx.Document(str(exports["library"])).sections[0].header.paragraphs[0].text
    assert header == f"Bijlage: voorwaarden digitale ethiek\tKennisbank {KNOWLEDGE.version}"


def test_word_marks_defaults_and_not_set_values(exports: dict[str, Path]) -> None:
    lines = docx_lines(exports["casus3"])
    values = casus3_values({"bewaartermijn": "12 maanden"})
    for clause_id, given in values.items():
        parts = KNOWLEDGE.clauses[clause_id].fill(given, "inkoop")
        assert plain(parts) in lines
        assert marked_runs(plain(parts), exports["casus3"]) == [text for text, default in parts if default]
    kept = plain(KNOWLEDGE.clauses["bewaartermijnen"].fill(values["bewaartermijnen"], "inkoop"))
    assert "niet langer dan 12 maanden" in kept and "12 maanden" not in marked_runs(kept, exports["casus3"])
    assert any(line.startswith("bewaartermijn|12 maanden|") for line in lines)
    assert not PLACEHOLDER.search("\n".join(lines))


def test_word_escapes_values(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "escaped.docx"
    value = "A & <w:p/> {{ x }} {_{ y }_} {_% z %_}"
    assert run("clauses", "export", "data_eigendom", "-o", target, "--set", f"leverancier={value}").code == 0
    assert f"ter beschikking stelt aan {value} en" not in "\n".join(docx_lines(target))
    assert f"de data die zij aan {value} ter beschikking stelt" in "\n".join(docx_lines(target))


def test_word_export_is_deterministic(run: Run, exports: dict[str, Path], tmp_path: Path) -> None:
    again = tmp_path / "again.docx"
    assert run("clauses", "export", "-o", again).code == 0
    assert again.read_bytes() == exports["library"].read_bytes()
    properties = docx.Document(str(again)).core_properties
    assert properties.created.year == properties.modified.year == 1980
    assert properties.language == "nl-NL" and properties.author == "dossier"


def test_word_export_passes_the_schema_check(exports: dict[str, Path]) -> None:
    from tests.ooxml import assert_valid_docx

    for path in exports.values():
        assert_valid_docx(path)


def test_word_export_converts_with_libreoffice(exports: dict[str, Path], tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.fail("LibreOffice (soffice) ontbreekt: installeer het met 'make pdf-deps' om deze test te draaien")
    subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    *map(str, exports.values()), "-env:UserInstallation=file:///tmp/lo-prof-clauses"],
                   check=True, capture_output=True, timeout=120)
    for path in exports.values():
        pdf = tmp_path / f"{path.stem}.pdf"
        assert pdf.is_file() and pdf.stat().st_size > 10_000, f"LibreOffice maakte geen PDF van {path.name}"


def test_template_gets_every_variable_it_uses() -> None:
    from docxtpl import DocxTemplate

    from dossier.clauses import compose, docx_context

    template = DocxTemplate(str(ROOT / "dossier" / "templates" / "clausules.docx"))
    assert template.get_undeclared_template_variables(context=docx_context(compose())) == set()
