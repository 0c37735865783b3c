"""Build progress: a bar on a terminal, plain lines otherwise, and a line when a task fails."""

from __future__ import annotations

import sys
import time
from typing import TextIO

import click

from ccrl_kit.build.tasks import Task


class Reporter:
    """Shows progress once a build has run for about a second (quick builds stay quiet)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.started = time.monotonic()
        self.done = 0
        self.current: Task | None = None

    def __enter__(self) -> Reporter:
        return self

    def __exit__(self, kind, value, tb) -> None:
        if self.tty and self.done:
            click.echo("", file=self.stream)
        if value is not None and self.current is not None and not isinstance(
                value, KeyboardInterrupt):
            click.echo(f"failed: {self.current.label}", file=self.stream)

    def update(self, event: str, task: Task) -> None:
        if event == "start":
            self.current = task
            return
        self.done += 1
        if time.monotonic() - self.started < 1.0:
            return
        word = "built" if event == "done" else "up to date"
        if self.tty:
            click.echo(f"\r[{self.done:>3}] {word}: {task.label:<60}", nl=False,
                       file=self.stream)
        else:
            click.echo(f"[{self.done:>3}] {word}: {task.label}", file=self.stream)
