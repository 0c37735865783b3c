"""A `--templates` folder that tries to read outside itself — a template that is a link to a
file elsewhere, a Typst template that reads a path or a URL or imports a package, an HTML
template that includes a file outside — stops the build with one line naming the template,
writes nothing, and reads nothing outside the folder (the file's access time proves it)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ccrl_kit.settings import BUILTIN_TEMPLATES

SECRET = "SECRET-a7f3c2 root:x:0:0"


@pytest.fixture
def secret(tmp_path) -> Path:
    """A file outside every folder the build may read, its access time set in the past so
    that any read moves it (on file systems that keep access times)."""
    path = tmp_path / "elsewhere" / "secret.txt"
    path.parent.mkdir()
    path.write_text(SECRET)
    return path


def untouched(path: Path):
    """A check that ``path`` has not been read since this call (None where the file system
    does not record reads)."""
    st = path.stat()
    os.utime(path, (st.st_mtime - 3600, st.st_mtime))
    before = path.stat().st_atime
    probe = path.with_name("probe")
    probe.write_text("x")
    os.utime(probe, (st.st_mtime - 3600, st.st_mtime))
    probe.read_text()
    if probe.stat().st_atime == st.st_mtime - 3600:
        return lambda: None  # reads leave no trace here: nothing to prove
    return lambda: path.stat().st_atime == before or pytest.fail(f"{path} was read")


def mine(tmp_path: Path) -> Path:
    """A template folder: a copy of the built-in Typst templates (they import each other)."""
    folder = tmp_path / "mine"
    folder.mkdir()
    for p in BUILTIN_TEMPLATES.glob("*.typ"):
        shutil.copy(p, folder / p.name)
    return folder


def build(ws: Path, templates: Path, fmt: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ccrl_kit", "-C", str(ws), "build", "-a",
                           "police", "-f", fmt, "-j", "1", "--templates", str(templates)],
                          capture_output=True, text=True, timeout=300)


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


CASES = {
    # name: (format, how to spoil the folder, what the message says after "template ")
    "typst template is a link": (
        "pdf", lambda f, s: (f / "certificates.typ").unlink() or (
            f / "certificates.typ").symlink_to(s),
        r"certificates\.typ: a link that leads outside its folder"),
    "typst reads a path": (
        "pdf", lambda f, s: replace_in(f / "certificates.typ", "#let plan =",
                                       f'#read("{s}")\n#let plan ='),
        r"certificates\.typ:\d+:\d+: reads a file outside its folder"),
    "typst reads a url": (
        "pdf", lambda f, s: replace_in(f / "certificates.typ", "#let plan =",
                                       '#image("https://example.org/logo.png")\n#let plan ='),
        r"certificates\.typ:\d+:\d+: reads a file outside its folder"),
    "typst imports a package": (
        "pdf", lambda f, s: replace_in(f / "facilitator-guide.typ", "#import",
                                       '#import "@preview/cetz:0.3.1": canvas\n#import'),
        r"facilitator-guide\.typ:\d+:\d+: imports a Typst package .* never downloaded"),
    "html template is a link": (
        "html", lambda f, s: (f / "facilitator-guide.html.j2").symlink_to(s),
        r"facilitator-guide\.html\.j2: a link that leads outside its folder"),
    "html includes a path": (
        "html", lambda f, s: (f / "participant-handout.html.j2").write_text(
            f'{{% include "{s}" %}}\n'),
        r"name '.*secret\.txt' is not a file inside a template folder"),
    "html includes a file above": (
        "html", lambda f, s: (f / "participant-handout.html.j2").write_text(
            '{% include "../elsewhere/secret.txt" %}\n'),
        r"name '\.\./elsewhere/secret\.txt' is not a file inside a template folder"),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(CASES))
def test_a_template_reaching_outside_its_folder_stops_the_build(minimal, tmp_path, secret,
                                                                 case):
    fmt, spoil, message = CASES[case]
    folder = mine(tmp_path)
    spoil(folder, secret)
    check = untouched(secret)
    done = build(minimal, folder, fmt)
    assert done.returncode == 1, done.stdout + done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "Traceback" not in done.stderr, done.stderr
    assert re.search(r"\btemplate " + message, errors[0]), errors[0]
    check()
    out = minimal / "output"
    files = [p for p in out.rglob("*") if p.is_file()] if out.exists() else []
    assert not [p for p in files if p.suffix in (".pdf", ".html")]
    assert not [p for p in files if SECRET in p.read_text(errors="replace")]


def test_the_access_time_check_sees_a_read(secret):
    check = untouched(secret)
    secret.read_text()
    if secret.stat().st_atime == secret.stat().st_mtime - 3600:
        pytest.skip("this file system records no reads")
    with pytest.raises(pytest.fail.Exception, match="was read"):
        check()
