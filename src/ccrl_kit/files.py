"""The one rule for every file the tool reads.

A file is read only if it is

* inside the folder it belongs to (the workspace, or a template folder named on the command
  line), after following symbolic links: a link that leaves the folder is refused;
* a regular file (not a folder, a device or a pipe, which could block or never end);
* no larger than a limit, checked before reading and again while reading;
* for text, UTF-8 (with or without a byte-order mark) and free of control characters (but
  tab and line breaks) and of bidi override and isolate characters.

Otherwise :class:`FileError` carries one positioned :class:`~ccrl_kit.errors.Problem`; line and
column count characters, the way an editor does, whatever the bytes before them.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Sequence
from pathlib import Path

from ccrl_kit.errors import Problem

MAX_BYTES = 1024 * 1024  # YAML, CSV and template text
MAX_BINARY_BYTES = 64 * 1024 * 1024  # fonts, images, a deck template

# characters no text of a course may hold: control characters but tab and newline, DEL, the
# C1 controls, bidi overrides and isolates (they silently reorder what a reader sees), lone
# surrogates and the two non-characters (no document format can store them)
UNSAFE_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
                         "\ud800-\udfff\ufffe\uffff]")
# in a file, a carriage return is part of a line break
_UNSAFE_IN_FILE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
                             "\ufffe\uffff]")
_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # what YAML counts as a new line

_O_FLAGS = (os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
            | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))


class FileError(Exception):
    """A file that cannot be used, with the problem to show."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


def read_bytes(path: Path, shown: str | None = None, *,
               inside: Path | Sequence[Path] | None = None, limit: int = MAX_BYTES) -> bytes:
    """The bytes of ``path`` under the rule above. ``inside``: the folder (or folders) the file
    must stay in; ``None`` for a file the user named on the command line."""
    shown = str(path) if shown is None else shown
    real = Path(os.path.realpath(path))
    if inside is not None:
        folders = [inside] if isinstance(inside, Path) else list(inside)
        if not any(_within(real, Path(os.path.realpath(f))) for f in folders):
            where = " or ".join(str(f) for f in folders)
            raise FileError(Problem(shown, message=(
                f"refusing to read it: it is a link to {real}, outside {where}")))
    try:
        fd = os.open(real, _O_FLAGS)
    except OSError as exc:
        raise FileError(Problem(shown, message=f"cannot read file: {_reason(exc)}")) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a device or pipe"
            raise FileError(Problem(shown, message=f"cannot read it: it is {kind}, not a file"))
        if info.st_size > limit:
            raise FileError(_too_big(shown, info.st_size, limit))
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = os.read(fd, min(1024 * 1024, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:  # it grew while being read
                raise FileError(_too_big(shown, size, limit))
    except OSError as exc:
        raise FileError(Problem(shown, message=f"cannot read file: {_reason(exc)}")) from None
    finally:
        os.close(fd)
    return b"".join(chunks)


def read_text(path: Path, shown: str | None = None, *,
              inside: Path | Sequence[Path] | None = None, limit: int = MAX_BYTES) -> str:
    """The text of ``path``: :func:`read_bytes`, then :func:`decode` and :func:`check_text`."""
    shown = str(path) if shown is None else shown
    text = decode(read_bytes(path, shown, inside=inside, limit=limit), shown)
    check_text(text, shown)
    return text


def decode(raw: bytes, shown: str) -> str:
    """UTF-8 bytes -> text, a leading byte-order mark dropped; anything else is refused with
    the position of the first byte that is not UTF-8."""
    for bom, name in ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
                      (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16")):
        if raw.startswith(bom):
            raise FileError(Problem(shown, 1, 1, message=(
                f"file is {name} text; save it as UTF-8")))
    if len(raw) >= 8 and (raw[1:8:2] == b"\0\0\0\0" or raw[0:8:2] == b"\0\0\0\0"):
        raise FileError(Problem(shown, 1, 1, message=(
            "file looks like UTF-16 text (every other byte is zero); save it as UTF-8")))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start].decode("utf-8")  # valid up to the first bad byte
        line, col = position(before, len(before))
        raise FileError(Problem(shown, line, col, message=(
            f"file is not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it as UTF-8"))) from None
    return text.removeprefix("\ufeff")


def check_text(text: str, shown: str) -> None:
    """Refuse the first unsafe character of a file's text, at its line and column."""
    found = _UNSAFE_IN_FILE.search(text)
    if found:
        line, col = position(text, found.start())
        raise FileError(Problem(shown, line, col, message=unsafe_message(found.group())))


def unsafe_char(text: str) -> str | None:
    """The first character of ``text`` that no course text may hold, if any."""
    found = UNSAFE_TEXT.search(text)
    return found.group() if found else None


def unsafe_message(char: str) -> str:
    code = f"U+{ord(char):04X}"
    if "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069":
        return (f"bidi control character {code} is not allowed: it reorders the text "
                "around it; remove it")
    if "\ud800" <= char <= "\udfff" or char in "\ufffe\uffff":
        return f"character {code} is not allowed in text; remove it"
    return f"control character {code} is not allowed in text; remove it"


def position(text: str, index: int) -> tuple[int, int]:
    """Line and column (from 1, in characters) of ``text[index]``, counting line breaks the
    way YAML does."""
    line, start = 1, 0
    for brk in _BREAK.finditer(text, 0, index):
        line, start = line + 1, brk.end()
    return line, index - start + 1


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _too_big(shown: str, size: int, limit: int) -> Problem:
    return Problem(shown, message=f"file is {size:,} bytes, over the limit of {limit:,} bytes")


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)
