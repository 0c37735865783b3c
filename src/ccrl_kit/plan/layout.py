"""Lay out drafts on the template: measure, size, choose the layout, split, number, preview."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

from ccrl_kit.plan.deck import (
    LAYOUT,
    Chart,
    DeckPlan,
    Draft,
    Frame,
    Group,
    Line,
    Para,
    Paragraph,
    Picture,
    Run,
    Shape,
    Slide,
    Table,
    Text,
    Visual,
)
from ccrl_kit.plan.deck import (
    Path as Freeform,
)
from ccrl_kit.plan.fit import BODY_FLOOR, EMU_PER_PT, SAFETY, SECOND_FLOOR, Measurer
from ccrl_kit.plan.template import (
    BODY,
    BODY2,
    DECK_FONT,
    FOOTER,
    NUMBER,
    TITLE,
    Box,
    Geometry,
    Layout,
    Placeholder,
    read_geometry,
)
from ccrl_kit.plan.text import (
    INSET_X,
    INSET_Y,
    TIGHT_GAP,
    Spec,
    drop_pad,
    fit_block,
    fit_tight,
    height_pt,
    line_height_emu,
    one_line,
    paragraphs,
    second_pt,
    split_balanced,
    text_width_emu,
)
from ccrl_kit.plan.visuals import (
    caption_text,
    draw_chart,
    draw_map,
    draw_table,
    draw_timeline,
    fit_picture,
    icon,
    icon_badge,
)
from ccrl_kit.resolve import types as r
from ccrl_kit.resolve.labels import Labels

IN = 914400
GUTTER = round(0.4 * IN)
BADGE = round(0.62 * IN)


@dataclass
class Ctx:
    geo: Geometry
    m: Measurer
    labels: list[Labels]
    bilingual: bool
    continued: str
    root: Path | None = None  # the workspace: pictures are read inside it

    def layout(self, kind: str) -> Layout:
        return self.geo.layout(LAYOUT[kind])

    def box(self, kind: str, slot: int) -> Box:
        """The layout's box for ``slot``, or where a standard layout would have it."""
        found = self.layout(kind).boxes.get(slot)
        return found if found is not None else self.default(kind, slot)

    def default(self, kind: str, slot: int) -> Box:
        w, h = self.geo.size
        margin = round(w * 0.045)
        if kind in ("title", "closing", "divider"):
            boxes = {TITLE: Box(margin, round(h * 0.2), w - 2 * margin, round(h * 0.24)),
                     BODY: Box(margin, round(h * 0.5), w - 2 * margin, round(h * 0.15)),
                     BODY2: Box(margin, round(h * 0.7), w - 2 * margin, round(h * 0.17))}
            if kind == "divider":
                boxes[TITLE] = Box(margin, round(h * 0.09), w - 2 * margin, round(h * 0.19))
                boxes[BODY] = Box(margin, round(h * 0.32), w - 2 * margin, round(h * 0.59))
            if kind == "closing":
                boxes[BODY] = Box(margin, round(h * 0.55), w - 2 * margin, round(h * 0.3))
        else:
            boxes = {TITLE: Box(margin, round(h * 0.04), w - 2 * margin, round(h * 0.153)),
                     BODY: Box(margin, round(h * 0.229), w - 2 * margin, round(h * 0.677))}
        if slot in boxes:
            return boxes[slot]
        master = self.geo.master.get(slot)
        if master is not None:
            return master
        foot_y = round(h * 0.93)
        if slot == NUMBER:
            return Box(w - margin - IN, foot_y, IN, round(h * 0.05))
        return Box(margin, foot_y, w - 2 * margin - round(1.2 * IN), round(h * 0.05))

    def body(self, kind: str) -> Box:
        return self.box(kind, BODY)

    def ink(self, kind: str, title: bool = False) -> str:
        """The colour of text on the layout of ``kind``: light on a dark background."""
        if self.layout(kind).dark:
            return "light"
        return "primary" if title else "dark"


def lay_out(drafts: list[Draft], course: r.Course, labels: list[Labels], *,
            template: Path | bytes, font_dir: Path, language: str,
            layouts: dict[str, str] | None = None, template_name: str = "",
            root: Path | None = None) -> DeckPlan:
    geo = read_geometry(template, layouts or {}, name=template_name)
    ctx = Ctx(geo, Measurer(font_dir), labels, len(labels) > 1,
              " ".join(lab["continued"] for lab in labels), root)
    slides: list[Slide] = []
    for draft in drafts:
        slides.extend(_lay(draft, ctx))
    numbered = []
    for n, slide in enumerate(slides, 1):
        slide = _chrome(replace(slide, number=n), ctx)
        numbered.append(replace(slide, preview=_preview(slide, ctx)))
    theme = _theme(course.brand)
    font = "" if geo.fonts == (DECK_FONT, DECK_FONT) else DECK_FONT
    return DeckPlan(course.title, course.brand.organisation or course.organiser, language,
                    tuple(numbered), geo.size, theme, font)


def _chrome(slide: Slide, ctx: Ctx) -> Slide:
    """The footer and the slide number: in the layout's placeholders, or as text boxes where
    the layout has none (never dropped); text placed in layout slots gets the template's own
    placeholder index."""
    lay = ctx.geo.layouts[slide.layout]
    kind = slide.kind if slide.kind in LAYOUT else "bullets"
    elements = []
    for el in slide.elements:
        if isinstance(el, Text) and el.placeholder >= 0:
            el = replace(el, placeholder=lay.idx.get(el.placeholder, -1))
        elements.append(el)
    fields = []
    ink = "light" if lay.dark else "muted"
    for slot, field_kind, text, align in (
            (FOOTER, "ftr", slide.footer, "l"),
            (NUMBER, "sldNum", str(slide.number) if slide.show_number else "", "r")):
        if not text:
            continue
        ph = lay.slot(slot)
        if ph is not None:
            fields.append((field_kind, ph.idx, _one_line(text, ph, ctx)))
            continue
        box = ctx.box(kind, slot)
        laid = fit_block((Para(text, bullet=False),), box.w, max(box.h, line_height_emu(12)
                                                                   + 2 * INSET_Y),
                         ctx.m, top=12, floor=10, spec=Spec(colour=ink, bullets=False,
                                                            align=align))
        paras = laid[1] if laid else one_line(text, 10, colour=ink, align=align)
        elements.append(Text(box.x, box.y, box.w, box.h, paras, anchor="ctr",
                             name="Footer" if field_kind == "ftr" else "Slide number"))
    return replace(slide, elements=tuple(elements), fields=tuple(fields))


def _one_line(text: str, ph: Placeholder, ctx: Ctx) -> str:
    """A footer as its placeholder sets it, on one line: a bilingual footer too long for
    the line keeps its first language; a text still too long ends in an ellipsis."""
    room = (ph.box.w - 2 * ph.inset_x) / EMU_PER_PT * 0.97
    pt = ph.pt or 12.0
    if ctx.m.width_pt(text, pt) <= room:
        return text
    text = text.split(" / ")[0]
    words = text.split()
    while words and ctx.m.width_pt(" ".join(words) + "\u2026", pt) > room:
        words.pop()
    return " ".join(words) + "\u2026" if len(words) < len(text.split()) else text


