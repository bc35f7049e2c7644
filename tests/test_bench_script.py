"""tools/bench.py (`make bench`): its figures are consistent with its raw measurements, and its memory
figures belong to the measured process. No timing is asserted: speed is what the benchmark reports."""

from __future__ import annotations

import importlib.util
import json
import math
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.conftest import ROOT


def load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench", ROOT / "tools" / "bench.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bench = load_bench()


def test_exponent_and_spread() -> None:
    assert bench.exponent(100, 1.0, 200, 2.0) == pytest.approx(1.0)
    assert bench.exponent(100, 1.0, 1000, 100.0) == pytest.approx(2.0)
    assert bench.spread([3.0, 1.0, 2.0, 10.0]) == {"min": 1.0, "median": 2.5, "max": 10.0}


def test_child_reports_its_own_peak_memory_not_the_parents() -> None:
    """A parent holding 200 MiB launches `python -c pass` (small) and a child that fills 100 MiB."""
    script = """
import json, sys
sys.path.insert(0, sys.argv[1])
import bench
ballast = bytearray(200 * 2**20)
for i in range(0, len(ballast), 4096):
    ballast[i] = 1
small = bench.child([sys.executable, "-c", "pass"])
big = bench.child([sys.executable, "-c", "b = bytearray(100 * 2**20)\\nfor i in range(0, len(b), 4096): b[i] = 1"])
print(json.dumps([small, big]))
"""
    result = subprocess.run([sys.executable, "-c", script, str(ROOT / "tools")], capture_output=True, text=True,
                            check=True, timeout=120)
    small, big = json.loads(result.stdout)
    assert small["max_rss_mib"] < 40, "the child inherited the parent's high-water mark"
    assert 100 <= big["max_rss_mib"] < 160
    assert big["cpu_s"] > 0 and big["wall_s"] > 0


def test_child_raises_on_failure() -> None:
    with pytest.raises(RuntimeError, match="faalde"):
        bench.child([sys.executable, "-c", "import sys; sys.exit(4)"])
    assert bench.child([sys.executable, "-c", "import sys; sys.exit(3)"], ok=(0, 3))["wall_s"] > 0


def check_summary(figures: dict[str, Any], repeat: int) -> None:
    assert figures["n"] == repeat
    for key in ("wall_s", "cpu_s"):
        low, middle, high = (figures[key][k] for k in ("min", "median", "max"))
        assert 0 <= low <= middle <= high, (key, figures)


def test_bench_runs_quick_and_every_figure_follows_from_its_measurements(tmp_path: Path) -> None:
    target = tmp_path / "bench.json"
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "bench.py"), "--quick", "--repeat", "2",
                             "--json", str(target)], capture_output=True, text=True, timeout=600, cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "output").exists(), "--json moet de plaats van het resultaat bepalen"
    results = json.loads(target.read_text("utf-8"))
    assert results["mode"] == "quick"
    assert results["machine"]["cpus"] >= 1 and len(results["load_before"]) == 3 and len(results["load_after"]) == 3
    assert results["versions"]["docxtpl"] and results["versions"]["pandoc"]
    for key in "abcdefg":
        assert f"({key})" in result.stdout

    for row in results["a"]["per_example"]:
        for side in ("dossier", "docxtpl", "docxtpl_zonder_patchcache"):
            check_summary(row[side], 2)
        assert row["ratio"] == pytest.approx(row["dossier"]["wall_s"]["median"] / row["docxtpl"]["wall_s"]["median"])
    b = results["b"]
    for side in ("dossier", "dossier_zonder_cache", "pandoc"):
        check_summary(b[side], 2)
        assert b[side]["max_rss_mib"]["min"] > 0
    assert b["ratio"] == pytest.approx(b["dossier"]["wall_s"]["median"] / b["pandoc"]["wall_s"]["median"])
    assert b["cpu_ratio"] == pytest.approx(b["dossier"]["cpu_s"]["median"] / b["pandoc"]["cpu_s"]["median"])
    c = results["c"]
    assert c["dossiers"] == 10
    check_summary(c["batch"], 1)
    check_summary(c["separate"], 1)
    assert c["ratio"] == pytest.approx(c["batch"]["wall_s"]["median"] / c["separate"]["wall_s"]["median"])

    rows = results["d"]["rows"]
    assert [row["factor"] for row in rows] == [1, 5]
    assert rows[1]["items"] > rows[0]["items"]
    expected = math.log(rows[1]["wall_s"]["median"] / rows[0]["wall_s"]["median"]) / math.log(
        rows[1]["items"] / rows[0]["items"])
    assert rows[1]["exponent"] == pytest.approx(expected)
    assert results["d"]["max_exponent"] == pytest.approx(rows[1]["exponent"])

    e = results["e"]
    assert [row["factor"] for row in e["rows"]] == [1, 5]
    assert all(row["max_rss_mib"] > e["calibration_mib"] for row in e["rows"])
    assert e["calibration_mib"] < e["benchmark_own_mib"]
    for side in ("validate", "check", "python"):
        check_summary(results["f"][side], 2)
    g = results["g"]
    if "skipped" not in g:
        assert g["ratio"] == pytest.approx(g["dossier"]["wall_s"]["median"] / g["soffice"]["wall_s"]["median"])
