"""Standard procurement clauses for procurement officers: list them, show one, export an annex.

The export composes one frozen ``Annex`` of the model's ``ClauseUse`` (the same filled clauses
as chapter 8 of a dossier: for ``--for``, those of the intake's Dossier) and hands it to a writer:
Markdown text or a Word document from ``templates/clausules.docx``. Writers only read the annex.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

from dossier import __version__
from dossier.context import FAMILY_CHOICE
from dossier.errors import InputError, UsageError
from dossier.knowledge import Clause, Family, Knowledge, default_knowledge, family_for
from dossier.messages import join_names, quote, suggest
from dossier.model import ClauseUse, Dossier
from dossier.render import load_template, template_file
from dossier.template import CLAUSES
from dossier.word import DEFAULT_VALUE_STYLE, clause_runs, fix_core_properties, jinja_environment, write_package
from dossier.write import write_atomic

MARKED_STYLE = DEFAULT_VALUE_STYLE  # character style in the clause template: a default value still to check
TITLE = "Bijlage: voorwaarden digitale ethiek"
TITLES = {"inkoop": "Bijlage: inkoopvoorwaarden digitale ethiek",
          "subsidie": "Bijlage: subsidievoorschriften digitale ethiek",
          "samenwerking": "Bijlage: samenwerkingsafspraken digitale ethiek"}
TEMPLATE = "clausules.docx"  # in dossier/templates, or in the folder DOSSIER_SJABLONEN
FORMATS = ("docx", "md")
DEFAULT_OUTPUT = Path("output") / "inkoopclausules"
STDOUT = "-"
CONTROL = re.compile("[\x00-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
PROVINCE = "provincie"  # the --set name for the province's name in the definition of 'de Provincie'
UNKNOWN_PROVINCE = "[naam van de provincie]"
MARK_ADVICE = ("zijn standaardwaarden uit de kennisbank die nog niet voor deze opdracht zijn ingevuld. "
               "Controleer elke gemarkeerde waarde, pas haar zo nodig aan en verwijder daarna de markering.")


@dataclass(frozen=True)
class Annex:
    """Everything an exported annex shows; the only thing the writers read."""

    clauses: tuple[ClauseUse, ...]
    knowledge_version: str
    guide: str
    project: str | None = None
    warnings: tuple[str, ...] = ()
    province: str | None = None  # the province's name; None when neither the intake nor --set gives it
    family: str | None = None  # the family asked for with --family; None when each clause's family was picked

    @property
    def title(self) -> str:
        """Return the annex's title, naming the kind of document its clauses are for."""
        kinds = [family.id for family in self.families]
        return TITLES.get(kinds[0], TITLE) if len(kinds) == 1 else TITLE

    @property
    def families(self) -> tuple[Family, ...]:
        """Return the families of documents the annex's clauses are written for, in order of appearance."""
        return tuple({item.family.id: item.family for item in self.clauses}.values())

    @property
    def defaults(self) -> int:
        """Return how many parameter values in the annex are still defaults."""
        return sum(p.is_default for item in self.clauses for p in item.parameters)


@dataclass(frozen=True)
class Export:
    """What ``export_clauses`` produced: a written file, or Markdown text for standard output."""

    annex: Annex
    format: str
    path: Path | None = None
    text: str | None = None


# --- list and show -----------------------------------------------------------------------------

def _knowledge() -> Knowledge:
    return default_knowledge()


def topic_id(knowledge: Knowledge, text: str) -> str | None:
    """Return the id of the topic named by text: its id or its Dutch name, in any case; None if none."""
    wanted = " ".join(text.split()).casefold()
    return next((topic.id for topic in knowledge.topics.values()
                 if wanted in (topic.id.casefold(), topic.name.casefold())), None)


def _topic_problem(knowledge: Knowledge, text: str) -> str:
    names = [f"{topic.id} ({topic.name})" for topic in knowledge.topics.values()]
    close = suggest(text, [*knowledge.topics, *(topic.name for topic in knowledge.topics.values())])
    hint = close if close.startswith("bedoelde") else "toegestaan: " + ", ".join(names)
    return f"onbekend onderwerp {quote(text)}; {hint}"


def _check_topic(knowledge: Knowledge, topic: str | None) -> str | None:
    """Return the topic's id (None for no topic); raise InputError for an unknown one."""
    if topic is None:
        return None
    found = topic_id(knowledge, topic)
    if found is None:
        raise InputError(_topic_problem(knowledge, topic))
    return found


