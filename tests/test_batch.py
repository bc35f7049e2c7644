"""`dossier build` with several intakes: going on past failures, order, summary, formats, progress."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, MINIMAL_EXAMPLE, ROOT, Run
from tests.docx_text import document_text

CASUS1 = ROOT / "examples" / "casus1-ammoniak-sensoren.json"
MINIMAAL = MINIMAL_EXAMPLE


def test_batch_goes_on_past_a_broken_intake(run: Run, tmp_path: Path) -> None:
    broken = tmp_path / "kapot.json"
    broken.write_text('{"schema_versie": "1.0", "project": {', "utf-8")
    out = tmp_path / "uit"
    code, stdout, stderr = run("build", MINIMAAL, broken, CASUS1, "-o", out, "--format", "docx,md")
    assert code == 1
    assert stdout.splitlines() == [str(out / name) for name in (
        "minimaal.docx", "minimaal.md", "casus1-ammoniak-sensoren.docx", "casus1-ammoniak-sensoren.md")]
    assert "2 dossier(s) volledig gemaakt, 1 mislukt." in stderr
    assert f"mislukt: {broken}:" in stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(Path(line).name for line in stdout.splitlines())


def test_output_follows_input_order(run: Run, tmp_path: Path) -> None:
    """Three intakes against sorted order, on two workers: the list follows the command line, not completion.

    Every example is built through build_many once per session (tests/test_convert.py); this is the CLI on top.
    """
    paths = [EXAMPLES[-1], MINIMAAL, EXAMPLES[0]]
    code, stdout, stderr = run("build", *paths, "-o", tmp_path)
    assert code == 0, stderr
    assert stdout.splitlines() == [str(tmp_path / f"{p.stem}.docx") for p in paths]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{p.stem}.docx" for p in paths)
    assert stderr.strip().endswith("3 dossier(s) volledig gemaakt, 0 mislukt.")


def test_same_stem_twice_fails_the_second_and_keeps_the_first(run: Run, tmp_path: Path) -> None:
    for folder, example in (("a", MINIMAAL), ("b", CASUS1)):
        (tmp_path / folder).mkdir()
        shutil.copy(example, tmp_path / folder / "project.json")
    first, second = tmp_path / "a" / "project.json", tmp_path / "b" / "project.json"
    code, stdout, stderr = run("build", first, second, "-o", tmp_path / "uit")
    assert code == 1
    assert stdout.splitlines() == [str(tmp_path / "uit" / "project.docx")]
    assert f"{second}: heeft dezelfde bestandsnaam als {first}" in stderr
    text = document_text(tmp_path / "uit" / "project.docx")
    assert "Dashboard energieverbruik provinciale gebouwen" in text  # minimaal's project, not casus 1's
    assert "ammoniak" not in text.lower()  # casus 1 is about ammonia sensors


def test_missing_libreoffice_gives_one_hint_and_writes_the_other_formats(
        run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice here
    code, stdout, stderr = run("build", MINIMAAL, "-o", tmp_path / "uit", "--format", "docx,pdf,md,html")
    assert code == 1
    assert stderr.count("make pdf-deps") == 1
    assert "LibreOffice ontbreekt" in stderr
    assert stdout.splitlines() == [str(tmp_path / "uit" / f"minimaal.{fmt}") for fmt in ("docx", "md", "html")]
    assert not (tmp_path / "uit" / "minimaal.pdf").exists()


def test_pdf_only_without_libreoffice_does_not_claim_success(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice here
    code, stdout, stderr = run("build", MINIMAAL, CASUS1, "-o", tmp_path / "uit", "--format", "pdf")
    assert code == 1
    assert stdout == ""
    assert "0 dossier(s) volledig gemaakt" in stderr
    assert "LibreOffice ontbreekt" in stderr and "andere formaten" not in stderr
    assert list((tmp_path / "uit").iterdir()) == []


@pytest.mark.parametrize(("formats", "message"), [("docx,xml", "onbekend formaat 'xml'"),
                                                   ("pdf,docs", "onbekend formaat 'docs'"),
                                                   (",", "geen formaat opgegeven")])
def test_unknown_or_no_format_is_a_usage_error(run: Run, tmp_path: Path, formats: str, message: str) -> None:
    code, stdout, stderr = run("build", MINIMAAL, "-o", tmp_path, "--format", formats)
    assert code == 2
    assert message in stderr
    assert stdout == ""
    assert list(tmp_path.iterdir()) == []


def test_quiet_when_stderr_is_not_a_terminal(run: Run, tmp_path: Path) -> None:
    code, _, stderr = run("build", MINIMAAL, CASUS1, "-o", tmp_path)
    assert code == 0
    assert "[1/2]" not in stderr
    assert stderr.strip().endswith("2 dossier(s) volledig gemaakt, 0 mislukt.")


@pytest.mark.usefixtures("pdf_tools")
def test_pdf_only_shows_progress_on_a_terminal_and_publishes_only_pdf(
        run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    code, stdout, stderr = run("build", MINIMAAL, CASUS1, "-o", tmp_path, "--format", "pdf")
    assert code == 0, stderr
    assert stdout.splitlines() == [str(tmp_path / "minimaal.pdf"), str(tmp_path / "casus1-ammoniak-sensoren.pdf")]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["casus1-ammoniak-sensoren.pdf", "minimaal.pdf"]
    assert "[1/2]" in stderr and "[2/2]" in stderr
    assert "PDF maken van 2 dossier(s)" in stderr


def test_a_bug_on_one_intake_does_not_stop_the_batch(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An unexpected exception in one intake is reported as an internal error; the others are built."""
    import dossier.render

    real = dossier.render.render_dossier

    def flaky(dossier_model):
        if dossier_model.project.name.startswith("Dashboard"):
            raise RuntimeError("kapot")
        return real(dossier_model)

    monkeypatch.setattr(dossier.render, "render_dossier", flaky)
    monkeypatch.delenv("DOSSIER_DEBUG", raising=False)
    code, out, err = run("build", *EXAMPLES[:2], MINIMAAL, "-o", tmp_path)
    assert code == 70  # a bug exits 70 in build as in every other command
    assert "interne fout in dossier (RuntimeError: kapot)" in err
    assert "mislukt: " in err and "minimaal.json" in err
    assert out.splitlines() == [str(tmp_path / f"{p.stem}.docx") for p in EXAMPLES[:2]]
    assert not (tmp_path / "minimaal.docx").exists()
