"""The build cache cannot lie: every input that can change an output is in a task's key, and
whatever the cache file holds, the worst answer is "render again"."""

from __future__ import annotations

import errno
import json
import os
import shutil

import pytest

from ccrl_kit.build import cache as cache_module
from ccrl_kit.build import staging as staging_module
from ccrl_kit.build.cache import CACHE_NAME, BuildCache
from ccrl_kit.build.pipeline import Settings, build
from ccrl_kit.build.tasks import Task

from ..conftest import MINIMAL_MODULE

# a deck task also writes the facilitator guide, which shows the deck's slides
DECKS = [f"{a}/en/deck + facilitator-guide (html)" for a in ("police", "teachers")]
HANDOUTS = [f"{a}/en/participant-handout (html)" for a in ("police", "teachers")]
ALL = sorted(DECKS + HANDOUTS)


def settings(ws, **changes) -> Settings:
    return Settings(workspace=ws, formats=("pptx", "html"), **changes)


def outputs(ws) -> dict[str, bytes]:
    return {str(p.relative_to(ws / "output")): p.read_bytes()
            for p in sorted((ws / "output").rglob("*")) if p.is_file()}


@pytest.fixture
def once(minimal):
    """The minimal workspace, built once: the next build has nothing to do."""
    build(settings(minimal))
    return minimal


def rebuilt(ws, **changes) -> list[str]:
    return sorted(build(settings(ws, **changes)).built)


def test_nothing_changed_nothing_rebuilt(once):
    assert rebuilt(once) == []


def test_an_edit_to_a_module_saved_as_yml_rebuilds(minimal):
    (minimal / "modules" / "intro.yaml").rename(minimal / "modules" / "intro.yml")
    build(settings(minimal))
    (minimal / "modules" / "intro.yml").write_text(
        MINIMAL_MODULE.replace("A short module.", "A changed module."), encoding="utf-8")
    assert rebuilt(minimal) == ALL


def test_an_edit_to_a_partial_rebuilds_every_document(once):
    macros = once / "templates" / "_blocks.html.j2"
    macros.write_text(macros.read_text(encoding="utf-8") + "{# edited #}\n", encoding="utf-8")
    assert rebuilt(once) == ALL


def test_a_new_file_in_a_template_folder_rebuilds_every_document(once):
    (once / "templates" / "extra.html.j2").write_text("{% block x %}{% endblock %}\n",
                                                      encoding="utf-8")
    assert rebuilt(once) == ALL


