"""Shared fixtures: the repository's own workspace, a built default course, small workspaces."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
AUDIENCES = ("civil-servants", "law-enforcement", "educators", "university")


# fixtures that build the whole shipped course: a test using one is slow (pytest -m "not slow"
# leaves it out; the whole suite runs it)
FULL_COURSE = {"built", "languages"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if FULL_COURSE & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


def _once(tmp_path_factory, name: str, *options: str) -> Path:
    """The shipped course built once per test run into ``name``/, by ``ccrl build`` in a
    process of its own, whichever test process asks first: under pytest-xdist the workers
    share the first one's build (a lock file in the run's common temporary folder)."""
    import fcntl

    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the folder every worker's own temporary folder lives in
    out = base / f"shared-{name}"
    with open(base / f"shared-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        done = out / "done"
        if not done.exists():
            shutil.rmtree(out, ignore_errors=True)
            # a new process: this one may have run Typst, after which builds cannot fork
            # their workers and start each in a new interpreter instead
            result = subprocess.run([sys.executable, "-c", LAUNCH, "-C", str(ROOT), "build",
                                     "-o", str(out), "-j", "2", *options],
                                    capture_output=True, text=True)
            assert result.returncode == 0, result.stderr
            done.touch()
    return out / "ccrl-kazakhstan"


LAUNCH = "import sys; from ccrl_kit.cli import main; sys.exit(main())"


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The default course (four audiences, English), built once in every format."""
    return _once(tmp_path_factory, "built")


@pytest.fixture(scope="session")
def languages(tmp_path_factory) -> Path:
    """One audience built in Russian, Kazakh and English+Russian, deck and documents."""
    return _once(tmp_path_factory, "languages", "-a", "educators", "-l", "ru", "-l", "kk",
                 "-l", "en+ru", "-f", "pptx", "-f", "pdf", "-f", "docx") / "educators"


def shipped_workspace(root: Path, modules, courses: dict[str, str], *,
                      shipped_courses: tuple[str, ...] = (), templates: bool = False) -> Path:
    """A workspace at ``root`` with some shipped modules, every shipped audience, the
    shipped courses named and new ones (file stem -> YAML text)."""
    for sub in ("modules", "audiences", "courses"):
        (root / sub).mkdir()
    for mid in modules:
        shutil.copy(ROOT / "modules" / f"{mid}.yaml", root / "modules")
    for aid in AUDIENCES:
        shutil.copy(ROOT / "audiences" / f"{aid}.yaml", root / "audiences")
    for cid in shipped_courses:
        shutil.copy(ROOT / "courses" / f"{cid}.yaml", root / "courses")
    for cid, text in courses.items():
        (root / "courses" / f"{cid}.yaml").write_text(text, encoding="utf-8")
    if templates:
        shutil.copytree(ROOT / "templates", root / "templates")
    return root


def pdftotext(path: Path, *extra: str) -> str:
    return subprocess.run(["pdftotext", "-layout", *extra, str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def flat(text: str) -> str:
    """Whitespace collapsed and hyphenation undone, for searching text pulled from a PDF."""
    return " ".join(text.replace("\u00ad", "").split())


@pytest.fixture
def workspace(tmp_path):
    """A factory for small workspaces: ``workspace({"modules/x.yaml": "..."})``."""

    def make(files: dict[str, str], *, with_templates: bool = True) -> Path:
        ws = tmp_path / "ws"
        for sub in ("modules", "audiences", "courses"):
            (ws / sub).mkdir(parents=True, exist_ok=True)
        if with_templates and not (ws / "templates").exists():
            shutil.copytree(ROOT / "templates", ws / "templates")
        for rel, text in files.items():
            path = ws / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(textwrap.dedent(text), encoding="utf-8")
        return ws

    return make


MINIMAL_MODULE = """\
id: intro
title: Introduction
summary: A short module.
minutes: 10
objectives:
  - Participants can name the four contexts of the report.
key_messages:
  - text: The report looks at four contexts.
    sources: [report-intro]
sections:
  - id: contexts
    title: Four contexts
    minutes: 5
    bullets:
      - text: Historical, security, geopolitical and legal.
        sources: [report-intro]
    facilitator:
      say: [SECRET-SAY-NOTE]
questions:
  - text: Which context matters most in your work?
    minutes: 5
    facilitator:
      prompts: [SECRET-PROMPT]
      themes: [SECRET-THEME]
  - text: Only for the police?
    audiences: [police]
knowledge_check:
  - question: How many contexts does the report examine?
    options: ["Two", "Four"]
    facilitator:
      answer: SECRET-ANSWER
      explanation: SECRET-EXPLANATION
sources:
  - id: report-intro
    kind: report
    citation: Trip report, Introduction.
"""

MINIMAL_AUDIENCES = {
    "audiences/police.yaml": """\
        id: police
        name: Police officers
        participants: Officers.
        needs: [Prevention.]
        """,
    "audiences/teachers.yaml": """\
        id: teachers
        name: Teachers
        participants: Teachers.
        needs: [Fair teaching.]
        """,
}

MINIMAL_COURSE = """\
id: mini
title: Mini course
organiser: Test organiser
audiences: [police, teachers]
days:
  - start: "09:00"
    sessions:
      - module: intro
"""


@pytest.fixture
def minimal(workspace) -> Path:
    return workspace({"modules/intro.yaml": MINIMAL_MODULE, "courses/mini.yaml": MINIMAL_COURSE,
                      **MINIMAL_AUDIENCES})
