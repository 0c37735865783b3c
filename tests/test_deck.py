"""Decks a trainer can present: the plan's fit decisions (fast), and the built decks as
PowerPoint and LibreOffice open them (slow)."""

from __future__ import annotations

import dataclasses
import html
import re
import shutil
import statistics
import subprocess
import zipfile
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

import pytest

from ccrl_kit.content.workspace import load_workspace
from ccrl_kit.plan.deck import Para, Text, plan_deck
from ccrl_kit.plan.fit import BODY_FLOOR, Measurer
from ccrl_kit.plan.text import fit_block, height_pt, paragraphs, split_balanced
from ccrl_kit.resolve.labels import Labels
from ccrl_kit.resolve.resolver import resolve

from .conftest import AUDIENCES, ROOT

TEMPLATE = ROOT / "templates" / "deck.pptx"
FONTS = ROOT / "templates" / "fonts"
GRAPHIC = {"icon", "picture", "map", "chart", "table", "shape", "line"}
HAS_SOFFICE = shutil.which("soffice") is not None and shutil.which("pdftotext") is not None


@cache
def _ws():
    return load_workspace(ROOT)


@cache
def plan(audience: str, lang: str = "en"):
    langs = lang.split("+")
    courses = [resolve(_ws(), "ccrl-kazakhstan", audience, code) for code in langs]
    return plan_deck(courses, [Labels(code) for code in langs], template=TEMPLATE,
                     font_dir=FONTS)


# ------------------------------------------------------------------------------------------
# The plan's fit decisions, without rendering
# ------------------------------------------------------------------------------------------


def test_text_that_fits_at_the_floor_is_never_split():
    m = Measurer(FONTS)
    items = tuple(Para("A short point that fits easily on one line.") for _ in range(5))
    size, paras = fit_block(items, 9_000_000, 4_000_000, m)
    assert size > BODY_FLOOR
    assert height_pt(paras, 9_000_000, m) <= 4_000_000 / 12700


def test_text_too_long_for_one_slide_splits_into_balanced_pages():
    m = Measurer(FONTS)
    items = tuple(Para(f"Point {i}: " + "words that take room on the slide " * 6)
                  for i in range(14))
    assert fit_block(items, 9_000_000, 4_000_000, m) is None
    pages = split_balanced(items, 9_000_000, 4_000_000, m)
    assert len(pages) >= 2 and sum(len(p) for p in pages) == len(items)
    heights = [height_pt(paragraphs(p, BODY_FLOOR), 9_000_000, m) for p in pages]
    box = 4_000_000 / 12700
    assert all(h <= box for h in heights)
    assert all(h >= box / 2 for h in heights), "a continued slide is more than half empty"


@pytest.mark.parametrize("audience", AUDIENCES)
def test_english_decks_are_short_numbered_and_graphic(audience):
    deck = plan(audience)
    assert len(deck.slides) <= 110
    assert [s.number for s in deck.slides] == list(range(1, len(deck.slides) + 1))
    assert not deck.slides[0].show_number
    assert all(s.show_number for s in deck.slides[1:])
    graphic = [s for s in deck.slides if any(f.kind in GRAPHIC - {"shape", "line"}
                                             for f in s.preview)]
    assert len(graphic) / len(deck.slides) >= 0.40


@pytest.mark.parametrize("audience", AUDIENCES)
def test_each_case_takes_at_most_three_slides_and_each_quote_appears_once(audience):
    deck = plan(audience)
    cases: dict[str, int] = {}
    for s in deck.slides:
        if s.kind in ("case", "decision", "questions"):
            name = s.title.split(": ", 1)[1].removesuffix(" (cont.)")
            cases[name] = cases.get(name, 0) + 1
    assert cases and max(cases.values()) <= 3
    quotes = [e.paras[0].text for s in deck.slides for e in s.elements
              if isinstance(e, Text) and e.name == "Quote"]
    for q in quotes:
        core = q.strip("“”\"«» ")[:60]
        shown = [s.number for s in deck.slides if any(core in f.text for f in s.preview)]
        assert len(shown) == 1, (core, shown)


def test_the_median_content_slide_is_filled_below_its_middle():
    deck = plan("law-enforcement")
    middle = deck.size[1] // 2
    content = [s for s in deck.slides if s.kind in ("bullets", "case", "decision", "questions",
                                                    "discussion", "activity", "recap",
                                                    "visual", "figure")]
    lowest = []
    for s in content:
        inked = [f for f in s.preview if f.kind != "text" or f.text]
        body = [f for f in inked if f.y > deck.size[1] * 0.2 and f.y < deck.size[1] * 0.9]
        lowest.append(max((f.y + _ink(f) for f in body), default=0))
    assert statistics.median(lowest) > middle


