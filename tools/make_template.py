"""Generate dossier/templates/dossier.docx: the house style and layout of the ethics dossier.

Run: .venv/bin/python tools/make_template.py   (then commit the template and refresh the goldens:
DOSSIER_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_render.py)

The template is an ordinary Word document. Someone who is not a programmer may restyle it in Word
(styles, colours, fonts, wording around the tags) as long as the {{ }} and {% %} tags stay intact.
Tags are plain values and simple for/if only; all wording and selection happens in
dossier/context.py. Styles are written out here in full, so the template carries no unused
styles and no parts Word would have to repair (such as a stale stylesWithEffects.xml).
"""

from __future__ import annotations

import datetime
import sys
from collections.abc import Sequence
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dossier.render import TEMPLATE_PATH, write_package  # noqa: E402

TEMPLATE_VERSION = "1.0"

NAVY = "1F3864"  # headings, table header text
BLUE = "2F5496"  # links, subtitles
SHADE = "DCE3F0"  # table header row
PALE = "F2F5FA"  # key column, clause text
GREY = "595959"  # notes, header and footer
MARK = "FFE873"  # default values in clauses
RULE = "A6B4CC"  # table borders
BODY_FONT = "Calibri"  # metric-compatible: Carlito
HEADING_FONT = "Cambria"  # metric-compatible: Caladea
TEXT_WIDTH = 9072  # twips: A4 portrait (11906) minus 2 x 2.5 cm margins (2 x 1417)
WIDE = 24.7  # cm: the text width of an A4 landscape page
CHECKBOXES = ("akkoord", "akkoord onder voorwaarden", "niet akkoord", "aanvullende maatregel")


# --- styles.xml, numbering.xml, settings.xml ---------------------------------------------------

