"""What a brief says about its words and its works: ``labels``,
``bibliography`` and ``citation_style``.

They are read before any rich text, so that every ``[@key]`` is checked
against the bibliography where it is written; the citations are formatted
once the whole brief is read, because a style's output for one citation
depends on the others ("ibid.", disambiguation).
"""

from __future__ import annotations

from yaml.nodes import MappingNode, Node, ScalarNode

from .. import model as m
from ..cite.styles import DEFAULT_STYLE, Style, find_style
from ..cite.syntax import Citations
from ..cite.works import BibliographyError, Works, read_works
from ..errors import Diagnostic
from ..labels import label_problems
from .context import Reader, describe, join
from .files import local_file


def labels(r: Reader, node: Node) -> tuple[tuple[str, str], ...]:
    """``labels:`` as (name, text) pairs; an unknown name is an error with a did-you-mean."""
    if not isinstance(node, MappingNode):
        r.error(node, "labels", f"expected a mapping of label names to words (summary: Overview), found {describe(node)}")
        return ()
    out = []
    for key_node, value_node in node.value:
        r.count(key_node)
        key = key_node.value if isinstance(key_node, ScalarNode) else ""
        value = r.text(value_node, join("labels", key)) if isinstance(value_node, ScalarNode) else None
        problem = label_problems(key, value if value is not None else (value_node.value if isinstance(value_node, ScalarNode) else None))
        if problem:
            r.error(key_node if not key or "unknown" in problem else value_node, join("labels", key), problem)
        elif value is not None:
            out.append((key, value))
    return tuple(out)


def citing(r: Reader, get) -> tuple[Works | None, Style | None]:
    """The bibliography and the style, and the reader set to check citations against them."""
    works: Works | None = None
    style: Style | None = None
    if (node := get("bibliography")) is not None:
        src = r.text(node, "bibliography")
        path = local_file(r, node, "bibliography", src, {".json", ".bib"}, "a CSL-JSON or BibTeX file") if src else None
        if path is not None:
            try:
                works = read_works(path)
            except BibliographyError as err:
                for problem in err.problems:
                    r.diagnostics.append(Diagnostic(path, problem.line, problem.column, "error", problem.message))
                r.error(node, "bibliography", f"'{src}' could not be read (see the errors above)")
            except OSError as err:
                r.error(node, "bibliography", f"'{src}' cannot be read: {err.strerror or err}")
    style_node = get("citation_style")
    value = r.text(style_node, "citation_style") if style_node is not None else DEFAULT_STYLE
    if style_node is not None and get("bibliography") is None:
        r.error(style_node, "citation_style", "citation_style without a 'bibliography' to cite from")
    if value:
        try:
            style = find_style(value, r.folder)
        except (ValueError, OSError) as err:
            r.error(style_node if style_node is not None else m.NOWHERE, "citation_style", str(err))
    if works is not None:
        r.citations = Citations(frozenset(works.by_key), note_style=bool(style and style.note))
    elif get("bibliography") is not None:
        r.citations = Citations(unchecked=True)  # the file's own errors are reported instead
    return works, style


def bibliography(
    r: Reader, node: Node, works: Works, style: Style, notes: tuple[m.Footnote, ...]
) -> dict:
    """The formatted citations and references, with the footnotes of a note style."""
    from ..cite.engine import CiteprocError
    from ..cite.resolve import format_bibliography, missing_fields

    try:
        bib, cited_notes = format_bibliography(r.citations, works, style, r.lang)
    except CiteprocError as err:
        r.error(node, "bibliography", f"the citations could not be formatted: {err}")
        return {}
    warnings = tuple(missing_fields(works, r.citations, style))
    bib = m.Bibliography(
        bib.path, bib.style, bib.note_style, bib.citations, bib.references, warnings, style.path
    )
    merged = tuple(sorted(notes + cited_notes, key=lambda n: (n.number == 0, n.number)))
    return {"bibliography": bib, "footnotes": merged}
