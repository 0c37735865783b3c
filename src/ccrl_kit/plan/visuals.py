"""Graphics drawn with native shapes: icons, the map, the timeline, the chart, the table,
pictures. Each returns positioned plan elements; nothing here knows about slides."""

from __future__ import annotations

import json
import math
from functools import cache
from importlib import resources
from pathlib import Path as FilePath

from ccrl_kit.pictures import picture_size
from ccrl_kit.plan.deck import (
    Chart,
    Group,
    Line,
    Para,
    Paragraph,
    Path,
    Picture,
    Run,
    Shape,
    Table,
    Text,
)
from ccrl_kit.plan.fit import EMU_PER_PT, Measurer
from ccrl_kit.plan.text import (
    INSET_X,
    INSET_Y,
    Spec,
    fit_block,
    height_pt,
    one_line,
    paragraphs,
    second_pt,
    text_width_emu,
)
from ccrl_kit.resolve import types as r

CELL_INSET_Y = 22860  # table cells: top and bottom margins, EMU


@cache
def _data(folder: str, name: str) -> dict:
    text = (resources.files("ccrl_kit") / "data" / folder / name).read_text("utf-8")
    return json.loads(text)


def icon(kind: str, x: int, y: int, size: int, colour: str = "accent") -> Path:
    """A Lucide icon as a freeform outline, ``size`` EMU square, stroked in ``colour``."""
    data = _data("icons", "icons.json")
    grid = data["grid"]
    scale = size / grid
    paths = []
    for commands in data["icons"][kind]["paths"]:
        cmds = []
        for c in commands:
            if c[0] == "Z":
                cmds.append(("Z",))
            else:
                cmds.append((c[0], *(round(v * scale) for v in c[1:])))
        paths.append(tuple(cmds))
    width = max(12700, round(size * data["stroke"] / grid))
    return Path(x, y, size, size, tuple(paths), line=colour, line_w=width, kind="icon",
                name=f"Icon: {kind}")


def icon_badge(kind: str, x: int, y: int, size: int, *, fill: str = "soft",
               colour: str = "accent") -> tuple:
    """An icon in a filled circle: the slide kind's mark beside a title."""
    pad = size // 5
    return (Shape(x, y, size, size, "ellipse", fill=fill, name=f"Badge: {kind}"),
            icon(kind, x + pad, y + pad, size - 2 * pad, colour))


# ------------------------------------------------------------------------------------------
# Map
# ------------------------------------------------------------------------------------------


