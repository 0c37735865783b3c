"""Any PowerPoint template: a .potx and a .pptx whose layouts carry other names build a
complete deck (no sample slide left, no course field lost), ``layouts:`` in ccrl.yaml picks
layouts by name, and ``ccrl template check`` reports the mapping."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from pptx import Presentation

from ccrl_kit.cli import main
from ccrl_kit.content.workspace import load_workspace
from ccrl_kit.plan.deck import plan_deck
from ccrl_kit.resolve.labels import Labels
from ccrl_kit.resolve.resolver import resolve

from ..conftest import MINIMAL_AUDIENCES, MINIMAL_MODULE, ROOT
from ..plan.test_deck_template import renamed_template

COURSE = """\
id: mini
title: Mini course
organiser: Test organiser
city: Almaty
venue: Hotel Kazakhstan
facilitators: [Aigerim Sadykova, John Smith]
audiences: [police, teachers]
days:
  - date: 2026-03-02
    start: "09:00"
    sessions:
      - module: intro
"""


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def mini(workspace) -> Path:
    return workspace({"modules/intro.yaml": MINIMAL_MODULE, "courses/mini.yaml": COURSE,
                      **MINIMAL_AUDIENCES})


def test_the_shipped_template_maps_every_kind_by_name():
    result = run("-C", str(ROOT), "template", "check", str(ROOT / "templates" / "deck.pptx"))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("deck.pptx: a PowerPoint presentation, 16:9")
    for role in ("Title", "Section", "Title and Content", "Two Content", "Quote",
                 "Case Study", "Question", "Table or Chart", "Closing"):
        assert f"  {role:<17}  -> {role!r:<24} (same name)" in lines
    assert "Every course field has a placeholder" in result.output


def test_a_renamed_potx_is_reported_by_type_with_its_boxes_and_removed_samples(tmp_path):
    path = tmp_path / "ours.potx"
    path.write_bytes(renamed_template(potx=True, drop=("Details",), samples=2))
    result = run("-C", str(tmp_path), "template", "check", str(path))
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("ours.potx: a PowerPoint template, 16:9")
    assert "-> 'Titelfolie'" in out and "(a layout of type 'title')" in out
    assert "Quote              -> 'Titel und Inhalt'" in out
    assert "(no Quote layout: drawn on the Title and Content layout)" in out
    assert "Closing            -> 'Abschnittsüberschrift'" in out
    assert "Title: the details (dates, venue, facilitators, organiser) (layout " \
           "'Titelfolie' has no placeholder for it)" in out
    assert "2 sample slides of the template removed" in out
    assert "saved as a presentation" in out
    assert 'Quote: "Zitat"' in out  # how to choose one


def test_the_workspace_mapping_is_reported(mini, tmp_path):
    path = tmp_path / "ours.pptx"
    path.write_bytes(renamed_template())
    (mini / "ccrl.yaml").write_text('layouts:\n  Quote: "Zitat"\n  Closing: "Abschluss"\n',
                                    encoding="utf-8")
    result = run("-C", str(mini), "template", "check", str(path))
    assert result.exit_code == 0, result.output
    assert "Quote              -> 'Zitat'                  (named in ccrl.yaml)" in result.output
    assert "Closing            -> 'Abschluss'" in result.output


def test_an_unknown_role_in_the_mapping_is_a_positioned_problem(mini):
    (mini / "ccrl.yaml").write_text('layouts:\n  Qoute: "Zitat"\n', encoding="utf-8")
    result = run("-C", str(mini), "validate")
    assert result.exit_code == 1
    assert "ccrl.yaml:" in result.output
    assert "unknown slide layout role 'Qoute' — did you mean 'Quote'?" in result.output


def test_a_mapping_to_a_missing_layout_stops_the_build_in_one_line(mini, tmp_path):
    path = tmp_path / "ours.pptx"
    path.write_bytes(renamed_template())
    (mini / "ccrl.yaml").write_text('layouts:\n  Quote: "Zitatfolie"\n', encoding="utf-8")
    result = run("-C", str(mini), "build", "-f", "pptx", "--template", str(path), "-o",
                 str(tmp_path / "out"))
    assert result.exit_code == 1
    [line] = [x for x in result.output.splitlines() if x.startswith("error:")]
    assert "ccrl.yaml: layouts: Quote: the template ours.pptx has no layout named " \
           "'Zitatfolie'" in line
    assert not (tmp_path / "out" / "mini").exists()


@pytest.mark.parametrize("raw", [b"", b"PK\x03\x04 not really", b"{\"a\": 1}",
                                 (ROOT / "README.md").read_bytes()])
def test_a_file_that_is_not_a_presentation_is_one_line(tmp_path, raw):
    path = tmp_path / "ours.pptx"
    path.write_bytes(raw)
    result = run("-C", str(tmp_path), "template", "check", str(path))
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and result.output.startswith("error: deck template")
    assert "Traceback" not in result.output


@pytest.mark.parametrize("suffix", [".pptx", ".potx"])
def test_a_renamed_template_builds_a_complete_deck(mini, tmp_path, suffix):
    """No sample slide left; the title slide keeps the dates, venue, facilitators and
    organiser, and every other slide its footer and number (in text boxes where the layouts
    have no placeholders for them); the renamed layouts draw the slides."""
    path = tmp_path / f"ours{suffix}"
    # the .potx has no placeholder for the details and footers, the .pptx none for numbers
    drop = ("Details", "Footer") if suffix == ".potx" else ("Slide Number",)
    path.write_bytes(renamed_template(potx=suffix == ".potx", drop=drop, samples=2))
    out = tmp_path / "out"
    result = run("-C", str(mini), "build", "-a", "police", "-f", "pptx", "--template",
                 str(path), "-o", str(out))
    assert result.exit_code == 0, result.output
    prs = Presentation(str(out / "mini" / "police" / "en" / "deck.pptx"))
    texts = [" ".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
             for slide in prs.slides]
    assert not [t for t in texts if "Sample slide" in t]
    assert texts[0].startswith("Mini course")
    for field in ("Police officers", "March 2, 2026", "Hotel Kazakhstan, Almaty",
                  "Aigerim Sadykova, John Smith", "Test organiser"):
        assert field in texts[0], field
    details = [sh for sh in prs.slides[0].shapes if sh.name == "Details"]
    assert details and details[0].is_placeholder == (suffix == ".pptx")
    deck = plan_deck(resolve(load_workspace(mini), "mini", "police", "en"), Labels("en"),
                     template=path, font_dir=ROOT / "templates" / "fonts")
    assert len(deck.slides) == len(prs.slides)
    assert sum(1 for s in deck.slides if s.footer) > len(deck.slides) // 2
    for planned, slide in zip(deck.slides[1:], list(prs.slides)[1:], strict=True):
        shown = [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]
        assert str(planned.number) in shown, planned.number
        if planned.footer:
            assert planned.footer in shown, (planned.number, shown)
    boxes = {sh.name for slide in prs.slides for sh in slide.shapes if not sh.is_placeholder}
    assert ("Footer" in boxes) == (suffix == ".potx")
    assert ("Slide number" in boxes) == (suffix == ".pptx")
    used = {slide.slide_layout.name for slide in prs.slides}
    assert used <= {"Titelfolie", "Abschnittsüberschrift", "Titel und Inhalt", "Zwei Inhalte"}
    assert "Titelfolie" in used and "Abschnittsüberschrift" in used


def test_the_mapping_chooses_the_layouts_a_build_draws_on(mini, tmp_path):
    path = tmp_path / "ours.pptx"
    path.write_bytes(renamed_template())
    (mini / "ccrl.yaml").write_text('layouts:\n  Question: "Frage"\n  Closing: "Abschluss"\n',
                                    encoding="utf-8")
    out = tmp_path / "out"
    result = run("-C", str(mini), "build", "-a", "police", "-f", "pptx", "--template",
                 str(path), "-o", str(out))
    assert result.exit_code == 0, result.output
    prs = Presentation(str(out / "mini" / "police" / "en" / "deck.pptx"))
    layouts = [slide.slide_layout.name for slide in prs.slides]
    assert layouts[-2] == "Abschluss"  # the closing, before the sources
    assert "Frage" in layouts  # the discussion, the evaluation
