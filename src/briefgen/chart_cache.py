"""Charts drawn once: a content-addressed cache of chart images on disk.

Drawing a chart means importing matplotlib (about a third of a second)
and laying the chart out; the same chart then comes back on every build
of its brief, in every worker process.  So each rendering is kept in the
output folder's state, ``OUT/.briefgen-cache/charts/``, under a hash of
everything that shapes it: the chart's drawn data, the rendering's kind
and size, the house style (the drawing code itself, so a change of look
is a new key) and the versions of the libraries that draw it.  A file's
name is its key, so processes and runs share it without coordination:
writes go to a temporary file renamed into place (atomic), a reader sees
a whole file or none, and two processes writing the same key write the
same bytes.  The folder is kept under a size bound by removing the
least recently used files.
"""

from __future__ import annotations

import functools
import hashlib
import os
import threading
from importlib import metadata
from pathlib import Path

#: Default bound on the cache folder's size.
MAX_BYTES = 64 * 1024 * 1024
#: Libraries whose versions change the drawn bytes.
LIBRARIES = ("matplotlib", "cairosvg", "pillow")

_lock = threading.Lock()
_state: dict[str, "ChartCache | None"] = {"cache": None}


class ChartCache:
    """Files named by key in one folder, at most ``max_bytes`` in all."""

    def __init__(self, folder: Path, max_bytes: int = MAX_BYTES) -> None:
        self.folder = folder
        self.max_bytes = max_bytes

    def path(self, key: str, suffix: str) -> Path:
        return self.folder / f"{key}{suffix}"

    def load(self, key: str, suffix: str) -> bytes | None:
        """The bytes stored under ``key``, or None; a hit counts as a use."""
        path = self.path(key, suffix)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        try:
            os.utime(path)  # least recently used goes first
        except OSError:
            pass
        return data

    def store(self, key: str, suffix: str, data: bytes) -> None:
        """Keep ``data`` under ``key``; never fails a build (a read-only or
        full disk only means the next build draws again)."""
        target = self.path(key, suffix)
        temporary = self.folder / f".{key}{suffix}.{os.getpid()}.{threading.get_ident()}.tmp"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(data)
            os.replace(temporary, target)
        except OSError:
            try:
                temporary.unlink(missing_ok=True)
            except OSError:
                pass
            return
        self.prune()

    def prune(self) -> None:
        """Remove the least recently used files until the folder fits its bound."""
        entries = []
        try:
            paths = list(self.folder.iterdir())
        except OSError:
            return
        for path in paths:
            try:
                stat = path.stat()
            except OSError:
                continue
            entries.append((stat.st_mtime, stat.st_size, path))
        total = sum(size for _, size, _ in entries)
        for _, size, path in sorted(entries, key=lambda entry: entry[0]):
            if total <= self.max_bytes:
                break
            try:
                path.unlink(missing_ok=True)
            except OSError:
                continue
            total -= size


def configure(folder: Path | None, max_bytes: int = MAX_BYTES) -> None:
    """Use the cache in ``folder`` from now on in this process (None: none)."""
    with _lock:
        _state["cache"] = ChartCache(folder, max_bytes) if folder is not None else None


def current() -> ChartCache | None:
    return _state["cache"]


def folder_for(out_dir: Path) -> Path:
    """Where the charts of builds into ``out_dir`` are kept."""
    return out_dir / ".briefgen-cache" / "charts"


def key(*parts: object) -> str:
    """A key for a rendering described by ``parts``, the house style and
    the drawing libraries included."""
    digest = hashlib.sha256(_environment().encode("utf-8"))
    for part in parts:
        digest.update(b"\0" + repr(part).encode("utf-8"))
    return digest.hexdigest()[:40]


def drawing_code() -> list[Path]:
    """The modules that draw charts: a change to any of them redraws."""
    return sorted((Path(__file__).parent / "charts").glob("*.py"))


@functools.cache
def _environment() -> str:
    """The drawing code and library versions, read once per process."""
    from . import __version__

    code = b"".join(
        path.name.encode() + b"\0" + path.read_bytes() for path in drawing_code()
    )
    versions = []
    for name in LIBRARIES:
        try:
            versions.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name}=none")
    return f"briefgen={__version__};{hashlib.sha256(code).hexdigest()};{';'.join(versions)}"