def _rpr(font: str | None = None, size: float | None = None, bold: bool = False, italic: bool = False,
         color: str | None = None, caps: bool = False, spacing: int | None = None, extra: str = "") -> str:
    """Return a w:rPr in schema order."""
    parts = []
    if font:
        parts.append(f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:cs="{font}"/>')
    if bold:
        parts.append("<w:b/><w:bCs/>")
    if italic:
        parts.append("<w:i/><w:iCs/>")
    if caps:
        parts.append("<w:caps/>")
    if color:
        parts.append(f'<w:color w:val="{color}"/>')
    if spacing is not None:
        parts.append(f'<w:spacing w:val="{spacing}"/>')
    if size:
        half_points = round(size * 2)
        parts.append(f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>')
    parts.append(extra)
    return f"<w:rPr>{''.join(parts)}</w:rPr>"


def _paragraph_style(style_id: str, name: str, ppr: str = "", rpr: str = "", based: str | None = "Normal",
                     next_style: str | None = None, priority: int | None = None, quick: bool = True) -> str:
    return (f'<w:style w:type="paragraph" w:customStyle="{0 if _builtin(name) else 1}" w:styleId="{style_id}">'
            f'<w:name w:val="{name}"/>' + (f'<w:basedOn w:val="{based}"/>' if based else "")
            + (f'<w:next w:val="{next_style}"/>' if next_style else "")
            + (f'<w:uiPriority w:val="{priority}"/>' if priority is not None else "")
            + ("<w:qFormat/>" if quick else "") + (f"<w:pPr>{ppr}</w:pPr>" if ppr else "") + rpr + "</w:style>")


def _character_style(style_id: str, name: str, rpr: str, priority: int | None = None) -> str:
    return (f'<w:style w:type="character" w:customStyle="{0 if _builtin(name) else 1}" w:styleId="{style_id}">'
            f'<w:name w:val="{name}"/><w:basedOn w:val="DefaultParagraphFont"/>'
            + (f'<w:uiPriority w:val="{priority}"/>' if priority is not None else "") + rpr + "</w:style>")


BUILTIN = {"Normal", "heading 1", "heading 2", "heading 3", "Title", "Subtitle", "TOC Heading", "toc 1",
           "toc 2", "header", "footer", "List Bullet", "List Bullet 2", "List Bullet 3", "List Continue",
           "List Continue 2", "List Continue 3", "Quote", "Hyperlink", "Strong", "Emphasis",
           "Default Paragraph Font", "Normal Table", "No List"}


def _builtin(name: str) -> bool:
    return name in BUILTIN


def _border(side: str, size: int = 4, color: str = RULE, space: int = 0) -> str:
    return f'<w:{side} w:val="single" w:sz="{size}" w:space="{space}" w:color="{color}"/>'


def _tabs(*stops: tuple[str, int, str | None]) -> str:
    return "<w:tabs>" + "".join(f'<w:tab w:val="{kind}"' + (f' w:leader="{leader}"' if leader else "")
                                + f' w:pos="{pos}"/>' for kind, pos, leader in stops) + "</w:tabs>"


def styles_xml() -> str:
    """Return the complete styles part: document defaults (Calibri, nl-NL) and every style used."""
    list_ind = {1: 357, 2: 714, 3: 1071}
    paragraph_styles = [
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>'
        '<w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr></w:style>',
        _paragraph_style("Heading1", "heading 1", next_style="Normal", priority=9,
                         ppr='<w:keepNext/><w:keepLines/><w:pBdr>' + _border("bottom", 6, NAVY, 4) + "</w:pBdr>"
                             '<w:spacing w:before="360" w:after="160"/><w:outlineLvl w:val="0"/>',
                         rpr=_rpr(HEADING_FONT, 16, bold=True, color=NAVY)),
        _paragraph_style("Heading2", "heading 2", next_style="Normal", priority=9,
                         ppr='<w:keepNext/><w:keepLines/><w:spacing w:before="280" w:after="80"/>'
                             '<w:outlineLvl w:val="1"/>',
                         rpr=_rpr(HEADING_FONT, 13, bold=True, color=NAVY)),
        _paragraph_style("Heading3", "heading 3", next_style="Normal", priority=9,
                         ppr='<w:keepNext/><w:keepLines/><w:spacing w:before="200" w:after="60"/>'
                             '<w:outlineLvl w:val="2"/>',
                         rpr=_rpr(size=11, bold=True, color=NAVY)),
        _paragraph_style("Title", "Title", next_style="Normal", priority=10,
                         ppr='<w:spacing w:before="0" w:after="120" w:line="240" w:lineRule="auto"/>',
                         rpr=_rpr(HEADING_FONT, 30, bold=True, color=NAVY)),
        _paragraph_style("Subtitle", "Subtitle", next_style="Normal", priority=11,
                         ppr='<w:pBdr>' + _border("bottom", 8, NAVY, 12) + '</w:pBdr>'
                             '<w:spacing w:after="480" w:line="264" w:lineRule="auto"/>',
                         rpr=_rpr(HEADING_FONT, 18, color=BLUE)),
        _paragraph_style("Omslagkop", "Omslagkop", next_style="Title",
                         ppr='<w:spacing w:before="1700" w:after="240"/>',
                         rpr=_rpr(size=11, bold=True, color=NAVY, caps=True, spacing=20)),
        _paragraph_style("Omslagstatus", "Omslagstatus",
                         ppr='<w:pBdr>' + _border("left", 24, NAVY, 8) + '</w:pBdr>'
                             f'<w:shd w:val="clear" w:color="auto" w:fill="{SHADE}"/>'
                             '<w:spacing w:before="360" w:after="120"/><w:ind w:left="170" w:right="170"/>',
                         rpr=_rpr(size=12, bold=True, color=NAVY)),
        _paragraph_style("TOCHeading", "TOC Heading", based="Heading1", next_style="Normal", priority=39,
                         ppr='<w:outlineLvl w:val="9"/>'),
        _paragraph_style("TOC1", "toc 1", next_style="Normal", priority=39, quick=False,
                         ppr=_tabs(("right", TEXT_WIDTH, "dot")) + '<w:spacing w:before="120" w:after="40"/>',
                         rpr=_rpr(bold=True)),
        _paragraph_style("TOC2", "toc 2", next_style="Normal", priority=39, quick=False,
                         ppr=_tabs(("right", TEXT_WIDTH, "dot")) + '<w:spacing w:after="40"/><w:ind w:left="284"/>'),
        _paragraph_style("Header", "header", quick=False,
                         ppr='<w:pBdr>' + _border("bottom", 4, RULE, 4) + "</w:pBdr>"
                             '<w:spacing w:after="0"/>',
                         rpr=_rpr(size=8.5, color=GREY)),
        _paragraph_style("Footer", "footer", quick=False,
                         ppr='<w:pBdr>' + _border("top", 4, RULE, 4) + "</w:pBdr>"
                             '<w:spacing w:after="0"/><w:jc w:val="right"/>',
                         rpr=_rpr(size=8.5, color=GREY)),
        _paragraph_style("Quote", "Quote", priority=29,
                         ppr='<w:pBdr>' + _border("left", 18, BLUE, 8) + "</w:pBdr>"
                             '<w:spacing w:before="120" w:after="160"/><w:ind w:left="284" w:right="284"/>',
                         rpr=_rpr(size=11.5, italic=True, color=NAVY)),
        _paragraph_style("Toelichting", "Toelichting", rpr=_rpr(size=9, italic=True, color=GREY),
                         ppr='<w:spacing w:after="120"/>'),
        _paragraph_style("Tabeltekst", "Tabeltekst", rpr=_rpr(size=9),
                         ppr='<w:spacing w:before="20" w:after="40" w:line="240" w:lineRule="auto"/>'),
        _paragraph_style("Tabelkop", "Tabelkop", based="Tabeltekst", rpr=_rpr(bold=True, color=NAVY),
                         ppr='<w:keepNext/>'),
        _paragraph_style("Tabelopsomming", "Tabelopsomming", based="Tabeltekst",
                         ppr='<w:numPr><w:ilvl w:val="0"/><w:numId w:val="2"/></w:numPr>'
                             '<w:ind w:left="227" w:hanging="227"/>'),
        _paragraph_style("Clausuletekst", "Clausuletekst",
                         ppr='<w:pBdr>' + _border("left", 12, RULE, 8) + "</w:pBdr>"
                             f'<w:shd w:val="clear" w:color="auto" w:fill="{PALE}"/>'
                             '<w:spacing w:before="60" w:after="160"/><w:ind w:left="227" w:right="113"/>'),
        _paragraph_style("KopInTekst", "Kop in tekst", next_style="Normal",
                         ppr='<w:keepNext/><w:spacing w:before="160" w:after="60"/>', rpr=_rpr(bold=True, color=NAVY)),
        _paragraph_style("Codeblok", "Codeblok", rpr=_rpr("Consolas", 9),
                         ppr=f'<w:shd w:val="clear" w:color="auto" w:fill="{PALE}"/>'
                             '<w:spacing w:after="120" w:line="240" w:lineRule="auto"/><w:ind w:left="284"/>'),
    ]
    for level in (1, 2, 3):
        suffix = "" if level == 1 else str(level)
        indent = list_ind[level]
        paragraph_styles += [
            _paragraph_style(f"ListBullet{suffix}", f"List Bullet{' ' + suffix if suffix else ''}", priority=99,
                             ppr=f'<w:numPr><w:ilvl w:val="{level - 1}"/><w:numId w:val="1"/></w:numPr>'
                                 f'<w:spacing w:after="60"/><w:ind w:left="{indent}" w:hanging="357"/>'),
            _paragraph_style(f"Genummerd{suffix}", f"Genummerd{' ' + suffix if suffix else ''}",
                             ppr=_tabs(("left", indent, None)) +
                                 f'<w:spacing w:after="60"/><w:ind w:left="{indent}" w:hanging="357"/>'),
            _paragraph_style(f"ListContinue{suffix}", f"List Continue{' ' + suffix if suffix else ''}",
                             priority=99, ppr=f'<w:spacing w:after="60"/><w:ind w:left="{indent}"/>'),
        ]
    character_styles = [
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>',
        _character_style("Hyperlink", "Hyperlink", _rpr(color=BLUE, extra='<w:u w:val="single"/>'), priority=99),
        _character_style("Strong", "Strong", _rpr(bold=True), priority=22),
        _character_style("Emphasis", "Emphasis", _rpr(italic=True), priority=20),
        # Word ignores w:highlight in styles; shading is the style-level marker
        _character_style("Standaardwaarde", "Standaardwaarde",
                         _rpr(italic=True, extra=f'<w:shd w:val="clear" w:color="auto" w:fill="{MARK}"/>')),
        _character_style("CodeInTekst", "Code in tekst", _rpr("Consolas", 9.5)),
        _character_style("Selectievakje", "Selectievakje",
                         '<w:rPr><w:rFonts w:ascii="Segoe UI Symbol" w:hAnsi="Segoe UI Symbol" '
                         'w:eastAsia="Segoe UI Symbol" w:cs="Segoe UI Symbol"/><w:sz w:val="22"/></w:rPr>'),
    ]
    cell_margins = ('<w:tblCellMar><w:top w:w="45" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
                    '<w:bottom w:w="45" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>')
    grid = "".join(_border(side, 4, RULE) for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    lines = "".join(_border(side, 4, RULE) for side in ("bottom", "insideH"))
    table_styles = [
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>'
        '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>',
        '<w:style w:type="table" w:customStyle="1" w:styleId="Dossiertabel"><w:name w:val="Dossiertabel"/>'
        '<w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/><w:qFormat/>'
        '<w:pPr><w:spacing w:before="20" w:after="40" w:line="240" w:lineRule="auto"/></w:pPr>'
        + _rpr(size=9) +
        f'<w:tblPr><w:tblBorders>{grid}</w:tblBorders>{cell_margins}</w:tblPr>'
        '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/>'
        f'<w:color w:val="{NAVY}"/></w:rPr><w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{SHADE}"/>'
        '</w:tcPr></w:tblStylePr>'
        f'<w:tblStylePr w:type="firstCol"><w:rPr><w:b/><w:bCs/><w:color w:val="{NAVY}"/></w:rPr>'
        f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{PALE}"/></w:tcPr></w:tblStylePr></w:style>',
        '<w:style w:type="table" w:customStyle="1" w:styleId="Omslagtabel"><w:name w:val="Omslagtabel"/>'
        '<w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/>'
        '<w:pPr><w:spacing w:before="40" w:after="40" w:line="240" w:lineRule="auto"/></w:pPr>'
        f'<w:tblPr><w:tblBorders>{lines}</w:tblBorders>{cell_margins}</w:tblPr>'
        f'<w:tblStylePr w:type="firstCol"><w:rPr><w:b/><w:bCs/><w:color w:val="{NAVY}"/></w:rPr>'
        '</w:tblStylePr></w:style>',
        '<w:style w:type="table" w:customStyle="1" w:styleId="Schrijfregels"><w:name w:val="Schrijfregels"/>'
        '<w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/>'
        f'<w:tblPr><w:tblBorders>{"".join(_border(side, 4, GREY) for side in ("bottom", "insideH"))}'
        f'</w:tblBorders>{cell_margins}</w:tblPr></w:style>',
        '<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>',
    ]
    defaults = (
        "<w:docDefaults><w:rPrDefault><w:rPr>"
        f'<w:rFonts w:ascii="{BODY_FONT}" w:eastAsia="{BODY_FONT}" w:hAnsi="{BODY_FONT}" w:cs="{BODY_FONT}"/>'
        '<w:color w:val="1A1A1A"/><w:sz w:val="21"/><w:szCs w:val="21"/>'
        '<w:lang w:val="nl-NL" w:eastAsia="nl-NL" w:bidi="ar-SA"/>'
        "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
        '<w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>'
    )
    return (f'<w:styles {nsdecls("w")}>' + defaults
            + "".join(paragraph_styles + character_styles + table_styles) + "</w:styles>")


def numbering_xml() -> str:
    """Return the numbering part: bullets for running text (numId 1) and for table cells (numId 2).

    Numbered lists are written as text ("1.", tab) so that every list starts at its own number
    without per-list numbering instances.
    """
    def level(index: int, glyph: str, left: int, hanging: int = 357) -> str:
        return (f'<w:lvl w:ilvl="{index}"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
                f'<w:lvlText w:val="{glyph}"/><w:lvlJc w:val="left"/>'
                f'<w:pPr><w:ind w:left="{left}" w:hanging="{hanging}"/></w:pPr>'
                f'<w:rPr><w:rFonts w:ascii="{BODY_FONT}" w:hAnsi="{BODY_FONT}" w:hint="default"/>'
                f'<w:color w:val="{NAVY}"/></w:rPr></w:lvl>')

    text = level(0, "\u2022", 357) + level(1, "\u2013", 714) + level(2, "\u25aa", 1071)
    cell = level(0, "\u2022", 227, 227)
    return (f'<w:numbering {nsdecls("w")}>'
            f'<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="hybridMultilevel"/>{text}</w:abstractNum>'
            f'<w:abstractNum w:abstractNumId="1"><w:multiLevelType w:val="singleLevel"/>{cell}</w:abstractNum>'
            '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
            '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num></w:numbering>')


def settings_xml() -> str:
    """Return the settings part: Dutch, Word 2013+ layout, fields (the TOC) updated on opening."""
    return (f'<w:settings {nsdecls("w", "m")}>'
            '<w:zoom w:percent="100"/><w:defaultTabStop w:val="709"/><w:hyphenationZone w:val="425"/>'
            '<w:characterSpacingControl w:val="doNotCompress"/><w:updateFields w:val="true"/>'
            '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" '
            'w:val="15"/></w:compat>'
            '<m:mathPr><m:mathFont m:val="Cambria Math"/></m:mathPr>'
            '<w:themeFontLang w:val="nl-NL"/>'
            '<w:decimalSymbol w:val=","/><w:listSeparator w:val=";"/></w:settings>')


def font_table_xml() -> str:
    """Return the font table: the fonts the styles name, with their families for substitution."""
    fonts = (("Calibri", "020F0502020204030204", "swiss", "variable"),
             ("Cambria", "02040503050406030204", "roman", "variable"),
             ("Consolas", "020B0609020204030204", "modern", "fixed"),
             ("Segoe UI Symbol", "020B0502040204020203", "swiss", "variable"))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:fonts {nsdecls("w")}>' + "".join(
                f'<w:font w:name="{name}"><w:panose1 w:val="{panose}"/><w:charset w:val="00"/>'
                f'<w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>'
                for name, panose, family, pitch in fonts) + "</w:fonts>")


APP_XML = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
           'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
           "<Template>dossier.docx</Template><TotalTime>0</TotalTime><Application>dossier</Application>"
           "<DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate>"
           "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>"
           "<AppVersion>16.0000</AppVersion></Properties>")


