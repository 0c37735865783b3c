"""Every python-pptx internal and raw DrawingML the deck renderer needs, in one place.

python-pptx is pinned to 1.0.x (pyproject.toml) because of what this module touches: the
package's ``next_partname`` (replaced: O(n) part naming), the part classes (``SlidePart``,
``NotesSlidePart``: a slide is written as one XML string and parsed once, instead of being
built shape by shape through python-pptx's object API, which clones layout placeholders with
XPath and re-parses every shape), ``_element`` trees of charts, the slide id list,
``serialized._PhysPkgWriter`` (fixed zip timestamps, in ``render.ooxml``) and theme part blobs.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from ccrl_kit.render.assets import read_image

NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
NS_P = "http://schemas.openxmlformats.org/presentationml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
NSDECL = f'xmlns:a="{NS_A}" xmlns:r="{NS_R}" xmlns:p="{NS_P}"'
DECORATIVE = (
    '<a:extLst><a:ext uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}">'
    '<adec:decorative xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative"'
    ' val="1"/></a:ext></a:extLst>'
)
SLIDENUM_FIELD = "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}"
TABLE_STYLE = "{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}"  # Medium Style 2 - Accent 1
GROUP_PR = ('<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>'
            '<p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/>'
            '<a:chOff x="0" y="0"/><a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>')

# colour roles of the plan -> theme colours (so a brand recolours everything at once)
ROLES = {
    "primary": '<a:schemeClr val="tx2"/>',
    "accent": '<a:schemeClr val="accent2"/>',
    "accent_light": '<a:schemeClr val="accent4"/>',
    "accent_soft": '<a:schemeClr val="accent2"><a:lumMod val="20000"/>'
                   '<a:lumOff val="80000"/></a:schemeClr>',
    "primary_soft": '<a:schemeClr val="tx2"><a:lumMod val="20000"/>'
                    '<a:lumOff val="80000"/></a:schemeClr>',
    "soft": '<a:schemeClr val="bg2"><a:lumMod val="92000"/></a:schemeClr>',
    "dark": '<a:schemeClr val="tx1"/>',
    "light": '<a:schemeClr val="bg1"/>',
    "muted": '<a:schemeClr val="accent3"/>',
}
SOLID = {role: f"<a:solidFill>{xml}</a:solidFill>" for role, xml in ROLES.items()}
GEOMETRY = {"rect": "rect", "roundRect": "roundRect", "ellipse": "ellipse"}
Link = Callable[[str], str]


@dataclass
class Style:
    """How every run of one deck is set: its language and, where the template's theme uses
    another font, the deck's own (the font the plan measured)."""

    lang: str
    font: str = ""

    def __post_init__(self) -> None:
        self.font_xml = f'<a:latin typeface={quoteattr(self.font)}/>' if self.font else ""


def solid(role: str) -> str:
    return SOLID[role] if role else "<a:noFill/>"


def line_xml(role: str, width: int, *, dash: bool = False, round_caps: bool = False) -> str:
    if not role or not width:
        return "<a:ln><a:noFill/></a:ln>"
    cap = ' cap="rnd"' if round_caps else ""
    dash_xml = '<a:prstDash val="dash"/>' if dash else ""
    join = "<a:round/>" if round_caps else ""
    return f'<a:ln w="{width}"{cap}>{solid(role)}{dash_xml}{join}</a:ln>'


def xfrm(x: float, y: float, w: float, h: float, extra: str = "", tag: str = "a:xfrm") -> str:
    return (f'<{tag}{extra}><a:off x="{round(x)}" y="{round(y)}"/>'
            f'<a:ext cx="{max(round(w), 0)}" cy="{max(round(h), 0)}"/></{tag}>')


def c_nv_pr(shape_id: int, name: str, descr: str = "", decorative: bool = False) -> str:
    alt = f" descr={quoteattr(descr)}" if descr else ""
    if decorative:
        return f'<p:cNvPr id="{shape_id}" name={quoteattr(name)}{alt}>{DECORATIVE}</p:cNvPr>'
    return f'<p:cNvPr id="{shape_id}" name={quoteattr(name)}{alt}/>'


