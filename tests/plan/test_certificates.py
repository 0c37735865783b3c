"""The certificate plan: every word final, the course title balanced, the signatories."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ccrl_kit.plan.certificates import balanced_lines, plan_certificates
from ccrl_kit.resolve.labels import Labels

from ..samples import sample_course


def test_the_course_title_is_broken_into_even_lines_never_one_word_alone():
    title = "Cross-Cultural Religious Literacy for public officials in Kazakhstan"
    assert balanced_lines(title, 46) == ("Cross-Cultural Religious Literacy",
                                         "for public officials in Kazakhstan")
    kk = ("Қазақстандағы мемлекеттік қызметшілерге арналған мәдениетаралық діни "
          "сауаттылық")
    lines = balanced_lines(kk, 46)
    assert len(lines) == 2 and all(len(x.split()) >= 2 for x in lines)
    assert balanced_lines("A short title", 46) == ("A short title",)


@given(st.lists(st.text("abcdefghij", min_size=1, max_size=14), min_size=2, max_size=14))
def test_no_line_is_a_single_word_and_no_word_is_lost(words):
    text = " ".join(words)
    lines = balanced_lines(text, 30)
    assert " ".join(lines) == text
    if len(lines) > 1:
        assert all(len(line.split()) >= 2 for line in lines)
    else:
        assert len(text) <= 30 or len(words) < 4


def test_a_page_per_name_with_signatories_date_and_place():
    plan = plan_certificates(sample_course(), ("Айгерім Нұрланқызы", "John Smith"),
                             Labels("en"))
    assert plan.names == ("Айгерім Нұрланқызы", "John Smith")
    assert plan.course_lines == ("Religious literacy for public",
                                 "officials in the Republic of Kazakhstan")
    assert plan.details == "1 h 35 min of training · March 2, 2026"  # with the checks
    assert plan.issuer == "Issued by Test Organiser"
    assert [(s.name, s.title) for s in plan.signatories] == [("Aigerim Sultanova",
                                                              "Facilitator")]
    assert plan.date_place == "Hotel Hall, Astana, March 2, 2026"


def test_without_names_or_facilitators_one_page_with_lines_to_fill_in():
    plan = plan_certificates(sample_course(facilitators=()), (), Labels("ru"))
    assert plan.names == ("",)
    assert [(s.name, s.title) for s in plan.signatories] == [("", "")]
    assert plan.name_title_label == "Фамилия, имя, должность"
    assert plan.date_place == "Hotel Hall, Astana, 2 марта 2026\u202fг."
