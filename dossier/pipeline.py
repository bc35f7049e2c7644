"""The pipeline: intake.json -load-> dict -validate-> -derive-> Dossier -render-> .docx -convert-> pdf/md/html."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dossier import markdown, render, word
from dossier.check import check_report
from dossier.clauses import Export, export_clauses
from dossier.convert import (
    PANDOC_FORMATS,
    check_headings,
    docx_to_pdf,
    docx_to_text,
    find_soffice,
    heading_texts,
    source_date_epoch,
)
from dossier.derive import derive
from dossier.errors import EXIT_OK, ConversionError, DossierError, InternalError, OutputError, UsageError
from dossier.knowledge import default_knowledge
from dossier.labels import enums
from dossier.messages import suggest
from dossier.model import Dossier
from dossier.sign import with_signature_fields
from dossier.validate import load_valid
from dossier.write import ensure_directory, write_atomic, write_json_atomic

FORMATS = ("docx", "pdf", "md", "html")


def parse_formats(text: str) -> tuple[str, ...]:
    """Return the formats named in 'docx,pdf'; raise UsageError for an unknown one."""
    formats = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    for name in formats:
        if name not in FORMATS:
            raise UsageError(f"onbekend formaat '{name}'; {suggest(name, FORMATS)}")
    if not formats:
        raise UsageError(f"geen formaat opgegeven; toegestaan: {', '.join(FORMATS)}")
    return formats


def prepare(path: Path | str) -> Dossier:
    """Return the Dossier of an intake file, made for the packaged template; raise InputError or KnowledgeError."""
    knowledge = default_knowledge()
    return derive(load_valid(path, knowledge), knowledge, render.load_template().stamp)


def check(path: str) -> dict[str, Any]:
    """Return the derivation of one intake as a stable JSON-able document (see dossier.check)."""
    return check_report(prepare(path), path)


def choices() -> dict[str, Any]:
    """Return every choice field (enum) of the intake with its allowed values and their Dutch labels."""
    knowledge = default_knowledge()
    fields = []
    for enum in enums():
        names = {i: knowledge.instruments[i].name for i in enum.values if i in knowledge.instruments}
        labels = names if enum.from_knowledge else enum.labels
        fields.append({"veld": enum.place, "omschrijving": enum.description,
                       "waarden": [{"waarde": value, "label": labels.get(value, value)} for value in enum.values]})
    return {"kennisbank_versie": knowledge.version, "velden": fields}


def export_annex(ids: Sequence[str] = (), topic: str | None = None, intake: str | None = None,
                 settings: Mapping[str, str] | None = None, format: str | None = None,
                 output: str | None = None, family: str | None = None) -> Export:
    """Export a clause annex (see dossier.clauses.export_clauses); with intake, over that intake's Dossier."""
    dossier = prepare(intake) if intake is not None else None
    return export_clauses(ids, topic, dossier, settings, format, output, intake, family)


