"""Stage 5a, render the deck: a deck plan -> .pptx bytes, drawn on the template's named layouts."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import (
    XL_CHART_TYPE,
    XL_LABEL_POSITION,
    XL_LEGEND_POSITION,
    XL_TICK_LABEL_POSITION,
)
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Emu, Pt

from ccrl_kit.errors import BuildError
from ccrl_kit.plan.deck import LAYOUT, DeckPlan, Para, Slide
from ccrl_kit.plan.fit import (
    BODY_PT,
    Box,
    Measurer,
    body_pt,
    fit,
    largest_fitting_pt,
    layout_table,
    second_pt,
    title_pt,
)
from ccrl_kit.render.ooxml import fixed_pptx_zip
from ccrl_kit.resolve import types as r

TIMELINE_PER_SLIDE = 5


def render_pptx(plan: DeckPlan, template: Path, font_dir: Path, *, continued: str,
                timestamp: dt.datetime) -> bytes:
    prs = Presentation(str(template))
    _fast_partnames(prs.part.package)
    layouts = _layouts(prs, template)
    boxes = {name: _boxes(layout) for name, layout in layouts.items()}
    measurer = Measurer(font_dir)
    for spec in plan.slides:
        layout = layouts[spec.layout]
        for part in _split(spec, boxes[spec.layout], measurer, continued):
            _draw(prs, layout, boxes[spec.layout], part, measurer)
    _set_properties(prs, plan, timestamp)
    buffer = io.BytesIO()
    with fixed_pptx_zip(timestamp):
        prs.save(buffer)
    return buffer.getvalue()


def _fast_partnames(package) -> None:
    """Name new parts from a kept set instead of walking the whole package each time.

    python-pptx's ``next_partname`` visits every part to name one new notes slide or chart,
    so a deck costs O(n²) in its slide count; with the names kept here it is O(n).
    """
    from pptx.opc.packuri import PackURI

    names = {str(part.partname) for part in package.iter_parts()}
    taken: dict[str, set[str]] = {}

    def next_partname(tmpl: str) -> PackURI:
        prefix = tmpl[: (tmpl % 42).find("42")]
        if prefix not in taken:
            taken[prefix] = {n for n in names if n.startswith(prefix)}
        used = taken[prefix]
        n = len(used) + 1
        while tmpl % n in used:
            n += 1
        used.add(tmpl % n)
        return PackURI(tmpl % n)

    package.next_partname = next_partname


def _layouts(prs, template: Path) -> dict:
    by_name = {layout.name: layout for layout in prs.slide_layouts}
    missing = sorted(set(LAYOUT.values()) - set(by_name))
    if missing:
        raise BuildError(
            f"{template.name}: the template has no slide layout named "
            + ", ".join(f"'{m}'" for m in missing)
            + f" (it has: {', '.join(repr(n) for n in by_name)})"
        )
    return by_name


def _placeholders(shape_owner) -> dict[int, object]:
    """A slide's or layout's placeholders by idx (python-pptx finds each by walking them all)."""
    return {ph.placeholder_format.idx: ph for ph in shape_owner.placeholders}


def _boxes(layout) -> dict[int, Box]:
    return {idx: Box(int(ph.width), int(ph.height)) for idx, ph in _placeholders(layout).items()}


def _split(spec: Slide, boxes: dict[int, Box], measurer: Measurer,
           continued: str) -> list[Slide]:
    from dataclasses import replace

    if spec.timeline and len(spec.timeline.events) > TIMELINE_PER_SLIDE:
        events = spec.timeline.events
        per = -(-len(events) // -(-len(events) // TIMELINE_PER_SLIDE))  # balanced slides
        chunks = [events[i : i + per] for i in range(0, len(events), per)]
        return [
            replace(spec, timeline=replace(spec.timeline, events=chunk), continued=i > 0,
                    title=spec.title if i == 0 else f"{spec.title} {continued}")
            for i, chunk in enumerate(chunks)
        ]
    if spec.table:
        grid = layout_table(spec.table.columns, spec.table.rows, boxes[1], measurer)
        return [
            replace(spec, rows=(page[0][0], page[-1][0] + 1), continued=n > 0,
                    title=spec.title if n == 0 else f"{spec.title} {continued}")
            for n, page in enumerate(grid.pages)
        ]
    return fit(spec, boxes.get(1), measurer, continued)


def _draw(prs, layout, boxes: dict[int, Box], spec: Slide, measurer: Measurer) -> None:
    slide = prs.slides.add_slide(layout)
    phs = _placeholders(slide)
    used: set[int] = set()
    title_ph = phs.get(0)
    if title_ph is not None:
        title_ph.text_frame.text = spec.title
        p = title_ph.text_frame.paragraphs[0]
        if spec.kind not in ("title", "section", "closing"):
            size = title_pt(spec.title, boxes.get(0), measurer, spec.title_second)
            for run in p.runs:
                run.font.size = Pt(size)
        if spec.title_second:
            _second_line(p, spec.title_second, 20)
        used.add(0)
    if spec.kind == "title":
        _fill(phs, 1, (Para(spec.subtitle),), used, sized=False)
        _fill(phs, 2, spec.second, used, sized=False)
    elif spec.kind in ("section", "closing"):
        size = largest_fitting_pt(spec.body, boxes.get(1), measurer, (24, 22, 20, 18))
        _fill(phs, 1, spec.body, used, size=size)
    elif spec.kind == "quote":
        size = largest_fitting_pt(spec.body, boxes.get(1), measurer, (28, 24, 20, 18))
        _fill(phs, 1, spec.body, used, size=size)
        _fill(phs, 2, spec.second, used, sized=False)
    elif spec.table or spec.chart or spec.timeline:
        area = phs[1]
        geometry = (area.left, area.top, area.width, area.height)
        if spec.table:
            _table(slide, spec.table, spec.rows, geometry, measurer)
        elif spec.chart:
            _chart(slide, spec.chart, geometry)
        else:
            _timeline(slide, spec.timeline, geometry, measurer)
    else:
        _fill(phs, 1, spec.body, used, spec=spec)
        if spec.second:
            _fill(phs, 2, spec.second, used, spec=spec)
    for idx, ph in phs.items():
        if idx not in used:
            ph._element.getparent().remove(ph._element)
    if spec.notes:
        slide.notes_slide.notes_text_frame.text = "\n\n".join(n for n in spec.notes if n)


def _fill(phs: dict, idx: int, paras: tuple[Para, ...], used: set[int], *, sized: bool = True,
          spec: Slide | None = None, size: float | None = None) -> None:
    ph = phs.get(idx)
    if ph is None or not paras:
        return
    used.add(idx)
    frame = ph.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    for i, para in enumerate(paras):
        p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        p.level = para.level
        run = p.add_run()
        run.text = para.text
        if para.bold:
            run.font.bold = True
        pt = size or (body_pt(spec, para) if spec else BODY_PT.get(para.level, 18))
        if sized:
            run.font.size = Pt(pt)
        if para.second:
            _second_line(p, para.second, second_pt(pt))


def _second_line(p, text: str, size: float) -> None:
    """The second language, on its own line under the first, smaller and in italics."""
    p.add_line_break()
    run = p.add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.italic = True


def set_alt_text(shape, text: str) -> None:
    shape._element.xpath("./*[1]/p:cNvPr")[0].set("descr", text)


def _table(slide, table: r.Table, rows: tuple[int, int] | None, geometry,
           measurer: Measurer) -> None:
    """Rows ``rows`` of ``table``, laid out as the whole table is (same widths on every slide)."""
    left, top, width, height = geometry
    shape = layout_table(table.columns, table.rows, Box(width, height), measurer)
    start, stop = rows or (0, len(table.rows))
    row_heights = dict(row for page in shape.pages for row in page)
    heights = [shape.header_height, *(row_heights[i] for i in range(start, stop))]
    frame = slide.shapes.add_table(stop - start + 1, len(table.columns), left, top, width,
                                   Emu(sum(heights)))
    grid = frame.table
    for c, w in enumerate(shape.widths):
        grid.columns[c].width = Emu(w)
    for r_i, h in enumerate(heights):
        grid.rows[r_i].height = Emu(h)
    for c, name in enumerate(table.columns):
        _cell(grid.cell(0, c), name, bold=True)
    for r_i, row in enumerate(table.rows[start:stop], 1):
        for c, value in enumerate(row):
            _cell(grid.cell(r_i, c), value)
    set_alt_text(frame, table.alt)
    frame.name = "Table"


def _cell(cell, text: str, bold: bool = False) -> None:
    cell.text = text
    cell.vertical_anchor = MSO_ANCHOR.MIDDLE
    for p in cell.text_frame.paragraphs:
        for run in p.runs:
            run.font.size = Pt(18)
            run.font.bold = bold


def _chart(slide, chart: r.Chart, geometry) -> None:
    left, top, width, height = geometry
    data = CategoryChartData()
    data.categories = list(chart.categories)
    for name, values in chart.series:
        data.add_series(name, list(values))
    kind = XL_CHART_TYPE.BAR_CLUSTERED if chart.kind == "bar" else XL_CHART_TYPE.COLUMN_CLUSTERED
    frame = slide.shapes.add_chart(kind, left, top, width, height, data)
    c = frame.chart
    c.font.size = Pt(18)
    c.has_legend = len(chart.series) > 1
    if c.has_legend:
        c.legend.position = XL_LEGEND_POSITION.BOTTOM
        c.legend.include_in_layout = False
    plot = c.plots[0]
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.font.size = Pt(18)
    labels.number_format = "0"
    labels.number_format_is_linked = False
    if len(chart.series) == 1:
        # name and value at the end of each bar: renderers drop axis labels they find crowded
        labels.show_category_name = True
        labels.show_value = True
        labels.position = XL_LABEL_POSITION.OUTSIDE_END
        c.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.NONE
        _one_line_labels(labels._element)
        top = max(max(values) for _, values in chart.series)
        c.value_axis.minimum_scale = 0
        c.value_axis.maximum_scale = top * 1.45  # room for "Turkmenistan 66" after a bar
    plot.gap_width = 60
    if chart.kind == "bar":
        c.category_axis.reverse_order = True
    c.value_axis.has_major_gridlines = False
    c.value_axis.visible = False
    c.has_title = False  # the slide's title names the chart; the plot gets the height
    _label_every_category(c)
    for axis in c._chartSpace.xpath(".//c:axId | .//c:crossAx"):
        # python-pptx writes negative axis ids; the schema wants unsigned ints (PowerPoint repairs)
        axis.set("val", str(int(axis.get("val")) & 0x7FFFFFFF))
    set_alt_text(frame, chart.alt)
    frame.name = "Chart"


def _one_line_labels(d_lbls) -> None:
    """Data labels as "name value" on one line (no wrapping, a space as separator)."""
    from pptx.oxml.ns import qn

    body = d_lbls.find(qn("c:txPr") + "/" + qn("a:bodyPr"))
    if body is not None:
        body.set("wrap", "none")
    separator = d_lbls.makeelement(qn("c:separator"), {})
    separator.text = " "
    later = d_lbls.xpath("./c:showLeaderLines | ./c:leaderLines | ./c:extLst")
    if later:
        later[0].addprevious(separator)
    else:
        d_lbls.append(separator)


def _label_every_category(chart) -> None:
    """Ask for every category label: renderers otherwise skip some when labels are large."""
    from pptx.oxml.ns import qn

    for cat_ax in chart._chartSpace.xpath(".//c:catAx"):
        skip = cat_ax.makeelement(qn("c:tickLblSkip"), {"val": "1"})
        later = cat_ax.xpath("./c:tickMarkSkip | ./c:noMultiLvlLbl | ./c:extLst")
        if later:
            later[0].addprevious(skip)
        else:
            cat_ax.append(skip)


def _timeline(slide, timeline: r.Timeline, geometry, measurer: Measurer) -> None:
    left, top, width, height = geometry
    n = len(timeline.events)
    slot = width // n
    axis_y = top + height // 3
    shapes = slide.shapes.add_group_shape()
    line = shapes.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, left, axis_y, left + width, axis_y)
    line.line.width = Pt(3)
    dot = Emu(Pt(16))
    for i, event in enumerate(timeline.events):
        when, text = event.when, event.text
        x = left + i * slot
        marker = shapes.shapes.add_shape(MSO_SHAPE.OVAL, x + slot // 2 - dot // 2,
                                         axis_y - dot // 2, dot, dot)
        marker.line.fill.background()
        label = shapes.shapes.add_textbox(x, top, slot, axis_y - top - dot)
        _textbox(label, when, 20, bold=True, anchor=MSO_ANCHOR.BOTTOM)
        body = shapes.shapes.add_textbox(x, axis_y + dot, slot, top + height - axis_y - dot)
        _textbox(body, text, 18, anchor=MSO_ANCHOR.TOP)
    set_alt_text(shapes, timeline.alt)
    shapes.name = "Timeline"


def _textbox(box, text: str, size: int, *, bold: bool = False, anchor=MSO_ANCHOR.TOP) -> None:
    frame = box.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = anchor
    p = frame.paragraphs[0]
    p.alignment = PP_ALIGN.CENTER
    run = p.add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = RGBColor(0x1E, 0x29, 0x3B)


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
