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
import os
import re
import uuid
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from markupsafe import Markup

from dossier import __version__, cache, template
from dossier.context import to_context
from dossier.errors import InternalError, TemplateError
from dossier.markdown import run, to_paragraphs
from dossier.model import REFERENCE_SCHEME, Dossier, TemplateStamp
from dossier.package import INTAKE_NAMESPACE
from dossier.template import DOSSIER, Contract, prepare_template, toc_paragraph
from dossier.word import jinja_environment, template_class, write_package

TEMPLATES = Path(__file__).resolve().parent / "templates"  # the packaged templates
TEMPLATE_FOLDER_VARIABLE = "DOSSIER_SJABLONEN"  # a folder with templates to try instead of the packaged ones
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


def template_file(name: str = "dossier.docx") -> Path:
    """Return the path of a template: the one of that name in the folder DOSSIER_SJABLONEN when it has one,
    else the packaged one. Raises TemplateError when DOSSIER_SJABLONEN is set but is not a folder."""
    folder = os.environ.get(TEMPLATE_FOLDER_VARIABLE)
    if folder:
        if not Path(folder).is_dir():
            raise TemplateError(f"{TEMPLATE_FOLDER_VARIABLE}={folder}: is geen map; geef de map met de sjablonen "
                                f"(dossier.docx, clausules.docx) die u wilt proberen")
        if (Path(folder) / name).is_file():
            return Path(folder) / name
    return TEMPLATES / name


def load_template(path: Path | None = None, contract: Contract = DOSSIER) -> Template:
    """Return the template at path (default: the packaged dossier template), read and checked once per file
    version; its data is ready to render (see dossier.template.prepare_template), its digest that of the file.

    Raises TemplateError when the template breaks the contract (a style, the TOC field or a tag form missing).
    """
    path = path or template_file()
    stat = path.stat()
    return _load_template(str(path), stat.st_mtime_ns, stat.st_size, contract)


@lru_cache(maxsize=4)
def _load_template(path: str, mtime_ns: int, size: int, contract: Contract) -> Template:
    data = Path(path).read_bytes()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            core = archive.read("docProps/core.xml").decode("utf-8") if "docProps/core.xml" in archive.namelist() else ""
    except zipfile.BadZipFile as err:
        raise TemplateError(f"{path}: is geen Word-document (.docx)") from err
    digest = hashlib.sha256(data).hexdigest()
    try:
        ready = _prepared(data, digest, contract)
    except TemplateError as err:
        raise TemplateError(f"het sjabloon {path} past niet bij dossier:\n{err}") from err
    found = re.search(r"<cp:version>([^<]*)</cp:version>", core)
    return Template(ready, digest, found.group(1) if found else "")


def _prepared(data: bytes, digest: str, contract: Contract) -> bytes:
    """Return prepare_template(data, contract), remembering on disk that a template needed no repair
    (checking takes 30-90 ms, a tenth of a cold build); the key includes the checking code itself."""
    checker = hashlib.sha256(Path(template.__file__).read_bytes()).hexdigest()
    key = hashlib.sha256(f"{digest}\0{contract!r}\0{checker}".encode()).hexdigest()
    name, marker = f"sjabloon-{key}.ok", f"dossier-sjabloon-geldig {key}".encode()
    if cache.read(name) == marker:
        return data
    ready = prepare_template(data, contract)
    if ready is data:
        cache.write(name, marker)
    return ready


def reference_inputs(dossier: Dossier) -> dict[str, str]:
    """Return what the reference covers besides the intake, as stored with the embedded intake."""
    return {"programma": __version__, "kennisbank": dossier.knowledge.digest,
            "kennisbank_versie": dossier.knowledge.version, "template": dossier.template.sha256,
            "schema": REFERENCE_SCHEME}


def render_dossier(dossier: Dossier, template: Template | None = None) -> tuple[bytes, dict[str, Any]]:
    """Return (docx bytes, template context) of a dossier; the context is plain JSON-able data.

    The dossier names the template it is made for (its digest is part of the reference); that template
    (default: the one load_template finds) is used. Raises InternalError when it is not the one the
    dossier was derived for (the file changed meanwhile).
    """
    template = template or load_template()
    if template.stamp != dossier.template:
        raise InternalError(f"{template_file()}: de template is gewijzigd terwijl het dossier werd gemaakt; "
                            "probeer het opnieuw")
    context = to_context(dossier)
    document = template_class()(io.BytesIO(template.data))
    document.init_docx()
    document.render(_with_formatting(context, dossier, hyperlink_ids(document.docx.part)), jinja_env=jinja_environment())
    word = document.docx
    _set_properties(word.core_properties, dossier)
    _fill_contents(word.element.body)
    _ask_to_update_fields(word.settings.element)
    _embed_intake(word.part, dossier.canonical_intake, dossier.reference, reference_inputs(dossier))
    return write_package(word.part.package), context


