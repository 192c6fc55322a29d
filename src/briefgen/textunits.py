"""Every piece of text a reader must find in each output of a brief.

Parity checks (the same words in the PDF, the Word file and the HTML) walk
the model through :func:`text_units`.  Rich text is split at footnote
references, because every format prints the reference's number in the
middle of the sentence in its own way.
"""

from __future__ import annotations

from typing import Iterator

from .model import (  # noqa: I001
    Block,
    Brief,
    Callout,
    Chart,
    Citation,
    Emph,
    Figure,
    FootnoteRef,
    Inline,
    Link,
    ListBlock,
    ListItem,
    Paragraph,
    Quote,
    RichText,
    Strong,
    Table,
    Text,
    Todo,
)


def segments(rich: RichText) -> list[str]:
    """The text of ``rich`` in pieces, split where footnote numbers appear."""
    pieces = [""]

    def walk(nodes: tuple[Inline, ...]) -> None:
        for node in nodes:
            if isinstance(node, Text):
                pieces[-1] += node.text
            elif isinstance(node, (FootnoteRef, Citation)):
                pieces.append("")  # each format (and style) prints these its own way
            elif isinstance(node, (Strong, Emph, Link)):
                walk(node.children)

    walk(rich.inlines)
    return [piece for piece in (p.strip() for p in pieces) if piece]


def text_units(brief: Brief) -> Iterator[str]:
    """Every piece of text a reader should find in any output, in order.

    Used by parity checks: the same list must appear in the PDF, the DOCX and
    the HTML.
    """
    yield brief.title
    for value in (brief.subtitle, brief.organization, brief.marking, brief.version):
        if value:
            yield value
    yield from brief.authors
    yield from segments(brief.summary)
    for point in brief.key_points:
        yield from segments(point)
    for figure in brief.key_figures:
        yield figure.value
        yield figure.label
        if figure.note:
            yield from segments(figure.note)
    for section in brief.walk_sections():
        yield section.title
        yield from _block_units(section.body)
    yield from _block_units(brief.conclusion)
    for source in brief.sources:
        yield from (v for v in (source.title, source.publisher, source.date) if v)
        if source.note:
            yield from segments(source.note)
    for note in brief.footnotes:
        if note.number:
            yield from segments(note.text)
    if brief.bibliography is not None:
        for entry in brief.bibliography.references:
            yield from segments(entry)


def _block_units(blocks: tuple[Block, ...]) -> Iterator[str]:
    for block in blocks:
        if isinstance(block, Paragraph):
            yield from segments(block.text)
        elif isinstance(block, ListBlock):
            if block.lead:
                yield from segments(block.lead)
            for item in block.items:
                yield from _item_units(item)
        elif isinstance(block, Table):
            for rich in (block.caption, block.source, block.note):
                if rich:
                    yield from segments(rich)
            yield from (column.title for column in block.columns)
            for row in block.rows:
                for cell in row:
                    yield from segments(cell.text)
        elif isinstance(block, (Figure, Chart)):
            for rich in (block.caption, block.source):
                if rich:
                    yield from segments(rich)
        elif isinstance(block, Quote):
            yield from segments(block.text)
            if block.attribution:
                yield from segments(block.attribution)
        elif isinstance(block, Callout):
            if block.title:
                yield block.title
            yield from _block_units(block.body)
        elif isinstance(block, Todo):
            yield block.text


def _item_units(item: ListItem) -> Iterator[str]:
    if item.term:
        yield from segments(item.term)
    yield from segments(item.text)
    for sub in item.items:
        yield from _item_units(sub)
