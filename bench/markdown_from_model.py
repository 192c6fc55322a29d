"""A brief as pandoc Markdown, for comparing pandoc's Word writer with ours.

The Markdown carries everything pandoc can express: a YAML title block
(title, subtitle, author, date, lang, keywords, subject), headings, lists,
pipe tables with alignment and captions, figures with alt text and width,
charts drawn to PNG files, block quotes, footnotes and links.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from briefgen import charts
from briefgen.model import (
    Block,
    Brief,
    Callout,
    Chart,
    Emph,
    Figure,
    FootnoteRef,
    Inline,
    Link,
    ListBlock,
    ListItem,
    PageBreak,
    Paragraph,
    Quote,
    RichText,
    Section,
    Strong,
    Table,
    Text,
    Todo,
)

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|$~^])")
TEXT_WIDTH_IN = 160 / 25.4


def brief_markdown(brief: Brief, media: Path) -> str:
    """The brief as Markdown; chart images are written into ``media``."""
    return "\n".join(_MarkdownWriter(brief, media).lines()) + "\n"


class _MarkdownWriter:
    def __init__(self, brief: Brief, media: Path) -> None:
        self.brief = brief
        self.media = media
        self.charts = 0

    def lines(self) -> Iterator[str]:
        brief = self.brief
        meta: dict[str, object] = {"title": brief.title, "lang": brief.lang}
        if brief.subtitle:
            meta["subtitle"] = brief.subtitle
            meta["subject"] = brief.subtitle
        if brief.authors:
            meta["author"] = list(brief.authors)
        if brief.date:
            meta["date"] = brief.date.isoformat()
        if brief.keywords:
            meta["keywords"] = list(brief.keywords)
        yield "---"
        for key, value in meta.items():
            yield f"{key}: {json.dumps(value, ensure_ascii=False)}"
        yield "---"
        yield ""
        if brief.marking:
            yield f"**{_escape(brief.marking)}**"
            yield ""
        yield "**Summary**"
        yield ""
        yield self.rich(brief.summary)
        yield ""
        if brief.key_points:
            yield "**Key takeaways**"
            yield ""
            for point in brief.key_points:
                yield f"- {self.rich(point)}"
            yield ""
        if brief.key_figures:
            yield "| Figure | Meaning |"
            yield "|---:|:---|"
            for figure in brief.key_figures:
                note = f" ({self.rich(figure.note)})" if figure.note else ""
                yield f"| {_escape(figure.value)} | {_escape(figure.label)}{note} |"
            yield ""
            yield "Table: Key figures"
            yield ""
        for section in brief.sections:
            yield from self.section(section)
        if brief.conclusion:
            yield "# Conclusion"
            yield ""
            yield from self.blocks(brief.conclusion)
        if brief.sources:
            yield "# Sources"
            yield ""
            for source in brief.sources:
                parts = [_escape(source.title)]
                parts += [_escape(p) for p in (source.publisher, source.date) if p]
                if source.url:
                    parts.append(f"<{source.url}>")
                if source.note:
                    parts.append(self.rich(source.note))
                yield "- " + ". ".join(parts)
            yield ""
        notes = [note for note in brief.footnotes if note.number]
        for note in notes:
            yield f"[^{note.id}]: {self.rich(note.text)}"
        if notes:
            yield ""

    def section(self, section: Section) -> Iterator[str]:
        yield f"{'#' * min(section.level, 3)} {_escape(section.title)} {{#{section.id}}}"
        yield ""
        yield from self.blocks(section.body)
        for sub in section.sections:
            yield from self.section(sub)

    def blocks(self, blocks: Iterable[Block]) -> Iterator[str]:
        for block in blocks:
            yield from self.block(block)
            yield ""

    def block(self, block: Block) -> Iterator[str]:
        if isinstance(block, Paragraph):
            yield self.rich(block.text)
        elif isinstance(block, ListBlock):
            if block.lead:
                yield self.rich(block.lead)
                yield ""
            for number, item in enumerate(block.items, 1):
                yield from self.item(item, block.style, number, "")
        elif isinstance(block, Table):
            yield from self.table(block)
        elif isinstance(block, Figure):
            width = f"{{width={block.width:g}%}}" if block.width else ""
            caption = self.rich(block.caption) if block.caption else _escape(block.alt)
            yield f"![{caption}]({block.path}){width}"
            if block.source:
                yield ""
                yield f"Source: {self.rich(block.source)}"
        elif isinstance(block, Chart):
            self.charts += 1
            path = self.media / f"chart-{self.charts}.png"
            path.write_bytes(charts.chart_png(block, width_in=TEXT_WIDTH_IN))
            caption = (
                self.rich(block.caption) if block.caption else _escape(block.describe())
            )
            yield f"![{caption}]({path})"
            if block.source:
                yield ""
                yield f"Source: {self.rich(block.source)}"
        elif isinstance(block, Quote):
            yield f"> {self.rich(block.text)}"
            if block.attribution:
                yield ">"
                yield f"> \u2014 {self.rich(block.attribution)}"
        elif isinstance(block, Callout):
            title = block.title or block.kind.capitalize()
            inner = [f"**{_escape(title)}**", ""]
            inner += list(self.blocks(block.body))
            for line in inner:
                yield f"> {line}".rstrip()
        elif isinstance(block, Todo):
            yield f"*Editor's note: {_escape(block.text)}*"
        elif isinstance(block, PageBreak):
            yield '```{=openxml}\n<w:p><w:r><w:br w:type="page"/></w:r></w:p>\n```'

    def item(
        self, item: ListItem, style: str, number: int, indent: str
    ) -> Iterator[str]:
        marker = f"{number}." if style == "numbered" else "-"
        text = self.rich(item.text)
        if item.term:
            text = f"**{self.rich(item.term)}** \u2013 {text}"
        yield f"{indent}{marker} {text}"
        for sub_number, sub in enumerate(item.items, 1):
            yield from self.item(
                sub, style, sub_number, indent + " " * (len(marker) + 1)
            )

    def table(self, table: Table) -> Iterator[str]:
        rule = {"left": ":---", "center": ":---:", "right": "---:"}
        yield "| " + " | ".join(_escape(c.title) for c in table.columns) + " |"
        yield "|" + "|".join(rule[c.align] for c in table.columns) + "|"
        for row in table.rows:
            yield "| " + " | ".join(self.rich(cell.text) for cell in row) + " |"
        if table.caption:
            yield ""
            yield f"Table: {self.rich(table.caption)}"
        for label, text in (("Note", table.note), ("Source", table.source)):
            if text:
                yield ""
                yield f"{label}: {self.rich(text)}"

    def rich(self, text: RichText) -> str:
        return "".join(self.inline(node) for node in text.inlines)

    def inline(self, node: Inline) -> str:
        if isinstance(node, Text):
            return _escape(node.text)
        if isinstance(node, Strong):
            return "**" + "".join(self.inline(c) for c in node.children) + "**"
        if isinstance(node, Emph):
            return "*" + "".join(self.inline(c) for c in node.children) + "*"
        if isinstance(node, Link):
            label = "".join(self.inline(c) for c in node.children)
            return f"[{label}]({node.url})"
        if isinstance(node, FootnoteRef):
            return f"[^{node.id}]"
        raise TypeError(f"unknown inline {node!r}")


def _escape(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text).replace("\n", " ")
