"""The ``briefgen`` command line.

Exit status (the contract): 0 everything built or valid (warnings allowed
unless ``--strict``), 1 a brief has errors or failed to build, 2 the
command line itself is wrong.  Click already exits with 2 for usage errors.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from . import __version__
from .errors import BriefErrors, Diagnostic

DEFAULT_CONTENT = Path("content")
DEFAULT_OUT = Path("build")


def default_templates() -> Path:
    """``./templates`` of the project being built, else the ones shipped in
    the package.  A project's folder may hold only the files it changes:
    the packaged ones fill in the rest (see ``resources.Templates``)."""
    local = Path.cwd() / "templates"
    if local.is_dir():
        return local
    from .resources import packaged_templates

    return packaged_templates()


def _echo_diagnostic(diagnostic: Diagnostic) -> None:
    text = diagnostic.format()
    location, _, rest = text.partition(f" {diagnostic.severity}:")
    colour = "red" if diagnostic.severity == "error" else "yellow"
    click.echo(
        location + " " + click.style(f"{diagnostic.severity}:", fg=colour, bold=True) + rest,
        err=True,
    )


def _parse_formats(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
    from .build import FORMATS

    chosen = tuple(dict.fromkeys(part.strip().lower() for part in value.split(",") if part.strip()))
    unknown = [fmt for fmt in chosen if fmt not in FORMATS]
    if unknown or not chosen:
        raise click.BadParameter(
            f"{', '.join(unknown) or 'nothing'}: choose from {', '.join(FORMATS)} (comma-separated)"
        )
    return chosen


def _paths_or_default(paths: tuple[Path, ...]) -> list[Path]:
    if paths:
        return list(paths)
    if not DEFAULT_CONTENT.is_dir():
        raise click.UsageError(f"no brief named and no '{DEFAULT_CONTENT}/' folder here")
    return [DEFAULT_CONTENT]


_existing = click.Path(exists=True, path_type=Path)


def _parse_shard(value: str | None):
    if value is None:
        return None
    from .shard import Shard

    try:
        return Shard.parse(value)
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="'--shard'") from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="briefgen")
def main() -> None:
    """Turn briefs written as YAML into PDF, Word and HTML."""


def _project():
    """The project's ``briefgen.toml`` (exit 1 with its problems if it is wrong)."""
    from .project import load_project

    try:
        return load_project(Path.cwd())
    except BriefErrors as err:
        for diagnostic in err.diagnostics:
            _echo_diagnostic(diagnostic)
        sys.exit(1)