def _replace_part_xml(part: object, xml: str) -> None:
    part._element = parse_xml(xml)  # type: ignore[attr-defined]


def clean_package(document: docx.document.Document) -> None:
    """Replace python-docx's default styles, numbering and settings; drop parts a dossier has no use for."""
    main = document.part
    for rel_id, rel in list(main.rels.items()):
        if rel.reltype in (RT.CUSTOM_XML, RT.WEB_SETTINGS) or rel.reltype.endswith("/stylesWithEffects"):
            main.rels.pop(rel_id)
    package = main.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package.rels.pop(rel_id)
        elif rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = APP_XML.encode("utf-8")
    _replace_part_xml(main._styles_part, styles_xml())
    _replace_part_xml(main.numbering_part, numbering_xml())
    _replace_part_xml(main._settings_part, settings_xml())
    for rel in main.rels.values():
        if rel.reltype == RT.FONT_TABLE:
            rel.target_part._blob = font_table_xml().encode("utf-8")


# --- building blocks for the body -------------------------------------------------------------

Container = docx.document.Document | _Cell


def para(container: Container, text: str = "", style: str = "Normal", *, page_break: bool = False,
         after_table: bool = False, keep_next: bool = False) -> Paragraph:
    """Add a paragraph whose text may hold tags; return it."""
    paragraph = container.add_paragraph(style=style)
    if text:
        paragraph.add_run(text)
    if page_break:
        paragraph.paragraph_format.page_break_before = True
    if after_table:
        paragraph.paragraph_format.space_before = Pt(8)
    if keep_next:
        paragraph.paragraph_format.keep_with_next = True
    return paragraph


