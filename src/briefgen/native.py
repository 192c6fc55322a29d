"""Loading the renderers' native libraries without a compiler run per name.

WeasyPrint and cairocffi try several names for each C library (the
Windows name first, the Linux soname last).  For every name that does not
load at once, cffi asks ``ctypes.util.find_library``, which on Linux runs
``ldconfig -p`` and then ``gcc`` and ``ld`` as child processes: some twenty
lookups, about a fifth of a second of CPU in every new briefgen process.

:func:`quick_library_lookup` answers those questions, while the renderers
are imported, from one reading of the ``ldconfig`` cache, as the first
step of ``find_library`` does, without the compiler fallbacks.  Should an
import fail that way (a system whose libraries only a compiler finds), it
is imported again with the standard lookup.
"""

from __future__ import annotations

import ctypes.util
import functools
import importlib
import os
import re
import struct
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType

#: The ``ldconfig -p`` ABI tag of 64-bit platforms, as ``ctypes.util`` has it.
_ABI = {
    "x86_64-64": "libc6,x86-64",
    "ppc64-64": "libc6,64bit",
    "sparc64-64": "libc6,64bit",
    "s390x-64": "libc6,64bit",
    "ia64-64": "libc6,IA-64",
}


def import_quickly(name: str) -> ModuleType:
    """Import module ``name`` with the quick library lookup."""
    if name in sys.modules:
        return sys.modules[name]
    try:
        with quick_library_lookup():
            return importlib.import_module(name)
    except OSError:
        return importlib.import_module(name)


@contextmanager
def quick_library_lookup() -> Iterator[None]:
    """``ctypes.util.find_library`` answered from the ``ldconfig`` cache
    (on Linux only; elsewhere nothing changes)."""
    if not sys.platform.startswith("linux") or not _ldconfig_cache():
        yield
        return
    standard = ctypes.util.find_library
    ctypes.util.find_library = find_library
    try:
        yield
    finally:
        ctypes.util.find_library = standard


def find_library(name: str) -> str | None:
    """The soname ``ldconfig`` lists for library ``name``, or None."""
    bits = "-32" if struct.calcsize("l") == 4 else "-64"
    abi = _ABI.get(os.uname().machine + bits, "libc6")
    match = re.search(rf"\s+(lib{re.escape(name)}\.[^\s]+)\s+\({re.escape(abi)}", _ldconfig_cache())
    return match.group(1) if match else None


@functools.cache
def _ldconfig_cache() -> str:
    for program in ("/sbin/ldconfig", "/usr/sbin/ldconfig"):
        try:
            result = subprocess.run(
                [program, "-p"], stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                stdout=subprocess.PIPE, env={"LC_ALL": "C", "LANG": "C"}, timeout=10, check=False,
            )
        except (OSError, subprocess.SubprocessError):
            continue
        if result.returncode == 0:
            return os.fsdecode(result.stdout)
    return ""
