"""Measure slide text with the deck's own font files, so the plan can size and split it.

python-pptx cannot autofit (only PowerPoint re-renders), so text is measured here with Pillow
and Carlito, the metric-compatible twin of the deck's font, Calibri: a line that fits here
fits in PowerPoint (Calibri) and in LibreOffice (which draws Calibri with Carlito).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import ImageFont

EMU_PER_PT = 12700
UNITS = 1000  # fonts are measured at 1000 px, then scaled to the point size
LINE = 1.22  # Carlito's line height (win ascent + descent) in ems, at single spacing
SAFETY = 0.96  # keep 4% of each box free: renderers differ a little in line heights
WRAP = 0.98  # and break lines 2% short of the box: LibreOffice sets text a hair wider
FONTS = {(False, False): "Carlito-Regular.ttf", (True, False): "Carlito-Bold.ttf",
         (False, True): "Carlito-Italic.ttf", (True, True): "Carlito-BoldItalic.ttf"}

BODY_FLOOR = 18.0  # body text is never smaller; a slide splits instead
SECOND_FLOOR = 16.0  # the second language of a bilingual deck


@cache
def _font(font_dir: str, bold: bool, italic: bool) -> ImageFont.FreeTypeFont:
    """The font at a large size: advances scale linearly, so one size serves all."""
    return ImageFont.truetype(str(Path(font_dir) / FONTS[bold, italic]), size=UNITS)


@cache
def _char_widths(font_dir: str, bold: bool, italic: bool) -> dict[str, float]:
    return {}


@cache
def _words(font_dir: str, bold: bool, italic: bool) -> dict[str, float]:
    return {}


def _advance(font_dir: str, text: str, bold: bool, italic: bool) -> float:
    """The advance of ``text`` at ``UNITS``: the sum of its characters' advances. Kerning is
    left out, so widths come out a hair wide, never narrow (the safe side for fitting)."""
    words = _words(font_dir, bold, italic)
    width = words.get(text)
    if width is not None:
        return width
    chars = _char_widths(font_dir, bold, italic)
    width = 0.0
    for ch in text:
        w = chars.get(ch)
        if w is None:  # a line break has no advance (and Pillow cannot lay one out)
            w = chars[ch] = (0.0 if ch in "\n\r" else
                             _font(font_dir, bold, italic).getlength(ch))
        width += w
    if len(text) < 40:
        words[text] = width
    return width


@functools.lru_cache(maxsize=8192)
def _paragraph(font_dir: str, text: str, bold: bool, italic: bool
               ) -> tuple[tuple[float, ...], ...]:
    """Each line break of ``text``'s word advances at ``UNITS`` (measured once per text)."""
    return tuple(tuple(_advance(font_dir, word, bold, italic) for word in line.split())
                 for line in text.split("\n"))


@functools.lru_cache(maxsize=65536)
def _lines(font_dir: str, text: str, pt: float, width_pt: float, bold: bool,
           italic: bool) -> int:
    """Greedy word wrap, as PowerPoint and LibreOffice do; an over-long word breaks anywhere."""
    limit = width_pt * UNITS / pt  # the line's width in font units
    space = _advance(font_dir, " ", bold, italic)
    count = 0
    for words in _paragraph(font_dir, text, bold, italic):
        count += 1
        used = -space
        for w in words:
            if used >= 0 and used + space + w > limit:
                count += 1
                used = w
            else:
                used += space + w
            if used > limit:  # a word longer than the line
                extra = int(used // limit)
                count += extra
                used -= extra * limit
    return count


@dataclass(frozen=True)
class Style:
    """How a run of text is set: what measuring needs to know."""

    pt: float
    bold: bool = False
    italic: bool = False
    spacing: float = 1.0  # line spacing multiple


class Measurer:
    def __init__(self, font_dir: Path):
        self.font_dir = font_dir
        self._key = str(font_dir)  # cache keys: a str hashes far faster than a Path
        missing = [n for n in FONTS.values() if not (font_dir / n).is_file()]
        if missing:
            from ccrl_kit.errors import BuildError

            raise BuildError(f"{font_dir}: the deck's measuring fonts are missing: "
                             + ", ".join(missing))

    def width_pt(self, text: str, pt: float, bold: bool = False, italic: bool = False) -> float:
        return _advance(self._key, text, bold, italic) * pt / UNITS

    def lines(self, text: str, pt: float, width_pt: float, bold: bool = False,
              italic: bool = False) -> int:
        """How many lines ``text`` wraps to in a line ``width_pt`` wide."""
        return _lines(self._key, text, pt, round(width_pt * WRAP, 2), bold, italic)

    def height_pt(self, text: str, style: Style, width_pt: float) -> float:
        n = self.lines(text, style.pt, width_pt, style.bold, style.italic)
        return n * line_pt(style)


def line_pt(style: Style) -> float:
    return style.pt * LINE * style.spacing


def emu(pt: float) -> int:
    return round(pt * EMU_PER_PT)


def pt_of(emu_value: int) -> float:
    return emu_value / EMU_PER_PT


def first_fitting(sizes: Sequence[float], fits) -> float | None:
    """The first (largest) of ``sizes`` for which ``fits(size)`` holds, or None."""
    for size in sizes:
        if fits(size):
            return size
    return None


def sizes(top: float, floor: float, step: float = 2.0) -> tuple[float, ...]:
    out, size = [], top
    while size >= floor - 1e-9:
        out.append(size)
        size -= step
    return tuple(out)
