"""Every python-pptx internal and raw DrawingML the deck renderer needs, in one place.

python-pptx is pinned to 1.0.x (pyproject.toml) because of what this module touches:
``package.next_partname`` (replaced: O(n) part naming), ``_element`` trees of slides, charts
and placeholders, ``serialized._PhysPkgWriter`` (fixed zip timestamps, in ``render.ooxml``)
and theme part blobs. Shapes are written here as DrawingML directly: faster than python-pptx's
object API, and the only way to freeform geometry, slide-number fields and theme colours.
"""

from __future__ import annotations

from collections.abc import Callable
from xml.sax.saxutils import escape, quoteattr

NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
NS_P = "http://schemas.openxmlformats.org/presentationml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NSDECL = f'xmlns:a="{NS_A}" xmlns:p="{NS_P}" xmlns:r="{NS_R}"'
DECORATIVE = (
    '<a:extLst><a:ext uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}">'
    '<adec:decorative xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative"'
    ' val="1"/></a:ext></a:extLst>'
)
SLIDENUM_FIELD = "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}"

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
GEOMETRY = {"rect": "rect", "roundRect": "roundRect", "ellipse": "ellipse"}


def solid(role: str) -> str:
    return f"<a:solidFill>{ROLES[role]}</a:solidFill>" if role else "<a:noFill/>"


def line_xml(role: str, width: int, *, dash: bool = False, round_caps: bool = False) -> str:
    if not role or not width:
        return "<a:ln><a:noFill/></a:ln>"
    cap = ' cap="rnd"' if round_caps else ""
    dash_xml = '<a:prstDash val="dash"/>' if dash else ""
    join = "<a:round/>" if round_caps else ""
    return f'<a:ln w="{width}"{cap}>{solid(role)}{dash_xml}{join}</a:ln>'


def xfrm(x: int, y: int, w: int, h: int, extra: str = "") -> str:
    x, y, w, h = (round(v) for v in (x, y, w, h))
    return (f"<a:xfrm{extra}><a:off x=\"{x}\" y=\"{y}\"/>"
            f"<a:ext cx=\"{max(w, 0)}\" cy=\"{max(h, 0)}\"/></a:xfrm>")


def c_nv_pr(shape_id: int, name: str, descr: str = "", decorative: bool = False) -> str:
    alt = f" descr={quoteattr(descr)}" if descr else ""
    ext = DECORATIVE if decorative else ""
    return f'<p:cNvPr id="{shape_id}" name={quoteattr(name)}{alt}>{ext}</p:cNvPr>'


# ------------------------------------------------------------------------------------------
# Text
# ------------------------------------------------------------------------------------------


def run_xml(run, pt: float, lang: str, link: Callable[[str], str]) -> str:
    attrs = f' lang="{lang}" sz="{round(pt * 100)}"'
    attrs += ' b="1"' if run.bold else ' b="0"'
    if run.italic:
        attrs += ' i="1"'
    inner = solid(run.colour) if run.colour else ""
    if run.link:
        inner += f'<a:hlinkClick r:id="{link(run.link)}"/>'
    return f"<a:r><a:rPr{attrs} dirty=\"0\">{inner}</a:rPr><a:t>{escape(run.text)}</a:t></a:r>"


def para_xml(p, lang: str, link: Callable[[str], str]) -> str:
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
    ppr += "</a:pPr>"
    runs = "".join(run_xml(r, p.pt, lang, link) for r in p.runs)
    return f'<a:p>{ppr}{runs}<a:endParaRPr lang="{lang}" sz="{round(p.pt * 100)}"/></a:p>'


