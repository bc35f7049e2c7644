"""Markdown preview in the form: the constructs the dossier supports, shown as the dossier shows them.

The same parser as ``dossier.markdown`` (CommonMark, raw HTML stays text); as there, underscores are no emphasis
markers, images become a text '[afbeelding: …]', and headings are a paragraph in bold (the dossier's
'KopInTekst'), so the preview does not promise what the document will not show.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from dossier.markdown import parser as markdown_parser

MAX_PREVIEW = 100_000


def _plain(token: Any, content: str) -> Any:
    token.type, token.tag, token.nesting, token.content, token.markup = "text", "", 0, content, ""
    token.children = None
    return token


def markdown_html(text: str) -> Markup:
    """Return safe HTML for the preview of a Markdown field (empty text: empty markup)."""
    if not text.strip():
        return Markup("")
    parser = markdown_parser()
    tokens = parser.parse(text[:MAX_PREVIEW])
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = "p"
            if token.type == "heading_open":
                token.attrSet("class", "kop")
        for child in token.children or []:
            if child.type in ("em_open", "em_close", "strong_open", "strong_close") and "_" in child.markup:
                _plain(child, child.markup)
            elif child.type == "image":
                source = str(child.attrs.get("src", ""))
                _plain(child, f"[afbeelding: {child.content}]" + (f" ({source})" if source else ""))
            elif child.type == "link_open":
                child.attrSet("rel", "noopener noreferrer")
                child.attrSet("target", "_blank")
    return Markup(parser.renderer.render(tokens, parser.options, {}))
