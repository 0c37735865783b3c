"""The command line: parses options and calls the pipeline. Imports only light modules at start."""

from __future__ import annotations

from pathlib import Path

import click

from ccrl_kit import __version__

FORMATS = ("pptx", "html", "pdf")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ccrl")
@click.option("-C", "--workspace", "workspace", type=click.Path(file_okay=False, path_type=Path),
              default=".", show_default=True, help="The workspace folder.")
@click.pass_context
def main(ctx: click.Context, workspace: Path) -> None:
    """Build Cross-Cultural Religious Literacy courses from YAML modules."""
    ctx.obj = workspace


@main.command("validate")
@click.pass_obj
def validate_cmd(workspace: Path) -> None:
    """Check every module, audience and course file; print every problem."""
    from ccrl_kit.workspace import load_workspace

    ws = load_workspace(workspace)
    click.echo(f"ok: {len(ws.modules)} modules, {len(ws.audiences)} audiences, "
               f"{len(ws.courses)} courses")
