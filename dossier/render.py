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
from dossier.markdown import escape_text, run, to_paragraphs
from dossier.model import Dossier
from dossier.package import INTAKE_NAMESPACE

TEMPLATE_PATH = Path("templates") / "dossier.docx"  # relative to the dossier package
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
    document.render(_with_formatting(context, document.build_url_id), jinja_env=jinja_environment())
    word = document.docx
    _set_properties(word.core_properties, context, reference, template.version)
    _fill_contents(word.element.body)
    _embed_intake(word.part, canonical, reference, inputs)
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
