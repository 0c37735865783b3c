"""Stage 4a, plan the deck: resolved course -> final slides, numbered, with every shape placed.

Two steps. :func:`draft_deck` decides what the room sees, slide by slide, in teaching order
(a divider per module, content slides, each case in three slides, one discussion slide, a
recap, the knowledge checks where the schedule puts them, the closing). ``plan.layout`` then
measures every text with the deck's font, chooses sizes, layouts and any split, and places
every element; the renderer only draws the result.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path as FilePath
from typing import TypedDict, overload

from ccrl_kit.resolve import types as r
from ccrl_kit.resolve.labels import Labels

# ------------------------------------------------------------------------------------------
# The final plan: what the renderer draws and the guide cites
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Para:
    """A semantic paragraph of a draft (before layout)."""

    text: str
    level: int = 0
    bold: bool = False
    second: str = ""  # the same text in the second language of a bilingual deck
    bullet: bool = True


@dataclass(frozen=True)
class Frame:
    """One positioned element of a planned slide, in EMU from the slide's top-left corner.

    Frames are what a small preview of the slide needs (the facilitator guide draws them
    beside the notes); the deck renderer draws the slide itself from ``Slide.elements``.
    """

    x: int
    y: int
    w: int
    h: int
    kind: str  # text | shape | picture | table | chart | map | icon | line
    text: str = ""
    pt: float = 0.0  # font size of ``text``
    bold: bool = False
    fill: str = ""  # a colour role: primary | accent | dark | light | muted | soft | "" (none)
    colour: str = ""  # the text colour role (same roles)


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    colour: str = ""  # colour role; "" keeps the frame's
    link: str = ""  # a hyperlink target


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]
    pt: float
    bullet: str = ""  # the bullet character, "" for none
    indent: int = 0  # EMU from the frame's left inset to the text
    align: str = "l"  # l | ctr | r
    before: float = 0.0  # space before, pt
    spacing: float = 1.0  # line spacing multiple

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True)
class Text:
    x: int
    y: int
    w: int
    h: int
    paras: tuple[Paragraph, ...]
    placeholder: int = -1  # the layout placeholder it fills (0 title, 1 body...), -1: a box
    anchor: str = "t"  # t | ctr | b
    fill: str = ""
    line: str = ""
    shape: str = "rect"  # rect | roundRect | ellipse
    colour: str = "dark"
    name: str = "Text"
    pad: int = 0  # extra bottom inset, EMU: room for the glyphs of large text under its line


@dataclass(frozen=True)
class Shape:
    x: int
    y: int
    w: int
    h: int
    shape: str = "rect"  # rect | roundRect | ellipse
    fill: str = ""
    line: str = ""
    line_w: int = 0  # EMU
    name: str = "Shape"


@dataclass(frozen=True)
class Line:
    x1: int
    y1: int
    x2: int
    y2: int
    colour: str = "muted"
    width: int = 19050  # EMU
    dash: bool = False
    name: str = "Line"


@dataclass(frozen=True)
class Path:
    """Freeform geometry: ``paths`` are lists of commands in EMU relative to (x, y)."""

    x: int
    y: int
    w: int
    h: int
    paths: tuple[tuple[tuple, ...], ...]  # ("M", x, y) ("L", x, y) ("C", ...6) ("Z",)
    fill: str = ""
    line: str = ""
    line_w: int = 0
    kind: str = "shape"  # icon | shape (for previews)
    name: str = "Freeform"


@dataclass(frozen=True)
class Picture:
    x: int
    y: int
    w: int
    h: int
    path: str
    alt: str
    name: str = "Picture"


@dataclass(frozen=True)
class Table:
    x: int
    y: int
    w: int
    h: int
    widths: tuple[int, ...]
    heights: tuple[int, ...]
    cells: tuple[tuple[tuple[Paragraph, ...], ...], ...]  # rows of cells of paragraphs
    alt: str
    name: str = "Table"


@dataclass(frozen=True)
class Chart:
    """A native bar chart; its plot area is placed exactly (``plot``: fractions x, y, w, h)."""

    x: int
    y: int
    w: int
    h: int
    categories: tuple[str, ...]
    values: tuple[float, ...]
    series: str
    highlight: tuple[int, ...]
    maximum: float
    plot: tuple[float, float, float, float]
    pt: float
    alt: str
    name: str = "Chart"


@dataclass(frozen=True)
class Group:
    x: int
    y: int
    w: int
    h: int
    children: tuple = ()
    alt: str = ""
    kind: str = "shape"  # map | timeline | chart | shape (for previews)
    name: str = "Group"


Element = Text | Shape | Line | Path | Picture | Table | Chart | Group


@dataclass(frozen=True)
class Slide:
    kind: str
    layout: str
    title: str
    number: int = 0  # the number shown on the slide (1 = the title slide, which shows none)
    module: str = ""  # the id of the module the slide belongs to ("" outside modules)
    part: str = ""  # what it shows: a section, case or activity id, or PARTS below
    preview: tuple[Frame, ...] = ()  # what a thumbnail of the slide draws
    body: tuple[Para, ...] = ()  # the slide's main text, for summaries
    notes: tuple[str, ...] = ()
    elements: tuple = ()  # what the renderer draws, in drawing order
    footer: str = ""  # the footer line (the module's name); "" for none
    show_number: bool = True
    continued: bool = False
    title_second: str = ""
    alt: tuple[str, ...] = ()  # alt texts of the slide's graphics (for tests and the guide)
    # the layout's footer and slide-number placeholders, filled: (ftr | sldNum, idx, text);
    # a layout without them gets text boxes among ``elements`` instead
    fields: tuple[tuple[str, int, str], ...] = ()


@dataclass(frozen=True)
class DeckPlan:
    title: str
    author: str
    language: str
    slides: tuple[Slide, ...] = field(default=())
    size: tuple[int, int] = (12192000, 6858000)  # slide width and height, EMU
    theme: tuple[tuple[str, str], ...] = ()  # theme colour slots to set: (slot, RRGGBB)
    font: str = ""  # the typeface every run sets, where the template's theme has another


# the parts of a deck that are not a section, case or activity of a module
PARTS = ("title", "agenda", "opening", "discussion", "recap", "pre-check", "post-check",
         "evaluation", "closing", "sources")

# slide kind -> the layout role it is drawn on (plan.template matches roles to layouts)
LAYOUT = {
    "title": "Title",
    "divider": "Section",
    "section": "Section",
    "objectives": "Title and Content",
    "bullets": "Title and Content",
    "agenda": "Title and Content",
    "figure": "Two Content",
    "quote": "Quote",
    "visual": "Table or Chart",
    "case": "Case Study",
    "decision": "Question",
    "questions": "Question",
    "discussion": "Question",
    "activity": "Title and Content",
    "recap": "Title and Content",
    "check": "Question",
    "evaluation": "Question",
    "sources": "Title and Content",
    "closing": "Closing",
}


# ------------------------------------------------------------------------------------------
# Drafts: what each slide says, before measuring
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One timed item of a discussion or case-questions slide."""

    text: Para
    minutes: str = ""


