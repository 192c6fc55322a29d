"""Which briefs one machine of many builds: ``briefgen build --shard K/N``.

A CI job matrix runs N copies of the build, each with its own K; every
brief must land in exactly one of them, the same one on every run, and
adding or removing briefs must not move the others.  So a brief's shard
depends only on its own path (relative to the folder it was found in,
or to the current directory for a file named on the command line), never
on its position in a list.  Rendezvous hashing picks, among the N
shards, the one whose hash with that path is highest: when N itself
changes from N to N+1, only about 1/(N+1) of the briefs move.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path, PurePosixPath
from typing import Iterable, NamedTuple

_SPEC = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")
#: Most shards a build may be split into (a CI matrix is far smaller).
MAX_SHARDS = 10_000


class Shard(NamedTuple):
    """Shard ``index`` (1-based) of ``count``."""

    index: int
    count: int

    @classmethod
    def parse(cls, text: str) -> "Shard":
        """``"K/N"`` with 1 <= K <= N; ValueError says what is wrong."""
        match = _SPEC.match(text)
        if match is None:
            raise ValueError(f"{text!r}: write the shard as K/N, e.g. 2/8 (the second of eight)")
        index, count = int(match[1]), int(match[2])
        if not 1 <= count <= MAX_SHARDS:
            raise ValueError(f"{text!r}: N must be between 1 and {MAX_SHARDS}")
        if not 1 <= index <= count:
            raise ValueError(f"{text!r}: K must be between 1 and N ({count})")
        return cls(index, count)

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def shard_of(key: str, count: int) -> int:
    """The 1-based shard of the brief whose path key is ``key``."""
    def weight(shard: int) -> bytes:
        return hashlib.blake2b(f"{shard}\0{key}".encode("utf-8"), digest_size=8).digest()

    return max(range(1, count + 1), key=weight)


def path_key(source: Path, roots: Iterable[Path]) -> str:
    """The brief's path as the shards see it: POSIX, relative to the first
    folder of ``roots`` that holds it, else to the current directory."""
    resolved = source.resolve()
    for root in roots:
        root = root.resolve()
        if root.is_dir() and resolved.is_relative_to(root):
            return PurePosixPath(resolved.relative_to(root)).as_posix()
    cwd = Path.cwd().resolve()
    if resolved.is_relative_to(cwd):
        return PurePosixPath(resolved.relative_to(cwd)).as_posix()
    return resolved.as_posix()


def select(sources: list[Path], shard: Shard, roots: Iterable[Path]) -> list[Path]:
    """The briefs of ``sources`` that belong to ``shard``, in their order."""
    roots = [root for root in roots if root.is_dir()]
    return [s for s in sources if shard_of(path_key(s, roots), shard.count) == shard.index]
