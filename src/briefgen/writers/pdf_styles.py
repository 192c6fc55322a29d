"""The print HTML's stylesheets, parsed once per process and font set.

Every brief of a theme carries the same ``<style>`` text, and WeasyPrint
parses a document's ``<style>`` elements again for every layout: a tenth
of a short brief's PDF time.  This module takes the ``<style>`` elements
out of the head, parses each text once, and hands the parsed sheets to
WeasyPrint as the document's only sheets besides its user-agent sheet.
They then count as the user's origin instead of the author's, which
orders them the same way against the user-agent sheet, so the cascade is
unchanged (``tests/test_pdf_relayout.py`` compares the pages).

A parsed sheet registers its ``@font-face`` rules in one font
configuration, so the cache is kept per configuration.
"""

from __future__ import annotations

import re
from collections import OrderedDict

from weasyprint import CSS
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

#: Parsed sheets kept: a few themes times a few font configurations.
MAX_SHEETS = 32

_STYLE = re.compile(r"<style>(.*?)</style>", re.S)

_parsed: OrderedDict[tuple[int, str], tuple[FontConfiguration, CSS]] = OrderedDict()


def take_stylesheets(html: str, font_config: FontConfiguration, fetcher: URLFetcher) -> tuple[str, list[CSS]]:
    """``html`` without the ``<style>`` elements of its head, and those
    stylesheets parsed, in document order."""
    head_end = html.find("</head>")
    if head_end < 0:
        return html, []
    head = html[:head_end]
    texts = _STYLE.findall(head)
    if not texts:
        return html, []
    sheets = [_sheet(text, font_config, fetcher) for text in texts]
    return _STYLE.sub("", head) + html[head_end:], sheets


def _sheet(text: str, font_config: FontConfiguration, fetcher: URLFetcher) -> CSS:
    key = (id(font_config), text)
    found = _parsed.get(key)
    if found is not None and found[0] is font_config:
        _parsed.move_to_end(key)
        return found[1]
    sheet = CSS(string=text, base_url=None, url_fetcher=fetcher, font_config=font_config)
    _parsed[key] = (font_config, sheet)
    while len(_parsed) > MAX_SHEETS:
        _parsed.popitem(last=False)
    return sheet
