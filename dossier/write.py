"""Writing output files atomically: a temporary file in the target directory, then a rename."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from dossier.errors import OutputError, os_reason


def ensure_directory(directory: Path) -> None:
    """Create the output directory if needed; raise OutputError when that is impossible."""
    if directory.exists() and not directory.is_dir():
        raise OutputError(f"{directory}: is geen map")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(f"{directory}: uitvoermap kan niet worden gemaakt ({os_reason(err)})") from err
    if not directory.is_dir():
        raise OutputError(f"{directory}: is geen map")


def write_atomic(target: Path, data: bytes) -> Path:
    """Write data to target so that target is either complete or absent; return target."""
    ensure_directory(target.parent)
    fd, temporary = None, None
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        with os.fdopen(fd, "wb") as stream:
            fd = None
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
        temporary = None
    except OSError as err:
        raise OutputError(f"{target}: kan niet worden geschreven ({os_reason(err)})") from err
    finally:
        if fd is not None:
            os.close(fd)
        if temporary is not None and os.path.exists(temporary):
            os.unlink(temporary)
    return target


def write_json_atomic(target: Path, data: Any) -> Path:
    """Write data as sorted, indented UTF-8 JSON, atomically; return target."""
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    return write_atomic(target, text.encode("utf-8", "surrogatepass"))
