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
import os
import re
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from markupsafe import Markup

from dossier.context import to_context
from dossier.errors import InputError, Problem, TemplateError, os_reason
from dossier.markdown import escape_text, run, to_paragraphs
from dossier.model import Dossier
from dossier.package import INTAKE_NAMESPACE
from dossier.template import DOSSIER, Contract, prepare_template, toc_paragraph

TEMPLATES = Path(__file__).resolve().parent / "templates"  # the packaged templates
TEMPLATE_FOLDER_VARIABLE = "DOSSIER_SJABLONEN"  # a folder with templates to try instead of the packaged ones
INTAKE_PART = "/customXml/item1.xml"
INTAKE_PROPERTIES_PART = "/customXml/itemProps1.xml"
DEFAULT_WORDS = "standaardwaarde"  # how the signed dossier marks a default value: in words, never by highlighting
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold; never the clock
_LISTING_CHARACTERS = re.compile(r"[\t\a\n\f]")
_TAG_NAME = re.compile(rb"<[^\s>/]+")  # the start of a start tag: '<' and the element's name
_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)  # as docxtpl's resolve_listing matches one


@dataclass(frozen=True)
class Template:
    """The template file: its bytes, their SHA-256 (hex) and the version stored in its properties."""

    data: bytes
    sha256: str
    version: str


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
    from dossier import cache, template

    checker = hashlib.sha256(Path(template.__file__).read_bytes()).hexdigest()
    key = hashlib.sha256(f"{digest}\0{contract!r}\0{checker}".encode()).hexdigest()
    name, marker = f"sjabloon-{key}.ok", f"dossier-sjabloon-geldig {key}".encode()
    if cache.read(name) == marker:
        return data
    ready = prepare_template(data, contract)
    if ready is data:
        cache.write(name, marker)
    return ready


def canonical_json(raw: Any) -> str:
    """Return the canonical JSON text of an intake: sorted keys, ASCII only, no spaces."""
    return json.dumps(raw, sort_keys=True, ensure_ascii=True, separators=(",", ":"))


REFERENCE_SCHEME = "2"  # scheme 1 (before): SHA-256 of intake + knowledge-base version string + template digest


def dossier_reference(canonical: str, knowledge_digest: str, template_sha256: str, program_version: str) -> str:
    """Return the dossier reference: the SHA-256 (hex) of everything that determines the document.

    That is the canonical intake JSON, the knowledge base's content digest (Knowledge.digest), the
    template file's SHA-256 and the program version (whose rules derive the open points), each on
    its own labelled line, so no two different inputs give the same text to hash.
    """
    text = (f"dossierreferentie {REFERENCE_SCHEME}\nprogramma {program_version}\nkennisbank {knowledge_digest}\n"
            f"template {template_sha256}\nintake {canonical}")
    return hashlib.sha256(text.encode("ascii", "backslashreplace")).hexdigest()


def reference_inputs(dossier: Dossier, template: Template) -> dict[str, str]:
    """Return what the reference covers besides the intake, as stored with the embedded intake."""
    from dossier import __version__

    return {"programma": __version__, "kennisbank": dossier.knowledge.digest,
            "kennisbank_versie": dossier.knowledge.version, "template": template.sha256, "schema": REFERENCE_SCHEME}


def render_dossier(raw: Any, dossier: Dossier, template: Template | None = None) -> tuple[bytes, dict[str, Any]]:
    """Return (docx bytes, template context); the context is plain JSON-able data."""
    template = template or load_template()
    canonical = canonical_json(raw)
    inputs = reference_inputs(dossier, template)
    reference = dossier_reference(canonical, inputs["kennisbank"], inputs["template"], inputs["programma"])
    context = to_context(dossier, reference, template.version)
    document = _template_class()(io.BytesIO(template.data))
    document.init_docx()
    document.render(_with_formatting(context, hyperlink_ids(document.docx.part)), jinja_env=jinja_environment())
    word = document.docx
    _set_properties(word.core_properties, context, reference, template.version)
    _fill_contents(word.element.body)
    _ask_to_update_fields(word.settings.element)
    _embed_intake(word.part, canonical, reference, inputs)
    return write_package(word.part.package), context


def _with_formatting(context: dict[str, Any], link: Any) -> dict[str, Any]:
    """Return a shallow copy of context plus the formatted (WordprocessingML) values the template places."""
    rendered = dict(context)
    rendered["project"] = dict(context["project"],
                               beschrijving_opgemaakt=to_paragraphs(context["project"]["beschrijving"], link))
    rendered["clausules"] = [dict(clause, tekst_opgemaakt=clause_runs(clause["tekst"])) for clause in context["clausules"]]
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


