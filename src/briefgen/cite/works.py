"""Reading a bibliography: CSL-JSON (``.json``) or BibTeX (``.bib``).

The CSL processor reads the file itself; this module reads it first so
that a file that does not parse is reported at its own line and column
(never a processor's stack trace), and so that citation keys can be
checked, with a did-you-mean, where the brief uses them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

SUFFIXES = (".json", ".bib")
MAX_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class Work:
    """One entry: its key, CSL type and the fields it has (CSL variable names)."""

    key: str
    type: str
    fields: frozenset[str]
    line: int


@dataclass(frozen=True)
class Problem:
    line: int
    column: int
    message: str


class BibliographyError(ValueError):
    """The bibliography file does not parse; ``problems`` say where."""

    def __init__(self, path: Path, problems: list[Problem]):
        super().__init__(problems[0].message if problems else "bad bibliography")
        self.path = path
        self.problems = problems


@dataclass
class Works:
    path: Path
    format: str  # "csl-json" or "bibtex"
    by_key: dict[str, Work] = field(default_factory=dict)

    def __contains__(self, key: str) -> bool:
        return key in self.by_key


def read_works(path: Path) -> Works:
    """The works in ``path``; :class:`BibliographyError` with every problem found."""
    data = path.read_bytes()
    if len(data) > MAX_BYTES:
        raise BibliographyError(path, [Problem(1, 1, f"the bibliography is larger than {MAX_BYTES // 1024 // 1024} MB")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise BibliographyError(path, [Problem(line, 1, "the file is not UTF-8 text; save it as UTF-8")]) from None
    if path.suffix.lower() == ".json":
        return _csl_json(path, text)
    from .bibtex import parse_bibtex

    entries, problems = parse_bibtex(text)
    if problems:
        raise BibliographyError(path, problems)
    works = Works(path, "bibtex")
    for entry in entries:
        if entry.key in works.by_key:
            raise BibliographyError(path, [Problem(entry.line, 1, f"the key '{entry.key}' is defined twice (first at line {works.by_key[entry.key].line})")])
        works.by_key[entry.key] = Work(entry.key, _BIBTEX_TYPES.get(entry.type, "document"), frozenset(_csl_fields(entry.fields)), entry.line)
    return works


def _csl_json(path: Path, text: str) -> Works:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise BibliographyError(path, [Problem(err.lineno, err.colno, f"JSON syntax error: {err.msg}")]) from None
    if isinstance(data, dict) and "items" in data:
        data = data["items"]
    if not isinstance(data, list):
        raise BibliographyError(path, [Problem(1, 1, "a CSL-JSON bibliography is a list of works ([{\"id\": ...}, ...])")])
    works = Works(path, "csl-json")
    problems: list[Problem] = []
    for number, item in enumerate(data, 1):
        line = _line_of_id(text, item) if isinstance(item, dict) else 1
        if not isinstance(item, dict) or not isinstance(item.get("id"), (str, int)) or str(item.get("id")).strip() == "":
            problems.append(Problem(line, 1, f"work {number} has no \"id\" (the key cited as [@id])"))
            continue
        key = str(item["id"])
        if key in works.by_key:
            problems.append(Problem(line, 1, f"the id '{key}' is used twice (first at line {works.by_key[key].line})"))
            continue
        kind = str(item.get("type") or "")
        if not kind:
            problems.append(Problem(line, 1, f"work '{key}' has no \"type\" (book, article-journal, report, webpage...)"))
        works.by_key[key] = Work(key, kind or "document", frozenset(k for k, v in item.items() if v not in (None, "", [], {})), line)
    if problems:
        raise BibliographyError(path, problems)
    return works


def _line_of_id(text: str, item: dict) -> int:
    """The line of ``"id": "key"`` for ``item`` (1 when it cannot be found)."""
    key = item.get("id")
    if key is None:
        return 1
    match = re.search(r'"id"\s*:\s*' + re.escape(json.dumps(key)), text)
    return text.count("\n", 0, match.start()) + 1 if match else 1


_BIBTEX_TYPES = {
    "article": "article-journal",
    "book": "book",
    "booklet": "pamphlet",
    "inbook": "chapter",
    "incollection": "chapter",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "manual": "report",
    "mastersthesis": "thesis",
    "phdthesis": "thesis",
    "misc": "document",
    "online": "webpage",
    "techreport": "report",
    "report": "report",
    "unpublished": "manuscript",
    "thesis": "thesis",
    "collection": "book",
    "proceedings": "book",
    "dataset": "dataset",
    "software": "software",
}

_BIBTEX_FIELDS = {
    "author": "author",
    "editor": "editor",
    "title": "title",
    "year": "issued",
    "date": "issued",
    "journal": "container-title",
    "journaltitle": "container-title",
    "booktitle": "container-title",
    "publisher": "publisher",
    "institution": "publisher",
    "organization": "publisher",
    "school": "publisher",
    "url": "URL",
    "doi": "DOI",
    "volume": "volume",
    "number": "issue",
    "pages": "page",
}


def _csl_fields(fields: dict[str, str]) -> list[str]:
    return [_BIBTEX_FIELDS.get(name, name) for name, value in fields.items() if value.strip()]


#: What every style needs of a work, and what it shows instead.
NEEDS = (
    (("title",), "a title"),
    (("author", "editor", "publisher"), "an author, editor or publisher"),
    (("issued",), "a date (year)"),
)
NEEDS_BY_TYPE = {
    "article-journal": ((("container-title",), "the journal's name"),),
    "chapter": ((("container-title",), "the book's title"),),
    "book": ((("publisher",), "a publisher"),),
    "report": ((("publisher",), "a publisher or institution"),),
}


def missing(work: Work) -> list[str]:
    """What ``work`` lacks that a citation style needs to cite it in full."""
    out = []
    for names, what in NEEDS + NEEDS_BY_TYPE.get(work.type, ()):
        if not any(name in work.fields for name in names):
            out.append(what)
    return out
