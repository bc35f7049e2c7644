"""Digital signatures: empty fields at the signature block, PAdES signing, and verification that names tampering.

The tests make their own CA with ``cryptography``; nothing needs the internet.
"""

from __future__ import annotations

import datetime
import io
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from dossier.errors import EXIT_SIGNATURE
from dossier.sign import signature_boxes
from tests.conftest import ROOT

EXAMPLE = ROOT / "examples" / "minimaal.json"
PASSWORD = "geheim-voor-de-test"


def _name(common: str, organisation: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation)])


def _certificate(subject: x509.Name, issuer: x509.Name, key: Any, issuer_key: Any, ca: bool) -> x509.Certificate:
    now = datetime.datetime.now(datetime.UTC)
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(key.public_key())
               .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
               .not_valid_after(now + datetime.timedelta(days=30))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
               .add_extension(x509.KeyUsage(digital_signature=not ca, content_commitment=not ca, key_encipherment=False,
                                            data_encipherment=False, key_agreement=False, key_cert_sign=ca,
                                            crl_sign=ca, encipher_only=False, decipher_only=False), critical=True))
    return builder.sign(issuer_key, hashes.SHA256())


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Return a test CA (PEM), another CA (PEM) and a signer's PKCS#12 issued by the first."""
    directory = tmp_path_factory.mktemp("pki")
    root_key, other_key, signer_key = (ec.generate_private_key(ec.SECP256R1()) for _ in range(3))
    root_name = _name("Test-CA Provincie", "Testprovincie")
    root = _certificate(root_name, root_name, root_key, root_key, ca=True)
    other_name = _name("Andere CA", "Elders")
    other = _certificate(other_name, other_name, other_key, other_key, ca=True)
    signer = _certificate(_name("J. de Vries", "Testprovincie"), root_name, signer_key, root_key, ca=False)
    (directory / "ca.pem").write_bytes(root.public_bytes(serialization.Encoding.PEM))
    (directory / "andere-ca.pem").write_bytes(other.public_bytes(serialization.Encoding.PEM))
    (directory / "ondertekenaar.p12").write_bytes(pkcs12.serialize_key_and_certificates(
        b"ondertekenaar", signer_key, signer, [root],
        serialization.BestAvailableEncryption(PASSWORD.encode())))
    return {"ca": directory / "ca.pem", "andere": directory / "andere-ca.pem",
            "p12": directory / "ondertekenaar.p12"}


