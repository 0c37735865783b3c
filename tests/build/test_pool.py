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
