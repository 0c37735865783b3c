"""The pipeline: load -> validate -> resolve -> plan -> render -> write, for every output.

Outputs are split into tasks (one document of one audience in one language); tasks whose inputs
have not changed are skipped, the rest run in parallel processes, and only when every task has
succeeded are the files written, atomically.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import sys
from collections.abc import Callable, Generator, Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any, cast

from ccrl_kit.build.staging import Staging
from ccrl_kit.build.tasks import Result, Task, run, tasks_for
from ccrl_kit.content.workspace import Workspace, load_workspace
from ccrl_kit.errors import BuildError
from ccrl_kit.settings import FORMATS, Settings, build_timestamp

__all__ = ["FORMATS", "Report", "Settings", "build"]

Progress = Callable[[str, Task], None]  # ("start" | "done" | "skip", task)


@dataclass
class Report:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    dropped: dict[str, tuple[str, ...]] = field(default_factory=dict)  # target -> what went
    built: list[str] = field(default_factory=list)  # tasks rendered
    skipped: list[str] = field(default_factory=list)  # tasks up to date
    warnings: list[str] = field(default_factory=list)  # what a trainer should know


def choose_course(ws: Workspace, wanted: str | None) -> str:
    if wanted:
        key = Path(wanted).stem if wanted.endswith((".yaml", ".yml")) else wanted
        if key not in ws.courses:
            raise BuildError(f"unknown course '{wanted}' (known: {', '.join(sorted(ws.courses))})")
        return key
    if ws.default_course:
        return ws.default_course
    if not ws.courses:
        raise BuildError("no course in this workspace: add one (ccrl new course ID)")
    raise BuildError(f"several courses here ({', '.join(sorted(ws.courses))}): name one "
                     "(ccrl build COURSE), or set 'default_course:' in ccrl.yaml")


def _check(ws: Workspace, course_id: str, settings: Settings) -> tuple[tuple, tuple, list[str]]:
    """The audiences and languages to build, and warnings about them; refuses an audience the
    course does not list (unless forced) and a code that is not a language."""
    from ccrl_kit.content.languages import is_language, unknown_language

    course = ws.courses[course_id]
    audiences = settings.audiences or tuple(course.audiences)
    warnings: list[str] = []
    for aid in audiences:
        if aid not in ws.audiences:
            raise BuildError(f"unknown audience '{aid}' (known: {', '.join(sorted(ws.audiences))})")
        if aid not in course.audiences:
            listed = f"course '{course_id}' is for: {', '.join(course.audiences)}"
            if not settings.force:
                raise BuildError(f"audience '{aid}' is not an audience of this course ({listed});"
                                 f" add it to the course's 'audiences:', or build with --force")
            warnings.append(f"building for '{aid}', which is not an audience of this course "
                            f"({listed})")
    languages = settings.languages or (course.languages[0],)
    for code in languages:
        for lang in code.split("+"):
            if not is_language(lang):
                raise BuildError(unknown_language(lang))
    from ccrl_kit.resolve.labels import fallback_warnings

    kinds = [kind for kind, wanted in (
        ("deck", {"pptx"}), ("facilitator-guide", {"html", "pdf", "docx"}),
        ("participant-handout", {"html", "pdf", "docx"}), ("certificates", {"pdf"}))
        if wanted & set(settings.formats)]
    warnings += fallback_warnings(ws, course_id, audiences, languages, kinds)
    return audiences, languages, warnings


def build(settings: Settings, progress: Progress | None = None,
          select: Callable[[Task], bool] | None = None) -> Report:
    """Build what ``settings`` ask for; with ``select``, only the tasks it accepts (the rest
    are neither built nor checked)."""
    from ccrl_kit.build.cache import BuildCache

    stamp = build_timestamp()  # an invalid SOURCE_DATE_EPOCH stops the build before any work
    ws = load_workspace(settings.workspace)
    course_id = choose_course(ws, settings.course)
    audiences, languages, warnings = _check(ws, course_id, settings)
    report = Report(warnings=warnings)
    if settings.deck_template and "pptx" in settings.formats:
        from ccrl_kit.render.pptx_package import check_template

        report.warnings.extend(check_template(settings.deck_template,
                                              keep_external=settings.keep_external))
    names: tuple[str, ...] = ()
    if settings.participants:
        from ccrl_kit.content.participants import read_names

        names = read_names(settings.participants)
    out = settings.out or settings.workspace / "output"
    if out.exists() and not out.is_dir():
        raise BuildError(f"cannot write into {out}: it is not a folder")
    with _stoppable() as stop, _clock_fixed_at(stamp):
        cache = BuildCache(out)
        todo: list[tuple[Task, str]] = []
        for task in tasks_for(course_id, audiences, languages, settings.formats):
            if select is not None and not select(task):
                continue
            key = cache.key(task, ws, settings)
            if cache.fresh(task, key):
                report.skipped.append(task.label)
                if progress:
                    progress("skip", task)
            else:
                todo.append((task, key))
        staging = Staging(out)
        try:
            with _temporary_files_in(staging.scratch() if todo else None), \
                    closing(_render_all(todo, ws, settings, names, progress)) as results:
                for task, key, result in results:
                    stop.check()
                    for rel, data in result.files.items():
                        staging.add(rel, data)
                    cache.record(task, key, result.files)
                    report.built.append(task.label)
                    if result.dropped:
                        report.dropped[f"{task.audience}/{task.lang}"] = result.dropped
            if todo:
                cache.stage(staging)
            stop.check()
        except BaseException:
            staging.discard()
            raise
        report.written, report.unchanged = staging.commit()
        report.warnings.extend(staging.warnings)
    return report


@contextmanager
def _temporary_files_in(folder: Path | None) -> Iterator[None]:
    """Temporary files of the renderers (and of their worker processes) in ``folder``, which
    the build removes whatever happens, instead of the system's folder, where a worker that
    ends without clean-up would leave them."""
    if folder is None:
        yield
        return
    import tempfile

    saved = tempfile.tempdir, os.environ.get("TMPDIR")
    tempfile.tempdir = str(folder)
    os.environ["TMPDIR"] = str(folder)
    try:
        yield
    finally:
        tempfile.tempdir = saved[0]
        if saved[1] is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = saved[1]


@contextmanager
def _clock_fixed_at(stamp: dt.datetime) -> Iterator[None]:
    """Libraries that stamp the time of day into what they write (fontTools dates the font
    subsets a PDF embeds) read SOURCE_DATE_EPOCH: set it to the build's time while building,
    so the same input gives the same bytes."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = str(int(stamp.replace(tzinfo=dt.timezone.utc).timestamp()))
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Stop:
    """Ctrl-C or SIGTERM during a build: raised at once as KeyboardInterrupt, and remembered,
    because Python drops an exception raised where it cannot propagate (a clean-up hook run
    while a worker is forked); :meth:`check` raises it again at the next safe point."""

    def __init__(self) -> None:
        self.signal: int | None = None

    def handle(self, signum: int, frame: object) -> None:
        self.signal = signum
        raise KeyboardInterrupt(f"stopped by signal {signum}")

    def check(self) -> None:
        if self.signal is not None:
            raise KeyboardInterrupt(f"stopped by signal {self.signal}")


