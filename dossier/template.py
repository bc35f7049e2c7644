"""The contract between the code and a Word template, checked every time a template is loaded.

The templates (``templates/dossier.docx``, ``templates/clausules.docx``) are the only source of the
house style: edited in Word or LibreOffice, never generated. The code relies on three things in them:

- the styles it writes itself (``Contract.styles``: Markdown text, default values, the table of
  contents). LibreOffice renames some style ids when it saves (``TOC1`` becomes ``Contents1``,
  ``KopInTekst`` becomes ``Kopintekst``); the code finds those by their name and restores the id.
- the TOC field of the dossier, which the renderer fills with the headings.
- template tags in a small grammar (``TAG_GRAMMAR``): formatting and selection happen in the code.

``prepare_template`` returns the template ready to render or raises ``TemplateError`` with one
Dutch line per problem; it never lets a template lose text, a section or the contents silently.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from lxml import etree

from dossier.errors import TemplateError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = {"w": W}
_STYLE_REFERENCES = ("pStyle", "rStyle", "tblStyle", "basedOn", "next", "link", "numStyleLink", "styleLink")
_TEXT_PART = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml")
_STYLE_PART = re.compile(r"word/[^/]+\.xml")


@dataclass(frozen=True)
class Style:
    """A style the code writes by id: its id, its name in Word, its type and what it is used for (Dutch)."""

    id: str
    name: str
    type: str  # "paragraph" or "character"
    use: str


@dataclass(frozen=True)
class Contract:
    """What the code needs from one template: the styles it writes and whether it fills a TOC field."""

    name: str
    styles: tuple[Style, ...]
    toc: bool


def _markdown_styles() -> tuple[Style, ...]:
    """The styles dossier.markdown writes for the Markdown fields of an intake."""
    styles = [Style("KopInTekst", "Kop in tekst", "paragraph", "kopjes in Markdown-tekst"),
              Style("Quote", "Quote", "paragraph", "citaten in Markdown-tekst"),
              Style("Codeblok", "Codeblok", "paragraph", "codeblokken in Markdown-tekst"),
              Style("Hyperlink", "Hyperlink", "character", "koppelingen in Markdown-tekst"),
              Style("CodeInTekst", "Code in tekst", "character", "code in een zin van Markdown-tekst")]
    for level, suffix in ((1, ""), (2, " 2"), (3, " 3")):
        id_suffix = suffix.strip()
        styles += [Style(f"ListBullet{id_suffix}", f"List Bullet{suffix}", "paragraph",
                         f"opsommingen in Markdown-tekst (niveau {level})"),
                   Style(f"Genummerd{id_suffix}", f"Genummerd{suffix}", "paragraph",
                         f"genummerde lijsten in Markdown-tekst (niveau {level})"),
                   Style(f"ListContinue{id_suffix}", f"List Continue{suffix}", "paragraph",
                         f"vervolgalinea's in lijsten in Markdown-tekst (niveau {level})")]
    return tuple(styles)


DEFAULT_VALUE = Style("Standaardwaarde", "Standaardwaarde", "character",
                      "standaardwaarden in clausules (gemarkeerd, zodat de lezer ze controleert)")
DOSSIER = Contract("dossier.docx", (
    Style("Heading1", "heading 1", "paragraph", "hoofdstukken; ze komen in de inhoudsopgave"),
    Style("Heading2", "heading 2", "paragraph", "paragrafen; ze komen in de inhoudsopgave"),
    Style("TOC1", "toc 1", "paragraph", "hoofdstukken in de inhoudsopgave"),
    Style("TOC2", "toc 2", "paragraph", "paragrafen in de inhoudsopgave"),
    *_markdown_styles(),
), toc=True)
CLAUSES = Contract("clausules.docx", (DEFAULT_VALUE,), toc=False)
CONTRACTS = {contract.name: contract for contract in (DOSSIER, CLAUSES)}
"""Every template in dossier/templates, by file name; a new template needs its contract here."""

_IDENT = r"(?!(?:not|in|and|or|is|if|else|for|true|false|none|True|False|None)\b)[A-Za-z_][A-Za-z0-9_]*"
_PATH = rf"{_IDENT}(?:\.{_IDENT})*"
TAG_GRAMMAR = (
    ("{{ naam.veld }}", re.compile(rf"\{{\{{(?:[pr] )?\s*(?P<path>{_PATH})\s*\}}\}}")),
    ("{% for x in naam.veld %}", re.compile(rf"\{{%(?:p|tr|tc|r)?\s+for\s+(?P<name>{_IDENT})\s+in\s+(?P<path>{_PATH})\s*%\}}")),
    ("{% if [not] naam.veld %}", re.compile(rf"\{{%(?:p|tr|tc|r)?\s+if\s+(?:not\s+)?(?P<path>{_PATH})\s*%\}}")),
    ("{% else %}", re.compile(r"\{%(?:p|tr|tc|r)?\s+else\s*%\}")),
    ("{% endif %}", re.compile(r"\{%(?:p|tr|tc|r)?\s+endif\s*%\}")),
    ("{% endfor %}", re.compile(r"\{%(?:p|tr|tc|r)?\s+endfor\s*%\}")),
)
"""The tags a template may use, each with its pattern. ``naam.veld`` is a name or a dotted path
(``project.naam``, ``dossier``); docxtpl's forms ``{{p x }}``, ``{{r x }}``, ``{%p``, ``{%tr``, ``{%tc``, ``{%r`` are
allowed. No filters, calls, arithmetic, comparisons or literals: formatting and selection happen in
the code."""

_ANY_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}")
_LEFTOVER = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")


@dataclass(frozen=True)
class Tag:
    """One template tag: its text, the part it is in and the text of its paragraph."""

    text: str
    part: str
    paragraph: str

    @property
    def place(self) -> str:
        """Return where the tag is, as a user finds it in Word: the part and the paragraph text."""
        excerpt = self.paragraph if len(self.paragraph) <= 80 else self.paragraph[:77] + "..."
        return f"{self.part}, alinea '{excerpt}'"

    def form(self) -> tuple[str, re.Match[str]] | None:
        """Return (grammar form, match) when the tag is allowed, else None."""
        for name, pattern in TAG_GRAMMAR:
            found = pattern.fullmatch(self.text)
            if found:
                return name, found
        return None


def _parse(data: bytes) -> etree._Element:
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))


def _paragraph_text(paragraph: etree._Element) -> str:
    return "".join(_xpath(paragraph, ".//w:t/text()"))


def _read_parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _text_parts(parts: dict[str, bytes]) -> Iterator[tuple[str, etree._Element]]:
    """Yield (name, root) of the document, header, footer and note parts, the document first."""
    names = sorted((n for n in parts if _TEXT_PART.fullmatch(n)), key=lambda n: (n != "word/document.xml", n))
    for name in names:
        yield name, _parse(parts[name])


def template_tags(data: bytes) -> list[Tag]:
    """Return every tag of a .docx template in document order (document first, then headers, footers)."""
    return [tag for name, root in _text_parts(_read_parts(data)) for tag in _tags_of(name, root)]


def _tags_of(part: str, root: etree._Element) -> Iterator[Tag]:
    for paragraph in root.iter(f"{{{W}}}p"):
        text = _paragraph_text(paragraph)
        for found in _ANY_TAG.finditer(text):
            yield Tag(found.group(), part, text.strip())


def template_problems(data: bytes, contract: Contract) -> list[str]:
    """Return one Dutch line per way the template breaks the contract; empty when it keeps it."""
    parts = _read_parts(data)
    problems = [f"{contract.name}: {problem}" for problem in _style_problems(parts, contract)]
    roots = dict(_text_parts(parts))
    for name, root in roots.items():
        problems += [f"{contract.name}: {problem}" for problem in _tag_problems(name, root)]
    problems += [f"{contract.name}: {problem}" for problem in _nesting_problems(
        [tag for name, root in roots.items() for tag in _tags_of(name, root)])]
    if contract.toc:
        problems += [f"{contract.name}: {problem}" for problem in _toc_problems(roots["word/document.xml"])]
    return problems


def prepare_template(data: bytes, contract: Contract) -> bytes:
    """Return the template ready to render: style ids an office suite renamed restored by the style's name;
    section and page breaks LibreOffice moved into a whole-paragraph tag put back where they apply; the
    properties relationship and the schema slips of a LibreOffice file mended (see the functions below).

    Returns data itself when nothing needs repair. Raises TemplateError listing every problem left.
    """
    parts = _read_parts(data)
    changed = (_restore_style_ids(parts, contract) | _free_section_breaks(parts) | _standard_core_relationship(parts)
               | _repair_libreoffice(parts) | (contract.toc and _collapse_toc(parts)))
    if changed:
        data = _write_parts(parts)
    problems = template_problems(data, contract)
    if problems:
        raise TemplateError("\n".join(problems))
    return data


def _write_parts(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


_CORE = b"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
_CORE_AS_LIBREOFFICE_WRITES_IT = b"http://schemas.openxmlformats.org/officedocument/2006/relationships/metadata/core-properties"


def _standard_core_relationship(parts: dict[str, bytes]) -> bool:
    """Give the document properties the standard relationship type; LibreOffice writes another one, which
    python-docx does not recognise, so it would add a second docProps/core.xml to every dossier."""
    rels = parts.get("_rels/.rels", b"")
    if _CORE_AS_LIBREOFFICE_WRITES_IT not in rels:
        return False
    parts["_rels/.rels"] = rels.replace(_CORE_AS_LIBREOFFICE_WRITES_IT, _CORE)
    return True


_RUN_PROPERTIES = tuple(f"{{{W}}}{name}" for name in (
    "ins", "del", "moveFrom", "moveTo", "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike",
    "dstrike", "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color",
    "spacing", "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText",
    "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath"))  # the schema's order


def _run_property_rank(element: etree._Element) -> int:
    tag = element.tag
    return _RUN_PROPERTIES.index(tag) if tag in _RUN_PROPERTIES else len(_RUN_PROPERTIES) + (tag == f"{{{W}}}rPrChange")


def _repair_libreoffice(parts: dict[str, bytes]) -> bool:
    """Repair what LibreOffice (7.4) writes outside the OOXML schema, so a template it saved renders a valid
    document: a section break before the paragraph style, repeated or misordered run properties, 'true'
    for the on/off properties of a table row, 'start'/'end' as numbering alignment, and character-set names
    Word does not define. Word never writes these; a template it saved is left as it is."""
    if b"LibreOffice" not in parts.get("docProps/app.xml", b""):
        return False
    changed = False
    for name in [n for n in parts if _STYLE_PART.fullmatch(n)]:
        root = _parse(parts[name])
        before = etree.tostring(root)
        for properties in root.iter(f"{{{W}}}pPr", f"{{{W}}}rPr"):
            seen: set[str] = set()
            for child in list(properties):
                if child.tag in seen:
                    properties.remove(child)
                seen.add(str(child.tag))
            if properties.tag == f"{{{W}}}rPr":
                properties[:] = sorted(properties, key=_run_property_rank)
            section = properties.find("w:sectPr", _NS)
            if section is not None:
                change = properties.find("w:pPrChange", _NS)
                if change is not None:
                    change.addprevious(section)
                else:
                    properties.append(section)
        for flag in _xpath(root, "//w:trPr/*[@w:val='true' or @w:val='false']"):
            if flag.get(f"{{{W}}}val") == "true":
                del flag.attrib[f"{{{W}}}val"]
            else:
                flag.set(f"{{{W}}}val", "off")
        for alignment in root.iter(f"{{{W}}}lvlJc"):
            side = {"start": "left", "end": "right"}.get(alignment.get(f"{{{W}}}val", ""))
            if side:
                alignment.set(f"{{{W}}}val", side)
        for charset in root.iter(f"{{{W}}}charset"):
            charset.attrib.pop(f"{{{W}}}characterSet", "")
        if etree.tostring(root) != before:
            parts[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            changed = True
    return changed


# --- styles -------------------------------------------------------------------------------------

def _styles(parts: dict[str, bytes]) -> list[etree._Element]:
    if "word/styles.xml" not in parts:
        return []
    return list(_parse(parts["word/styles.xml"]).iterfind("w:style", _NS))


def _style_name(style: etree._Element) -> str:
    name = style.find("w:name", _NS)
    return (name.get(f"{{{W}}}val", "") if name is not None else "").strip().casefold()


def _style_problems(parts: dict[str, bytes], contract: Contract) -> list[str]:
    styles = _styles(parts)
    by_id = {style.get(f"{{{W}}}styleId", ""): style for style in styles}
    by_name = {(_style_name(s), s.get(f"{{{W}}}type")): s.get(f"{{{W}}}styleId", "") for s in styles}
    problems = []
    for wanted in contract.styles:
        style = by_id.get(wanted.id)
        kind = "alineastijl" if wanted.type == "paragraph" else "tekenstijl"
        renamed = by_name.get((wanted.name.casefold(), wanted.type))
        if style is None and renamed:
            problems.append(f"de {kind} '{wanted.name}' heeft de id {renamed} in plaats van {wanted.id} (LibreOffice "
                            "hernoemt ids bij het opslaan); prepare_template zet de id terug.")
        elif style is None:
            problems.append(f"de {kind} '{wanted.name}' (id {wanted.id}) ontbreekt; de code gebruikt hem voor "
                            f"{wanted.use}. Maak de stijl opnieuw aan met precies deze naam.")
        elif style.get(f"{{{W}}}type") != wanted.type:
            problems.append(f"de stijl '{wanted.name}' (id {wanted.id}) moet een {kind} zijn; de code gebruikt hem "
                            f"voor {wanted.use}.")
    return problems


def _restore_style_ids(parts: dict[str, bytes], contract: Contract) -> bool:
    """Give each contract style that is missing by id but present by name its id back, in every part."""
    styles = _styles(parts)
    ids = {style.get(f"{{{W}}}styleId", "") for style in styles}
    by_name = {(_style_name(s), s.get(f"{{{W}}}type")): s.get(f"{{{W}}}styleId", "") for s in styles}
    renames = {}
    for wanted in contract.styles:
        found = by_name.get((wanted.name.casefold(), wanted.type))
        if wanted.id not in ids and found and found not in renames:
            renames[found] = wanted.id
    if not renames:
        return False
    for name, content in parts.items():
        if not _STYLE_PART.fullmatch(name) or not any(f'"{old}"'.encode() in content for old in renames):
            continue
        root = _parse(content)
        for element in root.iter():
            attribute = f"{{{W}}}styleId" if element.tag == f"{{{W}}}style" else f"{{{W}}}val"
            if element.tag in (f"{{{W}}}style", *(f"{{{W}}}{r}" for r in _STYLE_REFERENCES)):
                value = element.get(attribute)
                if value in renames:
                    element.set(attribute, renames[value])
        parts[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return True


# --- sections -----------------------------------------------------------------------------------

def _free_section_breaks(parts: dict[str, bytes]) -> bool:
    """Move section and page breaks out of paragraphs that docxtpl removes as a whole ({%p ...%}, {{p ...}}).

    LibreOffice saves the break that starts a section or a page in the paragraph before it (it
    turns "page break before" into a page-break run at the end of the previous paragraph); when that
    paragraph holds a {%p %} tag, rendering would drop the break with it.
    """
    root = _parse(parts["word/document.xml"])
    moved = False
    for paragraph in root.iterfind("w:body/w:p", _NS):
        if not re.search(r"\{[{%]p\s", _paragraph_text(paragraph)):
            continue
        properties = paragraph.find("w:pPr/w:sectPr", _NS)
        if properties is not None:
            own = etree.SubElement(etree.Element(f"{{{W}}}p"), f"{{{W}}}pPr")
            own.append(properties)  # lxml moves the element
            paragraph.addnext(own.getparent())  # type: ignore[arg-type]  # own was made inside a paragraph
            moved = True
        breaks = _xpath(paragraph, "./w:r[w:br[@w:type='page']]")
        for run in breaks:
            for element in _xpath(run, "./w:br[@w:type='page']"):
                run.remove(element)
        if breaks:
            _break_before(paragraph.getnext(), paragraph)
            moved = True
    if moved:
        parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return moved


def _break_before(following: etree._Element | None, paragraph: etree._Element) -> None:
    """Start a new page at following: "page break before" on a plain paragraph, else a break of its own."""
    if following is not None and following.tag == f"{{{W}}}p" and not re.search(
            r"\{[{%]p\s", _paragraph_text(following)):
        properties = following.find("w:pPr", _NS)
        if properties is None:
            properties = etree.Element(f"{{{W}}}pPr")
            following.insert(0, properties)
        if properties.find("w:pageBreakBefore", _NS) is None:
            earlier = [c for c in properties if c.tag in (f"{{{W}}}{n}" for n in ("pStyle", "keepNext", "keepLines"))]
            properties.insert(properties.index(earlier[-1]) + 1 if earlier else 0,
                              etree.Element(f"{{{W}}}pageBreakBefore"))
        return
    own = etree.Element(f"{{{W}}}p")
    etree.SubElement(etree.SubElement(own, f"{{{W}}}r"), f"{{{W}}}br").set(f"{{{W}}}type", "page")
    paragraph.addnext(own)


# --- tags ---------------------------------------------------------------------------------------

def _tag_problems(part: str, root: etree._Element) -> list[str]:
    problems = []
    for paragraph in root.iter(f"{{{W}}}p"):
        text = _paragraph_text(paragraph)
        tags = [Tag(m.group(), part, text.strip()) for m in _ANY_TAG.finditer(text)]
        for tag in tags:
            if tag.form() is None:
                allowed = ", ".join(name for name, _ in TAG_GRAMMAR)
                problems.append(f"{tag.place}: de code {tag.text!r} is niet toegestaan; een sjabloon gebruikt "
                                f"alleen {allowed} (ook als {{%p, {{%tr, {{%tc, {{%r, {{{{p of {{{{r). "
                                "Opmaak en keuzes horen in de code, niet in het sjabloon.")
        rest = _LEFTOVER.search(_ANY_TAG.sub("", text))
        if rest:
            problems.append(f"{part}, alinea '{text.strip()[:80]}': onvolledige code bij {rest.group()!r}; "
                            "elke {{ sluit met }} en elke {% met %} in dezelfde alinea.")
    for element, label in (("p", "alinea"), ("tr", "tabelrij"), ("tc", "tabelcel")):
        for container in root.iter(f"{{{W}}}{element}"):
            texts = [_paragraph_text(p) for p in ([container] if element == "p" else container.iter(f"{{{W}}}p"))]
            whole = [tag for text in texts for tag in _ANY_TAG.findall(text) if re.match(rf"\{{[{{%]{element}\s", tag)]
            if whole and _ANY_TAG.sub("", " ".join(texts)).strip():
                shown = " | ".join(t.strip() for t in texts if t.strip())
                problems.append(f"{part}, {label} '{shown[:80]}': {whole[0]!r} vervangt de hele {label}, dus de tekst "
                                f"ernaast zou verdwijnen; zet de code in een eigen {label}.")
    return problems


def _nesting_problems(tags: list[Tag]) -> list[str]:
    """Check that every for/if is closed by the matching end tag, per part."""
    problems = []
    open_blocks: list[tuple[str, Tag]] = []
    part = ""
    for tag in tags:
        if tag.part != part:
            problems += [f"{t.place}: {t.text!r} wordt niet gesloten" for _, t in open_blocks]
            open_blocks, part = [], tag.part
        word = re.match(r"\{%(?:p|tr|tc|r)?\s+(\w+)", tag.text)
        if not word:
            continue
        keyword = word.group(1)
        if keyword in ("for", "if"):
            open_blocks.append((keyword, tag))
        elif keyword in ("endfor", "endif", "else"):
            expected = "for" if keyword == "endfor" else "if"
            if not open_blocks or open_blocks[-1][0] != expected:
                opened = f"; open is {open_blocks[-1][1].text!r}" if open_blocks else ""
                problems.append(f"{tag.place}: {tag.text!r} hoort bij geen open {{% {expected} %}}{opened}")
            elif keyword != "else":
                open_blocks.pop()
    problems += [f"{t.place}: {t.text!r} wordt niet gesloten" for _, t in open_blocks]
    return problems


# --- table of contents --------------------------------------------------------------------------

_TOC_PARAGRAPH = etree.XPath('.//w:p[w:r/w:instrText[starts-with(normalize-space(.), "TOC")]]', namespaces=_NS)


def _xpath(node: Any, path: str) -> list[Any]:
    """Return what the XPath path finds from node (elements, strings), as a list; lxml's stubs type it loosely."""
    found: Any = node.xpath(path, namespaces=_NS)
    return list(found)


