"""Stage 4b, plan the handouts: resolved course -> what each printed document holds.

The participant handout is planned from :func:`~ccrl_kit.resolved.participant_view`, a copy of
the course with every facilitator-only field emptied, so no template can leak it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ccrl_kit.plan.deck import DeckPlan
from ccrl_kit.resolve import types as r
from ccrl_kit.resolve.labels import Labels


@dataclass(frozen=True)
class PlanRow:
    offset: str
    title: str
    minutes: int


@dataclass(frozen=True)
class SlideSummary:
    title: str
    summary: str


@dataclass(frozen=True)
class HandoutPlan:
    kind: str  # facilitator-guide | participant-handout
    kind_label: str
    language: str
    course: r.Course
    cover: tuple[tuple[str, str], ...]
    day_titles: tuple[str, ...]
    labels: Labels
    session_plans: dict[str, tuple[PlanRow, ...]] = field(default_factory=dict)
    slides: dict[str, tuple[SlideSummary, ...]] = field(default_factory=dict)
    evaluation: dict[str, Any] = field(default_factory=dict)
    check_intro: str = ""


def _cover(course: r.Course, labels: Labels) -> tuple[tuple[str, str], ...]:
    length = labels.duration(course.minutes)
    rows = [
        (labels["participants"], course.audience.name),
        (labels["dates"], labels.date_range(course.dates)),
        (labels["place"], ", ".join(x for x in (course.venue, course.city) if x)),
        (labels["facilitators"], ", ".join(course.facilitators)),
        (labels["organiser"], course.organiser),
        (labels["total"], length),
    ]
    return tuple((k, v) for k, v in rows if v)


def _day_titles(course: r.Course, labels: Labels) -> tuple[str, ...]:
    return tuple(
        labels.format("day_n", n=d.number) + (f" · {labels.date(d.date)}" if d.date else "")
        for d in course.days
    )


def _session_plan(module: r.Module, labels: Labels) -> tuple[PlanRow, ...]:
    parts: list[tuple[str, int]] = [(s.title, s.minutes) for s in module.sections]
    parts += [(f"{labels['case_study']}: {c.title}", c.minutes) for c in module.case_studies]
    parts += [(f"{labels['activity']}: {a.title}", a.minutes) for a in module.activities]
    discussion = sum(q.minutes for q in module.questions)
    if discussion:
        parts.append((labels["discussion"], discussion))
    rows, offset = [], 0
    for title, minutes in parts:
        rows.append(PlanRow(f"+{offset}′", title, minutes))
        offset += minutes
    return tuple(rows)


def _slide_summaries(deck: DeckPlan, course: r.Course) -> dict[str, tuple[SlideSummary, ...]]:
    """Group the deck's slides by module (a module starts at its divider slide)."""
    titles = {m.title: m.id for m in course.modules}
    grouped: dict[str, list[SlideSummary]] = {}
    current = ""
    for slide in deck.slides:
        if slide.kind == "section" and slide.title in titles:
            current = titles[slide.title]
        if slide.kind == "closing":
            current = ""
        if current:
            summary = " · ".join(p.text for p in slide.body[:2])
            if len(summary) > 140:
                summary = summary[:139].rsplit(" ", 1)[0] + " …"
            grouped.setdefault(current, []).append(SlideSummary(slide.title, summary))
    return {k: tuple(v) for k, v in grouped.items()}


def plan_facilitator_guide(course: r.Course, deck: DeckPlan, labels: Labels) -> HandoutPlan:
    return HandoutPlan(
        kind="facilitator-guide",
        kind_label=labels["facilitator_guide"],
        language=course.language,
        course=course,
        cover=_cover(course, labels),
        day_titles=_day_titles(course, labels),
        labels=labels,
        session_plans={m.id: _session_plan(m, labels) for m in course.modules},
        slides=_slide_summaries(deck, course),
    )


def plan_participant_handout(course: r.Course, labels: Labels) -> HandoutPlan:
    public = r.participant_view(course)
    return HandoutPlan(
        kind="participant-handout",
        kind_label=labels["participant_handout"],
        language=course.language,
        course=public,
        cover=_cover(public, labels),
        day_titles=_day_titles(public, labels),
        labels=labels,
        check_intro=labels["knowledge_check_intro"],
        evaluation={
            "title": labels["evaluation_title"],
            "intro": labels["evaluation_intro"],
            "scale": ("1", "2", "3", "4", "5"),
            "ratings": labels.texts("evaluation_ratings"),
            "open": labels.texts("evaluation_open"),
        },
    )


@dataclass(frozen=True)
class CertificatePlan:
    """One certificate page per name (one blank page when there are no names)."""

    kind: str
    language: str
    labels: Labels
    course_title: str
    hours: str
    dates: str
    place: str
    organiser: str
    names: tuple[str, ...]


def plan_certificates(course: r.Course, names: tuple[str, ...], labels: Labels) -> CertificatePlan:
    return CertificatePlan(
        kind="certificate",
        language=course.language,
        labels=labels,
        course_title=course.title,
        hours=labels.format("certificate_hours", hours=labels.hours(course.minutes / 60)),
        dates=labels.date_range(course.dates),
        place=", ".join(x for x in (course.venue, course.city) if x),
        organiser=course.organiser,
        names=names or ("",),
    )
