"""Participant lists as organisers keep them: CSV (any delimiter), XLSX, plain text; hostile
and broken files get the tool's own errors with line numbers."""

from __future__ import annotations

import codecs
import csv
import io
import os
import resource
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ccrl_kit.content import participants
from ccrl_kit.content.participants import read_names, sniff
from ccrl_kit.errors import ContentError


def write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def problems(path: Path) -> str:
    with pytest.raises(ContentError) as caught:
        read_names(path)
    return "\n".join(str(p) for p in caught.value.problems)


def xlsx(tmp_path: Path, rows: list[list], name: str = "list.xlsx") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(tmp_path / name)
    return tmp_path / name


# -- shapes that work


def test_a_semicolon_csv_with_an_fio_header_as_excel_writes_it(tmp_path):
    path = write(tmp_path, "список.csv", "\ufeffФ.И.О.;Организация;E-mail\r\n"
                 "Иванов Иван Иванович;Акимат;ivan@example.kz\r\n"
                 "Сейітова Айгүл;Сот;aigul@example.kz\r\n\r\n")
    assert read_names(path) == ("Иванов Иван Иванович", "Сейітова Айгүл")


@pytest.mark.parametrize("heading", ["name", "Full name", "full_name", "ФИО", "Ф.И.О.",
                                     "Аты-жөні", "аты жөні", "Participant name"])
def test_full_name_headings_in_english_russian_and_kazakh(tmp_path, heading):
    path = write(tmp_path, "a.csv", f"id,{heading},email\n1,Anna Smith,a@x\n2,Олжас Бекұлы,o@x\n")
    assert read_names(path) == ("Anna Smith", "Олжас Бекұлы")


def test_first_and_last_names_join_first_name_first_in_english(tmp_path):
    path = write(tmp_path, "a.csv", "last_name,first_name,middle name,email\n"
                 "Smith,John,Paul,j@x\n Jones , Mary ,,m@x\n")
    assert read_names(path) == ("John Paul Smith", "Mary Jones")


def test_russian_and_kazakh_parts_join_surname_first(tmp_path):
    russian = write(tmp_path, "ru.tsv", "Имя\tОтчество\tФамилия\nИван\tИванович\tИванов\n")
    assert read_names(russian) == ("Иванов Иван Иванович",)
    kazakh = write(tmp_path, "kk.csv", "аты;тегі;әкесінің аты\nАйгүл;Сейітова;Маратқызы\n")
    assert read_names(kazakh) == ("Сейітова Айгүл Маратқызы",)


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_the_delimiter_is_found(tmp_path, delimiter):
    rows = [["Name", "Organisation"], ["Smith, John", "Court; district 2"], ["Anna Lee", "Akimat"]]
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    path = write(tmp_path, "a.csv", buffer.getvalue())
    assert sniff(buffer.getvalue()) == delimiter
    assert read_names(path) == ("Smith, John", "Anna Lee")


def test_one_column_without_a_header_is_a_list_of_names(tmp_path):
    path = write(tmp_path, "a.csv", "Anna Lee\r\nИван Петров\n")
    assert read_names(path) == ("Anna Lee", "Иван Петров")


def test_an_xlsx_with_first_and_last_name_columns(tmp_path):
    path = xlsx(tmp_path, [["No", "First name", "Last name", "Email"],
                           [1, "John", "Smith", "j@x"], [2, "Айгүл", "Сейітова", None],
                           [None, None, None, None]])
    assert read_names(path) == ("John Smith", "Айгүл Сейітова")


def test_an_xlsx_in_russian_joins_surname_first_and_reports_rows(tmp_path):
    path = xlsx(tmp_path, [["Фамилия", "Имя", "Отчество"], ["Иванов", "Иван", "Иванович"],
                           ["Петрова", "Анна\nМария", ""]])  # Alt+Enter in a cell
    assert problems(path) == f"{path}:3: a line break inside a name: remove it; each name is one line"
    path.write_bytes(xlsx(tmp_path, [["Фамилия", "Имя", "Отчество"],
                                     ["Иванов", "Иван", "Иванович"]], "ok.xlsx").read_bytes())
    assert read_names(path) == ("Иванов Иван Иванович",)


def test_a_text_file_one_name_a_line_with_comments_and_a_heading(tmp_path):
    path = write(tmp_path, "names.txt", "ФИО\n# the morning group\nAnna Lee\n\n  Иван  Петров  \r\n")
    assert read_names(path) == ("Anna Lee", "Иван Петров")


