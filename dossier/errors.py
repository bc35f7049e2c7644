"""The exception tree: each class says when it is raised and carries its own exit code."""

from __future__ import annotations

import errno
import re
from collections.abc import Iterable
from dataclasses import dataclass

_OS_REASONS = {
    errno.ENOENT: "bestaat niet",
    errno.EACCES: "geen toegang",
    errno.EPERM: "niet toegestaan",
    errno.ENOSPC: "de schijf is vol",
    errno.EROFS: "alleen-lezen bestandssysteem",
    errno.ENOTDIR: "een deel van het pad is geen map",
    errno.EISDIR: "is een map",
    errno.EEXIST: "bestaat al",
    errno.ENAMETOOLONG: "naam te lang",
    errno.EDQUOT: "schijfquotum bereikt",
}


MAX_LINES = 100  # problems shown per error; the rest are counted

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """Return text with control characters written as \\xNN: user text never steers the terminal."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def os_reason(err: OSError) -> str:
    """Return a short Dutch reason for an operating-system error."""
    return _OS_REASONS.get(err.errno or 0) or err.strerror or str(err)


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one file, at a JSON pointer or at a line and column."""

    file: str
    pointer: str | None = None
    line: int | None = None
    column: int | None = None
    message: str = ""

    def __str__(self) -> str:
        file = printable(self.file)
        if self.line is not None:
            return f"{file}:{self.line}:{self.column or 1}: {self.message}"
        if self.pointer is not None:
            return f"{file}: {printable(self.pointer) or '/'}: {self.message}"
        return f"{file}: {self.message}"


class DossierError(Exception):
    """Base class: a failure the user can act on, shown as Dutch text without a traceback."""

    exit_code = 1

    def __init__(self, message: str = "", problems: Iterable[Problem] = ()) -> None:
        self.problems = tuple(problems)
        super().__init__(message or "\n".join(str(p) for p in self.problems))

    def lines(self) -> list[str]:
        """Return the lines to print on stderr: one per problem (at most MAX_LINES, then a count), else the message."""
        if len(self.problems) > MAX_LINES:
            shown = [str(p) for p in self.problems[:MAX_LINES]]
            return [*shown, f"{printable(self.problems[0].file)}: en nog {len(self.problems) - MAX_LINES} problemen"]
        return [str(p) for p in self.problems] or [str(self)]


class InputError(DossierError):
    """Raised when an intake file cannot be read, parsed or validated."""


class KnowledgeError(DossierError):
    """Raised when a knowledge-base file is broken (syntax, schema or cross-reference)."""


class MissingPackageError(DossierError):
    """Raised when the running Python lacks a package dossier needs (it runs outside its environment)."""


class TemplateError(DossierError):
    """Raised when a Word template lacks a style, field or tag form the code relies on (e.g. after an edit)."""


class OutputError(DossierError):
    """Raised when an output file cannot be written."""


class ConversionError(DossierError):
    """Raised when converting a dossier to PDF, Markdown or HTML fails."""


class InternalError(DossierError):
    """Raised when dossier itself fails on one intake (a bug, not bad input), so a batch can go on."""

    exit_code = 70


class UsageError(DossierError):
    """Raised when a command is called with wrong arguments."""

    exit_code = 2
