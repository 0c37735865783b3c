"""The command line: parses options into settings and calls the pipeline.

Only click and light modules are imported at start; renderers load inside the commands.
"""

from __future__ import annotations

from pathlib import Path

import click

from ccrl_kit import __version__
from ccrl_kit.errors import printable

FORMATS = ("pptx", "html", "pdf", "docx")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ccrl")
@click.option("-C", "--workspace", "workspace", type=click.Path(file_okay=False, path_type=Path),
              default=".", show_default=True, help="The workspace folder.")
@click.pass_context
def main(ctx: click.Context, workspace: Path) -> None:
    """Build Cross-Cultural Religious Literacy courses from YAML modules.

    A workspace holds modules/, audiences/, courses/ and templates/; outputs go to output/.
    """
    ctx.obj = workspace


@main.command("validate")
@click.pass_obj
def validate_cmd(workspace: Path) -> None:
    """Check every module, audience and course file; print every problem."""
    from ccrl_kit.content.workspace import load_workspace

    ws = load_workspace(workspace)
    click.echo(f"ok: {len(ws.modules)} modules, {len(ws.audiences)} audiences, "
               f"{len(ws.courses)} courses")


@main.command("build")
@click.argument("course", required=False)
@click.option("-a", "--audience", "audiences", multiple=True, metavar="ID",
              help="Audience to build for (repeatable; default: every audience of the course).")
@click.option("-l", "--lang", "languages", multiple=True, metavar="CODE",
              help="Language to build in (repeatable; default: the course's first language).")
@click.option("-f", "--format", "formats", multiple=True, type=click.Choice(FORMATS),
              help="Output format (repeatable; default: all).")