def body_xml(paras, anchor: str, lang: str, link: Callable[[str], str],
             tag: str = "p:txBody", insets: tuple[int, int] = (91440, 45720)) -> str:
    lr, tb = insets
    inner = "".join(para_xml(p, lang, link) for p in paras) or '<a:p><a:endParaRPr/></a:p>'
    return (f'<{tag}><a:bodyPr wrap="square" lIns="{lr}" tIns="{tb}" rIns="{lr}" bIns="{tb}"'
            f' rtlCol="0" anchor="{anchor}"><a:noAutofit/></a:bodyPr><a:lstStyle/>'
            f"{inner}</{tag}>")


def text_sp(el, shape_id: int, lang: str, link: Callable[[str], str]) -> str:
    geom = GEOMETRY.get(el.shape, "rect")
    box = "<p:cNvSpPr txBox=\"1\"/>" if not el.fill and geom == "rect" else "<p:cNvSpPr/>"
    adj = '<a:avLst><a:gd name="adj" fmla="val 18000"/></a:avLst>' if geom == "roundRect" \
        else "<a:avLst/>"
    return (f"<p:sp {NSDECL}><p:nvSpPr>{c_nv_pr(shape_id, el.name)}{box}<p:nvPr/></p:nvSpPr>"
            f"<p:spPr>{xfrm(el.x, el.y, el.w, el.h)}<a:prstGeom prst=\"{geom}\">{adj}"
            f"</a:prstGeom>{solid(el.fill)}{line_xml(el.line, 12700)}</p:spPr>"
            f"{body_xml(el.paras, el.anchor, lang, link)}</p:sp>")


def shape_sp(el, shape_id: int) -> str:
    geom = GEOMETRY.get(el.shape, "rect")
    adj = '<a:avLst><a:gd name="adj" fmla="val 12000"/></a:avLst>' if geom == "roundRect" \
        else "<a:avLst/>"
    return (f"<p:sp {NSDECL}><p:nvSpPr>{c_nv_pr(shape_id, el.name, decorative=True)}"
            f"<p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr>{xfrm(el.x, el.y, el.w, el.h)}"
            f"<a:prstGeom prst=\"{geom}\">{adj}</a:prstGeom>{solid(el.fill)}"
            f"{line_xml(el.line, el.line_w)}</p:spPr></p:sp>")


def freeform_sp(el, shape_id: int) -> str:
    """Freeform geometry (icons, countries) as DrawingML ``custGeom``."""
    closed = bool(el.fill)
    paths = []
    for commands in el.paths:
        out = []
        for c in commands:
            op = c[0]
            c = (op, *(round(v) for v in c[1:]))
            if op == "M":
                out.append(f'<a:moveTo><a:pt x="{c[1]}" y="{c[2]}"/></a:moveTo>')
            elif op == "L":
                out.append(f'<a:lnTo><a:pt x="{c[1]}" y="{c[2]}"/></a:lnTo>')
            elif op == "C":
                out.append(f'<a:cubicBezTo><a:pt x="{c[1]}" y="{c[2]}"/>'
                           f'<a:pt x="{c[3]}" y="{c[4]}"/><a:pt x="{c[5]}" y="{c[6]}"/>'
                           "</a:cubicBezTo>")
            else:
                out.append("<a:close/>")
        fill = "" if closed else ' fill="none"'
        paths.append(f'<a:path w="{max(el.w, 1)}" h="{max(el.h, 1)}"{fill}>{"".join(out)}'
                     "</a:path>")
    geometry = ('<a:custGeom><a:avLst/><a:gdLst/><a:ahLst/><a:cxnLst/>'
                '<a:rect l="l" t="t" r="r" b="b"/>'
                f'<a:pathLst>{"".join(paths)}</a:pathLst></a:custGeom>')
    decorative = el.kind == "icon"
    return (f"<p:sp {NSDECL}><p:nvSpPr>{c_nv_pr(shape_id, el.name, decorative=decorative)}"
            f"<p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr>{xfrm(el.x, el.y, el.w, el.h)}"
            f"{geometry}{solid(el.fill)}"
            f"{line_xml(el.line, el.line_w, round_caps=decorative)}</p:spPr></p:sp>")


