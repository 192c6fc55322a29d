r"""The Word file's contents field and document properties.

The contents is a real ``TOC`` field whose result is already filled in:
one paragraph per heading, in the ``TOC 1``-``TOC 3`` styles.  The
entries are plain text, not links: ``briefgen pull`` refuses links to
places inside the document, and Word's update makes them links (``\h``).
LibreOffice, Google Docs' import and any PDF
made from the Word file show that list; Word's own update replaces it
(and adds page numbers).  No page numbers are written: the Word file's
pagination is Word's own (its page size, fonts and styles differ from the
PDF's), so numbers taken from the PDF would be wrong as often as right.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass

from docx.oxml.xmlchemy import BaseOxmlElement

from .. import ooxml

TOC_INSTRUCTION = 'TOC \\o "1-3" \\h \\z \\u'

#: Office shows and keeps at most this many characters of a core property.
CORE_PROPERTY_LIMIT = 255

ET_AL = "et al."


@dataclass(frozen=True)
class ContentsEntry:
    """One line of the contents: level 1-3 and the heading's text."""

    level: int
    text: str


def contents_field(
    paragraphs: Sequence[BaseOxmlElement],
    entries: Sequence[ContentsEntry],
) -> None:
    """Fill ``paragraphs`` (one per entry, styled) with a TOC field and its result.

    The field begins in the first paragraph and ends in the last, the shape
    Word itself writes for a contents field.
    """
    begin, instruction, separate, _, end = ooxml.field_runs(TOC_INSTRUCTION, "", dirty=True)
    for index, (paragraph, entry) in enumerate(zip(paragraphs, entries)):
        if index == 0:
            paragraph.extend([begin, instruction, separate])
        paragraph.append(ooxml.new_run(entry.text))
        if index == len(entries) - 1:
            paragraph.append(end)


def fit_names(names: Sequence[str], *, separator: str = "; ", limit: int = CORE_PROPERTY_LIMIT) -> str:
    """The names joined, whole; when they do not fit ``limit``, as many whole
    names as fit followed by "et al." (never a name cut in the middle)."""
    joined = separator.join(names)
    if len(joined) <= limit:
        return joined
    kept: list[str] = []
    for name in names:
        candidate = separator.join([*kept, name, ET_AL])
        if len(candidate) > limit:
            break
        kept.append(name)
    if not kept:
        return names[0][: limit - len(ET_AL) - 2].rstrip() + "\u2026 " + ET_AL
    return separator.join([*kept, ET_AL])


def build_time(brief_day) -> dt.datetime | None:
    """The document's creation time: the brief's date (a month or a year:
    its first day), else the build's ``SOURCE_DATE_EPOCH`` (reproducible
    builds), else None (not written)."""
    if brief_day is not None:
        first = getattr(brief_day, "first_day", None)
        day = first() if first is not None else brief_day
        return dt.datetime(day.year, day.month, day.day)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        stamp = dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
        return stamp.replace(tzinfo=None)
    return None


def drop_core_date(core_element: BaseOxmlElement, name: str) -> None:
    """Remove ``dcterms:NAME`` from the core properties (no date is known)."""
    for child in list(core_element):
        if child.tag == f"{{http://purl.org/dc/terms/}}{name}":
            core_element.remove(child)
