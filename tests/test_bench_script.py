"""Smoke test of tools/bench.py (`make bench`): it runs with a tiny configuration. No timing is asserted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def test_bench_runs_quick_and_writes_every_figure(tmp_path: Path) -> None:
    target = tmp_path / "bench.json"
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "bench.py"), "--quick", "--repeat", "1",
                             "--json", str(target)], capture_output=True, text=True, timeout=300, cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    results = json.loads(target.read_text("utf-8"))
    assert results["mode"] == "quick"
    for key in ("a", "b", "c"):
        assert results[key]["ratio"] > 0 and results[key]["target"] > 0, key
        assert f"({key})" in result.stdout
    assert results["c"]["dossiers"] == 10
    assert [row["factor"] for row in results["d"]["rows"]] == [1, 5]
    assert all(row["max_rss_mb"] > 0 for row in results["e"]["rows"])
    assert not (tmp_path / "output").exists(), "--json moet de plaats van het resultaat bepalen"
