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

from .resources import packaged_templates

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


def _catalogs(lang: str, templates: Path | None) -> list[Path]:
    """Catalog files for ``lang``, packaged before the project's, so the project wins word by word."""
    name = f"{primary_subtag(lang)}.toml"
    roots = [packaged_templates()] + ([templates] if templates is not None else [])
    return [root / LABELS_FOLDER / name for root in roots if (root / LABELS_FOLDER / name).is_file()]


def has_catalog(lang: str, templates: Path | None = None) -> bool:
    """Whether ``lang`` has a catalog of its own (else English is used)."""
    return bool(_catalogs(lang, templates))


def labels_for(
    lang: str,
    overrides: Mapping[str, str] | None = None,
    templates: Path | None = None,
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
