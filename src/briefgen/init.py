"""`briefgen init` and `briefgen templates export`: set up a team's repository.

``init`` writes what a repository of briefs needs to start: a starter
brief that builds at once and passes ``check --strict``, the JSON Schema
for editors, ``briefgen.toml`` with every setting explained, a
``.gitignore``, a CI recipe (GitHub Actions, and the same steps as a shell
script for any other CI) and a pre-commit hook.  It never overwrites a
file: what is already there is kept and said so, so running it twice
changes nothing.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__, system
from .build import discover
from .project import KEYS, PROJECT_FILE
from .resources import packaged_templates
from .starter import SCHEMA_FILE, starter_text, write_schema

STARTER_NAME = "first-brief"

#: An example value for each setting of briefgen.toml (commented out).
EXAMPLES = {
    "theme": '"default"',
    "reference_docx": '"templates/reference.docx"',
    "pdf_variant": '"pdf/ua-1"',
    "section_numbers": "false",
    "density": '"normal"',
    "templates": '"templates"',
    "labels": '{ key_points = "At a glance" }',  # a table; [labels] on lines of its own works too
}

GITIGNORE = """\
# briefgen's outputs and the virtual environment the CI script makes
/build/
/.venv/
"""

CI_SCRIPT = """\
#!/bin/sh
# Check and build every brief in content/; exit non-zero on any error.
# .github/workflows/briefs.yml runs this; any other CI system can run it
# the same way (GitLab CI, Jenkins, Buildkite, ...): `sh ci/build-briefs.sh`.
set -eu
cd "$(dirname "$0")/.."

# 1. Fonts and libraries the PDF needs (Debian/Ubuntu images; on any other
#    system, `briefgen doctor` prints the commands).
if command -v apt-get >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends {packages}
fi

# 2. briefgen in a virtual environment. BRIEFGEN may name another version,
#    a wheel file or a repository URL.
python3 -m venv .venv
.venv/bin/pip install -q "${{BRIEFGEN:-briefgen=={version}}}"

# 3. Say what is missing, check every brief (errors fail the job, warnings
#    are shown), then build them all into build/ (with BRIEFGEN_SHARD=K/N,
#    only shard K of N: a CI job matrix).
.venv/bin/briefgen doctor
.venv/bin/briefgen check content
.venv/bin/briefgen build content --out build ${{BRIEFGEN_SHARD:+--shard "$BRIEFGEN_SHARD"}}
"""

WORKFLOW = """\
# Check and build every brief on each push and pull request; the PDF, Word
# and HTML files are kept as the run's artifact "briefs". The steps are in
# ci/build-briefs.sh, which any other CI system can run as it is.
name: briefs
on:
  push:
  pull_request:
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - run: sh ci/build-briefs.sh
      - uses: actions/upload-artifact@v4
        if: always()
        with:
          name: briefs
          path: build/
          if-no-files-found: ignore
"""

#: With at least this many briefs, the workflow spreads them over a job
#: matrix (`briefgen build --shard K/N`, docs/ci.md), about this many per job.
SHARD_FROM = 200
BRIEFS_PER_SHARD = 100
MAX_SHARDS = 16


def workflow(briefs: int) -> str:
    """The GitHub Actions workflow; a job matrix when there are many briefs."""
    shards = min(MAX_SHARDS, -(-briefs // BRIEFS_PER_SHARD)) if briefs >= SHARD_FROM else 1
    if shards == 1:
        return WORKFLOW
    matrix = (
        "    strategy:\n      fail-fast: false\n      matrix:\n"
        f"        shard: [{', '.join(str(k) for k in range(1, shards + 1))}]\n"
        f"    env:\n      BRIEFGEN_SHARD: ${{{{ matrix.shard }}}}/{shards}\n"
    )
    text = WORKFLOW.replace("    runs-on: ubuntu-latest\n", "    runs-on: ubuntu-latest\n" + matrix, 1)
    text = text.replace("          name: briefs\n", "          name: briefs-${{ matrix.shard }}\n", 1)
    return text.replace(
        "# ci/build-briefs.sh, which any other CI system can run as it is.\n",
        "# ci/build-briefs.sh, which any other CI system can run as it is.\n"
        f"# {briefs} briefs: each of {shards} jobs builds its share (briefgen build\n"
        "# --shard K/N; see briefgen's docs/ci.md).\n",
        1,
    )


PRE_COMMIT = """\
# pre-commit (https://pre-commit.com): run `pre-commit install` once; then
# every commit that touches a brief or briefgen.toml is checked first, and
# a brief with errors is not committed (warnings are shown).
# This uses the briefgen on your PATH; briefgen's own repository also
# offers the hook (id: briefgen-check) for a `repo:` entry with a `rev:`.
repos:
  - repo: local
    hooks:
      - id: briefgen-check
        name: briefgen check
        entry: briefgen check
        language: system
        files: ^(content/.*\\.ya?ml|briefgen\\.toml)$
        pass_filenames: false