def line_cxn(el, shape_id: int) -> str:
    x, y = min(el.x1, el.x2), min(el.y1, el.y2)
    w, h = abs(el.x2 - el.x1), abs(el.y2 - el.y1)
    flip = (' flipH="1"' if el.x2 < el.x1 else "") + (' flipV="1"' if el.y2 < el.y1 else "")
    return (f"<p:cxnSp {NSDECL}><p:nvCxnSpPr>{c_nv_pr(shape_id, el.name, decorative=True)}"
            f"<p:cNvCxnSpPr/><p:nvPr/></p:nvCxnSpPr><p:spPr>{xfrm(x, y, w, h, flip)}"
            '<a:prstGeom prst="line"><a:avLst/></a:prstGeom>'
            f"{line_xml(el.colour, el.width, dash=el.dash)}</p:spPr></p:cxnSp>")


def group_open(el, shape_id: int, bounds: tuple[int, int, int, int]) -> str:
    x, y, w, h = (round(v) for v in bounds)
    return (f"<p:grpSp {NSDECL}><p:nvGrpSpPr>{c_nv_pr(shape_id, el.name, el.alt)}"
            "<p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr>"
            f'<a:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{w}" cy="{h}"/>'
            f'<a:chOff x="{x}" y="{y}"/><a:chExt cx="{w}" cy="{h}"/></a:xfrm></p:grpSpPr>')


def footer_sp(shape_id: int, idx: int, kind: str, text: str, lang: str) -> str:
    """A footer or slide-number placeholder as the layout has it (python-pptx skips them)."""
    if kind == "sldNum":
        inner = (f'<a:fld id="{SLIDENUM_FIELD}" type="slidenum"><a:rPr lang="{lang}"/>'
                 f"<a:t>{escape(text)}</a:t></a:fld>")
    else:
        inner = f'<a:r><a:rPr lang="{lang}" dirty="0"/><a:t>{escape(text)}</a:t></a:r>'
    name = "Slide Number" if kind == "sldNum" else "Footer"
    return (f"<p:sp {NSDECL}><p:nvSpPr>{c_nv_pr(shape_id, name)}"
            '<p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr>'
            f'<p:nvPr><p:ph type="{kind}" sz="quarter" idx="{idx}"/></p:nvPr></p:nvSpPr>'
            "<p:spPr/><p:txBody><a:bodyPr/><a:lstStyle/>"
            f'<a:p>{inner}<a:endParaRPr lang="{lang}"/></a:p></p:txBody></p:sp>')


# ------------------------------------------------------------------------------------------
# python-pptx objects
# ------------------------------------------------------------------------------------------


def parse(xml: str):
    from pptx.oxml import parse_xml

    return parse_xml(xml)


def fast_partnames(package) -> None:
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


def sp_tree(slide):
    return slide.shapes._spTree


PH_PATH = f"{{{NS_P}}}nvSpPr/{{{NS_P}}}nvPr/{{{NS_P}}}ph"


def placeholder_elements(slide) -> dict[int, object]:
    out = {}
    for sp in slide.shapes._spTree.iterchildren():
        ph = sp.find(PH_PATH)
        if ph is not None:
            out[int(ph.get("idx", "0"))] = sp
    return out


def footer_placeholders(layout) -> dict[int, str]:
    """The layout's footer and slide-number placeholders: idx -> type."""
    out = {}
    for sp in layout.shapes._spTree.iterchildren():
        ph = sp.find(PH_PATH)
        if ph is not None and ph.get("type") in ("ftr", "sldNum"):
            out[int(ph.get("idx", "0"))] = ph.get("type")
    return out


