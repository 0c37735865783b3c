"""ccrl init: a blank start by default, the shipped course with --example; asks nothing."""

from __future__ import annotations

import errno
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccrl_kit.authoring import scaffold
from ccrl_kit.cli import main


def run(*args: str, cwd: Path | None = None):
    result = CliRunner().invoke(main, [*(["-C", str(cwd)] if cwd else []), *args], input="")
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def texts(folder: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace")
                     for p in sorted(folder.rglob("*")) if p.is_file()
                     and p.suffix in (".yaml", ".html", ".j2", ".css", ".json", ".typ"))


@pytest.mark.slow
def test_a_blank_workspace_then_a_module_an_audience_and_a_build(tmp_path):
    ws = tmp_path / "kyrgyz-judges"
    made = run("init", str(ws))
    assert made.exit_code == 0, made.output
    assert {p.name for p in ws.iterdir()} == {"modules", "audiences", "courses", "templates",
                                             "schemas", "output", "ccrl.yaml", ".gitignore"}
    assert sorted(p.name for p in (ws / "modules").iterdir()) == ["opening.yaml"]
    assert not re.search("(?i)kazakh|astana|almaty", texts(ws))  # nothing of the shipped course
    added = run("new", "module", "courts-and-belief", "--course", "my-course", cwd=ws)
    assert added.exit_code == 0, added.output
    assert ("added 'courts-and-belief' (30 min) to day 1 of courses/my-course.yaml, which now "
            "ends at 10:00 (was 09:30)") in added.output
    assert run("new", "audience", "judges", cwd=ws).exit_code == 0
    course = ws / "courses" / "my-course.yaml"
    course.write_text(course.read_text().replace("audiences: [participants]",
                                                 "audiences: [participants, judges]"))
    built = run("build", "-f", "html", "-f", "pptx", "-j", "1", cwd=ws)
    assert built.exit_code == 0, built.output
    out = ws / "output" / "my-course"
    for audience in ("participants", "judges"):
        handout = (out / audience / "en" / "participant-handout.html").read_text()
        assert "Courts and belief" in handout and "Opening: purpose" in handout
        assert (out / audience / "en" / "deck.pptx").stat().st_size > 10_000
    assert not re.search("(?i)kazakh", texts(out))


def test_example_copies_the_shipped_course(tmp_path):
    result = run("init", "--example", str(tmp_path / "ex"))
    assert result.exit_code == 0
    modules = {p.stem for p in (tmp_path / "ex" / "modules").iterdir()}
    assert {"legal-context", "orientation"} <= modules and len(modules) == 9
    assert "default_course: ccrl-kazakhstan" in (tmp_path / "ex" / "ccrl.yaml").read_text()
    assert run("validate", cwd=tmp_path / "ex").exit_code == 0


def test_the_schemas_cover_every_kind_of_file(tmp_path):
    run("init", str(tmp_path / "ws"))
    assert sorted(p.name for p in (tmp_path / "ws" / "schemas").iterdir()) == [
        "audience.schema.json", "course.schema.json", "module.schema.json",
        "workspace.schema.json"]


def test_init_refuses_a_folder_that_is_not_empty_or_a_file(tmp_path):
    (tmp_path / "x.txt").write_text("mine")
    result = run("init", str(tmp_path))
    assert result.exit_code == 1 and "folder is not empty" in result.output
    assert (tmp_path / "x.txt").read_text() == "mine"
    result = run("init", str(tmp_path / "x.txt"))
    assert result.exit_code == 2 and "is a file" in result.output


def test_a_read_only_place_is_one_line_and_leaves_nothing(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", str(tmp_path / "ws" / "schemas"))

    monkeypatch.setattr(scaffold, "write_schemas", refuse)
    result = run("init", str(tmp_path / "ws"))
    assert result.exit_code == 1
    assert result.output.strip() == (f"error: cannot write {tmp_path}/ws/schemas: "
                                     "Read-only file system")
    assert not (tmp_path / "ws").exists()


def test_a_parent_that_cannot_be_written_is_one_line(tmp_path, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "mkdir", refuse)
    result = run("init", str(tmp_path / "ws"))
    assert result.exit_code == 1
    assert result.output.strip() == f"error: cannot write {tmp_path}/ws: Permission denied"


@pytest.mark.parametrize("kind", ["module", "audience", "course"])
def test_the_starter_files_are_what_the_skeletons_promise(tmp_path, kind):
    run("init", str(tmp_path / "ws"))
    folder = tmp_path / "ws" / f"{kind}s"
    for path in folder.iterdir():
        assert path.read_text().startswith(
            f"# yaml-language-server: $schema=../schemas/{kind}.schema.json")