def topics() -> list[tuple[str, str]]:
    """Return (id, Dutch name) of every clause topic of the knowledge base."""
    return [(topic.id, topic.name) for topic in _knowledge().topics.values()]


def _summary(clause: Clause, knowledge: Knowledge) -> dict[str, Any]:
    return {"id": clause.id, "titel": clause.title, "onderwerp": clause.topic,
            "onderwerp_naam": knowledge.topics[clause.topic].name, "versie": clause.version,
            "toepassing": list(clause.applies_to)}


def list_clauses(topic: str | None = None) -> dict[str, Any]:
    """Return the library's clauses (optionally of one topic) as JSON-able data; raise InputError for an unknown topic."""
    knowledge = _knowledge()
    topic = _check_topic(knowledge, topic)
    return {
        "kennisbank_versie": knowledge.version,
        "onderwerp": topic,
        "clausules": [_summary(c, knowledge) for c in knowledge.clauses.values() if topic in (None, c.topic)],
    }


def describe_clause(clause_id: str) -> dict[str, Any]:
    """Return one clause in full as JSON-able data; raise InputError for an unknown id."""
    knowledge = _knowledge()
    clause = knowledge.clauses.get(clause_id)
    if clause is None:
        raise InputError(f"onbekende clausule {quote(clause_id)}; {suggest(clause_id, knowledge.clauses)}")
    parameters = [{"naam": p.name, "type": p.type, "standaard": p.default, "minimum": p.minimum, "maximum": p.maximum,
                   "eenheden": list(p.units), "omschrijving": p.description} for p in clause.parameters.values()]
    texts = {family: {"soort": knowledge.families[family].name, "tekst": text} for family, text in clause.texts.items()}
    return {"kennisbank_versie": knowledge.version,
            "clausule": _summary(clause, knowledge) | {
                "teksten": texts, "parameters": parameters, "toelichting": clause.rationale, "bron": clause.source,
                "herkomst": clause.provenance, "normen": [{"norm": norm.name, "onderdeel": part}
                                                         for norm, part, _ in clause.norms]}}


# --- compose the annex ---------------------------------------------------------------------------

@dataclass(frozen=True)
class _Selection:
    """Which clauses an export holds, in which family, with the dossier's values."""

    chosen: dict[str, Mapping[str, Any]]  # clause id: the dossier's parameter values
    families: dict[str, str]  # clause id: family id
    project: str | None = None
    province: str | None = None
    warnings: tuple[str, ...] = ()


def _selection(knowledge: Knowledge, ids: Sequence[str], topic: str | None, dossier: Dossier | None,
               source: str | None, family: str | None) -> _Selection:
    """Return the clauses to export in order, each with its family; raise InputError for a bad selection."""
    problems = [f"onbekende clausule {quote(i)}; {suggest(i, knowledge.clauses)}"
                for i in dict.fromkeys(ids) if i not in knowledge.clauses]
    if topic is not None and topic_id(knowledge, topic) is None:
        problems.append(_topic_problem(knowledge, topic))
    if family is not None and family not in knowledge.families:
        problems.append(f"onbekende soort {quote(family)}; {suggest(family, knowledge.families)}")
    if problems:
        raise InputError("\n".join(problems))
    topic = topic_id(knowledge, topic) if topic is not None else None
    in_play: tuple[str, ...] = (family,) if family else tuple(knowledge.families)
    chosen: dict[str, Mapping[str, Any]] = {}
    project = province = None
    warnings: tuple[str, ...] = ()
    if dossier is not None:
        chosen = {use.clause.id: use.given for use in dossier.clauses}
        project, province = f"{dossier.project.name} (provincie {dossier.project.province})", dossier.project.province
        warnings = dossier.warnings
        if family is None:
            in_play = dossier.families_in_play
        if not chosen:
            raise InputError(f"{source}: de intake kiest geen clausules en de afleiding vereist er geen; "
                             "er is niets te exporteren")
    for clause_id in ids:
        chosen.setdefault(clause_id, {})
    if not ids and dossier is None:
        chosen = {clause_id: {} for clause_id, clause in knowledge.clauses.items()
                  if family is None or family in clause.texts}
    if family is not None:
        missing = [clause_id for clause_id in chosen if family not in knowledge.clauses[clause_id].texts]
        if missing:
            name = knowledge.families[family].name
            raise InputError("\n".join(f"clausule '{clause_id}' heeft geen tekst voor een {name}; die bestaat voor: "
                                       + ", ".join(knowledge.families[f].name for f in knowledge.clauses[clause_id].texts)
                                       for clause_id in missing))
    if topic is not None:
        chosen = {k: v for k, v in chosen.items() if knowledge.clauses[k].topic == topic}
        if not chosen:
            raise InputError(f"geen van de gekozen clausules hoort bij onderwerp '{topic}' "
                             f"({knowledge.topics[topic].name})")
    families = {clause_id: family_for(knowledge.clauses[clause_id], in_play) for clause_id in chosen}
    order = list(knowledge.families)
    ordered = sorted(chosen, key=lambda clause_id: order.index(families[clause_id]))  # stable: keeps the given order
    return _Selection({k: chosen[k] for k in ordered}, families, project, province, tuple(warnings))


