"""The hot paths do work proportional to the intake (operation counts, never timers) and the fast paths
give exactly what the slow ones they replace give. Speed itself is measured by `make bench`."""

from __future__ import annotations

import copy
import io
import json
import sys
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docxtpl import DocxTemplate
from lxml import etree

from dossier import derive as derive_module
from dossier.derive import derive
from dossier.knowledge import default_knowledge
from dossier.pipeline import prepare
from dossier.render import hyperlink_ids, load_template, render_dossier
from dossier.validate import validate
from dossier.word import template_class as _template_class
from tests.conftest import ROOT

MAIN_EXAMPLE = ROOT / "examples" / "casus3-bezoekersdata.json"
STAMP = load_template().stamp  # derive makes a dossier for a template


def grown(base: dict[str, Any], n: int) -> dict[str, Any]:
    """Return base plus n own values, reasons for and against, measures, third-party data sources and links."""
    intake = copy.deepcopy(base)
    for number in range(n):
        value_id = f"groei_{number}"
        intake["waarden"].append({"eigen": {"id": value_id, "naam": f"Groeiwaarde {number}",
                                            "vraag": f"Hoe speelt groeiwaarde {number}?"}, "antwoord": "Zo."})
        intake["afweging"].append({"richting": "onwenselijk" if number % 2 else "wenselijk",
                                   "waarden": [value_id, "privacy"], "omdat": f"reden {number}."})
        intake.setdefault("handelingsopties", []).append({"maatregel": f"Maatregel {number}", "waarden": [value_id]})
        intake["technologie"].setdefault("databronnen", []).append(
            {"naam": f"Bron {number}", "herkomst": "derde_partij"})
        intake["project"]["beschrijving"] += f"\n\n[bron {number}](https://example.org/{number})"
    return intake


def counted_calls(action: Callable[[], object]) -> int:
    """Return how many Python and C function calls action makes."""
    calls = 0

    def count(frame: Any, event: str, arg: Any) -> None:
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    sys.setprofile(count)
    try:
        action()
    finally:
        sys.setprofile(None)
    return calls


@pytest.fixture(scope="module")
def base() -> dict[str, Any]:
    return json.loads(MAIN_EXAMPLE.read_text("utf-8"))


def test_derivation_does_linear_work(base: dict[str, Any]) -> None:
    knowledge = default_knowledge()
    sizes = (100, 200, 400)
    intakes = [grown(base, n) for n in sizes]
    for intake in intakes:
        validate(intake, knowledge, "groei.json")  # the grown intakes are real, valid intakes
    calls = [counted_calls(lambda intake=intake: derive(intake, knowledge, STAMP)) for intake in intakes]
    # Linear work adds the same amount per added item: doubling the added items doubles the added calls
    # (a quadratic step would make the second increase about four times the first).
    growth = (calls[2] - calls[1]) / (calls[1] - calls[0])
    assert 1.8 < growth < 2.2, calls


