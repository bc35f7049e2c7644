"""Exit codes that survive pipes, batches that stop when told, files that keep their permissions."""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from dossier.errors import MAX_LINES, InputError, Problem
from dossier.markdown import is_safe_link, to_paragraphs
from tests.conftest import ROOT

EXAMPLE = ROOT / "examples" / "casus3-bezoekersdata.json"
COMMAND = [sys.executable, "-m", "dossier"]


def _shell(script: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-c", f"set -o pipefail; {script}"], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)


def test_check_keeps_its_exit_code_when_the_reader_goes_away() -> None:
    result = _shell(f"{sys.executable} -m dossier check {EXAMPLE} | head -c 1 > /dev/null")
    assert result.returncode == 3, result.stderr
    result = _shell(f"{sys.executable} -m dossier check {EXAMPLE} | grep -q Controle")
    assert result.returncode == 3 and "Traceback" not in result.stderr and "Exception" not in result.stderr


def test_a_failed_build_reports_and_fails_when_the_reader_goes_away(tmp_path: Path) -> None:
    result = _shell(f"{sys.executable} -m dossier build {tmp_path}/weg.json {EXAMPLE} -o {tmp_path} | true")
    assert result.returncode == 1
    assert f"{tmp_path}/weg.json: bestand bestaat niet" in result.stderr


@pytest.mark.parametrize(("command", "code"), [("check", 3), ("values", 1)])
def test_a_full_stdout_is_an_output_error_in_dutch(command: str, code: int) -> None:
    argument = str(EXAMPLE) if command == "check" else ""
    result = _shell(f"{sys.executable} -m dossier {command} {argument} > /dev/full")
    assert result.returncode == code
    assert "dossier: de uitvoer kan niet worden geschreven (de schijf is vol)" in result.stderr
    assert "interne fout" not in result.stderr and "Traceback" not in result.stderr


def test_errors_come_before_output(tmp_path: Path) -> None:
    result = subprocess.run([*COMMAND, "build", str(EXAMPLE), str(tmp_path / "weg.json"), "-o", str(tmp_path)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT)
    lines = result.stdout.splitlines()
    written = next(i for i, line in enumerate(lines) if line.endswith(".docx"))
    failure = next(i for i, line in enumerate(lines) if "bestaat niet" in line)
    assert failure < written


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


def _start_batch(tmp_path: Path, count: int = 40) -> tuple[subprocess.Popen[str], Path]:
    intakes = []
    for number in range(count):
        target = tmp_path / f"intake{number:02d}.json"
        shutil.copy(EXAMPLE, target)
        intakes.append(str(target))
    out = tmp_path / "uit"
    process = subprocess.Popen([*COMMAND, "build", *intakes, "-o", str(out), "--format", "docx,md"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                               env={**os.environ, "TMPDIR": str(tmp_path)})
    deadline = time.monotonic() + 60
    while not (out.exists() and any(out.iterdir())):
        assert time.monotonic() < deadline and process.poll() is None
        time.sleep(0.05)
    return process, out


def _work_directories(tmp_path: Path) -> list[Path]:
    return [path for path in tmp_path.iterdir() if path.name.startswith("dossier-")]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_a_batch_stops_within_seconds(tmp_path: Path, sig: int) -> None:
    process, out = _start_batch(tmp_path)
    workers = _children(process.pid)
    process.send_signal(sig)
    _, err = process.communicate(timeout=10)
    assert process.returncode == (130 if sig == signal.SIGINT else 143)
    assert "afgebroken" in err and "Traceback" not in err
    count = len(list(out.iterdir()))
    time.sleep(2)
    assert len(list(out.iterdir())) == count  # nothing written after the stop
    assert count < 80
    assert not [pid for pid in workers if _alive(pid)]
    assert _work_directories(tmp_path) == []


def test_workers_die_with_their_parent(tmp_path: Path) -> None:
    process, _ = _start_batch(tmp_path)
    deadline = time.monotonic() + 30
    while not (workers := [pid for pid in _children(process.pid) if _alive(pid)]):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    process.kill()
    process.communicate(timeout=10)  # returns once no worker holds the pipes any more
    deadline = time.monotonic() + 10
    while [pid for pid in workers if _alive(pid)]:
        assert time.monotonic() < deadline, "workers outlived their parent"
        time.sleep(0.1)


def test_output_files_respect_the_umask(tmp_path: Path) -> None:
    subprocess.run(["bash", "-c", f"umask 077 && {sys.executable} -m dossier build {EXAMPLE} -o {tmp_path}"],
                   check=True, cwd=ROOT, capture_output=True)
    assert stat.S_IMODE((tmp_path / f"{EXAMPLE.stem}.docx").stat().st_mode) == 0o600


def test_a_rebuild_never_widens_a_file_mode(run, tmp_path: Path) -> None:
    assert run("build", EXAMPLE, "-o", tmp_path)[0] == 0
    document = tmp_path / f"{EXAMPLE.stem}.docx"
    document.chmod(0o600)
    assert run("build", EXAMPLE, "-o", tmp_path)[0] == 0
    assert stat.S_IMODE(document.stat().st_mode) == 0o600


def test_a_long_valid_file_name_is_written(run, tmp_path: Path, minimal: dict[str, Any]) -> None:
    name = "d" * 245 + ".json"  # the .docx is 250 characters: valid, and no temporary name may be longer
    (tmp_path / name).write_text(json.dumps(minimal), "utf-8")
    code, _, err = run("build", tmp_path / name, "-o", tmp_path / "uit")
    assert code == 0, err
    assert (tmp_path / "uit" / ("d" * 245 + ".docx")).exists()


def test_escape_sequences_in_file_names_never_reach_the_terminal(run, tmp_path: Path) -> None:
    code, out, err = run("build", tmp_path / "\x1b]0;pwned\x07.json", "-o", tmp_path)
    assert code == 1 and "\x1b" not in err + out and "\\x1b" in err


def test_dump_context_never_overwrites_an_intake(run, tmp_path: Path, minimal: dict[str, Any]) -> None:
    (tmp_path / "x.json").write_text(json.dumps(minimal), "utf-8")
    other = tmp_path / "x.context.json"
    other.write_text(json.dumps(minimal), "utf-8")
    before = other.read_bytes()
    code, _, err = run("build", tmp_path / "x.json", other, "-o", tmp_path, "--dump-context")
    assert code == 1 and "het dossier zou een intake overschrijven" in err
    assert other.read_bytes() == before


def test_messages_are_capped_with_a_count() -> None:
    error = InputError(problems=[Problem("intake.json", pointer=f"/x/{i}", message="fout") for i in range(250)])
    lines = error.lines()
    assert len(lines) == MAX_LINES + 1 and lines[-1] == f"intake.json: en nog {250 - MAX_LINES} problemen"


def test_a_huge_number_of_problems_stops_early(run, tmp_path: Path, minimal: dict[str, Any]) -> None:
    minimal["afweging"] = [{"onbekend": i} for i in range(5000)]
    (tmp_path / "veel.json").write_text(json.dumps(minimal), "utf-8")
    code, _, err = run("validate", tmp_path / "veel.json")
    lines = err.splitlines()
    assert code == 1 and len(lines) == MAX_LINES + 1 and "en nog" in lines[-1]


def test_a_date_at_the_end_of_the_calendar_is_a_user_error(run, tmp_path: Path, minimal: dict[str, Any]) -> None:
    minimal["project"]["datum"] = "9999-12-31"
    (tmp_path / "laat.json").write_text(json.dumps(minimal), "utf-8")
    code, _, err = run("build", tmp_path / "laat.json", "-o", tmp_path / "uit")
    assert code == 1 and "/project/datum: datum 9999-12-31 ligt te ver in de toekomst" in err
    assert "interne fout" not in err


@pytest.mark.parametrize("url", ["ms-msdt:/id PCWDiagnostic", "search-ms:query=x", "ms-word:ofe|u|http://x",
                                 "smb://host/share", "//host/share", "file:///etc/passwd", "javascript:alert(1)",
                                 "http:relative", "https:"])
def test_only_http_https_and_mailto_become_links(url: str) -> None:
    assert not is_safe_link(url)
    xml = to_paragraphs(f"[klik]({url.replace(' ', '%20')})", lambda target: "rId99")
    assert "w:hyperlink" not in xml and "klik" in xml


@pytest.mark.parametrize("url", ["https://www.ipo.nl/", "http://example.org/a?b=c", "mailto:ethiek@provincie.nl"])
def test_ordinary_links_stay_links(url: str) -> None:
    assert is_safe_link(url)
    assert 'r:id="rId99"' in to_paragraphs(f"[klik]({url})", lambda target: "rId99")


def test_c1_control_characters_are_removed_with_a_warning(run, tmp_path: Path, minimal: dict[str, Any]) -> None:
    minimal["drietrap"]["kan_het"]["toelichting"] = "Eerst\x85dan\x9bdaarna"
    (tmp_path / "c1.json").write_text(json.dumps(minimal), "utf-8")
    code, _, err = run("build", tmp_path / "c1.json", "-o", tmp_path / "uit")
    assert code == 0
    assert "Uit /drietrap/kan_het/toelichting zijn 2 teken(s) verwijderd" in err and "U+0085, U+009B" in err


def test_a_page_break_entity_in_markdown_is_no_page_break(minimal: dict[str, Any]) -> None:
    xml = to_paragraphs("Voor&#12;na en &#11;", lambda target: "rId1")
    assert "Voorna" in xml and "\x0c" not in xml and "\x0b" not in xml
