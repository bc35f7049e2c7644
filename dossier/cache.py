"""A small on-disk cache in the user's cache folder, keyed by content digests.

It remembers work whose result depends only on bytes we can hash (a validated knowledge base,
compiled template code), so a cold `dossier build` need not redo it. A cache that cannot be read
or written only costs speed, never correctness. DOSSIER_NO_CACHE=1 turns it off.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from dossier.errors import OutputError
from dossier.write import write_atomic


def _path(name: str) -> Path | None:
    if os.environ.get("DOSSIER_NO_CACHE"):
        return None
    root = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(root) / "dossier" / name


def read(name: str) -> bytes | None:
    """Return the cached bytes under name, or None."""
    path = _path(name)
    try:
        return path.read_bytes() if path else None
    except OSError:
        return None


def write(name: str, data: bytes) -> None:
    """Store bytes under name, atomically; failures are ignored."""
    path = _path(name)
    if path is None:
        return
    with contextlib.suppress(OutputError):
        write_atomic(path, data)