def _settings(items: Sequence[tuple[Clause, str]], settings: Mapping[str, str]) -> tuple[dict[str, dict[str, Any]], str | None]:
    """Return ({clause id: {name: typed value}}, province) for the --set values; raise InputError listing every problem.

    A name counts only where the clause's text in its family uses it, so '--set leverancier=…' reaches
    every party reference of a contract and is refused for an export of subsidy texts only.
    """
    known = sorted({name for clause, family in items for name in clause.parameters_in(family)} | {PROVINCE})
    problems: list[str] = []
    typed: dict[str, dict[str, Any]] = {clause.id: {} for clause, _ in items}
    province = None
    for name, text in settings.items():
        if name not in known:
            problems.append(f"--set: geen van de geëxporteerde clausules heeft parameter {quote(name)}; "
                            f"{suggest(name, known)}")
            continue
        if CONTROL.search(text):
            problems.append(f"--set: de waarde van '{name}' bevat een regeleinde of stuurteken; "
                            "geef één regel gewone tekst")
            continue
        text = text.strip()
        if name == PROVINCE:
            if text:
                province = text
            else:
                problems.append(f"--set: parameter '{PROVINCE}' mag niet leeg zijn")
            continue
        for clause, family in items:
            parameter = clause.parameters_in(family).get(name)
            if parameter is None:
                continue
            value = parameter.typed(text)
            found = [f"--set: {message}" for message in parameter.problems(value)]
            problems += [message for message in found if message not in problems]
            typed[clause.id][name] = value
    if problems:
        raise InputError("\n".join(problems))
    return typed, province


def compose(ids: Sequence[str] = (), topic: str | None = None, dossier: Dossier | None = None,
            settings: Mapping[str, str] | None = None, source: str | None = None, family: str | None = None) -> Annex:
    """Return the annex: the named clauses and/or those the intake selects or requires (else the whole
    library, or the clauses with a text for ``family``), narrowed to ``topic``, each in the family of
    document the intake's role calls for (or ``family``), with the intake's and ``settings``' values.

    ``source`` names the dossier's intake file in messages. Raises InputError for an unknown id, topic,
    family or parameter, a wrong value, a clause without a text for ``family``, or an empty selection.
    """
    knowledge = dossier.knowledge if dossier is not None else _knowledge()
    selection = _selection(knowledge, ids, topic, dossier, source, family)
    items = [(knowledge.clauses[clause_id], selection.families[clause_id]) for clause_id in selection.chosen]
    given, province = _settings(items, settings or {})
    filled = tuple(ClauseUse.fill(number, clause, knowledge.families[family_id], knowledge.topics[clause.topic].name,
                                  {**selection.chosen[clause.id], **given[clause.id]})
                   for number, (clause, family_id) in enumerate(items, 1))
    book = knowledge.source
    guide = f"{book['titel']} ({book['uitgever']}, {book['editie']})"
    return Annex(filled, knowledge.version, guide, selection.project, selection.warnings,
                 province or selection.province, family)


TERMS = ("Termijnen in dagen zijn kalenderdagen; werkdagen zijn maandag tot en met vrijdag, behalve algemeen "
         "erkende feestdagen.")


