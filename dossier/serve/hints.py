"""What the schema cannot say about showing a field: Dutch labels of enum values and suggestions from the knowledge base.

Everything here is optional polish: a field the schema gains without a hint still appears in the form, with its
title (or its key, readable), its description, a text box or choice, and the Dutch messages of validation.
Patterns are JSON pointers with '*' for a list position.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dossier.ids import own_value_id
from dossier.knowledge import Clause, Knowledge
from dossier.labels import FROM_KNOWLEDGE, LABELS

ABBREVIATIONS = {"dpia": "DPIA", "id": "Id", "iama": "IAMA"}
SINGLE_LINE = {
    "naam",
    "afdeling",
    "projectleider",
    "adviseur",
    "begeleider",
    "eigenaar",
    "partij",
    "gedeputeerde",
    "portefeuille",
    "ambtelijk_opdrachtgever",
    "waarde",
    "id",
    "instrument",
}
HIDDEN = {"/$schema"}  # set when the intake is saved
ITEM_NAMES = {"waarden": "Waarde"}  # a list of strings without an item title

VALUE_LISTS = ("/waarden/*/waarde", "/afweging/*/waarden/*", "/handelingsopties/*/waarden/*")
CLAUSE_IDS = ("/inkoop/clausules/*/id",)
CLAUSE_PARAMETERS = "/inkoop/clausules/*/parameters"


def pattern_of(path: Sequence[str | int]) -> str:
    """Return the pattern of a path: '/waarden/*/antwoord' for ('waarden', 0, 'antwoord')."""
    return "".join(
        "/*" if isinstance(part, int) else "/" + str(part).replace("~", "~0").replace("/", "~1") for part in path
    )


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def enum_options(
    values: Sequence[Any], pattern: str, context: Suggestions, schema: Mapping[str, Any] | None = None
) -> list[tuple[str, str]]:
    """Return (value, Dutch label) for each allowed value of an enum at pattern.

    Labels come from the schema ('x-labels', the labels the dossier prints; "kennisbank" there: the names of
    the instruments in the knowledge base), else the value itself, readable.
    """
    given = (schema or {}).get(LABELS)
    texts = [v if isinstance(v, str) else str(v) for v in values]
    if isinstance(given, Mapping):
        return [(t, str(given.get(t, t))) for t in texts]
    if given == FROM_KNOWLEDGE:
        names = {i: item.name for i, item in context.knowledge.instruments.items()}
        return [(t, names.get(t, t)) for t in texts]
    return [(t, _sentence_case(t.replace("_", " "))) for t in texts]


class Suggestions:
    """Knowledge-base help for fields that hold ids: suggested values, the question of a value, clause parameters."""

    def __init__(self, knowledge: Knowledge, intake: Any) -> None:
        self.knowledge = knowledge
        self.intake = intake if isinstance(intake, dict) else {}

    def _own_values(self) -> dict[str, str]:
        own: dict[str, str] = {}
        for item in self.intake.get("waarden", []) if isinstance(self.intake.get("waarden"), list) else []:
            eigen = item.get("eigen") if isinstance(item, dict) else None
            if isinstance(eigen, dict) and isinstance(eigen.get("naam"), str) and isinstance(eigen.get("id", ""), str):
                value_id = own_value_id(item)
                if value_id:
                    own[value_id] = eigen["naam"]
        return own

    def datalists(self) -> dict[str, list[tuple[str, str]]]:
        """Return the datalists of the page: id -> (value, label)."""
        values = [(v.id, v.name) for v in self.knowledge.values.values()]
        own = [(i, f"{name} (eigen waarde)") for i, name in self._own_values().items()]
        return {
            "lijst-waarden": values,
            "lijst-waarden-en-eigen": values + own,
            "lijst-clausules": [(c.id, c.title) for c in self.knowledge.clauses.values()],
        }

    def datalist(self, pattern: str) -> str | None:
        if pattern == VALUE_LISTS[0]:
            return "lijst-waarden"
        if pattern in VALUE_LISTS:
            return "lijst-waarden-en-eigen"
        if pattern in CLAUSE_IDS:
            return "lijst-clausules"
        return None

    def dynamic_help(self, pattern: str, value: Any) -> str | None:
        """Return help that follows from the value: the guiding question of a value, the title of a clause."""
        if not isinstance(value, str):
            return None
        if pattern == VALUE_LISTS[0] and value in self.knowledge.values:
            item = self.knowledge.values[value]
            return f"{item.name}: {item.question}"
        if pattern in VALUE_LISTS[1:]:
            known = self.knowledge.values.get(value)
            return self._own_values().get(value) or (known.name if known else None)
        if pattern in CLAUSE_IDS and value in self.knowledge.clauses:
            return self.knowledge.clauses[value].title
        return None

    def _clause(self, path: Sequence[str | int]) -> Clause | None:
        if pattern_of(path) != CLAUSE_PARAMETERS:
            return None
        try:
            clause_id = self.intake["inkoop"]["clausules"][path[2]]["id"]
        except (KeyError, IndexError, TypeError):
            return None
        return self.knowledge.clauses.get(clause_id) if isinstance(clause_id, str) else None

    def suggested_keys(self, path: Sequence[str | int]) -> list[str]:
        """Return the keys an open object should offer: the parameters of the chosen clause."""
        clause = self._clause(path)
        return list(clause.parameters) if clause else []

    def key_help(self, path: Sequence[str | int], key: str) -> str | None:
        clause = self._clause(path)
        parameter = clause.parameters.get(key) if clause else None
        if parameter is None:
            return None
        return f"{parameter.description} Leeg laten: de standaardwaarde ({parameter.default})."

    def scalar_types(self, path: Sequence[str | int]) -> tuple[str, ...]:
        """Return the JSON types a value of an open object takes: a clause parameter's own type."""
        clause = self._clause(path[:-1]) if path else None
        parameter = clause.parameters.get(str(path[-1])) if clause else None
        if parameter is None:
            return ()
        return ("integer",) if parameter.type == "geheel_getal" else ("string",)
