"""The reader: a brief's YAML file -> a validated :class:`~briefgen.model.Brief`.

The file is read and composed with limits (:mod:`.compose`; syntax errors
diagnosed in :mod:`.syntax`), then one walk over the node tree
(:class:`.context.Reader`, with a module per part of the format) collects
*every* problem before it gives up and builds the immutable model from what
is valid.  No value is ever reinterpreted: a title of ``no`` stays the text
``no``, ``1.50`` in a table stays ``1.50``.
"""

from __future__ import annotations

from pathlib import Path

from .. import model as m
from ..errors import BriefErrors, Diagnostic
from .compose import Limited, compose, read_text
from .context import Reader
from .front import brief
from .sections import slugify

__all__ = ["check_text", "compose", "load_brief", "read_text", "slugify"]


def check_text(path: Path, text: str) -> list[Diagnostic]:
    """Every problem the reader finds in ``text`` as if it were ``path``'s
    content (for tools that must check a brief before writing it)."""
    try:
        _parse(path, text)
    except BriefErrors as err:
        return list(err.diagnostics)
    return []


def _parse(path: Path, text: str) -> m.Brief:
    root = compose(path, text)
    reader = Reader(path, text)
    try:
        result = brief(reader, root)
    except Limited as err:
        raise BriefErrors([*reader.diagnostics, Diagnostic(path, 1, 1, "error", str(err))]) from None
    except RecursionError:
        raise BriefErrors([Diagnostic(path, 1, 1, "error", "the document nests too deeply to read")]) from None
    if result is None:
        raise BriefErrors(d for d in reader.diagnostics if d.severity == "error")
    return result


def load_brief(path: str | Path) -> m.Brief:
    """Read and validate one brief; raise :class:`BriefErrors` with every problem."""
    path = Path(path)
    return _parse(path, read_text(path))
