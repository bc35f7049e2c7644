"""The ``check`` report: what applies to one intake and what is still open, as a stable JSON-able document.

A writer over the Dossier, like the Word context: it reads only the model.
"""

from __future__ import annotations

from typing import Any

from dossier.model import Dossier


def check_report(dossier: Dossier, source: str) -> dict[str, Any]:
    """Return the check report of a dossier made from the intake file named source."""
    return {
        "intake": source,
        "kennisbank_versie": dossier.knowledge.version,
        "waarden": [{"id": v.id, "naam": v.name, "bron": list(v.sources), "redenen": list(v.explanation),
                     "beantwoord": v.answered, "plaats": v.pointer} for v in dossier.values],
        "instrumenten": [{"id": p.instrument.id, "naam": p.instrument.name, "gekozen": p.chosen,
                          "bron": list(p.sources), "redenen": list(p.explanation),
                          "afgewezen_motivatie": p.rejection or ""} for p in dossier.instruments],
        "clausules": [{"id": c.clause.id, "titel": c.clause.title, "soort": c.family.name, "bron": list(c.sources),
                       "redenen": list(c.explanation)} for c in dossier.clauses],
        "open_punten": list(dossier.open_points),
        "waarschuwingen": list(dossier.warnings),
        "gereed": dossier.ready,
        "status": dossier.status,
    }
