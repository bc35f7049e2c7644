"""The disk cache only saves time: it holds no code and no content, and nothing in it can change a result."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import dossier
from dossier import cache
from dossier.errors import KnowledgeError
from dossier.knowledge import load_knowledge
from tests.conftest import ROOT

KNOWLEDGE_DIRECTORY = Path(dossier.__file__).parent / "knowledge"
EXAMPLE = ROOT / "examples" / "casus3-bezoekersdata.json"


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("DOSSIER_NO_CACHE", raising=False)
    return tmp_path / "cache" / "dossier"


def _entries(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if not p.name.startswith("."))


def test_knowledge_cache_is_used_and_equal(cache_home: Path) -> None:
    first = load_knowledge()
    assert len(_entries(cache_home)) == 1
    assert load_knowledge() == first


def test_cache_is_private_to_the_user(cache_home: Path) -> None:
    load_knowledge()
    info = os.stat(cache_home)
    assert stat.S_IMODE(info.st_mode) == 0o700 and info.st_uid == os.getuid()
    for entry in _entries(cache_home):
        assert stat.S_IMODE(os.stat(entry).st_mode) == 0o600


def test_cache_holds_no_content_and_no_code(cache_home: Path) -> None:
    load_knowledge()
    subprocess.run([sys.executable, "-m", "dossier", "build", str(EXAMPLE), "-o", str(cache_home.parent / "uit")],
                   check=True, capture_output=True, env={**os.environ}, cwd=ROOT)
    for entry in _entries(cache_home):
        data = entry.read_bytes()
        assert len(data) < 200 and data.startswith((b"dossier-kennisbank-geldig ", b"dossier-sjabloon-geldig "))


def test_no_cache_writes_nothing(cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOSSIER_NO_CACHE", "1")
    load_knowledge()
    assert not cache_home.exists()


def test_unwritable_cache_is_only_slower(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "bestand").write_text("geen map")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "bestand"))
    assert load_knowledge().values


@pytest.mark.parametrize("content", [b"", b"{}", b"\x00" * 5000, b"dossier-kennisbank-geldig 0\n", b"print('x')"])
def test_corrupt_entry_is_ignored_and_rewritten(cache_home: Path, content: bytes) -> None:
    expected = load_knowledge()
    (entry,) = _entries(cache_home)
    marker = entry.read_bytes()
    entry.write_bytes(content)
    assert load_knowledge() == expected
    assert entry.read_bytes() == marker


def test_a_cache_entry_cannot_change_the_text(cache_home: Path, tmp_path: Path) -> None:
    """Edited knowledge is always read from its files: the cache only remembers that content was valid."""
    copy = tmp_path / "kennis"
    shutil.copytree(KNOWLEDGE_DIRECTORY, copy)
    original = load_knowledge(copy)
    text = (copy / "waarden.yaml").read_text("utf-8")
    question = next(iter(original.values.values())).question
    first_line = question.split()[0]
    (copy / "waarden.yaml").write_text(text.replace(first_line, "VERVALST", 1), "utf-8")
    changed = load_knowledge(copy)
    assert changed != original and changed.digest != original.digest
    assert "VERVALST" in str(changed.values) or "VERVALST" in str(changed.rows)


def test_invalid_knowledge_is_refused_even_with_a_marker_for_other_content(cache_home: Path, tmp_path: Path) -> None:
    copy = tmp_path / "kennis"
    shutil.copytree(KNOWLEDGE_DIRECTORY, copy)
    load_knowledge(copy)
    text = (copy / "kennisbank.yaml").read_text("utf-8")
    (copy / "kennisbank.yaml").write_text(text + "\nonbekend_veld: 1\n", "utf-8")
    with pytest.raises(KnowledgeError):
        load_knowledge(copy)


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o757])
def test_a_directory_others_can_write_is_not_trusted(cache_home: Path, mode: int) -> None:
    cache_home.mkdir(parents=True)
    os.chmod(cache_home, mode)
    (cache_home / "kennisbank-x").write_bytes(b"x")
    os.chmod(cache_home / "kennisbank-x", 0o600)
    assert cache.read("kennisbank-x") is None
    cache.write("kennisbank-y", b"y")
    assert not (cache_home / "kennisbank-y").exists()


def test_a_readable_directory_is_made_private(cache_home: Path) -> None:
    cache_home.mkdir(parents=True)
    os.chmod(cache_home, 0o755)
    cache.write("kennisbank-y", b"y")
    assert stat.S_IMODE(os.stat(cache_home).st_mode) == 0o700
    assert cache.read("kennisbank-y") == b"y"


def test_entries_others_can_write_or_links_are_not_read(cache_home: Path, tmp_path: Path) -> None:
    cache.write("a", b"a")
    os.chmod(cache_home / "a", 0o666)
    assert cache.read("a") is None
    (tmp_path / "elders").write_bytes(b"b")
    os.chmod(tmp_path / "elders", 0o600)
    (cache_home / "b").symlink_to(tmp_path / "elders")
    assert cache.read("b") is None
    assert cache.read("../elders") is None


def test_a_symlinked_cache_directory_is_not_used(cache_home: Path, tmp_path: Path) -> None:
    (tmp_path / "andere").mkdir(mode=0o700)
    cache_home.parent.mkdir(parents=True)
    cache_home.symlink_to(tmp_path / "andere")
    cache.write("a", b"a")
    assert not (tmp_path / "andere" / "a").exists()
    assert cache.read("a") is None


def test_builds_with_cold_and_warm_cache_are_byte_identical(tmp_path: Path) -> None:
    outputs = []
    for run in ("koud", "warm", "zonder"):
        env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
        if run == "zonder":
            env["DOSSIER_NO_CACHE"] = "1"
        out = tmp_path / run
        subprocess.run([sys.executable, "-m", "dossier", "build", str(EXAMPLE), "-o", str(out)],
                       check=True, capture_output=True, env=env, cwd=ROOT)
        outputs.append((out / "casus3-bezoekersdata.docx").read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]
