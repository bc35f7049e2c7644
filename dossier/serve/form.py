"""The intake form, generated from the intake JSON Schema: fields from schema and draft, and posted values back.

The schema is the one source of truth: every property becomes a field (objects a fieldset, arrays a list of
items with add and remove, enums a choice with Dutch labels, enum lists check boxes, Markdown text a text area
with a preview). Nothing here names an intake field, except the few hints in ``dossier.serve.hints``.
Each field's name in the page is the JSON pointer of its place in the intake.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from dossier.messages import pointer as make_pointer
from dossier.serve import hints

MISSING: Any = object()  # a field without a value in the draft

LEAF_KINDS = ("text", "textarea", "integer", "enum", "boolean", "multi", "scalar")


@dataclass
class Field:
    """One field of the form: its place (path, pointer), how it is shown, and its current value."""

    kind: str  # "object", "array", "extra", or one of LEAF_KINDS
    path: tuple[str | int, ...]
    label: str
    help: str
    required: bool
    schema: Mapping[str, Any]
    value: Any = MISSING
    children: list[Field] = field(default_factory=list)
    options: list[tuple[str, str]] = field(default_factory=list)  # (value, Dutch label) for enum, multi, boolean
    markdown: bool = False
    item_label: str = ""  # arrays: the name of one item ("Waarde")
    suggestions: str | None = None  # id of a datalist with suggested values
    dynamic_help: str | None = None  # help that follows from the current value (the question of a value)
    scalar_types: tuple[str, ...] = ()  # "scalar": the JSON types the value may have, first preferred
    trail: str = ""  # the labels from the top down to this field: "Afweging 1 › Waarden"

    pointer: str = field(init=False)  # the JSON pointer of path
    dom_id: str = field(init=False)  # the HTML id of the field's input (or fieldset)

    def __post_init__(self) -> None:
        self.pointer = make_pointer(self.path)
        self.dom_id = dom_id(self.pointer)

    @property
    def is_leaf(self) -> bool:
        return self.kind in LEAF_KINDS

    @property
    def display(self) -> str:
        """Return the current value as the text an input shows."""
        return display_text(self.value)

    @property
    def selected(self) -> list[str]:
        """Return the chosen values of a check-box group (strings as the page posts them)."""
        return [display_text(v) for v in self.value] if isinstance(self.value, list) else []

    @property
    def attributes(self) -> dict[str, Any]:
        """Return the HTML constraint attributes that mirror the schema (minlength, maxlength)."""
        attrs: dict[str, Any] = {}
        if isinstance(self.schema.get("maxLength"), int):
            attrs["maxlength"] = self.schema["maxLength"]
        if isinstance(self.schema.get("minLength"), int) and self.schema["minLength"] > 1:
            attrs["minlength"] = self.schema["minLength"]
        return attrs

    def walk(self) -> list[Field]:
        """Return this field and every field under it, in document order."""
        found = [self]
        for child in self.children:
            found += child.walk()
        return found


def structure(root: Field) -> list[tuple[str, str]]:
    """Return the shape of a form (pointer and kind of every field): when it changes, the page is redrawn."""
    return [(f.pointer, f.kind) for f in root.walk()]


def dom_id(pointer: str) -> str:
    """Return an HTML id for a JSON pointer: '/' becomes '.', other characters outside [A-Za-z0-9_] '-hex-'."""
    out = []
    for char in pointer:
        if char == "/":
            out.append(".")
        elif char.isascii() and (char.isalnum() or char == "_"):
            out.append(char)
        else:
            out.append(f"-{ord(char):x}-")
    return "f" + "".join(out)


def display_text(value: Any) -> str:
    """Return how a JSON value is shown in a text input: strings as they are, other values as JSON."""
    if value is MISSING:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False)


def humanise(key: str) -> str:
    """Return 'Centrale vraag' for 'centrale_vraag'; known abbreviations keep their capitals."""
    if key in hints.ABBREVIATIONS:
        return hints.ABBREVIATIONS[key]
    words = key.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


_RESOLVED: dict[int, tuple[Mapping[str, Any], dict[str, Any]]] = {}  # id(schema) -> (schema, resolved)


def resolve_refs(schema: Mapping[str, Any]) -> dict[str, Any]:
    """Return a copy of schema with every local ``$ref`` ("#/$defs/regel") replaced by its target.

    A ``$ref`` beside other keywords applies both: the target's keywords (pattern, description, ...) are
    merged in, the field's own keywords win where both have one. The result is cached per schema object
    (a schema is not changed once loaded).
    Raises ValueError for a reference that does not resolve, a non-local one or a cycle.
    """
    cached = _RESOLVED.get(id(schema))
    if cached is not None and cached[0] is schema:
        return cached[1]
    resolved: dict[str, Any] = _resolve(schema, schema, ())
    _RESOLVED[id(schema)] = (schema, resolved)
    return resolved


def _resolve(node: Any, root: Mapping[str, Any], seen: tuple[str, ...]) -> Any:
    if isinstance(node, list):
        return [_resolve(item, root, seen) for item in node]
    if not isinstance(node, Mapping):
        return node
    merged: dict[str, Any] = {}
    reference = node.get("$ref")
    if isinstance(reference, str):
        if not reference.startswith("#/") or reference in seen:
            raise ValueError(f"schema: $ref {reference!r} is not a local, non-circular reference")
        target: Any = root
        for part in reference[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(target, Mapping) or part not in target:
                raise ValueError(f"schema: $ref {reference!r} does not resolve")
            target = target[part]
        merged.update(_resolve(target, root, (*seen, reference)))
    for key, value in node.items():
        if key != "$ref":
            merged[key] = _resolve(value, root, seen) if key != "$defs" else value
    return merged


def _single_line(schema: Mapping[str, Any]) -> bool:
    """Return whether the schema's pattern refuses every line end (the one-line text rule, $defs/regel)."""
    pattern = schema.get("pattern")
    if not isinstance(pattern, str):
        return False
    try:
        compiled = re.compile(pattern)
    except re.error:
        return False
    return compiled.search("x") is not None and not any(compiled.search(f"x{end}x") for end in ("\n", "\r"))


