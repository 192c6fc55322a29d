"""Reading an edited Word file for ``briefgen pull``.

What comes out is the body as a list of paragraphs, each with the unit
(:mod:`briefgen.pull.record`) its hidden bookmark names, its style and its
text as :class:`~briefgen.pull.spans.Span` s.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from . import record as pr
from .archive import W, open_archive, parse_xml, relationships, w
from .archive import properties as read_properties
from .errors import PullError
from .runs import Reader, paragraph_properties
from .spans import Span, Spans, canonical, plain_text

TRACKED = {
    "ins": "insertion",
    "del": "deletion",
    "moveFrom": "move",
    "moveTo": "move",
    "rPrChange": "formatting change",
    "pPrChange": "formatting change",
    "sectPrChange": "formatting change",
    "tblPrChange": "formatting change",
    "trPrChange": "formatting change",
    "tcPrChange": "formatting change",
    "cellIns": "insertion",
    "cellDel": "deletion",
    "numberingChange": "formatting change",
}


@dataclass
class WordParagraph:
    """One paragraph of the edited file."""

    index: int  # in reading order, from 1
    unit: int | None
    style: str | None
    ilvl: int | None
    spans: Spans
    raw: list[Span]
    drawings: int
    table: int | None = None  # which table of the body it sits in
    skip: bool = False  # contents field entries

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.raw)

    def describe(self) -> str:
        text = " ".join(self.text.split())
        shown = text if len(text) <= 60 else text[:59] + "…"
        return f'paragraph {self.index} ("{shown}")' if shown else f"paragraph {self.index} (empty)"


@dataclass
class WordFile:
    path: Path
    properties: dict[str, str]
    record: pr.Record
    paragraphs: list[WordParagraph]
    notes: list[WordParagraph]
    tables: list[set[int]] = field(default_factory=list)
    new_table_paragraphs: dict[int, WordParagraph] = field(default_factory=dict)

    @property
    def sha256(self) -> str:
        return self.properties.get(pr.PROP_SHA256, "")

    @property
    def source(self) -> str:
        return self.properties.get(pr.PROP_SOURCE, "")


def _record(path: Path, parts: dict[str, bytes]) -> pr.Record | None:
    for name in sorted(parts):
        if not name.startswith("customXml/") or "/_rels/" in name or "itemProps" in name:
            continue
        root = parse_xml(path, name, parts[name])
        if root.tag == f"{{{pr.RECORD_NAMESPACE}}}briefgen":
            try:
                return pr.Record.from_json_text(root.text or "")
            except (ValueError, KeyError, TypeError, IndexError) as err:
                raise PullError(f"{path}: the briefgen record in {name} is damaged ({err})") from None
    return None


def _tracked_changes(root: etree._Element) -> dict[str, int]:
    counts: dict[str, int] = {}
    for tag, label in TRACKED.items():
        found = sum(1 for _ in root.iter(w(tag)))
        if found:
            counts[label] = counts.get(label, 0) + found
    return counts


# --------------------------------------------------------------------------
# Markers
# --------------------------------------------------------------------------


def choose_unit(marks: list[tuple[int, int]]) -> int | None:
    """The unit a paragraph holds when it carries several markers.

    A paragraph's own marker sits at its start.  When the paragraph before
    it was deleted, that one's marker may slide onto the same spot, before
    it: the last marker at the smallest offset wins.  Markers further in
    come from paragraphs joined onto this one.
    """
    if not marks:
        return None
    first = min(offset for offset, _ in marks)
    return [unit for offset, unit in marks if offset == first][-1]


# --------------------------------------------------------------------------
# The whole file
# --------------------------------------------------------------------------


def read_word_file(path: Path) -> WordFile:
    parts = open_archive(path)
    if "word/document.xml" not in parts:
        raise PullError(f"{path}: not a Word document (the archive has no word/document.xml)")
    properties = read_properties(path, parts)
    record = _record(path, parts)
    if pr.PROP_FORMAT not in properties or record is None:
        raise PullError(
            f"{path}: this Word file was not made by briefgen (it carries no briefgen "
            "markers); 'briefgen pull' reads only files that 'briefgen build' wrote"
        )
    if properties[pr.PROP_FORMAT] != str(pr.FORMAT):
        raise PullError(
            f"{path}: made by a briefgen whose marker format is {properties[pr.PROP_FORMAT]}; "
            f"this one reads format {pr.FORMAT}"
        )
    document = parse_xml(path, "word/document.xml", parts["word/document.xml"])
    notes_root = (
        parse_xml(path, "word/footnotes.xml", parts["word/footnotes.xml"])
        if "word/footnotes.xml" in parts
        else None
    )
    tracked = _tracked_changes(document)
    if notes_root is not None:
        for label, count in _tracked_changes(notes_root).items():
            tracked[label] = tracked.get(label, 0) + count
    if tracked:
        what = ", ".join(f"{count} {label}{'s' if count > 1 else ''}" for label, count in sorted(tracked.items()))
        raise PullError(
            f"{path}: the file holds tracked changes not yet accepted ({what}); accept or reject "
            "them in Word (Review › Accept All Changes), save, and pull again"
        )
    units = {unit.id: unit for unit in record.units}
    footnote_ids, notes = _read_notes(path, parts, record, units, notes_root, _notes_called(document, record))
    reader = Reader(path, record, relationships(path, parts, "word/document.xml"), footnote_ids)
    word = WordFile(path, properties, record, [], notes)
    counter = [0]
    body = document.find(w("body"))
    if body is None:
        raise PullError(f"{path}: not a Word document (word/document.xml has no body)")
    claimed: set[int] = set()
    _read_blocks(body, reader, word, counter, claimed, table=None, units=units)
    if reader.problems:
        raise PullError(_cannot_map(path, reader.problems))
    return word


def _cannot_map(path: Path, problems: list[str]) -> str:
    unique = list(dict.fromkeys(problems))
    return (
        f"{path}: the file holds what a brief cannot express: {', '.join(unique)}; "
        "remove it in Word (or make the change in the YAML) and pull again"
    )


def _notes_called(document: etree._Element, record: pr.Record) -> dict[str, str]:
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
            found.setdefault(element.get(w("id"), ""), list(open_marks.values())[-1])
    return found


def _read_notes(path, parts, record, units, notes_root, called):
    footnote_ids: dict[str, str] = {}
    notes: list[WordParagraph] = []
    if notes_root is None:
        return footnote_ids, notes
    reader = Reader(path, record, relationships(path, parts, "word/footnotes.xml"), {}, in_notes=True)
    counter = 0
    for note in notes_root.iter(w("footnote")):
        if note.get(w("type")) in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        note_id = note.get(w("id"), "")
        by_note = {str(u.path[1]): u.id for u in units.values() if u.path[:1] == ("footnotes",)}
        found = None
        for p in note.findall(w("p")):
            counter += 1
            raw, marks, drawings, _ = reader.paragraph(p, counter)
            unit = by_note.get(called.get(note_id, "")) if note_id in called else choose_unit(marks)
            if unit is None or unit not in units or units[unit].path[:1] != ("footnotes",):
                unit = _note_by_text(raw, units, by_note, footnote_ids)
            style, ilvl = paragraph_properties(p)
            if drawings:
                reader.problems.append("a picture in a footnote")
            paragraph = WordParagraph(counter, unit, style, ilvl, canonical(raw), raw, drawings)
            if unit is not None and found is None and unit in units and units[unit].path[:1] == ("footnotes",):
                found = paragraph
                footnote_ids[note_id] = str(units[unit].path[1])
                notes.append(paragraph)
            elif paragraph.spans:
                reader.problems.append("a footnote added in Word, or a second paragraph in a footnote")
    if reader.problems:
        raise PullError(_cannot_map(path, reader.problems))
    return footnote_ids, notes


def _note_by_text(raw, units, by_note, taken) -> int | None:
    """A footnote whose markers were lost (LibreOffice moves bookmarks in
    notes), recognised by its unchanged text."""
    text = plain_text(canonical(raw))
    used = set(taken.values())
    matches = [
        unit_id for note, unit_id in by_note.items()
        if note not in used and plain_text(units[unit_id].spans) == text
    ]
    return matches[0] if len(matches) == 1 else None


def _read_blocks(container, reader, word, counter, claimed, *, table, units) -> None:
    pending: list[tuple[int, int]] = []
    for child in container:
        if not isinstance(child.tag, str):
            continue
        local = etree.QName(child.tag).localname
        if etree.QName(child.tag).namespace != W:
            continue
        if local == "p":
            counter[0] += 1
            raw, marks, drawings, in_toc = reader.paragraph(child, counter[0])
            marks = pending + marks
            pending = []
            style, ilvl = paragraph_properties(child)
            unit = choose_unit([(o, u) for o, u in marks if u in units and u not in claimed])
            if unit is not None:
                claimed.add(unit)
            toc = style in {word.record.styles.get(f"TOC {n}") for n in (1, 2, 3)}
            word.paragraphs.append(
                WordParagraph(
                    counter[0], unit, style, ilvl, canonical(raw), raw, drawings,
                    table, skip=(toc or in_toc) and unit is None,
                )
            )
        elif local == "tbl":
            if table is not None:
                reader.problems.append("a table inside a table")
                continue
            number = len(word.tables)
            word.tables.append(set())
            first = len(word.paragraphs)
            for row in child.iter(w("tr")):
                for cell in row.findall(w("tc")):
                    _read_blocks(cell, reader, word, counter, claimed, table=number, units=units)
            word.tables[number] = {p.unit for p in word.paragraphs[first:] if p.unit is not None}
            if not word.tables[number]:
                inside = word.paragraphs[first:]
                word.new_table_paragraphs[number] = inside[0] if inside else WordParagraph(counter[0], None, None, None, (), [], 0)
        elif local in ("sdt", "sdtContent", "customXml"):
            _read_blocks(child, reader, word, counter, claimed, table=table, units=units)
        elif local == "bookmarkStart":
            name = child.get(w("name"), "")
            if name.startswith(pr.BOOKMARK_PREFIX) and name[len(pr.BOOKMARK_PREFIX):].isdigit():
                pending.append((0, int(name[len(pr.BOOKMARK_PREFIX):])))
        elif local == "altChunk":
            reader.problems.append("an embedded document (altChunk)")
