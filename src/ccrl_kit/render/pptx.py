"""Stage 5a, render the deck: a deck plan -> .pptx bytes. Draws exactly what the plan placed;
decides nothing (python-pptx internals and raw XML live in ``render.pptx_xml``)."""

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


def open_template(template: Path, *, keep_external: bool = False):
    """The one place the template is opened: checked and cleaned first
    (:mod:`ccrl_kit.render.pptx_package`), so python-pptx only ever reads a sound package."""
    import io

    from pptx import Presentation

    from ccrl_kit.render.pptx_package import open_template as checked

    data = checked(template, keep_external=keep_external)
    try:
        return Presentation(io.BytesIO(data))
    except Exception as exc:  # python-pptx raises many kinds for a bad file
        raise BuildError(f"{template.name}: not a PowerPoint template ({exc})") from None


def render_pptx(plan: DeckPlan, template: Path, *, timestamp: dt.datetime,
                keep_external: bool = False) -> bytes:
    prs = open_template(template, keep_external=keep_external)
    x.fast_partnames(prs.part.package)
    layouts = {layout.name: layout for layout in prs.slide_layouts}
    footers = {name: x.footer_placeholders(layout) for name, layout in layouts.items()}
    lang = LANG.get(plan.language.split("+")[0], plan.language)
    for spec in plan.slides:
        layout = layouts.get(spec.layout)
        if layout is None:
            raise BuildError(f"{template.name}: the template has no slide layout named "
                             f"'{spec.layout}'")
        _draw(prs, layout, footers[spec.layout], spec, lang)
    x.recolour(prs, plan.theme)
    _set_properties(prs, plan, timestamp)
    buffer = io.BytesIO()
    with fixed_pptx_zip(timestamp):
        prs.save(buffer)
    return buffer.getvalue()


def _draw(prs, layout, footers: dict[int, str], spec: Slide, lang: str) -> None:
    slide = prs.slides.add_slide(layout)
    tree = x.sp_tree(slide)
    phs = x.placeholder_elements(slide)
    used: set[int] = set()
    links: dict[str, str] = {}

    def link(url: str) -> str:
        if url not in links:
            from pptx.opc.constants import RELATIONSHIP_TYPE as RT

            links[url] = slide.part.relate_to(url, RT.HYPERLINK, is_external=True)
        return links[url]

    counter = [x.next_id(slide)]

    def new_id() -> int:
        counter[0] += 1
        return counter[0] - 1

    for el in spec.elements:
        if isinstance(el, Text) and el.placeholder >= 0 and el.placeholder in phs \
                and el.placeholder not in used:
            x.fill_placeholder(phs[el.placeholder], el, lang, link)
            used.add(el.placeholder)
            continue
        _element(slide, tree, el, lang, link, new_id)
    for idx, sp in phs.items():
        if idx not in used:
            x.remove(sp)
    for idx, kind in footers.items():
        if kind == "ftr" and spec.footer:
            tree.append(x.parse(x.footer_sp(new_id(), idx, "ftr", spec.footer, lang)))
        elif kind == "sldNum" and spec.show_number:
            tree.append(x.parse(x.footer_sp(new_id(), idx, "sldNum", str(spec.number), lang)))
    if spec.notes:
        x.set_notes(slide, "\n\n".join(n for n in spec.notes if n))


def _element(slide, tree, el, lang: str, link, new_id) -> None:
    if isinstance(el, Text):
        tree.append(x.parse(x.text_sp(el, new_id(), lang, link)))
    elif isinstance(el, Shape):
        tree.append(x.parse(x.shape_sp(el, new_id())))
    elif isinstance(el, Freeform):
        tree.append(x.parse(x.freeform_sp(el, new_id())))
    elif isinstance(el, Line):
        tree.append(x.parse(x.line_cxn(el, new_id())))
    elif isinstance(el, Group):
        tree.append(_group(el, lang, link, new_id))
    elif isinstance(el, Picture):
        pic = slide.shapes.add_picture(el.path, el.x, el.y, el.w, el.h)
        x.set_alt_text(pic, el.alt)
        pic.name = el.name
        x.set_id(pic, new_id())
    elif isinstance(el, Table):
        x.set_id(_table(slide, el, lang, link), new_id())
    elif isinstance(el, Chart):
        x.set_id(_chart(slide, el), new_id())


def _group(el: Group, lang: str, link, new_id):
    """A group of native shapes (map, timeline, legend), its alt text on the group."""
    boxes = [_bounds(c) for c in el.children]
    left = min(b[0] for b in boxes)
    top = min(b[1] for b in boxes)
    right = max(b[0] + b[2] for b in boxes)
    bottom = max(b[1] + b[3] for b in boxes)
    parts = [x.group_open(el, new_id(), (left, top, right - left, bottom - top))]
    for child in el.children:
        if isinstance(child, Text):
            parts.append(x.text_sp(child, new_id(), lang, link))
        elif isinstance(child, Shape):
            parts.append(x.shape_sp(child, new_id()))
        elif isinstance(child, Freeform):
            parts.append(x.freeform_sp(child, new_id()))
        elif isinstance(child, Line):
            parts.append(x.line_cxn(child, new_id()))
    parts.append("</p:grpSp>")
    return x.parse("".join(parts))


def _bounds(el) -> tuple[int, int, int, int]:
    if isinstance(el, Line):
        return (min(el.x1, el.x2), min(el.y1, el.y2), abs(el.x2 - el.x1), abs(el.y2 - el.y1))
    return (el.x, el.y, el.w, el.h)


def _table(slide, el: Table, lang: str, link):
    from pptx.util import Emu

    frame = slide.shapes.add_table(len(el.cells), len(el.widths), Emu(el.x), Emu(el.y),
                                   Emu(el.w), Emu(el.h))
    grid = frame.table
    for c, w in enumerate(el.widths):
        grid.columns[c].width = Emu(w)
    for r_i, h in enumerate(el.heights):
        grid.rows[r_i].height = Emu(h)
    x.table_cells(frame, el.cells, lang, link)
    x.set_alt_text(frame, el.alt)
    frame.name = el.name
    return frame


def _chart(slide, el: Chart):
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION
    from pptx.enum.dml import MSO_THEME_COLOR
    from pptx.util import Emu, Pt

    data = CategoryChartData()
    data.categories = list(el.categories)
    data.add_series(el.series or "Value", list(el.values))
    frame = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, Emu(el.x), Emu(el.y),
                                   Emu(el.w), Emu(el.h), data)
    c = frame.chart
    c.font.size = Pt(el.pt)
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
    x.set_alt_text(frame, el.alt)
    frame.name = el.name
    return frame


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
