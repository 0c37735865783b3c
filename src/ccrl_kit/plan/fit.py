"""Fit slide text to its box: measure with the deck's own font files, split, never shrink.

python-pptx cannot autofit (only PowerPoint re-renders), so text is measured here with Pillow
and the same TrueType files the deck names, and long content moves onto continuation slides.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from PIL import ImageFont

from ccrl_kit.plan.deck import Para, Slide

EMU_PER_PT = 12700
UNITS = 1000  # fonts are measured at 1000 px, then scaled to the point size

BODY_PT = {0: 20, 1: 18}
QUESTION_PT = 28
DECISION_PT = 24
TITLE_PT = (32, 28)
LINE_SPACING = 1.1  # the template's paragraph line spacing, times the font's own line height
SPACE_BEFORE_PT = {0: 8, 1: 6}
SAFETY = 0.95  # keep 5% of the box free: renderers differ a little in line breaking
INSET_EMU = (91440 * 2, 45720 * 2)  # default text-frame insets, left+right and top+bottom
INDENT_EMU = {0: 342900, 1: 685800}


@dataclass(frozen=True)
class Box:
    width: int  # EMU
    height: int


@cache
def _font(font_dir: Path, bold: bool) -> ImageFont.FreeTypeFont:
    """The deck's font at a large size: advances scale linearly, so one size serves all."""
    name = "NotoSans-Bold.ttf" if bold else "NotoSans-Regular.ttf"
    return ImageFont.truetype(str(font_dir / name), size=UNITS)


def _width(font_dir: Path, text: str, pt: float, bold: bool) -> float:
    return _advance(font_dir, text, bold) * pt / UNITS


def _advance(font_dir: Path, text: str, bold: bool) -> float:
    """The advance of ``text``: the sum of its characters' advances. Kerning is left out, so
    widths come out a hair wide, never narrow (the safe side for fitting)."""
    widths = _char_widths(font_dir, bold)
    total = 0.0
    for ch in text:
        width = widths.get(ch)
        if width is None:
            width = widths[ch] = _font(font_dir, bold).getlength(ch)
        total += width
    return total


@cache
def _char_widths(font_dir: Path, bold: bool) -> dict[str, float]:
    return {}


