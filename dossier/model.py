"""The dossier model: what derivation produces and the only thing rendering reads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from dossier.knowledge import Clause, Instrument, Knowledge

INTAKE = "intake"
DERIVED = "afgeleid"


@dataclass(frozen=True)
class AppliedValue:
    """A value that applies to the project: from the knowledge base or the project's own."""

    id: str
    name: str
    question: str
    source: str
    origin: str  # "tabel_1", "aanvullend" or "eigen"
    row_number: int | None
    answer: str | None
    relevance: str | None
    pointer: str | None  # where the intake answers it
    reasons: tuple[str, ...]

    @property
    def answered(self) -> bool:
        return self.answer is not None

    @property
    def derived(self) -> bool:
        return bool(self.reasons)


@dataclass(frozen=True)
class InstrumentPlan:
    """An instrument chosen in the intake and/or recommended by derivation."""

    instrument: Instrument
    chosen: Mapping[str, Any] | None  # the intake's entry (motivatie, planning, begeleider, deelnemers)
    rejection: str | None  # the intake's motivation for not choosing a recommended instrument
    needs: tuple[str, ...]  # the guide's needs this instrument serves
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class ClauseUse:
    """A procurement clause selected in the intake and/or required by derivation."""

    clause: Clause
    selected: bool
    parameters: Mapping[str, Any]  # as given in the intake; missing ones take defaults
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Dossier:
    """Everything a dossier shows, derived from one validated intake and the knowledge base."""

    intake: Mapping[str, Any]  # the validated intake with XML-illegal characters removed
    knowledge: Knowledge
    values: tuple[AppliedValue, ...]
    instruments: tuple[InstrumentPlan, ...]
    clauses: tuple[ClauseUse, ...]
    open_points: tuple[str, ...]
    warnings: tuple[str, ...]
    reassessment: str  # ISO date
    reassessment_is_default: bool
    dilemmas: tuple[str, ...] = field(default=())

    @property
    def ready(self) -> bool:
        return not self.open_points

    @property
    def status(self) -> str:
        count = len(self.open_points)
        if not count:
            return "Gereed voor besluit"
        return f"Niet gereed: {count} open {'punt' if count == 1 else 'punten'}"
