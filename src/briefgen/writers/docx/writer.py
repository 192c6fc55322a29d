"""The Word writer's core: the document in order, sections and headings,
sources and references, and the hidden marks ``briefgen pull`` reads.

The parts of the file are written by mixins, one module each.
"""

from __future__ import annotations

from docx.document import Document
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement

from ...pull import record as pull_record
from ...pull import spans as pull_spans
from ...model import Brief, RichText, Section
from ...numbering import Target, targets
from .. import ooxml
from .blocks import BlocksMixin
from .cover import CoverMixin
from .furniture import FurnitureMixin
from .inlines import InlinesMixin, _bookmark_name
from .notes import NotesMixin, _Footnotes
from .styles import REQUIRED_STYLES
from .tables import TablesMixin


class _DocxWriter(
    CoverMixin, BlocksMixin, TablesMixin, InlinesMixin, NotesMixin, FurnitureMixin
):
    """Writes one brief into one python-docx document; each mixin holds one
    part of the file, this class the order and the marks."""

    def __init__(
        self, brief: Brief, document: Document, styles: dict[str, str], labels: dict[str, str]
    ) -> None:
        self.brief = brief
        self.labels = labels
        self.heading_num_id: int | None = None
        self.document = document
        self.style = styles
        self.part = document.part
        section = document.sections[0]
        self.text_width = int(
            section.page_width - section.left_margin - section.right_margin
        )
        self.text_height = int(
            section.page_height - section.top_margin - section.bottom_margin
        )
        self.numbering = document.part.numbering_part.element
        self.list_definitions: dict[str, tuple[int, int]] = {}
        self.footnotes: _Footnotes | None = None
        self.bookmarks = 0
        self.units: list[pull_record.Unit] = []
        self.note_bookmarks: dict[str, str] = {}
        self.note_numbers: dict[str, str] = {}
        self.citation_bookmarks: dict[str, str] = {}
        self.targets: dict[str, Target] = targets(brief, self.labels)
        self.ref_bookmarks: dict[str, tuple[str, str]] = {}

    def record(self) -> pull_record.Record:
        """What ``briefgen pull`` needs to map the file back to the brief."""
        styles = {name: self.style[name] for name in REQUIRED_STYLES}
        return pull_record.Record(
            self.units, styles, self.note_bookmarks, self.note_numbers, self.citation_bookmarks,
            ref_bookmarks=self.ref_bookmarks,
        )

    def _mark(
        self,
        paragraph: BaseOxmlElement,
        kind: str,
        path: tuple,
        *,
        block: tuple | None = None,
        rich: RichText | None = None,
        text: str | None = None,
        term: RichText | None = None,
        prefix: str = "",
        level: int = 0,
    ) -> None:
        """Put a hidden, empty bookmark at the start of ``paragraph`` and
        record which part of the brief it holds (see :mod:`briefgen.pull.record`)."""
        self.bookmarks += 1
        unit_id = len(self.units) + 1
        name = f"{pull_record.BOOKMARK_PREFIX}{unit_id}"
        ppr = paragraph.find(qn("w:pPr"))
        start = ooxml.bookmark_start(self.bookmarks, name)
        if ppr is not None:
            ppr.addnext(start)
        else:
            paragraph.insert(0, start)
        start.addnext(ooxml.bookmark_end(self.bookmarks))
        if kind == "fixed" and text is None:
            text = "".join(t.text or "" for t in paragraph.iter(qn("w:t")))
        spans = (
            pull_spans.spans_of(rich)
            if rich is not None
            else pull_spans.plain_spans(text or "")
        )
        self.units.append(
            pull_record.Unit(
                unit_id,
                kind,
                path,
                block,
                spans,
                pull_spans.spans_of(term) if term is not None else (),
                prefix,
                level,
            )
        )

    # -- document --------------------------------------------------------

    def write(self) -> None:
        self._clear_body()
        self._settings()
        self._language()
        self._page_furniture()
        self._cover()
        if self.brief.show_contents:
            self._contents()
        for index, section in enumerate(self.brief.sections):
            self._section(section, ("sections", index))
        if self.brief.conclusion:
            words = self.labels["conclusion"]
            self._fixed(self._heading(words, 1), words)
            self._blocks(self.brief.conclusion, ("conclusion",))
        for index, section in enumerate(self.brief.appendices):
            self._section(section, ("appendices", index))
        if self.brief.sources:
            self._sources()
        if self.brief.bibliography and self.brief.bibliography.references:
            self._references()
        self._back_matter()
        self._fill_contents()
        self._metadata()

    def _back_matter(self) -> None:
        """About the authors, how to cite, and the disclaimer, after the sources."""
        brief = self.brief
        if brief.about:
            self._fixed(self._heading(self.labels["about"], 1), self.labels["about"], ("furniture", "about"))
            self._blocks(brief.about, ("about",))
        if brief.cite_as:
            self._fixed(self._heading(self.labels["cite_as"], 1), self.labels["cite_as"], ("furniture", "cite_as"))
            paragraph = self._rich(self.document, brief.cite_as, "Body Text")
            if brief.cite_as.source == "auto":  # composed from the brief's settings
                self._mark(paragraph, "fixed", ("cite_as",))
            else:
                self._mark(paragraph, "rich", ("cite_as",), rich=brief.cite_as)
        if brief.disclaimer:
            paragraph = self._rich(self.document, brief.disclaimer, "Block Source")
            self._mark(paragraph, "rich", ("disclaimer",), rich=brief.disclaimer)

    def _clear_body(self) -> None:
        body = self.document.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)

    # -- body ----------------------------------------------------------------

    def _section(self, section: Section, path: tuple) -> None:
        if section.appendix:
            self._appendix_heading(section, path)
            self._blocks(section.body, (*path, "body"))
            for index, sub in enumerate(section.sections):
                self._section(sub, (*path, "sections", index))
            return
        heading = self._heading(section.title, min(section.level, 3))
        if self.brief.section_numbers:
            # real Word numbering, so that sections an editor adds are numbered too
            ooxml.set_numbering(heading, self._heading_numbering(), min(section.level, 3) - 1)
        name = _bookmark_name(section.id)
        if name:
            self._wrap_in_bookmark(heading, name)
        self._mark(heading, "plain", (*path, "title"), text=section.title)
        self._blocks(section.body, (*path, "body"))
        for index, sub in enumerate(section.sections):
            self._section(sub, (*path, "sections", index))

    def _appendix_heading(self, section: Section, path: tuple) -> None:
        """ "Appendix A: Title" as a Heading 1; the bookmark holds "Appendix A",
        the label a cross-reference shows."""
        label = f"{self.labels['appendix']} {section.appendix}"
        heading = self._styled(self.document, "Heading 1")
        self.bookmarks += 1
        heading.append(ooxml.bookmark_start(self.bookmarks, _bookmark_name(section.id)))
        heading.append(ooxml.new_run(label))
        heading.append(ooxml.bookmark_end(self.bookmarks))
        heading.append(ooxml.new_run(f": {section.title}"))
        self._mark(heading, "plain", (*path, "title"), text=section.title, prefix=f"{label}: ")

    def _heading_numbering(self) -> int:
        if self.heading_num_id is None:
            abstract_id = ooxml.add_abstract_numbering(self.numbering, "headings")
            self.heading_num_id = ooxml.add_numbering_instance(self.numbering, abstract_id)
        return self.heading_num_id

    def _heading(self, title: str, level: int) -> BaseOxmlElement:
        return self._plain(self.document, title, f"Heading {level}")

    def _fixed(self, paragraph: BaseOxmlElement, text: str, path: tuple = ()) -> None:
        """Mark a paragraph the writer makes up (not text from the brief)."""
        self._mark(paragraph, "fixed", path or ("furniture", text), text=text)

    def _sources(self) -> None:
        """The sources as a numbered list, numbered as in the PDF."""
        self._fixed(self._heading(self.labels["sources"], 1), self.labels["sources"])
        _, abstract_id = self._list_definition("Source", "numbered")
        num_id = ooxml.add_numbering_instance(self.numbering, abstract_id, restart_levels=1)
        for index, source in enumerate(self.brief.sources):
            paragraph = self._styled(self.document, "Source")
            ooxml.set_numbering(paragraph, num_id, 0)
            paragraph.append(ooxml.new_run(_sentence(source.title)))
            rest = ", ".join(part for part in (source.publisher, source.date) if part)
            if rest:
                paragraph.append(ooxml.new_run(" " + _sentence(rest)))
            if source.url:
                paragraph.append(ooxml.new_run(" "))
                link = ooxml.new_hyperlink(self.part, source.url)
                link.append(ooxml.new_run(source.url, style_id=self.style["Hyperlink"]))
                paragraph.append(link)
                paragraph.append(ooxml.new_run("."))
            if source.note:
                paragraph.append(ooxml.new_run(" "))
                self._inlines(paragraph, source.note.inlines)
            self._mark(paragraph, "fixed", ("sources", index))

    def _references(self) -> None:
        """The works cited, as the citation style formats them (Bibliography style)."""
        assert self.brief.bibliography is not None
        words = self.labels["references"]
        self._fixed(self._heading(words, 1), words)
        for index, entry in enumerate(self.brief.bibliography.references):
            paragraph = self._rich(self.document, entry, "Bibliography")
            self._mark(paragraph, "fixed", ("references", index))

    # -- helpers ----------------------------------------------------------------

    def _wrap_in_bookmark(self, paragraph: BaseOxmlElement, name: str) -> None:
        self.bookmarks += 1
        runs = paragraph.findall(qn("w:r"))
        if not runs:
            return
        runs[0].addprevious(ooxml.bookmark_start(self.bookmarks, name))
        runs[-1].addnext(ooxml.bookmark_end(self.bookmarks))


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else f"{text}."
