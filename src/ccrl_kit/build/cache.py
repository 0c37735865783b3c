"""The build cache: which outputs are already up to date, so a rebuild skips them.

It lives in the output folder (``.ccrl-cache.json``) and is safe to delete: without it the next
build renders everything again. A task is up to date when the fingerprint of everything it reads
(the code, its module, audience and course files, its templates, its settings) is the one
recorded, and its output files still hold the bytes recorded.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import cache
from pathlib import Path

from ccrl_kit.build.tasks import Task, template_files
from ccrl_kit.content.workspace import Workspace
from ccrl_kit.settings import Settings, build_timestamp

CACHE_NAME = ".ccrl-cache.json"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@cache
def _file_digest(path: Path, mtime_ns: int, size: int) -> str:
    del mtime_ns, size  # part of the cache key only
    return _digest(path.read_bytes())


def file_digest(path: Path) -> str:
    st = path.stat()
    return _file_digest(path, st.st_mtime_ns, st.st_size)


@cache
def code_fingerprint() -> str:
    """The tool's own code and message catalogs: a new version rebuilds everything."""
    root = Path(__file__).parents[1]
    parts = sorted([*root.rglob("*.py"), *root.glob("locales/*.yaml")])
    return _digest(b"".join(p.read_bytes() for p in parts))


def task_key(task: Task, ws: Workspace, settings: Settings) -> str:
    course = ws.courses[task.course]
    inputs = [
        ws.root / "courses" / f"{task.course}.yaml",
        ws.root / "audiences" / f"{task.audience}.yaml",
        *(ws.root / "modules" / f"{mid}.yaml" for mid in sorted(set(course.modules))),
        *template_files(task, settings),
    ]
    if task.kind == "certificates" and settings.participants:
        inputs.append(settings.participants)
    text = json.dumps({
        "code": code_fingerprint(),
        "task": [task.course, task.audience, task.lang, task.kind, list(task.formats)],
        "settings": [settings.paper, settings.minutes, build_timestamp().isoformat()],
        "inputs": [[p.name, file_digest(p)] for p in inputs if p.is_file()],
    }, sort_keys=True)
    return _digest(text.encode())


class BuildCache:
    def __init__(self, out: Path):
        self.path = out / CACHE_NAME
        self.out = out
        try:
            self.entries: dict[str, dict] = json.loads(self.path.read_text("utf-8"))["tasks"]
        except (OSError, ValueError, KeyError, TypeError):
            self.entries = {}

    @staticmethod
    def name(task: Task) -> str:
        return f"{task.folder}/{task.kind}/{'+'.join(task.formats)}"

    def fresh(self, task: Task, key: str) -> bool:
        entry = self.entries.get(self.name(task))
        if not entry or entry.get("key") != key:
            return False
        for rel, digest in entry.get("files", {}).items():
            path = self.out / rel
            if not path.is_file() or file_digest(path) != digest:
                return False
        return True

    def record(self, task: Task, key: str, files: dict[str, bytes]) -> None:
        self.entries[self.name(task)] = {
            "key": key, "files": {rel: _digest(data) for rel, data in files.items()}}

    def save(self) -> None:
        self.out.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"version": 1, "tasks": self.entries}, indent=1,
                                  sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.path)