def draw_map(m: r.Map, m2: r.Map | None, x: int, y: int, w: int, h: int,
             measurer: Measurer, pt: float = 18) -> tuple[Group, Group | None, int]:
    """The country and its neighbours, the places marked by group; returns the map group,
    the legend group (placed to the right of the map or under it) and the map's width."""
    data = _data("map", "central-asia.json")
    lon0, lat0, lon1, lat1 = data["frame"]
    k = math.cos(math.radians((lat0 + lat1) / 2))
    span_x, span_y = (lon1 - lon0) * k, lat1 - lat0
    scale = min(w / span_x, h / span_y)
    mw, mh = round(span_x * scale), round(span_y * scale)

    def at(lon: float, lat: float) -> tuple[int, int]:
        return round((lon - lon0) * k * scale), round((lat1 - lat) * scale)

    children: list = [Shape(x, y, mw, mh, fill="light", line="soft", line_w=9525,
                            name="Map frame")]
    kx = k * scale
    for code in sorted(data["countries"], key=lambda c: c == m.country):
        rings = [[(round((lon - lon0) * kx), round((lat1 - lat) * scale)) for lon, lat in ring]
                 for ring in data["countries"][code]["rings"]]
        left = min(px for ring in rings for px, _ in ring)
        top = min(py for ring in rings for _, py in ring)
        right = max(px for ring in rings for px, _ in ring)
        bottom = max(py for ring in rings for _, py in ring)
        paths = []
        for ring in rings:
            cmds: list[tuple[str | int, ...]] = [("M", ring[0][0] - left, ring[0][1] - top)]
            cmds += [("L", px - left, py - top) for px, py in ring[1:]]
            cmds.append(("Z",))
            paths.append(tuple(cmds))
        home = code == m.country
        children.append(Path(x + left, y + top, max(right - left, 1), max(bottom - top, 1),
                             tuple(paths), fill="accent_soft" if home else "soft",
                             line="light", line_w=12700, name=f"Country {code}"))
    dot = round(pt * 0.75 * EMU_PER_PT)
    names2 = {i: p.name for i, p in enumerate(m2.places)} if m2 else {}
    for i, place in enumerate(m.places):
        px, py = at(place.lon, place.lat)
        cx, cy = x + px, y + py
        primary = place.group == "primary"
        children.append(Shape(cx - dot // 2, cy - dot // 2, dot, dot, "ellipse",
                              fill="primary" if primary else "light",
                              line="primary", line_w=25400, name=f"Place: {place.name}"))
        label = place.name
        if names2.get(i) and names2[i] != place.name:
            label = f"{place.name} / {names2[i]}"
        tw = text_width_emu(label, pt, measurer, bold=primary)
        th = round(pt * 1.22 * EMU_PER_PT) + 2 * INSET_Y
        lx = cx + dot if cx + dot + tw <= x + mw else cx - dot - tw
        children.append(Text(lx, cy - th // 2, tw, th,
                             one_line(label, pt, bold=primary, colour="dark"),
                             name=f"Label: {place.name}"))
    group = Group(x, y, mw, mh, tuple(children), alt=m.alt, kind="map", name="Map")
    legend = None
    if m.legend:
        rows = []
        ly = 0
        for grp, text in m.legend:
            second = dict(m2.legend).get(grp, "") if m2 else ""
            rows.append((grp, text, second if second != text else ""))
        lx = x + mw + round(0.3 * 914400)
        lw = x + w - lx
        if lw < 914400 * 2:  # no room beside the map: the legend goes under it
            lx, lw = x, w
            ly = y + mh + 45720
        else:
            ly = y + mh - round(len(rows) * pt * 2.6 * EMU_PER_PT)
        items: list[Shape | Text] = []
        cy = ly
        for grp, text, second in rows:
            paras = paragraphs((Para(text, second=second, bullet=False),), pt, Spec())
            th = round(height_pt(paras, lw - dot * 2, measurer) * EMU_PER_PT)
            items.append(Shape(lx, cy + th // 2 - dot // 2, dot, dot, "ellipse",
                               fill="primary" if grp == "primary" else "light",
                               line="primary", line_w=25400, name=f"Legend mark: {grp}"))
            items.append(Text(lx + dot * 2, cy, lw - dot * 2, th, paras,
                              name=f"Legend: {grp}"))
            cy += th
        legend = Group(lx, ly, lw, cy - ly, tuple(items), alt="", kind="shape", name="Legend")
    return group, legend, mw


# ------------------------------------------------------------------------------------------
# Timeline: to scale, era bands, and a zoomed band for the recent years
# ------------------------------------------------------------------------------------------


def draw_timeline(t: r.Timeline, t2: r.Timeline | None, x: int, y: int, w: int, h: int,
                  measurer: Measurer, labels_pt: tuple[float, ...] = (18, 16, 14, 13, 12)
                  ) -> Group | None:
    """Era bands across the top, to scale; events before the zoom year marked on them; the
    crowded recent years drawn again, to their own scale, in a zoom band below."""
    events = list(t.events)
    events2: list[r.Event | None] = list(t2.events) if t2 else [None] * len(events)
    start = min([*(e.start for e in t.eras), *(_year(e) for e in events)])
    end = max([*(e.end for e in t.eras), *(_year(e) for e in events)])
    zoom = _zoom_start(events, start, end)
    early = [(e, s) for e, s in zip(events, events2, strict=True) if _year(e) < zoom]
    late = [(e, s) for e, s in zip(events, events2, strict=True) if _year(e) >= zoom]
    for compact in (False, True):  # compact: a thinner band, closer rows, a smaller key
        for pt in labels_pt:
            drawn = _timeline_at(t, t2, early, late, start, end, zoom, x, y, w, h, measurer,
                                 pt, compact)
            if drawn is not None:
                return drawn
    return None


def _year(e: r.Event) -> float:
    """An event's place on a timeline drawn to scale."""
    if e.year is None:
        raise ValueError(f"the timeline event '{e.when}' has no year to place it")
    return e.year


