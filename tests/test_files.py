"""The rule for every file the tool reads: inside its folder, a regular file, under a size
limit, UTF-8 without control or bidi characters; otherwise one positioned problem."""

from __future__ import annotations

import os

import pytest
import yaml

from ccrl_kit import files
from ccrl_kit.content import loader
from ccrl_kit.content.loader import LoadError, load_file, load_text
from ccrl_kit.files import FileError, decode, position, read_bytes, read_text


def refused(call, *args, **kwargs):
    with pytest.raises(FileError) as info:
        call(*args, **kwargs)
    return info.value.problem


def test_a_file_inside_its_folder_is_read(tmp_path):
    (tmp_path / "a.yaml").write_text("id: a\n", encoding="utf-8")
    assert read_text(tmp_path / "a.yaml", "a.yaml", inside=tmp_path) == "id: a\n"


def test_a_link_inside_the_folder_is_followed(tmp_path):
    (tmp_path / "real.yaml").write_text("id: a\n", encoding="utf-8")
    (tmp_path / "link.yaml").symlink_to("real.yaml")
    assert read_text(tmp_path / "link.yaml", inside=tmp_path) == "id: a\n"


def test_a_link_leaving_the_folder_is_refused_without_reading_it(tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("root:x:0:0\n", encoding="utf-8")
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "passwd.yaml").symlink_to(outside)
    p = refused(read_bytes, ws / "passwd.yaml", "modules/passwd.yaml", inside=ws)
    assert p.file == "modules/passwd.yaml"
    assert p.message.startswith("refusing to read it: it is a link to ")
    assert "root:x" not in str(p)


def test_a_folder_on_the_way_that_leaves_is_refused_too(tmp_path):
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "x.yaml").write_text("id: x\n", encoding="utf-8")
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "modules").symlink_to(tmp_path / "elsewhere")
    assert "refusing to read it" in refused(read_bytes, ws / "modules" / "x.yaml",
                                            inside=ws).message


def test_a_file_named_on_the_command_line_may_be_anywhere(tmp_path):
    (tmp_path / "names.txt").write_text("Ana\n", encoding="utf-8")
    assert read_bytes(tmp_path / "names.txt") == b"Ana\n"


def test_a_pipe_is_refused_at_once_instead_of_blocking(tmp_path):
    os.mkfifo(tmp_path / "x.yaml")
    p = refused(read_bytes, tmp_path / "x.yaml", "modules/x.yaml", inside=tmp_path)
    assert p.message == "cannot read it: it is a device or pipe, not a file"


def test_a_folder_is_refused(tmp_path):
    (tmp_path / "x.yaml").mkdir()
    assert refused(read_bytes, tmp_path / "x.yaml").message == (
        "cannot read it: it is a folder, not a file")


def test_a_device_is_refused(tmp_path):
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    assert "device or pipe" in refused(read_bytes, tmp_path / "zero.yaml").message


