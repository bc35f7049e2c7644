"""The disk cache only saves time: cached and uncached runs give the same results."""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier.knowledge import load_knowledge
from tests.conftest import MAIN_EXAMPLE, ROOT, run_module


def test_knowledge_cache_is_used_and_equal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    first = load_knowledge()
    cached = list((tmp_path / "dossier").glob("kennisbank-*.json"))
    assert len(cached) == 1
    assert load_knowledge() == first


def test_no_cache_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("DOSSIER_NO_CACHE", "1")
    load_knowledge()
    assert not (tmp_path / "dossier").exists()


def test_unwritable_cache_is_only_slower(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "bestand").write_text("geen map")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "bestand"))
    assert load_knowledge().values


def test_builds_with_cold_and_warm_cache_are_byte_identical(tmp_path: Path) -> None:
    outputs = []
    for run in ("koud", "warm", "zonder"):
        env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
        if run == "zonder":
            env["DOSSIER_NO_CACHE"] = "1"
        out = tmp_path / run
        code, _, err = run_module("build", MAIN_EXAMPLE, "-o", out, cwd=ROOT, env=env)
        assert code == 0, err
        outputs.append((out / "casus3-bezoekersdata.docx").read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]
    assert list((tmp_path / "cache" / "dossier").glob("jinja-*.marshal"))
