"""matplotlib's SVG made fit to sit inline in HTML next to other charts."""

from __future__ import annotations

import re
from xml.sax.saxutils import escape, quoteattr

_ID = re.compile(r'\sid="([^"]+)"')
_REF = re.compile(r'(url\(#|xlink:href="#|href="#)([^")]+)')
_EMPTY_GROUP = re.compile(r"\s*(?:<g/>|<g>\s*</g>)")


def _drop_empty_groups(svg: str) -> str:
    """Remove the groups matplotlib leaves empty once their ids are gone."""
    while True:
        svg, dropped = _EMPTY_GROUP.subn("", svg)
        if not dropped:
            return svg


def _clean_svg(document: str, salt: str, description: str) -> str:
    """Make matplotlib's SVG fit to sit inline in HTML next to other charts.

    Drops the XML prologue, metadata and the page-wide ``*`` style rule;
    keeps only ids that something refers to, renamed with a per-chart
    prefix; makes the drawing scale to its container; adds accessible text.
    """
    svg = document[document.index("<svg"):]
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = re.sub(r'\s*<style type="text/css">[^<]*</style>', "", svg)
    svg = re.sub(r"\s*<defs>\s*</defs>", "", svg)

    referenced = {m.group(2) for m in _REF.finditer(svg)}
    renamed: dict[str, str] = {}
    for match in _ID.finditer(svg):
        name = match.group(1)
        if name in referenced and name not in renamed:
            renamed[name] = f"chart-{salt}-{len(renamed) + 1}"

    def replace_id(match: re.Match[str]) -> str:
        name = match.group(1)
        return f' id="{renamed[name]}"' if name in renamed else ""

    svg = _ID.sub(replace_id, svg)
    svg = _drop_empty_groups(svg)
    svg = _REF.sub(lambda m: m.group(1) + renamed.get(m.group(2), m.group(2)), svg)
    # Where the house fonts are missing (an HTML page on a reader's machine),
    # fall back to a sans-serif rather than the browser's default serif.
    svg = re.sub(r"(font-family: [^;\"]*'Noto Sans CJK SC')", r"\1, sans-serif", svg)

    head_end = svg.index(">")
    head = svg[:head_end]
    view_box = re.search(r'viewBox="([^"]+)"', head)
    assert view_box is not None
    attributes = (
        'xmlns="http://www.w3.org/2000/svg" '
        'xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'viewBox="{view_box.group(1)}" width="100%" '
        'preserveAspectRatio="xMidYMid meet" '
        'class="chart" role="img" '
        f"aria-label={quoteattr(description)} "
        'stroke-linejoin="round" stroke-linecap="butt" version="1.1"'
    )
    title = f"\n <title>{escape(description)}</title>"
    return f"<svg {attributes}>{title}{svg[head_end + 1:]}".rstrip() + "\n"
