"""What a generated Word file remembers about the brief it came from.

The Word writer marks every paragraph it writes with a hidden bookmark
(``_bg_N``) and stores, in a custom XML part, what unit ``N`` is: the place
in the brief it came from (a *slot path* such as
``sections[2].body[3].list.items[1].text``) and its text as built.  With
that, ``briefgen pull`` can tell which paragraphs an editor changed, added
or removed, and whether the brief changed too since the file was made.

Rich text is compared as *spans* (text with bold, italic, link and
footnote attributes) in a canonical form, so that two ways of writing the
same formatting never count as a change.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from .model import Emph, FootnoteRef, Inline, Link, RichText, Strong, Text

FORMAT = 1
BOOKMARK_PREFIX = "_bg_"
RECORD_NAMESPACE = "urn:briefgen:pull"
RECORD_PART = "/customXml/item1.xml"
RECORD_PROPS_PART = "/customXml/itemProps1.xml"
RECORD_ITEM_ID = "{5B1E6E70-B41E-4F6E-9D7A-0000000000B6}"
#: Custom document properties (``docProps/custom.xml``).
PROP_FORMAT = "briefgen.format"
PROP_SOURCE = "briefgen.source"
PROP_NAME = "briefgen.name"
PROP_SHA256 = "briefgen.sha256"


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of rich text with uniform formatting, or one footnote call."""

    text: str
    bold: bool = False
    italic: bool = False
    url: str | None = None
    note: str | None = None  # a footnote reference (``text`` is empty)

    def to_json(self) -> list:
        if self.note is not None:
            return ["^", self.note]
        flags = ("b" if self.bold else "") + ("i" if self.italic else "")
        return [self.text, flags] + ([self.url] if self.url else [])

    @classmethod
    def from_json(cls, data: Sequence[Any]) -> Span:
        if data[0] == "^":
            return cls("", note=str(data[1]))
        flags = str(data[1]) if len(data) > 1 else ""
        url = str(data[2]) if len(data) > 2 else None
        return cls(str(data[0]), "b" in flags, "i" in flags, url)


Spans = tuple[Span, ...]


def spans_of(rich: RichText | None) -> Spans:
    """The canonical spans of a model rich text."""
    if rich is None:
        return ()
    out: list[Span] = []

    def walk(nodes: Iterable[Inline], bold: bool, italic: bool, url: str | None) -> None:
        for node in nodes:
            if isinstance(node, Text):
                out.append(Span(node.text, bold, italic, url))
            elif isinstance(node, Strong):
                walk(node.children, True, italic, url)
            elif isinstance(node, Emph):
                walk(node.children, bold, True, url)
            elif isinstance(node, Link):
                walk(node.children, bold, italic, node.url)
            elif isinstance(node, FootnoteRef):
                out.append(Span("", note=node.id))

    walk(rich.inlines, False, False, None)
    return canonical(out)


def plain_spans(text: str) -> Spans:
    return canonical([Span(text)])


def canonical(spans: Iterable[Span]) -> Spans:
    """Spans in one normal form.

    Bold and italic never start or end with white space (``** a**`` is not
    rich text), the text has no leading or trailing white space, and
    neighbours with the same formatting are merged.
    """
    chars: list[list[Any]] = []  # [char, bold, italic, url, note]
    for span in spans:
        if span.note is not None:
            chars.append(["", False, False, None, span.note])
            continue
        for char in span.text.replace("\n", " "):
            chars.append([char, span.bold, span.italic, span.url, None])
    while chars and chars[0][4] is None and chars[0][0].isspace():
        chars.pop(0)
    while chars and chars[-1][4] is None and chars[-1][0].isspace():
        chars.pop()
    for attr in (1, 2):
        index = 0
        while index < len(chars):
            if not chars[index][attr] or chars[index][4] is not None:
                index += 1
                continue
            end = index
            while end < len(chars) and chars[end][attr] and chars[end][4] is None:
                end += 1
            left, right = index, end - 1
            while left <= right and chars[left][0].isspace():
                chars[left][attr] = False
                left += 1
            while right >= left and chars[right][0].isspace():
                chars[right][attr] = False
                right -= 1
            index = end
    out: list[Span] = []
    for (bold, italic, url, note), group in groupby(chars, key=lambda c: (c[1], c[2], c[3], c[4])):
        if note is not None:
            out.extend(Span("", note=note) for _ in group)
        else:
            out.append(Span("".join(c[0] for c in group), bold, italic, url))
    return tuple(out)


