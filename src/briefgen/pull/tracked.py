"""Tracked changes (Review › Track Changes) as Word and LibreOffice write them.

By default pull lists every change not yet accepted, with its place and
author, and writes nothing.  :func:`resolve` rewrites a part's XML as if
every change had been accepted (or rejected), which is what
``--accept-changes`` and ``--reject-changes`` pull.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from .archive import w

#: Elements holding inserted or deleted content, by what they are.
CONTENT = {"ins": "insertion", "del": "deletion", "moveFrom": "move (from)", "moveTo": "move (to)"}
#: Formatting changes: the element keeps the properties as they were.
FORMATTING = ("rPrChange", "pPrChange", "sectPrChange", "tblPrChange", "trPrChange", "tcPrChange",
              "tblGridChange", "tblPrExChange", "numberingChange")
CELLS = {"cellIns": "inserted table cell", "cellDel": "deleted table cell", "cellMerge": "merged table cells"}
RANGES = ("moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd",
          "customXmlInsRangeStart", "customXmlInsRangeEnd", "customXmlDelRangeStart", "customXmlDelRangeEnd",
          "customXmlMoveFromRangeStart", "customXmlMoveFromRangeEnd", "customXmlMoveToRangeStart",
          "customXmlMoveToRangeEnd")
_TAGS = [w(t) for t in (*CONTENT, *FORMATTING, *CELLS)]


@dataclass(frozen=True)
class Change:
    """One change not yet accepted."""

    kind: str  # insertion, deletion, move, formatting change, ...
    author: str
    date: str  # as Word writes it: 2026-12-01T10:00:00Z (may be empty)
    text: str  # the inserted or deleted words ("" for formatting)

    def describe(self) -> str:
        who = self.author or "an unknown author"
        when = f", {self.date[:10]}" if self.date else ""
        words = " ".join(self.text.split())
        words = words if len(words) <= 60 else words[:59] + "…"
        return f"{self.kind} by {who}{when}" + (f': "{words}"' if words else "")


def changes_in(element: etree._Element) -> list[Change]:
    """Every tracked change inside ``element`` (a paragraph), outermost only."""
    found: list[Change] = []
    for node in element.iter(*_TAGS):
        if _inside_change(node, element):
            continue
        local = etree.QName(node.tag).localname
        if local in CONTENT:
            parent = node.getparent()
            mark = parent is not None and etree.QName(parent.tag).localname == "rPr" and _in_ppr(parent)
            kind = f"paragraph mark {CONTENT[local]}" if mark else CONTENT[local]
            text = "".join(t.text or "" for t in node.iter(w("t"), w("delText")))
        elif local in CELLS:
            kind, text = CELLS[local], ""
        else:
            kind, text = "formatting change", ""
        found.append(Change(kind, node.get(w("author"), ""), node.get(w("date"), ""), text))
    return found


def _inside_change(node: etree._Element, stop: etree._Element) -> bool:
    for ancestor in node.iterancestors():
        if ancestor is stop:
            return False
        if ancestor.tag in _TAGS:
            return True
    return False


def _in_ppr(rpr: etree._Element) -> bool:
    parent = rpr.getparent()
    return parent is not None and etree.QName(parent.tag).localname == "pPr"


def has_changes(root: etree._Element) -> bool:
    return next(root.iter(*_TAGS), None) is not None


def resolve(root: etree._Element, accept: bool) -> None:
    """Rewrite ``root`` in place as if every change were accepted (or rejected)."""
    keep, drop = ("ins", "moveTo"), ("del", "moveFrom")
    if not accept:
        keep, drop = drop, keep
    merge: list[etree._Element] = []
    for node in list(root.iter(*[w(t) for t in (*CONTENT, *FORMATTING, *CELLS, *RANGES)])):
        if node.getparent() is None:
            continue  # inside something removed already
        local = etree.QName(node.tag).localname
        parent = node.getparent()
        if local in CONTENT and etree.QName(parent.tag).localname == "rPr":
            # a paragraph mark (or a table row) inserted or deleted
            owner = parent.getparent()
            owner_local = etree.QName(owner.tag).localname if owner is not None else ""
            parent.remove(node)
            if local in drop and owner_local == "pPr" and owner.getparent() is not None:
                merge.append(owner.getparent())
            continue
        if local in CONTENT and etree.QName(parent.tag).localname == "trPr":
            parent.remove(node)
            row = parent.getparent()
            if local in drop and row is not None and row.getparent() is not None:
                row.getparent().remove(row)
            continue
        if local in CONTENT:
            if local in drop:
                parent.remove(node)
            else:
                _unwrap(node)
        elif local in FORMATTING:
            _formatting(node, accept)
        elif local in CELLS:
            cell = parent.getparent() if etree.QName(parent.tag).localname == "tcPr" else None
            parent.remove(node)
            gone = (local == "cellDel") == accept
            if local != "cellMerge" and gone and cell is not None and cell.getparent() is not None:
                cell.getparent().remove(cell)
        else:
            parent.remove(node)
    for paragraph in reversed(merge):  # the last first, so that chains join up
        _merge_with_next(paragraph)
    if not accept:
        for text in list(root.iter(w("delText"), w("delInstrText"))):
            text.tag = w("t") if text.tag == w("delText") else w("instrText")


def _unwrap(node: etree._Element) -> None:
    parent = node.getparent()
    at = parent.index(node)
    for offset, child in enumerate(list(node)):
        parent.insert(at + offset, child)
    parent.remove(node)


def _formatting(node: etree._Element, accept: bool) -> None:
    """Accepting keeps the properties as they are; rejecting puts back the
    old ones the change element holds."""
    parent = node.getparent()
    parent.remove(node)
    if accept or etree.QName(node.tag).localname == "numberingChange":
        return
    old = next((child for child in node if isinstance(child.tag, str)), None)
    keep = {w("rPr"), w("sectPr"), w("pPrChange"), w("rPrChange")} if parent.tag == w("pPr") else set()
    for child in list(parent):
        if child.tag not in keep:
            parent.remove(child)
    for child in list(old) if old is not None else ():  # LibreOffice leaves out empty old properties
        parent.append(child)


def _merge_with_next(paragraph: etree._Element) -> None:
    """A deleted paragraph mark joins the paragraph with the next one."""
    following = paragraph.getnext()
    while following is not None and following.tag != w("p"):
        if following.tag in (w("tbl"), w("sectPr")):
            return
        following = following.getnext()
    if following is None:
        return
    for child in list(following):
        if child.tag != w("pPr"):
            paragraph.append(child)
    following.getparent().remove(following)