def _ink(frame) -> int:
    """How far down a frame's content reaches (text: its measured lines)."""
    if frame.kind != "text":
        return frame.h
    lines = frame.text.count("\n") + 1
    return min(frame.h, round(lines * frame.pt * 1.22 * 12700 * 2))


def test_the_delegation_map_marks_all_six_cities_with_a_legend():
    deck = plan("law-enforcement")
    maps = [(s, e) for s in deck.slides for e in s.elements if getattr(e, "kind", "") == "map"]
    assert len(maps) == 1
    slide, group = maps[0]
    assert slide.module == "orientation"
    names = {c.name.removeprefix("Place: ") for c in group.children
             if c.name.startswith("Place: ")}
    assert names == {"Astana", "Almaty", "Shymkent", "Aktobe", "Atyrau", "Aktau"}
    legend = [e for e in slide.elements if getattr(e, "name", "") == "Legend"]
    assert legend and len(legend[0].children) == 4


def test_the_chart_highlights_kazakhstan_and_draws_mean_and_median_as_lines():
    deck = plan("law-enforcement")
    [chart] = [e for s in deck.slides for e in s.elements if type(e).__name__ == "Chart"]
    assert chart.values == tuple(sorted(chart.values, reverse=True))
    assert [chart.categories[i] for i in chart.highlight] == ["Kazakhstan"]
    assert "Regional mean" not in " ".join(chart.categories)
    slide = next(s for s in deck.slides if chart in s.elements)
    lines = [e.name for e in slide.elements if e.name.startswith("Reference line")]
    assert len(lines) == 2


@pytest.mark.slow
def test_the_timeline_and_the_fines_are_each_on_one_slide_in_every_language():
    for lang in ("en", "ru", "kk", "en+ru"):
        deck = plan("educators", lang)
        timelines = [s for s in deck.slides for e in s.elements
                     if getattr(e, "kind", "") == "timeline"]
        tables = [s for s in deck.slides for e in s.elements if type(e).__name__ == "Table"]
        assert len(timelines) == 1 and len(tables) == 1, lang
        assert not any(s.continued for s in timelines + tables)


def test_bilingual_slides_carry_both_languages():
    deck = plan("educators", "en+ru")
    for s in deck.slides[1:]:
        text = " ".join(f.text for f in s.preview)
        assert re.search("[А-Яа-я]", text), (s.number, s.title)


@pytest.mark.slow
def test_a_deck_shows_only_its_own_audiences_role():
    ws = _ws()
    course = resolve(ws, "ccrl-kazakhstan", "law-enforcement", "en")
    role = "a district police chief"
    modules = tuple(dataclasses.replace(m, case_studies=tuple(
        dataclasses.replace(c, role=role) for c in m.case_studies)) for m in course.modules)
    course = dataclasses.replace(course, modules=modules)
    deck = plan_deck(course, Labels("en"), template=TEMPLATE, font_dir=FONTS)
    text = " ".join(f.text for s in deck.slides for f in s.preview)
    assert text.count(f"Your role: {role}") == sum(len(m.case_studies) for m in modules)

    def written_for(aud: str) -> set[str]:
        """Each case's decision point and role as resolved for ``aud``."""
        return {x for m in resolve(ws, "ccrl-kazakhstan", aud, "en").modules
                for c in m.case_studies for x in (c.decision_point, c.role) if x}

    for aud in AUDIENCES:  # the shipped decks never show what was written for another
        mine = written_for(aud)
        others = {x for a in AUDIENCES if a != aud for x in written_for(a)} - mine
        decisions = [e for s in plan(aud).slides if s.kind == "decision"
                     for e in s.elements if isinstance(e, Text)]
        shown = " ".join(p.text for e in decisions for p in e.paras)
        assert all(x[:50] in shown for x in mine)
        assert not [x for x in others if x[:50] in shown], aud


def test_the_closing_follows_the_course():
    deck = plan("law-enforcement")
    kinds = [s.kind for s in deck.slides]
    assert kinds[-4:] == ["check", "evaluation", "closing", "sources"]
    assert kinds.count("sources") == 1


# ------------------------------------------------------------------------------------------
# Built decks (slow)
# ------------------------------------------------------------------------------------------


LANGS = ("en", "ru", "kk", "en+ru")


