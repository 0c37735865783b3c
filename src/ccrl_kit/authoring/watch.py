"""Rebuild on change (``ccrl watch``) and serve a course's outputs with live reload
(``ccrl preview``).

Changes are seen through the operating system's file events (watchfiles), not by polling.
The preview server answers only on 127.0.0.1, only to requests addressed to
``127.0.0.1:PORT`` or ``localhost:PORT`` (a page on another site cannot reach it through a
rebound DNS name), and only with regular files inside the output folder (a link that leads
elsewhere is not followed).
"""

from __future__ import annotations

import contextlib
import errno
import html
import http.server
import mimetypes
import os
import stat
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

import click

from ccrl_kit.build.pipeline import Report, build
from ccrl_kit.build.tasks import Task
from ccrl_kit.errors import CcrlError
from ccrl_kit.settings import Settings

DEBOUNCE_MS = 150  # editors save in bursts: wait this long for quiet before rebuilding
TICK_MS = 200  # how often the watcher looks up while nothing changes (and starts the first run)

Built = Callable[[Report | None, CcrlError | None], None]


def _out(settings: Settings) -> Path:
    return (settings.out or settings.workspace / "output").absolute()


def watched(settings: Settings) -> list[Path]:
    """Every folder or file a build reads: the workspace (modules, audiences, courses,
    templates, images, ccrl.yaml) and the templates and participant list named outside it."""
    root = settings.workspace.absolute()
    found = [root]
    for extra in (settings.templates, settings.deck_template, settings.participants):
        if extra is not None and not extra.absolute().is_relative_to(root):
            found.append(extra.absolute())
    return [p for p in found if p.exists()]


def _filter(settings: Settings):
    import watchfiles

    out = str(_out(settings))
    return watchfiles.DefaultFilter(ignore_paths=[out + os.sep, out])


def rebuild(settings: Settings, on_build: Built | None = None,
            select: Callable[[Task], bool] | None = None) -> Report | None:
    """One build (of the tasks ``select`` accepts), reported on the terminal; a failure is
    shown and returned, never raised."""
    from ccrl_kit.authoring.report import show_report

    stamp = time.strftime("%H:%M:%S")
    try:
        report = build(settings, select=select)
    except CcrlError as exc:
        click.echo(f"[{stamp}] build failed:", err=True)
        exc.show()
        if on_build:
            on_build(None, exc)
        return None
    click.echo(f"[{stamp}] ", nl=False)
    show_report(report)
    if on_build:
        on_build(report, None)
    return report


def watch(settings: Settings, *, stop: threading.Event | None = None,
          on_build: Built | None = None) -> None:
    """Build now and after every change, until ``stop`` is set (or Ctrl-C); errors are
    reported and watching goes on."""
    changes(settings, lambda: rebuild(settings, on_build), stop)


def changes(settings: Settings, run: Callable[[], object],
            stop: threading.Event | None) -> None:
    """``run()`` once, then again after every change to what a build reads. The watcher is in
    place before the first run, and keeps collecting while a run is under way, so no save is
    missed."""
    import watchfiles

    first = True
    for found in watchfiles.watch(*watched(settings), watch_filter=_filter(settings),
                                  debounce=DEBOUNCE_MS, step=50, stop_event=stop,
                                  raise_interrupt=True, rust_timeout=TICK_MS,
                                  yield_on_timeout=True):
        if first or found:
            first = False
            run()


# ---------------------------------------------------------------------------------------------
# ccrl preview

# the page asks whether it changed, and the server answers as soon as it has (or after
# LONG_POLL_S, when the page asks again): a page reloads once its own file is rewritten
LONG_POLL_S = 20.0
WATCHED_S = LONG_POLL_S + 10  # a page that asked this recently is open in a browser

RELOAD = """<script>(function () {
  var seen = "%s";
  function ask() {
    fetch("/__ccrl__/version?after=" + encodeURIComponent(seen) + "&page=" +
          encodeURIComponent(location.pathname), {cache: "no-store"}).then(function (r) {
      if (!r.ok) { throw new Error(r.status); } return r.text(); }).then(function (v) {
      if (v !== seen) { location.reload(); } else { ask(); }
    }).catch(function () { setTimeout(ask, 1000); });
  }
  ask();
})();</script>"""

def reload_script(version: int) -> str:
    """The script a served page runs: it knows the version it shows."""
    return RELOAD.replace("%s", str(version), 1)


