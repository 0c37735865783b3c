"""Plan the facilitator guide: a run-sheet to teach from.

A day-at-a-glance page per day (clock times, slide numbers, materials and room checklist);
per module, its timed steps with real clock times, each beside small previews of the slides it
shows, with what to say, prompts, expected themes, teaching notes and sensitivity alerts; the
answer key, the glossary and one source list at the end.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from ccrl_kit.plan import blocks as b
from ccrl_kit.plan.common import (
    Citations,
    activity_meta,
    add_minutes,
    clock,
    clock_range,
    cover,
    day_title,
    decision_block,
    duration,
    labelled,
    media_blocks,
    option_marks,
    report_back,
    role_cards,
    schedule_rows,
    session_title,
)
from ccrl_kit.plan.deck import DeckPlan, Slide
from ccrl_kit.resolve import types as r
from ccrl_kit.resolve.labels import Labels


def plan_facilitator_guide(course: r.Course, deck: DeckPlan, labels: Labels, *,
                           paper: str = "a4", brand: b.Brand | None = None) -> b.Document:
    brand = brand or b.Brand()
    slides = deck.slides
    cite = Citations(course)
    runs = {m.id: _steps(m, [s for s in slides if s.module == m.id], labels)
            for m in course.modules}
    others = _other_sessions(course, slides, runs, labels)
    blocks: list[b.Block] = [
        cover(labels["facilitator_guide"], course, labels, facilitators=True,
              note=labels["guide_cover_note"]),
        b.Contents(labels["contents"], labels["contents_hint"]),
    ]
    for day in course.days:
        blocks += _day_at_a_glance(course, day, runs, others, labels)
    modules = {m.id: m for m in course.modules}
    for day in course.days:
        for session in day.sessions:
            if session.module in modules:
                module = modules[session.module]
                blocks += _module(module, runs[module.id], course, cite, labels, deck.size)
            elif id(session) in others:
                blocks += _other(session, others[id(session)], course, labels, deck.size)
    blocks += _answer_key(course, labels)
    if course.glossary:
        blocks += [b.PageBreak(), b.RunningHeader(labels["glossary"]),
                   b.Heading(labels["glossary"], 1),
                   b.Definitions(tuple((g.term, g.definition) for g in course.glossary), 2)]
    blocks += [b.PageBreak(), b.RunningHeader(labels["sources"]), *cite.bibliography(labels)]
    return b.Document(
        kind="facilitator-guide", language=course.language,
        title=f"{labels['facilitator_guide']} — {course.title}", author=course.organiser,
        header=" · ".join(x for x in (brand.name, labels["facilitator_guide"]) if x),
        page_label=labels["page_of"], paper=paper, blocks=tuple(blocks), brand=brand,
    )


# ---------------------------------------------------------------------------------------------
# Slides of the deck


def _slide_ref(slide: Slide, labels: Labels, size: tuple[int, int]) -> b.SlideRef:
    frames = tuple(b.Frame(f.x, f.y, f.w, f.h, f.kind, f.text, f.pt, f.bold, f.fill, f.colour)
                   for f in slide.preview)
    return b.SlideRef(slide.number, labels.format("slide_n", n=slide.number), slide.title, size,
                      frames)


def slides_text(numbers: list[int], labels: Labels) -> str:
    """"Slide 4", "Slides 4–7", "Slides 4–7, 9"."""
    if not numbers:
        return ""
    ordered = sorted(set(numbers))
    if len(ordered) == 1:
        return labels.format("slide_n", n=ordered[0])
    runs: list[list[int]] = []
    for n in ordered:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    text = ", ".join(f"{x[0]}–{x[-1]}" if len(x) > 2 else ", ".join(map(str, x)) for x in runs)
    return labels.format("slides_n", numbers=text)


# ---------------------------------------------------------------------------------------------
# Steps of a module


@dataclass
class _Step:
    kind: str  # opening | section | case | activity | discussion | wrap-up | check | other
    title: str
    minutes: int
    item: object = None
    part: str = ""  # the deck's Slide.part this step shows
    slides: list[Slide] = field(default_factory=list)
    start: object = None  # dt.time, set once the module's session is known


def _steps(module: r.Module, slides: list[Slide], labels: Labels) -> list[_Step]:
    """The module's timed parts in teaching order, each with the slides that show it."""
    steps = [_Step("opening", labels["step_opening"], 0, part="opening")]
    steps += [_Step("section", s.title, s.minutes, s, s.id) for s in module.sections]
    steps += [_Step("case", f"{labels['case_study']}: {c.title}", c.minutes, c, c.id)
              for c in module.case_studies]
    steps += [_Step("activity", f"{labels['activity']}: {a.title}", a.minutes, a, a.id)
              for a in module.activities]
    plenary = [q for q in module.questions if not q.alternate]
    if module.questions:
        steps.append(_Step("discussion", labels["discussion"], sum(q.minutes for q in plenary),
                           module.questions, "discussion"))
    steps.append(_Step("wrap-up", labels["step_wrap_up"], 0, part="recap"))
    by_part = {step.part: step for step in steps}
    for slide in slides:
        by_part.get(slide.part, steps[0]).slides.append(slide)
    return steps


