"""How long ``ccrl preview`` takes to show an edited module: from the write of the file to a
client that watches the server the way the preview's pages do having the new HTML.

    python bench/preview.py [RUNS]      # prints each run's seconds, the median and the range

A copy of the workspace is served by ``python -m ccrl_kit -C COPY preview --port 0`` (this
checkout's code), in a process of its own. Once the first build is over, each run changes one
word of a bullet of the course's first module (a different word each time), waits for the
server's answer that a page changed, fetches the facilitator guide of the first audience in
the first language (the page that shows bullets) and looks for the new word. Between runs the
server is left to finish rebuilding the other formats, as a trainer reading the page would.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

import yaml

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
PARTS = ("modules", "audiences", "courses", "templates", "images")
WORDS = ("amber", "birch", "cedar", "dunes", "ember", "fjord", "grove", "harbor", "islet",
         "juniper", "kestrel", "lagoon", "meadow", "nectar", "orchid", "prairie")
FIRST_BUILD_S = 600.0  # a cold build of every format
RUN_TIMEOUT_S = 60.0
POLL_S = 0.5  # a client of a server that answers at once polls this often
QUIET_S = 1.0  # the server is idle when its processes used next to no CPU for this long


def copy_workspace(root: Path, dest: Path) -> None:
    """The folders and the file a build reads, nothing else (no output)."""
    dest.mkdir(parents=True)
    for part in PARTS:
        if (root / part).is_dir():
            shutil.copytree(root / part, dest / part)
    if (root / "ccrl.yaml").is_file():
        shutil.copy2(root / "ccrl.yaml", dest / "ccrl.yaml")


def _first(root: Path) -> tuple[str, str, str, str]:
    """The default course, its first audience, first language and first module."""
    config = root / "ccrl.yaml"
    course_id = (yaml.safe_load(config.read_text(encoding="utf-8")) or {}).get(
        "default_course") if config.is_file() else None
    if course_id is None:
        course_id = next(p.stem for p in sorted((root / "courses").glob("*.y*ml")))
    course = yaml.safe_load((root / "courses" / f"{course_id}.yaml").read_text(encoding="utf-8"))
    module = next(s["module"] for day in course["days"] for s in day["sessions"]
                  if "module" in s)
    return course_id, course["audiences"][0], course["languages"][0], module


def _bullet_word(text: str, lang: str) -> tuple[int, int]:
    """Where the first long word of the module's first bullet in ``lang`` is in ``text``."""
    start = text.index("bullets:")
    line = re.compile(rf"^\s+{re.escape(lang)}: (?:>-\s*\n)?\s*(.+)$", re.MULTILINE)
    found = line.search(text, start)
    if found is None:
        raise SystemExit(f"no '{lang}' bullet text after 'bullets:'")
    word = re.search(r"\b[a-z]{5,}\b", found.group(1))
    if word is None:
        raise SystemExit(f"no word to change in: {found.group(1)}")
    return found.start(1) + word.start(), found.start(1) + word.end()