def _types(schema: Mapping[str, Any]) -> tuple[str, ...]:
    kind = schema.get("type")
    if isinstance(kind, str):
        return (kind,)
    if isinstance(kind, list):
        return tuple(str(k) for k in kind)
    return ()


def _kind_of(schema: Mapping[str, Any], key: str, path: tuple[str | int, ...], value: Any = MISSING) -> str:
    types = _types(schema)
    if "enum" in schema or "const" in schema:
        return "enum"
    if types == ("object",) or ("properties" in schema and not types):
        return "object"
    if types == ("array",):
        items = schema.get("items", {})
        return "multi" if isinstance(items, Mapping) and "enum" in items and schema.get("uniqueItems") else "array"
    if types == ("boolean",):
        return "boolean"
    if types == ("integer",) or types == ("number",):
        return "integer"
    if types == ("string",):
        max_length = schema.get("maxLength")
        single = (
            key in hints.SINGLE_LINE
            or _single_line(schema)
            or schema.get("format") == "date"
            or (isinstance(max_length, int) and max_length <= 200)
        )
        if isinstance(value, str) and ("\n" in value or "\r" in value):
            single = False  # a line end the schema refuses stays visible, so the user can see and remove it
        return "text" if single else "textarea"
    return "scalar"


def _matches_type(value: Any, kind: str) -> bool:
    if value is MISSING:
        return True
    if kind == "object":
        return isinstance(value, dict)
    if kind in ("array", "multi"):
        return isinstance(value, list)
    return not isinstance(value, (dict, list))


def build_form(schema: Mapping[str, Any], intake: Any, knowledge: Any) -> Field:
    """Return the root field of the form for a draft intake (any JSON value) under the intake schema.

    Local ``$ref``s are resolved first, so a field that refers to ``$defs/regel`` is a one-line input with
    the constraints of both. Raises ValueError for a schema whose ``$ref`` does not resolve.
    """
    context = hints.Suggestions(knowledge, intake)
    root = _field(resolve_refs(schema), intake if isinstance(intake, dict) else {}, (), "", True, context)
    _set_trails(root, ())
    return root


def _set_trails(node: Field, above: tuple[str, ...]) -> None:
    here = (*above, node.label) if node.label else above
    node.trail = " › ".join(here) or "Intake"
    for child in node.children:
        _set_trails(child, here)


