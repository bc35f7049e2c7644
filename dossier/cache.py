"""A small on-disk cache in the user's cache folder that can only save time, never change a result.

It holds no code and no content: an entry only records that knowledge-base data with a given
content digest passed schema validation under a given program version. The data itself is always
read from the knowledge-base files, so a tampered entry cannot put other text in a dossier; the
worst a forged entry can do is skip a schema check of files whose digest it names.

Entries live in a 0700 directory owned by the user and are written 0600; a directory or file
that is a symbolic link, owned by someone else, or writable by group or others is not used. An
unreadable, corrupt or foreign entry is ignored (and rewritten), never an error.
DOSSIER_NO_CACHE=1 turns the cache off.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

_MAX_ENTRY = 4096  # an entry is a short marker; anything larger is not ours


def directory() -> Path | None:
    """Return the cache directory, or None when the cache is off."""
    if os.environ.get("DOSSIER_NO_CACHE"):
        return None
    root = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(root) / "dossier"


def _safe_directory(create: bool) -> Path | None:
    """Return the cache directory if it is ours and private (made 0700 if absent and create), else None."""
    path = directory()
    if path is None:
        return None
    if create:
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            os.mkdir(path, 0o700)
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o022:
        return None  # a link, someone else's, or writable by others: entries in it prove nothing
    if info.st_mode & 0o077:
        with contextlib.suppress(OSError):
            os.chmod(path, 0o700)
    return path


def _entry_name(name: str) -> str | None:
    return name if name and "/" not in name and not name.startswith(".") else None


def read(name: str) -> bytes | None:
    """Return the bytes of entry name if it is a private regular file of this user, else None."""
    base, entry = _safe_directory(create=False), _entry_name(name)
    if base is None or entry is None:
        return None
    try:
        fd = os.open(base / entry, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
            return None
        data = os.read(fd, _MAX_ENTRY + 1)
        return data if len(data) <= _MAX_ENTRY else None
    except OSError:
        return None
    finally:
        os.close(fd)


def write(name: str, data: bytes) -> None:
    """Store data as entry name (0600, atomically); any failure is ignored: a cache only saves time."""
    base, entry = _safe_directory(create=True), _entry_name(name)
    if base is None or entry is None or len(data) > _MAX_ENTRY:
        return
    temporary = None
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{entry}.", suffix=".tmp", dir=base)  # mkstemp makes it 0600
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
        os.replace(temporary, base / entry)
        temporary = None
    except OSError:
        pass
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
