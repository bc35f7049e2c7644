"""The dossier model: what derivation produces and the only thing the writers read.

A ``Dossier`` holds everything a writer shows (the Word context, ``check``, the clause annex,
``--dump-context``): the intake's answers with their Dutch labels resolved, the derivation's values,
instruments, clauses, open points and warnings with their reasons, the canonical intake text and
the reference. Writers never see the raw intake and never import a rule.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from dossier import __version__
from dossier.knowledge import Clause, Family, Instrument, Knowledge, Value

INTAKE = "intake"
DERIVED = "afgeleid"


def canonical_json(intake: object) -> str:
    """Return the canonical JSON text of an intake: sorted keys, ASCII only, no spaces."""
    return json.dumps(intake, sort_keys=True, ensure_ascii=True, separators=(",", ":"))


REFERENCE_SCHEME = "2"  # scheme 1 (before): SHA-256 of intake + knowledge-base version string + template digest


def dossier_reference(canonical: str, knowledge_digest: str, template_sha256: str, program_version: str) -> str:
    """Return the dossier reference: the SHA-256 (hex) of everything that determines the document.

    That is the canonical intake JSON, the knowledge base's content digest (Knowledge.digest), the
    template file's SHA-256 and the program version (whose rules derive the open points), each on
    its own labelled line, so no two different inputs give the same text to hash.
    """
    text = (f"dossierreferentie {REFERENCE_SCHEME}\nprogramma {program_version}\nkennisbank {knowledge_digest}\n"
            f"template {template_sha256}\nintake {canonical}")
    return hashlib.sha256(text.encode("ascii", "backslashreplace")).hexdigest()


@dataclass(frozen=True)
class TemplateStamp:
    """Which Word template a dossier is made for: the SHA-256 (hex) of its bytes and its stored version."""

    sha256: str
    version: str


@dataclass(frozen=True)
class AppliedValue:
    """A value that applies to the project: from the knowledge base or the project's own."""

    id: str
    name: str
    question: str
    source: str
    origin: str  # "tabel_1", "aanvullend" or "eigen"
    origin_label: str  # "Tabel 1, rij 3", "Aanvullende waarde", "Eigen waarde"
    row_number: int | None
    answer: str | None
    relevance: str | None
    relevance_label: str  # empty when not given
    pointer: str | None  # where the intake answers it
    reasons: tuple[str, ...]  # the derivation's
    explanation: tuple[str, ...]  # what the dossier says about why: the intake's answer, then the reasons

    @property
    def answered(self) -> bool:
        return self.answer is not None

    @property
    def derived(self) -> bool:
        return bool(self.reasons)

    @property
    def sources(self) -> tuple[str, ...]:
        """Return INTAKE and/or DERIVED: where the value comes from."""
        return tuple(b for b, on in ((INTAKE, self.answered), (DERIVED, self.derived)) if on)


@dataclass(frozen=True)
class InstrumentPlan:
    """An instrument chosen in the intake and/or recommended by derivation."""

    instrument: Instrument
    chosen: bool
    motivation: str  # the intake's, when chosen; else empty
    planning: str | None  # ISO date
    facilitator: str | None
    participants: int | None
    rejection: str | None  # the intake's motivation for not choosing a recommended instrument
    needs: tuple[str, ...]  # the guide's needs this instrument serves
    reasons: tuple[str, ...]
    explanation: tuple[str, ...]  # the intake's choice, then the reasons

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(b for b, on in ((INTAKE, self.chosen), (DERIVED, bool(self.reasons))) if on)


@dataclass(frozen=True)
class FilledParameter:
    """One parameter of a clause with the value the text shows."""

    name: str
    value: str
    is_default: bool
    description: str


@dataclass(frozen=True)
class ClauseUse:
    """A procurement clause in a dossier or an annex: its filled-in text and why it is there."""

    number: int
    clause: Clause
    family: Family  # the kind of document the text is for
    topic: str  # the topic's Dutch name
    selected: bool  # chosen in the intake
    given: Mapping[str, str | int]  # parameter values given (intake, its party, --set); the others take defaults
    parts: tuple[tuple[str, bool], ...]  # the family's text as (piece, is_default)
    parameters: tuple[FilledParameter, ...]  # those the family's text uses
    reasons: tuple[str, ...]
    explanation: tuple[str, ...]

    @classmethod
    def fill(cls, number: int, clause: Clause, family: Family, topic: str, given: Mapping[str, str | int],
             selected: bool = False, reasons: tuple[str, ...] = ()) -> ClauseUse:
        """Return the clause with the family's text filled in from given (defaults for the rest)."""
        parameters = tuple(FilledParameter(name, p.show(given.get(name, p.default)), name not in given, p.description)
                           for name, p in clause.parameters_in(family.id).items())
        explanation = ((f"Clausule '{clause.title}' is gekozen in de intake.",) if selected else ()) + reasons
        return cls(number, clause, family, topic, selected, dict(given), tuple(clause.fill(given, family.id)),
                   parameters, reasons, explanation)

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(b for b, on in ((INTAKE, self.selected), (DERIVED, bool(self.reasons))) if on)

    @property
    def has_defaults(self) -> bool:
        return any(is_default for _, is_default in self.parts)


