"""The facilitator guide's plan: a run-sheet with clock times, every slide cited by the number
it shows, drawn previews, the facilitator's notes, one source list."""

from __future__ import annotations

import dataclasses
import itertools
import re

import pytest

from ccrl_kit.plan import blocks as b
from ccrl_kit.plan.guide import plan_facilitator_guide, slides_text
from ccrl_kit.resolve.labels import Labels

from ..samples import SECRETS, sample_course, sample_deck

EN = Labels("en")


@pytest.fixture
def guide() -> b.Document:
    return plan_facilitator_guide(sample_course(), sample_deck(first=1), EN)


def steps(doc: b.Document) -> list[b.Step]:
    return [x for x in b.walk(doc.blocks) if isinstance(x, b.Step)]


def all_text(doc: b.Document) -> str:
    return "\n".join(t for x in b.walk(doc.blocks) for t in b.texts(x))


def test_every_step_has_a_clock_time_and_the_steps_chain_through_the_session(guide):
    times = [s.time for s in steps(guide)]
    assert all(times)
    assert times[0] == "09:00"  # the module's opening, at its session's start
    ranges = [t for t in times if "–" in t]
    assert ranges[:3] == ["09:00–09:10", "09:10–09:15", "09:15–09:25"]
    gaps = [(a, b) for a, b in itertools.pairwise(ranges) if a.split("–")[1] != b.split("–")[0]]
    # the module's five spare minutes, then the break between the check and the next module
    assert gaps == [("09:15–09:25", "09:30–09:40"), ("09:30–09:40", "09:45–10:05")]
    assert ranges[-3:] == ["10:20–10:30", "10:30–10:40", "10:40–10:50"]
    assert not re.search(r"\+\d+′", all_text(guide))


def test_a_case_road_map_is_timed_on_the_clock(guide):
    tables = [x for x in b.walk(guide.blocks) if isinstance(x, b.Table)
              and x.columns == (EN["time"], EN["road_map"])]
    assert [b.plain(row[0]) for row in tables[0].rows] == ["09:45–09:50", "09:50–10:05"]


def test_every_slide_is_cited_once_by_the_number_it_shows():
    deck = sample_deck(first=3)  # numbers that are not positions: a plan that numbers itself
    doc = plan_facilitator_guide(sample_course(), deck, EN)
    cited = [s.number for step in steps(doc) for s in step.slides]
    assert sorted(cited) == [s.number for s in deck.slides]
    assert len(cited) == len(set(cited))
    assert cited[:4] == [3, 4, 5, 6]  # title and agenda open the first module
    opening = steps(doc)[0]
    assert opening.meta == slides_text([3, 4, 5], EN) == "Slides 3–5"


def test_slides_go_with_the_step_that_shows_them(guide):
    by_title = [(s.title, [r.number for r in s.slides]) for s in steps(guide)]
    assert ("Four contexts", [4, 5]) in by_title
    assert ("The numbers", [6, 7]) in by_title  # the "(cont.)" slide stays with its table
    assert [n for t, n in by_title if t == EN["discussion"]] == [[8], [17]]
    assert ("Case study: The pastor", [12, 13, 14, 15]) in by_title
    assert ("Activity: Map the line", [16]) in by_title
    assert [n for t, n in by_title if t == EN["step_check"]] == [[10], [19]]
    # evaluation, closing and the one sources slide: the closing session shows them
    assert by_title[-1] == (EN["step_closing"], [20, 21, 22])


def test_without_a_closing_session_the_last_slides_go_with_the_last_wrap_up():
    doc = plan_facilitator_guide(sample_course(checks=False), sample_deck(checks=False), EN)
    last = steps(doc)[-1]
    assert last.title == EN["step_wrap_up"]
    assert [r.number for r in last.slides] == [17, 18, 19, 20]  # recap, evaluation, closing, sources
    assert not any(isinstance(x, b.Step) and x.title == EN["step_check"]
                   for x in b.walk(doc.blocks))


def test_previews_are_drawn_from_the_deck_plans_frames(guide):
    refs = [r for s in steps(guide) for r in s.slides]
    first = next(r for r in refs if r.number == 4)
    assert first.label == "Slide 4" and first.size == (12192000, 6858000)
    assert [f.text for f in first.frames] == ["", "Four contexts", "Body of Four contexts"]
    assert first.frames[0].fill == "primary"


