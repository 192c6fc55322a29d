"""A BibTeX reader that knows where everything is.

It reads what BibTeX and biblatex files contain (``@type{key, field =
{value} # "value" # macro, ...}``, ``@string``, ``@preamble``,
``@comment`` and text between entries) into entries with the line each
starts on, and reports a file that does not parse at the line and column
of the mistake.  LaTeX inside values is left for the CSL processor, which
reads the same file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .works import Problem

_NAME = re.compile(r"[A-Za-z0-9_:.+/'!$&*<>?\[\]^`|~-]+")
_KEY = re.compile(r"[^\s,{}()\"#%'=]+")
_MONTHS = {m: m for m in ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")}


@dataclass
class Entry:
    type: str
    key: str
    line: int
    fields: dict[str, str] = field(default_factory=dict)


class _Stop(Exception):
    def __init__(self, offset: int, message: str):
        self.offset = offset
        self.message = message


class _Reader:
    def __init__(self, text: str):
        self.text = text
        self.pos = 0
        self.strings: dict[str, str] = dict(_MONTHS)

    def where(self, offset: int) -> tuple[int, int]:
        line = self.text.count("\n", 0, offset) + 1
        column = offset - (self.text.rfind("\n", 0, offset) + 1) + 1
        return line, column

    def skip_space(self) -> None:
        while self.pos < len(self.text):
            if self.text[self.pos].isspace():
                self.pos += 1
            elif self.text[self.pos] == "%":  # a comment to the end of the line
                end = self.text.find("\n", self.pos)
                self.pos = len(self.text) if end < 0 else end + 1
            else:
                return

    def expect(self, chars: str, what: str) -> str:
        self.skip_space()
        if self.pos >= len(self.text) or self.text[self.pos] not in chars:
            found = repr(self.text[self.pos]) if self.pos < len(self.text) else "the end of the file"
            raise _Stop(self.pos, f"expected {what}, found {found}")
        self.pos += 1
        return self.text[self.pos - 1]

    def name(self, pattern: re.Pattern[str], what: str) -> str:
        self.skip_space()
        match = pattern.match(self.text, self.pos)
        if not match:
            found = repr(self.text[self.pos]) if self.pos < len(self.text) else "the end of the file"
            raise _Stop(self.pos, f"expected {what}, found {found}")
        self.pos = match.end()
        return match.group()

    def braced(self) -> str:
        """``{...}`` with nested braces; the position is just after ``{``."""
        return self._delimited("}", "this '{' is never closed")

    def quoted(self) -> str:
        """``"..."``, whose braces may hold a quote; the position is just after ``"``."""
        return self._delimited('"', 'this \'"\' is never closed')

    def _delimited(self, closer: str, unclosed: str) -> str:
        """The text up to ``closer`` outside any braces (a ``}`` closer ends
        the brace that opened the value), skipping backslash escapes."""
        start = self.pos - 1
        depth = 1 if closer == "}" else 0
        out_start = self.pos
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char == "\\":
                self.pos += 2
                continue
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
                if closer == "}" and depth == 0:
                    self.pos += 1
                    return self.text[out_start : self.pos - 1]
            elif char == '"' and closer == '"' and depth == 0:
                self.pos += 1
                return self.text[out_start : self.pos - 1]
            self.pos += 1
        raise _Stop(start, unclosed)

    def value(self) -> str:
        parts = []
        while True:
            self.skip_space()
            if self.pos >= len(self.text):
                raise _Stop(self.pos, "expected a value, found the end of the file")
            char = self.text[self.pos]
            if char == "{":
                self.pos += 1
                parts.append(self.braced())
            elif char == '"':
                self.pos += 1
                parts.append(self.quoted())
            elif char.isdigit():
                parts.append(self.name(re.compile(r"[0-9]+"), "a number"))
            else:
                at = self.pos
                macro = self.name(_NAME, "a value ({...}, \"...\", a number or a @string name)")
                if macro.lower() not in self.strings:
                    raise _Stop(at, f"'{macro}' is not a @string defined above; put the value in braces: {{{macro}}}")
                parts.append(self.strings[macro.lower()])
            self.skip_space()
            if self.pos < len(self.text) and self.text[self.pos] == "#":
                self.pos += 1
                continue
            return "".join(parts)

    def fields(self, close: str) -> dict[str, str]:
        out: dict[str, str] = {}
        while True:
            self.skip_space()
            if self.pos < len(self.text) and self.text[self.pos] == close:
                self.pos += 1
                return out
            at = self.pos
            name = self.name(_NAME, f"a field name or '{close}'").lower()
            self.expect("=", f"'=' after the field name '{name}'")
            value = self.value()
            if name in out:
                raise _Stop(at, f"the field '{name}' is given twice in this entry")
            out[name] = value
            self.skip_space()
            if self.pos < len(self.text) and self.text[self.pos] == ",":
                self.pos += 1
            elif self.pos < len(self.text) and self.text[self.pos] == close:
                continue
            else:
                found = repr(self.text[self.pos]) if self.pos < len(self.text) else "the end of the file"
                raise _Stop(self.pos, f"expected ',' or '{close}' after the field '{name}', found {found}")

    def entry(self) -> Entry | None:
        at = self.pos
        self.pos += 1  # '@'
        kind = self.name(re.compile(r"[A-Za-z]+"), "an entry type after '@'").lower()
        opener = self.expect("{(", f"'{{' after @{kind}")
        close = "}" if opener == "{" else ")"
        if kind == "comment":
            if opener == "{":
                self.braced()
            else:
                end = self.text.find(")", self.pos)
                self.pos = len(self.text) if end < 0 else end + 1
            return None
        if kind == "preamble":
            self.value()
            self.expect(close, f"'{close}' closing @preamble")
            return None
        if kind == "string":
            fields = self.fields(close)
            self.strings.update(fields)
            return None
        key = self.name(_KEY, f"a citation key after @{kind}{{")
        self.skip_space()
        if self.pos < len(self.text) and self.text[self.pos] == close:
            self.pos += 1
            return Entry(kind, key, self.where(at)[0])
        self.expect(",", f"',' after the key '{key}'")
        return Entry(kind, key, self.where(at)[0], self.fields(close))


def parse_bibtex(text: str) -> tuple[list[Entry], list[Problem]]:
    """The entries of a BibTeX file, and the problem that stopped the reading (if any).

    Reading resumes at the next ``@`` after a bad entry, so that every
    broken entry of a file is reported at once.
    """
    reader = _Reader(text)
    entries: list[Entry] = []
    problems: list[Problem] = []
    while True:
        next_at = text.find("@", reader.pos)
        if next_at < 0:
            break
        reader.pos = next_at
        try:
            entry = reader.entry()
        except _Stop as stop:
            line, column = reader.where(stop.offset)
            problems.append(Problem(line, column, stop.message))
            reader.pos = max(stop.offset, next_at) + 1
            continue
        if entry is not None:
            entries.append(entry)
    return entries, problems
