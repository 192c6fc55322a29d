"""The front of the Word file: title block, cover lines, summary, key
points, key figures and the contents.

A mixin of :class:`briefgen.writers.docx.writer._DocxWriter`.
"""

from __future__ import annotations

from collections.abc import Iterable

from docx.oxml.ns import qn

from ...locales import format_date
from .. import ooxml
from . import front_matter
from .tables import twips

CONTENTS_PLACEHOLDER = (
    "The table of contents appears here when Word updates fields: "
    "answer Yes when Word asks, or right-click here and choose Update Field."
)


class CoverMixin:
    """Front-matter methods of the writer."""

    # -- front matter ------------------------------------------------------

    def _cover(self) -> None:
        brief = self.brief
        body = self.document
        title = self._plain(body, brief.title, "Title")
        self._mark(title, "plain", ("title",), text=brief.title)
        if brief.subtitle:
            subtitle = self._plain(body, brief.subtitle, "Subtitle")
            self._mark(subtitle, "plain", ("subtitle",), text=brief.subtitle)
        for index, line in enumerate(self._cover_lines()):
            self._fixed(self._plain(body, line, "Cover Meta"), line, ("cover", index))
        words = self.labels
        self._fixed(self._plain(body, words["summary"], "Summary Heading"), words["summary"])
        if brief.summary_blocks:
            self._blocks(brief.summary_blocks, ("summary",), text_style="Summary")
        else:
            summary = self._rich(body, brief.summary, "Summary")
            self._mark(summary, "rich", ("summary",), rich=brief.summary)
        if brief.key_points:
            self._fixed(
                self._plain(body, words["key_points"], "Key Takeaways Heading"),
                words["key_points"],
            )
            num_id, _ = self._list_definition("Key Takeaway", "bullet")
            for index, point in enumerate(brief.key_points):
                paragraph = self._rich(body, point, "Key Takeaway")
                ooxml.set_numbering(paragraph, num_id, 0)
                self._mark(paragraph, "rich", ("key_points", index), rich=point)
        if brief.key_figures:
            self._key_figures()

    def _cover_lines(self) -> Iterable[str]:
        brief = self.brief
        dates = []
        if brief.date:
            dates.append(format_date(brief.date, brief.lang))
        if brief.updated:
            dates.append(f"{self.labels['updated']} {format_date(brief.updated, brief.lang)}")
        if dates:
            yield " \u00b7 ".join(dates)
        if brief.version:
            yield f"{self.labels['version']} {brief.version}"
        if brief.author_details:
            for author in brief.author_details:
                yield ", ".join(
                    part
                    for part in (author.name, author.role, author.affiliation, author.email)
                    if part
                )
        elif brief.authors:
            yield ", ".join(brief.authors)
        if brief.organization:
            yield brief.organization

    def _key_figures(self) -> None:
        figures = self.brief.key_figures
        count = len(figures)
        columns = count if count <= 4 else (3 if count % 3 == 0 else 4)
        rows = -(-count // columns)
        table = self.document.add_table(rows, columns)
        tbl = table._tbl
        width = self.text_width // columns
        ooxml.set_table_layout(
            tbl,
            style_id=self.style["Key Figures Table"],
            column_widths=[twips(width)] * columns,
            header_row=False,
        )
        ooxml.set_table_alt_text(
            tbl, self.labels["key_figures"], "; ".join(f"{f.value} {f.label}" for f in figures)
        )
        cells = [tc for tr in tbl.tr_lst for tc in tr.tc_lst]
        for tr in tbl.tr_lst:
            ooxml.set_row_flags(tr, header=False)
        for index, (tc, figure) in enumerate(zip(cells, figures)):
            path = ("key_figures", index)
            value = tc.p_lst[0]
            ooxml.set_paragraph_style(value, self.style["Key Figure Value"])
            value.append(ooxml.new_run(figure.value))
            self._mark(value, "plain", (*path, "value"), text=figure.value)
            label = self._plain_in_cell(tc, figure.label, "Key Figure Label")
            self._mark(label, "plain", (*path, "label"), text=figure.label)
            if figure.note:
                note = tc.add_p()
                ooxml.set_paragraph_style(note, self.style["Key Figure Note"])
                self._inlines(note, figure.note.inlines)
                self._mark(note, "rich", (*path, "note"), rich=figure.note)
        for tc in cells[count:]:
            ooxml.set_paragraph_style(tc.p_lst[0], self.style["Key Figure Label"])

    def _contents(self) -> None:
        """The contents heading and the place of its field, filled in by
        :meth:`_fill_contents` once every heading is written."""
        words = self.labels["contents"]
        self._fixed(self._plain(self.document, words, "TOC Heading"), words)
        self._contents_anchor = self._styled(self.document, "TOC 1")

    def _fill_contents(self) -> None:
        """A TOC field whose result already lists the headings, in document
        order and with their levels, so that a reader or converter that never
        updates fields still shows a real contents list."""
        anchor = getattr(self, "_contents_anchor", None)
        if anchor is None:
            return
        levels = {self.style[f"Heading {n}"]: n for n in (1, 2, 3)}
        counters = [0, 0, 0]
        entries = []
        for paragraph in anchor.itersiblings(qn("w:p")):
            level = levels.get(ooxml.paragraph_style(paragraph))
            if level is None:
                continue
            text = "".join(t.text or "" for t in paragraph.iter(qn("w:t")))
            if self.brief.section_numbers and paragraph.find(f"{qn('w:pPr')}/{qn('w:numPr')}") is not None:
                counters[level - 1] += 1
                counters[level:] = [0] * (3 - level)
                text = ".".join(str(n) for n in counters[:level]) + " " + text
            entries.append(front_matter.ContentsEntry(level, text))
        if not entries:
            anchor.extend(
                ooxml.field_runs(front_matter.TOC_INSTRUCTION, self.labels["update_contents"], dirty=True)
            )
            return
        paragraphs = [anchor] + [self._styled(self.document, f"TOC {entry.level}") for entry in entries[1:]]
        for previous, paragraph in zip(paragraphs, paragraphs[1:]):
            previous.addnext(paragraph)  # _styled appends at the end of the body: move it here
        ooxml.set_paragraph_style(anchor, self.style[f"TOC {entries[0].level}"])
        front_matter.contents_field(paragraphs, entries)
