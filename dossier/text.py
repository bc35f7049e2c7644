"""Characters that could make a dossier show something other than what is stored, and how to report them.

A one-line field (a name, a title, a portfolio, a clause parameter) is printed on the cover, in the
page header or on the decision page. A line break there can forge a line ("Status: Gereed voor
besluit"); a bidi control reverses what the reader sees ("\u202e000.05" reads as "50.000"); an
invisible character makes a name look empty or look like another. The intake schema refuses these
in one-line fields with the patterns below (``$defs/regel`` and ``$defs/tekst``); this module
holds the same character classes, the Dutch message for each, and the warnings for longer texts,
where such characters are reported but kept.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from typing import Any

# Regular-expression classes, written with \u escapes so the schema (JSON) holds the same text.
CONTROLS = "\\u0000-\\u001f\\u007f-\\u009f"  # C0 and C1, including tab, line feed, form feed, NEL
SEPARATORS = "\\u2028\\u2029"  # line and paragraph separator
BIDI = "\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069"  # marks, embeddings, overrides, isolates
INVISIBLE = ("\\u00ad\\u034f\\u115f\\u1160\\u17b4\\u17b5\\u180b-\\u180e\\u200b\\u200c\\u2060-\\u2064"
             "\\u206a-\\u206f\\u2800\\u3164\\ufeff\\uffa0\\ufff9-\\ufffb")
TAGS = "\\U000e0000-\\U000e007f"  # tag characters: invisible letters outside the BMP

# The zero-width joiner (U+200D) joins emoji (a family, a profession) and is invisible anywhere else:
# it is allowed only between two pictographic characters. The schema patterns are Python regular
# expressions (jsonschema uses re), so a character outside the BMP is written as \\UXXXXXXXX.
EMOJI = "\\u00a9\\u00ae\\u203c\\u2049\\u2122\\u2139\\u2190-\\u2bff\\u3030\\u303d\\u3297\\u3299\\ufe0f\\U0001f000-\\U0001faff"
LONE_JOINER = f"(?<![{EMOJI}])\\u200d|\\u200d(?![{EMOJI}])"

VISIBLE_PATTERN = f"[^\\s{BIDI}{INVISIBLE}{TAGS}\\u200d]"  # at least one character that shows
# Lookaheads, not "^[^...]*$": in Python's re, "$" also matches before a final line feed. One pattern
# holds both conditions (nothing forbidden, something visible): a schema can hold one pattern per field.
ONE_LINE_PATTERN = (f"^(?![\\s\\S]*(?:[{CONTROLS}{SEPARATORS}{BIDI}{INVISIBLE}{TAGS}]|{LONE_JOINER}))"
                    f"(?=[\\s\\S]*{VISIBLE_PATTERN})")

ONE_LINE_FORBIDDEN = re.compile(  # what ONE_LINE_PATTERN refuses, as a search
    f"[{CONTROLS}{SEPARATORS}{BIDI}{INVISIBLE}{TAGS}]|{LONE_JOINER}")
_HIDDEN = re.compile(f"[{BIDI}{INVISIBLE}{TAGS}]|{LONE_JOINER}")
_BIDI = re.compile(f"[{BIDI}]")
_BREAKS = re.compile("[\n\r\u000b\u000c\u0085\u2028\u2029]")

_SCRIPT_NAMES = {"LATIN": "Latijns", "CYRILLIC": "Cyrillisch", "GREEK": "Grieks", "ARMENIAN": "Armeens",
                 "CHEROKEE": "Cherokee", "COPTIC": "Koptisch", "GEORGIAN": "Georgisch"}


def code_points(text: str) -> str:
    """Return the distinct characters of text as 'U+XXXX', in order of appearance, comma-separated."""
    return ", ".join(dict.fromkeys(f"U+{ord(c):04X}" for c in text))


def one_line_problem(value: str) -> str | None:
    """Return the Dutch reason why value is not one line of plain, visible text, or None if it is."""
    if _BREAKS.search(value):
        return "moet op één regel: een regeleinde of pagina-einde is hier niet toegestaan"
    if "\t" in value:
        return "moet op één regel: een tab is hier niet toegestaan"
    bidi = _BIDI.findall(value)
    if bidi:
        return (f"bevat een teken dat de leesrichting omdraait ({code_points(''.join(bidi))}); zo kan de tekst er "
                "anders uitzien dan wat er staat. Verwijder het")
    found = ONE_LINE_FORBIDDEN.findall(value)
    if found:
        invisible = [c for c in found if _HIDDEN.match(c)]
        if invisible:
            return (f"bevat een onzichtbaar teken ({code_points(''.join(invisible))}); zo kan een naam leeg of als een "
                    "andere naam lijken. Verwijder het")
        return f"bevat een stuurteken ({code_points(''.join(found))}); geef één regel gewone tekst"
    return None


def is_visible(value: str) -> bool:
    """Return whether value has at least one character that shows (not space, not invisible)."""
    return re.search(VISIBLE_PATTERN, value) is not None


def hidden_characters(value: str) -> list[str]:
    """Return the bidi controls and invisible characters in value, in order."""
    return _HIDDEN.findall(value)


def hidden_character_warnings(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Yield (path, Dutch warning) for every string in data that holds bidi controls or invisible characters."""
    if isinstance(data, str):
        found = hidden_characters(data)
        if found:
            kind = "tekens die de leesrichting omdraaien of onzichtbaar zijn" if _BIDI.search(data) \
                else "onzichtbare tekens"
            yield path, (f"bevat {len(found)} {kind} ({code_points(''.join(found))}); wat de lezer ziet kan afwijken "
                         "van wat er staat. Controleer de tekst")
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from hidden_character_warnings(item, (*path, index))
    elif isinstance(data, Mapping):
        for key, item in data.items():
            yield from hidden_character_warnings(item, (*path, key))


def scripts(value: str) -> list[str]:
    """Return the Dutch names of the writing systems of the letters in value (by Unicode character name)."""
    found: dict[str, None] = {}
    for character in value:
        if not character.isalpha():
            continue
        script = unicodedata.name(character, "").split(" ")[0]
        found.setdefault(_SCRIPT_NAMES.get(script, script.capitalize() or "onbekend"), None)
    return list(found)


def mixed_script_warning(value: str) -> str | None:
    """Return a Dutch warning when a name mixes letters of several scripts (a look-alike), else None."""
    found = scripts(value)
    if len(found) < 2:
        return None
    return (f"mengt letters uit verschillende schriften ({', '.join(found)}); een naam kan zo op een andere "
            "lijken. Controleer de naam")


# The names printed on the cover and the decision page, where a look-alike could pass for someone else.
PAGE_NAMES = (("project", "naam"), ("project", "afdeling"), ("project", "projectleider"), ("project", "adviseur"),
              ("ondertekening", "gedeputeerde"), ("ondertekening", "portefeuille"),
              ("ondertekening", "ambtelijk_opdrachtgever"))


def _pointer(path: tuple[Any, ...]) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path) or "/"


def text_warnings(intake: Mapping[str, Any]) -> list[str]:
    """Return the Dutch warnings for hidden characters anywhere in the intake and for mixed-script names.

    Each warning names the field by its JSON pointer. One-line fields never get here with hidden
    characters: the schema refuses them there.
    """
    warnings = [f"{_pointer(path)} {message}." for path, message in hidden_character_warnings(intake)]
    for section, key in PAGE_NAMES:
        value = intake.get(section, {}).get(key)
        warning = mixed_script_warning(value) if isinstance(value, str) else None
        if warning:
            warnings.append(f"/{section}/{key} {warning}.")
    return warnings
