"""The pipeline: intake.json -load-> dict -validate-> -derive-> Dossier -render-> .docx -convert-> pdf/md/html."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dossier.errors import DossierError, UsageError

FORMATS = ("docx", "pdf", "md", "html")


def parse_formats(text: str) -> tuple[str, ...]:
    """Return the formats named in 'docx,pdf'; raise UsageError for an unknown one."""
    from dossier.validate import suggest

    formats = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    for name in formats:
        if name not in FORMATS:
            raise UsageError(f"onbekend formaat '{name}'; {suggest(name, FORMATS)}")
    if not formats:
        raise UsageError(f"geen formaat opgegeven; toegestaan: {', '.join(FORMATS)}")
    return formats


def prepare(path: Path | str) -> tuple[Any, Any]:
    """Return (raw intake, Dossier) for an intake file; raise InputError or KnowledgeError."""
    from dossier.derive import derive
    from dossier.knowledge import default_knowledge
    from dossier.load import load_intake
    from dossier.validate import validate

    knowledge = default_knowledge()
    intake = load_intake(path)
    validate(intake, knowledge, str(path))
    return intake, derive(intake, knowledge)


def validate_files(paths: Sequence[str]) -> Iterator[tuple[str, DossierError | None]]:
    """Yield (path, None) for each valid intake and (path, error) for each invalid one."""
    from dossier.knowledge import default_knowledge
    from dossier.load import load_intake
    from dossier.validate import validate

    knowledge = default_knowledge()
    for path in paths:
        try:
            validate(load_intake(path), knowledge, path)
        except DossierError as err:
            yield path, err
        else:
            yield path, None


def check(path: str) -> dict[str, Any]:
    """Return the derivation of one intake as a stable JSON-able document."""
    from dossier.context import clause_entries, instrument_entries, value_entries

    _, dossier = prepare(path)
    keep = ("id", "naam", "titel", "bron", "redenen", "beantwoord", "gekozen")
    return {
        "intake": path,
        "kennisbank_versie": dossier.knowledge.version,
        "waarden": [{k: v for k, v in e.items() if k in keep} for e in value_entries(dossier)],
        "instrumenten": [{k: v for k, v in e.items() if k in keep} for e in instrument_entries(dossier)],
        "clausules": [{k: v for k, v in e.items() if k in keep} for e in clause_entries(dossier)],
        "open_punten": list(dossier.open_points),
        "waarschuwingen": list(dossier.warnings),
        "gereed": dossier.ready,
        "status": dossier.status,
    }


@dataclass
class BuildReport:
    """What a build call wrote, what failed and why, and the warnings to show."""

    written: list[Path] = field(default_factory=list)
    failed: list[tuple[str, DossierError]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    built: int = 0

    def summary(self) -> str:
        lines = [f"{self.built} dossier(s) gemaakt, {len(self.failed)} mislukt."]
        for path, error in self.failed:
            first = error.lines()[0] if error.lines() else str(error)
            lines.append(f"  mislukt: {path}: {first}")
        return "\n".join(lines)


def build_one(path: str, out_dir: Path, dump_context: bool = False) -> tuple[list[Path], list[str]]:
    """Build the .docx (and context JSON) of one intake; return (written paths, warnings)."""
    from dossier.render import render_dossier
    from dossier.write import write_atomic, write_json_atomic

    raw, dossier = prepare(path)
    document, context = render_dossier(raw, dossier)
    target = out_dir / f"{Path(path).stem}.docx"
    written = [write_atomic(target, document)]
    if dump_context:
        written.append(write_json_atomic(target.with_suffix(".context.json"), context))
    return written, [f"{path}: {w}" for w in dossier.warnings]


def build_many(paths: Sequence[str], out_dir: Path, formats: Sequence[str] = ("docx",), dump_context: bool = False,
               progress: Callable[[str], None] | None = None) -> BuildReport:
    """Build every intake, going on past failures; return what was written and what failed."""
    from dossier.write import ensure_directory

    report = BuildReport()
    ensure_directory(out_dir)
    for number, path in enumerate(paths, 1):
        try:
            written, warnings = build_one(path, out_dir, dump_context)
        except DossierError as err:
            report.failed.append((path, err))
        else:
            report.built += 1
            report.written += written
            report.warnings += warnings
        if progress:
            progress(f"[{number}/{len(paths)}] {path}")
    return report
