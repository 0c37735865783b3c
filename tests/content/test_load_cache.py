"""A long-lived process loads again only the files whose bytes changed: the same bytes give the
same document and model, any other bytes (one byte, the same size, the same time stamp) a new
one, and every problem is reported however often the workspace is loaded."""

from __future__ import annotations

import os

import pytest

from ccrl_kit.content.loader import LoadError, load_file
from ccrl_kit.content.workspace import load_workspace
from ccrl_kit.errors import ContentError

from ..conftest import MINIMAL_MODULE


def test_the_same_bytes_give_the_same_document(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("id: a\ntitle: One\n")
    first = load_file(path, "a.yaml")
    assert load_file(path, "a.yaml") is first
    assert load_file(path, "other-name.yaml") is not first  # the name is in its messages


def test_any_changed_byte_is_loaded_again_even_at_the_same_size_and_time(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("id: a\ntitle: One\n")
    stamp = os.stat(path).st_mtime_ns
    first = load_file(path, "a.yaml")
    path.write_text("id: a\ntitle: Two\n")  # same length
    os.utime(path, ns=(stamp, stamp))
    second = load_file(path, "a.yaml")
    assert second is not first and second.data["title"] == "Two"
    path.write_text("id: a\ntitle: One\n")
    assert load_file(path, "a.yaml").data["title"] == "One"


def test_a_broken_file_is_a_problem_every_time(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("id: a\ntitle: One\n")
    load_file(path, "a.yaml")
    path.write_text("id: a\ntitle: [broken\n")
    for _ in range(2):
        with pytest.raises(LoadError, match="YAML syntax error"):
            load_file(path, "a.yaml")


def test_a_workspace_loaded_again_reuses_only_the_unchanged_files(minimal):
    first = load_workspace(minimal)
    again = load_workspace(minimal)
    assert again.modules["intro"] is first.modules["intro"]
    assert again.audiences["police"] is first.audiences["police"]
    module = minimal / "modules" / "intro.yaml"
    module.write_text(MINIMAL_MODULE.replace("Four contexts", "Five contexts"))
    edited = load_workspace(minimal)
    assert edited.modules["intro"] is not first.modules["intro"]
    assert edited.modules["intro"].sections[0].title == {"": "Five contexts"}
    assert edited.audiences["police"] is first.audiences["police"]


def test_problems_of_an_unchanged_file_are_reported_on_every_load(minimal):
    module = minimal / "modules" / "intro.yaml"
    module.write_text(MINIMAL_MODULE.replace("minutes: 10", "minutes: 11")
                      .replace("sources: [report-intro]\nsections", "sources: [nowhere]\nsections"))
    found = []
    for _ in range(2):
        with pytest.raises(ContentError) as info:
            load_workspace(minimal)
        found.append([str(p) for p in info.value.problems])
    assert found[0] == found[1]
    assert any("unknown source 'nowhere'" in p for p in found[0])
    assert any("states 11 minutes" in p for p in found[0])