@contextmanager
def _stoppable() -> Iterator[Stop]:
    """SIGTERM stops a build the way Ctrl-C does: staged files are discarded, worker processes
    stopped, the previous outputs left as they were. A signal someone else chose to handle or
    ignore is left alone."""
    stop = Stop()
    previous: dict[signal.Signals, Any] = {}
    try:
        for sig in STOP_SIGNALS:
            current = signal.getsignal(sig)
            if current in (signal.SIG_DFL, signal.default_int_handler):
                previous[sig] = signal.signal(sig, stop.handle)
    except ValueError:  # not the main thread: signals are handled elsewhere
        pass
    try:
        yield stop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM while a worker is forked (they arrive right after)."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)


def _render_all(todo: list[tuple[Task, str]], ws: Workspace, settings: Settings,
                names: tuple[str, ...],
                progress: Progress | None) -> Generator[tuple[Task, str, Result], None, None]:
    """Run ``tasks``, each in a process of its own when ``settings.jobs`` allows more than one.

    A process per task returns all its memory when it ends (a PDF renderer keeps what it
    grew to). A facilitator guide's PDF, the largest typesetting, is left by its task and set
    in a process forked from this one, which holds far less than the task's worker did; one
    large typesetting runs at a time, so a parallel build's peak memory stays close to one
    large document's. Every worker is stopped on every way out of here
    (an error, Ctrl-C, SIGTERM, the caller giving up), and a worker stops by itself when the
    build's process dies (``kill -9``).
    """
    tasks = [task for task, _ in todo]
    jobs = max(1, min(settings.jobs, len(tasks)))
    if jobs == 1:
        for task, key in todo:
            if progress:
                progress("start", task)
            result = run(task, ws, settings, names)
            if progress:
                progress("done", task)
            yield task, key, result
        return
    import multiprocessing
    from multiprocessing.connection import Connection, wait

    from ccrl_kit.render.typst import has_run

    context: Any
    # fork shares the parent's pages; not after Typst has run here (its threads are not copied)
    if "fork" in multiprocessing.get_all_start_methods() and not has_run():
        context = multiprocessing.get_context("fork")
        _preload_renderers()  # forked children then share the renderers' code ...
        import gc

        gc.freeze()  # ... and the garbage collector leaves the shared pages unwritten
    else:
        context = multiprocessing.get_context("spawn")
    waiting = sorted(range(len(tasks)), key=lambda i: tasks[i].cost, reverse=True)
    # receiving end -> (worker, task index, whether it typesets what the task left)
    running: dict[Any, tuple[Any, int, bool]] = {}
    left: dict[int, Result] = {}  # results whose PDFs are still to typeset ...
    typeset: list[int] = []  # ... in this order, one process at a time
    heavy = context.Lock()  # one large typesetting at a time (see tasks.run)
    work: Callable[[Callable[[], None]], object]
    try:
        while waiting or running or typeset:
            while len(running) < jobs:
                if typeset and not any(t for _, _, t in running.values()):
                    i, later = typeset.pop(0), True
                    work = partial(_typeset, left[i].later)
                elif waiting:
                    found = _next_task(waiting, [tasks[j] for _, j, _ in running.values()],
                                       tasks)
                    if found is None:
                        break
                    i, later = found, False
                    work = partial(run, tasks[i], ws, settings, names)
                else:
                    break
                receive, send = context.Pipe(duplex=False)
                others = [conn.fileno() for conn in running]  # a child keeps no other's pipe
                child = context.Process(target=_child, args=(send, work, tasks[i].label,
                                                             os.getpid(), others, heavy),
                                        daemon=True)
                with _signals_held():
                    child.start()
                send.close()
                running[receive] = (child, i, later)
                if progress and not later:
                    progress("start", tasks[i])
            for ready in wait(list(running)):
                child, i, later = running.pop(ready)
                conn = cast(Connection, ready)
                try:
                    status, payload = conn.recv()
                except (EOFError, OSError):  # the child died without a word (killed, no memory)
                    child.join()
                    status, payload = "error", BuildError(
                        f"{tasks[i].label}: the rendering process stopped "
                        f"(exit code {child.exitcode})")
                conn.close()
                child.join()
                if status == "error":
                    raise payload
                if later:
                    done = left.pop(i)
                    payload = replace(done, files={**done.files, **payload},
                                                  later={})
                elif payload.later:
                    left[i] = payload
                    typeset.append(i)
                    continue
                if progress:
                    progress("done", tasks[i])
                yield tasks[i], todo[i][1], payload
    finally:
        _stop(running)


