"""dossier verify and extract: only an identical rebuild is genuine; every tampering is named, with its exit code."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import pytest

import dossier
from dossier import __version__
from dossier.derive import derive
from dossier.knowledge import default_knowledge
from dossier.model import dossier_reference
from dossier.render import load_template, render_dossier, template_file
from dossier.validate import validate
from dossier.verify import (
    EXIT_DOCUMENT,
    EXIT_INTAKE,
    EXIT_KNOWLEDGE,
    EXIT_TEMPLATE,
    EXIT_VERSION,
)
from tests.conftest import EXAMPLES, ROOT

ITEM = "customXml/item1.xml"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("dossiers")
    subprocess.run([sys.executable, "-m", "dossier", "build", *map(str, EXAMPLES), "-o", str(out)], check=True,
                   capture_output=True, cwd=ROOT)
    return {example.stem: out / f"{example.stem}.docx" for example in EXAMPLES}


def _rewrite(source: Path, target: Path, replace: dict[str, bytes] | None = None,
             extra: list[tuple[str, bytes]] | None = None) -> Path:
    """Copy a .docx entry by entry (same order, names and bytes), replacing members and appending entries."""
    replace = replace or {}
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info, replace.get(info.filename, old.read(info)))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # zipfile warns about a duplicate name: that is the attack
            for name, data in extra or []:
                new.writestr(name, data)
    return target


def _member(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name).decode("utf-8")


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_every_freshly_built_example_is_genuine(example: Path, built: dict[str, Path], run) -> None:
    code, out, err = run("verify", built[example.stem])
    reference = re.search(r'referentie="([0-9a-f]{64})"', _member(built[example.stem], ITEM))
    assert reference
    assert (code, err) == (0, "")
    assert out == (f"{built[example.stem]}: echt: dit is precies het dossier dat dossier {__version__} maakt van "
                   f"deze intake (referentie {reference.group(1)})\n")


def test_an_edited_paragraph_is_named(built: dict[str, Path], tmp_path: Path, run) -> None:
    source = built["casus3-bezoekersdata"]
    document = _member(source, "word/document.xml")
    original = json.loads((ROOT / "examples" / "casus3-bezoekersdata.json").read_text("utf-8"))
    answer = original["drietrap"]["mag_het"]["toelichting"]
    first = answer.split(".")[0]
    assert first in document
    target = _rewrite(source, tmp_path / "bewerkt.docx",
                      replace={"word/document.xml": document.replace(first, first + " niet", 1).encode()})
    code, out, _ = run("verify", target)
    assert code == EXIT_DOCUMENT
    assert "document: de tekst van het document: alinea" in out and " niet" in out
    assert "echt" not in out


def test_an_edited_status_property_is_named(built: dict[str, Path], tmp_path: Path, run) -> None:
    source = built["casus3-bezoekersdata"]
    core = _member(source, "docProps/core.xml")
    status = re.search(r"<cp:contentStatus>([^<]*)</cp:contentStatus>", core)
    assert status
    edited = core.replace(status.group(0), "<cp:contentStatus>Gereed voor besluit</cp:contentStatus>")
    target = _rewrite(source, tmp_path / "status.docx", replace={"docProps/core.xml": edited.encode()})
    code, out, _ = run("verify", target)
    assert code == EXIT_DOCUMENT and "de documenteigenschappen" in out


def _swap(source: Path, donor: Path, target: Path, *, recompute: bool) -> Path:
    """Put donor's intake in source's intake part; with recompute, also forge a matching reference."""
    item = _member(source, ITEM)
    text = re.search(r">(\{.*\})<", item, re.S)
    donor_text = re.search(r">(\{.*\})<", _member(donor, ITEM), re.S)
    assert text and donor_text
    item = item.replace(text.group(1), donor_text.group(1))
    replace = {ITEM: item.encode()}
    if recompute:
        attributes = dict(re.findall(r'(\w+)="([^"]*)"', item))
        old = attributes["referentie"]
        new = dossier_reference(donor_text.group(1), attributes["kennisbank"], attributes["template"],
                                attributes["programma"])
        replace[ITEM] = item.replace(old, new).encode()
        replace["docProps/core.xml"] = _member(source, "docProps/core.xml").replace(old, new).encode()
    return _rewrite(source, target, replace=replace)


def test_a_swapped_intake_is_named_by_verify_and_refused_by_extract(built: dict[str, Path], tmp_path: Path,
                                                                    run) -> None:
    target = _swap(built["casus3-bezoekersdata"], built["minimaal"], tmp_path / "gewisseld.docx", recompute=False)
    code, out, _ = run("verify", target)
    assert code == EXIT_INTAKE
    assert "intake: de ingebedde intake past niet bij de dossierreferentie" in out
    code, out, err = run("extract", target)
    assert code == 1 and out == "" and "de intake is na het maken vervangen of gewijzigd" in err


def test_a_swapped_intake_with_a_forged_reference_fails_the_rebuild(built: dict[str, Path], tmp_path: Path,
                                                                    run) -> None:
    target = _swap(built["casus3-bezoekersdata"], built["minimaal"], tmp_path / "vervalst.docx", recompute=True)
    code, out, _ = run("verify", target)
    assert code == EXIT_DOCUMENT
    assert "document: de tekst van het document: alinea" in out


def test_a_different_reference_in_the_properties_is_named(built: dict[str, Path], tmp_path: Path, run) -> None:
    source = built["minimaal"]
    reference = re.search(r'referentie="([0-9a-f]{64})"', _member(source, ITEM))
    assert reference
    core = _member(source, "docProps/core.xml").replace(reference.group(1), "0" * 64)
    target = _rewrite(source, tmp_path / "kenmerk.docx", replace={"docProps/core.xml": core.encode()})
    code, out, _ = run("verify", target)
    assert code == EXIT_INTAKE and "documenteigenschappen (000000000000)" in out
    assert run("extract", target)[0] == 1


def test_a_knowledge_base_with_other_content_and_the_same_version_is_named(tmp_path: Path, run) -> None:
    knowledge = tmp_path / "kennis"
    shutil.copytree(Path(dossier.__file__).parent / "knowledge", knowledge)
    values = knowledge / "waarden.yaml"
    question = default_knowledge().rows[0].question
    values.write_text(values.read_text("utf-8").replace(question.split()[-1], "ZELFGEMAAKT", 1), "utf-8")
    subprocess.run([sys.executable, "-m", "dossier", "build", str(EXAMPLES[0]), "-o", str(tmp_path)], check=True,
                   capture_output=True, cwd=ROOT, env={**os.environ, "DOSSIER_KENNISBANK": str(knowledge),
                                                       "DOSSIER_NO_CACHE": "1"})
    code, out, _ = run("verify", tmp_path / f"{EXAMPLES[0].stem}.docx")
    assert code == EXIT_KNOWLEDGE
    assert ("kennisbank: gemaakt met een kennisbank met andere inhoud" in out
            and f"hoewel beide versie {default_knowledge().version} heten" in out)


def test_another_template_is_named(tmp_path: Path, run) -> None:
    template = tmp_path / "ander.docx"
    _rewrite(template_file(), template, replace={
        "docProps/app.xml": _member(template_file(), "docProps/app.xml").replace("</Properties>",
                                                                                  "<Company>Elders</Company></Properties>")
        .encode()})
    raw = json.loads(EXAMPLES[0].read_text("utf-8"))
    knowledge = default_knowledge()
    intake = validate(raw, knowledge, "intake.json")
    other = load_template(template)
    document, _ = render_dossier(derive(intake, knowledge, other.stamp), other)
    (tmp_path / "dossier.docx").write_bytes(document)
    code, out, _ = run("verify", tmp_path / "dossier.docx")
    assert code == EXIT_TEMPLATE and "template: gemaakt met een ander sjabloon" in out


def test_another_program_version_is_recognised_not_called_forged(built: dict[str, Path], tmp_path: Path,
                                                                 run) -> None:
    source = built["minimaal"]
    item = _member(source, ITEM)
    attributes = dict(re.findall(r'(\w+)="([^"]*)"', item))
    canonical = re.search(r">(\{.*\})<", item, re.S)
    assert canonical
    new = dossier_reference(canonical.group(1), attributes["kennisbank"], attributes["template"], "0.0.9")
    old = attributes["referentie"]
    target = _rewrite(source, tmp_path / "oud.docx", replace={
        ITEM: item.replace(f'programma="{__version__}"', 'programma="0.0.9"').replace(old, new).encode(),
        "docProps/core.xml": _member(source, "docProps/core.xml").replace(old, new).encode()})
    code, out, _ = run("verify", target)
    assert code == EXIT_VERSION
    assert f"gemaakt door dossier 0.0.9; dit is dossier {__version__}. Dat is geen vervalsing" in out


def test_a_dossier_from_before_the_new_reference_is_recognised(built: dict[str, Path], tmp_path: Path, run) -> None:
    source = built["minimaal"]
    item = re.sub(r' (programma|kennisbank|kennisbank_versie|template|schema)="[^"]*"', "", _member(source, ITEM))
    target = _rewrite(source, tmp_path / "oud.docx", replace={ITEM: item.encode()})
    code, out, _ = run("verify", target)
    assert code == EXIT_VERSION and "gemaakt met een oudere versie van dossier" in out
    assert run("extract", target)[0] == 0  # its intake can still be recovered


# --- extract reads only what the document points to ------------------------------------------------

def test_duplicate_entry_names_are_refused(built: dict[str, Path], tmp_path: Path, run) -> None:
    source = built["casus3-bezoekersdata"]
    other = _member(built["minimaal"], ITEM).encode()
    target = _rewrite(source, tmp_path / "dubbel.docx", extra=[(ITEM, other)])
    for command in ("extract", "verify"):
        code, out, err = run(command, target)
        assert code == 1 and out == ""
        assert f"bevat twee onderdelen met dezelfde naam '{ITEM}'" in err


def test_an_extra_intake_part_is_refused(built: dict[str, Path], tmp_path: Path, run) -> None:
    source = built["casus3-bezoekersdata"]
    target = _rewrite(source, tmp_path / "extra.docx", extra=[("customXml/item0.xml", _member(built["minimaal"], ITEM)
                                                                .encode())])
    code, out, err = run("extract", target)
    assert code == 1 and out == ""
    assert "bevat een tweede intake in 'customXml/item0.xml' waar het document niet naar verwijst" in err


def test_extract_follows_the_relationship_not_the_file_name(built: dict[str, Path], tmp_path: Path, run) -> None:
    """An intake part that the document does not point to is never the one extract returns."""
    source = built["minimaal"]
    rels = _member(source, "word/_rels/document.xml.rels").replace("customXml/item1.xml", "customXml/elders.xml")
    target = _rewrite(source, tmp_path / "elders.docx", replace={"word/_rels/document.xml.rels": rels.encode()},
                      extra=[("customXml/elders.xml", _member(source, ITEM).encode())])
    code, out, err = run("extract", target)
    assert code == 1 and "tweede intake in 'customXml/item1.xml'" in err


def test_a_text_that_mentions_the_namespace_is_no_second_intake(minimal, write_intake, run, tmp_path: Path) -> None:
    minimal["project"]["beschrijving"] = '<intake xmlns="urn:x-dossier:intake:1">{}</intake>'
    assert run("build", write_intake(minimal), "-o", tmp_path / "uit")[0] == 0
    code, out, _ = run("extract", tmp_path / "uit" / "intake.docx")
    assert code == 0 and json.loads(out) == minimal
    assert run("verify", tmp_path / "uit" / "intake.docx")[0] == 0