Visual = r.Map | r.Chart | r.Timeline | r.Table | r.Image  # a slide's graphic


@dataclass(frozen=True)
class Draft:
    kind: str
    title: Para
    module: str = ""
    part: str = ""  # see Slide.part
    footer: Para = Para("")
    notes: tuple[str, ...] = ()
    body: tuple[Para, ...] = ()
    side: tuple[Para, ...] = ()  # a second column (facts, a quote beside bullets)
    side_head: Para | None = None
    body_head: Para | None = None
    attribution: Para | None = None
    figure: tuple[str, Para] | None = None  # a key figure: value, label
    callout: Para | None = None
    visual: Visual | None = None
    visual2: Visual | None = None  # the same in the second language
    caption: Para | None = None
    rows: tuple[Row, ...] = ()
    chips: tuple[Para, ...] = ()  # short facts beside the title: minutes, grouping, skill
    role: Para | None = None
    icon: str = ""
    links: tuple[r.Link, ...] = ()
    logo: tuple[str, str] = ("", "")  # path, alt
    progress: tuple[int, int] = (0, 0)  # module n of total, for dividers


class Owner(TypedDict):
    """What every slide of a module shares: the module's id and its footer."""

    module: str
    footer: Para


QUOTE_CHARS = 230  # a longer quotation (about 35 English words) is read from the notes


