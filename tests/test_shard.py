"""`briefgen build --shard K/N`: every brief in exactly one shard, stably."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import MINIMAL
from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.cli import main
from briefgen.shard import Shard, path_key, select, shard_of

NAMES = [f"team-{t}/brief-{i:04d}.yaml" for t in range(5) for i in range(400)]


@pytest.mark.parametrize("count", [1, 2, 3, 7, 16])
def test_shards_cover_every_brief_exactly_once(count: int) -> None:
    owners = {name: [k for k in range(1, count + 1) if shard_of(name, count) == k] for name in NAMES}
    assert all(len(found) == 1 for found in owners.values())
    sizes = [sum(found == [k] for found in owners.values()) for k in range(1, count + 1)]
    expected = len(NAMES) / count
    assert all(abs(size - expected) <= 4 * expected**0.5 for size in sizes), sizes  # 4 sigma


@settings(max_examples=60, deadline=None)
@given(
    names=st.lists(st.text(min_size=1, max_size=30), min_size=1, max_size=40, unique=True),
    count=st.integers(min_value=1, max_value=12),
)
def test_select_partitions_any_list(names: list[str], count: int, tmp_path_factory) -> None:
    root = tmp_path_factory.getbasetemp()
    sources = [root / f"{index}-{abs(hash(name))}.yaml" for index, name in enumerate(names)]
    chosen = [select(sources, Shard(k, count), [root]) for k in range(1, count + 1)]
    assert sorted(p for part in chosen for p in part) == sorted(sources)
    for part in chosen:  # each keeps the sources' order
        assert part == [p for p in sources if p in part]


def test_added_briefs_do_not_move_the_others() -> None:
    before = {name: shard_of(name, 8) for name in NAMES[:1000]}
    assert all(shard_of(name, 8) == shard for name, shard in before.items())
    # one more shard moves only about 1/9 of the briefs
    moved = sum(shard_of(name, 9) != shard for name, shard in before.items())
    assert moved < len(before) * 0.2


def test_the_key_is_the_path_below_the_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = tmp_path / "content"
    (content / "sub").mkdir(parents=True)
    brief = content / "sub" / "a.yaml"
    brief.write_text("x")
    assert path_key(brief, [content]) == "sub/a.yaml"
    monkeypatch.chdir(tmp_path)
    assert path_key(Path("content/sub/a.yaml"), []) == "content/sub/a.yaml"
    # the same brief in another checkout gets the same shard
    other = tmp_path / "elsewhere" / "content"
    (other / "sub").mkdir(parents=True)
    (other / "sub" / "a.yaml").write_text("x")
    assert path_key(other / "sub" / "a.yaml", [other]) == "sub/a.yaml"


@pytest.mark.parametrize(
    ("text", "message"),
    [("0/3", "K must be between 1 and N"), ("4/3", "K must be between 1 and N"),
     ("1/0", "N must be between 1"), ("two", "write the shard as K/N")],
)
def test_bad_shard_is_a_usage_error(text: str, message: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", str(tmp_path), "--shard", text])
    assert result.exit_code == 2
    assert message in result.output and "'--shard'" in result.output


def test_build_shards_build_every_brief_once(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    for index in range(6):
        (content / f"b{index}.yaml").write_text(MINIMAL.replace("title:", f"title: B{index}", 1))
    built: list[str] = []
    for k in (1, 2, 3):
        out = tmp_path / f"out{k}"
        result = CliRunner().invoke(
            main, ["build", str(content), "--out", str(out), "--format", "html", "--shard", f"{k}/3"],
            catch_exceptions=False,
        )
        assert result.exit_code == 0, result.output
        names = re.findall(r"^built\s+\S*?(b\d)\.yaml", result.output, re.M)
        assert re.search(rf"^shard {k}/3: {len(names)} of 6 briefs$", result.output, re.M)
        assert sorted(p.stem for p in out.glob("*.html")) == sorted(names)
        built += names
    assert sorted(built) == [f"b{i}" for i in range(6)]


def test_init_spreads_many_briefs_over_a_job_matrix(tmp_path: Path) -> None:
    import yaml

    from briefgen.init import CI_SCRIPT, init_project

    many, few = tmp_path / "many", tmp_path / "few"
    for folder, count in ((many, 250), (few, 3)):
        (folder / "content").mkdir(parents=True)
        for index in range(count):
            (folder / "content" / f"b{index}.yaml").write_text(MINIMAL)
        init_project(folder)
    job = yaml.safe_load((many / ".github/workflows/briefs.yml").read_text())["jobs"]["build"]
    assert job["strategy"]["matrix"]["shard"] == [1, 2, 3]
    assert job["env"]["BRIEFGEN_SHARD"] == "${{ matrix.shard }}/3"
    assert job["steps"][-1]["with"]["name"] == "briefs-${{ matrix.shard }}"
    plain = yaml.safe_load((few / ".github/workflows/briefs.yml").read_text())["jobs"]["build"]
    assert "strategy" not in plain and "env" not in plain
    # the CI script passes the shard on only when it is set
    line = next(l for l in CI_SCRIPT.format(packages="", version="0").splitlines() if " build content" in l)
    command = line.replace(".venv/bin/briefgen", "echo briefgen")
    for env, expected in (({"BRIEFGEN_SHARD": "2/3"}, "--shard 2/3"), ({}, "--out build")):
        out = subprocess.run(["sh", "-c", command], env=env, capture_output=True, text=True, check=True).stdout
        assert out.strip().endswith(expected)
