"""Audiences, budgets and languages from one source: selection, overrides, fitting, fallback."""

from __future__ import annotations

import subprocess

import pytest
from click.testing import CliRunner
from pptx import Presentation

from ccrl_kit.cli import main
from ccrl_kit.content.workspace import load_workspace
from ccrl_kit.resolve.budget import BudgetError
from ccrl_kit.resolve.labels import Labels
from ccrl_kit.resolve.resolver import fallback_chain, resolve

from .conftest import MINIMAL_MODULE, ROOT, flat, pdftotext

KAZAKH = set("әғқңөұүі")  # the letters Kazakh adds to Russian Cyrillic (һ is rare)


def deck_text(path) -> str:
    prs = Presentation(str(path))
    return "\n".join(sh.text_frame.text for s in prs.slides for sh in s.shapes
                     if sh.has_text_frame)


def test_russian_plural_forms_come_from_babel():
    ru = Labels("ru")
    assert [ru.minutes(n) for n in (1, 2, 5, 21, 22, 25)] == [
        "1 минута", "2 минуты", "5 минут", "21 минута", "22 минуты", "25 минут"]
    assert Labels("en").minutes(1) == "1 minute" and Labels("en").minutes(2) == "2 minutes"
    assert Labels("kk").minutes(5) == "5 минут"


@pytest.mark.slow
def test_kazakh_falls_back_to_russian_then_english():
    ws = load_workspace(ROOT)
    course = ws.courses["ccrl-kazakhstan"]
    assert fallback_chain(course, "kk")[:3] == ("kk", "ru", "en")
    resolved = resolve(ws, "ccrl-kazakhstan", "educators", "kk")
    legal = next(m for m in resolved.modules if m.id == "legal-context")
    assert legal.title == "Құқықтық контекст"
    # facilitator notes are written in English and Russian only: Russian is next
    assert legal.facilitator.notes[0].text.startswith("Хронометраж")
    terms = {g.term for g in resolved.glossary}
    assert any(set(t) & KAZAKH for t in terms)  # the glossary is in Kazakh


def test_an_audience_sees_only_its_items(minimal):
    ws = load_workspace(minimal)
    police = resolve(ws, "mini", "police", "en").modules[0]
    teachers = resolve(ws, "mini", "teachers", "en").modules[0]
    assert [q.text for q in police.questions][-1] == "Only for the police?"
    assert "Only for the police?" not in [q.text for q in teachers.questions]


def test_an_audience_override_replaces_a_field(minimal):
    (minimal / "modules" / "intro.yaml").write_text(
        MINIMAL_MODULE + "overrides:\n  police:\n    summary: A module for officers.\n",
        encoding="utf-8")
    ws = load_workspace(minimal)
    assert resolve(ws, "mini", "police", "en").modules[0].summary == "A module for officers."
    assert resolve(ws, "mini", "teachers", "en").modules[0].summary == "A short module."


def test_audiences_add_their_own_questions(minimal):
    (minimal / "audiences" / "teachers.yaml").write_text(
        "id: teachers\nname: Teachers\nparticipants: Teachers.\nneeds: [Fair teaching.]\n"
        "questions:\n  intro:\n    - text: How would you explain this in class?\n"
        "      minutes: 5\n", encoding="utf-8")
    ws = load_workspace(minimal)
    module = resolve(ws, "mini", "teachers", "en").modules[0]
    assert module.questions[-1].text == "How would you explain this in class?"
    assert module.minutes == 15


@pytest.mark.slow
def test_a_time_budget_drops_optional_items_and_says_which():
    ws = load_workspace(ROOT)
    course = resolve(ws, "ccrl-kazakhstan", "law-enforcement", "en", minutes=90)
    assert course.minutes <= 90
    assert [m.id for m in course.modules] == ["security-context", "legal-context"]
    assert course.dropped[0].startswith("module 'synthesis-and-action' (")
    assert any(d.startswith("discussion question in 'security-context'") for d in course.dropped)
    assert not any("drawing-the-line" in d for d in course.dropped)
    assert course.days[0].sessions[0].start.strftime("%H:%M") == "09:00"


