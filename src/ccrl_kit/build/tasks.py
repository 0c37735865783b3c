"""One unit of rendering work: a document of one audience in one language, in its formats.

A task is small and picklable so that builds can run tasks in parallel processes; running a
task is a pure function of the workspace, the settings and the task.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ccrl_kit.content.workspace import Workspace
from ccrl_kit.errors import BuildError
from ccrl_kit.settings import Settings, find_template, template_path

DOCUMENTS = ("facilitator-guide", "participant-handout")  # each in html, pdf and docx at once

# measured on the default course, one task in one process (educators, English, html + pdf +
# docx): CPU seconds, and MiB beyond what every process shares; certificates without names
# (each 1,000 names add about 0.3 s and 25 MiB)
COST = {"deck": 2.3, "facilitator-guide": 2.2, "participant-handout": 1.0, "certificates": 0.1}
MEMORY = {"deck": 20, "facilitator-guide": 135, "participant-handout": 75, "certificates": 30}

FONTS = tuple(f"fonts/Noto{family}-{style}.ttf" for family in ("Sans", "Serif")
              for style in ("Regular", "Bold", "Italic", "BoldItalic"))


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
            f" ({', '.join(self.formats)})" if self.kind in DOCUMENTS else "")

    @property
    def cost(self) -> float:
        """Rough seconds to render, for scheduling the longest first."""
        return COST.get(self.kind, 1.0)

    @property
    def memory(self) -> int:
        """Rough MiB a process needs for this task beyond what all processes share."""
        return MEMORY.get(self.kind, 30)

    def outputs(self) -> tuple[str, ...]:
        """The files this task writes, relative to the output folder."""
        if self.kind == "deck":
            return (f"{self.folder}/deck.pptx",)
        if self.kind == "certificates":
            return (f"{self.folder}/certificates.pdf",)
        return tuple(f"{self.folder}/{self.kind}.{fmt}" for fmt in self.formats)


DECK_FONTS = ("Carlito-Regular.ttf", "Carlito-Bold.ttf", "Carlito-Italic.ttf",
              "Carlito-BoldItalic.ttf")


def deck_template(settings: Settings) -> tuple[bytes, str]:
    """The deck template's checked package (what the plan measures and the renderer draws on)
    and its file name."""
    from ccrl_kit.render.pptx_package import open_template

    path = settings.deck_template or find_template(template_path(settings), "deck.pptx")
    return open_template(path, keep_external=settings.keep_external), path.name


def deck_plan(task: Task, courses: list, labels: list, settings: Settings,
              layouts: dict[str, str] | None = None, root: Path | None = None):
    """The deck plan of a task's course in its language(s): what the deck draws and the
    facilitator guide cites (slide numbers, previews)."""
    from ccrl_kit.plan.deck import plan_deck

    search = template_path(settings)
    data, name = deck_template(settings)
    fonts = find_template(search, f"fonts/{DECK_FONTS[0]}").parent
    return plan_deck(courses, labels, template=data, font_dir=fonts, layouts=layouts,
                     template_name=name, root=root)


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
            if docs:
                tasks += [Task(course, aid, lang, kind, docs) for kind in DOCUMENTS]
            if "pdf" in formats:
                tasks.append(Task(course, aid, lang, "certificates", ("pdf",)))
    return tasks


def run(task: Task, ws: Workspace, settings: Settings, names: tuple[str, ...]) -> Result:
    """Resolve, plan and render one task; nothing is written here."""
    from ccrl_kit.content.languages import fallback_chain
    from ccrl_kit.resolve.labels import Labels
    from ccrl_kit.resolve.resolver import resolve
    from ccrl_kit.settings import build_timestamp

    search = template_path(settings)
    stamp = build_timestamp()
    langs = task.lang.split("+")
    courses = [resolve(ws, task.course, task.audience, lang, settings.minutes) for lang in langs]
    labels = [Labels(lang, fallback_chain(ws.courses[task.course], lang)) for lang in langs]
    course, first = courses[0], labels[0]
    base = task.folder
    if task.kind == "deck":
        from ccrl_kit.render.pptx import render_pptx

        plan = deck_plan(task, courses, labels, settings, ws.config.layouts, ws.root)
        data = render_pptx(plan, deck_template(settings)[0], timestamp=stamp, root=ws.root)
        return Result({f"{base}/deck.pptx": data}, course.dropped)
    return Result(_documents(task, course, first, search, settings, names, stamp,
                             ws.config.layouts, ws.root), course.dropped)


def _documents(task: Task, course, labels, search: list[Path], settings: Settings,
               names: tuple[str, ...], stamp, layouts: dict[str, str],
               root: Path) -> dict[str, bytes]:
    """Plan one printed document once and draw it in each format the task asks for (its
    images read from inside the workspace ``root``)."""
    from ccrl_kit.plan.common import brand_block
    from ccrl_kit.render.typst import render_pdf

    brand = brand_block(course.brand)
    base = task.folder
    if task.kind == "certificates":
        from ccrl_kit.plan.certificates import plan_certificates

        plan = plan_certificates(course, names, labels, paper=settings.paper, brand=brand)
        return {f"{base}/certificates.pdf": render_pdf(plan, search, stamp, root=root)}
    if task.kind == "facilitator-guide":
        from ccrl_kit.plan.guide import plan_facilitator_guide

        deck = deck_plan(task, [course], [labels], settings, layouts, root)
        document = plan_facilitator_guide(course, deck, labels, paper=settings.paper,
                                          brand=brand)
    elif task.kind == "participant-handout":
        from ccrl_kit.plan.workbook import plan_participant_workbook

        document = plan_participant_workbook(course, labels, paper=settings.paper, brand=brand)
    else:
        raise BuildError(f"unknown output '{task.kind}'")
    files: dict[str, bytes] = {}
    if "html" in task.formats:
        from ccrl_kit.render.html import render_html

        files.update({f"{base}/{name}": data for name, data in
                      render_html(document, search, root=root).items()})
    if "pdf" in task.formats:
        files[f"{base}/{task.kind}.pdf"] = render_pdf(document, search, stamp, root=root)
    if "docx" in task.formats:
        from ccrl_kit.render.docx import render_docx

        files[f"{base}/{task.kind}.docx"] = render_docx(document, stamp, root=root)
    return files
