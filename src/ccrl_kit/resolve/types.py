"""The resolved course: one audience, one language, plain strings, timings summed.

These are what the plan stage reads. Nothing here is localizable or audience-limited any more.
Facilitator-only material lives in fields named ``facilitator``/``teaching_note``/``answer_key``;
:func:`participant_view` returns a copy with all of them emptied.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Line:
    """A piece of text with the numbers of the sources it cites."""

    text: str
    sources: tuple[int, ...] = ()


@dataclass(frozen=True)
class Quote:
    text: str
    speaker: str
    role: str = ""
    city: str = ""
    sources: tuple[int, ...] = ()


@dataclass(frozen=True)
class Table:
    caption: str
    alt: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    sources: tuple[int, ...] = ()


@dataclass(frozen=True)
class Chart:
    kind: str
    caption: str
    alt: str
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[float, ...]], ...]
    value_label: str = ""
    sources: tuple[int, ...] = ()


@dataclass(frozen=True)
class Timeline:
    caption: str
    alt: str
    events: tuple[tuple[str, str], ...]
    sources: tuple[int, ...] = ()


@dataclass(frozen=True)
class SectionNotes:
    say: tuple[str, ...] = ()
    sensitivity: tuple[str, ...] = ()
    outside_sources: tuple[Line, ...] = ()


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    minutes: int
    bullets: tuple[Line, ...] = ()
    quotes: tuple[Quote, ...] = ()
    table: Table | None = None
    chart: Chart | None = None
    timeline: Timeline | None = None
    sources: tuple[int, ...] = ()
    facilitator: SectionNotes = SectionNotes()


@dataclass(frozen=True)
class QuestionGuide:
    prompts: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Question:
    text: str
    minutes: int = 0
    facilitator: QuestionGuide = QuestionGuide()


@dataclass(frozen=True)
class ActivityNotes:
    notes: tuple[str, ...] = ()
    sensitivity: tuple[str, ...] = ()


@dataclass(frozen=True)
class Activity:
    id: str
    title: str
    grouping: str
    minutes: int
    purpose: str = ""
    materials: tuple[Line, ...] = ()
    steps: tuple[Line, ...] = ()
    debrief: tuple[Question, ...] = ()
    facilitator: ActivityNotes = ActivityNotes()


@dataclass(frozen=True)
class TeachingNote:
    purpose: str = ""
    road_map: tuple[tuple[int, str], ...] = ()
    epilogue: str = ""
    notes: tuple[str, ...] = ()
    sensitivity: tuple[str, ...] = ()


@dataclass(frozen=True)
class CaseStudy:
    id: str
    title: str
    minutes: int
    background: tuple[Line, ...]
    facts: tuple[Line, ...]
    decision_point: str
    questions: tuple[Question, ...]
    sources: tuple[int, ...]
    teaching_note: TeachingNote | None = None


@dataclass(frozen=True)
class AnswerKey:
    answer: str
    explanation: str


@dataclass(frozen=True)
class CheckItem:
    question: str
    options: tuple[str, ...] = ()
    answer_key: AnswerKey | None = None


@dataclass(frozen=True)
class Tricky:
    question: str
    answer: str


@dataclass(frozen=True)
class ModuleNotes:
    preparation: tuple[Line, ...] = ()
    materials: tuple[Line, ...] = ()
    room_setup: str = ""
    tricky_questions: tuple[Tricky, ...] = ()
    sensitivity: tuple[Line, ...] = ()
    outside_sources: tuple[Line, ...] = ()
    notes: tuple[Line, ...] = ()


@dataclass(frozen=True)
class Source:
    number: int
    id: str
    kind: str
    citation: str
    url: str = ""


@dataclass(frozen=True)
class GlossaryEntry:
    term: str
    definition: str


@dataclass(frozen=True)
class Module:
    id: str
    title: str
    summary: str
    minutes: int
    optional: bool
    objectives: tuple[Line, ...]
    key_messages: tuple[Line, ...]
    sections: tuple[Section, ...] = ()
    case_studies: tuple[CaseStudy, ...] = ()
    activities: tuple[Activity, ...] = ()
    questions: tuple[Question, ...] = ()
    knowledge_check_minutes: int = 0
    knowledge_check: tuple[CheckItem, ...] = ()
    glossary: tuple[GlossaryEntry, ...] = ()
    sources: tuple[Source, ...] = ()
    facilitator: ModuleNotes = ModuleNotes()


@dataclass(frozen=True)
class Session:
    kind: str  # module | break | lunch | other
    title: str
    start: dt.time
    end: dt.time
    minutes: int
    module: str = ""


@dataclass(frozen=True)
class Day:
    number: int
    date: dt.date | None
    sessions: tuple[Session, ...]


@dataclass(frozen=True)
class Audience:
    id: str
    name: str
    participants: str
    needs: tuple[str, ...]


@dataclass(frozen=True)
class Course:
    id: str
    title: str
    subtitle: str
    organiser: str
    city: str
    venue: str
    facilitators: tuple[str, ...]
    language: str
    audience: Audience
    days: tuple[Day, ...]
    modules: tuple[Module, ...]
    glossary: tuple[GlossaryEntry, ...] = ()
    dropped: tuple[str, ...] = field(default=())

    @property
    def minutes(self) -> int:
        return sum(m.minutes for m in self.modules)

    @property
    def dates(self) -> tuple[dt.date, ...]:
        return tuple(d.date for d in self.days if d.date)


_FACILITATOR_FIELDS = {"facilitator", "teaching_note", "answer_key"}


def participant_view(obj: Any) -> Any:
    """A copy of ``obj`` with every facilitator-only field emptied, recursively."""
    if isinstance(obj, tuple):
        return tuple(participant_view(x) for x in obj)
    if not dataclasses.is_dataclass(obj) or isinstance(obj, type):
        return obj
    changes: dict[str, Any] = {}
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        if f.name in _FACILITATOR_FIELDS:
            changes[f.name] = None if f.name != "facilitator" else type(value)()
        else:
            changes[f.name] = participant_view(value)
    return dataclasses.replace(obj, **changes)
