"""Build ``templates/deck.pptx``, the slide template ccrl-kit renders course decks on.

Rebuild (from the repository root)::

    python templates/build_deck_template.py

The output is reproducible: running the script twice gives byte-identical files (zip entry
timestamps are fixed to 1980-01-01, core properties to a fixed date, author "ccrl-kit",
revision 1).  The script starts from python-pptx's default template, keeps one slide master,
rewrites the theme, the master and nine slide layouts with lxml, and removes everything else
(other layouts, the 4:3 thumbnail, printer settings).  It prints the WCAG contrast ratio of every
text/background pair it uses and refuses to build if any is below 4.5:1.

Making your own template
------------------------
An organisation may ship its own ``deck.pptx`` (edit this script, or design one in PowerPoint
or LibreOffice).  The renderer finds layouts **by name** and placeholders **by idx**, so a
custom template must provide these layouts (extra layouts are ignored) with these
placeholders.  Slide size is 16:9 (12192000 x 6858000 EMU).

===================  ==========================================================================
Layout name          Placeholders (idx: type, role)
===================  ==========================================================================
Title                0: ctrTitle, course title;  1: subTitle, subtitle;
                     2: body, details line (date, place, facilitators)
Section              0: title, module title;  1: body, objectives and minutes
Title and Content    0: title;  1: body, bullets filling the content area
Two Content          0: title;  1: body, left half;  2: body, right half
Quote                0: title;  1: body, quote text (large, italic);  2: body, attribution
Case Study           0: title;  1: body (a coloured band marks the layout)
Question             0: title;  1: body, the question (28 pt)
Table or Chart       0: title;  1: body, the area where a native table or chart is placed
                     (the renderer reads its position and size, then removes it)
Closing              0: ctrTitle, closing title;  1: body
===================  ==========================================================================

Every layout but Title also carries a footer placeholder (idx 11, the module's name) and a
slide-number placeholder (idx 12); python-pptx does not copy them to new slides, so the
renderer clones them.  Body text is 20 pt at level 1 and 18 pt at level 2 and deeper; titles
are 32 pt bold on content layouts (the title box holds two lines of 28 pt), 40-44 pt on Title,
Section and Closing.  Every font is the theme font "Calibri", which PowerPoint has on every
platform; the deck is measured with Carlito (templates/fonts), its metric-compatible open twin.
Text frames do not auto-fit: the deck plan measures every text and sizes it to fit its box.
The deck plan reads the placeholder boxes of these layouts (ccrl_kit.plan.template) and
places everything else relative to them.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import Part
from pptx.opc.packuri import PackURI
from pptx.oxml import parse_xml
from pptx.parts.slide import SlideLayoutPart, SlideMasterPart
from pptx.presentation import Presentation as PresentationObj

OUT = Path(__file__).resolve().parent / "deck.pptx"

NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
NS_P = "http://schemas.openxmlformats.org/presentationml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_EP = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
NS_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
NSMAP = {"a": NS_A, "p": NS_P, "r": NS_R}
NSDECL = f'xmlns:a="{NS_A}" xmlns:r="{NS_R}" xmlns:p="{NS_P}"'
DECORATIVE_EXT = (
    '<a:extLst><a:ext uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}">'
    '<adec:decorative xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative"'
    ' val="1"/></a:ext></a:extLst>'
)
SLIDENUM_FIELD_ID = "{6F1B5C2E-3A4D-4B8E-9C1F-2D7E8A9B0C31}"

FONT = "Calibri"  # on every PowerPoint; measured with its metric twin Carlito (fonts/)
THEME_NAME = "ccrl-kit"
FIXED_DATE = dt.datetime(2024, 1, 1, 0, 0, 0)
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
MIN_CONTRAST = 4.5

# ---------------------------------------------------------------------------------------------
# Geometry (EMU).  914400 EMU = 1 inch, 12700 EMU = 1 pt.
# ---------------------------------------------------------------------------------------------
EMU_PER_INCH = 914400
SLIDE_W = 12192000
SLIDE_H = 6858000


def inch(value: float) -> int:
    """Inches to EMU, rounded to a whole EMU."""
    return round(value * EMU_PER_INCH)


MARGIN = inch(0.6)
CONTENT_W = SLIDE_W - 2 * MARGIN
GUTTER = inch(0.5)
HALF_W = (CONTENT_W - GUTTER) // 2


@dataclass(frozen=True)
class Box:
    x: int
    y: int
    cx: int
    cy: int

    @property
    def right(self) -> int:
        return self.x + self.cx

    @property
    def bottom(self) -> int:
        return self.y + self.cy


# Content layouts: a title box tall enough for two lines of 28 pt Calibri (1.2 em a line
# -> 67 pt + insets), a thin accent bar, the content area, then a footer line with the
# module's name and the slide number.
CONTENT_TITLE = Box(MARGIN, inch(0.3), CONTENT_W, inch(1.15))
CONTENT_BAR = Box(MARGIN, inch(1.5), inch(1.0), inch(0.06))
CONTENT_BODY = Box(MARGIN, inch(1.72), CONTENT_W, inch(5.08))
FOOTER = Box(MARGIN, inch(6.98), CONTENT_W - inch(1.2), inch(0.36))
SLIDE_NUMBER = Box(SLIDE_W - MARGIN - inch(1.0), inch(6.98), inch(1.0), inch(0.36))

# Navy layouts (Title, Section, Closing).
HERO_TITLE = Box(MARGIN, inch(1.5), CONTENT_W, inch(1.8))
HERO_BAR = Box(MARGIN, inch(3.45), inch(1.2), inch(0.08))
HERO_SUBTITLE = Box(MARGIN, inch(3.75), CONTENT_W, inch(1.1))
HERO_DETAILS = Box(MARGIN, inch(5.55), CONTENT_W, inch(0.95))
SECTION_TITLE = Box(MARGIN, inch(0.7), CONTENT_W, inch(1.4))
SECTION_BAR = Box(MARGIN, inch(2.2), inch(1.2), inch(0.07))
SECTION_BODY = Box(MARGIN, inch(2.4), CONTENT_W, inch(4.45))
CLOSING_TITLE = Box(MARGIN, inch(1.9), CONTENT_W, inch(1.8))
CLOSING_BAR = Box(MARGIN, inch(3.85), inch(1.2), inch(0.08))
CLOSING_BODY = Box(MARGIN, inch(4.15), CONTENT_W, inch(2.2))

# Quote: a vertical accent rule beside the quote text, attribution underneath.
QUOTE_INDENT = inch(0.4)
QUOTE_RULE = Box(MARGIN, inch(1.9), inch(0.08), inch(4.6))
QUOTE_BODY = Box(MARGIN + QUOTE_INDENT, inch(1.8), CONTENT_W - QUOTE_INDENT, inch(3.9))
QUOTE_ATTRIBUTION = Box(MARGIN + QUOTE_INDENT, inch(5.8), CONTENT_W - QUOTE_INDENT, inch(0.95))

# Distinguishing bands.
CASE_BAND = Box(0, 0, inch(0.3), SLIDE_H)
QUESTION_BAND = Box(0, 0, SLIDE_W, inch(0.18))

# ---------------------------------------------------------------------------------------------
# Palette.  ``scheme`` is the theme slot the layouts reference, so charts, tables and any
# re-theming pick the same colours up.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Color:
    hex: str
    scheme: str | None = None

    def fill(self) -> str:
        """A ``<a:solidFill>`` for this colour (theme reference when it has one)."""
        inner = (
            f'<a:schemeClr val="{self.scheme}"/>'
            if self.scheme
            else f'<a:srgbClr val="{self.hex}"/>'
        )
        return f"<a:solidFill>{inner}</a:solidFill>"

    def clr(self) -> str:
        """The bare colour element (for ``<a:buClr>``)."""
        return self.fill().removeprefix("<a:solidFill>").removesuffix("</a:solidFill>")


NAVY = Color("1F3A5F", "tx2")  # dk2: titles, navy backgrounds
SLATE = Color("1E293B", "tx1")  # dk1: body text
WHITE = Color("FFFFFF", "bg1")  # lt1: content background, text on navy
MIST = Color("F1F5F9", "bg2")  # lt2: quote background
TEAL = Color("0F766E", "accent2")  # the accent: bars, bullets, bands
TEAL_LIGHT = Color("7CC4BA", "accent4")  # the accent on navy backgrounds (bars only)
MUTED = Color("475569")  # slide number, attribution
SOFT_ON_NAVY = Color("CBD5E1")  # details line on the title slide

THEME_COLORS: dict[str, str] = {
    "dk1": SLATE.hex,
    "lt1": WHITE.hex,
    "dk2": NAVY.hex,
    "lt2": MIST.hex,
    "accent1": NAVY.hex,  # first chart series, table header (Medium Style 2 - Accent 1)
    "accent2": TEAL.hex,
    "accent3": "64748B",  # slate
    "accent4": TEAL_LIGHT.hex,
    "accent5": "4A6F98",  # steel blue
    "accent6": "B7791F",  # muted amber, only as a sixth chart series
    "hlink": "1D5FA8",
    "folHlink": "6B3FA0",
}


def _tint(hex_color: str, amount: float) -> str:
    """Approximate DrawingML ``<a:tint>``: mix with white, keeping ``amount`` of the colour."""
    channels = (int(hex_color[i : i + 2], 16) for i in (0, 2, 4))
    return "".join(f"{round(c * amount + 255 * (1 - amount)):02X}" for c in channels)


# (description, foreground, background): every text/background pair the template produces.
CONTRAST_PAIRS: tuple[tuple[str, str, str], ...] = (
    ("content title (navy on white)", NAVY.hex, WHITE.hex),
    ("body text (slate on white)", SLATE.hex, WHITE.hex),
    ("bullets (teal on white)", TEAL.hex, WHITE.hex),
    ("slide number (muted on white)", MUTED.hex, WHITE.hex),
    ("hyperlink on white", THEME_COLORS["hlink"], WHITE.hex),
    ("followed hyperlink on white", THEME_COLORS["folHlink"], WHITE.hex),
    ("title/section/closing text (white on navy)", WHITE.hex, NAVY.hex),
    ("details line (soft on navy)", SOFT_ON_NAVY.hex, NAVY.hex),
    ("quote title (navy on mist)", NAVY.hex, MIST.hex),
    ("quote text (slate on mist)", SLATE.hex, MIST.hex),
    ("attribution, slide number (muted on mist)", MUTED.hex, MIST.hex),
    ("table header (white on accent1)", WHITE.hex, THEME_COLORS["accent1"]),
    (
        "table band 1 (slate on accent1 tint 40%, approx.)",
        SLATE.hex,
        _tint(THEME_COLORS["accent1"], 0.4),
    ),
    (
        "table band 2 (slate on accent1 tint 20%, approx.)",
        SLATE.hex,
        _tint(THEME_COLORS["accent1"], 0.2),
    ),
)


def relative_luminance(hex_color: str) -> float:
    """WCAG 2.x relative luminance of an sRGB colour given as ``RRGGBB``."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(hex_color[i : i + 2], 16)) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(fg: str, bg: str) -> float:
    lighter, darker = sorted((relative_luminance(fg), relative_luminance(bg)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def check_contrast() -> None:
    """Print every text/background contrast ratio; fail if one is below WCAG AA."""
    failures = []
    for label, fg, bg in CONTRAST_PAIRS:
        ratio = contrast_ratio(fg, bg)
        print(f"  {ratio:5.2f}:1  #{fg} on #{bg}  {label}")
        if ratio < MIN_CONTRAST:
            failures.append(label)
    assert not failures, f"contrast below {MIN_CONTRAST}:1: {failures}"


# ---------------------------------------------------------------------------------------------
# Text styles
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bullet:
    char: str
    color: Color = TEAL


@dataclass(frozen=True)
class Level:
    """Paragraph + default run properties for one outline level (``<a:lvlNpPr>``)."""

    size_pt: float
    color: Color
    bullet: Bullet | None = None
    mar_l: int = 0
    indent: int = 0
    bold: bool = False
    italic: bool = False
    line_pct: int = 110
    before_pt: float = 8
    align: str = "l"


def level_xml(n: int, level: Level, font_refs: str = "") -> str:
    bullet = (
        f'<a:buClr>{level.bullet.color.clr()}</a:buClr><a:buSzPct val="100000"/>'
        f'<a:buFont typeface="{FONT}"/><a:buChar char={quoteattr(level.bullet.char)}/>'
        if level.bullet
        else "<a:buNone/>"
    )
    flags = (' b="1"' if level.bold else ' b="0"') + (' i="1"' if level.italic else ' i="0"')
    return (
        f'<a:lvl{n}pPr marL="{level.mar_l}" indent="{level.indent}" algn="{level.align}"'
        f' defTabSz="914400" rtl="0" eaLnBrk="1" latinLnBrk="0" hangingPunct="1">'
        f'<a:lnSpc><a:spcPct val="{level.line_pct * 1000}"/></a:lnSpc>'
        f'<a:spcBef><a:spcPts val="{round(level.before_pt * 100)}"/></a:spcBef>'
        f'<a:spcAft><a:spcPts val="0"/></a:spcAft>{bullet}'
        f'<a:defRPr sz="{round(level.size_pt * 100)}"{flags} kern="1200">'
        f"{level.color.fill()}{font_refs}</a:defRPr></a:lvl{n}pPr>"
    )


def levels_xml(levels: tuple[Level, ...], font_refs: str = "") -> str:
    return "".join(level_xml(i, lvl, font_refs) for i, lvl in enumerate(levels, start=1))


MAJOR_FONTS = '<a:latin typeface="+mj-lt"/><a:ea typeface="+mj-ea"/><a:cs typeface="+mj-cs"/>'
MINOR_FONTS = '<a:latin typeface="+mn-lt"/><a:ea typeface="+mn-ea"/><a:cs typeface="+mn-cs"/>'
STEP = inch(0.35)


def body_levels() -> tuple[Level, ...]:
    """Master body style: round accent bullet, dash at level 2, 20/18 pt, never smaller."""
    first = Level(20, SLATE, Bullet("\u2022"), mar_l=STEP, indent=-STEP)
    rest = tuple(
        Level(
            18,
            SLATE,
            Bullet("\u2013" if n % 2 else "\u2022"),
            mar_l=STEP * (n + 1),
            indent=-STEP,
            before_pt=6,
        )
        for n in range(1, 9)
    )
    return (first, *rest)


def plain(size_pt: float, color: Color, **kw: object) -> tuple[Level, ...]:
    """One unbulleted level (enough for single-purpose placeholders)."""
    return (Level(size_pt, color, **kw),)  # type: ignore[arg-type]


TITLE_CONTENT = plain(32, NAVY, bold=True, line_pct=100, before_pt=0)
FOOTER_TEXT = plain(14, MUTED, before_pt=0, line_pct=100)
FOOTER_ON_NAVY = plain(14, SOFT_ON_NAVY, before_pt=0, line_pct=100)
SLIDE_NUMBER_ON_NAVY = plain(14, SOFT_ON_NAVY, before_pt=0, line_pct=100, align="r")
TITLE_HERO = plain(44, WHITE, bold=True, line_pct=100, before_pt=0)
TITLE_SECTION = plain(40, WHITE, bold=True, line_pct=100, before_pt=0)
SUBTITLE = plain(24, WHITE, before_pt=0)
DETAILS = plain(18, SOFT_ON_NAVY, before_pt=0)
ON_NAVY_BODY = plain(24, WHITE, before_pt=6)
QUOTE_TEXT = plain(28, SLATE, italic=True, line_pct=115, before_pt=0)
ATTRIBUTION = plain(20, MUTED, before_pt=0)
SLIDE_NUMBER_TEXT = plain(14, MUTED, before_pt=0, line_pct=100, align="r")
QUESTION_TEXT = (
    Level(28, SLATE, line_pct=110, before_pt=0),
    Level(22, SLATE, Bullet("\u2013"), mar_l=STEP, indent=-STEP, before_pt=12),
)

# ---------------------------------------------------------------------------------------------
# Shapes
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ph:
    """A placeholder on a layout."""

    kind: str  # ctrTitle | title | subTitle | body | sldNum
    idx: int
    name: str
    box: Box
    prompt: tuple[str, ...]
    levels: tuple[Level, ...] = ()
    anchor: str = "t"


@dataclass(frozen=True)
class Deco:
    """A plain decorative rectangle on a layout."""

    name: str
    box: Box
    color: Color


def xfrm(box: Box) -> str:
    return (
        f'<a:xfrm><a:off x="{box.x}" y="{box.y}"/><a:ext cx="{box.cx}" cy="{box.cy}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
    )


def ph_tag(ph: Ph) -> str:
    parts = [f'type="{ph.kind}"']
    if ph.kind in ("sldNum", "ftr"):
        parts.append('sz="quarter"')
    if ph.idx:
        parts.append(f'idx="{ph.idx}"')
    if ph.kind not in ("sldNum", "ftr"):
        parts.append('hasCustomPrompt="1"')
    return f"<p:ph {' '.join(parts)}/>"


def body_pr(anchor: str) -> str:
    return (
        '<a:bodyPr vert="horz" wrap="square" lIns="0" tIns="45720" rIns="0" bIns="45720"'
        f' rtlCol="0" anchor="{anchor}"><a:noAutofit/></a:bodyPr>'
    )


def prompt_paragraphs(ph: Ph) -> str:
    if ph.kind == "sldNum":
        return (
            f'<a:p><a:fld id="{SLIDENUM_FIELD_ID}" type="slidenum"><a:rPr lang="en-US"/>'
            '<a:t>\u2039#\u203a</a:t></a:fld><a:endParaRPr lang="en-US"/></a:p>'
        )
    if not ph.prompt:
        return '<a:p><a:endParaRPr lang="en-US"/></a:p>'
    paras = []
    for level, text in enumerate(ph.prompt):
        ppr = f'<a:pPr lvl="{level}"/>' if level else ""
        paras.append(f'<a:p>{ppr}<a:r><a:rPr lang="en-US"/><a:t>{escape(text)}</a:t></a:r></a:p>')
    return "".join(paras)


def ph_xml(ph: Ph, shape_id: int) -> str:
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name={quoteattr(ph.name)}/>'
        f'<p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr>{ph_tag(ph)}</p:nvPr></p:nvSpPr>'
        f"<p:spPr>{xfrm(ph.box)}</p:spPr>"
        f"<p:txBody>{body_pr(ph.anchor)}<a:lstStyle>{levels_xml(ph.levels)}</a:lstStyle>"
        f"{prompt_paragraphs(ph)}</p:txBody></p:sp>"
    )


def deco_xml(deco: Deco, shape_id: int) -> str:
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name={quoteattr(deco.name)}>'
        f'{DECORATIVE_EXT}</p:cNvPr><p:cNvSpPr/><p:nvPr userDrawn="1"/></p:nvSpPr>'
        f"<p:spPr>{xfrm(deco.box)}{deco.color.fill()}<a:ln><a:noFill/></a:ln></p:spPr>"
        "</p:sp>"
    )


