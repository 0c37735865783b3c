"""The courts, dialogue and synthesis modules: their facts, standards and teaching rules.

The three modules are loaded into a small workspace of their own (with the shipped audiences) so
that these checks do not depend on the state of the other modules, then resolved per audience.
"""

from __future__ import annotations

import re

import pytest

from ccrl_kit.content.loader import load_file
from ccrl_kit.content.timing import module_minutes
from ccrl_kit.content.workspace import load_workspace
from ccrl_kit.resolve.resolver import resolve

from ..conftest import AUDIENCES, ROOT, shipped_workspace

MINUTES = {"courts-and-rights": 90, "dialogue-and-cooperation": 90, "synthesis-and-action": 75}
CHECK_ITEMS = {"courts-and-rights": 2, "dialogue-and-cooperation": 2, "synthesis-and-action": 1}
KAZAKH = re.compile(r"[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")

COURSE = """\
id: three
title: Courts, dialogue and synthesis
organiser: Test organiser
languages: [en, ru, kk]
audiences: [civil-servants, law-enforcement, educators, university]
days:
  - start: "09:00"
    sessions:
      - module: courts-and-rights
      - module: dialogue-and-cooperation
      - module: synthesis-and-action
"""


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    return load_workspace(shipped_workspace(tmp_path_factory.mktemp("three"), MINUTES,
                                            {"three": COURSE}))


@pytest.fixture(scope="module")
def raw():
    return {mid: load_file(ROOT / "modules" / f"{mid}.yaml", mid).data for mid in MINUTES}


def _en(text) -> str:
    return text.get("en") or text.get("") if isinstance(text, dict) else (text or "")


def _participant_texts(module, audience: str) -> list[str]:
    """Every English text a participant of ``audience`` sees in ``module``, sources excepted."""
    seen: list[str] = []

    def visible(item) -> bool:
        return item.audiences is None or audience in item.audiences

    seen += [_en(o.text) for o in module.objectives] + [_en(k.text) for k in module.key_messages]
    for s in filter(visible, module.sections):
        seen += [_en(s.title), *(_en(b.text) for b in s.bullets if visible(b))]
        seen += [f"{_en(q.text)} (quoted from: {_en(q.speaker)})" for q in s.quotes]
        if s.callout:
            seen.append(_en(s.callout.text))
        if s.figure:
            seen.append(_en(s.figure.label))
    for c in filter(visible, module.case_studies):
        seen += [_en(c.title), *(_en(x.text) for x in (*c.background, *c.facts))]
        seen += [_en(d.text) for d in c.decision_point if visible(d)]
        seen += [_en(d.role) for d in c.decision_point if visible(d) and d.role]
        seen += [_en(q.text) for q in c.questions if visible(q)]
    for a in filter(visible, module.activities):
        seen += [_en(a.title), _en(a.purpose), *(_en(s.text) for s in a.steps if visible(s))]
        seen += [_en(m.text) for m in a.materials]
        seen += [_en(b.text) for r in a.roles for b in r.brief] + [_en(q.text) for q in a.debrief]
    seen += [_en(q.text) for q in module.questions if visible(q) and not q.alternate]
    for k in module.knowledge_check:
        seen += [_en(k.question), *(_en(o) for o in k.options)]
    seen += [_en(g.term) + " " + _en(g.definition) for g in module.glossary]
    return [t for t in seen if t]


# --- timing and structure -------------------------------------------------------------------


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("mid", MINUTES)
def test_timed_parts_add_up_for_every_audience(ws, mid, audience):
    module = ws.modules[mid]
    assert module.minutes == MINUTES[mid]
    assert module_minutes(module, ws.audiences[audience]) == MINUTES[mid]


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("mid", MINUTES)
def test_one_or_two_plenary_questions_of_ten_to_fifteen_minutes(ws, mid, audience):
    shown = [q for q in ws.modules[mid].questions
             if q.audiences is None or audience in q.audiences]
    plenary = [q for q in shown if not q.alternate]
    assert 1 <= len(plenary) <= 2
    assert all(10 <= q.minutes <= 15 for q in plenary)
    assert all(q.facilitator.prompts and q.facilitator.themes for q in shown)
    assert len(shown) >= 4  # the rest wait in the facilitator guide as alternates


