"""Render a document plan as Word (.docx): the same blocks as the PDF, in editable form.

Real heading styles (Word's navigation pane and the contents field use them), a contents field,
a running header per part, page numbers, tables with a shaded header row that repeats across
pages, notes and alerts in shaded boxes, slide references, clickable links with a QR code beside
them. Reproducible: equal plans give equal bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re

from docx import Document as new_document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from ccrl_kit.plan import blocks as b
from ccrl_kit.render.assets import qr_png, read_image
from ccrl_kit.render.ooxml import normalise_package

PAPER = {"a4": (Mm(210), Mm(297)), "letter": (Mm(215.9), Mm(279.4))}
MARGIN = Mm(18)
INK, MUTED, RULE, TINT = "1E293B", "475569", "CBD5E1", "EEF2F7"
PAPER_TINT, ALERT, ALERT_TINT = "F8FAFC", "B45309", "FFF7E6"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def render_docx(doc: b.Document, timestamp: dt.datetime) -> bytes:
    word = new_document()
    writer = _Writer(word, doc)
    writer.setup(timestamp)
    writer.blocks(doc.blocks, word)
    buffer = io.BytesIO()
    word.save(buffer)
    return normalise_package(buffer.getvalue(), timestamp)


def _hex(colour: str) -> str:
    return colour.lstrip("#").upper()


def _safe(text: str) -> str:
    """Text Word can hold: control characters (not allowed in XML) are dropped."""
    return _NOT_XML.sub("", text)


def _el(tag: str, **attrs: str):
    element = OxmlElement(tag)
    for key, value in attrs.items():
        element.set(qn(key), value)
    return element


class _Writer:
    def __init__(self, word, doc: b.Document):
        self.word = word
        self.doc = doc
        self.primary = _hex(doc.brand.primary)
        self.accent = _hex(doc.brand.accent)
        self.style_ids: dict[str, str] = {}
        self.page_break = False
        self.numbering = 0

    # -- set-up ---------------------------------------------------------------------------

    def setup(self, timestamp: dt.datetime) -> None:
        word, doc = self.word, self.doc
        section = word.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = PAPER[doc.paper]
        for side in ("left_margin", "right_margin", "bottom_margin"):
            setattr(section, side, MARGIN)
        section.top_margin = Mm(20)
        section.header_distance = section.footer_distance = Mm(9)
        section.different_first_page_header_footer = True  # the cover has none
        self.text_width = section.page_width - 2 * MARGIN
        styles = word.styles
        body, head = doc.brand.body_font, doc.brand.heading_font
        normal = styles["Normal"]
        normal.font.name, normal.font.size = body, Pt(10)
        normal.font.color.rgb = RGBColor.from_string(INK)
        normal.paragraph_format.space_after = Pt(4)
        normal.paragraph_format.line_spacing = 1.1
        self._font_all(normal, body)
        for level, size in ((1, 17), (2, 12.5), (3, 10.5)):
            style = styles[f"Heading {level}"]
            style.font.name, style.font.size, style.font.bold = head, Pt(size), True
            style.font.color.rgb = RGBColor.from_string(self.primary)
            style.font.italic = False
            self._font_all(style, head)
            style.paragraph_format.keep_with_next = True
            style.paragraph_format.space_before = Pt(14 if level == 1 else 10)
            style.paragraph_format.space_after = Pt(4)
        self._border(styles["Heading 1"].element.get_or_add_pPr(), "bottom", self.accent, 12)
        title = styles["Title"]
        title.font.name, title.font.size = head, Pt(26)
        title.font.color.rgb = RGBColor.from_string(self.primary)
        self._font_all(title, head)
        title_ppr = title.element.get_or_add_pPr()
        for border in title_ppr.findall(qn("w:pBdr")):
            title_ppr.remove(border)
        for name, size, colour, bold in (("Meta", 8.5, MUTED, False), ("Label", 8, self.primary,
                                                                           True)):
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = normal
            style.font.name, style.font.size, style.font.bold = head, Pt(size), bold
            style.font.color.rgb = RGBColor.from_string(colour)
            self._font_all(style, head)
            style.paragraph_format.keep_with_next = True
        styles["Label"].font.all_caps = True
        for name in ("List Bullet", "List Number"):
            styles[name].paragraph_format.space_after = Pt(2)
        props = word.core_properties
        props.title = doc.title
        props.author = props.last_modified_by = doc.author
        props.language = doc.language
        props.revision = 1
        props.created = props.modified = props.last_printed = timestamp
        props.comments = ""
        lang = word.styles.element.find(qn("w:docDefaults"))
        if lang is not None:
            rpr = lang.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
            if rpr is not None:
                rpr.append(_el("w:lang", **{"w:val": doc.language}))
        settings = word.settings.element
        settings.append(_el("w:updateFields", **{"w:val": "true"}))  # fills the contents field
        self._footer(section)

    @staticmethod
    def _font_all(style, name: str) -> None:
        """The font for every script (Word keeps separate ones for Cyrillic and others)."""
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = _el("w:rFonts")
            rpr.insert(0, fonts)
        for key in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(key), name)
        for key in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
            fonts.attrib.pop(qn(key), None)

    @staticmethod
    def _border(ppr, side: str, colour: str, size: int) -> None:
        borders = ppr.find(qn("w:pBdr"))
        if borders is None:
            borders = _el("w:pBdr")
            ppr.append(borders)
        borders.append(_el(f"w:{side}", **{"w:val": "single", "w:sz": str(size),
                                            "w:space": "4", "w:color": colour}))

    def _footer(self, section) -> None:
        p = section.footer.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        parts = re.split(r"(\{page\}|\{pages\})", self.doc.page_label)
        for part in parts:
            if part == "{page}":
                self._field(p, "PAGE", "1")
            elif part == "{pages}":
                self._field(p, "NUMPAGES", "1")
            elif part:
                self._small(p.add_run(part))

    def _header(self, section, running: str) -> None:
        header = section.header
        header.is_linked_to_previous = False
        p = header.paragraphs[0]
        p.text = ""
        p.style = self.word.styles["Normal"]  # "Header" brings a centre tab stop
        p.paragraph_format.space_after = Pt(0)
        p.paragraph_format.tab_stops.add_tab_stop(self.text_width, WD_TAB_ALIGNMENT.RIGHT)
        self._small(p.add_run(_safe(self.doc.header)))
        if running:
            self._small(p.add_run("\t" + _safe(running)))
        self._border(p._p.get_or_add_pPr(), "bottom", RULE, 4)

    @staticmethod
    def _small(run) -> None:
        run.font.size = Pt(7.5)
        run.font.color.rgb = RGBColor.from_string(MUTED)

    def _field(self, paragraph, instruction: str, shown: str) -> None:
        field = _el("w:fldSimple", **{"w:instr": instruction})
        run = paragraph.add_run(shown)
        self._small(run)
        field.append(run._r)
        paragraph._p.append(field)

    # -- paragraphs -----------------------------------------------------------------------

    def paragraph(self, box, style: str | None = None, text: str = ""):
        """A new paragraph in ``box`` (the document or a table cell). The style id is set
        directly: python-docx would scan every style of the document for each paragraph."""
        p = box.add_paragraph()
        if self.page_break:
            p.paragraph_format.page_break_before = True
            self.page_break = False
        if style:
            if style not in self.style_ids:
                self.style_ids[style] = self.word.styles[style].style_id
            p._p.style = self.style_ids[style]
        if text:
            p.add_run(_safe(text))
        return p

    def spans(self, p, spans: b.Rich, *, bold: bool = False) -> None:
        for s in spans:
            run = p.add_run(_safe(s.text))
            if s.style == "strong" or bold:
                run.bold = True
            elif s.style == "em":
                run.italic = True
            elif s.style == "ref":
                run.font.superscript = True
                run.font.color.rgb = RGBColor.from_string(MUTED)
            elif s.style == "muted":
                run.font.color.rgb = RGBColor.from_string(MUTED)
            if s.url:
                self._link(p, run, s.url)

    def _link(self, p, run, url: str) -> None:
        rel = p.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        link = _el("w:hyperlink", **{"r:id": rel})
        run.font.color.rgb = RGBColor.from_string(self.accent)
        run.font.underline = True
        p._p.remove(run._r)
        link.append(run._r)
        p._p.append(link)

    # -- blocks ---------------------------------------------------------------------------

    def blocks(self, items: tuple[b.Block, ...], box, *, keep: bool = False) -> None:
        for block in items:
            getattr(self, f"draw_{b.type_name(block)}")(block, box)
        if keep:
            paragraphs = box.paragraphs if hasattr(box, "paragraphs") else []
            for p in paragraphs[:-1]:
                p.paragraph_format.keep_with_next = True

    def draw_cover(self, x: b.Cover, box) -> None:
        if self.doc.brand.logo:
            self._picture(self.paragraph(box), self.doc.brand.logo, Mm(18), self.doc.brand.logo_alt)
        self.paragraph(box, "Label", x.label).paragraph_format.space_before = Pt(120)
        self.paragraph(box, "Title", x.title)
        if x.subtitle:
            p = self.paragraph(box, text=x.subtitle)
            p.runs[0].font.size = Pt(12)
            p.runs[0].font.color.rgb = RGBColor.from_string(MUTED)
        table = self._table(box, len(x.facts), 2, widths=(1, 4))
        for row, (key, value) in zip(table.rows, x.facts, strict=True):
            self._cell_text(row.cells[0], key, bold=True, colour=self.primary)
            self._cell_text(row.cells[1], value)
        if x.note:
            p = self.paragraph(box, text=x.note)
            p.runs[0].bold = True
            p.paragraph_format.space_before = Pt(18)
        self.page_break = True

    def draw_contents(self, x: b.Contents, box) -> None:
        self.paragraph(box, "Label", x.title).paragraph_format.space_after = Pt(8)
        p = self.paragraph(box)
        begin = p.add_run()._r
        begin.append(_el("w:fldChar", **{"w:fldCharType": "begin"}))
        instr = p.add_run()._r
        code = _el("w:instrText")
        code.set(qn("xml:space"), "preserve")
        code.text = ' TOC \\o "1-1" \\h \\z \\u '
        instr.append(code)
        p.add_run()._r.append(_el("w:fldChar", **{"w:fldCharType": "separate"}))
        headings = [h.text for h in self.doc.blocks
                    if isinstance(h, b.Heading) and h.level == 1 and h.outlined]
        shown = p.add_run(_safe("\n".join(headings)) if headings else _safe(x.hint))
        shown.font.color.rgb = RGBColor.from_string(INK)
        p.add_run()._r.append(_el("w:fldChar", **{"w:fldCharType": "end"}))
        if x.hint:
            self.paragraph(box, "Meta", x.hint)

    def draw_runningheader(self, x: b.RunningHeader, box) -> None:
        """A new section (on a new page when one was asked for) whose header shows ``x``."""
        if box is not self.word:
            return
        start = WD_SECTION.NEW_PAGE if self.page_break else WD_SECTION.CONTINUOUS
        self.page_break = False
        section = self.word.add_section(start)
        section.different_first_page_header_footer = False
        self._header(section, x.text)

    def draw_pagebreak(self, x: b.PageBreak, box) -> None:
        self.page_break = True

    def draw_heading(self, x: b.Heading, box) -> None:
        level = min(x.level, 3)
        self.paragraph(box, f"Heading {level}", x.text)
        if x.meta:
            self.paragraph(box, "Meta", x.meta)

    def draw_paragraph(self, x: b.Paragraph, box) -> None:
        p = self.paragraph(box, "Meta" if x.role == "meta" else None)
        if x.role == "meta":
            p.paragraph_format.keep_with_next = False
        self.spans(p, x.text)
        if x.role in ("lead", "small"):
            for run in p.runs:
                run.font.size = Pt(11 if x.role == "lead" else 8.5)

    def draw_list(self, x: b.ListBlock, box) -> None:
        number = self._new_numbering() if x.style == "number" else None
        for item in x.items:
            if x.style == "bullet":
                p = self.paragraph(box, "List Bullet")
            elif x.style == "number":
                p = self.paragraph(box, "List Number")
                num_pr = p._p.get_or_add_pPr().get_or_add_numPr()
                num_pr.get_or_add_ilvl().val = 0
                num_pr.get_or_add_numId().val = number
            else:
                p = self.paragraph(box)
                p.paragraph_format.space_after = Pt(2)
                p.paragraph_format.left_indent = Mm(6)
                p.paragraph_format.first_line_indent = Mm(-6)
                if x.style == "check":
                    mark = p.add_run("☐\t")
                    mark.font.name = "Segoe UI Symbol"
                    p.paragraph_format.tab_stops.add_tab_stop(Mm(6))
            self.spans(p, item)

    def _new_numbering(self) -> int:
        """A numbering of its own for one numbered list (Word would continue the last one)."""
        numbering = self.word.part.numbering_part.element
        style = self.word.styles["List Number"].element
        num_pr = style.find(qn("w:pPr") + "/" + qn("w:numPr"))
        base = numbering.num_having_numId(int(num_pr.find(qn("w:numId")).get(qn("w:val"))))
        abstract = base.find(qn("w:abstractNumId")).get(qn("w:val"))
        num = numbering.add_num(int(abstract))
        override = _el("w:lvlOverride", **{"w:ilvl": "0"})
        override.append(_el("w:startOverride", **{"w:val": "1"}))
        num.append(override)
        return num.numId

    def draw_definitions(self, x: b.Definitions, box) -> None:
        for term, text in x.items:
            p = self.paragraph(box)
            p.paragraph_format.keep_with_next = True
            p.paragraph_format.space_after = Pt(0)
            run = p.add_run(_safe(term))
            run.bold = True
            run.font.color.rgb = RGBColor.from_string(self.primary)
            self.paragraph(box, text=text)

    def draw_table(self, x: b.Table, box) -> None:
        if x.caption:
            self.paragraph(box, "Label", f"{x.caption} {x.caption_refs}".strip())
        table = self._table(box, len(x.rows) + 1, len(x.columns), widths=x.widths,
                            header=True)
        for cell, text in zip(table.rows[0].cells, x.columns, strict=True):
            self._cell_text(cell, text, bold=True, colour=self.primary, size=8.5)
        for i, (row, cells) in enumerate(zip(table.rows[1:], x.rows, strict=True)):
            for cell, spans in zip(row.cells, cells, strict=True):
                p = cell.paragraphs[0]
                self.spans(p, spans)
                self._cell_size(p, 9)
                if i in x.quiet_rows:
                    self._shade(cell, PAPER_TINT)
                    for run in p.runs:
                        run.font.color.rgb = RGBColor.from_string(MUTED)
        self._after_table(box)

    def draw_chart(self, x: b.Chart, box) -> None:
        columns = ("", *x.series) if len(x.series) > 1 else ("", x.value_label or x.series[0])
        rows = tuple((b.rich(cat), *(b.rich(x.value_texts[j][i]) for j in range(len(x.series))))
                     for i, cat in enumerate(x.categories))
        self.draw_table(b.Table(columns, rows, caption=x.caption, caption_refs=x.caption_refs,
                                widths=(3, *(1 for _ in x.series))), box)

    def draw_timeline(self, x: b.Timeline, box) -> None:
        self.draw_table(b.Table(("", ""), tuple((b.rich(b.Span(w, "strong")), b.rich(t))
                                                for w, t in x.events),
                                caption=f"{x.caption}", caption_refs=x.caption_refs,
                                widths=(1, 4)), box)

    def draw_quote(self, x: b.Quote, box) -> None:
        p = self.paragraph(box)
        self.spans(p, x.text)
        for run in p.runs:
            run.italic = True
        p.paragraph_format.left_indent = Mm(5)
        self._border(p._p.get_or_add_pPr(), "left", self.accent, 18)
        meta = self.paragraph(box, "Meta", x.attribution)
        meta.paragraph_format.left_indent = Mm(5)
        meta.paragraph_format.keep_with_next = False

    def draw_figure(self, x: b.Figure, box) -> None:
        p = self.paragraph(box)
        p.paragraph_format.keep_with_next = True
        self._picture(p, x.path, int(self.text_width * x.width), x.alt, by_width=True)
        caption = " · ".join(t for t in (x.caption, x.credit, x.licence) if t)
        if caption:
            meta = self.paragraph(box, "Meta", caption)
            meta.paragraph_format.keep_with_next = False

    def draw_link(self, x: b.Link, box) -> None:
        table = self._table(box, 1, 2, widths=(5, 1), rules=False)
        p = table.rows[0].cells[0].paragraphs[0]
        self.spans(p, b.rich(b.Span(x.text, url=x.url)))
        url = table.rows[0].cells[0].add_paragraph()
        self._small(url.add_run(_safe(x.url)))
        picture = table.rows[0].cells[1].paragraphs[0]
        run = picture.add_run()
        shape = run.add_picture(io.BytesIO(qr_png(x.url)), width=Mm(17))
        shape._inline.docPr.set("descr", _safe(x.qr_alt))
        self._after_table(box)

    def draw_callout(self, x: b.Callout, box) -> None:
        edge, fill = {"alert": (ALERT, ALERT_TINT), "decision": (self.accent, PAPER_TINT),
                      "key": (self.accent, PAPER_TINT), "card": (MUTED, "FFFFFF")}.get(
            x.kind, (self.primary, PAPER_TINT))
        table = self._table(box, 1, 1, rules=False)
        cell = table.rows[0].cells[0]
        self._shade(cell, fill)
        borders = _el("w:tcBorders")
        for side in ("top", "left", "bottom", "right"):
            dashed = x.kind == "card"
            if side == "left" or dashed:
                borders.append(_el(f"w:{side}", **{"w:val": "dashed" if dashed else "single",
                                                   "w:sz": "8" if dashed else "18",
                                                   "w:color": edge}))
        cell._tc.get_or_add_tcPr().append(borders)
        cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
        if x.title:
            label = self.paragraph(cell, "Label", x.title)
            label.runs[0].font.color.rgb = RGBColor.from_string(edge)
        self.blocks(x.body, cell)
        if x.kind == "decision":
            for p in cell.paragraphs[1:]:
                for run in p.runs:
                    run.bold = True
        self._after_table(box)

    def draw_question(self, x: b.Question, box) -> None:
        p = self.paragraph(box)
        p.paragraph_format.keep_with_next = True
        p.paragraph_format.space_before = Pt(8)
        if x.number:
            number = p.add_run(f"{x.number} ")
            number.bold = True
            number.font.color.rgb = RGBColor.from_string(self.primary)
        p.add_run(_safe(x.text)).bold = True
        if x.meta:
            p.add_run(_safe(f" {x.meta}")).font.color.rgb = RGBColor.from_string(MUTED)
        for i, option in enumerate(x.options):
            o = self.paragraph(box)
            o.paragraph_format.left_indent = Mm(12)
            o.paragraph_format.first_line_indent = Mm(-6)
            o.paragraph_format.space_after = Pt(1)
            o.paragraph_format.keep_with_next = i < len(x.options) - 1 or bool(x.lines)
            mark = x.option_marks[i] if i < len(x.option_marks) else ""
            o.add_run(f"{mark}\t").font.color.rgb = RGBColor.from_string(MUTED)
            o.add_run(_safe(option))
        if x.lines:
            self._write_lines(box, x.lines)

    def _write_lines(self, box, n: int) -> None:
        """Ruled lines to write on: table rows (paragraph borders would merge into one)."""
        table = self._table(box, n, 1, rules=False)
        borders = table._tbl.tblPr.find(qn("w:tblBorders"))
        for side in ("bottom", "insideH"):
            borders.remove(borders.find(qn(f"w:{side}")))
            borders.append(_el(f"w:{side}", **{"w:val": "single", "w:sz": "4",
                                               "w:color": "94A3B8"}))
        for row in table.rows:
            row.height = Mm(7.5)
        self._after_table(box)

    def draw_rating(self, x: b.Rating, box) -> None:
        table = self._table(box, len(x.items) + 1, len(x.scale) + 1,
                            widths=(10, *(1 for _ in x.scale)), header=True)
        self._cell_text(table.rows[0].cells[0], x.header, size=8.5)
        for cell, s in zip(table.rows[0].cells[1:], x.scale, strict=True):
            self._cell_text(cell, s, bold=True, colour=self.primary, centre=True)
        for row, item in zip(table.rows[1:], x.items, strict=True):
            self._cell_text(row.cells[0], item, size=9.5)
            for cell in row.cells[1:]:
                self._cell_text(cell, "☐", centre=True)
        self._after_table(box)

    def draw_step(self, x: b.Step, box) -> None:
        p = self.paragraph(box)
        p.paragraph_format.keep_with_next = True
        p.paragraph_format.space_before = Pt(12)
        self._border(p._p.get_or_add_pPr(), "top", RULE, 4)
        time = p.add_run(f" {x.time} ")
        time.bold = True
        time.font.color.rgb = RGBColor.from_string("FFFFFF")
        time.font.name = self.doc.brand.heading_font
        shading = _el("w:shd", **{"w:val": "clear", "w:color": "auto", "w:fill": self.primary})
        time._r.get_or_add_rPr().append(shading)
        title = p.add_run(_safe(f"  {x.title}"))
        title.bold = True
        title.font.color.rgb = RGBColor.from_string(self.primary)
        if x.meta:
            self._small(p.add_run(_safe(f"  ·  {x.meta}")))
        if x.slides:
            refs = self.paragraph(box, "Meta", "; ".join(f"{s.label}: {s.title}"
                                                         for s in x.slides))
            refs.paragraph_format.keep_with_next = True
        self.blocks(x.body, box)

    def draw_keep(self, x: b.Keep, box) -> None:
        before = len(box.paragraphs) if hasattr(box, "paragraphs") else 0
        self.blocks(x.body, box)
        if hasattr(box, "paragraphs"):
            kept = box.paragraphs[before:]
            for p in kept[:-1]:
                p.paragraph_format.keep_with_next = True

    # -- tables and pictures -----------------------------------------------------------------

    def _table(self, box, rows: int, cols: int, *, widths: tuple[float, ...] = (),
               header: bool = False, rules: bool = True):
        if self.page_break:  # a table cannot carry "page break before": an empty paragraph can
            self.paragraph(box).paragraph_format.space_after = Pt(0)
        table = box.add_table(rows=rows, cols=cols)
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        tbl_pr = table._tbl.tblPr
        width = self.text_width if box is self.word else int(self.text_width * 0.9)
        tbl_pr.append(_el("w:tblW", **{"w:w": str(int(width / 635)), "w:type": "dxa"}))
        borders = _el("w:tblBorders")
        if rules:
            for side in ("top", "bottom", "insideH"):
                borders.append(_el(f"w:{side}", **{"w:val": "single", "w:sz": "4",
                                                   "w:color": RULE}))
        for side in ("left", "right", "insideV") + (() if rules else ("top", "bottom", "insideH")):
            borders.append(_el(f"w:{side}", **{"w:val": "nil"}))
        tbl_pr.append(borders)
        margins = _el("w:tblCellMar")
        for side, size in (("top", 50), ("bottom", 50), ("left", 90), ("right", 90)):
            margins.append(_el(f"w:{side}", **{"w:w": str(size), "w:type": "dxa"}))
        tbl_pr.append(margins)
        shares = widths if len(widths) == cols else (1,) * cols
        for i, column in enumerate(table.columns):
            column_width = int(width * shares[i] / sum(shares))
            column.width = column_width  # the grid, which LibreOffice reads
            for cell in column.cells:
                cell.width = column_width  # the cells, which Word reads
        for row in table.rows:
            tr_pr = row._tr.get_or_add_trPr()
            tr_pr.append(_el("w:cantSplit"))
        if header:
            table.rows[0]._tr.get_or_add_trPr().append(_el("w:tblHeader"))
            for cell in table.rows[0].cells:
                self._shade(cell, TINT)
        return table

    def _after_table(self, box) -> None:
        if box is self.word:
            spacer = self.paragraph(box)
            spacer.paragraph_format.space_after = Pt(0)
            spacer.paragraph_format.line_spacing = Pt(6)

    @staticmethod
    def _shade(cell, fill: str) -> None:
        cell._tc.get_or_add_tcPr().append(
            _el("w:shd", **{"w:val": "clear", "w:color": "auto", "w:fill": fill}))

    @staticmethod
    def _cell_size(p, size: float) -> None:
        p.paragraph_format.space_after = Pt(0)
        for run in p.runs:
            run.font.size = Pt(size)

    def _cell_text(self, cell, text: str, *, bold: bool = False, colour: str = "",
                   size: float = 9, centre: bool = False) -> None:
        p = cell.paragraphs[0]
        run = p.add_run(_safe(text))
        run.bold = bold
        if colour:
            run.font.color.rgb = RGBColor.from_string(colour)
        self._cell_size(p, size)
        if centre:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def _picture(self, p, path: str, size: int, alt: str, *, by_width: bool = False) -> None:
        image = read_image(path)
        data = image.data if image.format != "svg" else svg_to_png(image.data)
        run = p.add_run()
        shape = run.add_picture(io.BytesIO(data), **({"width": size} if by_width else
                                                     {"height": size}))
        shape._inline.docPr.set("descr", _safe(alt))


def svg_to_png(svg: bytes) -> bytes:
    """An SVG picture as PNG (Word's pictures are bitmaps), drawn by Typst at 300 dpi."""
    import typst

    source = b'#set page(width: auto, height: auto, margin: 0pt)\n' \
             b'#image(bytes(sys.inputs.svg), format: "svg")\n'
    return typst.compile(source, format="png", ppi=300, sys_inputs={"svg": svg.decode("utf-8")},
                         font_paths=typst.Fonts(include_system_fonts=False,
                                                include_embedded_fonts=False))
