"""Stage 6, write: bytes -> files under the output folder, staged, then moved into place.

Each output goes to a staging folder inside the output folder (same file system) as soon as it
is rendered; only when every output of the build exists there is each one moved over its
target with an atomic rename. A failed or interrupted build leaves the previous outputs
untouched; a file that already holds the same bytes is not rewritten.

A staging folder is locked by the build that owns it for as long as that build (or one of its
worker processes) lives; the lock goes with the process, even one killed with ``kill -9``. So a
new build removes the staging folders of dead builds, and never one of a build still running.
Nothing is written through a link: staged files are created anew, moves replace a link rather
than follow it, and a target whose folder is a link leading out of the output folder is refused.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from ccrl_kit.errors import BuildError

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; leftovers are then removed by age only
    fcntl = None  # type: ignore[assignment]

PREFIX = ".staging-"
NEW_PREFIX = ".ccrl-new-"  # a staging folder before its lock is taken
LOCK = ".lock"
STALE_SECONDS = 3600  # an unlocked leftover this old is removed on any system


def safe_target(out: Path, relative: str) -> Path:
    """``out / relative``, refusing any path that would land outside ``out``."""
    rel = PurePosixPath(relative)
    if rel.is_absolute() or ".." in rel.parts or not rel.parts or "\\" in relative:
        raise BuildError(f"refusing to write outside the output folder: {relative}")
    return out.joinpath(*rel.parts)


def inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` is ``folder`` or lies in it, once every link is followed."""
    real, top = Path(os.path.realpath(path)), Path(os.path.realpath(folder))
    return real == top or top in real.parents