def plain_text(spans: Spans) -> str:
    return "".join(span.text for span in spans)


# --------------------------------------------------------------------------
# Spans back to the brief's rich-text markup
# --------------------------------------------------------------------------

_SPECIAL = "\\*_[]"


def _escape(text: str) -> str:
    return "".join("\\" + c if c in _SPECIAL else c for c in text)


def _emit(spans: Spans, escape: bool, bold_outside: bool) -> str:
    """Markup for ``spans``: links outermost, then bold and italic nested."""
    out: list[str] = []
    index = 0
    while index < len(spans):
        span = spans[index]
        if span.note is not None:
            out.append(f"[^{span.note}]")
            index += 1
            continue
        end = index
        while end < len(spans) and spans[end].note is None and spans[end].url == span.url:
            end += 1
        group = spans[index:end]
        inner = _emphasis(group, escape, bold_outside)
        out.append(f"[{inner}]({span.url})" if span.url else inner)
        index = end
    return "".join(out)


def _emphasis(spans: Spans, escape: bool, bold_outside: bool) -> str:
    outer, inner = ("bold", "italic") if bold_outside else ("italic", "bold")
    marks = {"bold": "**", "italic": "*"}
    out: list[str] = []
    index = 0
    while index < len(spans):
        flag = getattr(spans[index], outer)
        end = index
        while end < len(spans) and getattr(spans[end], outer) == flag:
            end += 1
        pieces: list[str] = []
        sub = index
        while sub < end:
            inner_flag = getattr(spans[sub], inner)
            stop = sub
            while stop < end and getattr(spans[stop], inner) == inner_flag:
                stop += 1
            text = "".join(s.text for s in spans[sub:stop])
            text = _escape(text) if escape else text
            pieces.append(_wrap(text, marks[inner]) if inner_flag else text)
            sub = stop
        joined = "".join(pieces)
        out.append(_wrap(joined, marks[outer]) if flag else joined)
        index = end
    return "".join(out)


def _wrap(text: str, mark: str) -> str:
    stripped = text.strip()
    if not stripped:
        return text
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return f"{lead}{mark}{stripped}{mark}{trail}"


def to_markup(spans: Spans, note_ids: Iterable[str]) -> str | None:
    """Rich-text markup that reads back as exactly ``spans``, or None.

    Candidates go from the most readable (no escapes) to the safest; each is
    parsed again with the brief's own parser and kept only if it gives the
    same spans back.
    """
    from . import richtext

    known = frozenset(note_ids) | {s.note for s in spans if s.note}
    for escape in (False, True):
        for bold_outside in (True, False):
            markup = _emit(spans, escape, bold_outside)
            try:
                parsed = richtext.parse(markup, richtext.FootnoteNumbering(known=frozenset(known)))
            except richtext.RichTextError:
                continue
            if spans_of(parsed) == spans:
                return markup
    return None


# --------------------------------------------------------------------------
# The record stored in the Word file
# --------------------------------------------------------------------------

Path_ = tuple[Any, ...]


