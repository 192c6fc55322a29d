"""Build orchestration: which briefs to build, in which formats, and where.

Writers are imported lazily inside the worker so that a build with nothing
to do (or ``briefgen check``) never pays for WeasyPrint's start-up.  Every
output is written atomically; an edited Word file is never overwritten
without a backup.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Callable, Iterable, Iterator, Literal

from .errors import BriefErrors, Diagnostic
from .manifest import Entry, FileStamp, Manifest, write_atomic

FORMATS = ("pdf", "docx", "html")
BRIEF_SUFFIXES = (".yaml", ".yml")
Outcome = Literal["built", "up to date", "failed"]


@dataclass(frozen=True)
class Settings:
    """Everything a worker needs to build one brief (picklable)."""

    out_dir: Path
    templates: Path
    formats: tuple[str, ...] = FORMATS
    strict: bool = False
    force: bool = False

    @property
    def reference_docx(self) -> Path:
        return self.templates / "reference.docx"


@dataclass
class Result:
    source: Path
    outcome: Outcome
    diagnostics: list[Diagnostic] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # warnings about outputs, not content
    entry: Entry | None = None
    seconds: float = 0.0


def discover(paths: Iterable[Path]) -> list[Path]:
    """Brief files named on the command line; folders give their ``*.yaml``
    files, except those whose name starts with ``_`` (shared partials)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.iterdir()
                    if p.suffix in BRIEF_SUFFIXES and not p.name.startswith(("_", ".")) and p.is_file()
                )
            )
        else:
            found.append(path)
    unique: dict[Path, None] = {}
    for path in found:
        unique.setdefault(path, None)
    return list(unique)


def environment_hash(templates: Path) -> str:
    """A hash of everything besides the brief that shapes the outputs: the
    templates, this package's code and the renderers' versions."""
    digest = hashlib.sha256()
    package = Path(__file__).parent
    for root in (templates, package):
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and not path.name.startswith("."):
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    for dist in ("weasyprint", "python-docx", "matplotlib", "jinja2", "markdown-it-py"):
        try:
            digest.update(f"{dist}={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{dist}=none".encode())
    return digest.hexdigest()


def output_path(settings: Settings, source: Path, fmt: str) -> Path:
    return settings.out_dir / f"{source.stem}.{fmt}"


@dataclass
class Plan:
    """What to do for one brief, decided without parsing it."""

    source: Path
    todo: tuple[str, ...]  # formats to (re)build
    keep_edited_docx: bool = False
    backup_docx: bool = False


def plan(source: Path, settings: Settings, manifest: Manifest, env: str) -> Plan:
    entry = manifest.entries.get(source.stem)
    fresh = entry is not None and entry.environment == env and entry.inputs_unchanged()
    todo = []
    keep_edited = backup = False
    for fmt in settings.formats:
        out = output_path(settings, source, fmt)
        stamp = entry.outputs.get(fmt) if entry else None
        exists = out.exists()
        if fmt == "docx" and exists:
            if stamp is not None and not stamp.matches(out):
                if settings.force:
                    backup = True
                else:
                    keep_edited = True
                    continue
            elif stamp is None:
                backup = True  # a Word file we have no record of writing: keep a copy
        if fresh and stamp is not None and exists and stamp.matches(out):
            continue
        todo.append(fmt)
    return Plan(source, tuple(todo), keep_edited, backup)


