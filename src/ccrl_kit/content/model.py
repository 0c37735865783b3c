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
    field_validator,
    model_validator,
)
from pydantic_core import CoreSchema

from ccrl_kit.content.languages import DEFAULT_KEY, is_language, unknown_language
from ccrl_kit.content.languages import SHIPPED as LANGUAGES
from ccrl_kit.files import unsafe_char, unsafe_message
from ccrl_kit.settings import LAYOUT_ROLES

SLUG = re.compile(r"\A[a-z0-9]+(?:-[a-z0-9]+)*\Z")  # \Z: "abc\n" is not an id

# the slide layouts a deck draws on, named like the shipped template's layouts; ccrl.yaml's
# ``layouts:`` maps a role to a layout of another template (ccrl_kit.plan.template)

def _to_text(value: Any) -> Any:
    if isinstance(value, str):
        return {DEFAULT_KEY: value}
    if isinstance(value, dict):
        unknown = [k for k in value if k != DEFAULT_KEY and not is_language(k)]
        if unknown:
            raise ValueError(unknown_language(str(unknown[0])))
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
            "propertyNames": {"pattern": r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"},
            "additionalProperties": {"type": "string"},
            "minProperties": 1,
        },
    ],
    "description": "Text: a plain string, or a mapping of language code (en, ru, kk, ky, "
                   "uz, ...: any language CLDR knows) to text.",
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
    if not is_language(value):
        raise ValueError(unknown_language(value))
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
    if isinstance(data, dict) and data and all(k != "id" and is_language(k) for k in data):
        return {"text": data}
    return data


class TextItem(_TextShorthand, Item):
    """An objective, key message, bullet, step or prompt."""

    text: Text
    sources: list[Slug] = []

    _wrap = model_validator(mode="before")(_wrap_text)


class Objective(TextItem):
    """A learning objective, with the parts of the module that teach it."""

    parts: list[Slug] = []  # ids of sections, case studies and activities behind it


class Link(Strict):
    """A link a participant can follow: clickable on screen, a QR code in print."""

    text: Text
    url: Annotated[str, AfterValidator(lambda v: _url(v))]


def _url(value: str) -> str:
    if not re.fullmatch(r"(https?://[^\s<>\"]+|mailto:[^\s<>\"]+)", value):
        raise ValueError(f"'{value}' is not a web address (http://, https:// or mailto:)")
    return value


class Image(Strict):
    """A picture (photo, map, diagram) from the workspace, with what a reader and the law need."""

    file: str  # a path inside the workspace, e.g. images/almaty-club.jpg
    alt: Text
    credit: Text
    licence: Text
    caption: Text | None = None

    @model_validator(mode="after")
    def _kind(self) -> Image:
        if not self.file.lower().endswith((".png", ".jpg", ".jpeg", ".svg")):
            raise ValueError(f"image '{self.file}' must be a .png, .jpg or .svg file")
        return self


class KeyFigure(Strict):
    """One number worth a slide of its own ("45", "120", "×2"), with what it counts."""

    value: Text
    label: Text
    sources: list[Slug] = []


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


class ReferenceLine(Strict):
    """A value drawn across a chart as a line (a mean, a median, a threshold), not as a bar."""

    name: Text
    value: float


class ChartData(Strict):
    """A bar chart the report gives as numbers; decks draw it as a native chart."""

    kind: Literal["bar", "column"] = "bar"
    caption: Text
    alt: Text
    categories: list[Text] = Field(min_length=1)
    series: list[ChartSeries] = Field(min_length=1)
    value_label: Text | None = None
    references: list[ReferenceLine] = []
    highlight: list[str] = []  # categories to pick out, by their text in any language
    sort: Literal["none", "descending", "ascending"] = "none"
    sources: list[Slug] = []

    @model_validator(mode="after")
    def _series_fit(self) -> ChartData:
        for i, s in enumerate(self.series):
            if len(s.values) != len(self.categories):
                raise ValueError(
                    f"series[{i}] has {len(s.values)} values "
                    f"but there are {len(self.categories)} categories"
                )
        names = {text for c in self.categories for text in c.values()}
        for name in self.highlight:
            if name not in names:
                raise ValueError(f"highlight '{name}' is not one of the categories")
        return self


def _short(value: dict[str, str]) -> dict[str, str]:
    if any(len(v) > 20 for v in value.values()):
        raise ValueError("at most 20 characters: it labels a point on the timeline")
    return value


Year = Annotated[float, Field(ge=-10000, le=10000)]


class TimelineEvent(Strict):
    when: Annotated[Text, AfterValidator(_short)]
    text: Text
    year: Year | None = None  # where the event sits on a timeline drawn to scale (2013.4 = May)