@pytest.mark.slow
def test_a_budget_that_cannot_be_met_fails_clearly():
    ws = load_workspace(ROOT)
    with pytest.raises(BudgetError, match="cannot fit 10 minutes: after dropping every"):
        resolve(ws, "ccrl-kazakhstan", "law-enforcement", "en", minutes=10)


@pytest.mark.slow
def test_the_briefing_course_builds_in_90_minutes_and_reports_drops(tmp_path):
    result = CliRunner().invoke(main, ["-C", str(ROOT), "build", "law-enforcement-briefing",
                                       "-f", "html", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "law-enforcement/en: dropped" in result.output
    assert "  - activity 'testing-a-restriction' of 'legal-context' (15 min)" in result.output
    assert "drawing-the-line" not in result.output


def test_law_enforcement_and_educators_decks_differ_as_their_profiles_say(built):
    police = deck_text(built / "law-enforcement" / "en" / "deck.pptx")
    teachers = deck_text(built / "educators" / "en" / "deck.pptx")
    assert "Policing the grey area" in police
    assert "Policing the grey area" not in teachers
    assert "Keeping every pupil in class" in teachers
    assert "Keeping every pupil in class" not in police


def test_the_russian_deck_and_handouts_are_russian(languages):
    deck = deck_text(languages / "ru" / "deck.pptx")
    assert "К концу модуля вы сможете:" in deck and "Ключевые выводы" in deck
    assert "By the end of this module" not in deck and "Key messages" not in deck
    assert "Правовой контекст" in deck and "МРП" in deck
    handout = flat(pdftotext(languages / "ru" / "participant-handout.pdf"))
    assert "Проверка знаний — до курса" in handout and "Глоссарий" in handout
    assert "2–3 марта 2026 г." in handout


def test_kazakh_outputs_carry_kazakh_letters(languages):
    deck = deck_text(languages / "kk" / "deck.pptx")
    assert "Модуль соңында сіз мыналарды істей аласыз:" in deck
    assert set(deck) >= KAZAKH - {"ң"}, sorted(KAZAKH - set(deck))
    pdf = languages / "kk" / "participant-handout.pdf"
    handout = pdftotext(pdf)
    assert set(handout) >= KAZAKH, sorted(KAZAKH - set(handout))
    assert "Білімді тексеру — курсқа дейін" in flat(handout)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    # only the shipped Noto fonts, which have every Kazakh letter: no fallback font was needed
    assert all("Noto" in row for row in fonts.splitlines()[2:]), fonts


def paragraphs(path) -> list[str]:
    prs = Presentation(str(path))
    return [p.text.strip() for s in prs.slides for sh in s.shapes if sh.has_text_frame
            for p in sh.text_frame.paragraphs if p.text.strip()]


def test_the_kazakh_deck_is_kazakh_not_russian(languages):
    """A Kazakh line identical to a line of the Russian deck is Russian fallback (or a name
    both languages write alike, such as a city): at least 90% of the Cyrillic lines are not."""
    kazakh = [p for p in paragraphs(languages / "kk" / "deck.pptx")
              if any("а" <= c.lower() <= "я" or c in KAZAKH for c in p)]
    russian = set(paragraphs(languages / "ru" / "deck.pptx"))
    same = [p for p in kazakh if p in russian]
    assert len(kazakh) > 500
    assert len(same) <= 0.1 * len(kazakh), same


def test_kazakh_participant_text_needs_no_fallback():
    from ccrl_kit.resolve.labels import fallback_warnings

    ws = load_workspace(ROOT)
    course = ws.courses["ccrl-kazakhstan"]
    assert fallback_warnings(ws, course.id, course.audiences, ["kk"],
                             ["deck", "participant-handout", "certificates"]) == []


def test_a_bilingual_deck_shows_both_languages(languages):
    deck = deck_text(languages / "en+ru" / "deck.pptx")
    # the pair in one box: the English line, then the Russian under it
    assert "By the end of this module you can:\nК концу модуля вы сможете:" in deck
    assert "Legal context" in deck and "Правовой контекст" in deck


def test_i18n_reports_coverage_and_drafts():
    result = CliRunner().invoke(main, ["-C", str(ROOT), "i18n"])
    assert result.exit_code == 0
    line = next(ln for ln in result.output.splitlines() if ln.startswith("legal-context"))
    assert "100% draft" in line
    assert "draft: translated for the course" in result.output
