"""Verify a dossier: is this document exactly what this program makes of the intake it carries?

A .docx dossier carries its intake and, with it, what its reference covers: the knowledge base's
content digest, the template's digest and the program version. Verifying recomputes the reference,
compares what the document claims with this installation, rebuilds the dossier from the embedded
intake and compares the result with the document, part by part and paragraph by paragraph.
Only an identical rebuild is "echt"; every difference is named, with its own exit code.
"""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path

from dossier import __version__
from dossier.derive import derive
from dossier.errors import (  # verify's exit codes are in the one exit-code table
    EXIT_DOCUMENT,
    EXIT_INTAKE,
    EXIT_KNOWLEDGE,
    EXIT_TEMPLATE,
    EXIT_VERSION,
    InputError,
    Problem,
)
from dossier.extract import core_identifier, reference_problem
from dossier.files import ReadProblem, read_head
from dossier.knowledge import default_knowledge
from dossier.load import parse_json
from dossier.messages import printable
from dossier.model import REFERENCE_SCHEME
from dossier.package import Package
from dossier.render import load_template, render_dossier
from dossier.sign import verify_pdf
from dossier.validate import validate
from dossier.verdict import Verdict

_PART_NAMES = {
    "word/document.xml": "de tekst van het document",
    "docProps/core.xml": "de documenteigenschappen (titel, status, referentie)",
    "docProps/app.xml": "de toepassingseigenschappen",
    "docProps/custom.xml": "de aangepaste eigenschappen",
    "word/styles.xml": "de opmaakprofielen",
    "word/numbering.xml": "de nummering",
    "word/settings.xml": "de documentinstellingen",
    "[Content_Types].xml": "de lijst van onderdelen",
}


def verify(path: Path | str, trust_roots: Path | str | None = None) -> Verdict:
    """Return the verdict for a .docx dossier or a signed PDF; raise InputError when it cannot be read."""
    try:
        magic = read_head(path, 5)
    except ReadProblem as err:
        raise InputError(problems=[Problem(str(path), message=str(err))]) from err
    if magic == b"%PDF-":
        return verify_pdf(path, trust_roots)
    return verify_docx(path)


def verify_docx(path: Path | str) -> Verdict:
    """Return the verdict for a .docx dossier; raise InputError when it is no readable dossier."""

    verdict = Verdict(str(path))
    with Package(path) as package:
        embedded = package.intake()
        identifier = core_identifier(package)
        parts = {name: package.read(name) for name in package.names()}
    attributes = embedded.attributes
    reference = attributes.get("referentie", "")
    problem = reference_problem(embedded.text, attributes, identifier)
    if problem:
        verdict.differ(EXIT_INTAKE, f"intake: {problem}")
    made_by = attributes.get("programma")
    if attributes.get("schema") != REFERENCE_SCHEME or made_by is None:
        verdict.differ(EXIT_VERSION, "programmaversie: gemaakt met een oudere versie van dossier, waarvan de "
                       "referentie de inhoud van de kennisbank en de programmaversie nog niet dekte; dit "
                       f"dossier {__version__} kan het daarom niet nagaan. Maak het opnieuw om het te kunnen controleren")
        return verdict
    if made_by != __version__:
        verdict.differ(EXIT_VERSION, f"programmaversie: gemaakt door dossier {made_by}; dit is dossier {__version__}. "
                       f"Dat is geen vervalsing, maar alleen dossier {made_by} kan nagaan of het echt is")
    knowledge = default_knowledge()
    if attributes.get("kennisbank") != knowledge.digest:
        same = attributes.get("kennisbank_versie") == knowledge.version
        verdict.differ(EXIT_KNOWLEDGE, "kennisbank: gemaakt met een kennisbank met andere inhoud (vingerafdruk "
                       f"{attributes.get('kennisbank', '')[:12]}) dan deze ({knowledge.digest[:12]})"
                       + (f", hoewel beide versie {knowledge.version} heten" if same else
                          f"; versie {attributes.get('kennisbank_versie')} tegenover {knowledge.version}"))
    template = load_template()
    if attributes.get("template") != template.sha256:
        verdict.differ(EXIT_TEMPLATE, f"template: gemaakt met een ander sjabloon (vingerafdruk "
                       f"{attributes.get('template', '')[:12]}) dan dit ({template.sha256[:12]})")
    if not verdict.genuine:
        verdict.lines.append("niet herbouwd: met een andere versie, kennisbank of template geeft herbouwen vanzelf "
                             "een ander document")
        return verdict
    rebuilt = _rebuild(embedded.text, str(path))
    if rebuilt is None:
        verdict.differ(EXIT_INTAKE, "intake: de ingebedde intake is niet geldig voor deze versie van dossier")
        return verdict
    for line in _differences(parts, rebuilt):
        verdict.differ(EXIT_DOCUMENT, line)
    if verdict.genuine:
        verdict.lines.append(f"echt: dit is precies het dossier dat dossier {__version__} maakt van deze intake "
                             f"(referentie {reference})")
    return verdict