def sp_tree(decos: tuple[Deco, ...], phs: tuple[Ph, ...]) -> str:
    """Decorations first (drawn underneath), then placeholders; ids are unique per tree."""
    shapes = [deco_xml(d, i) for i, d in enumerate(decos, start=2)]
    first_ph = 2 + len(decos)
    shapes += [ph_xml(p, i) for i, p in enumerate(phs, start=first_ph)]
    return (
        '<p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>'
        '<p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/>'
        f'<a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>{"".join(shapes)}</p:spTree>'
    )


def background(color: Color) -> str:
    return f"<p:bg><p:bgPr>{color.fill()}<a:effectLst/></p:bgPr></p:bg>"


# ---------------------------------------------------------------------------------------------
# Layouts
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LayoutSpec:
    name: str
    layout_type: str
    placeholders: tuple[Ph, ...]
    decorations: tuple[Deco, ...] = ()
    background: Color | None = None


BULLET_PROMPT = ("First-level point", "Second-level point")


def content_title(kind: str = "title") -> Ph:
    return Ph(kind, 0, "Title", CONTENT_TITLE, ("Slide title",), TITLE_CONTENT, anchor="b")


def slide_number(levels: tuple[Level, ...] = SLIDE_NUMBER_TEXT) -> Ph:
    return Ph("sldNum", 12, "Slide Number", SLIDE_NUMBER, (), levels, anchor="ctr")