class QuoteFilter:
    """Where each quote of a section goes: ``slide`` (a card or a quote slide), ``notes``
    (too long to read on a slide: statute text, a long passage — the trainer reads it aloud,
    the handout prints it) or ``seen`` (already in the deck, also where a module repeats part
    of another's quote: each quote once a deck). Quotes a section gives from one speaker stay
    together: if one of them is too long, all of them go to the notes. The decisions made for
    a deck's first language are replayed for its second, so both languages keep the same
    slides."""

    def __init__(self, replay: list[str] | None = None):
        self.seen: set[str] = set()
        self.decisions: list[str] = []
        self.replay = list(replay) if replay is not None else None

    def place(self, quotes: tuple[r.Quote, ...]) -> list[str]:
        if self.replay is not None:
            out, self.replay = self.replay[:len(quotes)], self.replay[len(quotes):]
            return out
        fresh = []
        for q in quotes:
            fresh.append(not any(q.text in seen or seen in q.text for seen in self.seen))
            self.seen.add(q.text)
        long = {q.speaker for q, new in zip(quotes, fresh, strict=True)
                if new and len(q.text) > QUOTE_CHARS}
        out = ["seen" if not new else "notes" if q.speaker in long else "slide"
               for q, new in zip(quotes, fresh, strict=True)]
        self.decisions.extend(out)
        return out


def draft_deck(course: r.Course, labels: Labels,
               quotes: QuoteFilter | None = None) -> list[Draft]:
    """The slides of one language, in the order they are presented."""
    brand = course.brand
    logo = (brand.logo, brand.logo_alt or brand.organisation) if brand.logo else ("", "")
    drafts: list[Draft] = [_title(course, labels, logo), *_agenda(course, labels)]
    seen_quotes = quotes if quotes is not None else QuoteFilter()
    placed = {"pre-check": False, "post-check": False}
    modules = {m.id: m for m in course.modules}
    order = [s for day in course.days for s in day.sessions
             if s.kind in ("pre-check", "post-check") or s.module in modules]
    count = len(course.modules)
    done: set[str] = set()
    for session in order:
        if session.kind in placed:
            if not placed[session.kind]:
                drafts.append(_check(course, labels, session.kind, session.minutes))
                placed[session.kind] = True
            continue
        module = modules[session.module]
        if module.id in done:
            continue
        done.add(module.id)
        index = [m.id for m in course.modules].index(module.id) + 1
        drafts.extend(_module(module, labels, (index, count), logo, seen_quotes))
    for module in course.modules:  # modules the schedule does not place, in course order
        if module.id not in done:
            index = [m.id for m in course.modules].index(module.id) + 1
            drafts.extend(_module(module, labels, (index, count), logo, seen_quotes))
    if not placed["post-check"] and course.knowledge_check and course.check_minutes[1]:
        drafts.append(_check(course, labels, "post-check", course.check_minutes[1]))
    drafts.append(_evaluation(course, labels))
    drafts.append(_closing(course, labels, logo))
    drafts.append(_sources(course, labels))
    return drafts


def _p(text: str, **kw) -> Para:
    return Para(text, **kw)


def _lines(lines, bullet: bool = True) -> tuple[Para, ...]:
    return tuple(Para(x if isinstance(x, str) else x.text, bullet=bullet) for x in lines)


def _timing(labels: Labels, minutes: int) -> str:
    return labels.format("minutes_on_slide", minutes=labels.duration(minutes))


def _cite(labels: Labels, numbers, sources: dict[int, r.Source]) -> tuple[str, ...]:
    """A note line naming the sources of a slide's content."""
    shown = [sources[n] for n in sorted(set(numbers)) if n in sources]
    if not shown:
        return ()
    return (f"{labels['sources']}: " + "; ".join(f"[{s.number}] {s.citation}" for s in shown),)