def clause_runs(parts: list[dict[str, Any]]) -> Markup:
    """Return a clause's text as plain runs, without highlighting (the dossier is signed): a default value is
    followed by the words ' (standaardwaarde)'."""
    return Markup("".join(run(part["tekst"] + (f" ({DEFAULT_WORDS})" if part["standaard"] else ""))
                          for part in parts if part["tekst"]))


def _finalize(value: Any) -> Any:
    """Escape every value placed by a {{ }} tag, and keep it safe from docxtpl's later rewriting."""
    if hasattr(value, "__html__"):
        return value
    return Markup(escape_text("" if value is None else str(value)))


@lru_cache(maxsize=1)
def jinja_environment() -> Any:
    """Return the sandboxed, autoescaping, strict Jinja environment; it compiles each distinct source once
    (docxtpl hands it the same document XML on every render, and compiling is most of a render's time)."""
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    class CompilingOnce(SandboxedEnvironment):
        def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:
            if globals is not None or template_class is not None or not isinstance(source, str):
                return super().from_string(source, globals, template_class)
            compiled = self.compiled.get(source)
            if compiled is None:
                if len(self.compiled) >= 64:
                    self.compiled.clear()
                compiled = self.compiled[source] = self.template_class.from_code(
                    self, self.compile(source), self.make_globals(None), None)
            return compiled

    environment = CompilingOnce(autoescape=True, undefined=StrictUndefined, finalize=_finalize)
    environment.compiled = {}  # type: ignore[attr-defined]
    return environment


@lru_cache(maxsize=1)
def _template_class() -> Any:
    """Return a DocxTemplate that cleans up ('patches') each distinct part XML once, not on every render."""
    from docxtpl import DocxTemplate

    patch = lru_cache(maxsize=16)(lambda xml: DocxTemplate.patch_xml(None, xml))  # pure: it never uses self

    class Template(DocxTemplate):
        def patch_xml(self, src_xml: str) -> str:
            return patch(src_xml)

        def resolve_listing(self, xml: str) -> str:
            # docxtpl turns \t \a \n \f inside w:t into tabs, paragraphs, breaks and page breaks with three
            # nested regex passes over every run; only a paragraph holding one of them can change, so only
            # those paragraphs go through it (same result, and nothing at all to do in most documents).
            if not _LISTING_CHARACTERS.search(xml):
                return xml
            return _PARAGRAPH.sub(lambda found: DocxTemplate.resolve_listing(self, found.group(0))
                                  if _LISTING_CHARACTERS.search(found.group(0)) else found.group(0), xml)

        def map_tree(self, tree: Any) -> None:
            # docxtpl moves the re-parsed body into python-docx's document tree; lxml makes that move
            # quadratic in the number of xml:space attributes (1.1 s of a 1000x build). Parsing the body
            # inside a copy of the document's root gives the same tree in linear time.
            from lxml import etree

            document = self.docx
            text = _body_text(document.element, tree)
            if text is None or vars(document).get("_Document__body") is not None:
                DocxTemplate.map_tree(self, tree)
                return
            tree.clear()  # its text is all that is needed now: free it before the new tree is built
            try:
                replacement = _parse_document(*text)
            except etree.XMLSyntaxError:
                DocxTemplate.map_tree(self, etree.fromstring(text[1], etree.XMLParser(recover=True)))
                return
            document._element = document.part._element = replacement

    return Template


def _body_text(root: Any, body: Any) -> tuple[bytes, bytes] | None:
    """Return (the document's text up to its body, the body's text) for _parse_document, UTF-8.

    Returns None where the result could differ from lxml moving body into root: body has attributes or
    declares a namespace root does not, or root has something after its body.
    """
    from lxml import etree

    old = root.body
    if (body.attrib or body.tag != old.tag or root[-1] is not old or old.prefix is None
            or any(root.nsmap.get(prefix) != uri for prefix, uri in body.nsmap.items())):
        return None
    text = etree.tostring(body, encoding="utf-8")
    head = etree.tostring(root, encoding="utf-8")
    tag = f"<{old.prefix}:body".encode()
    end = text.find(b">") + 1
    if not text.startswith(tag) or tag not in head or end < 2 or text[end - 2:end] == b"/>":
        return None  # (an empty body is left to docxtpl)
    return head[:head.index(tag)], text


