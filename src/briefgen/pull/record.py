"""What a generated Word file remembers about the brief it came from.

The Word writer marks every paragraph it writes with a hidden bookmark
(``_bg_N``) and stores, in a custom XML part, what unit ``N`` is: the place
in the brief it came from (a *slot path* such as
``sections[2].body[3].list.items[1].text``) and its text as built.  With
that, ``briefgen pull`` can tell which paragraphs an editor changed, added
or removed, and whether the brief changed too since the file was made.
"""

from __future__ import annotations

import base64
import json
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .spans import Span, Spans

FORMAT = 1
BOOKMARK_PREFIX = "_bg_"
CITATION_BOOKMARK_PREFIX = "_bgc_"
RECORD_NAMESPACE = "urn:briefgen:pull"
RECORD_PART = "/customXml/item1.xml"
RECORD_PROPS_PART = "/customXml/itemProps1.xml"
RECORD_ITEM_ID = "{5B1E6E70-B41E-4F6E-9D7A-0000000000B6}"
#: Paragraph styles that make a paragraph a list item, and the second-level ones.
LIST_STYLE_NAMES = (
    "List Bullet", "List Bullet 2", "List Number", "List Number 2",
    "Callout List Bullet", "Callout List Number", "Key Takeaway",
)
SECOND_LEVEL_STYLES = ("List Bullet 2", "List Number 2")
#: Custom document properties (``docProps/custom.xml``).
PROP_FORMAT = "briefgen.format"
PROP_SOURCE = "briefgen.source"
PROP_NAME = "briefgen.name"
PROP_SHA256 = "briefgen.sha256"


Path_ = tuple[Any, ...]


@dataclass(frozen=True)
class Unit:
    """One paragraph the writer wrote, and where it came from.

    ``kind`` is ``rich``, ``plain`` (text that is not markup: titles,
    labels), ``term`` (a ``term – text`` list item), ``fixed`` (made up by
    the writer: cover lines, "Contents"), ``picture`` or ``break``.
    ``block`` is the block the paragraph belongs to, when it lies in a list
    of blocks, so that whole blocks can be added and removed.
    """

    id: int
    kind: str
    path: Path_
    block: Path_ | None = None
    spans: Spans = ()
    term: Spans = ()
    prefix: str = ""
    level: int = 0  # list items: 0 or 1

    def to_json(self) -> dict:
        data: dict[str, Any] = {"id": self.id, "kind": self.kind, "path": list(self.path)}
        if self.block is not None:
            data["block"] = list(self.block)
        if self.spans:
            data["spans"] = [s.to_json() for s in self.spans]
        if self.term:
            data["term"] = [s.to_json() for s in self.term]
        if self.prefix:
            data["prefix"] = self.prefix
        if self.level:
            data["level"] = self.level
        return data

    @classmethod
    def from_json(cls, data: Any) -> Unit:
        """A unit from the record, every field checked (the file may lie)."""
        if not isinstance(data, dict):
            raise RecordError("a unit is not an object")
        block = data.get("block")
        kind = data.get("kind")
        if kind not in KINDS:
            raise RecordError(f"unit kind {str(kind)[:20]!r} is unknown")
        level = data.get("level", 0)
        if not _is_int(level) or not 0 <= level <= 8:
            raise RecordError("a unit's level is not 0 to 8")
        return cls(
            _int(data.get("id"), "id"),
            kind,
            _path(data.get("path")),
            _path(block) if block is not None else None,
            _spans(data.get("spans", [])),
            _spans(data.get("term", [])),
            _str(data.get("prefix", ""), "prefix"),
            level,
        )


#: Limits on a record, which anyone can edit in the file.
MAX_UNITS = 200_000
MAX_PATH_LENGTH = 64
KINDS = ("rich", "plain", "term", "fixed", "picture", "break")


class RecordError(ValueError):
    """The record in a Word file does not have the shape the writer gives it."""


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _int(value: Any, what: str) -> int:
    if not _is_int(value) or not 0 <= value < 10**9:
        raise RecordError(f"a unit's {what} is not a whole number")
    return value