@main.command()
@click.argument("paths", nargs=-1, type=_existing)
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_OUT, show_default=True, help="Folder for the outputs.")
@click.option("--format", "formats", default="pdf,docx,html", show_default=True, callback=_parse_formats, help="Formats to build, comma-separated.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=lambda: os.cpu_count() or 1, show_default="number of CPUs", help="Briefs built in parallel.")
@click.option("--shard", default=None, callback=lambda ctx, param, value: _parse_shard(value), metavar="K/N", help="Build only shard K of N: a fixed share of the briefs, for a CI job matrix (docs/ci.md).")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--force", is_flag=True, help="Overwrite edited Word files (a copy is kept in OUT/.edited/).")
@click.option("--templates", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None, help="Your templates folder, looked up before the packaged files, file by file (default: ./templates).")
@click.option("--theme", default=None, help="House style for PDF and HTML (templates/themes/NAME.css); overrides the brief's.")
@click.option("--pdf-variant", type=click.Choice(["pdf/ua-1", "pdf/a-3u"]), default=None, help="PDF flavour: tagged PDF/UA-1 (default) or archival PDF/A-3u.")
@click.option("--density", type=click.Choice(["normal", "compact"]), default=None, help="Type and spacing for PDF and HTML; overrides the brief's.")
@click.option("--reference-doc", "reference_docx", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None, help="Word reference document (styles); overrides the brief's.")
@click.option("--debug", is_flag=True, hidden=True, help="Show tracebacks of unexpected errors.")
def build(paths: tuple[Path, ...], out_dir: Path, formats: tuple[str, ...], jobs: int, shard, strict: bool, force: bool, templates: Path | None, theme: str | None, pdf_variant: str | None, density: str | None, reference_docx: Path | None, debug: bool) -> None:
    """Build briefs (files or folders; default: content/) into OUT."""
    from .build import Result, Settings, discover, run

    project = _project()
    roots = _paths_or_default(paths)
    sources = discover(roots)
    if not sources:
        click.echo("no briefs found", err=True)
        sys.exit(0)
    if shard is not None:
        from .shard import select

        total = len(sources)
        sources = select(sources, shard, roots)
        click.echo(f"shard {shard}: {len(sources)} of {total} brief{'s' if total != 1 else ''}")
        if not sources:
            sys.exit(0)
    settings = Settings(
        out_dir,
        templates or project.templates or default_templates(),
        formats,
        strict,
        force,
        theme=theme,
        pdf_variant=pdf_variant,
        density=density,
        reference_docx=reference_docx.resolve() if reference_docx else None,
        project=project,
        debug=debug,
    )
    started = time.perf_counter()

    progress = _Progress(len(sources), enabled=sys.stderr.isatty())

    def report(result: Result) -> None:
        progress.clear()
        progress.done += 1
        for diagnostic in result.diagnostics:
            _echo_diagnostic(diagnostic)
        for notice in result.notices:
            click.echo(click.style("warning:", fg="yellow", bold=True) + f" {notice}", err=True)
        if result.outcome == "built":
            names = ", ".join(p.name for p in result.written)
            click.echo(f"built       {result.source}  ->  {names}  ({result.seconds:.1f} s)")
        elif result.outcome == "up to date":
            click.echo(f"up to date  {result.source}")
        else:
            click.echo(click.style("failed", fg="red", bold=True) + f"      {result.source}")
        progress.show()

    def interrupted() -> None:
        progress.clear()
        click.echo(
            "\ninterrupted: outputs already written are complete; the others were left as they were",
            err=True,
        )
        sys.exit(130)

    with _remembered_interrupt() as interrupts:
        try:
            results = run(sources, settings, jobs=jobs, report=report, starting=progress.starting)
        except KeyboardInterrupt:
            interrupted()
    if interrupts:
        interrupted()  # Ctrl-C came where Python could not raise it
    progress.clear()
    counts = {outcome: sum(r.outcome == outcome for r in results) for outcome in ("built", "up to date", "failed")}
    failed = [str(r.source) for r in results if r.outcome == "failed"]
    summary = (
        f"{len(results)} brief{'s' if len(results) != 1 else ''}: {counts['built']} built, "
        f"{counts['up to date']} up to date, {counts['failed']} failed "
        f"({time.perf_counter() - started:.1f} s)"
    )
    if failed:
        summary += " - failed: " + ", ".join(failed)
    click.echo(summary)
    sys.exit(1 if failed else 0)


@main.command()
@click.argument("paths", nargs=-1, type=_existing)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True, help="How to print the problems.")
@click.option("--templates", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None, help="Templates folder the build will use (default: ./templates).")
@click.option("--theme", default=None, help="The theme the build will be given with --theme.")
@click.option("--reference-doc", "reference_docx", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None, help="The Word reference document the build will be given.")
def check(paths: tuple[Path, ...], strict: bool, output: str, templates: Path | None, theme: str | None, reference_docx: Path | None) -> None:
    """Validate and lint briefs, and everything a build would refuse; render nothing."""
    from .build import Settings, discover
    from .gate import gate
    from .lint import lint
    from .read import load_brief

    project = _project()
    settings = Settings(
        DEFAULT_OUT,
        templates or project.templates or default_templates(),
        theme=theme,
        reference_docx=reference_docx.resolve() if reference_docx else None,
        project=project,
    )
    sources = discover(_paths_or_default(paths))
    everything: list[Diagnostic] = []
    failed = 0
    for source in sources:
        try:
            brief = load_brief(source)
        except BriefErrors as err:
            found = list(err.diagnostics)
        else:
            found = sorted([*lint(brief), *gate(brief, settings)], key=lambda d: (d.line, d.column))
        if strict:
            found = [d.as_error() for d in found]
        failed += any(d.severity == "error" for d in found)
        everything.extend(found)
    if output == "json":
        click.echo(json.dumps([d.as_dict() for d in everything], indent=2))
    else:
        for diagnostic in everything:
            _echo_diagnostic(diagnostic)
        errors = sum(d.severity == "error" for d in everything)
        warnings = len(everything) - errors
        click.echo(
            f"{len(sources)} brief{'s' if len(sources) != 1 else ''} checked: "
            f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}",
            err=True,
        )
    sys.exit(1 if failed else 0)