@pytest.fixture(scope="module")
def distinct(tmp_path_factory) -> dict[str, tuple[Path, list]]:
    """Per language, one deck of every distinct slide in the four audiences' decks, drawn by
    the deck renderer, with the planned slides it holds. Two slides are the same when they
    draw the same elements and footer (their numbers differ): about two slides in five of
    the 16 decks, so LibreOffice and the validator see every slide the shipped course can
    show for a fraction of the work."""
    tmp = tmp_path_factory.mktemp("distinct")
    found = {}
    for lang in LANGS:
        slides: dict[tuple, object] = {}
        for aud in AUDIENCES:
            for slide in plan(aud, lang).slides:
                key = (slide.elements, tuple(f for f in slide.fields if f[0] != "sldNum"))
                slides.setdefault(key, slide)
        path = tmp / f"{lang}.pptx"
        found[lang] = (path, _draw_deck(lang, list(slides.values()), path))
    return found


def _draw_deck(lang: str, slides: list, path: Path) -> list:
    """``slides`` drawn as one deck in ``lang`` into ``path``, numbered by their positions
    there (LibreOffice draws a slide's position where it shows its number): the slides as
    drawn."""
    import datetime as dt

    from ccrl_kit.render.pptx import render_pptx

    deck = dataclasses.replace(plan("educators", lang), slides=tuple(
        _numbered(slide, n) for n, slide in enumerate(slides, 1)))
    path.write_bytes(render_pptx(deck, TEMPLATE, timestamp=dt.datetime(2025, 1, 1)))
    return list(deck.slides)


def _numbered(slide, number: int):
    """``slide`` as the ``number``-th slide of a deck: LibreOffice draws a slide's position
    where the slide shows its number."""
    old, new = str(slide.number), str(number)
    return dataclasses.replace(
        slide, number=number,
        fields=tuple((k, i, new if k == "sldNum" else t) for k, i, t in slide.fields),
        preview=tuple(dataclasses.replace(f, text=new) if f.kind == "text" and f.text == old
                      else f for f in slide.preview))


@pytest.mark.slow
def test_slide_numbers_in_the_plan_are_the_slides_positions_and_drawn(built):
    from pptx import Presentation

    for aud in AUDIENCES:
        prs = Presentation(str(built / aud / "en" / "deck.pptx"))
        deck = plan(aud)
        assert len(prs.slides) == len(deck.slides)
        for position, (slide, planned) in enumerate(zip(prs.slides, deck.slides,
                                                        strict=True), 1):
            numbers = [sp.text_frame.text for sp in slide.shapes if sp.is_placeholder
                       and sp.placeholder_format.idx == 12]
            assert planned.number == position
            assert numbers == ([] if position == 1 else [str(position)])


@pytest.mark.slow
def test_two_builds_give_identical_bytes(built, tmp_path):
    from ccrl_kit.build.pipeline import Settings, build

    build(Settings(workspace=ROOT, audiences=("university",), formats=("pptx",), out=tmp_path))
    again = tmp_path / "ccrl-kazakhstan" / "university" / "en" / "deck.pptx"
    assert again.read_bytes() == (built / "university" / "en" / "deck.pptx").read_bytes()
    with zipfile.ZipFile(again) as z:
        assert {i.date_time for i in z.infolist()} == {(2025, 1, 1, 0, 0, 0)}


@pytest.mark.slow
def test_decks_pass_an_office_open_xml_validation(distinct, tmp_path):
    """Every kind of slide XML the renderer writes for the shipped course, in every
    language: no error under the strict Microsoft 365 policy."""
    pytest.importorskip("openxml_audit")
    import sys

    audit = Path(sys.executable).parent / "openxml-audit"
    tool = str(audit) if audit.exists() else shutil.which("openxml-audit") or "openxml-audit"

    def check(path: Path) -> tuple[Path, int, str]:
        done = subprocess.run([tool, "--policy", "strict", "-f", "microsoft365", "-q",
                               str(path)], capture_output=True, text=True)
        return path, done.returncode, done.stdout[-2000:]

    paths = []
    for lang, (path, slides) in distinct.items():
        kept = _one_of_each_structure(path, slides)
        assert 20 < len(kept) < len(slides)
        paths.append(tmp_path / path.name)
        _draw_deck(lang, kept, paths[-1])
    with ThreadPoolExecutor(2) as pool:  # two at a time: each is a few seconds of CPU
        failed = [r for r in pool.map(check, paths) if r[1] != 0]
    assert not failed, failed