class Era(Strict):
    """A span of years shaded behind a timeline (an empire, a period of repression)."""

    start: Year
    end: Year
    label: Text

    @model_validator(mode="after")
    def _ordered(self) -> Era:
        if self.end <= self.start:
            raise ValueError("an era must end after it starts")
        return self


class TimelineData(Strict):
    """Dated events; drawn to scale when every event has a ``year``."""

    caption: Text
    alt: Text
    events: list[TimelineEvent] = Field(min_length=2)
    eras: list[Era] = []
    sources: list[Slug] = []

    @model_validator(mode="after")
    def _years(self) -> TimelineData:
        years = [e.year for e in self.events]
        if self.eras and None in years:
            raise ValueError("eras need every event to have a 'year'")
        return self


class Place(Strict):
    """A city on a map."""

    name: Text
    lat: Annotated[float, Field(ge=-90, le=90)]
    lon: Annotated[float, Field(ge=-180, le=180)]
    group: Literal["primary", "secondary"] = "primary"


class MapData(Strict):
    """A map of a country and its neighbours (drawn from shipped Natural Earth outlines)."""

    caption: Text
    alt: Text
    country: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]  # ISO 3166-1 alpha-3, e.g. KAZ
    places: list[Place] = []
    legend: dict[Literal["primary", "secondary"], Text] = {}
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
    map: MapData | None = None
    figure: KeyFigure | None = None
    callout: TextItem | None = None
    image: Image | None = None
    links: list[Link] = []
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
    alternate: bool = False  # in the facilitator guide only, untimed, for when time allows
    facilitator: QuestionGuide = QuestionGuide()

    _wrap = model_validator(mode="before")(_wrap_text)

    @model_validator(mode="after")
    def _untimed_alternate(self) -> Question:
        if self.alternate and self.minutes:
            raise ValueError("an alternate question is untimed: remove its minutes")
        return self


class ActivityNotes(Strict):
    notes: list[Text] = []
    sensitivity: list[Text] = []


Competency = Literal["personal", "comparative", "collaborative"]
Skill = Literal["evaluation", "negotiation", "communication"]


class RoleCard(Item):
    """A role a participant plays: handed out on a card (participant-facing)."""

    id: Slug
    title: Text  # who the participant is, e.g. "District police chief"
    brief: list[TextItem] = Field(min_length=1)  # what they know, want and may concede


class ReportBack(Strict):
    """Groups reporting to the plenary: at least two minutes a group."""

    groups: Annotated[int, Field(ge=1, le=50)]
    minutes: Minutes = Field(gt=0)


class Activity(Item):
    """A timed activity: pairs, small groups or plenary, with steps and a debrief."""

    id: Slug
    title: Text
    grouping: Literal["individual", "pairs", "small-groups", "plenary", "role-play"]
    minutes: Minutes = Field(gt=0)
    competency: Competency | None = None  # the CCRL competency it practises
    skill: Skill | None = None  # the CCRL skill it practises
    purpose: Text | None = None
    materials: list[TextItem] = []
    steps: list[TextItem] = Field(min_length=1)
    roles: list[RoleCard] = []
    report_back: ReportBack | None = None
    image: Image | None = None
    links: list[Link] = []
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


class DecisionPoint(Item):
    """The case's open decision, put to a participant in a role; one per audience if needed."""

    role: Text | None = None  # e.g. "You are the district police chief"
    text: Text


