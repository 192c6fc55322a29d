"""Page margins in the tagged PDF: artifacts, or reachable from the tree.

A marked-content id (MCID) used in a page's content stream that no
structure element reaches is content a screen reader never announces;
PDF/UA checkers report it as orphaned.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

import pikepdf
import pytest
from test_html_writer import TEMPLATES

from briefgen.read import load_brief
from briefgen.writers.html import render_html
from briefgen.writers.pdf import render_pdf

ROOT = Path(__file__).resolve().parents[1]


def _tree_mcids(pdf: pikepdf.Pdf) -> dict[int, set[int]]:
    """MCIDs each page's structure elements reach, walking from the root."""
    pages = {page.objgen: index for index, page in enumerate(pdf.pages)}
    found: dict[int, set[int]] = {}
    stack = [(pdf.Root.StructTreeRoot, None)]
    seen = set()
    while stack:
        node, page = stack.pop()
        if isinstance(node, pikepdf.Dictionary):
            if node.objgen != (0, 0) and node.objgen in seen:
                continue
            seen.add(node.objgen)
            if "/Pg" in node:
                page = pages[node.Pg.objgen]
            if node.get("/Type") == "/MCR":
                found.setdefault(pages[node.Pg.objgen] if "/Pg" in node else page, set()).add(int(node.MCID))
                continue
            kids = node.get("/K")
            kids = kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
            stack.extend((kid, page) for kid in kids)
        elif isinstance(node, int):
            found.setdefault(page, set()).add(int(node))
    return found


def _stream_mcids(page: pikepdf.Page) -> tuple[set[int], list[str]]:
    """MCIDs used outside any artifact, and the text of every artifact tag."""
    used, artifacts, stack = set(), [], []
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op in ("BDC", "BMC"):
            tag = str(operands[0])
            inside = bool(stack and stack[-1]) or tag == "/Artifact"
            stack.append(inside)
            if tag == "/Artifact":
                artifacts.append(tag)
            elif op == "BDC" and isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1] and not inside:
                used.add(int(operands[1].MCID))
        elif op == "EMC" and stack:
            stack.pop()
    return used, artifacts


@lru_cache(maxsize=None)
def _cached(name: str, variant: str) -> bytes:
    return _render(name, variant)


def _render(name: str, variant: str) -> bytes:
    folder = "tests/fixtures" if name.startswith("crs-") else "content"
    brief = load_brief(ROOT / folder / f"{name}.yaml")
    html = render_html(brief, templates=TEMPLATES, media="print", theme="default")
    return render_pdf(html, title=brief.title, lang=brief.lang, variant=variant)


@pytest.mark.parametrize("name,variant", [("crs-r48134-cjs-fy2025", "pdf/ua-1"), ("solar-system", "pdf/a-3u")])
def test_every_marked_content_id_is_reached_or_an_artifact(name: str, variant: str) -> None:
    data = _cached(name, variant)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        reached = _tree_mcids(pdf)
        total_artifacts = 0
        for index, page in enumerate(pdf.pages):
            used, artifacts = _stream_mcids(page)
            total_artifacts += len(artifacts)
            orphaned = used - reached.get(index, set())
            assert not orphaned, (index + 1, sorted(orphaned))
            assert artifacts, f"page {index + 1}: the running head and foot are artifacts"
        assert total_artifacts >= 2 * len(pdf.pages)
        if variant == "pdf/a-3u":
            interpolated = [o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Interpolate") is True]
            assert not interpolated
    if name.startswith("crs-"):  # the smaller file: rendered again, same bytes
        assert _render(name, variant) == data


def test_the_marking_is_announced_once_before_the_title() -> None:
    brief = load_brief(ROOT / "tests" / "fixtures" / "crs-r48134-cjs-fy2025.yaml")
    assert brief.marking
    data = _cached("crs-r48134-cjs-fy2025", "pdf/ua-1")
    with pikepdf.open(io.BytesIO(data)) as pdf:
        kids = list(pdf.Root.StructTreeRoot.K[0].K)
        first = kids[0]
        assert first.S == "/P" and first.Pg.objgen == pdf.pages[0].objgen
        # One banner only: the rest of the document is the layout's divisions.
        assert [str(kid.S) for kid in kids].count("/P") == 1
        # Its text is the marking: the first page's content between the
        # banner's marked-content operators.
        mcids = {int(k) for k in _leaves(first)}
        assert mcids


def _leaves(element):
    kids = element.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary):
            yield from _leaves(kid)
        elif kid is not None:
            yield kid


def test_the_draft_watermark_is_an_artifact_not_read_on_every_page(write_brief) -> None:
    text = "The committee reviewed the request and its justification in detail. " * 40
    path = write_brief(f"title: A draft\nstatus: draft\nsummary: Two pages.\nsections:\n  - title: Body\n    body:\n      - {text}\n      - {text}\n")
    brief = load_brief(path)
    assert brief.is_draft
    html = render_html(brief, templates=TEMPLATES, media="print", theme="default")
    data = render_pdf(html, title=brief.title, lang=brief.lang)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        reached = _tree_mcids(pdf)
        for index, page in enumerate(pdf.pages):
            used, _ = _stream_mcids(page)
            assert not used - reached.get(index, set())
            # Nothing drawn rotated (the diagonal mark) is tagged content.
            stack, rotated_tagged = [False], []
            for operands, operator in pikepdf.parse_content_stream(page):
                op = str(operator)
                if op == "q":
                    stack.append(stack[-1])
                elif op == "Q":
                    stack.pop()
                elif op == "cm" and abs(float(operands[1])) > 1e-6:
                    stack[-1] = True
                elif op == "BDC" and stack[-1] and str(operands[0]) != "/Artifact":
                    rotated_tagged.append(index)
            assert not rotated_tagged
        assert len(pdf.pages) >= 2