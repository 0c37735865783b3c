"""Stage 6, write: bytes -> files under the output folder, staged, then moved into place.

Each output goes to a staging folder inside the output folder (same file system) as soon as it
is rendered; only when every output of the build exists there is each one moved over its
target with an atomic rename. A failed or interrupted build leaves the previous outputs
untouched; a file that already holds the same bytes is not rewritten.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from ccrl_kit.errors import BuildError


def safe_target(out: Path, relative: str) -> Path:
    """``out / relative``, refusing any path that would land outside ``out``."""
    rel = PurePosixPath(relative)
    if rel.is_absolute() or ".." in rel.parts or not rel.parts:
        raise BuildError(f"refusing to write outside the output folder: {relative}")
    return out.joinpath(*rel.parts)


class Staging:
    """Outputs of one build, held on disk (not in memory) until :meth:`commit`."""

    def __init__(self, out: Path):
        self.out = out
        self.folder: Path | None = None
        self.staged: dict[str, Path] = {}  # relative target -> staged file
        self.unchanged: list[str] = []
        self.made_out = False  # the output folder did not exist before this build

    def add(self, relative: str, data: bytes) -> None:
        target = safe_target(self.out, relative)
        if _same(target, data):
            self.unchanged.append(relative)
            return
        try:
            if self.folder is None:
                self.made_out = not self.out.exists()
                self.out.mkdir(parents=True, exist_ok=True)
                self.folder = Path(tempfile.mkdtemp(prefix=".staging-", dir=self.out))
            staged = self.folder / f"{len(self.staged)}.part"
            with open(staged, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as exc:
            raise BuildError(f"cannot write {exc.filename or self.out}: {exc.strerror}") from None
        self.staged[relative] = staged

    def commit(self) -> tuple[list[str], list[str]]:
        """Move every staged file into place; return (written, unchanged)."""
        try:
            targets = {rel: safe_target(self.out, rel) for rel in self.staged}
            for path in targets.values():
                path.parent.mkdir(parents=True, exist_ok=True)
            _check_writable(list(targets.values()))
            with _no_interrupts():
                for rel, staged in self.staged.items():
                    os.replace(staged, targets[rel])
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
            if self.made_out and not any(self.out.iterdir()):
                self.out.rmdir()


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
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _check_writable(paths: list[Path]) -> None:
    """Fail before anything moves if a target cannot be replaced (e.g. locked by PowerPoint
    on Windows), so no build ends half moved into place."""
    for path in paths:
        if path.exists():
            try:
                fd = os.open(path, os.O_RDWR)
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
