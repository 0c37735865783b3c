"""Render a document plan as Word (.docx): the same blocks as the PDF, in editable form.

Real heading styles (Word's navigation pane and the contents field use them), a contents field,
a running header per part, page numbers, tables with a shaded header row that repeats across
pages, notes and alerts in shaded boxes, slide references, clickable links with a QR code beside
them. Reproducible: equal plans give equal bytes.

Paragraphs, runs and tables are written as WordprocessingML directly (in schema order):
python-docx's own helpers search the whole document for each one they place, which made a
long guide take seconds. python-docx still provides the package, styles, sections and pictures.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from functools import cache

from docx import Document as new_document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml.ns import nsmap, qn
from docx.oxml.parser import oxml_parser
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from ccrl_kit.plan import blocks as b
from ccrl_kit.render.assets import qr_png, read_image
from ccrl_kit.render.ooxml import normalise_package
from ccrl_kit.render.typst import svg_to_png

PAPER = {"a4": (Mm(210), Mm(297)), "letter": (Mm(215.9), Mm(279.4))}
MARGIN = Mm(18)
INK, MUTED, RULE, TINT, LINE = "1E293B", "475569", "CBD5E1", "EEF2F7", "94A3B8"
PAPER_TINT, ALERT, ALERT_TINT = "F8FAFC", "B45309", "FFF7E6"
TWIP = 635  # EMU per twentieth of a point
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# where each paragraph property goes (WordprocessingML requires this order)
_PPR_ORDER = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "numPr", "pBdr", "shd",
              "tabs", "spacing", "ind", "jc")


def render_docx(doc: b.Document, timestamp: dt.datetime) -> bytes:
    word = new_document()
    writer = _Writer(word, doc)
    writer.setup(timestamp)
    writer.blocks(doc.blocks, None)
    buffer = io.BytesIO()
    word.save(buffer)
    return normalise_package(buffer.getvalue(), timestamp)


def _hex(colour: str) -> str:
    return colour.lstrip("#").upper()


def _safe(text: str) -> str:
    """Text Word can hold: control characters (not allowed in XML) are dropped."""
    return _NOT_XML.sub("", text)


@cache
def _qn(tag: str) -> str:
    return qn(tag)


@cache
def _nsmap(tag: str) -> dict[str, str]:
    prefix = tag.split(":", 1)[0]
    return {prefix: nsmap[prefix]}


def _el(tag: str, **attrs: str):
    """A new element, made without python-docx's tag parsing (a long guide makes 25,000)."""
    element = oxml_parser.makeelement(_qn(tag), nsmap=_nsmap(tag))
    for key, value in attrs.items():
        element.set(_qn(key), value)
    return element


def _border(side: str, colour: str, size: int, value: str = "single"):
    return _el(f"w:{side}", **{"w:val": value, "w:sz": str(size), "w:space": "4",
                               "w:color": colour})


class _Writer:
    """Draws blocks into a box: ``None`` is the document's body, else a table cell (w:tc)."""

    def __init__(self, word, doc: b.Document):
        self.word = word
        self.doc = doc
        self.primary = _hex(doc.brand.primary)
        self.accent = _hex(doc.brand.accent)
        self.style_ids: dict[str, str] = {}
        self.page_break = False
        self.made: list = []  # every paragraph element made, in order
        self.end = word.element.body.sectPr  # the body's last child: paragraphs go before it
        self.parent = word._body  # what pictures and links need to reach the package

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
        h1 = styles["Heading 1"].element.get_or_add_pPr()
        borders = _el("w:pBdr")
        borders.append(_border("bottom", self.accent, 12))
        h1.insert_element_before(borders, *(f"w:{t}" for t in _PPR_ORDER[6:]))
        title = styles["Title"]
        title.font.name, title.font.size = head, Pt(26)
        title.font.color.rgb = RGBColor.from_string(self.primary)
        self._font_all(title, head)
        title_ppr = title.element.get_or_add_pPr()
        for old in title_ppr.findall(qn("w:pBdr")):
            title_ppr.remove(old)
        for name, size, colour, bold in (("Meta", 8.5, MUTED, False),
                                         ("Label", 8, self.primary, True)):
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = normal
            style.font.name, style.font.size, style.font.bold = head, Pt(size), bold
            style.font.color.rgb = RGBColor.from_string(colour)
            self._font_all(style, head)
            style.paragraph_format.keep_with_next = True
            style.paragraph_format.space_after = Pt(2)
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
        defaults = word.styles.element.find(qn("w:docDefaults"))
        rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr")) if defaults is not None \
            else None
        if rpr is not None:
            for old in rpr.findall(qn("w:lang")):
                rpr.remove(old)
            rpr.append(_el("w:lang", **{"w:val": doc.language}))
        word.settings.element.append(_el("w:updateFields", **{"w:val": "true"}))
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

    def _footer(self, section) -> None:
        p = section.footer.paragraphs[0]._p
        self._set_ppr(p, jc="center")
        for part in re.split(r"(\{page\}|\{pages\})", self.doc.page_label):
            if part in ("{page}", "{pages}"):
                field = _el("w:fldSimple",
                            **{"w:instr": "PAGE" if part == "{page}" else "NUMPAGES"})
                field.append(self._r("1", colour=MUTED, size=7.5))
                p.append(field)
            elif part:
                p.append(self._r(part, colour=MUTED, size=7.5))

    def _header(self, section, running: str) -> None:
        header = section.header
        header.is_linked_to_previous = False
        p = header.paragraphs[0]._p
        for child in list(p):
            p.remove(child)
        self._set_ppr(p, style=self._style("Normal"), after=0,
                      borders=(("bottom", RULE, 4),), tabs=((self.text_width, "right"),))
        p.append(self._r(self.doc.header, colour=MUTED, size=7.5))
        if running:
            p.append(self._r("\t" + running, colour=MUTED, size=7.5))

    # -- paragraphs and runs -------------------------------------------------------------

    def _style(self, name: str) -> str:
        if name not in self.style_ids:
            self.style_ids[name] = self.word.styles[name].style_id
        return self.style_ids[name]

    def _set_ppr(self, p, *, style: str = "", keep: bool = False, page_break: bool = False,
                 num: int = 0, borders: tuple = (), fill: str = "", tabs: tuple = (),
                 before: float | None = None, after: float | None = None,
                 line: float | None = None, left: int = 0, hanging: int = 0,
                 jc: str = "") -> None:
        """Paragraph properties, written in schema order (sizes in points, indents in EMU)."""
        found = {}
        if style:
            found["pStyle"] = _el("w:pStyle", **{"w:val": style})
        if keep:
            found["keepNext"] = _el("w:keepNext")
        if page_break:
            found["pageBreakBefore"] = _el("w:pageBreakBefore")
        if num:
            numpr = _el("w:numPr")
            numpr.append(_el("w:ilvl", **{"w:val": "0"}))
            numpr.append(_el("w:numId", **{"w:val": str(num)}))
            found["numPr"] = numpr
        if borders:
            pbdr = _el("w:pBdr")
            for side in ("top", "left", "bottom", "right"):
                for name, colour, size in borders:
                    if name == side:
                        pbdr.append(_border(side, colour, size))
            found["pBdr"] = pbdr
        if fill:
            found["shd"] = _el("w:shd", **{"w:val": "clear", "w:color": "auto", "w:fill": fill})
        if tabs:
            element = _el("w:tabs")
            for position, align in tabs:
                element.append(_el("w:tab", **{"w:val": align,
                                               "w:pos": str(int(position / TWIP))}))
            found["tabs"] = element
        if before is not None or after is not None or line is not None:
            spacing = _el("w:spacing")
            if before is not None:
                spacing.set(qn("w:before"), str(int(before * 20)))
            if after is not None:
                spacing.set(qn("w:after"), str(int(after * 20)))
            if line is not None:
                spacing.set(qn("w:line"), str(int(line * 20)))
                spacing.set(qn("w:lineRule"), "exact")
            found["spacing"] = spacing
        if left or hanging:
            ind = _el("w:ind", **{"w:left": str(int((left + hanging) / TWIP))})
            if hanging:
                ind.set(qn("w:hanging"), str(int(hanging / TWIP)))
            found["ind"] = ind
        if jc:
            found["jc"] = _el("w:jc", **{"w:val": jc})
        if not found:
            return
        ppr = p.find(qn("w:pPr"))
        if ppr is None:
            ppr = _el("w:pPr")
            p.insert(0, ppr)
        for name in _PPR_ORDER:
            if name in found:
                old = ppr.find(qn(f"w:{name}"))
                if old is not None:
                    ppr.remove(old)
        present = {child.tag: child for child in ppr}
        merged = [found[name] if name in found else present.get(qn(f"w:{name}"))
                  for name in _PPR_ORDER]
        for child in list(ppr):
            ppr.remove(child)
        ppr.extend(x for x in merged if x is not None)

    def paragraph(self, box, style: str = "", text: str = "", **props):
        """A new paragraph at the end of ``box``; ``props`` as for :meth:`_set_ppr`."""
        p = _el("w:p")
        if self.page_break:
            props["page_break"] = True
            self.page_break = False
        self._set_ppr(p, style=self._style(style) if style else "", **props)
        if box is None:
            self.end.addprevious(p)
        else:
            box.append(p)
        self.made.append(p)
        if text:
            p.append(self._r(text))
        return p

    def _r(self, text: str, *, bold: bool = False, italic: bool = False, colour: str = "",
           size: float = 0, superscript: bool = False, underline: bool = False,
           font: str = "", fill: str = "", caps: bool = False):
        """A run of text, its properties in schema order; tabs and line breaks kept."""
        r = _el("w:r")
        props = []
        if font:
            props.append(_el("w:rFonts", **{f"w:{k}": font for k in ("ascii", "hAnsi", "cs")}))
        if bold:
            props.append(_el("w:b"))
        if italic:
            props.append(_el("w:i"))
        if caps:
            props.append(_el("w:caps"))
        if colour:
            props.append(_el("w:color", **{"w:val": colour}))
        if size:
            props.append(_el("w:sz", **{"w:val": str(round(size * 2))}))
        if underline:
            props.append(_el("w:u", **{"w:val": "single"}))
        if fill:
            props.append(_el("w:shd", **{"w:val": "clear", "w:color": "auto", "w:fill": fill}))
        if superscript:
            props.append(_el("w:vertAlign", **{"w:val": "superscript"}))
        if props:
            rpr = _el("w:rPr")
            rpr.extend(props)
            r.append(rpr)
        for i, piece in enumerate(_safe(text).split("\n")):
            if i:
                r.append(_el("w:br"))
            for j, part in enumerate(piece.split("\t")):
                if j:
                    r.append(_el("w:tab"))
                if part:
                    t = _el("w:t")
                    t.text = part
                    if part != part.strip():
                        t.set(qn("xml:space"), "preserve")
                    r.append(t)
        return r

    def spans(self, p, spans: b.Rich, *, bold: bool = False, size: float = 0,
              colour: str = "") -> None:
        for s in spans:
            r = self._r(s.text, bold=s.style == "strong" or bold, italic=s.style == "em",
                        superscript=s.style == "ref", size=size, underline=bool(s.url),
                        colour=self.accent if s.url else
                        MUTED if s.style in ("ref", "muted") else colour)
            if s.url:
                rel = self.word.part.relate_to(s.url, RELATIONSHIP_TYPE.HYPERLINK,
                                               is_external=True)
                link = _el("w:hyperlink", **{"r:id": rel})
                link.append(r)
                p.append(link)
            else:
                p.append(r)

    # -- blocks ---------------------------------------------------------------------------

    def blocks(self, items: tuple[b.Block, ...], box) -> None:
        for block in items:
            getattr(self, f"draw_{b.type_name(block)}")(block, box)

    def draw_cover(self, x: b.Cover, box) -> None:
        if self.doc.brand.logo:
            self._picture(self.paragraph(box), self.doc.brand.logo, Mm(18),
                          self.doc.brand.logo_alt)
        self.paragraph(box, "Label", x.label, before=120)
        self.paragraph(box, "Title", x.title)
        if x.subtitle:
            self.paragraph(box).append(self._r(x.subtitle, size=12, colour=MUTED))
        table = self._table(box, len(x.facts), (1.5, 4), rules=False)
        for row, (key, value) in zip(table, x.facts, strict=True):
            self._cell_text(row[0], key, bold=True, colour=self.primary)
            self._cell_text(row[1], value)
        if x.note:
            self.paragraph(box, before=18).append(self._r(x.note, bold=True))
        self.page_break = True

    def draw_contents(self, x: b.Contents, box) -> None:
        self.paragraph(box, "Label", x.title, after=8)
        p = self.paragraph(box)
        for kind in ("begin", "instr", "separate", "shown", "end"):
            if kind == "instr":
                r = _el("w:r")
                code = _el("w:instrText")
                code.set(qn("xml:space"), "preserve")
                code.text = ' TOC \\o "1-1" \\h \\z \\u '
                r.append(code)
            elif kind == "shown":  # what shows until Word updates the field
                headings = [h.text for h in self.doc.blocks
                            if isinstance(h, b.Heading) and h.level == 1 and h.outlined]
                r = self._r("\n".join(headings) if headings else x.hint)
            else:
                r = _el("w:r")
                r.append(_el("w:fldChar", **{"w:fldCharType": kind}))
            p.append(r)
        if x.hint:
            self.paragraph(box, "Meta", x.hint)

    def draw_runningheader(self, x: b.RunningHeader, box) -> None:
        """A new section (on a new page when one was asked for) whose header shows ``x``."""
        if box is not None:
            return
        start = WD_SECTION.NEW_PAGE if self.page_break else WD_SECTION.CONTINUOUS
        self.page_break = False
        section = self.word.add_section(start)
        section.different_first_page_header_footer = False
        self._header(section, x.text)

    def draw_pagebreak(self, x: b.PageBreak, box) -> None:
        self.page_break = True

    def draw_heading(self, x: b.Heading, box) -> None:
        self.paragraph(box, f"Heading {min(x.level, 3)}", x.text)
        if x.meta:
            self.paragraph(box, "Meta", x.meta)

    def draw_paragraph(self, x: b.Paragraph, box) -> None:
        if x.role == "meta":
            p = self.paragraph(box, "Meta")
            self.spans(p, x.text)
            return
        p = self.paragraph(box)
        self.spans(p, x.text, size={"lead": 11, "small": 8.5}.get(x.role, 0))

    def draw_list(self, x: b.ListBlock, box) -> None:
        number = self._new_numbering() if x.style == "number" else 0
        for item in x.items:
            if x.style == "bullet":
                p = self.paragraph(box, "List Bullet")
            elif x.style == "number":
                p = self.paragraph(box, "List Number", num=number)
            else:
                p = self.paragraph(box, after=2, hanging=Mm(6), tabs=((Mm(6), "left"),))
                if x.style == "check":
                    p.append(self._r("☐\t", font="Segoe UI Symbol"))
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
            self.paragraph(box, keep=True, after=0).append(
                self._r(term, bold=True, colour=self.primary))
            self.paragraph(box, text=text)

    def draw_table(self, x: b.Table, box) -> None:
        if x.caption:
            self.paragraph(box, "Label", f"{x.caption} {x.caption_refs}".strip())
        header = any(x.columns)
        rows = self._table(box, len(x.rows) + header, x.widths or (1,) * len(x.columns),
                           header=header)
        if header:
            for cell, text in zip(rows[0], x.columns, strict=True):
                self._cell_text(cell, text, bold=True, colour=self.primary, size=8.5)
        for i, (row, cells) in enumerate(zip(rows[header:], x.rows, strict=True)):
            quiet = i in x.quiet_rows
            for cell, spans in zip(row, cells, strict=True):
                if quiet:
                    self._shade(cell, PAPER_TINT)
                self.spans(self._cell_paragraph(cell), spans, size=9,
                           colour=MUTED if quiet else "")
        self._after_table(box)

    def draw_chart(self, x: b.Chart, box) -> None:
        columns = ("", *x.series) if len(x.series) > 1 else ("", x.value_label or x.series[0])
        rows = tuple((b.rich(b.Span(cat, "strong" if i in x.highlight else "")),
                      *(b.rich(x.value_texts[j][i]) for j in range(len(x.series))))
                     for i, cat in enumerate(x.categories))
        rows += tuple((b.rich(b.Span(name, "em")), *(b.rich(b.Span(text, "em"))
                                                     for _ in x.series))
                      for name, _, text in x.references)
        self.draw_table(b.Table(columns, rows, caption=x.caption, caption_refs=x.caption_refs,
                                widths=(3, *(1 for _ in x.series))), box)

    def draw_timeline(self, x: b.Timeline, box) -> None:
        self.draw_table(b.Table(("", ""), tuple((b.rich(b.Span(w, "strong")), b.rich(t))
                                                for w, t in x.events),
                                caption=x.caption, caption_refs=x.caption_refs,
                                widths=(1, 4)), box)

    def draw_quote(self, x: b.Quote, box) -> None:
        p = self.paragraph(box, left=Mm(5), borders=(("left", self.accent, 18),), after=2)
        self.spans(p, tuple(b.Span(s.text, "em" if not s.style else s.style, s.url)
                            for s in x.text))
        self.paragraph(box, "Meta", x.attribution, left=Mm(5))

    def draw_figure(self, x: b.Figure, box) -> None:
        p = self.paragraph(box, keep=True)
        self._picture(p, x.path, int(self.text_width * x.width), x.alt, by_width=True)
        caption = " · ".join(t for t in (x.caption, x.credit, x.licence) if t)
        if caption:
            self.paragraph(box, "Meta", caption)

    def draw_link(self, x: b.Link, box) -> None:
        (text, qr), = self._table(box, 1, (5, 1), rules=False)
        self.spans(self._cell_paragraph(text), b.rich(b.Span(x.text, url=x.url)))
        self.paragraph(text).append(self._r(x.url, colour=MUTED, size=7.5))
        picture = self._cell_paragraph(qr)
        run = Run(_el("w:r"), Paragraph(picture, self.parent))
        picture.append(run._r)
        shape = run.add_picture(io.BytesIO(qr_png(x.url)), width=Mm(17))
        shape._inline.docPr.set("descr", _safe(x.qr_alt))
        self._after_table(box)

    def draw_callout(self, x: b.Callout, box) -> None:
        edge, fill = {"alert": (ALERT, ALERT_TINT), "decision": (self.accent, PAPER_TINT),
                      "key": (self.accent, PAPER_TINT), "card": (MUTED, "FFFFFF")}.get(
            x.kind, (self.primary, PAPER_TINT))
        (cell,), = self._table(box, 1, (1,), rules=False, empty=True)
        tcpr = cell.find(qn("w:tcPr"))
        borders = _el("w:tcBorders")
        dashed = x.kind == "card"
        for side in ("top", "left", "bottom", "right"):
            if side == "left" or dashed:
                borders.append(_el(f"w:{side}", **{"w:val": "dashed" if dashed else "single",
                                                   "w:sz": "8" if dashed else "18",
                                                   "w:color": edge}))
        tcpr.append(borders)
        tcpr.append(_el("w:shd", **{"w:val": "clear", "w:color": "auto", "w:fill": fill}))
        before = len(self.made)
        if x.title:
            self.paragraph(cell, "Label").append(self._r(x.title, colour=edge, bold=True))
        self.blocks(x.body, cell)
        if len(self.made) == before:
            self.paragraph(cell)  # a cell holds at least one paragraph
        if x.kind == "decision":
            for p in self.made[before + bool(x.title):]:
                for r in p.iter(qn("w:r")):
                    rpr = r.find(qn("w:rPr"))
                    if rpr is None:
                        rpr = _el("w:rPr")
                        r.insert(0, rpr)
                    if rpr.find(qn("w:b")) is None:
                        rpr.insert(1 if rpr.find(qn("w:rFonts")) is not None else 0,
                                   _el("w:b"))
        self._after_table(box)

    def draw_question(self, x: b.Question, box) -> None:
        p = self.paragraph(box, keep=True, before=8)
        if x.number:
            p.append(self._r(f"{x.number} ", bold=True, colour=self.primary))
        p.append(self._r(x.text, bold=True))
        if x.meta:
            p.append(self._r(f" {x.meta}", colour=MUTED))
        for i, option in enumerate(x.options):
            o = self.paragraph(box, keep=i < len(x.options) - 1 or bool(x.lines), after=1,
                               left=Mm(6), hanging=Mm(6), tabs=((Mm(12), "left"),))
            mark = x.option_marks[i] if i < len(x.option_marks) else ""
            o.append(self._r(f"{mark}\t", colour=MUTED))
            o.append(self._r(option))
        if x.lines:
            self._write_lines(box, x.lines)

    def _write_lines(self, box, n: int) -> None:
        """Ruled lines to write on: table rows (paragraph borders would merge into one)."""
        rows = self._table(box, n, (1,), rules=False, line_rules=True, height=Mm(7.5))
        del rows
        self._after_table(box)

    def draw_rating(self, x: b.Rating, box) -> None:
        rows = self._table(box, len(x.items) + 1, (10, *(1 for _ in x.scale)), header=True)
        self._cell_text(rows[0][0], x.header, size=8.5)
        for cell, s in zip(rows[0][1:], x.scale, strict=True):
            self._cell_text(cell, s, bold=True, colour=self.primary, centre=True)
        for row, item in zip(rows[1:], x.items, strict=True):
            self._cell_text(row[0], item, size=9.5)
            for cell in row[1:]:
                self._cell_text(cell, "☐", centre=True)
        self._after_table(box)

    def draw_step(self, x: b.Step, box) -> None:
        p = self.paragraph(box, keep=True, before=12, borders=(("top", RULE, 4),))
        p.append(self._r(f" {x.time} ", bold=True, colour="FFFFFF", fill=self.primary,
                         font=self.doc.brand.heading_font))
        p.append(self._r(f"  {x.title}", bold=True, colour=self.primary))
        if x.meta:
            p.append(self._r(f"  ·  {x.meta}", colour=MUTED, size=7.5))
        if x.slides:
            self.paragraph(box, "Meta", "; ".join(f"{s.label}: {s.title}" for s in x.slides))
        self.blocks(x.body, box)

    def draw_keep(self, x: b.Keep, box) -> None:
        before = len(self.made)
        self.blocks(x.body, box)
        for p in self.made[before:-1]:
            self._set_ppr(p, keep=True)

    # -- tables and pictures ---------------------------------------------------------------

    def _table(self, box, rows: int, widths: tuple[float, ...], *, header: bool = False,
               rules: bool = True, line_rules: bool = False, height: int = 0,
               empty: bool = False) -> list[list]:
        """A table of ``rows`` rows and one column per width share; returns its cells (w:tc),
        each holding an empty paragraph unless ``empty``."""
        if self.page_break:  # a table cannot carry "page break before": an empty paragraph can
            self.paragraph(box, after=0)
        width = self.text_width if box is None else int(self.text_width * 0.9)
        tbl = _el("w:tbl")
        tblpr = _el("w:tblPr")
        tblpr.append(_el("w:tblW", **{"w:w": str(int(width / TWIP)), "w:type": "dxa"}))
        borders = _el("w:tblBorders")
        line = ("single", "4", LINE if line_rules else RULE)
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            ruled = (rules and side in ("top", "bottom", "insideH")) or (
                line_rules and side in ("bottom", "insideH"))
            borders.append(_el(f"w:{side}", **{"w:val": line[0], "w:sz": line[1],
                                               "w:color": line[2]} if ruled else {"w:val": "nil"}))
        tblpr.append(borders)
        tblpr.append(_el("w:tblLayout", **{"w:type": "fixed"}))
        margins = _el("w:tblCellMar")
        for side, size in (("top", 50), ("left", 90), ("bottom", 50), ("right", 90)):
            margins.append(_el(f"w:{side}", **{"w:w": str(size), "w:type": "dxa"}))
        tblpr.append(margins)
        tblpr.append(_el("w:tblLook", **{"w:val": "0000"}))
        tbl.append(tblpr)
        grid = _el("w:tblGrid")
        columns = [int(width * share / sum(widths) / TWIP) for share in widths]
        for column in columns:
            grid.append(_el("w:gridCol", **{"w:w": str(column)}))
        tbl.append(grid)
        cells = []
        for i in range(rows):
            tr = _el("w:tr")
            trpr = _el("w:trPr")
            trpr.append(_el("w:cantSplit"))
            if height:
                trpr.append(_el("w:trHeight", **{"w:val": str(int(height / TWIP)),
                                                 "w:hRule": "exact"}))
            if header and i == 0:
                trpr.append(_el("w:tblHeader"))
            tr.append(trpr)
            row = []
            for column in columns:
                tc = _el("w:tc")
                tcpr = _el("w:tcPr")
                tcpr.append(_el("w:tcW", **{"w:w": str(column), "w:type": "dxa"}))
                if header and i == 0:
                    tcpr.append(_el("w:shd", **{"w:val": "clear", "w:color": "auto",
                                                "w:fill": TINT}))
                tc.append(tcpr)
                if not empty:
                    tc.append(_el("w:p"))
                tr.append(tc)
                row.append(tc)
            tbl.append(tr)
            cells.append(row)
        if box is None:
            self.end.addprevious(tbl)
        else:
            box.append(tbl)
        return cells

    @staticmethod
    def _cell_paragraph(cell):
        p = cell.find(qn("w:p"))
        return p

    def _after_table(self, box) -> None:
        if box is None:
            self.paragraph(box, after=0, line=6)
        else:  # a cell must end with a paragraph, and a table in it needs one after
            self.paragraph(box, after=0, line=4)

    @staticmethod
    def _shade(cell, fill: str) -> None:
        tcpr = cell.find(qn("w:tcPr"))
        tcpr.append(_el("w:shd", **{"w:val": "clear", "w:color": "auto", "w:fill": fill}))

    def _cell_text(self, cell, text: str, *, bold: bool = False, colour: str = "",
                   size: float = 9, centre: bool = False) -> None:
        p = self._cell_paragraph(cell)
        self._set_ppr(p, after=0, jc="center" if centre else "")
        p.append(self._r(text, bold=bold, colour=colour, size=size))

    def _picture(self, p, path: str, size: int, alt: str, *, by_width: bool = False) -> None:
        image = read_image(path)
        data = image.data if image.format != "svg" else svg_to_png(image.data)
        run = Run(_el("w:r"), Paragraph(p, self.parent))
        p.append(run._r)
        shape = run.add_picture(io.BytesIO(data), **({"width": size} if by_width else
                                                     {"height": size}))
        shape._inline.docPr.set("descr", _safe(alt))
