import hashlib
import io
import itertools
import math
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from briefgen import charts
from briefgen.charts import PALETTE, chart_png, chart_svg
from briefgen.model import Chart, Pos, RichText, Series, Text

SVG = "{http://www.w3.org/2000/svg}"


def regions(kind: str = "column", **extra) -> Chart:
    return Chart(
        kind=kind,
        categories=("Zhengzhou", "Luoyang", "Kaifeng", "Nanyang"),
        series=(
            Series("2022", (1200.0, 560.0, -80.0, 0.0)),
            Series("2023", (1350.5, 610.0, 45.0, 420.0)),
        ),
        **extra,
    )


def single(kind: str = "column", **extra) -> Chart:
    return Chart(
        kind=kind,
        categories=("Grain", "Industry", "Services"),
        series=(Series("Output share", (10.0, 42.5, 47.5)),),
        **extra,
    )


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(svg: str) -> list[str]:
    return [node.text or "" for node in parse(svg).iter(f"{SVG}text")]


def ids(svg: str) -> set[str]:
    return {node.get("id") for node in parse(svg).iter() if node.get("id")}


# --------------------------------------------------------------------------
# SVG
# --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["bar", "column", "line"])
def test_svg_is_accessible_scalable_inline_svg(kind):
    chart = regions(kind, title="Freight by city", unit="Million km")
    svg = chart_svg(chart)
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label") == chart.describe()
    assert root[0].tag == f"{SVG}title"
    assert root[0].text == chart.describe()
    assert root.get("width") == "100%"
    assert len(root.get("viewBox").split()) == 4
    assert not svg.lstrip().startswith("<?xml")
    assert "<!DOCTYPE" not in svg
    assert "<metadata" not in svg
    assert "<style" not in svg  # a page-wide CSS rule would leak into the HTML


def test_svg_escapes_description():
    chart = single(alt='Shares <"A" & B>')
    root = parse(chart_svg(chart))
    assert root.get("aria-label") == 'Shares <"A" & B>'
    assert root[0].text == 'Shares <"A" & B>'


@pytest.mark.parametrize("kind", ["bar", "column", "line"])
def test_text_stays_text_with_labels_and_series_names(kind):
    chart = regions(kind)
    found = texts(chart_svg(chart))
    for category in chart.categories:
        assert category in found
    for series in chart.series:
        assert series.name in found


def test_text_uses_house_font_with_cjk_and_generic_fallback():
    svg = chart_svg(single())
    assert "font-family: 'Noto Sans', 'Noto Sans CJK SC', sans-serif" in svg


def test_markup_and_math_characters_stay_literal():
    chart = Chart("column", ("<b>R&D</b>", "$ billion", "50% \\alpha"), (Series("s", (1.0, 2.0, 3.0)),))
    found = texts(chart_svg(chart))
    for category in chart.categories:
        assert category in found


def test_legend_only_for_several_series():
    assert "Output share" not in texts(chart_svg(single()))
    several = texts(chart_svg(regions()))
    assert "2022" in several and "2023" in several


def test_series_colours_follow_palette():
    svg = chart_svg(regions()).lower()
    first, second = PALETTE[0].lower(), PALETTE[1].lower()
    assert f"fill: {first}" in svg and f"fill: {second}" in svg
    assert f"fill: {PALETTE[2].lower()}" not in svg


@pytest.mark.parametrize("kind", ["bar", "column", "line"])
def test_unit_labels_value_axis(kind):
    assert "Million km" in texts(chart_svg(regions(kind, unit="Million km")))


def test_title_drawn_only_when_set():
    assert "Freight by city" in texts(chart_svg(regions(title="Freight by city")))
    untitled = texts(chart_svg(regions()))
    assert not any("Freight" in text for text in untitled)


def test_caption_and_source_stay_out_of_image():
    caption = RichText((Text("Figure caption words"),))
    source = RichText((Text("Statistical Yearbook"),))
    found = " ".join(texts(chart_svg(single(caption=caption, source=source))))
    assert "caption words" not in found
    assert "Yearbook" not in found


def test_values_have_thousands_separators_and_true_minus():
    chart = Chart("column", ("a", "b"), (Series("s", (-2500.0, 12500.0)),))
    found = texts(chart_svg(chart))
    assert any(re.fullmatch(r"\d{1,3}(,\d{3})+", text) for text in found)
    assert any(text.startswith("\u2212") for text in found)
    assert not any(text.startswith("-") for text in found)


def test_ids_unique_per_chart_and_references_resolve():
    first, second = chart_svg(regions()), chart_svg(single())
    first_ids, second_ids = ids(first), ids(second)
    assert first_ids and second_ids
    assert not first_ids & second_ids
    for svg, known in ((first, first_ids), (second, second_ids)):
        for ref in re.findall(r'(?:url\(#|href="#)([^")]+)', svg):
            assert ref in known


def test_same_data_same_ids_whatever_the_position():
    moved = Chart(
        kind="column",
        categories=regions().categories,
        series=tuple(Series(s.name, s.values, pos=Pos(9, 3)) for s in regions().series),
        pos=Pos(40, 5),
    )
    assert chart_svg(moved) == chart_svg(regions())


