"""Validation reports every problem of every file at once, each as file:line:col: field: message."""

from __future__ import annotations

import pytest

from ccrl_kit.content.workspace import load_workspace
from ccrl_kit.errors import ContentError

from .conftest import MINIMAL_MODULE


def problems(ws) -> list[str]:
    with pytest.raises(ContentError) as info:
        load_workspace(ws)
    return [str(p) for p in info.value.problems]


def test_the_minimal_workspace_is_valid(minimal):
    ws = load_workspace(minimal)
    assert list(ws.modules) == ["intro"]
    assert set(ws.audiences) == {"police", "teachers"}


def test_it_reports_problems_in_several_files_at_once(minimal):
    (minimal / "modules" / "intro.yaml").write_text(
        MINIMAL_MODULE.replace("objectives:", "objectivs:"), encoding="utf-8")
    (minimal / "audiences" / "teachers.yaml").write_text(
        "id: teachers\nname: Teachers\nparticipants: Teachers.\nneeds: 5\n", encoding="utf-8")
    found = problems(minimal)
    assert "modules/intro.yaml:5:1: objectivs: unknown field 'objectivs' — did you mean 'objectives'?" in found
    assert not any("missing required field 'objectives'" in p for p in found)  # same typo
    assert "audiences/teachers.yaml:4:8: needs: expected a list, got int 5" in found


def test_a_nested_wrong_type_names_the_field_path(minimal):
    text = MINIMAL_MODULE.replace("    minutes: 5\n    bullets:", "    minutes: five\n    bullets:")
    (minimal / "modules" / "intro.yaml").write_text(text, encoding="utf-8")
    assert problems(minimal) == [
        "modules/intro.yaml:13:14: sections[0].minutes: expected a whole number, got text 'five'"
    ]


def test_a_module_id_must_match_its_file_name(minimal):
    (minimal / "modules" / "intro.yaml").write_text(
        MINIMAL_MODULE.replace("id: intro", "id: introduction"), encoding="utf-8")
    found = problems(minimal)
    assert found[0].startswith("modules/intro.yaml:1:5: id: id 'introduction' does not match")


def test_an_id_must_be_a_slug(minimal):
    (minimal / "modules" / "intro.yaml").write_text(
        MINIMAL_MODULE.replace("id: intro", "id: Intro Module"), encoding="utf-8")
    assert any("'Intro Module' is not a valid id" in p for p in problems(minimal))


def test_unknown_references_are_reported_with_their_position(minimal):
    (minimal / "courses" / "mini.yaml").write_text(
        "id: mini\ntitle: T\norganiser: O\naudiences: [police, nurses]\n"
        "days:\n  - start: '09:00'\n    sessions:\n      - module: outro\n", encoding="utf-8")
    found = problems(minimal)
    assert "courses/mini.yaml:4:21: audiences[1]: unknown audience 'nurses' (known: police, teachers)" in found
    assert "courses/mini.yaml:8:17: days[0].sessions[0].module: unknown module 'outro' (known: intro)" in found


def test_an_unknown_source_reference_is_reported(minimal):
    (minimal / "modules" / "intro.yaml").write_text(
        MINIMAL_MODULE.replace("sources: [report-intro]\nsections", "sources: [report-x]\nsections"),
        encoding="utf-8")
    found = problems(minimal)
    assert any("unknown source 'report-x'" in p for p in found)


def test_timed_parts_must_add_up_for_every_audience(minimal):
    (minimal / "modules" / "intro.yaml").write_text(
        MINIMAL_MODULE.replace("minutes: 10\n", "minutes: 12\n", 1), encoding="utf-8")
    found = problems(minimal)
    assert ("modules/intro.yaml:4:10: minutes: the module states 12 minutes but its timed parts "
            "add up to 10 for audience 'police'") in found


def test_the_repository_workspace_is_valid(root):
    ws = load_workspace(root)
    assert {"civil-servants", "law-enforcement", "educators", "university"} <= set(ws.audiences)
    assert "ccrl-kazakhstan" in ws.courses
