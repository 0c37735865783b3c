"""The resolver: one audience, one language, every choice made (roles, alternates, checks,
chart order, budgets that keep what an audience needs)."""

from __future__ import annotations

import pytest

from ccrl_kit.content.workspace import load_workspace
from ccrl_kit.errors import ContentError
from ccrl_kit.resolve.budget import BudgetError
from ccrl_kit.resolve.resolver import resolve

from ..conftest import MINIMAL_AUDIENCES, MINIMAL_COURSE

MODULE = """\
id: intro
title: Introduction
summary: A short module.
minutes: 40
objectives:
  - text: Name the four contexts.
    parts: [contexts]
  - text: Decide as a police chief would.
    parts: [policing, case]
  - text: Explain the rest.
    parts: [more]
key_messages: [The report looks at four contexts.]
sections:
  - id: contexts
    title: Four contexts
    minutes: 5
    bullets: [Historical, security, geopolitical and legal.]
    chart:
      caption: Scores
      alt: A chart of scores for three countries, with the regional mean as a line.
      categories: [{en: Alpha, ru: Альфа}, Beta, Gamma]
      series: [{name: "2023", values: [10, 30, 20]}]
      references: [{name: Regional mean, value: 15}]
      highlight: [Beta]
      sort: descending
  - id: background
    title: Background
    minutes: 5
    bullets: [More background.]
  - id: more
    title: More
    minutes: 5
    bullets: [Still more.]
  - id: policing
    title: For the police
    minutes: 5
    audiences: [police]
    bullets: [Only for officers.]
case_studies:
  - id: case
    title: A case
    minutes: 10
    background: [Background.]
    facts: [Facts.]
    decision_point:
      - text: Decide as everyone would.
      - audiences: [police]
        role: You are the district police chief.
        text: Decide as a police chief would.
    questions: [What now?]
    sources: [report]
    teaching_note:
      road_map: [{minutes: 10, text: Discuss.}]
      epilogue: What happened.
questions:
  - text: First question?
    minutes: 10
  - text: A spare question?
    alternate: true
knowledge_check:
  - question: How many contexts?
    objective: 1
    facilitator: {answer: Four, explanation: The report names four.}
sources:
  - {id: report, kind: report, citation: Trip report.}
"""

COURSE = MINIMAL_COURSE.replace("      - module: intro\n", "      - pre_check: 10\n      - module: intro\n      - post_check: 10\n")


@pytest.fixture
def ws(workspace):
    return load_workspace(workspace({"modules/intro.yaml": MODULE, "courses/mini.yaml": COURSE,
                                     **MINIMAL_AUDIENCES}))


def test_each_audience_sees_the_decision_point_written_for_it(ws):
    police = resolve(ws, "mini", "police", "en").modules[0].case_studies[0]
    teachers = resolve(ws, "mini", "teachers", "en").modules[0].case_studies[0]
    assert (police.role, police.decision_point) == (
        "You are the district police chief.", "Decide as a police chief would.")
    assert (teachers.role, teachers.decision_point) == ("", "Decide as everyone would.")


def test_alternate_questions_are_untimed_and_the_checks_sit_in_the_schedule(ws):
    course = resolve(ws, "mini", "teachers", "en")
    module = course.modules[0]
    assert module.minutes == 35  # the police section is not theirs; the alternate is untimed
    assert [q.alternate for q in module.questions] == [False, True]
    kinds = [s.kind for s in course.days[0].sessions]
    assert kinds == ["pre-check", "module", "post-check"]
    assert course.check_minutes == (10, 10) and course.minutes == 55
    assert [k.objective for k in course.knowledge_check] == ["Name the four contexts."]


def test_a_chart_is_sorted_with_its_highlight_and_reference_lines(ws):
    chart = resolve(ws, "mini", "police", "ru").modules[0].sections[0].chart
    assert chart.categories == ("Beta", "Gamma", "Альфа")
    assert chart.series[0][1] == (30, 20, 10)
    assert chart.highlight == (0,)
    assert chart.references == (("Regional mean", 15),)


