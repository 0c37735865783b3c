"""The typed model of modules, audiences and courses (pydantic v2, unknown keys rejected).

Shapes worth knowing:

* ``Text``: every human-readable text is a plain string (the course's default language) or a
  mapping of language code to text.
* ``Item``: every list item can carry ``audiences: [...]`` so it appears only for them.
* ``Facilitator*`` models hold facilitator-only material (notes, prompts, answer keys, teaching
  notes, sensitivity alerts). The participant handout's plan never reads them.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import CoreSchema

from ccrl_kit.content.files import unsafe_char, unsafe_message

LANGUAGES = ("en", "ru", "kk")
DEFAULT_KEY = ""  # a plain string: the text in the course's default language
SLUG = re.compile(r"\A[a-z0-9]+(?:-[a-z0-9]+)*\Z")  # \Z: "abc\n" is not an id


def _to_text(value: Any) -> Any:
    if isinstance(value, str):
        return {DEFAULT_KEY: value}
    if isinstance(value, dict):
        unknown = [k for k in value if k not in LANGUAGES and k != DEFAULT_KEY]
        if unknown:
            raise ValueError(
                f"unknown language code '{unknown[0]}' (known: {', '.join(LANGUAGES)})"
            )
        bad = [k for k, v in value.items() if not isinstance(v, str)]
        if bad:
            raise ValueError(f"text for language '{bad[0]}' must be a string")
        for text in value.values():
            char = unsafe_char(text)
            if char is not None:
                raise ValueError(unsafe_message(char))
        if not value:
            raise ValueError("expected text, got an empty mapping")
        return value
    raise ValueError("expected text, or a mapping of language code to text")


def _not_blank(value: dict[str, str]) -> dict[str, str]:
    if not any(v.strip() for v in value.values()):
        raise ValueError("text must not be empty")
    return value


TEXT_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {"type": "string", "minLength": 1},
        {
            "type": "object",
            "properties": {code: {"type": "string"} for code in LANGUAGES},
            "additionalProperties": False,
            "minProperties": 1,
        },
    ],
    "description": "Text: a plain string, or a mapping of language code (en, ru, kk) to text.",
}

Text = Annotated[
    dict[str, str],
    BeforeValidator(_to_text),
    AfterValidator(_not_blank),
    WithJsonSchema(TEXT_SCHEMA),
]
"""Localizable text, stored as ``{lang: text}``; a plain string is stored under ``""``."""


def _slug(value: str) -> str:
    if not SLUG.fullmatch(value):
        raise ValueError(
            f"'{value}' is not a valid id: use lower-case letters, digits and single hyphens"
        )
    return value


Slug = Annotated[str, AfterValidator(_slug)]


def _language(value: str) -> str:
    if value not in LANGUAGES:
        raise ValueError(f"unknown language '{value}' (known: {', '.join(LANGUAGES)})")
    return value


Language = Annotated[str, AfterValidator(_language)]
Minutes = Annotated[int, Field(ge=0, le=24 * 60)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False,
                              allow_inf_nan=False)


class Item(Strict):
    """A list item that can be limited to some audiences."""

    audiences: list[Slug] | None = None


class _TextShorthand:
    """JSON Schema for items that may be written as plain text instead of ``{text: ...}``."""

    @classmethod
    def __get_pydantic_json_schema__(cls, core: CoreSchema,
                                     handler: GetJsonSchemaHandler) -> dict[str, Any]:
        full = handler.resolve_ref_schema(handler(core))
        return {"anyOf": [*TEXT_SCHEMA["anyOf"], full]}


def _wrap_text(data: Any) -> Any:
    """Let a list item be written as plain text (or a language mapping) instead of ``{text: }``."""
    if isinstance(data, str):
        return {"text": data}
    if isinstance(data, dict) and data and all(k in LANGUAGES for k in data):
        return {"text": data}
    return data


class TextItem(_TextShorthand, Item):
    """An objective, key message, bullet, step or prompt."""

    text: Text
    sources: list[Slug] = []

    _wrap = model_validator(mode="before")(_wrap_text)


class Quote(Item):
    """A short attributed quotation from the report."""

    text: Text
    speaker: Text
    role: Text | None = None
    city: Text | None = None
    sources: list[Slug] = []


class TableData(Strict):
    """A table the report gives as numbers; decks draw it as a native table."""

    caption: Text
    alt: Text
    columns: list[Text] = Field(min_length=1)
    rows: list[list[Text]] = Field(min_length=1)
    sources: list[Slug] = []

    @model_validator(mode="after")
    def _rows_fit(self) -> TableData:
        for i, row in enumerate(self.rows):
            if len(row) != len(self.columns):
                raise ValueError(
                    f"rows[{i}] has {len(row)} cells but there are {len(self.columns)} columns"
                )
        return self


class ChartSeries(Strict):
    name: Text
    values: list[float] = Field(min_length=1)


class ChartData(Strict):
    """A bar chart the report gives as numbers; decks draw it as a native chart."""

    kind: Literal["bar", "column"] = "bar"
    caption: Text
    alt: Text
    categories: list[Text] = Field(min_length=1)
    series: list[ChartSeries] = Field(min_length=1)
    value_label: Text | None = None
    sources: list[Slug] = []

    @model_validator(mode="after")
    def _series_fit(self) -> ChartData:
        for i, s in enumerate(self.series):
            if len(s.values) != len(self.categories):
                raise ValueError(
                    f"series[{i}] has {len(s.values)} values "
                    f"but there are {len(self.categories)} categories"
                )
        return self


def _short(value: dict[str, str]) -> dict[str, str]:
    if any(len(v) > 20 for v in value.values()):
        raise ValueError("at most 20 characters: it labels a point on the timeline")
    return value


class TimelineEvent(Strict):
    when: Annotated[Text, AfterValidator(_short)]
    text: Text


class TimelineData(Strict):
    """Dated events; decks draw them as a timeline of shapes."""

    caption: Text
    alt: Text
    events: list[TimelineEvent] = Field(min_length=2)
    sources: list[Slug] = []


class SectionNotes(Strict):
    """Facilitator-only notes for a content section (speaker notes)."""

    say: list[Text] = []
    sensitivity: list[Text] = []
    outside_sources: list[TextItem] = []


class Section(Item):
    """A context section: the input part of a module."""

    id: Slug
    title: Text
    minutes: Minutes
    bullets: list[TextItem] = []
    quotes: list[Quote] = []
    table: TableData | None = None
    chart: ChartData | None = None
    timeline: TimelineData | None = None
    sources: list[Slug] = []
    facilitator: SectionNotes = SectionNotes()


class QuestionGuide(Strict):
    """Facilitator-only: how to run a discussion question."""

    prompts: list[Text] = []
    themes: list[Text] = []


class Question(_TextShorthand, Item):
    """A discussion question."""

    text: Text
    minutes: Minutes = 0
    facilitator: QuestionGuide = QuestionGuide()

    _wrap = model_validator(mode="before")(_wrap_text)


class ActivityNotes(Strict):
    notes: list[Text] = []
    sensitivity: list[Text] = []


class Activity(Item):
    """A timed activity: pairs, small groups or plenary, with steps and a debrief."""

    id: Slug
    title: Text
    grouping: Literal["individual", "pairs", "small-groups", "plenary"]
    minutes: Minutes = Field(gt=0)
    purpose: Text | None = None
    materials: list[TextItem] = []
    steps: list[TextItem] = Field(min_length=1)
    debrief: list[Question] = []
    facilitator: ActivityNotes = ActivityNotes()


class RoadMapStep(Strict):
    minutes: Minutes = Field(gt=0)
    text: Text


class TeachingNote(Strict):
    """Facilitator-only: the case's teaching note."""

    purpose: Text | None = None
    road_map: list[RoadMapStep] = Field(min_length=1)
    epilogue: Text
    notes: list[Text] = []
    sensitivity: list[Text] = []