@click.option("-o", "--out", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (default: the workspace's output/).")
@click.option("--templates", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="A folder of templates that override the workspace's.")
@click.option("--template", "deck_template",
              type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="A .pptx template to draw the deck on (its layouts are found by name).")
@click.option("--keep-external-links", "keep_external", is_flag=True,
              help="Keep the deck template's links to files elsewhere (a remote attached "
                   "template, a linked picture); they are removed by default.")
@click.option("--minutes", type=click.IntRange(1, 24 * 60 * 7),
              help="Time budget: drop optional items until the course fits (and say which).")
@click.option("--participants", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Names for the certificates: a text file (one per line) or a CSV file.")
@click.option("--paper", type=click.Choice(["a4", "letter"]), default="a4", show_default=True,
              help="Paper size of the PDF handouts.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=None,
              help="Parallel processes (default: the number of cores).")
@click.pass_obj
def build_cmd(workspace: Path, course: str | None, audiences: tuple[str, ...],
              languages: tuple[str, ...], formats: tuple[str, ...], out: Path | None,
              templates: Path | None, deck_template: Path | None, keep_external: bool,
              minutes: int | None, participants: Path | None, paper: str,
              jobs: int | None) -> None:
    """Build the deck and handouts of COURSE (default: the workspace's default course).

    Writes OUT/<course>/<audience>/<lang>/deck.pptx, facilitator-guide.{html,pdf,docx},
    participant-handout.{html,pdf,docx} and certificates.pdf.
    """
    from ccrl_kit.build.pipeline import Settings, build, default_jobs
    from ccrl_kit.build.progress import Reporter

    settings = Settings(
        workspace=workspace, course=course, audiences=audiences, languages=languages,
        formats=formats or FORMATS, out=out, templates=templates, paper=paper,
        deck_template=deck_template, participants=participants, minutes=minutes,
        jobs=jobs or default_jobs(), keep_external=keep_external,
    )
    with Reporter() as reporter:
        report = build(settings, reporter.update)
    for warning in report.warnings:
        click.echo(printable(f"warning: {warning}"), err=True)
    for target, items in report.dropped.items():
        click.echo(printable(f"{target}: dropped {len(items)} item(s) to fit the time budget:"))
        for item in items:
            click.echo(printable(f"  - {item}"))
    for rel in report.written:
        click.echo(printable(f"wrote {rel}"))
    click.echo(f"{len(report.built)} built, {len(report.skipped)} up to date (skipped); "
               f"{len(report.written)} files written, {len(report.unchanged)} unchanged")


@main.command("list")
@click.pass_obj
def list_cmd(workspace: Path) -> None:
    """List the workspace's modules, audiences, courses and languages."""
    from ccrl_kit.content.model import LANGUAGES
    from ccrl_kit.content.workspace import load_workspace
    from ccrl_kit.resolve.resolver import plain_text

    ws = load_workspace(workspace)
    click.echo("Modules:")
    for mid, module in ws.modules.items():
        click.echo(printable(f"  {mid:<28} {module.minutes:>4} min  {plain_text(module.title)}"))
    click.echo("Audiences:")
    for aid, audience in ws.audiences.items():
        click.echo(printable(f"  {aid:<28} {plain_text(audience.name)}"))
    click.echo("Courses:")
    for cid, course in ws.courses.items():
        click.echo(printable(
            f"  {cid:<28} {', '.join(course.languages):<10} {plain_text(course.title)}"))
    click.echo(f"Languages: {', '.join(LANGUAGES)}")


@main.command("i18n")
@click.pass_obj
def i18n_cmd(workspace: Path) -> None:
    """Report, per module and language, how much is translated and how much is a draft."""
    from ccrl_kit.content.coverage import module_coverage
    from ccrl_kit.content.model import LANGUAGES
    from ccrl_kit.content.workspace import load_workspace

    ws = load_workspace(workspace)
    click.echo(f"{'module':<26}" + "".join(f"{lang:>21}" for lang in LANGUAGES))
    for mid, module in ws.modules.items():
        cells = []
        for c in module_coverage(module):
            cell = f"{c.translated}/{c.texts} {c.percent:>3}%" + (" draft" if c.draft else "")
            cells.append(f"{cell:>21}")
        click.echo(f"{mid:<26}" + "".join(cells))
    click.echo("draft: translated for the course, awaiting review by a native speaker "
               "(the module's 'drafts:' list)")


@main.command("init")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def init_cmd(folder: Path) -> None:
    """Make a new workspace in FOLDER with the built-in course, audiences and templates."""
    from ccrl_kit.authoring.scaffold import init_workspace

    made = init_workspace(folder)
    click.echo(f"made {folder}/ with {', '.join(made)}")
    click.echo(f"next: cd {folder} && ccrl new module my-topic && ccrl validate && ccrl build")


@main.command("new")
@click.argument("kind", type=click.Choice(["module", "case-study", "audience", "course"]))
@click.argument("ident", metavar="ID")
@click.option("--course", "course_id", metavar="ID",
              help="Add a new module to this course's last day (default: the workspace's "
                   "default course; 'none' to add it nowhere).")
@click.pass_obj
def new_cmd(workspace: Path, kind: str, ident: str, course_id: str | None) -> None:
    """Write a commented skeleton of a KIND file named ID that validates as written."""
    from ccrl_kit.authoring.scaffold import add_to_course, new_file

    path = new_file(workspace, kind, ident)
    click.echo(f"wrote {path.relative_to(workspace)}")
    if kind not in ("module", "case-study") or course_id == "none":
        return
    courses = sorted((workspace / "courses").glob("*.yaml"))
    chosen = [c for c in courses if c.stem == (course_id or "ccrl-kazakhstan")] or courses[:1]
    if chosen and add_to_course(workspace, ident, 30, chosen[0]):
        click.echo(f"added it to the last day of {chosen[0].relative_to(workspace)}")
    elif chosen:
        click.echo(f"add '- module: {ident}' to a day of {chosen[0].relative_to(workspace)}")


@main.command("schema")
@click.argument("kind", type=click.Choice(["module", "audience", "course"]), default="module")
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


def _watch_settings(workspace: Path, audiences: tuple[str, ...],
                    languages: tuple[str, ...]):
    """Settings for watch and preview: every format, every core (returns a Settings)."""
    from ccrl_kit.build.pipeline import Settings, default_jobs

    return Settings(workspace=workspace, audiences=tuple(audiences),
                    languages=tuple(languages), jobs=default_jobs())


@main.command("watch")
@click.option("-a", "--audience", "audiences", multiple=True, metavar="ID")
@click.option("-l", "--lang", "languages", multiple=True, metavar="CODE")
@click.pass_obj
def watch_cmd(workspace: Path, audiences: tuple[str, ...], languages: tuple[str, ...]) -> None:
    """Rebuild what changed whenever a workspace file changes (Ctrl-C to stop)."""
    from ccrl_kit.authoring.watch import watch

    try:
        watch(_watch_settings(workspace, audiences, languages))
    except KeyboardInterrupt:
        click.echo("stopped")


@main.command("preview")
@click.option("-a", "--audience", "audiences", multiple=True, metavar="ID")
@click.option("-l", "--lang", "languages", multiple=True, metavar="CODE")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True)
@click.pass_obj
def preview_cmd(workspace: Path, audiences: tuple[str, ...], languages: tuple[str, ...],
                port: int) -> None:
    """Serve the HTML handouts on localhost; pages reload when a rebuild changes them."""
    from ccrl_kit.authoring.watch import preview

    try:
        preview(_watch_settings(workspace, audiences, languages), port)
    except KeyboardInterrupt:
        click.echo("stopped")
