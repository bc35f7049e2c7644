"""Benchmark of dossier builds (`make bench`): prints a table and writes output/bench.json.

All figures come from one run on this machine; every time is the median of several repetitions.

  (a) warm in-process build per example versus a bare docxtpl render+save of the same template and
      context (the context --dump-context writes)                                  target <= 1.3
  (b) cold `dossier build` of one example versus pandoc converting the dossier's own Markdown
      export to .docx                                                              target <= 1.5
  (c) N dossiers in one `dossier build` call versus N separate calls (N=100)       target <= 0.2
  (d) build time for an intake scaled 1x, 10x and 50x in own values, reasons, measures and
      clauses, with the time per added item (near constant means linear growth)
  (e) peak memory of one build: max RSS of a `dossier build` process, tracemalloc peak in-process

This is a measurement, not a test: it never fails on a slow figure. --quick scales everything down
(N=10, scales 1x and 5x, fewer repetitions) for a smoke test.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from dossier.knowledge import default_knowledge  # noqa: E402
from dossier.pipeline import build_one, prepare  # noqa: E402

EXAMPLES = sorted((ROOT / "examples").glob("*.json"))
MAIN_EXAMPLE = ROOT / "examples" / "casus3-bezoekersdata.json"
BIN = Path(sys.executable).parent
CLI = [str(BIN / "dossier")] if (BIN / "dossier").exists() else [sys.executable, "-m", "dossier"]
TARGETS = {"a": 1.3, "b": 1.5, "c": 0.2}


def median_time(action: Callable[[], object], repeat: int, warmup: int = 0) -> float:
    """Return the median wall time of action in seconds."""
    for _ in range(warmup):
        action()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """Run a command and raise with its stderr when it fails."""
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:3])} ... faalde ({result.returncode}):\n{result.stderr[-2000:]}")
    return result


def template_path() -> Path:
    try:
        from dossier.render import template_file

        return template_file()
    except ImportError:
        return ROOT / "templates" / "dossier.docx"


# --- (a) warm build versus bare docxtpl ----------------------------------------------------------

def bench_warm(work: Path, repeat: int) -> dict[str, Any]:
    from docxtpl import DocxTemplate

    from dossier.render import render_dossier

    template = template_path()
    rows = []
    for example in EXAMPLES:
        out = work / "a" / example.stem
        out.mkdir(parents=True)
        dossier = prepare(example)
        context = json.loads(json.dumps(render_dossier(dossier)[1]))  # as --dump-context writes it
        bare_target = out / "bare.docx"

        def bare(context: dict[str, Any] = context, target: Path = bare_target) -> None:
            document = DocxTemplate(str(template))
            document.render(context)
            document.save(str(target))

        def build(example: Path = example, out: Path = out) -> None:
            report = build_one(str(example), out)
            if report.failed:
                raise RuntimeError(report.summary())

        dossier_time = median_time(build, repeat, warmup=1)
        bare_time = median_time(bare, repeat, warmup=1)
        rows.append({"intake": example.name, "dossier_s": dossier_time, "docxtpl_s": bare_time,
                     "ratio": dossier_time / bare_time})
    return {"per_example": rows, "ratio": statistics.median(r["ratio"] for r in rows), "target": TARGETS["a"],
            "template": str(template.relative_to(ROOT) if template.is_relative_to(ROOT) else template)}


# --- (b) cold CLI build versus pandoc ----------------------------------------------------------

def bench_cold(work: Path, repeat: int) -> dict[str, Any]:
    import pypandoc

    pandoc = pypandoc.get_pandoc_path()
    out = work / "b"
    run([*CLI, "build", str(MAIN_EXAMPLE), "-o", str(out), "--format", "docx,md"])
    markdown = out / f"{MAIN_EXAMPLE.stem}.md"
    source = "dossier build --format md"
    if not markdown.exists():  # older dossier without Markdown export: let pandoc make it from the .docx
        run([pandoc, str(out / f"{MAIN_EXAMPLE.stem}.docx"), "-t", "gfm", "-o", str(markdown)])
        source = "pandoc docx -> gfm"
    cold = median_time(lambda: run([*CLI, "build", str(MAIN_EXAMPLE), "-o", str(out / "cold")]), repeat)
    converted = median_time(lambda: run([pandoc, str(markdown), "-o", str(out / "pandoc.docx")]), repeat)
    return {"intake": MAIN_EXAMPLE.name, "dossier_s": cold, "pandoc_s": converted, "ratio": cold / converted,
            "target": TARGETS["b"], "markdown_from": source, "pandoc": pypandoc.get_pandoc_version()}


# --- (c) one batch call versus separate calls --------------------------------------------------

def bench_batch(work: Path, count: int, repeat: int) -> dict[str, Any]:
    intakes = work / "c" / "intakes"
    intakes.mkdir(parents=True)
    paths = []
    for number in range(count):
        example = EXAMPLES[number % len(EXAMPLES)]
        target = intakes / f"{number:03d}-{example.name}"
        shutil.copyfile(example, target)
        paths.append(str(target))
    batch = median_time(lambda: run([*CLI, "build", *paths, "-o", str(work / "c" / "batch")]), repeat)
    started = time.perf_counter()
    for path in paths:
        run([*CLI, "build", path, "-o", str(work / "c" / "separate")])
    separate = time.perf_counter() - started
    return {"dossiers": count, "batch_s": batch, "separate_s": separate, "ratio": batch / separate,
            "target": TARGETS["c"], "jobs": os.cpu_count()}


# --- (d) scaling ---------------------------------------------------------------------------------

def scaled_intake(base: dict[str, Any], factor: int) -> tuple[dict[str, Any], dict[str, int]]:
    """Return base plus 3*factor own values, reasons and measures and up to factor clauses (the KB has a few)."""
    intake = copy.deepcopy(base)
    clauses = list(default_knowledge().clauses)
    for number in range(3 * factor):
        value_id = f"schaal_{number}"
        intake["waarden"].append({"eigen": {"id": value_id, "naam": f"Schaalwaarde {number}",
                                            "vraag": f"Hoe speelt schaalwaarde {number} in dit project?"},
                                  "antwoord": f"Antwoord op de vraag bij schaalwaarde {number}, in een zin of twee."})
        intake["afweging"].append({"richting": "onwenselijk" if number % 2 else "wenselijk", "waarden": [value_id],
                                   "omdat": f"reden {number} raakt schaalwaarde {number}."})
        intake.setdefault("handelingsopties", []).append({"maatregel": f"Maatregel {number}", "waarden": [value_id],
                                                          "eigenaar": "Team data", "status": "gepland"})
    chosen = {item["id"] for item in intake.get("inkoop", {}).get("clausules", [])}
    extra = [c for c in clauses if c not in chosen][:factor]
    intake.setdefault("inkoop", {}).setdefault("clausules", []).extend({"id": c} for c in extra)
    counts = {"eigen waarden": 3 * factor, "redenen": 3 * factor, "maatregelen": 3 * factor, "clausules": len(extra)}
    return intake, counts


def bench_scaling(work: Path, factors: list[int], repeat: int) -> dict[str, Any]:
    base = json.loads(MAIN_EXAMPLE.read_text("utf-8"))
    rows = []
    for factor in factors:
        intake, counts = scaled_intake(base, factor)
        path = work / "d" / f"schaal-{factor}x.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(intake, ensure_ascii=False), "utf-8")
        seconds = median_time(lambda path=path: build_one(str(path), work / "d" / "uit"), repeat, warmup=1)
        rows.append({"factor": factor, **counts, "items": sum(counts.values()), "build_s": seconds})
    for previous, row in zip(rows, rows[1:], strict=False):
        row["ms_per_added_item"] = 1000 * (row["build_s"] - previous["build_s"]) / (row["items"] - previous["items"])
    growth = [row["ms_per_added_item"] for row in rows[1:]]
    return {"rows": rows, "growth_ratio": growth[-1] / growth[0] if len(growth) > 1 and growth[0] > 0 else None,
            "clauses_capped_at": len(default_knowledge().clauses)}


# --- (e) memory ----------------------------------------------------------------------------------

MAX_RSS = """
import resource, sys
from dossier.cli import main
code = main(sys.argv[1:])
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
sys.exit(code)
"""


def bench_memory(work: Path, intakes: list[Path]) -> dict[str, Any]:
    rows = []
    for intake in intakes:
        result = run([sys.executable, "-c", MAX_RSS, "build", str(intake), "-o", str(work / "e")])
        max_rss_mb = int(result.stdout.strip().splitlines()[-1]) / 1024  # Linux reports KiB
        build_one(str(intake), work / "e")  # imports and caches warm, as in a batch
        tracemalloc.start()
        build_one(str(intake), work / "e")
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        rows.append({"intake": intake.name, "max_rss_mb": max_rss_mb, "tracemalloc_peak_mb": peak / 2**20})
    return {"rows": rows}


# --- report --------------------------------------------------------------------------------------

def verdict(ratio: float, target: float) -> str:
    return "ok" if ratio <= target else "BOVEN DOEL"


def table(results: dict[str, Any]) -> str:
    a, b, c, d, e = (results[k] for k in "abcde")
    lines = [f"dossier benchmark ({results['mode']}, {results['machine']['cpus']} cores, "
             f"Python {results['machine']['python']}, mediaan van {results['repeat']} herhalingen)", ""]
    lines += ["(a) warme build in-process versus kale docxtpl render+save (zelfde template en context)",
              f"    {'intake':<44} {'dossier':>9} {'docxtpl':>9} {'ratio':>6}"]
    lines += [f"    {r['intake']:<44} {r['dossier_s'] * 1000:>7.0f}ms {r['docxtpl_s'] * 1000:>7.0f}ms {r['ratio']:>6.2f}"
              for r in a["per_example"]]
    lines += [f"    mediane ratio {a['ratio']:.2f}  (doel <= {a['target']})  {verdict(a['ratio'], a['target'])}", ""]
    lines += [f"(b) koude 'dossier build' versus pandoc md->docx ({b['markdown_from']}, pandoc {b['pandoc']})",
              f"    {b['intake']}: dossier {b['dossier_s'] * 1000:.0f}ms, pandoc {b['pandoc_s'] * 1000:.0f}ms, "
              f"ratio {b['ratio']:.2f}  (doel <= {b['target']})  {verdict(b['ratio'], b['target'])}", ""]
    lines += [f"(c) {c['dossiers']} dossiers in een aanroep versus {c['dossiers']} losse aanroepen",
              f"    een aanroep {c['batch_s']:.2f}s, losse aanroepen {c['separate_s']:.2f}s, ratio {c['ratio']:.2f}  "
              f"(doel <= {c['target']})  {verdict(c['ratio'], c['target'])}", ""]
    lines += [f"(d) schaal (clausules hoogstens {d['clauses_capped_at']}: zoveel heeft de kennisbank)",
              f"    {'factor':>6} {'waarden':>8} {'redenen':>8} {'maatr.':>7} {'claus.':>7} {'build':>9} {'ms/item erbij':>14}"]
    lines += [f"    {r['factor']:>5}x {r['eigen waarden']:>8} {r['redenen']:>8} {r['maatregelen']:>7} {r['clausules']:>7} "
              f"{r['build_s'] * 1000:>7.0f}ms {r.get('ms_per_added_item', float('nan')):>14.2f}" for r in d["rows"]]
    if d["growth_ratio"] is not None:
        lines.append(f"    groei per item, laatste stap / eerste stap: {d['growth_ratio']:.2f} (1 = lineair)")
    lines += ["", "(e) piekgeheugen van een build"]
    lines += [f"    {r['intake']:<44} max RSS {r['max_rss_mb']:.0f} MB, tracemalloc-piek {r['tracemalloc_peak_mb']:.1f} MB"
              for r in e["rows"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Meet de snelheid en het geheugengebruik van dossier.")
    parser.add_argument("--quick", action="store_true", help="kleine configuratie (10 dossiers, schaal 1x en 5x)")
    parser.add_argument("--repeat", type=int, help="herhalingen per meting (standaard 7, met --quick 2)")
    parser.add_argument("--json", default=str(ROOT / "output" / "bench.json"), metavar="PAD",
                        help="waar de resultaten als JSON komen (standaard output/bench.json)")
    args = parser.parse_args(argv)
    repeat = args.repeat or (2 if args.quick else 7)
    count, factors = (10, [1, 5]) if args.quick else (100, [1, 10, 50])

    results: dict[str, Any] = {
        "mode": "quick" if args.quick else "volledig", "repeat": repeat,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
    }
    with tempfile.TemporaryDirectory(prefix="dossier-bench-") as temporary:
        work = Path(temporary)
        results["a"] = bench_warm(work, repeat)
        results["b"] = bench_cold(work, repeat)
        results["c"] = bench_batch(work, count, 1 if args.quick else 3)
        results["d"] = bench_scaling(work, factors, repeat)
        largest = work / "d" / f"schaal-{factors[-1]}x.json"
        results["e"] = bench_memory(work, [MAIN_EXAMPLE, largest])
    print(table(results))
    target = Path(args.json)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(f"\nresultaten: {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
