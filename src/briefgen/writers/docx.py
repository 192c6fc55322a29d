"""The Word writer: the document model as an editable ``.docx``.

The file is built with python-docx over a reference document
(``templates/reference.docx``) that holds every style used here.  The
writer applies styles only, so an editor restyles the whole brief by
changing a style, and Word's own machinery is used wherever Word has one:
real footnotes, real list numbering, a contents field, page fields and
hyperlinks.  Raw XML for those lives in :mod:`briefgen.writers.ooxml`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.image.image import Image
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Emu

from ..pull import record as pull_record
from ..pull import spans as pull_spans
from ..images import picture_for_word
from ..labels import labels_for, page_pattern_parts
from ..resources import Templates
from ..locales import format_date, is_rtl
from ..model import (
    Block,
    Brief,
    Callout,
    Chart,
    Citation,
    CrossRef,
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
    Sub,
    Sup,
    Table,
    Text,
    Todo,
    short_title,
)
from ..numbering import Target, targets
from . import docx_front, docx_rtl, ooxml
from .docx_tables import TablesMixin, twips

PARAGRAPH = WD_STYLE_TYPE.PARAGRAPH
CHARACTER = WD_STYLE_TYPE.CHARACTER
TABLE = WD_STYLE_TYPE.TABLE

#: Every style the writer uses, by the name Word shows, with its kind.  A
#: reference document must define all of them.
REQUIRED_STYLES: dict[str, WD_STYLE_TYPE] = {
    "Normal": PARAGRAPH,
    "Body Text": PARAGRAPH,
    "Title": PARAGRAPH,
    "Subtitle": PARAGRAPH,
    "Heading 1": PARAGRAPH,
    "Heading 2": PARAGRAPH,
    "Heading 3": PARAGRAPH,
    "List Bullet": PARAGRAPH,
    "List Bullet 2": PARAGRAPH,
    "List Number": PARAGRAPH,
    "List Number 2": PARAGRAPH,
    "Quote": PARAGRAPH,
    "Quote Attribution": PARAGRAPH,
    "Caption": PARAGRAPH,
    "Figure": PARAGRAPH,
    "Table Heading": PARAGRAPH,
    "Table Heading Center": PARAGRAPH,
    "Table Heading Right": PARAGRAPH,
    "Table Text": PARAGRAPH,
    "Table Text Center": PARAGRAPH,
    "Table Text Right": PARAGRAPH,
    "Brief Table": TABLE,
    "Key Figures Table": TABLE,
    "Footnote Text": PARAGRAPH,
    "Footnote Reference": CHARACTER,
    "TOC Heading": PARAGRAPH,
    "TOC 1": PARAGRAPH,
    "TOC 2": PARAGRAPH,
    "TOC 3": PARAGRAPH,
    "Hyperlink": CHARACTER,
    "Header": PARAGRAPH,
    "Footer": PARAGRAPH,
    "Marking": PARAGRAPH,
    "Draft Mark": PARAGRAPH,
    "Cover Meta": PARAGRAPH,
    "Summary Heading": PARAGRAPH,
    "Summary": PARAGRAPH,
    "Key Takeaways Heading": PARAGRAPH,
    "Key Takeaway": PARAGRAPH,
    "Key Figure Value": PARAGRAPH,
    "Key Figure Label": PARAGRAPH,
    "Key Figure Note": PARAGRAPH,
    "Callout Title": PARAGRAPH,
    "Callout Text": PARAGRAPH,
    "Callout List Bullet": PARAGRAPH,
    "Callout List Number": PARAGRAPH,
    "Block Source": PARAGRAPH,
    "Editor Note": PARAGRAPH,
    "Source": PARAGRAPH,
}

#: A citation's content control is tagged with this and the citation as
#: written (``[@key, p. 12]``), so that pull can bring it back unchanged.
CITATION_TAG = "briefgen:"

#: Styles a reference document may lack (older house documents), with the
#: required style used in their place.
OPTIONAL_STYLES: dict[str, tuple[WD_STYLE_TYPE, str]] = {
    "Bibliography": (PARAGRAPH, "Source"),
}

#: Word's own names for its built-in styles, as written in ``styles.xml``.
#: Word recognises a built-in style by this name; when a reference saved by
#: another program holds two styles that differ only in case (LibreOffice
#: adds its own "Caption" next to Word's "caption"), this one wins.
WORD_BUILTIN_NAMES: dict[str, str] = {
    "Heading 1": "heading 1",
    "Heading 2": "heading 2",
    "Heading 3": "heading 3",
    "Caption": "caption",
    "Footnote Text": "footnote text",
    "Footnote Reference": "footnote reference",
    "TOC 1": "toc 1",
    "TOC 2": "toc 2",
    "TOC 3": "toc 3",
    "Header": "header",
    "Footer": "footer",
}
CONTENTS_PLACEHOLDER = (
    "The table of contents appears here when Word updates fields: "
    "answer Yes when Word asks, or right-click here and choose Update Field."
)
#: List paragraph styles by (list kind, inside a callout), for levels 0 and 1.
LIST_STYLES: dict[tuple[str, bool], tuple[str, str]] = {
    ("bullet", False): ("List Bullet", "List Bullet 2"),
    ("numbered", False): ("List Number", "List Number 2"),
    ("bullet", True): ("Callout List Bullet", "Callout List Bullet"),
    ("numbered", True): ("Callout List Number", "Callout List Number"),
}
EAST_ASIAN_LANGUAGES = ("zh", "ja", "ko")
#: Word keys spell-checking dictionaries by language *and* region; a bare
#: language tag from a brief gets the region Word itself would pick.
DEFAULT_REGIONS = {
    "ar": "ar-SA",
    "fa": "fa-IR",
    "he": "he-IL",
    "ur": "ur-PK",
    "de": "de-DE",
    "en": "en-US",
    "es": "es-ES",
    "fr": "fr-FR",
    "it": "it-IT",
    "ja": "ja-JP",
    "ko": "ko-KR",
    "nl": "nl-NL",
    "pl": "pl-PL",
    "pt": "pt-BR",
    "ru": "ru-RU",
    "zh": "zh-CN",
}
#: The Noto CJK face that draws a language's own glyph forms; the reference
#: document uses the Simplified Chinese one ("SC").
CJK_VARIANTS = {"ja": "JP", "ko": "KR", "zh-tw": "TC", "zh-hant": "TC", "zh-hk": "HK"}
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
#: A figure never takes more than this share of the text height.
MAX_FIGURE_HEIGHT = 0.6
EMU_PER_INCH = 914400


def render_docx(brief: Brief, *, reference: Path, templates: "Path | Templates | None" = None) -> bytes:
    """The brief as a .docx file's bytes, styled by the reference document.

    ``templates`` is the project's templates folder, whose label catalogs
    win over the packaged ones.
    """
    document = docx.Document(str(reference))
    styles = resolve_styles(document, reference)
    writer = _DocxWriter(brief, document, styles, labels_for(brief.lang, dict(brief.labels), templates))
    writer.write()
    if is_rtl(brief.lang):
        docx_rtl.mirror(document, brief.lang)
    _add_pull_record(document, brief, writer.record())
    buffer = io.BytesIO()
    document.save(buffer)
    return normalize_zip(buffer.getvalue(), _zip_time(brief))


def _add_pull_record(
    document: Document, brief: Brief, record: pull_record.Record
) -> None:
    """Custom properties naming the brief, and the record of every marked
    paragraph in a custom XML part, for ``briefgen pull``.

    Both stay byte-identical for the same input: the brief's path is
    written relative to the working directory (or as a bare file name).
    """
    package = document.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT.CUSTOM_PROPERTIES:  # the reference's own: replaced
            del package.rels[rel_id]
    for rel_id, rel in list(document.part.rels.items()):
        if (
            rel.reltype == RT.CUSTOM_XML
            and not rel.is_external
            and pull_record.RECORD_NAMESPACE.encode() in rel.target_part.blob
        ):
            del document.part.rels[rel_id]
    source, digest, base = source_identity(brief.path)
    record.base = base
    custom = Part(
        PackURI("/docProps/custom.xml"),
        CT.OFC_CUSTOM_PROPERTIES,
        pull_record.custom_properties_xml(source, brief.name, digest),
        package,
    )
    package.relate_to(custom, RT.CUSTOM_PROPERTIES)
    item = Part(
        package.next_partname("/customXml/item%d.xml"),
        "application/xml",
        record.to_xml(),
        package,
    )
    document.part.relate_to(item, RT.CUSTOM_XML)
    props = Part(
        package.next_partname("/customXml/itemProps%d.xml"),
        CT.OFC_CUSTOM_XML_PROPERTIES,
        pull_record.record_props_xml(),
        package,
    )
    item.relate_to(props, RT.CUSTOM_XML_PROPS)


def source_identity(path: Path) -> tuple[str, str, str | None]:
    """The brief's path as recorded in the file, the SHA-256 of its bytes,
    and its text (the base of a later three-way pull).

    The path is relative to the working directory when the brief lies under
    it (``content/NAME.yaml``), else only the file name: never absolute.
    """
    try:
        data = path.read_bytes()
    except OSError:
        data = None
    digest = hashlib.sha256(data).hexdigest() if data is not None else ""
    try:
        base = data.decode("utf-8") if data is not None else None
    except UnicodeDecodeError:
        base = None
    try:
        shown = path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        shown = path.name
    return shown, digest, base


def resolve_styles(
    document: Document, reference: Path | str = "reference document"
) -> dict[str, str]:
    """Map each required style name to its style id, looking every style up
    once; raise ValueError naming the styles the reference lacks."""
    found: dict[str, list[tuple[str, str, WD_STYLE_TYPE]]] = {}
    for style in document.styles:
        raw_name = style.element.name_val or ""
        found.setdefault(style.name.casefold(), []).append(
            (raw_name, style.style_id, style.type)
        )
    ids: dict[str, str] = {}
    missing: list[str] = []
    for name, kind in REQUIRED_STYLES.items():
        candidates = [c for c in found.get(name.casefold(), ()) if c[2] == kind]
        if not candidates:
            missing.append(name)
            continue
        builtin = WORD_BUILTIN_NAMES.get(name)
        preferred = [c for c in candidates if c[0] == builtin]
        ids[name] = (preferred or candidates)[0][1]
    if missing:
        raise ValueError(
            f"{reference} lacks styles the Word writer needs: {', '.join(missing)}"
        )
    for name, (kind, fallback) in OPTIONAL_STYLES.items():
        candidates = [c for c in found.get(name.casefold(), ()) if c[2] == kind]
        ids[name] = candidates[0][1] if candidates else ids[fallback]
    return ids


def normalize_zip(
    data: bytes, when: tuple[int, int, int, int, int, int] = ZIP_EPOCH
) -> bytes:
    """Rewrite a zip with fixed timestamps and attributes, so that the same
    content always gives the same bytes (python-docx stamps the current time)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w") as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=when)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            entry.create_system = 3
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def _zip_time(brief: Brief) -> tuple[int, int, int, int, int, int]:
    day = brief.updated or brief.date
    first = getattr(day, "first_day", None)
    day = first() if first is not None else day
    if day is None or day.year < 1980:
        return ZIP_EPOCH
    return (day.year, day.month, day.day, 0, 0, 0)