@pytest.fixture(scope="module")
def unsigned(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    import shutil

    if not shutil.which("soffice") or not shutil.which("pdftotext"):
        pytest.fail("LibreOffice en poppler zijn nodig: installeer ze met 'make pdf-deps'")
    out = tmp_path_factory.mktemp("pdf")
    subprocess.run([sys.executable, "-m", "dossier", "build", str(EXAMPLE), "-o", str(out), "--format", "pdf"],
                   check=True, capture_output=True, cwd=ROOT)
    return (out / "minimaal.pdf").read_bytes()


@pytest.fixture
def signed(unsigned: bytes, pki: dict[str, Path], tmp_path: Path, run, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DOSSIER_CERTIFICAAT_WACHTWOORD", PASSWORD)
    target = tmp_path / "dossier.pdf"
    target.write_bytes(unsigned)
    code, _, err = run("onderteken", target, "--certificaat", pki["p12"], "--rol", "gedeputeerde")
    assert code == 0, err
    assert "ondertekend in veld 'gedeputeerde'" in err
    return target


def test_the_pdf_has_empty_signature_fields_at_the_signature_lines(unsigned: bytes, run, tmp_path: Path) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.fields import enumerate_sig_fields

    reader = PdfFileReader(io.BytesIO(unsigned))
    fields = {name: value for name, value, _ in enumerate_sig_fields(reader)}
    assert fields == {"gedeputeerde": None, "ambtelijk_opdrachtgever": None}
    boxes = signature_boxes(unsigned)
    (page_g, box_g), (page_a, box_a) = boxes["gedeputeerde"], boxes["ambtelijk_opdrachtgever"]
    assert page_g == page_a
    assert box_g[2] <= box_a[0]  # the gedeputeerde signs left, the ambtelijk opdrachtgever right
    (tmp_path / "leeg.pdf").write_bytes(unsigned)
    page_text = subprocess.run(["pdftotext", "-f", str(page_g + 1), "-l", str(page_g + 1), str(tmp_path / "leeg.pdf"),
                                "-"], capture_output=True, text=True, check=True).stdout
    assert "Ondertekening" in page_text and "Handtekening:" in page_text
    code, out, _ = run("verify", tmp_path / "leeg.pdf")
    assert code == EXIT_SIGNATURE and "niet ondertekend (lege velden: gedeputeerde, ambtelijk_opdrachtgever)" in out


def test_a_signed_pdf_verifies_as_intact_and_trusted(signed: Path, pki: dict[str, Path], run) -> None:
    code, out, err = run("verify", signed, "--vertrouw", pki["ca"])
    assert code == 0, out + err
    assert re.search(r"veld 'gedeputeerde': ondertekend door .*J\. de Vries.* op \d{4}-\d\d-\d\d", out)
    assert "intact; vertrouwde keten (geen PKIoverheid)" in out
    assert "veld 'ambtelijk_opdrachtgever': nog niet ondertekend" in out
    assert "echt: 1 handtekening(en) intact, het hele document gedekt en vertrouwd" in out


def test_a_signature_from_another_root_is_not_trusted(signed: Path, pki: dict[str, Path], run) -> None:
    code, out, _ = run("verify", signed, "--vertrouw", pki["andere"])
    assert code == EXIT_SIGNATURE
    assert "niet vertrouwde keten" in out and "leidt niet naar een vertrouwd basiscertificaat" in out


def test_both_roles_can_sign_one_after_the_other(signed: Path, pki: dict[str, Path], run) -> None:
    code, _, err = run("onderteken", signed, "--certificaat", pki["p12"], "--rol", "ambtelijk_opdrachtgever")
    assert code == 0, err
    code, out, _ = run("verify", signed, "--vertrouw", pki["ca"])
    assert code == 0, out
    assert out.count("intact; vertrouwde keten") == 2 and "echt: 2 handtekening(en)" in out


def test_a_field_is_signed_once(signed: Path, pki: dict[str, Path], run) -> None:
    code, _, err = run("onderteken", signed, "--certificaat", pki["p12"], "--rol", "gedeputeerde")
    assert code == 1 and "het veld 'gedeputeerde' is al ondertekend" in err


def test_a_wrong_password_is_a_dutch_error(unsigned: bytes, pki: dict[str, Path], run, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOSSIER_CERTIFICAAT_WACHTWOORD", "fout")
    (tmp_path / "d.pdf").write_bytes(unsigned)
    code, _, err = run("onderteken", tmp_path / "d.pdf", "--certificaat", pki["p12"], "--rol", "gedeputeerde")
    assert code == 1 and "certificaat kan niet worden gelezen" in err and "Traceback" not in err
    assert (tmp_path / "d.pdf").read_bytes() == unsigned


def test_one_changed_byte_is_detected(signed: Path, pki: dict[str, Path], run) -> None:
    data = bytearray(signed.read_bytes())
    stream = data.find(b"stream\n", len(data) // 3)  # a byte inside page content, covered by the signature
    data[stream + 20] ^= 0x01
    signed.write_bytes(bytes(data))
    code, out, _ = run("verify", signed, "--vertrouw", pki["ca"])
    assert code == EXIT_SIGNATURE
    assert "veld 'gedeputeerde':" in out
    assert "gewijzigd" in out or "beschadigd" in out or "veranderd" in out
    assert "echt" not in out


def test_an_incremental_update_that_changes_text_is_detected(signed: Path, pki: dict[str, Path], run) -> None:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(signed.read_bytes()))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    forged = generic.StreamObject(stream_data=b"BT /F1 24 Tf 100 700 Td (Gereed voor besluit) Tj ET")
    page["/Contents"] = writer.add_object(forged)
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    signed.write_bytes(out.getvalue())
    code, report, _ = run("verify", signed, "--vertrouw", pki["ca"])
    assert code == EXIT_SIGNATURE
    assert "dekt niet het hele document" in report and "echt" not in report


def test_the_pdf_is_reproducible_with_the_intake_date(unsigned: bytes, tmp_path: Path) -> None:
    import os

    env = {**os.environ}
    env.pop("SOURCE_DATE_EPOCH", None)
    subprocess.run([sys.executable, "-m", "dossier", "build", str(EXAMPLE), "-o", str(tmp_path / "a"), "--format",
                    "pdf"], check=True, capture_output=True, cwd=ROOT, env=env)
    again = (tmp_path / "a" / "minimaal.pdf").read_bytes()
    assert again == unsigned
    info = subprocess.run(["pdfinfo", str(tmp_path / "a" / "minimaal.pdf")], capture_output=True, text=True,
                          check=True).stdout
    assert re.search(r"CreationDate:\s+Fri Mar 14 00:00:00 2025 UTC", info), info
    subprocess.run([sys.executable, "-m", "dossier", "build", str(EXAMPLE), "-o", str(tmp_path / "b"), "--format",
                    "pdf"], check=True, capture_output=True, cwd=ROOT, env={**env, "SOURCE_DATE_EPOCH": "86400"})
    info = subprocess.run(["pdfinfo", str(tmp_path / "b" / "minimaal.pdf")], capture_output=True, text=True,
                          check=True).stdout
    assert re.search(r"CreationDate:\s+Fri Jan  2 00:00:00 1970 UTC", info), info
