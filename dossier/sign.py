"""Digital signatures on the PDF dossier: empty fields at the signature block, PAdES signing, verification.

The PDF made by ``dossier build --format pdf`` gets two empty signature fields where the decision
page has its signature lines: ``gedeputeerde`` and ``ambtelijk_opdrachtgever``, so any PDF signing
tool a province uses can sign in place. ``dossier onderteken`` signs one of them with PAdES
(pyHanko) from a PKCS#12 file; ``dossier verify`` reports every signature: who, when, which
field, whether it is intact, whether it covers the whole document, and whether the certificate
chains to the trust roots given (and whether that is a PKIoverheid chain).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dossier.errors import EXIT_SIGNATURE, ConversionError, InputError, Problem, UsageError
from dossier.files import ReadProblem, read_bounded
from dossier.verdict import Verdict
from dossier.write import write_atomic

ROLES = {"gedeputeerde": "Gedeputeerde", "ambtelijk_opdrachtgever": "Ambtelijk opdrachtgever"}
MAX_PDF_BYTES = 200 * 1024 * 1024
FIELD_WIDTH, FIELD_HEIGHT = 210, 48  # points: room for a visible signature under the "Handtekening:" label
PKIOVERHEID = re.compile(r"Staat der Nederlanden|PKIoverheid", re.IGNORECASE)


@dataclass(frozen=True)
class Word:
    """One word on a PDF page, as pdftotext -bbox reports it (origin top left, in points)."""

    page: int
    text: str
    x_min: float
    y_min: float
    x_max: float
    y_max: float
    page_height: float


def _words(pdf: bytes) -> list[Word]:
    """Return every word of the PDF with its page and box; raise ConversionError without pdftotext."""
    tool = shutil.which("pdftotext")
    if tool is None:
        raise ConversionError("pdftotext (poppler-utils) ontbreekt; installeer het met 'make pdf-deps' om "
                              "handtekeningvelden in de PDF te zetten")
    with tempfile.TemporaryDirectory(prefix="dossier-velden-") as directory:
        source = Path(directory, "dossier.pdf")
        source.write_bytes(pdf)
        result = subprocess.run([tool, "-bbox", str(source), "-"], capture_output=True, timeout=120, check=False)
    if result.returncode != 0:
        raise ConversionError("pdftotext kon de PDF niet lezen; er zijn geen handtekeningvelden gezet")
    words: list[Word] = []
    page, height = -1, 0.0
    for line in result.stdout.decode("utf-8", "replace").splitlines():
        found = re.search(r'<page width="[\d.]+" height="([\d.]+)"', line)
        if found:
            page, height = page + 1, float(found.group(1))
            continue
        found = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>', line)
        if found:
            x0, y0, x1, y1 = (float(found.group(i)) for i in range(1, 5))
            words.append(Word(page, found.group(5), x0, y0, x1, y1, height))
    return words


def signature_boxes(pdf: bytes) -> dict[str, tuple[int, tuple[int, int, int, int]]]:
    """Return {field name: (page index, (x1, y1, x2, y2) in PDF coordinates)} for the signature lines of
    the decision page: the first 'Handtekening:' label of the last page with 'Ondertekening' belongs to
    the gedeputeerde, the second (to its right) to the ambtelijk opdrachtgever."""
    words = _words(pdf)
    pages = [w.page for w in words if w.text == "Ondertekening"]
    if not pages:
        return {}
    page = pages[-1]
    labels = sorted((w for w in words if w.page == page and w.text == "Handtekening:"), key=lambda w: w.x_min)
    boxes = {}
    for name, label in zip(ROLES, labels[:2], strict=False):
        top = label.page_height - label.y_max - 3  # just under the "Handtekening: ____" line
        boxes[name] = (page, (int(label.x_min), int(top - FIELD_HEIGHT), int(label.x_min + FIELD_WIDTH), int(top)))
    return boxes


def with_signature_fields(pdf: bytes, epoch: int = 0) -> bytes:
    """Return the PDF with an empty signature field per role at its signature line on the decision page.

    The document's creation and modification dates become epoch (Unix time; SOURCE_DATE_EPOCH when
    set), never the clock, and its /ID is derived from its content, so the same dossier gives the
    same PDF bytes. Raises ConversionError when the signature block cannot be found (the caller then
    keeps the PDF as LibreOffice made it).
    """
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.pdf_utils.writer import copy_into_new_writer
    from pyhanko.sign.fields import SigFieldSpec, append_signature_field

    boxes = signature_boxes(pdf)
    if len(boxes) != len(ROLES):
        raise ConversionError("de ondertekening op de besluitpagina is niet gevonden; de PDF heeft geen "
                              "handtekeningvelden")
    from pyhanko.pdf_utils.misc import PdfError

    try:
        writer = copy_into_new_writer(PdfFileReader(io.BytesIO(pdf), strict=False))
        for name, (page, box) in boxes.items():
            append_signature_field(writer, SigFieldSpec(name, on_page=page, box=box, readable_field_name=ROLES[name]))
        _fix_dates(writer, int(os.environ.get("SOURCE_DATE_EPOCH") or epoch))
        out = _write_with_content_id(writer)
    except (PdfError, ValueError, KeyError) as err:
        raise ConversionError(f"handtekeningvelden konden niet in de PDF worden gezet ({err})") from err
    return out.getvalue()


def _fix_dates(writer: Any, epoch: int) -> None:
    """Set the /Info creation and modification dates to epoch, and keep pyHanko from stamping 'now'."""
    import datetime

    from pyhanko.pdf_utils import generic

    moment = datetime.datetime.fromtimestamp(epoch, datetime.UTC).strftime("D:%Y%m%d%H%M%SZ")
    info = writer._info.get_object() if writer._info is not None else \
        generic.DictionaryObject()  # type: ignore[no-untyped-call]
    for key in ("/CreationDate", "/ModDate"):
        info[generic.NameObject(key)] = generic.TextStringObject(moment)
    if writer._info is None:
        writer.set_info(info)
    writer._update_meta = lambda: None  # pyHanko's writers have no public switch for this


def _write_with_content_id(writer: Any) -> io.BytesIO:
    """Write the PDF with a /ID derived from its own bytes (written first with a blank /ID), not from chance."""
    import hashlib

    from pyhanko.pdf_utils import generic

    def identify(digest: bytes) -> io.BytesIO:
        writer._document_id = generic.ArrayObject([generic.ByteStringObject(digest)] * 2)
        out = io.BytesIO()
        writer.write(out)
        return out

    draft = identify(bytes(16))
    return identify(hashlib.md5(draft.getvalue(), usedforsecurity=False).digest())  # /ID is 16 bytes by convention


def _read_pdf(path: Path | str) -> bytes:
    try:
        data = read_bounded(path, MAX_PDF_BYTES)
    except ReadProblem as err:
        raise InputError(problems=[Problem(str(path), message=str(err))]) from err
    if not data.startswith(b"%PDF-"):
        raise InputError(problems=[Problem(str(path), message="is geen PDF")])
    return data


def _reader(data: bytes, name: str) -> Any:
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        return PdfFileReader(io.BytesIO(data), strict=False)
    except (PdfError, ValueError, KeyError, IndexError, TypeError) as err:
        raise InputError(problems=[Problem(name, message="de PDF is beschadigd en kan niet worden gelezen")]) from err


def sign(path: Path | str, certificate: Path | str, role: str, passphrase: bytes | None,
         output: Path | str | None = None) -> Path:
    """Sign the role's field of the dossier PDF at path with the key and certificate in a PKCS#12 file;
    write the result (an incremental update) to output (default: path itself, atomically); return it.

    Raises UsageError for an unknown role, InputError for an unreadable PDF or certificate, a missing
    or already signed field, and OutputError when the result cannot be written.
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers


    if role not in ROLES:
        raise UsageError(f"onbekende rol '{role}'; kies uit {', '.join(ROLES)}")
    name = str(path)
    data = _read_pdf(path)
    reader = _reader(data, name)
    status = {field_name: value is not None for field_name, value, _ in fields.enumerate_sig_fields(reader)}
    if role not in status:
        raise InputError(problems=[Problem(name, message=f"heeft geen handtekeningveld '{role}'; maak de PDF met "
                                                         "'dossier build --format pdf'")])
    if status[role]:
        raise InputError(problems=[Problem(name, message=f"het veld '{role}' is al ondertekend")])
    try:
        read_bounded(certificate, 1024 * 1024)
        signer = signers.SimpleSigner.load_pkcs12(  # type: ignore[no-untyped-call]
            str(certificate), passphrase=passphrase)
    except (ReadProblem, OSError, ValueError) as err:
        raise InputError(problems=[Problem(str(certificate), message=f"certificaat kan niet worden gelezen ({err})")]) \
            from err
    if signer is None:
        raise InputError(problems=[Problem(str(certificate), message="certificaat kan niet worden gelezen: verkeerd "
                                                                     "wachtwoord of geen PKCS#12-bestand")])
    metadata = signers.PdfSignatureMetadata(field_name=role, md_algorithm="sha256",
                                            subfilter=fields.SigSeedSubFilter.PADES,
                                            reason=f"Ondertekening ethiekdossier door de {ROLES[role].lower()}")
    from pyhanko.stamp import TextStampStyle

    style = TextStampStyle(stamp_text="Digitaal ondertekend door %(signer)s\nTijdstip: %(ts)s")
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    signed = signers.PdfSigner(metadata, signer=signer, stamp_style=style).sign_pdf(writer, existing_fields_only=True)
    target = Path(output) if output else Path(path)
    return write_atomic(target, signed.getvalue())


