"""One unit of rendering work: a document of one audience in one language, in its formats.

A task is small and picklable so that builds can run tasks in parallel processes; running a
task is a pure function of the workspace, the settings and the task.
"""

from __future__ import annotations

from dataclasses import dataclass

from ccrl_kit.content.workspace import Workspace
from ccrl_kit.errors import BuildError
from ccrl_kit.settings import Settings, find_template, template_path

SPLIT = ("facilitator-guide", "participant-handout")  # PDF in one task, HTML and Word in another

# measured on the default course (a 140-page guide, a 70-page handout): seconds and MiB
COST = {("facilitator-guide", True): 10.0, ("participant-handout", True): 4.0,
        ("facilitator-guide", False): 2.0, ("participant-handout", False): 1.0,
        ("deck", False): 1.3, ("certificates", True): 0.1}
MEMORY = {("facilitator-guide", True): 175, ("participant-handout", True): 105}


@dataclass(frozen=True)
class Task:
    course: str
    audience: str
    lang: str  # "ru", or "en+ru" for a bilingual deck
    kind: str  # deck | facilitator-guide | participant-handout | certificates
    formats: tuple[str, ...]

    @property
    def folder(self) -> str:
        return f"{self.course}/{self.audience}/{self.lang}"

    @property
    def label(self) -> str:
        return f"{self.audience}/{self.lang}/{self.kind}" + (
            f" ({', '.join(self.formats)})" if self.kind in SPLIT else "")

    @property
    def cost(self) -> float:
        """Rough seconds to render, for scheduling the longest first."""
        return COST.get((self.kind, "pdf" in self.formats), 1.0)

    @property
    def memory(self) -> int:
        """Rough MiB a process needs for this task beyond what all processes share."""
        return MEMORY.get((self.kind, "pdf" in self.formats), 30)

    def outputs(self) -> tuple[str, ...]:
        """The files this task writes, relative to the output folder."""
        if self.kind == "deck":
            return (f"{self.folder}/deck.pptx",)
        if self.kind == "certificates":
            return (f"{self.folder}/certificates.pdf",)
        return tuple(f"{self.folder}/{self.kind}.{fmt}" for fmt in self.formats)


@dataclass(frozen=True)
class Result:
    files: dict[str, bytes]
    dropped: tuple[str, ...] = ()


def tasks_for(course: str, audiences: tuple[str, ...], languages: tuple[str, ...],
              formats: tuple[str, ...]) -> list[Task]:
    tasks: list[Task] = []
    docs = tuple(f for f in formats if f in ("html", "pdf", "docx"))
    for aid in audiences:
        for lang in languages:
            if "+" in lang:  # a bilingual deck only
                tasks.append(Task(course, aid, lang, "deck", ("pptx",)))
                continue
            if "pptx" in formats:
                tasks.append(Task(course, aid, lang, "deck", ("pptx",)))
            for kind in SPLIT:
                if "pdf" in docs:
                    tasks.append(Task(course, aid, lang, kind, ("pdf",)))
                if set(docs) - {"pdf"}:
                    tasks.append(Task(course, aid, lang, kind, tuple(f for f in docs
                                                                     if f != "pdf")))
            if "pdf" in formats:
                tasks.append(Task(course, aid, lang, "certificates", ("pdf",)))
    return tasks


def run(task: Task, ws: Workspace, settings: Settings, names: tuple[str, ...]) -> Result:
    """Resolve, plan and render one task; nothing is written here."""
    from ccrl_kit.plan.deck import merge_bilingual, plan_deck
    from ccrl_kit.resolve.labels import Labels
    from ccrl_kit.resolve.resolver import resolve
    from ccrl_kit.settings import build_timestamp

    search = template_path(settings)
    stamp = build_timestamp()
    langs = task.lang.split("+")
    courses = [resolve(ws, task.course, task.audience, lang, settings.minutes) for lang in langs]
    labels = [Labels(lang) for lang in langs]
    course, first = courses[0], labels[0]
    base = task.folder
    if task.kind == "deck":
        from ccrl_kit.render.pptx import render_pptx

        plans = [plan_deck(c, lab) for c, lab in zip(courses, labels, strict=True)]
        plan = merge_bilingual(*plans) if len(plans) == 2 else plans[0]
        continued = " ".join(lab["continued"] for lab in labels)
        data = render_pptx(
            plan, settings.deck_template or find_template(search, "deck.pptx"),
            find_template(search, "fonts/NotoSans-Regular.ttf").parent,
            continued=continued, timestamp=stamp,
        )
        return Result({f"{base}/deck.pptx": data}, course.dropped)
    from ccrl_kit.plan.documents import (
        plan_certificates,
        plan_facilitator_guide,
        plan_participant_handout,
    )
    from ccrl_kit.render.html import make_environment, render_html
    from ccrl_kit.render.pdf import render_pdf

    env = make_environment(search)
    css_base = find_template(search, "handout.css").parent
    if task.kind == "certificates":
        html = render_html(plan_certificates(course, names, first), env, settings.paper)
        return Result({f"{base}/certificates.pdf": render_pdf(html, css_base)}, course.dropped)
    if task.kind == "facilitator-guide":
        plan = plan_facilitator_guide(course, plan_deck(course, first), first)
    elif task.kind == "participant-handout":
        plan = plan_participant_handout(course, first)
    else:
        raise BuildError(f"unknown output '{task.kind}'")
    files: dict[str, bytes] = {}
    if {"html", "pdf"} & set(task.formats):
        html = render_html(plan, env, settings.paper)
        if "html" in task.formats:
            files[f"{base}/{task.kind}.html"] = html.encode("utf-8")
        if "pdf" in task.formats:
            files[f"{base}/{task.kind}.pdf"] = render_pdf(html, css_base)
    if "docx" in task.formats:
        from ccrl_kit.render.docx import render_docx

        files[f"{base}/{task.kind}.docx"] = render_docx(plan, settings.paper, stamp)
    return Result(files, course.dropped)
