"""The document model: what a brief *is*, independent of any output format.

The reader (:mod:`briefgen.read`) builds it from YAML; every writer turns it
into one format.  Nodes are frozen dataclasses so that a writer can never
change what another writer sees, and every node keeps the position of the
YAML it came from so that later stages (lint, pull) can point at the source.
"""

from __future__ import annotations

from collections.abc import Mapping

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Literal, Union


@dataclass(frozen=True, slots=True)
class Pos:
    """A 1-based line and column in the brief's YAML file."""

    line: int = 0
    column: int = 0


NOWHERE = Pos()


# --------------------------------------------------------------------------
# Inline content (rich text)
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Text:
    """Literal text. Writers escape it for their format; it is never markup."""

    text: str


@dataclass(frozen=True, slots=True)
class Strong:
    children: tuple["Inline", ...]


@dataclass(frozen=True, slots=True)
class Emph:
    children: tuple["Inline", ...]


@dataclass(frozen=True, slots=True)
class Link:
    """A hyperlink; ``url`` is already checked to be http, https or mailto."""

    url: str
    children: tuple["Inline", ...]


@dataclass(frozen=True, slots=True)
class FootnoteRef:
    """A reference to ``Brief.footnotes[id]``.

    ``number`` is the note's number in reading order.  ``first`` is true for
    the first reference to a note: that one carries the note itself (a PDF
    footnote, a Word footnote); later ones only point back to it.
    """

    id: str
    number: int
    first: bool


@dataclass(frozen=True, slots=True)
class Sub:
    """Subscript (``~2~`` in CO~2~)."""

    children: tuple["Inline", ...]


@dataclass(frozen=True, slots=True)
class Sup:
    """Superscript (``^6^`` in 10^6^)."""

    children: tuple["Inline", ...]


@dataclass(frozen=True, slots=True)
class CrossRef:
    """A cross-reference to a section, appendix, figure, chart or table.

    ``[#id]`` has no ``children``: it shows ``label``, the target's own
    label ("Table 2", "Appendix A"), which the reader fills in once every
    target is numbered.  ``[words](#id)`` shows its words.  ``offset`` is
    where the reference starts in the rich-text source (for error positions).
    """

    id: str
    children: tuple["Inline", ...] = ()
    label: str = ""
    offset: int = 0

    @property
    def shows_label(self) -> bool:
        return not self.children


@dataclass(frozen=True, slots=True)
class CiteItem:
    """One work in a citation: ``@key`` with what the author wrote around it.

    ``suffix`` holds the locator as written (``", p. 12"``); the CSL
    processor reads the locator out of it, as Pandoc does.
    """

    key: str
    prefix: str = ""
    suffix: str = ""
    pos: Pos = NOWHERE


@dataclass(frozen=True, slots=True)
class Citation:
    """``[@key]``, ``[@key, p. 12]`` or ``[@a; @b]`` in rich text.

    ``index`` is the citation's place in reading order: the formatted text
    is ``Brief.citations[index]``.  ``note`` is the footnote number when the
    style is a note style (the citation is a footnote), else 0.  ``source``
    is the text as written, which pull brings back unchanged.
    """

    index: int
    items: tuple[CiteItem, ...]
    source: str
    note: int = 0

    @property
    def note_id(self) -> str:
        """The id of the footnote a note style makes of this citation.

        Author footnote ids never contain a dot, so none collides.
        """
        return f"cite.{self.index}"


Inline = Union[Text, Strong, Emph, Link, FootnoteRef, Citation, Sub, Sup, CrossRef]


@dataclass(frozen=True, slots=True)
class RichText:
    """A run of inline nodes parsed from one YAML string."""

    inlines: tuple[Inline, ...]
    source: str = ""
    pos: Pos = NOWHERE

    def plain(self) -> str:
        """The text a reader sees, without markup or footnote numbers."""
        return "".join(_plain(node) for node in self.inlines)

    def __bool__(self) -> bool:
        return bool(self.inlines)


def _plain(node: Inline) -> str:
    if isinstance(node, Text):
        return node.text
    if isinstance(node, (FootnoteRef, Citation)):
        return ""
    if isinstance(node, CrossRef) and node.shows_label:
        return node.label
    return "".join(_plain(child) for child in node.children)


