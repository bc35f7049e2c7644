"""Bounded input: only regular files, never more than the maximum, no zip or XML bombs, every message Dutch."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

import dossier
from dossier import files
from dossier.errors import KnowledgeError
from dossier.knowledge import load_knowledge
from dossier.load import MAX_BYTES
from tests.conftest import ROOT

KNOWLEDGE = Path(dossier.__file__).parent / "knowledge"
EXAMPLE = ROOT / "examples" / "casus3-bezoekersdata.json"


def _cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dossier", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=timeout, env={**os.environ, "DOSSIER_NO_CACHE": "1"})


def test_dev_zero_is_not_a_regular_file(run, tmp_path: Path) -> None:
    code, _, err = run("build", "/dev/zero", "-o", tmp_path / "uit")
    assert code == 1 and "/dev/zero: is geen gewoon bestand" in err


def test_a_fifo_does_not_block(tmp_path: Path) -> None:
    fifo = tmp_path / "intake.json"
    os.mkfifo(fifo)
    result = _cli("validate", str(fifo), timeout=30)  # blocking here would end in TimeoutExpired
    assert result.returncode == 1 and f"{fifo}: is geen gewoon bestand" in result.stderr


def test_a_large_file_is_refused_without_reading_it(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "groot.json"
    with big.open("wb") as stream:
        stream.truncate(200 * 1024 * 1024)  # sparse: costs no disk
    read: list[int] = []
    real_read = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: read.append(n) or real_read(fd, n))
    code, _, err = run("validate", big)
    assert code == 1 and "groot.json: bestand is te groot (200 MB; maximaal 20 MB)" in err
    assert sum(read) <= MAX_BYTES + 1


def test_reading_stops_one_byte_past_the_maximum(tmp_path: Path) -> None:
    path = tmp_path / "x"
    path.write_bytes(b"a" * 101)
    with pytest.raises(files.ReadProblem, match="te groot"):
        files.read_bounded(path, 100)
    assert files.read_bounded(path, 101) == b"a" * 101


def test_utf16_is_named(run, tmp_path: Path, minimal: dict[str, Any]) -> None:
    path = tmp_path / "intake.json"
    path.write_bytes(json.dumps(minimal).encode("utf-16"))
    code, _, err = run("validate", path)
    assert code == 1 and "bestand is opgeslagen als UTF-16; sla het op als UTF-8" in err


def test_json_messages_are_dutch(run, tmp_path: Path) -> None:
    path = tmp_path / "intake.json"
    path.write_text('{"a": 1} x', "utf-8")
    code, _, err = run("validate", path)
    assert code == 1 and "onverwachte tekst na het einde" in err
    path.write_text('{"a": "\\ud800\\x"}', "utf-8")
    code, _, err = run("validate", path)
    assert code == 1 and "escape" in err and "Invalid" not in err


# --- the knowledge base ---------------------------------------------------------------------------

@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "kennis"
    shutil.copytree(KNOWLEDGE, copy)
    return copy


def _problems(directory: Path) -> str:
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(directory)
    return "\n".join(caught.value.lines())


def test_duplicate_yaml_keys_are_refused(knowledge_copy: Path) -> None:
    path = knowledge_copy / "kennisbank.yaml"
    path.write_text(path.read_text("utf-8") + "\nversie: \"9.9\"\n", "utf-8")
    problems = _problems(knowledge_copy)
    assert "kennisbank.yaml:" in problems and "sleutel 'versie' komt twee keer voor" in problems


def test_yaml_aliases_are_refused(knowledge_copy: Path) -> None:
    path = knowledge_copy / "kennisbank.yaml"
    path.write_text("a: &a [x, x, x]\nb: [*a, *a, *a]\n" + path.read_text("utf-8"), "utf-8")
    assert "ankers en verwijzingen (& en *) zijn in de kennisbank niet toegestaan" in _problems(knowledge_copy)


@pytest.mark.parametrize(("text", "dutch"), [
    ("a: b: c\n", "hier mag geen ':' staan"),
    ("a:\n\t- b\n", "tab"),
    ("a: 'open\n", "houdt onverwacht op"),
])
def test_yaml_messages_are_dutch(knowledge_copy: Path, text: str, dutch: str) -> None:
    (knowledge_copy / "behoeften.yaml").write_text(text, "utf-8")
    problems = _problems(knowledge_copy)
    assert dutch in problems and "behoeften.yaml:" in problems
    assert not any(word in problems for word in ("mapping", "found", "expected", "scanning"))


def test_a_knowledge_file_that_is_a_fifo_is_refused(knowledge_copy: Path) -> None:
    (knowledge_copy / "behoeften.yaml").unlink()
    os.mkfifo(knowledge_copy / "behoeften.yaml")
    assert "is geen gewoon bestand" in _problems(knowledge_copy)


def test_a_huge_knowledge_file_is_refused(knowledge_copy: Path) -> None:
    with (knowledge_copy / "behoeften.yaml").open("ab") as stream:
        stream.truncate(64 * 1024 * 1024)
    assert "bestand is te groot" in _problems(knowledge_copy)


# --- .docx packages -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gebouwd")
    subprocess.run([sys.executable, "-m", "dossier", "build", str(EXAMPLE), "-o", str(out)], check=True,
                   capture_output=True, cwd=ROOT)
    return out / "casus3-bezoekersdata.docx"


def _rewrite(source: Path, target: Path, replace: dict[str, bytes | None] | None = None,
             extra: list[tuple[str, bytes]] | None = None) -> Path:
    """Copy a .docx, replacing (or dropping, with None) members and appending extra entries."""
    replace = replace or {}
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = replace.get(info.filename, old.read(info))
            if data is not None:
                new.writestr(info.filename, data)
        for name, data in extra or []:
            new.writestr(name, data)
    return target


def test_a_zip_bomb_is_not_inflated(run, built: Path, tmp_path: Path) -> None:
    bomb = tmp_path / "bom.docx"
    _rewrite(built, bomb, replace={"customXml/item1.xml": None},
             extra=[("customXml/item1.xml", b"\0" * (200 * 1024 * 1024))])
    assert bomb.stat().st_size < 2 * 1024 * 1024
    code, out, err = run("extract", bomb)
    assert code == 1 and out == ""
    assert "onderdeel 'customXml/item1.xml' is te groot (200 MB uitgepakt; maximaal 128 MB)" in err


def test_a_member_larger_than_it_declares_is_damaged(run, built: Path, tmp_path: Path) -> None:
    liar = tmp_path / "liegt.docx"
    _rewrite(built, liar)
    data = bytearray(liar.read_bytes())
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_length = int.from_bytes(data[central + 28: central + 30], "little")
        if data[central + 46: central + 46 + name_length] == b"customXml/item1.xml":
            data[central + 24: central + 28] = (10).to_bytes(4, "little")  # declares 10 bytes uncompressed
            break
        central = data.find(b"PK\x01\x02", central + 4)
    assert central != -1
    liar.write_bytes(bytes(data))
    code, out, err = run("extract", liar)
    assert code == 1 and out == ""
    assert "customXml/item1.xml' is beschadigd" in err or "geen geldige XML" in err


def test_xml_entities_are_not_expanded(run, built: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(built) as archive:
        original = archive.read("customXml/item1.xml").decode()
    laughs = ('<!DOCTYPE i [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
              '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>')
    bomb = original.replace("?>", "?>" + laughs, 1).replace('">{', '">&d;{', 1)
    target = _rewrite(built, tmp_path / "entiteit.docx", replace={"customXml/item1.xml": bomb.encode()})
    code, out, err = run("extract", target)
    assert code == 1 and "aaaaaaaaaa" not in out + err
    assert "Traceback" not in err


def test_an_encrypted_member_is_a_user_error(run, built: Path, tmp_path: Path) -> None:
    data = bytearray(_rewrite(built, tmp_path / "versleuteld.docx").read_bytes())
    central = data.find(b"PK\x01\x02")
    while central != -1:
        data[central + 8] |= 0x1  # the general-purpose flag: encrypted
        central = data.find(b"PK\x01\x02", central + 4)
    (tmp_path / "versleuteld.docx").write_bytes(bytes(data))
    code, _, err = run("extract", tmp_path / "versleuteld.docx")
    assert code == 1 and "is versleuteld" in err and "interne fout" not in err
