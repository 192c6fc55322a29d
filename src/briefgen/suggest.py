"""'Did you mean' hints for misspelt keys, values and references."""

from __future__ import annotations

import difflib
from typing import Iterable


def nearest(word: str, choices: Iterable[str]) -> str | None:
    """The known choice closest to ``word``, if any is close enough."""
    options = list(choices)
    lowered = {choice.lower(): choice for choice in options}
    if word.lower() in lowered:
        return lowered[word.lower()]
    found = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return found[0] if found else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` or an empty string."""
    guess = nearest(word, choices)
    return f"; did you mean '{guess}'?" if guess else ""
