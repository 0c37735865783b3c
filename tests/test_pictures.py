"""Pictures of every format: their size as the deck plan reads it, and an SVG drawn as PNG for
the deck and Word with the proportions Typst (and so the PDF) gives it; a broken SVG, or one
that reaches for another file, is one line naming it."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from ccrl_kit.errors import BuildError
from ccrl_kit.pictures import RASTER_PIXELS, picture_size, svg_png, svg_size
from ccrl_kit.plan.visuals import fit_picture
from ccrl_kit.resolve import types as r

from .samples import png

NS = 'xmlns="http://www.w3.org/2000/svg"'


def svg(attrs: str, body: str = '<rect width="100%" height="100%" fill="#0B6E4F"/>') -> bytes:
    return f"<svg {NS} {attrs}>{body}</svg>".encode()


@pytest.mark.parametrize("attrs,ratio", [
    ('width="60" height="20"', 3.0),  # pixels
    ('viewBox="0 0 300 100"', 3.0),  # no size: the view box's
    ('width="100%" height="100%" viewBox="0 0 40 10"', 4.0),
    ('width="50mm" height="10mm"', 5.0),
    ('width="2in" height="4in" viewBox="0 0 10 10"', 0.5),  # the size wins over the view box
])
def test_an_svg_is_measured_and_drawn_with_its_proportions(attrs, ratio):
    data = svg(attrs)
    w, h = svg_size(data, "image a.svg")
    assert w / h == pytest.approx(ratio)
    with Image.open(io.BytesIO(svg_png(data, "image a.svg"))) as im:
        assert im.format == "PNG"
        assert max(im.size) == RASTER_PIXELS  # sharp, however small the SVG says it is
        assert im.width / im.height == pytest.approx(ratio, rel=0.01)
        assert im.convert("RGB").getpixel((im.width // 2, im.height // 2)) == (11, 110, 79)


def test_a_pixel_is_three_quarters_of_a_point():
    assert svg_size(svg('width="60" height="20"'), "x") == (45.0, 15.0)


@pytest.mark.parametrize("data,reason", [
    (svg('width="60"', "<rect").removesuffix(b"</svg>"), "failed to parse SVG"),
    (b"<svg " + NS.encode() + b' width="0" height="10"/>', "width, height, or viewbox"),
    (b"\xef\xbb\xbf<?xml version='1.0'?><html/>", "failed to parse SVG"),
    (b"<svg \xff\xfe/>", "not valid UTF-8"),
])
def test_a_broken_svg_is_one_line_naming_it(data, reason):
    with pytest.raises(BuildError) as raised:
        svg_png(data, "image images/logo.svg")
    message = str(raised.value)
    assert message.startswith("image images/logo.svg: not an SVG picture that can be drawn (")
    assert reason in message and "\n" not in message
    assert "picture.svg" not in message and "ccrl-svg-" not in message  # nothing made up


def test_an_svg_reads_no_other_file(tmp_path):
    """Typst reads the SVG in a folder holding only its bytes: a picture it links to, beside
    it in the workspace or outside, is not read."""
    (tmp_path / "secret.png").write_bytes(png())
    body = '<image href="{}" width="1" height="1"/>'
    for href in ("secret.png", "../secret.png", str(tmp_path / "secret.png"),
                 f"file://{tmp_path / 'secret.png'}"):
        (tmp_path / "logo.svg").write_bytes(svg('width="10" height="10"', body.format(href)))
        with pytest.raises(BuildError, match=r"^image logo\.svg: not an SVG picture .*linked "
                                             r"image"):
            picture_size(str(tmp_path / "logo.svg"), tmp_path)


def test_picture_sizes_are_read_under_the_file_rule(tmp_path):
    root = tmp_path / "ws"
    (root / "images").mkdir(parents=True)
    (root / "images" / "photo.png").write_bytes(png(40, 10))
    (root / "images" / "logo.svg").write_bytes(svg('viewBox="0 0 30 10"'))
    (root / "images" / "broken.png").write_bytes(png(40, 10)[:30])
    assert picture_size(str(root / "images" / "photo.png"), root) == (40, 10)
    assert picture_size(str(root / "images" / "logo.svg"), root) == (22.5, 7.5)
    with pytest.raises(BuildError, match=r"^image images/broken\.png: not a readable picture"):
        picture_size(str(root / "images" / "broken.png"), root)
    (tmp_path / "outside.svg").write_bytes(svg('viewBox="0 0 30 10"'))
    (root / "images" / "leak.svg").symlink_to(tmp_path / "outside.svg")
    with pytest.raises(BuildError, match=r"^image images/leak\.svg: refusing to read it"):
        picture_size(str(root / "images" / "leak.svg"), root)


def test_the_deck_plan_fits_an_svg_in_its_box_its_proportions_kept(tmp_path):
    (tmp_path / "logo.svg").write_bytes(svg('width="60" height="20"'))
    pic = fit_picture(r.Image(str(tmp_path / "logo.svg"), "Logo", "", ""), 0, 0, 2000, 2000,
                      tmp_path)
    assert (pic.x, pic.y, pic.w, pic.h) == (0, 666, 2000, 667)  # centred
