"""Word from the same plan: page numbers, a running header per part, a contents field, styled
tables, notes set apart, slide references, clickable links with QR codes, the brand."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from docx import Document

from ccrl_kit.render.docx import render_docx

from ..samples import every_block

STAMP = dt.datetime(2025, 1, 1)


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> bytes:
    return render_docx(every_block(tmp_path_factory.mktemp("img"), primary="#7C2D12"), STAMP)


@pytest.fixture(scope="module")
def xml(data) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "\n".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))


def test_page_numbers_a_running_header_and_a_contents_field(data, xml):
    doc = Document(io.BytesIO(data))
    headers = [s.header for s in doc.sections if not s.header.is_linked_to_previous]
    assert [h.paragraphs[0].text.strip() for h in headers] == ["A course title\tPart one"]
    # the brand's logo leads the running header
    assert any("image" in r.reltype for r in headers[0].part.rels.values())
    assert 'w:instr="PAGE"' in xml and 'w:instr="NUMPAGES"' in xml
    assert "Page " in doc.sections[0].footer.paragraphs[0].text
    assert 'TOC \\o "1-1" \\h \\z \\u' in xml and '<w:updateFields w:val="true"/>' in xml
    assert doc.sections[0].different_first_page_header_footer  # the cover has none


def test_real_headings_and_styled_tables(data, xml):
    doc = Document(io.BytesIO(data))
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"] == ["Part one"]
    assert doc.paragraphs[0].runs or doc.tables
    assert "<w:tblHeader/>" in xml  # the header row repeats on every page
    assert 'w:fill="EEF2F7"' in xml  # a shaded header row, not a plain grid
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        body = z.read("word/document.xml").decode()
    assert 'w:val="nil"' in body and "<w:tblStyle" not in body  # our rules, no Word grid


def test_notes_are_set_apart_and_slides_are_referenced(xml):
    assert 'w:fill="FFF7E6"' in xml and 'w:color="B45309"' in xml  # the alert box
    assert 'w:val="dashed"' in xml  # a task card to cut out
    assert "Slide 7: Slide title" in xml
    assert 'descr="Slide 7: Slide title"' in xml  # its preview beside the notes
    assert "09:40–09:55" in xml


def test_links_are_clickable_with_a_qr_code(data, xml):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        rels = z.read("word/_rels/document.xml.rels").decode()
        media = [n for n in z.namelist() if n.startswith("word/media/")]
    assert 'Target="https://example.org/video" TargetMode="External"' in rels
    assert 'Target="https://example.org/inline" TargetMode="External"' in rels
    # the logo (drawn from its SVG), the photo, the QR code, the slide's preview
    assert len(media) == 4
    assert 'descr="QR code: https://example.org/video"' in xml
    assert 'descr="A blue rectangle."' in xml and 'descr="Org logo"' in xml


def test_the_brand_colours_and_language(xml, data):
    assert 'w:color w:val="7C2D12"' in xml or 'w:val="7C2D12"' in xml
    assert "1F3A5F" not in xml
    assert Document(io.BytesIO(data)).core_properties.language == "en"


def test_the_same_plan_gives_the_same_bytes(data, tmp_path):
    assert render_docx(every_block(tmp_path, primary="#7C2D12"), STAMP) == data


def test_control_characters_in_content_do_not_break_word(tmp_path):
    from ccrl_kit.plan import blocks as b

    doc = every_block(tmp_path)
    bad = b.Paragraph(b.rich("bell\x07 and null\x00 and tab\tstay"))
    doc = type(doc)(**{**doc.__dict__, "blocks": (*doc.blocks, bad)})
    text = "\n".join(p.text for p in Document(io.BytesIO(render_docx(doc, STAMP))).paragraphs)
    assert "bell and null and tab\tstay" in text
