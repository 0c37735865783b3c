"""Stage 4a, plan the deck: resolved course -> a list of slide specs.

Every decision about which slide carries what, and what the speaker notes say, lives here.
The renderer only draws these specs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace

from ccrl_kit.resolve import types as r
from ccrl_kit.resolve.labels import Labels


@dataclass(frozen=True)
class Para:
    text: str
    level: int = 0
    bold: bool = False
    second: str = ""  # the same text in the second language of a bilingual deck


@dataclass(frozen=True)
class Frame:
    """One positioned element of a planned slide, in EMU from the slide's top-left corner.

    Frames are what a small preview of the slide needs (the facilitator guide draws them
    beside the notes); the deck renderer draws the slide itself from the richer plan.
    """

    x: int
    y: int
    w: int
    h: int
    kind: str  # text | shape | picture | table | chart | map | icon | line
    text: str = ""
    pt: float = 0.0  # font size of ``text``
    bold: bool = False
    fill: str = ""  # a colour role: primary | accent | dark | light | muted | "" (none)
    colour: str = ""  # the text colour role (same roles)


@dataclass(frozen=True)
class Slide:
    kind: str
    layout: str
    title: str
    number: int = 0  # the number shown on the slide (1 = the title slide)
    module: str = ""  # the id of the module the slide belongs to ("" outside modules)
    preview: tuple[Frame, ...] = ()  # what a thumbnail of the slide draws
    body: tuple[Para, ...] = ()
    second: tuple[Para, ...] = ()  # second column, attribution or details line
    subtitle: str = ""
    notes: tuple[str, ...] = ()
    table: r.Table | None = None
    chart: r.Chart | None = None
    timeline: r.Timeline | None = None
    rows: tuple[int, int] | None = None  # the table rows [start, stop) this slide shows
    continued: bool = False
    title_second: str = ""  # the title in the second language of a bilingual deck


@dataclass(frozen=True)
class DeckPlan:
    title: str
    author: str
    language: str
    slides: tuple[Slide, ...] = field(default=())
    size: tuple[int, int] = (12192000, 6858000)  # slide width and height, EMU


LAYOUT = {
    "title": "Title",
    "section": "Section",
    "bullets": "Title and Content",
    "agenda": "Title and Content",
    "two": "Two Content",
    "quote": "Quote",
    "case": "Case Study",
    "decision": "Question",
    "question": "Question",
    "activity": "Title and Content",
    "table": "Table or Chart",
    "chart": "Table or Chart",
    "timeline": "Table or Chart",
    "closing": "Closing",
}


def _slide(kind: str, title: str, **kw) -> Slide:
    return Slide(kind=kind, layout=LAYOUT[kind], title=title, **kw)


def _paras(lines: tuple[r.Line | r.Objective | str, ...], level: int = 0) -> tuple[Para, ...]:
    return tuple(Para(x if isinstance(x, str) else x.text, level) for x in lines)


def plan_deck(course: r.Course, labels: Labels) -> DeckPlan:
    slides: list[Slide] = [_title_slide(course, labels), _agenda(course, labels)]
    modules = course.modules
    for i, module in enumerate(modules):
        following = modules[i + 1].title if i + 1 < len(modules) else labels["closing_title"]
        slides.extend(_module_slides(module, following, labels))
    slides.append(_slide(
        "closing", labels["closing_title"],
        body=(Para(labels["closing_body"]),),
        notes=(labels["closing_body"] + ".",),
    ))
    return DeckPlan(course.title, course.organiser, course.language, tuple(slides))


def _title_slide(course: r.Course, labels: Labels) -> Slide:
    place = ", ".join(x for x in (course.venue, course.city) if x)
    details = [labels.date_range(course.dates), place]
    if course.facilitators:
        details.append(f"{labels['facilitators']}: {', '.join(course.facilitators)}")
    details.append(course.organiser)
    return _slide(
        "title", course.title,
        subtitle=labels.format("for_audience", audience=course.audience.name),
        second=tuple(Para(d) for d in details if d),
        notes=(
            course.subtitle,
            f"{labels['participants']}: {course.audience.participants}",
            *(f"{labels['what_they_need']}: {n}" for n in course.audience.needs),
        ),
    )


def _agenda(course: r.Course, labels: Labels) -> Slide:
    body: list[Para] = []
    for day in course.days:
        head = labels.format("day_n", n=day.number)
        if day.date:
            head += f" · {labels.date(day.date)}"
        body.append(Para(head, bold=True))
        for s in day.sessions:
            title = s.title or labels.get(s.kind, s.kind)
            body.append(Para(f"{labels.clock(s.start)}–{labels.clock(s.end)}  {title}", level=1))
    total = labels.duration(sum(m.minutes for m in course.modules))
    return _slide("agenda", labels["agenda"], body=tuple(body),
                  notes=(f"{labels['total']}: {total}.",))


def _timing(labels: Labels, minutes: int) -> str:
    return labels.format("minutes_on_slide", minutes=labels.duration(minutes))


def _module_slides(module: r.Module, following: str, labels: Labels) -> list[Slide]:
    notes = module.facilitator
    slides = [
        _slide("section", module.title, body=(Para(module.summary),), notes=(
            _timing(labels, module.minutes),
            *(f"{labels['preparation']}: {p.text}" for p in notes.preparation),
            *(f"{labels['sensitivity_alerts']}: {s.text}" for s in notes.sensitivity),
        )),
        _slide("bullets", labels["learning_objectives"], body=_paras(module.objectives),
               notes=tuple(n.text for n in notes.notes)),
    ]
    for section in module.sections:
        slides.extend(_section_slides(section, labels))
    for case in module.case_studies:
        slides.extend(_case_slides(case, labels))
    for activity in module.activities:
        slides.append(_activity_slide(activity, labels))
    for question in module.questions:
        slides.append(_question_slide(question, labels["discussion_question"], labels))
    tricky = tuple(
        f"{labels['tricky_questions']}: {t.question} — {labels['suggested_answer']}: {t.answer}"
        for t in notes.tricky_questions
    )
    slides.append(_slide("bullets", labels["key_messages"], body=_paras(module.key_messages),
                         notes=tricky))
    slides.append(_slide(
        "bullets", labels["sources"], body=_source_paras(module.sources),
        notes=(labels.format("next", title=following),),
    ))
    return slides


def _source_paras(sources: tuple[r.Source, ...]) -> tuple[Para, ...]:
    """Sources for a slide: citations of the report share their long title, shown once."""
    report = [s for s in sources if s.kind == "report"]
    shared = _shared_prefix([s.citation for s in report]) if len(report) > 1 else ""
    if not shared:
        return tuple(Para(f"[{s.number}] {s.citation}") for s in sources)
    paras = [Para(shared.rstrip(" ,:;"), bold=True)]
    paras += [Para(f"[{s.number}] {s.citation[len(shared):]}", level=1) for s in report]
    paras += [Para(f"[{s.number}] {s.citation}") for s in sources if s.kind != "report"]
    return tuple(paras)


def _shared_prefix(texts: list[str]) -> str:
    """The longest start all ``texts`` share, cut after a comma (or nothing if short)."""
    prefix = os.path.commonprefix(texts)  # noqa: RUF071 - text, not paths
    cut = prefix.rfind(", ")
    return prefix[: cut + 2] if cut >= 30 else ""


def _section_slides(section: r.Section, labels: Labels) -> list[Slide]:
    notes = section.facilitator
    say = (
        *notes.say,
        _timing(labels, section.minutes),
        *(f"{labels['sensitivity_alerts']}: {s}" for s in notes.sensitivity),
        *(f"{labels['outside_sources']}: {s.text}" for s in notes.outside_sources),
    )
    slides: list[Slide] = []
    if section.bullets:
        slides.append(_slide("bullets", section.title, body=_paras(section.bullets), notes=say))
    for quote in section.quotes:
        who = ", ".join(x for x in (quote.speaker, quote.role, quote.city) if x)
        text = f"{labels['quote_open']}{quote.text}{labels['quote_close']}"
        slides.append(_slide("quote", section.title, body=(Para(text),),
                             second=(Para(f"— {who}"),), notes=say))
    for kind, data in (("table", section.table), ("chart", section.chart),
                       ("timeline", section.timeline)):
        if data is not None:
            slides.append(_slide(kind, data.caption, notes=(data.alt, *say), **{kind: data}))
    if not slides:
        slides.append(_slide("bullets", section.title, notes=say))
    return slides


def _question_notes(q: r.Question, labels: Labels) -> tuple[str, ...]:
    return (
        *((_timing(labels, q.minutes),) if q.minutes else ()),
        *(f"{labels['prompts']}: {p}" for p in q.facilitator.prompts),
        *(f"{labels['themes']}: {t}" for t in q.facilitator.themes),
    )


def _question_slide(q: r.Question, title: str, labels: Labels) -> Slide:
    body = (Para(q.text),)
    if q.minutes:
        body += (Para(labels.minutes(q.minutes), level=1),)
    return _slide("question", title, body=body, notes=_question_notes(q, labels))


def _case_slides(case: r.CaseStudy, labels: Labels) -> list[Slide]:
    note = case.teaching_note
    head = f"{labels['case_study']}: {case.title}"
    road = tuple(f"{labels['road_map']}: {m} — {text}" for m, text in note.road_map) if note else ()
    slides = [
        _slide("case", head, body=_paras(case.background), notes=(
            _timing(labels, case.minutes),
            *((f"{labels['purpose']}: {note.purpose}",) if note and note.purpose else ()),
            *road,
        )),
        _slide("case", f"{labels['facts']}: {case.title}", body=_paras(case.facts),
               notes=tuple(note.notes) if note else ()),
        _slide("decision", f"{labels['decision_point']}: {case.title}",
               body=(Para(case.decision_point),),
               notes=tuple(f"{labels['sensitivity_alerts']}: {s}" for s in note.sensitivity)
               if note else ()),
    ]
    for q in case.questions:
        slides.append(_question_slide(q, f"{labels['questions']}: {case.title}", labels))
    if note and note.epilogue:
        slides[-1] = _with_notes(slides[-1], f"{labels['epilogue']}: {note.epilogue}")
    return slides


def _with_notes(slide: Slide, *extra: str) -> Slide:
    return replace(slide, notes=(*slide.notes, *extra))


def _activity_slide(a: r.Activity, labels: Labels) -> Slide:
    grouping = labels.get(f"grouping_{a.grouping}", a.grouping)
    body = (
        Para(f"{grouping} · {labels.minutes(a.minutes)}", bold=True),
        *(Para(f"{n}. {s.text}") for n, s in enumerate(a.steps, 1)),
    )
    debrief = tuple(
        f"{labels['debrief']}: {q.text}" + (
            f" ({labels['prompts']}: {'; '.join(q.facilitator.prompts)})"
            if q.facilitator.prompts else "")
        for q in a.debrief
    )
    return _slide("activity", f"{labels['activity']}: {a.title}", body=body, notes=(
        *((f"{labels['purpose']}: {a.purpose}",) if a.purpose else ()),
        _timing(labels, a.minutes),
        *(f"{labels['materials']}: {m.text}" for m in a.materials),
        *a.facilitator.notes,
        *(f"{labels['sensitivity_alerts']}: {s}" for s in a.facilitator.sensitivity),
        *debrief,
    ))


def merge_bilingual(main: DeckPlan, second: DeckPlan) -> DeckPlan:
    """One deck in two languages: each text of ``main`` with its ``second`` twin under it.

    Both plans come from the same course and audience, so their slides pair one to one.
    """
    if [s.kind for s in main.slides] != [s.kind for s in second.slides]:
        raise ValueError("the two languages give decks of different shapes")
    slides = []
    for a, b in zip(main.slides, second.slides, strict=True):
        slides.append(replace(
            a,
            title_second=b.title if b.title != a.title else "",
            subtitle=f"{a.subtitle} / {b.subtitle}" if b.subtitle != a.subtitle else a.subtitle,
            body=_pair(a.body, b.body),
            second=_pair(a.second, b.second),
            notes=(*a.notes, "—", *b.notes) if b.notes != a.notes else a.notes,
        ))
    return replace(main, language=f"{main.language}+{second.language}", slides=tuple(slides))


def _pair(a: tuple[Para, ...], b: tuple[Para, ...]) -> tuple[Para, ...]:
    return tuple(replace(x, second=y.text if y.text != x.text else "")
                 for x, y in zip(a, b, strict=True))
