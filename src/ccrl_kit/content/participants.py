"""Participant names for certificates: a plain text file (one per line) or a CSV file."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ccrl_kit.errors import ContentError, Problem

MAX_NAME = 120


def read_names(path: Path) -> tuple[str, ...]:
    """Names from ``path``: ``.csv`` uses the column 'name' (or the first), else one per line."""
    shown = path.name
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise ContentError([Problem(shown, message=f"cannot read file: {exc.strerror}")]) from None
    except UnicodeDecodeError:
        raise ContentError([Problem(shown, message="file is not UTF-8 text")]) from None
    rows: list[tuple[int, str]]
    if path.suffix.lower() == ".csv":
        reader = csv.reader(io.StringIO(text))
        table = list(reader)
        header = [h.strip().lower() for h in table[0]] if table else []
        column = header.index("name") if "name" in header else 0
        start = 1 if "name" in header else 0
        rows = [(n, row[column].strip()) for n, row in enumerate(table[start:], start + 1)
                if len(row) > column]
    else:
        rows = [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1)]
    problems = [Problem(shown, n, 1, message=f"name longer than {MAX_NAME} characters")
                for n, name in rows if len(name) > MAX_NAME]
    if problems:
        raise ContentError(problems)
    return tuple(name for _, name in rows if name and not name.startswith("#"))
