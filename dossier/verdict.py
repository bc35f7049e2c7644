"""The outcome of verifying a file (a .docx dossier in ``verify``, a signed PDF in ``sign``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from dossier.errors import EXIT_OK


@dataclass
class Verdict:
    """The outcome of verifying one file: the lines to show and the exit code."""

    path: str
    lines: list[str] = field(default_factory=list)
    codes: list[int] = field(default_factory=list)

    def differ(self, code: int, line: str) -> None:
        """Record one difference."""
        self.codes.append(code)
        self.lines.append(line)

    @property
    def genuine(self) -> bool:
        return not self.codes

    @property
    def exit_code(self) -> int:
        return min(self.codes) if self.codes else EXIT_OK
