"""What a build tells a trainer on the terminal: warnings, budget drops, files written."""

from __future__ import annotations

import click

from ccrl_kit.build.pipeline import Report
from ccrl_kit.errors import printable


def show_report(report: Report) -> None:
    for line in report.warnings:
        click.echo(printable(f"warning: {line}"), err=True)
    for target, items in report.dropped.items():
        click.echo(printable(f"{target}: dropped {len(items)} item(s) to fit the time budget:"))
        for item in items:
            click.echo(printable(f"  - {item}"))
    for rel in report.written:
        click.echo(printable(f"wrote {rel}"))
    click.echo(f"{len(report.built)} built, {len(report.skipped)} up to date (skipped); "
               f"{len(report.written)} files written, {len(report.unchanged)} unchanged")
