"""Plan the participant workbook: what a participant keeps, writes in and takes home.

The knowledge check on its own pages at the front (before the course) and the back (after);
per module a short summary with its key facts and its table, chart or timeline; case handouts
(facts, the decision point, questions with writing space); activity worksheets on cards;
discussion questions with writing space; the glossary; the evaluation form with a 30-day
follow-up; one source list.

It is planned from :func:`~ccrl_kit.resolve.types.participant_view`, a copy of the course with
every facilitator-only field emptied, so nothing private can reach it.
"""

from __future__ import annotations

from ccrl_kit.plan import blocks as b
from ccrl_kit.plan.common import (
    Citations,
    activity_meta,
    cover,
    decision_block,
    duration,
    media_blocks,
    option_marks,
    report_back,
    role_cards,
    schedule_rows,
    schedule_table,
    section_visuals,
)
from ccrl_kit.resolve import types as r
from ccrl_kit.resolve.labels import Labels

WRITE_DISCUSSION = 3  # ruled lines under a discussion question
WRITE_CASE = 4
WRITE_DEBRIEF = 2
WRITE_OPEN = 4  # evaluation's open questions


def plan_participant_workbook(course: r.Course, labels: Labels, *, paper: str = "a4",
                              brand: b.Brand | None = None) -> b.Document:
    brand = brand or b.Brand()
    public = r.participant_view(course)
    cite = Citations(public)
    blocks: list[b.Block] = [
        cover(labels["participant_workbook"], public, labels, facilitators=True,
              note=labels["workbook_owner"]),
        b.Contents(labels["contents"], labels["contents_hint"]),
        b.Heading(labels["schedule"], 1),
        *(schedule_table(public, day, labels) for day in public.days),
    ]
    before, after = public.check_minutes
    if before:
        blocks += _knowledge_check(public, labels, labels["knowledge_check_before"])
    for module in public.modules:
        blocks += _module(module, public, cite, labels)
    if after:
        blocks += _knowledge_check(public, labels, labels["knowledge_check_after"])
    if public.glossary:
        blocks += [b.PageBreak(), b.RunningHeader(labels["glossary"]),
                   b.Heading(labels["glossary"], 1),
                   b.Definitions(tuple((g.term, g.definition) for g in public.glossary), 2)]
    blocks += _evaluation(labels)
    blocks += [b.PageBreak(), b.RunningHeader(labels["sources"]), *cite.bibliography(labels)]
    return b.Document(
        kind="participant-handout", language=course.language,
        title=f"{labels['participant_workbook']} — {public.title}", author=public.organiser,
        header=" · ".join(x for x in (brand.name, labels["participant_workbook"]) if x),
        page_label=labels["page_of"], paper=paper, blocks=tuple(blocks), brand=brand,
    )


def _knowledge_check(course: r.Course, labels: Labels, title: str) -> list[b.Block]:
    items = course.knowledge_check
    if not items:
        return []
    found: list[b.Block] = [b.PageBreak(), b.RunningHeader(title), b.Heading(title, 1),
                            b.Paragraph(b.rich(labels["knowledge_check_intro"]), "meta")]
    for n, k in enumerate(items, 1):
        found.append(b.Question(f"{n}.", k.question, k.options,
                                option_marks(labels, len(k.options)),
                                lines=0 if k.options else 2))
    return found