def footer(levels: tuple[Level, ...] = FOOTER_TEXT) -> Ph:
    return Ph("ftr", 11, "Footer", FOOTER, ("Module",), levels, anchor="ctr")


def footer_and_number() -> tuple[Ph, Ph]:
    return footer(), slide_number()


def content_body(name: str = "Content", box: Box = CONTENT_BODY) -> Ph:
    return Ph("body", 1, name, box, BULLET_PROMPT)


def accent_bar(box: Box = CONTENT_BAR, color: Color = TEAL) -> Deco:
    return Deco("Accent bar", box, color)


def title_layout() -> LayoutSpec:
    return LayoutSpec(
        "Title",
        "title",
        (
            Ph("ctrTitle", 0, "Title", HERO_TITLE, ("Course title",), TITLE_HERO, anchor="b"),
            Ph("subTitle", 1, "Subtitle", HERO_SUBTITLE, ("Subtitle",), SUBTITLE),
            Ph(
                "body",
                2,
                "Details",
                HERO_DETAILS,
                ("Date \u00b7 place \u00b7 facilitators",),
                DETAILS,
                anchor="b",
            ),
        ),
        (accent_bar(HERO_BAR, TEAL_LIGHT),),
        NAVY,
    )


def section_layout() -> LayoutSpec:
    return LayoutSpec(
        "Section",
        "secHead",
        (
            Ph("title", 0, "Title", SECTION_TITLE, ("Module title",), TITLE_SECTION, anchor="b"),
            Ph("body", 1, "Summary", SECTION_BODY, ("Short summary",), ON_NAVY_BODY),
            footer(FOOTER_ON_NAVY),
            slide_number(SLIDE_NUMBER_ON_NAVY),
        ),
        (accent_bar(SECTION_BAR, TEAL_LIGHT),),
        NAVY,
    )


