"""The command line: parses options into settings and calls the pipeline.

Only click and light modules are imported at start; renderers load inside the commands.
``build``, ``watch`` and ``preview`` share one declaration of their options
(:func:`build_options`), so the three always take the same course, audiences, languages,
formats and templates.
"""

from __future__ import annotations

import errno
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ccrl_kit import __version__
from ccrl_kit.errors import CcrlError, printable

FORMATS = ("pptx", "html", "pdf", "docx")


class _Group(click.Group):
    """Turns a refusal from the operating system (a file that cannot be read, a read-only
    folder, a full disk) into a one-line message instead of a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except OSError as exc:
            if exc.errno == errno.EPIPE:  # output piped into a command that stopped reading
                raise SystemExit(1) from None
            name = f"{exc.filename}: " if exc.filename else ""
            raise CcrlError(f"{name}{exc.strerror or exc}") from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ccrl")
@click.option("-C", "--workspace", "workspace", type=click.Path(file_okay=False, path_type=Path),
              default=".", show_default=True, help="The workspace folder.")
@click.pass_context
def main(ctx: click.Context, workspace: Path) -> None:
    """Build Cross-Cultural Religious Literacy courses from YAML modules.

    A workspace holds modules/, audiences/, courses/ and templates/; outputs go to output/.
    """
    ctx.obj = workspace


def build_options(command: Callable) -> Callable:
    """The options ``build``, ``watch`` and ``preview`` share, declared once."""
    options = [
        click.argument("course", required=False),
        click.option("-a", "--audience", "audiences", multiple=True, metavar="ID",
                     help="Audience to build for (repeatable; default: every audience of the "
                          "course)."),
        click.option("-l", "--lang", "languages", multiple=True, metavar="CODE",
                     help="Language to build in (repeatable; default: the course's first). Any "
                          "code CLDR knows (ky, uz, tr ...); 'en+ru' makes a bilingual deck."),
        click.option("-f", "--format", "formats", multiple=True, type=click.Choice(FORMATS),
                     help="Output format (repeatable; default: all)."),
        click.option("-o", "--out", type=click.Path(file_okay=False, path_type=Path),
                     help="Output folder (default: the workspace's output/)."),
        click.option("--templates", type=click.Path(file_okay=False, exists=True,
                                                    path_type=Path),
                     help="A folder of templates that override the workspace's."),
        click.option("--template", "deck_template",
                     type=click.Path(dir_okay=False, exists=True, path_type=Path),
                     help="A PowerPoint template (.pptx or .potx) to draw the deck on."),
        click.option("--keep-external-links", "keep_external", is_flag=True,
                     help="Keep the deck template's links to files elsewhere (a remote attached "
                          "template, a linked picture); they are removed by default."),
        click.option("--minutes", type=click.IntRange(1, 24 * 60 * 7),
                     help="Time budget: drop optional items until the course fits (and say "
                          "which)."),
        click.option("--participants", type=click.Path(dir_okay=False, exists=True,
                                                       path_type=Path),
                     help="Names for the certificates: .csv, .xlsx or .txt (one name a line); "
                          "see docs/authoring.md."),
        click.option("--paper", type=click.Choice(["a4", "letter"]), default="a4",
                     show_default=True, help="Paper size of the printed documents."),
        click.option("-j", "--jobs", type=click.IntRange(1, 64), default=None,
                     help="Parallel processes (default: the number of cores)."),
        click.option("--force", is_flag=True,
                     help="Build for an audience the course does not list (with a warning)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _settings(workspace: Path, options: dict[str, Any]):
    """The build settings the shared options describe (a ``Settings``)."""
    from ccrl_kit.build.pipeline import Settings, default_jobs

    return Settings(
        workspace=workspace, course=options["course"], audiences=options["audiences"],
        languages=options["languages"], formats=options["formats"] or FORMATS,
        out=options["out"], templates=options["templates"], paper=options["paper"],
        deck_template=options["deck_template"], participants=options["participants"],
        minutes=options["minutes"], jobs=options["jobs"] or default_jobs(),
        force=options["force"], keep_external=options["keep_external"],
    )


def duration(minutes: int) -> str:
    """A length of time as the command line shows it: "45 min", "2 h", "3 h 5 min"."""
    hours, rest = divmod(minutes, 60)
    return " ".join(part for part in (f"{hours} h" if hours else "",
                                      f"{rest} min" if rest or not hours else "") if part)


@main.command("validate")
@click.pass_obj
def validate_cmd(workspace: Path) -> None:
    """Check every module, audience and course file; print every problem."""
    from ccrl_kit.content.workspace import load_workspace

    ws = load_workspace(workspace)
    click.echo(f"ok: {len(ws.modules)} modules, {len(ws.audiences)} audiences, "
               f"{len(ws.courses)} courses")


@main.command("build")
@build_options
@click.pass_obj
def build_cmd(workspace: Path, **options: Any) -> None:
    """Build the deck and documents of COURSE (default: the workspace's default course).

    Writes OUT/<course>/<audience>/<lang>/deck.pptx, facilitator-guide.{html,pdf,docx},
    participant-handout.{html,pdf,docx} and certificates.pdf.
    """
    from ccrl_kit.authoring.report import show_report
    from ccrl_kit.build.pipeline import build
    from ccrl_kit.build.progress import Reporter

    settings = _settings(workspace, options)
    with Reporter() as reporter:
        report = build(settings, reporter.update)
    show_report(report)


@main.command("list")
@click.pass_obj
def list_cmd(workspace: Path) -> None:
    """List the workspace's modules, audiences, courses and languages."""
    from ccrl_kit.content.languages import SHIPPED
    from ccrl_kit.content.workspace import load_workspace
    from ccrl_kit.resolve.resolver import plain_text

    ws = load_workspace(workspace)
    click.echo("Modules:")
    for mid, module in ws.modules.items():
        click.echo(printable(f"  {mid:<28} {duration(module.minutes):>9}  "
                             f"{plain_text(module.title)}"))
    click.echo("Audiences:")
    for aid, audience in ws.audiences.items():
        click.echo(printable(f"  {aid:<28} {plain_text(audience.name)}"))
    click.echo("Courses:")
    for cid, course in ws.courses.items():
        default = " (default)" if cid == ws.default_course else ""
        click.echo(printable(f"  {cid:<28} {', '.join(course.languages):<10} "
                             f"{plain_text(course.title)}{default}"))
    click.echo(f"Languages: {', '.join(SHIPPED)} have their own fixed wording; any other code "
               "CLDR knows (ky, uz, tr ...) falls back (ccrl i18n)")


@main.command("i18n")
@click.argument("course", required=False)
@click.option("-l", "--lang", "languages", multiple=True, metavar="CODE",
              help="Also show these languages (e.g. one you mean to add to the course).")
@click.pass_obj
def i18n_cmd(workspace: Path, course: str | None, languages: tuple[str, ...]) -> None:
    """Show, per language of each course, how much is translated and how much is a draft."""
    from ccrl_kit.authoring.coverage import coverage_table
    from ccrl_kit.content.workspace import load_workspace

    ws = load_workspace(workspace)
    for line in coverage_table(ws, course, languages):
        click.echo(line)


@main.command("init")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--example", is_flag=True,
              help="Copy the shipped Kazakhstan course (nine modules, four audiences) instead "
                   "of starting blank.")