def rich(container: Container, runs: Sequence[tuple[str, str | None]], style: str = "Normal", *,
         after_table: bool = False, keep_next: bool = False) -> Paragraph:
    """Add a paragraph of (text, character style) runs; return it."""
    paragraph = para(container, style=style, after_table=after_table, keep_next=keep_next)
    for text, char_style in runs:
        paragraph.add_run(text, style=char_style)
    return paragraph


def tag(container: Container, text: str) -> None:
    """Add a paragraph holding only a docxtpl paragraph tag ({%p ... %}); docxtpl removes it."""
    container.add_paragraph(text)


def _first_cell_paragraph(cell: _Cell) -> Paragraph:
    return cell.paragraphs[0]


def fill(cell: _Cell, content: str | Sequence[object], style: str = "Tabeltekst") -> None:
    """Fill a table cell: a string is one paragraph, a sequence holds strings, (text, style) pairs,
    or lists of (text, character style) runs: one paragraph each."""
    items = [content] if isinstance(content, str) else list(content)
    first = True
    for item in items:
        paragraph = _first_cell_paragraph(cell) if first else cell.add_paragraph()
        first = False
        if isinstance(item, str):
            paragraph.style = style
            paragraph.add_run(item)
        elif isinstance(item, tuple):
            paragraph.style = item[1]
            paragraph.add_run(item[0])
        else:
            paragraph.style = style
            for text, char_style in item:  # type: ignore[union-attr]
                paragraph.add_run(text, style=char_style)


def table(container: docx.document.Document, widths: Sequence[float], header: Sequence[str] | None = None,
          style: str = "Dossiertabel", first_column: bool = False) -> Table:
    """Add a fixed-layout table with column widths in cm and an optional repeating header row."""
    result = container.add_table(rows=0, cols=len(widths))
    result.style = style
    result.autofit = False
    tbl_pr = result._tbl.tblPr
    width = tbl_pr.find(qn("w:tblW"))
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(sum(round(w * 567) for w in widths)))
    look = tbl_pr.find(qn("w:tblLook"))
    flags = {"firstRow": header is not None, "lastRow": False, "firstColumn": first_column, "lastColumn": False,
             "noHBand": True, "noVBand": True}
    for name, on in flags.items():
        look.set(qn(f"w:{name}"), "1" if on else "0")
    bits = {"firstRow": 0x20, "lastRow": 0x40, "firstColumn": 0x80, "lastColumn": 0x100, "noHBand": 0x200,
            "noVBand": 0x400}
    look.set(qn("w:val"), f"{sum(bits[n] for n, on in flags.items() if on):04X}")
    for column, cm in zip(result._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        column.set(qn("w:w"), str(round(cm * 567)))
    result._widths = widths  # type: ignore[attr-defined]
    if header is not None:
        row = add_row(result, [(text, "Tabelkop") for text in header])
        row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    return result


def add_row(target: Table, cells: Sequence[object], split: bool = False) -> object:
    """Add a row (kept on one page unless split); each cell is filled by fill()."""
    row = target.add_row()
    if not split:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    for cell, content, cm in zip(row.cells, cells, target._widths, strict=True):  # type: ignore[attr-defined]
        cell.width = Cm(cm)
        fill(cell, content if isinstance(content, str | list) else [content])
    return row


def tag_row(target: Table, text: str) -> None:
    """Add a row holding a docxtpl row tag ({%tr ... %}); docxtpl removes the row."""
    add_row(target, [text] + [""] * (len(target.columns) - 1), split=True)


def loop_in_cell(expression: str, body: object, empty: str = "\u2014") -> list[object]:
    """Paragraphs for a cell that repeats body for each item and shows `empty` when there is none."""
    variable, _, sequence = expression.partition(" in ")
    return [f"{{%p for {expression} %}}", body, "{%p endfor %}",
            f"{{%p if not {sequence} %}}", empty, "{%p endif %}"]


def field(paragraph: Paragraph, instruction: str, shown: str) -> None:
    """Add a complex field (begin, instruction, separate, shown result, end) to paragraph."""
    def fld(kind: str) -> object:
        r = OxmlElement("w:r")
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        r.append(char)
        return r

    paragraph._p.append(fld("begin"))
    instr_run = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    instr_run.append(instr)
    paragraph._p.append(instr_run)
    paragraph._p.append(fld("separate"))
    paragraph.add_run(shown)
    paragraph._p.append(fld("end"))


# --- the document -----------------------------------------------------------------------------

def page_setup(document: docx.document.Document) -> None:
    """A4 portrait; a first page without header and footer; header with the project name,
    footer with the short dossier reference and 'Pagina X van Y'."""
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.3)
    section.header_distance, section.footer_distance = Cm(1.2), Cm(1.1)
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.style = "Header"
    header.add_run("Ethiekdossier provincie {{ project.provincie }}  \u00b7  {{ project.naam }}")
    footer = section.footer.paragraphs[0]
    footer.style = "Footer"
    footer.add_run("Dossier {{ dossier.referentie_kort }}  \u00b7  Pagina ")
    field(footer, "PAGE", "1")
    footer.add_run(" van ")
    field(footer, "NUMPAGES", "1")
    for part in (section.first_page_header, section.first_page_footer):
        part.paragraphs[0].style = "Header" if part is section.first_page_header else "Footer"
        part.is_linked_to_previous = False
    # an empty first-page header/footer still draws its border line: use a plain paragraph
    section.first_page_header.paragraphs[0].style = "Normal"
    section.first_page_footer.paragraphs[0].style = "Normal"


