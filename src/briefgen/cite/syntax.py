"""``[@key]``, ``[@key, p. 12]``, ``[see @a, 4; @b]``: citations in rich text.

The syntax is Pandoc's (bracketed citations), so a brief's citations are
formatted by the CSL processor exactly as written.  :class:`Citations`
numbers them in reading order, checks every key against the bibliography
and keeps each problem with its offset in the string, so that the reader
reports it at the citation's own line and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Citation, CiteItem

#: A key: letters, digits and '_', with internal punctuation (Pandoc's rule).
KEY = r"[\w](?:[\w:.#$%&+?<>~/-]*[\w])?"
#: A bracket holding at least one ``@key``; no nested brackets.
BRACKET = re.compile(r"\[(?=-?@" + KEY + r"|[^\[\]\n]*?[\s;]-?@" + KEY + r")[^\[\]\n]*\](?!\()")
_ITEM = re.compile(r"^(?P<prefix>.*?)(?:(?<=\s)|^)-?@(?P<key>" + KEY + r")(?P<suffix>.*)$", re.DOTALL)


def parse_items(inner: str) -> tuple[list[tuple[str, str, str, int]], str | None]:
    """The ``(prefix, key, suffix, offset)`` of each work in a bracket's text, or a problem."""
    items = []
    offset = 0
    for part in inner.split(";"):
        match = _ITEM.match(part)
        if match is None:
            return [], f"'{part.strip()}' in a citation is not '@key' (each part between ';' cites one work)"
        items.append(
            (match["prefix"].strip(), match["key"], match["suffix"], offset + match.start("key") - 1)
        )
        offset += len(part) + 1
    return items, None


@dataclass
class Citations:
    """The citations of one brief, in reading order.

    ``keys`` are the works of the bibliography (None when the brief names
    none); ``note_style`` makes every citation outside a footnote a
    footnote of its own.
    """

    keys: frozenset[str] | None = None
    note_style: bool = False
    unchecked: bool = False  # the bibliography did not read: its errors say enough
    found: list[Citation] = field(default_factory=list)
    in_note: list[bool] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)  # (offset in the string, message)
    notices: list[tuple[int, str]] = field(default_factory=list)  # warnings, same shape

    @property
    def active(self) -> bool:
        """Whether ``[@key]`` cites at all: only in a brief that names a bibliography,
        so a version 1 brief's literal ``[@x]`` keeps printing as written."""
        return self.keys is not None or self.unchecked

    def literal(self, source: str, offset: int) -> None:
        """Note a ``[@...]`` kept as text because the brief names no bibliography."""
        self.notices.append((
            offset,
            f"{source} looks like a citation, but the brief names no 'bibliography', so it prints as written "
            f"(add 'bibliography:' to cite works, or write \\{source} to keep it as text without this warning)",
        ))

    def cite(self, source: str, offset: int, note_number) -> Citation | None:
        """A citation for ``source`` (``[...]`` as written) at ``offset`` in its string.

        ``note_number`` gives the footnote number to use for a note style,
        or is None where the citation already sits inside a footnote.
        """
        from ..suggest import did_you_mean

        parsed, problem = parse_items(source[1:-1])
        if problem:
            self.problems.append((offset, problem))
            return None
        ok = True
        for _, key, _, at in parsed:
            if not self.unchecked and key not in (self.keys or ()):
                self.problems.append(
                    (offset + 1 + at, f"citation key '@{key}' is not in the bibliography" + did_you_mean(key, self.keys))
                )
                ok = False
        if not ok:
            return None
        items = tuple(CiteItem(key, prefix, suffix) for prefix, key, suffix, _ in parsed)
        note = note_number() if (self.note_style and note_number is not None) else 0
        citation = Citation(len(self.found), items, source, note)
        self.found.append(citation)
        self.in_note.append(note_number is None)
        return citation

    def take_problems(self) -> list[tuple[int, str]]:
        """The problems found since the last call (the reader reports them)."""
        out, self.problems = self.problems, []
        return out

    def take_notices(self) -> list[tuple[int, str]]:
        """The warnings found since the last call."""
        out, self.notices = self.notices, []
        return out
