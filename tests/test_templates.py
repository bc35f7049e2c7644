"""The Word templates are the source of the house style (issue 11).

Each template keeps its contract with the code (dossier.template): the styles the code writes, the
TOC field, tags in the allowed grammar, every tag resolvable in the real context, valid OOXML. A
template saved by LibreOffice renders the same content; a house-style edit made in LibreOffice
changes no golden text and shows in the built dossier. The text dump beside each template is current.
"""

from __future__ import annotations

import importlib.util
import io
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any
from xml.sax.saxutils import escape

import pytest

from dossier import markdown, word
from dossier.clauses import MARKED_STYLE, compose, docx_context
from dossier.derive import derive
from dossier.errors import TemplateError
from dossier.knowledge import default_knowledge
from dossier.pipeline import prepare
from dossier.render import _with_formatting, load_template, render_dossier
from dossier.template import CLAUSES, CONTRACTS, DOSSIER, Tag, prepare_template, template_problems, template_tags
from dossier.validate import load_valid
from tests.conftest import EXAMPLES, ROOT
from tests.docx_text import content_text as reference_free_text
from tests.docx_text import docx_text
from tests.ooxml import schema_errors

TEMPLATES = ROOT / "dossier" / "templates"
GOLDEN = Path(__file__).parent / "golden"
MAIN_EXAMPLE = ROOT / "examples" / "casus3-bezoekersdata.json"
LOOP_ATTRIBUTES = {"index", "index0", "first", "last", "length", "revindex", "revindex0"}
NEW_COLOUR, NEW_FONT = "00703C", "DejaVu Sans"


def tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dump_templates", ROOT / "tools" / "dump_templates.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build(example: Path) -> tuple[bytes, dict[str, Any]]:
    """Return (docx bytes, template context) of an example built with the packaged template."""
    return render_dossier(prepare(str(example)))


def content_text(document: bytes, context: dict[str, Any]) -> str:
    text, reference = reference_free_text(document)
    assert reference == context["dossier"]["referentie"]
    return text


