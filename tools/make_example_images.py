"""Draw the images used by the example briefs in ``content/``.

The images are generated rather than hand-made so that anyone can check
them against the data they show and redraw them after a correction::

    .venv/bin/python tools/make_example_images.py [OUTPUT_DIR]

``OUTPUT_DIR`` defaults to the repository's ``content/images``.
The output is byte-for-byte reproducible with the same matplotlib version.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display needed; must precede pyplot

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import Circle  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = REPO / "content" / "images"

# House palette (see the project's style notes).
NAVY = "#1B365D"
TEAL = "#2E7D7A"
OCHRE = "#D19A2B"
SLATE = "#7A8A99"
RUST = "#B5533C"
RULE = "#C9D3DD"
TEXT = "#1A1A1A"

FONT = ["Noto Sans", "Noto Sans CJK SC", "DejaVu Sans"]

#: Printed width of the figure in inches (the text width of an A4 page with
#: 25 mm margins is about 6.3 in) and the resolution it is saved at.
WIDTH_IN = 6.5
DPI = 300


@dataclass(frozen=True)
class Planet:
    name: str
    diameter_km: int  # equatorial, NASA Planetary Fact Sheet
    colour: str


PLANETS: tuple[Planet, ...] = (
    Planet("Mercury", 4_879, SLATE),
    Planet("Venus", 12_104, OCHRE),
    Planet("Earth", 12_756, TEAL),
    Planet("Mars", 6_792, RUST),
    Planet("Jupiter", 142_984, "#C4824A"),
    Planet("Saturn", 120_536, OCHRE),
    Planet("Uranus", 51_118, "#5FA3A0"),
    Planet("Neptune", 49_528, NAVY),
)


def _slots(planets: tuple[Planet, ...], min_slot_km: float, gap_km: float) -> list[float]:
    """Centre x of each planet, in km, left to right.

    Small planets get a minimum slot so that their labels do not collide;
    the circles themselves are always drawn to scale.
    """
    centres = []
    x = gap_km / 2
    for planet in planets:
        slot = max(planet.diameter_km, min_slot_km)
        centres.append(x + slot / 2)
        x += slot + gap_km
    return centres


def draw_planets_to_scale(path: Path) -> Path:
    """The eight planets as circles whose diameters are to one scale."""
    with plt.rc_context({"font.family": FONT}):
        fig = _planets_figure()
        path.parent.mkdir(parents=True, exist_ok=True)
        # No "Software" entry: the file then depends only on what is drawn.
        fig.savefig(path, dpi=DPI, facecolor="white", metadata={"Software": None})
        plt.close(fig)
    return path


def _planets_figure() -> plt.Figure:
    gap = 8_000.0
    min_slot = 54_000.0
    centres = _slots(PLANETS, min_slot_km=min_slot, gap_km=gap)
    right = centres[-1] + max(PLANETS[-1].diameter_km, min_slot) / 2 + gap / 2
    tallest = max(p.diameter_km for p in PLANETS)
    label_room = 0.36 * tallest
    headroom = 0.06 * tallest
    fig = plt.figure(figsize=(WIDTH_IN, WIDTH_IN * (tallest + label_room + headroom) / right))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, right)
    ax.set_ylim(-label_room, tallest + headroom)
    ax.set_aspect("equal")
    ax.axis("off")

    ax.axhline(0, color=RULE, linewidth=0.8, zorder=0)
    for planet, x in zip(PLANETS, centres):
        radius = planet.diameter_km / 2
        ax.add_patch(
            Circle(
                (x, radius),
                radius,
                facecolor=planet.colour,
                edgecolor="white",
                linewidth=0.6,
                zorder=2,
            )
        )
        ax.text(
            x,
            -0.08 * tallest,
            planet.name,
            ha="center",
            va="top",
            fontsize=8.5,
            fontweight="bold",
            color=TEXT,
        )
        ax.text(
            x,
            -0.20 * tallest,
            f"{planet.diameter_km:,} km",
            ha="center",
            va="top",
            fontsize=7.5,
            color=SLATE,
        )
    return fig


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out_dir = Path(args[0]) if args else DEFAULT_OUTPUT
    written = draw_planets_to_scale(out_dir / "planets-to-scale.png")
    print(written)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