@dataclass(frozen=True)
class Project:
    """The project as the intake describes it."""

    name: str
    province: str
    department: str | None
    leader: str
    adviser: str
    date: str  # ISO
    phase: str
    phase_label: str
    central_question: str
    description: str  # Markdown


@dataclass(frozen=True)
class DataSource:
    """A data source the project uses, with the Dutch label of its origin."""

    name: str
    origin_label: str
    explanation: str
    chain_responsibility: str


@dataclass(frozen=True)
class Supplier:
    """The external supplier and the Dutch labels of what it supplies."""

    name: str
    supplies_labels: tuple[str, ...]


@dataclass(frozen=True)
class Technology:
    """What the project uses, with Dutch labels; None where the intake does not say."""

    kinds_labels: tuple[str, ...]
    personal_data_label: str
    special_personal_data: bool | None
    decisions_about_people: bool
    citizen_contact: bool | None
    dpia_label: str | None
    data_sources: tuple[DataSource, ...]
    supplier: Supplier | None


@dataclass(frozen=True)
class DrietrapStep:
    """One of the three questions with the intake's verdict."""

    key: str
    question: str
    meaning: str
    verdict: str
    verdict_label: str
    explanation: str


@dataclass(frozen=True)
class WeighedReason:
    """One reason for (wenselijk) or against (onwenselijk) the project."""

    direction: str
    value_names: tuple[str, ...]
    because: str


@dataclass(frozen=True)
class Stakeholder:
    """A party involved in the project and how it is involved."""

    party: str
    role: str
    involvement: str


@dataclass(frozen=True)
class ActionOption:
    """A measure (handelingsoptie) with the names of the values it protects."""

    measure: str
    value_names: tuple[str, ...]
    owner: str
    status_label: str


@dataclass(frozen=True)
class Rejection:
    """A rejected instrument whose motivation is not shown with a recommended instrument."""

    name: str
    motivation: str


@dataclass(frozen=True)
class Decision:
    """A numbered decision asked of the gedeputeerde, with the risk accepted."""

    number: int
    decision: str
    risk: str
    explanation: str


@dataclass(frozen=True)
class Signing:
    """Who signs, and when the project is assessed again (ISO date; default a year on)."""

    gedeputeerde: str
    portfolio: str
    official: str
    reassessment: str  # ISO date
    reassessment_is_default: bool


@dataclass(frozen=True)
class Dossier:
    """Everything a dossier shows, derived from one validated intake, the knowledge base and a template."""

    knowledge: Knowledge
    canonical_intake: str  # the intake as validated (before cleaning): sorted keys, ASCII, no spaces
    template: TemplateStamp
    project: Project
    roles_labels: tuple[str, ...]
    technology: Technology
    drietrap: tuple[DrietrapStep, ...]
    values: tuple[AppliedValue, ...]
    values_not_applicable: tuple[Value, ...]  # rows of Tabel 1 that do not apply
    dilemmas: tuple[str, ...]  # value ids both for and against
    dilemma_names: tuple[str, ...]
    weighing: tuple[WeighedReason, ...]
    stakeholders: tuple[Stakeholder, ...]
    options: tuple[ActionOption, ...]
    instruments: tuple[InstrumentPlan, ...]
    other_rejections: tuple[Rejection, ...]
    clauses: tuple[ClauseUse, ...]
    decisions: tuple[Decision, ...]
    signing: Signing
    open_points: tuple[str, ...]
    warnings: tuple[str, ...]
    families_in_play: tuple[str, ...]  # the kinds of document the province's role calls for, contract first
    clause_values: Mapping[str, str]  # parameter values the intake gives every clause (the party of each family)
    lock_in_assessment: tuple[str, str] | None  # (ISO date, outcome) of the intake's lock-in assessment
    value_names: Mapping[str, str] = field(default_factory=dict)  # every value id the intake may name

    @property
    def reference(self) -> str:
        """Return the dossier reference (see dossier_reference)."""
        return dossier_reference(self.canonical_intake, self.knowledge.digest, self.template.sha256, __version__)

    @property
    def ready(self) -> bool:
        return not self.open_points

    @property
    def status(self) -> str:
        count = len(self.open_points)
        if not count:
            return "Gereed voor besluit"
        return f"Niet gereed: {count} open {'punt' if count == 1 else 'punten'}"

    @property
    def reassessment(self) -> str:
        return self.signing.reassessment

    @property
    def reassessment_is_default(self) -> bool:
        return self.signing.reassessment_is_default

    @property
    def guide(self) -> str:
        """Return the guide the knowledge base cites: title (publisher, edition)."""
        source = self.knowledge.source
        return f"{source['titel']} ({source['uitgever']}, {source['editie']})"
