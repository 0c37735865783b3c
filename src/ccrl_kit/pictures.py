"""Pictures a course names (PNG, JPEG, GIF or SVG): their format, their size, and an SVG drawn
as PNG for the formats whose pictures are bitmaps (a deck, a Word file).

An SVG is measured and drawn by Typst, as the PDF draws it, so every format gives it the same
proportions. Typst reads it in a folder of its own that holds only a copy of its bytes: a
picture the SVG links to is not found there and the SVG is refused, so nothing outside the
workspace is read through it. Text in an SVG is set in Typst's own fonts, not the system's.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from functools import lru_cache
from pathlib import Path

from ccrl_kit.errors import BuildError

MAX_IMAGE_BYTES = 20 << 20
RASTER_PIXELS = 2000  # the longer side of an SVG drawn as PNG: sharp on a full slide
_MAIN = "picture.typ"
_SVG = "picture.svg"
_ran = False  # whether Typst has run in this process (a process that has must not fork)


def typst_has_run() -> bool:
    """Whether Typst has run in this process (here or in the PDF renderer)."""
    return _ran


def typst_runs() -> None:
    """Note that Typst runs in this process: it must not fork workers any more."""
    global _ran
    _ran = True


def image_format(data: bytes, shown: str) -> str:
    """png | jpg | gif | svg, from the bytes; anything else is refused naming ``shown``."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<svg", b"<?xml", b"<!--", b"<!doctype")) \
            and b"<svg" in data[:4096].lower():
        return "svg"
    raise BuildError(f"{shown}: not a PNG, JPEG, GIF or SVG file")


def picture_size(path: str, root: Path | None = None) -> tuple[float, float]:
    """Width and height of the picture at ``path``, read under the file rule inside ``root``
    (the workspace), in its own units: pixels for a bitmap, points for an SVG. Only the
    proportions are meant to be used."""
    try:
        info = os.stat(path)
        key = (os.path.realpath(path), info.st_size, info.st_mtime_ns, info.st_ino)
    except OSError:
        key = (path, -1, -1, -1)
    return _picture_size(key, path, root)


@lru_cache(maxsize=64)
def _picture_size(key: tuple, path: str, root: Path | None) -> tuple[float, float]:
    from ccrl_kit.files import FileError, read_bytes

    shown = path
    if root is not None and Path(path).is_relative_to(root.resolve()):
        shown = str(Path(path).relative_to(root.resolve()))
    shown = f"image {shown}"
    try:
        data = read_bytes(Path(path), shown, inside=root, limit=MAX_IMAGE_BYTES)
    except FileError as exc:
        raise BuildError(str(exc.problem)) from None
    if image_format(data, shown) == "svg":
        return svg_size(data, shown)
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as im:
            width, height = im.size
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise BuildError(f"{shown}: not a readable picture ({exc})") from None
    if width <= 0 or height <= 0:
        raise BuildError(f"{shown}: the picture has no size")
    return float(width), float(height)


@lru_cache(maxsize=32)
def svg_size(data: bytes, shown: str) -> tuple[float, float]:
    """The size of an SVG picture in points, as Typst measures it."""
    query = ('#context { let s = measure(image("' + _SVG + '"))\n'
             '[#metadata((s.width.pt(), s.height.pt())) <size>] }\n')
    import json

    found = json.loads(_typst(data, shown, query, "query"))
    width, height = (float(v) for v in found[0]["value"])
    if not (width > 0 and height > 0):
        raise BuildError(f"{shown}: the SVG picture has no size; give its <svg> a width and "
                         "a height or a viewBox")
    return width, height


@lru_cache(maxsize=16)
def svg_png(data: bytes, shown: str) -> bytes:
    """An SVG picture drawn as PNG, its longer side :data:`RASTER_PIXELS` pixels, its
    proportions kept. A broken SVG is one line naming ``shown``."""
    width, height = svg_size(data, shown)
    ppi = RASTER_PIXELS * 72 / max(width, height)
    source = f"#set page(width: auto, height: auto, margin: 0pt)\n#image(\"{_SVG}\")\n"
    return _typst(data, shown, source, "png", ppi=ppi)


def _typst(data: bytes, shown: str, source: str, kind: str, ppi: float = 72) -> bytes:
    """Compile (``png``) or query (``query``) ``source`` with the SVG beside it, in a
    folder of their own that is Typst's root."""
    import typst

    typst_runs()
    fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=True)
    with tempfile.TemporaryDirectory(prefix="ccrl-svg-") as folder:
        (Path(folder) / _SVG).write_bytes(data)
        main = Path(folder) / _MAIN
        main.write_text(source, encoding="utf-8")
        try:
            if kind == "query":
                return typst.query(str(main), "<size>", root=folder, font_paths=fonts).encode()
            out = typst.compile(str(main), root=folder, format="png", ppi=ppi,
                                font_paths=fonts)
        except (typst.TypstError, RuntimeError) as exc:  # query raises RuntimeError
            raise BuildError(f"{shown}: not an SVG picture that can be drawn "
                             f"({_reason(exc)})") from None
    if isinstance(out, list):  # more than one page: cannot happen with one image
        out = out[0]
    return out


def _reason(exc) -> str:
    """Typst's message without the folder of its own and the files made up in it."""
    message = " ".join(str(getattr(exc, "message", "") or exc).split())
    message = message.removeprefix("failed to compile document: ")
    message = re.sub(r",? searched at [^)]*", "", message)
    return re.sub(r"\s*\b(?:in|of) `?picture\.(?:svg|typ)`?", "", message)
