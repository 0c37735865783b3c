"""Images the documents show (a brand's logo, a module's figure) and QR codes for links."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ccrl_kit.errors import BuildError

MAX_IMAGE_BYTES = 20 << 20


@dataclass(frozen=True)
class Image:
    data: bytes
    format: str  # png | jpg | gif | svg

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
    return Image(data, image_format(data, f"image {shown}"))


def image_format(data: bytes, path: str) -> str:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<svg", b"<?xml")) and b"<svg" in data[:4096].lower():
        return "svg"
    raise BuildError(f"{path}: not a PNG, JPEG, GIF or SVG file")


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