class CaseStudy(Item):
    """A case written with the case method: background, facts, a decision point, questions."""

    id: Slug
    title: Text
    minutes: Minutes = Field(gt=0)
    background: list[TextItem] = Field(min_length=1)
    facts: list[TextItem] = Field(min_length=1)
    decision_point: Text
    questions: list[Question] = Field(min_length=1)
    sources: list[Slug] = Field(min_length=1)
    teaching_note: TeachingNote

    @model_validator(mode="after")
    def _road_map_fits(self) -> CaseStudy:
        total = sum(step.minutes for step in self.teaching_note.road_map)
        if total != self.minutes:
            raise ValueError(
                f"teaching_note.road_map adds up to {total} minutes but the case has {self.minutes}"
            )
        return self


class AnswerKey(Strict):
    """Facilitator-only: the answer of a knowledge-check item."""

    answer: Text
    explanation: Text


class CheckItem(Item):
    """A knowledge-check item, asked before and after the course."""

    question: Text
    options: list[Text] = []
    facilitator: AnswerKey


class TrickyQuestion(Item):
    question: Text
    answer: Text


class ModuleNotes(Strict):
    """Facilitator-only material for the whole module."""

    preparation: list[TextItem] = []
    materials: list[TextItem] = []
    room_setup: Text | None = None
    tricky_questions: list[TrickyQuestion] = []
    sensitivity: list[TextItem] = []
    outside_sources: list[TextItem] = []
    notes: list[TextItem] = []


