"""Generate dossier/templates/clausules.docx, the Word template of 'dossier clauses export'.

Run: .venv/bin/python tools/make_clauses_template.py
The result is committed. Someone who is not a programmer may also edit the template in Word
afterwards (fonts, colours, wording around the tags); keep the {{ }} and {% %} tags intact.
Only plain tags and simple for/if: all wording and selection happens in dossier/clauses.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dossier.clauses import TEMPLATE, fix_core_properties  # noqa: E402
from dossier.render import write_package  # noqa: E402

BLUE = RGBColor(0x1F, 0x38, 0x64)
GREY = RGBColor(0x59, 0x59, 0x59)
DARK = RGBColor(0x26, 0x26, 0x26)
FONT = "Calibri"
LANGUAGE = "nl-NL"
TITLE = "Bijlage: voorwaarden digitale ethiek"  # the template's own title; each export sets its own

STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
THUMBNAIL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"


def _set(parent: object, tag: str, **attributes: str) -> object:
    """Return parent's child `tag` (created if missing) with the given w: attributes."""
    child = parent.find(qn(tag))
    if child is None:
        child = OxmlElement(tag)
        parent.append(child)
    for name, value in attributes.items():
        child.set(qn(f"w:{name}"), value)
    return child


def _house_defaults(document: docx.document.Document) -> None:
    """Calibri 11 pt, Dutch, for every style that does not say otherwise."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = _set(rpr, "w:rFonts")
    for attribute in list(fonts.attrib):
        del fonts.attrib[attribute]
    for name in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(qn(f"w:{name}"), FONT)
    _set(rpr, "w:lang", val=LANGUAGE, eastAsia=LANGUAGE, bidi="ar-SA")
    settings = document.settings.element
    _set(settings, "w:themeFontLang", val=LANGUAGE, eastAsia=LANGUAGE)
    _set(settings, "w:decimalSymbol", val=",")
    _set(settings, "w:listSeparator", val=";")

    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    normal.font.color.rgb = DARK
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.1


def _heading_styles(document: docx.document.Document) -> None:
    for name, size, before, after in (("Title", 22, 0, 12), ("Heading 1", 14, 16, 4), ("Heading 2", 12, 12, 4)):
        style = document.styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.italic = False
        style.font.color.rgb = BLUE
        fonts = style.element.rPr.find(qn("w:rFonts"))
        for attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            fonts.attrib.pop(qn(f"w:{attribute}"), None)
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(after)
        style.paragraph_format.keep_with_next = True
    title = document.styles["Title"].element
    borders = title.pPr.find(qn("w:pBdr"))
    if borders is not None:  # python-docx's default title has an accent-coloured rule; make it ours
        bottom = borders.find(qn("w:bottom"))
        for attribute in ("themeColor",):
            bottom.attrib.pop(qn(f"w:{attribute}"), None)
        bottom.set(qn("w:color"), "1F3864")


def _own_styles(document: docx.document.Document) -> None:
    styles = document.styles
    marked = styles.add_style("Standaardwaarde", WD_STYLE_TYPE.CHARACTER)
    marked.base_style = styles["Default Paragraph Font"]
    # Word allows no highlight in a style; a yellow shading looks the same and stays editable in Word
    _set(marked.element.get_or_add_rPr(), "w:shd", val="clear", color="auto", fill="FFF200")

    meta = styles.add_style("Clausulegegevens", WD_STYLE_TYPE.PARAGRAPH)
    meta.base_style = styles["Normal"]
    meta.font.size = Pt(9)
    meta.font.color.rgb = GREY
    meta.paragraph_format.space_after = Pt(4)
    meta.paragraph_format.keep_with_next = True

    note = styles.add_style("Toelichting", WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = styles["Normal"]
    note.font.size = Pt(9.5)
    note.font.color.rgb = GREY
    note.paragraph_format.left_indent = Cm(0.5)
    note.paragraph_format.space_before = Pt(4)
    note.paragraph_format.space_after = Pt(10)

    attention = styles.add_style("Aandachtspunt", WD_STYLE_TYPE.PARAGRAPH)
    attention.base_style = styles["Normal"]
    borders = _set(attention.element.get_or_add_pPr(), "w:pBdr")  # before spacing and indent, as the schema orders
    _set(borders, "w:left", val="single", sz="18", space="8", color="1F3864")
    attention.paragraph_format.left_indent = Cm(0.3)
    attention.paragraph_format.space_before = Pt(6)
    attention.paragraph_format.space_after = Pt(12)

    cell = styles.add_style("Tabeltekst", WD_STYLE_TYPE.PARAGRAPH)
    cell.base_style = styles["Normal"]
    cell.font.size = Pt(9)
    cell.paragraph_format.space_before = Pt(1.5)
    cell.paragraph_format.space_after = Pt(1.5)
    cell.paragraph_format.line_spacing = 1.0

    for name in ("Header", "Footer"):
        style = styles[name]
        style.font.size = Pt(8.5)
        style.font.color.rgb = GREY
        tabs = style.element.pPr.find(qn("w:tabs"))
        if tabs is not None:  # python-docx's are for a Letter page; ours: one right tab at the A4 margin
            style.element.pPr.remove(tabs)
        style.paragraph_format.tab_stops.add_tab_stop(Cm(16), WD_TAB_ALIGNMENT.RIGHT)


def _field(paragraph: docx.text.paragraph.Paragraph, instruction: str) -> None:
    """Append a complex field (PAGE, NUMPAGES) that Word and LibreOffice update themselves."""
    for kind, text in (("begin", None), ("instr", f" {instruction} "), ("separate", None), ("result", "1"),
                       ("end", None)):
        run = paragraph.add_run()
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        elif kind == "result":
            element = OxmlElement("w:t")
            element.text = text
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)


def _page_setup(document: docx.document.Document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.2)
    section.header_distance = section.footer_distance = Cm(1.2)

    header = section.header.paragraphs[0]
    header.text = "{{ titel }}"
    header.add_run("\tKennisbank {{ kennisbank_versie }}")

    footer = section.footer.paragraphs[0]
    footer.add_run("{{ voettekst }}\tPagina ")
    _field(footer, "PAGE")
    footer.add_run(" van ")
    _field(footer, "NUMPAGES")


def _parameter_table(document: docx.document.Document) -> None:
    widths = (Cm(4.4), Cm(4.4), Cm(7.2))
    table = document.add_table(rows=4, cols=3)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    rows = (
        ("Parameter", "Waarde", "Betekenis"),
        ("{%tr for p in c.parameters %}", "", ""),
        ("{{ p.naam }}", "{{r p.waarde }}", "{{ p.omschrijving }}"),
        ("{%tr endfor %}", "", ""),
    )
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for index, (row, texts) in enumerate(zip(table.rows, rows, strict=True)):
        for cell, width, text in zip(row.cells, widths, texts, strict=True):
            cell.width = width
            paragraph = cell.paragraphs[0]
            paragraph.style = document.styles["Tabeltekst"]
            run = paragraph.add_run(text)
            if index == 0:
                run.bold = True
                run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
                _set(cell._tc.get_or_add_tcPr(), "w:shd", val="clear", color="auto", fill="1F3864")
    for row in table.rows:
        _set(row._tr.get_or_add_trPr(), "w:cantSplit")
    _set(table.rows[0]._tr.get_or_add_trPr(), "w:tblHeader")


def build() -> bytes:
    """Return the template as deterministic .docx bytes."""
    document = docx.Document()
    part = document.part
    for rel_id, rel in list(part.rels.items()):
        if rel.reltype == STYLES_WITH_EFFECTS:  # stale copy of styles.xml; Word may call the file unreadable
            part.drop_rel(rel_id)
    package_rels = document.part.package.rels
    for rel_id, rel in list(package_rels.items()):
        if rel.reltype == THUMBNAIL:  # a picture of python-docx's blank page, not of this document
            del package_rels[rel_id]

    _house_defaults(document)
    _heading_styles(document)
    _own_styles(document)
    _page_setup(document)

    body = document.paragraphs[0] if document.paragraphs else None
    if body is not None:
        body._p.getparent().remove(body._p)
    add = document.add_paragraph
    add("{{ titel }}", style="Title")
    add("{%p for alinea in inleiding %}")
    add("{{ alinea }}")
    add("{%p endfor %}")
    add("{{r uitleg_markering }}", style="Aandachtspunt")

    add("{%p for c in clausules %}")
    add("{{ c.nummer }}. {{ c.titel }}", style="Heading 1")
    add("Voor: {{ c.soort }} · onderwerp: {{ c.onderwerp }} · clausule {{ c.id }}, versie {{ c.versie }}",
        style="Clausulegegevens")
    add("{{r c.tekst }}").paragraph_format.keep_with_next = True  # no table orphaned from its clause
    add("{%p if c.parameters %}")
    _parameter_table(document)
    add("{%p endif %}")
    note = add(style="Toelichting")
    note.add_run("Toelichting. ").bold = True
    note.add_run("{{ c.toelichting }}")
    origin = add(style="Toelichting")
    origin.add_run("Herkomst. ").bold = True
    origin.add_run("{{ c.herkomst }} {{ c.normen }}")
    add("{%p endfor %}")
    closing = add("{{ verantwoording }}", style="Clausulegegevens")
    closing.paragraph_format.space_before = Pt(18)

    fix_core_properties(document.core_properties, title=TITLE,
                        subject="Modelclausules digitale ethiek voor inkoop- en subsidievoorwaarden",
                        comments="Sjabloon van 'dossier clauses export'; gemaakt met tools/make_clauses_template.py.")
    return write_package(document.part.package)


def main() -> int:
    target = ROOT / "dossier" / TEMPLATE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(build())
    print(target.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
