"""Diagnostics in the contract's form: ``FILE:LINE:COLUMN: error: MESSAGE``.

Every stage that finds a problem in a brief reports a :class:`Diagnostic`
rather than raising at the first one, so that the author sees every problem
of a file in one run.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    file: Path
    line: int
    column: int
    severity: Severity
    message: str
    path: str = ""  # the node's path in the brief, e.g. sections[2].body[0].table

    def format(self, *, relative_to: Path | None = None) -> str:
        shown = _display_path(self.file, relative_to)
        where = f"{self.path}: " if self.path else ""
        return f"{shown}:{self.line}:{self.column}: {self.severity}: {where}{self.message}"

    def as_error(self) -> "Diagnostic":
        """The same problem, promoted to an error (``--strict``)."""
        return Diagnostic(self.file, self.line, self.column, "error", self.message, self.path)

    def as_dict(self) -> dict:
        return {
            "file": str(self.file),
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "path": self.path,
            "message": self.message,
        }


def _display_path(file: Path, relative_to: Path | None) -> str:
    base = relative_to or Path.cwd()
    try:
        return str(file.resolve().relative_to(base.resolve()))
    except ValueError:
        return str(file)


class BriefErrors(Exception):
    """A brief could not be read; ``diagnostics`` holds every problem found."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = sorted(diagnostics, key=lambda d: (d.line, d.column))
        super().__init__("\n".join(d.format() for d in self.diagnostics))
