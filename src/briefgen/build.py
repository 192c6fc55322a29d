"""Build orchestration: which briefs to build, in which formats, and where.

Writers are imported lazily inside the worker so that a build with nothing
to do (or ``briefgen check``) never pays for WeasyPrint's start-up.  Every
output is written atomically; an edited Word file is never overwritten
without a backup.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import shutil
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Callable, Iterable, Iterator, Literal

from .errors import BriefErrors, Diagnostic
from .manifest import WRITING, Entry, FileStamp, Manifest, file_sha256, write_atomic
from .model import Figure
from .project import Project
from .resources import Templates

FORMATS = ("pdf", "docx", "html")
BRIEF_SUFFIXES = (".yaml", ".yml")
Outcome = Literal["built", "up to date", "failed"]


@dataclass(frozen=True)
class Settings:
    """Everything a worker needs to build one brief (picklable).

    ``theme``, ``pdf_variant`` and ``reference_docx`` here come from the
    command line and win over the brief's own keys, which win over the
    project's ``briefgen.toml``.
    """

    out_dir: Path
    templates: Path | Templates | None  # the project's folder, over the packaged files
    formats: tuple[str, ...] = FORMATS
    strict: bool = False
    force: bool = False
    theme: str | None = None
    pdf_variant: str | None = None
    reference_docx: Path | None = None
    project: Project = field(default_factory=Project)
    density: str | None = None
    debug: bool = False  # let unexpected exceptions through, with their traceback

    @property
    def layers(self) -> Templates:
        """Where templates are looked up: the project's folder, then the package's."""
        return Templates.layered(self.templates)

    def presentation(self, brief) -> "Presentation":
        project = self.project
        reference = (
            self.reference_docx
            or brief.reference_docx
            or project.reference_docx
            or self.layers.find("reference.docx")
            or self.layers.folders[0] / "reference.docx"  # missing: the Word writer says so
        )
        return Presentation(
            theme=self.theme or brief.theme or project.theme or "default",
            pdf_variant=self.pdf_variant or brief.pdf_variant or project.pdf_variant or "pdf/ua-1",
            reference_docx=reference,
            section_numbers=brief.section_numbers or bool(project.section_numbers),
            density=self.density or brief.density or project.density or "normal",
        )

    def fingerprint(self) -> str:
        """The settings that change outputs, for the environment hash."""
        return repr((self.theme, self.pdf_variant, self.reference_docx, self.project, self.density))


@dataclass(frozen=True)
class Presentation:
    """How one brief is presented, once brief, project and command line agree."""

    theme: str
    pdf_variant: str
    reference_docx: Path
    section_numbers: bool
    density: str = "normal"


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


def environment_hash(templates: Path | Templates | None, settings: str = "") -> str:
    """A hash of everything besides the brief that shapes the outputs: both
    template layers (the project's and the packaged one), this package's
    code, the renderers' versions and the settings."""
    digest = hashlib.sha256(settings.encode())
    digest.update(Templates.layered(templates).digest().encode())
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        if "__pycache__" not in path.parts and path.relative_to(package).parts[0] != "templates":
            digest.update(str(path.relative_to(package)).encode())
            digest.update(path.read_bytes())
    for dist in ("weasyprint", "python-docx", "matplotlib", "jinja2", "markdown-it-py"):
        try:
            digest.update(f"{dist}={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{dist}=none".encode())
    return digest.hexdigest()


def citation_inputs(brief) -> list[Path]:
    """The bibliography and a .csl style beside the brief: a change to either
    changes the citations, so the brief is rebuilt."""
    bib = brief.bibliography
    if bib is None:
        return []
    from .cite.styles import STYLES_FOLDER
    from .resources import packaged_templates

    paths = [bib.path]
    style = bib.style_path
    if style is not None and not style.resolve().is_relative_to(packaged_templates().resolve() / STYLES_FOLDER):
        paths.append(style)
    return paths


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
    fresh = (
        entry is not None
        and entry.environment == env
        and str(source.resolve()) in entry.inputs  # the same brief, not a namesake elsewhere
        and entry.inputs_unchanged()
    )
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
        if stamp is not None and exists and stamp.matches(out):
            if fresh or (entry and fmt in entry.synced and entry.environment == env
                         and entry.synced[fmt] == file_sha256(source)):
                continue
        todo.append(fmt)
    return Plan(source, tuple(todo), keep_edited, backup)


def pulled_into_output(source: Path, docx: Path) -> bool:
    """Whether ``docx`` is the Word output of ``source`` in a folder built
    into (so that the next build keeps it rather than regenerating it)."""
    if docx.name != f"{source.stem}.docx":
        return False
    manifest = Manifest.load(docx.parent)
    return manifest.path.exists() and source.stem in manifest.entries


def record_pull(source: Path, docx: Path, out_dir: Path) -> None:
    """After 'briefgen pull', the edited Word file and the brief say the same
    thing: remember that, so the next build keeps the Word file and rebuilds
    only the PDF and the HTML."""
    manifest = Manifest.load(out_dir)
    entry = manifest.entries.get(source.stem)
    if entry is None:
        entry = Entry("")
        manifest.entries[source.stem] = entry
    entry.outputs["docx"] = FileStamp.of(docx)
    entry.synced["docx"] = file_sha256(source)
    manifest.save()


#: Told about each output as soon as it is written (``watch`` reloads the
#: browser on the HTML while the PDF is still being laid out).
OnOutput = Callable[[Path, str, Path], None]


def build_one(job: Plan, settings: Settings, on_output: OnOutput | None = None) -> Result:
    """Load, check and render one brief; never raises for a content problem.

    Formats are rendered in ``job.todo`` order; ``on_output(source, fmt,
    path)`` is called after each one is written.
    """
    started = time.perf_counter()
    from .lint import lint
    from .read import load_brief

    result = Result(job.source, "built")
    try:
        brief = load_brief(job.source)
    except BriefErrors as err:
        result.outcome, result.diagnostics = "failed", list(err.diagnostics)
        result.seconds = time.perf_counter() - started
        return result
    from .gate import gate

    warnings = lint(brief)
    result.diagnostics = [w.as_error() for w in warnings] if settings.strict else warnings
    # The same gate as `briefgen check`: a theme or reference document the
    # writers would refuse is reported at the brief's own key, before rendering.
    result.diagnostics += gate(brief, settings)
    if any(d.severity == "error" for d in result.diagnostics):
        result.outcome = "failed"
        result.seconds = time.perf_counter() - started
        return result

    from . import chart_cache

    chart_cache.configure(chart_cache.folder_for(settings.out_dir))
    look = settings.presentation(brief)
    if look.section_numbers and not brief.section_numbers:
        brief = dataclasses.replace(brief, section_numbers=True)
    if look.density != (brief.density or "normal"):
        brief = dataclasses.replace(brief, density=look.density)
    if settings.project.labels:
        # the project's words first, so that the brief's own win
        brief = dataclasses.replace(brief, labels=settings.project.labels + brief.labels)
    renders: dict[str, Callable[[], bytes]] = {
        "html": lambda: _render_html(brief, settings, "screen", look).encode("utf-8"),
        # Only a length budget needs the layout measured.
        "pdf": lambda: _render_pdf(brief, settings, look, result) if brief.max_pages else _render_pdf(brief, settings, look),
        "docx": lambda: _render_docx(brief, settings, look),
    }
    settings.out_dir.mkdir(parents=True, exist_ok=True)
    outputs: dict[str, FileStamp] = {}
    for fmt in job.todo:
        try:
            data = renders[fmt]()
        except BriefErrors as err:
            result.outcome, result.diagnostics = "failed", [*result.diagnostics, *err.diagnostics]
            break
        except Exception as err:  # a writer failed: report it, keep building the others
            if settings.debug:
                raise
            result.outcome = "failed"
            result.diagnostics.append(_writer_failure(job.source, fmt, err))
            break
        if any(d.severity == "error" for d in result.diagnostics):  # max_pages under --strict
            result.outcome = "failed"
            break
        target = output_path(settings, job.source, fmt)
        if fmt == "docx" and job.backup_docx and target.exists():
            kept = _backup(target, settings.out_dir)
            result.notices.append(f"kept a copy of the previous {target.name} at {kept}")
        write_atomic(target, data)
        outputs[fmt] = FileStamp.of(target)
        result.written.append(target)
        if on_output is not None:
            on_output(job.source, fmt, target)
    figures = [block.path for block in brief.walk_blocks() if isinstance(block, Figure)]
    inputs = [job.source, *figures, *citation_inputs(brief)]
    if not settings.layers.contains(look.reference_docx):
        inputs.append(look.reference_docx)
    result.entry = Entry("", {str(p.resolve()): FileStamp.of(p) for p in inputs}, outputs)
    result.seconds = time.perf_counter() - started
    return result


def _writer_failure(source: Path, fmt: str, err: Exception) -> Diagnostic:
    """A clear message for a writer that could not finish, without a traceback."""
    from jinja2 import TemplateError, TemplateNotFound

    if isinstance(err, TemplateNotFound):
        message = f"template '{err.name}' not found; is the templates folder complete?"
    elif isinstance(err, TemplateError):
        message = f"the templates failed: {err}"
    elif type(err).__name__ in ("PackageNotFoundError", "BadZipFile"):
        message = f"the Word reference document is not a .docx file: {err}"
    elif isinstance(err, FileNotFoundError):
        message = f"a file the {fmt.upper()} needs is missing: {err.filename or err}"
    elif isinstance(err, (OSError, ValueError)):
        message = str(err)
    else:
        message = (
            f"unexpected {type(err).__name__}: {err} "
            "(run again with --debug to see where; please report it)"
        )
    return Diagnostic(source, 1, 1, "error", f"could not write the {fmt.upper()}: {message}")


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


def _render_html(brief, settings: Settings, media: str, look: Presentation) -> str:
    from .writers.html import render_html

    return render_html(brief, templates=settings.layers, media=media, theme=look.theme)  # type: ignore[arg-type]


def _render_pdf(brief, settings: Settings, look: Presentation, result: Result | None = None) -> bytes:
    from .writers.pdf import render_pdf

    html = _render_html(brief, settings, "print", look)
    font_config, cache = _pdf_resources()

    def measure(document) -> None:
        if result is not None and brief.max_pages and len(document.pages) > brief.max_pages:
            result.diagnostics.append(_too_long(brief, document, settings.strict))

    return render_pdf(
        html, title=brief.title, lang=brief.lang, variant=look.pdf_variant,
        font_config=font_config, cache=cache, on_layout=measure,
    )


def _too_long(brief, document, strict: bool) -> Diagnostic:
    """max_pages exceeded: by how many pages and about how many lines."""
    from .writers.pdf_lines import lines_after

    lines = lines_after(document, brief.max_pages)
    pages = len(document.pages)
    message = (
        f"the PDF runs {pages} pages, {pages - brief.max_pages} more than "
        f"max_pages: {brief.max_pages}; about {lines} lines too long "
        "(cut text, or try density: compact)"
    )
    where = brief.places.get("max_pages", brief.pos)
    return Diagnostic(brief.path, where.line, where.column, "error" if strict else "warning", message, "max_pages")


_PDF_RESOURCES: tuple | None = None


def _pdf_resources() -> tuple:
    """One font configuration and image cache per process, shared by every
    brief it renders: fonts are found and parsed once per batch."""
    global _PDF_RESOURCES
    if _PDF_RESOURCES is None:
        from weasyprint.text.fonts import FontConfiguration

        _PDF_RESOURCES = (FontConfiguration(), {})
    return _PDF_RESOURCES


def _render_docx(brief, settings: Settings, look: Presentation) -> bytes:
    from .writers.docx import render_docx

    return render_docx(brief, reference=look.reference_docx, templates=settings.layers)


def _build_in_worker(args: tuple[Plan, Settings]) -> Result:
    return build_one(*args)


def run(
    sources: list[Path],
    settings: Settings,
    *,
    jobs: int = 1,
    report: Callable[[Result], None] = lambda result: None,
    starting: Callable[[Path], None] = lambda source: None,
    on_output: OnOutput | None = None,
) -> list[Result]:
    """Build ``sources``; one failing brief never stops the others.

    ``on_output`` (see :func:`build_one`) is called only when the briefs are
    built in this process (``jobs`` 1).
    """
    manifest = Manifest.load(settings.out_dir)
    if settings.out_dir.is_dir():
        remove_stale_temporaries(settings.out_dir)
    env = environment_hash(settings.layers, settings.fingerprint())
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
    for result in _execute(pending, settings, jobs, starting, on_output):
        job = plans[result.source]
        result.notices[:0] = _plan_notices(job, settings)
        if result.entry is not None:
            # a brief that failed half-way keeps the records of what it wrote
            # (so a Word file stays protected) but is rebuilt next time
            result.entry.environment = env if result.outcome == "built" else ""
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


def _execute(
    pending: list[Plan],
    settings: Settings,
    jobs: int,
    starting: Callable[[Path], None],
    on_output: OnOutput | None = None,
) -> Iterator[Result]:
    if jobs <= 1 or len(pending) <= 1:
        for job in pending:
            starting(job.source)
            yield build_one(job, settings, on_output)
        return
    workers = min(jobs, len(pending), os.cpu_count() or 1)
    pool = ProcessPoolExecutor(
        max_workers=workers, initializer=_init_worker, initargs=(os.getpid(),)
    )
    # Submitted by hand, not with pool.map: on an exception map cancels the
    # futures left, racing the pool's own thread, which may be finishing
    # one of them (an InvalidStateError traceback on the way out).
    futures = [pool.submit(_build_in_worker, (job, settings)) for job in pending]
    try:
        for future in futures:
            yield future.result()
    except BaseException:
        # Ctrl-C or a crash: stop now. Outputs are written atomically, so a
        # worker ended mid-brief leaves the previous files as they were;
        # the pool marks the futures left as broken.
        for process in list(getattr(pool, "_processes", {}).values()):
            process.terminate()
        pool.shutdown(wait=False)
        raise
    pool.shutdown()


def _init_worker(parent: int) -> None:
    """Workers leave Ctrl-C to the parent, which stops them all at once, and
    end when the parent is gone (killed outright, it cannot stop them)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.25)
    # Outputs are written atomically: nothing half-written is left but the
    # temporary file of a write under way, which the next build could not
    # remove while this process lives.
    for tmp in list(WRITING):
        tmp.unlink(missing_ok=True)
    os._exit(1)


def remove_stale_temporaries(folder: Path) -> None:
    """Delete temporary files left by a build that was killed mid-write."""
    for path in folder.glob(".*.tmp"):
        pid = path.name.rsplit(".", 2)[-2]
        if pid.isdigit() and _alive(int(pid)):
            continue
        path.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
