"""The model's contracts: the Intake type matches the schema, every enum value has its Dutch label,
the import graph has no cycle, and writers read only the Dossier."""

from __future__ import annotations

import ast
import copy
import importlib.util
import json
import sys
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, NotRequired, get_args, get_origin, get_type_hints

import pytest

from dossier import intake as intake_types
from dossier.knowledge import default_knowledge
from dossier.labels import enums, missing_labels
from dossier.schema import intake_schema
from tests.conftest import ROOT

PACKAGE = ROOT / "dossier"
# Modules that turn a Dossier into something a user reads. They read only the model.
WRITERS = ("context", "check", "clauses", "render", "word", "markdown")
# Modules that read, validate or derive from the raw intake.
RULES_AND_READERS = ("derive", "validate", "load", "pipeline", "labels", "intake", "ids", "schema", "cli")


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location("make_intake_types", ROOT / "tools" / "make_intake_types.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_intake_types"] = module
    spec.loader.exec_module(module)
    return module


# --- the Intake type -------------------------------------------------------------------------

def test_intake_types_are_generated_from_the_current_schema() -> None:
    """dossier/intake.py is exactly what tools/make_intake_types.py writes for the packaged schema."""
    expected = _generator().render(intake_schema())
    assert (PACKAGE / "intake.py").read_text("utf-8") == expected, "run: .venv/bin/python tools/make_intake_types.py"


def _resolve(node: Mapping[str, Any], schema: Mapping[str, Any]) -> Mapping[str, Any]:
    if "$ref" in node:
        target: Any = schema
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        return {**target, **node}
    return node


def _compare(hint: Any, node: Mapping[str, Any], schema: Mapping[str, Any], where: str) -> None:
    """Assert that a type hint describes the schema node: keys, required keys, enums, item types."""
    node = _resolve(node, schema)
    if get_origin(hint) is NotRequired:
        (hint,) = get_args(hint)
    if "enum" in node or "const" in node:
        assert get_origin(hint) is Literal, where
        assert list(get_args(hint)) == (node["enum"] if "enum" in node else [node["const"]]), where
    elif node.get("type") == "array":
        assert get_origin(hint) is list, where
        _compare(get_args(hint)[0], node["items"], schema, where + "/*")
    elif node.get("type") == "object" and "properties" in node:
        assert typing.is_typeddict(hint), where
        assert set(hint.__annotations__) == set(node["properties"]), where
        assert hint.__required_keys__ == frozenset(node.get("required", [])), where
        hints = get_type_hints(hint, include_extras=True)
        for name, child in node["properties"].items():
            _compare(hints[name], child, schema, f"{where}/{name}")
    elif node.get("type") == "object":
        assert get_origin(hint) is dict, where
    else:
        names = {"string": str, "integer": int, "number": float, "boolean": bool}
        kinds = node["type"] if isinstance(node["type"], list) else [node["type"]]
        assert set(get_args(hint) or (hint,)) == {names[k] for k in kinds}, where


def test_intake_type_matches_the_schema_field_by_field() -> None:
    """Every property, required field and enum of the schema is in the TypedDicts, and nothing else."""
    schema = intake_schema()
    _compare(intake_types.Intake, schema, schema, "")


# --- one label per enum value ------------------------------------------------------------------

def test_every_enum_value_of_the_packaged_schema_has_its_dutch_label() -> None:
    assert missing_labels(intake_schema(), default_knowledge().instruments) == []
    assert len(enums()) >= 15


def test_a_new_enum_value_without_label_is_named() -> None:
    """Adding digitale_tweeling to technologie.soorten without labels fails with its name and place."""
    schema = copy.deepcopy(intake_schema())
    kinds = schema["properties"]["technologie"]["properties"]["soorten"]["items"]
    kinds["enum"].append("digitale_tweeling")
    problems = missing_labels(schema)
    assert problems == [
        "/technologie/soorten/*: waarde 'digitale_tweeling' heeft geen label in 'x-labels'",
        "/technologie/soorten/*: waarde 'digitale_tweeling' heeft geen label in 'x-labels-in-zin'",
    ]
    kinds["x-labels"]["digitale_tweeling"] = "Digitale tweeling"
    kinds["x-labels-in-zin"]["digitale_tweeling"] = "een digitale tweeling"
    assert missing_labels(schema) == []


