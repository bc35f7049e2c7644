"""Check the Word templates and write a readable text dump next to each (``make templates``).

The templates in ``dossier/templates/`` are the only source of the house style and are edited in
Word or LibreOffice. A .docx does not diff, so each has a text dump beside it
(``dossier.docx.txt``): page setup, document defaults, every style with its fonts, sizes, colours
and spacing, the headers and footers, and the body paragraph by paragraph with its style and
tags, and the document settings. Commit the dump with the template; the review then shows what an edit
changed.

    .venv/bin/python tools/dump_templates.py          # check, then write the dumps
    .venv/bin/python tools/dump_templates.py --check  # only report dumps that are out of date (exit 1)

Units: sizes in pt, spacing in pt, indents and margins in mm, colours as hex RGB.
"""

from __future__ import annotations

import argparse
import io
import sys
import zipfile
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "dossier" / "templates"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W}
COMMAND = "make templates"
HALF_POINTS = {"sz", "szCs", "kern"}
TWIPS_AS_PT = {"before", "after", "spacing"}  # w:spacing/@before|after; w:spacing/@val in run properties
TWIPS_AS_MM = {"left", "right", "start", "end", "hanging", "firstLine", "top", "bottom", "header", "footer", "gutter",
               "w", "h", "space"}
SKIPPED = {"rsid", "rsidR", "rsidRPr", "rsidRDefault", "rsidP", "rsidTr", "rsidSect", "rsidDel"}


def local(name: str) -> str:
    return etree.QName(name).localname


def number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def value_text(element: str, attribute: str, value: str) -> str:
    """Return an attribute value in readable units (pt, mm) where the unit is known."""
    try:
        amount = int(value)
    except ValueError:
        return value
    if element in HALF_POINTS and attribute == "val":
        return f"{number(amount / 2)} pt"
    if element == "spacing" and attribute in TWIPS_AS_PT:
        return f"{number(amount / 20)} pt"
    if element == "spacing" and attribute == "line":
        return f"{number(amount / 240)}x" if value else value
    if (element in ("pgSz", "pgMar", "ind", "tblInd", "gridCol") and attribute in TWIPS_AS_MM
            or element == "tab" and attribute == "pos"):
        return f"{number(amount * 25.4 / 1440)} mm"
    return value


def properties(element: etree._Element | None, skip: tuple[str, ...] = ()) -> str:
    """Return the properties under element (w:pPr, w:rPr, ...) as 'name=value' words, nested ones in ( ),
    leaving out the elements named in skip."""
    if element is None:
        return ""
    words = []
    for child in element:
        if not isinstance(child.tag, str) or local(child.tag) in skip:
            continue
        name = local(child.tag)
        attributes = {local(k): v for k, v in child.attrib.items() if local(k) not in SKIPPED}
        nested = properties(child) if len(child) else ""
        if not attributes and not nested:
            words.append(name)
        elif list(attributes) == ["val"] and not nested:
            words.append(f"{name}={value_text(name, 'val', attributes['val'])}")
        else:
            inner = ", ".join(f"{k}={value_text(name, k, v)}" for k, v in sorted(attributes.items()))
            words.append(f"{name}({inner}{'; ' if inner and nested else ''}{nested})")
    return " ".join(words)


def paragraph_text(paragraph: etree._Element) -> str:
    """Return the text of a paragraph with run formatting as [r: ...] markers and fields as <veld ...>."""
    pieces = []
    for run in paragraph.iter(f"{{{W}}}r"):
        run_properties = properties(run.find("w:rPr", NS))
        text = "".join((node.text or "") if local(node.tag) == "t" else "\t" if local(node.tag) == "tab" else
                       " [pagina-einde] " if node.get(f"{{{W}}}type") == "page" else " ⏎ "
                       for node in run if isinstance(node.tag, str) and local(node.tag) in ("t", "tab", "br"))
        instruction = "".join(run.xpath("./w:instrText/text()", namespaces=NS)).strip()
        if instruction:
            text = f"<veld {instruction}>"
        if text:
            pieces.append(f"[r: {run_properties}]{text}" if run_properties else text)
    return "".join(pieces)


def block_lines(element: etree._Element, indent: str = "") -> list[str]:
    """Return the dump lines of one body element: a paragraph, a table or a content control."""
    tag = local(element.tag)
    if tag == "p":
        paragraph_properties = element.find("w:pPr", NS)
        style = paragraph_properties.find("w:pStyle", NS) if paragraph_properties is not None else None
        style_id = style.get(f"{{{W}}}val", "") if style is not None else "Normal"
        direct = paragraph_properties
        extra = properties(direct, skip=("pStyle", "sectPr", "rPr"))
        lines = [f"{indent}[{style_id}{' ' + extra if extra else ''}] {paragraph_text(element)}".rstrip()]
        section = direct.find("w:sectPr", NS) if direct is not None else None
        if section is not None:
            lines.append(f"{indent}[einde sectie: {properties(section)}]")
        return lines
    if tag == "tbl":
        table_properties = element.find("w:tblPr", NS)
        lines = [f"{indent}[tabel: {properties(table_properties)}]"]
        grid = element.find("w:tblGrid", NS)
        if grid is not None:
            lines.append(f"{indent}  kolommen: {properties(grid)}")
        for row in element.iterfind("w:tr", NS):
            row_properties = properties(row.find("w:trPr", NS))
            lines.append(f"{indent}  rij{' ' + row_properties if row_properties else ''}:")
            for cell in row.iterfind("w:tc", NS):
                cell_properties = properties(cell.find("w:tcPr", NS))
                lines.append(f"{indent}    cel {cell_properties}".rstrip() + ":")
                for child in cell:
                    if local(child.tag) != "tcPr":
                        lines += block_lines(child, indent + "      ")
        return lines
    if tag == "sdt":
        content = element.find("w:sdtContent", NS)
        lines = [f"{indent}[inhoudsbesturingselement: {properties(element.find('w:sdtPr', NS))}]"]
        for child in content if content is not None else []:
            lines += block_lines(child, indent + "  ")
        return lines
    if tag == "sectPr":
        return [f"{indent}[laatste sectie: {properties(element)}]"]
    return []