def edit(data: bytes, part: str, change: Callable[[str], str]) -> bytes:
    """Return the .docx data with one part's XML text changed."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == part:
                changed = change(content.decode("utf-8"))
                assert changed != content.decode("utf-8"), f"the edit of {part} changed nothing"
                content = changed.encode("utf-8")
            target.writestr(info, content)
    return buffer.getvalue()


def part_text(data: bytes, part: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(part).decode("utf-8")


def style_xml(styles: str, style_id: str) -> str:
    found = re.search(rf'<w:style [^>]*w:styleId="{style_id}".*?</w:style>', styles, re.DOTALL)
    assert found, f"style {style_id} not in styles.xml"
    return found.group()


def unresolved(tags: list[Tag], contexts: list[dict[str, Any]]) -> list[str]:
    """Return one line per tag path that some context cannot resolve; loops bind their items as samples."""
    problems: list[str] = []
    scopes: list[tuple[str, list[Any]]] = []

    def resolve(path: str, tag: Tag) -> list[Any]:
        head, *rest = path.split(".")
        bound = [values for name, values in reversed(scopes) if name == head]
        if head == "loop" and scopes:
            if rest and rest[0] not in LOOP_ATTRIBUTES:
                problems.append(f"{tag.place}: {tag.text}: loop.{rest[0]} bestaat niet")
            return []
        if bound:
            values = bound[0]
            if not values and rest:
                problems.append(f"{tag.place}: {tag.text}: de lijst van '{head}' is in elk voorbeeld leeg, dus "
                                f"'{path}' is nergens te controleren; voeg een voorbeeld toe dat haar vult")
        else:
            missing = [i for i, context in enumerate(contexts) if head not in context]
            if missing:
                problems.append(f"{tag.place}: {tag.text}: '{head}' staat niet in de context")
                return []
            values = [context[head] for context in contexts]
        for depth, key in enumerate(rest, 1):
            values = [value for value in values if value is not None]  # absent: only read under an {% if %}
            if not values:
                problems.append(f"{tag.place}: {tag.text}: '{'.'.join([head, *rest[:depth - 1]])}' is in elk "
                                "voorbeeld leeg, dus dit pad is nergens te controleren")
                return []
            if any(not isinstance(value, dict) or key not in value for value in values):
                problems.append(f"{tag.place}: {tag.text}: '{'.'.join([head, *rest[:depth]])}' bestaat niet "
                                "in (elk item van) de context")
                return []
            values = [value[key] for value in values]
        return values

    for tag in tags:
        form = tag.form()
        assert form is not None, f"{tag.place}: {tag.text} is not in the grammar"
        name, found = form
        if name.startswith("{% for"):
            lists = resolve(found.group("path"), tag)
            if any(not isinstance(value, list) for value in lists):
                problems.append(f"{tag.place}: {tag.text}: '{found.group('path')}' is geen lijst")
                lists = []
            scopes.append((found.group("name"), [item for value in lists for item in value]))
        elif name == "{% endfor %}":
            scopes.pop()
        elif "path" in found.groupdict():
            resolve(found.group("path"), tag)
    return problems


@pytest.fixture(scope="module")
def dossier_contexts() -> list[dict[str, Any]]:
    """The context the dossier template receives, for every example."""
    return [_with_formatting(build(example)[1], prepare(str(example)), lambda url: "rId1") for example in EXAMPLES]


# --- the contract -------------------------------------------------------------------------------

def test_every_template_has_a_contract() -> None:
    assert sorted(path.name for path in TEMPLATES.glob("*.docx")) == sorted(CONTRACTS)


@pytest.mark.parametrize("name", CONTRACTS)
def test_template_keeps_its_contract(name: str) -> None:
    problems = template_problems((TEMPLATES / name).read_bytes(), CONTRACTS[name])
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("name", CONTRACTS)
def test_template_is_valid_ooxml(name: str) -> None:
    problems = schema_errors(TEMPLATES / name)
    assert problems == [], f"{name} is geen geldig OOXML:\n" + "\n".join(problems)


@pytest.mark.parametrize("name", CONTRACTS)
def test_contract_styles_keep_their_id_and_name(name: str) -> None:
    """A LibreOffice-saved template is mended by style name, so the committed one must carry those names."""
    styles = part_text((TEMPLATES / name).read_bytes(), "word/styles.xml")
    for style in CONTRACTS[name].styles:
        found = re.search(r'<w:name w:val="([^"]*)"', style_xml(styles, style.id))
        assert found and found.group(1).casefold() == style.name.casefold(), \
            f"{name}: stijl {style.id} heet {found.group(1) if found else '?'!r}, het contract zegt {style.name!r}"


def test_the_code_writes_only_styles_of_the_contract() -> None:
    written = {*markdown.BULLETS, *markdown.NUMBERS, *markdown.CONTINUE, markdown.HEADING, markdown.QUOTE,
               markdown.CODE, markdown.LINK, markdown.CODE_CHAR, "TOC1", "TOC2"}
    for source in sorted((ROOT / "dossier").glob("*.py")):
        for line in source.read_text("utf-8").splitlines():
            if "pStyle" in line or "rStyle" in line:
                written |= set(re.findall(r'w:val="(\w+)"', line))
    assert "Heading1" in written and "TOC2" in written  # the scan itself finds what render.py writes and reads
    assert written - {"Normal"} <= {style.id for style in DOSSIER.styles}, \
        f"stijlen die de code schrijft maar die niet in dossier.template.DOSSIER staan: " \
        f"{sorted(written - {'Normal'} - {style.id for style in DOSSIER.styles})}"
    assert MARKED_STYLE in {style.id for style in CLAUSES.styles}


def test_every_dossier_tag_resolves_in_the_context(dossier_contexts: list[dict[str, Any]]) -> None:
    tags = template_tags((TEMPLATES / "dossier.docx").read_bytes())
    assert len(tags) > 200
    problems = unresolved(tags, dossier_contexts)
    assert problems == [], "\n".join(problems)


def test_every_clause_tag_resolves_in_the_context() -> None:
    contexts = [docx_context(compose()), docx_context(compose(dossier=prepare(str(MAIN_EXAMPLE)), source=str(MAIN_EXAMPLE)))]
    problems = unresolved(template_tags((TEMPLATES / "clausules.docx").read_bytes()), contexts)
    assert problems == [], "\n".join(problems)


def test_a_misspelt_path_is_found(dossier_contexts: list[dict[str, Any]]) -> None:
    data = edit((TEMPLATES / "dossier.docx").read_bytes(), "word/document.xml",
                lambda xml: xml.replace("{{ project.afdeling }}", "{{ project.afdelingen }}", 1))
    problems = unresolved(template_tags(data), dossier_contexts)
    assert len(problems) == 1 and "'project.afdelingen' bestaat niet" in problems[0], problems


def test_word_is_asked_to_update_fields_in_the_dossier_not_in_the_template() -> None:
    """Word fills the contents with page numbers when the dossier opens; the template must not ask, or Word
    would fill the TOC of the template while someone edits the house style (the check then refuses it)."""
    for name in CONTRACTS:
        assert "updateFields" not in part_text((TEMPLATES / name).read_bytes(), "word/settings.xml"), name
    document, _ = build(ROOT / "examples" / "minimaal.json")
    settings = part_text(document, "word/settings.xml")
    assert '<w:updateFields w:val="true"/><w:compat>' in settings


# --- a broken template fails with a message that names what is wrong ---------------------------

def problems_after(change: Callable[[str], str], part: str = "word/document.xml") -> list[str]:
    data = edit((TEMPLATES / "dossier.docx").read_bytes(), part, change)
    problems = template_problems(data, DOSSIER)
    with pytest.raises(TemplateError) as raised:
        prepare_template(data, DOSSIER)
    assert str(raised.value) == "\n".join(problems)
    return problems


def test_a_missing_toc_field_is_named() -> None:
    problems = problems_after(lambda xml: re.sub(r" TOC \\o[^<]*", " ", xml))
    assert problems == ["dossier.docx: het veld voor de inhoudsopgave (TOC) ontbreekt, dus het dossier zou geen "
                        "inhoudsopgave krijgen. Voeg in Word een inhoudsopgave in (Verwijzingen > Inhoudsopgave) "
                        "onder de kop 'Inhoud'."]


def word_filled_toc(xml: str) -> str:
    """The TOC as Word leaves it after inserting or updating it: in a content control, one paragraph per
    entry with a PAGEREF field, the field's end in a paragraph of its own."""
    paragraph = re.search(r'<w:p><w:pPr><w:pStyle w:val="Toelichting"/></w:pPr><w:r><w:fldChar '
                          r'w:fldCharType="begin"/></w:r><w:r><w:instrText[^>]*> TOC .*?</w:p>', xml)
    assert paragraph, "TOC paragraph not found"

    def entry(style: str, number: int, text: str, page: int, *, first: bool = False) -> str:
        start = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> TOC \\o '
                 '"1-2" \\h \\z \\u </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
                 if first else "")
        return (f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{start}<w:hyperlink w:anchor="_Toc{number}" '
                f'w:history="1"><w:r><w:t>{text}</w:t></w:r><w:r><w:tab/></w:r><w:r><w:fldChar '
                f'w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGEREF _Toc{number} \\h '
                f'</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>{page}</w:t></w:r>'
                f'<w:r><w:fldChar w:fldCharType="end"/></w:r></w:hyperlink></w:p>')

    filled = ('<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/><w:docPartUnique/>'
              '</w:docPartObj></w:sdtPr><w:sdtContent>'
              + entry("TOC1", 1, "1  Samenvatting", 3, first=True) + entry("TOC2", 2, "Beschrijving", 4)
              + '<w:p><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:sdtContent></w:sdt>')
    return xml.replace(paragraph.group(), filled)