def _one_of_each_structure(path: Path, slides: list) -> list:
    """The planned slides drawn in ``path`` whose slide XML differs from every earlier one's
    in more than its text, numbers and names: what a schema validator needs to see (it
    checks the XML the renderer writes, not each sentence and coordinate)."""
    from lxml import etree
    from pptx import Presentation

    seen: set[bytes] = set()
    kept = []
    for slide, drawn in zip(slides, Presentation(str(path)).slides, strict=True):
        root = etree.fromstring(drawn.part.blob)
        for el in root.iter():
            el.text = "x" if el.text and el.text.strip() else el.text
            for name, value in el.attrib.items():
                el.attrib[name] = "s" if name in ("descr", "name", "typeface") else re.sub(
                    r"\d+", "0", value)
        key = etree.tostring(root)
        if key not in seen:
            seen.add(key)
            kept.append(slide)
    return kept


def _fontconfig(tmp: Path) -> dict[str, str]:
    """LibreOffice draws Calibri with the shipped Carlito (its metric twin), whatever the
    machine has: a fontconfig file naming the shipped fonts and the alias."""
    import os

    conf = tmp / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">'
                    f"<fontconfig><include ignore_missing=\"yes\">/etc/fonts/fonts.conf"
                    f"</include><dir>{FONTS}</dir><cachedir>{tmp}/fc</cachedir>"
                    "<alias binding=\"same\"><family>Calibri</family><prefer>"
                    "<family>Carlito</family></prefer></alias></fontconfig>")
    return {**os.environ, "FONTCONFIG_FILE": str(conf)}


def _boxes(slide) -> list[tuple[tuple[float, float, float, float], str]]:
    """Every place the plan put text on ``slide``, in pt, with the text it holds ("" for maps
    and timelines as a whole, around their own labels)."""
    out = []

    def add(el) -> None:
        if hasattr(el, "children"):
            for child in el.children:
                add(child)
            if el.kind in ("map", "timeline"):
                out.append((_pt(el), ""))
        elif isinstance(el, Text):
            out.append((_pt(el), " ".join(p.text for p in el.paras)))
        elif type(el).__name__ == "Table":
            out.append((_pt(el), " ".join(p.text for row in el.cells for cell in row
                                          for p in cell)))
        elif type(el).__name__ == "Chart":
            out.append((_pt(el), " ".join((*el.categories, *(f"{v:g}" for v in el.values)))))

    for el in slide.elements:
        add(el)
    out += [((f.x / 12700, f.y / 12700, (f.x + f.w) / 12700, (f.y + f.h) / 12700), f.text)
            for f in slide.preview if f.kind == "text" and f.text in
            {t for _, _, t in slide.fields}]
    return out


def _pt(el) -> tuple[float, float, float, float]:
    return (el.x / 12700, el.y / 12700, (el.x + el.w) / 12700, (el.y + el.h) / 12700)


def _words_outside(page: str, slide) -> list[tuple[int, str, str]]:
    """Words LibreOffice drew outside the slide, or outside every box the plan gave the
    text they belong to (a box whose text holds the word; 3 pt of tolerance)."""
    width = float(re.search(r'width="([\d.]+)"', page).group(1))
    height = float(re.search(r'height="([\d.]+)"', page).group(1))
    boxes = _boxes(slide)
    found = []
    for m in re.finditer(r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" '
                         r'yMax="([-\d.]+)">([^<]*)', page):
        x0, y0, x1, y1 = map(float, m.groups()[:4])
        word = html.unescape(m.group(5))
        if x0 < 0 or y0 < 0 or x1 > width or y1 > height:
            found.append((slide.number, word, "outside the slide"))
            continue
        own = [box for box, text in boxes if word in text] or [box for box, _ in boxes]
        if not any(bx0 - 3 <= x0 and x1 <= bx1 + 3 and by0 - 3 <= y0 and y1 <= by1 + 3
                   for bx0, by0, bx1, by1 in own):
            found.append((slide.number, word, f"outside its box at {x0:.0f},{y0:.0f}"))
    return found


