"""Read an intake file into a dict, reporting every reading problem with file and place."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from dossier.errors import InputError, Problem, os_reason

MAX_BYTES = 20 * 1024 * 1024

# json's own messages, in the order they are tried, with a Dutch equivalent.
_JSON_MESSAGES = (
    ("Expecting property name enclosed in double quotes", "naam tussen dubbele aanhalingstekens verwacht (staat er een komma te veel?)"),
    ("Expecting ',' delimiter", "komma verwacht"),
    ("Expecting ':' delimiter", "dubbele punt verwacht"),
    ("Expecting value", "waarde verwacht"),
    ("Unterminated string", "bestand houdt onverwacht op: tekst zonder afsluitend aanhalingsteken"),
    ("Invalid control character", "ongeldig stuurteken in tekst (schrijf een regeleinde als \\n en een tab als \\t)"),
    ("Invalid \\escape", "ongeldige escape-reeks in tekst"),
    ("Invalid \\uXXXX escape", "ongeldige \\u-escape in tekst"),
    ("Extra data", "onverwachte tekst na het einde van het JSON-document"),
)


def _dutch_json_message(message: str) -> str:
    return next((nl for en, nl in _JSON_MESSAGES if message.startswith(en)), f"ongeldige JSON ({message})")


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _find(text: str, pattern: str, occurrence: int = 1) -> tuple[int, int]:
    """Return line and column of the n-th match of pattern (an approximation for messages)."""
    matches = list(re.finditer(pattern, text))
    if len(matches) >= occurrence:
        return _position(text, matches[occurrence - 1].start())
    return 1, 1


def _reject_constant(name: str) -> None:
    raise ValueError(name)


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def read_text(path: Path) -> str:
    """Return the file's text as UTF-8 (a BOM is allowed); raise InputError when unreadable."""
    name = str(path)
    if not path.exists():
        raise InputError(problems=[Problem(name, message="bestand bestaat niet")])
    if path.is_dir():
        raise InputError(problems=[Problem(name, message="dit is een map, geen bestand")])
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(problems=[Problem(name, message=f"bestand kan niet worden gelezen ({os_reason(err)})")]) from err
    if len(data) > MAX_BYTES:
        raise InputError(problems=[Problem(name, message=f"bestand is te groot ({len(data) // 1024 // 1024} MB; maximaal {MAX_BYTES // 1024 // 1024} MB)")])
    if not data.strip():
        raise InputError(problems=[Problem(name, message="bestand is leeg")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line, column = _position(data[: err.start].decode("utf-8", "replace"), err.start)
        raise InputError(problems=[Problem(name, line=line, column=column,
                                           message="bestand is geen geldige UTF-8-tekst; sla het op als UTF-8")]) from err


def parse_json(text: str, name: str) -> Any:
    """Return the parsed JSON; raise InputError with line:column on a syntax error or duplicate key."""
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_reject_constant)
    except json.JSONDecodeError as err:
        message = _dutch_json_message(err.msg)
        if err.msg.startswith("Expecting") and not text[err.pos:].strip():
            message = "bestand houdt onverwacht op (is het afgebroken?)"
        raise InputError(problems=[Problem(name, line=err.lineno, column=err.colno, message=message)]) from err
    except _DuplicateKey as err:
        from dossier.validate import quote

        line, column = _find(text, re.escape(json.dumps(err.key)) + r"\s*:", occurrence=2)
        raise InputError(problems=[Problem(name, line=line, column=column, message=f"veld {quote(err.key)} komt twee keer "
                                           "voor in hetzelfde object; de eerste waarde zou verloren gaan")]) from err
    except ValueError as err:
        line, column = _find(text, rf"(?<![\w\"]){re.escape(str(err))}")
        raise InputError(problems=[Problem(name, line=line, column=column,
                                           message=f"'{err}' is geen geldige JSON-waarde")]) from err
    except RecursionError as err:
        raise InputError(problems=[Problem(name, message="de JSON is te diep genest")]) from err


def load_intake(path: Path | str) -> Any:
    """Return the intake's JSON content; raise InputError when the file cannot be read or parsed."""
    path = Path(path)
    return parse_json(read_text(path), str(path))
