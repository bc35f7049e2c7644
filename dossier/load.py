"""Read an intake file into a dict, reporting every reading problem with file and place."""

from __future__ import annotations

import json
import json.decoder
import json.scanner
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dossier.errors import InputError, Problem
from dossier.files import ReadProblem, read_bounded
from dossier.messages import quote

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


# --- the place of a duplicate key or a NaN ------------------------------------------------------
# The fast C decoder says that a key is doubled or a constant is used, not where. Only then is the
# text decoded again by this slower decoder, which knows the index of every key and value it reads.

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_Scan = Callable[[str, int], tuple[Any, int]]
# Part of the json module, though typeshed does not list them: the pure-Python scanner reads the
# decoder's parse_object and parse_array, which the C scanner does not.
scanstring: Callable[[str, int, bool], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]
py_make_scanner: Callable[[json.JSONDecoder], _Scan] = json.scanner.py_make_scanner  # type: ignore[attr-defined]


class _Located(Exception):
    """A problem at an index of the text: a second occurrence of a key, or NaN/Infinity."""

    def __init__(self, index: int, message: str) -> None:
        self.index, self.message = index, message


@dataclass(frozen=True)
class _Constant:
    name: str


def _skip(text: str, index: int) -> int:
    found = _WHITESPACE.match(text, index)
    return found.end() if found else index


def _value(text: str, index: int, scan_once: _Scan) -> tuple[Any, int]:
    try:
        value, end = scan_once(text, index)
    except StopIteration as err:
        raise json.JSONDecodeError("Expecting value", text, err.value) from err
    if isinstance(value, _Constant):
        raise _Located(index, f"{quote(value.name)} is geen geldige JSON-waarde")
    return value, end


def _object(text_and_end: tuple[str, int], strict: bool, scan_once: _Scan, *_: Any) -> tuple[dict[str, Any], int]:
    text, end = text_and_end
    result: dict[str, Any] = {}
    end = _skip(text, end)
    if text[end:end + 1] == "}":
        return result, end + 1
    while True:
        if text[end:end + 1] != '"':
            raise json.JSONDecodeError("Expecting property name enclosed in double quotes", text, end)
        start = end
        key, end = scanstring(text, end + 1, strict)
        if key in result:
            raise _Located(start, f"veld {quote(key)} komt twee keer voor in hetzelfde object; de eerste waarde zou "
                                  "verloren gaan")
        end = _skip(text, end)
        if text[end:end + 1] != ":":
            raise json.JSONDecodeError("Expecting ':' delimiter", text, end)
        result[key], end = _value(text, _skip(text, end + 1), scan_once)
        end = _skip(text, end)
        if text[end:end + 1] == "}":
            return result, end + 1
        if text[end:end + 1] != ",":
            raise json.JSONDecodeError("Expecting ',' delimiter", text, end)
        end = _skip(text, end + 1)


def _array(text_and_end: tuple[str, int], scan_once: _Scan) -> tuple[list[Any], int]:
    text, end = text_and_end
    result: list[Any] = []
    end = _skip(text, end)
    if text[end:end + 1] == "]":
        return result, end + 1
    while True:
        value, end = _value(text, end, scan_once)
        result.append(value)
        end = _skip(text, end)
        if text[end:end + 1] == "]":
            return result, end + 1
        if text[end:end + 1] != ",":
            raise json.JSONDecodeError("Expecting ',' delimiter", text, end)
        end = _skip(text, end + 1)


def _locate(text: str) -> tuple[int, str] | None:
    """Return (index, Dutch message) of the first duplicate key or constant of text, in document order."""
    decoder = json.JSONDecoder(parse_constant=_Constant)
    vars(decoder).update(parse_object=_object, parse_array=_array)  # read by the pure-Python scanner
    try:
        _value(text, _skip(text, 0), py_make_scanner(decoder))
    except _Located as err:
        return err.index, err.message
    except (ValueError, RecursionError):
        return None
    return None


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
    except (_DuplicateKey, ValueError) as err:  # a doubled key, or NaN/Infinity: find where, in document order
        found = _locate(text)
        index, message = found if found else (0, f"ongeldige JSON ({err})")
        line, column = _position(text, index)
        raise InputError(problems=[Problem(name, line=line, column=column, message=message)]) from err
    except RecursionError as err:
        raise InputError(problems=[Problem(name, message="de JSON is te diep genest")]) from err


def load_intake(path: Path | str) -> Any:
    """Return the intake's JSON content; raise InputError when the file cannot be read or parsed."""
    path = Path(path)
    return parse_json(read_text(path), str(path))