def init_cmd(folder: Path, example: bool) -> None:
    """Make a new workspace in FOLDER; asks nothing.

    By default a blank start: one small example module (opening), one audience
    (participants), one course (my-course, the default in ccrl.yaml), the templates and the
    JSON schemas for editors. --example copies the shipped course instead.
    """
    from ccrl_kit.authoring.scaffold import init_workspace

    made = init_workspace(folder, example=example)
    click.echo(f"made {folder}/ with {', '.join(made)}")
    if example:
        click.echo(f"next: cd {folder} && ccrl validate && ccrl build")
    else:
        click.echo(f"next: cd {folder} && ccrl new module my-topic --course my-course"
                             " && ccrl build")


@main.command("new")
@click.argument("kind", type=click.Choice(["module", "case-study", "audience", "course"]))
@click.argument("ident", metavar="ID")
@click.option("--course", "course_id", metavar="ID",
              help="module: also add it to the last day of this course, and report the day's "
                   "new end time.")
@click.option("--module", "module_id", metavar="ID",
              help="case-study: the module to add the case to (required).")
@click.pass_obj
def new_cmd(workspace: Path, kind: str, ident: str, course_id: str | None,
            module_id: str | None) -> None:
    """Write a commented skeleton named ID that validates as written.

    A module, audience or course is a new file; a case study is added to the module named by
    --module. Nothing is added to a course unless --course names it; a day with an 'end:' that
    the addition would overflow is refused, never moved.
    """
    from ccrl_kit.authoring import scaffold

    if course_id is not None and kind != "module":
        raise click.UsageError("--course goes with 'new module'")
    if module_id is not None and kind != "case-study":
        raise click.UsageError("--module goes with 'new case-study'")
    if kind == "case-study":
        if module_id is None:
            raise click.UsageError("name the module to add the case to: --module ID")
        added = scaffold.new_case(workspace, ident, module_id)
    elif kind == "module" and course_id is not None:
        added = scaffold.new_module_in_course(workspace, ident, course_id)
    else:
        path = scaffold.new_file(workspace, kind, ident)
        rel = path.relative_to(workspace)
        click.echo(f"wrote {rel}")
        if kind == "module":
            click.echo(f"not added to a course: add '- module: {ident}' to a day's "
                                 "sessions, or use --course ID next time")
        elif kind == "audience":
            click.echo(f"add '{ident}' to a course's 'audiences:' to build for it")
        return
    for line in added.lines:
        click.echo(line)