def test_svg_deterministic():
    chart = regions("line", title="T", unit="U")
    first = chart_svg(chart)
    charts._svg.cache_clear()
    assert chart_svg(chart) == first


def test_svg_cached():
    chart = regions("bar")
    assert chart_svg(chart) is chart_svg(regions("bar"))


# --------------------------------------------------------------------------
# PNG
# --------------------------------------------------------------------------


@pytest.mark.parametrize(("width_in", "dpi"), [(6.3, 220), (160 / 25.4, 220), (3.0, 150), (7.5, 96)])
def test_png_width_matches(width_in, dpi):
    image = Image.open(io.BytesIO(chart_png(regions(), width_in=width_in, dpi=dpi)))
    assert image.format == "PNG"
    assert image.width == round(width_in * dpi)
    assert 0.4 < image.height / image.width < 0.75
    assert image.info["dpi"] == pytest.approx((dpi, dpi), abs=0.1)


def test_png_white_background_and_no_metadata():
    data = chart_png(single(), width_in=6.3, dpi=100)
    image = Image.open(io.BytesIO(data))
    assert image.mode == "RGB"  # opaque: no transparency mask in Word
    assert image.getpixel((0, 0)) == (255, 255, 255)
    assert image.getpixel((image.width - 1, image.height - 1)) == (255, 255, 255)
    assert b"tEXt" not in data and b"iTXt" not in data and b"tIME" not in data


def test_png_deterministic():
    chart = regions("column", title="T", unit="U")
    first = chart_png(chart, width_in=6.3, dpi=150)
    charts._png.cache_clear()
    assert chart_png(chart, width_in=6.3, dpi=150) == first


@pytest.mark.parametrize(
    "chart",
    [
        Chart("column", (), (Series("s", ()),)),
        Chart("column", ("a",), ()),
        Chart("line", ("a", "b"), (Series("s", (1.0,)),)),
    ],
)
def test_malformed_chart_is_refused(chart):
    with pytest.raises(ValueError):
        chart_svg(chart)


def test_png_rejects_nonsense_size():
    with pytest.raises(ValueError):
        chart_png(single(), width_in=0, dpi=220)


@pytest.mark.parametrize("kind", ["bar", "column", "line"])
def test_png_draws_series_colours(kind):
    image = Image.open(io.BytesIO(chart_png(regions(kind), width_in=6.3, dpi=80))).convert("RGB")
    colours = {colour for _, colour in image.getcolors(maxcolors=1 << 20)}
    for hex_colour in PALETTE[:2]:
        rgb = tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
        assert rgb in colours


SCRIPT = """
import hashlib, sys
from briefgen.model import Chart, Series
from briefgen.charts import chart_png, chart_svg
chart = Chart("line", ("2021", "2022", "2023"), (Series("A", (1.0, -2.0, 3.5)), Series("B", (0.0, 4.0, 2.0))), title="T", unit="Percent")
print(hashlib.sha256(chart_svg(chart).encode()).hexdigest(), hashlib.sha256(chart_png(chart, width_in=6.3, dpi=100)).hexdigest())
"""


def test_bytes_identical_across_processes():
    chart = Chart("line", ("2021", "2022", "2023"), (Series("A", (1.0, -2.0, 3.5)), Series("B", (0.0, 4.0, 2.0))), title="T", unit="Percent")
    here = f"{hashlib.sha256(chart_svg(chart).encode()).hexdigest()} {hashlib.sha256(chart_png(chart, width_in=6.3, dpi=100)).hexdigest()}"
    env = dict(os.environ, PYTHONHASHSEED="12345")
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, check=True)
    assert result.stdout.splitlines()[0] == here


def test_import_does_not_load_matplotlib():
    code = "import sys, briefgen.charts; print('matplotlib' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


# --------------------------------------------------------------------------
# Awkward data
# --------------------------------------------------------------------------


AWKWARD = {
    "negative": Chart("bar", ("a", "b", "c"), (Series("s", (-5.0, -2.5, -1.0)),), unit="Change"),
    "zeros": Chart("column", ("a", "b"), (Series("s", (0.0, 0.0)),)),
    "one point": Chart("line", ("2024",), (Series("s", (3.0,)),)),
    "flat line": Chart("line", ("a", "b", "c"), (Series("s", (-4.0, -4.0, -4.0)),)),
    "many long columns": Chart(
        "column",
        tuple(f"Prefecture-level city number {i}" for i in range(18)),
        (Series("s", tuple(float(i * 1000) for i in range(18))),),
    ),
    "crowded columns": Chart("column", tuple(f"D{i}" for i in range(60)), (Series("s", tuple(float(i % 7) for i in range(60))),)),
    "long bars": Chart(
        "bar",
        tuple(f"A category with a rather long descriptive name, item {i}" for i in range(14)),
        (Series("x", tuple(float(i - 4) for i in range(14))), Series("y", tuple(float(i) for i in range(14)))),
    ),
    "years": Chart("line", tuple(str(y) for y in range(1990, 2026)), (Series("s", tuple(float(y) for y in range(36))),)),
    "cjk": Chart("column", ("河南省", "郑州市高新技术产业开发区", "洛阳"), (Series("产量", (1.0, 2.0, 3.0)),), unit="万吨"),
    "many series": Chart(
        "column", ("a", "b"),
        tuple(Series(f"Series with a long name {i}", (float(i), float(i + 1))) for i in range(8)),
        title="A long title " * 8,
    ),
}


