"""Cross-references, resolved once the whole brief is read: every
``[#id]`` and ``[words](#id)`` must name a section, appendix, figure,
chart or table; a problem is reported at the reference itself."""

from __future__ import annotations

from .. import model as m
from .. import numbering
from ..labels import labels_for
from .context import Reader


def resolve(r: Reader, brief: m.Brief) -> m.Brief:
    """The brief numbered and its references labelled; problems reported on ``r``."""
    resolved, problems = numbering.resolve(brief, labels_for(brief.lang))
    for problem in problems:
        r.error(_position(r, problem), r.ref_paths.get(id(problem.text), ""), problem.message)
    return resolved


def check_known(r: Reader) -> None:
    """When the brief cannot be built (other errors), still report every
    reference to an id that nothing in the file declares."""
    from ..suggest import did_you_mean

    for key, text in list(r.ref_texts.items()):
        for node in m.iter_inlines(text.inlines):
            if isinstance(node, m.CrossRef) and node.id not in r.section_ids:
                message = f"cross-reference [#{node.id}] names no section, appendix, figure, chart or table" + did_you_mean(node.id, r.section_ids)
                problem = numbering.Problem(text, node, message)
                r.error(_position(r, problem), r.ref_paths.get(key, ""), message)


def _position(r: Reader, problem: numbering.Problem) -> m.Pos:
    """The line and column of the reference in the file, found inside its string."""
    node = r.ref_nodes.get(id(problem.text))
    if node is None:
        return problem.text.pos
    ref = problem.ref
    same = [
        n for n in m.iter_inlines(problem.text.inlines)
        if isinstance(n, m.CrossRef) and n.id == ref.id and n.shows_label == ref.shows_label
    ]
    nth = next((i for i, n in enumerate(same) if n is ref), 0)
    text = r.text_of_file
    start, end = node.start_mark.index, node.end_mark.index
    needle = f"[#{ref.id}]" if ref.shows_label else f"(#{ref.id})"
    found = start - 1
    for _ in range(nth + 1):
        found = text.find(needle, found + 1, end + len(needle))
        if found < 0:
            return problem.text.pos
    if not ref.shows_label:
        found += 1  # at '#id', the target
    line = text.count("\n", 0, found) + 1
    column = found - (text.rfind("\n", 0, found) + 1) + 1
    return m.Pos(line, column)
