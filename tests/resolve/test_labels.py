"""Fixed wording: catalogues, fallback to a shipped catalogue, CLDR plurals, units and dates."""

from __future__ import annotations

import datetime as dt

import pytest

from ccrl_kit.resolve.labels import Labels, catalogues

MARCH = (dt.date(2026, 3, 2), dt.date(2026, 3, 3))


@pytest.mark.parametrize(("lang", "minutes", "said"), [
    ("en", 185, "3 h 5 min"), ("en", 45, "45 minutes"), ("en", 120, "2 hours"),
    ("en", 60, "1 hour"), ("ru", 185, "3 ч 5 мин"), ("ru", 120, "2 часа"),
    ("ru", 300, "5 часов"), ("kk", 185, "3 сағ 5 мин"), ("kk", 21, "21 минут"),
])
def test_durations_are_said_as_people_say_them(lang, minutes, said):
    assert Labels(lang).duration(minutes) == said


def test_a_fraction_of_an_hour_is_never_a_decimal():
    assert Labels("en").hours(185 / 60) == "3 h 5 min"
    assert Labels("ru").hours(3) == "3 часа"


def test_a_language_without_a_catalogue_takes_its_wording_from_the_chain():
    ky = Labels("ky", ("ky", "ru", "en"))
    assert catalogues("ky", ("ky", "ru", "en")) == ("ru", "en")
    assert ky["agenda"] == Labels("ru")["agenda"]  # the fallback's wording ...
    assert not ky.own("agenda") and Labels("ru").own("agenda")
    assert ky.minutes(5) == "5 мүнөт"  # ... but units, plurals and dates of the real language
    assert ky.duration(185) == "3 саат, 5 мүнөт"
    assert ky.date(MARCH[0]) == "2026-ж., 2-март"
    assert ky.date_range(MARCH) == "2–3-мар. 2026-ж."
    assert Labels("tr").duration(90) == "1 saat 30 dakika"  # CLDR's Turkish list of units


def test_an_english_fallback_when_the_chain_has_no_catalogue():
    uz = Labels("uz")
    assert uz["agenda"] == "Agenda" and uz.minutes(2) == "2 daqiqa"


def test_the_share_of_fixed_wording_written_in_the_language():
    assert Labels("en").share().ratio == 0
    assert Labels("ru").share().ratio < 0.01
    ky = Labels("ky", ("ky", "ru")).share()
    assert ky.ratio == 1 and set(ky.fallback) == {"ru"}


def test_russian_dates_and_plurals_are_unchanged():
    ru = Labels("ru")
    assert ru.date_range(MARCH) == "2–3 марта 2026 г."
    assert [ru.minutes(n) for n in (1, 2, 5)] == ["1 минута", "2 минуты", "5 минут"]


def test_the_deck_says_lengths_as_durations(minimal):
    from ccrl_kit.content.workspace import load_workspace
    from ccrl_kit.plan.deck import plan_deck
    from ccrl_kit.resolve.resolver import resolve

    from ..conftest import ROOT

    module = minimal / "modules" / "intro.yaml"
    text = module.read_text().replace("minutes: 10\n", "minutes: 65\n", 1)
    module.write_text(text.replace("    minutes: 5\n    bullets:", "    minutes: 60\n    bullets:"))
    course = resolve(load_workspace(minimal), "mini", "teachers", "en")
    deck = plan_deck([course], [Labels("en")], template=ROOT / "templates" / "deck.pptx",
                     font_dir=ROOT / "templates" / "fonts")
    agenda = next(s for s in deck.slides if s.kind == "agenda")
    assert "Total: 1 h 5 min." in agenda.notes
    assert any("Time for this part: 1 h 5 min" in n for s in deck.slides for n in s.notes)


def test_the_cover_says_the_length_once_as_a_duration(minimal):
    from ccrl_kit.content.workspace import load_workspace
    from ccrl_kit.plan import blocks as b
    from ccrl_kit.plan.workbook import plan_participant_workbook
    from ccrl_kit.resolve.resolver import resolve

    course = resolve(load_workspace(minimal), "mini", "police", "ru")
    cover = next(x for x in plan_participant_workbook(course, Labels("ru")).blocks
                 if isinstance(x, b.Cover))
    assert dict(cover.facts)[Labels("ru")["length"]] == "10 минут"
