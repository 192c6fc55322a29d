"""Lint: things that are valid but probably not what the author wants.

Lint runs on the model (after the reader accepted the brief) and returns
warnings; ``--strict`` turns them into errors.
"""

from __future__ import annotations

from typing import Iterator

from . import model as m
from .errors import Diagnostic

LONG_HEADING = 120  # characters


def lint(brief: m.Brief) -> list[Diagnostic]:
    """Every warning for ``brief``, in file order."""
    found = list(_warnings(brief))
    return sorted(found, key=lambda d: (d.line, d.column))


def _warnings(brief: m.Brief) -> Iterator[Diagnostic]:
    def warn(pos: m.Pos, path: str, message: str) -> Diagnostic:
        return Diagnostic(brief.path, pos.line, pos.column, "warning", message, path)

    todos: list[tuple[m.Todo, str]] = []
    for section, path in _sections_with_paths(brief.sections, "sections"):
        if not section.body and not section.sections:
            yield warn(section.pos, path, f"section '{section.title}' is empty (no body and no subsections)")
        if len(section.title) > LONG_HEADING:
            yield warn(section.pos, path + ".title", f"heading is {len(section.title)} characters long; keep headings under {LONG_HEADING}")
        todos.extend(_todos(section.body, path + ".body"))
    todos.extend(_todos(brief.conclusion, "conclusion"))
    for todo, path in todos:
        yield warn(todo.pos, path, f"editor's placeholder left in the brief: {todo.text}")
    if brief.status == "final" and todos:
        yield warn(brief.pos, "status", f"the brief is marked final but still holds {len(todos)} 'todo' placeholder(s)")
    for note in brief.footnotes:
        if note.number == 0:
            yield warn(note.pos, f"footnotes.{note.id}", f"footnote '{note.id}' is never referenced; add [^{note.id}] to the text or remove it")


def _sections_with_paths(sections: tuple[m.Section, ...], path: str) -> Iterator[tuple[m.Section, str]]:
    for index, section in enumerate(sections):
        here = f"{path}[{index}]"
        yield section, here
        yield from _sections_with_paths(section.sections, here + ".sections")


def _todos(blocks: tuple[m.Block, ...], path: str) -> Iterator[tuple[m.Todo, str]]:
    for index, block in enumerate(blocks):
        here = f"{path}[{index}]"
        if isinstance(block, m.Todo):
            yield block, here + ".todo"
        elif isinstance(block, m.Callout):
            yield from _todos(block.body, here + ".callout.body")
