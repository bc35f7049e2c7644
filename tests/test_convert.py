"""Conversions of the .docx: PDF (LibreOffice), Markdown and HTML (pandoc), for every example.

The examples come from the session's one build (``examples_built``): all formats in one call, so all
PDFs in one LibreOffice run, as `dossier build` does.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path

import pytest

from dossier import convert
from dossier.errors import ConversionError
from dossier.pipeline import FORMATS, build_many
from tests.conftest import EXAMPLES, ExampleBuild
from tests.docx_text import docx_text, headings

PAGES = range(5, 41)  # the examples give 11-21 pages (minimaal 11, voorbeeld 1 21)
needs_pdf_tools = pytest.mark.usefixtures("pdf_tools")


def normal(text: str) -> str:
    return " ".join(text.split())


def project_name(example: Path) -> str:
    return json.loads(example.read_text("utf-8"))["project"]["naam"]


def reference(docx: Path) -> str:
    """Return the full dossier reference from the document properties of a built .docx."""
    line = next(line for line in docx_text(docx).splitlines() if line.startswith("[eigenschap kenmerk] "))
    return line.removeprefix("[eigenschap kenmerk] ")


@needs_pdf_tools
def test_every_example_builds_in_every_format(examples_built: ExampleBuild) -> None:
    report = examples_built.report
    assert report.failed == [] and report.errors == []
    for example in EXAMPLES:
        for fmt in FORMATS:
            path = examples_built.file(example, fmt)
            assert path in report.written
            assert path.stat().st_size > 0, path


@needs_pdf_tools
def test_written_files_follow_input_and_format_order(examples_built: ExampleBuild) -> None:
    """Per intake its formats in FORMATS order, then its context dump; intakes in input order."""
    expected = [examples_built.directory / f"{example.stem}.{kind}"
                for example in EXAMPLES for kind in (*FORMATS, "context.json")]
    assert examples_built.report.written == expected
    assert examples_built.report.built == len(EXAMPLES)


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))  # type: ignore[union-attr]


def pdf_text(path: Path) -> str:
    return normal(subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                                 text=True, check=True).stdout)


@needs_pdf_tools
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_pdf_has_pages_name_and_headings(examples_built: ExampleBuild, example: Path) -> None:
    pdf = examples_built.file(example, "pdf")
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert pdf_pages(pdf) in PAGES
    text = pdf_text(pdf)
    assert normal(project_name(example)) in text
    chapters = headings(examples_built.file(example))
    assert len(chapters) >= 11
    for heading in chapters:
        assert normal(heading) in text


@needs_pdf_tools
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_pdf_has_sign_off_and_reference(examples_built: ExampleBuild, example: Path) -> None:
    text = pdf_text(examples_built.file(example, "pdf"))
    assert "Besluit gedeputeerde" in text
    assert f"Dossierreferentie {reference(examples_built.file(example))[:12]}" in text


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_markdown_and_html_contain_every_heading(examples_built: ExampleBuild, example: Path) -> None:
    markdown = normal(examples_built.file(example, "md").read_text("utf-8").replace("\\", ""))
    page = normal(html.unescape(re.sub(r"<[^>]+>", "", examples_built.file(example, "html").read_text("utf-8"))))
    chapters = headings(examples_built.file(example))
    assert len(chapters) >= 11
    for text in (*chapters, project_name(example)):
        assert normal(text) in markdown
        assert normal(text) in page


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_html_is_standalone_dutch_with_title(examples_built: ExampleBuild, example: Path) -> None:
    page = examples_built.file(example, "html").read_text("utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert re.search(r'<html[^>]* lang="nl"', page)
    title = re.search(r"<title>(.*?)</title>", page, re.DOTALL)
    assert title and normal(title.group(1)) == normal(project_name(example).replace("&", "&amp;"))


def test_a_sequential_build_gives_the_same_bytes_and_warnings(examples_built: ExampleBuild, tmp_path: Path) -> None:
    """Markdown, HTML and the context dump of a second build, in this process, equal the session's parallel one."""
    again = build_many([str(p) for p in EXAMPLES], tmp_path, ("md", "html"), dump_context=True, jobs=1)
    assert again.failed == [] and again.errors == []
    assert [path.name for path in again.written] == [f"{example.stem}.{kind}" for example in EXAMPLES
                                                     for kind in ("md", "html", "context.json")]
    for path in again.written:
        assert path.read_bytes() == (examples_built.directory / path.name).read_bytes(), path.name
    assert again.warnings == examples_built.report.warnings


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
def test_pdf_failure_of_one_document_is_reported_and_others_convert(examples_built: ExampleBuild,
                                                                    tmp_path: Path) -> None:
    broken = tmp_path / "kapot.docx"
    broken.write_bytes(b"PK\x03\x04 afgebroken zip")  # LibreOffice: "source file could not be loaded", exit 0
    good = examples_built.file(EXAMPLES[0])
    results = convert.docx_to_pdf([good, broken], convert.find_soffice())
    assert isinstance(results[0], bytes) and results[0].startswith(b"%PDF-")
    assert isinstance(results[1], ConversionError)
    assert "kapot.docx: PDF niet gemaakt" in str(results[1])


@needs_pdf_tools
def test_pdf_timeout_stops_libreoffice(examples_built: ExampleBuild) -> None:
    results = convert.docx_to_pdf([examples_built.file(EXAMPLES[0])], convert.find_soffice(), timeout=0.01)
    assert isinstance(results[0], ConversionError)
    assert "reageerde niet binnen" in str(results[0])


def test_missing_libreoffice_gives_the_install_hint(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ConversionError, match="make pdf-deps"):
        convert.find_soffice()
