"""The on-disk chart cache: what its keys depend on, and that a hit draws nothing."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from briefgen import chart_cache, charts
from briefgen.model import Chart, Series
from briefgen.richtext import plain


def _chart(**changes) -> Chart:
    fields = dict(
        kind="column",
        categories=("Mercury", "Venus", "Earth"),
        series=(Series("Diameter", (4879.0, 12104.0, 12756.0)),),
        title="Planet sizes",
        unit="km",
    )
    fields.update(changes)
    return Chart(**fields)


def _svg_key(chart: Chart) -> str:
    return chart_cache.key("svg", charts._Drawing.of(chart), chart.describe(), charts.TEXT_WIDTH_IN)


@pytest.fixture()
def cache(tmp_path: Path):
    charts._svg.cache_clear()
    charts._png.cache_clear()
    chart_cache.configure(tmp_path / "charts")
    yield chart_cache.current()
    chart_cache.configure(None)
    charts._svg.cache_clear()
    charts._png.cache_clear()


def test_key_follows_what_is_drawn() -> None:
    base = _svg_key(_chart())
    assert _svg_key(_chart()) == base  # stable
    changed = [
        _chart(kind="bar"),
        _chart(categories=("Mercury", "Venus", "Mars")),
        _chart(series=(Series("Diameter", (4879.0, 12104.0, 12757.0)),)),
        _chart(series=(Series("Width", (4879.0, 12104.0, 12756.0)),)),
        _chart(title="Sizes"),
        _chart(unit="mi"),
        _chart(alt="Three planets' diameters"),  # the SVG carries the description
    ]
    keys = {_svg_key(chart) for chart in changed}
    assert base not in keys and len(keys) == len(changed)
    # caption and source are not part of the image
    assert _svg_key(_chart(caption=plain("A caption"), source=plain("NASA"))) == base


def test_key_follows_size_and_rendering() -> None:
    drawing = charts._Drawing.of(_chart())
    keys = {
        chart_cache.key("png", drawing, "d", charts.TEXT_WIDTH_IN, 1386, 220),
        chart_cache.key("png", drawing, "d", charts.TEXT_WIDTH_IN, 1000, 220),
        chart_cache.key("png", drawing, "d", charts.TEXT_WIDTH_IN, 1386, 150),
        chart_cache.key("svg", drawing, "d", charts.TEXT_WIDTH_IN),
    }
    assert len(keys) == 4


def test_key_follows_library_versions_and_drawing_code(monkeypatch: pytest.MonkeyPatch) -> None:
    base = _svg_key(_chart())
    real = chart_cache.metadata.version
    monkeypatch.setattr(chart_cache.metadata, "version", lambda name: "99.0" if name == "matplotlib" else real(name))
    chart_cache._environment.cache_clear()
    try:
        assert _svg_key(_chart()) != base
        monkeypatch.undo()
        chart_cache._environment.cache_clear()
        assert _svg_key(_chart()) == base
        real_read = Path.read_bytes
        style = Path(chart_cache.__file__).parent / "charts" / "style.py"
        assert style in chart_cache.drawing_code()
        monkeypatch.setattr(
            Path, "read_bytes",
            lambda self: real_read(self) + (b"\n# another house style\n" if self == style else b""),
        )
        chart_cache._environment.cache_clear()
        assert _svg_key(_chart()) != base
    finally:
        monkeypatch.undo()
        chart_cache._environment.cache_clear()


def test_a_hit_draws_nothing(cache: chart_cache.ChartCache, monkeypatch: pytest.MonkeyPatch) -> None:
    chart = _chart()
    svg = charts.chart_svg(chart)
    png = charts.chart_png(chart, width_in=6.3)
    assert sorted(p.suffix for p in cache.folder.iterdir()) == [".png", ".svg"]
    charts._svg.cache_clear()
    charts._png.cache_clear()

    def no_drawing(*args, **kwargs):
        raise AssertionError("drew a cached chart")

    monkeypatch.setattr(charts, "_draw", no_drawing)
    monkeypatch.setattr("briefgen.images.svg_to_png", no_drawing)
    assert charts.chart_svg(chart) == svg
    assert charts.chart_png(chart, width_in=6.3) == png
    with pytest.raises(AssertionError, match="drew"):
        charts.chart_svg(_chart(title="Not cached yet"))


def test_word_image_is_the_svg_rasterised(cache: chart_cache.ChartCache) -> None:
    png = charts.chart_png(_chart(), width_in=6.3, dpi=220)
    with Image.open(io.BytesIO(png)) as image:
        assert image.mode == "RGB" and image.width == round(6.3 * 220)
        assert image.info["dpi"] == pytest.approx((220, 220), abs=0.05)  # PNG stores dots per metre
        colours = {colour for _, colour in image.getcolors(1 << 20)}
    assert (0x1B, 0x36, 0x5D) in colours  # the first series' bars, in the house colour


def test_cjk_labels_name_the_cjk_font_first() -> None:
    svg = "<text style=\"font-family: 'Noto Sans', 'Noto Sans CJK SC'\">郑州市</text><text style=\"font-family: 'Noto Sans', 'Noto Sans CJK SC'\">Earth</text>"
    fixed = charts._raster_fonts(svg)
    assert "font-family: 'Noto Sans CJK SC'\">郑州市" in fixed
    assert "'Noto Sans', 'Noto Sans CJK SC'\">Earth" in fixed


def test_bounded_least_recently_used_go_first(tmp_path: Path) -> None:
    cache = chart_cache.ChartCache(tmp_path, max_bytes=3000)
    for index in range(3):
        cache.store(f"k{index}", ".svg", b"x" * 1000)
        os.utime(cache.path(f"k{index}", ".svg"), (1000 + index, 1000 + index))
    assert cache.load("k0", ".svg") == b"x" * 1000  # a use: k0 is now the newest
    cache.store("k3", ".svg", b"y" * 1000)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["k0.svg", "k2.svg", "k3.svg"]  # k1, the least recently used, went
    assert sum(p.stat().st_size for p in tmp_path.iterdir()) <= 3000


def test_unwritable_cache_never_fails_a_build(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    cache = chart_cache.ChartCache(blocker / "charts")
    cache.store("k", ".svg", b"data")  # no exception
    assert cache.load("k", ".svg") is None


def test_another_process_uses_the_cache_without_matplotlib(cache: chart_cache.ChartCache) -> None:
    chart = _chart()
    svg = charts.chart_svg(chart)
    png = charts.chart_png(chart, width_in=6.3)
    script = f"""
import sys
from pathlib import Path
from briefgen import chart_cache, charts
from briefgen.model import Chart, Series
chart_cache.configure(Path({str(cache.folder)!r}))
chart = Chart("column", ("Mercury", "Venus", "Earth"), (Series("Diameter", (4879.0, 12104.0, 12756.0)),), title="Planet sizes", unit="km")
sys.stdout.write(str(len(charts.chart_svg(chart))) + " " + str(len(charts.chart_png(chart, width_in=6.3))))
assert "matplotlib" not in sys.modules and "cairosvg" not in sys.modules
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout == f"{len(svg)} {len(png)}"