def verify_pdf(path: Path | str, trust_roots: Path | str | None = None) -> Verdict:
    """Return the Verdict for the signatures of a PDF; raise InputError when it cannot be read."""
    from pyhanko.sign import fields
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext


    name = str(path)
    verdict = Verdict(name)
    data = _read_pdf(path)
    reader = _reader(data, name)
    roots = _load_roots(trust_roots) if trust_roots else []
    context = ValidationContext(trust_roots=roots, allow_fetching=False) if roots else None
    signatures = {signature.field_name: signature for signature in reader.embedded_signatures}
    field_names = [field_name for field_name, _, _ in fields.enumerate_sig_fields(reader)]
    if not signatures:
        verdict.differ(EXIT_SIGNATURE, "geen digitale handtekening: deze PDF is niet ondertekend"
                       + (f" (lege velden: {', '.join(field_names)})" if field_names else ""))
        return verdict
    for field_name in field_names:
        if field_name not in signatures:
            verdict.lines.append(f"veld '{field_name}': nog niet ondertekend")
    for field_name, signature in signatures.items():
        try:
            status = validate_pdf_signature(signature, context)
        except Exception as err:  # pyHanko raises many kinds for a damaged signature: all mean "not valid"
            verdict.differ(EXIT_SIGNATURE, f"veld '{field_name}': handtekening kan niet worden gecontroleerd "
                           f"({type(err).__name__}); de PDF is na ondertekening beschadigd of gewijzigd")
            continue
        verdict.lines.append(_describe(field_name, signature, status, bool(roots)))
        problems = _signature_problems(status, bool(roots))
        for problem in problems:
            verdict.differ(EXIT_SIGNATURE, f"veld '{field_name}': {problem}")
    if verdict.genuine:
        verdict.lines.append(f"echt: {len(signatures)} handtekening(en) intact, het hele document gedekt"
                             + (" en vertrouwd" if roots else "; geef --vertrouw CA.pem om de keten te controleren"))
    return verdict


