"""The deck template's geometry, and which of its layouts draws each kind of slide.

The deck asks for nine layout *roles* (:data:`ROLES`, named like the layouts of the shipped
template). Each role is given a layout of the template, in this order:

1. the layout ``ccrl.yaml`` names for the role (``layouts: {Quote: "Zitat"}``);
2. a layout whose name is the role's name (case and spaces aside);
3. a layout of the role's kind by its placeholders: the layout type PowerPoint records
   (``title``, ``secHead``, ``obj``, ``twoObj``, ...) or, failing that, its placeholders (a
   title and two bodies for Two Content, ...);
4. the layout of a related role (a quote is drawn on the Title and Content layout, the closing
   on the Section layout, ...).

Each layout's placeholders are read into *slots* the plan places text in (0 title, 1 and 2 the
first and second body or subtitle, 10 date, 11 footer, 12 slide number) with the template's own
placeholder index, so a template numbering its placeholders differently still fills them. A
course field with no placeholder (the title slide's details, the footer, the slide number) is
drawn as a text box where the master would put it: never dropped.

Geometry is read once per template package (the normalised bytes the renderer also draws on)
straight from the package's XML, without python-pptx.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from xml.etree import ElementTree as ET

from ccrl_kit.errors import BuildError
from ccrl_kit.settings import LAYOUT_ROLES as ROLES

NS = {
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
R_ID = f"{{{NS['r']}}}id"
DECK_FONT = "Calibri"  # the font the plan measures (with Carlito, its metric twin)

# slots: where the plan puts what
TITLE, BODY, BODY2, DATE, FOOTER, NUMBER = 0, 1, 2, 10, 11, 12
BODY_TYPES = ("body", "obj", "subTitle", "tbl", "chart", "pic", "dgm", "media", "clipArt")

# the layout types PowerPoint records for each role, best first
TYPES = {
    "Title": ("title",),
    "Section": ("secHead",),
    "Title and Content": ("obj", "tx"),
    "Two Content": ("twoObj", "twoColTx", "twoTxTwoObj"),
    "Table or Chart": ("tbl", "chart", "titleOnly"),
}
# what a layout of the role holds when its type says nothing: (title, bodies)
SHAPE = {
    "Title": (True, 1),
    "Section": (True, 1),
    "Title and Content": (True, 1),
    "Two Content": (True, 2),
    "Table or Chart": (True, 0),
}
# a role the template has no layout for is drawn on a related role's layout
RELATED = {
    "Title": ("Section", "Title and Content"),
    "Section": ("Title", "Title and Content"),
    "Two Content": ("Title and Content",),
    "Quote": ("Title and Content",),
    "Case Study": ("Title and Content",),
    "Question": ("Title and Content",),
    "Table or Chart": ("Title and Content",),
    "Closing": ("Section", "Title"),
}
# the order roles are matched in (related roles are settled before the roles that borrow them)
ORDER = ("Title and Content", "Title", "Section", "Two Content", "Table or Chart", "Quote",
         "Case Study", "Question", "Closing")


@dataclass(frozen=True)
class Box:
    x: int
    y: int
    w: int
    h: int

    @property
    def bottom(self) -> int:
        return self.y + self.h

    @property
    def right(self) -> int:
        return self.x + self.w


@dataclass(frozen=True)
class Placeholder:
    idx: int  # the template's own index
    type: str  # title, ctrTitle, subTitle, body, obj, pic, dt, ftr, sldNum, ...
    name: str
    box: Box
    pt: float = 0.0  # the size its text is set in (first level), 0: not said
    inset_x: int = 91440  # its left and right text insets, EMU


@dataclass(frozen=True)
class Layout:
    name: str
    type: str  # the layout type PowerPoint records (title, secHead, obj, cust, ...)
    placeholders: tuple[Placeholder, ...]
    dark: bool = False  # a dark background: text on it is light
    boxes: dict[int, Box] = field(default_factory=dict)  # slot -> box
    idx: dict[int, int] = field(default_factory=dict)  # slot -> the template's placeholder idx

    def slot(self, slot: int) -> Placeholder | None:
        """The placeholder filling ``slot``, if the layout has one."""
        idx = self.idx.get(slot)
        return next((p for p in self.placeholders if p.idx == idx), None) \
            if idx is not None else None

    @property
    def bodies(self) -> int:
        return sum(1 for s in (BODY, BODY2) if s in self.idx)


@dataclass(frozen=True)
class Match:
    layout: Layout
    how: str  # mapped | name | type | placeholders | related
    via: str = ""  # for ``related``: the role whose layout it borrows


@dataclass(frozen=True)
class Geometry:
    size: tuple[int, int]
    layouts: dict[str, Layout]  # by name, in the template's order (the first of a name)
    roles: dict[str, Match] = field(default_factory=dict)
    master: dict[int, Box] = field(default_factory=dict)  # the master's slots (footer, ...)
    fonts: tuple[str, str] = (DECK_FONT, DECK_FONT)  # the theme's heading and body fonts
    name: str = "deck.pptx"

    def layout(self, role: str) -> Layout:
        return self.roles[role].layout


def read_geometry(template: Path | bytes, layouts: dict[str, str] | None = None, *,
                  name: str = "") -> Geometry:
    """The template's geometry with each role matched to a layout (``layouts``: the
    workspace's ``layouts:`` mapping, role -> layout name)."""
    if isinstance(template, Path):
        shown = name or template.name
        try:
            data = template.read_bytes()
        except OSError as exc:
            raise BuildError(f"deck template {shown}: cannot read it ({exc.strerror})") from None
    else:
        data, shown = template, name or "deck template"
    geometry = _read(hashlib.sha256(data).hexdigest(), data, shown)
    return match_roles(geometry, layouts or {})


