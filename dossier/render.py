"""Render a Dossier into a .docx (placeholder until the template renderer lands)."""

from __future__ import annotations

import io
from typing import Any

from dossier.context import to_context
from dossier.model import Dossier


def render_dossier(raw: Any, dossier: Dossier) -> tuple[bytes, dict[str, Any]]:
    """Return (docx bytes, template context)."""
    import docx

    context = to_context(dossier)
    document = docx.Document()
    document.add_heading(context["project"]["naam"], 0)
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue(), context


def extract_intake(path: Any) -> str:
    raise NotImplementedError
