"""The tool's exceptions: one base class the CLI catches, so content errors show no traceback."""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field as dataclass_field

import click

# control characters but tab, bidi overrides and isolates, lone surrogates, non-characters
_SHOWN = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
                    "\ud800-\udfff\ufffe\uffff]")

_NAMED = {"\n": "\\n", "\r": "\\r"}


def printable(text: str, *, lines: bool = False) -> str:
    """``text`` safe for a terminal: control and bidi characters shown as escapes (``\\x1b``,
    ``\\u202e``), so content can neither colour, move nor reorder what a message prints.
    Newlines are kept when ``lines`` is true (a message of several lines)."""

    def escape(found: re.Match) -> str:
        char = found.group()
        if lines and char == "\n":
            return char
        if char in _NAMED:
            return _NAMED[char]
        code = ord(char)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _SHOWN.sub(escape, text)


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one file, printed as ``file:line:col: field: message``.

    ``code`` says what kind of problem it is and ``subject`` what it is about (for code that
    reasons about problems: an unknown field with a suggestion, an unknown reference); neither
    is printed, nor compared.
    """

    file: str
    line: int = 0
    col: int = 0
    field: str = ""
    message: str = ""
    code: str = dataclass_field(default="", compare=False)  # unknown-field | missing-field | ...
    subject: str = dataclass_field(default="", compare=False)  # the name or id concerned
    suggestion: str = dataclass_field(default="", compare=False)  # a did-you-mean, if any

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}"
            if self.col:
                where += f":{self.col}"
        field = f"{self.field}: " if self.field else ""
        return printable(f"{where}: {field}{self.message}")


class CcrlError(click.ClickException):
    """Base class of every error the tool reports to a user (exit status 1)."""

    exit_code = 1

    def show(self, file=None) -> None:
        click.echo(printable(f"error: {self.format_message()}"), err=True, file=file)


class ContentError(CcrlError):
    """One or more problems in the workspace's YAML files."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        n = len(self.problems)
        summary = f"{n} problem{'s' if n != 1 else ''} found"
        super().__init__("\n".join(str(p) for p in self.problems) + f"\n{summary}")

    def show(self, file=None) -> None:
        click.echo(printable(self.format_message(), lines=True), err=True, file=file)


class BuildError(CcrlError):
    """A failure while planning, rendering or writing outputs."""