def test_a_toc_filled_by_word_is_brought_back_to_one_paragraph(tmp_path: Path) -> None:
    data = edit((TEMPLATES / "dossier.docx").read_bytes(), "word/document.xml", word_filled_toc)
    assert any("beslaat meer dan één alinea" in problem for problem in template_problems(data, DOSSIER))
    prepared = prepare_template(data, DOSSIER)
    assert "PAGEREF" not in part_text(prepared, "word/document.xml")
    document, context = build_with(data, tmp_path)
    golden = (GOLDEN / f"{MAIN_EXAMPLE.stem}.txt").read_text("utf-8").splitlines(keepends=True)
    hint = [line for line in golden if line.startswith("Paginanummers verschijnen zodra Word")]
    assert len(hint) == 1  # Word replaced the template's hint by its entries; all else is the same
    assert content_text(document, context) == "".join(line for line in golden if line not in hint)
    (tmp_path / "dossier.docx").write_bytes(document)
    assert schema_errors(tmp_path / "dossier.docx") == []


def test_a_missing_style_is_named_with_its_use() -> None:
    problems = problems_after(lambda xml: xml.replace('w:styleId="KopInTekst"><w:name w:val="Kop in tekst"/>',
                                                      'w:styleId="Tussenkop"><w:name w:val="Tussenkop"/>'),
                              "word/styles.xml")
    assert problems == ["dossier.docx: de alineastijl 'Kop in tekst' (id KopInTekst) ontbreekt; de code gebruikt "
                        "hem voor kopjes in Markdown-tekst. Maak de stijl opnieuw aan met precies deze naam."]