def match_roles(geo: Geometry, mapping: dict[str, str]) -> Geometry:
    roles: dict[str, Match] = {}
    for role, wanted in mapping.items():
        if role not in ROLES:
            raise BuildError(f"ccrl.yaml: layouts: unknown slide layout role '{role}' "
                             f"(the roles: {', '.join(ROLES)})")
        if wanted not in geo.layouts:
            raise BuildError(
                f"ccrl.yaml: layouts: {role}: the template {geo.name} has no layout named "
                f"'{wanted}' (it has: {', '.join(repr(n) for n in geo.layouts)})")
        roles[role] = Match(geo.layouts[wanted], "mapped")
    by_key = {_key(n): lay for n, lay in reversed(geo.layouts.items())}
    for role in ORDER:
        if role in roles:
            continue
        if _key(role) in by_key:
            roles[role] = Match(by_key[_key(role)], "name")
            continue
    taken = {m.layout.name for m in roles.values()}
    for role in ORDER:
        if role in roles:
            continue
        found = _by_placeholders(role, geo.layouts.values(), taken)
        if found:
            roles[role] = found
            taken.add(found.layout.name)
    for role in ORDER:
        if role in roles:
            continue
        for other in RELATED.get(role, ()):
            if other in roles:
                roles[role] = Match(roles[other].layout, "related", other)
                break
    missing = [role for role in ROLES if role not in roles]
    if missing:
        raise BuildError(
            f"deck template {geo.name}: no slide layout with a title placeholder to draw "
            + ", ".join(missing) + " on; add one, or name one under 'layouts:' in ccrl.yaml")
    return Geometry(geo.size, geo.layouts, {r: roles[r] for r in ROLES}, geo.master,
                    geo.fonts, geo.name)


def _key(name: str) -> str:
    return "".join(name.split()).casefold()


def _by_placeholders(role: str, layouts, taken: set[str]) -> Match | None:
    """A layout of the role's kind: by the type PowerPoint records, then by placeholders (a
    title slide has a subtitle; a section divider is a dark title-and-body layout; two
    contents sit side by side)."""
    if role not in SHAPE:
        return None
    free = [lay for lay in layouts if lay.name not in taken and TITLE in lay.idx]
    for kind in TYPES[role]:
        for lay in free:
            if lay.type == kind:
                return Match(lay, "type")
    opening = [lay for lay in free if _has(lay, "subTitle") or _has(lay, "ctrTitle")]
    plain = [lay for lay in free if lay not in opening]
    if role == "Title":
        found = opening
    elif role == "Two Content":
        found = [lay for lay in plain if lay.bodies == 2 and _side_by_side(lay)]
    elif role == "Section":
        found = [lay for lay in plain if lay.bodies == 1 and lay.dark]
    else:
        bodies = SHAPE[role][1]
        found = [lay for lay in plain if lay.bodies == bodies and not lay.dark] or \
            [lay for lay in plain if lay.bodies == bodies]
    return Match(found[0], "placeholders") if found else None


def _has(lay: Layout, kind: str) -> bool:
    return any(p.type == kind for p in lay.placeholders)


def _side_by_side(lay: Layout) -> bool:
    a, b = lay.boxes[BODY], lay.boxes[BODY2]
    return a.y < b.bottom and b.y < a.bottom and (a.right <= b.x or b.right <= a.x)


@lru_cache(maxsize=8)
def _read(digest: str, data: bytes, shown: str) -> Geometry:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return _geometry(z, shown)
    except (OSError, KeyError, zipfile.BadZipFile, ET.ParseError, ValueError,
            TypeError) as exc:
        raise BuildError(f"deck template {shown}: not a readable slide template "
                         f"({type(exc).__name__}: {exc})") from None


