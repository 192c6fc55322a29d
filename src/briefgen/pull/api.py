"""``briefgen pull``: an editor's changes in a generated Word file, back in the brief.

The Word writer marks each paragraph with a hidden bookmark and records
what it wrote (:mod:`briefgen.pull.record`).  Pull reads the edited file
(:mod:`briefgen.pull.word`), compares every marked paragraph with what was
built, works out added and removed paragraphs from where markers are
missing or new paragraphs stand, and splices the changes into the YAML
text (:mod:`briefgen.pull.splice`).  Anything it cannot map exactly is
refused with a message, and nothing is written.

When the brief changed since the file was built, the edits are planned
against the brief as built (the file carries its text) and merged into the
brief as it is now, three ways (:mod:`briefgen.pull.merge`): an edit the
brief already holds is not made again, and a place changed in both
differently is a conflict; a pull with conflicts writes nothing.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import BriefErrors
from .errors import PullError, failure
from . import history
from .merge import Merged, held, merge
from .plan import Planner
from .splice import SpliceError
from .record import path_text
from .summary import listing, render
from .word import Changes, WordFile, read_word_file

__all__ = ["PullError", "PullResult", "pull_docx"]

#: What a record that lies about the brief can make the planner raise.
_RECORD_MISMATCH = (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError)


@dataclass
class PullResult:
    yaml_path: Path  # the brief that was (or would be) updated
    changed: bool  # False when the Word file holds no edits
    summary: str  # readable, section by section
    new_yaml: str  # the updated YAML text (written unless dry_run)


def pull_docx(
    docx: Path, *, yaml_path: Path | None = None, dry_run: bool = False, changes: Changes = "list"
) -> PullResult:
    """Bring the edits in ``docx`` back into its brief; see the module docs.

    ``changes`` says what to do with tracked changes not yet accepted:
    ``list`` them (and write nothing), or pull the file as if all were
    ``accept``-ed or ``reject``-ed."""
    docx = Path(docx)
    word = read_word_file(docx, changes=changes)
    if word.tracked:
        raise _tracked(word)
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
    base = _base(word, docx)
    own = docx.name == f"{path.stem}.docx"  # the brief's own Word file: remember this pull
    previous = history.load(docx, word.sha256) if own and base is not None else None
    theirs: str | None = None
    try:
        if current_hash == word.sha256 or base is None:
            plan = Planner(word, path, text, root, changed_since=current_hash != word.sha256)
            plan.run()
            new_yaml, applied, already = plan.splicer.result(), plan.changes, 0
            theirs = new_yaml if current_hash == word.sha256 else None
        else:
            plan = Planner(word, path, base, compose(path, base), changed_since=False)
            plan.run()
            theirs = plan.splicer.result()
            done = held(base, previous, plan.groups) if previous is not None else []
            merged = merge(base, text, [g for g in plan.groups if all(g is not d for d in done)])
            _conflicts(merged, path, word)
            new_yaml, applied = merged.text, _moved(merged)
            already = len(merged.already) + sum(len(g.changes) for g in done)
    except _RECORD_MISMATCH as err:
        raise failure(docx, f"the briefgen record in the file does not fit the brief it names "
                      f"(the file was damaged or tampered with: {type(err).__name__})") from None
    except SpliceError as err:
        raise failure(path, f"{err}; nothing was written") from None
    except BriefErrors:
        raise failure(docx, "the copy of the brief the file was built from is damaged") from None
    if new_yaml != text:
        _check(path, new_yaml)
    changed = bool(applied) and new_yaml != text
    summary = render(docx, path, applied if changed else [], current_hash != word.sha256, already)
    if not dry_run:
        if changed:
            _write(path, new_yaml)
        if own and theirs is not None:
            history.save(docx, word.sha256, theirs)
    return PullResult(path, changed, summary, new_yaml)


def _base(word: WordFile, docx: Path) -> str | None:
    """The YAML the file was built from, checked against its recorded hash."""
    base = word.record.base
    if base is None:
        return None
    if hashlib.sha256(base.encode("utf-8")).hexdigest() != word.sha256:
        raise failure(docx, "the copy of the brief the file was built from does not match its recorded "
                      "SHA-256 (the file was damaged or tampered with)")
    return base.removeprefix("\ufeff")


def _conflicts(merged: Merged, path: Path, word: WordFile) -> None:
    if merged.conflicts:
        raise PullError(listing(
            f"the brief changed since {word.path.name} was built, and these places were changed in both; "
            "nothing was written",
            [f"{path}:{line}:{column}: error: {path_text(change.path)}: changed in Word and in the brief since "
             "the Word file was built; make the change in one of them" for line, column, change in merged.conflicts],
        ))


def _moved(merged: Merged) -> list:
    """The applied changes, with their lines in the merged text."""
    for change in merged.applied:
        if change.line is not None and change.line - 1 in merged.lines:
            change.line = merged.lines[change.line - 1] + 1
    return merged.applied


def _tracked(word: WordFile) -> PullError:
    lines = []
    for item in word.tracked:
        unit = word.record_unit(item.paragraph)
        place = f"{item.where}, {path_text(unit.path)}" if unit is not None else item.where
        lines.append(f"{word.path}: error: {place}: {item.change.describe()}")
    count = len(word.tracked)
    return PullError(listing(
        f"{word.path} holds tracked changes not yet accepted ({count}), so nothing was written; accept or reject them in Word (Review › Accept All Changes), or pull with "
        "--accept-changes or --reject-changes",
        lines,
    ))


def _default_brief(word: WordFile, docx: Path) -> Path:
    source = word.source
    if not source:
        raise failure(docx, "the file does not say which brief it was built from; name it with --yaml")
    candidate = Path(source)
    if candidate.is_absolute() or ".." in candidate.parts or "\0" in source:
        raise failure(docx, f"the recorded brief path '{source[:200]}' is not a relative path; name the brief with --yaml")
    try:
        there = candidate.is_file()
    except (OSError, ValueError):
        there = False
    if not there:
        raise failure(
            docx, f"it was built from '{source[:200]}', which is not there (run pull from the "
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