def _other_sessions(course: r.Course, slides: tuple[Slide, ...], runs: dict[str, list[_Step]],
                    labels: Labels) -> dict[int, list[_Step]]:
    """The schedule's sessions that are not modules (the knowledge checks, the closing
    session), each with the slides it shows; slides outside every module and session (title,
    agenda) go with the first module's opening, the closing slides with the last session."""
    found: dict[int, list[_Step]] = {}
    sessions = [s for day in course.days for s in day.sessions]
    for session in sessions:
        if session.kind in ("pre-check", "post-check"):
            found[id(session)] = [_Step("check", session.title or labels[session.kind],
                                        session.minutes, session, session.kind)]
        elif session.kind == "other":
            found[id(session)] = [_Step("other", session.title, session.minutes, session)]
    checks = {step.part: step for steps in found.values() for step in steps if step.part}
    closing = [steps[0] for steps in found.values() if steps[0].kind == "other"]
    modules = [m.id for m in course.modules]
    last = closing[-1] if closing else (
        next(s for s in runs[modules[-1]] if s.kind == "wrap-up") if modules else None)
    first = runs[modules[0]][0] if modules else None
    for slide in slides:
        if slide.module:
            continue
        if slide.part in checks:
            checks[slide.part].slides.append(slide)
        elif slide.part in ("title", "agenda") and first is not None:
            first.slides.append(slide)
        elif last is not None:
            last.slides.append(slide)
    if first is not None:
        first.slides.sort(key=lambda s: s.number)
    return found


def _timed(module: r.Module, steps: list[_Step], course: r.Course) -> None:
    found = schedule_rows(course, module.id)
    if not found:
        return
    clock_at = found[1].start
    for step in steps:
        step.start = clock_at
        clock_at = add_minutes(clock_at, step.minutes)


def _step_time(step: _Step, labels: Labels) -> str:
    if step.start is None:
        return ""
    if not step.minutes:
        return clock(labels, step.start)  # type: ignore[arg-type]
    return clock_range(labels, step.start, add_minutes(step.start, step.minutes))  # type: ignore[arg-type]


def _module_slides(steps: list[_Step]) -> list[int]:
    return [s.number for step in steps for s in step.slides]


# ---------------------------------------------------------------------------------------------
# Day at a glance


