"""Fit slide text to its box: measure with the deck's own font files, split, never shrink.

python-pptx cannot autofit (only PowerPoint re-renders), so text is measured here with Pillow
and the same TrueType files the deck names, and long content moves onto continuation slides.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from PIL import ImageFont

from ccrl_kit.plan_deck import Para, Slide

EMU_PER_PT = 12700
SCALE = 20  # measure at 20 px per point for sub-point precision

BODY_PT = {0: 20, 1: 18}
QUESTION_PT = 28
TITLE_PT = (32, 28)
LINE_SPACING = 1.2  # line height as a multiple of the font size (font ascent + descent)
SPACE_BEFORE_PT = 6
INSET_EMU = (91440 * 2, 45720 * 2)  # default text-frame insets, left+right and top+bottom
INDENT_EMU = {0: 342900, 1: 685800}


@dataclass(frozen=True)
class Box:
    width: int  # EMU
    height: int


@cache
def _font(font_dir: Path, bold: bool, pt: float) -> ImageFont.FreeTypeFont:
    name = "NotoSans-Bold.ttf" if bold else "NotoSans-Regular.ttf"
    return ImageFont.truetype(str(font_dir / name), size=round(pt * SCALE))


class Measurer:
    def __init__(self, font_dir: Path):
        self.font_dir = font_dir

    def width_pt(self, text: str, pt: float, bold: bool = False) -> float:
        return _font(self.font_dir, bold, pt).getlength(text) / SCALE

    def lines(self, text: str, pt: float, width_emu: int, bold: bool = False) -> int:
        """How many lines ``text`` wraps to in a box ``width_emu`` wide (greedy, by words)."""
        limit = width_emu / EMU_PER_PT
        count = 0
        for paragraph in text.split("\n"):
            count += 1
            line = ""
            for word in paragraph.split():
                trial = f"{line} {word}" if line else word
                if line and self.width_pt(trial, pt, bold) > limit:
                    count += 1
                    line = word
                    while self.width_pt(line, pt, bold) > limit and len(line) > 1:
                        count += 1  # an over-long word breaks anywhere
                        line = line[len(line) // 2 :]
                else:
                    line = trial
        return count

    def para_height_pt(self, para: Para, box: Box, pt: float | None = None) -> float:
        size = pt or BODY_PT.get(para.level, 18)
        width = box.width - INSET_EMU[0] - INDENT_EMU.get(para.level, 0)
        n = self.lines(para.text, size, width, para.bold)
        return n * size * LINE_SPACING + SPACE_BEFORE_PT


def body_pt(slide: Slide, para: Para) -> float:
    return QUESTION_PT if slide.kind in ("question", "decision") and para.level == 0 else (
        BODY_PT.get(para.level, 18))


def fit(slide: Slide, box: Box | None, measurer: Measurer, continued: str) -> list[Slide]:
    """Split ``slide`` into as many slides as its body needs to fit ``box``."""
    if box is None or not slide.body:
        return [slide]
    limit = (box.height - INSET_EMU[1]) / EMU_PER_PT
    pages: list[list[Para]] = [[]]
    used = 0.0
    for para in slide.body:
        h = measurer.para_height_pt(para, box, body_pt(slide, para))
        if pages[-1] and used + h > limit:
            pages.append([])
            used = 0.0
        pages[-1].append(para)
        used += h
    if len(pages) == 1:
        return [slide]
    return [
        replace(slide, body=tuple(page), continued=i > 0,
                title=slide.title if i == 0 else f"{slide.title} {continued}")
        for i, page in enumerate(pages)
    ]


def title_pt(title: str, box: Box | None, measurer: Measurer) -> float:
    """The largest title size at which ``title`` takes at most two lines."""
    if box is None:
        return TITLE_PT[0]
    for pt in TITLE_PT:
        if measurer.lines(title, pt, box.width - INSET_EMU[0], bold=True) <= 2:
            return pt
    return TITLE_PT[-1]
