"""The build's gate: what a build would refuse because of the brief, found
before anything is rendered, at the place in the brief that causes it.

The reader already refuses what the brief alone gets wrong (characters no
writer can write, images that do not decode).  What depends on the
templates and the settings is checked here: the theme must exist, and the
Word reference document must open and hold the styles the Word writer
needs.  ``briefgen check`` and ``briefgen build`` both pass through this
gate, so a brief that passes ``check`` builds.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from . import model as m
from .errors import Diagnostic
from .suggest import did_you_mean


def gate(brief: m.Brief, settings) -> list[Diagnostic]:
    """Every problem that would stop ``settings``'s build of ``brief``."""
    from .writers.html import available_themes

    look = settings.presentation(brief)
    problems: list[Diagnostic] = []
    themes = available_themes(settings.templates)
    if look.theme not in themes:
        known = ", ".join(f"'{t}'" for t in themes) or "none"
        problems.append(
            _at(brief, "theme", settings.theme, settings.project.theme,
                f"unknown theme '{look.theme}'; the themes in "
                f"{' and '.join(_shown(folder / 'themes') for folder in settings.layers.folders)} are {known}"
                f"{did_you_mean(look.theme, themes)}")
        )
    if "docx" in settings.formats:
        problem = reference_problem(look.reference_docx)
        if problem:
            problems.append(
                _at(brief, "reference_docx", settings.reference_docx, settings.project.reference_docx,
                    f"the Word reference document '{look.reference_docx.name}' {problem}")
            )
    return problems


def reference_problem(path: Path) -> str | None:
    """Why the Word writer could not use ``path`` as its reference document."""
    try:
        stat = path.stat()
    except OSError as err:
        return f"cannot be read ({err.strerror})"
    return _reference_problem(path.resolve(), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=32)
def _reference_problem(path: Path, size: int, mtime_ns: int) -> str | None:
    """Opening a reference document costs tens of milliseconds: once per version of the file."""
    import zipfile

    import docx

    from .writers.docx import resolve_styles

    if not zipfile.is_zipfile(path):
        return (f"does not open as a Word document: {_shown(path)} is not a .docx file "
                "(a Word document is a ZIP package; save it from Word or LibreOffice as .docx)")
    try:
        document = docx.Document(str(path))
        resolve_styles(document, path)
    except ValueError as err:
        return f"cannot be used: {err}"
    except Exception as err:  # python-docx raises many kinds for a file that is no .docx
        return f"does not open as a Word document ({type(err).__name__}: {err})"
    return None


def _shown(folder: Path) -> str:
    try:
        return str(folder.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(folder)


def _at(brief: m.Brief, key: str, command_line, project, message: str) -> Diagnostic:
    """The problem at the brief's own key, or, when the value came from the
    command line or briefgen.toml, at the top of the brief saying so."""
    if command_line is not None:
        message += f" (from the command line's --{key.replace('_', '-').replace('docx', 'doc')})"
        where = m.Pos(1, 1)
    elif key in brief.places:
        where = brief.places[key]
    else:
        message += " (from briefgen.toml)" if project is not None else f" (no {key} is set, so the templates' default is used)"
        where = m.Pos(1, 1)
    return Diagnostic(brief.path, where.line, where.column, "error", message, key)
