"""Text blocks for slides: semantic paragraphs -> measured, sized paragraphs in a box."""

from __future__ import annotations

from dataclasses import dataclass, replace

from ccrl_kit.plan.deck import Para, Paragraph, Run, Text
from ccrl_kit.plan.fit import (
    BODY_FLOOR,
    EMU_PER_PT,
    SAFETY,
    SECOND_FLOOR,
    Measurer,
    Style,
    line_pt,
)

INSET_X = 91440  # left and right text-frame insets, EMU (set on every frame the deck draws)
INSET_Y = 45720
BULLET_INDENT = 320040  # 0.35 in from the bullet to the text
BULLET = "\u2022"
TIGHT_GAP = 0.2  # space between paragraphs, in ems, where a slide would otherwise split


GLYPH_DROP = 0.18  # glyph boxes reach this many ems below a line's box (Carlito, measured)


def drop_pad(pt: float) -> int:
    """The extra bottom inset (EMU) that keeps the glyphs of a last line of ``pt`` inside its
    frame: the standard inset covers text up to about 20 pt."""
    return max(0, round(GLYPH_DROP * pt * EMU_PER_PT) - INSET_Y)


def second_pt(pt: float, floor: float = SECOND_FLOOR) -> float:
    """The second language under a text of ``pt``: a little smaller, never below its floor."""
    return max(floor, round(pt * 0.82))


@dataclass(frozen=True)
class Spec:
    """How a block of paragraphs is set."""

    colour: str = "dark"
    second_colour: str = "muted"
    bold: bool = False
    italic: bool = False
    align: str = "l"
    gap: float = 0.45  # space before each paragraph after the first, in ems
    spacing: float = 1.0
    bullets: bool = True  # honour Para.bullet


def paragraphs(items: tuple[Para, ...], pt: float, spec: Spec = Spec(),
               second_floor: float = SECOND_FLOOR) -> tuple[Paragraph, ...]:
    out: list[Paragraph] = []
    small = second_pt(pt, second_floor)
    for i, item in enumerate(items):
        bullet = BULLET if spec.bullets and item.bullet else ""
        indent = BULLET_INDENT if spec.bullets and item.bullet else 0
        run = Run(item.text, bold=spec.bold or item.bold, italic=spec.italic,
                  colour=spec.colour)
        out.append(Paragraph((run,), pt, bullet=bullet, indent=indent, align=spec.align,
                             before=spec.gap * pt if i else 0.0, spacing=spec.spacing))
        if item.second:
            out.append(Paragraph((Run(item.second, italic=True, colour=spec.second_colour),),
                                 small, indent=indent, align=spec.align, before=0.0,
                                 spacing=spec.spacing))
    return tuple(out)


def height_pt(paras: tuple[Paragraph, ...], width: int, m: Measurer,
              inset_y: int = INSET_Y) -> float:
    """The height of ``paras`` set in a frame ``width`` EMU wide (insets included)."""
    total = 2 * inset_y / EMU_PER_PT
    for p in paras:
        text_w = (width - 2 * INSET_X - p.indent) / EMU_PER_PT
        # mixed runs are measured in the widest of their styles (bold and italic are wider)
        style = Style(p.pt, any(r.bold for r in p.runs), any(r.italic for r in p.runs),
                      p.spacing)
        total += p.before + m.height_pt(p.text, style, text_w)
    return total


def fits(paras: tuple[Paragraph, ...], width: int, height: int, m: Measurer) -> bool:
    return height_pt(paras, width, m) <= height / EMU_PER_PT * SAFETY


def fit_block(items: tuple[Para, ...], width: int, height: int, m: Measurer, *,
              top: float = 28, floor: float = BODY_FLOOR, spec: Spec = Spec(),
              second_floor: float = SECOND_FLOOR) -> tuple[float, tuple[Paragraph, ...]] | None:
    """The largest size (``top`` down to ``floor``, in 2 pt steps) at which ``items`` fit."""
    pt = top
    while pt >= floor - 1e-9:
        paras = paragraphs(items, pt, spec, second_floor)
        if fits(paras, width, height, m):
            return pt, paras
        pt -= 2 if pt > 20 else 1
    return None


def fit_tight(items: tuple[Para, ...], width: int, height: int, m: Measurer, *,
              top: float = 28, floor: float = BODY_FLOOR, spec: Spec = Spec(),
              second_floor: float = SECOND_FLOOR
              ) -> tuple[float, tuple[Paragraph, ...]] | None:
    """As :func:`fit_block`; when nothing fits, the same sizes again with the paragraphs
    closer together (a fifth of a line between them) before the caller splits anything."""
    laid = fit_block(items, width, height, m, top=top, floor=floor, spec=spec,
                     second_floor=second_floor)
    if laid is None and spec.gap > TIGHT_GAP:
        laid = fit_block(items, width, height, m, top=min(top, 22), floor=floor,
                         spec=replace(spec, gap=TIGHT_GAP), second_floor=second_floor)
    return laid


def block(x: int, y: int, w: int, h: int, paras: tuple[Paragraph, ...], **kw) -> Text:
    return Text(x, y, w, h, paras, **kw)


def one_line(text: str, pt: float, *, bold: bool = False, italic: bool = False,
             colour: str = "dark", align: str = "l") -> tuple[Paragraph, ...]:
    return (Paragraph((Run(text, bold=bold, italic=italic, colour=colour),), pt, align=align),)


def line_height_emu(pt: float, spacing: float = 1.0) -> int:
    return round(line_pt(Style(pt, spacing=spacing)) * EMU_PER_PT)


def text_width_emu(text: str, pt: float, m: Measurer, bold: bool = False,
                   italic: bool = False) -> int:
    """The width of a frame that holds ``text`` on one line (insets included)."""
    return round(m.width_pt(text, pt, bold, italic) * EMU_PER_PT * 1.04) + 2 * INSET_X


def split_balanced(items: tuple[Para, ...], width: int, height: int, m: Measurer,
                   spec: Spec = Spec(), floor: float = BODY_FLOOR
                   ) -> list[tuple[Para, ...]]:
    """``items`` in as few pages as fit at ``floor``, balanced so no page is half empty."""
    def page_fits(page: tuple[Para, ...]) -> bool:
        return fits(paragraphs(page, floor, spec), width, height, m)

    n = 2
    while n <= len(items):
        pages = _partition(items, n, width, m, spec, floor)
        if all(page_fits(p) for p in pages):
            return pages
        n += 1
    return [(item,) for item in items]


def _partition(items: tuple[Para, ...], n: int, width: int, m: Measurer, spec: Spec,
               floor: float) -> list[tuple[Para, ...]]:
    """Cut ``items`` into ``n`` runs of about equal height."""
    heights = [height_pt(paragraphs((item,), floor, spec), width, m) for item in items]
    total = sum(heights)
    pages: list[list[Para]] = [[]]
    used = 0.0
    for item, h in zip(items, heights, strict=True):
        target = total * len(pages) / n
        if pages[-1] and used + h / 2 > target and len(pages) < n:
            pages.append([])
        pages[-1].append(item)
        used += h
    return [tuple(p) for p in pages]