# ------------------------------------------------------------------------------------------
# Text
# ------------------------------------------------------------------------------------------


def run_xml(run, size: str, style: Style, link: Link) -> str:
    attrs = f' lang="{style.lang}"{size}' + (' b="1"' if run.bold else ' b="0"')
    if run.italic:
        attrs += ' i="1"'
    inner = SOLID[run.colour] if run.colour else ""
    inner += style.font_xml
    if run.link:
        inner += f'<a:hlinkClick r:id="{link(run.link)}"/>'
    return f'<a:r><a:rPr{attrs} dirty="0">{inner}</a:rPr><a:t>{escape(run.text)}</a:t></a:r>'


def para_xml(p, style: Style, link: Link) -> str:
    size = f' sz="{round(p.pt * 100)}"'
    ppr = (f'<a:pPr marL="{p.indent}" indent="{-p.indent if p.bullet else 0}"'
           f' algn="{p.align}">'
           f'<a:lnSpc><a:spcPct val="{round(p.spacing * 100000)}"/></a:lnSpc>'
           f'<a:spcBef><a:spcPts val="{round(p.before * 100)}"/></a:spcBef>'
           '<a:spcAft><a:spcPts val="0"/></a:spcAft>')
    if p.bullet:
        ppr += (f'<a:buClr>{ROLES["accent"]}</a:buClr><a:buSzPct val="100000"/>'
                f'<a:buFont typeface="Arial"/><a:buChar char={quoteattr(p.bullet)}/>')
    else:
        ppr += "<a:buNone/>"
    runs = "".join(run_xml(r, size, style, link) for r in p.runs)
    return f'<a:p>{ppr}</a:pPr>{runs}<a:endParaRPr lang="{style.lang}"{size}/></a:p>'


def body_xml(paras, anchor: str, style: Style, link: Link, tag: str = "p:txBody",
             insets: tuple[int, int] = (91440, 45720), pad: int = 0) -> str:
    lr, tb = insets
    inner = "".join(para_xml(p, style, link) for p in paras) or "<a:p><a:endParaRPr/></a:p>"
    return (f'<{tag}><a:bodyPr wrap="square" lIns="{lr}" tIns="{tb}" rIns="{lr}"'
            f' bIns="{tb + pad}"'
            f' rtlCol="0" anchor="{anchor}"><a:noAutofit/></a:bodyPr><a:lstStyle/>'
            f"{inner}</{tag}>")


def text_sp(el, shape_id: int, style: Style, link: Link) -> str:
    geom = GEOMETRY.get(el.shape, "rect")
    box = '<p:cNvSpPr txBox="1"/>' if not el.fill and geom == "rect" else "<p:cNvSpPr/>"
    adj = '<a:avLst><a:gd name="adj" fmla="val 18000"/></a:avLst>' if geom == "roundRect" \
        else "<a:avLst/>"
    return (f"<p:sp><p:nvSpPr>{c_nv_pr(shape_id, el.name)}{box}<p:nvPr/></p:nvSpPr>"
            f"<p:spPr>{xfrm(el.x, el.y, el.w, el.h)}<a:prstGeom prst=\"{geom}\">{adj}"
            f"</a:prstGeom>{solid(el.fill)}{line_xml(el.line, 12700)}</p:spPr>"
            f"{body_xml(el.paras, el.anchor, style, link, pad=el.pad)}</p:sp>")


def placeholder_sp(el, shape_id: int, ph: str, style: Style, link: Link) -> str:
    """A layout placeholder filled with the plan's paragraphs, exactly where the plan put it
    (``ph``: the layout's own ``<p:ph>``, so the slide inherits from it)."""
    fill = SOLID[el.fill] if el.fill else ""
    return (f'<p:sp><p:nvSpPr>{c_nv_pr(shape_id, el.name)}<p:cNvSpPr><a:spLocks noGrp="1"/>'
            f"</p:cNvSpPr><p:nvPr>{ph}</p:nvPr></p:nvSpPr>"
            f"<p:spPr>{xfrm(el.x, el.y, el.w, el.h)}{fill}</p:spPr>"
            f"{body_xml(el.paras, el.anchor, style, link, pad=el.pad)}</p:sp>")