@pytest.mark.parametrize("mid", MINUTES)
def test_objectives_are_measurable_and_taught_for_every_audience(ws, mid):
    module = ws.modules[mid]
    assert 2 <= len(module.objectives) <= 4
    parts = {x.id: x for x in (*module.sections, *module.case_studies, *module.activities)}
    for objective in module.objectives:
        assert objective.parts
        for audience in AUDIENCES:
            assert any(parts[p].audiences is None or audience in parts[p].audiences
                       for p in objective.parts), (objective.text, audience)


ROLE_WORDS = {
    "law-enforcement": ("police", "investigator"),
    "educators": ("school",),
    "civil-servants": ("akimat",),
    "university": ("adviser",),
}


@pytest.mark.parametrize("mid", ["courts-and-rights", "dialogue-and-cooperation"])
def test_every_case_has_a_role_for_each_audience(ws, mid):
    for case in ws.modules[mid].case_studies:
        for audience, words in ROLE_WORDS.items():
            mine = [d for d in case.decision_point if d.audiences and audience in d.audiences]
            assert len(mine) == 1, (case.id, audience)
            role = _en(mine[0].role).lower()
            assert any(w in role for w in words), (case.id, audience, role)
            assert mine[0].text.get("kk")
            shown = [q for q in case.questions if q.audiences is None or audience in q.audiences]
            assert 1 <= len(shown) <= 4


NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def _groups(text: str) -> int | None:
    m = re.search(r"\b(\w+) (?:groups|pairs|volunteers) report|\b(\w+) volunteers, 2 minutes",
                  text, re.IGNORECASE)
    if not m:
        return None
    word = (m.group(1) or m.group(2)).lower()
    return int(word) if word.isdigit() else NUMBERS.get(word)


@pytest.mark.parametrize("mid", MINUTES)
def test_report_backs_allow_two_minutes_a_group(ws, mid):
    module = ws.modules[mid]
    for case in module.case_studies:
        for step in case.teaching_note.road_map:
            n = _groups(_en(step.text))
            if n:
                assert step.minutes >= 2 * n, (case.id, step.text)
    for activity in module.activities:
        if activity.report_back:
            assert activity.report_back.minutes >= 2 * activity.report_back.groups


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("mid", MINUTES)
def test_activities_name_competency_and_skill_and_their_steps_add_up(ws, mid, audience):
    for activity in ws.modules[mid].activities:
        assert activity.competency and activity.skill, activity.id
        assert activity.debrief, activity.id
        steps = [s for s in activity.steps if s.audiences is None or audience in s.audiences]
        timed = [int(m) for s in steps
                 for m in re.findall(r"\((\d+) minutes?\)", _en(s.text))]
        assert sum(timed) == activity.minutes, (activity.id, timed)


def test_the_role_play_practises_negotiation_with_role_cards(ws):
    plays = [a for a in ws.modules["dialogue-and-cooperation"].activities
             if a.grouping == "role-play"]
    assert len(plays) == 1
    play = plays[0]
    assert play.skill == "negotiation" and play.competency
    assert 3 <= len(play.roles) <= 5
    steps = " ".join(_en(s.text) for s in play.steps)
    for phase in ("Briefing", "Play", "debrief"):
        assert phase in steps
    players = [r for r in play.roles if r.id != "process-observer"]
    for role in players:
        brief = " ".join(_en(b.text) for b in role.brief)
        for heading in ("Who you are", "What you know", "What you want", "What you may concede"):
            assert heading in brief, (role.id, heading)
        assert all(b.text.get("kk") for b in role.brief)
    debrief = " ".join(_en(q.text) for q in play.debrief)
    assert "CCRL competencies" in debrief and "interests" in debrief
    assert play.report_back and play.report_back.minutes >= 2 * play.report_back.groups
    note = " ".join(_en(n) for n in play.facilitator.notes)
    assert "invented" in note and "not the Aktau pastor" in note