def _module(module: r.Module, course: r.Course, cite: Citations,
            labels: Labels) -> list[b.Block]:
    meta = [duration(labels, module.minutes)]
    found_at = schedule_rows(course, module.id)
    if found_at:
        day, session = found_at
        meta.insert(0, f"{labels.format('day_n', n=day.number)} · "
                       f"{labels.clock(session.start)}–{labels.clock(session.end)}")
    blocks: list[b.Block] = [
        b.PageBreak(), b.RunningHeader(module.title),
        b.Heading(module.title, 1, " · ".join(meta)),
        b.Paragraph(b.rich(module.summary), "lead"),
        b.Heading(labels["learning_objectives"], 2),
        b.ListBlock(cite.lines(module.id, module.objectives)),
        b.Callout("key", labels["key_facts"],
                  (b.ListBlock(cite.lines(module.id, module.key_messages)),)),
    ]
    figures = [s.figure for s in module.sections if s.figure]
    if figures:
        blocks.append(b.Table(
            (labels["key_figures"], ""),
            tuple((b.rich(b.Span(f.value, "strong")), cite.line(module.id, r.Line(f.label,
                                                                                  f.sources)))
                  for f in figures),
            widths=(1, 5), style="plan"))
    for section in module.sections:
        blocks += section_visuals(section, module.id, cite, labels)
        blocks += media_blocks(section.image, section.links, labels)
    for case in module.case_studies:
        blocks += _case(case, module, cite, labels)
    for activity in module.activities:
        blocks += _worksheet(activity, labels)
    plenary = [q for q in module.questions if not q.alternate]
    if plenary:
        blocks.append(b.Heading(labels["discussion"], 2))
        for n, q in enumerate(plenary, 1):
            blocks.append(b.Question(f"{n}.", q.text, lines=WRITE_DISCUSSION))
    return blocks


def _case(case: r.CaseStudy, module: r.Module, cite: Citations,
          labels: Labels) -> list[b.Block]:
    return [
        b.Heading(f"{labels['case_study']}: {case.title}", 2, duration(labels, case.minutes)),
        b.ListBlock(cite.lines(module.id, case.background)),
        b.Callout("key", labels["facts"], (b.ListBlock(cite.lines(module.id, case.facts)),)),
        decision_block(case, labels),
        *media_blocks(case.image, case.links, labels),
        *(b.Question(f"{n}.", q.text, lines=WRITE_CASE)
          for n, q in enumerate((q for q in case.questions if not q.alternate), 1)),
    ]


def _worksheet(a: r.Activity, labels: Labels) -> list[b.Block]:
    """An activity as a worksheet: the task on a card (one per group can be cut out), then
    room to write and the debrief questions."""
    card: list[b.Block] = [b.Paragraph(b.rich(activity_meta(a, labels)), "meta")]
    if a.purpose:
        card.append(b.Paragraph(b.rich(a.purpose)))
    card.append(b.ListBlock(tuple(b.rich(s.text) for s in a.steps), "number"))
    if a.report_back:
        card.append(b.Paragraph(b.rich(report_back(a, labels)), "meta"))
    found: list[b.Block] = [
        b.Heading(f"{labels['activity']}: {a.title}", 2),
        b.Callout("card", labels["task_card"], tuple(card)),
        *role_cards(a, labels),
        *media_blocks(a.image, a.links, labels),
        b.Question("", labels["your_notes"], lines=WRITE_DISCUSSION),
    ]
    if a.debrief:
        found.append(b.Heading(labels["debrief"], 3))
        found += [b.Question(f"{n}.", q.text, lines=WRITE_DEBRIEF)
                  for n, q in enumerate(a.debrief, 1)]
    return found


def _evaluation(labels: Labels) -> list[b.Block]:
    scale = tuple(str(n) for n in range(1, 6))
    found: list[b.Block] = [
        b.PageBreak(), b.RunningHeader(labels["evaluation_title"]),
        b.Heading(labels["evaluation_title"], 1),
        b.Paragraph(b.rich(labels["evaluation_intro"]), "meta"),
        b.Rating(scale, labels.texts("evaluation_ratings")),
        *(b.Question("", q, lines=WRITE_OPEN) for q in labels.texts("evaluation_open")),
        b.Heading(labels["followup_title"], 2),
        b.Paragraph(b.rich(labels["followup_intro"]), "meta"),
        b.Rating(scale, labels.texts("followup_ratings")),
        *(b.Question("", q, lines=WRITE_OPEN) for q in labels.texts("followup_open")),
    ]
    return found