class Staging:
    """Outputs of one build, held on disk (not in memory) until :meth:`commit`."""

    def __init__(self, out: Path):
        self.out = out
        self.folder: Path | None = None
        self.staged: dict[str, Path] = {}  # relative target -> staged file
        self.aside: dict[str, Path] = {}  # files moved after the outputs, if they can be
        self.unchanged: list[str] = []
        self.warnings: list[str] = []
        self.made_out = False  # the output folder did not exist before this build
        self._lock: int | None = None
        sweep(out)

    def _open(self) -> Path:
        if self.folder is None:
            if self.out.exists() and not self.out.is_dir():
                raise BuildError(f"cannot write into {self.out}: it is not a folder")
            self.made_out = not self.out.exists()
            self.out.mkdir(parents=True, exist_ok=True)
            new = Path(tempfile.mkdtemp(prefix=NEW_PREFIX, dir=self.out))
            self._lock = os.open(new / LOCK, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            if fcntl is not None:
                fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            folder = self.out / (PREFIX + new.name.removeprefix(NEW_PREFIX))
            os.rename(new, folder)
            self.folder = folder
        return self.folder

    def scratch(self) -> Path:
        """A folder for the build's temporary files (fonts a PDF renderer unpacks): it goes
        with the staging folder, even when the build is killed and cannot clean up."""
        folder = self._open() / "tmp"
        folder.mkdir(exist_ok=True)
        return folder

    def _write(self, data: bytes) -> Path:
        folder = self._open()
        staged = folder / f"{len(self.staged) + len(self.aside)}.part"
        fd = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                     0o644)
        with open(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        return staged

    def add(self, relative: str, data: bytes) -> None:
        target = safe_target(self.out, relative)
        if _same(target, data):
            self.unchanged.append(relative)
            return
        try:
            self.staged[relative] = self._write(data)
        except OSError as exc:
            raise BuildError(f"cannot write {exc.filename or self.out}: {exc.strerror}") from None

    def add_aside(self, relative: str, data: bytes) -> None:
        """Stage a file that may fail to be written (the build cache): a warning, not an
        error, and never at the outputs' expense."""
        try:
            self.aside[relative] = self._write(data)
        except OSError as exc:
            self.warnings.append(_not_saved(relative, exc))

    def commit(self) -> tuple[list[str], list[str]]:
        """Move every staged file into place; return (written, unchanged)."""
        try:
            targets = {rel: safe_target(self.out, rel) for rel in self.staged}
            for rel, path in targets.items():
                _check_inside(self.out, rel, path.parent)  # before making any folder
                path.parent.mkdir(parents=True, exist_ok=True)
                _check_inside(self.out, rel, path.parent)
            _check_writable(list(targets.values()))
            with _no_interrupts():
                for rel, staged in self.staged.items():
                    os.replace(staged, targets[rel])
                for rel, staged in self.aside.items():
                    try:
                        os.replace(staged, safe_target(self.out, rel))
                    except OSError as exc:
                        self.warnings.append(_not_saved(rel, exc))
        except OSError as exc:
            raise BuildError(f"cannot write {exc.filename or self.out}: {exc.strerror}") from None
        finally:
            self.discard()
        return list(self.staged), self.unchanged

    def discard(self) -> None:
        """Remove the staging folder (and the output folder, if this build made it and it is
        still empty)."""
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None
            if self._lock is not None:
                os.close(self._lock)
                self._lock = None
            try:
                if self.made_out and not any(self.out.iterdir()):
                    self.out.rmdir()
            except OSError:
                pass


def sweep(out: Path) -> list[Path]:
    """Remove the staging folders that dead builds left in ``out``; return them."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(out))
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.startswith((PREFIX, NEW_PREFIX)):
            continue
        path = Path(entry.path)
        try:
            if not entry.is_dir(follow_symlinks=False):
                continue
            if not _abandoned(path, locked=entry.name.startswith(PREFIX)):
                continue
        except OSError:
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


def _abandoned(folder: Path, *, locked: bool) -> bool:
    """Whether no living build owns ``folder``: its lock can be taken (the owner is dead), or
    it has no lock and has not changed for a long while."""
    if locked and fcntl is not None:
        try:
            fd = os.open(folder / LOCK, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except FileNotFoundError:
            pass  # no lock file: judged by age below
        else:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return False  # held: a build is running
            finally:
                os.close(fd)
            return True
    return time.time() - folder.stat().st_mtime > STALE_SECONDS


def _check_inside(out: Path, relative: str, folder: Path) -> None:
    """Refuse a target whose folder (or the nearest one of its folders that exists) is
    reached through a link leading out of ``out``."""
    existing = folder
    while not existing.exists() and existing != out and out in existing.parents:
        existing = existing.parent
    if not inside(existing, out):
        raise BuildError(f"refusing to write outside the output folder: {relative} (a folder "
                         "on its way is a link that leads elsewhere)")


def _not_saved(relative: str, exc: OSError) -> str:
    return (f"could not save {relative} ({exc.strerror or exc}); the outputs are written, and "
            "the next build renders them again")


def write_outputs(out: Path, files: dict[str, bytes]) -> tuple[list[str], list[str]]:
    """Write ``files`` (relative path -> bytes) at once; return (written, unchanged)."""
    staging = Staging(out)
    try:
        for rel, data in files.items():
            staging.add(rel, data)
    except BaseException:
        staging.discard()
        raise
    return staging.commit()


def _same(path: Path, data: bytes) -> bool:
    try:
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def _check_writable(paths: list[Path]) -> None:
    """Fail before anything moves if a target cannot be replaced (e.g. locked by PowerPoint
    on Windows), so no build ends half moved into place."""
    for path in paths:
        try:
            info = os.lstat(path)
        except OSError:
            continue  # not there yet
        if stat.S_ISDIR(info.st_mode):
            raise BuildError(f"cannot write {path.name}: a folder of that name is in the way "
                             "(nothing was changed)")
        if not stat.S_ISREG(info.st_mode):
            continue  # a link or a pipe: the move replaces it, never follows it
        try:
            fd = os.open(path, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0))
        except OSError as exc:
            raise BuildError(
                f"cannot replace {path.name}: {exc.strerror} (is it open in another "
                "program? close it and build again; nothing was changed)"
            ) from None
        os.close(fd)


@contextmanager
def _no_interrupts() -> Iterator[None]:
    """Hold Ctrl-C (and SIGTERM) until the last file is in place: the moves take milliseconds,
    and stopping halfway would leave a mix of old and new outputs."""
    caught: list[tuple[int, object]] = []
    try:
        previous = {sig: signal.signal(sig, lambda n, f: caught.append((n, f)))
                    for sig in (signal.SIGINT, signal.SIGTERM)}
    except ValueError:  # not the main thread: signals cannot arrive here anyway
        yield
        return
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if caught:
            signal.raise_signal(caught[0][0])
