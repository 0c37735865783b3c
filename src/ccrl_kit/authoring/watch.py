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
from urllib.parse import quote, unquote, urlsplit

import click

from ccrl_kit.build.pipeline import Report, build
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


def rebuild(settings: Settings, on_build: Built | None = None) -> Report | None:
    """One build, reported on the terminal; a failure is shown and returned, never raised."""
    from ccrl_kit.authoring.report import show_report

    stamp = time.strftime("%H:%M:%S")
    try:
        report = build(settings)
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

RELOAD = """<script>(function () {
  var seen = null;
  setInterval(function () {
    fetch("/__ccrl__/version", {cache: "no-store"}).then(function (r) {
      return r.text(); }).then(function (v) {
      if (seen !== null && v !== seen) { location.reload(); }
      seen = v;
    }).catch(function () {});
  }, 500);
})();</script>"""

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
    that pages poll to reload."""

    version: int = 0
    course: str = ""
    title: str = ""
    audiences: list[tuple[str, str]] = field(default_factory=list)  # (id, name)
    languages: list[str] = field(default_factory=list)
    error: str = ""
    warnings: list[str] = field(default_factory=list)
    built_at: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)


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

    def run(self) -> None:
        """Serve, build, and rebuild on every change until Ctrl-C."""
        self.out.mkdir(parents=True, exist_ok=True)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        click.echo(f"serving {self.url} (Ctrl-C to stop)")
        try:
            self.loop()
        finally:
            self.close()

    def start(self) -> threading.Thread:
        """Serve and watch in background threads (for tests and embedding)."""
        self.out.mkdir(parents=True, exist_ok=True)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        worker = threading.Thread(target=self.loop, daemon=True)
        worker.start()
        return worker

    def loop(self) -> None:
        changes(self.settings, self._build_all, self.stop)

    def close(self) -> None:
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()

    def _build_all(self) -> None:
        """HTML first, so an open page reloads at once; then every other requested format."""
        formats = self.settings.formats
        if "html" in formats and len(formats) > 1:
            if rebuild(replace(self.settings, formats=("html",)), self._built) is None:
                return
            formats = tuple(f for f in formats if f != "html")
        rebuild(replace(self.settings, formats=formats), self._built)

    def _built(self, report: Report | None, error: CcrlError | None) -> None:
        with self.state.lock:
            self.state.built_at = time.strftime("%H:%M:%S")
            if error is not None:
                self.state.error = error.format_message()
            else:
                self.state.error = ""
                self.state.warnings = list(report.warnings) if report else []
                self._describe()
            self.state.version += 1

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
{RELOAD}</body></html>"""

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

    def file(self, request_path: str) -> tuple[bytes, str] | None:
        """The bytes and type of an output file, or ``None``: only regular files inside the
        output folder, reached without leaving it through a link, and never hidden ones (the
        cache, staging folders)."""
        rel = unquote(urlsplit(request_path).path).lstrip("/")
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
            inject = (BANNER if self.state.error else "") + RELOAD
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
                    self._send(200, str(preview.state.version).encode(), "text/plain", body)
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
