"""The one error pull raises."""

from __future__ import annotations


class PullError(Exception):
    """Nothing was written; ``str(err)`` says why, for the user."""
