"""Convert dossier .docx files: to PDF with LibreOffice (Word layout), to Markdown and HTML with pandoc.

The .docx is always the source. Every conversion checks its own output, because LibreOffice exits 0
when it fails and no converter reports text it silently lost.
"""

from __future__ import annotations

import contextlib
import datetime
import html
import os
import re
import shutil
import signal
import stat
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from html.parser import HTMLParser
from pathlib import Path

from dossier.errors import ConversionError, os_reason

SOFFICE = "soffice"  # looked up on PATH at call time, so tests can hide it
PDF_TIMEOUT_START = 60.0  # seconds for LibreOffice to start, plus ...
PDF_TIMEOUT_PER_DOCUMENT = 20.0  # ... this per document (measured: ~0.3 s each, 1.5 s start)
PANDOC_TIMEOUT = 60.0
PANDOC_FORMATS = {"md": "gfm", "html": "html5"}
INSTALL_HINT = ("PDF niet gemaakt: LibreOffice ontbreekt (programma 'soffice' niet gevonden). "
                "Installeer het met 'make pdf-deps' (als root, Debian/Ubuntu: libreoffice-writer-nogui "
                "en de lettertypen Carlito en Caladea).")


def find_soffice() -> str:
    """Return the path of LibreOffice's soffice; raise ConversionError with the install hint if absent."""
    found = shutil.which(SOFFICE)
    if not found:
        raise ConversionError(INSTALL_HINT)
    return found


def docx_to_pdf(documents: Sequence[Path], soffice: str,
                timeout: float | None = None) -> list[bytes | ConversionError]:
    """Convert all documents in one LibreOffice run; return per document the PDF bytes or the error.

    Raises ValueError when two documents share a file name stem (LibreOffice names the PDF after it).
    """
    stems = [document.stem for document in documents]
    if len(set(stems)) != len(stems):
        raise ValueError(f"documenten met dezelfde naam: {stems}")
    if not documents:
        return []
    timeout = timeout or PDF_TIMEOUT_START + PDF_TIMEOUT_PER_DOCUMENT * len(documents)
    with tempfile.TemporaryDirectory(prefix="dossier-pdf-") as temporary, _profile() as shared:
        fresh = Path(temporary, "profiel")
        results, reason = _convert(documents, soffice, shared or fresh, Path(temporary, "pdf"), timeout)
        if shared and not any(isinstance(result, bytes) for result in results) and not reason_is_timeout(reason):
            # A damaged shared profile must not break every later PDF: start it over and retry once, fresh.
            shutil.rmtree(shared, ignore_errors=True)
            results, _ = _convert(documents, soffice, fresh, Path(temporary, "pdf-opnieuw"), timeout)
        return results


def reason_is_timeout(reason: str | None) -> bool:
    """Return whether a failure reason of _run_soffice says LibreOffice did not answer in time."""
    return reason is not None and "reageerde niet" in reason


def _convert(documents: Sequence[Path], soffice: str, profile: Path, out_dir: Path,
             timeout: float) -> tuple[list[bytes | ConversionError], str | None]:
    """Run LibreOffice once on every document; return per document the PDF bytes or the error, and why it failed."""
    command = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", "--nologo",
               "--nolockcheck", "--convert-to", "pdf", "--outdir", str(out_dir), *(str(d) for d in documents)]
    reason = _run_soffice(command, timeout)
    results: list[bytes | ConversionError] = []
    for document in documents:
        pdf = out_dir / f"{document.stem}.pdf"
        data = pdf.read_bytes() if pdf.is_file() else b""
        if data.startswith(b"%PDF-"):
            results.append(data)
        else:
            problem = "leeg of geen PDF" if pdf.is_file() else "LibreOffice maakte geen PDF"
            results.append(ConversionError(f"{document.name}: PDF niet gemaakt ({reason or problem})"))
    return results, reason


