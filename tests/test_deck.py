"""Decks a trainer can present: layouts by name, titles, notes, alt text, sizes, no overflow."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile

import pytest
from click.testing import CliRunner
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE, PP_PLACEHOLDER

from ccrl_kit.cli import main
from ccrl_kit.plan.deck import LAYOUT

from .conftest import AUDIENCES, ROOT

LAYOUTS = {"Title", "Section", "Title and Content", "Two Content", "Quote", "Case Study",
           "Question", "Table or Chart", "Closing"}
HAS_SOFFICE = shutil.which("soffice") is not None


def decks(built):
    return [built / a / "en" / "deck.pptx" for a in AUDIENCES]


def test_the_template_has_every_named_layout_at_16_9():
    prs = Presentation(str(ROOT / "templates" / "deck.pptx"))
    assert (prs.slide_width, prs.slide_height) == (12192000, 6858000)
    assert {layout.name for layout in prs.slide_layouts} == LAYOUTS
    assert set(LAYOUT.values()) <= LAYOUTS


@pytest.mark.parametrize("audience", AUDIENCES)
def test_slides_use_named_layouts_and_body_text_is_at_least_18pt(built, audience):
    prs = Presentation(str(built / audience / "en" / "deck.pptx"))
    for number, slide in enumerate(prs.slides, 1):
        assert slide.slide_layout.name in LAYOUTS
        for shape in slide.placeholders:
            if shape.placeholder_format.type in (PP_PLACEHOLDER.TITLE,
                                                 PP_PLACEHOLDER.CENTER_TITLE):
                continue
            for p in shape.text_frame.paragraphs:
                for run in p.runs:
                    size = run.font.size
                    assert size is None or size.pt >= 18, f"slide {number}: {run.text!r}"


@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_graphic_has_alt_text(built, audience):
    prs = Presentation(str(built / audience / "en" / "deck.pptx"))
    for number, slide in enumerate(prs.slides, 1):
        for shape in slide.shapes:
            if shape.is_placeholder:
                continue
            kinds = (MSO_SHAPE_TYPE.GROUP, MSO_SHAPE_TYPE.PICTURE, MSO_SHAPE_TYPE.CHART,
                     MSO_SHAPE_TYPE.TABLE)
            if shape.shape_type in kinds or shape.has_chart or shape.has_table:
                descr = shape._element.xpath("./*[1]/p:cNvPr")[0].get("descr", "")
                assert len(descr) > 40, f"slide {number}: {shape.name} has no alt text"


def test_the_legal_deck_has_a_native_table_and_chart_and_history_a_timeline(built):
    prs = Presentation(str(built / "law-enforcement" / "en" / "deck.pptx"))
    tables = [s for slide in prs.slides for s in slide.shapes if s.has_table]
    charts = [s for slide in prs.slides for s in slide.shapes if s.has_chart]
    groups = [s for slide in prs.slides for s in slide.shapes
              if s.shape_type == MSO_SHAPE_TYPE.GROUP and s.name == "Timeline"]
    cells = [c.text for t in tables for row in t.table.rows for c in row.cells]
    assert {"50", "25", "200", "100"} <= set(cells)
    chart = charts[0].chart
    values = dict(zip(chart.plots[0].categories, chart.plots[0].series[0].values, strict=True))
    assert values["Kazakhstan"] == 45 and values["Azerbaijan"] == 78
    timeline_text = " ".join(sh.text_frame.text for g in groups for sh in g.shapes
                             if sh.has_text_frame)
    assert "2011" in timeline_text and "2025" in timeline_text


def test_two_builds_give_identical_bytes(built, tmp_path):
    from ccrl_kit.build.pipeline import Settings, build

    build(Settings(workspace=ROOT, audiences=("university",), formats=("pptx",), out=tmp_path))
    again = tmp_path / "ccrl-kazakhstan" / "university" / "en" / "deck.pptx"
    assert again.read_bytes() == (built / "university" / "en" / "deck.pptx").read_bytes()
    with zipfile.ZipFile(again) as z:
        assert {i.date_time for i in z.infolist()} == {(2025, 1, 1, 0, 0, 0)}


def test_a_template_without_a_layout_fails_naming_it(minimal, tmp_path):
    prs = Presentation(str(ROOT / "templates" / "deck.pptx"))
    layout = next(lay for lay in prs.slide_layouts if lay.name == "Quote")
    layout.name = "Pull quote"
    broken = tmp_path / "org.pptx"
    prs.save(str(broken))
    result = CliRunner().invoke(main, ["-C", str(minimal), "build", "-f", "pptx",
                                       "--template", str(broken)])
    assert result.exit_code == 1
    assert "org.pptx: the template has no slide layout named 'Quote'" in result.output
    assert "Traceback" not in result.output


def test_decks_pass_an_office_open_xml_validation(built):
    pytest.importorskip("openxml_audit")
    for deck in decks(built):
        done = subprocess.run(["openxml-audit", "--policy", "strict", "-f", "microsoft365",
                               "-q", str(deck)], capture_output=True, text=True)
        assert done.returncode == 0, done.stdout[-2000:]


@pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice (soffice) is not installed; CI installs it")
@pytest.mark.parametrize("audience", AUDIENCES)
def test_libreoffice_renders_every_slide_with_all_text_inside_it(built, audience, tmp_path):
    deck = built / audience / "en" / "deck.pptx"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(deck)],
                   check=True, capture_output=True, timeout=600)
    pdf = tmp_path / "deck.pdf"
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    pages = html.split("<page ")[1:]
    assert len(pages) == len(Presentation(str(deck)).slides)
    # The lowest text box of any layout ends at 6,172,200 EMU = 486 pt from the top.
    outside = []
    for number, page in enumerate(pages, 1):
        width = float(re.search(r'width="([\d.]+)"', page).group(1))
        for m in re.finditer(r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" '
                             r'yMax="([-\d.]+)">([^<]*)', page):
            x0, y0, x1, y1 = map(float, m.groups()[:4])
            if x0 < 0 or y0 < 10 or x1 > width or y1 > 488:
                outside.append((number, m.group(5)))
    assert not outside, outside[:20]
