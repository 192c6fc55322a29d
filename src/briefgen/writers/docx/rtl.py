"""Right-to-left Word files: paragraphs, runs and tables marked for bidi.

Word lays a paragraph out right to left when it has ``w:bidi``, shapes and
orders a run as right-to-left text when it has ``w:rtl``, and draws that
text in the complex-script font (``w:rFonts/@w:cs``).  Runs of Latin
letters or digits are left without ``w:rtl`` so that they keep their own
direction inside the line, as in the PDF and HTML.
"""

from __future__ import annotations

import unicodedata

from docx.document import Document
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement

from .. import ooxml

#: The Noto faces that draw each right-to-left script (Debian fonts-noto-core).
SCRIPT_FONTS = {
    "he": ("Noto Serif Hebrew", "Noto Sans Hebrew"),
    "yi": ("Noto Serif Hebrew", "Noto Sans Hebrew"),
}
ARABIC_FONTS = ("Noto Naskh Arabic", "Noto Sans Arabic")


def fonts_for(lang: str) -> tuple[str, str]:
    """The (serif, sans) complex-script faces for ``lang``: Arabic script unless Hebrew."""
    return SCRIPT_FONTS.get(lang.split("-")[0].lower(), ARABIC_FONTS)


def mirror(document: Document, lang: str) -> None:
    """Mark every paragraph, right-to-left run and table of ``document`` for bidi,
    and give every style a complex-script font that has the script."""
    serif, sans = fonts_for(lang)
    styles = document.styles.element
    for fonts in styles.iter(qn("w:rFonts")):
        current = fonts.get(qn("w:cs")) or fonts.get(qn("w:ascii")) or ""
        fonts.set(qn("w:cs"), sans if "Sans" in current else serif)
    defaults = ooxml.doc_defaults_rpr(styles)
    default_fonts = defaults.find(qn("w:rFonts"))
    if default_fonts is None:
        default_fonts = ooxml.put(defaults, ooxml.element("w:rFonts"), ooxml.RPR_ORDER)
    default_fonts.set(qn("w:cs"), serif)
    ooxml.put(ooxml.doc_defaults_ppr(styles), ooxml.element("w:bidi"), ooxml.PPR_ORDER)
    for rpr in styles.iter(qn("w:rPr")):
        _complex_script_formatting(rpr)
    for border in styles.iter(qn("w:pBdr")):
        _swap_sides(border)
    numbering = document.part.numbering_part.element
    for level in numbering.iter(qn("w:lvl")):
        ppr = level.find(qn("w:pPr"))
        ooxml.put(ppr if ppr is not None else _level_ppr(level), ooxml.element("w:bidi"), ooxml.PPR_ORDER)
    for root in _stories(document):
        _mark_story(root)


#: Word sizes, bolds and slants complex-script text by its own properties.
_COMPLEX_SCRIPT_TWINS = (("w:b", "w:bCs"), ("w:i", "w:iCs"), ("w:sz", "w:szCs"))


def _complex_script_formatting(rpr: BaseOxmlElement) -> None:
    """Give Arabic or Hebrew text the bold, italic and size Latin text has."""
    for latin, complex_script in _COMPLEX_SCRIPT_TWINS:
        found = rpr.find(qn(latin))
        if found is not None and rpr.find(qn(complex_script)) is None:
            twin = ooxml.element(complex_script)
            value = found.get(qn("w:val"))
            if value is not None:
                twin.set(qn("w:val"), value)
            ooxml.put(rpr, twin, ooxml.RPR_ORDER)


def _swap_sides(border: BaseOxmlElement) -> None:
    """A box's rule on the side where the text starts: the right, in a right-to-left brief."""
    left, right = border.find(qn("w:left")), border.find(qn("w:right"))
    for side, new in ((left, "w:right"), (right, "w:left")):
        if side is not None:
            side.tag = qn(new)
    children = sorted(border, key=lambda c: _BORDER_ORDER.index(c.tag) if c.tag in _BORDER_ORDER else 99)
    for child in children:
        border.append(child)


_BORDER_ORDER = [qn(f"w:{side}") for side in ("top", "left", "bottom", "right", "between", "bar")]


def _level_ppr(level: BaseOxmlElement) -> BaseOxmlElement:
    """The paragraph properties of a numbering level (made when it has none)."""
    ppr = ooxml.element("w:pPr")
    rpr = level.find(qn("w:rPr"))
    if rpr is not None:
        rpr.addprevious(ppr)
    else:
        level.append(ppr)
    return ppr


def _stories(document: Document) -> list[BaseOxmlElement]:
    """The body, headers, footers and footnotes: every story that holds text."""
    roots = [document.element.body]
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer):
            roots.append(part._element)
    for rel in document.part.rels.values():
        if rel.reltype.endswith("/footnotes") and not rel.is_external:
            roots.append(rel.target_part.element)
    return roots


def _mark_story(root: BaseOxmlElement) -> None:
    for paragraph in root.iter(qn("w:p")):
        ooxml.put(ooxml._ppr(paragraph), ooxml.element("w:bidi"), ooxml.PPR_ORDER)
    for run in root.iter(qn("w:r")):
        text = "".join(t.text or "" for t in run.iter(qn("w:t")))
        if has_rtl(text):
            rpr = ooxml._rpr(run)
            ooxml.put(rpr, ooxml.element("w:rtl"), ooxml.RPR_ORDER)
            _complex_script_formatting(rpr)
    for table in root.iter(qn("w:tbl")):
        tbl_pr = table.find(qn("w:tblPr"))
        if tbl_pr is not None:
            ooxml.put(tbl_pr, ooxml.element("w:bidiVisual"), ooxml.TBLPR_ORDER)


def has_rtl(text: str) -> bool:
    """Whether ``text`` holds a right-to-left letter (Arabic, Hebrew, Syriac, Thaana...)."""
    return any(unicodedata.bidirectional(char) in ("R", "AL") for char in text)
