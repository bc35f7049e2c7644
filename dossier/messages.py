"""Helpers that put user text into Dutch messages: quoting, suggestions, JSON pointers, ids.

Every message that shows a user's value goes through ``quote`` (or ``printable``), so user text
never steers the terminal; every "did you mean" goes through ``suggest``.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections.abc import Iterable

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")

ALIASES = {"friesland": "Fryslân", "fryslan": "Fryslân", "brabant": "Noord-Brabant"}


def printable(text: str) -> str:
    """Return text with control characters written as \\xNN: user text never steers the terminal."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def pointer(path: Iterable[object]) -> str:
    """Return the JSON pointer (RFC 6901) of a path of keys and indexes."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def quote(value: object) -> str:
    """Return a short, printable rendering of a user value for a message."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    if len(text) > 60:
        text = text[:57] + "…"
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return "'" + printable(text) + "'"


def suggest(value: object, allowed: Iterable[str]) -> str:
    """Return 'bedoelde u …?' for a close match, else the list of allowed values."""
    names = [str(a) for a in allowed]
    if isinstance(value, str) and ALIASES.get(value.strip().lower()) in names:
        return f"bedoelde u '{ALIASES[value.strip().lower()]}'?"
    if isinstance(value, str):
        lowered = {a.lower(): a for a in names}
        close = difflib.get_close_matches(value.strip().lower(), list(lowered), n=1, cutoff=0.6)
        if close:
            return f"bedoelde u '{lowered[close[0]]}'?"
    if len(names) > 30:
        return "zie 'dossier values' of 'dossier clauses list' voor de toegestane waarden"
    return "toegestaan: " + ", ".join(names)


def slug(name: str) -> str:
    """Return the id of a name: lower case ASCII, words joined by '_'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_")


def join_names(items: list[str]) -> str:
    """Return 'A', 'A en B' or 'A, B en C'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " en " + items[-1]
