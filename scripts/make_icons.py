"""Convert a few Lucide icons (ISC licence, see the icons' LICENSE) into the package's
``data/icons/icons.json``: plain path commands in the icons' 24 x 24 grid, ready to become
DrawingML freeform geometry.

Run once, from a folder holding the unpacked npm package (``npm pack lucide-static``)::

    python scripts/make_icons.py package/icons

SVG arcs, circles and rounded rectangles become cubic Bézier curves, so the deck needs only
moveTo, lnTo, cubicBezTo and close.
"""

from __future__ import annotations

import json
import math
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

# the icon a slide kind shows -> the Lucide icon drawn for it
ICONS = {
    "discussion": "messages-square",
    "activity": "users",
    "case": "briefcase",
    "decision": "signpost-big",
    "quote": "quote",
    "key": "key",
    "time": "timer",
    "check": "clipboard-check",
    "evaluation": "clipboard-list",
    "certificate": "award",
    "sources": "book-open",
    "objectives": "target",
    "link": "link",
    "info": "info",
    "law": "landmark",
    "idea": "lightbulb",
}

DATA = Path(__file__).resolve().parent.parent / "src" / "ccrl_kit" / "data"
OUT = DATA / "icons" / "icons.json"
NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")
TOKEN = re.compile(r"[MmLlHhVvCcSsQqAaZz]|[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")
K = 0.5522847498  # a quarter circle as one cubic curve


def r(value: float) -> float:
    return round(value, 3)


def arc_to_cubics(x1, y1, rx, ry, phi, large, sweep, x2, y2):
    """An SVG endpoint arc as cubic curves (SVG 1.1 implementation notes, F.6)."""
    if rx == 0 or ry == 0 or (x1, y1) == (x2, y2):
        return [("L", x2, y2)]
    rx, ry = abs(rx), abs(ry)
    cos, sin = math.cos(math.radians(phi)), math.sin(math.radians(phi))
    dx, dy = (x1 - x2) / 2, (y1 - y2) / 2
    x1p, y1p = cos * dx + sin * dy, -sin * dx + cos * dy
    lam = x1p**2 / rx**2 + y1p**2 / ry**2
    if lam > 1:
        rx, ry = rx * math.sqrt(lam), ry * math.sqrt(lam)
    num = rx**2 * ry**2 - rx**2 * y1p**2 - ry**2 * x1p**2
    den = rx**2 * y1p**2 + ry**2 * x1p**2
    coef = math.sqrt(max(num / den, 0)) * (-1 if large == sweep else 1)
    cxp, cyp = coef * rx * y1p / ry, -coef * ry * x1p / rx
    cx = cos * cxp - sin * cyp + (x1 + x2) / 2
    cy = sin * cxp + cos * cyp + (y1 + y2) / 2

    def angle(ux, uy, vx, vy):
        a = math.atan2(ux * vy - uy * vx, ux * vx + uy * vy)
        return a

    t1 = angle(1, 0, (x1p - cxp) / rx, (y1p - cyp) / ry)
    dt = angle((x1p - cxp) / rx, (y1p - cyp) / ry, (-x1p - cxp) / rx, (-y1p - cyp) / ry)
    if not sweep and dt > 0:
        dt -= 2 * math.pi
    elif sweep and dt < 0:
        dt += 2 * math.pi
    parts = max(1, math.ceil(abs(dt) / (math.pi / 2) - 1e-9))
    step = dt / parts
    alpha = 4 / 3 * math.tan(step / 4)
    out = []
    for i in range(parts):
        a0, a1 = t1 + i * step, t1 + (i + 1) * step
        p0 = (math.cos(a0), math.sin(a0))
        p3 = (math.cos(a1), math.sin(a1))
        p1 = (p0[0] - alpha * p0[1], p0[1] + alpha * p0[0])
        p2 = (p3[0] + alpha * p3[1], p3[1] - alpha * p3[0])

        def place(p):
            x, y = p[0] * rx, p[1] * ry
            return cos * x - sin * y + cx, sin * x + cos * y + cy

        out.append(("C", *place(p1), *place(p2), *place(p3)))
    return out


