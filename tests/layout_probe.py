"""What a typesetter checks on a PDF page, read back from the PDF itself.

Footnote pages come from the named destinations WeasyPrint writes for
every id (``noteref_X`` marks the call, ``note_X`` the note); lines and
their hyphens from pypdf's text; how full a page is from the lowest
baseline of its body text.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from pypdf import PdfReader

#: Type smaller than this (points) is a footnote or a running head.
NOTE_SIZE = 8.3

#: The character WeasyPrint adds at a hyphenated line end.
HYPHEN = "\u2010"


def reader(pdf: bytes | Path) -> PdfReader:
    return PdfReader(io.BytesIO(pdf) if isinstance(pdf, bytes) else str(pdf))


def note_pages(pdf: PdfReader) -> dict[str, tuple[int, int]]:
    """``{note id: (page of the call, page of the note)}``, pages from 1."""
    pages = {
        name: pdf.get_destination_page_number(dest) + 1
        for name, dest in pdf.named_destinations.items()
    }
    return {
        name[len("noteref_") :]: (page, pages.get("note_" + name[len("noteref_") :], -1))
        for name, page in pages.items()
        if name.startswith("noteref_")
    }


def page_lines(pdf: PdfReader) -> list[list[str]]:
    return [(page.extract_text() or "").splitlines() for page in pdf.pages]


def hyphenated_breaks(pdf: PdfReader) -> list[tuple[int, str, str]]:
    """Every added hyphen: (page, the part before it, the part after it).

    The part after is the first word of the next line, which may be on the
    next page (a hyphen across a page).
    """
    lines = [(number, line) for number, page in enumerate(page_lines(pdf), 1) for line in page]
    out = []
    for index, (number, line) in enumerate(lines):
        if not line.rstrip().endswith(HYPHEN):
            continue
        before = re.split(r"[\s(\[\"“]", line.rstrip()[:-1])[-1]
        after = lines[index + 1][1].split()[0] if index + 1 < len(lines) and lines[index + 1][1].split() else ""
        out.append((number, before, after))
    return out


def hyphen_ladders(pdf: PdfReader) -> list[int]:
    """Lengths of every run of two or more consecutive hyphenated lines."""
    runs, current = [], 0
    for page in page_lines(pdf):
        for line in page:
            if line.rstrip().endswith(HYPHEN):
                current += 1
            else:
                if current >= 2:
                    runs.append(current)
                current = 0
    return runs


def body_fill(pdf: PdfReader, top_margin: float, bottom_margin: float) -> list[float]:
    """Share of each page's text area down to its lowest line of body text.

    Running heads and feet (outside the margins given, in points) and the
    footnotes (type under NOTE_SIZE) are left out.  1.0 is a page filled to
    the bottom margin (or to its footnotes).
    """
    fills = []
    for page in pdf.pages:
        height = float(page.mediabox.height)
        lowest = [height]

        def visit(text, cm, tm, font, size, lowest=lowest, height=height):
            if abs(tm[1]) > 1e-3 or abs(cm[1]) > 1e-3:
                return  # rotated: the DRAFT watermark
            y = tm[5] * cm[3] + cm[5]
            if size * abs(tm[3] * cm[3]) < NOTE_SIZE:
                return  # a footnote: the notes sit at the foot whatever the text above
            if text.strip() and bottom_margin < y < height - top_margin:
                lowest[0] = min(lowest[0], y)

        page.extract_text(visitor_text=visit)
        area = height - top_margin - bottom_margin
        fills.append(round((height - top_margin - lowest[0]) / area, 3))
    return fills


_BLOCK_TAGS = {"/H1", "/H2", "/H3", "/H4", "/H5", "/H6", "/P", "/L", "/Table", "/Figure", "/Caption", "/BlockQuote"}


def block_pages(data: bytes) -> list[tuple[str, int]]:
    """(tag, page) of every block-level structure element in reading order.

    WeasyPrint builds the structure tree page by page, so a block split over
    two pages appears once per page; a heading's next block is the element
    that follows it here.
    """
    import pikepdf

    out: list[tuple[str, int]] = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pages = {page.objgen: index + 1 for index, page in enumerate(pdf.pages)}

        def walk(node) -> None:
            if not isinstance(node, pikepdf.Dictionary):
                return
            tag = str(node.get("/S", ""))
            if tag in _BLOCK_TAGS and "/Pg" in node:
                out.append((tag, pages[node.Pg.objgen]))
                if tag != "/BlockQuote":
                    return
            kids = node.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                walk(kid)

        walk(pdf.Root.StructTreeRoot)
    return out


def stranded_headings(data: bytes) -> list[int]:
    """Pages whose last block is a heading (its text follows on the next page)."""
    blocks = block_pages(data)
    return [
        page
        for (tag, page), (_, next_page) in zip(blocks, blocks[1:])
        if tag in ("/H1", "/H2", "/H3", "/H4", "/H5", "/H6") and next_page != page
    ]


def body_lines(pdf: PdfReader, top_margin: float, bottom_margin: float) -> list[list[str]]:
    """Each page's lines of body text, top to bottom (no notes, no margins)."""
    out = []
    for page in pdf.pages:
        height = float(page.mediabox.height)
        lines: dict[int, list[tuple[float, str]]] = {}

        def visit(text, cm, tm, font, size, lines=lines, height=height):
            if abs(tm[1]) > 1e-3 or abs(cm[1]) > 1e-3 or size * abs(tm[3] * cm[3]) < NOTE_SIZE:
                return
            y = tm[5] * cm[3] + cm[5]
            x = tm[4] * cm[0] + cm[4]
            if text.strip() and bottom_margin < y < height - top_margin:
                lines.setdefault(round(y), []).append((x, text))

        page.extract_text(visitor_text=visit)
        out.append(["".join(t for _, t in sorted(lines[y])).strip() for y in sorted(lines, reverse=True)])
    return out


def last_body_lines(pdf: PdfReader, top_margin: float, bottom_margin: float) -> list[str]:
    """The text of each page's lowest line of body text (no notes, no margins)."""
    return [lines[-1] if lines else "" for lines in body_lines(pdf, top_margin, bottom_margin)]
