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
class Objective:
    text: str
    sources: tuple[int, ...] = ()
    parts: tuple[str, ...] = ()  # ids of the sections, cases and activities that teach it


@dataclass(frozen=True)
class Link:
    text: str
    url: str


@dataclass(frozen=True)
class Image:
    path: str  # absolute path of the file inside the workspace
    alt: str
    credit: str
    licence: str
    caption: str = ""


@dataclass(frozen=True)
class KeyFigure:
    value: str
    label: str
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
    references: tuple[tuple[str, float], ...] = ()  # drawn as lines: (name, value)
    highlight: tuple[int, ...] = ()  # indices of the categories to pick out


@dataclass(frozen=True)
class Event:
    when: str
    text: str
    year: float | None = None


@dataclass(frozen=True)
class Era:
    start: float
    end: float
    label: str


@dataclass(frozen=True)
class Timeline:
    caption: str
    alt: str
    events: tuple[Event, ...]
    sources: tuple[int, ...] = ()
    eras: tuple[Era, ...] = ()

    @property
    def to_scale(self) -> bool:
        return all(e.year is not None for e in self.events)


@dataclass(frozen=True)
class Place:
    name: str
    lat: float
    lon: float
    group: str = "primary"


@dataclass(frozen=True)
class Map:
    caption: str
    alt: str
    country: str  # ISO 3166-1 alpha-3
    places: tuple[Place, ...] = ()
    legend: tuple[tuple[str, str], ...] = ()  # (group, label)
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
    map: Map | None = None
    figure: KeyFigure | None = None
    callout: Line | None = None
    image: Image | None = None
    links: tuple[Link, ...] = ()
    sources: tuple[int, ...] = ()
    targeted: bool = False  # written for this audience only
    facilitator: SectionNotes = SectionNotes()


@dataclass(frozen=True)
class QuestionGuide:
    prompts: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Question:
    text: str
    minutes: int = 0
    alternate: bool = False  # facilitator guide only, untimed
    targeted: bool = False
    facilitator: QuestionGuide = QuestionGuide()


@dataclass(frozen=True)
class ActivityNotes:
    notes: tuple[str, ...] = ()
    sensitivity: tuple[str, ...] = ()


@dataclass(frozen=True)
class RoleCard:
    id: str
    title: str
    brief: tuple[Line, ...]


@dataclass(frozen=True)
class Activity:
    id: str
    title: str
    grouping: str
    minutes: int
    competency: str = ""  # personal | comparative | collaborative
    skill: str = ""  # evaluation | negotiation | communication
    purpose: str = ""
    materials: tuple[Line, ...] = ()
    steps: tuple[Line, ...] = ()
    roles: tuple[RoleCard, ...] = ()
    report_back: tuple[int, int] | None = None  # (groups, minutes)
    image: Image | None = None
    links: tuple[Link, ...] = ()
    targeted: bool = False
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
    decision_point: str  # for this audience
    questions: tuple[Question, ...]
    sources: tuple[int, ...]
    role: str = ""  # who the participant is at the decision point, for this audience
    image: Image | None = None
    links: tuple[Link, ...] = ()
    targeted: bool = False
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
    module: str = ""  # the id of the module it belongs to
    objective: str = ""  # the text of the module objective it tests


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
    objectives: tuple[Objective, ...]
    key_messages: tuple[Line, ...]
    sections: tuple[Section, ...] = ()
    case_studies: tuple[CaseStudy, ...] = ()
    activities: tuple[Activity, ...] = ()
    questions: tuple[Question, ...] = ()
    knowledge_check: tuple[CheckItem, ...] = ()
    glossary: tuple[GlossaryEntry, ...] = ()
    sources: tuple[Source, ...] = ()
    facilitator: ModuleNotes = ModuleNotes()


@dataclass(frozen=True)
class Session:
    kind: str  # module | break | lunch | pre-check | post-check | other
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
class Brand:
    """The organisation's look; empty fields mean the template's own."""

    organisation: str = ""
    logo: str = ""  # absolute path of the logo file inside the workspace
    logo_alt: str = ""
    primary: str = ""  # "#1F3A5F"
    accent: str = ""
    heading_font: str = ""
    body_font: str = ""


@dataclass(frozen=True)
class Signatory:
    name: str
    title: str


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
    brand: Brand = Brand()
    signatories: tuple[Signatory, ...] = ()
    knowledge_check: tuple[CheckItem, ...] = ()  # every module's items, asked before and after
    check_minutes: tuple[int, int] = (0, 0)  # the checks before and after the course

    @property
    def minutes(self) -> int:
        """Teaching time: the modules and the knowledge checks (breaks and lunch excluded)."""
        return sum(m.minutes for m in self.modules) + sum(self.check_minutes)

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
