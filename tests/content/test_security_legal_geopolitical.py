"""The security, geopolitical and legal modules: the report's facts, the international standards
cited to their documents, the edition's rules (timings, roles, activities, checks, Kazakh), and
the 90-minute law-enforcement briefing.

The three modules are loaded in a workspace of their own, so these tests do not depend on the
state of the other modules.
"""

from __future__ import annotations

import re

import pytest

from ccrl_kit.authoring.terminology import find_terms
from ccrl_kit.content.loader import load_file
from ccrl_kit.content.model import LANGUAGES, TextItem
from ccrl_kit.content.timing import for_audience, module_minutes
from ccrl_kit.content.workspace import load_workspace
from ccrl_kit.resolve.resolver import resolve
from ccrl_kit.resolve.types import participant_view

from ..conftest import AUDIENCES, ROOT, shipped_workspace

MODULES = ("security-context", "geopolitical-context", "legal-context")
CHECK_QUOTA = {"security-context": 3, "geopolitical-context": 1, "legal-context": 3}

COURSE = """\
id: three
title: Three modules
organiser: LYNC
languages: [en, ru, kk]
audiences: [civil-servants, law-enforcement, educators, university]
days:
  - start: "09:00"
    sessions:
      - module: security-context
      - module: geopolitical-context
      - module: legal-context
"""

# Footnote 8 of the report, Russian text and English translation, as the report gives them.
ARTICLE_490_RU = {
    "Article 490, Part 1": (
        "Нарушения включают: проведение религиозных обрядов, церемоний и собраний с нарушением "
        "установленных требований; осуществление благотворительной деятельности с нарушением "
        "установленного порядка; ввоз, изготовление, выпуск, издание и (или) распространение "
        "религиозной литературы и предметов религиозного назначения без надлежащего разрешения; "
        "строительство или перепрофилирование зданий под культовые сооружения без согласования."),
    "Article 490, Part 2": (
        "Эта норма применяется к действиям, направленным на воспрепятствование законной "
        "религиозной деятельности; нарушение гражданских прав по мотивам отношения к религии; "
        "оскорбление религиозных чувств; или осквернение религиозных предметов, зданий и мест, "
        "если такие действия не содержат признаков уголовного преступления."),
    "Article 490, Part 3": (
        "Нарушения включают: осуществление миссионерской деятельности без регистрации "
        "(перерегистрации); использование религиозных материалов без положительного заключения "
        "религиозно-экспертной экспертизы; распространение вероучения незарегистрированных "
        "религиозных объединений."),
    "Article 490, Part 7": (
        "В качестве альтернативной санкции введено предупреждение за руководство религиозным "
        "объединением лицом, назначенным иностранным религиозным центром без согласования с "
        "уполномоченным органом, а также за непринятие мер по недопущению участия "
        "несовершеннолетних при возражении родителей или законных представителей."),
}
ARTICLE_490_EN_PART_7 = (
    "An official warning has been introduced as the least severe administrative measure in cases "
    "where: a person appointed by a foreign religious center leads a religious association "
    "without the consent of the authorized body, or the leader fails to prevent minors' "
    "participation in religious activities when one parent or legal representative objects.")

# Facts from outside the report that belong in facilitator notes only.
OUTSIDE_FACTS = ("595", "406 children", "3,088", "3 088", "3,932", "3 932", "4,325", "4 325",
                 "tenge", "тенге", "теңге", "treaties.un.org")

KAZAKH_LETTERS = re.compile("[әғқңөұүһі]", re.IGNORECASE)
FACILITATOR_KEYS = {"facilitator", "teaching_note"}
UNTOUCHED_BLOCKS = {"table", "chart"}  # data blocks maintained outside these modules


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    return load_workspace(shipped_workspace(
        tmp_path_factory.mktemp("ws"), MODULES, {"three": COURSE},
        shipped_courses=("law-enforcement-briefing",), templates=True))


def _raw(mid: str) -> dict:
    return load_file(ROOT / "modules" / f"{mid}.yaml", mid).data