def fill_placeholder(sp, el, lang: str, link: Callable[[str], str]) -> None:
    """Place a placeholder exactly where the plan says and give it the plan's paragraphs."""
    sppr = sp.find(f"{{{NS_P}}}spPr")
    for child in list(sppr):
        sppr.remove(child)
    sppr.append(parse(f"<root {NSDECL}>{xfrm(el.x, el.y, el.w, el.h)}</root>")[0])
    if el.fill:
        sppr.append(parse(f"<root {NSDECL}>{solid(el.fill)}</root>")[0])
    old = sp.find(f"{{{NS_P}}}txBody")
    new = parse(f"<root {NSDECL}>{body_xml(el.paras, el.anchor, lang, link)}</root>")[0]
    if old is not None:
        sp.replace(old, new)
    else:
        sp.append(new)
    tree = sp.getparent()
    tree.remove(sp)
    tree.append(sp)  # drawn in the plan's order, over any card placed before it


def next_id(slide) -> int:
    ids = [int(e.get("id")) for e in slide.shapes._spTree.iter(f"{{{NS_P}}}cNvPr")]
    return max(ids, default=1) + 1


def set_alt_text(shape, text: str) -> None:
    shape._element.xpath("./*[1]/p:cNvPr")[0].set("descr", text)


def set_id(shape, shape_id: int) -> None:
    """python-pptx numbers the shapes it adds itself: renumber them into the slide's count."""
    shape._element.xpath("./*[1]/p:cNvPr")[0].set("id", str(shape_id))


def set_notes(slide, text: str) -> None:
    slide.notes_slide.notes_text_frame.text = text


def table_cells(graphic_frame, cells, lang: str, link: Callable[[str], str]) -> None:
    """Fill a table's cells with the plan's paragraphs (and its widths and heights)."""
    tbl = graphic_frame._element.xpath(".//a:tbl")[0]
    rows = tbl.xpath("./a:tr")
    for tr, row in zip(rows, cells, strict=True):
        for tc, paras in zip(tr.xpath("./a:tc"), row, strict=True):
            old = tc.find(f"{{{NS_A}}}txBody")
            body = body_xml(paras, "t", lang, link, tag="a:txBody", insets=(91440, 22860))
            new = parse(f"<root {NSDECL}>{body}</root>")[0]
            tc.replace(old, new)
            tcpr = tc.find(f"{{{NS_A}}}tcPr")
            if tcpr is not None:
                tcpr.set("anchor", "ctr")
                for side, value in (("marL", 91440), ("marR", 91440), ("marT", 22860),
                                    ("marB", 22860)):
                    tcpr.set(side, str(value))


def tune_chart(chart, el) -> None:
    """Bars in the theme's muted colour, the highlighted ones in the accent, the plot area
    exactly where the plan drew the reference lines, and schema-valid axis ids."""
    from pptx.oxml.ns import qn

    space = chart._chartSpace
    for axis in space.xpath(".//c:axId | .//c:crossAx"):
        # python-pptx writes negative axis ids; the schema wants unsigned ints
        axis.set("val", str(int(axis.get("val")) & 0x7FFFFFFF))
    plot_area = space.xpath(".//c:plotArea")[0]
    x, y, w, h = el.plot
    layout = parse(
        '<c:layout xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart">'
        '<c:manualLayout><c:layoutTarget val="inner"/><c:xMode val="edge"/>'
        f'<c:yMode val="edge"/><c:x val="{x:.5f}"/><c:y val="{y:.5f}"/><c:w val="{w:.5f}"/>'
        f'<c:h val="{h:.5f}"/></c:manualLayout></c:layout>')
    existing = plot_area.find(qn("c:layout"))
    if existing is not None:
        plot_area.replace(existing, layout)
    else:
        plot_area.insert(0, layout)
    for cat_ax in space.xpath(".//c:catAx"):
        skip = cat_ax.makeelement(qn("c:tickLblSkip"), {"val": "1"})
        later = cat_ax.xpath("./c:tickMarkSkip | ./c:noMultiLvlLbl | ./c:extLst")
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


def remove(element) -> None:
    element.getparent().remove(element)
