"""The printed documents as a tree of typed blocks, the one thing every document renderer draws.

A document plan is final: every label, plural, date, clock time and number in it is a string in
the build's language, and every structural choice (what follows what, where a page breaks, which
slide a step shows) is made. HTML, PDF and Word renderers only decide how a block looks.

Text inside blocks is *data*: renderers place it as text, never parse it as markup.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Brand:
    """How an organisation's documents look: the defaults are the project's own look."""

    name: str = ""
    logo: str = ""  # path of a PNG, JPEG or SVG file, "" for none
    logo_alt: str = ""
    primary: str = "#1F3A5F"  # headings, rules, cover
    accent: str = "#0F766E"  # labels, highlights
    heading_font: str = "Noto Sans"
    body_font: str = "Noto Serif"


# ---------------------------------------------------------------------------------------------
# Inline text


@dataclass(frozen=True)
class Span:
    """A run of text. ``style``: "" | strong | em | ref (a citation mark) | muted."""

    text: str
    style: str = ""
    url: str = ""  # a clickable link when set


Rich = tuple[Span, ...]


def rich(*parts: str | Span) -> Rich:
    """Spans from plain strings and spans; empty strings are dropped."""
    return tuple(p if isinstance(p, Span) else Span(p) for p in parts if p)


def plain(text: Rich | str) -> str:
    return text if isinstance(text, str) else "".join(s.text for s in text)


# ---------------------------------------------------------------------------------------------
# Blocks


@dataclass(frozen=True)
class Cover:
    """The first page: what the document is, the course, and its facts as label/value rows."""

    label: str  # what the document is: "Facilitator guide"
    title: str
    subtitle: str = ""
    facts: tuple[tuple[str, str], ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Contents:
    """A table of contents of the level-1 headings (Word: a TOC field, filled on update)."""

    title: str
    hint: str = ""  # shown in Word until the field is updated


@dataclass(frozen=True)
class RunningHeader:
    """From here on, the page header shows ``text`` (a module's title, a part's name)."""

    text: str


@dataclass(frozen=True)
class PageBreak:
    """Start a new page here (nothing happens at the top of an empty page)."""


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1
    meta: str = ""  # a one-line subtitle kept with the heading ("Day 1 · 09:00–10:00")
    outlined: bool = True  # listed in the contents and the PDF bookmarks (level 1 only)


@dataclass(frozen=True)
class Paragraph:
    """``role``: "" | lead (a larger opening paragraph) | meta (small, muted) | small."""

    text: Rich
    role: str = ""


@dataclass(frozen=True)
class ListBlock:
    """``style``: bullet | number | check (a box to tick) | plain."""

    items: tuple[Rich, ...]
    style: str = "bullet"


@dataclass(frozen=True)
class Definitions:
    """Term and definition pairs (a glossary), in ``columns`` columns where there is room."""

    items: tuple[tuple[str, str], ...]
    columns: int = 1


@dataclass(frozen=True)
class Table:
    """``style``: data (a table from the content) | schedule | plan (a run-sheet overview).
    ``widths`` are relative column widths (empty: equal). ``emphasis`` marks rows drawn as
    breaks (lunch, coffee) in a schedule."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Rich, ...], ...]
    caption: str = ""
    caption_refs: str = ""
    widths: tuple[float, ...] = ()
    style: str = "data"
    quiet_rows: tuple[int, ...] = ()


@dataclass(frozen=True)
class Chart:
    """A bar chart: one bar per category and series; every value also as a final string."""

    caption: str
    alt: str
    categories: tuple[str, ...]
    series: tuple[str, ...]
    values: tuple[tuple[float, ...], ...]  # [series][category]
    value_texts: tuple[tuple[str, ...], ...]  # the same, formatted for the language
    value_label: str = ""
    caption_refs: str = ""
    highlight: tuple[int, ...] = ()  # categories drawn in the accent colour
    references: tuple[tuple[str, float, str], ...] = ()  # lines across: (name, value, text)


@dataclass(frozen=True)
class Timeline:
    caption: str
    alt: str
    events: tuple[tuple[str, str], ...]  # (when, what)
    caption_refs: str = ""


@dataclass(frozen=True)
class Quote:
    text: Rich
    attribution: str