def toc_paragraph(body: etree._Element) -> etree._Element | None:
    """Return the paragraph holding the TOC field instruction, also inside a content control; None if absent."""
    found: Any = _TOC_PARAGRAPH(body)
    return found[0] if isinstance(found, list) and found else None


def _collapse_toc(parts: dict[str, bytes]) -> bool:
    """Bring a TOC field back to one paragraph after an office suite filled it (Word does when the field is
    inserted or updated): its old entries go, the code puts the headings of each dossier in.

    Returns False when there is nothing to do or the field's end is not found after it in the same place
    (the check then names the problem).
    """
    root = _parse(parts["word/document.xml"])
    body = root.find("w:body", _NS)
    paragraph = toc_paragraph(body) if body is not None else None
    if body is None or paragraph is None:
        return False
    runs = paragraph.findall("w:r", _NS)
    start = next(i for i, run in enumerate(runs) if _xpath(run, "./w:instrText[starts-with(normalize-space(.), 'TOC')]"))
    separate = next((run for run in runs[start:] if _xpath(run, "./w:fldChar[@w:fldCharType='separate']")), None)
    if separate is None:
        return False
    marks = list(body.iter(f"{{{W}}}fldChar"))
    depth, end = 1, None
    for mark in marks[marks.index(separate.find("w:fldChar", _NS)) + 1:]:  # type: ignore[arg-type]  # found by it
        kind = mark.get(f"{{{W}}}fldCharType")
        depth += 1 if kind == "begin" else -1 if kind == "end" else 0
        if depth == 0:
            end = mark.getparent()
            break
    if end is None or end.getparent() is paragraph:
        return False
    last = end.getparent()
    following = list(paragraph.itersiblings())
    if last not in following or end.getparent() is not last:
        return False
    for element in following[:following.index(last)]:
        paragraph.getparent().remove(element)  # type: ignore[union-attr]  # a sibling of paragraph has its parent
    for element in list(separate.itersiblings()):
        paragraph.remove(element)
    for element in list(end.itersiblings(preceding=True)):
        if element.tag != f"{{{W}}}pPr":
            last.remove(element)
    paragraph.append(end)
    if not _paragraph_text(last).strip() and last.find("w:pPr/w:sectPr", _NS) is None:
        last.getparent().remove(last)  # type: ignore[union-attr]  # a sibling of paragraph has its parent
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return True


def _toc_problems(document: etree._Element) -> list[str]:
    body = document.find("w:body", _NS)
    paragraph = toc_paragraph(body) if body is not None else None
    if paragraph is None:
        return ["het veld voor de inhoudsopgave (TOC) ontbreekt, dus het dossier zou geen inhoudsopgave krijgen. "
                "Voeg in Word een inhoudsopgave in (Verwijzingen > Inhoudsopgave) onder de kop 'Inhoud'."]
    kinds = _xpath(paragraph, "./w:r/w:fldChar/@w:fldCharType")
    if kinds.count("end") < kinds.count("begin"):
        return ["de inhoudsopgave (TOC-veld) beslaat meer dan één alinea, zoals nadat Word het veld in het "
                "sjabloon heeft bijgewerkt; de code kan de koppen er dan niet in zetten. Zet de inhoudsopgave "
                "terug als één alinea: het veld met alleen een korte tekst als resultaat."]
    return []
