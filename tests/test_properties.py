"""Property-based tests: whatever text a trainer types, the tool answers with its own errors or
with outputs that reopen."""

from __future__ import annotations

import shutil

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pptx import Presentation

from ccrl_kit.build.pipeline import Settings, build
from ccrl_kit.content.loader import LoadError, load_text
from ccrl_kit.content.workspace import load_workspace
from ccrl_kit.errors import CcrlError

from .conftest import MINIMAL_MODULE

# Latin, Cyrillic, Kazakh, Arabic, emoji, combining marks, and the odd control character
ALPHABET = st.sampled_from(list(
    "abcXYZ 019.,:;-\"'#&<>{}%|*!?\n\tабвЖЯёәғқңөұүһіӘҒҚҢӨҰҮҺІسلامعليكم😀🕌⛪🕍\u0301\u0308\u200d\x00\x07"
))
TEXT = st.text(ALPHABET, max_size=400)


@given(TEXT)
@settings(max_examples=400, deadline=None)
def test_the_loader_raises_nothing_but_its_own_errors(text):
    try:
        doc = load_text(text, "modules/x.yaml")
    except LoadError as exc:
        assert str(exc.problem).startswith("modules/x.yaml")
    else:
        assert isinstance(doc.data, dict)


def nested(depth: int):
    return st.recursive(st.text(ALPHABET, max_size=20),
                        lambda inner: st.lists(inner, max_size=3), max_leaves=depth)


@given(st.dictionaries(st.text(ALPHABET, min_size=1, max_size=12), nested(30), max_size=6))
@settings(max_examples=150, deadline=None)
def test_any_mapping_of_junk_fails_validation_with_positions(tmp_path_factory, data):
    ws = tmp_path_factory.mktemp("junk")
    (ws / "modules").mkdir()
    (ws / "modules" / "junk.yaml").write_text(yaml.safe_dump(data, allow_unicode=True),
                                              encoding="utf-8")
    try:
        load_workspace(ws)
    except CcrlError as exc:
        assert "modules/junk.yaml" in exc.format_message()


def _module(title: str, summary: str, bullets: list[str]) -> str:
    data = yaml.safe_load(MINIMAL_MODULE)
    data["title"] = title
    data["summary"] = summary
    data["sections"][0]["bullets"] = [{"text": b, "sources": ["report-intro"]} for b in bullets]
    return yaml.safe_dump(data, allow_unicode=True, width=10_000)


@given(title=TEXT, summary=st.one_of(TEXT, st.text(ALPHABET, min_size=2000, max_size=4000)),
       bullets=st.lists(TEXT, min_size=0, max_size=25))
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_generated_modules_fail_clearly_or_build_decks_that_reopen(minimal, title, summary,
                                                                  bullets):
    (minimal / "modules" / "intro.yaml").write_text(_module(title, summary, bullets),
                                                    encoding="utf-8")
    shutil.rmtree(minimal / "output", ignore_errors=True)
    try:
        build(Settings(workspace=minimal, audiences=("police",), formats=("pptx", "html")))
    except CcrlError as exc:
        assert "modules/intro.yaml" in exc.format_message()
        return
    folder = minimal / "output" / "mini" / "police" / "en"
    deck = Presentation(str(folder / "deck.pptx"))
    assert len(deck.slides) >= 5
    assert (folder / "participant-handout.html").read_text(encoding="utf-8")