def _geometry(z: zipfile.ZipFile, shown: str) -> Geometry:
    pres_name = _main_part(z)
    pres = ET.fromstring(z.read(pres_name))
    sld = pres.find("p:sldSz", NS)
    size = ((int(sld.attrib["cx"]), int(sld.attrib["cy"])) if sld is not None
            else (12192000, 6858000))
    pres_rels = _rels(z, pres_name)
    layouts: dict[str, Layout] = {}
    first_master: dict[int, Box] = {}
    fonts = (DECK_FONT, DECK_FONT)
    masters = [pres_rels[rid] for m in pres.iterfind("p:sldMasterIdLst/p:sldMasterId", NS)
               if (rid := m.get(R_ID)) is not None and rid in pres_rels]
    for n, master_name in enumerate(masters):
        master = ET.fromstring(z.read(master_name))
        master_rels = _rels(z, master_name)
        theme = _theme(z, master_rels)
        colours = _colours(theme, master)
        boxes = _master_boxes(master)
        text = _master_text(master)
        if n == 0:
            first_master = {slot: box for slot, box in (
                (DATE, boxes.get("dt")), (FOOTER, boxes.get("ftr")),
                (NUMBER, boxes.get("sldNum")), (TITLE, boxes.get("title")),
                (BODY, boxes.get("body"))) if box is not None}
            fonts = _fonts(theme)
        master_dark = _dark(master, colours, None)
        for ref in master.iterfind("p:sldLayoutIdLst/p:sldLayoutId", NS):
            rid = ref.get(R_ID)
            target = master_rels.get(rid) if rid is not None else None
            if target is None:
                continue
            layout = _layout(ET.fromstring(z.read(target)), boxes, text, colours, master_dark)
            layouts.setdefault(layout.name, layout)
    if not layouts:
        raise BuildError(f"deck template {shown}: it has no slide layouts")
    return Geometry(size, layouts, {}, first_master, fonts, shown)


def _main_part(z: zipfile.ZipFile) -> str:
    for rel in ET.fromstring(z.read("_rels/.rels")).iter(REL):
        if rel.get("Type", "").endswith("/officeDocument"):
            return rel.get("Target", "").lstrip("/")
    return "ppt/presentation.xml"


def _rels(z: zipfile.ZipFile, part: str) -> dict[str, str]:
    """A part's internal relationships: id -> the target's member name."""
    import posixpath

    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", name + ".rels")
    if rels not in z.namelist():
        return {}
    out = {}
    for rel in ET.fromstring(z.read(rels)).iter(REL):
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join(folder, target))
        out[rel.get("Id", "")] = path
    return out


def _theme(z: zipfile.ZipFile, master_rels: dict[str, str]) -> ET.Element | None:
    for target in master_rels.values():
        if "/theme/" in target and target in z.namelist():
            return ET.fromstring(z.read(target))
    return None


def _fonts(theme: ET.Element | None) -> tuple[str, str]:
    if theme is None:
        return (DECK_FONT, DECK_FONT)
    major = theme.find(".//a:fontScheme/a:majorFont/a:latin", NS)
    minor = theme.find(".//a:fontScheme/a:minorFont/a:latin", NS)
    return (major.get("typeface", "") if major is not None else "",
            minor.get("typeface", "") if minor is not None else "")


def _colours(theme: ET.Element | None, master: ET.Element) -> dict[str, str]:
    """Scheme colour names (and their clrMap aliases bg1, tx1, ...) -> RRGGBB."""
    out: dict[str, str] = {}
    scheme = theme.find(".//a:clrScheme", NS) if theme is not None else None
    if scheme is not None:
        for slot in scheme:
            tag = slot.tag.rsplit("}", 1)[-1]
            colour = slot.find("a:srgbClr", NS)
            system = slot.find("a:sysClr", NS)
            if colour is not None:
                out[tag] = colour.get("val", "FFFFFF")
            elif system is not None:
                out[tag] = system.get("lastClr", "FFFFFF")
    cmap = master.find("p:clrMap", NS)
    if cmap is not None:
        for alias, name in cmap.attrib.items():
            if name in out:
                out[alias] = out[name]
    return out


