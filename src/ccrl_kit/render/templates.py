"""Document templates a trainer may supply: found, read and run within limits.

Templates come from the template search path only (``--templates``, the workspace's
``templates/``, the built-in ones). A template must be a regular file inside its folder (a link
that leaves the folder is refused), at most :data:`MAX_TEMPLATE_BYTES`, and UTF-8; anything
else is a one-line error naming the file (and, for bad bytes, the line and column).

Jinja2 templates run in a sandbox with ``StrictUndefined`` and autoescaping, within a time limit
and an output-size limit; arithmetic and calls that would build huge values fail at once.
"""

from __future__ import annotations

import ctypes
import dataclasses
import functools
import os
import re
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ccrl_kit.errors import BuildError

MAX_TEMPLATE_BYTES = 1 << 20  # one template file
MAX_FOLDER_ENTRIES = 2000  # files a Typst template folder may hold (it is scanned each build)
RENDER_SECONDS = 10.0  # rendering one document from a template
MAX_OUTPUT_CHARS = 64 << 20  # what one template may produce
MAX_VALUE = 1 << 20  # the largest string, sequence or number a template may build or pass


def _inside(folder: Path, path: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def _check_name(name: str) -> None:
    parts = name.replace("\\", "/").split("/")
    if not name or name.startswith("/") or ".." in parts or ":" in parts[0]:
        raise BuildError(f"template name '{name}' is not a file inside a template folder")


def locate(search: list[Path], name: str) -> tuple[Path, Path] | None:
    """The first (folder, file) on the search path holding ``name``, checked; None if none."""
    _check_name(name)
    for folder in search:
        path = folder / name
        if os.path.lexists(path):
            check_file(folder, path)
            return folder, path
    return None


def check_file(folder: Path, path: Path) -> os.stat_result:
    """Refuse ``path`` unless it is a regular file inside ``folder`` and small enough."""
    shown = _shown(folder, path)
    if not _inside(folder, path):
        raise BuildError(f"template {shown}: a link that leads outside its folder {folder}")
    try:
        st = path.stat()
    except OSError as exc:
        raise BuildError(f"template {shown}: cannot be read ({exc.strerror})") from None
    if not stat.S_ISREG(st.st_mode):
        raise BuildError(f"template {shown}: not a regular file")
    return st


def read_text(folder: Path, path: Path) -> str:
    """A template's text, read under the rule for every file the tool reads
    (:mod:`ccrl_kit.files`): inside ``folder`` (a link out of it is refused), a
    regular file, at most :data:`MAX_TEMPLATE_BYTES`, UTF-8."""
    from ccrl_kit.files import FileError, decode, read_bytes

    shown = f"template {_shown(folder, path)}"
    try:
        return decode(read_bytes(path, shown, inside=folder, limit=MAX_TEMPLATE_BYTES),
                      shown)
    except FileError as exc:
        raise BuildError(str(exc.problem)) from None


def _shown(folder: Path, path: Path) -> str:
    try:
        return str(path.relative_to(folder))
    except ValueError:
        return path.name


def check_folder(folder: Path) -> None:
    """Refuse a folder Typst will read from if anything in it leads outside it, or is not a
    regular file (a pipe would hang the build), or is a template too large to be one."""
    count = 0
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            entries = list(os.scandir(current))
        except OSError as exc:
            raise BuildError(f"template folder {current}: cannot be read ({exc.strerror})") \
                from None
        for entry in entries:
            count += 1
            if count > MAX_FOLDER_ENTRIES:
                raise BuildError(f"template folder {folder}: more than {MAX_FOLDER_ENTRIES} "
                                 "files; keep only templates, fonts and images there")
            path = Path(entry.path)
            if entry.is_symlink() and not _inside(folder, path):
                raise BuildError(f"template {_shown(folder, path)}: a link that leads outside "
                                 f"its folder {folder}")
            if entry.is_dir(follow_symlinks=False):
                stack.append(path)
            elif not entry.is_symlink() and not entry.is_file(follow_symlinks=False):
                raise BuildError(f"template {_shown(folder, path)}: not a regular file")
            elif entry.name.endswith(".typ"):
                read_text(folder, path)


# ---------------------------------------------------------------------------------------------
# Limits


class _TimeUp(BaseException):
    """Raised inside the rendering thread when its time is up (never seen by users)."""


@contextmanager
def time_limit(seconds: float, what: str) -> Iterator[None]:
    """Stop the code in the ``with`` block after ``seconds`` with a :class:`BuildError`.

    A watchdog thread raises an exception in this thread between two Python bytecodes, so
    even a loop that calls nothing is stopped (long single C calls are kept small by the
    sandbox's value limits instead).
    """
    target = threading.get_ident()
    done = threading.Event()
    fired: list[bool] = []

    def watch() -> None:
        if not done.wait(seconds):
            fired.append(True)
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target),
                                                       ctypes.py_object(_TimeUp))

    watchdog = threading.Thread(target=watch, name="ccrl-template-watchdog", daemon=True)
    watchdog.start()
    try:
        yield
    except _TimeUp:
        raise BuildError(f"{what}: stopped after {seconds:g} seconds (a loop that does not "
                         "end?)") from None
    finally:
        done.set()
        watchdog.join()
        if fired:  # an exception not yet delivered must not surface later
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), None)


