"""ccrl preview and ccrl watch: the course asked for, every format, rebuilt on change; a
server that answers only its own address and serves only the output folder's own files."""

from __future__ import annotations

import http.client
import io
import socket
import threading
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from pptx import Presentation

from ccrl_kit.authoring import watch as watching
from ccrl_kit.authoring.watch import Preview, watch
from ccrl_kit.build.pipeline import Report, Settings
from ccrl_kit.build.tasks import tasks_for
from ccrl_kit.cli import main
from ccrl_kit.errors import CcrlError

from ..conftest import MINIMAL_COURSE, MINIMAL_MODULE

OTHER_COURSE = MINIMAL_COURSE.replace("id: mini", "id: other").replace("Mini course",
                                                                       "Other course")


def wait(predicate, timeout: float = 90.0) -> None:
    end = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > end:
            raise AssertionError("timed out")
        time.sleep(0.05)


def get(url: str, host: str | None = None) -> tuple[int, bytes, str]:
    parts = urllib.request.urlparse(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection.putrequest("GET", target, skip_host=host is not None)
    if host is not None:
        connection.putheader("Host", host)
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body, response.getheader("Content-Type") or ""


def deck_titles(data: bytes) -> list[str]:
    prs = Presentation(io.BytesIO(data))
    return [s.shapes.title.text for s in prs.slides if s.shapes.title is not None]


@pytest.fixture
def two_courses(minimal) -> Path:
    (minimal / "courses" / "other.yaml").write_text(OTHER_COURSE, encoding="utf-8")
    return minimal


@pytest.fixture
def served(two_courses, monkeypatch):
    """``ccrl preview mini -a police -f pptx -f html -f docx --port 0``, running in threads."""
    started: list[Preview] = []

    def run(self: Preview) -> None:
        self.start()
        started.append(self)

    monkeypatch.setattr(Preview, "run", run)
    result = CliRunner().invoke(main, ["-C", str(two_courses), "preview", "mini", "-a",
                                       "police", "-f", "pptx", "-f", "html", "-f", "docx",
                                       "-j", "1", "--port", "0"])
    assert result.exit_code == 0, result.output
    preview = started[0]
    wait(lambda: preview.state.done >= 1)  # HTML first, then every format
    yield preview
    preview.close()


def test_preview_serves_that_course_and_rebuilds_what_it_shows_on_edit(served, two_courses):
    preview = served
    assert preview.settings.course == "mini" and preview.settings.audiences == ("police",)
    status, page, kind = get(preview.url)
    index = page.decode()
    assert status == 200 and kind.startswith("text/html")
    assert "<h1>Mini course</h1>" in index and "Police officers" in index
    assert "Teachers" not in index and "Other course" not in index
    folder = "/mini/police/en/"
    for name in ("deck.pptx", "participant-handout.html", "facilitator-guide.docx"):
        assert f'href="{folder}{name}"' in index
    assert f'href="{folder}deck.pptx" download' in index
    assert "Four contexts" in deck_titles(get(preview.url + folder[1:] + "deck.pptx")[1])

    module = two_courses / "modules" / "intro.yaml"
    module.write_text(MINIMAL_MODULE.replace("Four contexts", "Five contexts").replace(
        "A short module.", "A shorter module."), encoding="utf-8")
    wait(lambda: preview.state.done >= 2)
    assert preview.state.error == ""
    status, handout, kind = get(preview.url + folder[1:] + "participant-handout.html")
    assert status == 200 and b"A shorter module." in handout  # the workbook's module summary
    assert b"/__ccrl__/version" in handout
    assert "Five contexts" in deck_titles(get(preview.url + folder[1:] + "deck.pptx")[1])
    docx = get(preview.url + folder[1:] + "facilitator-guide.docx")[1]
    assert b"Five contexts" in zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml")
    assert get(preview.url + "__ccrl__/version")[1] == str(preview.state.version).encode()


def test_a_broken_edit_is_shown_on_the_index_and_over_pages(served, two_courses):
    preview = served
    (two_courses / "modules" / "intro.yaml").write_text("id: intro\ntitle: [broken\n")
    wait(lambda: preview.state.error != "")
    index = get(preview.url)[1].decode()
    assert "The last build failed" in index and "modules/intro.yaml:3:1: YAML syntax" in index
    page = get(preview.url + "mini/police/en/participant-handout.html")[1]
    assert b"The last build failed" in page


def test_only_its_own_host_is_answered(served):
    port = served.port
    assert get(served.url, host=f"localhost:{port}")[0] == 200
    for host in ("evil.example", f"evil.example:{port}", f"127.0.0.1:{port + 1}", ""):
        status, body, _ = get(served.url, host=host)
        assert status == 403 and b"answers only" in body


def test_only_regular_files_inside_the_output_folder(served, two_courses, tmp_path):
    out = two_courses / "output"
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET")
    (out / "mini" / "leak.txt").symlink_to(secret)
    (out / "mini" / "leak-dir").symlink_to(tmp_path, target_is_directory=True)
    (out / "mini" / "inside.html").symlink_to(out / "mini" / "police" / "en" /
                                              "participant-handout.html")
    for path in ("mini/leak.txt", "mini/leak-dir/secret.txt", "mini/../../modules/intro.yaml",
                 "mini/%2e%2e/%2e%2e/modules/intro.yaml", ".ccrl-cache.json", "mini",
                 "mini/police/en/", "mini/police/en/missing.pdf", "%00"):
        status, body, _ = get(served.url + path)
        assert status == 404 and b"SECRET" not in body, path
    assert get(served.url + "mini/inside.html")[0] == 200  # a link that stays inside


def test_a_port_in_use_is_one_line(two_courses):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(CcrlError, match=rf"^port {port} is in use \(another preview\?\): "
                                            "choose another with --port N"):
            Preview(Settings(workspace=two_courses), port)
        result = CliRunner().invoke(main, ["-C", str(two_courses), "preview", "--port",
                                           str(port)])
        assert result.exit_code == 1 and result.output.count("\n") == 1


def test_watch_rebuilds_after_a_change_and_survives_an_error(minimal, capsys):
    outcomes: list[str] = []
    stop = threading.Event()
    settings = Settings(workspace=minimal, course="mini", formats=("html",), jobs=1)
    worker = threading.Thread(target=watch, args=(settings,), kwargs={
        "stop": stop, "on_build": lambda report, error: outcomes.append(
            "ok" if error is None else error.format_message())}, daemon=True)
    worker.start()
    try:
        wait(lambda: outcomes == ["ok"])
        module = minimal / "modules" / "intro.yaml"
        module.write_text(MINIMAL_MODULE.replace("title: Introduction", "title: Intro"))
        wait(lambda: len(outcomes) == 2)
        handout = minimal / "output" / "mini" / "police" / "en" / "participant-handout.html"
        assert "Intro" in handout.read_text() and outcomes[1] == "ok"
        (minimal / "output" / "mini" / "note.txt").write_text("the output folder is not watched")
        module.write_text("id: intro\ntitle: [broken\n")
        wait(lambda: len(outcomes) == 3)
        assert "modules/intro.yaml:3:1: YAML syntax error" in outcomes[2]
    finally:
        stop.set()
        worker.join(10)
    assert not worker.is_alive()
    err = capsys.readouterr().err
    assert "build failed" in err


def test_watch_sees_the_files_named_outside_the_workspace(minimal, tmp_path):
    names = tmp_path / "names.csv"
    names.write_text("Name\nAnna Lee\n")
    settings = Settings(workspace=minimal, participants=names, out=minimal / "output")
    paths = watching.watched(settings)
    assert paths == [minimal.absolute(), names.absolute()]


@pytest.fixture
def idle(minimal):
    """A preview that serves but does not build: its builds are reported by hand."""
    preview = Preview(Settings(workspace=minimal, course="mini", formats=("html",), jobs=1), 0)
    threading.Thread(target=preview.serve, daemon=True).start()
    yield preview
    preview.close()


HANDOUT = "mini/police/en/participant-handout.html"
GUIDE = "mini/police/en/facilitator-guide.html"


def test_a_waiting_page_is_answered_when_its_file_is_written(idle):
    answers: list[tuple[int, bytes, str]] = []
    asking = threading.Thread(target=lambda: answers.append(
        get(idle.url + f"__ccrl__/version?after=0&page=/{HANDOUT}")))
    asking.start()
    time.sleep(0.3)
    assert not answers and idle.watched() == {HANDOUT}  # it waits, and the server knows
    idle._built(Report(written=[GUIDE]), None)  # another page: no answer yet
    time.sleep(0.3)
    assert not answers
    idle._built(Report(written=[HANDOUT]), None)
    asking.join(5)
    assert answers and answers[0][:2] == (200, b"2")


def test_a_waiting_page_is_answered_after_the_timeout_and_when_the_preview_stops(idle):
    start = time.monotonic()
    assert idle.wait(HANDOUT, "0", timeout=0.3) == 0
    assert time.monotonic() - start >= 0.3
    answers: list[int] = []
    asking = threading.Thread(target=lambda: answers.append(idle.wait(HANDOUT, "0")))
    asking.start()
    time.sleep(0.2)
    start = time.monotonic()
    idle.close()
    asking.join(5)
    assert answers == [0] and time.monotonic() - start < 2


def test_every_page_learns_that_a_build_failed_or_came_right_again(idle):
    idle._built(Report(written=[HANDOUT]), None)
    assert idle.wait(HANDOUT, "1", timeout=0.1) == 1
    idle._built(None, CcrlError("modules/intro.yaml:3:1: broken"))
    assert idle.wait(HANDOUT, "1", timeout=5) == 2
    assert idle.wait(GUIDE, "0", timeout=5) == 2
    idle._built(None, CcrlError("modules/intro.yaml:3:1: broken"))  # the same error again
    assert idle.wait(HANDOUT, "2", timeout=0.1) == 2
    idle._built(Report(), None)
    assert idle.wait(HANDOUT, "2", timeout=5) == 4
    assert idle.wait("", "4", timeout=0.1) == 4  # the index: every build step
    idle._built(Report(), None)
    assert idle.wait("", "4", timeout=5) == 5


def test_a_served_page_knows_its_version(idle):
    page = idle.out / HANDOUT
    page.parent.mkdir(parents=True)
    page.write_text("<html><body>handout</body></html>")
    idle._built(Report(written=[GUIDE]), None)
    idle._built(Report(written=[HANDOUT]), None)
    body = get(idle.url + HANDOUT)[1]
    assert b'var seen = "2";' in body and b"handout" in body
    assert get(idle.url + f"__ccrl__/version?page=/{HANDOUT}")[1] == b"2"
    assert get(idle.url + "__ccrl__/version")[1] == b"2"


def test_the_pages_open_in_a_browser_are_built_first(idle):
    def first() -> list[str]:
        chosen = idle._first_pages()
        tasks = tasks_for("mini", ("police", "teachers"), ("en", "ru"), ("html",))
        return [] if chosen is None else [t.label for t in tasks if chosen(t)]

    assert first() == []  # before the first build: no audience known yet
    idle._built(Report(), None)
    assert first() == ["police/en/facilitator-guide (html)",
                       "police/en/participant-handout (html)"]
    idle.wait("mini/teachers/ru/participant-handout.html", "x", timeout=0)
    assert first() == ["teachers/ru/participant-handout (html)"]
