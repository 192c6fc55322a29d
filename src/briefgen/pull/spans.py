"""Rich text as *spans*: text with bold, italic, link and footnote attributes.

Pull compares what Word holds with what was built as spans in one
canonical form, so that two ways of writing the same formatting never
count as a change.
"""

from __future__ import annotations

import re
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
    neighbours with the same formatting are merged.  Linear in the text's
    length: pieces are cut with ``str.strip``, never a character at a time.
    """
    pieces: list[list[Any]] = []  # [text, bold, italic, url, note]
    for span in spans:
        if span.note is not None:
            pieces.append(["", False, False, None, span.note])
        elif span.text:
            pieces.append([span.text.replace("\n", " "), span.bold, span.italic, span.url, None])
    pieces = _strip_ends(pieces)
    for attr in (1, 2):
        pieces = _trim_attribute(pieces, attr)
    out: list[Span] = []
    for (bold, italic, url, note), group in groupby(pieces, key=lambda c: (c[1], c[2], c[3], c[4])):
        if note is not None:
            out.extend(Span("", note=note) for _ in group)
        else:
            text = "".join(c[0] for c in group)
            if text:
                out.append(Span(text, bold, italic, url))
    return tuple(out)


def _strip_ends(pieces: list[list[Any]]) -> list[list[Any]]:
    """Without white space before the first and after the last character
    (a footnote call counts as a character)."""
    start = 0
    while start < len(pieces) and pieces[start][4] is None:
        stripped = pieces[start][0].lstrip()
        if stripped:
            pieces[start] = [stripped, *pieces[start][1:]]
            break
        start += 1
    end = len(pieces)
    while end > start and pieces[end - 1][4] is None:
        stripped = pieces[end - 1][0].rstrip()
        if stripped:
            pieces[end - 1] = [stripped, *pieces[end - 1][1:]]
            break
        end -= 1
    return pieces[start:end]


def _trim_attribute(pieces: list[list[Any]], attr: int) -> list[list[Any]]:
    """Clear ``attr`` (bold or italic) on the white space at both ends of
    every stretch of text that carries it."""
    out: list[list[Any]] = []
    index = 0
    while index < len(pieces):
        if not pieces[index][attr] or pieces[index][4] is not None:
            out.append(pieces[index])
            index += 1
            continue
        end = index
        while end < len(pieces) and pieces[end][attr] and pieces[end][4] is None:
            end += 1
        out.extend(_trim_run(pieces[index:end], attr))
        index = end
    return out


def _trim_run(run: list[list[Any]], attr: int) -> list[list[Any]]:
    text = "".join(piece[0] for piece in run)
    lead = len(text) - len(text.lstrip())
    keep_end = len(text.rstrip())
    if keep_end <= lead:  # all white space
        return [_with(piece, attr, False) for piece in run]
    out: list[list[Any]] = []
    offset = 0
    for piece in run:
        start, stop = offset, offset + len(piece[0])
        offset = stop
        for lo, hi, on in ((start, min(stop, lead), False), (max(start, lead), min(stop, keep_end), True),
                           (max(start, keep_end), stop, False)):
            if lo < hi:
                out.append(_with([piece[0][lo - start : hi - start], *piece[1:]], attr, on))
    return out


def _with(piece: list[Any], attr: int, value: bool) -> list[Any]:
    changed = list(piece)
    changed[attr] = value
    return changed


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


_TERM_SEPARATOR = re.compile(r"\s+(?:\u2013|\u2014|---|--|-)\s+")


def split_term(spans: Spans) -> tuple[Spans, Spans] | None:
    """``**term** – text`` as (text, term); None when it no longer reads so.

    The dash may be typed as ``-``, ``--`` or an em dash (AutoCorrect off,
    or another word processor's)."""
    text = plain_text(spans)
    match = _TERM_SEPARATOR.search(text)
    if match is None or match.start() <= 0:
        return None
    at, after = match.start(), match.end()
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
        if end > after:
            piece = span.text[max(0, after - start) :]
            tail.append(Span(piece, span.bold, span.italic, span.url))
        offset = end
    return canonical(tail), canonical(head)
