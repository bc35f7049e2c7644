"""Smoke test of tools/bench_serve.py (`make bench-serve`): it runs in quick mode. No timing is asserted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def test_bench_serve_runs_quick_and_writes_every_case(tmp_path: Path) -> None:
    target = tmp_path / "bench-serve.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "bench_serve.py"), "--quick", "--json", str(target)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    results = json.loads(target.read_text("utf-8"))
    assert results["mode"] == "quick" and results["budget_ms"] == 150
    assert set(results["cases"]) == {"casus3", "groot", "nieuw"}
    for name, row in results["cases"].items():
        assert row["requests"] == 4 and row["median_ms"] > 0 and row["validate_derive_ms"] > 0, name
        assert name in result.stdout
