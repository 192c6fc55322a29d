"""Citation styles: the bundled CSL files, or a ``.csl`` file beside the brief."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..resources import packaged_templates

DEFAULT_STYLE = "chicago-author-date"
STYLES_FOLDER = "csl"
#: Other names a style is known by.
ALIASES = {"chicago-notes-bibliography": "chicago-note-bibliography", "mla": "modern-language-association"}
MAX_STYLE_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class Style:
    name: str
    path: Path
    note: bool  # a note style: citations become footnotes


def bundled_styles() -> tuple[str, ...]:
    """The names of the styles shipped with briefgen, sorted."""
    return tuple(sorted(p.stem for p in (packaged_templates() / STYLES_FOLDER).glob("*.csl")))


def find_style(value: str, folder: Path) -> Style:
    """The style ``value`` names: a bundled style, or a ``.csl`` path inside ``folder``.

    Raises ValueError with the reason (and the bundled names) otherwise.
    """
    from ..suggest import did_you_mean

    if value.lower().endswith(".csl"):
        relative = Path(value)
        root = folder.resolve()
        path = (root / relative).resolve()
        if relative.is_absolute() or ".." in relative.parts or not path.is_relative_to(root):
            raise ValueError(f"citation_style '{value}' must be a .csl file inside the brief's folder")
        if not path.is_file():
            raise ValueError(f"citation_style '{value}': no such file")
        return Style(path.stem, path, _is_note_style(path))
    name = ALIASES.get(value, value)
    known = bundled_styles()
    if name not in known:
        raise ValueError(
            f"unknown citation_style '{value}'{did_you_mean(value, known)}; "
            f"bundled styles: {', '.join(known)}, or give a path to a .csl file"
        )
    path = packaged_templates() / STYLES_FOLDER / f"{name}.csl"
    return Style(name, path, _is_note_style(path))


def _is_note_style(path: Path) -> bool:
    """Whether the style's ``<style class="note">`` makes citations footnotes."""
    with path.open("rb") as handle:
        head = handle.read(4096).decode("utf-8", "replace")
    match = re.search(r"<style\b[^>]*\bclass\s*=\s*[\"']([a-z-]+)[\"']", head)
    if match is None:
        if path.stat().st_size > MAX_STYLE_BYTES:
            raise ValueError(f"{path.name}: not a CSL style")
        raise ValueError(f"{path.name}: not a CSL style (no <style class=\"in-text\"> or class=\"note\")")
    return match.group(1) == "note"