_FORMAT_WIDTH = re.compile(r"\d{5,}")


def _too_big(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return abs(value) > MAX_VALUE
    if isinstance(value, str | bytes | list | tuple | dict):
        return len(value) > MAX_VALUE
    return False


@functools.cache
def _plan_fields(kind: type) -> frozenset[str]:
    """The fields of a frozen dataclass of the plan stage (nothing for any other type)."""
    if not (dataclasses.is_dataclass(kind) and kind.__module__.startswith("ccrl_kit.plan.")
            and kind.__dataclass_params__.frozen):  # type: ignore[attr-defined]
        return frozenset()
    return frozenset(f.name for f in dataclasses.fields(kind) if not f.name.startswith("_"))


_COMPILED: dict[str, bytes] = {}  # compiled template code, by template name (see below)


def make_environment(search: list[Path]):
    """A sandboxed Jinja2 environment over the template search path."""
    from jinja2 import BaseLoader, BytecodeCache, StrictUndefined, TemplateNotFound
    from jinja2.sandbox import SandboxedEnvironment, SecurityError
    from jinja2.utils import Namespace

    def refuse(message: str):
        raise SecurityError(message)

    class Loader(BaseLoader):
        def get_source(self, environment, template: str):
            found = locate(search, template)
            if found is None:
                raise TemplateNotFound(template)
            folder, path = found
            text = read_text(folder, path)
            mtime = path.stat().st_mtime_ns
            return text, str(path), lambda: path.exists() and path.stat().st_mtime_ns == mtime

    class Checked(Namespace):
        def __setitem__(self, name: str, value: object) -> None:
            if _too_big(value):
                refuse("value too large for a template")
            super().__setitem__(name, value)

    class Limited(SandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**", "%", "+"})

        def call_binop(self, context, operator, left, right):
            if operator == "**" and isinstance(right, int | float) and abs(right) > 64 and (
                    not isinstance(left, int | float) or abs(left) > 1):
                refuse("exponent too large for a template")
            if operator == "*":
                for seq, n in ((left, right), (right, left)):
                    if isinstance(seq, str | list | tuple) and isinstance(n, int) and (
                            len(seq) * n > MAX_VALUE):
                        refuse("value too large for a template")
            if operator == "+" and isinstance(left, str | list | tuple) and isinstance(
                    right, str | list | tuple) and len(left) + len(right) > MAX_VALUE:
                refuse("value too large for a template")
            if operator == "%" and isinstance(left, str) and _FORMAT_WIDTH.search(left):
                refuse("format width too large for a template")
            return super().call_binop(context, operator, left, right)

        def call(__self, __context, __obj, *args, **kwargs):
            if any(_too_big(a) for a in (*args, *kwargs.values())):
                refuse("value too large for a template")
            return super().call(__context, __obj, *args, **kwargs)

        def getattr(self, obj, attribute):
            # the fields of a document plan's blocks are data: no check needed (the hot path
            # of every template); anything else goes through the sandbox's checks
            if attribute in _plan_fields(type(obj)):
                return obj.__dict__[attribute]
            return super().getattr(obj, attribute)

        def wrap_str_format(self, value):
            wrapped = super().wrap_str_format(value)
            if wrapped is not None and _FORMAT_WIDTH.search(value.__self__):
                refuse("format width too large for a template")
            return wrapped

    class Compiled(BytecodeCache):
        """A process that builds several workspaces (a preview across courses, the tests)
        compiles each template once: Jinja checks the source's checksum on every load, so
        an edited template is compiled again."""

        def get_cache_key(self, name: str, filename: str | None = None) -> str:
            return name  # the same template copied into another workspace is the same code

        def load_bytecode(self, bucket) -> None:
            if bucket.key in _COMPILED:
                bucket.bytecode_from_string(_COMPILED[bucket.key])

        def dump_bytecode(self, bucket) -> None:
            _COMPILED[bucket.key] = bucket.bytecode_to_string()

    env = Limited(loader=Loader(), autoescape=True, undefined=StrictUndefined,
                  trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                  bytecode_cache=Compiled())
    env.globals["namespace"] = Checked

    def guarded(name: str, filter_):
        """The filter, refusing huge arguments (``center(10**9)``); the filtered value itself
        (the first argument, after a context for filters that take one) may be large."""
        skip = 2 if hasattr(filter_, "jinja_pass_arg") else 1

        def run(*args, **kwargs):
            if any(_too_big(a) for a in args[skip:]) or any(
                    _too_big(v) for v in kwargs.values()):
                refuse(f"value too large for the filter '{name}'")
            return filter_(*args, **kwargs)

        if hasattr(filter_, "jinja_pass_arg"):
            run.jinja_pass_arg = filter_.jinja_pass_arg  # type: ignore[attr-defined]
        return run

    env.filters = {name: guarded(name, f) for name, f in env.filters.items()}
    return env


def render(env, name: str, **values) -> str:
    """Render template ``name`` within the time and output limits; every failure is a
    one-line error naming the template and, where known, its line."""
    from jinja2 import TemplateNotFound

    parts: list[str] = []
    size = 0
    try:
        with time_limit(RENDER_SECONDS, f"template {name}"):
            template = env.get_template(name)
            for chunk in template.generate(**values):
                size += len(chunk)
                if size > MAX_OUTPUT_CHARS:
                    raise BuildError(f"template {name}: output larger than "
                                     f"{MAX_OUTPUT_CHARS >> 20} MiB")
                parts.append(chunk)
    except (BuildError, KeyboardInterrupt):
        raise
    except TemplateNotFound as exc:
        raise BuildError(f"template '{exc.name}' not found on the template path") from None
    except RecursionError:
        where, line = _position(None, name)
        raise BuildError(f"template {where}{line}: calls itself without end") from None
    except MemoryError:
        raise BuildError(f"template {name}: ran out of memory") from None
    except Exception as exc:  # anything a template does wrong is the template's error
        where, line = _position(exc, name)
        raise BuildError(f"template {where}{line}: {_one_line(exc)}") from None
    return "".join(parts)


def _one_line(exc: Exception) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 300 else text[:297] + "..."


def _position(exc: Exception | None, name: str) -> tuple[str, str]:
    """Where in a template an error happened: syntax errors carry it; errors while rendering
    are found in the traceback, which Jinja rewrites to template lines."""
    import sys
    import traceback

    line = getattr(exc, "lineno", None)
    if line:
        return Path(getattr(exc, "filename", None) or name).name, f":{line}"
    tb = exc.__traceback__ if exc is not None else sys.exc_info()[2]
    frames = [f for f in traceback.extract_tb(tb) if f.filename.endswith(".j2")]
    if frames:
        return Path(frames[-1].filename).name, f":{frames[-1].lineno}"
    return name, ""
