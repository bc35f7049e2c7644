"""Reading input files with a bound: only regular files, never more than a stated number of bytes.

A FIFO would block a read forever and /dev/zero never ends, so a path is opened without blocking
and refused unless it is a regular file; reading stops one byte past the maximum, so a 200 MB file
costs no more than the maximum before it is refused.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from dossier.errors import os_reason


class ReadProblem(Exception):
    """Raised when a file cannot be read within its bound; the message is one Dutch reason."""


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB" if size >= 1024 * 1024 else f"{size // 1024} kB"


def _open_regular(path: Path | str) -> tuple[int, int]:
    """Return (file descriptor, size) of the regular file at path, opened without blocking; raise ReadProblem."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError as err:
        raise ReadProblem("bestand bestaat niet") from err
    except IsADirectoryError as err:
        raise ReadProblem("dit is een map, geen bestand") from err
    except OSError as err:
        if err.errno == errno.ENXIO:  # a socket, or a FIFO without writer on some systems
            raise ReadProblem("is geen gewoon bestand") from err
        raise ReadProblem(f"bestand kan niet worden gelezen ({os_reason(err)})") from err
    try:
        info = os.fstat(fd)
    except OSError as err:
        os.close(fd)
        raise ReadProblem(f"bestand kan niet worden gelezen ({os_reason(err)})") from err
    if stat.S_ISDIR(info.st_mode):
        os.close(fd)
        raise ReadProblem("dit is een map, geen bestand")
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise ReadProblem("is geen gewoon bestand (maar een apparaat, pijp of socket)")
    return fd, info.st_size


def read_head(path: Path | str, size: int) -> bytes:
    """Return at most the first size bytes of the regular file at path; raise ReadProblem like read_bounded."""
    fd, _ = _open_regular(path)
    try:
        return os.read(fd, size)
    except OSError as err:
        raise ReadProblem(f"bestand kan niet worden gelezen ({os_reason(err)})") from err
    finally:
        os.close(fd)


def read_bounded(path: Path | str, limit: int) -> bytes:
    """Return the bytes of the regular file at path; raise ReadProblem when it is absent, a directory,
    not a regular file (a FIFO, a device), unreadable, or larger than limit bytes."""
    fd, size = _open_regular(path)
    try:
        if size > limit:
            raise ReadProblem(f"bestand is te groot ({_megabytes(size)}; maximaal {_megabytes(limit)})")
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, min(1024 * 1024, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:  # the file grew while we read it
            raise ReadProblem(f"bestand is te groot (meer dan {_megabytes(limit)})")
        return b"".join(chunks)
    except OSError as err:
        raise ReadProblem(f"bestand kan niet worden gelezen ({os_reason(err)})") from err
    finally:
        os.close(fd)
