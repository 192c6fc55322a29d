"""Diagnostics in the contract's form: ``FILE:LINE:COLUMN: error: MESSAGE``.

Every stage that finds a problem in a brief reports a :class:`Diagnostic`
rather than raising at the first one, so that the author sees every problem
of a file in one run.
"""

from __future__ import annotations

import re
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
        """One line, always: control characters and line breaks in the file
        name, the path or the message (which may quote the brief) are
        escaped, so content can never fake a diagnostic line of its own."""
        shown = one_line(_display_path(self.file, relative_to))
        where = f"{one_line(self.path)}: " if self.path else ""
        return f"{shown}:{self.line}:{self.column}: {self.severity}: {where}{one_line(self.message)}"

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


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str) -> str:
    """``text`` with line breaks and other control characters as escapes
    (``\\n``, ``\\x01``); ``--format json`` keeps the raw text."""
    if not _UNPRINTABLE.search(text):
        return text
    return _UNPRINTABLE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return _ESCAPES.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


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
