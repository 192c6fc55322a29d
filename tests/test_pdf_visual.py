"""Visual regression: chosen pages of the example briefs against reviewed images.

The references in ``tests/visual/`` were looked at and approved.  After a
reviewed change to the templates, themes or example briefs, regenerate
them with ``tools/update_visual_refs.py`` (see docs/themes.md).
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: Mean absolute difference (0-255) and share of changed pixels tolerated:
#: font rasterizing may move a few pixels, a moved line of text may not.
MAX_MEAN_DIFFERENCE = 1.5
MAX_CHANGED_SHARE = 0.004


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("update_visual_refs", ROOT / "tools" / "update_visual_refs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


TOOL = _tool()

pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm is not installed")


@pytest.fixture(scope="module", params=TOOL.CASES, ids=lambda case: f"{Path(case.brief).stem}-{case.theme}")
def rendered(request: pytest.FixtureRequest) -> dict[str, bytes]:
    return TOOL.render_case(request.param)


def test_pages_match_the_reviewed_references(rendered: dict[str, bytes], tmp_path: Path) -> None:
    failures = []
    for name, actual in rendered.items():
        reference = TOOL.REFERENCES / name
        assert reference.is_file(), f"no reference {reference}: run tools/update_visual_refs.py"
        mean, changed = TOOL.difference(reference.read_bytes(), actual)
        if mean > MAX_MEAN_DIFFERENCE or changed > MAX_CHANGED_SHARE:
            (tmp_path / name).write_bytes(actual)
            failures.append(f"{name}: mean {mean:.2f}, changed {changed:.2%}; now {tmp_path / name}")
    assert not failures, "\n".join(failures)


def test_the_comparison_sees_a_real_change() -> None:
    """A page shifted by a few points fails; the same page passes."""
    import io

    from PIL import Image, ImageChops

    data = (TOOL.REFERENCES / TOOL.CASES[0].image_name(TOOL.CASES[0].pages[0])).read_bytes()
    assert TOOL.difference(data, data) == (0.0, 0.0)
    image = Image.open(io.BytesIO(data)).convert("RGB")
    shifted = ImageChops.offset(image, 0, 6)
    out = io.BytesIO()
    shifted.save(out, format="PNG")
    mean, changed = TOOL.difference(data, out.getvalue())
    assert mean > MAX_MEAN_DIFFERENCE or changed > MAX_CHANGED_SHARE
