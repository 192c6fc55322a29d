"""A Word file's zip archive and XML parts, read defensively.

A .docx is a zip of XML parts that anyone can craft, so the archive is
checked (entry count, sizes, compression ratio) before anything is
decompressed in full, and XML is parsed without DTDs, entities or network
access.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from pathlib import Path

from lxml import etree

from .errors import PullError

MAX_ENTRIES = 2000
MAX_ENTRY_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_RATIO = 100  # uncompressed / compressed, for entries over RATIO_FLOOR
RATIO_FLOOR = 256 * 1024
MAX_DOCX_BYTES = 256 * 1024 * 1024

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def open_archive(path: Path) -> dict[str, bytes]:
    try:
        size = path.stat().st_size
    except OSError as err:
        raise PullError(f"{path}: cannot read the file: {err.strerror or err}") from None
    if size > MAX_DOCX_BYTES:
        raise PullError(f"{path}: the file is larger than {MAX_DOCX_BYTES >> 20} MiB; refusing to read it")
    data = path.read_bytes()
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise PullError(f"{path}: not a Word file (.docx files are zip archives; this is not one)")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raise PullError(f"{path}: not a readable Word file ({err})") from None
    if len(infos) > MAX_ENTRIES:
        raise PullError(f"{path}: the archive has {len(infos)} entries (at most {MAX_ENTRIES} are read); refusing it")
    total = sum(info.file_size for info in infos)
    if total > MAX_TOTAL_BYTES:
        raise PullError(f"{path}: the archive unpacks to more than {MAX_TOTAL_BYTES >> 20} MiB; refusing it")
    wanted = {}
    for info in infos:
        if info.file_size > MAX_ENTRY_BYTES:
            raise PullError(f"{path}: entry {info.filename} unpacks to more than {MAX_ENTRY_BYTES >> 20} MiB; refusing it")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise PullError(
                f"{path}: entry {info.filename} is compressed {info.file_size // max(info.compress_size, 1)} to 1 "
                f"(at most {MAX_RATIO} to 1 is accepted); refusing a possible zip bomb"
            )
        name = info.filename
        if name.endswith((".xml", ".rels")):
            try:
                with archive.open(info) as handle:
                    content = handle.read(info.file_size + 1)
            except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as err:
                raise PullError(f"{path}: entry {name} cannot be read ({err})") from None
            if len(content) > info.file_size:
                raise PullError(f"{path}: entry {name} is larger than its header says; refusing it")
            wanted[name] = content
    return wanted


_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
)
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def parse_xml(path: Path, name: str, data: bytes) -> etree._Element:
    """A part's XML, refusing DTDs and entity declarations outright."""
    probes = [data]
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            probes.append(data.decode("utf-16").encode("utf-8"))
        except UnicodeDecodeError:
            pass
    if any(_DECLARATION.search(probe) for probe in probes):
        raise PullError(
            f"{path}: part {name} declares a DOCTYPE or ENTITY; Word never writes one, "
            "so the file is refused as tampered with"
        )
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as err:
        raise PullError(f"{path}: part {name} is not well-formed XML ({err})") from None
    if root.getroottree().docinfo.doctype:
        raise PullError(f"{path}: part {name} declares a DOCTYPE; refusing it")
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