def _with_formatting(context: dict[str, Any], dossier: Dossier, link: Any) -> dict[str, Any]:
    """Return a shallow copy of context plus the formatted (WordprocessingML) values the template places."""
    rendered = dict(context)
    rendered["project"] = dict(context["project"], beschrijving_opgemaakt=to_paragraphs(dossier.project.description, link))
    rendered["clausules"] = [dict(entry, tekst_opgemaakt=clause_runs(use.parts))
                             for entry, use in zip(context["clausules"], dossier.clauses, strict=True)]
    return rendered


def hyperlink_ids(part: Any) -> Callable[[str], str]:
    """Return link(url) -> the id of part's external hyperlink relationship to url, added when new.

    The ids are the ones python-docx's ``relate_to`` gives (an existing relationship to the url keeps
    its id, a new one takes the lowest free rIdN), at O(1) per link: relate_to scans every relationship,
    which made a description with n links cost O(n^2).
    """
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    rels = part.rels
    known: dict[str, str] = {}
    for rel_id, rel in rels.items():
        if rel.is_external and rel.reltype == RT.HYPERLINK:
            known.setdefault(rel.target_ref, rel_id)
    number = 1

    def link(url: str) -> str:
        nonlocal number
        if url not in known:
            while f"rId{number}" in rels:
                number += 1
            known[url] = rels.add_relationship(RT.HYPERLINK, url, f"rId{number}", is_external=True).rId
        return known[url]

    return link


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

    toc = toc_paragraph(body)
    end: Any = toc.xpath('./w:r[w:fldChar/@w:fldCharType="end"]') if toc is not None else []
    if toc is None or not end:  # prepare_template checked the template, so only rendering can lose it
        raise TemplateError("het TOC-veld van de inhoudsopgave ging verloren bij het invullen van het sjabloon; "
                            "zet het buiten elke {%p if %}- of {%p for %}-code")
    headings = body.xpath('./w:p[w:pPr/w:pStyle[@w:val="Heading1" or @w:val="Heading2"]]')
    if not headings:
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
        style: Any = heading.xpath("string(./w:pPr/w:pStyle/@w:val)")
        level = str(style)[-1]
        texts: Any = heading.xpath("./w:r/w:t/text()")
        text = "".join(texts)
        entries.append(_toc_entry(f"TOC{level}", name, text))
    anchor = toc
    for entry in entries:
        anchor.addnext(entry)
        anchor = entry
    anchor.append(end[0])  # the field now ends after the last entry


# The settings that CT_Settings puts after w:updateFields; it must come before the first one present.
_AFTER_UPDATE_FIELDS = ("hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "mathPr",
                        "attachedSchema", "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats",
                        "doNotAutoCompressPictures", "forceUpgrade", "captions", "readModeInkLockDown",
                        "smartTagType", "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol",
                        "listSeparator")


def _ask_to_update_fields(settings: Any) -> None:
    """Make Word offer to update the fields when the dossier is opened, so the contents get page numbers.

    The dossier sets this, not the template: in the template it would make Word fill the TOC while
    someone edits the house style (and LibreOffice drops it when it saves a template).
    """
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    flag = settings.find(qn("w:updateFields"))
    if flag is None:
        flag = OxmlElement("w:updateFields")
        later = [child for child in settings if child.tag in {qn(f"w:{name}") for name in _AFTER_UPDATE_FIELDS}]
        if later:
            later[0].addprevious(flag)
        else:
            settings.append(flag)
    flag.set(qn("w:val"), "true")


def _toc_entry(style: str, bookmark: str, text: str) -> Any:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    return parse_xml(f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
                     f'<w:hyperlink w:anchor="{bookmark}" w:history="1">{run(text)}</w:hyperlink></w:p>')


def _embed_intake(main: Any, canonical: str, reference: str, inputs: dict[str, str]) -> None:
    """Add the intake (its canonical JSON) as a custom XML part (with its item properties) related from the main document."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from lxml import etree

    root = etree.Element(f"{{{INTAKE_NAMESPACE}}}intake", nsmap={None: INTAKE_NAMESPACE})  # type: ignore[dict-item]  # None is lxml's default namespace
    root.set("referentie", reference)
    for name, value in inputs.items():
        root.set(name, value)
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
