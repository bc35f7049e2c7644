"""The one reader of .docx files in the tests: a text dump for golden tests, and the plain text.

``docx_text`` dumps a document for golden files and line assertions: one line per paragraph, one
``|``-joined line per table row (the paragraphs of a cell joined with `` / ``), document properties,
headers and footers first. Marks that matter for review:

- ``#``, ``##``, ``###`` before headings; ``-`` before bullets (indented per level); ``[inhoud]``
  before an entry of the table of contents;
- ``[nieuwe pagina]`` for a page break before a paragraph, ``[sectie: staand|liggend]`` at the
  start of each section; a page break written as a run at the start or end of a paragraph (as
  LibreOffice saves one) is the same page break and shows the same;
- ``[paginanummer]`` and ``[aantal pagina's]`` for the PAGE and NUMPAGES fields: their stored
  results are whatever page the office suite that saved the template was on;
- ``⟦…⟧`` around text in the character style ``Standaardwaarde`` (a default value in a clause);
- ``<url>`` after the text of a hyperlink; `` ⏎ `` for a line break inside a paragraph.

Empty paragraphs are left out. Field instructions are left out; field results are kept.
Headers and footers are listed once per kind, type and text, however many sections repeat them.

``document_paragraphs`` and ``document_text`` read every ``w:t`` of every paragraph in the body, tables,
headers, footers, foot- and endnotes and text boxes, without marks, so a test can assert that no text
was silently lost. ``headings`` gives the texts of the headings of one level.

Run as a script to print the dump of a file: ``python tests/docx_text.py dossier.docx``.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from pathlib import Path

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CORE = {"cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
        "dc": "http://purl.org/dc/elements/1.1/", "dcterms": "http://purl.org/dc/terms/"}
MARKED_STYLE = "Standaardwaarde"


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def _open(source: bytes | str | Path) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else Path(source))


def docx_text(source: bytes | str | Path) -> str:
    """Return the text dump of a .docx given as bytes or a path."""
    with _open(source) as archive:
        return "\n".join(_Dump(archive).lines()) + "\n"


def headings(source: bytes | str | Path, level: int = 1) -> list[str]:
    """Return the text of every heading of this level (style Heading<level>), in document order."""
    prefix = "#" * level + " "
    return [line.removeprefix(prefix) for line in docx_text(source).splitlines() if line.startswith(prefix)]


_P, _T, _TAB, _BR, _CR = (f"{{{W}}}{name}" for name in ("p", "t", "tab", "br", "cr"))
_TEXT_PARTS = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml")


def _paragraph_text(paragraph: etree._Element) -> str:
    """Return the text of one w:p: w:t text, w:tab as a tab, w:br/w:cr as a newline.

    Text of paragraphs nested inside this one (text boxes) belongs to those paragraphs.
    """
    parts = []
    for node in paragraph.iter(_T, _TAB, _BR, _CR):
        owner = next(node.iterancestors(_P), None)
        if owner is not paragraph:
            continue
        if node.tag == _T:
            parts.append(node.text or "")
        else:
            parts.append("\t" if node.tag == _TAB else "\n")
    return "".join(parts)


def document_paragraphs(source: bytes | str | Path) -> list[str]:
    """Return the text of every paragraph (body and table cells, headers, footers, notes), in part order."""
    paragraphs = []
    with _open(source) as archive:
        for name in sorted(n for n in archive.namelist() if _TEXT_PARTS.fullmatch(n)):
            root = etree.fromstring(archive.read(name))
            paragraphs += [_paragraph_text(p) for p in root.iter(_P)]
    return paragraphs


def normalise(text: str) -> str:
    """Return text with every run of whitespace (spaces, tabs, newlines) as one space, stripped.

    Word may show a newline as a line break, a new paragraph or a space; the text is the same.
    """
    return " ".join(text.split())


def document_text(source: bytes | str | Path) -> str:
    """Return all text of the .docx, paragraphs joined by newlines, whitespace normalised."""
    return normalise("\n".join(document_paragraphs(source)))


class _Dump:
    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.links: dict[str, str] = {}
        self.parts: dict[str, str] = {}
        rels = etree.fromstring(archive.read("word/_rels/document.xml.rels"))
        for rel in rels:
            target = rel.get("Target", "")
            if rel.get("TargetMode") == "External":
                self.links[rel.get("Id", "")] = target
            else:
                self.parts[rel.get("Id", "")] = "word/" + target.lstrip("/").removeprefix("word/")

    def lines(self) -> list[str]:
        out = self._properties()
        body = etree.fromstring(self.archive.read("word/document.xml")).find(w("body"))
        section_properties = body.findall(f".//{w('sectPr')}")
        headers: dict[tuple[int, int, str], None] = {}
        for sect_pr in section_properties:
            for reference in sect_pr:
                if reference.tag in (w("headerReference"), w("footerReference")):
                    part = self.parts[reference.get(f"{{{R}}}id", "")]
                    kind = "koptekst" if reference.tag == w("headerReference") else "voettekst"
                    kind_type = reference.get(w("type"), "default")
                    root = etree.fromstring(self.archive.read(part))
                    texts = [line for child in root for line in self._block(child)]
                    line = f"[{kind} {kind_type}] {' / '.join(texts)}".rstrip()
                    order = (_HEADER_TYPES.index(kind_type) if kind_type in _HEADER_TYPES else 3, kind == "voettekst")
                    headers.setdefault((*order, line), None)
        out += [line for *_, line in sorted(headers)]
        out.append(f"[sectie: {self._orientation(section_properties[0])}]")
        for child in body:
            out.extend(self._block(child))
        return out

    def _properties(self) -> list[str]:
        root = etree.fromstring(self.archive.read("docProps/core.xml"))
        names = (("titel", "dc:title"), ("onderwerp", "dc:subject"), ("auteur", "dc:creator"),
                 ("trefwoorden", "cp:keywords"), ("kenmerk", "dc:identifier"), ("status", "cp:contentStatus"),
                 ("gemaakt", "dcterms:created"), ("gewijzigd", "dcterms:modified"))
        lines = []
        for label, path in names:
            found = root.find(path, CORE)
            lines.append(f"[eigenschap {label}] {found.text if found is not None and found.text else ''}".rstrip())
        return lines

    @staticmethod
    def _orientation(sect_pr: etree._Element) -> str:
        size = sect_pr.find(w("pgSz"))
        return "liggend" if size is not None and size.get(w("orient")) == "landscape" else "staand"

    def _block(self, element: etree._Element) -> list[str]:
        if element.tag == w("p"):
            return self._paragraph(element)
        if element.tag == w("tbl"):
            rows = []
            for row in element.findall(w("tr")):
                cells = [" / ".join(line for block in cell for line in self._block(block))
                         for cell in row.findall(w("tc"))]
                rows.append(" | ".join(cells))
            return rows
        if element.tag == w("sdt"):
            content = element.find(w("sdtContent"))
            return [line for child in (content if content is not None else []) for line in self._block(child)]
        return []

    def _paragraph(self, paragraph: etree._Element) -> list[str]:
        props = paragraph.find(w("pPr"))
        style = ""
        lines: list[str] = []
        if props is not None:
            style_element = props.find(w("pStyle"))
            style = style_element.get(w("val"), "") if style_element is not None else ""
            if props.find(w("pageBreakBefore")) is not None:
                lines.append("[nieuwe pagina]")
        text = self._inline(paragraph, {}).strip()
        before, text = _strip_page_breaks(text, leading=True)
        after, text = _strip_page_breaks(text, leading=False)
        if before and "[nieuwe pagina]" not in lines:
            lines.append("[nieuwe pagina]")
        if text:
            lines.append(_prefix(style) + text)
        if after:
            lines.append("[nieuwe pagina]")
        if props is not None and props.find(w("sectPr")) is not None:
            following = paragraph.getnext()
            sect_pr = _next_section_properties(paragraph)
            if following is not None and sect_pr is not None:
                lines.append(f"[sectie: {self._orientation(sect_pr)}]")
        return lines

    def _inline(self, element: etree._Element, field: dict[str, str]) -> str:
        """Return the text of the runs in element; field tracks a complex field across the runs."""
        parts: list[str] = []
        for child in element:
            tag = child.tag
            if tag == w("r"):
                parts.append(self._field_run(child, field))
            elif tag == w("hyperlink"):
                url = self.links.get(child.get(f"{{{R}}}id", ""), "")
                parts.append(self._inline(child, field) + (f" <{url}>" if url else ""))
            elif tag == w("fldSimple") and _page_field(child.get(w("instr"), "")):
                parts.append(_page_field(child.get(w("instr"), "")))
            elif tag in (w("fldSimple"), w("smartTag"), w("ins"), w("sdt"), w("sdtContent")):
                parts.append(self._inline(child, field))
        return "".join(parts)

    def _field_run(self, run: etree._Element, field: dict[str, str]) -> str:
        """Return the text of a run, or the marker of a page-number field in place of its stored result."""
        mark = run.find(w("fldChar"))
        kind = mark.get(w("fldCharType")) if mark is not None else None
        if kind == "begin":
            field.update(instruction="", state="instruction")
        elif kind == "separate" and field.get("state") == "instruction":
            marker = _page_field(field.get("instruction", ""))
            field["state"] = "hidden" if marker else "result"
            return marker
        elif kind == "end":
            field.clear()
        elif field.get("state") == "instruction":
            field["instruction"] += "".join(run.xpath("./w:instrText/text()", namespaces={"w": W}))
        elif field.get("state") != "hidden":
            return self._run(run)
        return ""

    @staticmethod
    def _run(run: etree._Element) -> str:
        props = run.find(w("rPr"))
        style = props.find(w("rStyle")) if props is not None else None
        marked = style is not None and style.get(w("val")) == MARKED_STYLE
        pieces = []
        for child in run:
            if child.tag == w("t"):
                pieces.append(child.text or "")
            elif child.tag == w("tab"):
                pieces.append("\t")
            elif child.tag == w("br"):
                pieces.append(" [pagina-einde] " if child.get(w("type")) == "page" else " ⏎ ")
        text = "".join(pieces)
        return f"⟦{text}⟧" if marked and text else text


_HEADER_TYPES = ("default", "first", "even")
_PAGE_FIELDS = {"PAGE": "[paginanummer]", "NUMPAGES": "[aantal pagina's]", "SECTIONPAGES": "[aantal pagina's]"}
_PAGE_BREAK = "[pagina-einde]"


def _page_field(instruction: str) -> str:
    """Return the marker of a page-number field instruction, '' for any other field."""
    words = instruction.split()
    return _PAGE_FIELDS.get(words[0].upper(), "") if words else ""


def _strip_page_breaks(text: str, *, leading: bool) -> tuple[bool, str]:
    """Return (whether text started, or ended, with a page break, text without it)."""
    found = False
    while text.startswith(_PAGE_BREAK) if leading else text.endswith(_PAGE_BREAK):
        found = True
        text = (text[len(_PAGE_BREAK):] if leading else text[:-len(_PAGE_BREAK)]).strip()
    return found, text


def _prefix(style: str) -> str:
    if style.startswith("Heading") and style[7:].isdigit():
        return "#" * int(style[7:]) + " "
    if style in ("TOC1", "TOC2"):
        return "[inhoud] " + "  " * (int(style[3]) - 1)
    if style.startswith("ListBullet"):
        level = int(style[10:] or 1)
        return "  " * (level - 1) + "- "
    return ""


def _next_section_properties(paragraph: etree._Element) -> etree._Element | None:
    """The properties of the section that starts after this section-ending paragraph."""
    for sibling in paragraph.itersiblings():
        if sibling.tag == w("sectPr"):
            return sibling
        found = sibling.find(f"{w('pPr')}/{w('sectPr')}")
        if found is not None:
            return found
    return None


REFERENCE = re.compile(r"^\[eigenschap kenmerk\] (.*)$", re.MULTILINE)


def content_text(source: bytes | str | Path) -> tuple[str, str]:
    """Return (the dump with the dossier reference as ``{referentie}`` and ``{referentie_kort}``, the reference).

    The reference fingerprints the template file, so any edit of the house style changes it; golden text
    compares content only. Raises AssertionError when the document's reference is not a SHA-256 in hex.
    """
    text = docx_text(source)
    found = REFERENCE.search(text)
    reference = found.group(1) if found else ""
    assert re.fullmatch(r"[0-9a-f]{64}", reference), f"het kenmerk {reference!r} is geen SHA-256-vingerafdruk"
    return text.replace(reference, "{referentie}").replace(reference[:12], "{referentie_kort}"), reference


if __name__ == "__main__":
    sys.stdout.write(docx_text(Path(sys.argv[1])))
