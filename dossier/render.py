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
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from markupsafe import Markup

from dossier.context import to_context
from dossier.errors import InputError, Problem, os_reason
from dossier.markdown import escape_text, run, to_paragraphs
from dossier.model import Dossier

TEMPLATE_PATH = Path("templates") / "dossier.docx"  # relative to the dossier package
INTAKE_NAMESPACE = "urn:x-dossier:intake:1"
INTAKE_PART = "/customXml/item1.xml"
INTAKE_PROPERTIES_PART = "/customXml/itemProps1.xml"
DEFAULT_WORDS = "standaardwaarde"  # how the signed dossier marks a default value: in words, never by highlighting
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold; never the clock


@dataclass(frozen=True)
class Template:
    """The template file: its bytes, their SHA-256 (hex) and the version stored in its properties."""

    data: bytes
    sha256: str
    version: str


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


def canonical_json(raw: Any) -> str:
    """Return the canonical JSON text of an intake: sorted keys, ASCII only, no spaces."""
    return json.dumps(raw, sort_keys=True, ensure_ascii=True, separators=(",", ":"))


def dossier_reference(canonical: str, knowledge_version: str, template_sha256: str) -> str:
    """Return the dossier reference: SHA-256 (hex) of the canonical intake JSON bytes, the knowledge-base
    version (UTF-8) and the SHA-256 hex digest of the template file, concatenated."""
    digest = hashlib.sha256(canonical.encode("ascii"))
    digest.update(knowledge_version.encode("utf-8"))
    digest.update(template_sha256.encode("ascii"))
    return digest.hexdigest()


def render_dossier(raw: Any, dossier: Dossier, template: Template | None = None) -> tuple[bytes, dict[str, Any]]:
    """Return (docx bytes, template context); the context is plain JSON-able data."""
    template = template or load_template()
    canonical = canonical_json(raw)
    reference = dossier_reference(canonical, dossier.knowledge.version, template.sha256)
    context = to_context(dossier, reference, template.version)
    document = _template_class()(io.BytesIO(template.data))
    document.init_docx()
    document.render(_with_formatting(context, document.build_url_id), jinja_env=jinja_environment())
    word = document.docx
    _set_properties(word.core_properties, context, reference, template.version)
    _fill_contents(word.element.body)
    _embed_intake(word.part, canonical, reference)
    return write_package(word.part.package), context


def _with_formatting(context: dict[str, Any], link: Any) -> dict[str, Any]:
    """Return a shallow copy of context plus the formatted (WordprocessingML) values the template places."""
    rendered = dict(context)
    rendered["project"] = dict(context["project"],
                               beschrijving_opgemaakt=to_paragraphs(context["project"]["beschrijving"], link))
    rendered["clausules"] = [dict(clause, tekst_opgemaakt=clause_runs(clause["tekst"])) for clause in context["clausules"]]
    return rendered


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

    return Template


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

    root = etree.Element(f"{{{INTAKE_NAMESPACE}}}intake", nsmap={None: INTAKE_NAMESPACE})
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