@dataclass(frozen=True)
class Unit:
    """One paragraph the writer wrote, and where it came from.

    ``kind`` is ``rich``, ``plain`` (text that is not markup: titles,
    labels), ``term`` (a ``term – text`` list item), ``fixed`` (made up by
    the writer: cover lines, "Contents"), ``picture`` or ``break``.
    ``block`` is the block the paragraph belongs to, when it lies in a list
    of blocks, so that whole blocks can be added and removed.
    """

    id: int
    kind: str
    path: Path_
    block: Path_ | None = None
    spans: Spans = ()
    term: Spans = ()
    prefix: str = ""
    level: int = 0  # list items: 0 or 1

    def to_json(self) -> dict:
        data: dict[str, Any] = {"id": self.id, "kind": self.kind, "path": list(self.path)}
        if self.block is not None:
            data["block"] = list(self.block)
        if self.spans:
            data["spans"] = [s.to_json() for s in self.spans]
        if self.term:
            data["term"] = [s.to_json() for s in self.term]
        if self.prefix:
            data["prefix"] = self.prefix
        if self.level:
            data["level"] = self.level
        return data

    @classmethod
    def from_json(cls, data: dict) -> Unit:
        block = data.get("block")
        return cls(
            int(data["id"]),
            str(data["kind"]),
            tuple(data["path"]),
            tuple(block) if block is not None else None,
            tuple(Span.from_json(s) for s in data.get("spans", ())),
            tuple(Span.from_json(s) for s in data.get("term", ())),
            str(data.get("prefix", "")),
            int(data.get("level", 0)),
        )


@dataclass
class Record:
    units: list[Unit]
    styles: dict[str, str]  # style name -> style id in the file
    note_bookmarks: dict[str, str]  # "_RefNote3" -> footnote id
    note_numbers: dict[str, str]  # "3" -> footnote id

    def to_xml(self) -> bytes:
        payload = json.dumps(
            {
                "format": FORMAT,
                "styles": self.styles,
                "note_bookmarks": self.note_bookmarks,
                "note_numbers": self.note_numbers,
                "units": [u.to_json() for u in self.units],
            },
            ensure_ascii=True,
            separators=(",", ":"),
            sort_keys=True,
        )
        text = payload.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<briefgen xmlns="{RECORD_NAMESPACE}" format="{FORMAT}">{text}</briefgen>'
        ).encode()

    @classmethod
    def from_json_text(cls, text: str) -> Record:
        data = json.loads(text)
        return cls(
            [Unit.from_json(u) for u in data["units"]],
            {str(k): str(v) for k, v in data.get("styles", {}).items()},
            {str(k): str(v) for k, v in data.get("note_bookmarks", {}).items()},
            {str(k): str(v) for k, v in data.get("note_numbers", {}).items()},
        )


def path_text(path: Sequence[Any]) -> str:
    """``("sections", 2, "body", 3)`` as ``sections[2].body[3]``."""
    out = ""
    for key in path:
        if isinstance(key, int):
            out += f"[{key}]"
        else:
            out += f".{key}" if out else str(key)
    return out


def custom_properties_xml(source: str, name: str, sha256: str) -> bytes:
    """``docProps/custom.xml``: where the file came from, in Word's own
    custom properties (File › Properties › Custom)."""
    from xml.sax.saxutils import escape

    fmtid = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
    props = [
        (PROP_FORMAT, "i4", str(FORMAT)),
        (PROP_SOURCE, "lpwstr", source),
        (PROP_NAME, "lpwstr", name),
        (PROP_SHA256, "lpwstr", sha256),
    ]
    body = "".join(
        f'<property fmtid="{fmtid}" pid="{pid}" name="{escape(key)}">'
        f"<vt:{kind}>{escape(value)}</vt:{kind}></property>"
        for pid, (key, kind, value) in enumerate(props, start=2)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"{body}</Properties>"
    ).encode()


def record_props_xml() -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<ds:datastoreItem ds:itemID="{RECORD_ITEM_ID}" '
        'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml">'
        f'<ds:schemaRefs><ds:schemaRef ds:uri="{RECORD_NAMESPACE}"/></ds:schemaRefs>'
        "</ds:datastoreItem>"
    ).encode()
