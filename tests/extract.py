"""Text as a reader finds it in each output, for parity checks.

Each function returns the text of one output file; :func:`squash` reduces
text to what survives any layout (no whitespace, no hyphens, ligatures
undone), so that a sentence broken over lines or pages still matches.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def squash(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s\-\u00ad\u2010\u2011]+", "", text)


class _TextParser(HTMLParser):
    SKIP = {"style", "script", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self._skipping += 1

    def handle_endtag(self, tag):
        if tag in self.SKIP and self._skipping:
            self._skipping -= 1

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)


def html_text(path: Path) -> str:
    parser = _TextParser()
    parser.feed(path.read_text("utf-8"))
    return " ".join(parser.parts)


def docx_parts(path: Path) -> dict[str, str]:
    """Text of each story of a Word file (body, footnotes, headers, footers),
    one line per paragraph."""
    out: dict[str, str] = {}
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not re.fullmatch(r"word/(document|footnotes|endnotes|header\d*|footer\d*)\.xml", name):
                continue
            root = etree.fromstring(archive.read(name))
            lines = []
            for paragraph in root.iter(f"{W}p"):
                lines.append("".join(t.text or "" for t in paragraph.iter(f"{W}t")))
            out[name] = "\n".join(lines)
    return out


def docx_text(path: Path) -> str:
    return "\n".join(docx_parts(path).values())


def pdf_pages(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(str(path)).pages]


def pdf_body_text(path: Path) -> str:
    """The PDF's text without running heads and feet: lines that repeat on
    most pages (digits ignored) are page furniture, not content."""
    pages = [page.splitlines() for page in pdf_pages(path)]
    shape = lambda line: re.sub(r"\d+", "#", line.strip())
    counts = Counter(s for lines in pages for s in {shape(line) for line in lines})
    furniture = {s for s, n in counts.items() if len(pages) > 2 and n >= len(pages) - 1 and s}
    kept = [line for lines in pages for line in lines if shape(line) not in furniture]
    return "\n".join(kept)


def missing_units(units, text: str) -> list[str]:
    haystack = squash(text)
    return [unit for unit in units if squash(unit) and squash(unit) not in haystack]