def closing_layout() -> LayoutSpec:
    return LayoutSpec(
        "Closing",
        "cust",
        (
            Ph("ctrTitle", 0, "Title", CLOSING_TITLE, ("Closing title",), TITLE_HERO, anchor="b"),
            Ph("body", 1, "Text", CLOSING_BODY, ("Closing text",), ON_NAVY_BODY),
            footer(FOOTER_ON_NAVY),
            slide_number(SLIDE_NUMBER_ON_NAVY),
        ),
        (accent_bar(CLOSING_BAR, TEAL_LIGHT),),
        NAVY,
    )


def title_and_content_layout() -> LayoutSpec:
    return LayoutSpec(
        "Title and Content",
        "tx",
        (content_title(), content_body(), *footer_and_number()),
        (accent_bar(),),
    )


def two_content_layout() -> LayoutSpec:
    left = Box(MARGIN, CONTENT_BODY.y, HALF_W, CONTENT_BODY.cy)
    right = Box(SLIDE_W - MARGIN - HALF_W, CONTENT_BODY.y, HALF_W, CONTENT_BODY.cy)
    return LayoutSpec(
        "Two Content",
        "twoColTx",
        (
            content_title(),
            content_body("Left content", left),
            Ph("body", 2, "Right content", right, BULLET_PROMPT),
            *footer_and_number(),
        ),
        (accent_bar(),),
    )


