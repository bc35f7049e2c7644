"""The command line as a user meets it: Dutch help, documented commands, installable package."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from dossier.cli import build_parser
from tests.conftest import EXAMPLES, ROOT, Result, Run, run_module

COMMANDS = ["validate", "build", "check", "extract", "verify", "onderteken", "choices", "values", "instruments",
            "clauses", "serve"]


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


def test_missing_argument_is_a_dutch_usage_error(run: Run) -> None:
    code, _, err = run("check")
    assert code == 2
    assert "de volgende argumenten zijn verplicht" in err


def test_makefile_targets_have_help() -> None:
    makefile = (ROOT / "Makefile").read_text("utf-8")
    assert ".DEFAULT_GOAL := help" in makefile
    readme = (ROOT / "README.md").read_text("utf-8")
    in_readme = set(re.findall(r"`make ([a-z-]+)", readme))
    assert {"dossier", "test", "check", "validate", "test-deps"} <= in_readme
    for target in in_readme | {"install", "dossier", "dossiers", "test", "lint", "clauses", "bench", "pdf-deps"}:
        assert any(line.startswith(f"{target}:") and "## " in line for line in makefile.splitlines()), target


def test_readme_says_how_to_reach_the_cli_and_what_make_test_needs() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    setup = readme.split("## Voor wie", 1)[0]
    assert "source .venv/bin/activate" in setup and ".venv/bin/dossier" in setup
    assert "LibreOffice" in setup and "poppler" in setup and "make test-deps" in setup


def make(*args: str) -> Result:
    """Run a make target of the checkout with this test's Python environment, never (re)installing it."""
    result = subprocess.run(["make", "--no-print-directory", "-o", ".venv/.installed", f"BIN={Path(sys.executable).parent}",
                             *args], capture_output=True, text=True, cwd=ROOT, timeout=120, check=False)
    return Result(result.returncode, result.stdout, result.stderr)


def test_make_validate_and_check_run_the_commands(tmp_path: Path) -> None:
    code, out, err = make("validate", f"INTAKE={ROOT / 'examples' / 'minimaal.json'}")
    assert code == 0 and err.endswith("minimaal.json: geldig\n"), err
    code, out, err = make("check", "INTAKE=examples/casus3-bezoekersdata.json")
    assert code == 0, err  # open points (dossier's exit code 3) are the answer, not a failure of make
    assert re.search(r"\nNiet gereed: \d+ open punten?\.$", out.rstrip()), out
    broken = tmp_path / "kapot.json"
    broken.write_text("{", "utf-8")
    code, _, err = make("check", f"INTAKE={broken}")
    assert code != 0 and f"{broken}:" in err


def test_python_dash_m_works(tmp_path: Path) -> None:
    assert run_module("validate", EXAMPLES[0], cwd=tmp_path) == (0, "", f"{EXAMPLES[0]}: geldig\n")


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
        code, _, err = run_module(*args, cwd=work, env=env)
        assert code == 0, err
    assert (work / "uit" / "intake.docx").is_file()
    module = subprocess.run([sys.executable, "-c", "import dossier; print(dossier.__file__)"], capture_output=True,
                            text=True, cwd=work, env=env).stdout
    assert module.startswith(str(target))


# --- a Python without the dependencies --------------------------------------------------------

def test_python_without_the_dependencies_names_them_and_the_fix() -> None:
    """-S: no site-packages (so none of the dependencies), -E: no PYTHONPATH; the source tree is the working dir."""
    code, out, err = run_module("validate", "examples/minimaal.json", cwd=ROOT, flags=("-E", "-S"))
    assert (code, out) == (1, "")
    assert "Traceback" not in err and "interne fout" not in err, err
    assert "'jsonschema'" in err and "'python-docx'" in err and "ontbreken in deze Python" in err
    assert f"'make install' in {ROOT}" in err and f"{ROOT}/.venv/bin/dossier" in err
    assert f"-m pip install -e {ROOT}" in err


def test_a_package_that_fails_to_import_is_a_user_error_and_any_other_module_a_bug(
        run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """The console script: an import of a missing dependency (here simulated) is named; a missing own module is a bug."""
    import dossier.validate

    def missing(name: str) -> Callable[..., None]:
        def fail(*args: object, **kwargs: object) -> None:
            raise ModuleNotFoundError(f"No module named '{name}'", name=name)
        return fail

    monkeypatch.setattr(dossier.validate, "validate_files", missing("docxtpl"))
    code, out, err = run("validate", EXAMPLES[0])
    assert (code, out) == (1, "")
    assert err.startswith(f"dossier: het Python-pakket 'docxtpl' ontbreekt in deze Python ({sys.executable}).\n")
    monkeypatch.setattr(dossier.validate, "validate_files", missing("dossier.vorm"))
    monkeypatch.delenv("DOSSIER_DEBUG", raising=False)
    code, out, err = run("validate", EXAMPLES[0])
    assert code == 70 and "interne fout in dossier (ModuleNotFoundError" in err


def test_missing_message_outside_a_checkout_says_what_to_pip_install(tmp_path: Path) -> None:
    from dossier.dependencies import missing_message

    message = missing_message(["PyYAML", "jsonschema"], "/usr/bin/python3", tmp_path)
    assert message == ("dossier: de Python-pakketten 'PyYAML', 'jsonschema' ontbreken in deze Python (/usr/bin/python3).\n"
                       "Installeer ze in deze Python: /usr/bin/python3 -m pip install PyYAML jsonschema")


def test_the_package_list_covers_every_import_and_every_dependency() -> None:
    """A new dependency in pyproject.toml or a new third-party import must be added to dossier.dependencies."""
    import ast
    import tomllib

    from dossier.dependencies import IMPORTED_BY_OTHERS, PACKAGES

    declared = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["dependencies"]
    names = {re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0] for requirement in declared}
    assert names <= set(PACKAGES.values()), names - set(PACKAGES.values())
    imported = set()
    for source in (ROOT / "dossier").rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    third_party = {name for name in imported if name not in sys.stdlib_module_names and name != "dossier"}
    assert third_party | IMPORTED_BY_OTHERS == set(PACKAGES), (third_party | IMPORTED_BY_OTHERS) ^ set(PACKAGES)
