"""What a brief's language decides besides its words: dates, direction, hyphenation.

Dates follow CLDR through Babel, so "1 décembre 2026" and "2026年12月1日"
come from the same data every serious locale-aware program uses; writing
direction and hyphenation patterns are looked up, never guessed from a
hard-coded list of a few languages.
"""

from __future__ import annotations

import datetime as _dt
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as _babel_date
from babel.dates import format_skeleton

from .model import BriefDate, PartialDate

#: Languages written right to left, should Babel not know a tag's script.
RTL_LANGUAGES = frozenset({"ar", "he", "fa", "ur", "ps", "sd", "ug", "yi", "dv", "ckb"})


@lru_cache(maxsize=64)
def _locale(lang: str) -> Locale | None:
    """The CLDR locale for a BCP 47 tag, or None when CLDR has none."""
    try:
        return Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        try:
            return Locale.parse(lang.replace("_", "-").split("-", 1)[0])
        except (UnknownLocaleError, ValueError, TypeError):
            return None


def format_date(value: BriefDate | None, lang: str) -> str:
    """``value`` at its own precision, in ``lang``'s long CLDR form.

    A full date gives "1 December 2026" style text, a month "September
    2025", a year "2025" (each as the language writes it).  A language CLDR
    does not know is written in English rather than refused.
    """
    if value is None:
        return ""
    locale = _locale(lang) or _locale("en")
    assert locale is not None
    if isinstance(value, PartialDate):
        skeleton = "yMMMM" if value.month else "y"
        return format_skeleton(skeleton, value.first_day(), locale=locale)
    if isinstance(value, _dt.datetime):
        value = value.date()
    return _babel_date(value, "long", locale=locale)


def is_rtl(lang: str) -> bool:
    """Whether ``lang`` is written right to left (Arabic, Hebrew, Persian, Urdu...)."""
    primary = lang.replace("_", "-").split("-", 1)[0].lower()
    locale = _locale(lang)
    if locale is not None:
        return locale.character_order == "right-to-left"
    return primary in RTL_LANGUAGES


def direction(lang: str) -> str:
    """``"rtl"`` or ``"ltr"``: the value of HTML's ``dir`` for ``lang``."""
    return "rtl" if is_rtl(lang) else "ltr"


@lru_cache(maxsize=64)
def hyphenation_language(lang: str) -> str | None:
    """The Pyphen (LibreOffice) pattern set WeasyPrint will use for ``lang``, or None.

    None means there are no patterns: the brief is then set without
    automatic hyphenation rather than with wrong breaks.
    """
    try:
        import pyphen
    except ImportError:  # pragma: no cover - WeasyPrint depends on it
        return None
    return pyphen.language_fallback(lang.replace("-", "_"))