@functools.lru_cache(maxsize=16384)
def _lines(font_dir: Path, text: str, pt: float, width_emu: int, bold: bool) -> int:
    """Words are measured once each and summed with spaces: kerning across a space is nil."""
    limit = width_emu / EMU_PER_PT
    space = _width(font_dir, " ", pt, bold)
    count = 0
    for paragraph in text.split("\n"):
        count += 1
        used = -space
        for word in paragraph.split():
            w = _width(font_dir, word, pt, bold)
            if used + space + w <= limit or used < 0:
                used += space + w
                if used > limit:  # an over-long word breaks anywhere
                    extra = int(used // limit)
                    count += extra
                    used -= extra * limit
            else:
                count += 1
                used = w
                if used > limit:
                    extra = int(used // limit)
                    count += extra
                    used -= extra * limit
    return count


class Measurer:
    def __init__(self, font_dir: Path):
        self.font_dir = font_dir

    def width_pt(self, text: str, pt: float, bold: bool = False) -> float:
        return _width(self.font_dir, text, pt, bold)

    def lines(self, text: str, pt: float, width_emu: int, bold: bool = False) -> int:
        """How many lines ``text`` wraps to in a box ``width_emu`` wide (greedy, by words)."""
        return _lines(self.font_dir, text, pt, width_emu, bold)

    def line_height_pt(self, pt: float) -> float:
        """One line's height. PowerPoint and LibreOffice both set single spacing at 1.2 times
        the font size (measured: a 20 pt line at 110% spacing advances 26.4 pt)."""
        return pt * 1.2 * LINE_SPACING

    def para_height_pt(self, para: Para, box: Box, pt: float | None = None) -> float:
        size = pt or BODY_PT.get(para.level, 18)
        width = box.width - INSET_EMU[0] - INDENT_EMU.get(para.level, 0)
        n = self.lines(para.text, size, width, para.bold)
        height = n * self.line_height_pt(size) + SPACE_BEFORE_PT.get(para.level, 6)
        if para.second:
            small = second_pt(size)
            height += self.lines(para.second, small, width) * self.line_height_pt(small)
        return height


def second_pt(pt: float) -> float:
    """The size of the second language under a text of ``pt``: smaller, never below 18."""
    return max(18.0, round(pt * 0.8))


def body_pt(slide: Slide, para: Para) -> float:
    if para.level == 0 and slide.kind == "question":
        return QUESTION_PT
    if para.level == 0 and slide.kind == "decision":
        return DECISION_PT
    return BODY_PT.get(para.level, 18)


_SENTENCE = re.compile(r"(?<=[.!?;:])\s+(?=[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ\"“«(])")


def _pieces(slide: Slide, para: Para, box: Box, limit: float, measurer: Measurer) -> list[Para]:
    """``para``, or its sentences as separate paragraphs if it cannot fit one box alone."""
    if measurer.para_height_pt(para, box, body_pt(slide, para)) <= limit:
        return [para]
    sentences = _SENTENCE.split(para.text)
    if len(sentences) == 1 or para.second:
        return [para]
    return [replace(para, text=s) for s in sentences]


def fit(slide: Slide, box: Box | None, measurer: Measurer, continued: str) -> list[Slide]:
    """Split ``slide`` into as many slides as its body needs to fit ``box``."""
    if box is None or not slide.body or slide.kind in ("title", "section", "closing", "quote"):
        return [slide]
    limit = (box.height - INSET_EMU[1]) / EMU_PER_PT * SAFETY
    paras = [piece for p in slide.body for piece in _pieces(slide, p, box, limit, measurer)]
    heights = [measurer.para_height_pt(p, box, body_pt(slide, p)) for p in paras]
    pages = _pack(paras, heights, limit)
    if len(pages) > 1:  # balance: the smallest limit that needs no more slides
        low, high = max(heights), limit
        while high - low > 1:
            mid = (low + high) / 2
            if len(_pack(paras, heights, mid)) > len(pages):
                low = mid
            else:
                high = mid
        pages = _pack(paras, heights, high)
    if len(pages) == 1:
        return [slide]
    return [
        replace(slide, body=tuple(page), continued=i > 0,
                title=slide.title if i == 0 else f"{slide.title} {continued}")
        for i, page in enumerate(pages)
    ]


def _pack(paras: list[Para], heights: list[float], limit: float) -> list[list[Para]]:
    """Greedy pages of at most ``limit`` points; a bold heading never ends a page."""
    pages: list[list[int]] = [[]]
    used = 0.0
    for i, h in enumerate(heights):
        if pages[-1] and used + h > limit:
            last = pages[-1][-1]
            carry = [pages[-1].pop()] if paras[last].bold and len(pages[-1]) > 1 else []
            pages.append(carry)
            used = sum(heights[c] for c in carry)
        pages[-1].append(i)
        used += h
    return [[paras[i] for i in page] for page in pages]


def title_pt(title: str, box: Box | None, measurer: Measurer, second: str = "") -> float:
    """The largest title size at which ``title`` takes at most two lines (one line when a
    second-language title sits under it)."""
    if box is None:
        return TITLE_PT[0]
    most = 1 if second else 2
    for pt in (*TITLE_PT, 24):
        if measurer.lines(title, pt, box.width - INSET_EMU[0], bold=True) <= most:
            return pt
    return 24


TABLE_PT = 18
CELL_INSET_EMU = (91440 * 2, 45720 * 2)


@dataclass(frozen=True)
class TableLayout:
    widths: tuple[int, ...]  # EMU per column
    header_height: int  # EMU
    pages: tuple[tuple[tuple[int, int], ...], ...]  # per slide: (row index, height EMU)


def layout_table(columns: tuple[str, ...], rows: tuple[tuple[str, ...], ...], box: Box,
                 measurer: Measurer) -> TableLayout:
    """Column widths from the text they hold; rows packed onto as many slides as they need."""
    inset = CELL_INSET_EMU[0] / EMU_PER_PT
    longest_word, longest_text = [], []
    for c, name in enumerate(columns):
        cells = [name, *(row[c] for row in rows)]
        longest_word.append(max(measurer.width_pt(w, TABLE_PT, True)
                                for cell in cells for w in (cell.split() or [""])) + inset)
        longest_text.append(max(measurer.width_pt(cell, TABLE_PT, True) for cell in cells) + inset)
    total = box.width / EMU_PER_PT
    # every column gets its longest word; what is left goes where the text is longest
    floor = sum(longest_word)
    extra = [max(t - w, 0.0) for w, t in zip(longest_word, longest_text, strict=True)]
    spare = max(total - floor, 0.0)
    share = [spare * e / sum(extra) if sum(extra) else spare / len(extra) for e in extra]
    widths = [int((w + x) * EMU_PER_PT) for w, x in zip(longest_word, share, strict=True)]
    widths[-1] = box.width - sum(widths[:-1])

    def height(cells: tuple[str, ...], bold: bool) -> int:
        lines = max(measurer.lines(cell, TABLE_PT, w - CELL_INSET_EMU[0], bold)
                    for cell, w in zip(cells, widths, strict=True))
        pt = lines * measurer.line_height_pt(TABLE_PT) / LINE_SPACING * 1.05
        return int(pt * EMU_PER_PT) + CELL_INSET_EMU[1]

    header = height(columns, True)
    limit = box.height * SAFETY - header
    pages: list[list[tuple[int, int]]] = [[]]
    used = 0
    for i, row in enumerate(rows):
        h = height(row, False)
        if pages[-1] and used + h > limit:
            pages.append([])
            used = 0
        pages[-1].append((i, h))
        used += h
    return TableLayout(tuple(widths), header, tuple(tuple(p) for p in pages))


def largest_fitting_pt(paras: tuple[Para, ...], box: Box | None, measurer: Measurer,
                       sizes: tuple[float, ...]) -> float:
    """The first of ``sizes`` at which ``paras`` fit ``box`` (for one-box slides that cannot
    continue, such as a module divider); the smallest size if none does."""
    if box is None:
        return sizes[0]
    limit = (box.height - INSET_EMU[1]) / EMU_PER_PT * SAFETY
    for pt in sizes:
        if sum(measurer.para_height_pt(p, box, pt) for p in paras) <= limit:
            return pt
    return sizes[-1]