def path_commands(d: str) -> list[list]:
    tokens = TOKEN.findall(d)
    out: list[list] = []
    i, cmd = 0, ""
    x = y = sx = sy = 0.0
    last_c2 = None

    def num():
        nonlocal i
        value = float(tokens[i])
        i += 1
        return value

    def flag():
        """Arc flags may run into the next number ("0022" is 0, 0, 22)."""
        nonlocal i
        token = tokens[i]
        if len(token) == 1:
            i += 1
            return int(token)
        tokens[i] = token[1:]
        return int(token[0])

    while i < len(tokens):
        if re.fullmatch(r"[A-Za-z]", tokens[i]):
            cmd = tokens[i]
            i += 1
        rel = cmd.islower()
        c = cmd.upper()
        ox, oy = (x, y) if rel else (0.0, 0.0)
        if c == "Z":
            out.append(["Z"])
            x, y = sx, sy
            last_c2 = None
            continue
        if c == "M":
            x, y = ox + num(), oy + num()
            sx, sy = x, y
            out.append(["M", x, y])
            cmd = "l" if rel else "L"
            last_c2 = None
        elif c == "L":
            x, y = ox + num(), oy + num()
            out.append(["L", x, y])
            last_c2 = None
        elif c == "H":
            x = ox + num() if rel else num()
            out.append(["L", x, y])
            last_c2 = None
        elif c == "V":
            y = oy + num() if rel else num()
            out.append(["L", x, y])
            last_c2 = None
        elif c == "C":
            x1, y1, x2, y2 = ox + num(), oy + num(), ox + num(), oy + num()
            x, y = ox + num(), oy + num()
            out.append(["C", x1, y1, x2, y2, x, y])
            last_c2 = (x2, y2)
        elif c == "S":
            x1, y1 = (2 * x - last_c2[0], 2 * y - last_c2[1]) if last_c2 else (x, y)
            x2, y2 = ox + num(), oy + num()
            x, y = ox + num(), oy + num()
            out.append(["C", x1, y1, x2, y2, x, y])
            last_c2 = (x2, y2)
        elif c == "Q":
            qx, qy = ox + num(), oy + num()
            ex, ey = ox + num(), oy + num()
            out.append(["C", x + 2 / 3 * (qx - x), y + 2 / 3 * (qy - y),
                        ex + 2 / 3 * (qx - ex), ey + 2 / 3 * (qy - ey), ex, ey])
            x, y = ex, ey
            last_c2 = None
        elif c == "A":
            rx, ry, phi = num(), num(), num()
            large, sweep = flag(), flag()
            ex, ey = ox + num(), oy + num()
            for seg in arc_to_cubics(x, y, rx, ry, phi, int(large), int(sweep), ex, ey):
                out.append(list(seg))
            x, y = ex, ey
            last_c2 = None
        else:
            raise ValueError(f"unsupported path command {cmd!r}")
    return out


def ellipse(cx: float, cy: float, rx: float, ry: float) -> list[list]:
    kx, ky = rx * K, ry * K
    return [
        ["M", cx + rx, cy],
        ["C", cx + rx, cy + ky, cx + kx, cy + ry, cx, cy + ry],
        ["C", cx - kx, cy + ry, cx - rx, cy + ky, cx - rx, cy],
        ["C", cx - rx, cy - ky, cx - kx, cy - ry, cx, cy - ry],
        ["C", cx + kx, cy - ry, cx + rx, cy - ky, cx + rx, cy],
        ["Z"],
    ]


def rect(x: float, y: float, w: float, h: float, rx: float, ry: float) -> list[list]:
    if not rx and not ry:
        return [["M", x, y], ["L", x + w, y], ["L", x + w, y + h], ["L", x, y + h], ["Z"]]
    rx = rx or ry
    ry = ry or rx
    d = (f"M{x + rx} {y}H{x + w - rx}A{rx} {ry} 0 0 1 {x + w} {y + ry}V{y + h - ry}"
         f"A{rx} {ry} 0 0 1 {x + w - rx} {y + h}H{x + rx}A{rx} {ry} 0 0 1 {x} {y + h - ry}"
         f"V{y + ry}A{rx} {ry} 0 0 1 {x + rx} {y}Z")
    return path_commands(d)


def element_commands(el: ET.Element) -> list[list]:
    tag = el.tag.rsplit("}", 1)[-1]
    a = {k: float(v) for k, v in el.attrib.items() if NUMBER.fullmatch(v or "")}
    if tag == "path":
        return path_commands(el.get("d", ""))
    if tag == "circle":
        return ellipse(a["cx"], a["cy"], a["r"], a["r"])
    if tag == "ellipse":
        return ellipse(a["cx"], a["cy"], a["rx"], a["ry"])
    if tag == "rect":
        return rect(a.get("x", 0), a.get("y", 0), a["width"], a["height"], a.get("rx", 0),
                    a.get("ry", 0))
    if tag == "line":
        return [["M", a["x1"], a["y1"]], ["L", a["x2"], a["y2"]]]
    if tag in ("polyline", "polygon"):
        values = [float(v) for v in NUMBER.findall(el.get("points", ""))]
        pts = list(zip(values[::2], values[1::2], strict=True))
        cmds = [["M", *pts[0]], *(["L", *p] for p in pts[1:])]
        return cmds + ([["Z"]] if tag == "polygon" else [])
    return []


def convert(folder: Path) -> dict[str, list[list[list]]]:
    icons = {}
    for kind, name in ICONS.items():
        root = ET.parse(folder / f"{name}.svg").getroot()
        paths = []
        for el in root.iter():
            cmds = element_commands(el)
            if cmds:
                paths.append([[c[0], *(r(v) for v in c[1:])] for c in cmds])
        icons[kind] = {"lucide": name, "paths": paths}
    return icons


def main() -> None:
    folder = Path(sys.argv[1])
    data = {"source": "Lucide (lucide-static on the npm registry), ISC licence: see LICENSE",
            "grid": 24, "stroke": 2, "icons": convert(folder)}
    OUT.write_text(json.dumps(data, separators=(",", ":"), sort_keys=True) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes, {len(ICONS)} icons)")


if __name__ == "__main__":
    main()