def _theme(brand: r.Brand) -> tuple[tuple[str, str], ...]:
    """Theme colour slots from the brand: the deck recolours without touching any slide."""
    out = []
    if brand.primary:
        primary = brand.primary.lstrip("#").upper()
        out += [("dk2", primary), ("accent1", primary)]
    if brand.accent:
        accent = brand.accent.lstrip("#").upper()
        out += [("accent2", accent), ("accent4", _mix(accent, 0.55))]
    return tuple(out)


def _mix(hex_colour: str, white: float) -> str:
    channels = [int(hex_colour[i:i + 2], 16) for i in (0, 2, 4)]
    return "".join(f"{round(c + (255 - c) * white):02X}" for c in channels)


# ------------------------------------------------------------------------------------------


def _lay(d: Draft, ctx: Ctx) -> list[Slide]:
    handler = {
        "title": _title_slide, "agenda": _agenda_slide, "divider": _divider,
        "bullets": _bullets, "quote": _quote_slide, "case": _case_facts,
        "decision": _decision, "questions": _rows_slide, "discussion": _rows_slide,
        "activity": _activity, "recap": _recap, "check": _statement, "evaluation": _statement,
        "closing": _closing, "sources": _sources,
    }[d.kind]
    return handler(d, ctx)


def _slide(d: Draft, ctx: Ctx, kind: str, elements: list, *, title: Para | None = None,
           notes: tuple[str, ...] | None = None, continued: bool = False,
           body: tuple[Para, ...] | None = None, number: bool = True) -> Slide:
    title = title or d.title
    alts = tuple(getattr(e, "alt", "") for e in elements if getattr(e, "alt", ""))
    return Slide(kind=kind, layout=ctx.layout(kind).name, title=title.text, module=d.module,
                 part=d.part,
                 body=body if body is not None else d.body,
                 notes=d.notes if notes is None else notes, elements=tuple(elements),
                 footer=_both(d.footer), show_number=number, continued=continued,
                 title_second=title.second, alt=alts)


T = TypeVar("T")
V = TypeVar("V", r.Map, r.Chart, r.Timeline, r.Table)


def _given(value: T | None, what: str) -> T:
    """A part the deck planner gives every draft of the kind being laid out."""
    if value is None:
        raise ValueError(f"the slide draft has no {what}")
    return value


def _same(kind: type[V], second: Visual | None) -> V | None:
    """The second language's graphic, which is of the same kind as the first's."""
    return second if isinstance(second, kind) else None


def _both(p: Para) -> str:
    return f"{p.text} / {p.second}" if p.second else p.text


def _title_el(title: Para, ctx: Ctx, kind: str, *, badge: str = "",
              sizes: tuple[float, ...] = (32, 30, 28, 26, 24, 22, 20),
              colour: str = "primary") -> list:
    """A slide's title (and its translation) at the largest size that fits the title box;
    a title too long even at the smallest size grows the box upwards (it is anchored at the
    bottom, on the accent bar)."""
    box = ctx.box(kind, TITLE)
    out: list = []
    x, w = box.x, box.w
    if badge:
        by = box.bottom - BADGE - round(0.08 * IN)
        out.extend(icon_badge(badge, box.x, by, BADGE))
        x += BADGE + round(0.2 * IN)
        w -= BADGE + round(0.2 * IN)
    second = "muted" if colour == "primary" else colour
    for pt in sizes:
        paras = _title_paras(title, pt, colour, second)
        pad = drop_pad(paras[-1].pt)
        need = round(height_pt(paras, w, ctx.m) * EMU_PER_PT) + pad
        if need <= box.h:
            break
    y, h = box.y, box.h
    if need > box.h:
        y, h = max(0, box.bottom - need), box.bottom - max(0, box.bottom - need)
    out.append(Text(x, y, w, h, paras, placeholder=TITLE, anchor="b", name="Title", pad=pad))
    return out


def _title_paras(title: Para, pt: float, colour: str, second: str
                 ) -> tuple[Paragraph, ...]:
    paras = [Paragraph((Run(title.text, bold=True, colour=colour),), pt)]
    if title.second:
        paras.append(Paragraph((Run(title.second, italic=True, colour=second),),
                               max(16.0, round(pt * 0.7))))
    return tuple(paras)


def _hero_title(title: Para, box: Box, ctx: Ctx, kind: str, *, top: float,
                floor: float) -> Text:
    """The big title of the title, divider and closing slides, anchored at the bottom."""
    ink, head = ctx.ink(kind), ctx.ink(kind, True)
    spec = Spec(colour=head, bold=True, second_colour=ink, gap=0)
    items = (Para(title.text, second=title.second, bullet=False),)
    pt = top
    while True:
        paras = paragraphs(items, pt, spec)
        pad = drop_pad(paras[-1].pt)
        need = height_pt(paras, box.w, ctx.m) * EMU_PER_PT + pad
        if need <= box.h * SAFETY or pt <= floor:
            break
        pt -= 2
    y, h = box.y, box.h
    if need > box.h:
        y, h = max(0, box.bottom - round(need)), box.bottom - max(0, box.bottom - round(need))
    return Text(box.x, y, box.w, h, paras, placeholder=TITLE, anchor="b", name="Title",
                pad=pad)


