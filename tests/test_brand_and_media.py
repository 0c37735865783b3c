"""A course of another organisation, end to end: its brand (logo and colours, from ccrl.yaml or
from the course) on the deck's title slide and in the HTML, PDF, Word and certificate outputs;
a module's picture and link in every format, the link clickable and with a QR code in print;
and a blank workspace without knowledge checks prints none."""

from __future__ import annotations

import html.parser
import io
import re
import shutil
import subprocess
import zipfile
import zlib
from pathlib import Path

import pytest
from docx import Document
from PIL import Image as PILImage
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from ccrl_kit.build.pipeline import Settings, build

from .conftest import flat, pdftotext
from .samples import png

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("pdfimages") is None, reason="needs poppler")]

URL = "https://example.org/video/how-courts-decide"
PHOTO_ALT = "A courtroom: the bench, two tables and benches for the public."
PNG_LOGO = png(30, 10, (194, 65, 12))  # 3:1, a colour of its own
SVG_LOGO = (b'<svg xmlns="http://www.w3.org/2000/svg" width="60" height="20" viewBox="0 0 60 20">'
            b'<rect width="60" height="20" fill="#0B6E4F"/></svg>')

MODULE = f"""\
id: courts
title: Courts and belief
summary: How courts weigh freedom of belief against public order.
minutes: 20
objectives:
  - Participants can name the questions a court asks before it limits a belief.
key_messages:
  - text: A limit must be prescribed by law, necessary and proportionate.
    sources: [iccpr]
sections:
  - id: the-test
    title: The three questions
    minutes: 20
    bullets:
      - text: Is the limit prescribed by law?
        sources: [iccpr]
      - text: Is it necessary and proportionate?
        sources: [iccpr]
    image:
      file: images/courtroom.png
      alt: "{PHOTO_ALT}"
      credit: Photo by A. Author
      licence: CC BY 4.0
      caption: A district court.
    links:
      - text: How courts decide (video)
        url: {URL}
sources:
  - id: iccpr
    kind: standard
    citation: International Covenant on Civil and Political Rights (1966), Article 18(3).
"""

AUDIENCE = """\
id: judges
name: Judges
participants: Judges of district courts.
needs: [Deciding cases on belief.]
"""

COURSE = """\
id: judges-course
title: Freedom of belief in the courtroom
organiser: Institute for Judicial Training
city: Bishkek
facilitators: [Aida Ormonova]
audiences: [judges]
days:
  - date: 2026-05-12
    start: "09:00"
    sessions:
      - module: courts
"""

BRANDS = {
    # (where the brand is, logo file, primary, accent)
    "workspace": ("ccrl.yaml", "images/logo.png", "#7C2D12", "#0E7490"),
    "course": ("courses/judges-course.yaml", "images/logo.png", "#312E81", "#B45309"),
    "course-svg": ("courses/judges-course.yaml", "images/logo.svg", "#312E81", "#B45309"),
}


WORKSPACE_COLOURS = ("#5B21B6", "#BE185D")  # a workspace brand a course brand replaces


def brand_yaml(logo: str, primary: str, accent: str) -> str:
    return (f"brand:\n  organisation: Institute for Judicial Training\n"
            f"  logo: {{file: {logo}, alt: Institute logo}}\n"
            f'  primary: "{primary}"\n  accent: "{accent}"\n')


@pytest.fixture(scope="module", params=sorted(BRANDS))
def branded(request, tmp_path_factory) -> tuple[str, Path]:
    where, logo, primary, accent = BRANDS[request.param]
    ws = tmp_path_factory.mktemp(f"brand-{request.param}")
    for sub in ("modules", "audiences", "courses", "images"):
        (ws / sub).mkdir()
    (ws / "modules" / "courts.yaml").write_text(MODULE, encoding="utf-8")
    (ws / "audiences" / "judges.yaml").write_text(AUDIENCE, encoding="utf-8")
    (ws / "courses" / "judges-course.yaml").write_text(COURSE, encoding="utf-8")
    (ws / "ccrl.yaml").write_text("default_course: judges-course\n", encoding="utf-8")
    (ws / "images" / "courtroom.png").write_bytes(png(40, 10, (90, 90, 90)))  # 4:1
    (ws / "images" / "logo.png").write_bytes(PNG_LOGO)
    (ws / "images" / "logo.svg").write_bytes(SVG_LOGO)
    with (ws / where).open("a", encoding="utf-8") as f:
        f.write(brand_yaml(logo, primary, accent))
    if where != "ccrl.yaml":  # the course's brand replaces the workspace's
        with (ws / "ccrl.yaml").open("a", encoding="utf-8") as f:
            f.write(brand_yaml("images/logo.png", *WORKSPACE_COLOURS))
    names = ws / "names.txt"
    names.write_text("Aizada Temirbekovna Abdyldaeva-Sultanbekova\n", encoding="utf-8")
    out = ws / "output"
    build(Settings(workspace=ws, out=out, participants=names))
    return request.param, out / "judges-course" / "judges" / "en"


