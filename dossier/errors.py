"""The exception tree: each class says when it is raised and carries its own exit code.

The exit codes of every command (the README has the same table):

    0    ok
    1    bad input, or an output or conversion failure (one message per problem)
    2    wrong use of the command line
    3    ``check``: the dossier still has open points
    70   an internal error: a bug in dossier, not in the input
    130  interrupted (Ctrl-C)
"""

from __future__ import annotations

import errno
from collections.abc import Iterable
from dataclasses import dataclass

from dossier.messages import printable

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_OPEN_POINTS = 3
EXIT_INTAKE = 4  # (verify) the embedded intake does not belong to the reference: swapped or edited
EXIT_VERSION = 5  # (verify) made by another program version: cannot be rebuilt here, not called forged
EXIT_KNOWLEDGE = 6  # (verify) made with a knowledge base of other content
EXIT_TEMPLATE = 7  # (verify) made with another template
EXIT_DOCUMENT = 8  # (verify) the document differs from the rebuild: edited after it was made
EXIT_SIGNATURE = 9  # (verify) a signature in a PDF is broken, does not cover the document or does not chain to a root
EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143
EXIT_CODES = {
    EXIT_OK: "gelukt",
    EXIT_FAILURE: "foute invoer of mislukte uitvoer (met een melding per probleem)",
    EXIT_USAGE: "verkeerd gebruik van de opdracht",
    EXIT_OPEN_POINTS: "(check) het dossier heeft nog open punten",
    EXIT_INTAKE: "(verify) de ingebedde intake is vervangen of gewijzigd",
    EXIT_VERSION: "(verify) gemaakt met een andere programmaversie",
    EXIT_KNOWLEDGE: "(verify) gemaakt met een kennisbank met andere inhoud",
    EXIT_TEMPLATE: "(verify) gemaakt met een ander sjabloon",
    EXIT_DOCUMENT: "(verify) het document is na het maken gewijzigd",
    EXIT_SIGNATURE: "(verify) een handtekening in de PDF klopt niet",
    EXIT_INTERNAL: "interne fout in dossier (meld die, met DOSSIER_DEBUG=1 voor de details)",
    EXIT_INTERRUPTED: "afgebroken (Ctrl-C)",
    EXIT_TERMINATED: "afgebroken (SIGTERM)",
}

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

    exit_code = EXIT_FAILURE

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

    exit_code = EXIT_INTERNAL


class UsageError(DossierError):
    """Raised when a command is called with wrong arguments."""

    exit_code = EXIT_USAGE