def field_sp(shape_id: int, ph: str, kind: str, text: str, style: Style) -> str:
    """A footer or slide-number placeholder as the layout sets it (position and type)."""
    font = f"<a:rPr lang=\"{style.lang}\" dirty=\"0\">{style.font_xml}</a:rPr>" \
        if style.font_xml else f'<a:rPr lang="{style.lang}" dirty="0"/>'
    if kind == "sldNum":
        inner = (f'<a:fld id="{SLIDENUM_FIELD}" type="slidenum">{font}'
                 f"<a:t>{escape(text)}</a:t></a:fld>")
        name = "Slide Number"
    else:
        inner = f"<a:r>{font}<a:t>{escape(text)}</a:t></a:r>"
        name = "Footer" if kind == "ftr" else "Date"
    return (f'<p:sp><p:nvSpPr>{c_nv_pr(shape_id, name)}<p:cNvSpPr><a:spLocks noGrp="1"/>'
            f"</p:cNvSpPr><p:nvPr>{ph}</p:nvPr></p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/>"
            f'<a:lstStyle/><a:p>{inner}<a:endParaRPr lang="{style.lang}"/></a:p></p:txBody>'
            "</p:sp>")


# ------------------------------------------------------------------------------------------
# Shapes
# ------------------------------------------------------------------------------------------


def shape_sp(el, shape_id: int) -> str:
    geom = GEOMETRY.get(el.shape, "rect")
    adj = '<a:avLst><a:gd name="adj" fmla="val 12000"/></a:avLst>' if geom == "roundRect" \
        else "<a:avLst/>"
    return (f"<p:sp><p:nvSpPr>{c_nv_pr(shape_id, el.name, decorative=True)}"
            f"<p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr>{xfrm(el.x, el.y, el.w, el.h)}"
            f"<a:prstGeom prst=\"{geom}\">{adj}</a:prstGeom>{solid(el.fill)}"
            f"{line_xml(el.line, el.line_w)}</p:spPr></p:sp>")


def _path_xml(commands, w: int, h: int, closed: bool) -> str:
    out = []
    for c in commands:
        op = c[0]
        if op == "M":
            out.append(f'<a:moveTo><a:pt x="{round(c[1])}" y="{round(c[2])}"/></a:moveTo>')
        elif op == "L":
            out.append(f'<a:lnTo><a:pt x="{round(c[1])}" y="{round(c[2])}"/></a:lnTo>')
        elif op == "C":
            out.append(f'<a:cubicBezTo><a:pt x="{round(c[1])}" y="{round(c[2])}"/>'
                       f'<a:pt x="{round(c[3])}" y="{round(c[4])}"/>'
                       f'<a:pt x="{round(c[5])}" y="{round(c[6])}"/></a:cubicBezTo>')
        else:
            out.append("<a:close/>")
    fill = "" if closed else ' fill="none"'
    return f'<a:path w="{max(w, 1)}" h="{max(h, 1)}"{fill}>{"".join(out)}</a:path>'


def freeform_sp(el, shape_id: int) -> str:
    """Freeform geometry (icons, countries) as DrawingML ``custGeom``."""
    closed = bool(el.fill)
    paths = "".join(_path_xml(commands, el.w, el.h, closed) for commands in el.paths)
    decorative = el.kind == "icon"
    return (f"<p:sp><p:nvSpPr>{c_nv_pr(shape_id, el.name, decorative=decorative)}"
            f"<p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr>{xfrm(el.x, el.y, el.w, el.h)}"
            '<a:custGeom><a:avLst/><a:gdLst/><a:ahLst/><a:cxnLst/>'
            f'<a:rect l="l" t="t" r="r" b="b"/><a:pathLst>{paths}</a:pathLst></a:custGeom>'
            f"{solid(el.fill)}{line_xml(el.line, el.line_w, round_caps=decorative)}"
            "</p:spPr></p:sp>")


