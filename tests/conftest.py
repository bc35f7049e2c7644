"""Shared test infrastructure: the examples, one way to run the CLI, and one build of every example.

- ``run`` (fixture): the CLI in-process, ``run("build", path, "-o", out)`` -> ``Result(code, out, err)``.
- ``run_module(...)``: ``python -m dossier`` in a fresh process, for what only a new process shows
  (the cache, an installed copy, a Python without the dependencies).
- ``examples_built`` (session fixture): every example in every format plus its context dump, made by
  one ``build_many`` call the first time a test asks for it. Tests read the files; none rebuilds an example
  unless what it tests is a second build.
- ``minimal`` and ``write_intake``: a fresh copy of ``examples/minimaal.json`` and a way to write a variant.

Reading a .docx: ``tests/docx_text.py``. OOXML schema check: ``tests/ooxml.py``.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from dossier.cli import main
from dossier.pipeline import FORMATS, BuildReport, build_many

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))
MAIN_EXAMPLE = ROOT / "examples" / "casus3-bezoekersdata.json"
MINIMAL_EXAMPLE = ROOT / "examples" / "minimaal.json"


class Result(NamedTuple):
    """What a CLI run gave: exit code, standard output, standard error."""

    code: int
    out: str
    err: str


Run = Callable[..., Result]


@pytest.fixture
def minimal() -> dict[str, Any]:
    """Return a fresh copy of the minimal valid intake."""
    return copy.deepcopy(json.loads(MINIMAL_EXAMPLE.read_text("utf-8")))


@pytest.fixture
def write_intake(tmp_path: Path) -> Callable[..., Path]:
    """Return a function that writes an intake to tmp_path (default name intake.json) and returns its path."""

    def write(data: Any, name: str = "intake.json") -> Path:
        path = tmp_path / name
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2), "utf-8")
        return path

    return write


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    """Return a function that runs the CLI in-process with str() of each argument and returns its Result."""

    def invoke(*args: object) -> Result:
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return invoke


def run_module(*args: object, cwd: Path, env: Mapping[str, str] | None = None, python: str = sys.executable,
               flags: tuple[str, ...] = ()) -> Result:
    """Run ``python [flags] -m dossier ARGS`` in cwd in a new process and return its Result.

    env replaces the environment when given (PYTHONPATH and all); the default is this process's environment.
    """
    result = subprocess.run([python, *flags, "-m", "dossier", *map(str, args)], capture_output=True, text=True,
                            cwd=cwd, env=dict(os.environ if env is None else env), timeout=300, check=False)
    return Result(result.returncode, result.stdout, result.stderr)


@pytest.fixture
def pdf_tools() -> None:
    """Fail, never skip, when LibreOffice or poppler is missing: CI installs them with 'make pdf-deps'."""
    missing = [tool for tool in ("soffice", "pdftotext", "pdfinfo") if not shutil.which(tool)]
    if missing:
        pytest.fail(f"{', '.join(missing)} ontbreekt: installeer LibreOffice en poppler-utils met 'make pdf-deps'")


@dataclass(frozen=True)
class ExampleBuild:
    """The output of one build of every example: the directory, the report, and the paths in it."""

    directory: Path
    report: BuildReport
    paths: tuple[Path, ...]

    def file(self, example: Path, kind: str = "docx") -> Path:
        """Return the built file of an example: kind is a format (docx, pdf, md, html) or "context.json".

        Fails the calling test, naming what went wrong in the build, when the file was not written.
        """
        path = self.directory / f"{example.stem}.{kind}"
        if not path.is_file():
            problems = [line for _, error in self.report.failed for line in error.lines()]
            problems += [line for error in self.report.errors for line in error.lines()]
            pytest.fail(f"{path.name} is niet gemaakt:\n" + "\n".join(problems))
        return path


@pytest.fixture(scope="session")
def examples_built(tmp_path_factory: pytest.TempPathFactory) -> ExampleBuild:
    """Build every example in every format, with --dump-context, in one build_many call (two workers).

    Two workers, also on one core, so that comparing with a sequential build compares the two ways of building.
    The fixture does not fail when something is missing; ExampleBuild.file and the tests that read the
    report do, with the reason.
    """
    directory = tmp_path_factory.mktemp("voorbeelden")
    paths = tuple(EXAMPLES)
    report = build_many([str(p) for p in paths], directory, FORMATS, dump_context=True, jobs=2)
    return ExampleBuild(directory, report, paths)
