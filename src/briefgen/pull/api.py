"""``briefgen pull``: an editor's changes in a generated Word file, back in the brief.

The Word writer marks each paragraph with a hidden bookmark and records
what it wrote (:mod:`briefgen.pull.record`).  Pull reads the edited file
(:mod:`briefgen.pull.word`), compares every marked paragraph with what was
built, works out added and removed paragraphs from where markers are
missing or new paragraphs stand, and splices the changes into the YAML
text (:mod:`briefgen.pull.splice`).  Anything it cannot map exactly is
refused with a message, and nothing is written.

When the brief changed since the file was built, each change is checked
against the brief as it is now: a place the editor changed that the brief
changed too is a conflict, and a pull with conflicts writes nothing.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import BriefErrors
from .errors import PullError
from .plan import Planner
from .word import WordFile, read_word_file

__all__ = ["PullError", "PullResult", "pull_docx"]


@dataclass
class PullResult:
    yaml_path: Path  # the brief that was (or would be) updated
    changed: bool  # False when the Word file holds no edits
    summary: str  # readable, section by section
    new_yaml: str  # the updated YAML text (written unless dry_run)


def pull_docx(docx: Path, *, yaml_path: Path | None = None, dry_run: bool = False) -> PullResult:
    """Bring the edits in ``docx`` back into its brief; see the module docs."""
    docx = Path(docx)
    word = read_word_file(docx)
    path = Path(yaml_path) if yaml_path is not None else _default_brief(word, docx)
    from ..read import compose, load_brief, read_text

    try:
        text = read_text(path)
        load_brief(path)
        root = compose(path, text)
    except BriefErrors as err:
        raise PullError(
            "the brief has problems; fix them before pulling:\n"
            + "\n".join(d.format() if hasattr(d, "format") else str(d) for d in err.diagnostics)
        ) from None
    current_hash = hashlib.sha256(path.read_bytes()).hexdigest()
    plan = Planner(word, path, text, root, changed_since=current_hash != word.sha256)
    plan.run()
    new_yaml = plan.splicer.result()
    if new_yaml != text:
        _check(path, new_yaml)
    changed = bool(plan.changes)
    summary = plan.summary(docx)
    if changed and not dry_run and new_yaml != text:
        _write(path, new_yaml)
    return PullResult(path, changed, summary, new_yaml)


def _default_brief(word: WordFile, docx: Path) -> Path:
    source = word.source
    if not source:
        raise PullError(f"{docx}: the file does not say which brief it was built from; name it with --yaml")
    candidate = Path(source)
    if candidate.is_absolute() or ".." in candidate.parts:
        raise PullError(f"{docx}: the recorded brief path '{source}' is not a relative path; name the brief with --yaml")
    if not candidate.is_file():
        raise PullError(
            f"{docx}: it was built from '{source}', which is not there (run pull from the "
            "folder you built in, or name the brief with --yaml)"
        )
    return candidate


def _check(path: Path, text: str) -> None:
    """The pulled brief must read back without errors."""
    from ..read import check_text

    errors = [d for d in check_text(path, text) if d.severity == "error"]
    if errors:
        raise PullError(
            "the edits would make the brief invalid, so nothing was written:\n"
            + "\n".join(_format(d) for d in errors)
        )


def _format(diagnostic) -> str:
    where = f"{diagnostic.path}: " if getattr(diagnostic, "path", "") else ""
    return f"{diagnostic.file}:{diagnostic.line}:{diagnostic.column}: {diagnostic.severity}: {where}{diagnostic.message}"


def _write(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.pull.tmp")
    temporary.write_text(text, encoding="utf-8", newline="")
    os.replace(temporary, path)
