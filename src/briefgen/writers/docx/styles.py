"""The styles the Word writer uses, and their ids in a reference document."""

from __future__ import annotations

from pathlib import Path

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE

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
