"""Benchmark of dossier (`make bench`): prints a table and writes output/bench.json.

Every ratio compares the same work on the same content with the same caches, and says which:

  (a) warm build in one process versus a bare docxtpl load+render+save of the same template with the
      same formatted context (project description and clause texts included) and the same compiled
      Jinja template (one environment for both sides)                                   target <= 1.0
  (b) cold `dossier build` (a fresh process) versus pandoc converting the dossier's own Markdown
      export to .docx (a fresh process); dossier's disk cache warm, and once more without it
                                                                                         target <= 1.0
  (c) 100 dossiers in one `dossier build` call versus 100 separate calls                 target <= 0.1
  (d) growth: a warm build of casus 3 scaled 1x ... 1000x (own values, reasons, measures, parties,
      decisions, data sources, links in the description, clauses), with the growth exponent per
      step, log(t2/t1) / log(n2/n1) over the number of items n            target <= 1.2 every step
  (e) peak RSS of a fresh `dossier build` process per scale                    target < 150 MiB at 1000x
  (f) cold `dossier validate` and `dossier check` (fresh processes)                target < 0.2 s
  (g) `dossier build --format pdf` versus a bare `soffice --convert-to pdf` of the same .docx, both
      fresh processes with a LibreOffice profile that already exists (warm)           target <= 1.15

Repetitions alternate between the two sides of a ratio, so load from other work on the machine hits
both alike; each side prints min/median/max of wall time and the median CPU time (user+system).

Child processes are measured through a small launcher (LAUNCHER): it starts the command and reads
the command's own resource usage with wait4. A process forked from this benchmark would report this
benchmark's high-water mark as its peak RSS (Linux keeps it across fork and exec); the launcher is a
fresh, small Python, so the figure is the child's own, C libraries (libxml2) included. The
"calibration" row proves it: `python -c pass` measured the same way, from this process after its
biggest builds.

This is a measurement, not a test: it never fails on a slow figure. --quick scales everything down
for a smoke test.
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

EXAMPLES = sorted((ROOT / "examples").glob("*.json"))
MAIN_EXAMPLE = ROOT / "examples" / "casus3-bezoekersdata.json"
BIN = Path(sys.executable).parent
CLI = [str(BIN / "dossier")] if (BIN / "dossier").exists() else [sys.executable, "-m", "dossier"]
TARGETS = {"a": 1.0, "b": 1.0, "c": 0.1, "d": 1.2, "e": 150.0, "f": 0.2, "g": 1.15}
FULL: dict[str, Any] = {"repeat": 7, "batch": 100, "batch_repeat": 3, "factors": [1, 10, 100, 200, 500, 1000], "pdf_repeat": 5}
QUICK: dict[str, Any] = {"repeat": 2, "batch": 10, "batch_repeat": 1, "factors": [1, 5], "pdf_repeat": 1}

# Runs argv[2:] and writes {"wall_s", "cpu_s", "max_rss_kib", "returncode"} of that child alone to argv[1].
LAUNCHER = """
import json, os, sys, time
started = time.perf_counter()
pid = os.posix_spawnp(sys.argv[2], sys.argv[2:], os.environ)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - started
with open(sys.argv[1], "w") as out:
    json.dump({"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "max_rss_kib": usage.ru_maxrss,
               "returncode": os.waitstatus_to_exitcode(status)}, out)