def _title(course: r.Course, labels: Labels, logo: tuple[str, str]) -> Draft:
    place = ", ".join(x for x in (course.venue, course.city) if x)
    details = [labels.date_range(course.dates), place]
    if course.facilitators:
        details.append(f"{labels['facilitators']}: {', '.join(course.facilitators)}")
    details.append(course.brand.organisation or course.organiser)
    return Draft(
        "title", _p(course.title), part="title",
        body=(_p(labels.format("for_audience", audience=course.audience.name), bullet=False),),
        side=tuple(_p(d, bullet=False) for d in details if d),
        notes=(
            course.subtitle,
            f"{labels['participants']}: {course.audience.participants}",
            *(f"{labels['what_they_need']}: {n}" for n in course.audience.needs),
        ),
        logo=logo,
    )


def _agenda(course: r.Course, labels: Labels) -> list[Draft]:
    columns: list[tuple[Para, tuple[Para, ...]]] = []
    for day in course.days:
        head = labels.format("day_n", n=day.number)
        if day.date:
            head += f" · {labels.date(day.date)}"
        rows = tuple(
            _p(f"{labels.clock(s.start)}  {s.title or labels.get(s.kind, s.kind)}",
               bullet=False, bold=s.kind == "module")
            for s in day.sessions)
        columns.append((_p(head, bold=True, bullet=False), rows))
    total = labels.duration(sum(m.minutes for m in course.modules))
    notes = (f"{labels['total']}: {total}.",)
    if len(columns) == 2:
        (h1, b1), (h2, b2) = columns
        return [Draft("agenda", _p(labels["agenda"]), part="agenda", body_head=h1, body=b1,
                      side_head=h2, side=b2, notes=notes, icon="time")]
    return [Draft("agenda", _p(labels["agenda"]), part="agenda", body_head=h, body=b,
                  notes=notes, icon="time") for h, b in columns]


def _module(module: r.Module, labels: Labels, progress: tuple[int, int],
            logo: tuple[str, str], seen_quotes: QuoteFilter) -> list[Draft]:
    footer = _p(module.title)
    notes = module.facilitator
    sources = {s.number: s for s in module.sources}
    base: Owner = {"module": module.id, "footer": footer}
    out = [Draft(
        "divider", _p(module.title), **base, part="opening",
        chips=(_p(labels.format("deck_module_of", n=progress[0], total=progress[1])),
               _p(labels.duration(module.minutes))),
        body_head=_p(labels["deck_objectives"], bold=True, bullet=False),
        body=_lines(module.objectives),
        notes=(
            module.summary,
            _timing(labels, module.minutes),
            *(f"{labels['preparation']}: {p.text}" for p in notes.preparation),
            *(f"{labels['sensitivity_alerts']}: {s.text}" for s in notes.sensitivity),
            *(n.text for n in notes.notes),
        ),
        logo=logo, progress=progress,
    )]
    for section in module.sections:
        out.extend(_section(section, labels, base, sources, seen_quotes))
    for case in module.case_studies:
        out.extend(_case(case, labels, base, sources))
    for activity in module.activities:
        out.append(_activity(activity, labels, base))
    questions = [q for q in module.questions if not q.alternate]
    if questions:
        out.append(Draft(
            "discussion", _p(labels["discussion"]), **base, part="discussion", icon="discussion",
            rows=tuple(Row(_p(q.text, bullet=False),
                           labels.minutes(q.minutes) if q.minutes else "") for q in questions),
            notes=tuple(line for n, q in enumerate(questions, 1)
                        for line in _question_notes(q, labels, n)),
        ))
    tricky = tuple(
        f"{labels['tricky_questions']}: {t.question} — {labels['suggested_answer']}: {t.answer}"
        for t in notes.tricky_questions)
    out.append(Draft("recap", _p(labels["key_messages"]), **base, part="recap", icon="key",
                     body=_lines(module.key_messages), notes=tricky + _cite(
                         labels, [n for k in module.key_messages for n in k.sources], sources)))
    return out


