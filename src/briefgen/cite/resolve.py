"""A brief's citations formatted, and what its cited works lack."""

from __future__ import annotations
from ..model import Bibliography, Footnote, RichText
from .engine import Request, format_citations
from .styles import Style
from .syntax import Citations
from .works import Works, missing



def format_bibliography(
    citations: Citations, works: Works, style: Style, lang: str
) -> tuple[Bibliography, tuple[Footnote, ...]]:
    """The formatted citations and references, and (note styles) the footnotes they make."""
    if not citations.found:
        return Bibliography(works.path, style.name, style.note), ()
    requests = [Request(c.source, in_note) for c, in_note in zip(citations.found, citations.in_note)]
    formatted = format_citations(requests, bibliography=works.path, style=style, lang=lang)
    notes = tuple(
        Footnote(c.note_id, c.note, RichText(formatted.citations[c.index], c.source))
        for c in citations.found
        if c.note
    )
    bib = Bibliography(works.path, style.name, style.note, formatted.citations, formatted.references)
    return bib, notes


def missing_fields(works: Works, citations: Citations, style: Style) -> list[tuple[int, str]]:
    """``(line in the bibliography, message)`` for each cited work that lacks what the style needs."""
    out = []
    cited = dict.fromkeys(item.key for c in citations.found for item in c.items)
    for key in cited:
        work = works.by_key.get(key)
        if work is None:
            continue
        lacking = missing(work)
        if lacking:
            out.append((work.line, f"work '{key}' lacks {' and '.join(lacking)}; {style.name} cannot cite it in full"))
    return out
