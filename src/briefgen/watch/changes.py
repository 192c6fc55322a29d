"""Noticing saves: poll modification times (no extra dependency, every file
system), quickly enough that the preview feels immediate."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Iterable, Iterator

Snapshot = dict[Path, tuple[int, int]]


def snapshot(paths: Iterable[Path], ignored: Path | None = None) -> Snapshot:
    """(mtime, size) of every file under ``paths``, except under ``ignored``
    (the output folder: writing the outputs is no reason to rebuild)."""
    skip = ignored.resolve() if ignored is not None else None
    state: Snapshot = {}
    for root in paths:
        if root.is_file():
            files: Iterable[Path] = [root]
        elif root.is_dir():
            files = (p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        else:
            continue
        for path in files:
            if skip is not None and path.resolve().is_relative_to(skip):
                continue
            try:
                stat = path.stat()
            except OSError:
                continue
            state[path] = (stat.st_mtime_ns, stat.st_size)
    return state


def changed_files(before: Snapshot, now: Snapshot) -> list[Path]:
    """Files added, changed or removed between two snapshots."""
    return sorted(path for path in before.keys() | now.keys() if before.get(path) != now.get(path))


def changes(
    watched: list[Path],
    stop: threading.Event,
    *,
    ignored: Path | None = None,
    interval: float = 0.05,
    settle: float = 0.03,
) -> Iterator[list[Path]]:
    """Yield the files that changed, each time some did, until ``stop``.

    A change is reported once the files have stayed the same for
    ``settle`` seconds, so an editor that writes a file in several steps
    is seen once, whole.
    """
    before = snapshot(watched, ignored)
    while not stop.wait(interval):
        now = snapshot(watched, ignored)
        if now == before:
            continue
        for _ in range(int(1 / settle)):  # at most a second of settling
            stop.wait(settle)
            again = snapshot(watched, ignored)
            if again == now:
                break
            now = again
        found = changed_files(before, now)
        before = now
        if found:
            yield found