# --- reading the outputs --------------------------------------------------------------------


def streams(pdf: bytes) -> bytes:
    """Every stream of a PDF, inflated where it is compressed."""
    out = []
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            out.append(zlib.decompress(m.group(1)))
        except zlib.error:
            out.append(m.group(1))
    return b"\n".join(out)


def colours(pdf: bytes) -> set[str]:
    found = set()
    for m in re.finditer(rb"([\d.]+) ([\d.]+) ([\d.]+) (?:sc|SC|scn|SCN|rg|RG)\b", streams(pdf)):
        found.add("#" + "".join(f"{round(float(v) * 255):02X}" for v in m.groups()))
    return found


def pdf_strings(pdf: bytes, key: bytes) -> list[str]:
    """The values of ``key`` (/Alt, /URI) in a PDF: literal or UTF-16 hex strings."""
    found = []
    for m in re.finditer(rb"/" + key + rb"\s*(\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>)", pdf):
        raw = m.group(1)
        if raw.startswith(b"<"):
            data = bytes.fromhex(raw[1:-1].decode())
            found.append(data[2:].decode("utf-16-be") if data.startswith(b"\xfe\xff")
                         else data.decode("latin-1"))
        else:
            found.append(re.sub(rb"\\(.)", rb"\1", raw[1:-1]).decode("utf-8", "replace"))
    return found


def images(pdf: Path) -> list[dict[str, str]]:
    """``pdfimages -list``: one row per image drawn, with its size and resolution."""
    out = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    head = out[0].split()
    return [dict(zip(head, row.split(), strict=False)) for row in out[2:]]