def _dark(root: ET.Element, colours: dict[str, str], inherited: bool | None) -> bool:
    """Whether a layout's (or master's) background is dark; ``inherited`` when it has none."""
    bg = root.find("p:cSld/p:bg", NS)
    if bg is None:
        return bool(inherited)
    colour = None
    for path in ("p:bgPr/a:solidFill/*", "p:bgPr/a:gradFill/a:gsLst/a:gs/*", "p:bgRef/*"):
        colour = bg.find(path, NS)
        if colour is not None:
            break
    if colour is None:  # a picture or pattern: take the text colour the master sets
        return bool(inherited)
    tag = colour.tag.rsplit("}", 1)[-1]
    value = colour.get("val", "")
    if tag == "schemeClr":
        value = colours.get(value, "FFFFFF")
    elif tag == "sysClr":
        value = colour.get("lastClr", "FFFFFF")
    elif tag != "srgbClr":
        return bool(inherited)
    try:
        r, g, b = (int(value[i:i + 2], 16) / 255 for i in (0, 2, 4))
    except ValueError:
        return bool(inherited)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.45


def _master_boxes(master: ET.Element) -> dict[str, Box]:
    boxes: dict[str, Box] = {}
    for sp in master.iter(f"{{{NS['p']}}}sp"):
        ph = sp.find("p:nvSpPr/p:nvPr/p:ph", NS)
        box = _xfrm(sp)
        if ph is not None and box is not None:
            boxes.setdefault(_kind(ph.get("type", "body")), box)
    return boxes


def _master_text(master: ET.Element) -> dict[str, tuple[float, int]]:
    """Per placeholder kind of the master: (text size, pt; text inset, EMU)."""
    out: dict[str, tuple[float, int]] = {}
    for sp in master.iter(f"{{{NS['p']}}}sp"):
        ph = sp.find("p:nvSpPr/p:nvPr/p:ph", NS)
        if ph is not None:
            out.setdefault(_kind(ph.get("type", "body")), (_size(sp), _inset(sp)))
    return out


def _size(sp: ET.Element) -> float:
    rpr = sp.find("p:txBody/a:lstStyle/a:lvl1pPr/a:defRPr", NS)
    if rpr is None or not rpr.get("sz", "").isdigit():
        return 0.0
    return int(rpr.get("sz", "")) / 100


def _inset(sp: ET.Element) -> int:
    body = sp.find("p:txBody/a:bodyPr", NS)
    if body is None:
        return -1
    values = [body.get(side) for side in ("lIns", "rIns")]
    if any(v is None or not v.isdigit() for v in values):
        return -1
    return max(int(v) for v in values if v is not None)


def _kind(ph_type: str) -> str:
    return {"ctrTitle": "title", "subTitle": "body", "obj": "body"}.get(ph_type, ph_type)


def _xfrm(sp: ET.Element) -> Box | None:
    off = sp.find("p:spPr/a:xfrm/a:off", NS)
    ext = sp.find("p:spPr/a:xfrm/a:ext", NS)
    if off is None or ext is None:
        return None
    return Box(int(off.get("x", 0)), int(off.get("y", 0)), int(ext.get("cx", 0)),
               int(ext.get("cy", 0)))


def _layout(root: ET.Element, master: dict[str, Box], text: dict[str, tuple[float, int]],
            colours: dict[str, str], master_dark: bool) -> Layout:
    csld = root.find("p:cSld", NS)
    name = csld.get("name", "") if csld is not None else ""
    placeholders: list[Placeholder] = []
    for sp in root.iter(f"{{{NS['p']}}}sp"):
        ph = sp.find("p:nvSpPr/p:nvPr/p:ph", NS)
        if ph is None:
            continue
        kind = ph.get("type", "body")
        box = _xfrm(sp) or master.get(_kind(kind))
        if box is None:
            continue
        c_nv = sp.find("p:nvSpPr/p:cNvPr", NS)
        pt, inset = _size(sp), _inset(sp)
        inherited = text.get(_kind(kind), (0.0, -1))
        inset = inset if inset >= 0 else inherited[1]
        placeholders.append(Placeholder(int(ph.get("idx", "0")), kind,
                                        c_nv.get("name", "") if c_nv is not None else "", box,
                                        pt or inherited[0], inset if inset >= 0 else 91440))
    boxes: dict[int, Box] = {}
    idx: dict[int, int] = {}
    for p in placeholders:
        slot = {"title": TITLE, "ctrTitle": TITLE, "dt": DATE, "ftr": FOOTER,
                "sldNum": NUMBER}.get(p.type)
        if slot is not None and slot not in idx:
            boxes[slot], idx[slot] = p.box, p.idx
    bodies = sorted((p for p in placeholders if p.type in BODY_TYPES),
                    key=lambda p: (p.type != "subTitle", p.box.y, p.box.x))
    for slot, p in zip((BODY, BODY2), bodies, strict=False):
        boxes[slot], idx[slot] = p.box, p.idx
    return Layout(name, root.get("type", "cust"), tuple(placeholders),
                  _dark(root, colours, master_dark), boxes, idx)
