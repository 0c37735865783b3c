"""The worker processes of a parallel build: their temporary files go with the build, and
the pool is shut down on every way out."""

from __future__ import annotations

import multiprocessing
import tempfile

import pytest

from ccrl_kit.build import pipeline
from ccrl_kit.build.pipeline import Settings, build
from ccrl_kit.errors import BuildError


@pytest.mark.slow
def test_parallel_pdf_builds_leave_no_temporary_files(minimal, tmp_path, monkeypatch):
    system_tmp = tmp_path / "system-tmp"
    system_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_tmp))
    monkeypatch.setenv("TMPDIR", str(system_tmp))
    build(Settings(workspace=minimal, formats=("pdf",), jobs=2))
    assert list(system_tmp.iterdir()) == []
    assert tempfile.gettempdir() == str(system_tmp)  # put back after the build
    assert not list((minimal / "output").glob(".staging-*"))


@pytest.mark.slow
def test_every_worker_is_stopped_when_a_task_fails(minimal, tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "facilitator-guide.html.j2").write_text("{{ doc.nope }}",
                                                                encoding="utf-8")
    with pytest.raises(BuildError):
        build(Settings(workspace=minimal, formats=("html", "pdf"), jobs=2,
                       templates=tmp_path / "mine"))
    assert multiprocessing.active_children() == []


@pytest.mark.slow
def test_every_worker_is_stopped_when_writing_a_result_fails(minimal, monkeypatch):
    def full_disk(self, relative, data):
        raise BuildError("cannot write: No space left on device")

    monkeypatch.setattr(pipeline.Staging, "add", full_disk)
    with pytest.raises(BuildError, match="No space left"):
        build(Settings(workspace=minimal, formats=("pptx", "html", "pdf"), jobs=2))
    assert multiprocessing.active_children() == []
    assert not (minimal / "output").exists()


def test_a_parallel_build_leaves_the_guides_pdf_to_typeset_apart(minimal):
    """A deck task run by a worker returns its guide's PDF still to typeset (the build gives
    it to a small process of its own); run in the build's own process it typesets it."""
    from ccrl_kit.build.tasks import run, tasks_for
    from ccrl_kit.content.workspace import load_workspace

    ws = load_workspace(minimal)
    settings = Settings(workspace=minimal, formats=("pdf",))
    deck = next(t for t in tasks_for("mini", ("police",), ("en",), ("pdf",))
                if t.kind == "deck")
    alone = run(deck, ws, settings, ())
    apart = run(deck, ws, settings, (), lambda: None)
    pdf = "mini/police/en/facilitator-guide.pdf"
    assert set(alone.files) == {pdf} and not alone.later
    assert apart.files == {} and set(apart.later) == {pdf}
    assert apart.later[pdf]() == alone.files[pdf]


@pytest.mark.slow
def test_the_guides_pdf_typeset_apart_is_the_serial_builds(minimal, tmp_path):
    def files(out):
        return {p.relative_to(out): p.read_bytes() for p in out.rglob("*")
                if p.is_file() and p.name != ".ccrl-cache.json"}

    build(Settings(workspace=minimal, formats=("pdf", "html"), out=tmp_path / "a", jobs=1))
    build(Settings(workspace=minimal, formats=("pdf", "html"), out=tmp_path / "b", jobs=2))
    serial, parallel = files(tmp_path / "a"), files(tmp_path / "b")
    assert any(p.name == "facilitator-guide.pdf" for p in serial)
    assert serial == parallel


@pytest.mark.slow
def test_a_typesetting_error_apart_stops_the_build_with_its_template(minimal, tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "facilitator-guide.typ").write_text("#let x = (\n", encoding="utf-8")
    with pytest.raises(BuildError, match=r"facilitator-guide\.typ"):
        build(Settings(workspace=minimal, formats=("pdf",), jobs=2, templates=mine))
    assert multiprocessing.active_children() == []
    assert not (minimal / "output").exists()
