"""The one error pull raises, and its message lines."""

from __future__ import annotations

from pathlib import Path


class PullError(Exception):
    """Nothing was written; ``str(err)`` says why, for the user: one or more
    ``PLACE: error: ...`` lines (after a headline when there are several)."""


def failure(path: Path | str, message: str) -> PullError:
    """``PATH: error: message``, the one line a file that cannot be read gets."""
    return PullError(f"{path}: error: {message}")