def _stop(running: dict) -> None:
    """Stop every worker still running: ask, then insist."""
    for conn, (child, *_) in running.items():
        if child.is_alive():
            child.terminate()
        conn.close()
    for child, *_ in running.values():
        child.join(timeout=2)
        if child.is_alive():
            child.kill()
            child.join()


def _child(conn, work: Callable[[Callable[[], None]], object], label: str, parent: int,
           others: list[int], heavy) -> None:
    """Do ``work`` (a task, or the typesetting a task left) in a child process and send back
    what it returns (or its error). ``work`` is handed a function that takes the heavy step's
    lock, which is held until the result is sent: the memory that step took goes only when
    this process ends, so the next heavy step waits for that."""
    _bind_to_parent(parent)
    for fd in others:  # another worker's pipe held open here would keep that worker blocked
        with suppress(OSError):
            os.close(fd)
    held: list[bool] = []

    def take() -> None:
        if not held:
            heavy.acquire()
            held.append(True)

    try:
        conn.send(("ok", work(take)))
    except BaseException as exc:
        try:
            conn.send(("error", exc))
        except Exception:  # an error that cannot be pickled
            conn.send(("error", BuildError(f"{label}: {exc}")))
    finally:
        conn.close()
        if held:
            heavy.release()


def _typeset(later: dict[str, Callable[[], bytes]], take: Callable[[], None]
             ) -> dict[str, bytes]:
    """The PDFs a task left, typeset as the heavy step, in a process forked from the build's
    (which holds less than the task's worker did)."""
    take()
    return {rel: typeset() for rel, typeset in later.items()}


def _bind_to_parent(parent: int) -> None:
    """Make this worker end when the build's process ends, however it ends: SIGTERM ends it
    at once (the parent's handlers are not inherited), Ctrl-C is the parent's to handle, and
    on Linux the kernel kills it when the parent dies (even by ``kill -9``)."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)  # held while forking
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)


def _preload_renderers() -> None:
    import typst  # noqa: F401

    import ccrl_kit.render.docx
    import ccrl_kit.render.html
    import ccrl_kit.render.pptx
    import ccrl_kit.render.typst  # noqa: F401


def _next_task(waiting: list[int], busy: list[Task], tasks: list[Task]) -> int | None:
    """The costliest waiting task that fits beside the running ones in the memory budget
    (two long PDFs laid out at once would double the build's peak); none if none fits."""
    used = sum(t.memory for t in busy)
    for n, i in enumerate(waiting):
        if not busy or used + tasks[i].memory <= MEMORY_BUDGET:
            return waiting.pop(n)
    return None


# MiB the tasks running at once may need beyond what every process shares (the parent, the
# interpreter and the renderers' code): a long guide's PDF runs beside light tasks only, which
# keeps the whole build under 400 MiB (bench/run.py measures it)
MEMORY_BUDGET = 400


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)
