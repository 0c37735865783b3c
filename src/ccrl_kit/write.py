"""Stage 6, write: bytes -> files under the output folder, staged, then moved into place.

Nothing is written until every output of the build exists in memory; then all files go to a
staging folder inside the output folder (same file system) and each is moved over its target
with an atomic rename. A failed build leaves the previous outputs untouched; a file that already
holds the same bytes is not rewritten.
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


def write_outputs(out: Path, files: dict[str, bytes]) -> tuple[list[str], list[str]]:
    """Write ``files`` (relative path -> bytes); return (written, unchanged)."""
    targets = {rel: safe_target(out, rel) for rel in files}
    changed = [rel for rel, path in targets.items() if not _same(path, files[rel])]
    unchanged = [rel for rel in files if rel not in changed]
    if not changed:
        return [], unchanged
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=out))
    try:
        for rel in changed:
            staged = staging / f"{len(os.listdir(staging))}.part"
            with open(staged, "wb") as fh:
                fh.write(files[rel])
                fh.flush()
                os.fsync(fh.fileno())
            targets[rel].parent.mkdir(parents=True, exist_ok=True)
        _check_writable([targets[rel] for rel in changed])
        with _no_interrupts():
            for i, rel in enumerate(changed):
                os.replace(staging / f"{i}.part", targets[rel])
    except OSError as exc:
        raise BuildError(f"cannot write {exc.filename or out}: {exc.strerror}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return changed, unchanged


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
