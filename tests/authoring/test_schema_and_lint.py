"""Authoring tools: init, new, schema, lint, watch, preview."""

from __future__ import annotations

import datetime as dt
import json
import urllib.request
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from ccrl_kit.authoring.schema import schema_for
from ccrl_kit.authoring.watch import serve, watch
from ccrl_kit.build.pipeline import Settings
from ccrl_kit.cli import main
from ccrl_kit.content.loader import load_file

from .conftest import MINIMAL_MODULE, ROOT


def run(*args: str, cwd: Path | None = None):
    result = CliRunner().invoke(main, [*(["-C", str(cwd)] if cwd else []), *args])
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def fresh(tmp_path) -> Path:
    folder = tmp_path / "my-course"
    result = run("init", str(folder))
    assert result.exit_code == 0, result.output
    return folder


def test_init_makes_a_workspace_that_builds_with_a_new_module(fresh):
    assert {p.name for p in fresh.iterdir()} >= {"modules", "audiences", "courses",
                                                 "templates", "schemas", "output"}
    assert run("new", "module", "my-topic", cwd=fresh).exit_code == 0
    assert "- module: my-topic" in (fresh / "courses" / "ccrl-kazakhstan.yaml").read_text()
    assert run("validate", cwd=fresh).exit_code == 0
    result = run("build", "-a", "educators", "-f", "html", cwd=fresh)
    assert result.exit_code == 0, result.output
    handout = (fresh / "output" / "ccrl-kazakhstan" / "educators" / "en" /
               "participant-handout.html").read_text(encoding="utf-8")
    assert "My topic" in handout


def test_init_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "x.txt").write_text("mine")
    result = run("init", str(tmp_path))
    assert result.exit_code == 1 and "folder is not empty" in result.output


@pytest.mark.parametrize("kind", ["module", "case-study", "audience", "course"])
def test_every_skeleton_validates_as_written(fresh, kind):
    assert run("new", kind, f"new-{kind}", cwd=fresh).exit_code == 0
    result = run("validate", cwd=fresh)
    assert result.exit_code == 0, result.output
    text = (fresh / {"module": "modules", "case-study": "modules", "audience": "audiences",
                     "course": "courses"}[kind] / f"new-{kind}.yaml").read_text()
    assert text.startswith("# yaml-language-server: $schema=../schemas/")


def test_new_refuses_a_bad_id_and_an_existing_file(fresh):
    assert "is not a valid id" in run("new", "module", "My Topic", cwd=fresh).output
    assert "already exists" in run("new", "module", "legal-context", cwd=fresh).output


def _plain(data):
    """YAML data as JSON would hold it (dates become strings)."""
    if isinstance(data, dict):
        return {k: _plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_plain(v) for v in data]
    return data.isoformat() if isinstance(data, dt.date) else data


@pytest.mark.parametrize("kind", ["module", "audience", "course"])
def test_every_shipped_file_validates_against_the_schema(kind):
    result = run("schema", kind)
    schema = json.loads(result.output)
    assert schema == json.loads(json.dumps(schema_for(kind)))
    validator = jsonschema.Draft202012Validator(schema)
    files = sorted((ROOT / f"{kind}s").glob("*.yaml"))
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


def test_lint_passes_on_every_shipped_file_in_strict_mode():
    result = run("lint", "--strict", cwd=ROOT)
    assert result.exit_code == 0, result.output
    assert "0 errors" in result.output


def test_watch_rebuilds_after_a_change_and_survives_an_error(minimal, capsys):
    module = minimal / "modules" / "intro.yaml"
    builds = []

    def edit() -> None:
        builds.append(1)
        if len(builds) == 1:
            module.write_text(MINIMAL_MODULE.replace("title: Introduction", "title: Intro"),
                              encoding="utf-8")

    settings = Settings(workspace=minimal, formats=("html",))
    watch(settings, interval=0.05, rounds=3, on_build=edit)
    assert len(builds) == 2
    module.write_text("id: intro\ntitle: [broken\n", encoding="utf-8")
    watch(settings, interval=0.05, rounds=1)
    err = capsys.readouterr().err
    assert "build failed" in err and "modules/intro.yaml:3:1: YAML syntax error" in err


def test_preview_serves_handouts_with_live_reload(minimal):
    out = minimal / "output"
    out.mkdir()
    (out / "page.html").write_text("<html><body><h1>Hi</h1></body></html>")
    version = [3]
    server = serve(out, 0, lambda: version[0])
    try:
        base = f"http://127.0.0.1:{server.server_port}"
        page = urllib.request.urlopen(f"{base}/page.html", timeout=5).read().decode()
        assert "<h1>Hi</h1>" in page and "/__ccrl__/version" in page
        assert urllib.request.urlopen(f"{base}/__ccrl__/version", timeout=5).read() == b"3"
    finally:
        server.shutdown()