def definitions(annex: Annex) -> list[str]:
    """Return one sentence per family in the annex defining 'de Provincie' and naming the other party, then the terms."""
    province = annex.province or UNKNOWN_PROVINCE
    sentences = []
    for family in annex.families:
        party = next((p.value for item in annex.clauses if item.family.id == family.id for p in item.parameters
                      if p.name == family.party.name), str(family.party.default))
        sentences.append(family.definition(province, party))
    return sentences + [TERMS]


def _introduction(annex: Annex) -> list[str]:
    one = len(annex.clauses) == 1
    names = [family.name for family in annex.families]
    kinds = names[0] if len(names) == 1 else ", een ".join(names[:-1]) + " en een " + names[-1]
    paragraphs = [
        f"Deze bijlage bevat {len(annex.clauses)} {'modelclausule' if one else 'modelclausules'} voor een {kinds}. "
        f"{'De tekst is' if one else 'De teksten zijn'} modeltekst: stem {'haar' if one else 'ze'} af op "
        + join_names([family.alignment for family in annex.families])
        + f", en laat {'haar' if one else 'ze'} toetsen door de juristen van de Provincie voordat "
          f"{'zij' if one else 'ze'} in " + join_names([family.document for family in annex.families]).replace(" en ", " of ")
        + f" {'wordt' if one else 'worden'} opgenomen.",
        f"De teksten zijn een eigen uitwerking van dossier op basis van {annex.guide}. Bij elke clausule staat op welke "
        "passages van de gids zij steunt en welke wetten en normen van buiten de gids zij gebruikt. Standaardwaarden "
        "van termijnen en andere parameters zijn voorstellen van dossier, geen voorschrift van de gids.",
    ]
    paragraphs += [f"{family.name[0].upper()}{family.name[1:]}. {family.basis}" for family in annex.families]
    paragraphs += definitions(annex)
    if annex.project:
        paragraphs.append(f"Samengesteld voor het project {annex.project}: de clausules die de intake kiest en "
                          "die de afleiding vereist, met de parameterwaarden uit de intake. "
                          + (FAMILY_CHOICE if annex.family is None else
                             f"Alle clausules staan in de gevraagde soort: {annex.families[0].name}."))
    paragraphs.append(f"Kennisbank versie {annex.knowledge_version}. Bij elke clausule staan de soort, het onderwerp, "
                      "de versie van de clausuletekst, een toelichting en de herkomst.")
    return paragraphs


def _mark_count(annex: Annex) -> str:
    marked = [item for item in annex.clauses if any(p.is_default for p in item.parameters)]
    values = "waarde" if annex.defaults == 1 else "waarden"
    return f" Het gaat om {annex.defaults} {values} in {len(marked)} {'clausule' if len(marked) == 1 else 'clausules'}."


NO_DEFAULTS = "Alle parameters zijn voor deze opdracht ingevuld; er zijn geen standaardwaarden gemarkeerd."


def _accountability(annex: Annex) -> str:
    return f"Gemaakt met dossier {__version__} uit kennisbank versie {annex.knowledge_version}. Bron: {annex.guide}."


# --- Markdown ------------------------------------------------------------------------------------

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|&~])")


