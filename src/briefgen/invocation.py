"""How the user started briefgen, so the commands we suggest can be pasted.

After ``make briefs`` the command is ``.venv/bin/briefgen``; in CI it may be
``python -m briefgen``; with a virtual environment on ``PATH`` it is plain
``briefgen``.  Telling someone to run a command that their shell cannot
find is the first thing a new user hits, so we echo their own spelling.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

NAME = "briefgen"


def command_name(argv: list[str] | None = None, orig_argv: list[str] | None = None) -> str:
    """``briefgen``, ``.venv/bin/briefgen`` or ``python -m briefgen``: as typed."""
    argv = sys.argv if argv is None else argv
    orig = getattr(sys, "orig_argv", argv) if orig_argv is None else orig_argv
    if "-m" in orig[1:3]:
        module = orig[orig.index("-m") + 1] if orig.index("-m") + 1 < len(orig) else ""
        if module.split(".")[0] == NAME:
            return f"{orig[0]} -m {module}"
        return NAME  # some other program (a test runner) is calling us
    typed = argv[0] if argv else NAME
    if Path(typed).stem != NAME:
        return NAME
    if os.sep not in typed and "/" not in typed:
        return typed
    found = shutil.which(Path(typed).name)
    try:
        if found and os.path.samefile(found, typed):
            return NAME  # the same program is on PATH: the short name works
    except OSError:
        pass
    return typed
