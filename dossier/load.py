"""Read an intake file into a dict, reporting every reading problem with file and place."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from dossier.errors import InputError, Problem
from dossier.files import ReadProblem, read_bounded

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


# Byte-order marks of encodings other than UTF-8, longest first (UTF-32 LE starts like UTF-16 LE).
_OTHER_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"), (b"\xff\xfe", "UTF-16"),
               (b"\xfe\xff", "UTF-16"))


def _dutch_json_message(message: str) -> str:
    return next((nl for en, nl in _JSON_MESSAGES if message.startswith(en)), "ongeldige JSON")


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
    try:
        data = read_bounded(path, MAX_BYTES)
    except ReadProblem as err:
        raise InputError(problems=[Problem(name, message=str(err))]) from err
    if not data.strip():
        raise InputError(problems=[Problem(name, message="bestand is leeg")])
    for bom, encoding in _OTHER_BOMS:
        if data.startswith(bom):
            raise InputError(problems=[Problem(name, message=f"bestand is opgeslagen als {encoding}; sla het op als UTF-8")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        before = data[: err.start].decode("utf-8", "replace")
        line, column = _position(before, len(before))
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