def test_a_template_folder_named_on_the_command_line_is_part_of_the_key(once, tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    assert rebuilt(once, templates=mine) == ALL  # a new search path
    assert rebuilt(once, templates=mine) == []
    (mine / "_blocks.html.j2").write_bytes((once / "templates" / "_blocks.html.j2").read_bytes())
    assert rebuilt(once, templates=mine) == ALL  # it now shadows the workspace's copy


def test_an_edit_to_a_font_rebuilds_the_decks_and_documents(once):
    font = once / "templates" / "fonts" / "NotoSans-Bold.ttf"
    font.write_bytes(font.read_bytes() + b"\0")
    assert rebuilt(once) == ALL


def test_an_edit_to_the_deck_template_rebuilds_the_decks(once, tmp_path):
    template = tmp_path / "ours.pptx"
    shutil.copy(once / "templates" / "deck.pptx", template)
    assert rebuilt(once, deck_template=template) == DECKS
    assert rebuilt(once, deck_template=template) == []
    with open(template, "ab") as fh:
        fh.write(b"\0")  # a byte after the archive: another file, the same presentation
    assert rebuilt(once, deck_template=template) == DECKS


@pytest.mark.parametrize(("change", "expected"), [
    ({"paper": "letter"}, ALL),
    ({"minutes": 60}, ALL),
])
def test_settings_are_part_of_the_key(once, change, expected):
    assert rebuilt(once, **change) == expected


def test_source_date_epoch_is_part_of_the_key(once, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1760000000")
    assert rebuilt(once) == ALL


def test_the_participant_list_is_part_of_the_certificates_key(minimal, tmp_path):
    names = tmp_path / "names.txt"
    names.write_text("Ana\n", encoding="utf-8")
    s = Settings(workspace=minimal, formats=("pdf",), participants=names,
                 audiences=("police",))
    build(s)
    names.write_text("Ana\nBolat\n", encoding="utf-8")
    assert [t for t in build(s).built if "certificates" in t] == ["police/en/certificates"]


def test_the_code_fingerprint_covers_library_versions(monkeypatch):
    from importlib import metadata

    before = cache_module.code_fingerprint.__wrapped__()
    real = metadata.version
    monkeypatch.setattr(metadata, "version",
                        lambda name: "999" if name == "typst" else real(name))
    assert cache_module.code_fingerprint.__wrapped__() != before


def test_a_hand_edited_output_is_rebuilt(once):
    deck = once / "output" / "mini" / "police" / "en" / "deck.pptx"
    deck.write_bytes(b"edited")
    assert rebuilt(once) == [DECKS[0]]
    assert deck.read_bytes() != b"edited"


def test_an_output_replaced_by_a_link_is_rebuilt(once, tmp_path):
    deck = once / "output" / "mini" / "police" / "en" / "deck.pptx"
    shutil.move(deck, tmp_path / "deck.pptx")
    deck.symlink_to(tmp_path / "deck.pptx")  # the same bytes, through a link
    assert rebuilt(once) == [DECKS[0]]
    assert not deck.is_symlink()
    assert (tmp_path / "deck.pptx").read_bytes()[:2] == b"PK"  # the link's target untouched


def corrupt(ws, data: bytes) -> None:
    (ws / "output" / CACHE_NAME).write_bytes(data)


def entries(ws) -> dict:
    return json.loads((ws / "output" / CACHE_NAME).read_text(encoding="utf-8"))["tasks"]


@pytest.mark.parametrize("data", [
    b"", b"\0\xff\xfe garbage", b"{", b"[]", b"null", b'{"version": 2}', b'{"version": 2, "tasks": []}',
    b'{"version": 2, "tasks": {"x": 1}}', b"[" * 100_000 + b"]" * 100_000,
    '{"version": 2, "tasks": {"\ud800": {}}}'.encode("utf-8", "surrogatepass"),
], ids=["empty", "binary", "truncated", "list", "null", "no-tasks", "tasks-list", "bad-entry",
        "deep", "bad-utf8"])
def test_a_corrupt_cache_means_rebuild(once, data):
    before = outputs(once)
    corrupt(once, data)
    report = build(settings(once))
    assert sorted(report.built) == ALL
    assert report.written == []  # the same bytes: nothing rewritten
    after = outputs(once)
    assert {k: v for k, v in after.items() if k != CACHE_NAME} == {
        k: v for k, v in before.items() if k != CACHE_NAME}
    assert rebuilt(once) == []  # and the cache is whole again


def test_a_hand_edited_entry_cannot_mark_a_missing_output_fresh(once):
    data = json.loads((once / "output" / CACHE_NAME).read_text(encoding="utf-8"))
    for entry in data["tasks"].values():
        entry["files"] = {}  # no output to check: as if fresh
    corrupt(once, json.dumps(data).encode())
    (once / "output" / "mini" / "police" / "en" / "deck.pptx").unlink()
    assert DECKS[0] in rebuilt(once)
    assert (once / "output" / "mini" / "police" / "en" / "deck.pptx").exists()


def test_a_hand_edited_entry_cannot_point_outside_the_output_folder(once, tmp_path):
    secret = tmp_path / "secret"
    secret.write_bytes(b"s")
    data = json.loads((once / "output" / CACHE_NAME).read_text(encoding="utf-8"))
    name = "mini/police/en/deck/pptx+html"
    data["tasks"][name]["files"] = {"../../" + str(secret): data["tasks"][name]["files"].popitem()[1]}
    corrupt(once, json.dumps(data).encode())
    assert rebuilt(once) == [DECKS[0]]
    assert secret.read_bytes() == b"s"


def test_a_cache_that_is_a_folder_is_a_warning_not_an_error(once):
    (once / "output" / CACHE_NAME).unlink()
    (once / "output" / CACHE_NAME).mkdir()
    report = build(settings(once))
    assert sorted(report.built) == ALL
    assert len(report.warnings) == 1
    assert report.warnings[0].startswith(f"could not save {CACHE_NAME} (")
    assert (once / "output" / CACHE_NAME).is_dir()
    assert not list((once / "output").glob(".staging-*"))


def test_a_cache_that_is_a_link_is_neither_read_nor_written_through(once, tmp_path):
    target = tmp_path / "elsewhere.json"
    shutil.move(once / "output" / CACHE_NAME, target)
    before = target.read_bytes()
    (once / "output" / CACHE_NAME).symlink_to(target)
    assert rebuilt(once) == ALL  # not read through the link
    assert target.read_bytes() == before  # not written through it either
    assert not (once / "output" / CACHE_NAME).is_symlink()
    assert rebuilt(once) == []


@pytest.mark.parametrize("name", [".ccrl-cache.tmp", ".ccrl-cache.json.tmp",
                                  ".staging-planted", ".ccrl-new-planted"])
def test_links_planted_in_the_output_folder_are_not_followed(once, tmp_path, name):
    victim = tmp_path / "victim"
    victim.write_bytes(b"precious")
    (once / "output" / name).symlink_to(victim)
    (once / "modules" / "intro.yaml").write_text(
        MINIMAL_MODULE.replace("A short module.", "A changed module."), encoding="utf-8")
    build(settings(once))
    assert victim.read_bytes() == b"precious"


def test_a_full_disk_while_saving_the_cache_is_a_warning(once, monkeypatch, capsys):
    (once / "modules" / "intro.yaml").write_text(
        MINIMAL_MODULE.replace("A short module.", "A changed module."), encoding="utf-8")
    real_write = staging_module.Staging._write
    cache_bytes = BuildCache(once / "output").data()[:20]

    def write(self, data):
        if data[:20] == cache_bytes:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(self, data)

    monkeypatch.setattr(staging_module.Staging, "_write", write)
    report = build(settings(once))
    assert report.warnings == [f"could not save {CACHE_NAME} (No space left on device); the "
                               "outputs are written, and the next build renders them again"]
    assert len(report.written) == 6  # every output moved into place
    monkeypatch.undo()
    assert rebuilt(once) == ALL  # the old cache cannot call them fresh


@pytest.mark.slow
def test_a_cache_that_cannot_be_saved_is_a_warning_on_the_command_line(once, monkeypatch):
    from click.testing import CliRunner

    from ccrl_kit.cli import main

    (once / "output" / CACHE_NAME).unlink()
    (once / "output" / CACHE_NAME).mkdir()
    result = CliRunner().invoke(main, ["-C", str(once), "build", "-f", "pptx", "-f", "html"])
    assert result.exit_code == 0
    assert [line for line in result.stderr.splitlines() if "could not save" in line] == [
        f"warning: could not save {CACHE_NAME} (Is a directory); the outputs are written, and "
        "the next build renders them again"]


def test_the_key_names_every_module_file_whatever_its_extension(minimal):
    from ccrl_kit.build.cache import Digests, task_inputs
    from ccrl_kit.content.workspace import load_workspace

    (minimal / "modules" / "intro.yaml").rename(minimal / "modules" / "intro.yml")
    ws = load_workspace(minimal)
    task = Task("mini", "police", "en", "deck", ("pptx",))
    inputs = task_inputs(task, ws, settings(minimal), Digests())
    assert [name for name, _ in inputs["content"]] == [
        "courses/mini.yaml", "audiences/police.yaml", "modules/intro.yml"]


def test_a_template_link_leaving_the_folder_is_not_read_for_the_key(minimal, tmp_path):
    from ccrl_kit.build.cache import Digests, _tree

    outside = tmp_path / "outside.txt"
    outside.write_text("secret", encoding="utf-8")
    (minimal / "templates" / "leak.html.j2").symlink_to(outside)
    (minimal / "templates" / "loop").symlink_to(minimal / "templates")  # a cycle
    found = dict(_tree(minimal / "templates", Digests()))
    assert found["leak.html.j2"].startswith("outside: ")
    assert not any(name.startswith("loop/loop") for name in found)


def test_a_pipe_in_a_template_folder_does_not_hang_the_key(minimal):
    from ccrl_kit.build.cache import Digests, _tree

    os.mkfifo(minimal / "templates" / "pipe")
    assert dict(_tree(minimal / "templates", Digests()))["pipe"].startswith("not a file")
