"""Shared fixtures: the example intakes and a way to run the CLI in-process."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dossier.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))


@pytest.fixture
def minimal() -> dict[str, Any]:
    """Return a fresh copy of the minimal valid intake."""
    return copy.deepcopy(json.loads((ROOT / "examples" / "minimaal.json").read_text("utf-8")))


@pytest.fixture
def write_intake(tmp_path: Path) -> Callable[[Any, str], Path]:
    """Return a function that writes an intake to tmp_path and returns its path."""

    def write(data: Any, name: str = "intake.json") -> Path:
        path = tmp_path / name
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2), "utf-8")
        return path

    return write


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """Return a function that runs the CLI in-process: (exit code, stdout, stderr)."""

    def invoke(*args: str) -> tuple[int, str, str]:
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return invoke


@pytest.fixture
def pdf_tools() -> None:
    """Fail, never skip, when LibreOffice or poppler is missing: CI installs them with 'make pdf-deps'."""
    import shutil

    missing = [tool for tool in ("soffice", "pdftotext", "pdfinfo") if not shutil.which(tool)]
    if missing:
        pytest.fail(f"{', '.join(missing)} ontbreekt: installeer LibreOffice en poppler-utils met 'make pdf-deps'")