def cover(d: docx.document.Document) -> None:
    para(d, "Provincie {{ project.provincie }}", "Omslagkop")
    para(d, "Ethiekdossier", "Title")
    para(d, "{{ project.naam }}", "Subtitle")
    t = table(d, (4.5, 11.5), style="Omslagtabel", first_column=True)
    for label, value in (("Provincie", "{{ project.provincie }}"), ("Afdeling", "{{ project.afdeling }}"),
                         ("Datum intake", "{{ project.datum }}"), ("Projectfase", "{{ project.fase }}"),
                         ("Projectleider", "{{ project.projectleider }}"), ("Adviseur", "{{ project.adviseur }}"),
                         ("Dossierreferentie", "{{ dossier.referentie_kort }}")):
        add_row(t, [label, value])
    para(d, "Status: {{ dossier.status }}", "Omslagstatus")
    para(d, "Dit ethiekdossier beantwoordt de drietrap Kan het? Mag het? Willen we het? en legt vast welke "
            "waarden, instrumenten en inkoopvoorwaarden op dit project van toepassing zijn. "
            "Bron: {{ dossier.gids }}.", "Toelichting")


def contents(d: docx.document.Document) -> None:
    para(d, "Inhoud", "TOC Heading", page_break=True)
    toc = para(d, "", "Toelichting")
    field(toc, 'TOC \\o "1-2" \\h \\z \\u',
          "Paginanummers verschijnen zodra Word de inhoudsopgave bijwerkt: kies bij het openen 'Ja', of klik "
          "met de rechtermuisknop op de inhoudsopgave en kies 'Veld bijwerken'.")


def summary(d: docx.document.Document) -> None:
    para(d, "1  Samenvatting", "Heading 1", page_break=True)
    para(d, "Centrale vraag", "Heading 3")
    para(d, "{{ project.centrale_vraag }}", "Quote")
    para(d, "Kan het? Mag het? Willen we het?", "Heading 3")
    t = table(d, (3.5, 5.0, 7.5), ("Vraag", "Betekenis", "Oordeel"))
    tag_row(t, "{%tr for stap in drietrap %}")
    add_row(t, ["{{ stap.vraag }}", "{{ stap.omschrijving }}", [[("{{ stap.oordeel }}", "Strong")]]])
    tag_row(t, "{%tr endfor %}")
    para(d, "Gekozen instrumenten", "Heading 3")
    listing(d, "instrument", "instrumenten.gekozen", "{{ instrument.naam }}: {{ instrument.kort }}", "List Bullet", "Er is nog geen instrument uit de gids gekozen.")
    tag(d, "{%p if instrumenten.aanbevolen_niet_gekozen %}")
    para(d, "Aanbevolen maar niet gekozen: {% for instrument in instrumenten.aanbevolen_niet_gekozen %}"
            "{{ instrument.naam }}{% if not loop.last %}, {% endif %}{% endfor %} (zie hoofdstuk 7).", "Toelichting")
    tag(d, "{%p endif %}")
    para(d, "Open punten", "Heading 3")
    rich(d, [("{{ dossier.status }}", "Strong"),
             ("{% if not dossier.gereed %}. De open punten staan in hoofdstuk 9 en worden op het besluitblad "
              "herhaald.{% else %}. Er staan geen punten meer open.{% endif %}", None)])
    para(d, "Gevraagde besluiten", "Heading 3")
    tag(d, "{%p for besluit in besluiten %}")
    para(d, "{{ besluit.nummer }}.\t{{ besluit.besluit }}", "Genummerd")
    tag(d, "{%p endfor %}")
    tag(d, "{%p if not besluiten %}")
    para(d, "Er zijn geen afzonderlijke besluiten geformuleerd; de gedeputeerde besluit over het dossier als geheel "
            "(hoofdstuk 10).")
    tag(d, "{%p endif %}")


def project(d: docx.document.Document) -> None:
    para(d, "2  Project", "Heading 1")
    para(d, "Beschrijving", "Heading 2")
    para(d, "{{p project.beschrijving_opgemaakt }}")
    para(d, "Kenmerken", "Heading 2")
    t = table(d, (5.5, 10.5), first_column=True)
    for label, value in (("Rol van de provincie", "{{ rollen }}"), ("Afdeling", "{{ project.afdeling }}"),
                         ("Projectleider", "{{ project.projectleider }}"), ("Fase", "{{ project.fase }}"),
                         ("Technologie", "{{ technologie.soorten }}"),
                         ("Persoonsgegevens", "{{ technologie.persoonsgegevens }}"),
                         ("Bijzondere persoonsgegevens", "{{ technologie.bijzondere_persoonsgegevens }}"),
                         ("Besluitvorming over personen", "{{ technologie.besluitvorming_over_personen }}"),
                         ("Contact met burgers", "{{ technologie.burgercontact }}"),
                         ("DPIA", "{{ technologie.dpia }}")):
        add_row(t, [label, value])
    para(d, "Databronnen", "Heading 2")
    tag(d, "{%p if technologie.databronnen %}")
    t = table(d, (3.6, 2.4, 5.0, 5.0), ("Databron", "Herkomst", "Toelichting", "Ketenverantwoordelijkheid"))
    tag_row(t, "{%tr for bron in technologie.databronnen %}")
    add_row(t, [[[("{{ bron.naam }}", "Strong")]], "{{ bron.herkomst }}",
                "{% if bron.toelichting %}{{ bron.toelichting }}{% else %}\u2014{% endif %}",
                [[("{% if bron.ketenverantwoordelijkheid %}{{ bron.ketenverantwoordelijkheid }}{% else %}", None),
                  ("Niet beschreven", "Emphasis"), ("{% endif %}", None)]]])
    tag_row(t, "{%tr endfor %}")
    para(d, "Ketenverantwoordelijkheid: hoe de provincie nagaat dat data van anderen rechtmatig zijn verkregen "
            "en verwerkt.", "Toelichting", after_table=True)
    tag(d, "{%p else %}")
    para(d, "Er zijn geen databronnen opgegeven.")
    tag(d, "{%p endif %}")
    para(d, "Leverancier", "Heading 2")
    tag(d, "{%p if technologie.leverancier %}")
    rich(d, [("{{ technologie.leverancier.naam }}", "Strong"),
             (" levert {{ technologie.leverancier.levert }}.", None)])
    tag(d, "{%p else %}")
    para(d, "Er is geen externe leverancier betrokken.")
    tag(d, "{%p endif %}")