def iter_inlines(inlines: tuple[Inline, ...]) -> Iterator[Inline]:
    """Every inline node, depth first, in reading order."""
    for node in inlines:
        yield node
        if isinstance(node, (Strong, Emph, Link, Sub, Sup, CrossRef)):
            yield from iter_inlines(node.children)


# --------------------------------------------------------------------------
# Blocks
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: RichText
    pos: Pos = NOWHERE


@dataclass(frozen=True, slots=True)
class ListItem:
    """One item: plain rich text, a ``term – text`` pair, or text with sub-items."""

    text: RichText
    term: RichText | None = None
    items: tuple["ListItem", ...] = ()
    pos: Pos = NOWHERE


ListStyle = Literal["bullet", "numbered"]


@dataclass(frozen=True, slots=True)
class ListBlock:
    items: tuple[ListItem, ...]
    style: ListStyle = "bullet"
    lead: RichText | None = None
    pos: Pos = NOWHERE


Align = Literal["left", "center", "right"]


@dataclass(frozen=True, slots=True)
class Column:
    title: str
    align: Align = "left"
    pos: Pos = NOWHERE
    where: tuple[int | str, ...] = ()  # under a group: (group index, "columns", index)


@dataclass(frozen=True, slots=True)
class ColumnGroup:
    """A heading over the leaf columns ``start`` .. ``start + span - 1``."""

    title: str
    start: int
    span: int
    pos: Pos = NOWHERE
    index: int = 0  # its place in the table's ``columns`` list


@dataclass(frozen=True, slots=True)
class Cell:
    """A table cell. ``numeric`` cells came from YAML numbers; their text is
    the number exactly as written (``1.50`` stays ``1.50``).  A cell covers
    ``colspan`` columns and ``rowspan`` rows; the cells it covers are not in
    the rows.  ``align`` overrides the column's alignment."""

    text: RichText
    numeric: bool = False
    pos: Pos = NOWHERE
    colspan: int = 1
    rowspan: int = 1
    align: Align | None = None

    @property
    def empty(self) -> bool:
        return not self.text


RowKind = Literal["body", "group", "total"]


@dataclass(frozen=True, slots=True)
class Table:
    """A table.  ``columns`` are the leaf columns (one per grid column);
    ``groups`` head runs of them in a second header row above.  ``rows[i]``
    is of kind ``row_kinds[i]`` ("body" when ``row_kinds`` is empty): a
    "group" row is one full-width label cell, a "total" row is set apart."""

    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    caption: RichText | None = None
    source: RichText | None = None
    note: RichText | None = None
    pos: Pos = NOWHERE
    groups: tuple[ColumnGroup, ...] = ()
    row_kinds: tuple[RowKind, ...] = ()
    unit: str | None = None
    notes: tuple[RichText, ...] = ()
    id: str | None = None
    number: int = 0  # "Table N" in reading order; 0 when it has no caption

    def kind_of(self, index: int) -> RowKind:
        return self.row_kinds[index] if index < len(self.row_kinds) else "body"

    @property
    def all_notes(self) -> tuple[RichText, ...]:
        """``note`` (version 1) then ``notes``, in the order they are printed."""
        return ((self.note,) if self.note else ()) + self.notes


@dataclass(frozen=True, slots=True)
class Figure:
    """An image. ``src`` is as written; ``path`` is resolved and known to lie
    inside the brief's folder."""

    src: str
    path: Path
    alt: str
    caption: RichText | None = None
    source: RichText | None = None
    width: float | None = None  # percent of the text width
    pos: Pos = NOWHERE
    id: str | None = None
    number: int = 0  # "Figure N" in reading order; 0 when it has no caption


ChartKind = Literal["bar", "column", "line", "stacked_bar", "stacked_column", "pie"]


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    values: tuple[float, ...]
    pos: Pos = NOWHERE


