"""Extract Kazakhstan and its neighbours from Natural Earth's 1:110m country outlines into
``central-asia.json`` (longitude/latitude rings, clipped to the map's frame and simplified).

Natural Earth is in the public domain (https://www.naturalearthdata.com/about/terms-of-use/).
The 1:110m "admin 0 countries" outlines travel inside the geopandas 0.12.2 wheel as
``geopandas/datasets/naturalearth_lowres``. Run once, with the shapefile's folder::

    pip download geopandas==0.12.2 --no-deps && unzip geopandas-0.12.2-py3-none-any.whl
    python scripts/make_map.py geopandas/datasets/naturalearth_lowres

Pure Python (struct): the deck needs neither geopandas nor shapely at run time.
"""

from __future__ import annotations

import json
import struct
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "src" / "ccrl_kit" / "data"
OUT = DATA / "map" / "central-asia.json"
FRAME = (45.0, 38.0, 90.0, 56.5)  # lon min, lat min, lon max, lat max
COUNTRIES = ("KAZ", "RUS", "CHN", "KGZ", "UZB", "TKM", "TJK", "AFG", "IRN", "MNG", "AZE",
             "GEO", "ARM")
TOLERANCE = 0.12  # degrees, for Douglas-Peucker


def read_dbf(path: Path) -> list[dict[str, str]]:
    data = path.read_bytes()
    count, header, size = struct.unpack("<IHH", data[4:12])
    fields = []
    for off in range(32, header - 1, 32):
        name = data[off:off + 11].split(b"\0")[0].decode()
        fields.append((name, data[off + 16]))
    rows = []
    for n in range(count):
        start = header + n * size + 1
        row, pos = {}, start
        for name, length in fields:
            row[name] = data[pos:pos + length].decode("utf-8", "replace").strip()
            pos += length
        rows.append(row)
    return rows


def read_shp(path: Path) -> list[list[list[tuple[float, float]]]]:
    """Each record's rings (polygons and multipolygons alike)."""
    data = path.read_bytes()
    pos, shapes = 100, []
    while pos < len(data):
        _, words = struct.unpack(">ii", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + words * 2]
        pos += 8 + words * 2
        kind = struct.unpack("<i", body[:4])[0]
        if kind != 5:
            shapes.append([])
            continue
        parts, points = struct.unpack("<ii", body[36:44])
        starts = struct.unpack(f"<{parts}i", body[44:44 + 4 * parts])
        coords = struct.unpack(f"<{2 * points}d", body[44 + 4 * parts:44 + 4 * parts + 16 * points])
        xy = list(zip(coords[::2], coords[1::2], strict=True))
        ends = (*starts[1:], points)
        shapes.append([xy[a:b] for a, b in zip(starts, ends, strict=True)])
    return shapes


def clip(ring: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Sutherland-Hodgman against the frame's four edges."""
    x0, y0, x1, y1 = FRAME
    edges = ((lambda p: p[0] >= x0, 0, x0), (lambda p: p[0] <= x1, 0, x1),
             (lambda p: p[1] >= y0, 1, y0), (lambda p: p[1] <= y1, 1, y1))
    out = ring
    for inside, axis, value in edges:
        src, out = out, []
        for i, cur in enumerate(src):
            prev = src[i - 1]
            if inside(cur):
                if not inside(prev):
                    out.append(cross(prev, cur, axis, value))
                out.append(cur)
            elif inside(prev):
                out.append(cross(prev, cur, axis, value))
        if not out:
            break
    return out


def cross(a, b, axis: int, value: float) -> tuple[float, float]:
    t = (value - a[axis]) / (b[axis] - a[axis])
    return (a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]))


def simplify(ring: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Douglas-Peucker on a closed ring, anchored at its first point and the one farthest
    from it."""
    points = ring[:-1] if len(ring) > 1 and ring[0] == ring[-1] else list(ring)
    if len(points) < 4:
        return points
    far = max(range(len(points)), key=lambda i: (points[i][0] - points[0][0]) ** 2
              + (points[i][1] - points[0][1]) ** 2)
    points = [*points, points[0]]
    keep = [False] * len(points)
    keep[0] = keep[far] = keep[-1] = True
    stack = [(0, far), (far, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        (ax, ay), (bx, by) = points[a], points[b]
        best, index = 0.0, -1
        length = ((bx - ax) ** 2 + (by - ay) ** 2) ** 0.5 or 1e-12
        for i in range(a + 1, b):
            px, py = points[i]
            d = abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length
            if d > best:
                best, index = d, i
        if best > TOLERANCE:
            keep[index] = True
            stack += [(a, index), (index, b)]
    return [p for p, k in zip(points, keep, strict=True) if k][:-1]


def main() -> None:
    folder = Path(sys.argv[1])
    rows = read_dbf(folder / "naturalearth_lowres.dbf")
    shapes = read_shp(folder / "naturalearth_lowres.shp")
    countries = {}
    for row, rings in zip(rows, shapes, strict=True):
        code = row.get("iso_a3", "")
        if code not in COUNTRIES:
            continue
        kept = []
        for ring in rings:
            clipped = simplify(clip(ring))
            if len(clipped) >= 3:
                kept.append([[round(x, 2), round(y, 2)] for x, y in clipped])
        if kept:
            countries[code] = {"name": row.get("name", code), "rings": kept}
    data = {
        "source": "Natural Earth 1:110m Admin 0 Countries (public domain), via the "
                  "naturalearth_lowres dataset of the geopandas 0.12.2 wheel",
        "frame": FRAME,
        "countries": countries,
    }
    OUT.write_text(json.dumps(data, separators=(",", ":"), sort_keys=True) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes, {len(countries)} countries)")


if __name__ == "__main__":
    main()
