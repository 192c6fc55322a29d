"""Reading an edited Word file for ``briefgen pull``, defensively.

A .docx is a zip of XML parts that anyone can craft, so the archive is
checked (entry count, sizes, compression ratio) before anything is
decompressed in full, and XML is parsed without DTDs, entities or network
access.  What comes out is the body as a list of paragraphs, each with the
unit (:mod:`briefgen.pull_record`) its hidden bookmark names, its style and
its text as :class:`~briefgen.pull_record.Span` s.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from . import pull_record as pr
from .pull_record import Span, Spans

MAX_ENTRIES = 2000
MAX_ENTRY_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_RATIO = 100  # uncompressed / compressed, for entries over RATIO_FLOOR
RATIO_FLOOR = 256 * 1024
MAX_DOCX_BYTES = 256 * 1024 * 1024

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


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


class PullError(Exception):
    """Nothing was written; ``str(err)`` says why, for the user."""


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


# --------------------------------------------------------------------------
# The archive and its XML
# --------------------------------------------------------------------------


def _open_archive(path: Path) -> dict[str, bytes]:
    try:
        size = path.stat().st_size
    except OSError as err:
        raise PullError(f"{path}: cannot read the file: {err.strerror or err}") from None
    if size > MAX_DOCX_BYTES:
        raise PullError(f"{path}: the file is larger than {MAX_DOCX_BYTES >> 20} MiB; refusing to read it")
    data = path.read_bytes()
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise PullError(f"{path}: not a Word file (.docx files are zip archives; this is not one)")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raise PullError(f"{path}: not a readable Word file ({err})") from None
    if len(infos) > MAX_ENTRIES:
        raise PullError(f"{path}: the archive has {len(infos)} entries (at most {MAX_ENTRIES} are read); refusing it")
    total = sum(info.file_size for info in infos)
    if total > MAX_TOTAL_BYTES:
        raise PullError(f"{path}: the archive unpacks to more than {MAX_TOTAL_BYTES >> 20} MiB; refusing it")
    wanted = {}
    for info in infos:
        if info.file_size > MAX_ENTRY_BYTES:
            raise PullError(f"{path}: entry {info.filename} unpacks to more than {MAX_ENTRY_BYTES >> 20} MiB; refusing it")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise PullError(
                f"{path}: entry {info.filename} is compressed {info.file_size // max(info.compress_size, 1)} to 1 "
                f"(at most {MAX_RATIO} to 1 is accepted); refusing a possible zip bomb"
            )
        name = info.filename
        if name.endswith((".xml", ".rels")):
            try:
                with archive.open(info) as handle:
                    content = handle.read(info.file_size + 1)
            except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as err:
                raise PullError(f"{path}: entry {name} cannot be read ({err})") from None
            if len(content) > info.file_size:
                raise PullError(f"{path}: entry {name} is larger than its header says; refusing it")
            wanted[name] = content
    return wanted


_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
)
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def parse_xml(path: Path, name: str, data: bytes) -> etree._Element:
    """A part's XML, refusing DTDs and entity declarations outright."""
    probes = [data]
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            probes.append(data.decode("utf-16").encode("utf-8"))
        except UnicodeDecodeError:
            pass
    if any(_DECLARATION.search(probe) for probe in probes):
        raise PullError(
            f"{path}: part {name} declares a DOCTYPE or ENTITY; Word never writes one, "
            "so the file is refused as tampered with"
        )
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as err:
        raise PullError(f"{path}: part {name} is not well-formed XML ({err})") from None
    if root.getroottree().docinfo.doctype:
        raise PullError(f"{path}: part {name} declares a DOCTYPE; refusing it")
    return root


def _relationships(path: Path, parts: dict[str, bytes], part: str) -> dict[str, str]:
    """External targets (hyperlinks) of ``part`` by relationship id."""
    folder, name = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", name + ".rels")
    if rels_name not in parts:
        return {}
    root = parse_xml(path, rels_name, parts[rels_name])
    return {
        rel.get("Id", ""): rel.get("Target", "")
        for rel in root.iter(f"{{{PKG_REL}}}Relationship")
        if rel.get("TargetMode") == "External"
    }


