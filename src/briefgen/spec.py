"""The brief format, version 1, as data.

One table per kind of mapping names its keys, which are required, their
value kind and a line of documentation.  The reader takes its known and
required keys from here (so 'did you mean' always suggests a real key), and
``briefgen schema`` turns the same tables into a JSON Schema for editors'
YAML tooling, so the two can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

FORMAT_VERSION = 1
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
DATE_PATTERN = r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$"  # YYYY-MM-DD, YYYY-MM or YYYY
LANG_PATTERN = r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$"
MAX_SECTION_DEPTH = 3


@dataclass(frozen=True)
class Key:
    name: str
    kind: str  # a name in _KIND_SCHEMAS, or an object name in OBJECTS
    doc: str
    required: bool = False


def _keys(*keys: Key) -> dict[str, Key]:
    return {key.name: key for key in keys}


OBJECTS: dict[str, dict[str, Key]] = {
    "brief": _keys(
        Key("title", "text", "The brief's title.", required=True),
        Key("subtitle", "text", "A line under the title."),
        Key("date", "date", "Date shown on the cover and in metadata: YYYY-MM-DD, YYYY-MM or YYYY (shown at that precision)."),
        Key("updated", "date", "'Updated' date shown beside the date (YYYY-MM-DD, YYYY-MM or YYYY)."),
        Key("version", "text", "Version line on the cover and in metadata."),
        Key("status", "status", "'draft' puts a DRAFT mark on every page; default 'final'."),
        Key("authors", "text_list", "Shown on the cover; author metadata."),
        Key("organization", "text", "Publisher line on the cover and in footers."),
        Key("marking", "text", "Handling banner at the top and bottom of every page, e.g. PUBLIC."),
        Key("lang", "lang", "Document language as a BCP-47 tag; default 'en'."),
        Key("keywords", "text_list", "Keywords for PDF and DOCX metadata."),
        Key("summary", "rich", "The executive summary, shown in a box before the body.", required=True),
        Key("key_points", "rich_list", "The 'Key takeaways' box."),
        Key("key_figures", "key_figure_list", "Stat panel of headline numbers."),
        Key("sections", "section_list", "The body: at least one section.", required=True),
        Key("conclusion", "rich_or_blocks", "Closing section: rich text or a list of blocks."),
        Key("sources", "source_list", "'Sources' list at the end."),
        Key("footnotes", "footnotes", "Bodies of the notes referenced inline as [^id]."),
        Key("bibliography", "text", "CSL-JSON (.json) or BibTeX (.bib) file of the works cited as [@key], inside the brief's folder."),
        Key("citation_style", "text", "Bundled CSL style (chicago-author-date default, apa, chicago-note-bibliography, ...) or a .csl file."),
        Key("labels", "labels", "Overrides of generated words by name, e.g. key_points: At a glance."),
        # Presentation settings (extensions of format v1): also settable for a
        # whole project in briefgen.toml, and from the command line.
        Key("theme", "theme", "House style for the PDF and HTML: a file templates/themes/NAME.css."),
        Key("section_numbers", "boolean", "Number the sections (1, 1.1, 1.1.1) in every output."),
        Key("pdf_variant", "pdf_variant", "'pdf/ua-1' (tagged, accessible; the default) or 'pdf/a-3u' (archival)."),
        Key("reference_docx", "text", "Word reference document (styles), relative to the brief's folder."),
    ),
    "section": _keys(
        Key("title", "text", "Heading.", required=True),
        Key("id", "slug", "Anchor; derived from the title when absent; unique in the brief."),
        Key("body", "blocks", "Content: a list of blocks."),
        Key("sections", "section_list", "Subsections; at most three levels in all."),
    ),
    "key_figure": _keys(
        Key("value", "text", "The number as it should be printed, e.g. \"12,000\".", required=True),
        Key("label", "text", "What the number counts.", required=True),
        Key("note", "rich", "A short qualification."),
    ),
    "source": _keys(
        Key("title", "text", "Title of the source.", required=True),
        Key("publisher", "text", "Who published it."),
        Key("url", "url", "Where to find it (http, https or mailto)."),
        Key("date", "text", "Publication or access date."),
        Key("note", "rich", "A remark on the source."),
    ),
    "list": _keys(
        Key("lead", "rich", "A lead-in sentence shown before the list."),
        Key("style", "list_style", "'bullet' (default) or 'numbered'."),
        Key("items", "list_items", "The items.", required=True),
    ),
    "list_item": _keys(
        Key("term", "rich", "A term, rendered in bold before the text."),
        Key("text", "rich", "The item's text.", required=True),
        Key("items", "list_items", "Nested items (one level)."),
    ),
    "table": _keys(
        Key("caption", "rich", "Caption above the table."),
        Key("columns", "columns", "Column names, or {title, align}.", required=True),
        Key("rows", "rows", "Rows: lists of cells, one per column.", required=True),
        Key("source", "rich", "Source line beneath the table."),
        Key("note", "rich", "Note beneath the table."),
    ),
    "column": _keys(
        Key("title", "text", "Column heading.", required=True),
        Key("align", "align", "'left', 'center' or 'right'."),
    ),
    "figure": _keys(
        Key("src", "text", "Image path relative to the brief's folder.", required=True),
        Key("alt", "text", "Alternative text for readers who cannot see the image.", required=True),
        Key("caption", "rich", "Caption beneath the image."),
        Key("source", "rich", "Source line beneath the caption."),
        Key("width", "percent", "Width as a percentage of the text width."),
    ),
    "chart": _keys(
        Key("type", "chart_type", "'bar', 'column' or 'line'.", required=True),
        Key("title", "text", "Title drawn above the chart."),
        Key("caption", "rich", "Caption beneath the chart."),
        Key("alt", "text", "Alternative text; generated from the data when absent."),
        Key("unit", "text", "Unit of the values, shown on the value axis."),
        Key("categories", "text_list", "Category labels.", required=True),
        Key("series", "series_list", "Data series, one value per category.", required=True),
        Key("source", "rich", "Source line beneath the caption."),
    ),
    "series": _keys(
        Key("name", "text", "Series name, shown in the legend.", required=True),
        Key("values", "number_list", "One number per category.", required=True),
    ),
    "quote": _keys(
        Key("text", "rich", "The quotation.", required=True),
        Key("attribution", "rich", "Who said or wrote it."),
    ),
    "callout": _keys(
        Key("kind", "callout_kind", "'note' (default), 'key' or 'warning'."),
        Key("title", "text", "Title of the box."),
        Key("body", "rich_or_blocks", "Rich text or a list of blocks.", required=True),
    ),
}

BLOCK_KINDS: dict[str, str] = {
    "paragraph": "A paragraph of rich text (same as a plain string).",
    "list": "A bulleted or numbered list with an optional lead-in.",
    "table": "A table with a header row.",
    "figure": "An image from the brief's folder.",
    "chart": "A chart drawn from the data.",
    "quote": "A block quotation.",
    "callout": "A boxed aside.",
    "todo": "An editorial placeholder shown as an 'Editor's note' box.",
    "page_break": "A page break in PDF and DOCX (ignored in HTML).",
}

CHOICES: dict[str, tuple[str, ...]] = {
    "status": ("draft", "final"),
    "list_style": ("bullet", "numbered"),
    "align": ("left", "center", "right"),
    "chart_type": ("bar", "column", "line"),
    "callout_kind": ("note", "key", "warning"),
    "pdf_variant": ("pdf/ua-1", "pdf/a-3u"),
}


# --------------------------------------------------------------------------
# JSON Schema
# --------------------------------------------------------------------------

_TEXT = {"type": ["string", "number", "boolean"]}
_RICH = {"type": "string", "description": "Rich text: **bold**, *italic*, [label](url), [^note]."}


def _label_keys() -> frozenset[str]:
    from .labels import known_label_keys

    return known_label_keys()


def _kind_schema(kind: str) -> dict[str, Any]:
    if kind in OBJECTS:
        return {"$ref": f"#/$defs/{kind}"}
    if kind in CHOICES:
        return {"enum": list(CHOICES[kind])}
    simple: dict[str, dict[str, Any]] = {
        "text": _TEXT,
        "rich": _RICH,
        "date": {"type": "string", "pattern": DATE_PATTERN},
        "labels": {
            "type": "object",
            "propertyNames": {"enum": sorted(_label_keys())},
            "additionalProperties": {"type": "string", "minLength": 1},
        },
        "lang": {"type": "string", "pattern": LANG_PATTERN},
        "slug": {"type": "string", "pattern": SLUG_PATTERN},
        "url": {"type": "string", "pattern": "^(https?:|mailto:)"},
        "percent": {"type": "number", "exclusiveMinimum": 0, "maximum": 100},
        "boolean": {"type": "boolean"},
        "theme": {"type": "string", "pattern": SLUG_PATTERN},
        "text_list": {"type": "array", "items": _TEXT},
        "rich_list": {"type": "array", "items": _RICH},
        "number_list": {"type": "array", "items": {"type": "number"}},
        "key_figure_list": {"type": "array", "items": {"$ref": "#/$defs/key_figure"}},
        "source_list": {"type": "array", "items": {"$ref": "#/$defs/source"}},
        "section_list": {"type": "array", "items": {"$ref": "#/$defs/section"}},
        "series_list": {"type": "array", "items": {"$ref": "#/$defs/series"}, "minItems": 1},
        "blocks": {"type": "array", "items": {"$ref": "#/$defs/block"}},
        "rich_or_blocks": {"oneOf": [_RICH, {"type": "array", "items": {"$ref": "#/$defs/block"}}]},
        "footnotes": {
            "type": "object",
            "propertyNames": {"pattern": r"^[A-Za-z0-9_-]+$"},
            "additionalProperties": _RICH,
        },
        "list_items": {
            "type": "array",
            "items": {"oneOf": [_RICH, {"$ref": "#/$defs/list_item"}]},
        },
        "columns": {
            "type": "array",
            "minItems": 1,
            "items": {"oneOf": [_TEXT, {"$ref": "#/$defs/column"}]},
        },
        "rows": {
            "type": "array",
            "items": {"type": "array", "items": {"type": ["string", "number", "null"]}},
        },
    }
    return dict(simple[kind])


def _object_schema(name: str) -> dict[str, Any]:
    keys = OBJECTS[name]
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [key.name for key in keys.values() if key.required],
        "properties": {
            key.name: {**_kind_schema(key.kind), "description": key.doc} for key in keys.values()
        },
    }


def _block_schema() -> dict[str, Any]:
    one_key: list[dict[str, Any]] = [_RICH]
    values: dict[str, dict[str, Any]] = {
        "paragraph": _RICH,
        "list": {"oneOf": [{"$ref": "#/$defs/list"}, _kind_schema("list_items")]},
        "table": {"$ref": "#/$defs/table"},
        "figure": {"$ref": "#/$defs/figure"},
        "chart": {"$ref": "#/$defs/chart"},
        "quote": {"oneOf": [_RICH, {"$ref": "#/$defs/quote"}]},
        "callout": {"$ref": "#/$defs/callout"},
        "todo": {"type": "string"},
        "page_break": {"const": True},
    }
    for kind, doc in BLOCK_KINDS.items():
        one_key.append(
            {
                "type": "object",
                "description": doc,
                "required": [kind],
                "additionalProperties": False,
                "properties": {kind: values[kind]},
            }
        )
    return {"oneOf": one_key}


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a brief file."""
    defs = {name: _object_schema(name) for name in OBJECTS if name != "brief"}
    defs["block"] = _block_schema()
    schema = _object_schema("brief")
    schema["properties"]["sections"]["minItems"] = 1
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://briefgen.invalid/schema/brief-v1.json",
        "title": "briefgen brief, format version 1",
        **schema,
        "$defs": defs,
    }
