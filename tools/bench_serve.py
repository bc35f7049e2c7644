"""Benchmark of the live check of `dossier serve` (`make bench-serve`): prints a table, writes output/bench-serve.json.

One round trip is what the browser does after each change: POST the whole form to /concept/ID/controle, the
server merges it into the draft, stores the draft, validates and derives it, and renders the messages and the
panel. Measured over HTTP against a real server (a `dossier serve` process on 127.0.0.1), one change per
request (the project name gets one more character), for:

  casus3    the main example, valid (derivation shown)
  groot     casus 3 with 10x its values, reasons and measures
  nieuw     a new, empty intake (25 problems, no derivation)

with a trivial request (GET /favicon.ico) as the baseline of the same run. Target: median well under 150 ms.
This is a measurement, not a test: it never fails on a slow figure. --quick does fewer requests.
"""

from __future__ import annotations

import argparse
import copy
import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from dossier.knowledge import default_knowledge  # noqa: E402
from dossier.serve import engine, form  # noqa: E402
from dossier.validate import intake_schema  # noqa: E402

MAIN_EXAMPLE = ROOT / "examples" / "casus3-bezoekersdata.json"
BUDGET_MS = 150.0


def scaled(intake: dict[str, Any], factor: int) -> dict[str, Any]:
    """Return the intake with its own values, reasons and measures repeated factor times (ids kept unique)."""
    result = copy.deepcopy(intake)
    for key in ("afweging", "handelingsopties", "betrokkenen"):
        result[key] = [copy.deepcopy(item) for _ in range(factor) for item in intake.get(key, [])]
    own = []
    for n in range(factor * 3):
        own.append(
            {
                "eigen": {"id": f"eigen_{n}", "naam": f"Eigen waarde {n}", "vraag": "Wat betekent dit?"},
                "antwoord": f"Antwoord {n}.",
            }
        )
    result["waarden"] = intake["waarden"] + own
    return result


def posted_form(intake: Any, name_suffix: str) -> bytes:
    """Return the urlencoded body a browser posts for this draft, with the project name changed."""
    root = form.build_form(intake_schema(), intake, default_knowledge())
    pairs: list[tuple[str, str]] = [("_bezocht", "[]"), ("_bestandsnaam", "bench.json")]
    for node in root.walk():
        if node.kind == "multi":
            pairs += [(node.pointer, "")] + [(node.pointer, v) for v in node.selected]
        elif node.is_leaf:
            value = node.display
            if node.pointer == "/project/naam":
                value = (value or "Project") + name_suffix
            pairs.append((node.pointer, value))
    return urllib.parse.urlencode(pairs).encode("ascii")


def start_server(folder: Path) -> tuple[subprocess.Popen[str], str, int]:
    process = subprocess.Popen(
        [sys.executable, "-m", "dossier", "serve", str(folder), "--port", "0", "--no-browser"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
    )
    assert process.stdout is not None
    match = re.search(r"http://(127\.0\.0\.1):(\d+)/", process.stdout.readline())
    if not match:
        process.kill()
        raise SystemExit("dossier serve did not start")
    return process, match[1], int(match[2])


def new_draft(connection: http.client.HTTPConnection, origin: str, path: str, body: bytes) -> str:
    connection.request(
        "POST", path, body=body, headers={"origin": origin, "content-type": "application/x-www-form-urlencoded"}
    )
    response = connection.getresponse()
    response.read()
    location = response.getheader("location") or ""
    if response.status != 303 or "/concept/" not in location:
        raise SystemExit(f"could not make a draft: {response.status}")
    return location.rsplit("/", 1)[1]


class Connection(http.client.HTTPConnection):
    """An HTTP connection without Nagle's delay, as browsers have.

    Python's http.client writes the headers and the body of a request separately; with Nagle's algorithm and
    delayed acknowledgements that adds about 40 ms to every POST, which a browser does not pay.
    """

    def connect(self) -> None:
        super().connect()
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def time_requests(
    connection: http.client.HTTPConnection, requests: list[tuple[str, str, bytes | None]], origin: str
) -> list[float]:
    """Return the wall time in ms of each request, sent one after another on one keep-alive connection."""
    times = []
    for method, path, body in requests:
        headers = {"origin": origin, "hx-request": "true", "content-type": "application/x-www-form-urlencoded"}
        started = time.perf_counter()
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        times.append((time.perf_counter() - started) * 1000)
        if response.status not in (200, 204):
            raise SystemExit(f"{method} {path}: {response.status}")
    return times


def summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "median_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 1),
        "max_ms": round(ordered[-1], 1),
        "requests": len(ordered),
    }