def build_one(job: Plan, settings: Settings) -> Result:
    """Load, check and render one brief; never raises for a content problem."""
    started = time.perf_counter()
    from .lint import lint
    from .load import load_brief

    result = Result(job.source, "built")
    try:
        brief = load_brief(job.source)
    except BriefErrors as err:
        result.outcome, result.diagnostics = "failed", list(err.diagnostics)
        result.seconds = time.perf_counter() - started
        return result
    warnings = lint(brief)
    result.diagnostics = [w.as_error() for w in warnings] if settings.strict else warnings
    if any(d.severity == "error" for d in result.diagnostics):
        result.outcome = "failed"
        result.seconds = time.perf_counter() - started
        return result

    renders: dict[str, Callable[[], bytes]] = {
        "html": lambda: _render_html(brief, settings, "screen").encode("utf-8"),
        "pdf": lambda: _render_pdf(brief, settings),
        "docx": lambda: _render_docx(brief, settings),
    }
    settings.out_dir.mkdir(parents=True, exist_ok=True)
    outputs: dict[str, FileStamp] = {}
    for fmt in job.todo:
        data = renders[fmt]()
        target = output_path(settings, job.source, fmt)
        if fmt == "docx" and job.backup_docx and target.exists():
            kept = _backup(target, settings.out_dir)
            result.notices.append(f"kept a copy of the previous {target.name} at {kept}")
        write_atomic(target, data)
        outputs[fmt] = FileStamp.of(target)
        result.written.append(target)
    inputs = [job.source, *(block.path for block in _figures(brief))]
    result.entry = Entry("", {str(p.resolve()): FileStamp.of(p) for p in inputs}, outputs)
    result.seconds = time.perf_counter() - started
    return result


def _figures(brief) -> Iterator:
    from .model import Callout, Figure

    def walk(blocks):
        for block in blocks:
            if isinstance(block, Figure):
                yield block
            elif isinstance(block, Callout):
                yield from walk(block.body)

    for section in brief.walk_sections():
        yield from walk(section.body)
    yield from walk(brief.conclusion)


def _backup(target: Path, out_dir: Path) -> Path:
    folder = out_dir / ".edited"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    kept = folder / f"{target.stem}-{stamp}{target.suffix}"
    counter = 2
    while kept.exists():
        kept = folder / f"{target.stem}-{stamp}-{counter}{target.suffix}"
        counter += 1
    shutil.copy2(target, kept)
    return kept


def _render_html(brief, settings: Settings, media: str) -> str:
    from .writers.html import render_html

    return render_html(brief, templates=settings.templates, media=media)  # type: ignore[arg-type]


def _render_pdf(brief, settings: Settings) -> bytes:
    from .writers.pdf import render_pdf

    html = _render_html(brief, settings, "print")
    return render_pdf(html, title=brief.title, lang=brief.lang)


def _render_docx(brief, settings: Settings) -> bytes:
    from .writers.docx import render_docx

    return render_docx(brief, reference=settings.reference_docx)


def _build_in_worker(args: tuple[Plan, Settings]) -> Result:
    return build_one(*args)


def run(
    sources: list[Path],
    settings: Settings,
    *,
    jobs: int = 1,
    report: Callable[[Result], None] = lambda result: None,
) -> list[Result]:
    """Build ``sources``; one failing brief never stops the others."""
    manifest = Manifest.load(settings.out_dir)
    env = environment_hash(settings.templates)
    results: list[Result] = []
    pending: list[Plan] = []
    for source in sources:
        job = plan(source, settings, manifest, env)
        if job.todo:
            pending.append(job)
            continue
        result = Result(source, "up to date", notices=_plan_notices(job, settings))
        results.append(result)
        report(result)
    plans = {job.source: job for job in pending}
    for result in _execute(pending, settings, jobs):
        job = plans[result.source]
        result.notices[:0] = _plan_notices(job, settings)
        if result.entry is not None:
            result.entry.environment = env
            previous = manifest.entries.get(result.source.stem)
            if previous is not None:
                kept = previous.outputs if previous.environment == env else {
                    fmt: stamp for fmt, stamp in previous.outputs.items()
                    if fmt == "docx" and job.keep_edited_docx
                }
                result.entry.outputs = {**kept, **result.entry.outputs}
            manifest.entries[result.source.stem] = result.entry
            manifest.save()
        results.append(result)
        report(result)
    return results


def _plan_notices(job: Plan, settings: Settings) -> list[str]:
    if not job.keep_edited_docx:
        return []
    return [
        f"{output_path(settings, job.source, 'docx')} was edited since it was generated; "
        "it is left as it is (bring the edits back with 'briefgen pull', "
        "or rebuild with --force to overwrite it after keeping a copy)"
    ]


def _execute(pending: list[Plan], settings: Settings, jobs: int) -> Iterator[Result]:
    if jobs <= 1 or len(pending) <= 1:
        for job in pending:
            yield build_one(job, settings)
        return
    workers = min(jobs, len(pending), os.cpu_count() or 1)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(_build_in_worker, [(job, settings) for job in pending])