@pytest.fixture(scope="module")
def rendered(distinct, tmp_path_factory) -> dict[str, str]:
    """The distinct-slide decks converted to PDF by LibreOffice, two LibreOffice processes
    at a time: the words and their boxes (``pdftotext -bbox``) by language."""
    tmp = tmp_path_factory.mktemp("soffice")
    env = _fontconfig(tmp)
    # the bilingual deck is as long as two others: it goes alone
    groups = [[distinct["en+ru"][0], distinct["kk"][0]], [distinct["en"][0], distinct["ru"][0]]]

    def convert(n: int) -> None:
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp}/lo{n}",
                        "--convert-to", "pdf", "--outdir", str(tmp / "out"),
                        *map(str, groups[n])],
                       check=True, capture_output=True, timeout=1200, env=env)

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(convert, range(2)))
    found = {}
    for lang, (path, _) in distinct.items():
        pdf = tmp / "out" / f"{path.stem}.pdf"
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
        assert "Carlito" in fonts, "LibreOffice did not draw the deck with Carlito"
        found[lang] = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True,
                                     capture_output=True, text=True).stdout
    return found


@pytest.mark.slow
@pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice (soffice) or pdftotext missing")
@pytest.mark.parametrize("lang", LANGS)
def test_libreoffice_clips_no_word_in_any_deck(distinct, rendered, lang):
    """Every word LibreOffice draws lies inside the slide and inside the box the plan placed
    for its text (text boxes, tables, charts, maps, timelines): nothing below its box,
    nothing beside it, nothing cut; on every distinct slide of the four audiences' decks."""
    slides = distinct[lang][1]
    pages = rendered[lang].split("<page ")[1:]
    assert len(pages) == len(slides)
    problems = []
    for page, slide in zip(pages, slides, strict=True):
        problems += _words_outside(page, slide)
    assert not problems, problems[:30]


def test_the_clipping_check_finds_a_word_below_its_box():
    """The check above can fail: a word drawn under the box of its text is reported."""
    deck = plan("law-enforcement")
    slide = next(s for s in deck.slides if s.kind == "recap")
    body = next(e for e in slide.elements if isinstance(e, Text) and e.name == "Body")
    word = body.paras[0].text.split()[0]
    x, y = body.x / 12700 + 10, (body.y + body.h) / 12700 + 20
    page = (f'width="960.0" height="540.0"><word xMin="{x}" yMin="{y}" xMax="{x + 30}" '
            f'yMax="{y + 20}">{word}</word>')
    assert _words_outside(page, slide) == [(slide.number, word, f"outside its box at "
                                                                f"{x:.0f},{y:.0f}")]
    inside = page.replace(f'yMin="{y}"', f'yMin="{y - 40}"').replace(f'yMax="{y + 20}"',
                                                                     f'yMax="{y - 25}"')
    assert _words_outside(inside, slide) == []


@pytest.mark.slow
def test_brand_image_and_link_reach_the_deck(workspace, tmp_path):
    """A course with a brand, a section image and a link: theme recoloured, logo on the title
    and dividers, a picture slide fitted without distortion, a clickable link."""
    from PIL import Image
    from pptx import Presentation

    from ccrl_kit.build.pipeline import Settings, build

    def png(w: int, h: int, colour) -> bytes:
        import io

        buf = io.BytesIO()
        Image.new("RGB", (w, h), colour).save(buf, "PNG")
        return buf.getvalue()

    module = (ROOT / "tests" / "fixtures" / "branded-module.yaml").read_text("utf-8")
    ws = workspace({
        "modules/intro.yaml": module,
        "audiences/police.yaml": "id: police\nname: Police officers\nparticipants: Officers."
                                 "\nneeds: [Prevention.]\n",
        "courses/mini.yaml": (ROOT / "tests" / "fixtures" / "branded-course.yaml").read_text(
            "utf-8"),
        "images/logo.png": png(400, 100, (200, 30, 30)),
        "images/photo.png": png(300, 200, (20, 120, 60)),
    })
    build(Settings(workspace=ws, formats=("pptx",), out=tmp_path))
    path = tmp_path / "mini" / "police" / "en" / "deck.pptx"
    prs = Presentation(str(path))
    with zipfile.ZipFile(path) as z:
        theme = z.read("ppt/theme/theme1.xml").decode()
    assert "8B1E3F" in theme and "D97706" in theme
    pictures = [(n, sh) for n, slide in enumerate(prs.slides, 1) for sh in slide.shapes
                if sh.shape_type == 13]
    logos = [n for n, sh in pictures if sh.name == "Logo"]
    assert 1 in logos and len(logos) >= 2
    [photo] = [sh for _, sh in pictures if sh.name != "Logo"]
    assert abs(photo.width / photo.height - 1.5) < 0.01
    assert "A green field" in photo._element.xpath("./*[1]/p:cNvPr")[0].get("descr")
    links = [rel.target_ref for slide in prs.slides for rel in slide.part.rels.values()
             if rel.reltype.endswith("/hyperlink")]
    assert "https://example.org/report" in links