def _properties(path: Path, parts: dict[str, bytes]) -> dict[str, str]:
    data = parts.get("docProps/custom.xml")
    if data is None:
        return {}
    root = parse_xml(path, "docProps/custom.xml", data)
    found = {}
    for prop in root.iter(f"{{{CUSTOM}}}property"):
        value = "".join(prop.itertext()).strip()
        found[prop.get("name", "")] = value
    return found


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
# Paragraph text
# --------------------------------------------------------------------------


def _on(element: etree._Element | None) -> bool:
    if element is None:
        return False
    return element.get(w("val"), "true").lower() not in ("0", "false", "off", "none")


@dataclass
class _Field:
    instruction: str = ""
    in_result: bool = False

    @property
    def kind(self) -> str:
        words = self.instruction.split()
        return words[0].upper() if words else ""


@dataclass
class _Reader:
    """Reads paragraphs of one story (the body or the footnotes)."""

    path: Path
    record: pr.Record
    links: dict[str, str]
    footnote_ids: dict[str, str]  # w:footnote w:id -> note id
    in_notes: bool = False
    fields: list[_Field] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.note_style = self.record.styles.get("Footnote Reference", "FootnoteReference")

    def paragraph(self, p: etree._Element, index: int) -> tuple[list[Span], list[tuple[int, int]], int, bool]:
        """Spans, unit bookmarks ``(offset, id)``, pictures, and whether the
        paragraph lies wholly inside a contents field."""
        out: list[Span] = []
        marks: list[tuple[int, int]] = []
        counts = {"drawings": 0}
        started_in_toc = self._suppressed()
        self._walk(p, out, marks, counts, bold=False, italic=False, url=None)
        return out, marks, counts["drawings"], started_in_toc and self._suppressed()

    def _suppressed(self) -> bool:
        return any(f.kind in ("TOC", "NOTEREF", "PAGE", "NUMPAGES") and f.in_result for f in self.fields)

    def _field_url(self) -> str | None:
        for f in reversed(self.fields):
            if f.kind == "HYPERLINK" and f.in_result:
                match = re.search(r'"([^"]+)"', f.instruction)
                if match:
                    return match.group(1)
        return None

    def _walk(self, parent, out, marks, counts, *, bold, italic, url) -> None:
        for child in parent:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            local = etree.QName(tag).localname if tag.startswith("{") else tag
            namespace = etree.QName(tag).namespace if tag.startswith("{") else ""
            if namespace == M:
                self.problems.append("an equation")
                continue
            if namespace != W:
                if local in ("AlternateContent",):
                    counts["drawings"] += 1
                continue
            if local == "bookmarkStart":
                name = child.get(w("name"), "")
                if name.startswith(pr.BOOKMARK_PREFIX) and name[len(pr.BOOKMARK_PREFIX):].isdigit():
                    marks.append((sum(len(s.text) for s in out), int(name[len(pr.BOOKMARK_PREFIX):])))
            elif local == "r":
                self._run(child, out, counts, bold=bold, italic=italic, url=url)
            elif local == "hyperlink":
                rel = child.get(f"{{{R}}}id")
                if rel is None:
                    self.problems.append("a link to a place inside the document")
                    self._walk(child, out, marks, counts, bold=bold, italic=italic, url=url)
                    continue
                target = self.links.get(rel)
                if target is None:
                    self.problems.append("a link whose target is missing")
                self._walk(child, out, marks, counts, bold=bold, italic=italic, url=target)
            elif local == "fldSimple":
                instruction = child.get(w("instr"), "")
                kind = (instruction.split() or [""])[0].upper()
                if kind == "NOTEREF":
                    self._note_by_bookmark(instruction, out)
                elif kind not in ("TOC", "PAGE", "NUMPAGES"):
                    self._walk(child, out, marks, counts, bold=bold, italic=italic, url=url)
            elif local in ("smartTag", "customXml", "sdt", "sdtContent", "dir", "bdo", "ins", "moveTo"):
                self._walk(child, out, marks, counts, bold=bold, italic=italic, url=url)
            elif local in ("pict", "object", "drawing"):
                counts["drawings"] += 1

    def _note_by_bookmark(self, instruction: str, out: list[Span]) -> None:
        words = instruction.split()
        name = words[1] if len(words) > 1 else ""
        note = self.record.note_bookmarks.get(name)
        if note is None:
            self.problems.append(f"a cross-reference ({' '.join(words[:2])}) briefgen did not write")
        else:
            out.append(Span("", note=note))

    def _run(self, run, out, counts, *, bold, italic, url) -> None:
        rpr = run.find(w("rPr"))
        style = None
        if rpr is not None:
            bold = _on(rpr.find(w("b"))) if rpr.find(w("b")) is not None else bold
            italic = _on(rpr.find(w("i"))) if rpr.find(w("i")) is not None else italic
            style_el = rpr.find(w("rStyle"))
            style = style_el.get(w("val")) if style_el is not None else None
        url = url or self._field_url()
        pieces: list[str] = []
        for child in run:
            if not isinstance(child.tag, str):
                continue
            local = etree.QName(child.tag).localname
            if etree.QName(child.tag).namespace != W:
                if local == "AlternateContent":
                    counts["drawings"] += 1
                continue
            if local == "fldChar":
                kind = child.get(w("fldCharType"))
                if kind == "begin":
                    self.fields.append(_Field())
                elif kind == "separate" and self.fields:
                    current = self.fields[-1]
                    current.in_result = True
                    if current.kind == "NOTEREF":
                        self._note_by_bookmark(current.instruction, out)
                elif kind == "end" and self.fields:
                    self.fields.pop()
                continue
            if local == "instrText":
                if self.fields and not self.fields[-1].in_result:
                    self.fields[-1].instruction += child.text or ""
                continue
            if self.fields and (not self.fields[-1].in_result or self._suppressed()):
                continue
            if local == "t":
                pieces.append(child.text or "")
            elif local == "tab":
                pieces.append("\t")
            elif local in ("br", "cr"):
                if child.get(w("type")) not in ("page", "column"):
                    pieces.append(" ")
            elif local == "noBreakHyphen":
                pieces.append("-")
            elif local == "footnoteReference":
                note = self.footnote_ids.get(child.get(w("id"), ""))
                if note is None:
                    self.problems.append("a footnote added in Word")
                else:
                    out.append(Span("", note=note))
            elif local == "endnoteReference":
                self.problems.append("an endnote")
            elif local in ("drawing", "pict", "object"):
                counts["drawings"] += 1
        text = "".join(pieces)
        if not text:
            return
        if style == self.note_style:
            stripped = text.strip()
            if stripped == ",":
                return
            if stripped.isdigit() and stripped in self.record.note_numbers:
                out.append(Span("", note=self.record.note_numbers[stripped]))
                return
        out.append(Span(text, bold, italic, url))