def test_a_dangling_link_and_an_unreadable_file_are_problems(tmp_path, monkeypatch):
    (tmp_path / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    assert refused(read_bytes, tmp_path / "gone.yaml", inside=tmp_path).message == (
        "cannot read file: No such file or directory")
    (tmp_path / "locked.yaml").write_text("id: x\n", encoding="utf-8")
    real_open = os.open

    def denied(path, flags, *args):
        if str(path).endswith("locked.yaml"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(files.os, "open", denied)
    assert refused(read_bytes, tmp_path / "locked.yaml").message == (
        "cannot read file: Permission denied")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_a_file_without_read_permission_is_a_problem(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("id: x\n", encoding="utf-8")
    path.chmod(0)
    assert refused(read_bytes, path).message == "cannot read file: Permission denied"


def test_the_size_limit_is_checked_before_reading(tmp_path):
    path = tmp_path / "big.yaml"
    with open(path, "wb") as fh:
        fh.truncate(5 * 1024 * 1024 * 1024)  # a sparse 5 GiB file: reading it would take long
    p = refused(read_bytes, path, "big.yaml", limit=1000)
    assert p.message == "file is 5,368,709,120 bytes, over the limit of 1,000 bytes"


@pytest.mark.parametrize(("raw", "message"), [
    ("id: x\n".encode("utf-16"), "file is UTF-16 text; save it as UTF-8"),
    ("id: x\n".encode("utf-16-be"), "file looks like UTF-16 text (every other byte is zero); save it as UTF-8"),
    ("id: x\n".encode("utf-16-le"), "file looks like UTF-16 text (every other byte is zero); save it as UTF-8"),
    ("id: x\n".encode("utf-32"), "file is UTF-32 text; save it as UTF-8"),
])
def test_utf16_and_utf32_files_get_a_clear_message(raw, message):
    p = refused(decode, raw, "modules/x.yaml")
    assert (p.line, p.col, p.message) == (1, 1, message)


def test_a_utf8_byte_order_mark_is_dropped():
    assert decode("\ufeffid: x\n".encode(), "x.yaml") == "id: x\n"


def test_a_bad_byte_is_placed_in_characters_not_bytes():
    raw = "id: x\ntitle: Қазақстан 😀 ".encode() + b"\xff\n"
    p = refused(decode, raw, "x.yaml")
    assert (p.line, p.col) == (2, len("title: Қазақстан 😀 ") + 1)
    assert p.message == "file is not UTF-8 text (byte 0xff); save it as UTF-8"


@pytest.mark.parametrize(("text", "where"), [
    ("a\nb\x1bc", (2, 2)),
    ("a\r\nb\x1bc", (2, 2)),  # CRLF is one line break
    ("a\rb\x1bc", (2, 2)),  # so is a lone CR, for YAML
    ("ёж\u2028ж\x07", (2, 2)),  # and a line separator
    ("日本語\x00", (1, 4)),
])
def test_an_unsafe_character_is_placed_where_an_editor_shows_it(text, where):
    p = refused(files.check_text, text, "x.yaml")
    assert (p.line, p.col) == where


@pytest.mark.parametrize("char", ["\x00", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85",
                                  "\x9b", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
                                  "\u2066", "\u2067", "\u2068", "\u2069", "\ufffe"])
def test_every_control_and_bidi_override_character_is_refused(char):
    p = refused(files.check_text, f"title: a{char}b\n", "x.yaml")
    assert (p.line, p.col) == (1, 9)
    assert f"U+{ord(char):04X}" in p.message


def test_tabs_line_breaks_and_ordinary_scripts_are_allowed():
    files.check_text("a\tb\r\nВ ә 😀 سلام \u200d \u200f\n", "x.yaml")  # no error


def test_position_counts_characters():
    text = "ä😀\nx"
    assert position(text, 2) == (1, 3)
    assert position(text, 3) == (2, 1)


# both YAML parsers: libyaml (C) and PyYAML's own; positions must agree and count characters
PARSERS = [yaml.SafeLoader] + ([yaml.CSafeLoader] if hasattr(yaml, "CSafeLoader") else [])


@pytest.fixture(params=PARSERS, ids=lambda p: p.__name__)
def parser(request, monkeypatch):
    monkeypatch.setattr(loader, "_Loader", request.param)
    return request.param


def test_syntax_errors_after_non_ascii_text_are_placed_in_characters(parser):
    with pytest.raises(LoadError) as info:
        load_text("id: x\ntitle: Введение — 😀 «курс»: ok\n", "x.yaml")
    p = info.value.problem
    assert (p.line, p.col) == (2, len("title: Введение — 😀 «курс»") + 1)


def test_unsafe_characters_after_non_ascii_text_are_placed_in_characters(parser):
    with pytest.raises(LoadError) as info:
        load_text("id: x\ntitle: Қазақстан\x1b\n", "x.yaml")
    assert (info.value.problem.line, info.value.problem.col) == (2, 17)


def test_node_positions_after_non_ascii_text_are_in_characters(parser):
    doc = load_text("title: «Ёлка» 😀\nsummary: [a, б, c]\n", "x.yaml")
    assert doc.where(("summary", 2)) == (2, 17)


@pytest.mark.parametrize(("text", "col"), [
    ('title: "a\\eb"\n', 8),  # ESC written as an escape: the value's position
    ('title: "\\u202Eevil"\n', 8),
    ('"k\\x07": v\n', 1),  # in a key
])
def test_unsafe_characters_written_as_escapes_are_refused(parser, text, col):
    with pytest.raises(LoadError) as info:
        load_text(text, "x.yaml")
    p = info.value.problem
    assert (p.line, p.col) == (1, col)
    assert p.message.endswith("(written as an escape)")


def test_a_lone_surrogate_written_as_an_escape_is_refused(parser):
    with pytest.raises(LoadError) as info:  # no file format can store it
        load_text('title: "\\uD800"\n', "x.yaml")
    assert info.value.problem.line == 1


def test_load_file_applies_the_rule(tmp_path):
    ws = tmp_path / "ws"
    ws.mkdir()
    (tmp_path / "out.yaml").write_text("id: x\n", encoding="utf-8")
    (ws / "x.yaml").symlink_to(tmp_path / "out.yaml")
    with pytest.raises(LoadError) as info:
        load_file(ws / "x.yaml", "modules/x.yaml", inside=ws)
    assert "refusing to read it" in info.value.problem.message
