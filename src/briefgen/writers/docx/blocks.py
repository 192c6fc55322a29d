"""Body blocks in the Word file: paragraphs, lists, quotes, callouts, editor
notes, page breaks, figures and charts (tables are in :mod:`.tables`).

A mixin of :class:`briefgen.writers.docx.writer._DocxWriter`.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from docx.image.image import Image
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Emu

from ...images import picture_for_word
from ...model import (
    Block,
    Callout,
    Chart,
    Citation,
    Emph,
    Figure,
    Link,
    ListBlock,
    ListItem,
    PageBreak,
    Paragraph,
    Quote,
    RichText,
    Strong,
    Table,
    Text,
    Todo,
)
from .. import ooxml

#: List paragraph styles by (list kind, inside a callout), for levels 0 and 1.
LIST_STYLES: dict[tuple[str, bool], tuple[str, str]] = {
    ("bullet", False): ("List Bullet", "List Bullet 2"),
    ("numbered", False): ("List Number", "List Number 2"),
    ("bullet", True): ("Callout List Bullet", "Callout List Bullet"),
    ("numbered", True): ("Callout List Number", "Callout List Number"),
}
#: A figure never takes more than this share of the text height.
MAX_FIGURE_HEIGHT = 0.6
EMU_PER_INCH = 914400


class BlocksMixin:
    """Block methods of the writer."""

    def _blocks(
        self,
        blocks: Iterable[Block],
        path: tuple,
        *,
        in_callout: bool = False,
        text_style: str = "Body Text",
    ) -> None:
        for index, block in enumerate(blocks):
            self._block(block, (*path, index), in_callout=in_callout, text_style=text_style)

    def _block(
        self,
        block: Block,
        path: tuple,
        *,
        in_callout: bool = False,
        text_style: str = "Body Text",
    ) -> None:
        body = self.document
        text_style = "Callout Text" if in_callout else text_style
        mark = lambda paragraph, kind, sub, **kw: self._mark(
            paragraph, kind, (*path, *sub), block=path, **kw
        )
        if isinstance(block, Paragraph):
            paragraph = self._rich(body, block.text, text_style)
            mark(paragraph, "rich", ("paragraph",), rich=block.text)
        elif isinstance(block, ListBlock):
            self._list(block, path, in_callout=in_callout)
        elif isinstance(block, Table):
            self._table(block, path)
        elif isinstance(block, Figure):
            self._figure(block, path)
        elif isinstance(block, Chart):
            self._chart(block, path)
        elif isinstance(block, Quote):
            quote = self._rich(body, block.text, "Quote")
            mark(quote, "rich", ("quote", "text"), rich=block.text)
            if block.attribution:
                attribution = self._styled(body, "Quote Attribution")
                attribution.append(ooxml.new_run("\u2014 "))
                self._inlines(attribution, block.attribution.inlines)
                mark(
                    attribution,
                    "rich",
                    ("quote", "attribution"),
                    rich=block.attribution,
                    prefix="\u2014 ",
                )
        elif isinstance(block, Callout):
            label = block.title or self.labels[f"callout_{block.kind}"]
            title = self._plain(body, label, "Callout Title")
            if block.title:
                mark(title, "plain", ("callout", "title"), text=block.title)
            else:
                mark(title, "fixed", ("callout", "kind"), text=label)
            self._blocks(block.body, (*path, "callout", "body"), in_callout=True)
        elif isinstance(block, Todo):
            prefix = f"{self.labels['todo']}: "
            note = self._plain(body, f"{prefix}{block.text}", "Editor Note")
            mark(note, "plain", ("todo",), text=block.text, prefix=prefix)
        elif isinstance(block, PageBreak):
            paragraph = self.document.add_paragraph()._p
            paragraph.append(ooxml.page_break_run())
            mark(paragraph, "break", ("page_break",))
        else:  # pragma: no cover - the model has no other blocks
            raise TypeError(f"unknown block {block!r}")

    def _list(self, block: ListBlock, path: tuple, *, in_callout: bool) -> None:
        if block.lead:
            lead = self._rich(
                self.document, block.lead, "Callout Text" if in_callout else "Body Text"
            )
            self._mark(lead, "rich", (*path, "list", "lead"), block=path, rich=block.lead)
        styles = LIST_STYLES[(block.style, in_callout)]
        num_id, abstract_id = self._list_definition(styles[0], block.style)
        if block.style == "numbered":
            num_id = ooxml.add_numbering_instance(
                self.numbering, abstract_id, restart_levels=3
            )
        for index, item in enumerate(block.items):
            self._list_item(
                item, num_id, styles, level=0, path=(*path, "list", "items", index), block=path
            )

    def _list_item(
        self,
        item: ListItem,
        num_id: int,
        styles: tuple[str, str],
        level: int,
        *,
        path: tuple,
        block: tuple,
    ) -> None:
        paragraph = self._styled(self.document, styles[min(level, 1)])
        ooxml.set_numbering(paragraph, num_id, min(level, 1))
        if item.term:
            self._inlines(paragraph, item.term.inlines, bold=True)
            paragraph.append(ooxml.new_run(" \u2013 "))
        self._inlines(paragraph, item.text.inlines)
        if item.term:
            self._mark(
                paragraph, "term", path, block=block, rich=item.text, term=item.term,
                level=level,
            )
        else:
            self._mark(
                paragraph, "rich", (*path, "text"), block=block, rich=item.text, level=level
            )
        for index, sub in enumerate(item.items):
            self._list_item(
                sub, num_id, styles, level + 1, path=(*path, "items", index), block=block
            )

    def _list_definition(self, style: str, kind: str) -> tuple[int, int]:
        """The numbering instance and definition a list style points at.

        A reference document whose list style has no numbering gets a
        definition of the right kind, so lists still number in Word.
        """
        known = self.list_definitions.get(style)
        if known:
            return known
        linked = ooxml.style_numbering(
            self.document.styles.element.get_by_id(self.style[style])
        )
        abstract_id = None
        if linked is not None:
            abstract_id = ooxml.abstract_numbering_of(self.numbering, linked[0])
        if linked is None or abstract_id is None:
            abstract_id = ooxml.add_abstract_numbering(self.numbering, kind)
            linked = (ooxml.add_numbering_instance(self.numbering, abstract_id), 0)
        self.list_definitions[style] = (linked[0], abstract_id)
        return linked[0], abstract_id

    def _shown(self, inlines) -> str:
        """The text a cell shows, citations formatted (``plain()`` leaves them
        out), so that a column of citations is measured as printed."""
        out = []
        for node in inlines:
            if isinstance(node, Text):
                out.append(node.text)
            elif isinstance(node, Citation) and not node.note:
                out.append(self._shown(self.brief.citation_text(node)))
            elif isinstance(node, (Strong, Emph, Link)):
                out.append(self._shown(node.children))
        return "".join(out)

    def _figure(self, figure: Figure, path: tuple) -> None:
        share = (figure.width or 100) / 100
        data = picture_for_word(figure.path, width_in=self.text_width / EMU_PER_INCH * share)
        picture = self._picture(data, figure.alt, share)
        self._mark(picture, "picture", (*path, "figure"), block=path)
        self._captions(figure, figure.caption, figure.source, (*path, "figure"), path)

    def _captions(
        self,
        owner: Block,
        caption: RichText | None,
        source: RichText | None,
        path: tuple,
        block: tuple,
    ) -> None:
        if caption:
            self._numbered_caption(owner, caption, path, block)
        self._labelled(source, f"{self.labels['source']}: ", (*path, "source"), block)

    def _chart(self, chart: Chart, path: tuple) -> None:
        """The chart as a picture; its title is drawn inside the image."""
        # Imported here: matplotlib is only loaded for briefs that have charts.
        from ... import charts

        share = (chart.width or 100) / 100
        description = chart.describe(self.labels)
        png = charts.chart_png(chart, width_in=self.text_width / EMU_PER_INCH * share, description=description)
        picture = self._picture(png, description, share)
        self._mark(picture, "picture", (*path, "chart"), block=path)
        self._captions(chart, chart.caption, chart.source, (*path, "chart"), path)

    def _picture(self, data: bytes, alt: str, share: float) -> BaseOxmlElement:
        image = Image.from_blob(data)
        width = self.text_width * min(max(share, 0.05), 1.0)
        height = width * image.px_height / max(image.px_width, 1)
        limit = self.text_height * MAX_FIGURE_HEIGHT
        if height > limit:
            width, height = width * limit / height, limit
        paragraph = self.document.add_paragraph()
        ooxml.set_paragraph_style(paragraph._p, self.style["Figure"])
        shape = paragraph.add_run().add_picture(
            io.BytesIO(data), width=Emu(int(width)), height=Emu(int(height))
        )
        ooxml.set_picture_alt_text(shape._inline, alt)
        return paragraph._p

    def _labelled(
        self, text: RichText | None, label: str, path: tuple, block: tuple
    ) -> None:
        if not text:
            return
        paragraph = self._styled(self.document, "Block Source")
        paragraph.append(ooxml.new_run(label))
        self._inlines(paragraph, text.inlines)
        self._mark(paragraph, "rich", path, block=block, rich=text, prefix=label)
