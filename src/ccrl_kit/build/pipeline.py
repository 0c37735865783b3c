"""The pipeline: load -> validate -> resolve -> plan -> render -> write, for every output.

Outputs are split into tasks (one document of one audience in one language); tasks whose inputs
have not changed are skipped, the rest run in parallel processes, and only when every task has
succeeded are the files written, atomically.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ccrl_kit.build.staging import Staging
from ccrl_kit.build.tasks import Result, Task, run, tasks_for
from ccrl_kit.content.workspace import Workspace, load_workspace
from ccrl_kit.errors import BuildError
from ccrl_kit.settings import FORMATS, Settings

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


def build(settings: Settings, progress: Progress | None = None) -> Report:
    from ccrl_kit.build.cache import BuildCache, task_key

    ws = load_workspace(settings.workspace)
    course_id = choose_course(ws, settings.course)
    audiences, languages, warnings = _check(ws, course_id, settings)
    names: tuple[str, ...] = ()
    if settings.participants:
        from ccrl_kit.content.participants import read_names

        names = read_names(settings.participants)
    out = settings.out or settings.workspace / "output"
    cache = BuildCache(out)
    report = Report(warnings=warnings)
    todo: list[tuple[Task, str]] = []
    for task in tasks_for(course_id, audiences, languages, settings.formats):
        key = task_key(task, ws, settings)
        if cache.fresh(task, key):
            report.skipped.append(task.label)
            if progress:
                progress("skip", task)
        else:
            todo.append((task, key))
    staging = Staging(out)
    try:
        for task, key, result in _render_all(todo, ws, settings, names, progress):
            for rel, data in result.files.items():
                staging.add(rel, data)
            cache.record(task, key, result.files)
            report.built.append(task.label)
            if result.dropped:
                report.dropped[f"{task.audience}/{task.lang}"] = result.dropped
    except BaseException:
        staging.discard()
        raise
    report.written, report.unchanged = staging.commit()
    if todo:
        cache.save()
    return report


def _render_all(todo: list[tuple[Task, str]], ws: Workspace, settings: Settings,
                names: tuple[str, ...],
                progress: Progress | None) -> Iterator[tuple[Task, str, Result]]:
    """Run ``tasks``, each in a process of its own when ``settings.jobs`` allows more than one.

    A process per task returns all its memory when it ends (a PDF renderer keeps what it
    grew to), and at most one heavy task runs at a time, so a parallel build's peak memory
    stays close to one large document's.
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
    from multiprocessing.connection import wait

    from ccrl_kit.render.typst import has_run

    # fork shares the parent's pages; not after Typst has run here (its threads are not copied)
    if "fork" in multiprocessing.get_all_start_methods() and not has_run():
        context = multiprocessing.get_context("fork")
        _preload_renderers()  # forked children then share the renderers' code ...
        import gc

        gc.freeze()  # ... and the garbage collector leaves the shared pages unwritten
    else:
        context = multiprocessing.get_context("spawn")
    waiting = sorted(range(len(tasks)), key=lambda i: tasks[i].cost, reverse=True)
    running: dict = {}
    try:
        while waiting or running:
            while waiting and len(running) < jobs:
                i = _next_task(waiting, [tasks[j] for _, j in running.values()], tasks)
                if i is None:
                    break
                receive, send = context.Pipe(duplex=False)
                child = context.Process(target=_child, args=(send, tasks[i], ws, settings, names),
                                        daemon=True)
                child.start()
                send.close()
                running[receive] = (child, i)
                if progress:
                    progress("start", tasks[i])
            for conn in wait(list(running)):
                child, i = running.pop(conn)
                try:
                    status, payload = conn.recv()
                except EOFError:  # the child died without a word (killed, out of memory)
                    child.join()
                    status, payload = "error", BuildError(
                        f"{tasks[i].label}: the rendering process stopped "
                        f"(exit code {child.exitcode})")
                conn.close()
                child.join()
                if status == "error":
                    raise payload
                if progress:
                    progress("done", tasks[i])
                yield tasks[i], todo[i][1], payload
    finally:
        for child, _ in running.values():
            child.terminate()
            child.join()


def _child(conn, task: Task, ws: Workspace, settings: Settings, names: tuple[str, ...]) -> None:
    """Run one task in a child process and send back its result (or its error)."""
    try:
        conn.send(("ok", run(task, ws, settings, names)))
    except BaseException as exc:
        try:
            conn.send(("error", exc))
        except Exception:  # an error that cannot be pickled
            conn.send(("error", BuildError(f"{task.label}: {exc}")))
    finally:
        conn.close()


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
MEMORY_BUDGET = 280


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)