def quote_layout() -> LayoutSpec:
    return LayoutSpec(
        "Quote",
        "cust",
        (
            content_title(),
            Ph("body", 1, "Quote", QUOTE_BODY, ("Quote text",), QUOTE_TEXT, anchor="ctr"),
            Ph("body", 2, "Attribution", QUOTE_ATTRIBUTION, ("Attribution",), ATTRIBUTION),
            *footer_and_number(),
        ),
        (accent_bar(), Deco("Quote rule", QUOTE_RULE, TEAL)),
        MIST,
    )


def case_study_layout() -> LayoutSpec:
    return LayoutSpec(
        "Case Study",
        "cust",
        (
            content_title(),
            content_body("Case"),
            *footer_and_number(),
        ),
        (Deco("Case band", CASE_BAND, TEAL), accent_bar()),
    )


def question_layout() -> LayoutSpec:
    return LayoutSpec(
        "Question",
        "cust",
        (
            content_title(),
            Ph(
                "body", 1, "Question", CONTENT_BODY, ("Question", "Follow-up prompt"), QUESTION_TEXT
            ),
            *footer_and_number(),
        ),
        (Deco("Question band", QUESTION_BAND, TEAL), accent_bar()),
    )


def table_or_chart_layout() -> LayoutSpec:
    area = Ph(
        "body",
        1,
        "Table or chart area",
        CONTENT_BODY,
        ("Table or chart area",),
        plain(20, SLATE, before_pt=0),
    )
    return LayoutSpec(
        "Table or Chart", "cust", (content_title(), area, *footer_and_number()), (accent_bar(),)
    )


