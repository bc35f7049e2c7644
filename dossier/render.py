"""Render a Dossier into a Word document from templates/dossier.docx, and read the intake back out.

The document is reproducible: the same intake, knowledge base and template give the same bytes
(fixed zip timestamps and entry order, document properties taken from the intake, never the
clock). The intake travels inside the document as a custom XML part, so ``dossier extract`` can
recover it exactly.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import re
import uuid
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from markupsafe import Markup

from dossier.context import to_context
from dossier.errors import InputError, InternalError, Problem, os_reason
from dossier.markdown import run, to_paragraphs
from dossier.model import Dossier, TemplateStamp
from dossier.word import jinja_environment, template_class, write_package

TEMPLATE_PATH = Path("templates") / "dossier.docx"  # relative to the dossier package
INTAKE_NAMESPACE = "urn:x-dossier:intake:1"
INTAKE_PART = "/customXml/item1.xml"
INTAKE_PROPERTIES_PART = "/customXml/itemProps1.xml"
DEFAULT_WORDS = "standaardwaarde"  # how the signed dossier marks a default value: in words, never by highlighting


@dataclass(frozen=True)
class Template:
    """The template file: its bytes, their SHA-256 (hex) and the version stored in its properties."""

    data: bytes
    sha256: str
    version: str

    @property
    def stamp(self) -> TemplateStamp:
        """Return what a Dossier records of this template."""
        return TemplateStamp(self.sha256, self.version)


def template_file() -> Path:
    """Return the path of the dossier template inside the package."""
    return Path(__file__).resolve().parent / TEMPLATE_PATH


def load_template(path: Path | None = None) -> Template:
    """Return the template at path (default: the packaged one), read once per file version."""
    path = path or template_file()
    stat = path.stat()
    return _load_template(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4)
def _load_template(path: str, mtime_ns: int, size: int) -> Template:
    data = Path(path).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        core = archive.read("docProps/core.xml").decode("utf-8")
    found = re.search(r"<cp:version>([^<]*)</cp:version>", core)
    return Template(data, hashlib.sha256(data).hexdigest(), found.group(1) if found else "")


def render_dossier(dossier: Dossier) -> tuple[bytes, dict[str, Any]]:
    """Return (docx bytes, template context) of a dossier; the context is plain JSON-able data.

    The dossier names the template it is made for (its digest is part of the reference); that file is
    used. Raises InternalError when the template file changed since the dossier was derived.
    """
    template = load_template()
    if template.stamp != dossier.template:
        raise InternalError(f"{template_file()}: de template is gewijzigd terwijl het dossier werd gemaakt; "
                            "probeer het opnieuw")
    context = to_context(dossier)
    document = template_class()(io.BytesIO(template.data))
    document.init_docx()
    document.render(_with_formatting(context, dossier, document.build_url_id), jinja_env=jinja_environment())
    word = document.docx
    _set_properties(word.core_properties, dossier)
    _fill_contents(word.element.body)
    _embed_intake(word.part, dossier.canonical_intake, dossier.reference)
    return write_package(word.part.package), context


def _with_formatting(context: dict[str, Any], dossier: Dossier, link: Any) -> dict[str, Any]:
    """Return a shallow copy of context plus the formatted (WordprocessingML) values the template places."""
    rendered = dict(context)
    rendered["project"] = dict(context["project"], beschrijving_opgemaakt=to_paragraphs(dossier.project.description, link))
    rendered["clausules"] = [dict(entry, tekst_opgemaakt=clause_runs(use.parts))
                             for entry, use in zip(context["clausules"], dossier.clauses, strict=True)]
    return rendered


def clause_runs(parts: Iterable[tuple[str, bool]]) -> Markup:
    """Return a clause's text as plain runs, without highlighting (the dossier is signed): a default value is
    followed by the words ' (standaardwaarde)'."""
    return Markup("".join(run(text + (f" ({DEFAULT_WORDS})" if is_default else "")) for text, is_default in parts
                          if text))


def _set_properties(properties: Any, dossier: Dossier) -> None:
    """Fill the core document properties from the dossier, so they never depend on the clock."""
    project = dossier.project
    moment = datetime.datetime.combine(datetime.date.fromisoformat(project.date), datetime.time(), tzinfo=datetime.UTC)
    properties.title = project.name
    properties.subject = f"Ethiekdossier provincie {project.province}: {project.central_question}"
    properties.author = properties.last_modified_by = project.adviser
    properties.keywords = "; ".join(["ethiekdossier", "digitale ethiek", project.province, project.phase_label])
    properties.identifier = dossier.reference
    properties.category = "Ethiekdossier"
    properties.comments = dossier.status
    properties.content_status = dossier.status
    properties.language = "nl-NL"
    properties.version = dossier.template.version
    properties.revision = 1
    properties.created = properties.modified = moment


def _fill_contents(body: Any) -> None:
    """Put the headings (levels 1-2) in the result of the TOC field, each linked to a bookmark.

    Word rebuilds the table of contents with page numbers when it updates the field; until then
    (and in a PDF made by LibreOffice, which keeps the stored result) the reader sees the headings.
    """
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    toc = body.xpath('./w:p[w:r/w:instrText[starts-with(normalize-space(.), "TOC ")]]')
    if not toc:
        return
    end = toc[0].xpath('./w:r[w:fldChar/@w:fldCharType="end"]')
    headings = body.xpath('./w:p[w:pPr/w:pStyle[@w:val="Heading1" or @w:val="Heading2"]]')
    if not end or not headings:
        return
    entries = []
    for number, heading in enumerate(headings, 1):
        name = f"_Toc{number:08d}"
        start, stop = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
        start.set(qn("w:id"), str(number))
        start.set(qn("w:name"), name)
        stop.set(qn("w:id"), str(number))
        properties = heading.find(qn("w:pPr"))
        properties.addnext(start)
        heading.append(stop)
        level = heading.xpath("string(./w:pPr/w:pStyle/@w:val)")[-1]
        text = "".join(heading.xpath("./w:r/w:t/text()"))
        entries.append(_toc_entry(f"TOC{level}", name, text))
    anchor = toc[0]
    for entry in entries:
        anchor.addnext(entry)
        anchor = entry
    anchor.append(end[0])  # the field now ends after the last entry


def _toc_entry(style: str, bookmark: str, text: str) -> Any:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    return parse_xml(f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
                     f'<w:hyperlink w:anchor="{bookmark}" w:history="1">{run(text)}</w:hyperlink></w:p>')


def _embed_intake(main: Any, canonical: str, reference: str) -> None:
    """Add the intake (its canonical JSON) as a custom XML part (with its item properties) related from the main document."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from lxml import etree

    root = etree.Element(f"{{{INTAKE_NAMESPACE}}}intake", nsmap={None: INTAKE_NAMESPACE})  # type: ignore[dict-item]  # None is lxml's default namespace
    root.set("referentie", reference)
    root.text = canonical  # ASCII only: every character XML cannot hold is a \u escape here
    item = Part(PackURI(INTAKE_PART), CT.XML,
                etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True), main.package)
    item_id = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"{INTAKE_NAMESPACE}:{reference}")).upper() + "}"
    properties = Part(PackURI(INTAKE_PROPERTIES_PART), CT.OFC_CUSTOM_XML_PROPERTIES, (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<ds:datastoreItem ds:itemID="{item_id}" '
        'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml">'
        f'<ds:schemaRefs><ds:schemaRef ds:uri="{INTAKE_NAMESPACE}"/></ds:schemaRefs></ds:datastoreItem>'
    ).encode(), main.package)
    item.relate_to(properties, RT.CUSTOM_XML_PROPS)
    main.relate_to(item, RT.CUSTOM_XML)