# --- knowledge check --------------------------------------------------------------------------


@pytest.mark.parametrize("mid", MINUTES)
def test_knowledge_check_quota_and_answer_keys(ws, mid):
    items = ws.modules[mid].knowledge_check
    assert len(items) == CHECK_ITEMS[mid]
    for item in items:
        options = [_en(o) for o in item.options]
        assert 3 <= len(options) <= 4
        assert _en(item.facilitator.answer) in options
        assert _en(item.facilitator.explanation)
        assert item.objective and item.objective <= len(ws.modules[mid].objectives)
        lengths = [len(o) for o in options]
        assert max(lengths) <= 2 * min(lengths), options  # no give-away long answer
        assert all(o.get("kk") for o in item.options) and item.question.get("kk")


def test_the_five_items_ask_different_things(ws):
    items = [k for mid in MINUTES for k in ws.modules[mid].knowledge_check]
    stems = [_en(k.question) for k in items]
    assert len(set(stems)) == len(stems) == 5
    answers = [_en(k.facilitator.answer) for k in items]
    assert len(set(answers)) == 5
    joined = " ".join(stems)
    # one scenario on the rulings, one on the standard, one on 4a, one builders' first meeting,
    # one on trust and security
    for construct in ("Supreme Court", "General Comment 22", "recommendation 4a",
                      "builders' approach", "Low trust"):
        assert construct in joined, construct


# --- facts and standards ----------------------------------------------------------------------

FACTS = {
    "courts-and-rights": [
        r"14 June 2016", r"Supreme Court of the Republic of Kazakhstan upheld",
        r"Jehovah's Witness conscientious objector", r"highly significant",
        r"did not declare the relevant provisions of the 2016 Order unconstitutional",
        r"parents' claims were not satisfied", r"General Comment 22 \(1993\), para\. 4",
        r"Para\. 11: a right of conscientious objection", r"Article 18\(3\)",
    ],
    "dialogue-and-cooperation": [
        r"Almaty Model", r"marathons", r"two non-registered communities",
        r"Shymkent, Aktobe, Ust-Kamenogorsk and Astana", r"Recommendation 4b",
        r"Spiritual Administration of Muslims of Kazakhstan", r"Nestorian",
        r"A/HRC/19/60 \(2011\), para\. 41", r"Faith for Rights",
    ],
    "synthesis-and-action": [
        r"bureaucratic caution, excessive control, and low trust", r"soft engagement",
        r"undermine long-term security and social cohesion", r"durable institutions of trust",
    ],
}


@pytest.mark.parametrize("mid", MINUTES)
def test_the_modules_carry_their_facts_for_every_audience(ws, mid):
    for audience in AUDIENCES:
        text = " ".join(_participant_texts(ws.modules[mid], audience))
        for fact in FACTS[mid]:
            assert re.search(fact, text), (mid, audience, fact)


def test_synthesis_shows_the_three_patterns_as_a_figure(ws):
    section = next(s for s in ws.modules["synthesis-and-action"].sections
                   if s.id == "soviet-patterns")
    assert section.figure and _en(section.figure.value) == "3"


STANDARDS = {
    "iccpr-18": "Article 18",
    "gc22": "CCPR/C/21/Rev.1/Add.4",
    "yoon-choi-2006": "CCPR/C/88/D/1321-1322/2004",
    "hudoyberganova-2004": "CCPR/C/82/D/931/2000",
    "sr-report-2006": "E/CN.4/2006/5",
    "sr-recognition-2011": "A/HRC/19/60",
    "faith-for-rights": "Beirut Declaration",
}


