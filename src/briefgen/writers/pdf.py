"""The PDF writer: print HTML laid out by WeasyPrint.

The HTML comes from the HTML writer with everything inlined, so the
renderer is given a URL fetcher that serves ``data:`` URLs only.  Nothing
in a brief can make it read a file or reach the network, whatever the
content or an embedded SVG asks for.
"""

from __future__ import annotations

import re
from typing import Any

from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9.+-]*):")


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
    font_config: FontConfiguration | None = None,
    cache: dict[Any, Any] | None = None,
) -> bytes:
    """Lay out print HTML with WeasyPrint; return the PDF bytes.

    ``title`` and ``lang`` are written to the PDF's metadata whatever the
    HTML says.  A batch may pass the same ``font_config`` and ``cache`` to
    every call so that fonts and decoded images are shared across briefs.
    Dates come from the HTML's ``dcterms`` metadata, never from the clock,
    so the same brief always gives the same bytes.
    """
    fetcher = DataURLFetcher()
    document = HTML(string=html, base_url=None, url_fetcher=fetcher).render(
        font_config=font_config,
        cache=cache if cache is not None else {},
        pdf_tags=True,
    )
    document.metadata.title = title
    document.metadata.lang = lang
    pdf = document.write_pdf(pdf_tags=True)
    assert pdf is not None
    return pdf