def _day_at_a_glance(course: r.Course, day: r.Day, runs: dict[str, list[_Step]],
                     others: dict[int, list[_Step]], labels: Labels) -> list[b.Block]:
    modules = {m.id: m for m in course.modules}
    rows, quiet = [], []
    for i, s in enumerate(day.sessions):
        what = ""
        slides = ""
        if id(s) in others:
            slides = slides_text(_module_slides(others[id(s)]), labels)
        if s.module in modules:
            m = modules[s.module]
            _timed(m, runs[m.id], course)
            slides = slides_text(_module_slides(runs[m.id]), labels)
            parts = [f"{labels['case_study']}: {c.title}" for c in m.case_studies]
            parts += [f"{labels['activity']}: {a.title}" for a in m.activities]
            what = "; ".join(parts)
        if s.kind in ("break", "lunch"):
            quiet.append(i)
        title = b.rich(b.Span(session_title(labels, s), "" if i in quiet else "strong"),
                       b.Span(f" · {duration(labels, s.minutes)}", "muted"))
        rows.append((b.rich(clock_range(labels, s.start, s.end)), title, b.rich(what),
                     b.rich(slides)))
    heading = labels.format("day_at_a_glance", day=labels.format("day_n", n=day.number))
    meta = day_title(labels, day).split(" · ", 1)[-1] if day.date else ""
    if day.sessions:
        span = clock_range(labels, day.sessions[0].start, day.sessions[-1].end)
        meta = f"{meta} · {span}" if meta else span
    found: list[b.Block] = [
        b.PageBreak(), b.RunningHeader(heading), b.Heading(heading, 1, meta),
        b.Table((labels["time"], labels["session"], labels["what_happens"], labels["slides"]),
                tuple(rows), widths=(1.3, 3, 3.2, 1.3), style="schedule",
                quiet_rows=tuple(quiet)),
        b.Heading(labels["checklist_title"], 2),
    ]
    for s in day.sessions:
        if s.module in modules:
            found += _checklist(modules[s.module], s, labels)
    return found


def _checklist(module: r.Module, session: r.Session, labels: Labels) -> list[b.Block]:
    fn = module.facilitator
    items = [b.rich(m.text) for m in fn.materials]
    for a in module.activities:
        items += [b.rich(m.text, b.Span(f" ({a.title})", "muted")) for m in a.materials]
    items += [b.rich(b.Span(f"{labels['preparation']}: ", "strong"), p.text)
              for p in fn.preparation]
    if fn.room_setup:
        items.append(b.rich(b.Span(f"{labels['room_setup']}: ", "strong"), fn.room_setup))
    if not items:
        return []
    ready = labels.format("by_time", time=clock(labels, session.start))
    head = b.Paragraph(b.rich(b.Span(module.title, "strong"), b.Span(f" · {ready}", "muted")))
    return [b.Keep((head, b.ListBlock(tuple(items), "check")))]


# ---------------------------------------------------------------------------------------------
# A module