@pytest.mark.parametrize("tag", ["{{ project.naam|upper }}", "{{ project.naam() }}", "{{ besluit.nummer + 1 }}",
                                 "{{ 'tekst' }}", "{% if dossier.status == 'gereed' %}", "{% set x = 1 %}",
                                 "{{ project['naam'] }}", "{% if not %}", "{% for x in not %}"])
def test_a_tag_outside_the_grammar_is_named(tag: str) -> None:
    problems = problems_after(lambda xml: xml.replace("{{ project.afdeling }}", tag, 1))
    assert any(f"{tag!r} is niet toegestaan" in problem for problem in problems), problems


def test_text_beside_a_whole_paragraph_tag_is_named() -> None:
    problems = problems_after(lambda xml: xml.replace("<w:t>{%p if betrokkenen %}</w:t>",
                                                      "<w:t>Betrokken partijen {%p if betrokkenen %}</w:t>", 1))
    assert len(problems) == 1 and "vervangt de hele alinea" in problems[0] and "Betrokken partijen" in problems[0]


def test_text_beside_a_whole_row_tag_is_named() -> None:
    problems = problems_after(lambda xml: xml.replace("<w:t>{%tr for partij in betrokkenen %}</w:t>",
                                                      "<w:t>Partij {%tr for partij in betrokkenen %}</w:t>", 1))
    assert len(problems) == 1 and "vervangt de hele tabelrij" in problems[0] and "Partij" in problems[0], problems


def test_an_unclosed_block_is_named() -> None:
    problems = problems_after(lambda xml: xml.replace("<w:t>{%p endif %}</w:t>", "<w:t></w:t>", 1))
    assert any("wordt niet gesloten" in problem for problem in problems), problems


def test_a_broken_template_stops_the_build_in_dutch(tmp_path: Path) -> None:
    target = tmp_path / "dossier.docx"
    target.write_bytes(edit((TEMPLATES / "dossier.docx").read_bytes(), "word/document.xml",
                            lambda xml: re.sub(r" TOC \\o[^<]*", " ", xml)))
    with pytest.raises(TemplateError) as raised:
        load_template(target)
    assert str(target) in str(raised.value) and "inhoudsopgave (TOC) ontbreekt" in str(raised.value)


