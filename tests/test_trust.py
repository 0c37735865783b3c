"""Trust: hostile content stays inert, user templates are sandboxed, builds are atomic and
reproducible."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccrl_kit.build import staging as write
from ccrl_kit.build.pipeline import Settings, build
from ccrl_kit.cli import main
from ccrl_kit.errors import BuildError, Problem, printable

from .conftest import MINIMAL_MODULE, ROOT, flat, pdftotext


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def run(ws: Path, *args: str):
    if args[:1] == ("build",):
        # one process: nothing here depends on workers (tests/build/ covers them), and once
        # Typst has run in this process a build starts each worker as a new interpreter
        args = ("build", "-j", "1", *args[1:])
    result = CliRunner().invoke(main, ["-C", str(ws), *args])
    assert "Traceback" not in result.output
    return result


@pytest.mark.slow
def test_markup_and_template_syntax_in_content_appear_literally(minimal):
    hostile = "<script>alert(1)</script> {{ 7*7 }} {% raw %}"
    (minimal / "modules" / "intro.yaml").write_text(
        MINIMAL_MODULE.replace("summary: A short module.", f"summary: '{hostile}'"),
        encoding="utf-8")
    assert run(minimal, "build", "-a", "police", "-f", "html", "-f", "pdf").exit_code == 0
    folder = minimal / "output" / "mini" / "police" / "en"
    page = (folder / "participant-handout.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }} {% raw %}" in page
    assert "<script>" not in page
    assert hostile in flat(pdftotext(folder / "participant-handout.pdf"))


@pytest.mark.slow
def test_a_user_template_cannot_reach_python_internals(minimal, tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "participant-handout.html.j2").write_text(
        "{{ ''.__class__.__mro__[1].__subclasses__() }}", encoding="utf-8")
    result = run(minimal, "build", "-f", "html", "--templates", str(mine))
    assert result.exit_code == 1
    assert "template participant-handout.html.j2" in result.output
    assert "unsafe" in result.output
    assert not (minimal / "output").exists()


@pytest.mark.slow
def test_a_typo_in_a_template_is_an_error_not_a_blank(minimal, tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "participant-handout.html.j2").write_text("<p>{{ doc.titel }}</p>\n",
                                                      encoding="utf-8")
    result = run(minimal, "build", "-f", "html", "--templates", str(mine))
    assert result.exit_code == 1
    assert "template participant-handout.html.j2:1:" in result.output
    assert "titel" in result.output


def test_nothing_is_written_outside_the_output_folder(tmp_path):
    for bad in ("../evil.pptx", "/etc/passwd", "a/../../b", ""):
        with pytest.raises(BuildError, match="outside the output folder"):
            write.safe_target(tmp_path, bad)
    assert write.safe_target(tmp_path, "c/a/en/deck.pptx") == tmp_path / "c/a/en/deck.pptx"


@pytest.mark.slow
def test_a_failed_build_leaves_the_previous_outputs_untouched(minimal, tmp_path):
    assert run(minimal, "build", "-f", "pptx", "-f", "html").exit_code == 0
    before = snapshot(minimal / "output")
    (minimal / "modules" / "intro.yaml").write_text(
        MINIMAL_MODULE.replace("A short module.", "A changed module."), encoding="utf-8")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "facilitator-guide.html.j2").write_text("{{ doc.nope }}", encoding="utf-8")
    result = run(minimal, "build", "-f", "pptx", "-f", "html", "--templates", str(mine))
    assert result.exit_code == 1
    assert snapshot(minimal / "output") == before


def test_an_interrupted_build_leaves_the_previous_outputs_untouched(minimal, monkeypatch):
    settings = Settings(workspace=minimal, formats=("pptx", "html"))
    build(settings)
    before = snapshot(minimal / "output")
    (minimal / "modules" / "intro.yaml").write_text(
        MINIMAL_MODULE.replace("A short module.", "A changed module."), encoding="utf-8")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("ccrl_kit.render.html.render_html", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build(settings)
    assert snapshot(minimal / "output") == before


def test_an_interruption_while_moving_files_into_place_is_held_back(tmp_path, monkeypatch):
    import signal

    # as in a terminal, whatever the shell that started the tests did with Ctrl-C
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    moved = []
    real_replace = os.replace

    def replace(src, dst):
        if not moved:
            signal.raise_signal(signal.SIGINT)  # Ctrl-C arrives after the first move
        moved.append(dst)
        real_replace(src, dst)

    monkeypatch.setattr(write.os, "replace", replace)
    try:
        with pytest.raises(KeyboardInterrupt):
            write.write_outputs(tmp_path, {"a/one.txt": b"1", "a/two.txt": b"2",
                                           "b/three.txt": b"3"})
    finally:
        signal.signal(signal.SIGINT, previous)
    assert len(moved) == 3  # every file moved before the interrupt was let through
    assert not list(tmp_path.glob(".staging-*"))


def test_a_rebuild_with_nothing_changed_rewrites_nothing(minimal):
    build(Settings(workspace=minimal, formats=("pptx", "html")))
    stamps = {p: p.stat().st_mtime_ns for p in (minimal / "output").rglob("*") if p.is_file()}
    report = build(Settings(workspace=minimal, formats=("pptx", "html")))
    assert report.written == [] and report.built == []
    assert len(report.skipped) == 4  # 2 audiences x (deck + guide, handout)
    assert stamps == {p: p.stat().st_mtime_ns for p in stamps}


def test_two_builds_give_identical_bytes_in_every_format(built, tmp_path):
    build(Settings(workspace=ROOT, audiences=("civil-servants",), out=tmp_path))
    again = snapshot(tmp_path / "ccrl-kazakhstan" / "civil-servants")
    first = snapshot(built / "civil-servants")
    assert {Path(k).suffix for k in again} == {".pptx", ".html", ".pdf", ".docx"}
    assert again == first


def test_source_date_epoch_sets_the_stamped_time(minimal, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1760000000")  # 2025-10-09 08:53:20 UTC
    build(Settings(workspace=minimal, audiences=("police",), formats=("pptx", "docx")))
    folder = minimal / "output" / "mini" / "police" / "en"
    for name in ("deck.pptx", "participant-handout.docx"):
        with zipfile.ZipFile(folder / name) as z:
            core = z.read("docProps/core.xml").decode()
            assert {i.date_time for i in z.infolist()} == {(2025, 10, 9, 8, 53, 20)}
        assert "2025-10-09T08:53:20Z" in core


def test_messages_show_control_characters_escaped(minimal):
    (minimal / "modules" / "x\x1b[2J.yaml").write_bytes(b"id: x\ntitle: [\n")
    result = run(minimal, "validate")
    assert result.exit_code == 1
    assert "\x1b" not in result.stderr
    assert "modules/x\\x1b[2J.yaml:" in result.stderr
    (minimal / "modules" / "x\x1b[2J.yaml").unlink()
    result = run(minimal, "build", "no\x1b]0;owned\x07such-course\u202e")
    assert result.exit_code == 1
    assert not set(result.stderr) & {"\x1b", "\x07", "\u202e"}
    assert "unknown course 'no\\x1b]0;owned\\x07such-course\\u202e'" in result.stderr


def test_printable_escapes_what_a_terminal_would_act_on():
    assert printable("a\x1b[31mb\x07c\u202ed\te\n") == "a\\x1b[31mb\\x07c\\u202ed\te\\n"
    assert printable("one\ntwo\r", lines=True) == "one\ntwo\\r"
    assert str(Problem("f\x1b.yaml", 1, 2, "title", "bad \x9b char")) == (
        "f\\x1b.yaml:1:2: title: bad \\x9b char")


@pytest.mark.parametrize("value", ["abc", "-5", "1.5", "１２３", "99999999999999999999"])
def test_an_invalid_source_date_epoch_is_one_message(minimal, monkeypatch, value):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    result = run(minimal, "build", "-f", "html")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: SOURCE_DATE_EPOCH must be a whole number of seconds")
    assert result.stderr.count("\n") == 1
    assert not (minimal / "output").exists()


def test_a_source_date_epoch_before_zip_times_still_builds(minimal, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert run(minimal, "build", "-a", "police", "-f", "pptx").exit_code == 0
