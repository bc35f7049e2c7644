"""Generate dossier/intake.py, the typed shape of a validated intake, from schemas/intake.schema.json.

The schema is the one source of the intake's shape; this script writes it again as TypedDicts (so
rule code keeps plain dictionary access and mypy checks every key). Run it after changing the schema:

    .venv/bin/python tools/make_intake_types.py

tests/test_model.py fails when dossier/intake.py differs from what this script writes.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "dossier" / "schemas" / "intake.schema.json"
TARGET = ROOT / "dossier" / "intake.py"

# The English name of each object type, by its place in the intake ('*' is any list item).
NAMES = {
    "": "Intake",
    "/project": "Project",
    "/technologie": "Technology",
    "/technologie/databronnen/*": "DataSource",
    "/technologie/leverancier": "Supplier",
    "/drietrap": "Drietrap",
    "/drietrap/kan_het": "DrietrapStep",
    "/drietrap/mag_het": "DrietrapStep",
    "/drietrap/willen_we_het": "DrietrapStep",
    "/waarden/*": "ValueAnswer",
    "/waarden/*/eigen": "OwnValue",
    "/afweging/*": "Reason",
    "/betrokkenen/*": "Stakeholder",
    "/handelingsopties/*": "ActionOption",
    "/instrumenten/*": "ChosenInstrument",
    "/instrumenten_afgewezen/*": "RejectedInstrument",
    "/inkoop": "Procurement",
    "/inkoop/clausules/*": "ChosenClause",
    "/inkoop/lock_in_beoordeling": "LockInAssessment",
    "/besluiten/*": "Decision",
    "/ondertekening": "Signing",
}
SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool", "null": "None"}


class Generator:
    """Collects one TypedDict per object of the schema, in the order first met."""

    def __init__(self, schema: Mapping[str, Any]) -> None:
        self.schema = schema
        self.classes: dict[str, str] = {}

    def resolve(self, node: Mapping[str, Any]) -> Mapping[str, Any]:
        reference = node.get("$ref")
        if not isinstance(reference, str):
            return node
        target: Any = self.schema
        for part in reference.removeprefix("#/").split("/"):
            target = target[part]
        return {**target, **{k: v for k, v in node.items() if k != "$ref"}}

    def type_of(self, node: Mapping[str, Any], place: str) -> str:
        node = self.resolve(node)
        if "enum" in node:
            return "Literal[" + ", ".join(json.dumps(v, ensure_ascii=False) for v in node["enum"]) + "]"
        if "const" in node:
            return f"Literal[{json.dumps(node['const'], ensure_ascii=False)}]"
        kind = node.get("type")
        if isinstance(kind, list):
            return " | ".join(SCALARS[k] for k in kind)
        if kind == "array":
            return f"list[{self.type_of(node['items'], place + '/*')}]"
        if kind == "object" and "properties" in node:
            return self.define(node, place)
        if kind == "object":
            extra = node.get("additionalProperties")
            return f"dict[str, {self.type_of(extra, place + '/*')}]" if isinstance(extra, Mapping) else "dict[str, object]"
        return SCALARS[kind]

    def define(self, node: Mapping[str, Any], place: str) -> str:
        name = NAMES[place]
        if name in self.classes:
            return name
        self.classes[name] = ""  # reserve the order
        required = set(node.get("required", []))
        fields = []
        for key, child in node["properties"].items():
            text = self.type_of(child, f"{place}/{key}")
            fields.append((key, text if key in required else f"NotRequired[{text}]"))
        title = f"{place or '/'} of the intake" + (f" ({node['title']})" if "title" in node else "") + "."
        if all(key.isidentifier() for key, _ in fields):
            body = "\n".join(f"    {key}: {text}" for key, text in fields)
            self.classes[name] = f'class {name}(TypedDict):\n    """{title}"""\n\n{body}\n'
        else:
            body = "\n".join(f"    {json.dumps(key)}: {text}," for key, text in fields)
            self.classes[name] = f"{name} = TypedDict(\"{name}\", {{\n{body}\n}})\n\"\"\"{title}\"\"\"\n"
        return name


def render(schema: Mapping[str, Any]) -> str:
    """Return the text of dossier/intake.py for schema."""
    generator = Generator(schema)
    generator.define(schema, "")
    classes = list(generator.classes.values())[::-1]  # nested types before their users
    head = ('"""The shape of a validated intake, generated from schemas/intake.schema.json: do not edit.\n\n'
            "Regenerate with: .venv/bin/python tools/make_intake_types.py\n"
            '"""\n\nfrom typing import Literal, NotRequired, TypedDict\n')
    return head + "".join("\n\n" + text for text in classes)


def main() -> int:
    TARGET.write_text(render(json.loads(SCHEMA.read_text("utf-8"))), "utf-8")
    print(TARGET)
    return 0


if __name__ == "__main__":
    sys.exit(main())
