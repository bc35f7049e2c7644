"""The command line as a user meets it: Dutch help, documented commands, installable package."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dossier.cli import build_parser
from tests.conftest import EXAMPLES, ROOT

COMMANDS = ["validate", "build", "check", "extract", "values", "instruments", "clauses", "serve"]


def test_every_command_is_in_the_readme_with_help() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    parser = build_parser()
    subcommands = next(a for a in parser._actions if a.dest == "command").choices
    assert sorted(subcommands) == sorted(COMMANDS)
    for name, sub in subcommands.items():
        assert f"dossier {name}" in readme, name
        assert sub.description, name


def test_readme_starts_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    first_block = readme.split("```sh", 1)[1].split("```", 1)[0]
    assert "make dossier" in first_block and "make test" in first_block


def test_help_is_dutch(capsys) -> None:
    from dossier.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("gebruik: dossier") and "opdrachten:" in out and "toon het versienummer" in out


def test_help_text_is_dutch(capsys) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["build", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("gebruik: dossier build")
    assert "opties:" in out and "show this help" not in out


def test_missing_argument_is_a_dutch_usage_error(run) -> None:
    code, _, err = run("check")
    assert code == 2
    assert "de volgende argumenten zijn verplicht" in err


def test_makefile_targets_have_help() -> None:
    makefile = (ROOT / "Makefile").read_text("utf-8")
    assert ".DEFAULT_GOAL := help" in makefile
    for target in ("install", "dossier", "dossiers", "test", "lint", "clauses", "bench", "pdf-deps"):
        assert any(line.startswith(f"{target}:") and "## " in line for line in makefile.splitlines()), target


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_every_example_builds(example: Path, run, tmp_path: Path) -> None:
    code, out, err = run("build", example, "-o", tmp_path)
    assert code == 0, err
    assert (tmp_path / f"{example.stem}.docx").is_file()
    assert out.strip() == str(tmp_path / f"{example.stem}.docx")


def test_python_dash_m_works(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "dossier", "validate", str(EXAMPLES[0])],
                            capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr


def test_non_editable_install_runs_from_any_directory(tmp_path: Path) -> None:
    """`pip install .` ships schemas, knowledge and templates: build a dossier from a foreign directory."""
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                    "--target", str(target), str(ROOT)], check=True, capture_output=True, cwd=tmp_path)
    work = tmp_path / "elders"
    work.mkdir()
    intake = work / "intake.json"
    intake.write_bytes((ROOT / "examples" / "casus3-bezoekersdata.json").read_bytes())
    env = {**os.environ, "PYTHONPATH": str(target)}
    for args in (["validate", "intake.json"], ["build", "intake.json", "-o", "uit"], ["values"]):
        result = subprocess.run([sys.executable, "-m", "dossier", *args], capture_output=True, text=True, cwd=work, env=env)
        assert result.returncode == 0, result.stderr
    assert (work / "uit" / "intake.docx").is_file()
    module = subprocess.run([sys.executable, "-c", "import dossier; print(dossier.__file__)"], capture_output=True,
                            text=True, cwd=work, env=env).stdout
    assert module.startswith(str(target))