def test_the_day_at_a_glance_lists_sessions_with_clock_times_and_slides(guide):
    i = next(i for i, x in enumerate(guide.blocks) if isinstance(x, b.Heading)
             and x.text == "Day 1 at a glance")
    table = next(x for x in guide.blocks[i:] if isinstance(x, b.Table))
    rows = [[b.plain(c) for c in row] for row in table.rows]
    assert rows[0][0] == "09:00–09:30" and rows[0][3] == "Slides 1–9"
    assert rows[1][0] == "09:30–09:40" and rows[1][3] == "Slide 10"
    assert table.quiet_rows == (2,)  # the break; the checks and the closing are taught
    assert "Case study: The pastor" in rows[3][2] and rows[3][3] == "Slides 11–18"
    assert rows[5][1].startswith("Evaluation and certificates") and rows[5][3] == "Slides 20–22"
    checklist = next(x for x in guide.blocks[i:] if isinstance(x, b.Keep))
    items = [b.plain(i) for x in checklist.body if isinstance(x, b.ListBlock) for i in x.items]
    assert any("MATERIAL-omicron" in t for t in items) and any("ROOM-pi" in t for t in items)
    assert any("ready by 09:00" in t for x in checklist.body for t in b.texts(x))


def test_the_facilitators_material_is_all_there(guide):
    text = all_text(guide)
    missing = [s for s in SECRETS if s not in text]
    assert not missing


def test_one_source_list_numbered_once_for_the_whole_course(guide):
    headings = [x.text for x in b.walk(guide.blocks) if isinstance(x, b.Heading)]
    assert headings.count("Sources") == 1
    i = next(i for i, x in enumerate(guide.blocks) if isinstance(x, b.Heading)
             and x.text == "Sources")
    entries = [b.plain(item) for x in guide.blocks[i:] if isinstance(x, b.ListBlock)
               for item in x.items]
    assert entries == ["[1] Introduction.", "[2] Legal context, in full.", "[3] Footnote 10.",
                       "[4] An outside study, 2022. https://example.org/study"]
    # the second module's own source 1 (report-legal) is the course's source 2
    facts = [x for x in b.walk(guide.blocks) if isinstance(x, b.ListBlock)
             and any("Facts first." in b.plain(i) for i in x.items)]
    assert b.plain(facts[0].items[0]) == "Facts first. [2]"


def test_the_answer_key_numbers_the_items_through_the_course(guide):
    questions = [x for x in b.walk(guide.blocks) if isinstance(x, b.Question)]
    assert [(q.number, q.text) for q in questions] == [("1.", "How many contexts?"),
                                                       ("2.", "What comes first?")]
    assert "Knowledge-check questions 1–2 (answers at the back" in all_text(guide)


def test_every_string_is_in_the_build_language():
    ru = Labels("ru")
    course = dataclasses.replace(sample_course(), language="ru")
    doc = plan_facilitator_guide(course, sample_deck(), ru)
    text = all_text(doc)
    assert "Слайды 1–9" in text and "Ход занятия" in text and "Аудитория" in text
    assert "Slides 1" not in text and "10 minutes" not in text and "Time" not in text


def test_previews_beside_short_notes_are_few_and_the_rest_run_below(guide):
    by_title = {s.title: s for s in steps(guide)}
    case = by_title["Case study: The pastor"]  # four slides, a long teaching note
    opening = steps(guide)[0]  # three slides (title, agenda, divider), one note
    assert len(opening.slides) == 3 and opening.beside == 1
    assert case.beside > opening.beside
    assert all(1 <= s.beside <= len(s.slides) for s in steps(guide) if s.slides and s.body)
    assert by_title["The numbers"].beside == 0  # no notes: the previews run in a row
    assert opening.keep and not case.keep  # a long step may break across pages


@pytest.mark.parametrize("plan", ["guide", "workbook"])
def test_heading_levels_never_skip_one(plan):
    """PDF/UA-1 (and a screen reader's outline) needs headings that go down one level at a
    time."""
    from ccrl_kit.plan.workbook import plan_participant_workbook

    doc = (plan_facilitator_guide(sample_course(), sample_deck(), EN) if plan == "guide"
           else plan_participant_workbook(sample_course(), EN))
    levels = [x.level for x in b.walk(doc.blocks) if isinstance(x, b.Heading)]
    assert levels and levels[0] == 1
    assert all(later <= earlier + 1 for earlier, later in itertools.pairwise(levels))