BANNER = ('<div style="position:fixed;top:0;left:0;right:0;z-index:99999;padding:8px 12px;'
          'background:#b00020;color:#fff;font:14px sans-serif">The last build failed; this page '
          'is the previous build. <a style="color:#fff" href="/">See the error</a>.</div>')

KINDS = (("deck.pptx", "Deck", "PowerPoint"),
         ("facilitator-guide.html", "Facilitator guide", "HTML"),
         ("facilitator-guide.pdf", "Facilitator guide", "PDF"),
         ("facilitator-guide.docx", "Facilitator guide", "Word"),
         ("participant-handout.html", "Participant handout", "HTML"),
         ("participant-handout.pdf", "Participant handout", "PDF"),
         ("participant-handout.docx", "Participant handout", "Word"),
         ("certificates.pdf", "Certificates", "PDF"))
DOWNLOADS = (".pptx", ".pdf", ".docx")


def _format(name: str) -> str:
    return {".pptx": "pptx", ".html": "html", ".pdf": "pdf", ".docx": "docx"}[Path(name).suffix]


@dataclass
class State:
    """What the index page shows: the course, the last build's outcome, a version counter
    that pages wait on to reload."""

    version: int = 0  # one more after every build step
    written: dict[str, int] = field(default_factory=dict)  # output -> version that wrote it
    failed: int = 0  # the version at which the last build started or stopped failing
    asked: dict[str, float] = field(default_factory=dict)  # output -> when a page last asked
    building: bool = False
    done: int = 0  # builds finished (every step of one run after a change)
    course: str = ""
    title: str = ""
    audiences: list[tuple[str, str]] = field(default_factory=list)  # (id, name)
    languages: list[str] = field(default_factory=list)
    error: str = ""
    warnings: list[str] = field(default_factory=list)
    built_at: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)
    changed: threading.Condition = field(init=False)

    def __post_init__(self) -> None:
        self.changed = threading.Condition(self.lock)

    def version_of(self, page: str) -> int:
        """The version a page shows: for an output, the build step that last wrote it or
        changed whether a build failed; for the index ("" or "index.html"), the last step."""
        if page in ("", "index.html"):
            return self.version
        return max(self.written.get(page, 0), self.failed)