def line_cxn(el, shape_id: int) -> str:
    x, y = min(el.x1, el.x2), min(el.y1, el.y2)
    w, h = abs(el.x2 - el.x1), abs(el.y2 - el.y1)
    flip = (' flipH="1"' if el.x2 < el.x1 else "") + (' flipV="1"' if el.y2 < el.y1 else "")
    return (f"<p:cxnSp><p:nvCxnSpPr>{c_nv_pr(shape_id, el.name, decorative=True)}"
            f"<p:cNvCxnSpPr/><p:nvPr/></p:nvCxnSpPr><p:spPr>{xfrm(x, y, w, h, flip)}"
            '<a:prstGeom prst="line"><a:avLst/></a:prstGeom>'
            f"{line_xml(el.colour, el.width, dash=el.dash)}</p:spPr></p:cxnSp>")


def group_open(el, shape_id: int, bounds: tuple[int, int, int, int]) -> str:
    x, y, w, h = (round(v) for v in bounds)
    return (f"<p:grpSp><p:nvGrpSpPr>{c_nv_pr(shape_id, el.name, el.alt)}"
            "<p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr>"
            f'<a:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{w}" cy="{h}"/>'
            f'<a:chOff x="{x}" y="{y}"/><a:chExt cx="{w}" cy="{h}"/></a:xfrm></p:grpSpPr>')


def picture(el, shape_id: int, rid: str) -> str:
    return (f"<p:pic><p:nvPicPr>{c_nv_pr(shape_id, el.name, el.alt)}"
            '<p:cNvPicPr><a:picLocks noChangeAspect="1"/></p:cNvPicPr><p:nvPr/></p:nvPicPr>'
            f'<p:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch>'
            f"</p:blipFill><p:spPr>{xfrm(el.x, el.y, el.w, el.h)}"
            '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr></p:pic>')


def table(el, shape_id: int, style: Style, link: Link) -> str:
    """A native table in the theme's table style, the plan's widths, heights and cells."""
    grid = "".join(f'<a:gridCol w="{w}"/>' for w in el.widths)
    rows = []
    for h, row in zip(el.heights, el.cells, strict=True):
        cells = "".join(
            f"<a:tc>{body_xml(paras, 't', style, link, tag='a:txBody', insets=(91440, 22860))}"
            '<a:tcPr marL="91440" marR="91440" marT="22860" marB="22860" anchor="ctr"/></a:tc>'
            for paras in row)
        rows.append(f'<a:tr h="{h}">{cells}</a:tr>')
    return (f"<p:graphicFrame><p:nvGraphicFramePr>{c_nv_pr(shape_id, el.name, el.alt)}"
            '<p:cNvGraphicFramePr><a:graphicFrameLocks noGrp="1"/></p:cNvGraphicFramePr>'
            f"<p:nvPr/></p:nvGraphicFramePr>{xfrm(el.x, el.y, el.w, el.h, tag='p:xfrm')}"
            '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/'
            f'table"><a:tbl><a:tblPr firstRow="1" bandRow="1"><a:tableStyleId>{TABLE_STYLE}'
            f"</a:tableStyleId></a:tblPr><a:tblGrid>{grid}</a:tblGrid>{''.join(rows)}</a:tbl>"
            "</a:graphicData></a:graphic></p:graphicFrame>")


def chart_frame(el, shape_id: int, rid: str) -> str:
    return (f"<p:graphicFrame><p:nvGraphicFramePr>{c_nv_pr(shape_id, el.name, el.alt)}"
            '<p:cNvGraphicFramePr><a:graphicFrameLocks noGrp="1"/></p:cNvGraphicFramePr>'
            f"<p:nvPr/></p:nvGraphicFramePr>{xfrm(el.x, el.y, el.w, el.h, tag='p:xfrm')}"
            '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/'
            f'chart"><c:chart xmlns:c="{NS_C}" r:id="{rid}"/></a:graphicData></a:graphic>'
            "</p:graphicFrame>")


def slide_xml(shapes: list[str]) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<p:sld {NSDECL}>'
            f"<p:cSld><p:spTree>{GROUP_PR}{''.join(shapes)}</p:spTree></p:cSld>"
            "<p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>").encode()


