"""The footnotes of an edited Word file, matched to the brief's notes."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from . import record as pr
from .archive import relationships, w
from .errors import PullError
from .match import choose_unit
from .runs import Reader, paragraph_properties
from .spans import canonical, plain_text


def notes_called(document: etree._Element, record: pr.Record) -> dict[str, str]:
    """Word footnote ids by note id, from the body: the writer puts each
    note's first call inside a ``_RefNoteN`` bookmark, which both Word and
    LibreOffice keep in place (bookmarks inside notes fare less well)."""
    found: dict[str, str] = {}
    open_marks: dict[str, str] = {}
    for element in document.iter(w("bookmarkStart"), w("bookmarkEnd"), w("footnoteReference")):
        local = etree.QName(element.tag).localname
        if local == "bookmarkStart":
            note = record.note_bookmarks.get(element.get(w("name"), ""))
            if note is not None:
                open_marks[element.get(w("id"), "")] = note
        elif local == "bookmarkEnd":
            open_marks.pop(element.get(w("id"), ""), None)
        elif open_marks:
            found.setdefault(element.get(w("id"), ""), next(reversed(open_marks.values())))
    return found


def read_notes(path: Path, parts, record, units, notes_root, called, paragraph_type, cannot_map):
    """``(Word footnote id -> note id, the notes' paragraphs)``."""
    footnote_ids: dict[str, str] = {}
    notes: list = []
    if notes_root is None:
        return footnote_ids, notes
    reader = Reader(path, record, relationships(path, parts, "word/footnotes.xml"), {}, in_notes=True)
    by_note = {str(u.path[1]): u.id for u in units.values() if u.path[:1] == ("footnotes",) and len(u.path) > 1}
    by_text: dict[str, list[str]] = {}
    for note, unit_id in by_note.items():
        by_text.setdefault(plain_text(units[unit_id].spans), []).append(note)
    used: set[str] = set()
    counter = 0
    for note in notes_root.iter(w("footnote")):
        if note.get(w("type")) in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        note_id = note.get(w("id"), "")
        found = None
        for p in note.findall(w("p")):
            counter += 1
            parsed = reader.paragraph(p, counter)
            unit = by_note.get(called.get(note_id, "")) if note_id in called else choose_unit(parsed.marks)
            spans = canonical(parsed.spans)
            if unit is None or unit not in units or units[unit].path[:1] != ("footnotes",):
                unit = _note_by_text(spans, by_text, by_note, used)
            style, ilvl = paragraph_properties(p)
            if parsed.drawings:
                reader.problems.append("a picture in a footnote")
            paragraph = paragraph_type(counter, unit, style, ilvl, spans, parsed.spans, parsed.drawings,
                                       comments=parsed.comments)
            if unit is not None and found is None and unit in units and units[unit].path[:1] == ("footnotes",):
                found = paragraph
                footnote_ids[note_id] = str(units[unit].path[1])
                used.add(footnote_ids[note_id])
                notes.append(paragraph)
            elif paragraph.spans:
                reader.problems.append("a footnote added in Word, or a second paragraph in a footnote")
    if reader.problems:
        raise PullError(cannot_map(path, reader.problems))
    return footnote_ids, notes


def _note_by_text(spans, by_text, by_note, used) -> int | None:
    """A footnote whose markers were lost (LibreOffice moves bookmarks in
    notes), recognised by its unchanged text."""
    matches = [note for note in by_text.get(plain_text(spans), ()) if note not in used]
    return by_note[matches[0]] if len(matches) == 1 else None
