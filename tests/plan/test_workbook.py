"""The participant workbook's plan: nothing facilitator-only anywhere in its block tree, the
knowledge check at the front and the back, case handouts, worksheets, the evaluation."""

from __future__ import annotations

import dataclasses

import pytest

from ccrl_kit.plan import blocks as b
from ccrl_kit.plan.workbook import plan_participant_workbook
from ccrl_kit.resolve import types as r
from ccrl_kit.resolve.labels import Labels

from ..samples import sample_course

EN = Labels("en")


def strings(value) -> list[str]:
    """Every string in a tree of resolved-course dataclasses and tuples."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, tuple):
        return [x for item in value for x in strings(item)]
    if dataclasses.is_dataclass(value):
        return [x for f in dataclasses.fields(value) for x in strings(getattr(value, f.name))]
    return []


def facilitator_texts(course: r.Course) -> set[str]:
    """Every string under a facilitator-only field of the resolved course."""
    found: set[str] = set()

    def walk(value) -> None:
        if isinstance(value, tuple):
            for x in value:
                walk(x)
        elif dataclasses.is_dataclass(value):
            for f in dataclasses.fields(value):
                inner = getattr(value, f.name)
                if f.name in ("facilitator", "teaching_note", "answer_key"):
                    found.update(x for x in strings(inner) if x.strip())
                else:
                    walk(inner)

    walk(course)
    return found


def public_texts(course: r.Course) -> str:
    return "\n".join(strings(r.participant_view(course)))


@pytest.fixture
def course() -> r.Course:
    return sample_course()


@pytest.fixture
def workbook(course) -> b.Document:
    return plan_participant_workbook(course, EN)


def test_no_facilitator_text_anywhere_in_the_block_tree(course, workbook):
    public = public_texts(course)
    # an answer that repeats one of the options is not a secret
    forbidden = {t for t in facilitator_texts(course) if t not in public}
    assert len(forbidden) >= 20
    leaked = [(b.type_name(x), t, f) for x in b.walk(workbook.blocks) for t in b.texts(x)
              for f in forbidden if f in t]
    assert not leaked


def test_the_leak_check_would_see_a_leak(course, workbook):
    """The walk reaches text nested in callouts, as a leak would be."""
    leaky = dataclasses.replace(workbook, blocks=(*workbook.blocks, b.Callout(
        "note", "", (b.Keep((b.Paragraph(b.rich("PROMPT-delta intro")),)),))))
    found = [t for x in b.walk(leaky.blocks) for t in b.texts(x) if "PROMPT-delta" in t]
    assert found == ["PROMPT-delta intro"]


def test_the_knowledge_check_stands_alone_at_the_front_and_the_back(workbook):
    blocks = workbook.blocks
    heads = [i for i, x in enumerate(blocks) if isinstance(x, b.Heading) and x.level == 1]
    titles = [blocks[i].text for i in heads]
    assert titles[:3] == ["Schedule", EN["knowledge_check_before"], "Introduction"]
    assert titles[-5:] == ["Cases and practice", EN["knowledge_check_after"], "Glossary",
                           EN["evaluation_title"], "Sources"]
    for title in (EN["knowledge_check_before"], EN["knowledge_check_after"]):
        i = heads[titles.index(title)]
        assert isinstance(blocks[i - 2], b.PageBreak)  # its own pages
        end = heads[titles.index(title) + 1]
        items = [x for x in blocks[i:end] if isinstance(x, b.Question)]
        assert [(q.number, q.text, q.options) for q in items] == [
            ("1.", "How many contexts?", ("Two", "Four")),
            ("2.", "What comes first?", ("Facts", "Opinions"))]
        assert items[0].option_marks == ("a)", "b)")


def test_a_case_handout_has_facts_the_decision_point_and_room_to_write(workbook):
    i = next(i for i, x in enumerate(workbook.blocks) if isinstance(x, b.Heading)
             and x.text == "Case study: The pastor")
    case = workbook.blocks[i:i + 6]
    callouts = {x.title: x for x in case if isinstance(x, b.Callout)}
    assert b.plain(callouts["The facts"].body[0].items[0]) == "The fine was 50 MCI. [3]"  # footnote 10
    assert [t for x in callouts["Decision point"].body for t in b.texts(x)] == [
        "Your role: a district official", "You are the official: what do you do?"]
    question = next(x for x in case if isinstance(x, b.Question))
    assert question.text == "What are the risks?" and question.lines >= 3


def test_an_activity_is_a_worksheet_with_a_task_card(workbook):
    i = next(i for i, x in enumerate(workbook.blocks) if isinstance(x, b.Heading)
             and x.text == "Activity: Map the line")
    card = workbook.blocks[i + 1]
    assert isinstance(card, b.Callout) and card.kind == "card"
    assert [b.plain(s) for s in card.body[2].items] == ["Form groups. (2 minutes)",
                                                        "Sort the cards."]
    cards = [x.title for x in workbook.blocks[i + 2:i + 4] if isinstance(x, b.Callout)]
    assert cards == ["Role card: The officer", "Role card: The believer"]
    rest = workbook.blocks[i + 4:i + 7]
    assert [x.text for x in rest if isinstance(x, b.Question)] == [
        "Your notes", "Where did you disagree?"]


def test_a_module_summary_has_key_facts_and_its_chart_and_table(workbook):
    i = next(i for i, x in enumerate(workbook.blocks) if isinstance(x, b.Heading)
             and x.text == "Introduction")
    module = workbook.blocks[i:i + 8]
    assert module[0].meta == "Day 1 · 09:00–09:30 · 30 minutes"
    chart = next(x for x in module if isinstance(x, b.Chart))
    assert chart.value_texts == (("4,551", "3,890.5"),) and chart.caption_refs == "[2]"
    tables = [x.columns for x in module if isinstance(x, b.Table)]
    assert tables == [(EN["key_figures"], ""), ("Offence", "Fine")]


def test_the_evaluation_has_a_thirty_day_follow_up(workbook):
    i = next(i for i, x in enumerate(workbook.blocks) if isinstance(x, b.Heading)
             and x.text == EN["evaluation_title"])
    part = workbook.blocks[i:]
    ratings = [x for x in part if isinstance(x, b.Rating)]
    assert len(ratings) == 2 and ratings[1].items == EN.texts("followup_ratings")
    assert any(isinstance(x, b.Heading) and x.text == EN["followup_title"] for x in part)


def test_russian_numbers_and_option_letters():
    ru = Labels("ru")
    doc = plan_participant_workbook(dataclasses.replace(sample_course(), language="ru"), ru)
    chart = next(x for x in b.walk(doc.blocks) if isinstance(x, b.Chart))
    assert chart.value_texts == (("4\xa0551", "3\xa0890,5"),)
    question = next(x for x in b.walk(doc.blocks) if isinstance(x, b.Question) and x.options)
    assert question.option_marks == ("а)", "б)")