def _module(module: r.Module, steps: list[_Step], course: r.Course, cite: Citations,
            labels: Labels, size: tuple[int, int]) -> list[b.Block]:
    _timed(module, steps, course)
    found_at = schedule_rows(course, module.id)
    meta = [duration(labels, module.minutes)]
    if found_at:
        day, session = found_at
        meta.insert(0, f"{labels.format('day_n', n=day.number)} · "
                       f"{clock_range(labels, session.start, session.end)}")
    slides = slides_text(_module_slides(steps), labels)
    if slides:
        meta.append(slides)
    fn = module.facilitator
    blocks: list[b.Block] = [
        b.PageBreak(), b.RunningHeader(module.title),
        b.Heading(module.title, 1, " · ".join(meta)),
        b.Paragraph(b.rich(module.summary)),
        b.Heading(labels["learning_objectives"], 2),
        b.ListBlock(cite.lines(module.id, module.objectives)),
    ]
    if fn.sensitivity:
        blocks.append(b.Callout("alert", labels["sensitivity_alerts"],
                                (b.ListBlock(cite.lines(module.id, fn.sensitivity)),)))
    blocks.append(b.Table(
        (labels["time"], labels["step"], labels["slides"]),
        tuple((b.rich(_step_time(s, labels)), b.rich(s.title),
               b.rich(slides_text([x.number for x in s.slides], labels)))
              for s in steps if s.minutes or s.slides),
        caption=labels["run_sheet"], widths=(1.1, 4.2, 1.5), style="plan"))
    for step in steps:
        if not step.minutes and not step.slides:
            continue
        body = tuple(_step_body(step, module, cite, labels))
        beside, keep = preview_layout(body, len(step.slides))
        blocks.append(b.Step(
            time=_step_time(step, labels), title=step.title,
            meta=" · ".join(x for x in (duration(labels, step.minutes) if step.minutes else "",
                                        slides_text([x.number for x in step.slides], labels))
                            if x),
            slides=tuple(_slide_ref(s, labels, size) for s in step.slides),
            body=body, beside=beside, keep=keep,
        ))
    if fn.tricky_questions:
        blocks.append(b.Heading(labels["tricky_questions"], 2))
        for t in fn.tricky_questions:
            blocks.append(b.Keep((b.Paragraph(b.rich(b.Span(t.question, "strong"))),
                                  labelled(labels["suggested_answer"], t.answer))))
    if fn.outside_sources:
        blocks.append(b.Callout("note", labels["outside_sources"],
                                (b.ListBlock(cite.lines(module.id, fn.outside_sources)),)))
    return blocks


# the run-sheet's geometry, for deciding how many slide previews fit beside a step's notes
NOTE_CHARS_PER_LINE = 88  # the notes column, at the notes' type size
NOTE_LINE_MM = 4.2
PREVIEW_MM = 28  # one preview and its label
PREVIEWS_PER_ROW = 4
KEEP_MM = 110  # a step shorter than this is never split across pages