def _describe(field_name: str, signature: Any, status: Any, checked_chain: bool) -> str:
    subject = status.signing_cert.subject.native
    who = str(subject.get("common_name") or status.signing_cert.subject.human_friendly)
    if subject.get("organization_name"):
        who += f" ({subject['organization_name']})"
    moment = status.signer_reported_dt
    when = moment.astimezone().strftime("%Y-%m-%d %H:%M:%S %Z") if moment else "onbekend tijdstip"
    chain = "keten niet gecontroleerd"
    if checked_chain:
        path = getattr(status, "validation_path", None)
        names = [cert.subject.human_friendly for cert in (path or [])] if path is not None else []
        names.append(status.signing_cert.issuer.human_friendly)
        pki = "PKIoverheid" if any(PKIOVERHEID.search(n) for n in names) else "geen PKIoverheid"
        chain = f"{'vertrouwde' if status.trusted else 'niet vertrouwde'} keten ({pki})"
    return (f"veld '{field_name}': ondertekend door {who} op {when}; "
            f"{'intact' if status.intact and status.valid else 'NIET intact'}; {chain}")


def _signature_problems(status: Any, checked_chain: bool) -> list[str]:
    """Return the Dutch reasons why a signature does not make the document genuine."""
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    problems = []
    if not status.intact:
        problems.append("de ondertekende bytes zijn gewijzigd: de PDF is na ondertekening veranderd")
    elif not status.valid:
        problems.append("de handtekening is ongeldig")
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        modification = getattr(status, "modification_level", None)
        level = getattr(modification, "name", "")
        if status.coverage == SignatureCoverageLevel.ENTIRE_REVISION and level in ("NONE", "LTA_UPDATES", "FORM_FILLING"):
            pass  # a later signature in another field, or validation data: allowed
        else:
            problems.append("de handtekening dekt niet het hele document: er is na ondertekening iets toegevoegd "
                            "of veranderd (een latere bijwerking van de PDF)")
    if checked_chain and status.intact and not status.trusted:
        problems.append("het certificaat leidt niet naar een vertrouwd basiscertificaat (--vertrouw)")
    return problems


def _load_roots(path: Path | str) -> list[Any]:
    """Return the certificates in a PEM (or DER) file; raise InputError when there are none."""
    from asn1crypto import pem, x509

    try:
        data = read_bounded(path, 4 * 1024 * 1024)
    except ReadProblem as err:
        raise InputError(problems=[Problem(str(path), message=str(err))]) from err
    try:
        if pem.detect(data):
            return [x509.Certificate.load(der) for _, _, der in pem.unarmor(data, multiple=True)]
        return [x509.Certificate.load(data)]
    except (ValueError, TypeError) as err:
        raise InputError(problems=[Problem(str(path), message="bevat geen geldig certificaat (PEM of DER)")]) from err


def passphrase_from_environment() -> bytes | None:
    """Return the PKCS#12 password from DOSSIER_CERTIFICAAT_WACHTWOORD, or None."""
    value = os.environ.get("DOSSIER_CERTIFICAAT_WACHTWOORD")
    return value.encode("utf-8") if value is not None else None