def in_process(intake: Any, repeat: int) -> dict[str, float]:
    """Return the median ms of the library steps of one round trip, without HTTP and rendering."""

    def median(action: Any) -> float:
        values = []
        for _ in range(repeat):
            started = time.perf_counter()
            action()
            values.append((time.perf_counter() - started) * 1000)
        return round(statistics.median(values), 1)

    return {
        "validate_derive_ms": median(lambda: engine.examine(intake, "bench.json")),
        "build_form_ms": median(lambda: form.build_form(intake_schema(), intake, default_knowledge())),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer requests, for a smoke test")
    parser.add_argument("--json", default=str(Path("output") / "bench-serve.json"), help="where to write the figures")
    args = parser.parse_args()
    count = 4 if args.quick else 60
    main_intake = json.loads(MAIN_EXAMPLE.read_text("utf-8"))
    cases = {"casus3": main_intake, "groot": scaled(main_intake, 10), "nieuw": form.skeleton(intake_schema())}
    results: dict[str, Any] = {
        "mode": "quick" if args.quick else "full",
        "budget_ms": BUDGET_MS,
        "cases": {},
        "load_average": list(os.getloadavg()),
        "cpus": os.cpu_count(),
    }
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as work:
        folder = Path(work)
        for name, intake in cases.items():
            (folder / f"{name}.json").write_text(json.dumps(intake, ensure_ascii=False), "utf-8")
        process, host, port = start_server(folder)
        origin = f"http://{host}:{port}"
        try:
            connection = Connection(host, port, timeout=30)
            baseline = time_requests(connection, [("GET", "/favicon.ico", None)] * count, origin)
            results["baseline"] = summary(baseline)
            connection.close()
            for name, intake in cases.items():
                bodies = [posted_form(intake, "x" * (i + 1)) for i in range(count + (1 if args.quick else 3))]
                connection = Connection(host, port, timeout=30)  # fresh: keep-alive ends when idle
                draft = new_draft(
                    connection, origin, "/openen", urllib.parse.urlencode({"pad": f"{name}.json"}).encode()
                )
                requests = [("POST", f"/concept/{draft}/controle", body) for body in bodies]
                times = time_requests(connection, requests, origin)[
                    len(bodies) - count :
                ]  # the first ones warm the caches
                connection.close()
                row = summary(times) | in_process(intake, 2 if args.quick else 20)
                row["form_kb"] = round(len(bodies[0]) / 1024, 1)
                row["ratio_to_budget"] = round(row["median_ms"] / BUDGET_MS, 2)
                row["ratio_to_baseline"] = round(row["median_ms"] / max(results["baseline"]["median_ms"], 0.01), 1)
                results["cases"][name] = row
        finally:
            process.terminate()
            process.wait(timeout=10)
    load = ", ".join(f"{x:.1f}" for x in results["load_average"])
    print(
        f"Live check of dossier serve (one change, over HTTP; budget {BUDGET_MS:.0f} ms; "
        f"{results['cpus']} cores, load average {load})"
    )
    print(f"  baseline GET /favicon.ico: median {results['baseline']['median_ms']} ms")
    print(f"  {'intake':<8} {'median':>8} {'p95':>8} {'max':>8} {'valid+derive':>13} {'form':>7} {'posted':>8}  ratio")
    for name, row in results["cases"].items():
        print(
            f"  {name:<8} {row['median_ms']:>6} ms {row['p95_ms']:>5} ms {row['max_ms']:>5} ms "
            f"{row['validate_derive_ms']:>10} ms {row['build_form_ms']:>4} ms {row['form_kb']:>5} kB  "
            f"{row['ratio_to_budget']} of budget"
        )
    target = Path(args.json)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(results, indent=2) + "\n", "utf-8")
    print(f"written: {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
