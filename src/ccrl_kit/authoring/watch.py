"""Rebuild on change (``ccrl watch``) and serve the HTML handouts with live reload
(``ccrl preview``). Both poll file times once a second: no extra dependency, any platform."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path

import click

from ccrl_kit.build.pipeline import build
from ccrl_kit.errors import CcrlError
from ccrl_kit.settings import Settings

WATCHED = ("modules", "audiences", "courses", "templates")


def snapshot(settings: Settings) -> dict[Path, int]:
    """Modification times of every file a build reads."""
    roots = [settings.workspace / part for part in WATCHED]
    roots += [p for p in (settings.templates, settings.deck_template, settings.participants) if p]
    found: dict[Path, int] = {}
    for root in roots:
        files = [root] if root.is_file() else root.rglob("*") if root.is_dir() else []
        for path in files:
            if path.is_file():
                found[path] = path.stat().st_mtime_ns
    return found


def watch(settings: Settings, *, interval: float = 1.0, rounds: int | None = None,
          on_build: Callable[[], None] | None = None) -> None:
    """Build now and after every change; report errors and keep watching."""
    last: dict[Path, int] | None = None
    done = 0
    while rounds is None or done < rounds:
        current = snapshot(settings)
        if current != last:
            last = current
            stamp = time.strftime("%H:%M:%S")
            try:
                report = build(settings)
            except CcrlError as exc:
                click.echo(f"[{stamp}] build failed:", err=True)
                exc.show()
            else:
                click.echo(f"[{stamp}] {len(report.built)} built, {len(report.skipped)} up to "
                           f"date; {len(report.written)} files written")
                if on_build:
                    on_build()
        done += 1
        if rounds is None or done < rounds:
            time.sleep(interval)


RELOAD = b"""<script>(function () {
  var seen = null;
  setInterval(function () {
    fetch("/__ccrl__/version").then(function (r) { return r.text(); }).then(function (v) {
      if (seen !== null && v !== seen) { location.reload(); }
      seen = v;
    }).catch(function () {});
  }, 1000);
})();</script>"""


class _Handler(http.server.SimpleHTTPRequestHandler):
    version: Callable[[], int]

    def do_GET(self) -> None:
        if self.path == "/__ccrl__/version":
            self._send(str(self.version()).encode(), "text/plain")
            return
        path = Path(self.translate_path(self.path))
        if path.is_dir() and (path / "index.html").exists():
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            page = path.read_bytes().replace(b"</body>", RELOAD + b"</body>")
            self._send(page, "text/html; charset=utf-8")
            return
        super().do_GET()

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:
        pass


def serve(folder: Path, port: int, version: Callable[[], int]) -> http.server.HTTPServer:
    """An HTTP server on localhost for ``folder``, started in a background thread."""
    handler = type("Handler", (_Handler,), {"version": staticmethod(version)})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port),
                                             partial(handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def preview(settings: Settings, port: int, *, rounds: int | None = None) -> None:
    settings = replace(settings, formats=("html",))
    out = settings.out or settings.workspace / "output"
    out.mkdir(parents=True, exist_ok=True)
    counter = [0]

    def bump() -> None:
        counter[0] += 1

    server = serve(out, port, lambda: counter[0])
    click.echo(f"serving {out} on http://127.0.0.1:{server.server_port}/ (Ctrl-C to stop)")
    try:
        watch(settings, rounds=rounds, on_build=bump)
    finally:
        server.shutdown()