def _field(
    schema: Mapping[str, Any],
    value: Any,
    path: tuple[str | int, ...],
    label: str,
    required: bool,
    context: hints.Suggestions,
) -> Field:
    key = str(path[-1]) if path else ""
    kind = _kind_of(schema, key, path, value)
    description = str(schema.get("description", ""))
    if not _matches_type(value, kind):
        return Field("extra", path, label, description, required, schema, value)
    node = Field(
        kind,
        path,
        label,
        description,
        required,
        schema,
        value,
        markdown="markdown" in description.lower() and kind == "textarea",
    )
    pattern = hints.pattern_of(path)
    if kind == "object":
        node.children = _object_children(schema, value if isinstance(value, dict) else {}, path, context)
    elif kind == "array":
        items = schema.get("items", {}) if isinstance(schema.get("items"), Mapping) else {}
        node.item_label = str(items.get("title") or hints.ITEM_NAMES.get(key) or "Item")
        for index, item in enumerate(value if isinstance(value, list) else []):
            child = _field(items, item, (*path, index), f"{node.item_label} {index + 1}", True, context)
            node.children.append(child)
    elif kind == "multi":
        items = schema["items"]
        node.options = hints.enum_options(items["enum"], pattern + "/*", context, items)
        node.options += [
            (display_text(v), f"{display_text(v)} (onbekend)")
            for v in (value if isinstance(value, list) else [])
            if display_text(v) not in {o for o, _ in node.options}
        ]
    elif kind == "enum":
        allowed = schema["enum"] if "enum" in schema else [schema["const"]]
        node.options = hints.enum_options(allowed, pattern, context, schema)
        if value is not MISSING and display_text(value) not in {o for o, _ in node.options}:
            node.options.append((display_text(value), f"{display_text(value)} (onbekend)"))
    elif kind == "boolean":
        node.options = [("true", "Ja"), ("false", "Nee")]
        if value is not MISSING and not isinstance(value, bool):
            node.options.append((display_text(value), f"{display_text(value)} (onbekend)"))
    elif kind == "scalar":
        node.scalar_types = context.scalar_types(path) or _types(schema) or ("string",)
    if node.is_leaf:
        node.suggestions = context.datalist(pattern)
        node.dynamic_help = context.dynamic_help(pattern, value)
    return node


def _object_children(
    schema: Mapping[str, Any], value: Mapping[str, Any], path: tuple[str | int, ...], context: hints.Suggestions
) -> list[Field]:
    properties = schema.get("properties", {}) if isinstance(schema.get("properties"), Mapping) else {}
    required = set(schema.get("required", []))
    children = []
    for key, sub in properties.items():
        child_path = (*path, key)
        if make_pointer(child_path) in hints.HIDDEN:
            continue
        label = str(sub.get("title") or humanise(key))
        children.append(_field(sub, value.get(key, MISSING), child_path, label, key in required, context))
    extra = schema.get("additionalProperties")
    if isinstance(extra, Mapping):
        names = list(value) + [n for n in context.suggested_keys(path) if n not in value]
        for key in names:
            if key not in properties:
                child = _field(extra, value.get(key, MISSING), (*path, key), key, False, context)
                child.help = context.key_help(path, key) or child.help
                children.append(child)
    else:
        for key in value:
            if key not in properties:
                children.append(
                    Field("extra", (*path, key), key, "Dit veld staat niet in het schema.", False, {}, value[key])
                )
    return children


# --- posted values back into the draft -----------------------------------------------------------------


def apply_form(intake: Any, root: Field, posted: Mapping[str, Sequence[str]]) -> Any:
    """Return a copy of the draft with the posted values of every leaf field of root set.

    A field that was not posted keeps its value; an empty text removes the key (a required container stays,
    an optional object emptied by this removal goes). Text that equals the current value after the browser's
    normalisation (line ends) keeps the current value exactly; text that is not a valid number stays text,
    so validation reports it instead of the form dropping it.
    """
    result = copy.deepcopy(intake) if isinstance(intake, dict) else {}
    for node in root.walk():
        if not node.is_leaf or node.pointer not in posted:
            continue
        values = list(posted[node.pointer])
        new = _parse(node, values)
        if new is MISSING:
            _remove(result, node.path, root)
        elif not _same(node.value, new):
            _assign(result, node.path, new)
    return result


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _same(current: Any, new: Any) -> bool:
    if current is MISSING:
        return False
    if isinstance(current, str) and isinstance(new, str):
        # a text area posts CR LF line ends; a one-line input drops line ends (HTML value sanitisation)
        return _normalise(current) == new or current.replace("\r", "").replace("\n", "") == new
    if isinstance(current, list) and isinstance(new, list):
        return sorted(map(display_text, current)) == sorted(map(display_text, new))
    return type(current) is type(new) and current == new


def _parse(node: Field, values: list[str]) -> Any:
    if node.kind == "multi":
        chosen = [_normalise(v) for v in values if v != ""]
        if not chosen:
            if node.value is MISSING:
                return MISSING
            return [] if node.required else MISSING
        allowed = {display_text(v): v for v in node.schema.get("items", {}).get("enum", [])}
        known = {display_text(v): v for v in (node.value if isinstance(node.value, list) else [])}
        return [allowed.get(v, known.get(v, v)) for v in dict.fromkeys(chosen)]
    text = _normalise(values[-1]) if values else ""
    if node.value is not MISSING and _normalise(display_text(node.value)) == text:
        return node.value  # unchanged: keep the value exactly, whatever its type
    if text == "":
        return MISSING
    if node.kind == "boolean":
        return {"true": True, "false": False}.get(text, node.value if display_text(node.value) == text else text)
    if node.kind == "enum":
        choices = node.schema["enum"] if "enum" in node.schema else [node.schema.get("const")]
        return next((v for v in choices if display_text(v) == text), text)
    if node.kind == "integer":
        return _number(text, node.schema)
    if node.kind == "scalar":
        if isinstance(node.value, str) or node.scalar_types[:1] == ("string",):
            return text
        return _number(text, {"type": "integer"})
    return text


