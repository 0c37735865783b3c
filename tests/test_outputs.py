"""End to end: the default course, built once, opened the way a trainer's tools open it."""

from __future__ import annotations

import html
import re
import shutil

import pytest
from pptx import Presentation
from pptx.util import Emu

from ccrl_kit.content.loader import load_file

from .conftest import AUDIENCES, ROOT, flat, pdftotext

FILES = ("deck.pptx", "facilitator-guide.html", "facilitator-guide.pdf",
         "participant-handout.html", "participant-handout.pdf")


def facilitator_only_texts() -> set[str]:
    """Every string under a facilitator-only key of every module file, minus those that are
    also part of participant text (a multiple-choice answer repeats one of the options)."""
    hidden: set[str] = set()
    public: set[str] = set()

    def walk(node, inside: bool) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, inside or key in ("facilitator", "teaching_note"))
        elif isinstance(node, list):
            for value in node:
                walk(value, inside)
        elif isinstance(node, str) and len(node.split()) >= 4:
            (hidden if inside else public).add(" ".join(node.split()))

    for path in sorted((ROOT / "modules").glob("*.yaml")):
        walk(load_file(path, path.name).data, False)
    return {h for h in hidden if not any(h in p for p in public)}


@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_audience_gets_a_deck_and_both_handouts(built, audience):
    folder = built / audience / "en"
    for name in FILES:
        assert (folder / name).stat().st_size > 10_000, name


@pytest.mark.parametrize("audience", AUDIENCES)
def test_the_deck_reopens_16_9_with_titles_and_speaker_notes(built, audience):
    deck = Presentation(str(built / audience / "en" / "deck.pptx"))
    assert (deck.slide_width, deck.slide_height) == (Emu(12192000), Emu(6858000))
    assert len(deck.slides) > 100
    for number, slide in enumerate(deck.slides, 1):
        title = slide.shapes.title
        assert title is not None and title.text.strip(), f"slide {number} has no title"
        if slide.slide_layout.name not in ("Title", "Closing"):
            notes = slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""
            assert notes.strip(), f"slide {number} ({title.text}) has no speaker notes"


def test_speaker_notes_carry_minutes_and_prompts(built):
    deck = Presentation(str(built / "law-enforcement" / "en" / "deck.pptx"))
    notes = [s.notes_slide.notes_text_frame.text for s in deck.slides if s.has_notes_slide]
    assert any(re.search(r"Time for this part: \d+ minutes", n) for n in notes)
    assert any("Prompts:" in n for n in notes)
    assert any("Themes a good discussion reaches:" in n for n in notes)


def test_the_pdf_handouts_hold_the_course(built):
    guide = flat(pdftotext(built / "educators" / "en" / "facilitator-guide.pdf"))
    handout = flat(pdftotext(built / "educators" / "en" / "participant-handout.pdf"))
    for text in (guide, handout):
        assert "Historical context" in text
        assert "Legal context" in text
        assert "Learning objectives" in text
        assert "Case study" in text
    assert "Answer key" in guide
    assert re.search(r"09:00\s*[–-]\s*\d\d:\d\d", guide)


def test_the_participant_handout_holds_no_facilitator_only_text(built):
    secrets = facilitator_only_texts()
    assert len(secrets) > 200
    for audience in AUDIENCES:
        page = html.unescape((built / audience / "en" / "participant-handout.html")
                             .read_text(encoding="utf-8"))
        body = flat(re.sub(r"<[^>]+>", " ", page))
        pdf = flat(pdftotext(built / audience / "en" / "participant-handout.pdf"))
        leaked = [s for s in secrets if s in body]
        assert not leaked, f"{audience}: {leaked[:3]}"
        leaked = [s for s in secrets if s[:60] in pdf]
        assert not leaked, f"{audience} PDF: {leaked[:3]}"
        assert "Answer key" not in pdf and "Speaker notes" not in pdf


def test_the_facilitator_guide_does_hold_facilitator_text(built):
    page = html.unescape((built / "law-enforcement" / "en" / "facilitator-guide.html")
                         .read_text(encoding="utf-8"))
    body = flat(re.sub(r"<[^>]+>", " ", page))
    assert sum(s in body for s in facilitator_only_texts()) > 100


def test_two_audiences_get_different_decks(built):
    def texts(audience: str) -> list[str]:
        deck = Presentation(str(built / audience / "en" / "deck.pptx"))
        return [sh.text_frame.text for s in deck.slides for sh in s.shapes if sh.has_text_frame]

    police, teachers = texts("law-enforcement"), texts("educators")
    assert set(police) != set(teachers)
    assert len(set(police) ^ set(teachers)) > 20


@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="LibreOffice (soffice) is not installed; CI installs it")
def test_a_deck_reopens_after_being_written_twice(built, tmp_path):
    from ccrl_kit.build.pipeline import Settings, build

    settings = Settings(workspace=ROOT, audiences=("educators",), formats=("pptx",),
                        out=tmp_path)
    build(settings)
    first = (tmp_path / "ccrl-kazakhstan" / "educators" / "en" / "deck.pptx").read_bytes()
    report = build(settings)
    assert report.written == []
    assert first == (built / "educators" / "en" / "deck.pptx").read_bytes()