def test_an_enum_without_labels_and_an_unknown_instrument_are_named() -> None:
    schema = copy.deepcopy(intake_schema())
    del schema["properties"]["project"]["properties"]["fase"]["x-labels"]
    schema["properties"]["instrumenten"]["items"]["properties"]["instrument"]["enum"].append("hackathon")
    problems = missing_labels(schema, default_knowledge().instruments)
    assert "/project/fase: enum zonder 'x-labels' (het Nederlandse label van elke waarde)" in problems
    assert "/instrumenten/*/instrument: waarde 'hackathon' staat niet in de kennisbank, dus heeft geen naam" in problems


def test_the_rules_name_technologies_with_the_schema_labels() -> None:
    from dossier import derive

    soorten = intake_schema()["properties"]["technologie"]["properties"]["soorten"]["items"]
    assert dict(derive.TECHNOLOGY_NAMES) == soorten["x-labels-in-zin"]
    assert set(derive.TECHNOLOGY_NAMES) == set(soorten["enum"])


# --- the import graph ----------------------------------------------------------------------------

def _imports(path: Path) -> list[tuple[str, bool]]:
    """Return (own module imported, imported at the top of the file) for every import of a dossier module."""
    tree = ast.parse(path.read_text("utf-8"))
    top = set(map(id, tree.body))
    found = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "dossier":
                names = [alias.name for alias in node.names if (PACKAGE / f"{alias.name}.py").exists()]
            elif node.module.startswith("dossier."):
                names = [node.module.split(".")[1]]
        elif isinstance(node, ast.Import):
            names = [alias.name.split(".")[1] for alias in node.names if alias.name.startswith("dossier.")]
        found += [(name, id(node) in top or _in_type_checking(tree, node)) for name in names]
    return found


def _in_type_checking(tree: ast.Module, target: ast.AST) -> bool:
    return any(isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING" and target in ast.walk(node)
               for node in tree.body)


def import_graph() -> dict[str, set[str]]:
    """Return {module: the package modules it imports}."""
    return {path.stem: {name for name, _ in _imports(path) if name != path.stem}
            for path in sorted(PACKAGE.glob("*.py")) if path.stem != "__main__"}


def test_the_import_graph_has_no_cycle() -> None:
    graph = import_graph()
    state: dict[str, str] = {}

    def visit(module: str, trail: tuple[str, ...]) -> None:
        if state.get(module) == "done":
            return
        assert state.get(module) != "open", "import cycle: " + " -> ".join((*trail, module))
        state[module] = "open"
        for other in sorted(graph.get(module, ())):
            visit(other, (*trail, module))
        state[module] = "done"

    for module in graph:
        visit(module, ())


def test_own_modules_are_imported_at_the_top_except_per_command_in_the_cli() -> None:
    lazy = {path.stem: [name for name, at_top in _imports(path) if not at_top]
            for path in PACKAGE.glob("*.py") if path.stem != "cli"}
    assert {module: names for module, names in lazy.items() if names} == {}


