"""The chart block: a chart type, its categories and series of numbers, one
value per category."""

from __future__ import annotations

from yaml.nodes import Node, SequenceNode

from .. import model as m
from .context import Reader, getter, join, optional
from .figures import percent
from .ids import block_id
from .positions import pos as pos_of


def chart(r: Reader, node: Node, path: str, pos: m.Pos) -> m.Block | None:
    keys = r.mapping(node, path, "chart")
    if keys is None:
        return None
    get = getter(keys)
    anchor = block_id(r, get("id"), path) if get("id") is not None else None
    kind = r.choice(get("type"), join(path, "type"), "chart_type") if get("type") else None
    texts = {
        name: r.text(get(name), join(path, name))
        for name in ("title", "alt", "unit")
        if get(name) is not None
    }
    caption = optional(r.rich, get, path, "caption")
    categories = r.text_list(get("categories"), join(path, "categories")) if get("categories") else ()
    if get("categories") is not None and not categories:
        r.error(get("categories"), join(path, "categories"), "a chart needs at least one category")
    all_series: list[m.Series] = []
    if (series_node := get("series")) is not None:
        items = r.sequence(series_node, join(path, "series"), "series") or []
        if not items and isinstance(series_node, SequenceNode):
            r.error(series_node, join(path, "series"), "a chart needs at least one series")
        for index, item in enumerate(items):
            one = series(r, item, f"{join(path, 'series')}[{index}]", len(categories) if categories else None)
            if one is not None:
                all_series.append(one)
    source = optional(r.rich, get, path, "source")
    width = percent(r, get("width"), join(path, "width")) if get("width") is not None else None
    if kind == "pie" and len(all_series) > 1:
        r.error(get("series"), join(path, "series"), f"a pie chart shows one series, but this one has {len(all_series)}; use stacked_column to compare several")
    if kind == "pie" and any(v < 0 for s in all_series for v in s.values):
        r.error(get("series"), join(path, "series"), "a pie chart cannot show negative values")
    if kind is None or not categories or not all_series or r.failed_under(path):
        return None
    return m.Chart(
        kind, categories, tuple(all_series), texts.get("title"), caption, texts.get("alt"),  # type: ignore[arg-type]
        texts.get("unit"), source, pos, width=width, id=anchor,
    )


#: Beyond 10^15 a float no longer holds every integer, axis labels print
#: wrongly and the chart library overflows: such values need a unit instead.
MAX_MAGNITUDE = 1e15


def _chartable(r: Reader, node: Node, path: str) -> float | None:
    value = r.number(node, path)
    if value is not None and abs(value) > MAX_MAGNITUDE:
        r.error(
            node, path,
            f"{node.value} is too large to chart (at most 10^15 either side of zero); "  # type: ignore[attr-defined]
            "give the values in a larger unit, e.g. 'unit: billion'",
        )
        return None
    return value


def series(r: Reader, node: Node, path: str, width: int | None) -> m.Series | None:
    keys = r.mapping(node, path, "series")
    if keys is None:
        return None
    get = getter(keys)
    name = optional(r.text, get, path, "name")
    values: tuple[float, ...] = ()
    if (values_node := get("values")) is not None:
        items = r.sequence(values_node, join(path, "values"), "numbers")
        if items is not None and width is not None and len(items) != width:
            r.error(
                values_node,
                join(path, "values"),
                f"series '{name}' has {len(items)} value{'s' if len(items) != 1 else ''} "
                f"but the chart has {width} categor{'ies' if width != 1 else 'y'}",
            )
            return None
        values = r.each(items, join(path, "values"), lambda n, p: _chartable(r, n, p))
        if items is not None and len(values) != len(items):
            return None
    if name is None:
        return None
    return m.Series(name, values, pos_of(node))