def test_the_check_is_remembered_only_for_a_sound_template(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    sound, broken = tmp_path / "goed.docx", tmp_path / "kapot.docx"
    sound.write_bytes((TEMPLATES / "dossier.docx").read_bytes())
    broken.write_bytes(edit(sound.read_bytes(), "word/document.xml", lambda xml: re.sub(r" TOC \\o[^<]*", " ", xml)))
    assert load_template(sound).data == sound.read_bytes()
    assert len(list((tmp_path / "cache" / "dossier").glob("sjabloon-*.ok"))) == 1
    for _ in range(2):
        with pytest.raises(TemplateError):
            load_template(broken)
    assert len(list((tmp_path / "cache" / "dossier").glob("sjabloon-*.ok"))) == 1


def test_a_renamed_style_id_is_restored_by_its_name() -> None:
    data = edit((TEMPLATES / "dossier.docx").read_bytes(), "word/styles.xml",
                lambda xml: xml.replace('w:styleId="TOC1"', 'w:styleId="Contents1"'))
    assert "dossier.docx: de alineastijl 'toc 1' heeft de id Contents1 in plaats van TOC1 (LibreOffice hernoemt ids " \
           "bij het opslaan); prepare_template zet de id terug." in template_problems(data, DOSSIER)
    styles = part_text(prepare_template(data, DOSSIER), "word/styles.xml")
    assert 'w:styleId="TOC1"' in styles and "Contents1" not in styles


# --- LibreOffice --------------------------------------------------------------------------------

def house_style_edit(xml: str) -> str:
    """Heading 1 in another colour and font, written straight into styles.xml."""
    heading = style_xml(xml, "Heading1")
    changed = re.sub(r'<w:color w:val="[0-9A-F]{6}"/>', f'<w:color w:val="{NEW_COLOUR}"/>', heading)
    changed = re.sub(r'<w:rFonts [^>]*/>', f'<w:rFonts w:ascii="{NEW_FONT}" w:hAnsi="{NEW_FONT}" w:cs="{NEW_FONT}"/>',
                     changed)
    return xml.replace(heading, changed)


RESTYLE_BASIC = f"""Sub Restyle(source As String, target As String)
  Dim hidden(0) As New com.sun.star.beans.PropertyValue
  hidden(0).Name = "Hidden" : hidden(0).Value = True
  document = StarDesktop.loadComponentFromURL(ConvertToURL(source), "_blank", 0, hidden())
  heading = document.StyleFamilies.getByName("ParagraphStyles").getByName("Heading 1")
  heading.CharColor = RGB({int(NEW_COLOUR[:2], 16)}, {int(NEW_COLOUR[2:4], 16)}, {int(NEW_COLOUR[4:], 16)})
  heading.CharFontName = "{NEW_FONT}"
  Dim word(0) As New com.sun.star.beans.PropertyValue
  word(0).Name = "FilterName" : word(0).Value = "MS Word 2007 XML"
  document.storeToURL(ConvertToURL(target), word())
  document.close(True)
End Sub
"""
"""A Basic macro that does what someone does in LibreOffice's style dialog: Heading 1 in another colour and
font; then it saves the template as Word."""
RESTYLE_MODULE = ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE script:module PUBLIC '
                  '"-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">\n'
                  '<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" '
                  f'script:language="StarBasic">{escape(RESTYLE_BASIC, {chr(34): "&quot;"})}</script:module>\n')


def soffice(profile: Path, *arguments: str) -> None:
    program = shutil.which("soffice")
    if program is None:
        pytest.fail("LibreOffice (soffice) ontbreekt: installeer het met 'make pdf-deps'")
    subprocess.run([program, f"-env:UserInstallation={profile.as_uri()}", "--headless", *arguments],
                   check=False, capture_output=True, timeout=300)