def extract_intake(path: Path | str) -> str:
    """Return the intake embedded in a dossier as canonical JSON text; raise InputError if there is none."""
    name = str(path)

    def fail(message: str) -> InputError:
        return InputError(problems=[Problem(name, message=message)])

    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError as err:
        raise fail("bestand niet gevonden") from err
    except IsADirectoryError as err:
        raise fail("is een map, geen dossier") from err
    except zipfile.BadZipFile as err:
        raise fail("is geen Word-document (.docx): het is geen zip-bestand") from err
    except OSError as err:
        raise fail(f"kan niet worden gelezen ({os_reason(err)})") from err
    with archive:
        text = _find_intake(archive)
    if text is None:
        raise fail("bevat geen ingebedde intake; alleen dossiers die met 'dossier build' zijn gemaakt, hebben er een")
    try:
        json.loads(text)
    except ValueError as err:
        raise fail(f"de ingebedde intake is beschadigd (geen geldige JSON: {err})") from err
    return text


def _find_intake(archive: zipfile.ZipFile) -> str | None:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    for entry in sorted(archive.namelist()):
        directory, _, filename = entry.rpartition("/")
        if directory != "customXml" or not filename.endswith(".xml") or filename.startswith("itemProps"):
            continue
        try:
            root = etree.fromstring(archive.read(entry), parser)
        except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError, ValueError):
            continue
        if root.tag == f"{{{INTAKE_NAMESPACE}}}intake":
            return root.text or ""
    return None

