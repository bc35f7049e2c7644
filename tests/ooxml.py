"""Shared checks of a generated .docx: OOXML schema validity and the text a reader sees.

python-docx, lxml and LibreOffice all accept schema-invalid files, so ``schema_errors`` runs the
``openxml-audit`` validator (offline, the Open XML SDK's schemas). ``document_text`` reads the
text of the body, tables, headers, footers and notes straight from the XML, so tests can assert
that no text was silently lost.
"""

from __future__ import annotations

import re
import zipfile
from functools import cache
from pathlib import Path

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_P, _T, _TAB, _BR, _CR = (f"{{{W}}}{name}" for name in ("p", "t", "tab", "br", "cr"))
_TEXT_PARTS = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml")


def _ignored(error: object) -> bool:
    """Return True for a finding that says nothing about the file being valid OOXML.

    Only one kind is ignored. stylesWithEffects.xml (MS-OE376) is a copy of styles.xml that only
    Word 2010 writes, so that Word 2007 can round-trip effects; later Word versions neither write
    nor need it. python-docx's default template ships a stale copy, and openxml-audit flags
    (as WORD_APP_COMPAT, not as a schema error) every style python-docx adds to styles.xml but not
    to that copy. Every document python-docx makes has this finding and opens in Word without a
    repair prompt; the schema of the part itself is still checked.
    """
    from openxml_audit import SourceClass

    return (error.source_class is SourceClass.WORD_APP_COMPAT  # type: ignore[attr-defined]
            and error.part_uri == "/word/stylesWithEffects.xml")  # type: ignore[attr-defined]


@cache
def _validator() -> object:
    from openxml_audit import OpenXmlValidator

    # Building the validator loads the schemas (~0.2 s); one instance serves the whole session.
    return OpenXmlValidator(max_errors=100)


def schema_errors(path: Path | str) -> list[str]:
    """Return one line per OOXML problem in the .docx (errors and warnings), empty when valid."""
    from openxml_audit import ValidationSeverity

    result = _validator().validate(Path(path))  # type: ignore[attr-defined]
    return [str(error) for error in result.errors
            if error.severity is not ValidationSeverity.INFO and not _ignored(error)]


def assert_valid_docx(path: Path | str) -> None:
    """Fail the calling test with every OOXML problem of the .docx; also require python-docx to open it."""
    import docx

    docx.Document(str(path))
    problems = schema_errors(path)
    assert not problems, f"{path} is geen geldig OOXML-document:\n" + "\n".join(problems)


def _paragraph_text(paragraph: etree._Element) -> str:
    """Return the text of one w:p: w:t text, w:tab as a tab, w:br/w:cr as a newline.

    Text of paragraphs nested inside this one (text boxes) belongs to those paragraphs.
    """
    parts = []
    for node in paragraph.iter(_T, _TAB, _BR, _CR):
        owner = next(node.iterancestors(_P), None)
        if owner is not paragraph:
            continue
        if node.tag == _T:
            parts.append(node.text or "")
        else:
            parts.append("\t" if node.tag == _TAB else "\n")
    return "".join(parts)


def document_paragraphs(path: Path | str) -> list[str]:
    """Return the text of every paragraph (body and table cells, headers, footers, notes), in part order."""
    paragraphs = []
    with zipfile.ZipFile(path) as archive:
        for name in sorted(n for n in archive.namelist() if _TEXT_PARTS.fullmatch(n)):
            root = etree.fromstring(archive.read(name))
            paragraphs += [_paragraph_text(p) for p in root.iter(_P)]
    return paragraphs


def normalise(text: str) -> str:
    """Return text with every run of whitespace (spaces, tabs, newlines) as one space, stripped.

    Word may show a newline as a line break, a new paragraph or a space; the text is the same.
    """
    return " ".join(text.split())


def document_text(path: Path | str) -> str:
    """Return all text of the .docx, paragraphs joined by newlines, whitespace normalised."""
    return normalise("\n".join(document_paragraphs(path)))
