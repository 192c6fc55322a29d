"""The words the pipeline writes itself, by language.

Catalogs are data (``templates/labels/LANG.toml``) so a translator or a
designer edits them without touching Python; English is the fallback for
any word a catalog lacks.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from .resources import Templates, packaged_templates

FALLBACK = "en"
LABELS_FOLDER = "labels"


def primary_subtag(lang: str) -> str:
    """``fr`` for ``fr-CA``: catalogs are kept per language, not per region."""
    return lang.replace("_", "-").split("-", 1)[0].lower()


@lru_cache(maxsize=64)
def _read_catalog(path: Path) -> dict[str, str]:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    return {str(key): str(value) for key, value in data.items()}


#: Tags written with another script than their language's catalog.
SCRIPT_CATALOGS = {"zh-tw": "zh-hant", "zh-hk": "zh-hant", "zh-mo": "zh-hant"}


def _catalog_names(lang: str) -> list[str]:
    """``zh.toml`` then ``zh-hant.toml`` for ``zh-Hant`` (or ``zh-TW``): the script's words win."""
    tag = lang.replace("_", "-").lower()
    tag = SCRIPT_CATALOGS.get(tag, tag)
    primary = primary_subtag(lang)
    return [f"{primary}.toml"] + ([f"{tag}.toml"] if tag != primary else [])


def _catalogs(lang: str, templates: Path | Templates | None) -> list[Path]:
    """Catalog files for ``lang``, packaged before the project's, so the project wins word by word."""
    roots = reversed(Templates.layered(templates).folders)
    return [
        root / LABELS_FOLDER / name
        for root in roots
        for name in _catalog_names(lang)
        if (root / LABELS_FOLDER / name).is_file()
    ]


def has_catalog(lang: str, templates: Path | Templates | None = None) -> bool:
    """Whether ``lang`` has a catalog of its own (else English is used)."""
    return bool(_catalogs(lang, templates))


def labels_for(
    lang: str,
    overrides: Mapping[str, str] | None = None,
    templates: Path | Templates | None = None,
) -> dict[str, str]:
    """Every label for ``lang``: English, then the language's catalog, then the overrides."""
    words: dict[str, str] = {}
    layers = _catalogs(FALLBACK, templates)
    if primary_subtag(lang) != FALLBACK:
        layers += _catalogs(lang, templates)
    for path in layers:
        words.update(_read_catalog(path))
    if overrides:
        words.update(overrides)
    return words


def known_label_keys() -> frozenset[str]:
    """The label names a brief's ``labels:`` may override."""
    return frozenset(_read_catalog(packaged_templates() / LABELS_FOLDER / "en.toml"))


#: Labels that are patterns, with the fields each may use.
PATTERNS = {"page": ("page", "pages")}


def label_problems(key: str, value: object) -> str | None:
    """Why ``key: value`` cannot override a label, or None when it can.

    The reader and the project file report the message at the key's own
    place; an unknown key gets a did-you-mean.
    """
    from .suggest import did_you_mean

    known = known_label_keys()
    if key not in known:
        return f"unknown label '{key}'{did_you_mean(key, known)}"
    if not isinstance(value, str) or not value.strip():
        return f"label '{key}' must be a non-empty text"
    fields = PATTERNS.get(key)
    if fields is not None:
        import string

        try:
            used = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
        except ValueError as err:
            return f"label '{key}': {err}"
        unknown = sorted(used - set(fields))
        if unknown:
            allowed = ", ".join("{" + name + "}" for name in fields)
            return f"label '{key}' uses {{{unknown[0]}}}; it may use {allowed}"
    return None


def page_pattern_parts(pattern: str) -> list[tuple[str, str | None]]:
    """``"Page {page} of {pages}"`` as ``[("Page ", "page"), (" of ", "pages")]``.

    Every writer builds its page counter from these parts: CSS counters in
    the PDF, PAGE and NUMPAGES fields in Word.
    """
    import string

    parts: list[tuple[str, str | None]] = []
    for literal, name, _, _ in string.Formatter().parse(pattern):
        parts.append((literal, name if name in ("page", "pages") else None))
    return parts