def notes_xml(notes: tuple[str, ...], image_ph: str, body_ph: str, lang: str) -> bytes:
    """A notes page: the slide's picture and the notes, one paragraph each, a blank line
    between them (as the layout of the notes master sets them)."""
    paras = "<a:p/>".join(
        f'<a:p><a:r><a:rPr lang="{lang}" dirty="0"/><a:t>{escape(n)}</a:t></a:r></a:p>'
        for n in notes)
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<p:notes {NSDECL}>'
            f"<p:cSld><p:spTree>{GROUP_PR}"
            f'<p:sp><p:nvSpPr><p:cNvPr id="2" name="Slide Image Placeholder 1"/>'
            f'<p:cNvSpPr><a:spLocks noGrp="1" noRot="1" noChangeAspect="1"/></p:cNvSpPr>'
            f"<p:nvPr>{image_ph}</p:nvPr></p:nvSpPr><p:spPr/></p:sp>"
            f'<p:sp><p:nvSpPr><p:cNvPr id="3" name="Notes Placeholder 2"/>'
            f'<p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr>{body_ph}</p:nvPr>'
            f"</p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/><a:lstStyle/>{paras}</p:txBody>"
            "</p:sp></p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr>"
            "</p:notes>").encode()


# ------------------------------------------------------------------------------------------
# The package (python-pptx parts)
# ------------------------------------------------------------------------------------------


def fast_partnames(package) -> None:
    """Name new parts from a kept set instead of walking the whole package each time.

    python-pptx's ``next_partname`` visits every part to name one new part, so a deck costs
    O(n²) in its slide count; with the names kept here it is O(n).
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


def ph_tag(ph) -> str:
    """A layout's ``<p:ph>`` as a slide repeats it (to inherit position and formatting)."""
    attrs = "".join(f' {k}={quoteattr(v)}' for k, v in sorted(ph.attrib.items())
                    if k in ("type", "idx", "orient", "sz"))
    return f"<p:ph{attrs}/>"


def placeholders(part) -> dict[int, str]:
    """A layout's (or notes master's) placeholders: idx -> its ``<p:ph>`` for a slide; a
    placeholder with no idx is 0 (a title)."""
    out: dict[int, str] = {}
    for ph in part._element.iter(f"{{{NS_P}}}ph"):
        out.setdefault(int(ph.get("idx", "0")), ph_tag(ph))
    return out


def notes_placeholders(master_part) -> tuple[str, str]:
    """The notes master's slide-image and body placeholders, as a notes page repeats them."""
    image, body = '<p:ph type="sldImg"/>', '<p:ph type="body" idx="1"/>'
    for ph in master_part._element.iter(f"{{{NS_P}}}ph"):
        if ph.get("type") == "sldImg":
            image = ph_tag(ph)
        elif ph.get("type") == "body":
            body = ph_tag(ph)
    return image, body


