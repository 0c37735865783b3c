"""Participant names for certificates, from the files organisers keep.

* ``.csv`` / ``.tsv``: the delimiter is found from the file (comma, semicolon or tab: Excel in
  Russian or Kyrgyz settings writes semicolons); a first row that names the columns picks the
  column of names (``name``, ``full name``, ``ФИО``, ``аты-жөні`` ...) or joins first, middle and
  last names (``first name``/``last name``, ``имя``/``фамилия``/``отчество``, ``аты``/``тегі``).
  A file of one column may have no header.
* ``.xlsx``: the first sheet, with the same rules (read as a stream: openpyxl's read-only mode).
* ``.txt`` (or no extension): one name a line; lines starting with ``#`` are comments.

Names are kept exactly as written (a name that starts with ``=``, ``+``, ``-`` or ``@`` is text,
never a formula). Only vertical tab, form feed and other control characters are refused: they
would split or hide a name. Every problem is reported with its line (its row in a workbook).
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ccrl_kit.errors import ContentError, Problem

MAX_BYTES = 32 * 1024 * 1024  # a list file, as stored
MAX_UNPACKED = 256 * 1024 * 1024  # a workbook's parts, unpacked
MAX_NAMES = 100_000
MAX_NAME = 120  # characters
MAX_PROBLEMS = 20
SAMPLE = 64 * 1024  # bytes read to find a CSV file's delimiter

# control characters (but tab), DEL, C1 controls, line and paragraph separators, bidi overrides
# and isolates, lone surrogates (bytes that are not UTF-8) and the two non-characters
_UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                     "\ud800-\udfff\ufffe\uffff]")


def _words(*names: str) -> frozenset[str]:
    return frozenset(names)


# column headings, after _heading(): lower case, ё as е, punctuation and hyphens as spaces
FULL = _words(
    "name", "names", "full name", "fullname", "participant", "participants", "participant name",
    "name surname", "first and last name", "фио", "ф и о", "полное имя", "участник",
    "фио участника", "имя фамилия", "фамилия имя", "фамилия имя отчество", "имя и фамилия",
    "фамилия и имя", "фамилия имя и отчество", "аты жөні", "толық аты жөні", "тегі аты",
    "тегі аты жөні", "аты жөнү", "толук аты жөнү", "катышуучу", "қатысушы",
)
FIRST = _words("first name", "firstname", "first", "given name", "given names", "forename",
               "имя", "аты", "есімі", "есім", "ысымы")
LAST = _words("last name", "lastname", "last", "surname", "family name", "фамилия", "тегі",
              "фамилиясы", "тек")
MIDDLE = _words("middle name", "middle names", "middle", "patronymic", "отчество",
                "әкесінің аты", "әкесінің есімі", "атасынын аты")


def read_names(path: Path) -> tuple[str, ...]:
    """The names in ``path``, in order; a :class:`ContentError` listing every problem (with its
    line) if the file is not a list of names."""
    shown = str(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".tsv", ".txt", ".xlsx", ""):
        hint = (" (an old Excel workbook: save it as .xlsx or as 'CSV UTF-8')"
                if suffix in (".xls", ".ods", ".numbers") else "")
        raise _error(shown, 0, f"cannot read '{suffix}' files{hint}: give a .csv, .xlsx or "
                               ".txt file (one name a line)")
    with _open(path, shown) as raw:
        head = raw.read(8)
        raw.seek(0)
        if suffix != ".xlsx":
            _not_binary(head, shown)
            rows = _csv_rows(raw, shown, suffix) if suffix in (".csv", ".tsv") else \
                _text_rows(raw, shown)
            return _collect(rows, shown, table=suffix in (".csv", ".tsv"))
        return _collect(_xlsx_rows(raw, shown), shown, table=True)


# ---------------------------------------------------------------------------------------------
# Files


def _open(path: Path, shown: str) -> io.BufferedReader:
    """The file, opened for reading only if it is a regular file under the size limit (a
    folder, device or pipe could block or never end)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise _error(shown, 0, f"cannot read file: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a device or pipe"
            raise _error(shown, 0, f"cannot read it: it is {kind}, not a file")
        if info.st_size > MAX_BYTES:
            raise _error(shown, 0, f"the file is {info.st_size:,} bytes, over the limit of "
                                   f"{MAX_BYTES:,} bytes for a list of names")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _not_binary(head: bytes, shown: str) -> None:
    if head.startswith(b"PK\x03\x04"):
        raise _error(shown, 0, "this is a zip file (an Excel workbook?): name it .xlsx")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise _error(shown, 0, "this is an old Office file (.xls or .doc): save it as .xlsx or "
                               "as 'CSV UTF-8'")
    if head.startswith(b"%PDF"):
        raise _error(shown, 0, "this is a PDF file: give the list as .csv, .xlsx or .txt")


def _text(raw: io.BufferedReader, newline: str | None) -> io.TextIOWrapper | io.StringIO:
    """The file as text: UTF-8 (with or without a byte-order mark), or UTF-16 with its mark
    (Excel's "Unicode text"). Bytes that are not UTF-8 become lone surrogates, which the
    row check reports with their line."""
    head = raw.read(4)
    raw.seek(0)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return io.StringIO(raw.read().decode("utf-16"), newline=newline)
        except UnicodeDecodeError:
            return io.StringIO("\ud800", newline=newline)  # reported as not UTF-8 text
    return io.TextIOWrapper(raw, encoding="utf-8-sig", errors="surrogateescape",
                            newline=newline)


def _text_rows(raw: io.BufferedReader, shown: str) -> Iterator[tuple[int, list[str]]]:
    """One name a line; only LF, CR LF and CR end a line (never a vertical tab or form feed)."""
    for n, line in enumerate(_text(raw, None), 1):
        line = line.removesuffix("\n")
        if not line.lstrip().startswith("#"):
            yield n, [line]


def _csv_rows(raw: io.BufferedReader, shown: str, suffix: str) -> Iterator[tuple[int, list[str]]]:
    sample = raw.read(SAMPLE)
    raw.seek(0)
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = sample.decode("utf-16", errors="replace")
    else:
        text = sample.decode("utf-8-sig", errors="replace")
    delimiter = "\t" if suffix == ".tsv" else sniff(text)
    reader = csv.reader(_text(raw, ""), delimiter=delimiter or "\x1f", strict=False)
    start = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _error(shown, reader.line_num, f"not a CSV file: {exc}") from None
        if delimiter is None and len(cells) > 1:
            cells = ["\x1f".join(cells)]  # one column: the separator is a control character
        yield start, cells
        start = reader.line_num + 1


def sniff(text: str) -> str | None:
    """The delimiter of CSV text: the one that splits the first rows into the same number of
    columns (tab, then semicolon, then comma), else the one that splits the first row most;
    ``None`` for a single column. Rows are read as CSV, so quoted line breaks stay inside."""
    if len(text) >= SAMPLE:
        text = text[: max(text.rfind("\n"), 0)]  # the sample may end inside the last line
    best: tuple[int, str] | None = None
    first: dict[str, int] = {}
    for delimiter in ("\t", ";", ","):
        try:
            rows = [row for row in itertools.islice(
                csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 40) if row][:20]
        except csv.Error:
            continue
        if not rows:
            return None
        first[delimiter] = len(rows[0])
        counts = {len(row) for row in rows}
        if len(counts) == 1 and counts != {1} and (best is None or max(counts) > best[0]):
            best = (max(counts), delimiter)
    if best:
        return best[1]
    if not first:
        return None
    delimiter = max(first, key=lambda d: first[d])
    return delimiter if first[delimiter] > 1 else None


def _xlsx_rows(raw: io.BufferedReader, shown: str) -> Iterator[tuple[int, list[str]]]:
    """The first sheet's rows, streamed. The archive is checked before openpyxl opens it:
    a small file that unpacks to gigabytes is refused."""
    import warnings
    import zipfile

    head = raw.read(8)
    raw.seek(0)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise _error(shown, 0, "the workbook is password-protected or an old .xls file: save "
                               "it as .xlsx without a password")
    try:
        with zipfile.ZipFile(raw) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise _error(shown, 0, "not an .xlsx workbook (the file is not a zip archive)") from None
    if unpacked > MAX_UNPACKED:
        raise _error(shown, 0, f"the workbook unpacks to {unpacked:,} bytes, over the limit of "
                               f"{MAX_UNPACKED:,}")
    raw.seek(0)
    try:
        from openpyxl import load_workbook

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = load_workbook(raw, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise _error(shown, 0, f"not a readable .xlsx workbook ({type(exc).__name__})") from None
    try:
        if not book.worksheets:
            raise _error(shown, 0, "the workbook has no sheet")
        sheet = book.worksheets[0]
        first = getattr(sheet, "min_row", 1) or 1
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                for n, row in enumerate(sheet.iter_rows(values_only=True), first):
                    yield n, [_cell(value) for value in row]
        except ContentError:
            raise
        except Exception as exc:
            raise _error(shown, 0, f"not a readable .xlsx workbook ({type(exc).__name__})") \
                from None
    finally:
        book.close()


def _cell(value: object) -> str:
    """A workbook cell as text: what Excel shows (a formula's saved result, never evaluated)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


# ---------------------------------------------------------------------------------------------
# Columns and names


@dataclass(frozen=True)
class Columns:
    """Where the name is: one column of full names, or parts joined in order."""

    parts: tuple[int, ...]

    def raw(self, cells: list[str]) -> str:
        """The name's cells as written, joined by spaces (blank parts left out)."""
        if len(self.parts) == 1:
            i = self.parts[0]
            return cells[i] if i < len(cells) else ""
        return " ".join(cells[i] for i in self.parts if i < len(cells) and cells[i].strip())


def _heading(cell: str) -> str:
    text = unicodedata.normalize("NFC", cell).casefold().replace("ё", "е")
    return " ".join(re.sub(r"[-_/.,:;()*#№]+", " ", text).split())


def columns(cells: list[str]) -> Columns | str | None:
    """The name columns a header row names; a message if it names them only in part;
    ``None`` if the row is not a header."""
    heads = [_heading(c) for c in cells]
    full = [i for i, h in enumerate(heads) if h in FULL]
    if full:
        return Columns((full[0],))
    first, last, middle = ([i for i, h in enumerate(heads) if h in words]
                           for words in (FIRST, LAST, MIDDLE))
    if not (first or last):
        return None
    if not (first and last):
        found = cells[(first or last)[0]].strip()
        missing = "last name (фамилия, тегі)" if first else "first name (имя, аты)"
        return (f"a column '{found}' but no column of the {missing}: add it, or give one "
                "column of full names (name, ФИО, аты-жөні)")
    cyrillic = any(re.search("[\u0400-\u04ff]", cells[i]) for i in (*first, *last, *middle))
    # an official document in Russian, Kazakh or Kyrgyz writes the surname first (ФИО)
    order = (*last, *first, *middle) if cyrillic else (*first, *middle, *last)
    return Columns(tuple(dict.fromkeys(order)))


def _collect(rows: Iterable[tuple[int, list[str]]], shown: str, *, table: bool) -> tuple[str, ...]:
    names: list[str] = []
    problems: list[Problem] = []
    found: Columns | None = None
    for line, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        if found is None:
            header = columns(cells)
            if isinstance(header, str):
                if table:
                    raise _error(shown, line, header)
                header = None  # a text file's first line is a name, unless it is "ФИО"
            if header is not None:
                found = header
                continue
            if table and sum(1 for c in cells if c.strip()) > 1:
                heads = ", ".join(f"'{c.strip()}'" for c in cells if c.strip())
                raise _error(shown, line, (
                    f"no column of names: the first row ({_printable(heads)}) should name the "
                    "columns: name, full name, ФИО or аты-жөні; or first name and last name "
                    "(имя, фамилия, отчество; аты, тегі)"))
            found = Columns((next(i for i, c in enumerate(cells) if c.strip()),))
        raw = found.raw(cells)
        problem = _check(raw)
        if problem:
            col = 0 if table else problem[0]  # a cell's offset is a column only in a text file
            problems.append(Problem(shown, line, col, message=problem[1]))
            if len(problems) >= MAX_PROBLEMS:
                break
            continue
        name = " ".join(raw.split())
        if name:
            names.append(name)
        elif table:
            problems.append(Problem(shown, line, message="no name in this row"))
        if len(names) > MAX_NAMES:
            raise _error(shown, line, f"more than {MAX_NAMES:,} names")
    if problems:
        raise ContentError(problems)
    return tuple(names)


def _check(raw: str) -> tuple[int, str] | None:
    """A problem with a name as written: (its column in the text, message), or ``None``."""
    bad = _UNSAFE.search(raw)
    if bad:
        char = bad.group()
        if "\udc80" <= char <= "\udcff":
            return bad.start() + 1, ("not UTF-8 text: save the list as UTF-8 "
                                     "(in Excel: Save As, 'CSV UTF-8')")
        what = ("a line break inside a name" if char in "\n\r\u2028\u2029" else
                f"a control character (U+{ord(char):04X}) in a name")
        return bad.start() + 1, f"{what}: remove it; each name is one line"
    if len(raw) > MAX_NAME and len(" ".join(raw.split())) > MAX_NAME:
        return 1, f"the name is {len(raw.strip())} characters long, over the limit of {MAX_NAME}"
    return None


def _printable(text: str) -> str:
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _error(shown: str, line: int, message: str) -> ContentError:
    return ContentError([Problem(shown, line, message=message)])