def layout_specs() -> tuple[LayoutSpec, ...]:
    return (
        title_layout(),
        section_layout(),
        title_and_content_layout(),
        two_content_layout(),
        quote_layout(),
        case_study_layout(),
        question_layout(),
        table_or_chart_layout(),
        closing_layout(),
    )


def layout_xml(spec: LayoutSpec) -> str:
    bg = background(spec.background) if spec.background else ""
    return (
        f'<p:sldLayout {NSDECL} type="{spec.layout_type}" preserve="1">'
        f"<p:cSld name={quoteattr(spec.name)}>{bg}"
        f"{sp_tree(spec.decorations, spec.placeholders)}</p:cSld>"
        "<p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>"
    )


# ---------------------------------------------------------------------------------------------
# Master, theme, package parts
# ---------------------------------------------------------------------------------------------


def master_xml(layout_rids: list[str]) -> str:
    phs = (
        content_title(),
        Ph("body", 1, "Text", CONTENT_BODY, BULLET_PROMPT),
        Ph("ftr", 3, "Footer", FOOTER, (), FOOTER_TEXT, anchor="ctr"),
        Ph("sldNum", 4, "Slide Number", SLIDE_NUMBER, (), SLIDE_NUMBER_TEXT, anchor="ctr"),
    )
    ids = "".join(
        f'<p:sldLayoutId id="{2147483649 + i}" r:id="{rid}"/>' for i, rid in enumerate(layout_rids)
    )
    other = Level(18, SLATE, line_pct=100, before_pt=0)
    return (
        f"<p:sldMaster {NSDECL}><p:cSld>{background(WHITE)}{sp_tree((), phs)}</p:cSld>"
        '<p:clrMap bg1="lt1" tx1="dk1" bg2="lt2" tx2="dk2" accent1="accent1" accent2="accent2"'
        ' accent3="accent3" accent4="accent4" accent5="accent5" accent6="accent6" hlink="hlink"'
        ' folHlink="folHlink"/>'
        f"<p:sldLayoutIdLst>{ids}</p:sldLayoutIdLst><p:txStyles>"
        f"<p:titleStyle>{levels_xml(TITLE_CONTENT, MAJOR_FONTS)}</p:titleStyle>"
        f"<p:bodyStyle>{levels_xml(body_levels(), MINOR_FONTS)}</p:bodyStyle>"
        '<p:otherStyle><a:defPPr><a:defRPr lang="en-US"/></a:defPPr>'
        f"{levels_xml((other,) * 9, MINOR_FONTS)}</p:otherStyle>"
        "</p:txStyles></p:sldMaster>"
    )


