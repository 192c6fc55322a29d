"""Reading an edited Word file for ``briefgen pull``.

What comes out is the body as a list of paragraphs, each with the unit
(:mod:`briefgen.pull.record`) its hidden bookmark names (or, when the
bookmark was lost, the one :mod:`~briefgen.pull.match` finds by position
and content), its style, its text as :class:`~briefgen.pull.spans.Span` s,
its Word comments and its tracked changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from lxml import etree

from . import record as pr
from . import tracked as tc
from .archive import W, open_archive, parse_xml, relationships, w
from .archive import properties as read_properties
from .comments import Comment, read_comments
from .errors import PullError, failure
from .match import choose_unit, rematch
from .notes import notes_called, read_notes
from .runs import Reader, marker_id, paragraph_properties
from .spans import Span, Spans, canonical

#: Paragraphs read from the body and the notes, at most.
MAX_PARAGRAPHS = 200_000
#: What to do with tracked changes not yet accepted.
Changes = Literal["list", "accept", "reject"]


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
    comments: list[str] = field(default_factory=list)  # ids of the comments anchored here
    matched: str = "marker"  # or "position", "content": how its unit was found

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.raw)

    def describe(self) -> str:
        text = " ".join(self.text.split())
        shown = text if len(text) <= 60 else text[:59] + "…"
        return f'paragraph {self.index} ("{shown}")' if shown else f"paragraph {self.index} (empty)"


@dataclass
class Tracked:
    """A tracked change not yet accepted, and where it is."""

    change: tc.Change
    paragraph: WordParagraph | None  # None: outside the body's paragraphs
    where: str  # "paragraph 12 (...)", "a footnote", "a table"


@dataclass
class WordFile:
    path: Path
    properties: dict[str, str]
    record: pr.Record
    paragraphs: list[WordParagraph]
    notes: list[WordParagraph]
    tables: list[set[int]] = field(default_factory=list)
    new_table_paragraphs: dict[int, WordParagraph] = field(default_factory=dict)
    comments: dict[str, Comment] = field(default_factory=dict)
    tracked: list[Tracked] = field(default_factory=list)

    def record_unit(self, paragraph: WordParagraph | None) -> pr.Unit | None:
        if paragraph is None or paragraph.unit is None:
            return None
        return next((u for u in self.record.units if u.id == paragraph.unit), None)

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
        root = parse_xml(path, name, parts[name], huge_text=True)
        if root.tag == f"{{{pr.RECORD_NAMESPACE}}}briefgen":
            try:
                return pr.Record.from_json_text(root.text or "")
            except pr.RecordError as err:
                raise failure(path, f"the briefgen record in {name} is damaged: {err}") from None
    return None


def read_word_file(path: Path, *, changes: Changes = "list") -> WordFile:
    """The edited file at ``path``; tracked changes are listed in
    :attr:`WordFile.tracked` (``list``), or accepted or rejected first."""
    parts = open_archive(path)
    if "word/document.xml" not in parts:
        raise failure(path, "not a Word document (the archive has no word/document.xml)")
    properties = read_properties(path, parts)
    record = _record(path, parts)
    if pr.PROP_FORMAT not in properties or record is None:
        raise failure(
            path, "this Word file was not made by briefgen (it carries no briefgen markers); "
            "'briefgen pull' reads only files that 'briefgen build' wrote"
        )
    if properties[pr.PROP_FORMAT] != str(pr.FORMAT):
        raise failure(
            path, f"made by a briefgen whose marker format is {properties[pr.PROP_FORMAT][:20]}; "
            f"this one reads format {pr.FORMAT}"
        )
    document = parse_xml(path, "word/document.xml", parts["word/document.xml"])
    notes_root = (
        parse_xml(path, "word/footnotes.xml", parts["word/footnotes.xml"])
        if "word/footnotes.xml" in parts
        else None
    )
    listing = changes == "list" and any(tc.has_changes(r) for r in (document, notes_root) if r is not None)
    if changes != "list":
        for root in (document, notes_root):
            if root is not None:
                tc.resolve(root, accept=changes == "accept")
    units = {unit.id: unit for unit in record.units}
    footnote_ids, notes = read_notes(
        path, parts, record, units, notes_root, notes_called(document, record), WordParagraph, cannot_map
    )
    reader = Reader(path, record, relationships(path, parts, "word/document.xml"), footnote_ids)
    word = WordFile(path, properties, record, [], notes)
    body = document.find(w("body"))
    if body is None:
        raise failure(path, "not a Word document (word/document.xml has no body)")
    _Blocks(reader, word, units, listing).read(body, table=None)
    if len(word.paragraphs) + len(notes) > MAX_PARAGRAPHS:
        raise failure(path, f"the file holds more than {MAX_PARAGRAPHS:,} paragraphs; refusing it")
    list_styles = frozenset(record.styles.get(name, name) for name in pr.LIST_STYLE_NAMES)
    rematch(word.paragraphs, units, list_styles)
    if listing:
        word.tracked.extend(_tracked_elsewhere(document, notes_root))
    word.comments = read_comments(path, parts)
    if reader.problems:
        raise PullError(cannot_map(path, reader.problems))
    return word


def cannot_map(path: Path, problems: list[str]) -> str:
    unique = list(dict.fromkeys(problems))
    return (
        f"{path}: error: the file holds what a brief cannot express: {', '.join(unique)}; "
        "remove it in Word (or make the change in the YAML) and pull again"
    )


def _tracked_elsewhere(document: etree._Element, notes_root: etree._Element | None) -> list[Tracked]:
    """Changes outside the body's paragraphs: in tables' and sections'
    properties, and in the footnotes."""
    out: list[Tracked] = []
    body = document.find(w("body"))
    for child in body if body is not None else ():
        if child.tag == w("tbl"):
            for row in child.iter(w("trPr"), w("tblPr"), w("tcPr"), w("tblGrid")):
                out.extend(Tracked(c, None, "a table") for c in tc.changes_in(row))
        elif child.tag == w("sectPr"):
            out.extend(Tracked(c, None, "the page setup") for c in tc.changes_in(child))
    if notes_root is not None:
        for note in notes_root.iter(w("footnote")):
            out.extend(Tracked(c, None, f"footnote {note.get(w('id'), '')[:12]}") for c in tc.changes_in(note))
    return out


class _Blocks:
    """Reads the body's paragraphs and tables in order."""

    def __init__(self, reader: Reader, word: WordFile, units: dict[int, pr.Unit], listing: bool):
        self.reader, self.word, self.units, self.listing = reader, word, units, listing
        self.counter = 0
        self.claimed: set[int] = set()
        self.toc_styles = {word.record.styles.get(f"TOC {n}") for n in (1, 2, 3)}

    def read(self, container: etree._Element, *, table: int | None) -> None:
        pending: list[tuple[int, int]] = []
        pending_comments: list[str] = []
        for child in container:
            if not isinstance(child.tag, str) or etree.QName(child.tag).namespace != W:
                continue
            local = etree.QName(child.tag).localname
            if local == "p":
                self._paragraph(child, table, pending, pending_comments)
                pending, pending_comments = [], []
            elif local == "tbl":
                self._table(child, table)
            elif local in ("sdt", "sdtContent", "customXml"):
                self.read(child, table=table)
            elif local == "bookmarkStart":
                unit = marker_id(child.get(w("name"), ""))
                if unit is not None:
                    pending.append((0, unit))
            elif local == "commentRangeStart":
                pending_comments.append(child.get(w("id"), ""))
            elif local == "altChunk":
                self.reader.problems.append("an embedded document (altChunk)")

    def _paragraph(self, p: etree._Element, table: int | None, pending: list, pending_comments: list) -> None:
        self.counter += 1
        if self.counter > MAX_PARAGRAPHS:
            raise failure(self.word.path, f"the file holds more than {MAX_PARAGRAPHS:,} paragraphs; refusing it")
        parsed = self.reader.paragraph(p, self.counter)
        marks = pending + parsed.marks
        style, ilvl = paragraph_properties(p)
        unit = choose_unit([(o, u) for o, u in marks if u in self.units and u not in self.claimed])
        if unit is not None:
            self.claimed.add(unit)
        paragraph = WordParagraph(
            self.counter, unit, style, ilvl, canonical(parsed.spans), parsed.spans, parsed.drawings,
            table, skip=(style in self.toc_styles or parsed.in_toc) and unit is None,
            comments=pending_comments + parsed.comments,
        )
        self.word.paragraphs.append(paragraph)
        if self.listing:
            self.word.tracked.extend(Tracked(c, paragraph, paragraph.describe()) for c in tc.changes_in(p))

    def _table(self, element: etree._Element, table: int | None) -> None:
        if table is not None:
            self.reader.problems.append("a table inside a table")
            return
        number = len(self.word.tables)
        self.word.tables.append(set())
        first = len(self.word.paragraphs)
        for row in element.findall(w("tr")):
            for cell in row.findall(w("tc")):
                self.read(cell, table=number)
        inside = self.word.paragraphs[first:]
        self.word.tables[number] = {p.unit for p in inside if p.unit is not None}
        if not self.word.tables[number]:
            self.word.new_table_paragraphs[number] = (
                inside[0] if inside else WordParagraph(self.counter, None, None, None, (), [], 0)
            )