def test_international_standards_cite_their_documents(ws):
    for module in (ws.modules[m] for m in MINUTES):
        for source in module.sources:
            if source.id in STANDARDS:
                assert source.kind == "standard"
                assert STANDARDS[source.id] in _en(source.citation)
    courts = {s.id for s in ws.modules["courts-and-rights"].sources}
    assert {"iccpr-18", "gc22", "yoon-choi-2006"} <= courts
    dialogue = {s.id for s in ws.modules["dialogue-and-cooperation"].sources}
    assert {"sr-recognition-2011", "faith-for-rights"} <= dialogue


VERIFIED_GC22_PARAGRAPHS = {"2", "3", "4", "5", "8", "11"}


@pytest.mark.parametrize("mid", MINUTES)
def test_only_verified_general_comment_paragraphs_are_cited(raw, mid):
    text = str(raw[mid])
    for m in re.finditer(r"General Comment(?: No\.)? 22[^.;]{0,40}?paras?\.? ([\d, and]+)", text):
        for para in re.findall(r"\d+", m.group(1)):
            assert para in VERIFIED_GC22_PARAGRAPHS, m.group(0)
    for m in re.finditer(r"Para\. (\d+):", text):
        assert m.group(1) in VERIFIED_GC22_PARAGRAPHS


OUTSIDE_FACTS = (
    "garrison", "forum 18", "orda", "press service", "november 2023", "april 2024", "2023",
    "2024", "alternative civilian service", "595", "3,088", "3,932", "4,325", "daniil", "smal",
    "religious minister", "does not directly recognise",
)


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("mid", MINUTES)
def test_no_outside_fact_in_participant_text(ws, mid, audience):
    for text in _participant_texts(ws.modules[mid], audience):
        low = text.lower()
        found = [w for w in OUTSIDE_FACTS if re.search(rf"\b{re.escape(w)}\b", low)]
        assert not found, (mid, found, text)


def test_the_outside_facts_live_in_facilitator_notes(raw):
    courts = str(raw["courts-and-rights"]["facilitator"])
    for fact in ("9 November 2023", "16 April 2024", "no alternative civilian service",
                 "26 September 2024"):
        assert fact in courts or fact in str(raw["courts-and-rights"]["case_studies"]), fact


JUDGEMENTS = re.compile(r"\b(successful|landmark|humanitarian|balanced|significant|transformative|"
                        r"progress|fading|improvements?|safe spaces|good practice)\b", re.I)
ATTRIBUTED = re.compile(r"report|delegation|footnote|according|committee|court|the conclusion|"
                        r"recommendation|judges|sees|calls|says|names|cites|'s words", re.I)


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("mid", MINUTES)
def test_judgements_say_whose_they_are(ws, mid, audience):
    for text in _participant_texts(ws.modules[mid], audience):
        if JUDGEMENTS.search(text):
            assert ATTRIBUTED.search(text), text


@pytest.mark.parametrize("mid", MINUTES)
def test_traditional_labels_are_the_reports_not_the_courses(ws, mid):
    for audience in AUDIENCES:
        for text in _participant_texts(ws.modules[mid], audience):
            if re.search(r"non-traditional|\btraditional\b", text):
                assert re.search(r"report|officials", text) or '"' in text, text


# --- language ---------------------------------------------------------------------------------


def _texts(data, facilitator=False):
    if isinstance(data, dict):
        if data and set(data) <= {"en", "ru", "kk"} and all(isinstance(v, str) for v in data.values()):
            yield data, facilitator
            return
        for key, value in data.items():
            yield from _texts(value, facilitator or key in ("facilitator", "teaching_note"))
    elif isinstance(data, list):
        for value in data:
            yield from _texts(value, facilitator)