class _Progress:
    """A one-line progress bar on a terminal; nothing when output is piped
    (the per-brief lines are the plain record)."""

    WIDTH = 24

    def __init__(self, total: int, *, enabled: bool):
        self.total, self.enabled = total, enabled
        self.done = 0
        self.current = ""
        self.shown = False

    def starting(self, source: Path) -> None:
        self.current = source.name
        self.show()

    def show(self) -> None:
        if not self.enabled or self.done >= self.total:
            return
        filled = self.WIDTH * self.done // max(self.total, 1)
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        name = f" building {self.current}" if self.current else ""
        click.echo(f"\r[{bar}] {self.done}/{self.total}{name}\x1b[K", nl=False, err=True)
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            click.echo("\r\x1b[K", nl=False, err=True)
            self.shown = False


@main.command()
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write the schema to this file instead of printing it.")
def schema(output: Path | None) -> None:
    """Print the JSON Schema of the brief format (for editors' YAML tooling)."""
    from .spec import json_schema
    from .starter import write_schema

    if output:
        write_schema(output)
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(json.dumps(json_schema(), indent=2, ensure_ascii=False))


@main.command()
@click.argument("name")
@click.option("--folder", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_CONTENT, show_default=True, help="Where to write the brief.")
def new(name: str, folder: Path) -> None:
    """Write a starter brief FOLDER/NAME.yaml that shows every block type."""
    from .invocation import command_name
    from .starter import StarterError, write_starter

    command = command_name()
    try:
        path = write_starter(name, folder, command=command)
    except StarterError as err:
        raise click.UsageError(str(err)) from None
    click.echo(f"wrote {path} (and the schema beside it for your editor); build it with: {command} build {path}")


@main.command()
@click.argument("docx", type=click.Path(path_type=Path))
@click.option("--yaml", "yaml_path", type=click.Path(path_type=Path), default=None, help="The brief to update (default: the one the file was built from).")
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.option("--accept-changes", "accept", is_flag=True, help="Pull the file as if every tracked change were accepted.")
@click.option("--reject-changes", "reject", is_flag=True, help="Pull the file as if every tracked change were rejected.")
def pull(docx: Path, yaml_path: Path | None, dry_run: bool, accept: bool, reject: bool) -> None:
    """Bring an editor's changes in a generated Word file back into its brief."""
    from .build import pulled_into_output, record_pull
    from .pull import PullError, pull_docx

    if accept and reject:
        raise click.UsageError("--accept-changes and --reject-changes cannot be used together")
    try:
        result = pull_docx(docx, yaml_path=yaml_path, dry_run=dry_run,
                           changes="accept" if accept else "reject" if reject else "list")
    except PullError as err:
        for line in str(err).splitlines():
            head, found, rest = line.partition(" error: ")
            if found:
                line = head + " " + click.style("error:", fg="red", bold=True) + " " + rest
            click.echo(line, err=True)
        sys.exit(1)
    click.echo(result.summary)
    if not result.changed:
        click.echo(f"{result.yaml_path} already says what {docx} says; nothing to do")
    elif dry_run:
        click.echo(f"(dry run: {result.yaml_path} was not changed)")
    elif pulled_into_output(result.yaml_path, docx):
        record_pull(result.yaml_path, docx, docx.parent)
        click.echo(f"updated {result.yaml_path}; 'briefgen build' now rebuilds its PDF and HTML and keeps {docx}")
    else:
        click.echo(
            f"updated {result.yaml_path}; 'briefgen build' rebuilds all its outputs from it "
            f"({docx} is not its Word output, and is left as it is)"
        )


