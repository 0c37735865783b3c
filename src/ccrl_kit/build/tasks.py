"""One unit of rendering work: a document of one audience in one language, in its formats.

A task is small and picklable so that builds can run tasks in parallel processes; running a
task is a pure function of the workspace, the settings and the task.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ccrl_kit.content.workspace import Workspace
from ccrl_kit.errors import BuildError
from ccrl_kit.settings import Settings, find_template, template_path

DOCUMENTS = ("facilitator-guide", "participant-handout")  # each in html, pdf and docx at once
DOCUMENT_FORMATS = ("html", "pdf", "docx")

# measured on the default course, one task in one process (educators, English, every format):
# CPU seconds, and MiB beyond what every process shares; certificates without names (each
# 1,000 names add about 0.3 s and 25 MiB)
COST = {"deck": 3.8, "participant-handout": 1.0, "certificates": 0.1}
MEMORY = {"deck": 30, "participant-handout": 75, "certificates": 30}  # the heavy step aside
HEAVY_NAMES = 1000  # certificates for more names than this are a heavy step (see run)

FONTS = tuple(f"fonts/Noto{family}-{style}.ttf" for family in ("Sans", "Serif")
              for style in ("Regular", "Bold", "Italic", "BoldItalic"))


@dataclass(frozen=True)
class Task:
    """``kind`` deck: the deck (pptx) and the facilitator guide (html, pdf, docx), whichever
    ``formats`` asks for, from one deck plan (the guide cites the deck's slides and shows
    them); participant-handout: the workbook in ``formats``; certificates: one PDF."""

    course: str
    audience: str
    lang: str  # "ru", or "en+ru" for a bilingual deck
    kind: str  # deck | participant-handout | certificates
    formats: tuple[str, ...]

    @property
    def folder(self) -> str:
        return f"{self.course}/{self.audience}/{self.lang}"

    @property
    def documents(self) -> tuple[str, ...]:
        """The formats of the printed document this task writes."""
        return tuple(f for f in self.formats if f in DOCUMENT_FORMATS)

    @property
    def label(self) -> str:
        what = self.kind
        if self.kind == "deck":
            what = " + ".join(x for x, wanted in (("deck", "pptx" in self.formats),
                                                  ("facilitator-guide", bool(self.documents)))
                              if wanted)
        return f"{self.audience}/{self.lang}/{what}" + (
            f" ({', '.join(self.documents)})" if self.kind != "certificates" and self.documents
            else "")

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
        if self.kind == "certificates":
            return (f"{self.folder}/certificates.pdf",)
        name = "facilitator-guide" if self.kind == "deck" else self.kind
        return ((f"{self.folder}/deck.pptx",) if self.kind == "deck" and "pptx" in self.formats
                else ()) + tuple(f"{self.folder}/{name}.{fmt}" for fmt in self.documents)


DECK_FONTS = ("Carlito-Regular.ttf", "Carlito-Bold.ttf", "Carlito-Italic.ttf",
              "Carlito-BoldItalic.ttf")


def deck_template(settings: Settings) -> tuple[bytes, str]:
    """The deck template's checked package (what the plan measures and the renderer draws on)
    and its file name."""
    from ccrl_kit.render.pptx_package import open_template

    path = settings.deck_template or find_template(template_path(settings), "deck.pptx")
    return open_template(path, keep_external=settings.keep_external), path.name


def deck_plan(courses: list, labels: list, settings: Settings, template: tuple[bytes, str],
              layouts: dict[str, str] | None = None, root: Path | None = None):
    """The deck plan of a course in its language(s), on ``template`` (see
    :func:`deck_template`): what the deck draws and the facilitator guide cites (slide
    numbers, previews)."""
    from ccrl_kit.plan.deck import plan_deck

    data, name = template
    fonts = find_template(template_path(settings), f"fonts/{DECK_FONTS[0]}").parent
    return plan_deck(courses, labels, template=data, font_dir=fonts, layouts=layouts,
                     template_name=name, root=root)


@dataclass(frozen=True)
class Result:
    files: dict[str, bytes]
    dropped: tuple[str, ...] = ()
    # PDFs still to typeset (output -> the typesetting), in a parallel build (see run)
    later: dict[str, Callable[[], bytes]] = field(default_factory=dict)


def tasks_for(course: str, audiences: tuple[str, ...], languages: tuple[str, ...],
              formats: tuple[str, ...]) -> list[Task]:
    tasks: list[Task] = []
    docs = tuple(f for f in formats if f in DOCUMENT_FORMATS)
    for aid in audiences:
        for lang in languages:
            if "+" in lang:  # a bilingual deck only
                tasks.append(Task(course, aid, lang, "deck", ("pptx",)))
                continue
            deck = tuple(f for f in formats if f == "pptx" or f in docs)
            if deck:
                tasks.append(Task(course, aid, lang, "deck", deck))
            if docs:
                tasks.append(Task(course, aid, lang, "participant-handout", docs))
            if "pdf" in formats:
                tasks.append(Task(course, aid, lang, "certificates", ("pdf",)))
    return tasks


def run(task: Task, ws: Workspace, settings: Settings, names: tuple[str, ...],
        heavy: Callable[[], object] | None = None) -> Result:
    """Resolve, plan and render one task; nothing is written here. In a parallel build
    (``heavy`` given) the facilitator guide's PDF is left in :attr:`Result.later`, for the
    build to typeset in a small process of its own, and ``heavy`` is called before
    certificates for many names are typeset: one large typesetting runs at a time."""
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
    base, root = task.folder, ws.root
    files: dict[str, bytes] = {}
    from ccrl_kit.plan.common import brand_block

    brand = brand_block(course.brand)
    if task.kind == "certificates":
        from ccrl_kit.plan.certificates import plan_certificates
        from ccrl_kit.render.typst import render_pdf

        plan = plan_certificates(course, names, first, paper=settings.paper, brand=brand)
        if heavy and len(names) > HEAVY_NAMES:
            heavy()
        files[f"{base}/certificates.pdf"] = render_pdf(plan, search, stamp, root=root)
        return Result(files, course.dropped)
    if task.kind == "deck":
        template = deck_template(settings)  # read and checked once: planned and drawn on
        deck = deck_plan(courses, labels, settings, template, ws.config.layouts, root)
        if "pptx" in task.formats:
            from ccrl_kit.render.pptx import render_pptx

            files[f"{base}/deck.pptx"] = render_pptx(deck, template[0], timestamp=stamp,
                                                     root=root)
        if not task.documents:
            return Result(files, course.dropped)
        from ccrl_kit.plan.guide import plan_facilitator_guide

        name = "facilitator-guide"
        document = plan_facilitator_guide(course, deck, first, paper=settings.paper,
                                          brand=brand)
    elif task.kind == "participant-handout":
        from ccrl_kit.plan.workbook import plan_participant_workbook

        name = task.kind
        document = plan_participant_workbook(course, first, paper=settings.paper, brand=brand)
    else:
        raise BuildError(f"unknown output '{task.kind}'")
    later: dict[str, Callable[[], bytes]] | None = (
        {} if heavy is not None and task.kind == "deck" else None)
    files.update(_draw(document, name, task, search, stamp, root, later))
    return Result(files, course.dropped, later or {})


def _draw(document, name: str, task: Task, search: list[Path], stamp, root: Path,
          later: dict[str, Callable[[], bytes]] | None) -> dict[str, bytes]:
    """Draw one printed document's plan in each format the task asks for (its images read
    from inside the workspace ``root``); the PDF last, or into ``later`` to typeset
    elsewhere."""
    base = task.folder
    files: dict[str, bytes] = {}
    if "html" in task.formats:
        from ccrl_kit.render.html import render_html

        files.update({f"{base}/{file}": data for file, data in
                      render_html(document, search, root=root).items()})
    if "docx" in task.formats:
        from ccrl_kit.render.docx import render_docx

        files[f"{base}/{name}.docx"] = render_docx(document, stamp, root=root)
    if "pdf" in task.formats:
        from ccrl_kit.render.typst import pdf_later, render_pdf

        if later is not None:
            later[f"{base}/{name}.pdf"] = pdf_later(document, search, stamp, root=root)
        else:
            files[f"{base}/{name}.pdf"] = render_pdf(document, search, stamp, root=root)
    return files
