"""The printed documents of the shipped course, built whole and opened as a trainer's tools open
them: page counts, clock times, slide numbers, tagged PDFs with the shipped fonts, Word files
with page numbers and a contents field, certificates."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER

from ccrl_kit.build.pipeline import Settings, build

from .conftest import AUDIENCES, ROOT, flat, pdftotext

pytestmark = pytest.mark.slow

PDFS = ("facilitator-guide.pdf", "participant-handout.pdf", "certificates.pdf")


def pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def joined(text: str) -> str:
    """Text pulled from a PDF with a hyphenated word broken at a line end put back together."""
    return re.sub(r"(?<=\w)- (?=\w)", "-", flat(text))


def deck_questions(deck) -> list[str]:
    """Every question of a deck's discussion and case-question slides."""
    prs = Presentation(str(deck))
    found = []
    for slide in prs.slides:
        title = slide.shapes.title.text if slide.shapes.title is not None else ""
        if slide.slide_layout.name != "Question" or not title.startswith(
                ("Discussion", "Questions:")):
            continue
        for shape in slide.shapes:
            if shape.has_text_frame and (shape.name.startswith("Question ") or (
                    shape.is_placeholder and shape.placeholder_format.idx == 1)):
                found.append(shape.text_frame.text)
    return found


def test_the_english_guide_and_workbook_fit_their_page_budgets(built):
    for audience in AUDIENCES:
        folder = built / audience / "en"
        assert pages(folder / "facilitator-guide.pdf") <= 100, audience
        assert pages(folder / "participant-handout.pdf") <= 48, audience


def test_the_guide_is_a_run_sheet_on_the_clock(built):
    text = flat(pdftotext(built / "educators" / "en" / "facilitator-guide.pdf"))
    assert "Day 1 at a glance" in text and "Day 2 at a glance" in text
    assert "Materials and room checklist" in text
    assert not re.search(r"\+\d+′", text)  # no offsets, clock times only
    times = re.findall(r"\b(\d\d:\d\d)–(\d\d:\d\d)\b", text)
    assert len(times) > 150
    assert ("09:00", "09:45") in times and ("15:00", "16:15") in times
    assert text.count("Sources") >= 1 and "Sources [1]" not in text
    assert len(re.findall(r"\bSlides? \d+", text)) > 100


def shown_numbers(deck: Path) -> list[int]:
    """The number each slide of a deck shows (the title slide, which shows none, is 1)."""
    numbers = []
    for i, slide in enumerate(Presentation(str(deck)).slides):
        shown = [sh.text_frame.text for sh in slide.placeholders
                 if sh.placeholder_format.type == PP_PLACEHOLDER.SLIDE_NUMBER]
        assert shown or i == 0, f"slide {i + 1} shows no number"
        numbers.append(int(shown[0]) if shown else 1)
    return numbers


def cited_numbers(text: str) -> set[int]:
    """Every slide number a text cites: "Slide 4", "Slides 4–7, 9"."""
    found: set[int] = set()
    for m in re.finditer(r"\bSlides? (\d+(?:–\d+)?(?:, \d+(?:–\d+)?)*)", text):
        for part in m.group(1).split(", "):
            first, _, last = part.partition("–")
            found.update(range(int(first), int(last or first) + 1))
    return found


@pytest.mark.parametrize("audience", AUDIENCES)
def test_the_guide_cites_every_slide_of_the_deck_by_its_number(built, audience):
    folder = built / audience / "en"
    shown = shown_numbers(folder / "deck.pptx")
    assert shown == list(range(1, len(shown) + 1))  # numbered in order, none twice
    cited = cited_numbers(flat(pdftotext(folder / "facilitator-guide.pdf")))
    assert cited == set(shown)  # title, agenda, checks, evaluation, closing, sources too
    assert cited_numbers(word_text(folder / "facilitator-guide.docx")) == set(shown)


@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_discussion_question_of_the_deck_is_in_the_workbook(built, audience):
    folder = built / audience / "en"
    handout = joined(pdftotext(folder / "participant-handout.pdf"))
    questions = deck_questions(folder / "deck.pptx")
    assert len(questions) >= 30
    missing = [q for q in questions if joined(q) not in handout]
    assert not missing, missing[:3]


def test_no_facilitator_text_is_in_the_participant_workbook(built):
    """What the resolved course keeps for the facilitator (notes, prompts, teaching notes,
    answers) appears nowhere in the printed workbook."""
    from ccrl_kit.content.workspace import load_workspace
    from ccrl_kit.resolve.resolver import resolve

    from .plan.test_workbook import facilitator_texts, public_texts

    course = resolve(load_workspace(ROOT), "ccrl-kazakhstan", "civil-servants", "en")
    public = flat(public_texts(course))
    private = {flat(t) for t in facilitator_texts(course) if len(t) > 60}
    private = {t for t in private if t[:60] not in public}
    assert len(private) > 100
    handout = joined(pdftotext(built / "civil-servants" / "en" / "participant-handout.pdf"))
    leaked = [t for t in private if joined(t[:60]) in handout]
    assert not leaked, leaked[:3]
    guide = joined(pdftotext(built / "civil-servants" / "en" / "facilitator-guide.pdf"))
    assert sum(joined(t[:60]) in guide for t in private) > 0.9 * len(private)  # the check sees