def drietrap(d: docx.document.Document) -> None:
    para(d, "3  De drietrap", "Heading 1")
    para(d, "De gids stelt bij elke inzet van data en digitale technologie drie vragen, die even zwaar wegen: "
            "is het technisch mogelijk, is het juridisch toegestaan en is het ethisch wenselijk?")
    tag(d, "{%p for stap in drietrap %}")
    para(d, "{{ stap.vraag }} {{ stap.omschrijving }}", "Heading 2")
    rich(d, [("Oordeel: ", None), ("{{ stap.oordeel }}", "Strong")])
    para(d, "{{ stap.toelichting }}")
    tag(d, "{%p endfor %}")


def new_section(d: docx.document.Document, landscape: bool) -> None:
    """Start a new section on a new page, A4 landscape or portrait, with the running header and footer."""
    section = d.add_section(WD_SECTION.NEW_PAGE)
    section.different_first_page_header_footer = False
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    short, long = Cm(21.0), Cm(29.7)
    section.page_width, section.page_height = (long, short) if landscape else (short, long)


def values(d: docx.document.Document) -> None:
    new_section(d, landscape=True)  # five columns of running text need the width
    para(d, "4  Waardentabel", "Heading 1")
    para(d, "Deze waarden zijn op het project van toepassing. Waarden uit Tabel 1 van de gids staan met hun "
            "begeleidende vraag; eigen waarden van het project met hun eigen vraag. Waarden uit Tabel 1 die niet "
            "van toepassing zijn, staan in bijlage A.")
    t = table(d, (3.4, 5.4, 7.0, 2.0, WIDE - 17.8),
              ("Waarde", "Begeleidende vraag", "Antwoord van het project", "Relevantie", "Waarom van toepassing"))
    tag_row(t, "{%tr for waarde in waarden %}")
    add_row(t, split=True, cells=[[[("{{ waarde.naam }}", "Strong")], ("{{ waarde.herkomst }}", "Toelichting")],
                "{{ waarde.vraag }}",
                [[("{% if waarde.antwoord %}{{ waarde.antwoord }}{% else %}", None),
                  ("Nog niet beantwoord (open punt)", "Emphasis"), ("{% endif %}", None)]],
                "{% if waarde.relevantie %}{{ waarde.relevantie }}{% else %}\u2014{% endif %}",
                loop_in_cell("reden in waarde.redenen", ("{{ reden }}", "Tabelopsomming"))])
    tag_row(t, "{%tr endfor %}")
    new_section(d, landscape=False)


def weighing(d: docx.document.Document) -> None:
    para(d, "5  Afweging: willen we het?", "Heading 1")  # on a new page: the section break
    para(d, "Zoals in de voorbeelden van de gids: per reden de waarden die erbij horen.", keep_next=True)
    t = table(d, (4.0, 3.6, 8.4), ("Willen we het?", "Waarden", "Uitleg"))
    for direction, label in (("wenselijk", "Dit is ethisch wenselijk, omdat\u2026"),
                             ("onwenselijk", "Dit is ethisch onwenselijk, omdat\u2026")):
        tag_row(t, f"{{%tr for reden in afweging.{direction} %}}")
        add_row(t, [[[("{% if loop.first %}", None), (label, "Strong"), ("{% endif %}", None)]],
                    "{{ reden.waarden }}", "\u2026{{ reden.omdat }}"])
        tag_row(t, "{%tr endfor %}")
        tag_row(t, f"{{%tr if not afweging.{direction} %}}")
        add_row(t, [[[(label, "Strong")]], "\u2014", [[("Geen reden opgegeven.", "Emphasis")]]])
        tag_row(t, "{%tr endif %}")
    tag(d, "{%p if dilemmas %}")
    rich(d, [("Dilemma: ", "Strong"),
             ("{{ dilemma_zin }} Dat vraagt een bewuste keuze welke waarde zwaarder weegt, of een maatregel die "
              "de spanning vermindert.", None)], after_table=True)
    tag(d, "{%p endif %}")


def stakeholders(d: docx.document.Document) -> None:
    para(d, "6  Betrokkenen en handelingsopties", "Heading 1")
    para(d, "Betrokkenen", "Heading 2")
    tag(d, "{%p if betrokkenen %}")
    t = table(d, (4.5, 5.0, 6.5), ("Partij", "Rol", "Wijze van betrekken"))
    tag_row(t, "{%tr for partij in betrokkenen %}")
    add_row(t, [[[("{{ partij.partij }}", "Strong")]], "{{ partij.rol }}", "{{ partij.wijze_van_betrekken }}"])
    tag_row(t, "{%tr endfor %}")
    tag(d, "{%p else %}")
    para(d, "Er zijn nog geen betrokkenen opgegeven.")
    tag(d, "{%p endif %}")
    para(d, "Handelingsopties", "Heading 2")
    tag(d, "{%p if handelingsopties %}")
    t = table(d, (7.0, 3.4, 3.6, 2.0), ("Maatregel", "Beschermt", "Eigenaar", "Status"))
    tag_row(t, "{%tr for optie in handelingsopties %}")
    add_row(t, ["{{ optie.maatregel }}", "{{ optie.waarden }}",
                "{% if optie.eigenaar %}{{ optie.eigenaar }}{% else %}\u2014{% endif %}",
                "{% if optie.status %}{{ optie.status }}{% else %}\u2014{% endif %}"])
    tag_row(t, "{%tr endfor %}")
    tag(d, "{%p else %}")
    para(d, "Er zijn nog geen handelingsopties opgegeven.")
    tag(d, "{%p endif %}")


