"""The build cache: which outputs are already up to date, so a rebuild skips them.

It lives in the output folder (``.ccrl-cache.json``) and is safe to delete: without it the next
build renders everything again. A task is up to date only when

* the fingerprint of everything it can read is the one recorded: the tool's code and the
  versions of the libraries it renders with, the settings (paper, time budget,
  SOURCE_DATE_EPOCH, the deck template, the template folders), the course, audience and module
  files it is made of (whatever their extension), every file of the template folders its kind
  can load (a partial another template includes, a font, an image), and the participant list;
* and each output file it makes is there, a plain file, holding the bytes recorded.

Whatever the cache file holds (nothing, a hand edit, garbage, a folder, a link), the answer is
at worst "render again", never an error. A new kind of input must be added to
:func:`task_inputs`, or the cache would call an output fresh that is not.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import sys
from functools import cache
from pathlib import Path

from ccrl_kit.build.staging import Staging, inside
from ccrl_kit.build.tasks import Task
from ccrl_kit.content.workspace import Workspace
from ccrl_kit.errors import BuildError
from ccrl_kit.files import FileError, read_bytes
from ccrl_kit.settings import Settings, build_timestamp, template_path

CACHE_NAME = ".ccrl-cache.json"
VERSION = 2
MAX_CACHE_BYTES = 64 * 1024 * 1024
MAX_TEMPLATE_FILES = 20_000
_HEX = re.compile(r"[0-9a-f]{64}\Z")
_O_FLAGS = (os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
            | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@cache
def code_fingerprint() -> str:
    """The tool's own code and catalogs, the Python it runs on and the versions of the
    libraries it renders with: a new version of any rebuilds everything."""
    from importlib import metadata

    root = Path(__file__).parents[1]
    parts = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix != ".pyc")
    h = hashlib.sha256(sys.version.encode())
    for path in parts:
        h.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    try:
        wanted = metadata.requires("ccrl-kit") or []
    except metadata.PackageNotFoundError:
        wanted = []
    for requirement in sorted(wanted):
        name = re.split(r"[\s;<>=!~\[(]", requirement, maxsplit=1)[0]
        try:
            h.update(f"{name}={metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name}=-\0".encode())
    return h.hexdigest()


class Digests:
    """SHA-256 of files, each read once per build; a file that cannot be read safely gets a
    description instead (which still changes when the file does), never an exception."""

    def __init__(self) -> None:
        self._known: dict[tuple, str] = {}
        self._trees: dict[tuple[str, str], list[tuple[str, str]]] = {}

    def tree(self, folder: Path, under: str = "") -> list[tuple[str, str]]:
        """:func:`_tree`, walked once per build (every task of a build reads the same
        template folders)."""
        key = (str(folder), under)
        if key not in self._trees:
            self._trees[key] = _tree(folder, self, under)
        return list(self._trees[key])

    def of(self, path: Path, folder: Path | None = None) -> str:
        """The digest of ``path``; with ``folder``, a link leading out of it is not read
        (its target, size and time are recorded instead)."""
        try:
            real = Path(os.path.realpath(path))
            info = os.stat(real)
        except (OSError, ValueError) as exc:
            return f"missing: {getattr(exc, 'strerror', None) or exc}"
        if not stat.S_ISREG(info.st_mode):
            return f"not a file: {stat.S_IFMT(info.st_mode):o}"
        if folder is not None and not inside(real, folder):
            return f"outside: {real} {info.st_size} {info.st_mtime_ns}"
        key = (str(real), info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns,
               info.st_ctime_ns)
        if key not in self._known:
            self._known[key] = _hash_file(real)
        return self._known[key]

    def of_output(self, path: Path, out: Path) -> str | None:
        """The digest of an output file, or ``None`` unless it is a plain file in ``out``."""
        try:
            if not stat.S_ISREG(os.lstat(path).st_mode) or not inside(path.parent, out):
                return None
        except OSError:
            return None
        found = self.of(path)
        return found if _HEX.match(found) else None


def _hash_file(path: Path) -> str:
    h = hashlib.sha256()
    try:
        fd = os.open(path, _O_FLAGS)
    except OSError as exc:
        return f"unreadable: {exc.strerror}"
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return "not a file"
        os.set_blocking(fd, True)
        while chunk := os.read(fd, 1024 * 1024):
            h.update(chunk)
    except OSError as exc:
        return f"unreadable: {exc.strerror}"
    finally:
        os.close(fd)
    return h.hexdigest()


def _tree(folder: Path, digests: Digests, under: str = "") -> list[tuple[str, str]]:
    """(relative path, digest) of every file in ``folder`` (or its subfolder ``under``),
    following links only where they stay inside ``folder``."""
    found: list[tuple[str, str]] = []
    root = Path(os.path.realpath(folder))
    start = root / under if under else root
    seen: set[Path] = set()
    stack = [start]
    while stack:
        current = stack.pop()
        real = Path(os.path.realpath(current))
        if real in seen or not inside(real, root):
            continue
        seen.add(real)
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError as exc:
            found.append((str(current.relative_to(root)), f"unreadable: {exc.strerror}"))
            continue
        for entry in entries:
            path = Path(entry.path)
            rel = str(path.relative_to(root))
            try:
                is_dir = entry.is_dir(follow_symlinks=True)
            except OSError:
                is_dir = False
            if is_dir:
                target = Path(os.path.realpath(path))
                if inside(target, root):
                    stack.append(path)
                else:
                    found.append((rel, f"outside: {target}"))
                continue
            found.append((rel, digests.of(path, root)))
            if len(found) > MAX_TEMPLATE_FILES:
                raise BuildError(
                    f"template folder {folder} holds more than {MAX_TEMPLATE_FILES:,} files; "
                    "keep only templates, stylesheets, fonts and images in it")
    return sorted(found)


def task_inputs(task: Task, ws: Workspace, settings: Settings,
                digests: Digests) -> dict[str, object]:
    """Everything whose bytes can change the outputs of ``task``, as digests."""
    course = ws.courses[task.course]
    content = [ws.path("courses", task.course), ws.path("audiences", task.audience),
               *(ws.path("modules", mid) for mid in sorted(set(course.modules))
                 if f"modules/{mid}" in ws.documents)]
    if (ws.root / "ccrl.yaml").is_file():  # the brand and the deck's layouts: mapping
        content.append(ws.root / "ccrl.yaml")
    folders = template_path(settings)
    templates: list[object] = []
    for n, folder in enumerate(folders):
        if task.kind == "deck" and not task.documents:
            # the deck reads its template and measures text with fonts
            files = digests.tree(folder, "fonts") if (folder / "fonts").is_dir() else []
            if not settings.deck_template and (folder / "deck.pptx").exists():
                files.append(("deck.pptx", digests.of(folder / "deck.pptx", folder)))
        else:  # a document's templates may include, import or link any file of the folders
            files = digests.tree(folder)
        templates.append([n, str(folder.resolve()), files])
    inputs: dict[str, object] = {
        "content": [[str(p.relative_to(ws.root)), digests.of(p, ws.root)] for p in content],
        "templates": templates,
    }
    if task.kind == "deck":  # the guide shows the deck's slides too
        inputs["deck_template"] = (digests.of(settings.deck_template)
                                   if settings.deck_template else None)
        inputs["keep_external"] = settings.keep_external
    if task.documents or task.kind == "certificates":  # the deck has no paper size
        inputs["paper"] = settings.paper
    if task.kind == "certificates" and settings.participants:
        inputs["participants"] = digests.of(settings.participants)
    return inputs


def task_key(task: Task, ws: Workspace, settings: Settings, digests: Digests | None = None) -> str:
    text = json.dumps({
        "code": code_fingerprint(),
        "task": [task.course, task.audience, task.lang, task.kind, list(task.formats)],
        "settings": {"minutes": settings.minutes, "timestamp": build_timestamp().isoformat()},
        "inputs": task_inputs(task, ws, settings, digests or Digests()),
    }, sort_keys=True)
    return _digest(text.encode())


class BuildCache:
    def __init__(self, out: Path):
        self.path = out / CACHE_NAME
        self.out = out
        self.digests = Digests()
        self.entries: dict[str, dict] = self._load()

    def _load(self) -> dict[str, dict]:
        """The recorded tasks; anything unexpected counts as nothing recorded."""
        try:
            if not stat.S_ISREG(os.lstat(self.path).st_mode):
                return {}
            raw = read_bytes(self.path, CACHE_NAME, inside=self.out, limit=MAX_CACHE_BYTES)
            data = json.loads(raw.decode("utf-8"))
        except (OSError, FileError, ValueError, RecursionError):
            return {}
        if not isinstance(data, dict) or data.get("version") != VERSION:
            return {}
        tasks = data.get("tasks")
        if not isinstance(tasks, dict):
            return {}
        return {name: entry for name, entry in tasks.items() if _well_formed(entry)}

    @staticmethod
    def name(task: Task) -> str:
        return f"{task.folder}/{task.kind}/{'+'.join(task.formats)}"

    def key(self, task: Task, ws: Workspace, settings: Settings) -> str:
        return task_key(task, ws, settings, self.digests)

    def fresh(self, task: Task, key: str) -> bool:
        entry = self.entries.get(self.name(task))
        if not entry or entry["key"] != key or set(entry["files"]) != set(task.outputs()):
            return False
        for rel, digest in entry["files"].items():
            if self.digests.of_output(self.out / rel, self.out) != digest:
                return False
        return True

    def record(self, task: Task, key: str, files: dict[str, bytes]) -> None:
        self.entries[self.name(task)] = {
            "key": key, "files": {rel: _digest(data) for rel, data in files.items()}}

    def data(self) -> bytes:
        return json.dumps({"version": VERSION, "tasks": self.entries}, indent=1,
                          sort_keys=True).encode("utf-8")

    def stage(self, staging: Staging) -> None:
        """Put the cache beside the build's outputs; it moves into place after them."""
        staging.add_aside(CACHE_NAME, self.data())


def _well_formed(entry: object) -> bool:
    return (isinstance(entry, dict) and isinstance(entry.get("key"), str)
            and isinstance(entry.get("files"), dict)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in entry["files"].items()))