def _md(text: str) -> str:
    """Return text with Markdown's special characters escaped, so it stays plain text and never HTML."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return re.sub(r"^(\s*)([-+]|\d+[.)])(\s)", r"\1\\\2\3", escaped)


def _md_value(text: str, is_default: bool) -> str:
    return f"**[standaard: {_md(text)}]**" if is_default else _md(text)


def render_markdown(annex: Annex) -> str:
    """Return the annex as plain, pasteable Markdown: headings, numbered clauses, no HTML."""
    lines = [f"# {_md(annex.title)}", ""]
    for paragraph in _introduction(annex):
        lines += [_md(paragraph), ""]
    if annex.defaults:
        lines += [f"Waarden in de vorm **[standaard: …]** {MARK_ADVICE}{_mark_count(annex)}", ""]
    else:
        lines += [NO_DEFAULTS, ""]
    for item in annex.clauses:
        clause = item.clause
        lines += [f"## {item.number}. {_md(clause.title)}", "",
                  f"Voor: {_md(item.family.name)} · onderwerp: {_md(item.topic)} · clausule `{clause.id}`, "
                  f"versie {clause.version}", "",
                  "".join(_md_value(text, is_default) for text, is_default in item.parts), ""]
        if item.parameters:
            lines += ["Parameters:", ""]
            lines += [f"- `{p.name}`: {_md_value(p.value, p.is_default)} — {_md(p.description)}"
                      for p in item.parameters]
            lines.append("")
        lines += [f"*Toelichting.* {_md(clause.rationale)}", "",
                  f"*Herkomst.* {_md(clause.provenance)} {_md(clause.norm_sentence(item.family.id))}", ""]
    lines.append(_md(_accountability(annex)))
    return "\n".join(lines) + "\n"


# --- Word ----------------------------------------------------------------------------------------

def _rich(parts: Iterable[tuple[str, bool]]) -> Markup:
    """Return the parts as Word runs; default values get the marked character style."""
    return clause_runs(parts)


def docx_context(annex: Annex) -> dict[str, Any]:
    """Return what the Word template receives: strings, lists, dicts and docxtpl RichText runs."""
    if annex.defaults:
        marking = _rich([("Geel gemarkeerde waarden", True), (f" {MARK_ADVICE}{_mark_count(annex)}", False)])
    else:
        marking = _rich([(NO_DEFAULTS, False)])
    return {
        "titel": annex.title,
        "inleiding": _introduction(annex),
        "uitleg_markering": marking,
        "kennisbank_versie": annex.knowledge_version,
        "voettekst": annex.project or "Modelclausules digitale ethiek",
        "verantwoording": _accountability(annex),
        "clausules": [{
            "nummer": item.number, "id": item.clause.id, "titel": item.clause.title, "onderwerp": item.topic,
            "versie": item.clause.version, "soort": item.family.name,
            "tekst": _rich(item.parts),
            "parameters": [{"naam": p.name, "omschrijving": p.description,
                            "waarde": _rich([(p.value, p.is_default)] + ([(" (standaard)", False)] if p.is_default else []))}
                           for p in item.parameters],
            "toelichting": item.clause.rationale, "herkomst": item.clause.provenance,
            "normen": item.clause.norm_sentence(item.family.id),
        } for item in annex.clauses],
    }


def render_docx(annex: Annex) -> bytes:
    """Return the annex as a Word document rendered from the clause template (the packaged one, or the one in
    DOSSIER_SJABLONEN); byte-identical run to run. Raises TemplateError when the template breaks its contract."""
    from docxtpl import DocxTemplate

    template = DocxTemplate(io.BytesIO(load_template(template_file(TEMPLATE), CLAUSES).data))
    template.render(docx_context(annex), jinja_env=jinja_environment())
    subject = f"Modelclausules digitale ethiek, kennisbank {annex.knowledge_version}"
    fix_core_properties(template.docx.core_properties, title=annex.title,
                        subject=f"{subject}; {annex.project}" if annex.project else subject,
                        keywords="digitale ethiek; inkoop; subsidie; clausules",
                        comments=f"{len(annex.clauses)} clausules; gemaakt met dossier {__version__}.")
    return write_package(template.docx.part.package)


# --- export --------------------------------------------------------------------------------------

def export_clauses(ids: Sequence[str] = (), topic: str | None = None, dossier: Dossier | None = None,
                   settings: Mapping[str, str] | None = None, format: str | None = None,
                   output: str | None = None, source: str | None = None, family: str | None = None) -> Export:
    """Compose the annex and write it (default ``output/inkoopclausules.<format>``); return what was made.

    ``output`` '-' returns the Markdown as text instead of writing it. The format defaults to Markdown
    for '-' or a '.md' name, else Word. Raises UsageError for Word to '-', InputError for bad selections
    or values, OutputError when the file cannot be written.
    """
    if format is None:
        markdown = output == STDOUT or (output is not None and Path(output).suffix.lower() in (".md", ".markdown"))
        format = "md" if markdown else "docx"
    if format not in FORMATS:
        raise UsageError(f"onbekend formaat '{format}'; toegestaan: {', '.join(FORMATS)}")
    if output == STDOUT and format != "md":
        raise UsageError("-o - (standaarduitvoer) kan alleen met --format md; geef voor Word een bestandsnaam")
    annex = compose(ids, topic, dossier, settings, source, family)
    if format == "md":
        text = render_markdown(annex)
        if output == STDOUT:
            return Export(annex, format, text=text)
        data = text.encode("utf-8")
    else:
        data = render_docx(annex)
    target = Path(output) if output else DEFAULT_OUTPUT.with_suffix(f".{format}")
    return Export(annex, format, path=write_atomic(target, data))
