"""Print-ready handouts: questions, clock times, embedded fonts, paper size, Word, certificates."""

from __future__ import annotations

import re
import subprocess

import pytest
from docx import Document
from pptx import Presentation

from ccrl_kit.build.pipeline import Settings, build

from .conftest import AUDIENCES, ROOT, flat, pdftotext

PDFS = ("facilitator-guide.pdf", "participant-handout.pdf", "certificates.pdf")


def deck_questions(deck) -> list[str]:
    """The text of every discussion-question slide of a deck."""
    prs = Presentation(str(deck))
    found = []
    for slide in prs.slides:
        if slide.slide_layout.name == "Question" and slide.shapes.title.text.startswith(
                ("Discussion question", "Questions:")):
            body = [sh for sh in slide.placeholders if sh.placeholder_format.idx == 1]
            found.append(body[0].text_frame.paragraphs[0].text)
    return found


@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_discussion_question_of_the_deck_is_in_the_handout(built, audience):
    folder = built / audience / "en"
    handout = flat(pdftotext(folder / "participant-handout.pdf"))
    questions = deck_questions(folder / "deck.pptx")
    assert len(questions) >= 36
    missing = [q for q in questions if flat(q) not in handout]
    assert not missing, missing[:3]


def test_no_speaker_note_text_is_in_the_participant_handout(built):
    folder = built / "civil-servants" / "en"
    prs = Presentation(str(folder / "deck.pptx"))
    handout = flat(pdftotext(folder / "participant-handout.pdf"))
    notes = {flat(line) for s in list(prs.slides)[1:] if s.has_notes_slide  # not the title
             for line in s.notes_slide.notes_text_frame.text.split("\n\n")}
    # a note that only repeats slide text (a decision point, a case title) is not private
    slide_text = flat(" ".join(sh.text_frame.text for s in prs.slides for sh in s.shapes
                               if sh.has_text_frame))
    private = [n for n in notes if len(n) > 60 and n[:60] not in slide_text]
    assert len(private) > 100
    leaked = [n for n in private if n[:60] in handout]
    assert not leaked, leaked[:3]


def test_the_schedule_shows_clock_times_breaks_and_lunch(built):
    for name in ("facilitator-guide.pdf", "participant-handout.pdf"):
        text = flat(pdftotext(built / "educators" / "en" / name))
        assert re.search(r"09:00\s*–\s*10:00 Orientation", text), name
        assert re.search(r"\d\d:\d\d\s*–\s*\d\d:\d\d Lunch 60 minutes", text), name
        assert "March 2–3, 2026" in text or "March 2, 2026" in text


@pytest.mark.parametrize("name", PDFS)
def test_every_font_is_embedded(built, name):
    out = subprocess.run(["pdffonts", str(built / "law-enforcement" / "en" / name)],
                         capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows, "no fonts at all"
    for row in rows:
        assert re.search(r"\byes\s+yes\s+yes\b", row), row


def test_a4_by_default_and_letter_on_request(built, tmp_path):
    def size(pdf) -> str:
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        return re.search(r"Page size:\s+(.*)", info).group(1)

    assert "(A4)" in size(built / "university" / "en" / "participant-handout.pdf")
    build(Settings(workspace=ROOT, audiences=("university",), formats=("pdf",), out=tmp_path,
                   paper="letter"))
    folder = tmp_path / "ccrl-kazakhstan" / "university" / "en"
    assert "612 x 792" in size(folder / "participant-handout.pdf")
    assert "letter" in size(folder / "facilitator-guide.pdf")


@pytest.mark.parametrize("name", ("facilitator-guide.docx", "participant-handout.docx"))
def test_the_word_export_reopens_with_real_headings(built, name):
    doc = Document(str(built / "educators" / "en" / name))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert "Legal context" in headings and "Courts and rights" in headings
    assert sum(p.style.name == "Heading 1" for p in doc.paragraphs) >= 11
    assert doc.tables


def test_the_word_handout_holds_no_answer_key(built):
    doc = Document(str(built / "educators" / "en" / "participant-handout.docx"))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Answer:" not in text and "Teaching note" not in text
    guide = "\n".join(p.text for p in Document(
        str(built / "educators" / "en" / "facilitator-guide.docx")).paragraphs)
    assert "Answer:" in guide and "Teaching note" in guide


def test_the_participant_handout_has_the_check_twice_glossary_and_evaluation(built):
    text = flat(pdftotext(built / "university" / "en" / "participant-handout.pdf"))
    assert "Knowledge check — before the course" in text
    assert "Knowledge check — after the course" in text
    assert "Glossary" in text and "Course evaluation" in text
    assert "What will you apply in your work" in text


def test_certificates_one_page_per_name_or_one_blank(built, tmp_path):
    blank = built / "university" / "en" / "certificates.pdf"
    info = subprocess.run(["pdfinfo", str(blank)], capture_output=True, text=True).stdout
    assert re.search(r"Pages:\s+1\b", info)
    names = tmp_path / "names.csv"
    names.write_text("name,organisation\nАйгерім Нұрланқызы,CRA\nJohn Smith,Police\n",
                     encoding="utf-8")
    out = tmp_path / "out"
    build(Settings(workspace=ROOT, audiences=("university",), formats=("pdf",), out=out,
                   participants=names))
    pdf = out / "ccrl-kazakhstan" / "university" / "en" / "certificates.pdf"
    text = flat(pdftotext(pdf))
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert re.search(r"Pages:\s+2\b", info)
    assert "Айгерім Нұрланқызы" in text and "John Smith" in text
    assert "12.5 hours of training" in text
    assert "Love Your Neighbor Community (LYNC)" in text