class CaseStudy(Item):
    """A case written with the case method: background, facts, a decision point, questions."""

    id: Slug
    title: Text
    minutes: Minutes = Field(gt=0)
    background: list[TextItem] = Field(min_length=1)
    facts: list[TextItem] = Field(min_length=1)
    decision_point: list[DecisionPoint] = Field(min_length=1)
    questions: list[Question] = Field(min_length=1)
    image: Image | None = None
    links: list[Link] = []
    sources: list[Slug] = Field(min_length=1)
    teaching_note: TeachingNote

    @field_validator("decision_point", mode="before")
    @classmethod
    def _one_for_everyone(cls, value: Any) -> Any:
        """A plain text (or language mapping) is the decision point for every audience."""
        if isinstance(value, str):
            return [{"text": value}]
        if isinstance(value, dict):
            return [value if "text" in value else {"text": value}]
        return value

    @model_validator(mode="after")
    def _one_per_audience(self) -> CaseStudy:
        general = [d for d in self.decision_point if d.audiences is None]
        if len(general) > 1:
            raise ValueError("decision_point: at most one entry without 'audiences'")
        seen: set[str] = set()
        for d in self.decision_point:
            for aid in d.audiences or []:
                if aid in seen:
                    raise ValueError(f"decision_point: two entries for audience '{aid}'")
                seen.add(aid)
        return self

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
    objective: Annotated[int, Field(ge=1)] | None = None  # the objective it tests (1 = first)
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
    kind: Literal["report", "standard", "outside"]  # standard: an international standard
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
    objectives: list[Objective] = Field(min_length=1)
    key_messages: list[TextItem] = Field(min_length=1)
    sections: list[Section] = []
    case_studies: list[CaseStudy] = []
    activities: list[Activity] = []
    questions: list[Question] = []
    knowledge_check: list[CheckItem] = []
    glossary: list[GlossaryEntry] = []
    facilitator: ModuleNotes = ModuleNotes()
    sources: list[Source] = Field(min_length=1)
    overrides: dict[Slug, dict[str, Any]] = {}
    drafts: list[Language] = []  # languages whose translation awaits a native speaker's review

    @model_validator(mode="after")
    def _references_inside(self) -> Module:
        owners: list[Section | CaseStudy | Activity] = [
            *self.sections, *self.case_studies, *self.activities]
        parts = {x.id for x in owners}
        for i, objective in enumerate(self.objectives):
            for part in objective.parts:
                if part not in parts:
                    raise ValueError(f"objectives[{i}].parts: no section, case study or "
                                     f"activity '{part}' in this module")
        for i, item in enumerate(self.knowledge_check):
            if item.objective and item.objective > len(self.objectives):
                raise ValueError(f"knowledge_check[{i}].objective: the module has "
                                 f"{len(self.objectives)} objectives")
        return self


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


# "- break: 15" means a 15-minute break; "- pre_check: 15", the knowledge check before the course
SHORTHAND = {"break": "break", "lunch": "lunch", "pre_check": "pre-check",
             "post_check": "post-check"}


class Session(Strict):
    """One entry of a day: a module, a break, or the knowledge check before or after."""

    @classmethod
    def __get_pydantic_json_schema__(cls, core: CoreSchema,
                                     handler: GetJsonSchemaHandler) -> dict[str, Any]:
        full = handler.resolve_ref_schema(handler(core))
        pause = {"type": "integer", "minimum": 0}
        return {"anyOf": [
            full,
            *({"type": "object", "properties": {kind: pause, "title": TEXT_SCHEMA},
               "required": [kind], "additionalProperties": False}
              for kind in SHORTHAND),
        ]}

    module: Slug | None = None
    title: Text | None = None
    kind: Literal["module", "break", "lunch", "pre-check", "post-check", "other"] = "module"
    minutes: Minutes | None = None

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        if isinstance(data, dict):
            data = dict(data)
            for key, kind in SHORTHAND.items():
                if key in data:
                    data["minutes"] = data.pop(key)
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


Colour = Annotated[str, Field(pattern=r"^#[0-9A-Fa-f]{6}$")]


class Logo(Strict):
    file: str  # a .png or .svg inside the workspace
    alt: Text

    @model_validator(mode="after")
    def _kind(self) -> Logo:
        if not self.file.lower().endswith((".png", ".svg", ".jpg", ".jpeg")):
            raise ValueError(f"logo '{self.file}' must be a .png, .svg or .jpg file")
        return self


class BrandFonts(Strict):
    heading: str | None = None
    body: str | None = None


class Brand(Strict):
    """An organisation's look: applied to every deck, document and certificate."""

    organisation: Text | None = None
    logo: Logo | None = None
    primary: Colour | None = None  # headings, title and divider slides
    accent: Colour | None = None  # rules, highlights, icons
    fonts: BrandFonts = BrandFonts()


class Signatory(Strict):
    """Who signs the certificates."""

    name: str
    title: Text


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
    brand: Brand | None = None  # overrides the workspace's brand (ccrl.yaml)
    signatories: list[Signatory] = []
    days: list[Day] = Field(min_length=1)

    @property
    def modules(self) -> list[str]:
        return [s.module for d in self.days for s in d.sessions if s.module]


class WorkspaceConfig(Strict):
    """``ccrl.yaml`` at the workspace root: settings shared by every course."""

    default_course: Slug | None = None
    brand: Brand | None = None
    layouts: dict[str, str] = {}  # slide layout role -> the deck template's layout name

    @field_validator("layouts")
    @classmethod
    def _known_roles(cls, value: dict[str, str]) -> dict[str, str]:
        import difflib

        for role, name in value.items():
            if role not in LAYOUT_ROLES:
                close = difflib.get_close_matches(role, LAYOUT_ROLES, n=1, cutoff=0.5)
                hint = f"did you mean '{close[0]}'?" if close else \
                    "the roles are " + ", ".join(f"'{r}'" for r in LAYOUT_ROLES)
                raise ValueError(f"unknown slide layout role '{role}' — {hint}")
            if not name.strip():
                raise ValueError(f"{role}: name a layout of the deck template")
        return value
