"""Conversions of the .docx: PDF (LibreOffice), Markdown and HTML (pandoc), for every example.

All examples go to PDF in one LibreOffice run (a module-scoped build), as `dossier build` does.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path

import docx
import pytest

from dossier import convert
from dossier.errors import ConversionError
from dossier.pipeline import FORMATS, BuildReport, build_many
from tests.conftest import EXAMPLES

PAGES = range(5, 41)  # the examples give 11-21 pages (minimaal 11, voorbeeld 1 21)
needs_pdf_tools = pytest.mark.usefixtures("pdf_tools")


def heading_1(document: Path) -> list[str]:
    """Return the Heading 1 ('Kop 1') texts of a .docx, read independently of dossier.convert."""
    return [p.text for p in docx.Document(str(document)).paragraphs
            if p.style is not None and (p.style.name or "").startswith(("Heading 1", "Kop 1"))]


def normal(text: str) -> str:
    return " ".join(text.split())


def project_name(example: Path) -> str:
    return json.loads(example.read_text("utf-8"))["project"]["naam"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    """Build every example in every format with one call: (output dir, report)."""
    out = tmp_path_factory.mktemp("alle-formaten")
    report = build_many([str(p) for p in EXAMPLES], out, FORMATS)
    assert report.failed == [] and report.errors == []
    return out, report


def output(built: tuple[Path, BuildReport], example: Path, fmt: str) -> Path:
    return built[0] / f"{example.stem}.{fmt}"


@needs_pdf_tools
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_format_is_written(built: tuple[Path, BuildReport], example: Path) -> None:
    for fmt in FORMATS:
        path = output(built, example, fmt)
        assert path in built[1].written
        assert path.stat().st_size > 0, path


def test_written_files_follow_input_and_format_order(built: tuple[Path, BuildReport]) -> None:
    expected = [built[0] / f"{example.stem}.{fmt}" for example in EXAMPLES for fmt in FORMATS]
    assert built[1].written == expected
    assert built[1].built == len(EXAMPLES)


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))  # type: ignore[union-attr]


def pdf_text(path: Path) -> str:
    return normal(subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                                 text=True, check=True).stdout)


@needs_pdf_tools
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_pdf_has_pages_name_and_headings(built: tuple[Path, BuildReport], example: Path) -> None:
    pdf = output(built, example, "pdf")
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert pdf_pages(pdf) in PAGES
    text = pdf_text(pdf)
    assert normal(project_name(example)) in text
    for heading in heading_1(output(built, example, "docx")):
        assert normal(heading) in text


@needs_pdf_tools
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_pdf_has_sign_off(built: tuple[Path, BuildReport], example: Path) -> None:
    assert "Besluit gedeputeerde" in pdf_text(output(built, example, "pdf"))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_markdown_and_html_contain_every_heading(built: tuple[Path, BuildReport], example: Path) -> None:
    markdown = normal(output(built, example, "md").read_text("utf-8").replace("\\", ""))
    page = normal(html.unescape(re.sub(r"<[^>]+>", "", output(built, example, "html").read_text("utf-8"))))
    for text in (*heading_1(output(built, example, "docx")), project_name(example)):
        assert normal(text) in markdown
        assert normal(text) in page


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_html_is_standalone_dutch_with_title(built: tuple[Path, BuildReport], example: Path) -> None:
    page = output(built, example, "html").read_text("utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert re.search(r'<html[^>]* lang="nl"', page)
    title = re.search(r"<title>(.*?)</title>", page, re.DOTALL)
    assert title and normal(title.group(1)) == normal(project_name(example).replace("&", "&amp;"))


def test_markdown_and_html_are_byte_identical_across_builds(built: tuple[Path, BuildReport],
                                                             tmp_path: Path) -> None:
    again = build_many([str(p) for p in EXAMPLES], tmp_path, ("md", "html"))
    assert again.failed == [] and again.written
    for path in again.written:
        assert path.read_bytes() == (built[0] / path.name).read_bytes(), path.name


# --- dossier.convert on its own ---------------------------------------------------------------

def test_check_headings_names_what_is_missing() -> None:
    convert.check_headings(["Waarden & *afweging*"], b"# Waarden &amp; \\*afweging\\*\n", "md", "x.docx")
    convert.check_headings(["A & B"], b"<h1>A &amp; <em>B</em></h1>", "html", "x.docx")
    with pytest.raises(ConversionError, match="'Besluit gedeputeerde'"):
        convert.check_headings(["Inleiding", "Besluit gedeputeerde"], b"# Inleiding\n", "md", "x.docx")


def test_source_date_epoch() -> None:
    assert convert.source_date_epoch("1970-01-02") == 86400
    assert convert.source_date_epoch(None) == 0
    assert convert.source_date_epoch("geen datum") == 0


@needs_pdf_tools
def test_pdf_failure_of_one_document_is_reported_and_others_convert(built: tuple[Path, BuildReport],
                                                                    tmp_path: Path) -> None:
    broken = tmp_path / "kapot.docx"
    broken.write_bytes(b"PK\x03\x04 afgebroken zip")  # LibreOffice: "source file could not be loaded", exit 0
    good = output(built, EXAMPLES[0], "docx")
    results = convert.docx_to_pdf([good, broken], convert.find_soffice())
    assert isinstance(results[0], bytes) and results[0].startswith(b"%PDF-")
    assert isinstance(results[1], ConversionError)
    assert "kapot.docx: PDF niet gemaakt" in str(results[1])


@needs_pdf_tools
def test_pdf_timeout_stops_libreoffice(built: tuple[Path, BuildReport]) -> None:
    results = convert.docx_to_pdf([output(built, EXAMPLES[0], "docx")], convert.find_soffice(), timeout=0.01)
    assert isinstance(results[0], ConversionError)
    assert "reageerde niet binnen" in str(results[0])


def test_missing_libreoffice_gives_the_install_hint(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ConversionError, match="make pdf-deps"):
        convert.find_soffice()
