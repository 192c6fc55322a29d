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
    resolved, problems = numbering.resolve(brief, labels_for(brief.lang, dict(brief.labels)))
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
    """The line and column of the reference in the file: its '[' for
    ``[#id]``, its target's '#' for ``[words](#id)``."""
    node = r.ref_nodes.get(id(problem.text))
    if node is None:
        return problem.text.pos
    return r.inside(node, problem.ref.offset)