def _paragraph_properties(p: etree._Element) -> tuple[str | None, int | None]:
    ppr = p.find(w("pPr"))
    if ppr is None:
        return None, None
    style = ppr.find(w("pStyle"))
    num = ppr.find(w("numPr"))
    ilvl = None
    if num is not None:
        level = num.find(w("ilvl"))
        num_id = num.find(w("numId"))
        if num_id is not None and num_id.get(w("val")) != "0":
            ilvl = int(level.get(w("val"), "0")) if level is not None and level.get(w("val"), "0").isdigit() else 0
    return (style.get(w("val")) if style is not None else None), ilvl


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
    parts = _open_archive(path)
    if "word/document.xml" not in parts:
        raise PullError(f"{path}: not a Word document (the archive has no word/document.xml)")
    properties = _properties(path, parts)
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
    reader = _Reader(path, record, _relationships(path, parts, "word/document.xml"), footnote_ids)
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
    reader = _Reader(path, record, _relationships(path, parts, "word/footnotes.xml"), {}, in_notes=True)
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
            style, ilvl = _paragraph_properties(p)
            if drawings:
                reader.problems.append("a picture in a footnote")
            paragraph = WordParagraph(counter, unit, style, ilvl, pr.canonical(raw), raw, drawings)
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
    text = pr.plain_text(pr.canonical(raw))
    used = set(taken.values())
    matches = [
        unit_id for note, unit_id in by_note.items()
        if note not in used and pr.plain_text(units[unit_id].spans) == text
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
            style, ilvl = _paragraph_properties(child)
            unit = choose_unit([(o, u) for o, u in marks if u in units and u not in claimed])
            if unit is not None:
                claimed.add(unit)
            toc = style in {word.record.styles.get(f"TOC {n}") for n in (1, 2, 3)}
            word.paragraphs.append(
                WordParagraph(
                    counter[0], unit, style, ilvl, pr.canonical(raw), raw, drawings,
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
