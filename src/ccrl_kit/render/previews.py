"""Small pictures of slides for the Word guide, drawn from the deck plan's preview frames.

Like the PDF's vector previews: filled shapes in the brand's colour roles, text drawn as bars
where its lines run. Letters are left out (Pillow renders them slowly, and a guide shows
hundreds of slides): Word prints each slide's number and title under its picture, as text.
Drawn with Pillow in a palette of the colour roles at a fixed size: equal frames give equal
PNG bytes.
"""

from __future__ import annotations

import io
from functools import lru_cache

from ccrl_kit.plan import blocks as b

WIDTH = 360  # pixels: 38 mm at 240 dpi
TITLE_PT = 24  # text at least this large is a title: drawn in heavier bars
EMU_PER_PT = 12700

INK = {"dark": "#1E293B", "light": "#FFFFFF", "muted": "#64748B", "tint": "#EEF2F7",
       "soft": "#E2E8F0", "rule": "#CBD5E1"}


def mix(colour: str, white: float) -> str:
    """``colour`` (#RRGGBB) mixed with a share of white: the deck's lighter tints."""
    rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c + (255 - c) * white):02X}" for c in rgb)


def colour_roles(brand: b.Brand) -> dict[str, str]:
    """The deck's colour roles in the brand's colours."""
    return {"primary": brand.primary, "accent": brand.accent,
            "accent_light": mix(brand.accent, 0.45), "accent_soft": mix(brand.accent, 0.8),
            "primary_soft": mix(brand.primary, 0.8), **INK}


class Drawer:
    """Draws slide previews in one brand's colours."""

    def __init__(self, brand: b.Brand):
        roles = colour_roles(brand)
        roles["bar"] = mix(roles["dark"], 0.6)  # text on a light ground
        roles["bar_light"] = mix(roles["primary"], 0.7)  # text on a dark ground
        self.index = {name: i for i, name in enumerate(roles)}
        self.palette = [int(colour[i:i + 2], 16) for colour in roles.values()
                        for i in (1, 3, 5)]
        self.drawn: dict[tuple, bytes] = {}

    def png(self, ref: b.SlideRef) -> bytes:
        key = (ref.size, ref.frames)
        if key not in self.drawn:
            self.drawn[key] = self._draw(ref)
        return self.drawn[key]

    def _draw(self, ref: b.SlideRef) -> bytes:
        from PIL import Image, ImageDraw

        sw, sh = ref.size
        k = WIDTH / sw  # pixels per EMU
        height = max(1, round(sh * k))
        index = self.index
        image = Image.new("P", (WIDTH, height), index["light"])
        image.putpalette(self.palette)
        draw = ImageDraw.Draw(image)
        for f in ref.frames:
            x0, y0 = round(f.x * k), round(f.y * k)
            x1, y1 = round((f.x + f.w) * k) - 1, round((f.y + f.h) * k) - 1
            if x1 < x0 or y1 < y0:
                continue
            fill = f.fill if f.fill in index else (
                "tint" if f.kind in ("table", "chart", "map", "picture") else "")
            if fill:
                draw.rectangle((x0, y0, x1, y1), fill=index[fill])
            if f.text and f.pt > 0:
                ink = index["bar_light" if f.colour == "light" else "bar"]
                _bars(draw, f, (x0, y0, x1, y1), f.pt * EMU_PER_PT * k, ink)
        draw.rectangle((0, 0, WIDTH - 1, height - 1), outline=index["rule"])
        out = io.BytesIO()
        image.save(out, "PNG", optimize=False, compress_level=6)
        return out.getvalue()


def _bars(draw, f: b.Frame, box: tuple[int, int, int, int], size: float, ink: int) -> None:
    """Text as bars where its lines would run (a title's bars thicker)."""
    x0, y0, x1, y1 = box
    per_line = max(1, int(f.w / EMU_PER_PT / (f.pt * 0.5)))
    lines = min(-(-len(f.text) // per_line), max(1, int((y1 - y0) // (size * 1.5))))
    bar = size * (0.7 if f.pt >= TITLE_PT else 0.5)
    for i in range(lines):
        top = y0 + i * size * 1.5 + size * 0.3
        share = min(1.0, len(f.text) / per_line) if lines == 1 else (
            0.6 if i == lines - 1 else 0.95)
        draw.rectangle((x0, round(top), x0 + max(1, round((x1 - x0) * share)),
                        round(top + bar)), fill=ink)


@lru_cache(maxsize=8)
def drawer(brand: b.Brand) -> Drawer:
    return Drawer(brand)