class Server:
    """``ccrl preview`` of a workspace in a process of its own, its output drained."""

    def __init__(self, workspace: Path) -> None:
        env = dict(os.environ, PYTHONUNBUFFERED="1",
                   PYTHONPATH=os.pathsep.join(filter(None, [str(SRC),
                                                            os.environ.get("PYTHONPATH")])))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ccrl_kit", "-C", str(workspace), "preview", "--port", "0"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
        self.lines: list[str] = []
        self.port = 0
        found = threading.Event()

        def drain() -> None:
            assert self.process.stdout is not None
            for line in self.process.stdout:
                self.lines.append(line.rstrip())
                serving = re.search(r"serving http://127\.0\.0\.1:(\d+)/", line)
                if serving:
                    self.port = int(serving.group(1))
                    found.set()
            found.set()

        threading.Thread(target=drain, daemon=True).start()
        if not found.wait(60) or not self.port:
            self.stop()
            raise SystemExit("the preview did not start:\n" + "\n".join(self.lines))

    def get(self, path: str, timeout: float = 60.0) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def cpu(self) -> float:
        """CPU seconds the server and its finished and running workers have used."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0.0
        pids = [self.process.pid]
        while pids:
            pid = pids.pop()
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
                total += sum(int(x) for x in fields[11:15]) / ticks  # utime stime cutime cstime
                for task in Path(f"/proc/{pid}/task").iterdir():
                    pids.extend(int(c) for c in (task / "children").read_text().split())
            except (OSError, ValueError):
                continue
        return total

    def settle(self, timeout: float) -> None:
        """Wait until the server is idle: a build under way keeps a core busy."""
        end = time.monotonic() + timeout
        before = self.cpu()
        while time.monotonic() < end:
            time.sleep(QUIET_S)
            now = self.cpu()
            if now - before < 0.05 * QUIET_S:
                return
            before = now
        raise SystemExit("the preview did not settle:\n" + "\n".join(self.lines[-20:]))

    def stop(self) -> None:
        """Ctrl-C, as a trainer stops it; then insist."""
        if self.process.poll() is None:
            self.process.send_signal(2)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _version(server: Server, page: str, after: str | None) -> str:
    """The version the page's script asks for: at once the first time, then waiting for a
    change (a server that answers at once is asked again every ``POLL_S``)."""
    query = "" if after is None else f"?after={quote(after)}&page={quote(page)}"
    asked = time.monotonic()
    _, body = server.get("/__ccrl__/version" + query)
    value = body.decode().strip()
    if after is not None and value == after:
        time.sleep(max(0.0, POLL_S - (time.monotonic() - asked)))
    return value


def _seen(server: Server, page: str, word: str, seen: str, start: list[float]) -> float:
    """Seconds from ``start[0]`` until the page, reloaded on each version after ``seen``,
    shows ``word``."""
    while time.monotonic() - start[0] < RUN_TIMEOUT_S:
        version = _version(server, page, seen)
        if version != seen:
            seen = version
            status, body = server.get(page)
            if status == 200 and word.encode() in body:
                return time.monotonic() - start[0]
    raise SystemExit(f"'{word}' did not show on {page} within {RUN_TIMEOUT_S:.0f} s")


def _client(server: Server, page: str, word: str, seen: str, start: list[float],
            result: list[float]) -> None:
    result.append(_seen(server, page, word, seen, start))


def measure(root: Path, runs: int = 5) -> list[float]:
    """Seconds from saving an edited module until the preview's page shows the edit, ``runs``
    times, on a copy of the workspace at ``root``."""
    course, audience, lang, module = _first(root)
    page = f"/{course}/{audience}/{lang}/facilitator-guide.html"
    with tempfile.TemporaryDirectory() as tmp:
        workspace = Path(tmp) / "workspace"
        copy_workspace(root, workspace)
        path = workspace / "modules" / f"{module}.yaml"
        server = Server(workspace)
        try:
            end = time.monotonic() + FIRST_BUILD_S
            while server.get("/__ccrl__/version")[1] == b"0" and time.monotonic() < end:
                time.sleep(0.2)
            server.settle(FIRST_BUILD_S)
            figures = []
            for n in range(runs):
                text = path.read_text(encoding="utf-8")
                a, b = _bullet_word(text, lang)
                shown = server.get(page)[1]
                word = next(w for k in range(n, n + 10 * len(WORDS))
                            if (w := f"{WORDS[k % len(WORDS)]}{k // len(WORDS) or ''}").encode()
                            not in shown)  # a word the page does not hold yet
                edited = text[:a] + word + text[b:]
                # the client watches the page before the save, as an open browser tab does
                result: list[float] = []
                start = [time.monotonic() + RUN_TIMEOUT_S]
                seen = _version(server, page, None)
                watcher = threading.Thread(target=_client, daemon=True,
                                           args=(server, page, word, seen, start, result))
                watcher.start()
                time.sleep(0.3)  # the page's question is asked and waits for an answer
                start[0] = time.monotonic()
                path.write_text(edited, encoding="utf-8")
                watcher.join(RUN_TIMEOUT_S + 5)
                if not result:
                    raise SystemExit("no figure: the client gave up\n"
                                     + "\n".join(server.lines[-20:]))
                figures.append(result[0])
                server.settle(FIRST_BUILD_S)
            return figures
        finally:
            server.stop()


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    figures = measure(ROOT, runs)
    print("runs:", " ".join(f"{f:.2f}" for f in figures))
    print(f"preview reload: median {statistics.median(figures):.2f} s "
          f"(range {min(figures):.2f}-{max(figures):.2f} s, {len(figures)} runs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
