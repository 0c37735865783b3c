"""Any language CLDR knows is a language code; typos get a suggestion."""

from __future__ import annotations

import pytest

from ccrl_kit.content.languages import fallback_chain, is_language, suggest, unknown_language
from ccrl_kit.content.loader import load_text
from ccrl_kit.content.model import Course, Module
from ccrl_kit.content.validate import validate

from ..conftest import MINIMAL_COURSE, MINIMAL_MODULE


@pytest.mark.parametrize("code", ["en", "ru", "kk", "ky", "uz", "tg", "tk", "tr", "pt-BR",
                                  "sr-Latn", "uz-Cyrl"])
def test_codes_babel_knows_are_languages(code):
    assert is_language(code)


@pytest.mark.parametrize("code", ["kg", "xx", "root", "KY", "ky_KG", "english", "", "e", 3, None,
                                  "ky\n", "text", "id-"])
def test_other_codes_are_not(code):
    assert not is_language(code)


@pytest.mark.parametrize(("typo", "meant"), [("KY", "ky"), ("ky_KG", "ky-KG"), ("kir", "ky"),
                                             ("Kyrgyz", "ky"), ("kg", "ky"), ("russian", "ru"),
                                             ("PT_br", "pt-BR"), ("xx", None)])
def test_a_typo_gets_the_language_it_most_likely_means(typo, meant):
    assert suggest(typo) == meant


def test_the_message_names_the_language():
    assert unknown_language("kg") == "unknown language code 'kg': did you mean 'ky' (Kyrgyz)?"
    assert "use a language code such as" in unknown_language("xx")


def module(extra: str):
    return validate(load_text(MINIMAL_MODULE.replace("title: Introduction\n", extra), "m.yaml"),
                    Module)


def test_text_in_kyrgyz_and_uzbek_validates():
    obj, problems = module("title:\n  en: Introduction\n  ky: Кириш\n  uz: Kirish\n")
    assert not problems and obj.title["ky"] == "Кириш"


def test_a_mistyped_code_in_text_is_positioned_with_a_suggestion():
    _, problems = module("title:\n  en: Introduction\n  kg: Кириш\n")
    assert [str(p) for p in problems] == [
        "m.yaml:3:3: title: unknown language code 'kg': did you mean 'ky' (Kyrgyz)?"]


def test_a_course_may_teach_in_kyrgyz_with_a_fallback():
    text = MINIMAL_COURSE.replace("organiser: Test organiser\n", (
        "organiser: Test organiser\nlanguages: [ky, en]\nfallback:\n  ky: [ru, en]\n"))
    course, problems = validate(load_text(text, "c.yaml"), Course)
    assert not problems
    assert fallback_chain(course, "ky") == ("ky", "ru", "en", "", "kk")
    assert fallback_chain(course, "tr") == ("tr", "ky", "", "en", "ru", "kk")
