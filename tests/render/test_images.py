"""Images reach the documents under the rule for every file the tool reads: inside the
workspace (a link out of it is refused), a regular file, under a size limit; anything else is
one line naming the image, from every renderer."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import os
from pathlib import Path

import pytest
from PIL import Image as PILImage

from ccrl_kit.errors import BuildError
from ccrl_kit.plan import blocks as b
from ccrl_kit.plan.deck import DeckPlan, Picture, Slide
from ccrl_kit.render import assets
from ccrl_kit.render.docx import render_docx
from ccrl_kit.render.html import render_html
from ccrl_kit.render.pptx import render_pptx
from ccrl_kit.render.typst import render_pdf
from ccrl_kit.settings import BUILTIN_TEMPLATES

from ..samples import SVG, every_block, png

STAMP = dt.datetime(2025, 1, 1)
DECK = BUILTIN_TEMPLATES / "deck.pptx"


def render(kind: str, doc: b.Document, root: Path):
    if kind == "pdf":
        return render_pdf(doc, [BUILTIN_TEMPLATES], STAMP, root=root)
    if kind == "html":
        return render_html(doc, [BUILTIN_TEMPLATES], root=root)
    return render_docx(doc, STAMP, root=root)


def with_photo(doc: b.Document, path: Path) -> b.Document:
    blocks = tuple(dataclasses.replace(x, path=str(path)) if isinstance(x, b.Figure) else x
                   for x in doc.blocks)
    return dataclasses.replace(doc, blocks=blocks)


@pytest.fixture
def workspace(tmp_path) -> tuple[Path, b.Document]:
    root = tmp_path / "ws"
    (root / "images").mkdir(parents=True)
    return root, every_block(root / "images")


@pytest.mark.parametrize("kind", ["pdf", "html", "docx"])
def test_an_image_inside_the_workspace_is_drawn(workspace, kind):
    root, doc = workspace
    assert render(kind, doc, root)


@pytest.mark.parametrize("kind", ["pdf", "html", "docx"])
def test_a_link_out_of_the_workspace_is_refused(workspace, tmp_path, kind):
    root, doc = workspace
    outside = tmp_path / "secret.png"
    outside.write_bytes(png())
    os.symlink(outside, root / "images" / "leak.png")
    with pytest.raises(BuildError, match=r"^image images/leak\.png: refusing to read it: it "
                                         r"is a link to .*secret\.png, outside "):
        render(kind, with_photo(doc, root / "images" / "leak.png"), root)


@pytest.mark.parametrize("kind", ["pdf", "html", "docx"])
def test_a_folder_a_huge_file_or_not_an_image_is_one_line(workspace, monkeypatch, kind):
    root, doc = workspace
    (root / "images" / "folder.png").mkdir()
    with pytest.raises(BuildError, match=r"^image images/folder\.png: cannot read it: it is "
                                         r"a folder, not a file$"):
        render(kind, with_photo(doc, root / "images" / "folder.png"), root)
    monkeypatch.setattr(assets, "MAX_IMAGE_BYTES", 150)  # the logo is 134 bytes
    big = root / "images" / "big.png"
    big.write_bytes(png(64, 64) + bytes(200))
    with pytest.raises(BuildError, match=r"^image images/big\.png: file is [\d,]+ bytes, over "
                                         r"the limit of 150 bytes$"):
        render(kind, with_photo(doc, big), root)
    text = root / "images" / "notes.png"
    text.write_text("not a picture")
    with pytest.raises(BuildError, match=r"^image images/notes\.png: not a PNG, JPEG, GIF or "
                                         r"SVG file$"):
        render(kind, with_photo(doc, text), root)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_image_is_one_line(workspace):
    root, doc = workspace
    photo = root / "images" / "photo.png"
    photo.chmod(0)
    with pytest.raises(BuildError, match=r"^image images/photo\.png: cannot read file: "):
        render("pdf", doc, root)


def _deck_with(path: Path) -> DeckPlan:
    picture = Picture(914400, 914400, 3 * 914400, 914400, str(path), "The logo")
    return DeckPlan("Deck", "Organiser", "en", (
        Slide("title", "Title and Content", "Title", elements=(picture,)),))


def test_the_deck_holds_an_svg_as_a_png_in_the_planned_box(tmp_path):
    from pptx import Presentation

    root = tmp_path / "ws"
    (root / "images").mkdir(parents=True)
    (root / "images" / "logo.svg").write_bytes(SVG)  # 2:1, #C2410C
    data = render_pptx(_deck_with(root / "images" / "logo.svg"), DECK, timestamp=STAMP,
                       root=root)
    shape = Presentation(io.BytesIO(data)).slides[0].shapes[-1]
    assert (shape.width, shape.height) == (3 * 914400, 914400)  # the plan's box, as drawn
    assert shape.image.content_type == "image/png"
    with PILImage.open(io.BytesIO(shape.image.blob)) as im:
        assert im.size == (2000, 1000)
        assert im.convert("RGB").getpixel((1000, 500)) == (194, 65, 12)


def test_a_broken_svg_in_the_deck_is_one_line(tmp_path):
    root = tmp_path / "ws"
    (root / "images").mkdir(parents=True)
    (root / "images" / "logo.svg").write_bytes(SVG[:60])
    with pytest.raises(BuildError, match=r"^image images/logo\.svg: not an SVG picture that "
                                         r"can be drawn \(failed to parse SVG"):
        render_pptx(_deck_with(root / "images" / "logo.svg"), DECK, timestamp=STAMP, root=root)
