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
        # A short temporary name: a valid 250-character target name must not fail on a longer one.
        fd, temporary = tempfile.mkstemp(prefix=".dossier-", suffix=".tmp", dir=target.parent)
        with os.fdopen(fd, "wb") as stream:
            fd = None
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _mode_for(target))
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


def _mode_for(target: Path) -> int:
    """Return the permission bits for target: an existing file keeps its own (never widened), a new one
    gets what the umask allows for an ordinary file (0666 minus the umask)."""
    try:
        return os.stat(target).st_mode & 0o777
    except OSError:
        pass
    umask = os.umask(0o077)  # reading the umask means setting it; put it straight back
    os.umask(umask)
    return 0o666 & ~umask


def write_json_atomic(target: Path, data: Any) -> Path:
    """Write data as sorted, indented UTF-8 JSON, atomically; return target."""
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    return write_atomic(target, text.encode("utf-8", "surrogatepass"))