def test_a_budget_drops_the_checks_then_generic_sections_before_the_audiences_own(ws):
    course = resolve(ws, "mini", "police", "en", minutes=35)
    module = course.modules[0]
    assert course.check_minutes == (0, 0) and course.knowledge_check == ()
    assert [s.id for s in module.sections] == ["contexts", "background", "policing"]
    assert [s.kind for s in course.days[0].sessions] == ["module"]
    assert any("knowledge checks" in d for d in course.dropped)
    assert course.minutes <= 35


def test_an_objective_goes_when_every_part_teaching_it_has_gone(ws):
    module = resolve(ws, "mini", "teachers", "en", minutes=30).modules[0]
    assert [s.id for s in module.sections] == ["contexts", "background"]
    assert [o.text for o in module.objectives] == [
        "Name the four contexts.", "Decide as a police chief would."]


def test_a_budget_that_cannot_be_met_says_by_how_much(ws):
    with pytest.raises(BudgetError, match="still lasts 30 minutes"):
        resolve(ws, "mini", "police", "en", minutes=5)


def test_two_decision_points_for_one_audience_are_refused(workspace):
    bad = MODULE.replace("      - text: Decide as everyone would.\n",
                         "      - text: Decide as everyone would.\n        audiences: [police]\n")
    with pytest.raises(ContentError, match="two entries for audience 'police'"):
        load_workspace(workspace({"modules/intro.yaml": bad, "courses/mini.yaml": COURSE,
                                  **MINIMAL_AUDIENCES}))


def test_an_image_must_exist_inside_the_workspace(workspace):
    text = MODULE.replace("    bullets: [More background.]\n", (
        "    bullets: [More background.]\n"
        "    image: {file: images/none.png, alt: A photo., credit: Someone, licence: CC BY 4.0}\n"))
    with pytest.raises(ContentError) as info:
        load_workspace(workspace({"modules/intro.yaml": text, "courses/mini.yaml": COURSE,
                                  **MINIMAL_AUDIENCES}))
    assert [str(p) for p in info.value.problems] == [
        "modules/intro.yaml:30:19: sections[1].image.file: no file 'images/none.png' in the "
        "workspace"]


def test_the_default_course_comes_from_ccrl_yaml(workspace):
    root = workspace({"modules/intro.yaml": MODULE, "courses/mini.yaml": COURSE,
                      "courses/other.yaml": COURSE.replace("id: mini", "id: other"),
                      "ccrl.yaml": "default_course: other\n", **MINIMAL_AUDIENCES})
    assert load_workspace(root).default_course == "other"
    (root / "ccrl.yaml").write_text("default_course: nope\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"ccrl.yaml:1:17: default_course: unknown course 'nope'"):
        load_workspace(root)


BUDGET_MODULE = """\
id: intro
title: Introduction
summary: A short module.
minutes: 50
objectives:
  - text: Practise the drill.
    parts: [drill]
key_messages: [Keep the drill.]
sections:
  - {id: a, title: A, minutes: 5, bullets: [A.]}
  - {id: b, title: B, minutes: 5, bullets: [B.]}
  - {id: c, title: C, minutes: 5, bullets: [C.]}
  - {id: policing, title: Police, minutes: 5, audiences: [police], bullets: [P.]}
  - {id: teaching, title: Teachers, minutes: 5, audiences: [teachers], bullets: [T.]}
case_studies:
  - id: case
    title: A case
    minutes: 10
    background: [Background.]
    facts: [Facts.]
    decision_point: Decide.
    questions: [What now?]
    sources: [report]
    teaching_note: {road_map: [{minutes: 10, text: Discuss.}], epilogue: What happened.}
activities:
  - id: drill
    audiences: [police, teachers]
    title: A drill
    grouping: small-groups
    minutes: 10
    steps: [Do it.]
questions:
  - {text: First question?, minutes: 10}
sources:
  - {id: report, kind: report, citation: Trip report.}
"""


def test_a_budget_drops_generic_sections_before_an_activity_written_for_the_audience(workspace):
    ws = load_workspace(workspace({"modules/intro.yaml": BUDGET_MODULE,
                                   "courses/mini.yaml": MINIMAL_COURSE, **MINIMAL_AUDIENCES}))
    module = resolve(ws, "mini", "police", "en", minutes=45).modules[0]
    assert [a.id for a in module.activities] == ["drill"]
    assert [s.id for s in module.sections] == ["a", "b", "policing"]
    assert module.minutes == 45
