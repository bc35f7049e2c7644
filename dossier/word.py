"""Word packages: the sandboxed template environment and reproducible .docx writing, for every Word writer.

Both the dossier (``render``) and the clause annex (``clauses``) render a docxtpl template with
this environment and write the package with ``write_package``, so both are byte-identical run to run.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from markupsafe import Markup

from dossier.markdown import escape_text, run

ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold; never the clock
FIXED_TIME = datetime.datetime(*ZIP_TIME)
_LISTING_CHARACTERS = re.compile(r"[\t\a\n\f]")
_TAG_NAME = re.compile(rb"<[^\s>/]+")  # the start of a start tag: '<' and the element's name
_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)  # as docxtpl's resolve_listing matches one
DEFAULT_VALUE_STYLE = "Standaardwaarde"  # character style of the clause template: a default value still to check (the signed dossier says it in words)


def clause_runs(parts: Iterable[tuple[str, bool]]) -> Markup:
    """Return (piece, is_default) parts as Word runs; default values get the Standaardwaarde character style.

    The one rendering of clause text, for chapter 8 of a dossier and for the clause annex.
    """
    return Markup("".join(run(piece, style=DEFAULT_VALUE_STYLE if is_default else None) for piece, is_default in parts
                          if piece))


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
        compiled: dict[str, Any]

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
    environment.compiled = {}
    return environment


@lru_cache(maxsize=1)
def template_class() -> Any:
    """Return a DocxTemplate that cleans up ('patches') each distinct part XML once, not on every render."""
    from docxtpl import DocxTemplate

    patch = lru_cache(maxsize=16)(lambda xml: DocxTemplate.patch_xml(None, xml))  # pure: it never uses self

    class Template(DocxTemplate):  # type: ignore[misc]  # docxtpl has no type hints
        def patch_xml(self, src_xml: str) -> str:
            return str(patch(src_xml))

        def resolve_listing(self, xml: str) -> str:
            # docxtpl turns \t \a \n \f inside w:t into tabs, paragraphs, breaks and page breaks with three
            # nested regex passes over every run; only a paragraph holding one of them can change, so only
            # those paragraphs go through it (same result, and nothing at all to do in most documents).
            if not _LISTING_CHARACTERS.search(xml):
                return xml
            return _PARAGRAPH.sub(lambda found: str(DocxTemplate.resolve_listing(self, found.group(0)))
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


def write_package(package: Any) -> bytes:
    """Return a python-docx package as .docx bytes with fixed entry order and timestamps."""
    from docx.opc.pkgwriter import _ContentTypesItem  # python-docx is pinned; its own save stamps the clock

    parts = sorted(package.iter_parts(), key=lambda part: str(part.partname))
    content_types = _ContentTypesItem.from_parts(parts)  # type: ignore[no-untyped-call]
    entries = [("[Content_Types].xml", content_types.blob), ("_rels/.rels", package.rels.xml)]
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


def fix_core_properties(properties: Any, **values: str) -> None:
    """Set the document properties to fixed values (no clock, no user name), then the given ones."""
    properties.author = properties.last_modified_by = "dossier"
    properties.created = properties.modified = properties.last_printed = FIXED_TIME
    properties.revision = 1
    properties.language = "nl-NL"
    for name, value in values.items():
        setattr(properties, name, value)