"""


# --- measuring -----------------------------------------------------------------------------------

def spread(values: Sequence[float]) -> dict[str, float]:
    """Return min, median and max of values."""
    return {"min": min(values), "median": statistics.median(values), "max": max(values)}


def summary(samples: Sequence[dict[str, float]]) -> dict[str, Any]:
    """Return wall and CPU spreads (and the peak RSS, when measured) of repeated samples."""
    result: dict[str, Any] = {"n": len(samples), "wall_s": spread([s["wall_s"] for s in samples]),
                              "cpu_s": spread([s["cpu_s"] for s in samples])}
    if all("max_rss_mib" in s for s in samples):
        result["max_rss_mib"] = spread([s["max_rss_mib"] for s in samples])
    return result


def ratio(top: dict[str, Any], bottom: dict[str, Any], key: str = "wall_s") -> float:
    """Return the ratio of the medians of two summaries."""
    return top[key]["median"] / bottom[key]["median"]


def in_process(action: Callable[[], object]) -> dict[str, float]:
    """Run action once here; return its wall and CPU (this process) time."""
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return {"wall_s": time.perf_counter() - wall, "cpu_s": time.process_time() - cpu}


def child(command: Sequence[str], env: dict[str, str] | None = None, ok: Sequence[int] = (0,)) -> dict[str, float]:
    """Run command as a fresh process through the launcher; return its wall, CPU and peak RSS (MiB).

    Raises RuntimeError with the command's stderr when it exits with a code not in ok.
    """
    with tempfile.NamedTemporaryFile("r", suffix=".json") as result:
        process = subprocess.run([sys.executable, "-I", "-S", "-c", LAUNCHER, result.name, *command],
                                 capture_output=True, text=True, env=env)
        figures = json.loads(result.read() or "{}")
    if process.returncode != 0 or figures.get("returncode") not in ok:
        raise RuntimeError(f"{' '.join(command[:4])} ... faalde ({figures.get('returncode')}):\n{process.stderr[-2000:]}")
    return {"wall_s": figures["wall_s"], "cpu_s": figures["cpu_s"], "max_rss_mib": figures["max_rss_kib"] / 1024}


def alternate(sides: dict[str, Callable[[], dict[str, float]]], repeat: int, warmup: int = 1) -> dict[str, Any]:
    """Run every side warmup times, then repeat times in turn (a, b, a, b, ...); return a summary per side."""
    for action in sides.values():
        for _ in range(warmup):
            action()
    samples: dict[str, list[dict[str, float]]] = {name: [] for name in sides}
    for _ in range(repeat):
        for name, action in sides.items():
            samples[name].append(action())
    return {name: summary(values) for name, values in samples.items()}


def exponent(n1: float, t1: float, n2: float, t2: float) -> float:
    """Return the growth exponent k in t ~ n^k between two points (1 = linear, 2 = quadratic)."""
    return math.log(t2 / t1) / math.log(n2 / n1)


def fresh_env(**extra: str) -> dict[str, str]:
    """Return this environment plus extra variables."""
    return {**os.environ, **extra}


# --- (a) warm build versus bare docxtpl ----------------------------------------------------------

def bench_warm(work: Path, repeat: int) -> dict[str, Any]:
    import io
    from functools import lru_cache

    from docxtpl import DocxTemplate

    from dossier.pipeline import build_one, prepare
    from dossier.render import _with_formatting, load_template, render_dossier
    from dossier.word import jinja_environment

    template = load_template()
    environment = jinja_environment()
    patch = lru_cache(maxsize=16)(lambda xml: DocxTemplate.patch_xml(None, xml))

    class Cached(DocxTemplate):  # docxtpl with the cache dossier keeps: each distinct part cleaned once
        def patch_xml(self, src_xml: str) -> str:
            return str(patch(src_xml))

    rows = []
    for example in EXAMPLES:
        out = work / "a" / example.stem
        out.mkdir(parents=True)
        dossier = prepare(example)
        context = render_dossier(dossier)[1]
        urls: list[str] = []
        probe = DocxTemplate(io.BytesIO(template.data))

        def record(url: str, probe: Any = probe, urls: list[str] = urls) -> str:
            urls.append(url)
            return str(probe.build_url_id(url))

        formatted = _with_formatting(context, dossier, record)  # the same WordprocessingML the dossier places

        def bare(kind: type[DocxTemplate], formatted: dict[str, Any] = formatted, urls: list[str] = urls,
                 target: Path = out / "bare.docx") -> None:
            document = kind(io.BytesIO(template.data))
            for url in urls:  # the same hyperlink relationships, so the ids in formatted match
                document.build_url_id(url)
            document.render(formatted, jinja_env=environment)
            document.save(str(target))

        def build(example: Path = example, out: Path = out) -> None:
            report = build_one(str(example), out)
            if report.failed:
                raise RuntimeError(report.summary())

        sides = alternate({"dossier": lambda build=build: in_process(build),
                           "docxtpl": lambda bare=bare: in_process(lambda: bare(Cached)),
                           "docxtpl_zonder_patchcache": lambda bare=bare: in_process(lambda: bare(DocxTemplate))},
                          repeat, warmup=2)
        rows.append({"intake": example.name, **sides, "ratio": ratio(sides["dossier"], sides["docxtpl"]),
                     "cpu_ratio": ratio(sides["dossier"], sides["docxtpl"], "cpu_s"),
                     "ratio_zonder_patchcache": ratio(sides["dossier"], sides["docxtpl_zonder_patchcache"])})
    main = next(row for row in rows if row["intake"] == MAIN_EXAMPLE.name)
    return {"per_example": rows, "ratio": main["ratio"], "cpu_ratio": main["cpu_ratio"],
            "median_ratio_all": statistics.median(row["ratio"] for row in rows), "target": TARGETS["a"],
            "state": "beide warm: modules geladen, template-bytes in het geheugen, dezelfde Jinja-omgeving met "
                     "de gecompileerde template, elk XML-deel een keer opgeschoond (patch_xml)"}


# --- (b) cold CLI build versus pandoc ----------------------------------------------------------

def bench_cold(work: Path, repeat: int) -> dict[str, Any]:
    import pypandoc

    pandoc = pypandoc.get_pandoc_path()
    out = work / "b"
    child([*CLI, "build", str(MAIN_EXAMPLE), "-o", str(out), "--format", "md"])
    markdown = out / f"{MAIN_EXAMPLE.stem}.md"
    no_cache = work / "b-no-cache"
    sides = alternate({
        "dossier": lambda: child([*CLI, "build", str(MAIN_EXAMPLE), "-o", str(out / "cold")]),
        "dossier_zonder_cache": lambda: child([*CLI, "build", str(MAIN_EXAMPLE), "-o", str(out / "cold-nc")],
                                              env=fresh_env(DOSSIER_NO_CACHE="1", XDG_CACHE_HOME=str(no_cache))),
        "pandoc": lambda: child([pandoc, str(markdown), "-o", str(out / "pandoc.docx")]),
    }, repeat)
    return {"intake": MAIN_EXAMPLE.name, **sides, "ratio": ratio(sides["dossier"], sides["pandoc"]),
            "cpu_ratio": ratio(sides["dossier"], sides["pandoc"], "cpu_s"),
            "ratio_zonder_cache": ratio(sides["dossier_zonder_cache"], sides["pandoc"]),
            "target": TARGETS["b"], "pandoc_version": pypandoc.get_pandoc_version(),
            "state": "beide koud proces, bestanden in de paginacache; dossier met gevulde schijfcache "
                     "(en een keer met DOSSIER_NO_CACHE=1); pandoc heeft geen cache"}


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
    runs = iter(range(10**6))

    def batch() -> dict[str, float]:
        return child([*CLI, "build", *paths, "-o", str(work / "c" / f"batch-{next(runs)}")])

    def separate() -> dict[str, float]:
        out = work / "c" / f"separate-{next(runs)}"
        samples = [child([*CLI, "build", path, "-o", str(out)]) for path in paths]
        return {"wall_s": sum(s["wall_s"] for s in samples), "cpu_s": sum(s["cpu_s"] for s in samples)}

    sides = alternate({"batch": batch, "separate": separate}, repeat, warmup=0)
    return {"dossiers": count, **sides, "ratio": ratio(sides["batch"], sides["separate"]),
            "cpu_ratio": ratio(sides["batch"], sides["separate"], "cpu_s"), "target": TARGETS["c"],
            "jobs": os.cpu_count(), "state": "beide koude processen met gevulde schijfcache, lege uitvoermap"}


# --- (d) growth and (e) memory -------------------------------------------------------------------

def scaled_intake(base: dict[str, Any], factor: int, clause_ids: Sequence[str]) -> dict[str, Any]:
    """Return base plus, per factor: 3 own values, reasons and measures, a party, a decision, a data
    source (third party, every other one without chain responsibility), a link in the description,
    and one more clause while the knowledge base has them."""
    intake = copy.deepcopy(base)
    for number in range(3 * factor):
        value_id = f"schaal_{number}"
        intake["waarden"].append({"eigen": {"id": value_id, "naam": f"Schaalwaarde {number}",
                                            "vraag": f"Hoe speelt schaalwaarde {number} in dit project?"},
                                  "antwoord": f"Antwoord op de vraag bij schaalwaarde {number}, in een zin of twee."})
        intake["afweging"].append({"richting": "onwenselijk" if number % 2 else "wenselijk",
                                   "waarden": [value_id, "privacy"], "omdat": f"reden {number} raakt schaalwaarde {number}."})
        intake.setdefault("handelingsopties", []).append({"maatregel": f"Maatregel {number}", "waarden": [value_id],
                                                          "eigenaar": "Team data", "status": "gepland"})
    links = []
    for number in range(factor):
        intake.setdefault("betrokkenen", []).append({"partij": f"Partij {number}", "rol": "meedenker",
                                                     "wijze_van_betrekken": "een gesprek per kwartaal"})
        intake.setdefault("besluiten", []).append({"besluit": f"Besluit {number}", "risico": f"Risico {number}."})
        source = {"naam": f"Bron {number}", "herkomst": "derde_partij", "toelichting": f"Gekochte data {number}."}
        if number % 2:
            source["ketenverantwoordelijkheid"] = f"Contract {number} regelt de herkomst."
        intake["technologie"].setdefault("databronnen", []).append(source)
        links.append(f"- zie [bron {number}](https://example.org/bron/{number}) voor de herkomst.")
    intake["project"]["beschrijving"] += "\n\nBronnen:\n\n" + "\n".join(links)
    chosen = {item["id"] for item in intake.get("inkoop", {}).get("clausules", [])}
    extra = [c for c in clause_ids if c not in chosen][:factor]
    intake.setdefault("inkoop", {}).setdefault("clausules", []).extend({"id": c} for c in extra)
    return intake


def count_items(intake: dict[str, Any]) -> int:
    """Return the number of list entries in the intake plus the links in its description."""
    def walk(node: Any) -> int:
        if isinstance(node, list):
            return len(node) + sum(walk(item) for item in node)
        if isinstance(node, dict):
            return sum(walk(item) for item in node.values())
        return 0

    return walk(intake) + intake["project"]["beschrijving"].count("](")


def bench_growth(work: Path, factors: Sequence[int], repeat: int) -> tuple[dict[str, Any], list[Path]]:
    from dossier.knowledge import default_knowledge
    from dossier.pipeline import build_one

    base = json.loads(MAIN_EXAMPLE.read_text("utf-8"))
    clause_ids = list(default_knowledge().clauses)
    rows, paths = [], []
    for factor in factors:
        intake = scaled_intake(base, factor, clause_ids)
        path = work / "d" / f"schaal-{factor}x.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(intake, ensure_ascii=False), "utf-8")
        paths.append(path)

        def build(path: Path = path) -> None:
            report = build_one(str(path), work / "d" / "uit")
            if report.failed:
                raise RuntimeError(report.summary())

        times = max(1, repeat if factor < 200 else min(repeat, 3))
        sides = alternate({"build": lambda build=build: in_process(build)}, times, warmup=1 if factor < 500 else 0)
        rows.append({"factor": factor, "items": count_items(intake), "bytes": path.stat().st_size, **sides["build"]})
    for previous, row in zip(rows, rows[1:], strict=False):
        row["exponent"] = exponent(previous["items"], previous["wall_s"]["median"], row["items"], row["wall_s"]["median"])
        row["cpu_exponent"] = exponent(previous["items"], previous["cpu_s"]["median"], row["items"], row["cpu_s"]["median"])
    steps = [row["exponent"] for row in rows[1:]]
    cpu_steps = [row["cpu_exponent"] for row in rows[1:]]
    return ({"rows": rows, "max_exponent": max(steps) if steps else None,
             "max_cpu_exponent": max(cpu_steps) if cpu_steps else None, "target": TARGETS["d"],
             "state": "warm, in een proces (zoals een batchwerker), gecompileerde template in het geheugen"}, paths)


def bench_memory(work: Path, paths: Sequence[Path], factors: Sequence[int]) -> dict[str, Any]:
    import resource

    rows = []
    for factor, path in zip(factors, paths, strict=True):
        sample = child([*CLI, "build", str(path), "-o", str(work / "e")])
        rows.append({"factor": factor, "intake": path.name, **sample})
    calibration = child([sys.executable, "-c", "pass"])
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"rows": rows, "calibration_mib": calibration["max_rss_mib"], "benchmark_own_mib": own,
            "target": TARGETS["e"], "state": "vers proces per meting, via de starter gemeten (wait4)"}


# --- (f) cold validate and check ----------------------------------------------------------------

def bench_startup(repeat: int) -> dict[str, Any]:
    sides = alternate({
        "validate": lambda: child([*CLI, "validate", "-q", str(MAIN_EXAMPLE)]),
        "check": lambda: child([*CLI, "check", str(MAIN_EXAMPLE)], ok=(0, 3)),  # 3: open points
        "python": lambda: child([sys.executable, "-c", "pass"]),
    }, repeat)
    return {**sides, "target": TARGETS["f"], "intake": MAIN_EXAMPLE.name,
            "state": "koude processen met gevulde schijfcache; 'python' is de kale interpreter ter vergelijking"}


# --- (g) PDF versus bare soffice -----------------------------------------------------------------

def bench_pdf(work: Path, repeat: int) -> dict[str, Any]:
    soffice = shutil.which("soffice")
    if not soffice:
        return {"skipped": "LibreOffice (soffice) ontbreekt"}
    out = work / "g"
    child([*CLI, "build", str(MAIN_EXAMPLE), "-o", str(out / "docx")])
    document = out / "docx" / f"{MAIN_EXAMPLE.stem}.docx"
    profile = (work / "g-profiel").as_uri()
    sides = alternate({
        "dossier": lambda: child([*CLI, "build", str(MAIN_EXAMPLE), "-o", str(out / "pdf"), "--format", "pdf"]),
        "soffice": lambda: child([soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                                  "--nologo", "--nolockcheck", "--convert-to", "pdf", "--outdir", str(out / "bare"),
                                  str(document)]),
    }, repeat)
    return {**sides, "ratio": ratio(sides["dossier"], sides["soffice"]),
            "cpu_ratio": ratio(sides["dossier"], sides["soffice"], "cpu_s"), "target": TARGETS["g"],
            "state": "beide koude processen; dossier bouwt ook de .docx; beide met een bestaand (warm) "
                     "LibreOffice-profiel na de opwarmronde"}


# --- report --------------------------------------------------------------------------------------

def verdict(value: float | None, target: float, strict: bool = False) -> str:
    if value is None or math.isnan(value):
        return "niet gemeten"
    return "ok" if (value < target if strict else value <= target) else "BOVEN DOEL"


def both(wall: float | None, cpu: float | None, target: float, strict: bool = False) -> str:
    """Return the verdict on wall time and on CPU time (CPU time is what other load disturbs least)."""
    return f"wandklok {verdict(wall, target, strict)}, cpu {verdict(cpu, target, strict)}"


def side(figures: dict[str, Any], unit: str = "ms") -> str:
    """Return 'med 123ms [min 110-max 140] cpu 98ms' for one side of a ratio."""
    scale = 1000 if unit == "ms" else 1
    wall, cpu = figures["wall_s"], figures["cpu_s"]
    return (f"med {wall['median'] * scale:7.0f}{unit} [{wall['min'] * scale:.0f}-{wall['max'] * scale:.0f}] "
            f"cpu {cpu['median'] * scale:6.0f}{unit}")


def table(results: dict[str, Any]) -> str:
    machine = results["machine"]
    lines = [f"dossier benchmark ({results['mode']}, {machine['cpus']} cores, Python {machine['python']}, "
             f"nice {machine['nice']}, load {' '.join(f'{x:.2f}' for x in results['load_before'])} -> "
             f"{' '.join(f'{x:.2f}' for x in results['load_after'])})",
             "Tijden: mediaan [min-max] wandklok over de herhalingen, cpu = mediaan user+system.", ""]
    a = results["a"]
    lines += [f"(a) warme build versus kale docxtpl, zelfde inhoud en caches ({a['state']})"]
    for row in a["per_example"]:
        lines.append(f"    {row['intake'][:30]:<30} dossier {side(row['dossier'])}  docxtpl {side(row['docxtpl'])}  "
                     f"ratio {row['ratio']:.2f} (cpu {row['cpu_ratio']:.2f}; docxtpl zonder patchcache "
                     f"{row['ratio_zonder_patchcache']:.2f})")
    lines += [f"    casus 3: ratio {a['ratio']:.2f} (cpu {a['cpu_ratio']:.2f}), mediaan alle voorbeelden "
              f"{a['median_ratio_all']:.2f}  (doel <= {a['target']})  {both(a['ratio'], a['cpu_ratio'], a['target'])}", ""]
    b = results["b"]
    lines += [f"(b) koude 'dossier build' versus pandoc md->docx (pandoc {b['pandoc_version']}); {b['state']}",
              f"    dossier              {side(b['dossier'])}",
              f"    dossier zonder cache {side(b['dossier_zonder_cache'])}",
              f"    pandoc               {side(b['pandoc'])}",
              f"    ratio {b['ratio']:.2f} (cpu {b['cpu_ratio']:.2f}; zonder cache {b['ratio_zonder_cache']:.2f})  "
              f"(doel <= {b['target']})  {both(b['ratio'], b['cpu_ratio'], b['target'])}", ""]
    c = results["c"]
    lines += [f"(c) {c['dossiers']} dossiers in een aanroep versus {c['dossiers']} losse aanroepen ({c['state']})",
              f"    een aanroep  {side(c['batch'], 's')}",
              f"    losse        {side(c['separate'], 's')}",
              f"    ratio {c['ratio']:.3f} (cpu {c['cpu_ratio']:.3f})  (doel <= {c['target']})  "
              f"{both(c['ratio'], c['cpu_ratio'], c['target'])}", ""]
    d = results["d"]
    lines += [f"(d) groei, {d['state']}",
              f"    {'factor':>6} {'items':>7} {'KiB':>6}  {'wandklok':<34} {'exp.':>5} {'cpu-exp.':>8}"]
    for row in d["rows"]:
        exp = f"{row['exponent']:5.2f}" if "exponent" in row else "    -"
        cpu_exp = f"{row['cpu_exponent']:8.2f}" if "cpu_exponent" in row else "       -"
        lines.append(f"    {row['factor']:>5}x {row['items']:>7} {row['bytes'] // 1024:>6}  {side(row):<34} {exp} {cpu_exp}")
    lines += [f"    hoogste exponent {d['max_exponent']:.2f}, cpu {d['max_cpu_exponent']:.2f}  (doel <= {d['target']} "
              f"in elke stap)  {both(d['max_exponent'], d['max_cpu_exponent'], d['target'])}", ""]
    e = results["e"]
    lines += [f"(e) piekgeheugen (max RSS) van een vers 'dossier build'-proces ({e['state']})"]
    lines += [f"    {row['factor']:>5}x {row['intake']:<22} {row['max_rss_mib']:6.1f} MiB  ({row['wall_s']:.2f} s)"
              for row in e["rows"]]
    largest = e["rows"][-1]
    lines += [f"    ijking: 'python -c pass' zo gemeten {e['calibration_mib']:.1f} MiB, terwijl de benchmark zelf "
              f"{e['benchmark_own_mib']:.0f} MiB piek heeft (dus geen geërfde piek)",
              f"    {largest['factor']}x: {largest['max_rss_mib']:.0f} MiB  (doel < {e['target']:.0f} MiB)  "
              f"{verdict(largest['max_rss_mib'], e['target'], strict=True)}", ""]
    f = results["f"]
    lines += [f"(f) koude start ({f['state']})",
              f"    validate {side(f['validate'])}  (doel < {f['target']} s)  "
              f"{both(f['validate']['wall_s']['median'], f['validate']['cpu_s']['median'], f['target'], True)}",
              f"    check    {side(f['check'])}",
              f"    python   {side(f['python'])}", ""]
    g = results["g"]
    if "skipped" in g:
        lines += [f"(g) PDF: niet gemeten ({g['skipped']})"]
    else:
        lines += [f"(g) 'dossier build --format pdf' versus kale soffice van dezelfde .docx ({g['state']})",
                  f"    dossier {side(g['dossier'])}",
                  f"    soffice {side(g['soffice'])}",
                  f"    ratio {g['ratio']:.2f} (cpu {g['cpu_ratio']:.2f})  (doel <= {g['target']})  "
                  f"{both(g['ratio'], g['cpu_ratio'], g['target'])}"]
    return "\n".join(lines)


def versions() -> dict[str, str]:
    """Return the versions of dossier, its libraries, pandoc and LibreOffice."""
    from importlib import metadata

    found = {}
    for name in ("dossier", "docxtpl", "python-docx", "Jinja2", "jsonschema", "markdown-it-py", "lxml",
                 "PyYAML", "pypandoc_binary"):
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "ontbreekt"
    try:
        import pypandoc

        found["pandoc"] = pypandoc.get_pandoc_version()
    except (ImportError, OSError):
        found["pandoc"] = "ontbreekt"
    soffice = shutil.which("soffice")
    found["libreoffice"] = (subprocess.run([soffice, "--version"], capture_output=True, text=True).stdout.strip()
                            if soffice else "ontbreekt")
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True)
    found["git"] = commit.stdout.strip() or "onbekend"
    return found


def machine() -> dict[str, Any]:
    """Return what the figures depend on: cores, CPU model, memory, Python, platform and niceness."""
    cpuinfo = Path("/proc/cpuinfo")
    lines = cpuinfo.read_text("utf-8", "replace").splitlines() if cpuinfo.exists() else []
    model = next((line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")), "")
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30 if hasattr(os, "sysconf") else 0
    return {"cpus": os.cpu_count(), "cpu_model": model, "memory_gib": round(memory, 1),
            "python": platform.python_version(), "platform": platform.platform(), "nice": os.nice(0)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Meet de snelheid en het geheugengebruik van dossier.")
    parser.add_argument("--quick", action="store_true", help="kleine configuratie (10 dossiers, schaal 1x en 5x)")
    parser.add_argument("--repeat", type=int, help="herhalingen per meting (standaard 7, met --quick 2)")
    parser.add_argument("--factors", metavar="LIJST", help="schaalfactoren voor (d) en (e), bijvoorbeeld 1,10,100")
    parser.add_argument("--json", default=str(ROOT / "output" / "bench.json"), metavar="PAD",
                        help="waar de resultaten als JSON komen (standaard output/bench.json)")
    args = parser.parse_args(argv)
    config: dict[str, Any] = dict(QUICK if args.quick else FULL)
    if args.factors:
        config["factors"] = [int(x) for x in args.factors.split(",")]
    if args.repeat:
        config.update(repeat=args.repeat, pdf_repeat=min(args.repeat, config["pdf_repeat"]))

    results: dict[str, Any] = {"mode": "quick" if args.quick else "volledig", "config": config,
                               "machine": machine(), "versions": versions(), "load_before": list(os.getloadavg()),
                               "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "targets": TARGETS}
    with tempfile.TemporaryDirectory(prefix="dossier-bench-") as temporary:
        work = Path(temporary)
        results["a"] = bench_warm(work, config["repeat"])
        results["b"] = bench_cold(work, config["repeat"])
        results["c"] = bench_batch(work, config["batch"], config["batch_repeat"])
        results["d"], paths = bench_growth(work, config["factors"], config["repeat"])
        results["e"] = bench_memory(work, paths, config["factors"])
        results["f"] = bench_startup(config["repeat"])
        results["g"] = bench_pdf(work, config["pdf_repeat"])
    results["load_after"] = list(os.getloadavg())
    print(table(results))
    target = Path(args.json)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(f"\nresultaten: {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
