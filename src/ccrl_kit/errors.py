"""The tool's exceptions: one base class the CLI catches, so content errors show no traceback."""

from __future__ import annotations

from dataclasses import dataclass

import click


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one file, printed as ``file:line:col: field: message``."""

    file: str
    line: int = 0
    col: int = 0
    field: str = ""
    message: str = ""

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}"
            if self.col:
                where += f":{self.col}"
        field = f"{self.field}: " if self.field else ""
        return f"{where}: {field}{self.message}"


class CcrlError(click.ClickException):
    """Base class of every error the tool reports to a user (exit status 1)."""

    exit_code = 1

    def show(self, file=None) -> None:
        click.echo(f"error: {self.format_message()}", err=True, file=file)


class ContentError(CcrlError):
    """One or more problems in the workspace's YAML files."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        n = len(self.problems)
        summary = f"{n} problem{'s' if n != 1 else ''} found"
        super().__init__("\n".join(str(p) for p in self.problems) + f"\n{summary}")

    def show(self, file=None) -> None:
        click.echo(self.format_message(), err=True, file=file)


class BuildError(CcrlError):
    """A failure while planning, rendering or writing outputs."""