@pytest.mark.parametrize("mid", MINUTES)
def test_every_participant_text_is_in_kazakh_and_reads_as_kazakh(raw, mid):
    participant = [t for t, facil in _texts(raw[mid]) if not facil]
    assert participant
    assert all(t.get("kk", "").strip() and t.get("ru", "").strip() for t in participant), [
        t.get("en") for t in participant if not t.get("kk")]
    long = [t["kk"] for t in participant if len(t["kk"].split()) >= 4]
    kazakh = [t for t in long if KAZAKH.search(t)]
    assert len(kazakh) >= 0.95 * len(long), [t for t in long if not KAZAKH.search(t)][:5]
    assert set(raw[mid]["drafts"]) == {"ru", "kk"}


@pytest.mark.parametrize("mid", MINUTES)
def test_kazakh_decades_and_no_mixed_headings(raw, mid):
    for text, _ in _texts(raw[mid]):
        kk = text.get("kk", "")
        assert not re.search(r"\d{4}-х|\d{4}s", kk), kk  # Russian or English decade forms
    for section in raw[mid]["sections"]:
        title = section["title"]["kk"]
        assert not re.search(r"[A-Za-z]{4,}", title.replace("CCRL", "")), title


@pytest.mark.parametrize("mid", MINUTES)
def test_slide_text_stays_short(raw, mid):
    for section in raw[mid]["sections"]:
        assert len(section.get("bullets") or []) <= 6, section["id"]
        for bullet in section.get("bullets") or []:
            assert len(bullet["text"]["en"].split()) <= 25, bullet["text"]["en"]


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
@pytest.mark.parametrize("audience", AUDIENCES)
def test_each_audience_resolves_in_each_language(ws, audience, lang):
    course = resolve(ws, "three", audience, lang)
    assert [m.id for m in course.modules] == list(MINUTES)
    assert [m.minutes for m in course.modules] == list(MINUTES.values())
    case = course.modules[0].case_studies[0]
    assert case.role and case.decision_point


# --- terminology and honesty ------------------------------------------------------------------


@pytest.mark.parametrize("mid", MINUTES)
def test_the_aktau_pastor_stays_unnamed_and_unfined_and_quotes_are_not_repeated(raw, mid):
    text = str(raw[mid])
    assert not re.search(r"\d+\s*(MCI|tenge|МРП|тенге)[^.]*pastor|pastor[^.]*\d+\s*(MCI|tenge)",
                         text)
    quotes = [_en(q["text"]) for s in raw[mid]["sections"] for q in s.get("quotes") or []]
    for elsewhere in ("I sit with everyone else", "All of these things have to be discussed",
                      "Before, the government responded"):
        assert not any(elsewhere in q for q in quotes)


def test_headscarf_language_is_person_first(raw):
    text = str(raw["courts-and-rights"]) + str(raw["dialogue-and-cooperation"])
    assert "schoolgirls who wear headscarves" in text
    assert not re.search(r"hijabi|headscarf girls|girls in hijabs", text, re.I)


def test_synthesis_ends_with_plans_and_recap_and_describes_the_follow_up(raw):
    synthesis = raw["synthesis-and-action"]
    ids = [a["id"] for a in synthesis["activities"]]
    assert ids == ["action-plan"]
    assert not re.search(r"certificate", str(synthesis["activities"]) + str(synthesis["sections"]),
                         re.I)
    recap = [q for q in synthesis["questions"] if not q.get("alternate")]
    assert len(recap) == 1 and "recap" in recap[0]["text"]["en"].lower()
    notes = " ".join(n["text"]["en"] for n in synthesis["facilitator"]["notes"])
    assert "30 days" in notes and "Kirkpatrick" in notes
    items = re.findall(r"\((\d)\) [A-Z]", notes)
    assert 4 <= len(items) <= 6 and items == [str(i) for i in range(1, len(items) + 1)]


def test_disclosure_of_recommendation_4b(raw):
    notes = str(raw["dialogue-and-cooperation"]["facilitator"]["notes"])
    assert "Greg Mitchell" in notes and "4b" in notes