@main.command()
@click.argument("paths", nargs=-1, type=_existing)
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_OUT, show_default=True, help="Folder for the outputs.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port on 127.0.0.1 (0: any free one).")
@click.option("--format", "formats", default="html,pdf,docx", show_default=True, callback=_parse_formats, help="Formats to rebuild on each save (the HTML always first).")
def watch(paths: tuple[Path, ...], out_dir: Path, port: int, formats: tuple[str, ...]) -> None:
    """Rebuild briefs on save and preview them on localhost, with live reload."""
    from .build import Settings, discover
    from .watch.session import Session
    from .watch.worker import html_first

    roots = _paths_or_default(paths)

    def make_settings() -> Settings:
        from .project import load_project

        project = load_project(Path.cwd())
        return Settings(out_dir, project.templates or default_templates(), html_first(formats), project=project)

    _project()  # a broken briefgen.toml: its problems, exit 1
    session = Session(roots, make_settings, say=lambda text: click.echo(text, err=True), diagnose=_echo_diagnostic)
    try:
        address = session.start(port)
    except OSError as err:
        session.stop()
        raise click.UsageError(f"cannot listen on 127.0.0.1:{port}: {err.strerror or err}") from None
    count = len(discover(roots))
    click.echo(
        f"previewing {count} brief{'s' if count != 1 else ''} at {address} (outputs in {out_dir}); "
        "watching for changes, Ctrl-C to stop",
        err=True,
    )
    try:
        session.loop()
    except KeyboardInterrupt:
        click.echo("\nstopped", err=True)
    finally:
        session.stop()


@contextmanager
def _remembered_interrupt() -> Iterator[list[int]]:
    """Ctrl-C raises KeyboardInterrupt as usual, and is also remembered.

    Python drops an exception raised while a finalizer runs (a garbage
    collected object's ``__del__``), so a Ctrl-C at that moment would be
    lost and the build would carry on and report success; the list it
    yields says it came.
    """
    received: list[int] = []

    def handler(signum: int, frame: object) -> None:
        received.append(signum)
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield received
    finally:
        signal.signal(signal.SIGINT, previous)


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default=Path("."))
def init(folder: Path) -> None:
    """Set up a repository of briefs in FOLDER (default: here); keeps every existing file."""
    from .init import init_project, shown
    from .invocation import command_name

    command = command_name()
    outcome = init_project(folder, command)
    for path in outcome.created:
        click.echo(f"created  {shown(path)}")
    for path in outcome.kept:
        click.echo(f"kept     {shown(path)} (already there; not changed)")
    for path in outcome.skipped:
        click.echo(f"skipped  {shown(path)} ({shown(path.parent)} already holds briefs)")
    if not outcome.created:
        click.echo("nothing to do: every file was already there")
    here = "" if folder.resolve() == Path.cwd().resolve() else f"cd {shown(folder)} && "
    click.echo(f"next: {here}{command} build   (builds content/*.yaml into build/; '{command} doctor' checks this machine)")


@main.group()
def templates() -> None:
    """The packaged templates: copy them into your project to restyle."""


@templates.command("export")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default=Path("templates"))
@click.option("--file", "only", multiple=True, metavar="NAME", help="Export only this file (e.g. css/print.css); repeatable.")
def templates_export(folder: Path, only: tuple[str, ...]) -> None:
    """Copy the packaged templates into FOLDER (default: templates); keeps existing files.

    Keep only the files you change: the others are taken from the package,
    file by file, and follow briefgen's upgrades."""
    from .init import export_templates, shown

    try:
        outcome = export_templates(folder, only)
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="--file") from None
    for path in outcome.created:
        click.echo(f"copied   {shown(path)}")
    for path in outcome.kept:
        click.echo(f"kept     {shown(path)} (already there; not changed)")


@templates.command("list")
def templates_list() -> None:
    """Every template file and where it comes from: this project or the package."""
    from .resources import Templates

    layers = Templates.layered(_project().templates or default_templates())
    for name, path in layers.files().items():
        origin = "project " if layers.project and path.is_relative_to(layers.project) else "packaged"
        click.echo(f"{origin}  {name}")


@main.command()
def doctor() -> None:
    """Check what a build needs on this machine; print how to install what is missing."""
    from .doctor import examine, report

    lines, status = report(examine())
    for line in lines:
        click.echo(line)
    sys.exit(status)


if __name__ == "__main__":  # pragma: no cover
    main()
