"""The command line, through click's CliRunner: exit codes, messages, no tracebacks."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from pptx import Presentation

from ccrl_kit.cli import main

from .conftest import MINIMAL_MODULE


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result


def test_validate_passes_on_a_valid_workspace(minimal):
    result = run("-C", str(minimal), "validate")
    assert result.exit_code == 0
    assert "ok: 1 modules, 2 audiences, 1 courses" in result.output


def test_validate_and_build_fail_with_positions_on_bad_content(minimal):
    (minimal / "modules" / "intro.yaml").write_text(
        MINIMAL_MODULE.replace("summary: A short module.", "summary: A: short module."),
        encoding="utf-8")
    for command in ("validate", "build"):
        result = run("-C", str(minimal), command)
        assert result.exit_code == 1
        assert "modules/intro.yaml:3:11: YAML syntax error" in result.output


def test_a_usage_error_exits_with_2(minimal):
    assert run("-C", str(minimal), "build", "--format", "gif").exit_code == 2


def test_list_shows_modules_audiences_courses_and_languages(minimal):
    result = run("-C", str(minimal), "list")
    assert result.exit_code == 0
    assert "intro" in result.output and "10 min" in result.output
    assert "police" in result.output and "mini" in result.output
    assert "Languages: en, ru, kk" in result.output


@pytest.mark.slow
def test_build_writes_the_documented_layout(minimal, tmp_path):
    out = tmp_path / "out"
    result = run("-C", str(minimal), "build", "-a", "police", "-f", "pptx", "-f", "html",
                 "-o", str(out))
    assert result.exit_code == 0, result.output
    folder = out / "mini" / "police" / "en"
    assert sorted(p.name for p in folder.iterdir()) == [
        "deck.pptx", "facilitator-guide.html", "participant-handout.html"]
    deck = Presentation(str(folder / "deck.pptx"))
    titles = [s.shapes.title.text for s in deck.slides if s.shapes.title is not None]
    assert "Four contexts" in titles


@pytest.mark.slow
def test_build_without_arguments_builds_every_audience_of_the_course(minimal):
    result = run("-C", str(minimal), "build", "-f", "html")
    assert result.exit_code == 0, result.output
    for audience in ("police", "teachers"):
        assert (minimal / "output" / "mini" / audience / "en" / "participant-handout.html").is_file()


def test_an_unknown_audience_is_a_clear_error(minimal):
    result = run("-C", str(minimal), "build", "-a", "nurses")
    assert result.exit_code == 1
    assert "unknown audience 'nurses' (known: police, teachers)" in result.output


def test_the_module_entry_point_works(minimal):
    import subprocess
    import sys

    def ccrl(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "ccrl_kit", "-C", str(minimal), *args],
                              capture_output=True, text=True)

    done = ccrl("validate")
    assert done.returncode == 0 and "ok:" in done.stdout
    # the exit skips the last garbage collections only: the status and messages are kept
    done = ccrl("build", "no-such-course")
    assert done.returncode == 1 and "no-such-course" in done.stderr, done.stderr
    done = ccrl("build", "-f", "html", "-a", "police")
    assert done.returncode == 0 and "2 built" in done.stdout, done.stderr
    assert (minimal / "output/mini/police/en/participant-handout.html").read_text().endswith(
        "</html>\n")