def instruments(d: docx.document.Document) -> None:
    para(d, "7  Instrumentenplan", "Heading 1")
    para(d, "De instrumenten uit de bijlage van de gids die voor dit project worden ingezet, met de randvoorwaarden "
            "die de gids noemt.")
    tag(d, "{%p for instrument in instrumenten.gekozen %}")
    para(d, "{{ instrument.naam }}", "Heading 2")
    para(d, "{{ instrument.doel }}")
    t = table(d, (4.0, 12.0), first_column=True)
    for label, value in (("Waarom gekozen", "{{ instrument.motivatie }}"), ("Planning", "{{ instrument.planning }}"),
                         ("Begeleider", "{{ instrument.begeleider }}"), ("Deelnemers", "{{ instrument.deelnemers }}"),
                         ("Duur", "{{ instrument.voorwaarden.duur }}"),
                         ("Groepsgrootte", "{{ instrument.voorwaarden.groepsgrootte }}"),
                         ("Locatie", "{{ instrument.voorwaarden.locatie }}"),
                         ("Voorbereiding", "{{ instrument.voorwaarden.voorbereiding }}"),
                         ("Uitvoering", "{{ instrument.voorwaarden.uitvoering }}")):
        add_row(t, [label, value])
    tag(d, "{%p if instrument.aanbevolen_omdat %}")
    rich(d, [("Ook aanbevolen door de afleiding: ", "Strong"), ("{{ instrument.aanbevolen_omdat }}", None)],
         "Toelichting", after_table=True)
    tag(d, "{%p endif %}")
    tag(d, "{%p if instrument.behoeften %}")
    para(d, "Behoeften waarin het voorziet", "Heading 3")
    tag(d, "{%p for behoefte in instrument.behoeften %}")
    para(d, "{{ behoefte }}", "List Bullet")
    tag(d, "{%p endfor %}")
    tag(d, "{%p endif %}")
    para(d, "Werkwijze", "Heading 3")
    tag(d, "{%p for stap in instrument.methode %}")
    para(d, "{{ loop.index }}.\t{{ stap }}", "Genummerd")
    tag(d, "{%p endfor %}")
    tag(d, "{%p if instrument.resultaten %}")
    para(d, "Verwachte resultaten", "Heading 3")
    tag(d, "{%p for resultaat in instrument.resultaten %}")
    para(d, "{{ resultaat }}", "List Bullet")
    tag(d, "{%p endfor %}")
    tag(d, "{%p endif %}")
    para(d, "Bron: {{ instrument.bron_gids }}", "Toelichting")
    tag(d, "{%p endfor %}")
    tag(d, "{%p if not instrumenten.gekozen %}")
    para(d, "Er is nog geen instrument gekozen.")
    tag(d, "{%p endif %}")
    tag(d, "{%p if instrumenten.aanbevolen_niet_gekozen %}")
    para(d, "Aanbevolen maar niet gekozen", "Heading 2")
    t = table(d, (4.4, 6.6, 5.0), ("Instrument", "Waarom aanbevolen", "Waarom niet gekozen"))
    tag_row(t, "{%tr for instrument in instrumenten.aanbevolen_niet_gekozen %}")
    add_row(t, [[[("{{ instrument.naam }}", "Strong")], ("{{ instrument.kort }}", "Toelichting")],
                "{{ instrument.aanbevolen_omdat }}",
                [[("{% if instrument.afgewezen_motivatie %}{{ instrument.afgewezen_motivatie }}{% else %}", None),
                  ("Niet gemotiveerd (open punt)", "Emphasis"), ("{% endif %}", None)]]])
    tag_row(t, "{%tr endfor %}")
    tag(d, "{%p endif %}")
    tag(d, "{%p if instrumenten.afgewezen_overig %}")
    para(d, "Overige afgewezen instrumenten", "Heading 2")
    tag(d, "{%p for afgewezen in instrumenten.afgewezen_overig %}")
    rich(d, [("{{ afgewezen.naam }}", "Strong"), (": {{ afgewezen.motivatie }}", None)], "List Bullet")
    tag(d, "{%p endfor %}")
    tag(d, "{%p endif %}")


def clauses(d: docx.document.Document) -> None:
    para(d, "8  Inkoop- en subsidievoorwaarden", "Heading 1")
    tag(d, "{%p if clausules %}")
    tag(d, "{%p for alinea in clausules_inleiding %}")
    para(d, "{{ alinea }}", keep_next=True)
    tag(d, "{%p endfor %}")
    tag(d, "{%p for clausule in clausules %}")
    para(d, "Clausule {{ clausule.nummer }}. {{ clausule.titel }}", "Heading 2")
    para(d, "Voor: {{ clausule.soort }} \u00b7 onderwerp: {{ clausule.onderwerp }} \u00b7 versie "
            "{{ clausule.versie }}", "Toelichting")
    para(d, "{{r clausule.tekst_opgemaakt }}", "Clausuletekst")
    tag(d, "{%p if clausule.heeft_standaardwaarden %}")
    para(d, "Deze clausule bevat standaardwaarden, aangeduid met '(standaardwaarde)'; controleer ze.", "Toelichting")
    tag(d, "{%p endif %}")
    para(d, "Waarom deze clausule", "Heading 3")
    tag(d, "{%p for reden in clausule.redenen %}")
    para(d, "{{ reden }}", "List Bullet")
    tag(d, "{%p endfor %}")
    tag(d, "{%p if clausule.toelichting %}")
    rich(d, [("Toelichting: ", "Strong"), ("{{ clausule.toelichting }}", None)])
    tag(d, "{%p endif %}")
    rich(d, [("Herkomst: ", "Strong"), ("{{ clausule.herkomst }}", None)])
    tag(d, "{%p endfor %}")
    tag(d, "{%p else %}")
    para(d, "Voor dit project zijn geen inkoop- of subsidievoorwaarden gekozen of vereist.")
    tag(d, "{%p endif %}")


def listing(d: docx.document.Document, name: str, collection: str, item: str, style: str, empty: str) -> None:
    """A paragraph per element of collection, or the text empty when it has none."""
    tag(d, f"{{%p for {name} in {collection} %}}")
    para(d, item, style)
    tag(d, "{%p endfor %}")
    tag(d, f"{{%p if not {collection} %}}")
    para(d, empty)
    tag(d, "{%p endif %}")


def open_points(d: docx.document.Document) -> None:
    para(d, "9  Open punten en waarschuwingen", "Heading 1")
    para(d, "Open punten", "Heading 2")
    listing(d, "punt", "open_punten", "{{ loop.index }}.\t{{ punt }}", "Genummerd", "Er staan geen punten open: het dossier is gereed voor besluit.")
    para(d, "Waarschuwingen", "Heading 2")
    listing(d, "waarschuwing", "waarschuwingen", "{{ waarschuwing }}", "List Bullet", "Geen waarschuwingen.")


def checkboxes() -> list[object]:
    return [[("\u2610", "Selectievakje"), (f" {label}", None)] for label in CHECKBOXES]


