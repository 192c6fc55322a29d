"""What ``build/`` remembers about what it wrote.

The manifest records, per brief, the files it was built from (with size,
modification time and content hash) and the hash of every output it wrote.
From that the build decides what is up to date without parsing a single
brief, and notices a Word file that an editor changed since it was written.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST_NAME = ".briefgen-manifest.json"
_VERSION = 1


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class FileStamp:
    """Enough to tell, cheaply, whether a file is still what it was."""

    size: int
    mtime_ns: int
    sha256: str

    @classmethod
    def of(cls, path: Path) -> "FileStamp":
        stat = path.stat()
        return cls(stat.st_size, stat.st_mtime_ns, file_sha256(path))

    def matches(self, path: Path) -> bool:
        """True when ``path`` still has this content (hashing only if touched)."""
        try:
            stat = path.stat()
        except OSError:
            return False
        if stat.st_size != self.size:
            return False
        if stat.st_mtime_ns == self.mtime_ns:
            return True
        return file_sha256(path) == self.sha256

    def to_json(self) -> list:
        return [self.size, self.mtime_ns, self.sha256]

    @classmethod
    def from_json(cls, data: list) -> "FileStamp":
        size, mtime_ns, sha = data
        return cls(int(size), int(mtime_ns), str(sha))


@dataclass
class Entry:
    """One brief's record: its inputs, the environment, and its outputs."""

    environment: str
    inputs: dict[str, FileStamp] = field(default_factory=dict)  # absolute path -> stamp
    outputs: dict[str, FileStamp] = field(default_factory=dict)  # format -> stamp
    # format -> SHA-256 of the brief it now matches, for an output that was
    # not generated from the brief but brought back into it ('briefgen pull')
    synced: dict[str, str] = field(default_factory=dict)

    def inputs_unchanged(self) -> bool:
        return all(stamp.matches(Path(name)) for name, stamp in self.inputs.items())


class Manifest:
    def __init__(self, folder: Path):
        self.path = folder / MANIFEST_NAME
        self.entries: dict[str, Entry] = {}

    @classmethod
    def load(cls, folder: Path) -> "Manifest":
        manifest = cls(folder)
        try:
            data = json.loads(manifest.path.read_text("utf-8"))
        except (OSError, ValueError):
            return manifest
        if not isinstance(data, dict) or data.get("version") != _VERSION:
            return manifest
        for name, raw in (data.get("briefs") or {}).items():
            try:
                manifest.entries[name] = Entry(
                    str(raw["environment"]),
                    {k: FileStamp.from_json(v) for k, v in raw["inputs"].items()},
                    {k: FileStamp.from_json(v) for k, v in raw["outputs"].items()},
                    {str(k): str(v) for k, v in (raw.get("synced") or {}).items()},
                )
            except (KeyError, TypeError, ValueError):
                continue  # a damaged entry only means that brief is rebuilt
        return manifest

    def save(self) -> None:
        data = {
            "version": _VERSION,
            "briefs": {
                name: {
                    "environment": entry.environment,
                    "inputs": {k: v.to_json() for k, v in sorted(entry.inputs.items())},
                    "outputs": {k: v.to_json() for k, v in sorted(entry.outputs.items())},
                    "synced": dict(sorted(entry.synced.items())),
                }
                for name, entry in sorted(self.entries.items())
            },
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(self.path, (json.dumps(data, indent=1) + "\n").encode("utf-8"))


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` so that ``path`` is either the old file or the new one,
    never half of each, whatever interrupts the build."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    WRITING.add(tmp)
    try:
        with tmp.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
        WRITING.discard(tmp)


#: The temporary files this process is writing: a worker that must end at
#: once (its parent was killed) removes them first.
WRITING: set[Path] = set()
