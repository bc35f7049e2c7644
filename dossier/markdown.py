"""Markdown to WordprocessingML: the few constructs an intake uses, as paragraphs docxtpl can place.

Supported: paragraphs, **bold**, *italic*, `code`, links, bullet and numbered lists (nested),
headings, block quotes and code blocks. Raw HTML is never interpreted: it stays literal text.
Underscores are not emphasis markers here (only ``*`` and ``**`` are): ``_x_`` and text that looks
like template syntax such as ``{_{ x }_}`` must reach the document exactly as typed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from markupsafe import Markup

# Paragraph and character styles: defined in templates/dossier.docx, held to dossier.template.DOSSIER.
BODY = "Normal"
BULLETS = ("ListBullet", "ListBullet2", "ListBullet3")
NUMBERS = ("Genummerd", "Genummerd2", "Genummerd3")
CONTINUE = ("ListContinue", "ListContinue2", "ListContinue3")
HEADING = "KopInTekst"
QUOTE = "Quote"
CODE = "Codeblok"
LINK = "Hyperlink"
CODE_CHAR = "CodeInTekst"


def escape_text(text: str) -> str:
    """Return text escaped for a w:t element, safe from docxtpl's post-render rewriting.

    docxtpl turns ``{_{``, ``}_}``, ``{_%`` and ``%_}`` in the rendered XML into ``{{``, ``}}``,
    ``{%`` and ``%}``; writing the underscore as a character reference keeps the value intact
    (the XML parser turns it back into ``_``).
    """
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if "_" in text:
        text = text.replace("_{", "&#95;{").replace("_}", "&#95;}").replace("_%", "&#95;%")
    return text


def run(text: str, *, style: str | None = None, bold: bool = False, italic: bool = False) -> str:
    """Return one w:r element holding text (line breaks and tabs become w:br and w:tab)."""
    props = ""
    if style:
        props += f'<w:rStyle w:val="{style}"/>'
    if bold:
        props += "<w:b/><w:bCs/>"
    if italic:
        props += "<w:i/><w:iCs/>"
    content = []
    for number, line in enumerate(text.split("\n")):
        if number:
            content.append("<w:br/>")
        for index, piece in enumerate(line.split("\t")):
            if index:
                content.append("<w:tab/>")
            if piece:
                content.append(f'<w:t xml:space="preserve">{escape_text(piece)}</w:t>')
    return f"<w:r>{f'<w:rPr>{props}</w:rPr>' if props else ''}{''.join(content)}</w:r>"


def paragraph(runs: str, style: str | None = None) -> str:
    """Return one w:p element with the given runs and paragraph style."""
    props = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style and style != BODY else ""
    return f"<w:p>{props}{runs}</w:p>"


@dataclass
class _List:
    ordered: bool
    number: int = 0
    item_paragraphs: int = 0


@dataclass
class _State:
    link: Callable[[str], str]
    paragraphs: list[str] = field(default_factory=list)
    lists: list[_List] = field(default_factory=list)
    quote: int = 0
    heading: bool = False


@lru_cache(maxsize=1)
def _parser() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "typographer": False})


def parser() -> Any:
    """Return the Markdown parser of every dossier text (CommonMark, raw HTML stays text), shared and cached.

    Also for previews (``dossier serve``), so a preview parses exactly as the dossier does.
    """
    return _parser()


def to_paragraphs(text: str, link: Callable[[str], str]) -> Markup:
    """Return Markdown text as w:p elements (safe markup for a docxtpl ``{{p x }}`` tag).

    ``link(url)`` must return the relationship id of an external hyperlink to url.
    """
    state = _State(link=link)
    for token in _parser().parse(text):
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            start = int(token.attrs.get("start", 1)) if kind == "ordered_list_open" else 1
            state.lists.append(_List(ordered=kind == "ordered_list_open", number=start - 1))
        elif kind in ("bullet_list_close", "ordered_list_close"):
            state.lists.pop()
        elif kind == "list_item_open":
            current = state.lists[-1]
            current.number = int(token.info) if token.info.isdigit() else current.number + 1
            current.item_paragraphs = 0
        elif kind == "blockquote_open":
            state.quote += 1
        elif kind == "blockquote_close":
            state.quote -= 1
        elif kind == "heading_open":
            state.heading = True
        elif kind == "heading_close":
            state.heading = False
        elif kind == "inline":
            state.paragraphs.append(_block(state, _inline(token.children or [], state.link)))
        elif kind in ("code_block", "fence"):
            state.paragraphs.append(paragraph(run(token.content.rstrip("\n")), CODE))
    return Markup("".join(state.paragraphs))


def _block(state: _State, runs: str) -> str:
    if state.heading:
        return paragraph(runs, HEADING)
    if state.lists:
        current, level = state.lists[-1], min(len(state.lists), 3) - 1
        current.item_paragraphs += 1
        if current.item_paragraphs > 1:
            return paragraph(runs, CONTINUE[level])
        if current.ordered:
            return paragraph(run(f"{current.number}.\t") + runs, NUMBERS[level])
        return paragraph(runs, BULLETS[level])
    return paragraph(runs, QUOTE if state.quote else BODY)


def _inline(children: list[Any], link: Callable[[str], str]) -> str:
    bold = italic = 0
    href: str | None = None
    shown = ""  # the address of a link that does not become live
    out: list[str] = []
    segments: list[tuple[str | None, bool, bool, str]] = []  # (style, bold, italic, text), merged when alike

    def emit(text: str, style: str | None = None) -> None:
        text = _ENTITY_CONTROL.sub("", text)  # &#12; and the like decode to control characters: never a page break
        if not text:
            return
        key = (style or (LINK if href is not None else None), bold > 0, italic > 0)
        if segments and segments[-1][:3] == key:
            segments[-1] = (*key, segments[-1][3] + text)
        else:
            segments.append((*key, text))

    def flush() -> str:
        runs = "".join(run(text, style=style, bold=b, italic=i) for style, b, i, text in segments)
        segments.clear()
        return runs

    for child in children:
        kind, markup = child.type, child.markup
        if kind == "text":
            emit(child.content)
        elif kind == "softbreak":
            emit(" ")
        elif kind == "hardbreak":
            emit("\n")
        elif kind == "code_inline":
            emit(child.content, style=CODE_CHAR)
        elif kind in ("em_open", "em_close", "strong_open", "strong_close") and "_" in markup:
            emit(markup)  # underscores stay text, see the module docstring
        elif kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic -= 1
        elif kind == "link_open":
            out.append(flush())
            href = str(child.attrs.get("href", ""))
            if not is_safe_link(href):  # ms-msdt:, smb:, //host, file: stay visible text, never a live link
                shown, href = href, None
        elif kind == "link_close":
            runs = flush()
            if href:
                out.append(_hyperlink(link(href), runs))
            else:
                out.append(runs + (run(f" ({shown})") if shown and escape_text(shown) not in runs else ""))
            href, shown = None, ""
        elif kind == "image":
            source = str(child.attrs.get("src", ""))
            emit(f"[afbeelding: {child.content}]" + (f" ({source})" if source else ""))
        else:  # anything else markdown-it may add: keep its text rather than lose it
            emit(child.content or markup)
    out.append(flush())
    return "".join(out)


_ENTITY_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
SAFE_SCHEMES = ("http", "https", "mailto")


def is_safe_link(url: str) -> bool:
    """Return whether url may become a live link: an absolute http, https or mailto address."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    if parts.scheme.lower() not in SAFE_SCHEMES:
        return False
    return parts.scheme.lower() == "mailto" or bool(parts.netloc)


def _hyperlink(relationship_id: str, runs: str) -> str:
    return f'<w:hyperlink r:id="{relationship_id}" w:history="1">{runs}</w:hyperlink>'
