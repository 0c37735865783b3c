"""ccrl new: skeletons that cite nothing real, explicit additions that report the schedule and
refuse rather than move a day's end; comments survive every edit."""

from __future__ import annotations

import errno
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccrl_kit.cli import main
from ccrl_kit.content.workspace import load_workspace


def run(ws: Path, *args: str):
    result = CliRunner().invoke(main, ["-C", str(ws), *args])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


@pytest.fixture
def ws(tmp_path) -> Path:
    assert run(tmp_path, "init", str(tmp_path / "ws")).exit_code == 0
    return tmp_path / "ws"


def snapshot(ws: Path) -> dict[str, bytes]:
    return {str(p.relative_to(ws)): p.read_bytes() for p in ws.rglob("*.yaml")}


@pytest.mark.parametrize(("kind", "folder"), [("module", "modules"), ("audience", "audiences"),
                                              ("course", "courses")])
def test_every_skeleton_validates_and_cites_nothing_real(ws, kind, folder):
    assert run(ws, "new", kind, f"new-{kind}").exit_code == 0
    assert run(ws, "validate").exit_code == 0
    text = (ws / folder / f"new-{kind}.yaml").read_text()
    assert text.startswith(f"# yaml-language-server: $schema=../schemas/{kind}.schema.json")
    assert not re.search("(?i)kazakh|astana|almaty|delegation|report-intro|MCI", text)


def test_a_new_module_is_added_to_no_course_unless_asked(ws):
    before = (ws / "courses" / "my-course.yaml").read_bytes()
    result = run(ws, "new", "module", "my-topic")
    assert "not added to a course" in result.output
    assert (ws / "courses" / "my-course.yaml").read_bytes() == before


def test_added_to_a_course_it_keeps_comments_and_reports_the_new_end(ws):
    course = ws / "courses" / "my-course.yaml"
    before = course.read_text()
    result = run(ws, "new", "module", "my-topic", "--course", "my-course")
    assert result.exit_code == 0, result.output
    assert "which now ends at 10:00 (was 09:30)" in result.output
    after = course.read_text()
    assert after == before.replace("      - module: opening\n",
                                   "      - module: opening\n      - module: my-topic\n")
    assert load_workspace(ws).courses["my-course"].modules == ["opening", "my-topic"]


def test_the_module_goes_before_the_closing_knowledge_check(ws):
    course = ws / "courses" / "my-course.yaml"
    course.write_text(course.read_text().replace(
        "      - module: opening\n", "      - module: opening\n      - post_check: 10  # end\n"))
    assert run(ws, "new", "module", "my-topic", "--course", "my-course").exit_code == 0
    assert "      - module: my-topic\n      - post_check: 10  # end\n" in course.read_text()


def test_a_day_with_an_end_is_refused_and_nothing_is_written(ws):
    course = ws / "courses" / "my-course.yaml"
    course.write_text(course.read_text().replace('    # end: "09:30"', '    end: "09:30"'))
    before = snapshot(ws)
    result = run(ws, "new", "module", "my-topic", "--course", "my-course")
    assert result.exit_code == 1
    assert result.output == (
        "error: courses/my-course.yaml: day 1 ends at 09:30 ('end:'), and 'my-topic' (30 min) "
        "would run it to 10:00; nothing written. Move the day's 'end:' or make room first, then "
        "run the command again\n")
    assert snapshot(ws) == before


def test_an_unknown_course_is_refused_and_nothing_is_written(ws):
    before = snapshot(ws)
    result = run(ws, "new", "module", "my-topic", "--course", "my-cuorse")
    assert result.exit_code == 1
    assert result.output == ("error: no course 'my-cuorse' in this workspace (courses: "
                             "my-course); nothing written\n")
    assert snapshot(ws) == before


def test_a_case_study_goes_into_its_module_and_the_schedule_is_reported(ws):
    module = ws / "modules" / "opening.yaml"
    before = module.read_text()
    result = run(ws, "new", "case-study", "first-case", "--module", "opening")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "added case study 'first-case' (30 min) to modules/opening.yaml: the module now lasts "
        "60 minutes (was 30)",
        "day 1 of courses/my-course.yaml now ends at 10:00 (was 09:30)"]
    after = module.read_text()
    assert "minutes: 60                   # = the section + the activity" in after
    kept = [ln for ln in before.splitlines() if ln.lstrip().startswith("#")]
    assert all(ln in after.splitlines() for ln in kept)  # every comment is still there
    ws_ = load_workspace(ws)
    assert [c.id for c in ws_.modules["opening"].case_studies] == ["first-case"]
    assert run(ws, "new", "case-study", "second-case", "--module", "opening").exit_code == 0
    cases = load_workspace(ws).modules["opening"].case_studies
    assert [c.id for c in cases] == ["first-case", "second-case"]
    assert cases[0].sources == ["course-notes"]  # cites the module's own source


def test_a_case_needs_its_module(ws):
    result = run(ws, "new", "case-study", "x")
    assert result.exit_code == 2 and "--module ID" in result.output
    result = run(ws, "new", "case-study", "x", "--module", "nope")
    assert result.exit_code == 1 and "no module 'nope'" in result.output
    assert "already has a part with id 'ground-rules'" in run(
        ws, "new", "case-study", "ground-rules", "--module", "opening").output


def test_a_case_that_would_overflow_a_day_is_refused(ws):
    course = ws / "courses" / "my-course.yaml"
    course.write_text(course.read_text().replace('    # end: "09:30"', '    end: "09:30"'))
    before = snapshot(ws)
    result = run(ws, "new", "case-study", "c", "--module", "opening")
    assert result.exit_code == 1 and "would run it to 10:00; nothing written" in result.output
    assert snapshot(ws) == before


@pytest.mark.parametrize("ident", ["abc\n", "My Topic", "a--b", "a-", "ä", "a" * 65, "../x"])
def test_bad_ids_are_refused(ws, ident):
    before = snapshot(ws)
    result = run(ws, "new", "module", ident)
    assert result.exit_code == 1 and "is not a valid id" in result.output
    assert "\n" not in result.output.rstrip("\n")  # one line, the newline shown escaped
    assert snapshot(ws) == before


def test_an_existing_file_is_never_overwritten(ws):
    assert "modules/opening.yaml already exists" in run(ws, "new", "module", "opening").output
    (ws / "modules" / "other.yml").write_text("x")
    assert "modules/other.yml already exists" in run(ws, "new", "module", "other").output


def test_outside_a_workspace_it_says_so(tmp_path):
    result = run(tmp_path, "new", "module", "x")
    assert result.exit_code == 1 and "not a ccrl workspace" in result.output


def test_a_read_only_workspace_is_one_line(ws, monkeypatch):
    real_open = Path.open

    def refuse(self, mode="r", *args, **kwargs):
        if "x" in mode or "w" in mode:
            raise OSError(errno.EROFS, "Read-only file system", str(self))
        return real_open(self, mode, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    result = run(ws, "new", "audience", "judges")
    assert result.exit_code == 1
    assert result.output == (f"error: cannot write {ws}/audiences/judges.yaml: "
                             "Read-only file system\n")


def test_an_edit_that_cannot_be_saved_is_undone(ws, monkeypatch):
    before = snapshot(ws)
    real = Path.write_text

    def refuse(self, text, *args, **kwargs):
        if self.name == "my-course.yaml" and "my-topic" in text:
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real(self, text, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", refuse)
    result = run(ws, "new", "module", "my-topic", "--course", "my-course")
    assert result.exit_code == 1 and "No space left on device" in result.output
    assert snapshot(ws) == before