def _parse_document(head: bytes, body: bytes) -> Any:
    """Return the python-docx document element of head + body + the closing tag, parsed in pieces (no
    copy of the whole text); the body's own namespace declarations go, as lxml's move drops them.

    Raises lxml's XMLSyntaxError when the text does not parse.
    """
    from docx.oxml.parser import element_class_lookup
    from lxml import etree

    end = body.find(b">") + 1  # the start tag holds only namespace declarations, whose URIs hold no '>'
    parser = etree.XMLParser(resolve_entities=False)
    parser.set_element_class_lookup(element_class_lookup)
    parser.feed(head)
    parser.feed(_TAG_NAME.match(body).group(0) + b">")  # type: ignore[union-attr]
    for start in range(end, len(body), 1 << 20):
        parser.feed(body[start:start + (1 << 20)])
    parser.feed(b"</" + _TAG_NAME.match(head).group(0)[1:] + b">")  # type: ignore[union-attr]
    return parser.close()


def _set_properties(properties: Any, context: dict[str, Any], reference: str, template_version: str) -> None:
    """Fill the core document properties from the intake, so they never depend on the clock."""
    project = context["project"]
    moment = datetime.datetime.combine(datetime.date.fromisoformat(project["datum_iso"]), datetime.time(),
                                       tzinfo=datetime.UTC)
    properties.title = project["naam"]
    properties.subject = f"Ethiekdossier provincie {project['provincie']}: {project['centrale_vraag']}"
    properties.author = properties.last_modified_by = project["adviseur"]
    properties.keywords = "; ".join(["ethiekdossier", "digitale ethiek", project["provincie"], project["fase"]])
    properties.identifier = reference
    properties.category = "Ethiekdossier"
    properties.comments = context["dossier"]["status"]
    properties.content_status = context["dossier"]["status"]
    properties.language = "nl-NL"
    properties.version = template_version
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
    end = toc.xpath('./w:r[w:fldChar/@w:fldCharType="end"]') if toc is not None else []
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
        level = heading.xpath("string(./w:pPr/w:pStyle/@w:val)")[-1]
        text = "".join(heading.xpath("./w:r/w:t/text()"))
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

    root = etree.Element(f"{{{INTAKE_NAMESPACE}}}intake", nsmap={None: INTAKE_NAMESPACE})
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


def write_package(package: Any) -> bytes:
    """Return a python-docx package as .docx bytes with fixed entry order and timestamps."""
    from docx.opc.pkgwriter import _ContentTypesItem  # python-docx is pinned; its own save stamps the clock

    parts = sorted(package.iter_parts(), key=lambda part: str(part.partname))
    entries = [("[Content_Types].xml", _ContentTypesItem.from_parts(parts).blob), ("_rels/.rels", package.rels.xml)]
    for part in parts:
        entries.append((part.partname.membername, part.blob))
        if len(part.rels):
            entries.append((part.partname.rels_uri.membername, part.rels.xml))
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            archive.writestr(info, data)
    return stream.getvalue()


def extract_intake(path: Path | str) -> str:
    """Return the intake embedded in a dossier as canonical JSON text.

    Only the custom XML part the main document points to is read (see dossier.package). Raises
    InputError when there is none or it is ambiguous, when it is not valid JSON, or when the reference
    stored with it does not match it (a swapped or edited intake).
    """
    from dossier.package import Package

    with Package(path) as package:
        embedded = package.intake()
        identifier = _core_identifier(package)
    try:
        json.loads(embedded.text)
    except ValueError as err:
        raise package.error("de ingebedde intake is beschadigd (geen geldige JSON)") from err
    problem = reference_problem(embedded.text, embedded.attributes, identifier)
    if problem:
        raise package.error(problem)
    return embedded.text


def _core_identifier(package: Any) -> str | None:
    """Return the reference stored in the document properties (dc:identifier), or None."""
    if "docProps/core.xml" not in package.names():
        return None
    found = package.xml("docProps/core.xml").find("{http://purl.org/dc/elements/1.1/}identifier")
    return found.text if found is not None else None


def reference_problem(canonical: str, attributes: dict[str, str], identifier: str | None) -> str | None:
    """Return the Dutch reason why the stored reference does not belong to this intake, or None when it does.

    A dossier made before the reference covered the knowledge base's content and the program version
    (scheme 1) cannot be checked this way; it is said so, not called wrong.
    """
    stored = attributes.get("referentie", "")
    if identifier is not None and identifier != stored:
        return (f"de referentie in de documenteigenschappen ({identifier[:12]}) is niet die bij de ingebedde intake "
                f"({stored[:12]}); het document is na het maken gewijzigd")
    if attributes.get("schema") != REFERENCE_SCHEME:
        return None if attributes.get("schema") is None else "onbekende referentiemethode; maak het dossier opnieuw"
    expected = dossier_reference(canonical, attributes.get("kennisbank", ""), attributes.get("template", ""),
                                 attributes.get("programma", ""))
    if expected != stored:
        return (f"de ingebedde intake past niet bij de dossierreferentie {stored[:12]}: de intake is na het maken "
                "vervangen of gewijzigd")
    return None
