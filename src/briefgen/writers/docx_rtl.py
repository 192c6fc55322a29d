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

from . import ooxml

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
    for root in _stories(document):
        _mark_story(root)


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
            ooxml.put(ooxml._rpr(run), ooxml.element("w:rtl"), ooxml.RPR_ORDER)
    for table in root.iter(qn("w:tbl")):
        tbl_pr = table.find(qn("w:tblPr"))
        if tbl_pr is not None:
            ooxml.put(tbl_pr, ooxml.element("w:bidiVisual"), ooxml.TBLPR_ORDER)


def has_rtl(text: str) -> bool:
    """Whether ``text`` holds a right-to-left letter (Arabic, Hebrew, Syriac, Thaana...)."""
    return any(unicodedata.bidirectional(char) in ("R", "AL") for char in text)