@pytest.mark.parametrize("writer", WRITERS)
def test_writers_import_no_rule_and_never_read_the_raw_intake(writer: str) -> None:
    """A writer imports no rule, reader or validator, and takes no intake: it reads the Dossier."""
    path = PACKAGE / f"{writer}.py"
    assert not import_graph()[writer] & set(RULES_AND_READERS), writer
    tree = ast.parse(path.read_text("utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.arg | ast.Name):
            name = node.arg if isinstance(node, ast.arg) else node.id
            assert name not in ("intake", "raw", "Intake"), f"{writer}.py:{node.lineno} handles an intake ({name})"
        if isinstance(node, ast.Attribute):
            assert node.attr != "intake", f"{writer}.py:{node.lineno} reads .intake"


def test_the_dossier_is_frozen_and_complete_for_every_writer(tmp_path: Path) -> None:
    """The model is immutable, and the context built from it is plain JSON."""
    import dataclasses

    from dossier.context import to_context
    from dossier.pipeline import prepare

    dossier = prepare(ROOT / "examples" / "casus3-bezoekersdata.json")
    with pytest.raises(dataclasses.FrozenInstanceError):
        dossier.open_points = ()  # type: ignore[misc]
    context = to_context(dossier)
    assert json.loads(json.dumps(context)) == context
    assert context["dossier"]["referentie"] == dossier.reference and len(dossier.reference) == 64


# --- exit codes ----------------------------------------------------------------------------------

def test_the_readme_has_the_exit_code_table_of_errors_py() -> None:
    from dossier.errors import EXIT_CODES

    readme = (ROOT / "README.md").read_text("utf-8")
    rows = {int(code.strip().strip("`")): meaning for code, meaning in
            (line.strip("|").split("|")[:2] for line in readme.splitlines() if line.startswith("| `") and "` |" in line)
            if code.strip().strip("`").isdigit()}
    assert {code: meaning.strip() for code, meaning in rows.items()} == EXIT_CODES


def test_an_instrument_the_knowledge_base_lacks_is_an_input_error(tmp_path: Path) -> None:
    """The schema lists instruments; a custom knowledge base without one makes validation say so (no KeyError)."""
    import shutil

    import yaml

    from dossier.errors import InputError
    from dossier.knowledge import load_knowledge
    from dossier.validate import validate

    folder = tmp_path / "kennisbank"
    shutil.copytree(PACKAGE / "knowledge", folder)
    instruments = yaml.safe_load((folder / "instrumenten.yaml").read_text("utf-8"))
    instruments["instrumenten"] = [i for i in instruments["instrumenten"] if i["id"] != "iama"]
    (folder / "instrumenten.yaml").write_text(yaml.safe_dump(instruments, allow_unicode=True), "utf-8")
    needs = yaml.safe_load((folder / "behoeften.yaml").read_text("utf-8"))
    for need in needs["behoeften"]:
        need["instrumenten"] = [i for i in need["instrumenten"] if i != "iama"] or ["deda"]
    (folder / "behoeften.yaml").write_text(yaml.safe_dump(needs, allow_unicode=True), "utf-8")
    knowledge = load_knowledge(folder)
    intake = json.loads((ROOT / "examples" / "minimaal.json").read_text("utf-8"))
    intake["instrumenten"] = [{"instrument": "iama", "motivatie": "Besluiten over personen."}]
    with pytest.raises(InputError) as caught:
        validate(intake, knowledge, "intake.json")
    assert caught.value.lines() == [
        f"intake.json: /instrumenten/0/instrument: instrument 'iama' staat niet in de kennisbank (versie "
        f"{knowledge.version}); toegestaan: {', '.join(knowledge.instruments)}"]


def test_a_schema_value_without_label_stops_validate_and_build_with_its_name(
        run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never 'geldig' from validate and then a KeyError from build: both name the missing label, exit 1."""
    from dossier import labels

    schema = copy.deepcopy(intake_schema())
    schema["properties"]["technologie"]["properties"]["soorten"]["items"]["enum"].append("digitale_tweeling")
    monkeypatch.setattr(labels, "read_intake_schema", lambda: schema)
    labels._by_place.cache_clear()
    try:
        for command in ("validate", "build"):
            code, _, err = run(command, ROOT / "examples" / "minimaal.json", *(["-o", tmp_path] if command == "build" else []))
            assert code == 1, (command, err)
            assert "/technologie/soorten/*: waarde 'digitale_tweeling' heeft geen label in 'x-labels'" in err, command
            assert "interne fout" not in err and "geldig" not in err
    finally:
        labels._by_place.cache_clear()