@dataclass(frozen=True)
class Figure:
    """An image from the workspace. Alt text is required; credit and licence are printed."""

    path: str
    alt: str
    caption: str = ""
    credit: str = ""
    licence: str = ""
    width: float = 1.0  # share of the text width


@dataclass(frozen=True)
class Link:
    """A link worth following from paper: clickable everywhere, with a QR code in print."""

    text: str
    url: str
    qr_alt: str = ""  # the QR code's alt text


@dataclass(frozen=True)
class Callout:
    """A set-apart box. ``kind``: facilitator | alert | note | decision | card (a cut-out card,
    dashed) | key (key facts)."""

    kind: str
    title: str
    body: tuple[Block, ...]


@dataclass(frozen=True)
class Question:
    """A question to answer on paper: a multiple-choice item (``options``) or an open one with
    ``lines`` ruled lines of writing space."""

    number: str
    text: str
    options: tuple[str, ...] = ()
    option_marks: tuple[str, ...] = ()  # "a)", "b)" ... in the language's usage
    lines: int = 0
    meta: str = ""


@dataclass(frozen=True)
class Rating:
    """A rating grid: one row per statement, one box per point of the scale."""

    scale: tuple[str, ...]
    items: tuple[str, ...]
    header: str = ""


@dataclass(frozen=True)
class Frame:
    """One element of a slide preview, in EMU from the slide's top-left corner (a copy of the
    deck plan's frame, so renderers need not import the deck plan)."""

    x: int
    y: int
    w: int
    h: int
    kind: str
    text: str = ""
    pt: float = 0.0
    bold: bool = False
    fill: str = ""
    colour: str = ""


@dataclass(frozen=True)
class SlideRef:
    """A slide of the deck, as the guide cites it: its number, a label and a drawable preview."""

    number: int
    label: str  # "Slide 14"
    title: str
    size: tuple[int, int]  # the slide's width and height, EMU
    frames: tuple[Frame, ...] = ()


@dataclass(frozen=True)
class Step:
    """One timed step of a run-sheet: clock time, what happens, the slides shown (drawn beside
    the notes) and the facilitator's notes."""

    time: str  # "09:40–09:55"
    title: str
    meta: str = ""  # "15 minutes · Slides 14–16"
    slides: tuple[SlideRef, ...] = ()
    body: tuple[Block, ...] = ()
    beside: int = 0  # how many previews go beside the notes; the rest follow in a row below
    keep: bool = False  # short enough to keep on one page


@dataclass(frozen=True)
class Keep:
    """Blocks that are never split across pages."""

    body: tuple[Block, ...]


Block = (Cover | Contents | RunningHeader | PageBreak | Heading | Paragraph | ListBlock
         | Definitions | Table | Chart | Timeline | Quote | Figure | Link | Callout | Question
         | Rating | Step | Keep)


@dataclass(frozen=True)
class Document:
    """One printed document: its metadata, page furniture and blocks."""

    kind: str  # facilitator-guide | participant-handout
    language: str
    title: str  # the document title (PDF and Word metadata, the HTML <title>)
    author: str
    header: str  # the running header's fixed part (the course title)
    page_label: str  # "Page {page} of {pages}": the renderer fills in the two numbers
    paper: str  # a4 | letter
    blocks: tuple[Block, ...]
    brand: Brand = field(default_factory=Brand)


def type_name(block: object) -> str:
    """The name renderers and templates dispatch on: ``ListBlock`` -> ``list``."""
    return type(block).__name__.lower().removesuffix("block")


def walk(blocks: tuple[Block, ...]):
    """Every block of a tree, depth first (the children of callouts, keeps and steps too)."""
    for block in blocks:
        yield block
        if isinstance(block, Callout | Keep | Step):
            yield from walk(block.body)


_NOT_TEXT = {"body", "path", "url", "style", "role", "kind", "fill", "colour"}


def texts(block: Block) -> list[str]:
    """Every piece of human-readable text a block itself holds (not its children's)."""
    found: list[str] = []

    def take(value) -> None:
        if isinstance(value, str):
            if value:
                found.append(value)
        elif isinstance(value, tuple):
            for item in value:
                take(item)
        elif dataclasses.is_dataclass(value):
            for f in dataclasses.fields(value):
                if f.name not in _NOT_TEXT:
                    take(getattr(value, f.name))

    take(block)
    return found