def _number(text: str, schema: Mapping[str, Any]) -> Any:
    stripped = text.strip()
    if re.fullmatch(r"[+-]?\d{1,30}", stripped):
        return int(stripped)
    if schema.get("type") == "number" and re.fullmatch(r"[+-]?\d{1,30}([.,]\d{1,30})?", stripped):
        return float(stripped.replace(",", "."))
    return text


def _assign(document: dict[str, Any], path: tuple[str | int, ...], value: Any) -> None:
    node: Any = document
    for part, following in zip(path, path[1:], strict=False):
        if isinstance(node, list):
            node = node[int(part)]
            continue
        child = node.get(part)
        if not isinstance(child, (dict, list)):
            child = [] if isinstance(following, int) else {}
            node[part] = child
        node = child
    last = path[-1]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value


def _remove(document: dict[str, Any], path: tuple[str | int, ...], root: Field) -> None:
    """Remove the key at path; then remove each optional parent object this left empty."""
    chain: list[Any] = [document]
    for part in path[:-1]:
        node = chain[-1]
        try:
            chain.append(node[part])
        except (KeyError, IndexError, TypeError):
            return
    parent, last = chain[-1], path[-1]
    if isinstance(parent, dict):
        if last not in parent:
            return
        del parent[last]
    elif isinstance(parent, list) and isinstance(last, int) and last < len(parent):
        parent[last] = ""  # an item of a list keeps its place until it is removed with its button
        return
    required = {f.path: f.required for f in root.walk()}
    for depth in range(len(path) - 1, 0, -1):
        container, holder, key = chain[depth], chain[depth - 1], path[depth - 1]
        if container or not isinstance(holder, dict) or required.get(path[:depth], True):
            break
        del holder[key]


# --- structure: add and remove items -------------------------------------------------------------------


def parse_pointer(text: str, document: Any) -> tuple[str | int, ...] | None:
    """Return the path of a JSON pointer into document (list positions as int); None when it does not fit."""
    if not text.startswith("/"):
        return None
    path: list[str | int] = []
    node = document
    for raw in text[1:].split("/"):
        part = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list):
            if not part.isdigit() or int(part) >= len(node):
                return None
            path.append(int(part))
            node = node[int(part)]
        elif isinstance(node, dict):
            path.append(part)
            node = node.get(part, MISSING)
        else:
            return None
    return tuple(path)


def add_item(intake: dict[str, Any], root: Field, array_pointer: str) -> tuple[dict[str, Any], str | None]:
    """Return the draft with one empty item added to the array at array_pointer, and the new item's pointer."""
    target = next((f for f in root.walk() if f.kind == "array" and f.pointer == array_pointer), None)
    if target is None:
        return intake, None
    result = copy.deepcopy(intake)
    items = target.schema.get("items", {})
    empty: Any = {} if _kind_of(items, "", ()) == "object" else ""
    current = target.value if isinstance(target.value, list) else []
    _assign(result, target.path, [*copy.deepcopy(current), empty])
    return result, make_pointer((*target.path, len(current)))


def remove_item(intake: dict[str, Any], root: Field, item_pointer: str) -> dict[str, Any]:
    """Return the draft without the list item or the unknown field at item_pointer (other pointers: unchanged)."""
    node = next((f for f in root.walk() if f.pointer == item_pointer), None)
    if node is None or not node.path:
        return intake
    parent = next((f for f in root.walk() if f.path == node.path[:-1]), None)
    if node.kind != "extra" and (parent is None or parent.kind != "array"):
        return intake
    result = copy.deepcopy(intake)
    holder: Any = result
    for part in node.path[:-1]:
        holder = holder[part]
    del holder[node.path[-1]]
    return result


def skeleton(schema: Mapping[str, Any]) -> dict[str, Any]:
    """Return a new, empty intake: the const values and every required object, so errors land at their fields."""
    return _skeleton(resolve_refs(schema))


def _skeleton(schema: Mapping[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    properties = schema.get("properties", {})
    for key in schema.get("required", []):
        sub = properties.get(key, {})
        if "const" in sub:
            result[key] = sub["const"]
        elif _kind_of(sub, key, ()) == "object":
            result[key] = _skeleton(sub)
        elif _kind_of(sub, key, ()) == "array":
            items = sub.get("items", {})
            needs_item = sub.get("minItems", 0) >= 1 and _kind_of(items, "", ()) == "object"
            result[key] = [_skeleton(items)] if needs_item else []
    return result
