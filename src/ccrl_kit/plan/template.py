"""The deck template's geometry: slide size and the placeholder boxes of each named layout.

Read once per template file (cached by path, size and modification time) straight from the
package's XML, so the plan can place and measure everything without python-pptx.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.etree import ElementTree as ET

from ccrl_kit.errors import BuildError

NS = {
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


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
class Layout:
    name: str
    boxes: dict[int, Box]  # placeholder idx -> box (0 title, 11 footer, 12 slide number)
    types: dict[int, str]  # placeholder idx -> type (title, body, ftr, sldNum, ...)
    dark: bool = False  # a dark background: text on it is light


@dataclass(frozen=True)
class Geometry:
    size: tuple[int, int]
    layouts: dict[str, Layout]

    def layout(self, name: str) -> Layout:
        return self.layouts[name]


def read_geometry(path: Path) -> Geometry:
    stat = path.stat()
    return _read(str(path), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=8)
def _read(path: str, size: int, mtime: int) -> Geometry:
    try:
        with zipfile.ZipFile(path) as z:
            pres = ET.fromstring(z.read("ppt/presentation.xml"))
            sld = pres.find("p:sldSz", NS)
            slide_size = (int(sld.get("cx")), int(sld.get("cy"))) if sld is not None else (
                12192000, 6858000)
            masters: dict[str, dict[str, Box]] = {}
            layouts: dict[str, Layout] = {}
            for name in sorted(n for n in z.namelist()
                               if n.startswith("ppt/slideLayouts/slideLayout")
                               and n.endswith(".xml")):
                root = ET.fromstring(z.read(name))
                master = _master_of(z, name)
                if master not in masters:
                    masters[master] = _master_boxes(z, master)
                layout = _layout(root, masters[master])
                layouts.setdefault(layout.name, layout)
    except (OSError, KeyError, zipfile.BadZipFile, ET.ParseError) as exc:
        raise BuildError(f"{Path(path).name}: not a readable slide template ({exc})") from None
    return Geometry(slide_size, layouts)


def _master_of(z: zipfile.ZipFile, layout: str) -> str:
    rels = layout.replace("slideLayouts/", "slideLayouts/_rels/") + ".rels"
    for rel in ET.fromstring(z.read(rels)).iter(REL):
        if rel.get("Type", "").endswith("/slideMaster"):
            return "ppt/slideMasters/" + rel.get("Target", "").rsplit("/", 1)[-1]
    return ""


def _master_boxes(z: zipfile.ZipFile, master: str) -> dict[str, Box]:
    if not master or master not in z.namelist():
        return {}
    root = ET.fromstring(z.read(master))
    boxes = {}
    for sp in root.iter(f"{{{NS['p']}}}sp"):
        ph = sp.find(".//p:nvPr/p:ph", NS)
        box = _xfrm(sp)
        if ph is not None and box is not None:
            boxes.setdefault(_kind(ph.get("type", "body")), box)
    return boxes


def _kind(ph_type: str) -> str:
    return {"ctrTitle": "title", "subTitle": "body", "obj": "body"}.get(ph_type, ph_type)


def _xfrm(sp: ET.Element) -> Box | None:
    off = sp.find("p:spPr/a:xfrm/a:off", NS)
    ext = sp.find("p:spPr/a:xfrm/a:ext", NS)
    if off is None or ext is None:
        return None
    return Box(int(off.get("x")), int(off.get("y")), int(ext.get("cx")), int(ext.get("cy")))


def _layout(root: ET.Element, master: dict[str, Box]) -> Layout:
    csld = root.find("p:cSld", NS)
    name = csld.get("name", "") if csld is not None else ""
    boxes: dict[int, Box] = {}
    types: dict[int, str] = {}
    for sp in root.iter(f"{{{NS['p']}}}sp"):
        ph = sp.find(".//p:nvPr/p:ph", NS)
        if ph is None:
            continue
        kind = ph.get("type", "body")
        idx = int(ph.get("idx", "0"))
        box = _xfrm(sp) or master.get(_kind(kind))
        if box is not None:
            boxes[idx] = box
            types[idx] = kind
    fill = root.find("p:cSld/p:bg/p:bgPr/a:solidFill/a:schemeClr", NS)
    dark = fill is not None and fill.get("val") in ("tx1", "tx2", "dk1", "dk2", "accent1")
    return Layout(name, boxes, types, dark)
