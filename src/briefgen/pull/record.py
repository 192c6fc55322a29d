"""What a generated Word file remembers about the brief it came from.

The Word writer marks every paragraph it writes with a hidden bookmark
(``_bg_N``) and stores, in a custom XML part, what unit ``N`` is: the place
in the brief it came from (a *slot path* such as
``sections[2].body[3].list.items[1].text``) and its text as built.  With
that, ``briefgen pull`` can tell which paragraphs an editor changed, added
or removed, and whether the brief changed too since the file was made.
"""

from __future__ import annotations

import json
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
    def from_json(cls, data: dict) -> Unit:
        block = data.get("block")
        return cls(
            int(data["id"]),
            str(data["kind"]),
            tuple(data["path"]),
            tuple(block) if block is not None else None,
            tuple(Span.from_json(s) for s in data.get("spans", ())),
            tuple(Span.from_json(s) for s in data.get("term", ())),
            str(data.get("prefix", "")),
            int(data.get("level", 0)),
        )


@dataclass
class Record:
    units: list[Unit]
    styles: dict[str, str]  # style name -> style id in the file
    note_bookmarks: dict[str, str]  # "_RefNote3" -> footnote id
    note_numbers: dict[str, str]  # "3" -> footnote id
    #: "_bgc_3" -> "[@key, p. 12]": the bookmark around a citation, and the
    #: citation as written (kept when a program drops the content control's tag)
    citations: dict[str, str] = field(default_factory=dict)

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
        data = json.loads(text)
        return cls(
            [Unit.from_json(u) for u in data["units"]],
            {str(k): str(v) for k, v in data.get("styles", {}).items()},
            {str(k): str(v) for k, v in data.get("note_bookmarks", {}).items()},
            {str(k): str(v) for k, v in data.get("note_numbers", {}).items()},
            {str(k): str(v) for k, v in data.get("citations", {}).items()},
        )


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