def test_value_lookups_are_made_once_per_item(base: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    knowledge = default_knowledge()
    counts: Counter[str] = Counter()
    own_value_id, value_names = derive_module.own_value_id, derive_module.value_names

    def counting_own_value_id(item: Any) -> str:
        counts["own_value_id"] += 1
        return own_value_id(item)

    def counting_value_names(intake: Any, knowledge: Any) -> dict[str, str]:
        counts["value_names"] += 1
        return value_names(intake, knowledge)

    monkeypatch.setattr(derive_module, "own_value_id", counting_own_value_id)
    monkeypatch.setattr(derive_module, "value_names", counting_value_names)
    per_size = {}
    for n in (50, 500):
        counts.clear()
        derive(grown(base, n), knowledge, STAMP)
        per_size[n] = dict(counts)
    assert per_size[50]["value_names"] == per_size[500]["value_names"], "the name map is built per derivation"
    # each own value's id is computed a fixed number of times, whatever the number of values
    assert per_size[500]["own_value_id"] / 500 == pytest.approx(per_size[50]["own_value_id"] / 50, rel=0.05)


def test_hyperlink_ids_are_the_ids_python_docx_gives() -> None:
    template = load_template()
    urls = ["https://a.example", "https://b.example", "https://a.example", "mailto:x@example.org",
            "https://c.example", "https://b.example"]
    ours, theirs = Document(io.BytesIO(template.data)), Document(io.BytesIO(template.data))
    for document in (ours, theirs):  # a gap in the numbering, and a link the template already has
        document.part.rels.add_relationship("http://example.org/x", "x.xml", "rId40", is_external=True)
        document.part.relate_to("https://b.example", hyperlink_type(), is_external=True)
    link = hyperlink_ids(ours.part)
    assert [link(url) for url in urls] == [theirs.part.relate_to(url, hyperlink_type(), is_external=True)
                                           for url in urls]
    assert ours.part.rels.xml == theirs.part.rels.xml


def hyperlink_type() -> str:
    from docx.opc.constants import RELATIONSHIP_TYPE

    return str(RELATIONSHIP_TYPE.HYPERLINK)


def test_hyperlinks_are_not_looked_up_by_scanning(base: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    from docx.opc.rel import Relationships

    scans = Counter[str]()
    original = Relationships._get_matching

    def counting(self: Any, *args: Any, **kwargs: Any) -> Any:
        scans["scan"] += 1
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Relationships, "_get_matching", counting)
    knowledge = default_knowledge()
    intake = grown(base, 40)
    document, _ = render_dossier(derive(intake, knowledge, load_template().stamp))
    assert document.startswith(b"PK")
    assert scans["scan"] <= 2, "each hyperlink scanned every relationship (quadratic)"


LISTING = ('<w:body xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
           '<w:p><w:pPr><w:pStyle w:val="A"/></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t>een\ntwee\tdrie</w:t></w:r>'
           '<w:r><w:t xml:space="preserve">vier\afijf</w:t></w:r></w:p>'
           '<w:p><w:r><w:t>zonder</w:t></w:r></w:p><w:p><w:r><w:t>zes\fzeven</w:t></w:r></w:p>'
           '<w:tbl><w:tr><w:tc><w:p><w:r><w:t>cel\nregel</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body>')


@pytest.mark.parametrize("xml", [LISTING, LISTING.replace("\n", " ").replace("\t", " ").replace("\a", " ")
                                 .replace("\f", " ")], ids=["with", "without"])
def test_listing_pass_gives_what_docxtpl_gives(xml: str) -> None:
    ours = _template_class()(io.BytesIO(load_template().data))
    assert ours.resolve_listing(xml) == DocxTemplate.resolve_listing(ours, xml)


def test_body_parsed_in_place_equals_docxtpl_move(monkeypatch: pytest.MonkeyPatch) -> None:
    dossier = prepare(MAIN_EXAMPLE)
    fast, _ = render_dossier(dossier)
    moved: list[bool] = []

    def docxtpl_move(self: Any, tree: Any) -> None:
        moved.append(True)
        DocxTemplate.map_tree(self, tree)

    monkeypatch.setattr(_template_class(), "map_tree", docxtpl_move)
    slow, _ = render_dossier(dossier)
    assert moved and fast == slow


def test_render_of_grown_intake_keeps_every_link(base: dict[str, Any], tmp_path: Path) -> None:
    knowledge = default_knowledge()
    intake = grown(base, 60)
    document, _ = render_dossier(derive(intake, knowledge, load_template().stamp))
    path = tmp_path / "groei.docx"
    path.write_bytes(document)
    targets = [rel.target_ref for rel in Document(str(path)).part.rels.values() if rel.is_external]
    assert all(f"https://example.org/{n}" in targets for n in range(60))
    body = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    assert len(body.findall(".//{http://schemas.openxmlformats.org/wordprocessingml/2006/main}hyperlink")) >= 60


def test_libreoffice_profile_is_reused_private_and_locked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import fcntl
    import os
    import stat

    from dossier.convert import _profile

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("DOSSIER_NO_CACHE", raising=False)
    with _profile() as first:
        assert first == tmp_path / "dossier" / "libreoffice-profiel"
        assert stat.S_IMODE(first.stat().st_mode) == 0o700
        with _profile() as second:
            assert second is None, "a profile in use by another run is not shared"
    with _profile() as again:
        assert again == first, "the profile is reused by the next run"
    lock = os.open(tmp_path / "dossier" / "libreoffice-profiel.lock", os.O_RDWR)
    fcntl.flock(lock, fcntl.LOCK_EX)  # another process converting right now
    try:
        with _profile() as busy:
            assert busy is None
    finally:
        os.close(lock)
    first.chmod(0o755)
    with _profile() as opened:
        assert opened is None, "a profile others can read is not used"
    first.chmod(0o700)
    monkeypatch.setenv("DOSSIER_NO_CACHE", "1")
    with _profile() as off:
        assert off is None


def _cases() -> list[Path]:
    """Return the example and test-case intakes that are JSON (the others never reach the schema check)."""
    found = []
    for path in sorted((ROOT / "tests" / "cases").glob("*/intake.json")) + sorted((ROOT / "examples").glob("*.json")):
        try:
            json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            continue
        found.append(path)
    return found


@pytest.mark.parametrize("path", _cases(), ids=lambda path: path.parent.name if path.name == "intake.json" else path.stem)
def test_fast_schema_check_agrees_with_jsonschema(path: Path) -> None:
    from jsonschema import Draft202012Validator, FormatChecker

    from dossier.conformance import conforms
    from dossier.validate import intake_schema

    instance = json.loads(path.read_text("utf-8"))
    validator = Draft202012Validator(intake_schema(), format_checker=FormatChecker())
    assert conforms(instance, intake_schema()) == validator.is_valid(instance)


def test_fast_schema_check_agrees_on_generated_and_broken_intakes() -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
    from hypothesis_jsonschema import from_schema
    from jsonschema import Draft202012Validator, FormatChecker

    from dossier.conformance import conforms
    from dossier.validate import intake_schema

    schema = intake_schema()
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    generated = copy.deepcopy(schema)  # from_schema resolves $ref in place: keep the shared schema intact
    scalars = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=False), st.text(max_size=3))

    def broken(intake: dict[str, Any], data: Any) -> Any:
        """Replace one value somewhere in the intake by a random scalar, list or object."""
        node: Any = intake
        while True:
            keys = list(node) if isinstance(node, dict) else list(range(len(node)))
            if not keys:
                return intake
            key = data.draw(st.sampled_from(keys))
            if not isinstance(node[key], (dict, list)) or data.draw(st.booleans()):
                node[key] = data.draw(st.one_of(scalars, st.lists(scalars, max_size=2),
                                                st.dictionaries(st.text(max_size=3), scalars, max_size=2)))
                return intake
            node = node[key]

    verdicts: Counter[bool] = Counter()

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(from_schema(generated), st.data())
    def agree(intake: Any, data: Any) -> None:
        verdicts[validator.is_valid(intake)] += 1
        assert conforms(intake, schema) == validator.is_valid(intake)
        changed = broken(copy.deepcopy(intake), data)
        verdicts[validator.is_valid(changed)] += 1
        assert conforms(changed, schema) == validator.is_valid(changed)

    agree()
    assert verdicts[True] and verdicts[False], verdicts  # both answers were put to the test


def test_cold_validate_of_a_valid_intake_does_not_import_jsonschema() -> None:
    import subprocess

    script = ("import sys; from dossier.cli import main; code = main(['validate', '-q', sys.argv[1]]); "
              "print(code, 'jsonschema' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", script, str(MAIN_EXAMPLE)], capture_output=True, text=True,
                            check=True)
    assert result.stdout.split() == ["0", "False"]