class _Images(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[dict[str, str]] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.found.append(dict(attrs))
        elif tag == "a":
            self.links.append(dict(attrs).get("href", ""))


# --- the brand ------------------------------------------------------------------------------


def test_the_deck_shows_the_logo_on_its_title_slide(branded):
    kind, folder = branded
    deck = Presentation(str(folder / "deck.pptx"))
    pictures = [sh for sh in deck.slides[0].shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert pictures, "no logo on the title slide"
    if not kind.endswith("svg"):
        assert any(p.image.blob == PNG_LOGO for p in pictures)
    else:  # the SVG drawn as a sharp PNG in its own colour, its 3:1 kept on the slide
        logo = pictures[0]
        assert logo.image.content_type == "image/png"
        with PILImage.open(io.BytesIO(logo.image.blob)) as im:
            assert im.width >= 600 and abs(im.width - 3 * im.height) <= 3
            assert im.convert("RGB").getpixel((im.width // 2, im.height // 2)) == (11, 110, 79)
        assert abs(logo.width - 3 * logo.height) <= 3 * 12700


@pytest.mark.parametrize("name", ["facilitator-guide.html", "participant-handout.html"])
def test_the_html_shows_the_logo_and_has_no_broken_image(branded, name):
    _, folder = branded
    page = _Images()
    page.feed((folder / name).read_text(encoding="utf-8"))
    assert page.found
    for img in page.found:
        src = img["src"]
        assert not re.match(r"[a-z]+:|/", src), src  # relative, nothing fetched
        assert (folder / src).is_file(), f"broken image {src}"
        assert img.get("alt"), src
    assert "Institute logo" in {img["alt"] for img in page.found}
    assert PHOTO_ALT in {img["alt"] for img in page.found}
    assert URL in page.links


@pytest.mark.parametrize("name", ["facilitator-guide.pdf", "participant-handout.pdf",
                                  "certificates.pdf"])
def test_the_pdfs_show_the_logo_in_the_brand_colours(branded, name):
    kind, folder = branded
    _, _, primary, accent = BRANDS[kind]
    pdf = (folder / name).read_bytes()
    drawn = colours(pdf)
    assert {primary, accent} <= drawn, drawn
    assert "#1F3A5F" not in drawn  # the tool's own primary is gone
    if kind != "workspace":
        assert not set(WORKSPACE_COLOURS) & drawn
    if not kind.endswith("svg"):  # the PNG logo, a picture (3:1, equal resolution both ways)
        logo = [i for i in images(folder / name) if (i["width"], i["height"]) == ("30", "10")]
        assert logo and logo[0]["x-ppi"] == logo[0]["y-ppi"]
    else:  # the SVG logo, drawn as vectors in its own colour
        assert "#0B6E4F" in drawn
    if name != "certificates.pdf":
        assert "Institute logo" in pdf_strings(pdf, b"Alt")


def test_the_word_files_carry_the_logo_the_name_and_the_colours(branded):
    kind, folder = branded
    _, _, primary, _ = BRANDS[kind]
    for name in ("facilitator-guide.docx", "participant-handout.docx"):
        doc = Document(str(folder / name))
        headers = [s.header for s in doc.sections if not s.header.is_linked_to_previous]
        assert headers
        for header in headers:  # the logo leads every running header, the name follows
            assert any("image" in r.reltype for r in header.part.rels.values())
            assert "Institute for Judicial Training" in header.paragraphs[0].text
        with zipfile.ZipFile(folder / name) as z:
            styles = z.read("word/styles.xml").decode()
        assert f'w:val="{primary[1:]}"' in styles and "1F3A5F" not in styles


def test_a_long_name_on_a_branded_certificate_stays_on_its_line(branded):
    _, folder = branded
    text = pdftotext(folder / "certificates.pdf")
    assert "Aizada Temirbekovna Abdyldaeva-Sultanbekova" in flat(text)
    line = next(x for x in text.splitlines() if "Abdyldaeva" in x)
    assert "Aizada" in line  # one line, not broken


# --- pictures and links ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["facilitator-guide.pdf", "participant-handout.pdf"])
def test_the_pdfs_show_the_picture_and_a_clickable_link_with_its_qr_code(branded, name):
    _, folder = branded
    pdf = (folder / name).read_bytes()
    assert URL in pdf_strings(pdf, b"URI")  # a link annotation: clickable
    alts = pdf_strings(pdf, b"Alt")
    assert PHOTO_ALT in alts and f"QR code: {URL}" in alts
    photo = [i for i in images(folder / name) if (i["width"], i["height"]) == ("40", "10")]
    assert photo and photo[0]["x-ppi"] == photo[0]["y-ppi"]  # its aspect kept
    assert "Photo by A. Author" in flat(pdftotext(folder / name))


@pytest.mark.parametrize("name", ["facilitator-guide.docx", "participant-handout.docx"])
def test_the_word_files_show_the_picture_and_a_clickable_link_with_its_qr_code(branded, name):
    _, folder = branded
    with zipfile.ZipFile(folder / name) as z:
        body = z.read("word/document.xml").decode()
        rels = z.read("word/_rels/document.xml.rels").decode()
    rid = re.search(rf'Id="(rId\d+)"[^>]*Target="{re.escape(URL)}" TargetMode="External"',
                    rels)
    assert rid and f'<w:hyperlink r:id="{rid.group(1)}">' in body
    assert f'descr="QR code: {URL}"' in body
    drawing = re.search(r'<wp:extent cx="(\d+)" cy="(\d+)"/><wp:docPr [^>]*descr="'
                        + re.escape(PHOTO_ALT) + '"', body)
    assert drawing, "no picture with its alt text"
    assert int(drawing.group(1)) == 4 * int(drawing.group(2))  # 4:1, as the file


def test_the_deck_has_the_picture_and_the_clickable_link(branded):
    _, folder = branded
    deck = Presentation(str(folder / "deck.pptx"))
    addresses = {r.hyperlink.address for s in deck.slides for sh in s.shapes
                 if sh.has_text_frame for p in sh.text_frame.paragraphs for r in p.runs
                 if r.hyperlink.address}
    assert URL in addresses


# --- a blank workspace: no knowledge checks in its schedule, none printed -----------------------


def test_a_blank_workspace_without_checks_prints_no_check_and_no_answer_key(tmp_path):
    from ccrl_kit.cli import main

    ws = tmp_path / "blank"
    with pytest.raises(SystemExit) as done:
        main(["init", str(ws)])
    assert done.value.code in (0, None)
    build(Settings(workspace=ws, formats=("pdf", "docx"), out=ws / "output"))
    folder = next((ws / "output").glob("*/*/en"))
    workbook = flat(pdftotext(folder / "participant-handout.pdf"))
    guide = flat(pdftotext(folder / "facilitator-guide.pdf"))
    assert "Knowledge check" not in workbook and "Knowledge check" not in guide
    assert "Answer key" not in guide
    word = "\n".join(p.text for p in Document(str(folder / "participant-handout.docx")).paragraphs)
    assert "Knowledge check" not in word
    assert "Course evaluation" in workbook  # the rest of the workbook is there
