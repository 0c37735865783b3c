"""Builds: parallel processes give the same bytes; the cache skips what has not changed and
rebuilds what has; progress is reported."""

from __future__ import annotations

import io

import pytest

from ccrl_kit.build.pipeline import Settings, build
from ccrl_kit.build.progress import Reporter

from .conftest import MINIMAL_MODULE


def files(folder):
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != ".ccrl-cache.json"}


@pytest.mark.slow
def test_parallel_and_serial_builds_give_the_same_bytes(minimal, tmp_path):
    build(Settings(workspace=minimal, formats=("pptx", "html", "docx"), out=tmp_path / "a",
                   jobs=1))
    build(Settings(workspace=minimal, formats=("pptx", "html", "docx"), out=tmp_path / "b",
                   jobs=2))
    assert files(tmp_path / "a") == files(tmp_path / "b")


def test_a_changed_module_rebuilds_the_outputs_that_include_it(minimal):
    settings = Settings(workspace=minimal, formats=("pptx", "html"))
    first = build(settings)
    assert len(first.built) == 4 and not first.skipped  # 2 audiences x (deck + guide, handout)
    (minimal / "modules" / "intro.yaml").write_text(
        MINIMAL_MODULE.replace("A short module.", "A longer module."), encoding="utf-8")
    second = build(settings)
    assert len(second.built) == 4  # every output of this course includes the module
    (minimal / "modules" / "other.yaml").write_text(
        MINIMAL_MODULE.replace("id: intro", "id: other"), encoding="utf-8")
    third = build(settings)
    assert third.built == [] and len(third.skipped) == 4  # not in the course: nothing to do


def test_a_changed_template_rebuilds_only_what_can_use_it(minimal):
    """A document's template may include any file of the template folders, so every task
    that writes a document is rebuilt (the deck task writes the facilitator guide); decks
    alone read only the deck template and fonts, and are not."""
    decks = Settings(workspace=minimal, formats=("pptx",), out=minimal / "decks")
    settings = Settings(workspace=minimal, formats=("pptx", "html"))
    build(decks)
    build(settings)
    css = minimal / "templates" / "participant-handout.html.j2"
    css.write_text(css.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert build(decks).built == []
    assert sorted(build(settings).built) == [
        f"{a}/en/{d} (html)" for a in ("police", "teachers")
        for d in ("deck + facilitator-guide", "participant-handout")]


def test_deleting_the_cache_rebuilds_but_writes_only_changed_files(minimal):
    settings = Settings(workspace=minimal, formats=("pptx", "html"))
    build(settings)
    (minimal / "output" / ".ccrl-cache.json").unlink()
    report = build(settings)
    assert len(report.built) == 4 and report.written == []


def test_progress_is_plain_lines_when_not_a_terminal(minimal):
    stream = io.StringIO()
    reporter = Reporter(stream)
    reporter.started -= 5  # as if the build had been running for a while
    with reporter:
        build(Settings(workspace=minimal, formats=("html",)), reporter.update)
    lines = stream.getvalue().splitlines()
    assert lines == [f"[{n:>3}] built: {who}/en/{doc} (html)" for n, (who, doc) in enumerate(
        [(a, d) for a in ("police", "teachers")
         for d in ("facilitator-guide", "participant-handout")], 1)]


@pytest.mark.slow
def test_parallel_builds_work_without_fork(minimal, tmp_path, monkeypatch):
    """Where processes are spawned rather than forked (Windows, macOS), tasks and the
    workspace travel to the children by pickling."""
    import multiprocessing

    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    build(Settings(workspace=minimal, formats=("pptx", "html"), out=tmp_path / "a", jobs=1))
    build(Settings(workspace=minimal, formats=("pptx", "html"), out=tmp_path / "b", jobs=2))
    assert files(tmp_path / "a") == files(tmp_path / "b")


@pytest.mark.slow
def test_a_failing_task_in_a_child_process_is_reported(minimal, tmp_path):
    import pytest

    from ccrl_kit.errors import BuildError

    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "facilitator-guide.html.j2").write_text("{{ doc.nope }}")
    with pytest.raises(BuildError, match=r"template facilitator-guide\.html\.j2:1"):
        build(Settings(workspace=minimal, formats=("html",), jobs=2,
                       templates=tmp_path / "mine"))
    assert not (minimal / "output").exists()
