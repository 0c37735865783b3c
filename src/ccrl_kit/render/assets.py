"""Images the documents show (a brand's logo, a module's figure) and QR codes for links."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ccrl_kit.errors import BuildError
from ccrl_kit.pictures import MAX_IMAGE_BYTES, image_format, svg_png


@dataclass(frozen=True)
class Image:
    data: bytes
    format: str  # png | jpg | gif | svg
    shown: str = field(default="", compare=False)  # how messages name it

    def bitmap(self) -> bytes:
        """The picture as bytes a deck or a Word file can hold: an SVG drawn as PNG."""
        return svg_png(self.data, self.shown) if self.format == "svg" else self.data

    @property
    def name(self) -> str:
        """A file name for the image, the same for the same bytes."""
        return f"{hashlib.sha256(self.data).hexdigest()[:16]}.{self.format}"


def read_image(path: str, root: Path | None = None) -> Image:
    """An image file's bytes and format, read under the rule for every file the tool reads
    (:mod:`ccrl_kit.files`): inside ``root`` (the workspace; a link out of it is
    refused), a regular file, at most :data:`MAX_IMAGE_BYTES`. Anything else is a one-line
    error naming the file."""
    from ccrl_kit.files import FileError, read_bytes

    file = Path(path)
    shown = path
    if root is not None and file.is_relative_to(root.resolve()):
        shown = str(file.relative_to(root.resolve()))
    try:
        data = read_bytes(file, f"image {shown}", inside=root, limit=MAX_IMAGE_BYTES)
    except FileError as exc:
        raise BuildError(str(exc.problem)) from None
    return Image(data, image_format(data, f"image {shown}"), f"image {shown}")


@lru_cache(maxsize=256)
def qr_svg(url: str) -> str:
    """A QR code for ``url`` as SVG text, in black on white, with a quiet zone."""
    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", xmldecl=False, svgns=True, border=2,
                                    omitsize=True)
    return buffer.getvalue().decode("ascii")


@lru_cache(maxsize=256)
def qr_png(url: str) -> bytes:
    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=6, border=2)
    return buffer.getvalue()
