"""Rich text as *spans*: text with bold, italic, link and footnote attributes.

Pull compares what Word holds with what was built as spans in one
canonical form, so that two ways of writing the same formatting never
count as a change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby
from typing import Any, Sequence

from ..model import Citation, Emph, FootnoteRef, Inline, Link, RichText, Strong, Text


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of rich text with uniform formatting, or one footnote call."""

    text: str
    bold: bool = False
    italic: bool = False
    url: str | None = None
    note: str | None = None  # a footnote reference, or a citation as written ("[@key]"); ``text`` is empty

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
            elif isinstance(node, Citation):
                out.append(Span("", note=node.source))

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
# Cutting spans: a paragraph's label, a term item's term
# --------------------------------------------------------------------------


def strip_prefix(raw: list[Span], prefix: str) -> list[Span] | None:
    text = "".join(s.text for s in raw)
    stripped = text.lstrip()
    lead = len(text) - len(stripped)
    label = prefix.strip()
    if not stripped.startswith(label):
        return None
    return _drop_chars(raw, lead + len(label))


def _drop_chars(raw: list[Span], count: int) -> list[Span]:
    out: list[Span] = []
    for span in raw:
        if count <= 0 or span.note is not None:
            if count <= 0:
                out.append(span)
            continue
        if len(span.text) <= count:
            count -= len(span.text)
            continue
        out.append(Span(span.text[count:], span.bold, span.italic, span.url))
        count = 0
    return out


def split_term(spans: Spans) -> tuple[Spans, Spans] | None:
    """``**term** – text`` as (text, term); None when it no longer reads so."""
    text = plain_text(spans)
    at = text.find(" \u2013 ")
    if at <= 0:
        return None
    offset = 0
    head: list[Span] = []
    tail: list[Span] = []
    for span in spans:
        if span.note is not None:
            (head if offset < at else tail).append(span)
            continue
        start, end = offset, offset + len(span.text)
        if start < at:
            piece = span.text[: max(0, at - start)]
            if piece.strip() and not span.bold:
                return None
            head.append(Span(piece, False, span.italic, span.url))
        if end > at + 3:
            piece = span.text[max(0, at + 3 - start) :]
            tail.append(Span(piece, span.bold, span.italic, span.url))
        offset = end
    return canonical(tail), canonical(head)
