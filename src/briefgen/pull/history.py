"""What the last pull of a brief's own Word file made of it.

After ``briefgen pull build/NAME.docx`` the build keeps the edited file,
so the file still records the brief it was first built from.  A small
note beside it (``build/.NAME.docx.pulled.json``) keeps the brief as that
pull made it from the file, so that the next pull of the same file starts
from there: what it brought in is not a conflict when the brief was edited
since, at the same places.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

MAX_BYTES = 8 * 1024 * 1024


def note_path(docx: Path) -> Path:
    return docx.with_name(f".{docx.name}.pulled.json")


def load(docx: Path, sha256: str) -> str | None:
    """The brief as the last pull of ``docx`` made it, if that pull read a
    file built from the same brief (``sha256``); None when there is none."""
    path = note_path(docx)
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
        note = json.loads(data.decode("utf-8")) if len(data) <= MAX_BYTES else None
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(note, dict) or note.get("sha256") != sha256 or not isinstance(note.get("theirs"), str):
        return None
    return note["theirs"]


def save(docx: Path, sha256: str, theirs: str) -> None:
    path = note_path(docx)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(json.dumps({"sha256": sha256, "theirs": theirs}), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        pass  # only a convenience: the next pull then starts from the file's own base
