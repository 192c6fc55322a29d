"""Where the files that ship with briefgen live.

The default templates, themes, label catalogs and Word reference document
are package data (``briefgen/templates``), so an installed wheel builds
briefs in any folder without reading anything from a source tree.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def packaged_templates() -> Path:
    """The templates folder shipped inside the package."""
    return Path(str(files("briefgen") / "templates"))