def _zoom_start(events: list[r.Event], start: float, end: float) -> float:
    """The year from which events crowd: where the last stretch holding more than half the
    events spans under a sixth of the whole."""
    years = sorted(_year(e) for e in events)
    if len(years) < 5:
        return end + 1
    crowd = years[len(years) // 3:]
    if crowd[-1] - crowd[0] < (end - start) / 6:
        return math.floor(crowd[0] - 1)
    return end + 1


def _band_label(label: str, width: int, height: int, m: Measurer) -> tuple[Paragraph, ...]:
    """An era's name inside its band: one line from 16 pt down to 12, or two lines at 13 or
    12; nothing when it does not fit (the era is then named in a key)."""
    size = 16.0
    while size >= 12:
        if text_width_emu(label, size, m, bold=True) <= width:
            return one_line(label, size, bold=True, colour="dark", align="ctr")
        size -= 1
    for size in (13.0, 12.0):
        two = paragraphs((Para(label, bullet=False),), size, Spec(align="ctr", bold=True))
        if height_pt(two, width, m) * EMU_PER_PT <= height and \
                m.lines(label, size, (width - 2 * INSET_X) / EMU_PER_PT, bold=True) <= 2:
            return two
    return ()


def _label_paras(event: r.Event, second: r.Event | None, pt: float) -> tuple[Paragraph, ...]:
    head = event.when if not second or second.when == event.when else \
        f"{event.when} / {second.when}"
    text = Para(event.text, second=second.text if second and second.text != event.text else "",
                bullet=False)
    paras = (Paragraph((Run(head, bold=True, colour="primary"),), pt, align="ctr"),)
    return paras + paragraphs((text,), pt, Spec(align="ctr", gap=0), second_floor=pt - 2)


def _timeline_at(t, t2, early, late, start, end, zoom, x, y, w, h, m, pt,
                 compact: bool = False) -> Group | None:
    """One axis, era bands on it; when recent events crowd, the axis breaks at ``zoom`` and
    the years after it get a larger scale (each part to its own scale, the break marked).
    Labels alternate above and below in even slots, each led to its marker."""
    children: list = []
    broken = bool(late) and bool(early) and zoom <= end
    share = 0.34 if broken else 1.0
    gap_break = round(0.12 * 914400) if broken else 0
    left_w = round(w * share)

    def pos(year: float) -> int:
        if not broken:
            return x + round((year - start) / (end - start) * w)
        if year < zoom:
            return x + round((year - start) / (zoom - start) * (left_w - gap_break // 2))
        right_w = w - left_w - gap_break // 2
        return x + left_w + gap_break // 2 + round((year - zoom) / (end - zoom) * right_w)

    events = early + late
    above = events[0::2]
    below = events[1::2]
    band_h = round((26 if compact else 34) * EMU_PER_PT)
    def slots(side) -> list[tuple[int, int]]:
        """Slot (left, width) per label: longer labels get wider slots."""
        weights = [len(e.text) + len(s.text if s else "") + 40 for e, s in side]
        total = sum(weights) or 1
        out, left = [], x
        for wt in weights:
            sw = round(w * wt / total)
            out.append((left, sw))
            left += sw
        return out

    heights = []
    for side in (above, below):
        heights.append(max((height_pt(_label_paras(e, s, pt), sw - 45720, m) * EMU_PER_PT
                            for (e, s), (_, sw) in zip(side, slots(side), strict=True)),
                           default=0))
    gap = round((0.12 if compact else 0.2) * 914400)
    year_h = round(12 * 1.22 * EMU_PER_PT) + 2 * INSET_Y
    era2 = {i: e.label for i, e in enumerate(t2.eras)} if t2 else {}
    fills = ("primary_soft", "accent_soft", "soft")
    bands = []  # (era index, label, pieces, the piece that carries the label, its paras)
    keyed = []  # eras whose label does not fit their band: named in a key under the axis
    for i, era in enumerate(t.eras):
        pieces = [(era.start, era.end)]
        if broken and era.start < zoom < era.end:
            pieces = [(era.start, zoom), (zoom, era.end)]
        label = era.label if not era2.get(i) or era2[i] == era.label else \
            f"{era.label} / {era2[i]}"
        edges = [(pos(a) + (gap_break // 2 if broken and a == zoom else 0),
                  pos(b) - (gap_break // 2 if broken and b == zoom else 0)) for a, b in pieces]
        widest = max(range(len(edges)), key=lambda k: edges[k][1] - edges[k][0])
        paras = _band_label(label, edges[widest][1] - edges[widest][0], band_h, m)
        if not paras:
            keyed.append((i, label))
        bands.append((i, edges, widest, paras))
    key_pt = 12.0 if compact else 14.0
    key_h = round(key_pt * 1.22 * EMU_PER_PT) + 2 * INSET_Y
    swatch = round(0.35 * 914400)
    spots, kx, row = [], x, 0  # where each key entry goes: (x, row)
    for _, label in keyed:
        tw = swatch + text_width_emu(label, key_pt, m)
        if kx > x and kx + tw > x + w:
            kx, row = x, row + 1
        spots.append((kx, row, tw - swatch))
        kx += tw + round(0.3 * 914400)
    rows = row + 1 if keyed else 0
    need = heights[0] + gap + band_h + year_h + gap + heights[1] + \
        (rows * key_h + gap // 2 if keyed else 0)
    if need > h:
        return None
    axis_top = y + round(heights[0]) + gap + (h - need) // 2
    for i, edges, widest, paras in bands:
        for k, (ex0, ex1) in enumerate(edges):
            children.append(Text(ex0, axis_top, max(ex1 - ex0, 1), band_h,
                                 paras if k == widest else (), anchor="ctr",
                                 fill=fills[i % len(fills)],
                                 name=f"Era: {t.eras[i].label}"))
    # the years: the ends, the break and the eras' bounds, where they do not crowd each other
    years = sorted({round(v) for v in [start, end, *([zoom] if broken else []),
                                       *(e.start for e in t.eras), *(e.end for e in t.eras)]})
    placed: list[tuple[int, int]] = []
    for year in sorted(years, key=lambda yr: (yr not in (start, end, zoom), yr)):
        tw = text_width_emu(str(year), 12, m)
        tx = min(max(pos(year) - tw // 2, x), x + w - tw)
        if any(tx < right + 45720 and left < tx + tw + 45720 for left, right in placed):
            continue
        placed.append((tx, tx + tw))
        children.append(Text(tx, axis_top + band_h, tw, year_h,
                             one_line(str(year), 12, colour="muted", align="ctr"),
                             name=f"Year {year}"))
    top = axis_top + band_h + year_h + gap + round(heights[1]) + gap // 2
    for (i, label), (kx, row, tw) in zip(keyed, spots, strict=True):
        ky = top + row * key_h  # under everything: the band's colour and the era's name
        children.append(Shape(kx, ky + key_h // 4, swatch, key_h // 2,
                              fill=fills[i % len(fills)], name=f"Key: {label}"))
        children.append(Text(kx + swatch, ky, tw, key_h,
                             one_line(label, key_pt, colour="dark"), anchor="ctr",
                             name=f"Era key: {label}"))
    if broken:
        bx = x + left_w
        for dx in (-gap_break // 4, gap_break // 4):
            children.append(Line(bx + dx - 30000, axis_top + band_h + 40000, bx + dx + 30000,
                                 axis_top - 40000, colour="dark", width=19050,
                                 name="Scale break"))
    for side, (items, tall) in enumerate(((above, heights[0]), (below, heights[1]))):
        for (e, s), (lx, sw) in zip(items, slots(items), strict=True):
            paras = _label_paras(e, s, pt)
            th = round(tall)
            if side == 0:
                ly = axis_top - gap - th
                edge = ly + th
                mark_y = axis_top
            else:
                ly = axis_top + band_h + year_h + gap
                edge = ly
                mark_y = axis_top + band_h
            children.append(Text(lx + 22860, ly, sw - 45720, th, paras,
                                 anchor="b" if side == 0 else "t", name=f"Event: {e.when}"))
            mx = pos(e.year)
            children.append(Line(lx + sw // 2, edge, mx, mark_y, colour="muted", width=12700,
                                 name=f"Leader: {e.when}"))
            children.append(Shape(mx - 57150, mark_y - 57150, 114300, 114300, "ellipse",
                                  fill="primary", line="light", line_w=12700,
                                  name=f"Marker: {e.when}"))
    return Group(x, y, w, h, tuple(children), alt=t.alt, kind="timeline", name="Timeline")


# ------------------------------------------------------------------------------------------
# Chart: native bars, the reference values as lines over the plot
# ------------------------------------------------------------------------------------------


def draw_chart(c: r.Chart, c2: r.Chart | None, x: int, y: int, w: int, h: int,
               m: Measurer) -> tuple:
    values = c.series[0][1] if c.series else ()
    cats = list(c.categories)
    if c2 is not None:
        cats = [a if a == b else f"{a} / {b}" for a, b in zip(cats, c2.categories, strict=True)]
    top = max([*values, *(v for _, v in c.references)], default=1)
    maximum = math.ceil(top * 1.15 / 10) * 10
    pt = 18.0
    label_w = max(text_width_emu(cat, pt, m) for cat in cats) + 91440
    ref_h = round(pt * 1.22 * 2.2 * EMU_PER_PT)  # room above the plot for the line labels
    plot_x, plot_y = label_w, ref_h
    plot_w = w - label_w - round(pt * 3 * EMU_PER_PT)
    plot_h = h - ref_h
    chart = Chart(x, y, w, h, tuple(cats), tuple(values), c.series[0][0] if c.series else "",
                  c.highlight, maximum, (plot_x / w, plot_y / h, plot_w / w, plot_h / h), pt,
                  alt=c.alt, name="Chart")
    out: list = [chart]
    refs2 = dict(enumerate(n for n, _ in c2.references)) if c2 else {}
    for i, (name, value) in enumerate(c.references):
        lx = x + plot_x + round(plot_w * value / maximum)
        out.append(Line(lx, y + plot_y - 45720, lx, y + plot_y + plot_h, colour="dark",
                        width=22225, dash=True, name=f"Reference line: {name}"))
        label = f"{name} {_num(value)}"
        if refs2.get(i) and refs2[i] != name:
            label = f"{name} / {refs2[i]} {_num(value)}"
        tw = text_width_emu(label, pt - 2, m)
        ly = y + (0 if i % 2 == 0 else round((pt - 2) * 1.22 * EMU_PER_PT)) + 22860
        tx = lx - tw // 2
        tx = max(x, min(tx, x + w - tw))
        out.append(Text(tx, ly, tw, round((pt - 2) * 1.22 * EMU_PER_PT) + 2 * INSET_Y,
                        one_line(label, pt - 2, bold=True, colour="dark", align="ctr"),
                        name=f"Reference label: {name}"))
    return tuple(out)


def _num(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


# ------------------------------------------------------------------------------------------
# Table
# ------------------------------------------------------------------------------------------


Cells = tuple[tuple[Paragraph, ...], ...]  # a row of a table: its cells' paragraphs


def draw_table(t: r.Table, t2: r.Table | None, x: int, y: int, w: int, h: int, m: Measurer,
               sizes: tuple[float, ...] = (20, 18, 16, 15, 14, 13, 12)) -> Table | None:
    """The whole table at the largest size that fits the box (one slide), or None."""
    rows = [t.columns, *t.rows]
    rows2 = [t2.columns, *t2.rows] if t2 else None
    for pt in sizes:
        laid = _table_at(rows, rows2, x, y, w, h, m, pt)
        if laid is not None:
            widths, heights, cells = laid
            return Table(x, y, w, sum(heights), widths, heights, cells, alt=t.alt)
    return None


def _table_at(rows: list[tuple[str, ...]], rows2: list[tuple[str, ...]] | None, x: int, y: int,
              w: int, h: int, m: Measurer, pt: float
              ) -> tuple[tuple[int, ...], tuple[int, ...], tuple[Cells, ...]] | None:
    """The column widths, row heights and cells of the table at ``pt``, or None if it does
    not fit."""
    n = len(rows[0])
    cell_paras = []
    for ri, row in enumerate(rows):
        line = []
        for ci, cell in enumerate(row):
            second = rows2[ri][ci] if rows2 and rows2[ri][ci] != cell else ""
            line.append((Para(cell, second=second, bullet=False, bold=ri == 0),))
        cell_paras.append(line)
    inset = 2 * INSET_X
    longest_word: list[float] = [0] * n
    longest_text: list[float] = [0] * n
    for line in cell_paras:
        for ci, (para,) in enumerate(line):
            for text, small in ((para.text, pt), (para.second, second_pt(pt, pt - 2))):
                if not text:
                    continue
                words = max((m.width_pt(wd, small, para.bold) for wd in text.split()),
                            default=0)
                longest_word[ci] = max(longest_word[ci], words * EMU_PER_PT + inset)
                longest_text[ci] = max(longest_text[ci],
                                       m.width_pt(text, small, para.bold) * EMU_PER_PT + inset)
    floor = sum(longest_word)
    if floor > w:
        return None

    set_cells = [[paragraphs((para,), pt, Spec(gap=0), second_floor=pt - 2)
                  for (para,) in line] for line in cell_paras]
    rows_n = len(cell_paras)
    memo: dict[tuple[int, int], list[float]] = {}

    def column(ci: int, width: int) -> list[float]:
        """The heights of column ``ci``'s cells at ``width``."""
        key = (ci, width)
        if key not in memo:
            memo[key] = [height_pt(set_cells[ri][ci], width, m, CELL_INSET_Y)
                         for ri in range(rows_n)]
        return memo[key]

    def total(widths: list[int]) -> float:
        cols = [column(ci, wd) for ci, wd in enumerate(widths)]
        return sum(map(max, zip(*cols, strict=True)))

    # the spare width goes, a step at a time, where it saves the most height
    widths = [int(wd) for wd in longest_word]
    step = 137160
    while sum(widths) + step <= w:
        base = total(widths)
        best, gain = None, 0.0
        open_cols = [ci for ci in range(n) if widths[ci] < longest_text[ci]]
        choices = [(ci,) for ci in open_cols] + [
            (a, b) for i, a in enumerate(open_cols) for b in open_cols[i + 1:]
            if sum(widths) + 2 * step <= w]
        for choice in choices:
            trial = widths.copy()
            for ci in choice:
                trial[ci] += step
            saved = (base - total(trial)) / len(choice)
            if saved > gain + 1e-6:
                best, gain = choice, saved
        if best is None:
            room = [longest_text[ci] - widths[ci] for ci in range(n)]
            most = max(range(n), key=lambda ci: room[ci])
            if room[most] <= 0:
                break
            best = (most,)
        for ci in best:
            widths[ci] += step
    spare = w - sum(widths)
    widths = [wd + spare // n for wd in widths]
    widths[-1] = w - sum(widths[:-1])
    heights, cells = [], []
    for line in cell_paras:
        row_cells, tallest = [], 0.0
        for ci, (para,) in enumerate(line):
            paras = paragraphs((para,), pt, Spec(gap=0, colour="light" if para.bold else "dark",
                                                 second_colour="light" if para.bold
                                                 else "muted"),
                               second_floor=pt - 2)
            row_cells.append(paras)
            tallest = max(tallest, height_pt(paras, widths[ci], m, CELL_INSET_Y))
        heights.append(round(tallest * EMU_PER_PT * 1.03))
        cells.append(tuple(row_cells))
    if sum(heights) > h:
        return None
    return tuple(widths), tuple(heights), tuple(cells)


# ------------------------------------------------------------------------------------------
# Pictures
# ------------------------------------------------------------------------------------------


def fit_picture(image: r.Image, x: int, y: int, w: int, h: int,
                root: FilePath | None = None) -> Picture:
    """The picture as large as the box allows, centred, its proportions kept (read inside
    the workspace ``root``)."""
    pw, ph = picture_size(image.path, root)
    scale = min(w / pw, h / ph)
    dw, dh = round(pw * scale), round(ph * scale)
    return Picture(x + (w - dw) // 2, y + (h - dh) // 2, dw, dh, image.path, image.alt)


def caption_text(text: Para, x: int, y: int, w: int, m: Measurer, pt: float = 16,
                 extra: str = "") -> Text:
    items = (text,) + ((Para(extra, bullet=False),) if extra else ())
    laid = fit_block(items, w, 10**9, m, top=pt, floor=pt,
                     spec=Spec(colour="muted", italic=True, gap=0.2))
    paras = laid[1] if laid else ()
    hh = round(height_pt(paras, w, m) * EMU_PER_PT)
    return Text(x, y, w, hh, paras, name="Caption")


__all__ = ["INSET_X", "caption_text", "draw_chart", "draw_map", "draw_table",
           "draw_timeline", "fit_picture", "icon", "icon_badge"]