@dataclass(frozen=True, slots=True)
class Chart:
    kind: ChartKind
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    title: str | None = None
    caption: RichText | None = None
    alt: str | None = None
    unit: str | None = None
    source: RichText | None = None
    pos: Pos = NOWHERE
    width: float | None = None  # percent of the text width
    id: str | None = None
    number: int = 0  # "Figure N" (charts count as figures); 0 without a caption

    def describe(self, labels: Mapping[str, str] | None = None) -> str:
        """Alt text: the author's, or one generated from the data in the
        words of ``labels`` (the brief's language; English without)."""
        if self.alt:
            return self.alt
        words = labels or {}
        what = self.title or (self.caption.plain() if self.caption else words.get("chart", "Chart"))
        names = ", ".join(s.name for s in self.series)
        kind = words.get(f"chart_{self.kind}", self.kind.replace("_", " "))
        pattern = words.get("chart_alt", "{what}: {kind} chart of {series} by {categories}.")
        return pattern.format(what=what, kind=kind, series=names, categories=", ".join(self.categories))


@dataclass(frozen=True, slots=True)
class Quote:
    text: RichText
    attribution: RichText | None = None
    pos: Pos = NOWHERE


CalloutKind = Literal["note", "key", "warning"]


@dataclass(frozen=True, slots=True)
class Callout:
    body: tuple["Block", ...]
    kind: CalloutKind = "note"
    title: str | None = None
    pos: Pos = NOWHERE


@dataclass(frozen=True, slots=True)
class Todo:
    """An editorial placeholder, shown as an "Editor's note" box."""

    text: str
    pos: Pos = NOWHERE


@dataclass(frozen=True, slots=True)
class PageBreak:
    pos: Pos = NOWHERE


Block = Union[Paragraph, ListBlock, Table, Figure, Chart, Quote, Callout, Todo, PageBreak]


# --------------------------------------------------------------------------
# Document structure
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    id: str
    level: int  # 1 for a top-level section, 2 and 3 for subsections
    body: tuple[Block, ...] = ()
    sections: tuple["Section", ...] = ()
    pos: Pos = NOWHERE
    appendix: str = ""  # "A", "B", ... for an appendix's top-level section

    def walk(self) -> Iterator["Section"]:
        """This section and all its subsections, in reading order."""
        yield self
        for sub in self.sections:
            yield from sub.walk()


@dataclass(frozen=True, slots=True)
class KeyFigure:
    value: str
    label: str
    note: RichText | None = None
    pos: Pos = NOWHERE


@dataclass(frozen=True, slots=True)
class Source:
    title: str
    publisher: str | None = None
    url: str | None = None
    date: str | None = None
    note: RichText | None = None
    pos: Pos = NOWHERE


@dataclass(frozen=True, slots=True)
class Author:
    name: str
    affiliation: str | None = None
    role: str | None = None
    email: str | None = None
    pos: Pos = NOWHERE


@dataclass(frozen=True, slots=True)
class Footnote:
    id: str
    number: int  # 0 when the note is never referenced
    text: RichText
    pos: Pos = NOWHERE


@dataclass(frozen=True, slots=True, order=True)
class PartialDate:
    """A date written at month or year precision (``2025-09``, ``2025``).

    Shown at that precision ("September 2025", "2025"); a full date stays a
    :class:`datetime.date`.
    """

    year: int
    month: int | None = None

    def isoformat(self) -> str:
        return f"{self.year:04d}-{self.month:02d}" if self.month else f"{self.year:04d}"

    def first_day(self) -> _dt.date:
        """The first day the date covers, for metadata that needs a full date."""
        return _dt.date(self.year, self.month or 1, 1)


BriefDate = Union[_dt.date, PartialDate]


@dataclass(frozen=True, slots=True)
class Bibliography:
    """The works a brief cites, formatted by its citation style.

    ``citations[i]`` is the formatted text of the citation whose ``index``
    is ``i`` (for a note style: the note's text); ``references`` is the
    list of the works cited, in the style's order, each entry one rich text.
    """

    path: Path
    style: str
    note_style: bool = False
    citations: tuple[tuple[Inline, ...], ...] = ()
    references: tuple[RichText, ...] = ()
    warnings: tuple[tuple[int, str], ...] = ()  # (line in the bibliography file, message)
    style_path: Path | None = None  # the .csl file


Status = Literal["draft", "final"]
ContentsChoice = Literal["auto", "true", "false"]
#: ``contents: auto`` shows the contents only from this many top-level sections.
AUTO_CONTENTS_SECTIONS = 3


