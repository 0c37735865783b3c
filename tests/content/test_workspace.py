"""Workspace files: .yml is .yaml, one id is one file, ids are listed once, every override is
validated where it is written, and the timings validation checks are the ones the build uses."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from ccrl_kit import files
from ccrl_kit.cli import main
from ccrl_kit.content.model import SLUG
from ccrl_kit.content.workspace import load_workspace
from ccrl_kit.errors import ContentError
from ccrl_kit.resolve.resolver import resolve

from ..conftest import MINIMAL_MODULE


def problems(ws) -> list[str]:
    with pytest.raises(ContentError) as info:
        load_workspace(ws)
    return [str(p) for p in info.value.problems]


def test_a_module_saved_as_yml_is_loaded_like_yaml(minimal):
    (minimal / "modules" / "intro.yaml").rename(minimal / "modules" / "intro.yml")
    ws = load_workspace(minimal)
    assert list(ws.modules) == ["intro"]
    assert ws.path("modules", "intro") == minimal / "modules" / "intro.yml"


def test_yaml_and_yml_of_one_id_is_an_error_naming_both(minimal):
    (minimal / "audiences" / "police.yml").write_bytes(
        (minimal / "audiences" / "police.yaml").read_bytes())
    assert problems(minimal) == [
        "audiences/police.yaml: audiences/police.yaml and audiences/police.yml both define "
        "'police': keep one of them"]


def test_hidden_and_other_files_are_not_modules(minimal):
    (minimal / "modules" / ".#intro.yaml").symlink_to("nowhere")  # an editor's lock file
    (minimal / "modules" / "notes.txt").write_text("not yaml", encoding="utf-8")
    assert list(load_workspace(minimal).modules) == ["intro"]


def test_a_folder_or_a_pipe_named_like_a_module_is_a_problem(minimal):
    (minimal / "modules" / "folder.yaml").mkdir()
    os.mkfifo(minimal / "modules" / "pipe.yaml")
    assert problems(minimal) == [
        "modules/folder.yaml: cannot read it: it is a folder, not a file",
        "modules/pipe.yaml: cannot read it: it is a device or pipe, not a file"]


def test_a_module_linked_from_outside_the_workspace_is_refused(minimal, tmp_path):
    (tmp_path / "elsewhere.yaml").write_text(MINIMAL_MODULE.replace("id: intro", "id: other"),
                                             encoding="utf-8")
    (minimal / "modules" / "other.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    found = problems(minimal)
    assert len(found) == 1
    assert found[0].startswith("modules/other.yaml: refusing to read it: it is a link to ")


def test_an_unreadable_folder_or_file_is_a_message_not_a_traceback(minimal, monkeypatch):
    real_listdir, real_open = os.listdir, os.open

    def listdir(path):
        if str(path).endswith("audiences"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_listdir(path)

    def open_(path, flags, *args):
        if str(path).endswith("intro.yaml"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr("ccrl_kit.content.workspace.os.listdir", listdir)
    monkeypatch.setattr(files.os, "open", open_)
    result = CliRunner().invoke(main, ["-C", str(minimal), "validate"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "audiences/: cannot read folder: Permission denied" in result.stderr
    assert "modules/intro.yaml: cannot read file: Permission denied" in result.stderr


def test_validate_writes_nothing_so_a_read_only_workspace_validates(minimal, monkeypatch):
    def no_writes(*args, **kwargs):
        raise AssertionError("validate wrote something")

    for name in ("mkdir", "write_text", "write_bytes", "touch"):
        monkeypatch.setattr(f"pathlib.Path.{name}", no_writes)
    result = CliRunner().invoke(main, ["-C", str(minimal), "validate"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("ident", ["intro\n", "intro\r\n", "\nintro", "Intro", "in--tro",
                                   "intro-", "ин"])
def test_an_id_is_a_whole_slug(ident):
    assert not SLUG.fullmatch(ident)
    assert not SLUG.match(ident)  # even code that calls match() cannot be fooled


def test_ids_listed_twice_are_problems_with_both_lines(minimal):
    (minimal / "courses" / "mini.yaml").write_text(
        "id: mini\ntitle: T\norganiser: O\nlanguages: [en, ru, en]\n"
        "audiences: [police, teachers]\ndays:\n  - start: '09:00'\n    sessions:\n"
        "      - module: intro\n", encoding="utf-8")
    (minimal / "audiences" / "police.yaml").write_text(
        "id: police\nname: P\nparticipants: P.\nneeds: [x]\nmodules: [intro, intro]\n",
        encoding="utf-8")
    assert problems(minimal) == [
        "audiences/police.yaml:5:18: modules[1]: module 'intro' is listed twice (first on line 5)",
        "courses/mini.yaml:4:21: languages[2]: language 'en' is listed twice (first on line 4)"]


OVERRIDE = """overrides:
  police:
    summary: What the police do instead of a fine.
    questions:
      - text: What would you do differently now?
        minutes: 5