@dataclass
class BuildReport:
    """What a build call wrote (in input order), what failed and why, and the warnings to show."""

    written: list[Path] = field(default_factory=list)
    failed: list[tuple[str, DossierError]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[DossierError] = field(default_factory=list)  # failures of the whole call, e.g. no LibreOffice
    built: int = 0
    _statuses: list[tuple[Path, str]] = field(default_factory=list)

    def add(self, outcome: _Outcome, formats: Sequence[str]) -> None:
        """Record one intake's outcome; it counts as built when none of its steps failed."""
        self.written += [outcome.files[name] for name in (*formats, "context") if name in outcome.files]
        main = next((outcome.files[name] for name in formats if name in outcome.files), None)
        if main is not None and outcome.status:
            status = outcome.status[0].lower() + outcome.status[1:]
            self._statuses.append((main, status if outcome.ready else f"{status} — zie dossier check {outcome.path}"))
        self.failed += [(outcome.path, error) for error in outcome.errors]
        self.warnings += outcome.warnings
        self.built += not outcome.errors and all(name in outcome.files for name in formats)

    @property
    def statuses(self) -> list[tuple[Path, str]]:
        """Return (written dossier, its status line) for every dossier written, in input order."""
        return list(self._statuses)

    def exit_code(self) -> int:
        """Return the exit code of the call: the most serious of its failures (70 for a bug), else 0."""
        return max((error.exit_code for error in [*self.errors, *(e for _, e in self.failed)]), default=EXIT_OK)

    def summary(self) -> str:
        lines = [f"{self.built} dossier(s) volledig gemaakt, {len({path for path, _ in self.failed})} mislukt."]
        for path, error in self.failed:
            first, *rest = error.lines() or [str(error)]
            more = f" (en nog {len(rest)})" if rest else ""
            lines.append(f"  mislukt: {path}: {first.removeprefix(f'{path}:').strip()}{more}")
        return "\n".join(lines)


@dataclass
class _Outcome:
    """One intake after rendering and the pandoc conversions; crosses the process boundary."""

    path: str
    files: dict[str, Path] = field(default_factory=dict)  # format (or "context") -> published file
    warnings: list[str] = field(default_factory=list)
    errors: list[DossierError] = field(default_factory=list)
    source: Path | None = None  # the rendered .docx in the work directory, for the PDF step
    epoch: int = 0  # the intake date as Unix time: the PDF's creation date
    status: str = ""  # the dossier's status, once rendered
    ready: bool = False


def build_one(path: str, out_dir: Path, formats: Sequence[str] = ("docx",), dump_context: bool = False) -> BuildReport:
    """Build one intake in the requested formats, in this process; return the report."""
    return build_many([path], out_dir, formats, dump_context, jobs=1)


def build_many(paths: Sequence[str], out_dir: Path, formats: Sequence[str] = ("docx",), dump_context: bool = False,
               progress: Callable[[str], None] | None = None, jobs: int | None = None) -> BuildReport:
    """Build every intake into out_dir, going on past failures; return what was written and what failed.

    Rendering and the pandoc conversions run in parallel (jobs, default: all cores); the PDFs of all
    dossiers come from one LibreOffice run. Raises OutputError when out_dir cannot be made.
    """
    ensure_directory(out_dir)
    report, soffice = BuildReport(), None
    if "pdf" in formats:
        try:
            soffice = find_soffice()
        except DossierError as err:
            report.errors.append(err)
    with tempfile.TemporaryDirectory(prefix="dossier-") as work_dir:
        outcomes = _render_all(paths, out_dir, Path(work_dir), formats, dump_context, progress, jobs)
        if soffice:
            _convert_pdfs(outcomes, out_dir, soffice, progress)
    for outcome in outcomes:
        report.add(outcome, formats)
    return report


def _render_all(paths: Sequence[str], out_dir: Path, work_dir: Path, formats: Sequence[str], dump_context: bool,
                progress: Callable[[str], None] | None, jobs: int | None) -> list[_Outcome]:
    """Return one outcome per path, in input order; a second intake with the same stem fails."""
    outcomes: list[_Outcome | None] = [None] * len(paths)
    todo: list[int] = []
    first_of: dict[str, str] = {}
    inputs = {os.path.realpath(path) for path in paths}
    for index, path in enumerate(paths):
        stem = Path(path).stem
        targets = [out_dir / f"{stem}.{name}" for name in formats] + [out_dir / f"{stem}.context.json"] * dump_context
        clash = next((target for target in targets if os.path.realpath(target) in inputs), None)
        if clash is not None:
            outcomes[index] = _Outcome(path, errors=[OutputError(
                f"{path}: het dossier zou een intake overschrijven ({clash}); kies een andere uitvoermap")])
        elif stem in first_of:
            outcomes[index] = _Outcome(path, errors=[OutputError(
                f"{path}: heeft dezelfde bestandsnaam als {first_of[stem]}; het dossier zou dat van "
                f"{first_of[stem]} overschrijven. Geef een van beide een andere naam.")])
        else:
            first_of[stem] = path
            todo.append(index)
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
    arguments = (out_dir, work_dir, formats, dump_context)
    if jobs == 1:
        done: Iterator[tuple[int, _Outcome]] = ((i, _render_and_convert(paths[i], *arguments)) for i in todo)
        for number, (index, outcome) in enumerate(done, 1):
            outcomes[index] = _report_progress(progress, number, len(todo), outcome)
    else:
        # Processes, not threads: rendering holds the GIL. On 2 idle cores, 30 intakes to docx+md+html
        # took 4.2-4.8 s with processes, 5.2-5.9 s with threads, 7.7-8.2 s in sequence (first renderer);
        # with the template renderer on cores busy with other work all three were within 10 %.
        from concurrent.futures import ProcessPoolExecutor, as_completed

        _load_for_workers(formats)
        executor = ProcessPoolExecutor(max_workers=jobs, initializer=_worker_setup)
        try:
            futures = {executor.submit(_render_and_convert, paths[i], *arguments): i for i in todo}
            for number, future in enumerate(as_completed(futures), 1):
                outcomes[futures[future]] = _report_progress(progress, number, len(todo), future.result())
        except BaseException:  # Ctrl-C or SIGTERM: stop the workers now, not after the queue is done
            _stop_workers(executor)
            raise
        executor.shutdown(wait=True)
    return [outcome for outcome in outcomes if outcome is not None]


def _load_for_workers(formats: Sequence[str]) -> None:
    """Import the rendering stack and read the knowledge base and template here, once, before the workers
    start: forked workers inherit them instead of each paying for the imports and the loading. (jsonschema
    is left out: only an invalid intake needs it.)"""
    import docx  # noqa: F401
    import docxtpl  # noqa: F401

    if any(name in PANDOC_FORMATS for name in formats):
        import pypandoc  # noqa: F401
    default_knowledge()
    render.load_template()
    word.jinja_environment()
    word.template_class()
    markdown._parser()


def _worker_setup() -> None:
    """Run in each worker: leave Ctrl-C to the parent, and die when the parent dies (Linux)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _stop_workers(executor: Any) -> None:
    """Cancel what has not started and kill the worker processes; the caller then cleans up."""
    processes = list((getattr(executor, "_processes", None) or {}).values())  # no public way to kill them
    executor.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.kill()
    for process in processes:
        process.join(timeout=5)


def _report_progress(progress: Callable[[str], None] | None, number: int, total: int, outcome: _Outcome) -> _Outcome:
    if progress:
        progress(f"[{number}/{total}] {outcome.path}{': mislukt' if outcome.errors else ''}")
    return outcome


def _render_and_convert(path: str, out_dir: Path, work_dir: Path, formats: Sequence[str],
                        dump_context: bool) -> _Outcome:
    """Render one intake, publish its .docx, context, Markdown and HTML as requested; never raises.

    A bug (any exception that is not a DossierError) becomes an InternalError of this intake only,
    so the other intakes of a batch are still built; DOSSIER_DEBUG=1 lets it through with its traceback.
    """
    try:
        return build(path, out_dir, work_dir, formats, dump_context)
    except Exception as err:
        if os.environ.get("DOSSIER_DEBUG"):
            raise
        return _Outcome(path, errors=[InternalError(
            f"{path}: interne fout in dossier ({type(err).__name__}: {err}); meld dit aan de beheerders, "
            "met DOSSIER_DEBUG=1 voor de details")])


def build(path: str, out_dir: Path, work_dir: Path, formats: Sequence[str], dump_context: bool) -> _Outcome:
    """The pipeline for one intake: load, validate and derive, render, publish, convert to text formats.

    DossierErrors are recorded in the outcome; bugs raise. The PDF step runs later, for all intakes at once.
    """
    outcome = _Outcome(path)
    try:
        dossier = prepare(path)
        document, context = render.render_dossier(dossier)
        _publish(outcome, dossier, document, context, out_dir, work_dir, formats, dump_context)
    except DossierError as err:
        outcome.errors.append(err)
        return outcome
    _convert_text(outcome, dossier, out_dir, formats)
    return outcome


def _publish(outcome: _Outcome, dossier: Dossier, document: bytes, context: dict[str, Any], out_dir: Path,
             work_dir: Path, formats: Sequence[str], dump_context: bool) -> None:
    """Write the .docx (and the context) to out_dir, and a private copy for the conversions."""
    stem = Path(outcome.path).stem
    outcome.warnings = [f"{outcome.path}: {warning}" for warning in dossier.warnings]
    outcome.status, outcome.ready = dossier.status, dossier.ready
    outcome.epoch = source_date_epoch(dossier.project.date)
    if any(name != "docx" for name in formats):  # the conversions read a private copy
        outcome.source = write_atomic(work_dir / f"{stem}.docx", document)
    if "docx" in formats:
        outcome.files["docx"] = write_atomic(out_dir / f"{stem}.docx", document)
    if dump_context:
        outcome.files["context"] = write_json_atomic(out_dir / f"{stem}.context.json", context)


def _convert_text(outcome: _Outcome, dossier: Dossier, out_dir: Path, formats: Sequence[str]) -> None:
    """Convert the private .docx copy to Markdown and HTML as requested, recording each failure."""
    text_formats = [name for name in formats if name in PANDOC_FORMATS]
    if not text_formats or outcome.source is None:
        return
    stem, source = Path(outcome.path).stem, outcome.source
    epoch = source_date_epoch(dossier.project.date)

    def convert(name: str) -> bytes:
        return docx_to_text(source, name, dossier.project.name, epoch)

    # The pandoc runs are separate processes: threads run them side by side (md and html together).
    with ThreadPoolExecutor(max_workers=len(text_formats)) as pandoc:
        running = [(name, pandoc.submit(convert, name)) for name in text_formats]
        headings = heading_texts(source)
        for name, future in running:
            try:
                text = future.result()
                check_headings(headings, text, name, f"{stem}.docx")
                outcome.files[name] = write_atomic(out_dir / f"{stem}.{name}", text)
            except DossierError as err:
                outcome.errors.append(err)


def _convert_pdfs(outcomes: list[_Outcome], out_dir: Path, soffice: str,
                  progress: Callable[[str], None] | None) -> None:
    """Convert every rendered .docx in one LibreOffice run and publish each PDF atomically."""
    ready = [outcome for outcome in outcomes if outcome.source is not None]
    if progress and ready:
        progress(f"PDF maken van {len(ready)} dossier(s) met LibreOffice ...")
    results = docx_to_pdf([outcome.source for outcome in ready if outcome.source], soffice)
    failed = [index for index, result in enumerate(results) if isinstance(result, DossierError)]
    if failed and len(failed) < len(results):  # one slow or broken document must not fail the others: retry alone
        for index in failed:
            source = ready[index].source
            if source is not None:
                results[index] = docx_to_pdf([source], soffice)[0]
    for outcome, result in zip(ready, results, strict=True):
        try:
            if isinstance(result, DossierError):
                raise result
            result = _with_signature_fields(outcome, result)
            outcome.files["pdf"] = write_atomic(out_dir / f"{Path(outcome.path).stem}.pdf", result)
        except DossierError as err:
            outcome.errors.append(err)


def _with_signature_fields(outcome: _Outcome, pdf: bytes) -> bytes:
    """Return the PDF with empty signature fields on the decision page; without them, and a warning, if that fails."""
    try:
        return with_signature_fields(pdf, outcome.epoch)
    except ConversionError as err:
        outcome.warnings.append(f"{outcome.path}: {err}")
        return pdf