def dump(data: bytes, name: str) -> str:
    """Return the text dump of a .docx template."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    styles = etree.fromstring(parts["word/styles.xml"], parser)
    document = etree.fromstring(parts["word/document.xml"], parser)
    rels = etree.fromstring(parts["word/_rels/document.xml.rels"], parser)
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
    lines = [f"# {name}: tekstweergave van het sjabloon. Niet bewerken: ververs met '{COMMAND}'.",
             "# Eenheden: pt voor grootte en afstand, mm voor marges en inspringing; kleuren als RGB-hex.", ""]
    defaults = styles.find("w:docDefaults", NS)
    lines += ["## Documentstandaard",
              f"tekst: {properties(defaults.find('w:rPrDefault/w:rPr', NS)) if defaults is not None else ''}",
              f"alinea: {properties(defaults.find('w:pPrDefault/w:pPr', NS)) if defaults is not None else ''}", ""]
    if "word/settings.xml" in parts:
        settings = etree.fromstring(parts["word/settings.xml"], parser)
        lines += ["## Documentinstellingen", properties(settings, skip=("rsids",)), ""]
    lines.append("## Stijlen (id, naam, soort; eigen eigenschappen, zonder wat ze erven)")
    for style in sorted(styles.iterfind("w:style", NS), key=lambda s: (s.get(f"{{{W}}}type", ""),
                                                                       s.get(f"{{{W}}}styleId", ""))):
        name_element = style.find("w:name", NS)
        header = (f"{style.get(f'{{{W}}}styleId')} \"{name_element.get(f'{{{W}}}val') if name_element is not None else ''}\""
                  f" ({style.get(f'{{{W}}}type')})")
        links = [f"{label} {element.get(f'{{{W}}}val')}" for label, element in
                 (("op basis van", style.find("w:basedOn", NS)), ("volgende", style.find("w:next", NS)))
                 if element is not None]
        lines.append(header + (f", {', '.join(links)}" if links else ""))
        for label, path in (("alinea", "w:pPr"), ("tekst", "w:rPr"), ("tabel", "w:tblPr"), ("cel", "w:tcPr")):
            found = properties(style.find(path, NS))
            if found:
                lines.append(f"    {label}: {found}")
        for conditional in style.iterfind("w:tblStylePr", NS):
            lines.append(f"    {conditional.get(f'{{{W}}}type')}: {properties(conditional)}")
    lines.append("")
    body = document.find("w:body", NS)
    lines.append("## Pagina-instelling (per sectie, in volgorde)")
    for number_, section in enumerate(body.iter(f"{{{W}}}sectPr") if body is not None else [], 1):
        references = [f"{local(ref.tag).replace('Reference', '')} {ref.get(f'{{{W}}}type')}="
                      f"{targets.get(ref.get(f'{{{R}}}id'), '?')}"
                      for ref in section if local(ref.tag) in ("headerReference", "footerReference")]
        lines.append(f"sectie {number_}: {properties(section, skip=('headerReference', 'footerReference'))}")
        if references:
            lines.append(f"    kop- en voetteksten: {', '.join(references)}")
    lines.append("")
    for part in sorted(p for p in parts if p.startswith("word/header") or p.startswith("word/footer")):
        root = etree.fromstring(parts[part], parser)
        lines.append(f"## {part.removeprefix('word/')}")
        lines += [line for child in root for line in block_lines(child)]
        lines.append("")
    lines.append("## Tekst van het document, alinea voor alinea: [stijl directe-opmaak] tekst met codes")
    lines += [line for child in (body if body is not None else []) for line in block_lines(child)]
    return "\n".join(lines) + "\n"


def dump_path(template: Path) -> Path:
    return template.with_name(template.name + ".txt")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="alleen controleren of de tekstweergaven actueel zijn")
    arguments = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from dossier.errors import TemplateError
    from dossier.template import CONTRACTS, prepare_template

    failed = False
    templates = sorted(TEMPLATES.glob("*.docx"))
    for template in templates:
        data = template.read_bytes()
        if template.name not in CONTRACTS:
            print(f"{template.relative_to(ROOT)}: geen contract; voeg het toe aan CONTRACTS in dossier/template.py",
                  file=sys.stderr)
            failed = True
            continue
        try:
            prepare_template(data, CONTRACTS[template.name])
        except TemplateError as err:
            print(f"{template.relative_to(ROOT)}: past niet bij dossier:\n{err}", file=sys.stderr)
            failed = True
        text = dump(data, template.name)
        target = dump_path(template)
        current = target.read_text("utf-8") if target.exists() else None
        if arguments.check:
            if current != text:
                print(f"{target.relative_to(ROOT)} is verouderd; voer '{COMMAND}' uit", file=sys.stderr)
                failed = True
        elif current != text:
            target.write_text(text, "utf-8")
            print(f"{target.relative_to(ROOT)} bijgewerkt")
    if not failed:
        print(f"{len(templates)} sjablonen in orde; hun tekstweergave is actueel")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
