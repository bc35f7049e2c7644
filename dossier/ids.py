"""Ids the intake refers by that are not written out: a project's own values."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dossier.messages import slug


def own_value_id(item: Mapping[str, Any]) -> str:
    """Return the id of a project's own value: its explicit id, else the slug of its name."""
    eigen = item["eigen"]
    explicit = eigen.get("id")
    return explicit if isinstance(explicit, str) and explicit else slug(eigen["naam"])
