"""Stage 5a, render the deck: a deck plan -> .pptx bytes. Draws exactly what the plan placed;
decides nothing. Each slide is written as DrawingML in one string (``render.pptx_xml``) on
the template package the plan measured; python-pptx keeps the package (parts, relationships,
pictures) and writes the one native chart."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from ccrl_kit.errors import BuildError
from ccrl_kit.plan.deck import (
    Chart,
    DeckPlan,
    Group,
    Line,
    Picture,
    Shape,
    Slide,
    Table,
    Text,
)
from ccrl_kit.plan.deck import (
    Path as Freeform,
)
from ccrl_kit.render import pptx_xml as x
from ccrl_kit.render.ooxml import fixed_pptx_zip

LANG = {"en": "en-US", "ru": "ru-RU", "kk": "kk-KZ"}


def open_template(template: Path | bytes, *, keep_external: bool = False, name: str = ""):
    """The template as python-pptx opens it: checked and cleaned first
    (:mod:`ccrl_kit.render.pptx_package`), so python-pptx only ever reads a sound package."""
    from pptx import Presentation

    from ccrl_kit.render.pptx_package import open_template as checked

    data = template if isinstance(template, bytes) else checked(template,
                                                                keep_external=keep_external)
    try:
        return Presentation(io.BytesIO(data))
    except Exception as exc:  # python-pptx raises many kinds for a bad file
        shown = name or (template.name if isinstance(template, Path) else "deck template")
        raise BuildError(f"{shown}: not a PowerPoint template ({exc})") from None


def render_pptx(plan: DeckPlan, template: Path | bytes, *, timestamp: dt.datetime,
                keep_external: bool = False, root: Path | None = None) -> bytes:
    """``template``: the template file, or its checked package (as the plan read it);
    ``root``: the workspace, which the pictures are read inside."""
    prs = open_template(template, keep_external=keep_external)
    layouts: dict[str, tuple[object, dict[int, str]]] = {}
    for master in prs.slide_masters:
        for layout in master.slide_layouts:
            if layout.name not in layouts:
                layouts[layout.name] = (layout.part, x.placeholders(layout.part))
    writer = x.SlideWriter(prs, root)
    lang = LANG.get(plan.language.split("+")[0], plan.language)
    style = x.Style(lang, plan.font)
    for spec in plan.slides:
        found = layouts.get(spec.layout)
        if found is None:
            raise BuildError(f"the deck template has no slide layout named '{spec.layout}'")
        _draw(writer, found, spec, style)
    x.recolour(prs, plan.theme)
    _set_properties(prs, plan, timestamp)
    buffer = io.BytesIO()
    with fixed_pptx_zip(timestamp):
        prs.save(buffer)
    return buffer.getvalue()


class _Ids:
    def __init__(self) -> None:
        self.n = 1

    def __call__(self) -> int:
        self.n += 1
        return self.n


def _draw(writer: x.SlideWriter, layout: tuple[object, dict[int, str]], spec: Slide,
          style: x.Style) -> None:
    layout_part, phs = layout
    part = writer.new(layout_part)
    links: dict[str, str] = {}

    def link(url: str) -> str:
        if url not in links:
            links[url] = part.relate_to(url, writer.rt.HYPERLINK, is_external=True)
        return links[url]

    new_id = _Ids()
    shapes: list[str] = []
    used: set[int] = set()
    for el in spec.elements:
        if isinstance(el, Text) and el.placeholder in phs and el.placeholder not in used:
            used.add(el.placeholder)
            shapes.append(x.placeholder_sp(el, new_id(), phs[el.placeholder], style, link))
        else:
            shapes.append(_element(writer, part, el, style, link, new_id))
    for kind, idx, text in spec.fields:
        if idx in phs:
            shapes.append(x.field_sp(new_id(), phs[idx], kind, text, style))
    writer.finish(part, shapes, tuple(n for n in spec.notes if n), style.lang)


def _element(writer: x.SlideWriter, part, el, style: x.Style, link, new_id) -> str:
    if isinstance(el, Text):
        return x.text_sp(el, new_id(), style, link)
    if isinstance(el, Shape):
        return x.shape_sp(el, new_id())
    if isinstance(el, Freeform):
        return x.freeform_sp(el, new_id())
    if isinstance(el, Line):
        return x.line_cxn(el, new_id())
    if isinstance(el, Group):
        return _group(el, style, link, new_id)
    if isinstance(el, Picture):
        return x.picture(el, new_id(), writer.image(part, el.path))
    if isinstance(el, Table):
        return x.table(el, new_id(), style, link)
    if isinstance(el, Chart):
        return x.chart_frame(el, new_id(), _chart(writer, part, el, style))
    raise BuildError(f"the deck plan holds an element the renderer cannot draw: {el!r}")


def _group(el: Group, style: x.Style, link, new_id) -> str:
    """A group of native shapes (map, timeline, legend), its alt text on the group."""
    boxes = [_bounds(c) for c in el.children]
    left = min(b[0] for b in boxes)
    top = min(b[1] for b in boxes)
    right = max(b[0] + b[2] for b in boxes)
    bottom = max(b[1] + b[3] for b in boxes)
    parts = [x.group_open(el, new_id(), (left, top, right - left, bottom - top))]
    for child in el.children:
        if isinstance(child, Text):
            parts.append(x.text_sp(child, new_id(), style, link))
        elif isinstance(child, Shape):
            parts.append(x.shape_sp(child, new_id()))
        elif isinstance(child, Freeform):
            parts.append(x.freeform_sp(child, new_id()))
        elif isinstance(child, Line):
            parts.append(x.line_cxn(child, new_id()))
    parts.append("</p:grpSp>")
    return "".join(parts)


def _bounds(el) -> tuple[int, int, int, int]:
    if isinstance(el, Line):
        return (min(el.x1, el.x2), min(el.y1, el.y2), abs(el.x2 - el.x1), abs(el.y2 - el.y1))
    return (el.x, el.y, el.w, el.h)


def _chart(writer: x.SlideWriter, part, el: Chart, style: x.Style) -> str:
    """A native bar chart part; returns its relationship id."""
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION
    from pptx.enum.dml import MSO_THEME_COLOR
    from pptx.util import Pt

    data = CategoryChartData()
    data.categories = list(el.categories)
    data.add_series(el.series or "Value", list(el.values))
    rid, c = writer.chart(part, XL_CHART_TYPE.BAR_CLUSTERED, data)
    c.font.size = Pt(el.pt)
    if style.font:
        c.font.name = style.font
    c.has_legend = False
    c.has_title = False
    plot = c.plots[0]
    plot.gap_width = 45
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.font.size = Pt(el.pt)
    labels.font.bold = True
    labels.number_format = "0"
    labels.number_format_is_linked = False
    labels.show_value = True
    labels.position = XL_LABEL_POSITION.OUTSIDE_END
    series = plot.series[0]
    series.format.fill.solid()
    series.format.fill.fore_color.theme_color = MSO_THEME_COLOR.ACCENT_3
    for i in el.highlight:
        point = series.points[i]
        point.format.fill.solid()
        point.format.fill.fore_color.theme_color = MSO_THEME_COLOR.ACCENT_2
    cat = c.category_axis
    cat.reverse_order = True
    cat.tick_labels.font.size = Pt(el.pt)
    cat.format.line.fill.background()
    cat.has_major_gridlines = False
    value = c.value_axis
    value.minimum_scale = 0
    value.maximum_scale = el.maximum
    value.has_major_gridlines = False
    value.visible = False
    x.tune_chart(c, el)
    return rid


def _set_properties(prs, plan: DeckPlan, timestamp: dt.datetime) -> None:
    props = prs.core_properties
    props.title = plan.title
    props.author = plan.author
    props.last_modified_by = plan.author
    props.language = plan.language
    props.revision = 1
    props.created = timestamp
    props.modified = timestamp
    props.last_printed = timestamp