class Source(Item):
    """A source: a part of the report (section or footnote) or an outside source."""

    id: Slug
    kind: Literal["report", "outside"]
    citation: Text
    url: str | None = None


class GlossaryEntry(Item):
    term: Text
    definition: Text


class Module(Strict):
    """One course module; its ``id`` equals its file name."""

    id: Slug
    title: Text
    summary: Text
    minutes: Minutes = Field(gt=0)
    optional: bool = False
    objectives: list[TextItem] = Field(min_length=1)
    key_messages: list[TextItem] = Field(min_length=1)
    sections: list[Section] = []
    case_studies: list[CaseStudy] = []
    activities: list[Activity] = []
    questions: list[Question] = []
    knowledge_check_minutes: Minutes = 0
    knowledge_check: list[CheckItem] = []
    glossary: list[GlossaryEntry] = []
    facilitator: ModuleNotes = ModuleNotes()
    sources: list[Source] = Field(min_length=1)
    overrides: dict[Slug, dict[str, Any]] = {}
    drafts: list[Language] = []  # languages whose translation awaits a native speaker's review


class Audience(Strict):
    """An audience profile: who the participants are and how the course adapts to them."""

    id: Slug
    name: Text
    participants: Text
    needs: list[TextItem] = Field(min_length=1)
    modules: list[Slug] | None = None  # the modules this audience takes, in its order
    optional: list[Slug] = []  # modules dropped first when a time budget is tight
    minutes: Minutes | None = None  # time budget
    questions: dict[Slug, list[Question]] = {}  # extra discussion questions, per module


Clock = Annotated[str, AfterValidator(lambda v: _clock(v))]


def _clock(value: str) -> str:
    m = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", value)
    if not m:
        raise ValueError(f"'{value}' is not a time of day like 09:00")
    return f"{int(m.group(1)):02d}:{m.group(2)}"


class Session(Strict):
    """One entry of a day: a module, or a break."""

    @classmethod
    def __get_pydantic_json_schema__(cls, core: CoreSchema,
                                     handler: GetJsonSchemaHandler) -> dict[str, Any]:
        full = handler.resolve_ref_schema(handler(core))
        pause = {"type": "integer", "minimum": 0}
        return {"anyOf": [
            full,
            {"type": "object", "properties": {"break": pause, "title": TEXT_SCHEMA},
             "required": ["break"], "additionalProperties": False},
            {"type": "object", "properties": {"lunch": pause, "title": TEXT_SCHEMA},
             "required": ["lunch"], "additionalProperties": False},
        ]}

    module: Slug | None = None
    title: Text | None = None
    kind: Literal["module", "break", "lunch", "other"] = "module"
    minutes: Minutes | None = None

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        if isinstance(data, dict):
            data = dict(data)
            for kind in ("break", "lunch"):
                if kind in data:
                    data["minutes"] = data.pop(kind)
                    data["kind"] = kind
            if "module" not in data and data.get("kind", "module") == "module" and "title" in data:
                data["kind"] = "other"
        return data

    @model_validator(mode="after")
    def _complete(self) -> Session:
        if self.kind == "module" and not self.module:
            raise ValueError("a session needs a 'module', or 'break:'/'lunch:' with minutes")
        if self.kind != "module" and self.minutes is None:
            raise ValueError(f"a {self.kind} needs its minutes")
        return self


class Day(Strict):
    date: dt.date | None = None
    start: Clock
    end: Clock | None = None
    sessions: list[Session] = Field(min_length=1)


class Course(Strict):
    """An event: what is taught, to whom, when and where."""

    id: Slug
    title: Text
    subtitle: Text | None = None
    organiser: Text
    city: Text | None = None
    venue: Text | None = None
    facilitators: list[str] = []
    languages: list[Language] = Field(default=["en"], min_length=1)
    fallback: dict[Language, list[Language]] = {}
    audiences: list[Slug] = Field(min_length=1)
    minutes: Minutes | None = None  # time budget; the audience's, if it has one, is used too
    days: list[Day] = Field(min_length=1)

    @property
    def modules(self) -> list[str]:
        return [s.module for d in self.days for s in d.sessions if s.module]