@pytest.mark.parametrize("name", list(AWKWARD))
def test_awkward_data_renders(name):
    chart = AWKWARD[name]
    parse(chart_svg(chart))
    image = Image.open(io.BytesIO(chart_png(chart, width_in=6.3, dpi=60)))
    assert image.width == round(6.3 * 60)


def laid_out(chart: Chart):
    with charts._lock, charts._house_style("test"):
        figure = charts._draw(charts._Drawing.of(chart), charts.TEXT_WIDTH_IN)
        figure.canvas.draw()
    return figure, figure.canvas.get_renderer()


def overlap(a, b) -> bool:
    return a.x0 < b.x1 - 0.5 and b.x0 < a.x1 - 0.5 and a.y0 < b.y1 - 0.5 and b.y0 < a.y1 - 0.5


def corners(text, renderer) -> list[tuple[float, float]]:
    """The four corners of a possibly rotated text's box, in display units."""
    angle = text.get_rotation()
    text.set_rotation(0)
    box = text.get_window_extent(renderer)
    text.set_rotation(angle)
    x, y = text.get_transform().transform(text.get_position())
    points = [(box.x0 - x, box.y0 - y), (box.x1 - x, box.y0 - y), (box.x1 - x, box.y1 - y), (box.x0 - x, box.y1 - y)]
    if text.get_rotation_mode() != "anchor" or not angle:
        return [(x + px, y + py) for px, py in points]
    cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    return [(x + px * cos - py * sin, y + px * sin + py * cos) for px, py in points]


def rectangles_overlap(a, b) -> bool:
    """Separating axis test for two convex quadrilaterals."""
    for shape in (a, b):
        for (x0, y0), (x1, y1) in zip(shape, shape[1:] + shape[:1]):
            normal = (y0 - y1, x1 - x0)
            length = math.hypot(*normal) or 1.0
            pa = [(px * normal[0] + py * normal[1]) / length for px, py in a]
            pb = [(px * normal[0] + py * normal[1]) / length for px, py in b]
            if max(pa) <= min(pb) + 0.5 or max(pb) <= min(pa) + 0.5:
                return False
    return True


@pytest.mark.parametrize("name", ["many long columns", "crowded columns", "long bars", "years", "cjk"])
def test_category_labels_never_overlap(name):
    chart = AWKWARD[name]
    figure, renderer = laid_out(chart)
    (axes,) = figure.axes
    axis = axes.yaxis if chart.kind == "bar" else axes.xaxis
    labels = [t for t in axis.get_ticklabels() if t.get_visible() and t.get_text()]
    assert labels
    shapes = [corners(label, renderer) for label in labels]
    for a, b in itertools.combinations(shapes, 2):
        assert not rectangles_overlap(a, b)
    page = figure.bbox
    for shape in shapes:
        for x, y in shape:
            assert page.x0 - 0.5 <= x <= page.x1 + 0.5
            assert page.y0 - 0.5 <= y <= page.y1 + 0.5


def test_overlap_check_sees_overlap():
    square = [(0, 0), (10, 0), (10, 10), (0, 10)]
    diamond = [(12, 5), (5, 12), (-2, 5), (5, -2)]
    apart = [(x + 30, y) for x, y in square]
    assert rectangles_overlap(square, diamond)
    assert not rectangles_overlap(square, apart)


def test_long_bar_labels_are_wrapped_not_cut():
    chart = AWKWARD["long bars"]
    found = " ".join(texts(chart_svg(chart)))
    for category in chart.categories:
        for word in category.split():
            assert word in found


@pytest.mark.parametrize("name", ["many series", "long bars"])
def test_legend_and_title_stay_off_the_data(name):
    figure, renderer = laid_out(AWKWARD[name])
    (axes,) = figure.axes
    plot = axes.get_window_extent(renderer)
    header = [figure.legends[0].get_window_extent(renderer)]
    header += [text.get_window_extent(renderer) for text in figure.texts]
    for box in header:
        assert box.y0 >= plot.y1
        assert box.x0 >= figure.bbox.x0 and box.x1 <= figure.bbox.x1 + 0.5
    for a, b in itertools.combinations(header, 2):
        assert not overlap(a, b)


def test_bars_start_at_zero_and_axis_covers_data():
    chart = Chart("column", ("a", "b", "c"), (Series("s", (-80.0, 1400.0, 600.0)),))
    figure, _ = laid_out(chart)
    low, high = figure.axes[0].get_ylim()
    assert low <= -80 and high >= 1400
    assert low > -400  # no empty band far below the data