"""


@dataclass
class Outcome:
    """What a set-up step did, file by file."""

    created: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)  # not needed here


def project_settings() -> str:
    """briefgen.toml with every setting commented out, each with its meaning."""
    lines = [
        "# briefgen.toml: settings for every brief in this repository.",
        "# A brief's own keys override them; command-line options override both.",
        "# Uncomment a line to use it.",
    ]
    for key, meaning in KEYS.items():
        lines += ["", f"# {meaning}", f"# {key} = {EXAMPLES.get(key, '...')}"]
    return "\n".join(lines) + "\n"


def init_project(folder: Path, command: str = "briefgen") -> Outcome:
    """Write every file of a new briefs repository into ``folder`` that is
    not there yet; keep the others untouched."""
    folder.mkdir(parents=True, exist_ok=True)
    outcome = Outcome()
    content = folder / "content"
    packages = " ".join(system.debian_packages(system.needs_for(("build",))))
    files: dict[Path, str] = {
        content / f"{STARTER_NAME}.yaml": starter_text(STARTER_NAME, placeholder=False, command=command),
        folder / PROJECT_FILE: project_settings(),
        folder / ".gitignore": GITIGNORE,
        folder / ".github" / "workflows" / "briefs.yml": workflow(len(discover([content])) if content.is_dir() else 0),
        folder / "ci" / "build-briefs.sh": CI_SCRIPT.format(packages=packages, version=__version__),
        folder / ".pre-commit-config.yaml": PRE_COMMIT,
    }
    starter = content / f"{STARTER_NAME}.yaml"
    has_briefs = content.is_dir() and bool(discover([content]))
    if has_briefs and not starter.exists():
        del files[starter]  # a folder of briefs already: no example brief among them
        outcome.skipped.append(starter)
    for path, text in files.items():
        _write_new(path, text, outcome)
    schema = content / SCHEMA_FILE
    if schema.exists():
        outcome.kept.append(schema)
    else:
        write_schema(schema)
        outcome.created.append(schema)
    script = folder / "ci" / "build-briefs.sh"
    if script in outcome.created:
        script.chmod(script.stat().st_mode | 0o111)
    order = [*files, schema]
    outcome.created.sort(key=order.index)
    outcome.kept.sort(key=order.index)
    return outcome


def _write_new(path: Path, text: str, outcome: Outcome) -> None:
    if path.exists() or path.is_symlink():
        outcome.kept.append(path)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:  # never clobbers, even in a race
        handle.write(text)
    outcome.created.append(path)


def export_templates(target: Path, only: tuple[str, ...] = ()) -> Outcome:
    """Copy the packaged templates (or only the files named in ``only``)
    into ``target`` for restyling; files already there are kept."""
    source = packaged_templates()
    names = sorted(
        path.relative_to(source).as_posix()
        for path in source.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    )
    if only:
        unknown = [name for name in only if name not in names]
        if unknown:
            raise ValueError(
                f"not a packaged template: {', '.join(unknown)}; the files are: {', '.join(names)}"
            )
        names = [name for name in names if name in only]
    outcome = Outcome()
    for name in names:
        destination = target / name
        if destination.exists():
            outcome.kept.append(destination)
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / name, destination)
        outcome.created.append(destination)
    return outcome


def shown(path: Path) -> str:
    """``path`` relative to the working folder when it is inside it."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return str(path)