def word_language(lang: str) -> str:
    """A brief's BCP-47 tag as Word wants it: with a region (``en`` -> ``en-US``)."""
    if "-" in lang:
        return lang
    return DEFAULT_REGIONS.get(lang.lower(), lang)


def cjk_variant(lang: str) -> str:
    """The Noto CJK region suffix ("SC", "TC", "HK", "JP", "KR") for ``lang``."""
    tag = lang.lower()
    for prefix, variant in CJK_VARIANTS.items():
        if tag == prefix or tag.startswith(prefix + "-"):
            return variant
    return "SC"


@dataclass
class _Footnotes:
    """The footnotes part, created when the first note is referenced."""

    part: Part
    written: dict[str, str] = field(default_factory=dict)  # note id -> bookmark


class _DocxWriter(TablesMixin):
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

    def _settings(self) -> None:
        settings = self.document.settings.element
        ooxml.request_field_update(settings)

    def _language(self) -> None:
        """Spell-checking language, and CJK glyph forms for the language.

        Word checks each run in the language its script calls for: ``w:val``
        for Latin text, ``w:eastAsia`` for CJK text.  A Japanese, Korean or
        traditional Chinese brief also gets the Noto CJK face of its region
        wherever the reference names the Simplified Chinese one.
        """
        lang = word_language(self.brief.lang)
        primary = lang.split("-")[0].lower()
        east_asian = lang if primary in EAST_ASIAN_LANGUAGES else "zh-CN"
        complex_script = lang if is_rtl(lang) else "ar-SA"
        styles = self.document.styles.element
        ooxml.set_language(ooxml.doc_defaults_rpr(styles), lang, east_asian, complex_script)
        variant = cjk_variant(lang)
        if variant != "SC":
            ooxml.replace_east_asian_font(styles, "CJK SC", f"CJK {variant}")

    def _metadata(self) -> None:
        brief = self.brief
        props = self.document.core_properties
        props.title = _fit(brief.title)
        props.subject = _fit(brief.subtitle or "")
        props.author = docx_front.fit_names(brief.authors)
        props.keywords = _fit(", ".join(brief.keywords))
        props.comments = _fit(brief.summary.plain())
        props.category = ""
        props.content_status = brief.status
        props.version = _fit(brief.version or "")
        props.language = brief.lang
        props.identifier = _fit(brief.name)
        props.last_modified_by = _fit(brief.organization or "")
        props.revision = 1
        created = docx_front.build_time(brief.date)
        modified = docx_front.build_time(brief.updated) if brief.updated else created
        for name, value in (("created", created), ("modified", modified)):
            if value is None:  # no date known: none written, never a placeholder
                docx_front.drop_core_date(props._element, name)
            else:
                setattr(props, name, value)

    # -- header and footer -------------------------------------------------

    def _page_furniture(self) -> None:
        """Header and footer; the first page has its own, without the title.

        The marking and the DRAFT mark are on every page, the first included;
        the running title is left off the first page, where the title block
        stands.
        """
        section = self.document.sections[0]
        section.different_first_page_header_footer = True
        for header, running_title in (
            (section.header, True),
            (section.first_page_header, False),
        ):
            self._header(header, running_title=running_title)
        for footer in (section.footer, section.first_page_footer):
            self._footer(footer)

    def _header(self, header, *, running_title: bool) -> None:
        brief = self.brief
        header.is_linked_to_previous = False
        _clear(header._element)
        if brief.marking:
            self._plain(header, brief.marking, "Marking")
        if brief.is_draft:
            self._plain(header, self.labels["draft"].upper(), "Draft Mark")
        if running_title:
            self._plain(header, short_title(brief.title), "Header")
        elif not (brief.marking or brief.is_draft):
            self._styled(header, "Header")  # a story needs one paragraph

    def _footer(self, footer) -> None:
        brief = self.brief
        footer.is_linked_to_previous = False
        _clear(footer._element)
        line = self._styled(footer, "Footer")
        if brief.organization:
            line.append(ooxml.new_run(brief.organization))
        line.append(ooxml.new_run("\t\t"))
        for literal, field_name in page_pattern_parts(self.labels["page"]):
            if literal:
                line.append(ooxml.new_run(literal))
            if field_name:
                line.extend(ooxml.field_runs("PAGE" if field_name == "page" else "NUMPAGES", "1"))
        if brief.marking:
            self._plain(footer, brief.marking, "Marking")

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
            entries.append(docx_front.ContentsEntry(level, text))
        if not entries:
            anchor.extend(
                ooxml.field_runs(docx_front.TOC_INSTRUCTION, self.labels["update_contents"], dirty=True)
            )
            return
        paragraphs = [anchor] + [self._styled(self.document, f"TOC {entry.level}") for entry in entries[1:]]
        for previous, paragraph in zip(paragraphs, paragraphs[1:]):
            previous.addnext(paragraph)  # _styled appends at the end of the body: move it here
        ooxml.set_paragraph_style(anchor, self.style[f"TOC {entries[0].level}"])
        docx_front.contents_field(paragraphs, entries)

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
        from .. import charts

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

    # -- paragraphs and rich text -------------------------------------------

    def _styled(self, container, style: str) -> BaseOxmlElement:
        """A new paragraph (``w:p``) in ``container`` with the style ``style``."""
        paragraph = container.add_paragraph()._p
        ooxml.set_paragraph_style(paragraph, self.style[style])
        return paragraph

    def _plain(self, container, text: str, style: str) -> BaseOxmlElement:
        paragraph = self._styled(container, style)
        paragraph.append(ooxml.new_run(text))
        return paragraph

    def _rich(self, container, text: RichText, style: str) -> BaseOxmlElement:
        paragraph = self._styled(container, style)
        self._inlines(paragraph, text.inlines)
        return paragraph

    def _plain_in_cell(
        self, tc: BaseOxmlElement, text: str, style: str
    ) -> BaseOxmlElement:
        paragraph = tc.add_p()
        ooxml.set_paragraph_style(paragraph, self.style[style])
        paragraph.append(ooxml.new_run(text))
        return paragraph

    def _inlines(
        self,
        sink: BaseOxmlElement,
        inlines: Iterable[Inline],
        *,
        part: Part | None = None,
        bold: bool = False,
        italic: bool = False,
        link: bool = False,
        script: str | None = None,
    ) -> None:
        """Append runs for ``inlines`` to a paragraph or hyperlink element."""
        part = part or self.part
        link_style = self.style["Hyperlink"] if link else None
        look = dict(part=part, bold=bold, italic=italic, link=link, script=script)
        previous: Inline | None = None
        for node in inlines:
            if isinstance(node, FootnoteRef) and isinstance(previous, FootnoteRef):
                sink.append(
                    ooxml.new_run(",", style_id=self.style["Footnote Reference"])
                )
            previous = node
            if isinstance(node, Text):
                run = ooxml.new_run(
                    node.text, style_id=link_style, bold=bold, italic=italic
                )
                if script:
                    ooxml.set_run_vertical_align(run, script)
                sink.append(run)
            elif isinstance(node, (Sub, Sup)):
                where = "subscript" if isinstance(node, Sub) else "superscript"
                self._inlines(sink, node.children, **{**look, "script": where})
            elif isinstance(node, CrossRef):
                self._cross_ref(sink, node, look)
            elif isinstance(node, Strong):
                self._inlines(sink, node.children, **{**look, "bold": True})
            elif isinstance(node, Emph):
                self._inlines(sink, node.children, **{**look, "italic": True})
            elif isinstance(node, Link):
                hyperlink = ooxml.new_hyperlink(part, node.url)
                sink.append(hyperlink)
                self._inlines(hyperlink, node.children, **{**look, "link": True})
            elif isinstance(node, FootnoteRef):
                sink.extend(self._note_call(node, in_body=part is self.part))
            elif isinstance(node, Citation):
                self._citation(sink, node, part=part, bold=bold, italic=italic)

    def _citation(
        self, sink: BaseOxmlElement, node: Citation, *, part: Part, bold: bool, italic: bool
    ) -> None:
        """A citation: a footnote for a note style, else its formatted text in a
        content control tagged with the citation as written, for pull."""
        content = ooxml.inline_content_control(sink, tag=CITATION_TAG + node.source, title="Citation")
        # a bookmark too: LibreOffice keeps bookmarks but drops a control's tag
        self.bookmarks += 1
        name = f"{pull_record.CITATION_BOOKMARK_PREFIX}{node.index}"
        self.citation_bookmarks[name] = node.source
        content.append(ooxml.bookmark_start(self.bookmarks, name))
        if node.note:
            ref = FootnoteRef(node.note_id, node.note, True)
            content.extend(self._note_call(ref, in_body=part is self.part))
        else:
            self._inlines(content, self.brief.citation_text(node), part=part, bold=bold, italic=italic)
        content.append(ooxml.bookmark_end(self.bookmarks))

    def _cross_ref(self, sink: BaseOxmlElement, ref: CrossRef, look: dict) -> None:
        """``[#id]``: a REF field to the target's bookmark showing its label;
        ``[words](#id)``: the words as a link to the bookmark."""
        bookmark = self._target_bookmark(ref.id)
        self.ref_bookmarks.setdefault(bookmark, (ref.id, ""))
        if ref.children:
            link = ooxml.element("w:hyperlink", {"w:anchor": bookmark, "w:history": "1"})
            sink.append(link)
            self._inlines(link, ref.children, **look)
            return
        target = self.targets.get(ref.id)
        if target is not None and target.kind == "section" and self.brief.section_numbers:
            word = self.labels["section"]
            self.ref_bookmarks[bookmark] = (ref.id, f"{word} ")
            sink.append(ooxml.new_run(f"{word} ", bold=look["bold"], italic=look["italic"]))
            number = ref.label[len(word) + 1 :] if ref.label.startswith(word + " ") else ref.label
            sink.extend(ooxml.field_runs(f"REF {bookmark} \\r \\h", number))
            return
        sink.extend(ooxml.field_runs(f"REF {bookmark} \\h", ref.label))

    def _target_bookmark(self, target_id: str) -> str:
        """The bookmark a cross-reference to ``target_id`` points at."""
        return _bookmark_name(target_id)

    # -- footnotes -----------------------------------------------------------

    def _note_call(self, ref: FootnoteRef, *, in_body: bool) -> list[BaseOxmlElement]:
        """The runs for a footnote reference.

        The first reference in the document carries a real Word footnote
        inside a bookmark; later ones are NOTEREF fields to that bookmark, so
        the note is not repeated and the number follows Word's numbering.
        """
        style_id = self.style["Footnote Reference"]
        notes = self._footnotes()
        if not in_body:
            return [ooxml.new_run(str(ref.number), style_id=style_id)]
        bookmark = notes.written.get(ref.id)
        if bookmark is not None:
            return ooxml.field_runs(
                f"NOTEREF {bookmark} \\f \\h", str(ref.number), style_id=style_id
            )
        bookmark = f"_RefNote{ref.number}"
        notes.written[ref.id] = bookmark
        self.note_bookmarks[bookmark] = ref.id
        self.note_numbers[str(ref.number)] = ref.id
        self._write_note(ref)
        self.bookmarks += 1
        return [
            ooxml.bookmark_start(self.bookmarks, bookmark),
            ooxml.footnote_reference_run(ref.number, style_id),
            ooxml.bookmark_end(self.bookmarks),
        ]

    def _footnotes(self) -> _Footnotes:
        if self.footnotes is None:
            self.footnotes = _Footnotes(ooxml.new_footnotes_part(self.part))
            ooxml.declare_footnote_separators(self.document.settings.element)
        return self.footnotes

    def _write_note(self, ref: FootnoteRef) -> None:
        notes = self._footnotes()
        note = ooxml.add_footnote(notes.part.element, ref.number)
        paragraph = ooxml.element("w:p")
        note.append(paragraph)
        ooxml.set_paragraph_style(paragraph, self.style["Footnote Text"])
        paragraph.append(ooxml.footnote_mark_run(self.style["Footnote Reference"]))
        paragraph.append(ooxml.new_run(" "))
        try:
            text = self.brief.footnote(ref.id).text
        except KeyError:
            return
        self._inlines(paragraph, text.inlines, part=notes.part)
        # a note-style citation's note is the style's text, not the brief's: fixed
        kind = "fixed" if ref.id.startswith("cite.") else "rich"
        self._mark(paragraph, kind, ("footnotes", ref.id), rich=text)

    # -- helpers ----------------------------------------------------------------

    def _wrap_in_bookmark(self, paragraph: BaseOxmlElement, name: str) -> None:
        self.bookmarks += 1
        runs = paragraph.findall(qn("w:r"))
        if not runs:
            return
        runs[0].addprevious(ooxml.bookmark_start(self.bookmarks, name))
        runs[-1].addnext(ooxml.bookmark_end(self.bookmarks))


def _clear(story: BaseOxmlElement) -> None:
    for child in list(story):
        story.remove(child)


def _fit(text: str, limit: int = 255) -> str:
    """Text shortened to the length Office allows in a core property."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else f"{text}."


def _bookmark_name(section_id: str) -> str:
    """A Word bookmark name for a section id: a letter first, no hyphens, 40 chars."""
    name = "".join(c if c.isalnum() else "_" for c in section_id)
    if not name or not name[0].isalpha():
        name = f"s_{name}"
    return name[:40]
