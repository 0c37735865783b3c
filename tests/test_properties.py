"""Property-based tests: whatever text a trainer types, the tool answers with its own errors or
with outputs that reopen."""

from __future__ import annotations

import contextlib
import json
import shutil

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pptx import Presentation

from ccrl_kit.build.pipeline import Settings, build
from ccrl_kit.content.loader import LoadError, load_file, load_text
from ccrl_kit.content.workspace import load_workspace
from ccrl_kit.errors import CcrlError
from ccrl_kit.files import UNSAFE_TEXT

from .conftest import MINIMAL_MODULE

# Latin, Cyrillic, Kazakh, Arabic, emoji, combining marks, and the odd control character
ALPHABET = st.sampled_from(list(
    "abcXYZ 019.,:;-\"'#&<>{}%|*!?\n\tабвЖЯёәғқңөұүһіӘҒҚҢӨҰҮҺІسلامعليكم😀🕌⛪🕍\u0301\u0308\u200d\x00\x07"
))
TEXT = st.text(ALPHABET, max_size=400)

# hundreds of generated inputs a test: the whole suite runs them, the fast layer does not
pytestmark = pytest.mark.slow


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


# --- whatever the bytes: the tool's own errors, never a traceback ---------------------------

ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=300)


@given(st.binary(max_size=600))
@settings(max_examples=400, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_bytes_in_a_module_file_give_a_positioned_problem_or_data(tmp_path, raw):
    path = tmp_path / "x.yaml"
    path.write_bytes(raw)
    try:
        doc = load_file(path, "modules/x.yaml", inside=tmp_path)
    except LoadError as exc:
        assert exc.problem.file == "modules/x.yaml"
        assert "\n" not in str(exc.problem)
    else:
        assert isinstance(doc.data, dict)
        assert not any(UNSAFE_TEXT.search(s) for s in _strings(doc.data))


@given(ANY_TEXT)
@settings(max_examples=400, deadline=None)
def test_no_loaded_text_holds_a_control_or_bidi_character(text):
    for candidate in (text, f"title: {text}\n", f'title: "{text}"\n', f"title: |\n  {text}\n"):
        try:
            doc = load_text(candidate, "modules/x.yaml")
        except LoadError:
            continue
        assert not any(UNSAFE_TEXT.search(s) for s in _strings(doc.data))


def _strings(data) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for k, v in data.items() for s in [*_strings(k), *_strings(v)]]
    if isinstance(data, list):
        return [s for v in data for s in _strings(v)]
    return []


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), ANY_TEXT,
                    st.sampled_from(["report-intro", "police", "teachers", "intro", "09:00",
                                     ".nan", "-.inf", "1e999", "NaN"]))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(
        ["id", "text", "title", "minutes", "sources", "audiences", "questions", "summary",
         "sections", "values", "series", "chart", "overrides", "police"]), inner, max_size=4)),
    max_leaves=12)
FIELDS = st.sampled_from(["title", "summary", "minutes", "objectives", "key_messages",
                          "sections", "questions", "sources", "overrides", "knowledge_check",
                          "glossary", "case_studies", "activities", "drafts", "optional"])


@given(st.dictionaries(FIELDS, VALUES, max_size=4), st.data())
@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_random_fields_and_overrides_in_a_real_module_fail_with_positions(minimal, changes,
                                                                          data):
    module = yaml.safe_load(MINIMAL_MODULE)
    module.update(changes)
    if data.draw(st.booleans()):
        module["overrides"] = {"police": changes}
    (minimal / "modules" / "intro.yaml").write_text(
        yaml.safe_dump(module, allow_unicode=True), encoding="utf-8")
    try:
        ws = load_workspace(minimal)
    except CcrlError as exc:
        assert all(p.file.startswith(("modules/intro.yaml", "courses/mini.yaml"))
                   for p in exc.problems)
        return
    from ccrl_kit.resolve.resolver import resolve

    for audience in ("police", "teachers"):  # what validated, the build can resolve
        with contextlib.suppress(CcrlError):  # (a day past midnight is the build's to say)
            resolve(ws, "mini", audience, "en")


@given(st.binary(max_size=2000))
@settings(max_examples=300, deadline=None)
def test_any_bytes_as_a_deck_template_give_one_line_or_a_presentation(raw):
    from ccrl_kit.render.pptx_package import normalise

    for candidate in (raw, _zip_with(raw)):
        try:
            normalise(candidate, "ours.pptx")
        except CcrlError as exc:
            assert exc.format_message().startswith("deck template ours.pptx: ")
            assert "\n" not in exc.format_message()


def _zip_with(raw: bytes) -> bytes:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", raw)
        z.writestr("_rels/.rels", raw[::-1])
    return out.getvalue()


@given(st.one_of(st.binary(max_size=500), VALUES.map(
    lambda v: json.dumps({"version": 2, "tasks": v}, default=str).encode())))
@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_cache_file_loads_as_some_entries_or_none(tmp_path, raw):
    from ccrl_kit.build.cache import CACHE_NAME, BuildCache
    from ccrl_kit.build.tasks import Task

    (tmp_path / CACHE_NAME).write_bytes(raw)
    cache = BuildCache(tmp_path)
    task = Task("mini", "police", "en", "deck", ("pptx",))
    assert cache.fresh(task, "0" * 64) in (True, False)
