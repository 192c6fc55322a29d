"""The PDF writer: print HTML laid out by WeasyPrint.

The HTML comes from the HTML writer with everything inlined, so the
renderer is given a URL fetcher that serves ``data:`` URLs only.  Nothing
in a brief can make it read a file or reach the network, whatever the
content or an embedded SVG asks for.

Every PDF is tagged and declares PDF/UA-1.  The archival variant
``pdf/a-3u`` is the same tagged document declared PDF/A-3u as well: the
two standards are compatible, and an archive copy should stay readable by
assistive technology.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Callable

import pydyf

from ..native import import_quickly

import_quickly("weasyprint")  # first, with the quick library lookup

from weasyprint import CSS, HTML, Document  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402
from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402

from . import pdf_lines, pdf_pages, pdf_relayout, pdf_tags  # noqa: E402
from .pdf_contents import CONTENTS_CLASS, COUNTED_CLASS, Unfillable, fill_contents  # noqa: E402
from .pdf_relayout import CannotKeep, KeptLayout  # noqa: E402
from .pdf_styles import take_stylesheets  # noqa: E402

#: Layouts tried before the last one is kept as it is.
MAX_LAYOUT_PASSES = 6

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9.+-]*):")


#: The PDF variants a brief may ask for; the first is the default.
VARIANTS: tuple[str, ...] = ("pdf/ua-1", "pdf/a-3u")

DEFAULT_VARIANT = VARIANTS[0]

_PDFUA_ID = "http://www.aiim.org/pdfua/ns/id/"

#: PDF/A accepts XMP properties outside its own schemas only when the file
#: describes them; this describes ``pdfuaid:part``.
_PDFUA_EXTENSION_SCHEMA = f"""<rdf:Description rdf:about=""
 xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
 xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
 xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>{_PDFUA_ID}</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name>
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>Part of ISO 14289 the file conforms to</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:pdfuaid="{_PDFUA_ID}" pdfuaid:part="1"/>
"""


class RefusedURL(ValueError):
    """A resource outside the document was asked for and refused."""


class DataURLFetcher(URLFetcher):
    """A fetcher that serves ``data:`` URLs and refuses everything else.

    WeasyPrint reports a refused resource as a warning and renders without
    it.  Redirects are off: only ``data:`` is ever opened, and a data URL
    cannot redirect.
    """

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"data"}, allow_redirects=False)

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        match = _SCHEME.match(url)
        if match is None or match[1].lower() != "data":
            raise RefusedURL(f"refused to fetch {url[:200]!r}: only data: URLs are allowed")
        return super().fetch(url, headers)


def render_pdf(
    html: str,
    *,
    title: str,
    lang: str,
    variant: str | None = None,
    font_config: FontConfiguration | None = None,
    cache: dict[Any, Any] | None = None,
    on_layout: Callable[[Document], None] | None = None,
) -> bytes:
    """Lay out print HTML with WeasyPrint; return the PDF bytes.

    ``title`` and ``lang`` are written to the PDF's metadata whatever the
    HTML says.  ``variant`` is ``"pdf/ua-1"`` (the default: tagged and
    accessible) or ``"pdf/a-3u"`` (archival, and PDF/UA-1 as well).  A
    batch may pass the same ``font_config`` and ``cache`` to every call so
    that fonts and decoded images are shared across briefs.  Dates come
    from the HTML's ``dcterms`` metadata, never from the clock, and the
    file identifier is a hash of the content, so the same brief always
    gives the same bytes.  ``on_layout`` is shown the final layout (the
    build measures length with it).
    """
    variant = DEFAULT_VARIANT if variant is None else variant
    if variant not in VARIANTS:
        allowed = ", ".join(repr(name) for name in VARIANTS)
        raise ValueError(f"unknown PDF variant {variant!r}; allowed: {allowed}")
    with _fewer_collections():
        document = _lay_out(html, font_config, cache if cache is not None else {})
        if on_layout is not None:
            on_layout(document)
        document.metadata.title = title
        document.metadata.lang = lang
        finisher = _declare_pdfua if variant == "pdf/a-3u" else None
        # No identifier here: pdf_tags.finish saves the file with one
        # derived from its content.
        pdf = document.write_pdf(
            pdf_variant=variant,
            pdf_tags=True,
            pdf_identifier=False,
            finisher=finisher,
        )
        assert pdf is not None
        return pdf_tags.finish(pdf, archival=variant == "pdf/a-3u")


#: Collection thresholds while a PDF is made (CPython's default: 700, 10, 10).
LAYOUT_GC_THRESHOLDS = (100_000, 20, 20)


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Collect cyclic garbage less often while a PDF is made.

    A layout allocates millions of small objects that all live until the
    PDF is written, and with CPython's default thresholds the collector
    walks that growing heap again and again for nothing: 8-10% of a
    brief's PDF time.  Garbage is still collected, in fewer, larger
    rounds; the thresholds are put back afterwards.
    """
    before = gc.get_threshold()
    gc.set_threshold(*LAYOUT_GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _settle(source: HTML, font_config: FontConfiguration | None, cache: dict[Any, Any], sheets: list[CSS] | None = None) -> Document:
    """Lay the document out, again while the layout breaks a rule CSS
    cannot state.

    Each pass releases the keep rule of a block that left the page before
    it under a quarter full (:mod:`briefgen.writers.pdf_pages`) and turns
    off the hyphenation of the words that made a third hyphenated line in
    a row or broke across a page (:mod:`briefgen.writers.pdf_lines`).
    Every pass only removes constraints or opportunities, so a few settle
    any document.  The fixes go into the parsed HTML and into the kept
    layout (:mod:`.pdf_relayout`), which lays out again only the pages
    they move; should it refuse one, the edited HTML is laid out afresh.
    """
    def fresh() -> Document:
        pdf_lines.refresh(source)
        return source.render(font_config=font_config, cache=cache, pdf_tags=True, stylesheets=sheets)

    kept: KeptLayout | None = None
    document: Document | None = None
    if pdf_relayout.available():
        kept = KeptLayout(source, font_config, cache, sheets)
        pages = kept.lay_out()
    else:
        document = fresh()
        pages = pdf_lines.page_boxes(document)
    for _ in range(MAX_LAYOUT_PASSES):
        released = pdf_pages.blocks_to_release(pages)
        for element in released:
            pdf_pages.release(element)
        fixes = [] if released else pdf_lines.words_to_protect(pages)
        # Later occurrences first: protecting one never shifts the count of
        # an earlier one in the same text.
        fixes.sort(key=lambda fix: -fix[2])
        protected = [fix for fix in fixes if pdf_lines.protect(source, *fix)]
        if not released and not protected:
            break
        if kept is not None:
            try:
                kept.apply(released, protected, pages)
                pages = kept.lay_out()
                continue
            except CannotKeep:
                kept = None
        document = fresh()
        pages = pdf_lines.page_boxes(document)
    if kept is not None:
        return kept.finish()
    assert document is not None
    return document


def _lay_out(html: str, font_config: FontConfiguration | None, cache: dict[Any, Any]) -> Document:
    """Lay the HTML out once and fill the contents' page numbers in.

    Should WeasyPrint's boxes ever not be what :mod:`.pdf_contents`
    expects, the document is laid out again with the contents marked
    ``counted``, which print.css numbers with ``target-counter()``.
    """
    fonts = font_config if font_config is not None else FontConfiguration()

    def render(text: str) -> Document:
        fetcher = DataURLFetcher()
        body, sheets = take_stylesheets(text, fonts, fetcher)
        return _settle(HTML(string=body, base_url=None, url_fetcher=fetcher), fonts, cache, sheets)

    document = render(html)
    try:
        fill_contents(document)
    except Unfillable:
        counted = _CONTENTS_NAV.sub(rf"\g<0> {COUNTED_CLASS}", html, count=1)
        document = render(counted)
    return document


_CONTENTS_NAV = re.compile(rf'(?<=<nav class=")({CONTENTS_CLASS})(?=[ "])')


def _declare_pdfua(document: Document, pdf: pydyf.PDF) -> None:
    """Add the PDF/UA-1 identification to a PDF/A file's XMP metadata.

    WeasyPrint writes one variant's identification; the tagging that
    PDF/UA asks for is already there, since every brief is tagged.
    """
    reference = pdf.catalog["Metadata"]
    if isinstance(reference, bytes):
        reference = reference.decode("ascii")
    stream = pdf.objects[int(reference.split()[0])]
    content = b"".join(
        part if isinstance(part, bytes) else str(part).encode("utf-8") for part in stream.stream
    )
    closing = b"</rdf:RDF>"
    if closing not in content or _PDFUA_ID.encode() in content:
        return
    content = content.replace(closing, _PDFUA_EXTENSION_SCHEMA.encode("utf-8") + closing, 1)
    stream.stream = [content]