def _texts(data, path=()):
    """(path, text mapping) for every participant-facing text of raw module data."""
    if isinstance(data, dict):
        langs = [k for k in data if k in LANGUAGES]
        if langs and len(langs) == len(data):
            yield path, data
            return
        for key, value in data.items():
            if key in FACILITATOR_KEYS or key in UNTOUCHED_BLOCKS or key in (
                    "id", "url", "audiences", "parts", "kind", "grouping", "competency",
                    "skill", "minutes", "objective", "value", "drafts"):
                continue
            if key == "sources" and all(isinstance(v, str) for v in value):
                continue  # ids, not text
            yield from _texts(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _texts(value, (*path, i))
    elif isinstance(data, str):
        yield path, {"": data}


def _participant_strings(course) -> list[str]:
    out: list[str] = []

    def walk(obj):
        if isinstance(obj, str):
            out.append(obj)
        elif isinstance(obj, tuple):
            for x in obj:
                walk(x)
        elif hasattr(obj, "__dataclass_fields__"):
            for name in obj.__dataclass_fields__:
                if name not in ("id", "kind", "grouping", "competency", "skill", "path"):
                    walk(getattr(obj, name))

    for module in participant_view(course.modules):
        walk(module)
    return out


# --- the report's facts and the standards -------------------------------------------------


def test_security_carries_the_reports_facts(ws):
    module = ws.modules["security-context"]
    prevention = next(s for s in module.sections if s.id == "layered-prevention")
    assert prevention.figure is not None and set(prevention.figure.value.values()) == {"120"}
    text = " ".join(b.text["en"] for s in module.sections for b in s.bullets)
    assert "ISIS-K" in text and "120 local specialists" in text
    assert "Recommendation 1d" in text
    case = module.case_studies[0]
    assert case.id == "operation-zhusan"
    facts = " ".join(f.text["en"] for f in case.facts)
    assert "hundreds of women and children" in facts and "595" not in facts


def test_geopolitical_carries_the_congress_and_the_middle_power(ws):
    module = ws.modules["geopolitical-context"]
    text = " ".join(b.text["en"] for s in module.sections for b in s.bullets)
    assert "every three years" in text
    assert '"middle power that builds peace through dialogue"' in text
    assert "Tokayev" in text and "Tokaev" not in text
    assert "Alexander Dvorkin" in text and "Xinjiang" in text


def test_legal_carries_the_amendments_and_the_grr_scores(ws):
    module = ws.modules["legal-context"]
    fines = next(s for s in module.sections if s.id == "article-490-fines")
    rows = [[c.get("en", "") for c in row] for row in fines.table.rows]
    assert rows[1][:4] == ["Part 1", "Legal entities", "200", "100"]
    grr = next(s for s in module.sections if s.id == "grr-index")
    assert grr.chart.series[0].values == [45, 78, 72, 66, 66]
    assert [r.value for r in grr.chart.references] == [20, 10]
    text = " ".join(b.text["en"] for s in module.sections for b in s.bullets)
    assert "10 January 2025" in text and "from 50 to 25 MCI" in text


def test_article_490_is_quoted_exactly_as_footnote_8_gives_it(ws):
    parts = next(s for s in ws.modules["legal-context"].sections if s.id == "article-490-parts")
    quoted = {q.role["en"]: q for q in parts.quotes}
    for part, text in ARTICLE_490_RU.items():
        assert quoted[part].text["ru"] == text, part
    assert quoted["Article 490, Part 7"].text["en"] == ARTICLE_490_EN_PART_7
    notes = " ".join(t["ru"] for t in parts.facilitator.say)
    assert "«религиозно-экспертной экспертизы»" in notes
    assert "«религиоведческая экспертиза»" in notes


STANDARDS = {
    "iccpr-art18": ("Article 18", "2200A (XXI)", "16 December 1966"),
    "hrc-gc22": ("General Comment No. 22", "CCPR/C/21/Rev.1/Add.4", "1993"),
    "rabat-plan": ("Rabat Plan of Action", "A/HRC/22/17/Add.4", "para. 29", "2012"),
    "joint-guidelines-2014": ("Legal Personality of Religious or Belief Communities", "2014"),
    "sr-forb-2011": ("A/HRC/19/60", "para. 41"),
    "faith-for-rights": ("Faith for Rights", "A/HRC/40/58", "2017"),
}


@pytest.mark.parametrize("sid", sorted(STANDARDS))
def test_each_standard_is_cited_to_its_document(ws, sid):
    found = [s for m in ws.modules.values() for s in m.sources if s.id == sid]
    assert found and all(s.kind == "standard" for s in found)
    for source in found:
        for needle in STANDARDS[sid]:
            assert needle in source.citation["en"], (sid, needle)


@pytest.mark.parametrize("mid", ["security-context", "legal-context"])
@pytest.mark.parametrize("audience", AUDIENCES)
def test_slides_cite_article_18_the_limitation_test_and_rabat(ws, mid, audience):
    course = resolve(ws, "three", audience, "en")
    module = next(m for m in course.modules if m.id == mid)
    numbers = {s.id: s.number for s in module.sources}
    cited = {n for s in module.sections for b in s.bullets for n in b.sources}
    text = " ".join(b.text for s in module.sections for b in s.bullets)
    assert numbers["iccpr-art18"] in cited and "18(3)" in text
    assert numbers["rabat-plan"] in cited and "Rabat" in text


def test_the_rabat_factors_and_the_limitation_grounds_are_listed(ws):
    criteria = next(s for s in ws.modules["security-context"].sections
                    if s.id == "thought-and-act-criteria")
    text = " ".join(b.text["en"] for b in criteria.bullets)
    for factor in ("context", "speaker", "intent", "content and form", "extent",
                   "likelihood including imminence"):
        assert factor in text
    for ground in ("prescribed by law", "public safety", "order", "health", "morals"):
        assert ground in text


# --- the edition's rules ------------------------------------------------------------------


@pytest.mark.parametrize("mid", MODULES)
@pytest.mark.parametrize("audience", AUDIENCES)
def test_timings_add_up_and_plenary_questions_are_one_or_two(ws, mid, audience):
    module = ws.modules[mid]
    assert module_minutes(module, audience) == module.minutes
    plenary = [q for q in module.questions if not q.alternate and for_audience(q, audience)]
    assert 1 <= len(plenary) <= 2
    assert all(10 <= q.minutes <= 15 for q in plenary)


@pytest.mark.parametrize("mid", MODULES)
def test_cases_activities_objectives_and_checks_follow_the_rules(ws, mid):
    module = ws.modules[mid]
    for case in module.case_studies:
        roles = {a for d in case.decision_point for a in d.audiences or () if d.role}
        assert roles == set(AUDIENCES), case.id
        for audience in AUDIENCES:
            assert len([q for q in case.questions if for_audience(q, audience)]) <= 4
    for activity in module.activities:
        assert activity.competency and activity.skill
        assert activity.report_back and activity.report_back.minutes >= 2 * activity.report_back.groups
    assert 2 <= len(module.objectives) <= 4 and all(o.parts for o in module.objectives)
    checks = module.knowledge_check
    assert len(checks) == CHECK_QUOTA[mid]
    for item in checks:
        assert item.objective and 3 <= len(item.options) <= 4
        assert item.facilitator.answer["en"] in [o["en"] for o in item.options]
        assert item.facilitator.explanation["en"]


@pytest.mark.parametrize("mid", MODULES)
def test_every_participant_facing_text_is_in_three_languages_and_kazakh_is_kazakh(mid):
    for path, text in _texts(_raw(mid)):
        if set(text) == {""} and not re.search(r"[A-Za-zА-Яа-я]", text[""]):
            continue  # a number or a symbol
        assert {"en", "ru", "kk"} <= set(text), path
        kk = text["kk"]
        if len(re.findall(r"[А-Яа-яӘәҒғҚқҢңӨөҰұҮүҺһІі]", kk)) >= 25:
            assert KAZAKH_LETTERS.search(kk), (path, kk)
        assert not re.search(r"\d{4}-(?:е|х|ые|ых)\b", kk), (path, kk)  # decades as Kazakh writes them


@pytest.mark.parametrize("mid", MODULES)
def test_terminology_holds(mid):
    for path, text in _texts(_raw(mid)):
        for lang, value in text.items():
            assert not find_terms(value), (path, lang, value)


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_no_outside_fact_reaches_participants(ws, audience, lang):
    course = resolve(ws, "three", audience, lang)
    text = "\n".join(_participant_strings(course))
    for fact in OUTSIDE_FACTS:
        assert not re.search(rf"(?<!\w){re.escape(fact)}(?!\w)", text), fact


def _citations(node, inside=False):
    """(cited ids, whether the citing item is facilitator-only) for every list of sources."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "sources" and isinstance(value, list) and all(
                    isinstance(v, str) for v in value):
                yield set(value), inside
            else:
                yield from _citations(value, inside or key in FACILITATOR_KEYS)
    elif isinstance(node, list):
        for value in node:
            yield from _citations(value, inside)


@pytest.mark.parametrize("mid", MODULES)
def test_outside_sources_are_cited_only_from_facilitator_material(mid):
    data = _raw(mid)
    outside = {s["id"] for s in data["sources"] if s["kind"] == "outside"}
    body = {k: v for k, v in data.items() if k != "sources"}
    for ids, inside in _citations(body):
        assert inside or not outside & ids, ids


JUDGEMENT = re.compile(r"Russia|Moscow|China|Chinese|Xinjiang|anti-cult|aggression|war\b")
ATTRIBUTION = {"en": "report", "ru": "отчет", "kk": "есеп"}


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_geopolitical_judgements_say_whose_they_are(ws, lang):
    module = ws.modules["geopolitical-context"]
    items: list[TextItem] = [*module.key_messages]
    items += [b for s in module.sections for b in s.bullets]
    for item in items:
        if JUDGEMENT.search(item.text["en"]):
            assert ATTRIBUTION[lang] in item.text[lang].lower(), item.text[lang]


@pytest.mark.parametrize("mid", MODULES)
def test_non_traditional_is_the_reports_word_not_the_courses(mid):
    for path, text in _texts(_raw(mid)):
        for match in re.finditer(r"non-traditional", text.get("en", "")):
            sentence = text["en"]
            quoted = sentence[max(0, match.start() - 1)] in "\"'“«"
            assert quoted or "report" in sentence or "official" in sentence, (path, sentence)


def test_each_quote_appears_once_and_none_is_borrowed_from_the_historical_module(ws):
    quotes = [q.text["en"] for m in ws.modules.values() for s in m.sections for q in s.quotes]
    assert len(quotes) == len(set(quotes))
    joined = " ".join(quotes)
    assert "now we receive warnings" not in joined and "I sit with everyone else" not in joined


# --- the 90-minute law-enforcement briefing -----------------------------------------------


def test_the_briefing_keeps_what_officers_need(ws):
    course = resolve(ws, "law-enforcement-briefing", "law-enforcement", "en")
    assert course.minutes <= 90
    security, legal = course.modules
    assert "policing-the-line" in [s.id for s in security.sections]
    assert "choosing-a-sanction" in [s.id for s in legal.sections]
    assert [a.id for a in security.activities] == ["drawing-the-line"]
    assert [c.id for c in security.case_studies] == ["operation-zhusan"]
    kept = " ".join(b.text for m in course.modules for s in m.sections for b in s.bullets)
    assert "Recommendation 1d" in kept and "18(3)" in kept and "Rabat" in kept
    for module in course.modules:
        present = {x.id for x in (*module.sections, *module.case_studies, *module.activities)}
        for objective in module.objectives:
            assert set(objective.parts) & present, objective.text


def test_the_briefing_in_russian_and_kazakh_fits_too(ws):
    for lang in ("ru", "kk"):
        course = resolve(ws, "law-enforcement-briefing", "law-enforcement", lang)
        assert course.minutes <= 90
        assert [a.id for m in course.modules for a in m.activities] == ["drawing-the-line"]
