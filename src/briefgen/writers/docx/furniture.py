"""Page furniture and file settings of the Word file: header and footer,
field updates on opening, spell-checking language, CJK glyph forms and the
document properties.

A mixin of :class:`briefgen.writers.docx.writer._DocxWriter`.
"""

from __future__ import annotations

from docx.oxml.xmlchemy import BaseOxmlElement

from ...labels import page_pattern_parts
from ...locales import is_rtl
from ...model import short_title
from .. import ooxml
from . import front_matter

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


class FurnitureMixin:
    """Header, footer, settings, language and properties methods of the writer."""

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
        props.author = front_matter.fit_names(brief.authors)
        props.keywords = _fit(", ".join(brief.keywords))
        props.comments = _fit(brief.summary.plain())
        props.category = ""
        props.content_status = brief.status
        props.version = _fit(brief.version or "")
        props.language = brief.lang
        props.identifier = _fit(brief.name)
        props.last_modified_by = _fit(brief.organization or "")
        props.revision = 1
        created = front_matter.build_time(brief.date)
        modified = front_matter.build_time(brief.updated) if brief.updated else created
        for name, value in (("created", created), ("modified", modified)):
            if value is None:  # no date known: none written, never a placeholder
                front_matter.drop_core_date(props._element, name)
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


def _clear(story: BaseOxmlElement) -> None:
    for child in list(story):
        story.remove(child)


def _fit(text: str, limit: int = 255) -> str:
    """Text shortened to the length Office allows in a core property."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"