@dataclass(frozen=True, slots=True)
class Brief:
    path: Path  # the YAML file
    title: str
    summary: RichText
    sections: tuple[Section, ...]
    subtitle: str | None = None
    date: BriefDate | None = None
    updated: BriefDate | None = None
    version: str | None = None
    status: Status = "final"
    authors: tuple[str, ...] = ()
    organization: str | None = None
    marking: str | None = None
    lang: str = "en"
    keywords: tuple[str, ...] = ()
    key_points: tuple[RichText, ...] = ()
    key_figures: tuple[KeyFigure, ...] = ()
    conclusion: tuple[Block, ...] = ()
    sources: tuple[Source, ...] = ()
    footnotes: tuple[Footnote, ...] = ()  # referenced notes in number order, then unreferenced ones
    # presentation settings; None means "the project's or the default"
    theme: str | None = None
    section_numbers: bool = False
    pdf_variant: str | None = None
    reference_docx: Path | None = None  # resolved, inside the brief's folder
    max_pages: int | None = None
    density: str | None = None  # "normal" or "compact"
    labels: tuple[tuple[str, str], ...] = ()  # overrides of generated words (project's, then brief's)
    bibliography: Bibliography | None = None
    pos: Pos = NOWHERE
    # format 1.1
    summary_blocks: tuple[Block, ...] = ()  # the summary when written as a list of blocks
    author_details: tuple[Author, ...] = ()  # one per name in ``authors``
    contents: ContentsChoice = "auto"
    appendices: tuple[Section, ...] = ()
    about: tuple[Block, ...] = ()
    disclaimer: RichText | None = None
    cite_as: RichText | None = None
    url: str | None = None

    @property
    def show_contents(self) -> bool:
        """Whether the brief gets a contents list (``auto``: from three top-level sections)."""
        if self.contents == "auto":
            return len(self.sections) >= AUTO_CONTENTS_SECTIONS
        return self.contents == "true"

    @property
    def summary_body(self) -> tuple[Block, ...]:
        """The summary as blocks, whichever way it was written."""
        return self.summary_blocks or (Paragraph(self.summary, self.summary.pos),)
    # what the reader accepted but would warn about (an unclosed '**', text it
    # joined); lint reports them with its own warnings (errors.Diagnostic)
    warnings: tuple = field(default=(), compare=False, repr=False)
    # where each top-level key's value starts, for problems found after
    # reading (an unknown theme, a reference document that does not open)
    places: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def name(self) -> str:
        """The output base name: ``content/NAME.yaml`` -> ``NAME``."""
        return self.path.stem

    @property
    def folder(self) -> Path:
        return self.path.parent

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"

    def footnote(self, note_id: str) -> Footnote:
        for note in self.footnotes:
            if note.id == note_id:
                return note
        raise KeyError(note_id)

    def citation_text(self, citation: Citation) -> tuple[Inline, ...]:
        """The formatted text of ``citation``; its source when nothing formatted it."""
        bib = self.bibliography
        if bib is not None and citation.index < len(bib.citations):
            return bib.citations[citation.index]
        return (Text(citation.source),)

    def walk_sections(self) -> Iterator[Section]:
        for section in self.sections:
            yield from section.walk()

    def walk_appendices(self) -> Iterator[Section]:
        for section in self.appendices:
            yield from section.walk()

    def walk_blocks(self) -> Iterator["Block"]:
        """Every block in reading order, the blocks inside callouts included."""

        def walk(blocks: tuple[Block, ...]) -> Iterator[Block]:
            for block in blocks:
                yield block
                if isinstance(block, Callout):
                    yield from walk(block.body)

        yield from walk(self.summary_blocks)
        for section in self.walk_sections():
            yield from walk(section.body)
        yield from walk(self.conclusion)
        for section in self.walk_appendices():
            yield from walk(section.body)
        yield from walk(self.about)


SHORT_TITLE_LENGTH = 60


def short_title(title: str, limit: int = SHORT_TITLE_LENGTH) -> str:
    """The title for running headers: whole when short, else cut at a word."""
    title = " ".join(title.split())
    if len(title) <= limit:
        return title
    for separator in (": ", " – ", " — "):
        head = title.split(separator, 1)[0]
        if 0 < len(head) <= limit and head != title:
            return head
    cut = title[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:–—-")
    return f"{cut}…"
