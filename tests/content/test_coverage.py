"""How much of a document is shown from a fallback language, and the build's warning lines."""

from __future__ import annotations

from ccrl_kit.content.coverage import module_coverage, text_share
from ccrl_kit.content.workspace import load_workspace
from ccrl_kit.resolve.labels import fallback_warnings

from ..conftest import MINIMAL_AUDIENCES, MINIMAL_COURSE

BILINGUAL = """\
id: intro
title: {en: Introduction, ru: Введение}
summary: {en: A short module., ru: Короткий модуль.}
minutes: 5
objectives:
  - {en: Participants can name the four contexts., ru: Участники могут назвать четыре контекста.}
key_messages:
  - text: {en: The report looks at four contexts., ru: В отчете рассматриваются четыре контекста.}
    sources: [s]
sections:
  - id: contexts
    title: {en: Four contexts, ru: Четыре контекста}
    minutes: 5
    bullets:
      - text: {en: Historical and legal., ru: Исторический и правовой.}
      - text: {en: Only in English here.}
    facilitator:
      say: [{en: A facilitator-only note in English that is rather long.}]
sources:
  - id: s
    kind: report
    citation: {en: Trip report., ru: Отчет о поездке.}
"""


def bilingual(factory):
    course = MINIMAL_COURSE.replace("organiser: Test organiser",
                                    "organiser: {en: Organiser, ru: Организатор}\n"
                                    "languages: [en, ru]").replace(
        "title: Mini course", "title: {en: Mini course, ru: Мини-курс}")
    return load_workspace(factory({"modules/intro.yaml": BILINGUAL, "courses/mini.yaml": course,
                                   **MINIMAL_AUDIENCES}))


def test_the_share_counts_characters_shown_from_another_language(workspace):
    ws = bilingual(workspace)
    course, module = ws.courses["mini"], ws.modules["intro"]
    public = text_share(course, [module], "ru", audience="police", participant_only=True)
    assert public.fallback == {"en": len("Only in English here.")}
    everything = text_share(course, [module], "ru", audience="police", participant_only=False)
    assert everything.fallback["en"] > public.fallback["en"]  # the facilitator's note
    assert text_share(course, [module], "en", audience="police",
                      participant_only=False).fallback == {}


def test_a_warning_per_document_above_five_percent_saying_the_share(workspace):
    ws = bilingual(workspace)
    lines = fallback_warnings(ws, "mini", ["police"], ["en", "ru", "ky"],
                              ["deck", "participant-handout", "facilitator-guide"])
    ru = [ln for ln in lines if "/ru/" in ln]
    assert ru == [  # the handout and deck show one English bullet; the guide also a note
        ln for ln in ru if "mostly" not in ln]
    assert {ln.split(":")[0] for ln in ru} == {"police/ru/deck", "police/ru/participant-handout",
                                                "police/ru/facilitator-guide"}
    assert all("is not in ru (Russian), but shown in en " in ln for ln in ru)
    assert not [ln for ln in lines if "/en/" in ln]
    ky = [ln for ln in lines if "/ky/" in ln]
    assert len(ky) == 3 and all("mostly fallback: 100% of its" in ln for ln in ky)


def test_module_coverage_for_any_language(workspace):
    ws = bilingual(workspace)
    rows = {c.language: c for c in module_coverage(ws.modules["intro"], ["en", "ru", "ky"])}
    assert rows["en"].percent == 100 and rows["ky"].translated == 0
    assert 0 < rows["ru"].translated < rows["ru"].texts