class SlideWriter:
    """Adds slides to a presentation as parts holding the bytes of their XML: a slide is
    written once, as a string, and never parsed or serialised again."""

    def __init__(self, prs, root: Path | None = None):
        from pptx.opc.constants import CONTENT_TYPE as CT
        from pptx.opc.constants import RELATIONSHIP_TYPE as RT

        self.prs = prs
        self.root = root
        self.package = prs.part.package
        self.rt, self.ct = RT, CT
        fast_partnames(self.package)
        self.notes_master = prs.part.notes_master_part
        self.notes_phs = notes_placeholders(self.notes_master)
        self.id_list = prs.part._element.get_or_add_sldIdLst()
        self.next_id = max([int(s.get("id")) for s in self.id_list] + [255]) + 1

    def new(self, layout_part):
        """A new slide part on ``layout_part``, related to it and to the presentation (a new
        part matches no relationship the presentation has: no search for one)."""
        from pptx.opc.package import Part

        part = Part(self.package.next_partname("/ppt/slides/slide%d.xml"), self.ct.PML_SLIDE,
                    self.package)
        part.rels._add_relationship(self.rt.SLIDE_LAYOUT, layout_part)
        rid = self.prs.part.rels._add_relationship(self.rt.SLIDE, part)
        self.id_list.append(self.id_list.makeelement(
            f"{{{NS_P}}}sldId", {"id": str(self.next_id), f"{{{NS_R}}}id": rid}))
        self.next_id += 1
        return part

    def image(self, part, path: str) -> str:
        """The relationship id of the picture at ``path`` (one image part per picture), read
        under the file rule; an SVG is drawn as PNG."""
        data = read_image(path, self.root).bitmap()
        return part.relate_to(self.package.get_or_add_image_part(io.BytesIO(data)),
                              self.rt.IMAGE)

    def chart(self, part, chart_type, data):
        """A new native chart related to ``part``: (its relationship id, python-pptx chart)."""
        from pptx.parts.chart import ChartPart

        chart_part = ChartPart.new(chart_type, data, self.package)
        return part.rels._add_relationship(self.rt.CHART, chart_part), chart_part.chart

    def finish(self, part, shapes: list[str], notes: tuple[str, ...], lang: str) -> None:
        from pptx.opc.package import Part

        part._blob = slide_xml(shapes)
        if not notes:
            return
        image, body = self.notes_phs
        page = Part(self.package.next_partname("/ppt/notesSlides/notesSlide%d.xml"),
                    self.ct.PML_NOTES_SLIDE, self.package, notes_xml(notes, image, body, lang))
        page.rels._add_relationship(self.rt.NOTES_MASTER, self.notes_master)
        page.rels._add_relationship(self.rt.SLIDE, part)
        part.rels._add_relationship(self.rt.NOTES_SLIDE, page)


def tune_chart(chart, el) -> None:
    """Bars in the theme's muted colour, the highlighted ones in the accent, the plot area
    exactly where the plan drew the reference lines, and schema-valid axis ids."""
    from pptx.oxml.ns import qn

    space = chart._chartSpace
    for axis in space.iter(qn("c:axId"), qn("c:crossAx")):
        # python-pptx writes negative axis ids; the schema wants unsigned ints
        axis.set("val", str(int(axis.get("val")) & 0x7FFFFFFF))
    plot_area = space.find(f".//{qn('c:plotArea')}")
    x, y, w, h = el.plot
    from pptx.oxml import parse_xml

    layout = parse_xml(
        f'<c:layout xmlns:c="{NS_C}">'
        '<c:manualLayout><c:layoutTarget val="inner"/><c:xMode val="edge"/>'
        f'<c:yMode val="edge"/><c:x val="{x:.5f}"/><c:y val="{y:.5f}"/><c:w val="{w:.5f}"/>'
        f'<c:h val="{h:.5f}"/></c:manualLayout></c:layout>')
    existing = plot_area.find(qn("c:layout"))
    if existing is not None:
        plot_area.replace(existing, layout)
    else:
        plot_area.insert(0, layout)
    later_tags = (qn("c:tickMarkSkip"), qn("c:noMultiLvlLbl"), qn("c:extLst"))
    for cat_ax in space.iter(qn("c:catAx")):
        skip = cat_ax.makeelement(qn("c:tickLblSkip"), {"val": "1"})
        later = [child for child in cat_ax if child.tag in later_tags]
        if later:
            later[0].addprevious(skip)
        else:
            cat_ax.append(skip)


def recolour(prs, slots: tuple[tuple[str, str], ...]) -> None:
    """Set theme colour slots (dk2, accent1, ...) of every master's theme."""
    if not slots:
        return
    from lxml import etree
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    for master in prs.slide_masters:
        part = master.part.part_related_by(RT.THEME)
        root = etree.fromstring(part.blob)
        scheme = root.find(f".//{{{NS_A}}}clrScheme")
        for slot, value in slots:
            element = scheme.find(f"{{{NS_A}}}{slot}")
            if element is None:
                continue
            for child in list(element):
                element.remove(child)
            etree.SubElement(element, f"{{{NS_A}}}srgbClr", val=value)
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                    standalone=True)