@main.command("schema")
@click.argument("kind", type=click.Choice(["module", "audience", "course", "workspace"]),
                default="module")
def schema_cmd(kind: str) -> None:
    """Print the JSON Schema of a KIND file (for editor completion and inline errors)."""
    import json

    from ccrl_kit.authoring.schema import schema_for

    click.echo(json.dumps(schema_for(kind), indent=1, ensure_ascii=False))


@main.command("lint")
@click.option("--strict", is_flag=True, help="Treat every finding as an error (exit 1).")
@click.pass_obj
def lint_cmd(workspace: Path, strict: bool) -> None:
    """Check content that validation cannot: terminology, slide density, timings, sources,
    alt text, translations, prompts."""
    from ccrl_kit.authoring.lint import lint
    from ccrl_kit.content.workspace import load_workspace

    findings = lint(load_workspace(workspace))
    level = "error" if strict else "warning"
    for finding in findings:
        click.echo(printable(finding.format(level)), err=True)
    click.echo(f"{len(findings)} {level}{'s' if len(findings) != 1 else ''}", err=True)
    if strict and findings:
        raise SystemExit(1)


@main.group("template")
def template_group() -> None:
    """Check a PowerPoint template (.pptx or .potx) for the deck."""


@template_group.command("check")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--keep-external-links", "keep_external", is_flag=True,
              help="Keep the template's links to files elsewhere (as build does with it).")
@click.pass_obj
def template_check_cmd(workspace: Path, file: Path, keep_external: bool) -> None:
    """Show which layout of FILE draws each kind of slide (by name, by placeholder types or
    through the workspace's ccrl.yaml 'layouts:'), and what is drawn as a text box."""
    from ccrl_kit.authoring.template_check import check, workspace_layouts

    for line in check(file, workspace_layouts(workspace), keep_external=keep_external):
        click.echo(printable(line))


@main.command("watch")
@build_options
@click.pass_obj
def watch_cmd(workspace: Path, **options: Any) -> None:
    """Build COURSE, then rebuild what changed whenever a file it reads changes (Ctrl-C to
    stop). Takes the same options as build."""
    from ccrl_kit.authoring.watch import watch

    try:
        watch(_settings(workspace, options))
    except KeyboardInterrupt:
        click.echo("stopped")


@main.command("preview")
@build_options
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port on 127.0.0.1 (0: any free port).")
@click.pass_obj
def preview_cmd(workspace: Path, port: int, **options: Any) -> None:
    """Build COURSE and serve its outputs on http://127.0.0.1:PORT/: an index of every deck
    and document, with live reload after every rebuild. Takes the same options as build."""
    from ccrl_kit.authoring.watch import Preview

    try:
        Preview(_settings(workspace, options), port).run()
    except KeyboardInterrupt:
        click.echo("stopped")


def run() -> None:
    """The ``ccrl`` command: :func:`main`, then an exit without the interpreter's last
    garbage collections, which walk every object the command made (a sixth of the time of a
    build with nothing to do). Files are closed and exit hooks run as usual."""
    import gc

    try:
        main()
    finally:
        gc.freeze()