"""


def test_an_override_is_what_the_build_uses(minimal):
    (minimal / "modules" / "intro.yaml").write_text(MINIMAL_MODULE + OVERRIDE, encoding="utf-8")
    ws = load_workspace(minimal)
    police = resolve(ws, "mini", "police", "en")
    teachers = resolve(ws, "mini", "teachers", "en")
    assert police.modules[0].summary == "What the police do instead of a fine."
    assert teachers.modules[0].summary == "A short module."
    assert [q.text for q in police.modules[0].questions] == [
        "What would you do differently now?"]
    assert police.modules[0].minutes == ws.minutes("intro", "police") == 10


def test_an_override_of_a_list_item_is_validated_on_its_own_lines(minimal):
    (minimal / "modules" / "intro.yaml").write_text(MINIMAL_MODULE + OVERRIDE.replace(
        "minutes: 5", "minutes: -3").replace("    summary:", "    sumary:"), encoding="utf-8")
    assert problems(minimal) == [
        "modules/intro.yaml:39:5: overrides.police.sumary: unknown field 'sumary' — did you "
        "mean 'summary'?",
        "modules/intro.yaml:42:18: overrides.police.questions[0].minutes: must be at least 0"]


def test_an_override_citing_an_unknown_source_is_placed_in_the_override(minimal):
    (minimal / "modules" / "intro.yaml").write_text(MINIMAL_MODULE + """overrides:
  police:
    key_messages:
      - text: Police-specific message.
        sources: [report-police]
""", encoding="utf-8")
    assert problems(minimal) == [
        "modules/intro.yaml:41:19: overrides.police.key_messages[0].sources[0]: unknown source "
        "'report-police' (known: report-intro)"]


def test_an_override_for_an_unknown_audience_is_reported(minimal):
    (minimal / "modules" / "intro.yaml").write_text(
        MINIMAL_MODULE + "overrides:\n  nurses:\n    summary: For nurses.\n", encoding="utf-8")
    assert problems(minimal) == [
        "modules/intro.yaml:39:5: overrides.nurses: unknown audience 'nurses' (known: police, "
        "teachers)"]


def test_validate_and_build_count_an_overridden_length_alike(minimal):
    """The police variant lasts 12 minutes: validation says so, and a build would agree."""
    (minimal / "modules" / "intro.yaml").write_text(
        MINIMAL_MODULE + OVERRIDE.replace("minutes: 5", "minutes: 7"), encoding="utf-8")
    assert problems(minimal) == [
        "modules/intro.yaml:4:10: minutes: the module states 10 minutes but its timed parts add "
        "up to 12 for audience 'police'"]
    (minimal / "modules" / "intro.yaml").write_text(
        MINIMAL_MODULE + OVERRIDE.replace("minutes: 5", "minutes: 7").replace(
            "  police:\n", "  police:\n    minutes: 12\n"), encoding="utf-8")
    ws = load_workspace(minimal)
    assert resolve(ws, "mini", "police", "en").modules[0].minutes == 12 == ws.minutes(
        "intro", "police")


def test_a_day_end_counts_an_audiences_extra_questions_as_the_build_does(minimal):
    (minimal / "courses" / "mini.yaml").write_text(
        "id: mini\ntitle: T\norganiser: O\naudiences: [police, teachers]\ndays:\n"
        "  - start: '09:00'\n    end: '09:15'\n    sessions:\n      - module: intro\n",
        encoding="utf-8")
    (minimal / "audiences" / "teachers.yaml").write_text(
        "id: teachers\nname: T\nparticipants: T.\nneeds: [x]\nquestions:\n  intro:\n"
        "    - text: Extra?\n      minutes: 5\n", encoding="utf-8")
    # the teachers' day adds up only with their extra question counted; the police's does not
    assert problems(minimal) == [
        "courses/mini.yaml:7:10: days[0].end: the sessions of day 1 add up to 10 minutes for "
        "audience 'police', but 09:00–09:15 is 15 minutes"]