@pytest.fixture(scope="module")
def saved_by_libreoffice(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Both templates opened and saved by LibreOffice, and 'huisstijl.docx': the dossier template with
    Heading 1 restyled by LibreOffice itself (through its style API, as in the style dialog) and saved."""
    folder = tmp_path_factory.mktemp("libreoffice")
    profile, out = folder / "profiel", folder / "opgeslagen"
    for name in CONTRACTS:
        shutil.copy(TEMPLATES / name, folder / name)
    soffice(profile, "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), *(str(folder / n) for n in CONTRACTS))
    module = profile / "user" / "basic" / "Standard" / "Module1.xba"
    assert module.parent.is_dir(), "LibreOffice maakte geen profiel met de Basic-bibliotheek Standard"
    module.write_text(RESTYLE_MODULE, "utf-8")
    soffice(profile, f'macro:///Standard.Module1.Restyle("{folder / "dossier.docx"}","{out / "huisstijl.docx"}")')
    names = [*CONTRACTS, "huisstijl.docx"]
    saved = {name: (out / name).read_bytes() for name in names if (out / name).exists()}
    assert set(saved) == set(names), "LibreOffice sloeg niet alle sjablonen op (het sluit ook bij fouten af met 0)"
    assert all("LibreOffice" in part_text(data, "docProps/app.xml") for data in saved.values())
    return saved


def test_libreoffice_renames_styles_and_the_check_names_them(saved_by_libreoffice: dict[str, bytes]) -> None:
    problems = template_problems(saved_by_libreoffice["dossier.docx"], DOSSIER)
    for name, old, new in (("toc 1", "Contents1", "TOC1"), ("Kop in tekst", "Kopintekst", "KopInTekst"),
                           ("Hyperlink", "InternetLink", "Hyperlink")):
        assert any(f"'{name}' heeft de id {old} in plaats van {new}" in problem for problem in problems), problems


@pytest.mark.parametrize("name", CONTRACTS)
def test_a_template_saved_by_libreoffice_keeps_the_contract(name: str, saved_by_libreoffice: dict[str, bytes],
                                                            tmp_path: Path) -> None:
    prepared = prepare_template(saved_by_libreoffice[name], CONTRACTS[name])
    assert template_problems(prepared, CONTRACTS[name]) == []
    (tmp_path / name).write_bytes(prepared)
    assert schema_errors(tmp_path / name) == []


def build_with(template: bytes, tmp_path: Path, example: Path = MAIN_EXAMPLE) -> tuple[bytes, dict[str, Any]]:
    path = tmp_path / "sjabloon.docx"
    path.write_bytes(template)
    template = load_template(path)
    knowledge = default_knowledge()
    return render_dossier(derive(load_valid(example, knowledge), knowledge, template.stamp), template)


def test_a_dossier_from_a_libreoffice_template_says_the_same(saved_by_libreoffice: dict[str, bytes],
                                                              tmp_path: Path) -> None:
    document, context = build_with(saved_by_libreoffice["dossier.docx"], tmp_path)
    golden = (GOLDEN / f"{MAIN_EXAMPLE.stem}.txt").read_text("utf-8")
    assert content_text(document, context) == golden
    assert "[inhoud] 10  Besluit gedeputeerde" in golden.splitlines()  # the TOC is filled, not skipped
    (tmp_path / "dossier.docx").write_bytes(document)
    assert schema_errors(tmp_path / "dossier.docx") == []
    assert '<w:updateFields w:val="true"/>' in part_text(document, "word/settings.xml")


def test_a_clause_annex_from_a_libreoffice_template_says_the_same(saved_by_libreoffice: dict[str, bytes]) -> None:
    from docxtpl import DocxTemplate

    def annex(template: bytes) -> str:
        document = DocxTemplate(io.BytesIO(template))
        document.render(docx_context(compose()), jinja_env=word.jinja_environment())
        buffer = io.BytesIO()
        document.save(buffer)
        return docx_text(buffer.getvalue())

    text = annex(prepare_template(saved_by_libreoffice["clausules.docx"], CLAUSES))
    assert text == annex((TEMPLATES / "clausules.docx").read_bytes())
    assert "⟦" in text  # default values keep their marked style


def test_a_house_style_edit_in_libreoffice_changes_no_golden_text(saved_by_libreoffice: dict[str, bytes],
                                                                    tmp_path: Path) -> None:
    """Done-when of issue 11: another Heading 1 colour and font, set and saved by LibreOffice, builds the same
    content (every golden line) and the built dossier carries the new style."""
    template = saved_by_libreoffice["huisstijl.docx"]
    heading = style_xml(part_text(template, "word/styles.xml"), "Heading1")
    assert f'<w:color w:val="{NEW_COLOUR}"/>' in heading and f'w:ascii="{NEW_FONT}"' in heading  # LibreOffice's edit
    for example in (MAIN_EXAMPLE, ROOT / "examples" / "minimaal.json"):
        document, context = build_with(template, tmp_path, example)
        assert content_text(document, context) == (GOLDEN / f"{example.stem}.txt").read_text("utf-8")
        heading = style_xml(part_text(document, "word/styles.xml"), "Heading1")
        assert f'<w:color w:val="{NEW_COLOUR}"/>' in heading
        assert f'w:ascii="{NEW_FONT}"' in heading
    old_heading = style_xml(part_text((TEMPLATES / "dossier.docx").read_bytes(), "word/styles.xml"), "Heading1")
    assert NEW_COLOUR not in old_heading and NEW_FONT not in old_heading  # the edit is a real change


def test_a_template_copy_is_tried_with_dossier_sjablonen(saved_by_libreoffice: dict[str, bytes], run: Any,
                                                          tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The house-style editor tries a copy without touching the package: DOSSIER_SJABLONEN=map dossier build."""
    folder = tmp_path / "proef"
    folder.mkdir()
    (folder / "dossier.docx").write_bytes(saved_by_libreoffice["huisstijl.docx"])
    monkeypatch.setenv("DOSSIER_SJABLONEN", str(folder))
    code, _, err = run("build", MAIN_EXAMPLE, "-o", tmp_path / "uit")
    assert code == 0, err
    document = (tmp_path / "uit" / f"{MAIN_EXAMPLE.stem}.docx").read_bytes()
    assert f'<w:color w:val="{NEW_COLOUR}"/>' in style_xml(part_text(document, "word/styles.xml"), "Heading1")
    code, _, err = run("clauses", "export", "-o", tmp_path / "uit" / "bijlage.docx")  # not in the folder: packaged
    assert code == 0, err
    monkeypatch.setenv("DOSSIER_SJABLONEN", str(tmp_path / "bestaat-niet"))
    code, _, err = run("build", MAIN_EXAMPLE, "-o", tmp_path / "uit2")
    assert code == 1 and "DOSSIER_SJABLONEN=" in err and "is geen map" in err and "Traceback" not in err


# --- the text dump ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", CONTRACTS)
def test_the_text_dump_is_current(name: str) -> None:
    dump = tool().dump((TEMPLATES / name).read_bytes(), name)
    committed = TEMPLATES / f"{name}.txt"
    assert committed.exists() and committed.read_text("utf-8") == dump, \
        f"{committed.relative_to(ROOT)} is verouderd: voer 'make templates' uit en commit het resultaat"


def test_the_text_dump_shows_a_house_style_edit() -> None:
    dossier = (TEMPLATES / "dossier.docx").read_bytes()
    before = tool().dump(dossier, "dossier.docx").splitlines()
    after = tool().dump(edit(dossier, "word/styles.xml", house_style_edit), "dossier.docx").splitlines()
    changed = [line for line in after if line not in before]
    assert len(changed) == 1 and f"color={NEW_COLOUR}" in changed[0] and f"ascii={NEW_FONT}" in changed[0], changed
    heading = after.index('Heading1 "heading 1" (paragraph), op basis van Normal, volgende Normal')
    assert after[heading + 2] == changed[0]


def test_the_dump_tool_reports_a_stale_dump(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    module = tool()
    for name in CONTRACTS:
        shutil.copy(TEMPLATES / name, tmp_path / name)
        (tmp_path / f"{name}.txt").write_text("oud\n", "utf-8")
    monkeypatch.setattr(module, "TEMPLATES", tmp_path)
    monkeypatch.setattr(module, "ROOT", tmp_path)
    assert module.main(["--check"]) == 1
    assert "dossier.docx.txt is verouderd; voer 'make templates' uit" in capsys.readouterr().err
    assert module.main([]) == 0
    assert module.main(["--check"]) == 0
    assert (tmp_path / "dossier.docx.txt").read_text("utf-8") == (TEMPLATES / "dossier.docx.txt").read_text("utf-8")

