"""The text of one Word paragraph as spans: runs, links, fields, notes.

Reading is linear in the paragraph's XML and bounded: a paragraph's text,
a field's instruction and the nesting of fields each have a limit with its
own message, so that no crafted file makes pull slow or huge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from . import record as pr
from .archive import M, R, W, w
from .errors import failure
from .spans import Span

#: A brief is at most 2 MiB of YAML, so no paragraph of one can hold more.
MAX_PARAGRAPH_CHARS = 2 * 1024 * 1024
MAX_FIELD_DEPTH = 32
MAX_INSTRUCTION_CHARS = 4096
_MARKER = re.compile(rf"{re.escape(pr.BOOKMARK_PREFIX)}([0-9]{{1,9}})")
_SUPPRESSED = ("TOC", "NOTEREF", "PAGE", "NUMPAGES")


def marker_id(name: str) -> int | None:
    """The unit a ``_bg_N`` bookmark names (ASCII digits only), else None."""
    match = _MARKER.fullmatch(name)
    return int(match.group(1)) if match else None


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
class Parsed:
    """What one paragraph holds."""

    spans: list[Span] = field(default_factory=list)
    marks: list[tuple[int, int]] = field(default_factory=list)  # (offset, unit id)
    comments: list[str] = field(default_factory=list)  # comment ids whose range starts here
    drawings: int = 0
    length: int = 0
    in_toc: bool = False

    def add(self, span: Span) -> None:
        self.spans.append(span)
        self.length += len(span.text)


@dataclass
class Reader:
    """Reads paragraphs of one story (the body or the footnotes)."""

    path: Path
    record: pr.Record
    links: dict[str, str]
    footnote_ids: dict[str, str]  # w:footnote w:id -> note id
    in_notes: bool = False
    fields: list[_Field] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    _citation_end: str | None = None  # the bookmark id that ends the citation being read

    def __post_init__(self) -> None:
        self.note_style = self.record.styles.get("Footnote Reference", "FootnoteReference")

    def paragraph(self, p: etree._Element, index: int) -> Parsed:
        """Spans, unit bookmarks, comments and pictures of paragraph ``index``."""
        out = Parsed()
        started_in_toc = self._suppressed()
        self._citation_end = None  # a citation never runs on past its paragraph
        self._walk(p, out, index, bold=False, italic=False, url=None)
        out.in_toc = started_in_toc and self._suppressed()
        return out

    def _suppressed(self) -> bool:
        return any(f.kind in _SUPPRESSED and f.in_result for f in self.fields)

    def _field_url(self) -> str | None:
        for f in reversed(self.fields):
            if f.kind == "HYPERLINK" and f.in_result:
                match = re.search(r'"([^"]+)"', f.instruction)
                if match:
                    return match.group(1)
        return None

    def _walk(self, parent, out: Parsed, index: int, *, bold, italic, url) -> None:
        for child in parent:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            local = etree.QName(tag).localname if tag.startswith("{") else tag
            namespace = etree.QName(tag).namespace if tag.startswith("{") else ""
            if self._skipping_citation(child, local, out):
                continue
            if namespace == M:
                self.problems.append("an equation")
                continue
            if namespace != W:
                if local in ("AlternateContent",):
                    out.drawings += 1
                continue
            if local == "bookmarkStart":
                unit = marker_id(child.get(w("name"), ""))
                if unit is not None:
                    out.marks.append((out.length, unit))
            elif local == "commentRangeStart":
                out.comments.append(child.get(w("id"), ""))
            elif local == "r":
                self._run(child, out, index, bold=bold, italic=italic, url=url)
            elif local == "hyperlink":
                rel = child.get(f"{{{R}}}id")
                if rel is None:
                    self.problems.append("a link to a place inside the document")
                    self._walk(child, out, index, bold=bold, italic=italic, url=url)
                    continue
                target = self.links.get(rel)
                if target is None:
                    self.problems.append("a link whose target is missing")
                self._walk(child, out, index, bold=bold, italic=italic, url=target)
            elif local == "fldSimple":
                instruction = child.get(w("instr"), "")[:MAX_INSTRUCTION_CHARS]
                kind = (instruction.split() or [""])[0].upper()
                if kind == "NOTEREF":
                    self._note_by_bookmark(instruction, out)
                elif kind not in ("TOC", "PAGE", "NUMPAGES"):
                    self._walk(child, out, index, bold=bold, italic=italic, url=url)
            elif local == "sdt" and (cited := _citation_tag(child)) is not None:
                out.add(Span("", note=cited))  # the citation as written, whatever Word shows
            elif local in ("smartTag", "customXml", "sdt", "sdtContent", "dir", "bdo", "ins", "moveTo"):
                self._walk(child, out, index, bold=bold, italic=italic, url=url)
            elif local in ("pict", "object", "drawing"):
                out.drawings += 1

    def _skipping_citation(self, child, local: str, out: Parsed) -> bool:
        """Inside a citation's bookmark: the citation as written stands for
        whatever Word shows there (for files whose content controls lost their tag)."""
        skipping = self._citation_end
        if skipping is not None:
            if local == "bookmarkEnd" and child.get(w("id"), "") == skipping:
                self._citation_end = None
            return True
        if local == "bookmarkStart":
            source = self.record.citations.get(child.get(w("name"), ""))
            if source is not None:
                out.add(Span("", note=source))
                self._citation_end = child.get(w("id"), "")
                return True
        return False

    def _note_by_bookmark(self, instruction: str, out: Parsed) -> None:
        words = instruction.split()
        name = words[1] if len(words) > 1 else ""
        note = self.record.note_bookmarks.get(name)
        if note is None:
            self.problems.append(f"a cross-reference ({' '.join(words[:2])[:60]}) briefgen did not write")
        else:
            out.add(Span("", note=note))

    def _field_char(self, child, out: Parsed, index: int) -> None:
        kind = child.get(w("fldCharType"))
        if kind == "begin":
            if len(self.fields) >= MAX_FIELD_DEPTH:
                raise failure(self.path, f"paragraph {index} nests fields more than {MAX_FIELD_DEPTH} deep; refusing it")
            self.fields.append(_Field())
        elif kind == "separate" and self.fields:
            current = self.fields[-1]
            current.in_result = True
            if current.kind == "NOTEREF":
                self._note_by_bookmark(current.instruction, out)
        elif kind == "end" and self.fields:
            self.fields.pop()

    def _run(self, run, out: Parsed, index: int, *, bold, italic, url) -> None:
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
                    out.drawings += 1
                continue
            if local == "fldChar":
                self._field_char(child, out, index)
                continue
            if local == "instrText":
                if self.fields and not self.fields[-1].in_result:
                    current = self.fields[-1]
                    if len(current.instruction) + len(child.text or "") > MAX_INSTRUCTION_CHARS:
                        raise failure(self.path, f"paragraph {index} holds a field instruction longer than "
                                      f"{MAX_INSTRUCTION_CHARS} characters; refusing it")
                    current.instruction += child.text or ""
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
                    out.add(Span("", note=note))
            elif local == "endnoteReference":
                self.problems.append("an endnote")
            elif local in ("drawing", "pict", "object"):
                out.drawings += 1
        text = "".join(pieces)
        if not text:
            return
        if out.length + len(text) > MAX_PARAGRAPH_CHARS:
            raise failure(self.path, f"paragraph {index} holds more than {MAX_PARAGRAPH_CHARS:,} characters "
                          "(a brief holds at most 2 MiB); refusing it")
        if style == self.note_style:
            stripped = text.strip()
            if stripped == ",":
                return
            if stripped.isdigit() and stripped in self.record.note_numbers:
                out.add(Span("", note=self.record.note_numbers[stripped]))
                return
        out.add(Span(text, bold, italic, url))


def paragraph_properties(p: etree._Element) -> tuple[str | None, int | None]:
    """The paragraph's style id and list level (0 to 8; None outside a list)."""
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
            value = level.get(w("val"), "0") if level is not None else "0"
            ilvl = int(value) if re.fullmatch(r"[0-8]", value) else 0
    return (style.get(w("val")) if style is not None else None), ilvl


#: The Word writer tags a citation's content control with this and the citation as written.
CITATION_TAG = "briefgen:"


def _citation_tag(sdt) -> str | None:
    """The citation a content control holds (``[@key, p. 12]``), or None."""
    tag = sdt.find(f"{w('sdtPr')}/{w('tag')}")
    value = tag.get(w("val"), "") if tag is not None else ""
    if value.startswith(CITATION_TAG) and value[len(CITATION_TAG):].startswith("["):
        return value[len(CITATION_TAG):]
    return None
