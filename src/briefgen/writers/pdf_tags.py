"""Page margins made accessible, after WeasyPrint has written the PDF.

WeasyPrint 70 tags the content of the page-margin boxes (running title,
organization, "Page N of M", the marking banner) but links the structure
elements it makes for them to nothing, "as Artifact is only allowed in
PDF 2.0" (``weasyprint/pdf/tags.py``).  A screen reader never reaches that
content, and checkers report every such marked-content sequence as
orphaned.  This module, run on the finished file with pikepdf:

- marks every such sequence as a pagination artifact
  (``/Artifact <</Type /Pagination>> BDC``), as PDF/UA asks of running
  heads and feet;
- marks the DRAFT watermark (text drawn rotated, on every page) as an
  artifact too and takes it out of the structure tree: a screen reader
  would otherwise read "Draft" at the top of each page;
- except the first page's top marking banner (the running element that is
  a ``<p>``): its structure element becomes the first child of the
  document, so that the marking is announced once, before the title;
- in the archival variant, drops ``/Interpolate true`` from images, which
  PDF/A forbids.

The file is saved with an identifier computed from its content, so the
same input still gives the same bytes.
"""

from __future__ import annotations

import io

import pikepdf
from pikepdf import Array, Dictionary, Name, Operator

_BDC = Operator("BDC")
_PAGINATION = Dictionary(Type=Name.Pagination)


def finish(data: bytes, *, archival: bool) -> bytes:
    """The PDF ``data`` with its margins as artifacts (see the module)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        tree = pdf.Root.get("/StructTreeRoot")
        if tree is not None:
            _margins_as_artifacts(pdf, tree)
        if archival:
            _no_interpolation(pdf)
        out = io.BytesIO()
        # Streams left alone are copied as they are, not decoded again.
        pdf.save(
            out,
            deterministic_id=True,
            compress_streams=True,
            stream_decode_level=pikepdf.StreamDecodeLevel.none,
            object_stream_mode=pikepdf.ObjectStreamMode.preserve,
        )
    return out.getvalue()


def _margins_as_artifacts(pdf: pikepdf.Pdf, tree: Dictionary) -> None:
    document = tree.K[0] if isinstance(tree.K, Array) else tree.K
    reachable = _reachable(tree)
    nums = tree.ParentTree.get("/Nums", Array())
    orphans: dict[int, set[int]] = {}
    for index in range(0, len(nums) - 1, 2):
        page, elements = int(nums[index]), nums[index + 1]
        if not isinstance(elements, Array):
            continue  # an annotation's entry
        for mcid, element in enumerate(elements):
            if isinstance(element, Dictionary) and element.objgen not in reachable:
                orphans.setdefault(page, set()).add(mcid)
        if page == 0:
            banner = _banner(elements, reachable, document)
            if banner is not None:
                document.K.insert(0, banner)
                reachable |= _reachable(banner)
                orphans[0] -= _mcids(banner)
        for mcid in orphans.get(page, ()):
            elements[mcid] = None
    pages_by_index = {index: elements for index, elements in _page_entries(nums)}
    for page_index, page in enumerate(pdf.pages):
        commands = pikepdf.parse_content_stream(page)
        rotated, where = _scan(commands)
        elements = pages_by_index.get(page_index)
        if rotated and elements is not None:
            for mcid in rotated - orphans.get(page_index, set()):
                if mcid < len(elements) and isinstance(elements[mcid], Dictionary):
                    _detach(elements[mcid], document)
                    elements[mcid] = None
        marked = orphans.get(page_index, set()) | rotated
        if marked:
            _rewrite(pdf, page, commands, {where[mcid] for mcid in marked if mcid in where})


def _page_entries(nums: Array):
    for index in range(0, len(nums) - 1, 2):
        if isinstance(nums[index + 1], Array):
            yield int(nums[index]), nums[index + 1]


def _scan(commands: list) -> tuple[set[int], dict[int, int]]:
    """The MCIDs drawn under a rotation (the diagonal DRAFT mark), and the
    index of the command that opens each MCID's marked content."""
    rotated: set[int] = set()
    where: dict[int, int] = {}
    stack = [False]
    for index, (operands, operator) in enumerate(commands):
        op = str(operator)
        if op == "q":
            stack.append(stack[-1])
        elif op == "Q":
            if len(stack) > 1:
                stack.pop()
        elif op == "cm":
            if abs(float(operands[1])) > 1e-6 or abs(float(operands[2])) > 1e-6:
                stack[-1] = True
        elif op == "BDC" and len(operands) == 2 and isinstance(operands[1], Dictionary) and "/MCID" in operands[1]:
            mcid = int(operands[1].MCID)
            where[mcid] = index
            if stack[-1]:
                rotated.add(mcid)
    return rotated, where


def _detach(element: Dictionary, document: Dictionary) -> None:
    """Take ``element`` out of its parent, and the parent when left empty."""
    parent = element.get("/P")
    if not isinstance(parent, Dictionary):
        return
    kids = parent.get("/K")
    if isinstance(kids, Array):
        keep = [kid for kid in kids if not (isinstance(kid, Dictionary) and kid.objgen == element.objgen)]
        parent.K = Array(keep)
        if not keep and parent.objgen != document.objgen and parent.get("/Type") == Name.StructElem:
            _detach(parent, document)


def _reachable(node: Dictionary) -> set[tuple[int, int]]:
    """The object ids of ``node`` and every structure element below it."""
    seen: set[tuple[int, int]] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if not isinstance(item, Dictionary) or item.objgen in seen:
            continue
        if item.objgen != (0, 0):
            seen.add(item.objgen)
        kids = item.get("/K")
        if isinstance(kids, Array):
            stack.extend(kids)
        elif isinstance(kids, Dictionary):
            stack.append(kids)
    return seen


def _mcids(element: Dictionary) -> set[int]:
    found: set[int] = set()
    stack = [element]
    while stack:
        item = stack.pop()
        kids = item.get("/K") if isinstance(item, Dictionary) else None
        for kid in kids if isinstance(kids, Array) else [kids] if kids is not None else []:
            if isinstance(kid, int):
                found.add(int(kid))
            elif isinstance(kid, Dictionary):
                stack.append(kid)
    return found


def _banner(elements: Array, reachable: set, document: Dictionary) -> Dictionary | None:
    """The first page's marking: the first orphaned margin paragraph."""
    for element in elements:
        if not isinstance(element, Dictionary) or element.objgen in reachable:
            continue
        top = element
        while "/P" in top and top.P.objgen != document.objgen and top.P.get("/Type") == Name.StructElem:
            top = top.P
        if top.get("/S") == Name.P:
            return top
    return None


def _rewrite(pdf: pikepdf.Pdf, page: pikepdf.Page, commands: list, indices: set[int]) -> None:
    """Turn the marked-content sequences opened at ``indices`` into
    pagination artifacts."""
    for index in indices:
        commands[index] = ([Name.Artifact, _PAGINATION], _BDC)
    page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(commands))


def _no_interpolation(pdf: pikepdf.Pdf) -> None:
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == Name.Image and "/Interpolate" in obj:
            del obj["/Interpolate"]