def _str(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise RecordError(f"{what} is not text")
    return value


def _path(value: Any) -> Path_:
    if not isinstance(value, list) or len(value) > MAX_PATH_LENGTH:
        raise RecordError("a unit's path is not a list of keys")
    for key in value:
        if not (isinstance(key, str) or (_is_int(key) and 0 <= key < 10**9)):
            raise RecordError("a unit's path holds something that is neither a key nor an index")
    return tuple(value)


def _spans(value: Any) -> Spans:
    if not isinstance(value, list):
        raise RecordError("a unit's text is not a list of spans")
    out = []
    for item in value:
        if not isinstance(item, list) or not 1 <= len(item) <= 3 or not all(isinstance(x, str) for x in item):
            raise RecordError("a span is not a list of one to three strings")
        if item[0] == "^" and len(item) != 2:
            raise RecordError("a footnote span is not ['^', id]")
        out.append(Span.from_json(item))
    return tuple(out)


def _str_map(value: Any, what: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise RecordError(f"'{what}' is not a map of strings")
    return dict(value)


@dataclass
class Record:
    units: list[Unit]
    styles: dict[str, str]  # style name -> style id in the file
    note_bookmarks: dict[str, str]  # "_RefNote3" -> footnote id
    note_numbers: dict[str, str]  # "3" -> footnote id
    #: "_bgc_3" -> "[@key, p. 12]": the bookmark around a citation, and the
    #: citation as written (kept when a program drops the content control's tag)
    citations: dict[str, str] = field(default_factory=dict)
    base: str | None = None  # the brief's YAML text the file was built from

    def to_xml(self) -> bytes:
        data = {
            "format": FORMAT,
            "styles": self.styles,
            "note_bookmarks": self.note_bookmarks,
            "note_numbers": self.note_numbers,
            "units": [u.to_json() for u in self.units],
        }
        if self.citations:
            data["citations"] = self.citations
        if self.base is not None:
            data["base"] = _pack_base(self.base)
        payload = json.dumps(
            data,
            ensure_ascii=True,
            separators=(",", ":"),
            sort_keys=True,
        )
        text = payload.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<briefgen xmlns="{RECORD_NAMESPACE}" format="{FORMAT}">{text}</briefgen>'
        ).encode()

    @classmethod
    def from_json_text(cls, text: str) -> Record:
        """The record, or :class:`RecordError` (a ``ValueError``) saying what
        is wrong with it; never any other exception, whatever the text."""
        if len(text) > MAX_RECORD_CHARS:
            raise RecordError(f"it is larger than {MAX_RECORD_CHARS >> 20} MiB")
        try:
            data = json.loads(text)
        except RecursionError:
            raise RecordError("it nests too deeply") from None
        except ValueError as err:
            raise RecordError(f"it is not JSON ({str(err)[:80]})") from None
        if not isinstance(data, dict):
            raise RecordError("it is not a JSON object")
        units = data.get("units")
        if not isinstance(units, list):
            raise RecordError("'units' is not a list")
        if len(units) > MAX_UNITS:
            raise RecordError(f"it lists more than {MAX_UNITS:,} paragraphs")
        parsed = [Unit.from_json(u) for u in units]
        if len({u.id for u in parsed}) != len(parsed):
            raise RecordError("two units share an id")
        base = data.get("base")
        return cls(
            parsed,
            _str_map(data.get("styles", {}), "styles"),
            _str_map(data.get("note_bookmarks", {}), "note_bookmarks"),
            _str_map(data.get("note_numbers", {}), "note_numbers"),
            _str_map(data.get("citations", {}), "citations"),
            _unpack_base(base) if base is not None else None,
        )


MAX_RECORD_CHARS = 64 * 1024 * 1024
#: The brief as built is at most what the YAML reader accepts.
MAX_BASE_BYTES = 2 * 1024 * 1024


def _pack_base(text: str) -> str:
    """The brief's text, deflated (level 9, so the same text always packs
    to the same bytes) and in base64."""
    return base64.b64encode(zlib.compress(text.encode("utf-8"), 9)).decode("ascii")


def _unpack_base(value: Any) -> str:
    if not isinstance(value, str):
        raise RecordError("'base' is not text")
    try:
        packed = base64.b64decode(value.encode("ascii"), validate=True)
        inflater = zlib.decompressobj()
        data = inflater.decompress(packed, MAX_BASE_BYTES + 1)
    except (ValueError, zlib.error, UnicodeEncodeError) as err:
        raise RecordError(f"the brief it was built from is damaged ({str(err)[:60]})") from None
    if len(data) > MAX_BASE_BYTES or inflater.unconsumed_tail:
        raise RecordError(f"the brief it was built from is larger than {MAX_BASE_BYTES >> 20} MiB")
    if not inflater.eof:
        raise RecordError("the brief it was built from is cut short")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise RecordError("the brief it was built from is not UTF-8") from None


def path_text(path: Sequence[Any]) -> str:
    """``("sections", 2, "body", 3)`` as ``sections[2].body[3]``."""
    out = ""
    for key in path:
        if isinstance(key, int):
            out += f"[{key}]"
        else:
            out += f".{key}" if out else str(key)
    return out


def custom_properties_xml(source: str, name: str, sha256: str) -> bytes:
    """``docProps/custom.xml``: where the file came from, in Word's own
    custom properties (File › Properties › Custom)."""
    from xml.sax.saxutils import escape

    fmtid = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
    props = [
        (PROP_FORMAT, "i4", str(FORMAT)),
        (PROP_SOURCE, "lpwstr", source),
        (PROP_NAME, "lpwstr", name),
        (PROP_SHA256, "lpwstr", sha256),
    ]
    body = "".join(
        f'<property fmtid="{fmtid}" pid="{pid}" name="{escape(key)}">'
        f"<vt:{kind}>{escape(value)}</vt:{kind}></property>"
        for pid, (key, kind, value) in enumerate(props, start=2)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"{body}</Properties>"
    ).encode()


def record_props_xml() -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<ds:datastoreItem ds:itemID="{RECORD_ITEM_ID}" '
        'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml">'
        f'<ds:schemaRefs><ds:schemaRef ds:uri="{RECORD_NAMESPACE}"/></ds:schemaRefs>'
        "</ds:datastoreItem>"
    ).encode()