def qn(tag: str) -> str:
    """Clark notation for a prefixed tag, e.g. ``qn("a:latin")``."""
    prefix, local = tag.split(":")
    return f"{{{NSMAP[prefix]}}}{local}"


def edit_theme(theme: etree._Element) -> None:
    """Palette into the colour scheme, Noto Sans everywhere, flat (no gradient/shadow) styles."""
    theme.set("name", THEME_NAME)
    scheme = theme.find(f".//{qn('a:clrScheme')}")
    scheme.set("name", THEME_NAME)
    for slot, hex_color in THEME_COLORS.items():
        element = scheme.find(qn(f"a:{slot}"))
        for child in list(element):
            element.remove(child)
        etree.SubElement(element, qn("a:srgbClr"), val=hex_color)
    font_scheme = theme.find(f".//{qn('a:fontScheme')}")
    font_scheme.set("name", THEME_NAME)
    for group in ("a:majorFont", "a:minorFont"):
        fonts = font_scheme.find(qn(group))
        for child in list(fonts):
            fonts.remove(child)
        for script in ("a:latin", "a:ea", "a:cs"):
            etree.SubElement(fonts, qn(script), typeface=FONT)
    fmt = theme.find(f".//{qn('a:fmtScheme')}")
    fmt.getparent().replace(fmt, parse_xml(flat_format_scheme()))


def flat_format_scheme() -> str:
    solid = '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>'
    line = (
        '<a:ln w="{w}" cap="flat" cmpd="sng" algn="ctr"><a:solidFill><a:schemeClr val="phClr"/>'
        '</a:solidFill><a:prstDash val="solid"/><a:miter lim="800000"/></a:ln>'
    )
    no_effect = "<a:effectStyle><a:effectLst/></a:effectStyle>"
    return (
        f'<a:fmtScheme xmlns:a="{NS_A}" name="{THEME_NAME}">'
        f"<a:fillStyleLst>{solid * 3}</a:fillStyleLst>"
        f"<a:lnStyleLst>{''.join(line.format(w=w) for w in (9525, 19050, 28575))}</a:lnStyleLst>"
        f"<a:effectStyleLst>{no_effect * 3}</a:effectStyleLst>"
        f"<a:bgFillStyleLst>{solid * 3}</a:bgFillStyleLst></a:fmtScheme>"
    )


def app_xml() -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Properties xmlns="{NS_EP}" xmlns:vt="{NS_VT}"><TotalTime>0</TotalTime>'
        "<Words>0</Words><Application>Microsoft Office PowerPoint</Application>"
        "<PresentationFormat>Widescreen</PresentationFormat><Paragraphs>0</Paragraphs>"
        "<Slides>0</Slides><Notes>0</Notes><HiddenSlides>0</HiddenSlides><MMClips>0</MMClips>"
        '<ScaleCrop>false</ScaleCrop><HeadingPairs><vt:vector size="2" baseType="variant">'
        "<vt:variant><vt:lpstr>Theme</vt:lpstr></vt:variant><vt:variant><vt:i4>1</vt:i4>"
        '</vt:variant></vt:vector></HeadingPairs><TitlesOfParts><vt:vector size="1"'
        f' baseType="lpstr"><vt:lpstr>{THEME_NAME}</vt:lpstr></vt:vector></TitlesOfParts>'
        "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
        "<HyperlinksChanged>false</HyperlinksChanged><AppVersion>16.0000</AppVersion>"
        "</Properties>"
    ).encode()