def _question_notes(q: r.Question, labels: Labels, n: int) -> tuple[str, ...]:
    return (
        f"{n}. {q.text}" + (f" ({labels.minutes(q.minutes)})" if q.minutes else ""),
        *(f"{labels['prompts']}: {p}" for p in q.facilitator.prompts),
        *(f"{labels['themes']}: {t}" for t in q.facilitator.themes),
    )


def _section(section: r.Section, labels: Labels, base: Owner, sources: dict[int, r.Source],
             seen_quotes: QuoteFilter) -> list[Draft]:
    notes = section.facilitator
    numbers = [*section.sources, *(n for b in section.bullets for n in b.sources)]
    say = (
        *notes.say,
        _timing(labels, section.minutes),
        *(f"{labels['sensitivity_alerts']}: {s}" for s in notes.sensitivity),
        *(f"{labels['outside_sources']}: {s.text}" for s in notes.outside_sources),
        *_cite(labels, numbers, sources),
    )
    places = seen_quotes.place(section.quotes)
    quotes = [q for q, where in zip(section.quotes, places, strict=True) if where == "slide"]
    said = tuple(f"{_quoted(q.text, labels)} {_who(q)}"
                 for q, where in zip(section.quotes, places, strict=True) if where == "notes")
    say = (*said, *say)
    visual = section.map or section.timeline or section.chart or section.table or section.image
    caption = None
    if visual is not None:
        caption = _p(getattr(visual, "caption", "") or section.title, bullet=False)
    figure = (section.figure.value, _p(section.figure.label, bullet=False)) \
        if section.figure else None
    callout = _p(section.callout.text, bullet=False) if section.callout else None
    first = quotes[0] if quotes else None
    out = [Draft(
        "bullets", _p(section.title), **base, part=section.id, body=_lines(section.bullets),
        notes=say,
        figure=figure, callout=callout, links=section.links,
        side=(_p(_quoted(first.text, labels), bullet=False),) if first else (),
        attribution=_p(_who(first), bullet=False) if first else None,
        visual=visual, caption=caption,
    )]
    for quote in quotes[1:]:
        out.append(Draft("quote", _p(section.title), **base, part=section.id, icon="quote",
                         body=(_p(_quoted(quote.text, labels), bullet=False),),
                         attribution=_p(_who(quote), bullet=False), notes=say))
    return out


def _quoted(text: str, labels: Labels) -> str:
    return f"{labels['quote_open']}{text}{labels['quote_close']}"


def _who(quote: r.Quote) -> str:
    return "— " + ", ".join(x for x in (quote.speaker, quote.role, quote.city) if x)


def _case(case: r.CaseStudy, labels: Labels, base: Owner,
          sources: dict[int, r.Source]) -> list[Draft]:
    note = case.teaching_note
    road = tuple(f"{labels['road_map']}: {m} — {t}" for m, t in note.road_map) if note else ()
    asked = [q for q in case.questions if not q.alternate]
    minutes = sum(q.minutes for q in asked) or case.minutes
    out = [
        Draft("case", _p(f"{labels['case_study']}: {case.title}"), **base, part=case.id,
              icon="case",
              body_head=_p(labels["background"], bold=True, bullet=False),
              body=_lines(case.background),
              side_head=_p(labels["facts"], bold=True, bullet=False), side=_lines(case.facts),
              visual=case.image, links=case.links,
              notes=(_timing(labels, case.minutes),
                     *((f"{labels['purpose']}: {note.purpose}",) if note and note.purpose
                       else ()),
                     *road, *(note.notes if note else ()),
                     *_cite(labels, case.sources, sources))),
        Draft("decision", _p(f"{labels['decision_point']}: {case.title}"), **base,
              part=case.id, icon="decision",
              role=_p(labels.format("deck_your_role", role=case.role), bullet=False)
              if case.role else None,
              body=(_p(case.decision_point, bullet=False),),
              notes=tuple(f"{labels['sensitivity_alerts']}: {s}" for s in note.sensitivity)
              if note else ()),
        Draft("questions", _p(f"{labels['questions']}: {case.title}"), **base,
              part=case.id, icon="discussion",
              chips=(_p(labels.minutes(minutes)),) if minutes else (),
              rows=tuple(Row(_p(q.text, bullet=False),
                             labels.minutes(q.minutes) if q.minutes else "") for q in asked),
              notes=(*(line for n, q in enumerate(asked, 1)
                       for line in _question_notes(q, labels, n)),
                     *((f"{labels['epilogue']}: {note.epilogue}",)
                       if note and note.epilogue else ()))),
    ]
    return out