def test_the_schedule_shows_clock_times_breaks_and_lunch(built):
    for name in ("facilitator-guide.pdf", "participant-handout.pdf"):
        text = flat(pdftotext(built / "educators" / "en" / name))
        assert re.search(r"09:00\s*–\s*09:45 Orientation", text), name
        assert re.search(r"\d\d:\d\d\s*–\s*\d\d:\d\d Lunch", text), name
        assert "March 2–3, 2026" in text or "March 2, 2026" in text


@pytest.mark.parametrize("name", PDFS)
def test_pdfs_are_tagged_and_embed_only_the_shipped_fonts(built, name):
    pdf = built / "law-enforcement" / "en" / name
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert re.search(r"Tagged:\s+yes", info)
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                         check=True).stdout
    rows = out.splitlines()[2:]
    shipped = {p.stem for p in (ROOT / "templates" / "fonts").glob("*.ttf")}
    assert rows, "no fonts at all"
    for row in rows:
        assert re.search(r"\byes\s+yes\s+yes\b", row), row
        assert row.split()[0].split("+", 1)[-1] in shipped, row


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
def test_the_word_files_have_headings_page_numbers_and_contents(built, name):
    path = built / "educators" / "en" / name
    doc = Document(str(path))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert "Legal context" in headings and "Courts and rights" in headings
    assert sum(p.style.name == "Heading 1" for p in doc.paragraphs) >= 11
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode()
        footers = "".join(z.read(n).decode() for n in z.namelist() if "footer" in n)
    assert 'TOC \\o "1-1"' in xml and "<w:tblHeader/>" in xml
    assert 'w:instr="PAGE"' in footers
    headers = {s.header.paragraphs[0].text.split("\t")[-1] for s in doc.sections}
    assert "Legal context" in headers


def test_the_word_guide_has_the_pdfs_sections_and_slide_references(built):
    folder = built / "educators" / "en"
    doc = Document(str(folder / "facilitator-guide.docx"))
    text = word_text(folder / "facilitator-guide.docx")
    pdf = flat(pdftotext(folder / "facilitator-guide.pdf"))
    word = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert all(flat(h) in pdf for h in word)
    assert "Day 1 at a glance" in word and "Sources" in word
    assert re.search(r"Slide \d+: ", text)


def word_text(path: Path) -> str:
    """Every piece of text of a Word file, table cells (the boxes) included."""
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode()
    return " ".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


def test_the_word_workbook_holds_no_answer_key(built):
    text = word_text(built / "educators" / "en" / "participant-handout.docx")
    assert "Answer:" not in text and "Teaching note" not in text
    guide = word_text(built / "educators" / "en" / "facilitator-guide.docx")
    assert "Answer:" in guide and "Teaching note" in guide


def test_the_workbook_has_the_check_at_both_ends_glossary_and_evaluation(built):
    text = flat(pdftotext(built / "university" / "en" / "participant-handout.pdf"))
    before = text.index("Knowledge check — before the course")
    after = text.rindex("Knowledge check — after the course")
    first_module = text.index("Orientation: the report, the course and how we work", before)
    assert before < first_module < after
    assert "Glossary" in text and "Course evaluation" in text
    assert "What will you apply in your work" in text
    assert "Thirty days later" in text


def test_certificates_one_page_per_name_or_one_blank(built, tmp_path):
    assert pages(built / "university" / "en" / "certificates.pdf") == 1
    names = tmp_path / "names.csv"
    names.write_text("name,organisation\nАйгерім Нұрланқызы,CRA\nJohn Smith,Police\n",
                     encoding="utf-8")
    out = tmp_path / "out"
    build(Settings(workspace=ROOT, audiences=("university",), formats=("pdf",), out=out,
                   participants=names))
    pdf = out / "ccrl-kazakhstan" / "university" / "en" / "certificates.pdf"
    text = flat(pdftotext(pdf))
    assert pages(pdf) == 2
    assert "Айгерім Нұрланқызы" in text and "John Smith" in text
    assert "12 h 15 min of training" in text  # the modules and the two checks
    assert "Love Your Neighbor Community (LYNC)" in text
    assert "Cross-Cultural Religious Literacy for public officials in Kazakhstan" in text


@pytest.mark.parametrize("lang, day, slides", [("ru", "День 1: план дня", "Слайды"),
                                               ("kk", "1-күн: күн жоспары", "Слайдтар")])
def test_russian_and_kazakh_documents_use_their_own_wording(languages, lang, day, slides):
    text = flat(pdftotext(languages / lang / "facilitator-guide.pdf"))
    assert day in text and slides in text
    for english in ("Slides ", "at a glance", "Run sheet", "minutes", "Page "):
        assert english not in text, english
    workbook = flat(pdftotext(languages / lang / "participant-handout.pdf"))
    assert "Audience" not in workbook and "Аудитория" in workbook
    if lang == "kk":
        assert set("әғқңөұүі") <= set(workbook.lower())
    with zipfile.ZipFile(languages / lang / "facilitator-guide.docx") as z:
        assert f'w:val="{lang}"' in z.read("word/styles.xml").decode()


def test_docx_reopens_in_python_docx_after_a_round_trip(built, tmp_path):
    data = (built / "educators" / "en" / "facilitator-guide.docx").read_bytes()
    doc = Document(io.BytesIO(data))
    doc.save(tmp_path / "again.docx")
    assert Document(str(tmp_path / "again.docx")).paragraphs