def _chips(chips: tuple[Para, ...], x: int, y: int, ctx: Ctx, *, on_dark: bool = False,
           pt: float = 18, first_icon: str = "", width: int = 0) -> tuple[list, int]:
    """Short facts (minutes, grouping, skill) as rounded labels in a row, wrapping onto a
    second row where they would run past ``width`` (the body's, by default); their height."""
    width = width or ctx.body("bullets").w
    out: list = []
    h = round(pt * 1.22 * EMU_PER_PT) + 2 * INSET_Y + 45720
    gap = 137160
    cx, cy = x, y
    for i, chip in enumerate(chips):
        text = _both(chip)
        pad = h if i == 0 and first_icon else 0
        w = text_width_emu(text, pt, ctx.m, bold=True) + 182880
        if w + pad > width:  # a chip longer than the row: on one line at a smaller size
            small = pt * (width - pad - 182880) / (w - 182880)
            w, text_pt = width - pad, max(12.0, math.floor(small))
        else:
            text_pt = pt
        if cx > x and cx + w + pad > x + width:
            cx, cy = x, cy + h + round(0.1 * IN)
        fill = "accent_soft" if not on_dark else "light"
        out.append(Text(cx, cy, w + pad, h,
                        one_line(text, text_pt, bold=True, colour="dark",
                                 align="r" if pad else "ctr"),
                        anchor="ctr", fill=fill, shape="roundRect", name="Chip"))
        if pad:
            out.append(icon(first_icon, cx + h // 5, cy + h // 5, h * 3 // 5, "dark"))
        cx += w + pad + gap
    return out, cy + h - y


# ------------------------------------------------------------------------------------------
# Title, agenda, divider
# ------------------------------------------------------------------------------------------


def _title_slide(d: Draft, ctx: Ctx) -> list[Slide]:
    lay = ctx.layout("title")
    els: list = []
    ink = ctx.ink("title")
    els.append(_hero_title(d.title, ctx.box("title", TITLE), ctx, "title", top=44, floor=28))
    sub = ctx.box("title", BODY)
    details = lay.boxes.get(BODY2)
    if details is None:  # no placeholder for the details: a box under the subtitle
        top = sub.bottom + round(0.15 * IN)
        bottom = max(top + IN, ctx.geo.size[1] - round(0.5 * IN))
        details = Box(sub.x, top, sub.w, bottom - top)
    spec = Spec(colour=ink, second_colour=ink, gap=0.1, bullets=False)
    if d.body:
        laid = fit_block(d.body, sub.w, sub.h, ctx.m, top=26, floor=16, spec=spec,
                         second_floor=14)
        paras = laid[1] if laid else paragraphs(d.body, 16, spec, 14)
        used = round(height_pt(paras, sub.w, ctx.m) * EMU_PER_PT)
        els.append(Text(sub.x, sub.y, sub.w, used, paras,
                        placeholder=BODY, name="Subtitle"))
        # the details may rise into what the subtitle leaves free
        top = min(details.y, sub.y + used + round(0.2 * IN))
        details = Box(details.x, top, details.w, details.bottom - top)
    if d.side:
        laid = fit_block(d.side, details.w, details.h, ctx.m, top=20, floor=14, spec=spec,
                         second_floor=14)
        paras = laid[1] if laid else paragraphs(d.side, 14, spec, 14)
        els.append(Text(details.x, details.y, details.w, details.h, paras, placeholder=BODY2,
                        anchor="b", name="Details"))
    els.extend(_logo(d, ctx, lay))
    return [_slide(d, ctx, "title", els, number=False)]


def _logo(d: Draft, ctx: Ctx, lay: Layout) -> list:
    path, alt = d.logo
    if not path:
        return []
    w = round(2.2 * IN)
    h = round(0.9 * IN)
    x = ctx.geo.size[0] - w - round(0.5 * IN)
    img = fit_picture(r.Image(path, alt, "", ""), x, round(0.3 * IN), w, h, ctx.root)
    return [Shape(img.x - 45720, img.y - 45720, img.w + 91440, img.h + 91440, "roundRect",
                  fill="light", name="Logo ground"),
            replace(img, x=x + w - img.w, name="Logo")]


def _agenda_slide(d: Draft, ctx: Ctx) -> list[Slide]:
    """The days side by side, a session a line; in a bilingual deck a session whose two
    titles fit on one line keeps them on one. An agenda is reference, as a table is: it may
    go below the body size (to 14 pt) rather than split."""
    body = ctx.body("agenda")
    els = _title_el(d.title, ctx, "agenda", badge=d.icon)
    cols = [(d.body_head, d.body)] + ([(d.side_head, d.side)] if d.side else [])
    cw = (body.w - GUTTER * (len(cols) - 1)) // len(cols)
    laid: list[tuple[Paragraph, ...]] = []
    for pt in (24, 22, 20, 19, 18, 17, 16, 15, 14):
        gap = 0.25 if pt >= 18 else 0.15
        laid = [_agenda_day(_given(head, "a day heading"), items, pt, gap, cw, ctx)
                for head, items in cols]
        if all(height_pt(paras, cw, ctx.m) * EMU_PER_PT <= body.h * SAFETY for paras in laid):
            break
    for i, paras in enumerate(laid):
        x = body.x + i * (cw + GUTTER)
        els.append(Text(x, body.y, cw, body.h, paras, placeholder=BODY if i == 0 else -1,
                        name=f"Day {i + 1}"))
        if i:
            els.append(Line(x - GUTTER // 2, body.y, x - GUTTER // 2, body.y + body.h,
                            colour="soft", width=12700, name="Column rule"))
    return [_slide(d, ctx, "agenda", els)]


def _agenda_day(head: Para, items: tuple[Para, ...], pt: float, gap: float, width: int,
                ctx: Ctx) -> tuple[Paragraph, ...]:
    small = second_pt(pt, min(SECOND_FLOOR, pt - 2))
    room = (width - 2 * INSET_X) / EMU_PER_PT
    out = list(paragraphs((replace(head, bold=True),), pt,
                          Spec(bullets=False, colour="primary", second_colour="primary")))
    for item in items:
        para = paragraphs((replace(item, second=""),), pt, Spec(bullets=False))[0]
        para = replace(para, before=gap * pt)
        if item.second:
            both = f"{item.text}  /  {item.second}"
            if ctx.m.width_pt(both, pt, item.bold, True) <= room:
                para = replace(para, runs=(*para.runs, Run(f"  /  {item.second}",
                                                            italic=True, colour="muted")))
                out.append(para)
                continue
            out.append(para)
            out.append(Paragraph((Run(item.second, italic=True, colour="muted"),), small))
            continue
        out.append(para)
    return tuple(out)


def _divider(d: Draft, ctx: Ctx) -> list[Slide]:
    lay = ctx.layout("divider")
    tb = ctx.box("divider", TITLE)
    body = ctx.box("divider", BODY)
    els: list = []
    # the course's progress: one dot per module, this one filled
    n, total = d.progress
    dot = round(0.16 * IN)
    mark = "accent_light" if lay.dark else "accent"
    for i in range(total):
        els.append(Shape(tb.x + i * dot * 2, max(0, tb.y - dot - round(0.09 * IN)), dot, dot,
                         "ellipse", fill=mark if i + 1 == n else "", line=mark,
                         line_w=12700, name=f"Progress {i + 1}"))
    els.append(_hero_title(d.title, tb, ctx, "divider", top=36, floor=24))
    chips, ch = _chips(d.chips, body.x, body.y, ctx, on_dark=lay.dark, first_icon="time",
                       width=body.w)
    els.extend(chips)
    card_y = body.y + ch + round(0.2 * IN)
    card = Box(body.x, card_y, body.w, body.bottom - card_y)
    inner_w = card.w - round(0.5 * IN)
    items = ((replace(d.body_head, bullet=False),) if d.body_head else ()) + d.body
    laid = fit_tight(items, inner_w, card.h - round(0.3 * IN), ctx.m, top=24,
                     floor=BODY_FLOOR)
    slides = []
    if laid:
        paras = laid[1]
        paras = (replace(paras[0], runs=(replace(paras[0].runs[0], colour="primary"),)),
                 *paras[1:])
        hh = round(height_pt(paras, inner_w, ctx.m) * EMU_PER_PT) + round(0.3 * IN)
        els.append(Shape(card.x, card.y, card.w, min(card.h, hh), "roundRect", fill="light",
                         name="Objectives card"))
        els.append(Text(card.x + round(0.25 * IN), card.y + round(0.15 * IN), inner_w,
                        min(card.h, hh) - round(0.3 * IN), paras, placeholder=1,
                        name="Objectives"))
        els.extend(_logo(d, ctx, lay))
        slides.append(_slide(d, ctx, "divider", els))
    else:  # objectives on a slide of their own, right after the divider
        els.extend(_logo(d, ctx, lay))
        slides.append(_slide(d, ctx, "divider", els))
        obj = replace(d, kind="objectives", title=d.body_head or d.title, icon="objectives")
        slides.extend(_text_slides(obj, ctx, "objectives", d.body, badge="objectives"))
    return slides


# ------------------------------------------------------------------------------------------
# Content
# ------------------------------------------------------------------------------------------


def _text_slides(d: Draft, ctx: Ctx, kind: str, items: tuple[Para, ...], *, badge: str = "",
                 top: float = 28, body: Box | None = None, extra: list | None = None
                 ) -> list[Slide]:
    """``items`` filling the body box at the largest size that fits (in two columns if that
    sets them larger); split (balanced) only when they cannot fit at the floor. The pages of
    a split share one size; ``extra`` (chips, links) goes on the first, and the pages after it
    have the whole body."""
    body = body or ctx.body(kind)
    laid = _columns(items, body, ctx, top=top, spec=Spec())
    if laid:
        els = _title_el(d.title, ctx, kind, badge=badge) + laid
        return [_slide(d, ctx, kind, els + (extra or []), body=items)]
    pages = split_balanced(items, body.w, body.h, ctx.m)
    boxes = [body] + [ctx.body(kind) if extra else body] * (len(pages) - 1)
    sizes = [fit_tight(page, box.w, box.h, ctx.m, top=top) for page, box in zip(
        pages, boxes, strict=True)]
    pt = min((s[0] for s in sizes if s), default=BODY_FLOOR)
    out = []
    for i, (page, box) in enumerate(zip(pages, boxes, strict=True)):
        title = d.title if i == 0 else replace(
            d.title, text=f"{d.title.text} {ctx.labels[0]['continued']}",
            second=f"{d.title.second} {ctx.labels[-1]['continued']}" if d.title.second else "")
        fitted = fit_tight(page, box.w, box.h, ctx.m, top=pt) or (
            BODY_FLOOR, paragraphs(page, BODY_FLOOR))
        els = _title_el(title, ctx, kind, badge=badge)
        els.append(Text(box.x, box.y, box.w, box.h, fitted[1], placeholder=BODY, name="Body"))
        out.append(_slide(d, ctx, kind, els + ((extra or []) if i == 0 else []), title=title,
                          continued=i > 0, body=page))
    return out


def _bullets(d: Draft, ctx: Ctx) -> list[Slide]:
    body = ctx.body("bullets")
    out: list[Slide] = []
    quote = d.side
    links = _links(d, ctx, body)
    if links:
        body = replace(body, h=body.h - links[0].h - 45720)
    if d.figure:
        out.extend(_figure(d, ctx))
    elif d.body and quote:
        out.extend(_with_quote(d, ctx, body, links))
    elif d.body and d.callout:
        out.extend(_with_callout(d, ctx, body, links))
    elif d.body and isinstance(d.visual, (r.Table, r.Chart, r.Timeline)):
        # the graphic carries the section; its points are said (notes), not read
        said = tuple(f"• {p.text}" + (f" / {p.second}" if p.second else "") for p in d.body)
        return _visual(replace(d, notes=(*said, *d.notes)), ctx)
    elif d.body:
        if isinstance(d.visual, r.Map):
            combined = _map_beside(d, d.visual, ctx)
            if combined:
                return combined
        out.extend(_text_slides(d, ctx, "bullets", d.body, body=body, extra=links))
    elif quote:
        out.extend(_quote_slide(replace(d, body=quote, icon="quote"), ctx))
    if d.visual is not None:
        out.extend(_visual(d, ctx))
    return out


def _links(d: Draft, ctx: Ctx, body: Box) -> list:
    if not d.links:
        return []
    pt = 18
    paras = tuple(Paragraph((Run(link.text, colour="accent", link=link.url),), pt,
                            before=4 if i else 0) for i, link in enumerate(d.links))
    h = round(height_pt(paras, body.w - BADGE, ctx.m) * EMU_PER_PT)
    y = body.bottom - h
    return [Text(body.x + BADGE // 2, y, body.w - BADGE // 2, h, paras, name="Links"),
            icon("link", body.x, y + 45720, BADGE // 2 - 45720, "accent")]


def _figure(d: Draft, ctx: Ctx) -> list[Slide]:
    """A key figure, big, beside the section's points (or alone, if they do not fit)."""
    body = ctx.body("bullets")
    value, label = _given(d.figure, "a key figure")
    els = _title_el(d.title, ctx, "figure")
    for share in (0.36, 0.31, 0.27):
        left_w = round(body.w * share)
        fig = _key_figure(value, label, Box(body.x, body.y, left_w, body.h), ctx)
        right = Box(body.x + left_w + GUTTER, body.y, body.w - left_w - GUTTER, body.h)
        laid = fit_tight(d.body, right.w, right.h, ctx.m, top=26) if d.body else None
        if laid or not d.body:
            if laid:
                fig.append(Text(right.x, right.y, right.w, right.h, laid[1],
                                placeholder=BODY, name="Body"))
            return [_slide(d, ctx, "figure", els + fig)]
    fig = _key_figure(value, label, body, ctx)
    alone = [_slide(d, ctx, "figure", els + fig, body=())]
    return alone + _text_slides(replace(d, figure=None), ctx, "bullets", d.body)


def _key_figure(value: str, label: Para, box: Box, ctx: Ctx) -> list:
    """A key figure, big, with its label under it, on a panel filling ``box``."""
    pad = 182880
    size = 96
    while size > 40 and text_width_emu(value, size, ctx.m, bold=True) > box.w - pad:
        size -= 8
    big_h = round(size * 1.22 * EMU_PER_PT) + 2 * INSET_Y + drop_pad(size)
    spec = Spec(colour="light", second_colour="light", bullets=False, align="ctr")
    lab = fit_block((label,), box.w - pad * 2, box.h - big_h - pad * 2, ctx.m, top=24,
                    floor=18, spec=spec)
    lab_paras = lab[1] if lab else paragraphs((label,), 18, spec)
    lab_h = round(height_pt(lab_paras, box.w - pad * 2, ctx.m) * EMU_PER_PT)
    top = box.y + (box.h - big_h - lab_h) // 2
    return [Shape(box.x, box.y, box.w, box.h, "roundRect", fill="primary",
                  name="Key figure panel"),
            Text(box.x, top, box.w, big_h, one_line(value, size, bold=True,
                                                   colour="accent_light", align="ctr"),
                 anchor="b", name="Key figure", pad=drop_pad(size)),
            Text(box.x + pad, top + big_h, box.w - pad * 2, lab_h, lab_paras,
                 name="Key figure label")]


def _with_quote(d: Draft, ctx: Ctx, body: Box, links: list) -> list[Slide]:
    """Points on the left, the quote in a card on the right; apart if they do not fit."""
    attribution = d.attribution or Para("")
    best = None
    for ratio in (0.56, 0.6, 0.64, 0.68):
        lw = round(body.w * ratio)
        rb = Box(body.x + lw + GUTTER, body.y, body.w - lw - GUTTER, body.h)
        a = fit_block(d.body, lw, body.h, ctx.m, top=26)
        q = fit_block((*d.side, attribution), rb.w - round(0.75 * IN), rb.h - round(0.5 * IN),
                      ctx.m, top=24, floor=18, spec=Spec(italic=True, bullets=False, gap=0.5))
        if a and q and (best is None or min(a[0], q[0]) > best[0]):
            best = (min(a[0], q[0]), lw, rb, a, q)
    if best:
        _, left_w, right, laid, q = best
        inner = right.w - round(0.75 * IN)
        els = _title_el(d.title, ctx, "bullets")
        els.append(Text(body.x, body.y, left_w, body.h, laid[1], placeholder=1, name="Body"))
        qp = q[1]
        # the attribution: upright, muted
        qp = tuple(replace(p, runs=tuple(replace(run, italic=False, colour="muted")
                                         for run in p.runs)) if p.text.startswith("—")
                   or (attribution.second and p.text == attribution.second) else p
                   for p in qp)
        qh = round(height_pt(qp, inner, ctx.m) * EMU_PER_PT)
        card_h = min(right.h, qh + round(0.6 * IN))
        cy = right.y + (right.h - card_h) // 2
        els.append(Shape(right.x, cy, right.w, card_h, "roundRect", fill="soft",
                         name="Quote card"))
        els.append(icon("quote", right.x + round(0.2 * IN), cy + round(0.25 * IN),
                        round(0.45 * IN), "accent"))
        els.append(Text(right.x + round(0.75 * IN), cy + round(0.3 * IN), inner, qh, qp,
                        name="Quote"))
        return [_slide(d, ctx, "bullets", els + links)]
    band = _band(d, ctx, body, _inline_quote(d.side[0], attribution), icon_kind="quote")
    if band:
        return [_slide(d, ctx, "bullets", band + links)]
    out = _text_slides(replace(d, side=()), ctx, "bullets", d.body, body=body, extra=links)
    out += _quote_slide(replace(d, body=d.side, icon="quote"), ctx)
    return out


def _inline_quote(quote: Para, who: Para):
    """A quote and its attribution in one paragraph (and its translation in another)."""
    def at(pt: float) -> tuple[Paragraph, ...]:
        out = [Paragraph((Run(quote.text, italic=True), Run(f"  {who.text}", colour="muted")),
                         pt)]
        if quote.second:
            out.append(Paragraph((Run(quote.second, italic=True, colour="muted"),
                                  Run(f"  {who.second or who.text}", colour="muted")),
                                 second_pt(pt), before=0.2 * pt))
        return tuple(out)
    return at


def _band(d: Draft, ctx: Ctx, body: Box, items, *, icon_kind: str,
          bold: bool = False) -> list | None:
    """The points above, ``items`` (a callout's paragraphs, or a function of the size that
    sets a quote) in a full-width band under them: the elements of the slide, or None when
    both do not fit at a readable size."""
    inner = body.w - round(1.0 * IN)
    spec = Spec(bold=bold, bullets=False, colour="dark", gap=0.2)
    best = None  # the band's size that leaves the points the largest size
    for pt in (22, 20, 18):
        paras = items(pt) if callable(items) else paragraphs(items, pt, spec)
        if height_pt(paras, inner, ctx.m) * EMU_PER_PT > body.h // 2 * SAFETY:
            continue
        ch = round(height_pt(paras, inner, ctx.m) * EMU_PER_PT) + round(0.16 * IN)
        top = replace(body, h=body.h - ch - round(0.2 * IN))
        laid = fit_tight(d.body, top.w, top.h, ctx.m, top=26)
        if laid is None:
            continue
        # the points as large as they can be, the band not much smaller than they are
        score = (min(laid[0], pt + 2), laid[0])
        if best is None or score > best[0]:
            best = (score, laid, paras, ch, top)
    if best is not None:
        _, laid, paras, ch, top = best
        els = _title_el(d.title, ctx, "bullets")
        els.append(Text(body.x, body.y, body.w, top.h, laid[1], placeholder=BODY,
                        name="Body"))
        cy = body.bottom - ch
        els.append(Shape(body.x, cy, body.w, ch, "roundRect",
                         fill="soft" if icon_kind == "quote" else "accent_soft",
                         name="Quote card" if icon_kind == "quote" else "Callout"))
        els.append(icon(icon_kind, body.x + round(0.2 * IN), cy + (ch - round(0.45 * IN)) // 2,
                        round(0.45 * IN), "accent" if icon_kind == "quote" else "dark"))
        els.append(Text(body.x + round(0.85 * IN), cy, inner, ch, paras, anchor="ctr",
                        name="Quote" if icon_kind == "quote" else "Callout text"))
        return els
    return None


def _with_callout(d: Draft, ctx: Ctx, body: Box, links: list) -> list[Slide]:
    """The points, the callout in a band under them; a callout that cannot share the slide
    with the points is said (the notes) rather than split the slide."""
    callout = _given(d.callout, "a callout")
    band = _band(d, ctx, body, (callout,), icon_kind="info", bold=True)
    if band:
        return [_slide(d, ctx, "bullets", band + links)]
    said = replace(d, notes=(_both(callout), *d.notes), callout=None)
    if fit_block(d.body, body.w, body.h, ctx.m):
        return _text_slides(said, ctx, "bullets", d.body, body=body, extra=links)
    return _text_slides(d, ctx, "bullets", (*d.body, replace(callout, bold=True)),
                        body=body, extra=links)


def _quote_slide(d: Draft, ctx: Ctx) -> list[Slide]:
    lay = ctx.layout("quote")
    qb = ctx.box("quote", BODY)
    ab = lay.boxes.get(BODY2)
    if ab is None or ab.y < qb.y:  # no attribution placeholder: the quote box's last fifth
        ab = Box(qb.x, qb.bottom - qb.h // 5, qb.w, qb.h // 5)
        qb = replace(qb, h=qb.h - qb.h // 5 - round(0.1 * IN))
    els = _title_el(d.title, ctx, "quote")
    isz = round(0.7 * IN)
    els.append(icon("quote", qb.x + qb.w - isz, qb.y - isz // 2, isz, "accent"))
    q = fit_block(d.body, qb.w, qb.h, ctx.m, top=32, floor=18,
                  spec=Spec(italic=True, bullets=False))
    paras = q[1] if q else paragraphs(d.body, 18, Spec(italic=True, bullets=False))
    els.append(Text(qb.x, qb.y, qb.w, qb.h, paras, placeholder=1, anchor="ctr", name="Quote"))
    if ab and d.attribution:
        a = fit_block((d.attribution,), ab.w, ab.h, ctx.m, top=22, floor=16,
                      spec=Spec(colour="muted", bullets=False, gap=0), second_floor=14)
        if a:
            els.append(Text(ab.x, ab.y, ab.w, ab.h, a[1], placeholder=BODY2,
                            name="Attribution"))
    return [_slide(d, ctx, "quote", els, body=d.body)]


def _map_beside(d: Draft, m: r.Map, ctx: Ctx) -> list[Slide] | None:
    """The points on the left, the map ``m`` on the right, when both fit at a readable
    size."""
    body = ctx.body("bullets")
    for share in (0.42, 0.47, 0.52):
        left_w = round(body.w * share)
        laid = fit_tight(d.body, left_w, body.h, ctx.m, top=22)
        if laid:
            break
    else:
        return None
    right_x = body.x + left_w + GUTTER
    right_w = body.w - left_w - GUTTER
    cap = caption_text(_given(d.caption, "a caption"), right_x, 0, right_w, ctx.m)
    group, legend, _ = draw_map(m, _same(r.Map, d.visual2), right_x, body.y, right_w,
                                body.h - cap.h - round(1.0 * IN), ctx.m, pt=16)
    els = _title_el(d.title, ctx, "bullets")
    els.append(Text(body.x, body.y, left_w, body.h, laid[1], placeholder=1, name="Body"))
    els.append(group)
    if legend:
        els.append(legend)
    els.append(replace(cap, y=body.bottom - cap.h))
    return [_slide(d, ctx, "bullets", els)]


def _visual(d: Draft, ctx: Ctx) -> list[Slide]:
    body = ctx.body("visual")
    v, v2 = d.visual, d.visual2
    els = _title_el(d.title, ctx, "visual")
    credit = ""
    if isinstance(v, r.Image):
        credit = " · ".join(x for x in (v.credit, v.licence) if x)
    cap = caption_text(d.caption or Para(""), body.x, 0, body.w, ctx.m, extra=credit)
    area = Box(body.x, body.y, body.w, body.h - cap.h - 45720)
    drawn: list = []
    if isinstance(v, r.Map):
        group, legend, _ = draw_map(v, _same(r.Map, v2), area.x, area.y, area.w, area.h, ctx.m)
        drawn = [group] + ([legend] if legend else [])
    elif isinstance(v, r.Timeline):
        t2 = _same(r.Timeline, v2)
        timeline = draw_timeline(v, t2, area.x, area.y, area.w, area.h, ctx.m)
        if timeline is None:  # the caption goes to the notes, the timeline takes its room
            timeline = draw_timeline(v, t2, body.x, body.y, body.w, body.h, ctx.m)
            cap = replace(cap, paras=(), h=0)
        if timeline is None:
            from ccrl_kit.errors import BuildError

            raise BuildError(f"the timeline '{v.caption}' does not fit one slide")
        drawn = [timeline]
    elif isinstance(v, r.Chart):
        drawn = list(draw_chart(v, _same(r.Chart, v2), area.x, area.y, area.w, area.h, ctx.m))
    elif isinstance(v, r.Table):
        table = draw_table(v, _same(r.Table, v2), area.x, area.y, area.w, area.h, ctx.m)
        if table is None:  # the caption goes to the notes, the table takes its room
            table = draw_table(v, _same(r.Table, v2), body.x, body.y, body.w, body.h, ctx.m)
            cap = replace(cap, paras=(), h=0)
        if table is None:
            from ccrl_kit.errors import BuildError

            raise BuildError(f"the table '{v.caption}' does not fit one slide even at 12 pt: "
                             "shorten its cells")
        drawn = [table]
    elif isinstance(v, r.Image):
        drawn = [fit_picture(v, area.x, area.y, area.w, area.h, ctx.root)]
    cap = replace(cap, y=body.bottom - cap.h)
    kind = "visual"
    return [_slide(d, ctx, kind, els + drawn + [cap], body=(d.caption,) if d.caption else (),
                   notes=(getattr(v, "alt", ""), *d.notes))]


# ------------------------------------------------------------------------------------------
# Cases, questions, activities
# ------------------------------------------------------------------------------------------


def _case_facts(d: Draft, ctx: Ctx) -> list[Slide]:
    body = ctx.body("case")
    cw = (body.w - GUTTER) // 2
    head_spec = Spec(bold=True, bullets=False, colour="primary")
    body_head = _given(d.body_head, "a background heading")
    side_head = _given(d.side_head, "a facts heading")
    for pt in (24, 22, 20, 19, 18):
        left = paragraphs((body_head,), pt, head_spec) + paragraphs(d.body, pt)
        right = paragraphs((side_head,), pt, head_spec) + paragraphs(d.side, pt)
        hl, hr = (height_pt(p, cw, ctx.m) * EMU_PER_PT for p in (left, right))
        if max(hl, hr) <= body.h * 0.96:
            els = _title_el(d.title, ctx, "case", badge="case")
            els.append(Text(body.x, body.y, cw, body.h, _spaced(left), placeholder=1,
                            name="Background"))
            els.append(Line(body.x + cw + GUTTER // 2, body.y, body.x + cw + GUTTER // 2,
                            body.bottom, colour="soft", width=12700, name="Column rule"))
            els.append(Text(body.x + cw + GUTTER, body.y, cw, body.h, _spaced(right),
                            name="Facts"))
            slides = [_slide(d, ctx, "case", els, body=d.side)]
            if d.visual is not None:
                slides[-1:] = slides[-1:]  # the case's picture goes with its notes
            return slides
    # background told, facts shown
    notes = (*(p.text for p in d.body), *d.notes)
    facts = replace(d, notes=notes)
    slides = _text_slides(facts, ctx, "case", (replace(side_head, bullet=False), *d.side),
                          badge="case")
    return slides


def _spaced(paras: tuple[Paragraph, ...]) -> tuple[Paragraph, ...]:
    return paras


def _decision(d: Draft, ctx: Ctx) -> list[Slide]:
    body = ctx.body("decision")
    els = _title_el(d.title, ctx, "decision", badge="decision")
    y = body.y
    if d.role:
        rp = fit_block((d.role,), body.w - round(0.4 * IN), body.h // 3, ctx.m, top=24,
                       floor=18, spec=Spec(bold=True, bullets=False, colour="dark"))
        if rp:
            rh = round(height_pt(rp[1], body.w - round(0.4 * IN), ctx.m) * EMU_PER_PT) + 91440
            els.append(Text(body.x, y, body.w, rh, rp[1], anchor="ctr", fill="accent_soft",
                            shape="roundRect", name="Role"))
            y += rh + round(0.2 * IN)
    box = Box(body.x, y, body.w, body.bottom - y)
    laid = fit_block(d.body, box.w, box.h, ctx.m, top=28,
                     spec=Spec(bullets=False, gap=0.5))
    if laid:
        els.append(Text(box.x, box.y, box.w, box.h, laid[1], placeholder=1, name="Decision"))
        return [_slide(d, ctx, "decision", els)]
    pieces = tuple(Para(s, bullet=False) for s in _sentences(d.body))
    slides = _text_slides(replace(d, body=pieces), ctx, "decision", pieces, badge="decision",
                          body=box)
    if d.role:
        slides[0] = replace(slides[0], elements=slides[0].elements + tuple(
            e for e in els if getattr(e, "name", "") == "Role"))
    return slides


def _sentences(items: tuple[Para, ...]) -> list[str]:
    import re

    out = []
    for p in items:
        out += re.split(r"(?<=[.!?])\s+", p.text)
    return out


def _rows_slide(d: Draft, ctx: Ctx) -> list[Slide]:
    """Questions, numbered, each with its time box, all on one slide."""
    kind = d.kind
    body = ctx.body(kind)
    els = _title_el(d.title, ctx, kind, badge=d.icon)
    y0 = body.y
    if d.chips:
        chips, ch = _chips(d.chips, body.x, body.y, ctx, first_icon="time")
        els.extend(chips)
        y0 += ch + round(0.15 * IN)
    num_w = round(0.55 * IN)
    chip_w = max((text_width_emu(row.minutes, 18, ctx.m, bold=True) for row in d.rows
                  if row.minutes), default=0)
    chip_w = chip_w + round(0.5 * IN) if chip_w else 0
    text_w = body.w - num_w - chip_w - (round(0.2 * IN) if chip_w else 0)
    avail = body.bottom - y0
    gap = round(0.18 * IN)
    for pt in ((32, 28) if len(d.rows) == 1 else (28,)) + (26, 24, 22, 20, 19, 18):
        laid = [paragraphs((row.text,), pt, Spec(bullets=False)) for row in d.rows]
        hs = [round(height_pt(p, text_w, ctx.m) * EMU_PER_PT) for p in laid]
        if sum(hs) + gap * (len(hs) - 1) <= avail * 0.97:
            break
    else:
        if len(d.rows) > 1:
            half = (len(d.rows) + 1) // 2
            first = replace(d, rows=d.rows[:half])
            second = replace(d, rows=d.rows[half:], chips=(), title=replace(
                d.title, text=f"{d.title.text} {ctx.labels[0]['continued']}"))
            return _rows_slide(first, ctx) + [replace(s, continued=True)
                                              for s in _rows_slide(second, ctx)]
    spare = avail - sum(hs) - gap * (len(hs) - 1)
    extra = max(0, min(spare // max(len(hs), 1), round(0.35 * IN)))
    gap += extra
    # what is still free goes a third above the questions, two thirds under them
    y = y0 + max(0, spare - extra * (len(hs) - 1)) // 3
    for i, (row, paras, h) in enumerate(zip(d.rows, laid, hs, strict=True), 1):
        nsz = round(0.44 * IN)
        els.append(Text(body.x, y, nsz, nsz, one_line(str(i), 18, bold=True, colour="light",
                                                      align="ctr"),
                        anchor="ctr", fill="accent", shape="ellipse", name=f"Number {i}"))
        els.append(Text(body.x + num_w, y, text_w, h, paras,
                        placeholder=1 if i == 1 else -1, name=f"Question {i}"))
        if row.minutes:
            cw = chip_w
            cx = body.right - cw
            chip_h = round(18 * 1.22 * EMU_PER_PT) + 2 * INSET_Y + 45720
            els.append(Text(cx, y, cw, chip_h, one_line(row.minutes, 18, bold=True,
                                                        colour="dark", align="r"),
                            anchor="ctr", fill="accent_soft", shape="roundRect",
                            name=f"Time {i}"))
            els.append(icon("time", cx + chip_h // 5, y + chip_h // 5, chip_h * 3 // 5, "dark"))
        y += h + gap
    body_paras = tuple(row.text for row in d.rows)
    return [_slide(d, ctx, kind, els, body=body_paras)]


def _activity(d: Draft, ctx: Ctx) -> list[Slide]:
    """Chips (grouping, minutes, competency, skill), the steps in one or two columns, a role
    play's roles in a band under them; the roles get a slide of their own only when the steps
    need the whole slide."""
    body = ctx.body("activity")
    chips, ch = _chips(d.chips, body.x, body.y, ctx, first_icon="", pt=16)
    y = body.y + ch + round(0.15 * IN)
    box = Box(body.x, y, body.w, body.bottom - y)
    band: list = []
    if d.side:
        laid = _roles(d, ctx, box.w - round(0.4 * IN), box.h // 3)
        inner = box.w - round(0.4 * IN)
        if laid:
            rh = round(height_pt(laid, inner, ctx.m) * EMU_PER_PT) + round(0.15 * IN)
            band = [Shape(box.x, box.bottom - rh, box.w, rh, "roundRect", fill="soft",
                          name="Roles card"),
                    Text(box.x + round(0.2 * IN), box.bottom - rh, inner, rh, laid,
                         anchor="ctr", name="Roles")]
            box = replace(box, h=box.h - rh - round(0.2 * IN))
    steps = _columns(d.body, box, ctx, top=24, spec=Spec(bullets=False, gap=0.4))
    if steps and (band or not d.side):
        els = _title_el(d.title, ctx, "activity", badge="activity") + chips + steps + band
        return [_slide(d, ctx, "activity", els)]
    box = Box(body.x, y, body.w, body.bottom - y)
    steps = _columns(d.body, box, ctx, top=24, spec=Spec(bullets=False, gap=0.4))
    if steps:
        slides = [_slide(d, ctx, "activity",
                         _title_el(d.title, ctx, "activity", badge="activity") + chips + steps)]
    else:
        slides = _text_slides(d, ctx, "activity", d.body, badge="activity", body=box,
                              extra=chips)
    if d.side:
        slides += _text_slides(replace(d, title=d.side_head or d.title), ctx, "activity",
                               d.side, badge="activity")
    return slides


def _roles(d: Draft, ctx: Ctx, width: int, height: int) -> tuple[Paragraph, ...] | None:
    """A role play's roles as one paragraph (the role cards hold the rest): "Roles: A • B"."""
    head = d.side_head or Para("")
    sep = "  \u2022  "
    text = sep.join(p.text for p in d.side)
    second = sep.join(p.second for p in d.side if p.second)
    for pt in (18,):  # the steps need the room more
        paras = [Paragraph((Run(f"{head.text}: ", bold=True, colour="primary"),
                            Run(text, bold=False)), pt)]
        if second:
            paras.append(Paragraph((Run(f"{head.second}: " if head.second else "",
                                        bold=True, italic=True, colour="muted"),
                                    Run(second, italic=True, colour="muted")),
                                   second_pt(pt), before=0.2 * pt))
        if height_pt(tuple(paras), width, ctx.m) * EMU_PER_PT <= height * SAFETY:
            return tuple(paras)
    return None


def _columns(items: tuple[Para, ...], box: Box, ctx: Ctx, *, top: float, spec: Spec
             ) -> list | None:
    """``items`` in one column, or in two (in order, balanced) when that sets them larger;
    None when neither fits at the body floor."""
    one = fit_tight(items, box.w, box.h, ctx.m, top=top, spec=spec)
    best: tuple[float, int, list[Text | Line]] | None = (one[0], 1, [
        Text(box.x, box.y, box.w, box.h, one[1], placeholder=BODY, name="Body")]) if one else None
    if len(items) > 2 and (best is None or best[0] < min(top, 22)):
        cw = (box.w - GUTTER) // 2
        heights = [height_pt(paragraphs((item,), BODY_FLOOR, spec), cw, ctx.m)
                   for item in items]
        total, run, cut = sum(heights), 0.0, 1
        for i, h in enumerate(heights[:-1], 1):
            run += h
            if run >= total / 2:
                cut = i if run - total / 2 < h / 2 else max(1, i - 1)
                break
        left, right = items[:cut], items[cut:]
        tries = [(pt, gap) for pt in (22, 20, 19, 18) for gap in (spec.gap, TIGHT_GAP)
                 if gap <= spec.gap]
        for pt, gap in tries:
            tight = replace(spec, gap=gap)
            a = fit_block(left, cw, box.h, ctx.m, top=pt, floor=pt, spec=tight)
            b = fit_block(right, cw, box.h, ctx.m, top=pt, floor=pt, spec=tight)
            if a and b:
                if best is None or pt > best[0]:
                    x2 = box.x + cw + GUTTER
                    best = (pt, 2, [
                        Text(box.x, box.y, cw, box.h, a[1], placeholder=BODY, name="Body"),
                        Line(x2 - GUTTER // 2, box.y, x2 - GUTTER // 2, box.bottom,
                             colour="soft", width=12700, name="Column rule"),
                        Text(x2, box.y, cw, box.h, b[1], name="Body, second column")])
                break
    return best[2] if best else None


def _recap(d: Draft, ctx: Ctx) -> list[Slide]:
    return _text_slides(d, ctx, "recap", d.body, badge="key")


def _statement(d: Draft, ctx: Ctx) -> list[Slide]:
    """A knowledge check or the evaluation: a big icon, the time box, a short text."""
    kind = d.kind
    body = ctx.body(kind)
    els = _title_el(d.title, ctx, kind)
    isz = round(2.2 * IN)
    els.append(Shape(body.x, body.y + round(0.2 * IN), isz, isz, "ellipse", fill="soft",
                     name="Badge"))
    els.append(icon(d.icon, body.x + isz // 5, body.y + round(0.2 * IN) + isz // 5,
                    isz * 3 // 5, "accent"))
    x = body.x + isz + GUTTER
    w = body.right - x
    y = body.y + round(0.2 * IN)
    if d.chips:
        chips, ch = _chips(d.chips, x, y, ctx, first_icon="time", width=w)
        els.extend(chips)
        y += ch + round(0.25 * IN)
    laid = fit_block(d.body, w, body.bottom - y, ctx.m, top=28, spec=Spec(bullets=False))
    paras = laid[1] if laid else paragraphs(d.body, 18, Spec(bullets=False))
    els.append(Text(x, y, w, body.bottom - y, paras, placeholder=1, name="Body"))
    return [_slide(d, ctx, kind, els)]


def _closing(d: Draft, ctx: Ctx) -> list[Slide]:
    lay = ctx.layout("closing")
    tb = ctx.box("closing", TITLE)
    bb = ctx.box("closing", BODY)
    ink = ctx.ink("closing")
    els: list = []
    isz = round(1.3 * IN)
    els.append(icon(d.icon, tb.x, tb.y - isz + round(0.6 * IN), isz, "accent_light"))
    els.append(_hero_title(d.title, tb, ctx, "closing", top=44, floor=24))
    spec = Spec(colour=ink, second_colour=ink, bullets=False)
    b = fit_block(d.body, bb.w, bb.h, ctx.m, top=28, spec=spec, floor=16)
    els.append(Text(bb.x, bb.y, bb.w, bb.h, b[1] if b else paragraphs(d.body, 16, spec),
                    placeholder=BODY, name="Body"))
    els.extend(_logo(d, ctx, lay))
    return [_slide(d, ctx, "closing", els)]


def _sources(d: Draft, ctx: Ctx) -> list[Slide]:
    body = ctx.body("sources")
    note = d.callout
    nh = 0
    els = _title_el(d.title, ctx, "sources", badge="sources")
    if note:
        n = fit_block((note,), body.w, body.h // 3, ctx.m, top=18, floor=18,
                      spec=Spec(colour="muted", italic=True, bullets=False))
        if n:
            nh = round(height_pt(n[1], body.w, ctx.m) * EMU_PER_PT)
            els.append(Text(body.x, body.bottom - nh, body.w, nh, n[1], name="Note"))
    box = Box(body.x, body.y, body.w, body.h - nh - 91440)
    items = d.body
    cw = (box.w - GUTTER) // 2
    while items:
        half = (len(items) + 1) // 2
        cols = (items[:half], items[half:])
        laid = [fit_block(c, cw, box.h, ctx.m, top=20, floor=18, spec=Spec(gap=0.3))
                if c else (18, ()) for c in cols]
        fitted = [x for x in laid if x]
        if len(fitted) == len(laid):
            for i, (_, paras) in enumerate(fitted):
                els.append(Text(box.x + i * (cw + GUTTER), box.y, cw, box.h, paras,
                                placeholder=1 if i == 0 else -1, name=f"Sources {i + 1}"))
            break
        items = items[:-1]  # the rest are in the notes and the handout
    return [_slide(d, ctx, "sources", els, notes=tuple(p.text for p in d.body))]


# ------------------------------------------------------------------------------------------
# Previews
# ------------------------------------------------------------------------------------------


def _preview(slide: Slide, ctx: Ctx) -> tuple[Frame, ...]:
    lay = ctx.geo.layouts[slide.layout]
    w, h = ctx.geo.size
    frames: list[Frame] = []
    if lay.dark:
        frames.append(Frame(0, 0, w, h, "shape", fill="primary"))
    for el in slide.elements:
        frames.extend(_frames(el))
    slots = {"ftr": FOOTER, "sldNum": NUMBER}
    for kind, _, text in slide.fields:
        box = lay.boxes.get(slots[kind])
        if box:
            frames.append(Frame(box.x, box.y, box.w, box.h, "text", text=text, pt=14,
                                colour="light" if lay.dark else "muted"))
    return tuple(frames)


def _frames(el) -> list[Frame]:
    if isinstance(el, Text):
        lines = [p.text for p in el.paras][:3]
        first = el.paras[0] if el.paras else None
        return [Frame(el.x, el.y, el.w, el.h, "text", text="\n".join(lines),
                      pt=first.pt if first else 0.0,
                      bold=bool(first and first.runs and first.runs[0].bold),
                      fill=el.fill, colour=(first.runs[0].colour if first and first.runs
                                            else el.colour) or el.colour)]
    if isinstance(el, Shape):
        return [Frame(el.x, el.y, el.w, el.h, "shape", fill=el.fill)]
    if isinstance(el, Line):
        return [Frame(min(el.x1, el.x2), min(el.y1, el.y2), abs(el.x2 - el.x1),
                      abs(el.y2 - el.y1), "line", colour=el.colour)]
    if isinstance(el, Freeform):
        return [Frame(el.x, el.y, el.w, el.h, el.kind if el.kind == "icon" else "shape",
                      fill=el.fill, colour=el.line)]
    if isinstance(el, Picture):
        return [Frame(el.x, el.y, el.w, el.h, "picture", text=el.alt)]
    if isinstance(el, Table):
        return [Frame(el.x, el.y, el.w, el.h, "table")]
    if isinstance(el, Chart):
        return [Frame(el.x, el.y, el.w, el.h, "chart")]
    if isinstance(el, Group):
        if el.kind == "map":
            return [Frame(el.x, el.y, el.w, el.h, "map")]
        return [f for child in el.children for f in _frames(child)]
    return []
