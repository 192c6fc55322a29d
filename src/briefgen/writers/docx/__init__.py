"""The Word writer: the document model as an editable ``.docx``.

The file is built with python-docx over a reference document
(``templates/reference.docx``) that holds every style used here.  The
writer applies styles only, so an editor restyles the whole brief by
changing a style, and Word's own machinery is used wherever Word has one:
real footnotes, real list numbering, a contents field, page fields and
hyperlinks.  Raw XML for those lives in :mod:`briefgen.writers.ooxml`.

The package has one module per part of the Word file: :mod:`.writer` (the
document and its marks for pull), :mod:`.furniture` (headers, footers,
language, properties), :mod:`.cover` (title block, summary, key points and
figures, contents), :mod:`.blocks`, :mod:`.tables`, :mod:`.inlines`,
:mod:`.notes`, :mod:`.styles`, and :mod:`.rtl` for right-to-left files.
This module is the public face: rendering, and the package's zip.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import docx
from docx.document import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part

from ...pull import record as pull_record
from ...labels import labels_for
from ...resources import Templates
from ...locales import is_rtl
from ...model import Brief
from . import rtl
from .blocks import EMU_PER_INCH
from .cover import CONTENTS_PLACEHOLDER
from .furniture import cjk_variant, word_language
from .inlines import CITATION_TAG
from .styles import OPTIONAL_STYLES, REQUIRED_STYLES, WORD_BUILTIN_NAMES, resolve_styles
from .writer import _DocxWriter

__all__ = [
    "CITATION_TAG",
    "CONTENTS_PLACEHOLDER",
    "EMU_PER_INCH",
    "OPTIONAL_STYLES",
    "REQUIRED_STYLES",
    "WORD_BUILTIN_NAMES",
    "ZIP_EPOCH",
    "cjk_variant",
    "normalize_zip",
    "render_docx",
    "resolve_styles",
    "source_identity",
    "word_language",
]

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def render_docx(brief: Brief, *, reference: Path, templates: "Path | Templates | None" = None) -> bytes:
    """The brief as a .docx file's bytes, styled by the reference document.

    ``templates`` is the project's templates folder, whose label catalogs
    win over the packaged ones.
    """
    document = docx.Document(str(reference))
    styles = resolve_styles(document, reference)
    writer = _DocxWriter(brief, document, styles, labels_for(brief.lang, dict(brief.labels), templates))
    writer.write()
    if is_rtl(brief.lang):
        rtl.mirror(document, brief.lang)
    _add_pull_record(document, brief, writer.record())
    buffer = io.BytesIO()
    document.save(buffer)
    return normalize_zip(buffer.getvalue(), _zip_time(brief))


def _add_pull_record(
    document: Document, brief: Brief, record: pull_record.Record
) -> None:
    """Custom properties naming the brief, and the record of every marked
    paragraph in a custom XML part, for ``briefgen pull``.

    Both stay byte-identical for the same input: the brief's path is
    written relative to the working directory (or as a bare file name).
    """
    package = document.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT.CUSTOM_PROPERTIES:  # the reference's own: replaced
            del package.rels[rel_id]
    for rel_id, rel in list(document.part.rels.items()):
        if (
            rel.reltype == RT.CUSTOM_XML
            and not rel.is_external
            and pull_record.RECORD_NAMESPACE.encode() in rel.target_part.blob
        ):
            del document.part.rels[rel_id]
    source, digest, base = source_identity(brief.path)
    record.base = base
    custom = Part(
        PackURI("/docProps/custom.xml"),
        CT.OFC_CUSTOM_PROPERTIES,
        pull_record.custom_properties_xml(source, brief.name, digest),
        package,
    )
    package.relate_to(custom, RT.CUSTOM_PROPERTIES)
    item = Part(
        package.next_partname("/customXml/item%d.xml"),
        "application/xml",
        record.to_xml(),
        package,
    )
    document.part.relate_to(item, RT.CUSTOM_XML)
    props = Part(
        package.next_partname("/customXml/itemProps%d.xml"),
        CT.OFC_CUSTOM_XML_PROPERTIES,
        pull_record.record_props_xml(),
        package,
    )
    item.relate_to(props, RT.CUSTOM_XML_PROPS)


def source_identity(path: Path) -> tuple[str, str, str | None]:
    """The brief's path as recorded in the file, the SHA-256 of its bytes,
    and its text (the base of a later three-way pull).

    The path is relative to the working directory when the brief lies under
    it (``content/NAME.yaml``), else only the file name: never absolute.
    """
    try:
        data = path.read_bytes()
    except OSError:
        data = None
    digest = hashlib.sha256(data).hexdigest() if data is not None else ""
    try:
        base = data.decode("utf-8") if data is not None else None
    except UnicodeDecodeError:
        base = None
    try:
        shown = path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        shown = path.name
    return shown, digest, base

def normalize_zip(
    data: bytes, when: tuple[int, int, int, int, int, int] = ZIP_EPOCH
) -> bytes:
    """Rewrite a zip with fixed timestamps and attributes, so that the same
    content always gives the same bytes (python-docx stamps the current time)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w") as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=when)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            entry.create_system = 3
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def _zip_time(brief: Brief) -> tuple[int, int, int, int, int, int]:
    day = brief.updated or brief.date
    first = getattr(day, "first_day", None)
    day = first() if first is not None else day
    if day is None or day.year < 1980:
        return ZIP_EPOCH
    return (day.year, day.month, day.day, 0, 0, 0)