def notes_height(body: tuple[b.Block, ...]) -> float:
    """A generous estimate of the height of a step's notes, in millimetres."""
    lines = 0.0
    for block in b.walk(body):
        for text in b.texts(block):
            lines += -(-len(text) // NOTE_CHARS_PER_LINE)
        lines += 0.4  # the space between blocks
        if isinstance(block, b.Callout):
            lines += 1.5  # its padding
    return lines * NOTE_LINE_MM


def preview_layout(body: tuple[b.Block, ...], slides: int) -> tuple[int, bool]:
    """How many of a step's slide previews go beside its notes (the others run in rows under
    them, so a short note never leaves a column of slides running on; none beside a step
    without notes), and whether the step is short enough to keep on one page."""
    notes = notes_height(body)
    beside = min(slides, max(1, int((notes + 8) // PREVIEW_MM))) if body else 0
    rows = -(-(slides - beside) // PREVIEWS_PER_ROW)
    height = max(notes, beside * PREVIEW_MM) + rows * PREVIEW_MM + 12  # and the step's head
    return beside, height <= KEEP_MM


def _step_body(step: _Step, module: r.Module, cite: Citations,
               labels: Labels) -> list[b.Block]:
    if step.kind == "opening":
        return [b.ListBlock(cite.lines(module.id, module.facilitator.notes))] if (
            module.facilitator.notes) else []
    if step.kind == "section":
        return _section_notes(step.item, module, cite, labels)  # type: ignore[arg-type]
    if step.kind == "case":
        return _case_notes(step.item, step, labels)  # type: ignore[arg-type]
    if step.kind == "activity":
        return _activity_notes(step.item, labels)  # type: ignore[arg-type]
    if step.kind == "discussion":
        return _discussion_notes(step.item, labels)  # type: ignore[arg-type]
    if step.kind == "wrap-up":
        return [b.ListBlock(cite.lines(module.id, module.key_messages))]
    return []


def _discussion_notes(questions: tuple[r.Question, ...], labels: Labels) -> list[b.Block]:
    """The plenary questions with their minutes, prompts and themes; then the alternates, to
    use if time allows."""
    found: list[b.Block] = []
    plenary = [q for q in questions if not q.alternate]
    for n, q in enumerate(plenary, 1):
        head = f"{n}. {q.text}" + (f" ({labels.minutes(q.minutes)})" if q.minutes else "")
        found.append(b.Keep(tuple(_question_notes(dataclasses.replace(q, text=head), labels))))
    spare = [q for q in questions if q.alternate]
    if spare:
        found.append(b.Callout("note", labels["alternate_questions"], tuple(
            b.Keep(tuple(_question_notes(q, labels))) for q in spare)))
    return found


def _other(session: r.Session, steps: list[_Step], course: r.Course, labels: Labels,
           size: tuple[int, int]) -> list[b.Block]:
    """A session that is not a module, a part of its own: the knowledge check before or
    after the course, or the closing session (evaluation and certificates)."""
    step = steps[0]
    step.start = session.start
    body: list[b.Block] = []
    if step.kind == "check":
        n = len(course.knowledge_check)
        if n:
            body.append(b.Paragraph(b.rich(labels.format("check_step", first=1, last=n)
                                           if n > 1 else labels.format("check_step_one", n=1))))
        body.append(b.Paragraph(b.rich(labels[f"{session.kind}_note"])))
        title = labels["step_check"]
    else:
        body.append(b.ListBlock((b.rich(labels["evaluation_title"]),
                                 b.rich(labels["deck_certificates"]))))
        title = labels["step_closing"]
    beside, keep = preview_layout(tuple(body), len(step.slides))
    time = clock_range(labels, session.start, session.end)
    slides = slides_text([s.number for s in step.slides], labels)
    meta = " · ".join(x for x in (duration(labels, session.minutes), slides) if x)
    return [
        b.RunningHeader(step.title),
        b.Heading(step.title, 1, " · ".join(x for x in (time, meta) if x)),
        b.Step(time=time, title=title, meta=meta,
               slides=tuple(_slide_ref(s, labels, size) for s in step.slides),
               body=tuple(body), beside=beside, keep=keep),
    ]


def _section_notes(s: r.Section, module: r.Module, cite: Citations,
                   labels: Labels) -> list[b.Block]:
    notes = s.facilitator
    found: list[b.Block] = []
    if notes.say:
        found.append(b.ListBlock(tuple(b.rich(x) for x in notes.say)))
    if notes.sensitivity:
        found.append(b.Callout("alert", labels["sensitivity_alerts"],
                               (b.ListBlock(tuple(b.rich(x) for x in notes.sensitivity)),)))
    if notes.outside_sources:
        found.append(b.Callout("note", labels["outside_sources"],
                               (b.ListBlock(cite.lines(module.id, notes.outside_sources)),)))
    if not found and s.bullets:  # nothing private to say: the slide's points remind the reader
        found.append(b.ListBlock(cite.lines(module.id, s.bullets)))
    found += media_blocks(s.image, s.links, labels)
    return found


def _question_notes(q: r.Question, labels: Labels, *, title: bool = True) -> list[b.Block]:
    found: list[b.Block] = []
    if title:
        found.append(b.Paragraph(b.rich(b.Span(q.text, "strong"))))
    if q.facilitator.prompts:
        found.append(b.Paragraph(b.rich(b.Span(labels["prompts"], "em"))))
        found.append(b.ListBlock(tuple(b.rich(x) for x in q.facilitator.prompts)))
    if q.facilitator.themes:
        found.append(b.Paragraph(b.rich(b.Span(labels["themes"], "em"))))
        found.append(b.ListBlock(tuple(b.rich(x) for x in q.facilitator.themes)))
    return found


def _case_notes(c: r.CaseStudy, step: _Step, labels: Labels) -> list[b.Block]:
    note = c.teaching_note
    found: list[b.Block] = []
    if note and note.purpose:
        found.append(labelled(labels["purpose"], note.purpose))
    found.append(decision_block(c, labels))
    if note and note.road_map:
        rows, at = [], step.start
        for minutes, text in note.road_map:
            when = (clock_range(labels, at, add_minutes(at, minutes))  # type: ignore[arg-type]
                    if at is not None else duration(labels, minutes))
            rows.append((b.rich(when), b.rich(text)))
            at = add_minutes(at, minutes) if at is not None else None  # type: ignore[arg-type]
        found.append(b.Table((labels["time"], labels["road_map"]), tuple(rows),
                             widths=(1.1, 5.6), style="plan"))
    for i, q in enumerate(c.questions, 1):
        found.append(b.Keep(tuple(_question_notes(dataclasses.replace(q, text=f"{i}. {q.text}"),
                                                  labels))))
    if note and note.notes:
        found.append(b.Callout("facilitator", labels["teaching_note"],
                               (b.ListBlock(tuple(b.rich(x) for x in note.notes)),)))
    if note and note.sensitivity:
        found.append(b.Callout("alert", labels["sensitivity_alerts"],
                               (b.ListBlock(tuple(b.rich(x) for x in note.sensitivity)),)))
    if note and note.epilogue:
        found.append(b.Callout("note", labels["epilogue"], (b.Paragraph(b.rich(note.epilogue)),)))
    return found


def _activity_notes(a: r.Activity, labels: Labels) -> list[b.Block]:
    found: list[b.Block] = [b.Paragraph(b.rich(b.Span(activity_meta(a, labels), "strong")),
                                        "meta")]
    if a.purpose:
        found.append(labelled(labels["purpose"], a.purpose))
    if a.materials:
        found.append(b.Paragraph(b.rich(b.Span(labels["materials"], "strong"))))
        found.append(b.ListBlock(tuple(b.rich(m.text) for m in a.materials)))
    found.append(b.Paragraph(b.rich(b.Span(labels["steps"], "strong"))))
    found.append(b.ListBlock(tuple(b.rich(s.text) for s in a.steps), "number"))
    if a.report_back:
        found.append(b.Paragraph(b.rich(report_back(a, labels)), "meta"))
    found += role_cards(a, labels)
    found += media_blocks(a.image, a.links, labels)
    if a.debrief:
        found.append(b.Paragraph(b.rich(b.Span(labels["debrief"], "strong"))))
        found += [b.Keep(tuple(_question_notes(q, labels))) for q in a.debrief]
    if a.facilitator.notes:
        found.append(b.Callout("facilitator", labels["facilitator_notes"],
                               (b.ListBlock(tuple(b.rich(x) for x in a.facilitator.notes)),)))
    if a.facilitator.sensitivity:
        found.append(b.Callout("alert", labels["sensitivity_alerts"], (
            b.ListBlock(tuple(b.rich(x) for x in a.facilitator.sensitivity)),)))
    return found


# ---------------------------------------------------------------------------------------------
# Answer key


def _answer_key(course: r.Course, labels: Labels) -> list[b.Block]:
    if not course.knowledge_check:
        return []
    title = f"{labels['knowledge_check']} — {labels['answer_key']}"
    found: list[b.Block] = [b.PageBreak(), b.RunningHeader(title), b.Heading(title, 1)]
    modules = {m.id: m.title for m in course.modules}
    for n, k in enumerate(course.knowledge_check, 1):
        marks = option_marks(labels, len(k.options))
        body: list[b.Block] = [b.Question(f"{n}.", k.question, k.options, marks)]
        if k.answer_key:
            body.append(labelled(labels["answer"], k.answer_key.answer))
            if k.answer_key.explanation:
                body.append(labelled(labels["explanation"], k.answer_key.explanation))
        tests = " · ".join(x for x in (modules.get(k.module, ""), k.objective) if x)
        if tests:
            body.append(labelled(labels["check_tests"], tests))
        found.append(b.Keep(tuple(body)))
    return found