class Preview:
    """A build of one course, watched and served on http://127.0.0.1:PORT/."""

    def __init__(self, settings: Settings, port: int):
        self.settings = settings
        self.out = _out(settings)
        self.state = State()
        self.stop = threading.Event()
        self.server = self._bind(port)
        self.port = self.server.server_port

    def _bind(self, port: int) -> http.server.ThreadingHTTPServer:
        try:
            return http.server.ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise CcrlError(f"port {port} is in use (another preview?): choose another "
                                "with --port N, or --port 0 for any free port") from None
            raise CcrlError(f"cannot serve on 127.0.0.1:{port}: {exc.strerror or exc}") from None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def serve(self) -> None:
        """Answer requests until closed (checking every 50 ms, so closing is prompt)."""
        self.server.serve_forever(poll_interval=0.05)

    def run(self) -> None:
        """Serve, build, and rebuild on every change until Ctrl-C."""
        self.out.mkdir(parents=True, exist_ok=True)
        threading.Thread(target=self.serve, daemon=True).start()
        click.echo(f"serving {self.url} (Ctrl-C to stop)")
        try:
            self.loop()
        finally:
            self.close()

    def start(self) -> threading.Thread:
        """Serve and watch in background threads (for tests and embedding)."""
        self.out.mkdir(parents=True, exist_ok=True)
        threading.Thread(target=self.serve, daemon=True).start()
        worker = threading.Thread(target=self.loop, daemon=True)
        worker.start()
        return worker

    def loop(self) -> None:
        changes(self.settings, self._build_all, self.stop)

    def close(self) -> None:
        self.stop.set()
        with self.state.changed:
            self.state.changed.notify_all()  # pages waiting for a change get their answer
        self.server.shutdown()
        self.server.server_close()

    def wait(self, page: str, after: str, timeout: float = LONG_POLL_S) -> int:
        """The version of ``page`` (an output's relative path, or "" for the index) once it
        is not ``after``, or after ``timeout`` seconds (or when the preview stops)."""
        s = self.state
        with s.changed:
            now = time.monotonic()
            for gone in [p for p, at in s.asked.items() if now - at > WATCHED_S]:
                del s.asked[gone]
            s.asked[page] = now
            s.changed.wait_for(lambda: str(s.version_of(page)) != after or self.stop.is_set(),
                               timeout)
            s.asked[page] = time.monotonic()
            return s.version_of(page)

    def watched(self) -> set[str]:
        """The outputs open in a browser: their pages asked for changes lately."""
        now = time.monotonic()
        with self.state.lock:
            return {page for page, at in self.state.asked.items()
                    if page and now - at < WATCHED_S}

    def _build_all(self) -> None:
        """HTML first, so an open page reloads at once: the pages open in a browser (or, with
        none open, the first audience's), built here where every cache is warm; then the rest
        of the HTML; then every other requested format. Each step is served when done."""
        with self.state.lock:
            self.state.building = True
            if not self.state.audiences:
                self._describe()  # the first build starts with the first audience's pages too
        try:
            formats = self.settings.formats
            if "html" in formats:
                html = replace(self.settings, formats=("html",))
                first = self._first_pages()
                if first is not None and rebuild(replace(html, jobs=1), self._built,
                                                 first) is None:
                    return
                if rebuild(html, self._built) is None:
                    return
                formats = tuple(f for f in formats if f != "html")
            if formats:
                rebuild(replace(self.settings, formats=formats), self._built)
        finally:
            with self.state.changed:
                self.state.building = False
                self.state.done += 1
                self.state.changed.notify_all()

    def _first_pages(self) -> Callable[[Task], bool] | None:
        """The tasks that write the pages open in a browser, or with none open, the first
        audience's pages in the first language; ``None`` before the first build."""
        open_pages = self.watched()
        if open_pages:
            return lambda task: not open_pages.isdisjoint(task.outputs())
        with self.state.lock:
            if not self.state.audiences or not self.state.languages:
                return None
            audience, lang = self.state.audiences[0][0], self.state.languages[0]
        return lambda task: task.audience == audience and task.lang == lang

    def _built(self, report: Report | None, error: CcrlError | None) -> None:
        with self.state.changed:
            s = self.state
            s.built_at = time.strftime("%H:%M:%S")
            s.version += 1
            message = error.format_message() if error is not None else ""
            if message != s.error:
                s.failed = s.version
            s.error = message
            if report is not None:
                s.warnings = list(report.warnings)
                s.written.update(dict.fromkeys(report.written, s.version))
                self._describe()
            s.changed.notify_all()

    def _describe(self) -> None:
        """The course, its audiences and languages, as the last good build saw them."""
        from ccrl_kit.build.pipeline import choose_course
        from ccrl_kit.content.workspace import load_workspace
        from ccrl_kit.resolve.resolver import plain_text

        try:
            ws = load_workspace(self.settings.workspace)
            cid = choose_course(ws, self.settings.course)
        except CcrlError:
            return
        course = ws.courses[cid]
        self.state.course = cid
        self.state.title = plain_text(course.title, course.languages[0])
        aids = self.settings.audiences or tuple(course.audiences)
        self.state.audiences = [(a, plain_text(ws.audiences[a].name, course.languages[0])
                                 if a in ws.audiences else a) for a in aids]
        self.state.languages = list(self.settings.languages or course.languages[:1])

    # -- pages

    def index(self) -> str:
        from ccrl_kit.content.languages import language_name

        s = self.state
        e = html.escape
        rows = []
        if s.error:
            rows.append(f'<pre class="error">The last build failed ({e(s.built_at)}):\n'
                        f"{e(s.error)}</pre>")
        if s.warnings:
            rows.append('<ul class="warn">' + "".join(f"<li>{e(w)}</li>" for w in s.warnings)
                        + "</ul>")
        for aid, name in s.audiences:
            rows.append(f"<h2>{e(name)} <small>{e(aid)}</small></h2>")
            for lang in s.languages:
                shown = " + ".join(language_name(x) for x in lang.split("+"))
                rows.append(f"<h3>{e(lang)} <small>{e(shown)}</small></h3><ul>")
                rows.extend(self._outputs(f"{s.course}/{aid}/{lang}"))
                rows.append("</ul>")
        languages = ", ".join(f"{e(x)} ({e(language_name(x))})" for x in s.languages)
        audiences = ", ".join(e(a) for a, _ in s.audiences)
        return f"""<!doctype html><html><head><meta charset="utf-8">
<title>{e(s.title or "ccrl preview")}</title><style>
body {{ font: 16px/1.5 system-ui, sans-serif; max-width: 52rem; margin: 2rem auto;
       padding: 0 1rem; color: #222 }}
small {{ color: #666; font-weight: normal }} h3 {{ margin-bottom: .2rem }}
.error {{ background: #fde8ea; border-left: 4px solid #b00020; padding: .8rem;
          white-space: pre-wrap }}
.warn {{ background: #fff6d6; border-left: 4px solid #a66b00; padding: .6rem 1.6rem }}
a.dl {{ font-size: .9em }}
</style></head><body>
<h1>{e(s.title or "Building…")}</h1>
<p>Course <b>{e(s.course)}</b> · audiences: {audiences} · languages: {languages}<br>
<small>built at {e(s.built_at or "…")}; this page reloads after every rebuild</small></p>
{"".join(rows)}
{reload_script(s.version)}</body></html>"""

    def _outputs(self, folder: str) -> list[str]:
        e = html.escape
        items = []
        wanted = set(self.settings.formats)
        for name, what, fmt in KINDS:
            if _format(name) not in wanted:
                continue  # an older build's file: not what this preview keeps up to date
            path = self.out / folder / name
            if not path.is_file():
                continue
            href = "/" + quote(f"{folder}/{name}")
            links = f'<a href="{e(href)}">{e(fmt)}</a>'
            if name.endswith(DOWNLOADS):
                links += f' · <a class="dl" href="{e(href)}" download>download</a>'
            items.append(f"<li>{e(what)}: {links} <small>{path.stat().st_size // 1024:,} KB"
                         "</small></li>")
        return items or ["<li><small>nothing built yet</small></li>"]

    @staticmethod
    def page(request_path: str) -> str:
        """The output a request names, as the build reports it ("" for the index)."""
        return unquote(urlsplit(request_path).path).lstrip("/")

    def file(self, request_path: str) -> tuple[bytes, str] | None:
        """The bytes and type of an output file, or ``None``: only regular files inside the
        output folder, reached without leaving it through a link, and never hidden ones (the
        cache, staging folders)."""
        rel = self.page(request_path)
        with self.state.lock:  # before reading: a page is never newer than its version
            version = self.state.version_of(rel)
        parts = rel.split("/")
        if not rel or any(p in ("", ".", "..") or p.startswith(".") or "\x00" in p
                          or "\\" in p for p in parts):
            return None
        root = os.path.realpath(self.out)
        real = os.path.realpath(os.path.join(root, *parts))
        if os.path.commonpath([root, real]) != root:
            return None
        try:
            fd = os.open(real, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
                         | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            return None
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return None
            with os.fdopen(os.dup(fd), "rb") as handle:
                data = handle.read()
        except OSError:
            return None
        finally:
            os.close(fd)
        kind = mimetypes.guess_type(real)[0] or "application/octet-stream"
        if kind == "text/html":
            inject = (BANNER if self.state.error else "") + reload_script(version)
            data = data.replace(b"</body>", inject.encode() + b"</body>", 1)
            kind = "text/html; charset=utf-8"
        return data, kind

    def allowed_host(self, host: str | None) -> bool:
        return (host or "").strip().lower() in (f"127.0.0.1:{self.port}",
                                                f"localhost:{self.port}")

    def _handler(self) -> type[http.server.BaseHTTPRequestHandler]:
        preview = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self._answer(body=True)

            def do_HEAD(self) -> None:
                self._answer(body=False)

            def _answer(self, body: bool) -> None:
                with contextlib.suppress(OSError):  # the browser went away mid-answer
                    self._route(body)

            def _route(self, body: bool) -> None:
                if not preview.allowed_host(self.headers.get("Host")):
                    self._send(403, b"This preview answers only http://127.0.0.1:"
                               + str(preview.port).encode() + b"/\n", "text/plain", body)
                    return
                path = urlsplit(self.path).path
                if path in ("/", "/index.html"):
                    with preview.state.lock:
                        page = preview.index()
                    self._send(200, page.encode("utf-8"), "text/html; charset=utf-8", body)
                elif path == "/__ccrl__/version":
                    query = parse_qs(urlsplit(self.path).query)
                    page = preview.page(query.get("page", ["/"])[0])
                    after = query.get("after", [None])[0]
                    if after is None:
                        with preview.state.lock:
                            version = preview.state.version_of(page)
                    else:
                        version = preview.wait(page, after)
                    self._send(200, str(version).encode(), "text/plain", body)
                else:
                    found = preview.file(path)
                    if found is None:
                        self._send(404, b"not found\n", "text/plain", body)
                    else:
                        self._send(200, found[0], found[1], body)

            def _send(self, code: int, data: bytes, kind: str, body: bool) -> None:
                self.send_response(code)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Cache-Control", "no-store")
                self.send_header("X-Content-Type-Options", "nosniff")
                self.end_headers()
                if body:
                    self.wfile.write(data)

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler
