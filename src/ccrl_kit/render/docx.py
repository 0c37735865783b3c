"""Render a document plan as Word (.docx): the same blocks as the PDF, in editable form.

Real heading styles (Word's navigation pane and the contents field use them), a contents field,
a running header per part with the brand's logo or name, page numbers, tables with a shaded
header row that repeats across pages, notes and alerts in shaded boxes, the run-sheet's slide
previews beside the notes, clickable links with a QR code beside them. Reproducible: equal
plans give equal bytes.

The body is written as WordprocessingML text (in schema order) and parsed once a part:
making one element at a time through python-docx cost some ten microseconds an element, and a
guide has tens of thousands. python-docx still provides the package, styles, sections, headers,
numbering and the image parts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from unittest import mock
from xml.sax.saxutils import escape, quoteattr

from docx import Document as new_document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml.ns import nsmap, qn
from docx.oxml.parser import oxml_parser
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

from ccrl_kit.plan import blocks as b
from ccrl_kit.render.assets import qr_png, read_image
from ccrl_kit.render.previews import drawer

PAPER = {"a4": (Mm(210), Mm(297)), "letter": (Mm(215.9), Mm(279.4))}
MARGIN = Mm(18)
INK, MUTED, RULE, TINT, LINE = "1E293B", "475569", "CBD5E1", "EEF2F7", "94A3B8"
PAPER_TINT, ALERT, ALERT_TINT = "F8FAFC", "B45309", "FFF7E6"
TWIP = 635  # EMU per twentieth of a point
PREVIEW = Mm(38)  # a slide preview's width, as in the PDF
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NAMESPACES = " ".join(f'xmlns:{p}="{nsmap[p]}"' for p in ("w", "r", "wp", "a", "pic"))
_PICTURE = "http://schemas.openxmlformats.org/drawingml/2006/picture"


def render_docx(doc: b.Document, timestamp: dt.datetime, *,
                root: Path | None = None) -> bytes:
    """The Word file of ``doc``; its images are read from inside ``root`` (the workspace)."""
    word = new_document()
    writer = _Writer(word, doc, root)
    writer.setup(timestamp)
    writer.blocks(doc.blocks, None)
    writer.flush()
    buffer = io.BytesIO()
    with _fixed_zip(timestamp):
        word.save(buffer)
    return buffer.getvalue()


@contextmanager
def _fixed_zip(timestamp: dt.datetime) -> Iterator[None]:
    """While active, python-docx writes zip entries stamped ``timestamp`` (instead of now),
    so equal documents give equal bytes without a second pass over the package."""
    from docx.opc import phys_pkg

    stamp = max(timestamp, dt.datetime(1980, 1, 1)).timetuple()[:6]

    def write(self, pack_uri, blob: bytes) -> None:
        entry = zipfile.ZipInfo(pack_uri.membername, date_time=stamp)
        entry.compress_type = zipfile.ZIP_DEFLATED
        entry.external_attr = 0o644 << 16
        self._zipf.writestr(entry, blob)

    with mock.patch.object(phys_pkg._ZipPkgWriter, "write", write):
        yield


def _hex(colour: str) -> str:
    return colour.lstrip("#").upper()


def _text(text: str) -> str:
    """Text Word can hold, escaped: control characters (not allowed in XML) are dropped."""
    return escape(_NOT_XML.sub("", text))


def _attr(text: str) -> str:
    return quoteattr(_NOT_XML.sub("", text))


@cache
def _tag(name: str) -> str:
    return qn(name)


def _parse(xml: str) -> list:
    """Elements from WordprocessingML text (the namespaces declared for it)."""
    root = etree.fromstring(f"<w:body {_NAMESPACES}>{xml}</w:body>".encode(), oxml_parser)
    return list(root)


def _border(side: str, colour: str, size: int, value: str = "single") -> str:
    return f'<w:{side} w:val="{value}" w:sz="{size}" w:space="4" w:color="{colour}"/>'


# ---------------------------------------------------------------------------------------------
# What a part of the body is made of until it is written out


class _P:
    """A paragraph: its properties (see :func:`_ppr`) and its runs as text."""

    __slots__ = ("props", "runs")

    def __init__(self, props: dict):
        self.props = props
        self.runs: list[str] = []

    def append(self, run: str) -> None:
        self.runs.append(run)

    def xml(self) -> str:
        return f"<w:p>{_ppr(**self.props)}{''.join(self.runs)}</w:p>"


class _Cell:
    """A table cell: its width (EMU), extra cell properties, and what it holds."""

    __slots__ = ("items", "props", "width")

    def __init__(self, width: int):
        self.width = width
        self.props: list[str] = []
        self.items: list = []

    def xml(self) -> str:
        inner = "".join(x if isinstance(x, str) else x.xml() for x in self.items)
        if not self.items or not isinstance(self.items[-1], _P):
            inner += "<w:p/>"  # a cell ends with a paragraph
        return (f'<w:tc><w:tcPr><w:tcW w:w="{int(self.width / TWIP)}" w:type="dxa"/>'
                f"{''.join(self.props)}</w:tcPr>{inner}</w:tc>")


class _Table:
    __slots__ = ("head", "rows")

    def __init__(self, head: str):
        self.head = head
        self.rows: list[tuple[str, list[_Cell]]] = []

    def xml(self) -> str:
        rows = "".join(f"<w:tr>{props}{''.join(c.xml() for c in cells)}</w:tr>"
                       for props, cells in self.rows)
        return f"<w:tbl>{self.head}{rows}</w:tbl>"


def _ppr(*, style: str = "", keep: bool = False, page_break: bool = False, num: int = 0,
         borders: tuple = (), fill: str = "", tabs: tuple = (), before: float | None = None,
         after: float | None = None, line: float | None = None, left: int = 0,
         hanging: int = 0, jc: str = "") -> str:
    """Paragraph properties, in schema order (sizes in points, indents in EMU)."""
    out = []
    if style:
        out.append(f'<w:pStyle w:val="{style}"/>')
    if keep:
        out.append("<w:keepNext/>")
    if page_break:
        out.append("<w:pageBreakBefore/>")
    if num:
        out.append(f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num}"/></w:numPr>')
    if borders:
        out.append("<w:pBdr>" + "".join(_border(side, colour, size)
                                         for where in ("top", "left", "bottom", "right")
                                         for side, colour, size in borders if side == where)
                   + "</w:pBdr>")
    if fill:
        out.append(f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>')
    if tabs:
        out.append("<w:tabs>" + "".join(f'<w:tab w:val="{align}" w:pos="{int(at / TWIP)}"/>'
                                        for at, align in tabs) + "</w:tabs>")
    if before is not None or after is not None or line is not None:
        spacing = "<w:spacing"
        if before is not None:
            spacing += f' w:before="{int(before * 20)}"'
        if after is not None:
            spacing += f' w:after="{int(after * 20)}"'
        if line is not None:
            spacing += f' w:line="{int(line * 20)}" w:lineRule="exact"'
        out.append(spacing + "/>")
    if left or hanging:
        ind = f'<w:ind w:left="{int((left + hanging) / TWIP)}"'
        if hanging:
            ind += f' w:hanging="{int(hanging / TWIP)}"'
        out.append(ind + "/>")
    if jc:
        out.append(f'<w:jc w:val="{jc}"/>')
    return f"<w:pPr>{''.join(out)}</w:pPr>" if out else ""


def _run(text: str, *, bold: bool = False, italic: bool = False, colour: str = "",
         size: float = 0, superscript: bool = False, underline: bool = False, font: str = "",
         fill: str = "", caps: bool = False) -> str:
    """A run of text, its properties in schema order; tabs and line breaks kept."""
    props = []
    if font:
        props.append(f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:cs="{font}"/>')
    if bold:
        props.append("<w:b/>")
    if italic:
        props.append("<w:i/>")
    if caps:
        props.append("<w:caps/>")
    if colour:
        props.append(f'<w:color w:val="{colour}"/>')
    if size:
        props.append(f'<w:sz w:val="{round(size * 2)}"/>')
    if underline:
        props.append('<w:u w:val="single"/>')
    if fill:
        props.append(f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>')
    if superscript:
        props.append('<w:vertAlign w:val="superscript"/>')
    body = []
    for i, piece in enumerate(_NOT_XML.sub("", text).split("\n")):
        if i:
            body.append("<w:br/>")
        for j, part in enumerate(piece.split("\t")):
            if j:
                body.append("<w:tab/>")
            if part:
                space = ' xml:space="preserve"' if part != part.strip() else ""
                body.append(f"<w:t{space}>{escape(part)}</w:t>")
    rpr = f"<w:rPr>{''.join(props)}</w:rPr>" if props else ""
    return f"<w:r>{rpr}{''.join(body)}</w:r>"


# ---------------------------------------------------------------------------------------------
# The writer


class _Writer:
    """Draws blocks into a box: ``None`` is the document's body, else a table cell."""

    def __init__(self, word, doc: b.Document, root: Path | None):
        self.word = word
        self.root = root
        self.doc = doc
        self.part = word.part
        self.primary = _hex(doc.brand.primary)
        self.accent = _hex(doc.brand.accent)
        self.style_ids: dict[str, str] = {}
        self.page_break = False
        self.items: list = []  # the body's part not yet written out
        self.made: list[_P] = []  # every paragraph made, in order
        self.bold = 0  # > 0 while drawing text that is set in bold throughout
        self.picture_id = 100  # ids of drawings, unique in the document
        self.images: dict = {}  # sha1 of an image -> its part
        self.rels: dict = {}  # (part, sha1) -> the relationship's id
        self.end = word.element.body.sectPr  # the body's last child: parts go before it

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
        h1.insert_element_before(_parse(f"<w:pBdr>{_border('bottom', self.accent, 12)}"
                                        "</w:pBdr>")[0],
                                 "w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc")
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
            rpr.extend(_parse(f'<w:lang w:val="{doc.language}"/>'))
        word.settings.element.extend(_parse('<w:updateFields w:val="true"/>'))
        self._footer(section)

    @staticmethod
    def _font_all(style, name: str) -> None:
        """The font for every script (Word keeps separate ones for Cyrillic and others)."""
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = _parse("<w:rFonts/>")[0]
            rpr.insert(0, fonts)
        for key in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(key), name)
        for key in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
            fonts.attrib.pop(qn(key), None)

    def _footer(self, section) -> None:
        runs = []
        for part in re.split(r"(\{page\}|\{pages\})", self.doc.page_label):
            if part in ("{page}", "{pages}"):
                code = "PAGE" if part == "{page}" else "NUMPAGES"
                runs.append(f'<w:fldSimple w:instr="{code}">'
                            f'{_run("1", colour=MUTED, size=7.5)}</w:fldSimple>')
            elif part:
                runs.append(_run(part, colour=MUTED, size=7.5))
        self._fill(section.footer.paragraphs[0]._p, _ppr(jc="center") + "".join(runs))

    def _header(self, section, running: str) -> None:
        """The running header: the brand's logo (or the document's fixed part) on the left,
        the part's name on the right."""
        header = section.header
        header.is_linked_to_previous = False
        brand = self.doc.brand
        left = _run(self.doc.header, colour=MUTED, size=7.5)
        if brand.logo:
            left = self._picture(self._image(brand.logo), height=Mm(6), alt=brand.logo_alt,
                                 part=header.part) + _run(
                "  " + self.doc.header if self.doc.header else "", colour=MUTED, size=7.5)
        right = _run("\t" + running, colour=MUTED, size=7.5) if running else ""
        ppr = _ppr(style=self._style("Normal"), after=0, borders=(("bottom", RULE, 4),),
                   tabs=((self.text_width, "right"),))
        self._fill(header.paragraphs[0]._p, ppr + left + right)

    @staticmethod
    def _fill(p, xml: str) -> None:
        for child in list(p):
            p.remove(child)
        p.extend(_parse(xml))

    # -- the body, part by part ---------------------------------------------------------------

    def flush(self) -> None:
        """Write the body's part drawn so far into the document."""
        if not self.items:
            return
        xml = "".join(x if isinstance(x, str) else x.xml() for x in self.items)
        for element in _parse(xml):
            self.end.addprevious(element)
        self.items = []
        self.made = []

    def _style(self, name: str) -> str:
        if name not in self.style_ids:
            self.style_ids[name] = self.word.styles[name].style_id
        return self.style_ids[name]

    def paragraph(self, box, style: str = "", text: str = "", **props) -> _P:
        """A new paragraph at the end of ``box``; ``props`` as for :func:`_ppr`."""
        if self.page_break:
            props["page_break"] = True
            self.page_break = False
        if style:
            props["style"] = self._style(style)
        p = _P(props)
        (self.items if box is None else box.items).append(p)
        self.made.append(p)
        if text:
            p.append(self._r(text))
        return p

    def _r(self, text: str, **props) -> str:
        if self.bold:
            props["bold"] = True
        return _run(text, **props)

    def spans(self, p: _P, spans: b.Rich, *, bold: bool = False, size: float = 0,
              colour: str = "") -> None:
        for s in spans:
            r = self._r(s.text, bold=s.style == "strong" or bold, italic=s.style == "em",
                        superscript=s.style == "ref", size=size, underline=bool(s.url),
                        colour=self.accent if s.url else
                        MUTED if s.style in ("ref", "muted") else colour)
            if s.url:
                p.append(f'<w:hyperlink r:id="{self._link(s.url)}">{r}</w:hyperlink>')
            else:
                p.append(r)

    def _link(self, url: str) -> str:
        return self.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)

    # -- blocks ---------------------------------------------------------------------------

    def blocks(self, items: tuple[b.Block, ...], box) -> None:
        for block in items:
            getattr(self, f"draw_{b.type_name(block)}")(block, box)

    def draw_cover(self, x: b.Cover, box) -> None:
        brand = self.doc.brand
        if brand.logo:
            self.paragraph(box).append(self._picture(self._image(brand.logo), height=Mm(18),
                                                     alt=brand.logo_alt))
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
        if brand.name:
            self.paragraph(box, before=24, borders=(("top", self.primary, 12),)).append(
                self._r(brand.name, colour=MUTED, size=9))
        self.page_break = True

    def draw_contents(self, x: b.Contents, box) -> None:
        self.paragraph(box, "Label", x.title, after=8)
        headings = [h.text for h in self.doc.blocks
                    if isinstance(h, b.Heading) and h.level == 1 and h.outlined]
        shown = self._r("\n".join(headings) if headings else x.hint)  # until Word updates it
        self.paragraph(box).runs.extend((
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
            '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-1" \\h \\z \\u </w:instrText>'
            "</w:r>",
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>', shown,
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>'))
        if x.hint:
            self.paragraph(box, "Meta", x.hint)

    def draw_runningheader(self, x: b.RunningHeader, box) -> None:
        """A new section (on a new page when one was asked for) whose header shows ``x``."""
        if box is not None:
            return
        self.flush()
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
            self.spans(self.paragraph(box, "Meta"), x.text)
            return
        self.spans(self.paragraph(box), x.text,
                   size={"lead": 11, "small": 8.5}.get(x.role, 0))

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
        numbering = self.part.numbering_part.element
        style = self.word.styles["List Number"].element
        num_pr = style.find(qn("w:pPr") + "/" + qn("w:numPr"))
        base = numbering.num_having_numId(int(num_pr.find(qn("w:numId")).get(qn("w:val"))))
        abstract = base.find(qn("w:abstractNumId")).get(qn("w:val"))
        num = numbering.add_num(int(abstract))
        num.extend(_parse('<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/>'
                          "</w:lvlOverride>"))
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
                    cell.props.append(f'<w:shd w:val="clear" w:color="auto" '
                                      f'w:fill="{PAPER_TINT}"/>')
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
        width = int(self._width(box) * x.width)
        self.paragraph(box, keep=True).append(self._picture(self._image(x.path), width=width,
                                                            alt=x.alt))
        caption = " · ".join(t for t in (x.caption, x.credit, x.licence) if t)
        if caption:
            self.paragraph(box, "Meta", caption)

    def draw_link(self, x: b.Link, box) -> None:
        (text, qr), = self._table(box, 1, (5, 1), rules=False)
        self.spans(self._cell_paragraph(text), b.rich(b.Span(x.text, url=x.url)))
        self.paragraph(text).append(self._r(x.url, colour=MUTED, size=7.5))
        self._cell_paragraph(qr).append(self._picture(qr_png(x.url), width=Mm(17),
                                                      alt=x.qr_alt))
        self._after_table(box)

    def draw_callout(self, x: b.Callout, box) -> None:
        edge, fill = {"alert": (ALERT, ALERT_TINT), "decision": (self.accent, PAPER_TINT),
                      "key": (self.accent, PAPER_TINT), "card": (MUTED, "FFFFFF")}.get(
            x.kind, (self.primary, PAPER_TINT))
        (cell,), = self._table(box, 1, (1,), rules=False, empty=True)
        dashed = x.kind == "card"
        cell.props.append("<w:tcBorders>" + "".join(
            f'<w:{side} w:val="{"dashed" if dashed else "single"}" '
            f'w:sz="{8 if dashed else 18}" w:color="{edge}"/>'
            for side in ("top", "left", "bottom", "right") if side == "left" or dashed)
            + "</w:tcBorders>")
        cell.props.append(f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>')
        if x.title:
            self.paragraph(cell, "Label").append(self._r(x.title, colour=edge, bold=True))
        self.bold += x.kind == "decision"
        self.blocks(x.body, cell)
        self.bold -= x.kind == "decision"
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
            # ruled lines to write on: table rows (paragraph borders would merge into one)
            self._table(box, x.lines, (1,), rules=False, line_rules=True, height=Mm(7.5))
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
        beside, rest = x.slides[:x.beside], x.slides[x.beside:]
        if beside:  # the previews in a column beside the notes, as in the PDF
            (column, notes), = self._table(box, 1, (PREVIEW + Mm(3), 1), rules=False,
                                           empty=True, split=True, fixed=(0,))
            for ref in beside:
                self._preview(column, ref)
            self.blocks(x.body, notes)
        else:
            self.blocks(x.body, box)
        if rest:
            per_row = max(1, int(self._width(box) // (PREVIEW + Mm(4))))
            rows = self._table(box, -(-len(rest) // per_row), (1,) * per_row, rules=False,
                               empty=True)
            for i, ref in enumerate(rest):
                self._preview(rows[i // per_row][i % per_row], ref)
        if beside or rest:
            self._after_table(box)

    def _preview(self, cell: _Cell, ref: b.SlideRef) -> None:
        """A slide's picture and, under it, its number and title."""
        picture = drawer(self.doc.brand).png(ref)
        self.paragraph(cell, keep=True, after=0).append(
            self._picture(picture, width=PREVIEW, alt=f"{ref.label}: {ref.title}"))
        self.paragraph(cell, "Meta", f"{ref.label}: {ref.title}", after=6)

    def draw_keep(self, x: b.Keep, box) -> None:
        before = len(self.made)
        self.blocks(x.body, box)
        for p in self.made[before:-1]:
            p.props["keep"] = True

    # -- tables and pictures ---------------------------------------------------------------

    def _width(self, box) -> int:
        """The width a block may take in ``box`` (EMU)."""
        return self.text_width if box is None else box.width - Mm(3.2)

    def _table(self, box, rows: int, widths: tuple, *, header: bool = False,
               rules: bool = True, line_rules: bool = False, height: int = 0,
               empty: bool = False, split: bool = False,
               fixed: tuple[int, ...] = ()) -> list[list[_Cell]]:
        """A table of ``rows`` rows and one column per width share (the columns in ``fixed``
        take their width in EMU, the others share the rest); returns its cells, each holding
        an empty paragraph unless ``empty``. Rows never split across pages unless ``split``."""
        if self.page_break:  # a table cannot carry "page break before": an empty paragraph can
            self.paragraph(box, after=0)
        width = self._width(box)
        rest = width - sum(widths[i] for i in fixed)
        shares = sum(w for i, w in enumerate(widths) if i not in fixed) or 1
        columns = [int(w) if i in fixed else int(rest * w / shares)
                   for i, w in enumerate(widths)]
        line = LINE if line_rules else RULE
        borders = "".join(
            f'<w:{side} w:val="single" w:sz="4" w:color="{line}"/>'
            if (rules and side in ("top", "bottom", "insideH")) or (
                line_rules and side in ("bottom", "insideH")) else f'<w:{side} w:val="nil"/>'
            for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
        head = (f'<w:tblPr><w:tblW w:w="{int(width / TWIP)}" w:type="dxa"/>'
                f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
                '<w:tblCellMar><w:top w:w="50" w:type="dxa"/><w:left w:w="90" w:type="dxa"/>'
                '<w:bottom w:w="50" w:type="dxa"/><w:right w:w="90" w:type="dxa"/>'
                '</w:tblCellMar><w:tblLook w:val="0000"/></w:tblPr><w:tblGrid>'
                + "".join(f'<w:gridCol w:w="{int(c / TWIP)}"/>' for c in columns)
                + "</w:tblGrid>")
        table = _Table(head)
        cells = []
        for i in range(rows):
            props = "" if split else "<w:cantSplit/>"
            if height:
                props += f'<w:trHeight w:val="{int(height / TWIP)}" w:hRule="exact"/>'
            if header and i == 0:
                props += "<w:tblHeader/>"
            row = []
            for column in columns:
                cell = _Cell(column)
                if header and i == 0:
                    cell.props.append(f'<w:shd w:val="clear" w:color="auto" w:fill="{TINT}"/>')
                if not empty:
                    cell.items.append(_P({}))
                row.append(cell)
            table.rows.append((f"<w:trPr>{props}</w:trPr>" if props else "", row))
            cells.append(row)
        (self.items if box is None else box.items).append(table)
        return cells

    @staticmethod
    def _cell_paragraph(cell: _Cell) -> _P:
        return cell.items[0]

    def _after_table(self, box) -> None:
        # a table needs a paragraph after it (in a cell, too, which must end with one)
        self.paragraph(box, after=0, line=6 if box is None else 4)

    def _cell_text(self, cell: _Cell, text: str, *, bold: bool = False, colour: str = "",
                   size: float = 9, centre: bool = False) -> None:
        p = self._cell_paragraph(cell)
        p.props.update(after=0, jc="center" if centre else "")
        p.append(self._r(text, bold=bold, colour=colour, size=size))

    def _image_rel(self, part, data: bytes):
        """The relationship from ``part`` to the image part holding ``data`` (one part for
        equal images), and the image. (python-docx's own search of the package for equal
        images and free part names costs time in proportion to the images already there.)"""
        from docx.image.image import Image
        from docx.opc.packuri import PackURI
        from docx.parts.image import ImagePart

        digest = hashlib.sha1(data).hexdigest()
        if digest not in self.images:
            image = Image.from_blob(data)
            name = PackURI(f"/word/media/image{len(self.images) + 1}.{image.ext}")
            self.images[digest] = ImagePart.from_image(image, name)
        image_part = self.images[digest]
        key = (id(part), digest)
        if key not in self.rels:
            self.rels[key] = part.relate_to(image_part, RELATIONSHIP_TYPE.IMAGE)
        return self.rels[key], image_part.image

    def _image(self, path: str) -> bytes:
        return read_image(path, self.root).bitmap()

    def _picture(self, data: bytes, *, width: int | None = None, height: int | None = None,
                 alt: str = "", part=None) -> str:
        """A run holding a picture of ``data`` at ``width`` or ``height``, its aspect kept."""
        rid, image = self._image_rel(part or self.part, data)
        cx, cy = image.scaled_dimensions(width, height)
        self.picture_id += 1
        n = self.picture_id
        return (f'<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">'
                f'<wp:extent cx="{cx}" cy="{cy}"/><wp:docPr id="{n}" name="Picture {n}" '
                f"descr={_attr(alt)}/><wp:cNvGraphicFramePr>"
                '<a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
                f'<a:graphic><a:graphicData uri="{_PICTURE}"><pic:pic><pic:nvPicPr>'
                f'<pic:cNvPr id="{n}" name="{Path(image.filename).name or "image"}"/>'
                "<pic:cNvPicPr/></pic:nvPicPr><pic:blipFill>"
                f'<a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch>'
                '</pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/>'
                f'<a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/>'
                "</a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline>"
                "</w:drawing></w:r>")