@contextlib.contextmanager
def _profile() -> Iterator[Path | None]:
    """Yield the user's reusable LibreOffice profile, locked for this run, or None for a fresh one.

    Creating a profile costs LibreOffice about 0.5 s of CPU per call, so it is kept in the user's cache
    folder, in a directory only the user can open (0700). None (use a fresh profile) when the cache is
    off (DOSSIER_NO_CACHE=1), the directory is not the user's own or is open to others, or another
    dossier process is converting with it right now.
    """
    try:
        import fcntl
    except ImportError:  # not POSIX: no shared profile
        yield None
        return
    if os.environ.get("DOSSIER_NO_CACHE"):
        yield None
        return
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "dossier"
    profile = root / "libreoffice-profiel"
    try:
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
        lock = os.open(root / "libreoffice-profiel.lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    except OSError:
        yield None
        return
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with contextlib.suppress(FileExistsError):
            profile.mkdir(mode=0o700)
        status = os.lstat(profile)
        private = (stat.S_ISDIR(status.st_mode) and status.st_uid == os.getuid()
                   and not status.st_mode & (stat.S_IRWXG | stat.S_IRWXO))
        chosen = profile if private else None
    except OSError:  # locked by another process, or the directory cannot be made: a fresh profile
        chosen = None
    try:
        yield chosen
    finally:
        os.close(lock)  # closing releases the lock


def _run_soffice(command: list[str], timeout: float) -> str | None:
    """Run LibreOffice in its own process group; return a Dutch reason when it failed as a whole."""
    try:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, start_new_session=True)
    except OSError as err:
        return f"LibreOffice kan niet worden gestart: {os_reason(err)}"
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        # soffice starts soffice.bin as a child: stop the whole group, not just the wrapper.
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        return f"LibreOffice reageerde niet binnen {timeout:.0f} s"
    if process.returncode:
        lines = [line for line in stderr.decode(errors="replace").splitlines()
                 if line.strip() and "javaldx" not in line]
        return f"LibreOffice stopte met code {process.returncode}{': ' + lines[-1] if lines else ''}"
    return None


def source_date_epoch(iso_date: str | None) -> int:
    """Return the Unix time of midnight UTC on iso_date ('2025-03-14'), or 0 when absent or invalid."""
    try:
        day = datetime.date.fromisoformat(iso_date or "")
    except ValueError:
        return 0
    return int(datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.UTC).timestamp())


def docx_to_text(document: Path, fmt: str, title: str, epoch: int = 0) -> bytes:
    """Return the document as GitHub Markdown ('md') or standalone HTML ('html'); raise ConversionError.

    pandoc runs as a subprocess with its own environment (SOURCE_DATE_EPOCH, so output is
    byte-identical run to run) rather than through pypandoc.convert_file, which can only pass
    the environment by changing os.environ for the whole process.
    """
    import pypandoc

    try:
        pandoc = pypandoc.get_pandoc_path()
    except OSError as err:
        raise ConversionError(f"{document.name}: pandoc niet gevonden ({err})") from err
    command = [pandoc, "--from=docx", f"--to={PANDOC_FORMATS[fmt]}", "--standalone", "--wrap=none"]
    if fmt == "html":
        command += ["--embed-resources", f"--metadata=pagetitle:{title}", "--metadata=lang:nl"]
    environment = dict(os.environ, SOURCE_DATE_EPOCH=str(epoch))
    try:
        result = subprocess.run([*command, str(document)], capture_output=True, env=environment,
                                timeout=PANDOC_TIMEOUT, check=False)
    except subprocess.TimeoutExpired as err:
        raise ConversionError(f"{document.name}: {fmt} niet gemaakt (pandoc reageerde niet binnen "
                              f"{PANDOC_TIMEOUT:.0f} s)") from err
    except OSError as err:
        raise ConversionError(f"{document.name}: {fmt} niet gemaakt (pandoc kan niet worden gestart: "
                              f"{os_reason(err)})") from err
    if result.returncode:
        message = result.stderr.decode(errors="replace").strip().splitlines()
        raise ConversionError(f"{document.name}: {fmt} niet gemaakt (pandoc stopte met code "
                              f"{result.returncode}{': ' + message[-1] if message else ''})")
    return result.stdout


def heading_texts(document: Path) -> list[str]:
    """Return the text of every Heading 1 ('Kop 1' in a Dutch Word) paragraph of a .docx."""
    import docx

    return [paragraph.text for paragraph in docx.Document(str(document)).paragraphs
            if paragraph.style is not None and paragraph.style.name is not None
            and paragraph.style.name.startswith(("Heading 1", "Kop 1"))]


def check_headings(headings: Sequence[str], output: bytes, fmt: str, name: str) -> None:
    """Raise ConversionError naming every heading whose text is missing from the converted output."""
    text = _visible_text(output.decode("utf-8", errors="replace"), fmt)
    missing = [heading for heading in headings if _normal(heading) and _normal(heading) not in text]
    if missing:
        raise ConversionError(f"{name}: {fmt} mist {len(missing)} hoofdstuk(ken): "
                              + "; ".join(f"'{heading}'" for heading in missing))


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _visible_text(text: str, fmt: str) -> str:
    if fmt == "html":
        parser = _TextOnly()
        parser.feed(text)
        parser.close()
        return _normal("".join(parser.parts))
    # Markdown escapes punctuation with a backslash and may write entities such as &nbsp;.
    return _normal(html.unescape(re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)))


def _normal(text: str) -> str:
    return " ".join(text.split())