def _rebuild(canonical: str, name: str) -> dict[str, bytes] | None:
    """Return the parts of the dossier this program makes of the intake, or None when it is not valid."""
    import io
    import zipfile

    knowledge = default_knowledge()
    try:
        intake = validate(parse_json(canonical, name), knowledge, name)
    except InputError:
        return None
    template = load_template()
    document, _ = render_dossier(derive(intake, knowledge, template.stamp), template)
    with zipfile.ZipFile(io.BytesIO(document)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _differences(found: dict[str, bytes], rebuilt: dict[str, bytes]) -> list[str]:
    """Return one Dutch line per difference between the document's parts and the rebuild's."""
    lines = []
    for name in sorted(set(found) - set(rebuilt)):
        lines.append(f"document: onderdeel '{name}' is toegevoegd; een nieuw gemaakt dossier heeft het niet")
    for name in sorted(set(rebuilt) - set(found)):
        lines.append(f"document: onderdeel '{name}' ontbreekt")
    for name in sorted(set(found) & set(rebuilt)):
        if found[name] == rebuilt[name]:
            continue
        what = _PART_NAMES.get(name) or f"onderdeel '{name}'"
        if name.startswith("word/") and name.endswith(".xml"):
            texts = _paragraph_differences(found[name], rebuilt[name])
            if texts:
                lines += [f"document: {what}: {text}" for text in texts]
                continue
        lines.append(f"document: {what} wijkt af van een nieuw gemaakt dossier (tekst gelijk, opmaak of code niet)"
                     if name.startswith("word/") else f"document: {what} wijkt af van een nieuw gemaakt dossier")
    return lines


def paragraphs(xml: bytes) -> list[str]:
    """Return the text of each w:p in a WordprocessingML part (tabs and breaks as spaces)."""
    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
    try:
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError:
        return ["(geen geldige XML)"]
    result = []
    for paragraph in root.iter(f"{w}p"):
        pieces = []
        for node in paragraph.iter(f"{w}t", f"{w}tab", f"{w}br", f"{w}instrText", f"{w}delText"):
            if node.tag == f"{w}t":
                pieces.append(node.text or "")
            elif node.tag in (f"{w}tab", f"{w}br"):
                pieces.append(" ")
        result.append("".join(pieces))
    return result


def _short(text: str) -> str:

    text = printable(text)
    return json.dumps(text if len(text) <= 80 else text[:77] + "…", ensure_ascii=False)


def _paragraph_differences(found: bytes, rebuilt: bytes, limit: int = 5) -> list[str]:
    """Return up to limit lines naming paragraphs that differ, plus a count of the rest."""
    mine, theirs = paragraphs(found), paragraphs(rebuilt)
    lines: list[str] = []
    matcher = difflib.SequenceMatcher(a=theirs, b=mine, autojunk=False)
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag == "equal":
            continue
        for index in range(max(a1 - a0, b1 - b0)):
            expected = theirs[a0 + index] if a0 + index < a1 else None
            actual = mine[b0 + index] if b0 + index < b1 else None
            if expected is None:
                lines.append(f"alinea {b0 + index + 1} is toegevoegd: {_short(actual or '')}")
            elif actual is None:
                lines.append(f"alinea {a0 + index + 1} ontbreekt: {_short(expected)}")
            else:
                start = max(0, len(os.path.commonprefix([actual, expected])) - 30)
                lead = "…" if start else ""
                lines.append(f"alinea {b0 + index + 1} luidt {_short(lead + actual[start:])}, maar hoort "
                             f"{_short(lead + expected[start:])} te zijn")
    if len(lines) > limit:
        lines = lines[:limit] + [f"en nog {len(lines) - limit} verschillen"]
    return lines