def _activity(a: r.Activity, labels: Labels, base: Owner) -> Draft:
    chips = [_p(labels.get(f"grouping_{a.grouping}", a.grouping)), _p(labels.minutes(a.minutes))]
    if a.competency:
        chips.append(_p(labels.get(f"competency_{a.competency}", a.competency)))
    if a.skill:
        chips.append(_p(labels.get(f"skill_{a.skill}", a.skill)))
    steps = tuple(Para(f"{n}. {s.text}", bullet=False) for n, s in enumerate(a.steps, 1))
    side: tuple[Para, ...] = ()
    if a.roles:
        side = tuple(_p(card.title, bullet=True) for card in a.roles)
    if a.report_back:  # the minutes are the report-back's in all: the slide says each's
        groups, minutes = a.report_back
        each = labels.minutes(max(1, minutes // groups))
        steps += (_p(labels.format("deck_report_back", groups=groups, minutes=each),
                     bold=True, bullet=False),)
    debrief = tuple(
        f"{labels['debrief']}: {q.text}" + (
            f" ({labels['prompts']}: {'; '.join(q.facilitator.prompts)})"
            if q.facilitator.prompts else "")
        for q in a.debrief)
    roles = tuple(f"{card.title}: " + " ".join(b.text for b in card.brief) for card in a.roles)
    return Draft(
        "activity", _p(f"{labels['activity']}: {a.title}"), **base, part=a.id,
        icon="activity",
        chips=tuple(chips), body=steps, side=side,
        side_head=_p(labels["deck_roles"], bold=True, bullet=False) if a.roles else None,
        visual=a.image, links=a.links,
        notes=(*((f"{labels['purpose']}: {a.purpose}",) if a.purpose else ()),
               _timing(labels, a.minutes),
               *(f"{labels['materials']}: {m.text}" for m in a.materials),
               *roles, *a.facilitator.notes,
               *(f"{labels['sensitivity_alerts']}: {s}" for s in a.facilitator.sensitivity),
               *debrief))


def _check(course: r.Course, labels: Labels, kind: str, minutes: int) -> Draft:
    items = len(course.knowledge_check)
    body = [_p(labels["knowledge_check_intro"], bullet=False)]
    if items:
        body.append(_p(labels.plural("deck_items", items), bullet=False, bold=True))
    return Draft("check", _p(labels[kind]), part=kind, icon="check",
                 chips=(_p(labels.minutes(minutes)),) if minutes else (),
                 body=tuple(body), footer=_p(labels[kind]),
                 notes=(_timing(labels, minutes),) if minutes else ())


def _evaluation(course: r.Course, labels: Labels) -> Draft:
    return Draft("evaluation", _p(labels["evaluation_title"]), part="evaluation",
                 icon="evaluation",
                 body=(_p(labels["evaluation_intro"], bullet=False),),
                 footer=_p(labels["evaluation_title"]),
                 notes=tuple(labels.texts("evaluation_ratings")))


def _closing(course: r.Course, labels: Labels, logo: tuple[str, str]) -> Draft:
    return Draft("closing", _p(labels["closing_title"]), part="closing", icon="certificate",
                 body=(_p(labels["deck_certificates"], bullet=False),
                       _p(labels["closing_body"], bullet=False)),
                 footer=_p(course.title), logo=logo,
                 notes=(labels["closing_body"] + ".",))


def _sources(course: r.Course, labels: Labels) -> Draft:
    """One short slide: the report once, then every other source the course cites, once."""
    seen: dict[str, None] = {}
    report = ""
    for module in course.modules:
        for s in module.sources:
            if s.kind == "report":
                head = s.citation.split(",")[0].strip()
                report = report or head
                continue
            seen.setdefault(s.citation, None)
    body = []
    if report:
        body.append(_p(report, bullet=True))
    body.extend(_p(c, bullet=True) for c in seen)
    return Draft("sources", _p(labels["sources"]), part="sources", icon="sources",
                 body=tuple(body), footer=_p(labels["sources"]),
                 callout=_p(labels["deck_sources_note"], bullet=False))


# ------------------------------------------------------------------------------------------
# Bilingual decks: two drafts of the same course, paired text by text
# ------------------------------------------------------------------------------------------


def merge_bilingual(main: list[Draft], second: list[Draft]) -> list[Draft]:
    """One deck in two languages: each text of ``main`` with its ``second`` twin under it.

    Both drafts come from the same course and audience, so their slides pair one to one.
    """
    if [d.kind for d in main] != [d.kind for d in second]:
        raise ValueError("the two languages give decks of different shapes")
    out = []
    for a, b in zip(main, second, strict=True):
        out.append(replace(
            a,
            title=_pair(a.title, b.title),
            footer=_pair(a.footer, b.footer),
            body=_pairs(a.body, b.body),
            side=_pairs(a.side, b.side),
            side_head=_pair(a.side_head, b.side_head),
            body_head=_pair(a.body_head, b.body_head),
            attribution=_pair(a.attribution, b.attribution),
            figure=(a.figure[0], _pair(a.figure[1], b.figure[1])) if a.figure and b.figure
            else a.figure,
            callout=_pair(a.callout, b.callout),
            caption=_pair(a.caption, b.caption),
            rows=tuple(replace(x, text=_pair(x.text, y.text)) for x, y in
                       zip(a.rows, b.rows, strict=False)),
            chips=_pairs(a.chips, b.chips),
            role=_pair(a.role, b.role),
            visual2=b.visual,
            notes=(*a.notes, "—", *b.notes) if b.notes != a.notes else a.notes,
        ))
    return out


@overload
def _pair(a: Para, b: Para | None) -> Para: ...
@overload
def _pair(a: Para | None, b: Para | None) -> Para | None: ...
def _pair(a: Para | None, b: Para | None) -> Para | None:
    if a is None or b is None:
        return a
    return replace(a, second=b.text if b.text != a.text else "")


def _pairs(a: tuple[Para, ...], b: tuple[Para, ...]) -> tuple[Para, ...]:
    """Pairs by position; a list the second language has fewer of (sources that collapse
    into one citation) keeps its extra items in the first language only."""
    return tuple(_pair(x, b[i]) if i < len(b) else x for i, x in enumerate(a))


def plan_deck(courses: list[r.Course] | r.Course, labels: list[Labels] | Labels, *,
              template: FilePath | bytes, font_dir: FilePath,
              layouts: dict[str, str] | None = None, template_name: str = "",
              root: FilePath | None = None) -> DeckPlan:
    """The final deck plan of a course in one language, or two for a bilingual deck.

    ``template``: the deck template's checked package (or, in tests and tools, its file);
    ``layouts``: the workspace's mapping of layout roles to the template's layout names;
    ``root``: the workspace, which the pictures are read inside."""
    from ccrl_kit.plan.layout import lay_out

    if isinstance(courses, r.Course):
        courses = [courses]
    if isinstance(labels, Labels):
        labels = [labels]
    first = QuoteFilter()
    drafts = [draft_deck(courses[0], labels[0], first)]
    if len(courses) == 2:
        drafts.append(draft_deck(courses[1], labels[1], QuoteFilter(first.decisions)))
    draft = merge_bilingual(*drafts) if len(drafts) == 2 else drafts[0]
    course = courses[0]
    language = "+".join(c.language for c in courses)
    return lay_out(draft, course, labels, template=template, font_dir=font_dir,
                   language=language, layouts=layouts or {}, template_name=template_name,
                   root=root)
