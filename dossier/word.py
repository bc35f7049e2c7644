"""Word packages: the sandboxed template environment and reproducible .docx writing, for every Word writer.

Both the dossier (``render``) and the clause annex (``clauses``) render a docxtpl template with
this environment and write the package with ``write_package``, so both are byte-identical run to run.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import zipfile
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from markupsafe import Markup

from dossier import cache
from dossier.markdown import escape_text, run

ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold; never the clock
FIXED_TIME = datetime.datetime(*ZIP_TIME)
DEFAULT_VALUE_STYLE = "Standaardwaarde"  # character style in both templates: a default value still to check


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
                    self, _compiled_code(self, source), self.make_globals(None), None)
            return compiled

    environment = CompilingOnce(autoescape=True, undefined=StrictUndefined, finalize=_finalize)
    environment.compiled = {}
    return environment


def _compiled_code(environment: Any, source: str) -> Any:
    """Return the code object Jinja compiles from source, from the disk cache when it has it."""
    import importlib.util
    import marshal

    import jinja2

    key = hashlib.sha256(f"{jinja2.__version__}\0{importlib.util.MAGIC_NUMBER.hex()}\0{__name__}\0{source}"
                         .encode("utf-8", "surrogatepass")).hexdigest()
    name = f"jinja-{key}.marshal"
    data = cache.read(name)
    if data is not None:
        try:
            return marshal.loads(data)
        except (EOFError, ValueError, TypeError):
            pass
    code = environment.compile(source)
    cache.write(name, marshal.dumps(code))
    return code


@lru_cache(maxsize=1)
def template_class() -> Any:
    """Return a DocxTemplate that cleans up ('patches') each distinct part XML once, not on every render."""
    from docxtpl import DocxTemplate

    patch = lru_cache(maxsize=16)(lambda xml: DocxTemplate.patch_xml(None, xml))  # pure: it never uses self

    class Template(DocxTemplate):  # type: ignore[misc]  # docxtpl has no type hints
        def patch_xml(self, src_xml: str) -> str:
            return str(patch(src_xml))

    return Template


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