def decision(d: docx.document.Document) -> None:
    para(d, "10  Besluit gedeputeerde", "Heading 1", page_break=True)
    t = table(d, (4.5, 11.5), first_column=True)
    for label, value in (("Project", "{{ project.naam }}"), ("Provincie", "{{ project.provincie }}"),
                         ("Dossierreferentie", "{{ dossier.referentie_kort }}"),
                         ("Datum dossier", "{{ project.datum }}"), ("Status", "{{ dossier.status }}")):
        add_row(t, [label, value])
    para(d, "Besluiten", "Heading 2")
    t = table(d, (1.2, 9.4, 5.4), ("Nr.", "Besluit en risico", "Oordeel gedeputeerde"))
    tag_row(t, "{%tr for besluit in besluiten %}")
    add_row(t, ["{{ besluit.nummer }}",
                [[("{{ besluit.besluit }}", "Strong")],
                 [("Risico: ", "Emphasis"),
                  ("{% if besluit.risico %}{{ besluit.risico }}{% else %}geen risico benoemd{% endif %}", None)],
                 "{%p if besluit.toelichting %}", [("Toelichting: ", "Emphasis"), ("{{ besluit.toelichting }}", None)],
                 "{%p endif %}"],
                checkboxes()])
    tag_row(t, "{%tr endfor %}")
    tag_row(t, "{%tr if not besluiten %}")
    add_row(t, ["1", [[("Het ethiekdossier als geheel", "Strong")],
                      "De gedeputeerde besluit over de inzet zoals in dit dossier beschreven, met de afweging, "
                      "de handelingsopties en de open punten."], checkboxes()])
    tag_row(t, "{%tr endif %}")
    para(d, "Aanvaarde risico's", "Heading 3")
    listing(d, "risico", "risicos", "{{ risico }}", "List Bullet", "In het dossier zijn geen risico's bij de besluiten benoemd.")
    para(d, "Open punten bij het besluit ({{ dossier.aantal_open_punten }})", "Heading 3")
    listing(d, "punt", "open_punten", "{{ loop.index }}.\t{{ punt }}", "Genummerd", "Geen.")
    para(d, "Voorwaarden", "Heading 3")
    para(d, "Voorwaarden of aanvullende maatregelen bij het besluit:", "Toelichting", keep_next=True)
    lines = table(d, (16.0,), style="Schrijfregels")
    for _ in range(4):
        row = add_row(lines, [""])
        row.height, row.height_rule = Cm(0.9), WD_ROW_HEIGHT_RULE.AT_LEAST
    para(d, "Herbeoordeling", "Heading 3")
    rich(d, [("Het dossier wordt opnieuw beoordeeld uiterlijk op ", None),
             ("{{ ondertekening.herbeoordeling }}", "Strong"),
             ("{% if ondertekening.herbeoordeling_standaard %} (standaard: 12 maanden na de intakedatum)"
              "{% endif %}.", None)])
    para(d, "Ondertekening", "Heading 3")
    t = table(d, (8.0, 8.0), style="Omslagtabel")
    line = "Handtekening: ____________________________"
    add_row(t, [[[("Gedeputeerde", "Strong")], "{{ ondertekening.gedeputeerde }}",
                 "Portefeuille: {{ ondertekening.portefeuille }}",
                 "Plaats: ___________________________________", "Datum: ___________________________________", "",
                 line],
                [[("Ambtelijk opdrachtgever", "Strong")],
                 [("{% if ondertekening.ambtelijk_opdrachtgever %}{{ ondertekening.ambtelijk_opdrachtgever }}"
                   "{% else %}Naam: _________________________________{% endif %}", None)],
                 "", "Plaats: ___________________________________", "Datum: ___________________________________", "",
                 line]])


def annexes(d: docx.document.Document) -> None:
    para(d, "Bijlage A  Waarden die niet van toepassing zijn", "Heading 1", page_break=True)
    tag(d, "{%p if waarden_niet_van_toepassing %}")
    para(d, "Waarden uit Tabel 1 van de gids die volgens de intake en de afleiding niet op dit project van "
            "toepassing zijn. Blijkt er één toch te spelen, neem haar dan op in de intake.")
    t = table(d, (3.5, 2.6, 9.9), ("Waarde", "Herkomst", "Begeleidende vraag"))
    tag_row(t, "{%tr for waarde in waarden_niet_van_toepassing %}")
    add_row(t, [[[("{{ waarde.naam }}", "Strong")]], "{{ waarde.herkomst }}", "{{ waarde.vraag }}"])
    tag_row(t, "{%tr endfor %}")
    tag(d, "{%p else %}")
    para(d, "Alle waarden uit Tabel 1 van de gids zijn op dit project van toepassing.")
    tag(d, "{%p endif %}")
    para(d, "Bijlage B  Bron en verantwoording", "Heading 1")
    t = table(d, (4.5, 11.5), first_column=True)
    for label, value in (("Gids", "{{ dossier.gids }}"), ("Kennisbank", "versie {{ dossier.kennisbank_versie }}"),
                         ("Sjabloon", "versie {{ dossier.template_versie }}"),
                         ("Programma", "dossier {{ dossier.programma_versie }}"),
                         ("Dossierreferentie", "{{ dossier.referentie }}")):
        add_row(t, [label, value])
    para(d, "De dossierreferentie is een vingerafdruk (SHA-256) van de intake, de versie van de kennisbank en het "
            "sjabloon: dezelfde invoer geeft hetzelfde dossier. De intake zelf is in dit document opgenomen; "
            "haal haar terug met 'dossier extract'.", "Toelichting", after_table=True)


def build() -> docx.document.Document:
    document = docx.Document()
    clean_package(document)
    page_setup(document)
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    for section in (cover, contents, summary, project, drietrap, values, weighing, stakeholders, instruments,
                    clauses, open_points, decision, annexes):
        section(document)
    properties = document.core_properties
    properties.title = "Ethiekdossier"
    properties.subject = "Ethiekdossier volgens de Interprovinciale Gids Digitale Ethiek"
    properties.author = properties.last_modified_by = "dossier"
    properties.comments = "Sjabloon voor ethiekdossiers; het programma dossier vult de velden in."
    properties.keywords = "ethiekdossier; digitale ethiek; sjabloon"
    properties.category = "Sjabloon"
    properties.language = "nl-NL"
    properties.version = TEMPLATE_VERSION
    properties.revision = 1
    properties.created = properties.modified = datetime.datetime(2024, 8, 1, tzinfo=datetime.UTC)
    return document


def main() -> int:
    document = build()
    target = ROOT / "dossier" / TEMPLATE_PATH
    target.write_bytes(write_package(document.part.package))
    print(target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
