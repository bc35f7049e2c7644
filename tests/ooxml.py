"""The OOXML check of a generated .docx (reading its text: ``tests/docx_text.py``).

python-docx, lxml and LibreOffice all accept schema-invalid files, so ``schema_errors`` runs the
``openxml-audit`` validator (offline, the Open XML SDK's schemas).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path


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
