"""Authoring tools: the JSON Schema for editors, and the content linter."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from ccrl_kit.authoring.schema import schema_for
from ccrl_kit.cli import main
from ccrl_kit.content.loader import load_file

from ..conftest import MINIMAL_COURSE, MINIMAL_MODULE, ROOT


def run(*args: str, cwd: Path | None = None):
    result = CliRunner().invoke(main, [*(["-C", str(cwd)] if cwd else []), *args])
    assert "Traceback" not in result.output
    return result


def _plain(data):
    """YAML data as JSON would hold it (dates become strings)."""
    if isinstance(data, dict):
        return {k: _plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_plain(v) for v in data]
    return data.isoformat() if isinstance(data, dt.date) else data


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["module", "audience", "course", "workspace"])
def test_every_shipped_file_validates_against_the_schema(kind):
    result = run("schema", kind)
    schema = json.loads(result.output)
    assert schema == json.loads(json.dumps(schema_for(kind)))
    validator = jsonschema.Draft202012Validator(schema)
    files = (sorted((ROOT / f"{kind}s").glob("*.yaml")) if kind != "workspace"
             else [ROOT / "ccrl.yaml"])
    assert files
    for path in files:
        data = _plain(load_file(path, path.name).data)
        errors = [e.message for e in validator.iter_errors(data)]
        assert not errors, f"{path.name}: {errors[:3]}"


def test_the_schema_rejects_what_validation_rejects():
    validator = jsonschema.Draft202012Validator(schema_for("module"))
    import yaml

    data = yaml.safe_load(MINIMAL_MODULE)
    assert not list(validator.iter_errors(data))
    data["objectivs"] = data.pop("objectives")
    assert list(validator.iter_errors(data))


def test_lint_flags_a_sect_with_its_position(minimal):
    text = MINIMAL_MODULE.replace("Historical, security, geopolitical and legal.",
                                  "The sect was warned, as the \"anti-cult\" campaign urged.")
    (minimal / "modules" / "intro.yaml").write_text(text, encoding="utf-8")
    result = run("lint", cwd=minimal)
    assert result.exit_code == 0
    assert ("modules/intro.yaml:15:15: warning: term-sect: sections[0].bullets[0].text: 'sect'"
            in result.output)
    assert "anti-cult" not in result.output
    strict = run("lint", "--strict", cwd=minimal)
    assert strict.exit_code == 1 and "error: term-sect" in strict.output


def test_lint_flags_density_missing_prompts_and_sources(minimal):
    text = MINIMAL_MODULE.replace("        sources: [report-intro]\n    facilitator:",
                                  "    facilitator:")
    text = text.replace("  - text: Only for the police?\n",
                        "  - text: Only for the police? " + "word " * 40 + "\n")
    (minimal / "modules" / "intro.yaml").write_text(text, encoding="utf-8")
    found = run("lint", cwd=minimal).output
    assert "prompts-missing" in found
    text = text.replace("Historical, security", "In 2025 historical, security")
    (minimal / "modules" / "intro.yaml").write_text(text, encoding="utf-8")
    assert "source-missing" in run("lint", cwd=minimal).output


@pytest.mark.slow
def test_lint_passes_on_every_shipped_file_in_strict_mode():
    result = run("lint", "--strict", cwd=ROOT)
    assert result.exit_code == 0, result.output
    assert "0 errors" in result.output


LINT_MODULE = """\
id: intro
title: Introduction
summary: A short module.
minutes: 90
objectives:
  - text: Name the four contexts.
    parts: [contexts]
  - Decide what to do.
key_messages: [The report looks at four contexts.]
sections:
  - id: contexts
    title: Four contexts
    minutes: 40
    bullets: [Historical, security, geopolitical and legal.]
activities:
  - id: groups
    title: Group work
    grouping: small-groups
    minutes: 20
    steps: [Discuss in groups.]
    report_back: {groups: 6, minutes: 10}
questions:
  - text: First?
    minutes: 8
    facilitator: {prompts: [Ask.]}
  - text: Second?
    minutes: 12
    facilitator: {prompts: [Ask.]}
  - text: Third?
    minutes: 10
    audiences: [police, teachers]
    facilitator: {prompts: [Ask.]}
  - text: A spare one?
    alternate: true
    facilitator: {prompts: [Ask.]}
knowledge_check:
  - question: How many contexts?
    facilitator: {answer: Four, explanation: The report names four.}
sources:
  - {id: report-intro, kind: report, citation: "Trip report, Introduction."}
"""

# the minimal course with its knowledge checks before and after
LINT_COURSE = MINIMAL_COURSE.replace(
    "      - module: intro\n",
    "      - pre_check: 15\n      - module: intro\n      - post_check: 15\n")


def test_lint_reports_every_course_design_rule_with_its_line(workspace):
    from ..conftest import MINIMAL_AUDIENCES

    root = workspace({"modules/intro.yaml": LINT_MODULE, "courses/mini.yaml": LINT_COURSE,
                      **MINIMAL_AUDIENCES})
    result = run("lint", "--strict", cwd=root)
    assert result.exit_code == 1
    lines = result.output.splitlines()

    def has(text: str) -> bool:
        return any(text in line for line in lines)

    assert has("modules/intro.yaml:24:14: error: timing-plenary: questions[0].minutes: "
               "a plenary question of 8 minutes")
    assert has("modules/intro.yaml:23:3: error: plenary-count: questions: 3 plenary questions "
               "for 'police'")
    assert has("modules/intro.yaml:21:18: error: timing-report-back: "
               "activities[0].report_back: 6 groups report in 10 minutes")
    assert has("modules/intro.yaml:16:5: error: ccrl-practice: activities[0]: the activity "
               "does not name the CCRL competency and skill it practises")
    assert has("modules/intro.yaml:8:5: error: objective-parts: objectives[1]:")
    assert has("courses/mini.yaml:9:9: error: timing-block: days[0].sessions[1]: day 1 runs "
               "105 minutes without a break from 09:00 for 'police'")
    assert has("courses/mini.yaml:6:3: error: check-items: days: the knowledge check has 1 "
               "items for 'police'")
    assert not has("A spare one")
