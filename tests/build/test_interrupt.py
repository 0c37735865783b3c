"""A build stopped from outside (kill -9, SIGTERM, Ctrl-C) leaves no process behind, the
previous outputs byte for byte, and nothing a later build does not clean up.

Each build runs as a real process in a session of its own, so every worker it forks shares
its process group, which is how the tests find them. The build's own signal handling is
reset to a terminal's, whatever the shell that started the tests did with Ctrl-C."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from ..conftest import MINIMAL_AUDIENCES, MINIMAL_COURSE, MINIMAL_MODULE, ROOT

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(),
                                reason="finds processes through /proc")

LAUNCH = ("import signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
          "signal.signal(signal.SIGTERM, signal.SIG_DFL); "
          "from ccrl_kit.cli import main; main()")


def group(pgid: int) -> list[int]:
    """Live processes (not zombies) in process group ``pgid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
            found.append(int(entry.name))
    return found


def start(ws: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", LAUNCH, "-C", str(ws), "build", *args],
                            start_new_session=True, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


def wait_for_workers(proc: subprocess.Popen, out: Path, count: int = 2) -> None:
    """Until the build has ``count`` workers running and a staging folder."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"the build ended first: {proc.stderr.read().decode()}")
        if len(group(proc.pid)) > count and list(out.glob(".staging-*")):
            return
        time.sleep(0.01)
    pytest.fail("the build never had workers running")


def gone_within(pgid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while group(pgid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.relative_to(folder).parts[0].startswith(".staging-")}


@pytest.fixture(scope="module")
def prepared(tmp_path_factory) -> Path:
    """The minimal workspace built once (two workers), then edited so that the next build
    renders everything again."""
    ws = tmp_path_factory.mktemp("interrupt") / "ws"
    shutil.copytree(ROOT / "templates", ws / "templates")
    for rel, text in {"modules/intro.yaml": MINIMAL_MODULE, "courses/mini.yaml": MINIMAL_COURSE,
                      **MINIMAL_AUDIENCES}.items():
        (ws / rel).parent.mkdir(parents=True, exist_ok=True)
        (ws / rel).write_text(textwrap.dedent(text), encoding="utf-8")
    result = subprocess.run([sys.executable, "-c", LAUNCH, "-C", str(ws), "build", "-j",
                             "2", "-f", "pptx", "-f", "docx"], capture_output=True)
    assert result.returncode == 0, result.stderr.decode()
    (ws / "modules" / "intro.yaml").write_text(
        MINIMAL_MODULE.replace("A short module.", "A changed module."), encoding="utf-8")
    return ws


@pytest.fixture
def built_once(prepared, tmp_path) -> tuple[Path, dict[str, bytes]]:
    """A copy of the prepared workspace, and its outputs byte for byte."""
    ws = shutil.copytree(prepared, tmp_path / "ws", symlinks=True)
    return ws, snapshot(ws / "output")


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT],
                         ids=["kill-9", "sigterm", "ctrl-c"])
def test_a_build_stopped_mid_way_leaves_no_process_and_the_previous_outputs(built_once, sig):
    ws, before = built_once
    out = ws / "output"
    proc = start(ws, "-j", "2", "-f", "pptx", "-f", "docx")
    wait_for_workers(proc, out)
    os.kill(proc.pid, sig)
    proc.wait(timeout=30)
    assert proc.returncode != 0, proc.stderr.read().decode()
    assert gone_within(proc.pid, 5), f"left running: {group(proc.pid)}"
    assert snapshot(out) == before  # byte for byte, the cache included
    if sig != signal.SIGKILL:  # a build that could clean up did
        assert not list(out.glob(".staging-*"))
        assert b"Traceback" not in proc.stderr.read()


@pytest.mark.slow
def test_the_next_build_removes_what_a_killed_build_left(built_once):
    ws, _ = built_once
    out = ws / "output"
    proc = start(ws, "-j", "2", "-f", "pptx", "-f", "docx")
    wait_for_workers(proc, out)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert list(out.glob(".staging-*"))  # a dead build cannot clean up after itself
    result = subprocess.run([sys.executable, "-c", LAUNCH, "-C", str(ws), "build", "-j", "2",
                             "-f", "pptx", "-f", "docx"], capture_output=True)
    assert result.returncode == 0, result.stderr.decode()
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == [".ccrl-cache.json"]
    import docx

    handout = docx.Document(str(out / "mini/police/en/participant-handout.docx"))
    assert any("A changed module." in p.text for p in handout.paragraphs)


@pytest.mark.slow
def test_a_build_does_not_remove_the_staging_folder_of_a_build_still_running(built_once):
    ws, _ = built_once
    out = ws / "output"
    first = start(ws, "-j", "2", "-f", "pptx", "-f", "docx")
    wait_for_workers(first, out)
    staging = list(out.glob(".staging-*"))
    try:
        # a second build into the same folder at the same time
        from ccrl_kit.build.staging import sweep

        assert sweep(out) == []
        assert all(p.exists() for p in staging)
    finally:
        first.wait(timeout=300)
    assert first.returncode == 0, first.stderr.read().decode()
    assert not list(out.glob(".staging-*"))


def test_an_interrupt_swallowed_on_its_way_still_stops_the_build(minimal, monkeypatch):
    """Python drops an exception raised in a clean-up hook; the build remembers the signal and
    stops at its next step all the same, before anything is written."""
    from ccrl_kit.build import pipeline
    from ccrl_kit.build.pipeline import Settings, build

    # as in a terminal, whatever the shell that started the tests did with these signals
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    previous_term = signal.signal(signal.SIGTERM, signal.SIG_DFL)
    real_run = pipeline.run

    def run(*args):
        with contextlib.suppress(KeyboardInterrupt):  # as in a hook that cannot raise
            signal.raise_signal(signal.SIGTERM)
        return real_run(*args)

    monkeypatch.setattr(pipeline, "run", run)
    try:
        with pytest.raises(KeyboardInterrupt):
            build(Settings(workspace=minimal, formats=("html",)))
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # the handler is put back
    finally:
        signal.signal(signal.SIGINT, previous)
        signal.signal(signal.SIGTERM, previous_term)
    assert not (minimal / "output").exists()