def test_utf16_as_excel_saves_unicode_text(tmp_path):
    text = "Name\tEmail\r\nAnna Lee\ta@x\r\n"
    path = write(tmp_path, "a.csv", codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    assert read_names(path) == ("Anna Lee",)


# -- hostile input (every problem with its line)


@pytest.mark.parametrize("char", ["\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\x00", "\u202e"])
def test_a_control_character_never_splits_a_name_and_is_an_error_with_its_line(tmp_path, char):
    path = write(tmp_path, "names.txt", f"Anna Lee\nIvan{char}Petrov\nOlga Kim\n")
    found = problems(path)
    assert found.startswith(f"{path}:2:5: ") and "a name: remove it" in found


def test_a_line_break_inside_a_quoted_csv_name_is_an_error(tmp_path):
    path = write(tmp_path, "a.csv", 'Name,Email\n"Anna\nLee",a@x\n')
    assert problems(path) == f"{path}:2: a line break inside a name: remove it; each name is one line"


def test_formula_looking_names_are_kept_as_text(tmp_path):
    lines = ["=HYPERLINK(\"http://evil.example\",\"Click\")", "+7 Anna", "-Иван", "@SUM(A1)",
             "<script>alert(1)</script>"]
    path = write(tmp_path, "names.txt", "\n".join(lines) + "\n")
    assert read_names(path) == tuple(lines)


def test_not_utf8_is_an_error_with_its_line(tmp_path):
    path = write(tmp_path, "a.csv", "ФИО\nИванов\n".encode() + "Петров\n".encode("cp1251"))
    assert problems(path).startswith(f"{path}:3: not UTF-8 text: save the list as UTF-8")


@pytest.mark.parametrize(("name", "data", "message"), [
    ("a.csv", "id,email\n1,a@x\n", "1: no column of names: the first row ('id', 'email')"),
    ("a.csv", "First name,Email\nAnna,a@x\n", "1: a column 'First name' but no column of the "
                                               "last name (фамилия, тегі)"),
    ("a.csv", "Name,Email\n,a@x\n", "2: no name in this row"),
    ("a.xls", "x", "cannot read '.xls' files (an old Excel workbook"),
    ("a.txt", b"PK\x03\x04rest", "this is a zip file (an Excel workbook?): name it .xlsx"),
    ("a.xlsx", b"not a zip", "not an .xlsx workbook (the file is not a zip archive)"),
    ("a.txt", "x" * 200 + "\n", "1:1: the name is 200 characters long, over the limit of 120"),
])
def test_other_shapes_are_clear_errors(tmp_path, name, data, message):
    path = write(tmp_path, name, data)
    assert message in problems(path)


def test_only_regular_files_under_the_size_limit(tmp_path, monkeypatch):
    assert "it is a folder, not a file" in problems(tmp_path)
    fifo = tmp_path / "names.txt"
    os.mkfifo(fifo)
    assert "it is a device or pipe, not a file" in problems(fifo)  # and does not block
    big = write(tmp_path, "big.csv", "Name\nAnna\n")
    monkeypatch.setattr(participants, "MAX_BYTES", 8)
    assert "over the limit of 8 bytes" in problems(big)


def test_a_workbook_that_unpacks_too_far_is_refused(tmp_path, monkeypatch):
    path = xlsx(tmp_path, [["Name"], ["Anna Lee"]])
    monkeypatch.setattr(participants, "MAX_UNPACKED", 1000)
    assert "the workbook unpacks to" in problems(path)


def test_too_many_names(tmp_path, monkeypatch):
    monkeypatch.setattr(participants, "MAX_NAMES", 3)
    path = write(tmp_path, "a.txt", "".join(f"Name {i}\n" for i in range(5)))
    assert f"{path}:4: more than 3 names" in problems(path)


@pytest.mark.slow
@pytest.mark.parametrize("count", [20_000, 100_000])
def test_long_lists_stream_in_little_memory(tmp_path, count):
    """Each list is read in a fresh process; its peak memory beyond the interpreter's and the
    reader's own must stay small (measured: about 3 MiB for 20,000 names, 15 MiB for 100,000,
    most of it the names themselves)."""
    path = write(tmp_path, "big.csv", "ФИО;Email\n" + "".join(
        f"Участник Номер {i} Тестович;u{i}@example.kz\n" for i in range(count)))
    script = (
        "import resource, sys\n"
        "from pathlib import Path\n"
        "from ccrl_kit.content.participants import read_names\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "names = read_names(Path(sys.argv[1]))\n"
        "after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(len(names), type(names).__name__, (after - before) // 1024)\n")
    done = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True,
                          text=True, check=True)
    n, kind, grown = done.stdout.split()
    assert (int(n), kind) == (count, "tuple")
    assert int(grown) < 5 + count * 200 // 2**20, done.stdout  # ~200 bytes a name at most
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # the parent stayed alive


# -- properties: whatever the bytes, the tool's own errors or a clean list


def _clean(names: tuple[str, ...]) -> None:
    assert isinstance(names, tuple)
    for name in names:
        assert name and name == " ".join(name.split())
        assert not any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in name), repr(name)
        assert len(name) <= participants.MAX_NAME


@pytest.mark.parametrize("suffix", [".csv", ".txt", ".xlsx", ".tsv"])
@given(data=st.binary(max_size=600))
@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_random_bytes_give_names_or_the_tools_own_errors(tmp_path, suffix, data):
    path = write(tmp_path, f"list{suffix}", data)
    try:
        _clean(read_names(path))
    except ContentError as exc:
        assert exc.problems and all(p.file == str(path) for p in exc.problems)


CELL = st.text(st.sampled_from(list("ab Zя әй,;\t\"'=+-@\n\r\x0b\x0c\x00\u2028ФИО")), max_size=12)


@given(rows=st.lists(st.lists(CELL, min_size=1, max_size=4), max_size=12),
       delimiter=st.sampled_from([",", ";", "\t"]),
       header=st.sampled_from([None, ["ФИО"], ["name", "email"], ["Фамилия", "Имя"]]))
@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@pytest.mark.slow
def test_random_csv_gives_names_or_the_tools_own_errors(tmp_path, rows, delimiter, header):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(([header] if header else []) + rows)
    path = write(tmp_path, "list.csv", buffer.getvalue())
    try:
        names = read_names(path)
    except ContentError as exc:
        assert exc.problems and all(p.file == str(path) for p in exc.problems)
    else:
        _clean(names)  # and never more names than lines: nothing splits one into two
        lines = buffer.getvalue().replace("\r\n", "\n").replace("\r", "\n").count("\n")
        assert len(names) <= lines
