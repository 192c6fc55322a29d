"""A Word file's zip archive and XML parts, read defensively.

A .docx is a zip of XML parts that anyone can craft, so the archive is
checked (entry count, sizes, compression ratio) before anything is
decompressed in full, and XML is parsed without DTDs, entities or network
access.
"""

from __future__ import annotations

import io
import os
import posixpath
import re
import stat
import struct
import zipfile
import zlib
from pathlib import Path

from lxml import etree

from .errors import failure

#: What a Word file may hold before it is refused unread (each has its own message).
MAX_DOCX_BYTES = 256 * 1024 * 1024
MAX_ENTRIES = 2000
MAX_ENTRY_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_RATIO = 100  # uncompressed / compressed, for entries over RATIO_FLOOR
RATIO_FLOOR = 256 * 1024
#: Zip methods Word and LibreOffice write: stored and deflated.
METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
#: Everything zipfile and zlib raise on a damaged archive.
ZIP_ERRORS = (
    zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError,
    NotImplementedError, RuntimeError, struct.error, UnicodeDecodeError, OverflowError, KeyError, IndexError,
)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def read_file(path: Path) -> bytes:
    """The file's bytes, refusing at once anything that is not a regular
    file (a FIFO would block, ``/dev/zero`` never ends) or is too large."""
    try:
        info = os.stat(path)
    except OSError as err:
        raise failure(path, f"cannot read the file: {err.strerror or err}") from None
    if not stat.S_ISREG(info.st_mode):
        kind = next((name for test, name in _KINDS if test(info.st_mode)), "not a regular file")
        raise failure(path, f"this is {kind}, not a Word file; pull reads only regular .docx files")
    if info.st_size > MAX_DOCX_BYTES:
        raise failure(path, f"the file is larger than {MAX_DOCX_BYTES >> 20} MiB; refusing to read it")
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(descriptor, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise failure(path, "the file changed into something that is not a regular file; refusing it")
            data = handle.read(MAX_DOCX_BYTES + 1)
    except OSError as err:
        raise failure(path, f"cannot read the file: {err.strerror or err}") from None
    if len(data) > MAX_DOCX_BYTES:
        raise failure(path, f"the file is larger than {MAX_DOCX_BYTES >> 20} MiB; refusing to read it")
    return data


def open_archive(path: Path) -> dict[str, bytes]:
    """The XML parts of the Word file at ``path``, each checked before it is
    decompressed: entry count, declared sizes, compression ratio, method,
    encryption; a part that unpacks to more than it declares is refused."""
    data = read_file(path)
    try:
        if not zipfile.is_zipfile(io.BytesIO(data)):
            raise failure(path, "not a Word file (.docx files are zip archives; this is not one)")
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except ZIP_ERRORS as err:
        raise failure(path, f"not a readable Word file (the zip archive is damaged: {_reason(err)})") from None
    if len(infos) > MAX_ENTRIES:
        raise failure(path, f"the archive has {len(infos)} entries (at most {MAX_ENTRIES} are read); refusing it")
    total = sum(info.file_size for info in infos)
    if total > MAX_TOTAL_BYTES:
        raise failure(path, f"the archive unpacks to more than {MAX_TOTAL_BYTES >> 20} MiB; refusing it")
    wanted: dict[str, bytes] = {}
    seen: set[str] = set()
    for info in infos:
        name = info.filename
        if name in seen:
            raise failure(path, f"the archive holds {name} twice; refusing an ambiguous file")
        seen.add(name)
        if info.file_size > MAX_ENTRY_BYTES:
            raise failure(path, f"entry {name} unpacks to more than {MAX_ENTRY_BYTES >> 20} MiB; refusing it")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise failure(
                path,
                f"entry {name} is compressed {info.file_size // max(info.compress_size, 1)} to 1 "
                f"(at most {MAX_RATIO} to 1 is accepted); refusing a possible zip bomb",
            )
        if not name.endswith((".xml", ".rels")):
            continue
        if info.flag_bits & 0x1:
            raise failure(path, f"entry {name} is encrypted; remove the file's password in Word and pull again")
        if info.compress_type not in METHODS:
            raise failure(path, f"entry {name} uses zip method {info.compress_type}, which Word never writes; refusing it")
        wanted[name] = _read_entry(path, archive, info)
    return wanted


def _read_entry(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    try:
        with archive.open(info) as handle:
            content = handle.read(info.file_size + 1)
    except ZIP_ERRORS as err:
        raise failure(path, f"entry {info.filename} cannot be read (the archive is damaged: {_reason(err)})") from None
    if len(content) > info.file_size:
        raise failure(path, f"entry {info.filename} is larger than its header says; refusing it")
    return content


def _reason(err: BaseException) -> str:
    text = " ".join(str(err).split())
    text = text if len(text) <= 120 else text[:119] + "…"
    return text or type(err).__name__


_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
)
_HUGE_TEXT_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True, remove_comments=True
)
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def parse_xml(path: Path, name: str, data: bytes, *, huge_text: bool = False) -> etree._Element:
    """A part's XML, refusing DTDs and entity declarations outright.

    libxml2's own limits hold (256 levels of nesting, 10 MB in one text
    node) except that ``huge_text`` lifts them for the record, one element
    whose text grows with the brief."""
    probes = [data]
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            probes.append(data.decode("utf-16").encode("utf-8"))
        except UnicodeDecodeError:
            pass
    if any(_DECLARATION.search(probe) for probe in probes):
        raise failure(
            path, f"part {name} declares a DOCTYPE or ENTITY; Word never writes one, so the file is refused as tampered with"
        )
    try:
        root = etree.fromstring(data, _HUGE_TEXT_PARSER if huge_text else _PARSER)
    except (etree.LxmlError, ValueError) as err:
        raise failure(path, f"part {name} is not well-formed XML ({_reason(err)})") from None
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None:
        raise failure(path, f"part {name} declares a DOCTYPE; refusing it")
    return root


def relationships(path: Path, parts: dict[str, bytes], part: str) -> dict[str, str]:
    """External targets (hyperlinks) of ``part`` by relationship id."""
    folder, name = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", name + ".rels")
    if rels_name not in parts:
        return {}
    root = parse_xml(path, rels_name, parts[rels_name])
    return {
        rel.get("Id", ""): rel.get("Target", "")
        for rel in root.iter(f"{{{PKG_REL}}}Relationship")
        if rel.get("TargetMode") == "External"
    }


def properties(path: Path, parts: dict[str, bytes]) -> dict[str, str]:
    data = parts.get("docProps/custom.xml")
    if data is None:
        return {}
    root = parse_xml(path, "docProps/custom.xml", data)
    found = {}
    for prop in root.iter(f"{{{CUSTOM}}}property"):
        value = "".join(prop.itertext()).strip()
        found[prop.get("name", "")] = value
    return found