def edit_view_props(view: etree._Element) -> None:
    """Centre guides for the 16:9 slide (guide positions are in 1/8 pt)."""
    for guide in view.iter(qn("p:guide")):
        if guide.get("orient") == "horz":
            guide.set("pos", str(SLIDE_H // 12700 * 8 // 2))
        else:
            guide.set("pos", str(SLIDE_W // 12700 * 8 // 2))


def edit_blob_part(part: Part, editor: Callable[[etree._Element], None]) -> None:
    root = etree.fromstring(part.blob)
    editor(root)
    part.blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# ---------------------------------------------------------------------------------------------
# Assembly
# ---------------------------------------------------------------------------------------------


def set_slide_size(prs: PresentationObj) -> None:
    prs.slide_width = SLIDE_W
    prs.slide_height = SLIDE_H
    sld_sz = prs.part._element.find(qn("p:sldSz"))
    sld_sz.attrib.pop("type", None)


def drop_extras(prs: PresentationObj) -> None:
    """Remove the 4:3 thumbnail and the printer settings blob from the package."""
    package = prs.part.package
    for rid, rel in list(package._rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package.drop_rel(rid)
    for rid, rel in list(prs.part.rels.items()):
        if rel.reltype == RT.PRINTER_SETTINGS:
            prs.part.drop_rel(rid)


def replace_root(root: etree._Element, xml: str) -> None:
    """Swap ``root``'s attributes and children for those of ``xml``, in place.

    In place, because python-pptx caches proxy objects that hold on to the root element.
    """
    new = parse_xml(xml)
    assert new.tag == root.tag, (new.tag, root.tag)
    root.attrib.clear()
    root.attrib.update(new.attrib)
    for child in list(root):
        root.remove(child)
    root.extend(list(new))


def rebuild_layouts(prs: PresentationObj, specs: tuple[LayoutSpec, ...]) -> list[str]:
    """Reuse the first len(specs) layout parts, drop the rest; return their rIds in order."""
    master = prs.slide_masters[0]
    layouts = list(master.slide_layouts)
    for extra in layouts[len(specs) :]:
        master.slide_layouts.remove(extra)
    rids = []
    for number, (layout, spec) in enumerate(zip(layouts, specs, strict=False), start=1):
        part: SlideLayoutPart = layout.part
        replace_root(part._element, layout_xml(spec))
        part.partname = PackURI(f"/ppt/slideLayouts/slideLayout{number}.xml")
        rids.append(next(rid for rid, rel in master.part.rels.items() if rel.target_part is part))
    return rids


def rebuild_master(prs: PresentationObj, layout_rids: list[str]) -> None:
    part: SlideMasterPart = prs.slide_masters[0].part
    replace_root(part._element, master_xml(layout_rids))


def theme_part(prs: PresentationObj) -> Part:
    return prs.slide_masters[0].part.part_related_by(RT.THEME)


def package_part(prs: PresentationObj, reltype: str) -> Part:
    return prs.part.package.part_related_by(reltype)


def set_core_properties(prs: PresentationObj) -> None:
    props = prs.core_properties
    props.title = "ccrl-kit slide template"
    props.subject = ""
    props.author = "ccrl-kit"
    props.last_modified_by = "ccrl-kit"
    props.comments = "Rebuild with: python templates/build_deck_template.py"
    props.keywords = ""
    props.category = ""
    props.revision = 1
    props.created = FIXED_DATE
    props.modified = FIXED_DATE
    props.last_printed = FIXED_DATE


def build() -> PresentationObj:
    prs = Presentation()
    set_slide_size(prs)
    drop_extras(prs)
    rebuild_master(prs, rebuild_layouts(prs, layout_specs()))
    edit_blob_part(theme_part(prs), edit_theme)
    edit_blob_part(prs.part.part_related_by(RT.VIEW_PROPS), edit_view_props)
    package_part(prs, RT.EXTENDED_PROPERTIES).blob = app_xml()
    set_core_properties(prs)
    return prs


def normalise_zip(data: bytes) -> bytes:
    """Rewrite the package with fixed entry metadata so equal input gives equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0
            entry.external_attr = 0
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def describe(prs: PresentationObj) -> None:
    """Print the layout/placeholder contract as built."""
    for layout in prs.slide_layouts:
        print(f"  {layout.name}")
        for ph in layout.placeholders:
            fmt = ph.placeholder_format
            print(
                f"    idx {fmt.idx:>2} {fmt.type.name.lower():<13} x={ph.left} y={ph.top}"
                f" cx={ph.width} cy={ph.height}"
            )


def validate(prs: PresentationObj) -> None:
    """Geometry checks: every shape on the slide and inside the 0.5 in side margins."""
    for layout in prs.slide_layouts:
        for shape in layout.placeholders:
            assert shape.left >= inch(0.5) and shape.left + shape.width <= SLIDE_W - inch(0.5), (
                layout.name,
                shape.name,
            )
            assert shape.top >= 0 and shape.top + shape.height <= SLIDE_H, (layout.name, shape.name)


def main() -> None:
    print("WCAG contrast ratios (text on background):")
    check_contrast()
    prs = build()
    validate(prs)
    print("Layouts:")
    describe(prs)
    buffer = io.BytesIO()
    prs.save(buffer)
    OUT.write_bytes(normalise_zip(buffer.getvalue()))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
