"""The Word dossier: golden text, trust (every string arrives exactly), determinism, the embedded
intake and valid OOXML.

Golden files: ``tests/golden/<example>.txt`` hold the text dump (``tests/docx_text.py``) of the
dossier of each ``examples/*.json``, with the dossier reference as ``{referentie}`` and
``{referentie_kort}`` (it fingerprints the template file, so a house-style edit changes it; the
reference is checked separately). A styling change to a template changes no golden text. After an
intended change to the template's wording, the context or the knowledge base, regenerate them and
review the diff before committing:

    DOSSIER_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_render.py -k golden
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import os
import zipfile
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from dossier import __version__
from dossier.errors import InputError
from dossier.extract import extract_intake
from dossier.markdown import to_paragraphs
from dossier.pipeline import prepare
from dossier.render import (
    INTAKE_NAMESPACE,
    _with_formatting,
    load_template,
    render_dossier,
    template_file,
)
from tests.conftest import EXAMPLES, MAIN_EXAMPLE, ExampleBuild
from tests.docx_text import content_text as reference_free_text
from tests.docx_text import docx_text
from tests.ooxml import schema_errors

GOLDEN = Path(__file__).parent / "golden"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
HOSTILE = {
    "xml-tekens": "R&D <b>vet</b> \"dubbel\" 'enkel' a > b & c < d",
    "aanhalingstekens": "„Zo” zei ze, ‘echt’ «waar» – en ’s avonds",
    "emoji": "Drukte 📈 in het park 🌳 met het gezin 👨‍👩‍👧",
    "rechts-naar-links": "مرحبا بالعالم en שלום עולם",
    "jinja-waarde": "{{ project.naam }} en {{ 7*7 }}",
    "jinja-blok": "{% for x in range(3) %}herhaal{% endfor %}",
    "docxtpl-escape": "{_{ x }_} en {_% if y %_}",
    "xml-uitbraak": "</w:t></w:r></w:p><w:p><w:r><w:t>ingevoegd",
}


def build(path: Path | str) -> tuple[Any, Any, bytes, dict[str, Any]]:
    """Return (raw intake, dossier, docx bytes, context) for an intake file."""
    dossier = prepare(str(path))
    document, context = render_dossier(dossier)
    return json.loads(Path(path).read_text("utf-8")), dossier, document, context


@pytest.fixture(scope="module")
def main_build() -> tuple[Any, Any, bytes, dict[str, Any]]:
    return build(MAIN_EXAMPLE)


def part(document: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(document)) as archive:
        return archive.read(name)


def hostile_intake(minimal: dict[str, Any], text: str) -> dict[str, Any]:
    """The minimal intake with text in the name, description, a value's answer, a reason and a decision's risk."""
    intake = copy.deepcopy(minimal)
    intake["project"]["naam"] = text
    intake["project"]["beschrijving"] = text
    intake["waarden"][0]["antwoord"] = text
    intake["afweging"][0]["omdat"] = text
    intake["besluiten"] = [{"besluit": "Het dashboard wordt gebouwd.", "risico": text}]
    return intake


# --- golden text ------------------------------------------------------------------------------

def content_text(document: bytes, context: dict[str, Any]) -> str:
    """Return the golden text of a dossier (reference as placeholders), after checking that the reference in
    its properties is the one the context holds."""
    text, reference = reference_free_text(document)
    assert reference == context["dossier"]["referentie"]
    return text


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_golden_text(example: Path, examples_built: ExampleBuild) -> None:
    context = json.loads(examples_built.file(example, "context.json").read_text("utf-8"))
    text = content_text(examples_built.file(example).read_bytes(), context)
    golden = GOLDEN / f"{example.stem}.txt"
    if os.environ.get("DOSSIER_UPDATE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(text, "utf-8")
    assert golden.exists(), f"{golden} ontbreekt; maak het met DOSSIER_UPDATE_GOLDEN=1"
    assert text == golden.read_text("utf-8"), f"tekst van {example.name} wijkt af van {golden.name}"


# --- every intake string arrives exactly ------------------------------------------------------

@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_text_arrives_literally(text: str, minimal: dict[str, Any], write_intake: Any) -> None:
    raw, _, document, context = build(write_intake(hostile_intake(minimal, text)))
    lines = docx_text(document).splitlines()
    assert context["project"]["naam"] == text
    assert f"[eigenschap titel] {text}" in lines
    assert any(line.startswith("[koptekst default]") and line.endswith(f"·  {text}") for line in lines)
    assert lines.count(text) >= 2  # cover subtitle and the description paragraph
    assert f"Project | {text}" in lines  # sign-off page
    assert any(f"| {text} |" in line for line in lines if line.startswith("Effectiviteit"))  # value table
    assert any(line.endswith(f"| …{text}") for line in lines)  # weighing
    assert any(f"/ Risico: {text} |" in line for line in lines)  # decision with its risk
    assert f"- {text}" in lines  # accepted risks restated
    # No piece of the text became a paragraph or cell of its own: every line with its end holds all of it.
    assert all(text in line for line in lines if text[-8:] in line)
    assert json.loads(extract_from_bytes(document)) == raw


def extract_from_bytes(document: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(document)) as archive:
        root = etree.fromstring(archive.read("customXml/item1.xml"))
    assert root.tag == f"{{{INTAKE_NAMESPACE}}}intake"
    return root.text or ""


def test_hostile_text_keeps_the_document_valid(minimal: dict[str, Any], write_intake: Any, tmp_path: Path) -> None:
    text = " | ".join(HOSTILE.values())[:200]
    _, _, document, _ = build(write_intake(hostile_intake(minimal, text)))
    target = tmp_path / "vijandig.docx"
    target.write_bytes(document)
    assert schema_errors(target) == []


@pytest.mark.parametrize("bad", ["\x07", "\ud800"], ids=["stuurteken", "los-surrogaat"])
def test_characters_xml_cannot_hold_are_removed_with_a_warning(bad: str, minimal: dict[str, Any],
                                                                tmp_path: Path) -> None:
    intake = copy.deepcopy(minimal)
    intake["project"]["beschrijving"] = f"Begin{bad} en alles daarna blijft staan."
    intake["afweging"][0]["omdat"] = f"de provincie{bad} gerichter kan besparen."
    path = tmp_path / "intake.json"
    path.write_text(json.dumps(intake, ensure_ascii=True), "ascii")  # a lone surrogate only survives as \ud800
    raw, dossier, document, _ = build(path)
    text = docx_text(document)
    assert "Begin en alles daarna blijft staan." in text.splitlines()
    assert "…de provincie gerichter kan besparen." in text
    assert any("/project/beschrijving" in warning for warning in dossier.warnings)
    assert any("/afweging/0/omdat" in warning for warning in dossier.warnings)
    assert "Bijlage B  Bron en verantwoording" in text  # nothing after the bad character is lost
    assert json.loads(extract_from_bytes(document)) == raw  # the embedded intake keeps it, escaped


def test_markdown_description_formats_and_keeps_html_as_text() -> None:
    links: list[str] = []

    def link(url: str) -> str:
        links.append(url)
        return f"rId{100 + len(links)}"

    xml = str(to_paragraphs("Een **vet** en *schuin* woord, [de gids](https://www.ipo.nl/gids?a=1&b=2).\n\n"
                            "- punt één\n- punt <b>twee</b>\n  1. genest\n\n3. drie\n4. vier\n\n"
                            "<div onclick='x'>blok</div> en snake_case en _onderstreept_", link))
    assert links == ["https://www.ipo.nl/gids?a=1&b=2"]
    assert '<w:rPr><w:b/><w:bCs/></w:rPr><w:t xml:space="preserve">vet</w:t>' in xml
    assert '<w:rPr><w:i/><w:iCs/></w:rPr><w:t xml:space="preserve">schuin</w:t>' in xml
    assert '<w:hyperlink r:id="rId101" w:history="1"><w:r><w:rPr><w:rStyle w:val="Hyperlink"/>' in xml
    assert '<w:pStyle w:val="ListBullet"/>' in xml and '<w:pStyle w:val="Genummerd2"/>' in xml
    assert '<w:t xml:space="preserve">3.</w:t><w:tab/>' in xml and '<w:t xml:space="preserve">4.</w:t><w:tab/>' in xml
    assert "punt &lt;b&gt;twee&lt;/b&gt;" in xml
    assert "&lt;div onclick='x'&gt;blok&lt;/div&gt; en snake_case en _onderstreept_" in xml


# --- determinism, reference, embedded intake ---------------------------------------------------

def test_two_builds_are_byte_identical(run: Any, tmp_path: Path, examples_built: ExampleBuild) -> None:
    """The session's build (a worker process, all formats) and a CLI build in this process give the same bytes."""
    code, _, _ = run("build", MAIN_EXAMPLE, "-o", tmp_path)
    assert code == 0
    first = examples_built.file(MAIN_EXAMPLE).read_bytes()
    assert first == (tmp_path / "casus3-bezoekersdata.docx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert archive.namelist()[:2] == ["[Content_Types].xml", "_rels/.rels"]
    core = part(first, "docProps/core.xml").decode()
    assert "<dcterms:created xsi:type=\"dcterms:W3CDTF\">2022-03-21T00:00:00Z</dcterms:created>" in core
    assert "<dcterms:modified xsi:type=\"dcterms:W3CDTF\">2022-03-21T00:00:00Z</dcterms:modified>" in core


def test_reference_fingerprints_intake_knowledge_template_and_program(main_build: Any) -> None:
    raw, dossier, document, context = main_build
    canonical = json.dumps(raw, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    template = hashlib.sha256(template_file().read_bytes()).hexdigest()
    covered = (f"dossierreferentie 2\nprogramma {__version__}\nkennisbank {dossier.knowledge.digest}\n"
               f"template {template}\nintake {canonical}")
    expected = hashlib.sha256(covered.encode("ascii")).hexdigest()
    lines = docx_text(document).splitlines()
    assert context["dossier"]["referentie"] == expected
    assert context["dossier"]["referentie_kort"] == expected[:12]
    assert f"[eigenschap kenmerk] {expected}" in lines
    assert f"Dossierreferentie | {expected[:12]}" in lines  # cover and sign-off page
    assert lines.count(f"Dossierreferentie | {expected[:12]}") == 2
    assert any(line.startswith(f"[voettekst default] Dossier {expected[:12]}") for line in lines)
    assert f"Dossierreferentie | {expected}" in lines  # annex B


def test_context_is_json_and_holds_no_formatting(main_build: Any) -> None:
    _, _, _, context = main_build
    assert json.loads(json.dumps(context)) == context
    assert "beschrijving_opgemaakt" not in context["project"]


def test_intake_is_embedded_as_custom_xml(main_build: Any) -> None:
    raw, _, document, _ = main_build
    rels = part(document, "word/_rels/document.xml.rels").decode()
    assert ('Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml" '
            'Target="../customXml/item1.xml"') in rels
    types = part(document, "[Content_Types].xml").decode()
    assert '<Default Extension="xml" ContentType="application/xml"/>' in types
    assert 'PartName="/customXml/itemProps1.xml"' in types
    assert json.loads(extract_from_bytes(document)) == raw
    assert extract_from_bytes(document) == json.dumps(raw, sort_keys=True, ensure_ascii=True, separators=(",", ":"))


def test_extract_round_trips_via_the_cli(run: Any, examples_built: ExampleBuild) -> None:
    document = examples_built.file(MAIN_EXAMPLE)
    code, out, err = run("extract", document)
    assert code == 0 and err == ""
    original = json.loads(MAIN_EXAMPLE.read_text("utf-8"))
    assert json.loads(extract_intake(document)) == original  # the embedded intake, exactly as validated
    assert json.loads(out) == {"$schema": "../schemas/intake.schema.json", **original}  # plus the $schema line


@pytest.mark.parametrize("kind", ["json", "zip-zonder-intake", "ontbreekt"])
def test_extract_on_a_non_dossier_fails_in_dutch(kind: str, run: Any, tmp_path: Path) -> None:
    target = {"json": MAIN_EXAMPLE, "zip-zonder-intake": template_file(), "ontbreekt": tmp_path / "weg.docx"}[kind]
    message = {"json": "geen Word-document", "zip-zonder-intake": "geen ingebedde intake",
               "ontbreekt": "bestaat niet"}[kind]
    code, out, err = run("extract", target)
    assert code == 1 and out == ""
    assert message in err and str(target) in err and "interne fout" not in err
    with pytest.raises(InputError):
        extract_intake(target)


# --- what the document holds -------------------------------------------------------------------

def test_house_style_language_headers_and_toc(main_build: Any) -> None:
    _, _, document, _ = main_build
    styles = part(document, "word/styles.xml").decode()
    defaults = styles.split("<w:rPrDefault>", 1)[1].split("</w:rPrDefault>", 1)[0]
    assert 'w:lang w:val="nl-NL"' in defaults
    body = etree.fromstring(part(document, "word/document.xml"))
    ns = {"w": W}
    tables = body.findall(".//w:tbl", ns)
    header_tables = [t for t in tables if t.find("w:tblPr/w:tblLook", ns).get(f"{{{W}}}firstRow") == "1"]
    assert header_tables and all(t.find("w:tr/w:trPr/w:tblHeader", ns) is not None for t in header_tables)
    instructions = "".join(body.xpath("//w:instrText/text()", namespaces=ns))
    assert 'TOC \\o "1-2" \\h \\z \\u' in instructions
    text = docx_text(document).splitlines()
    assert any("Veld bijwerken" in line for line in text)  # the hint inside the field result
    assert "[inhoud] 10  Besluit gedeputeerde" in text and "[inhoud]   Besluiten" in text
    assert body.xpath("count(//w:bookmarkStart[starts-with(@w:name, '_Toc')])", namespaces=ns) == len(
        body.xpath("//w:pStyle[@w:val='Heading1' or @w:val='Heading2']", namespaces=ns))
    headings = body.xpath("//w:pStyle[@w:val='Heading1']/ancestor::w:p[1]", namespaces=ns)
    assert len(headings) >= 11
    sign_off = [p for p in headings if "Besluit gedeputeerde" in "".join(p.itertext())]
    assert sign_off and sign_off[0].find("w:pPr/w:pageBreakBefore", ns) is not None
    footer = docx_text(document).splitlines()
    assert any(line.endswith("·  Pagina [paginanummer] van [aantal pagina's]") for line in footer)


def test_default_clause_values_are_marked_in_words_not_highlighted(main_build: Any) -> None:
    _, _, document, context = main_build
    text = docx_text(document)
    chapter = text[text.index("# 8  "):text.index("# 9  ")]
    assert "⟦" not in chapter  # the signed dossier highlights nothing
    assert "Waarden met '(standaardwaarde)' erachter zijn standaardwaarden" in chapter
    assert "uiterlijk 30 dagen (standaardwaarde) na het einde van de overeenkomst" in chapter
    supplier = context["technologie"]["leverancier"]["naam"]
    assert f"de data die zij aan {supplier} ter beschikking stelt" in chapter
    assert f"{supplier} (standaardwaarde)" not in chapter  # the intake named the party
    first = context["clausules"][0]
    assert f"## Clausule 1. {first['titel']}" in text.splitlines()


def test_sign_off_without_decisions_and_default_reassessment(minimal: dict[str, Any], write_intake: Any) -> None:
    _, _, document, context = build(write_intake(minimal))
    text = docx_text(document)
    assert context["besluiten"] == [] and context["ondertekening"]["herbeoordeling_standaard"]
    assert "1 | Het ethiekdossier als geheel" in text
    assert "☐ akkoord / ☐ akkoord onder voorwaarden / ☐ niet akkoord / ☐ aanvullende maatregel" in text
    assert "(standaard: 12 maanden na de intakedatum)." in text


def test_own_value_appears_with_its_own_question(minimal: dict[str, Any], write_intake: Any) -> None:
    minimal["waarden"].append({"eigen": {"naam": "Zuinigheid", "vraag": "Besparen we echt energie?"},
                               "antwoord": "Ja, op drie gebouwen."})
    _, _, document, _ = build(write_intake(minimal))
    assert ("Zuinigheid / Eigen waarde | Besparen we echt energie? | Ja, op drie gebouwen. |"
            in docx_text(document))


def test_every_rejection_motivation_is_shown(minimal: dict[str, Any], write_intake: Any) -> None:
    minimal["instrumenten"] = [{"instrument": "moreel_beraad", "motivatie": "Er is een dilemma.",
                                "planning": "2025-04-01"}]
    minimal["instrumenten_afgewezen"] = [{"instrument": "deda", "motivatie": "Geen dataproject van betekenis."},
                                         {"instrument": "iama", "motivatie": "Geen algoritme."},
                                         {"instrument": "iama", "motivatie": "En ook geen besluiten over personen."}]
    _, _, document, _ = build(write_intake(minimal))
    text = docx_text(document)
    assert "| Geen dataproject van betekenis." in text  # recommended, not chosen: in the table
    assert "- Impact Assessment Mensenrechten en Algoritmes (IAMA): Geen algoritme." in text
    assert "- Impact Assessment Mensenrechten en Algoritmes (IAMA): En ook geen besluiten over personen." in text


def test_template_needs_nothing_the_context_lacks(main_build: Any) -> None:
    from docxtpl import DocxTemplate

    _, dossier, _, context = main_build
    template = DocxTemplate(io.BytesIO(load_template().data))
    rendered = _with_formatting(context, dossier, lambda url: "rId1")
    assert template.get_undeclared_template_variables(context=rendered) == set()


# --- valid OOXML (the LibreOffice conversion: test_convert.py) -------------------------------------

@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_openxml_audit_finds_no_errors(example: Path, examples_built: ExampleBuild) -> None:
    assert schema_errors(examples_built.file(example)) == []

