"""Outputs are staged, then moved into place; nothing is written through a link or outside the
output folder, and staging folders of dead builds are removed, never a living build's."""

from __future__ import annotations

import fcntl
import os
import time

import pytest

from ccrl_kit.build import staging
from ccrl_kit.build.staging import LOCK, Staging, sweep, write_outputs
from ccrl_kit.errors import BuildError


def test_outputs_are_written_and_the_staging_folder_removed(tmp_path):
    written, unchanged = write_outputs(tmp_path, {"a/one.txt": b"1", "b/two.txt": b"2"})
    assert (written, unchanged) == (["a/one.txt", "b/two.txt"], [])
    assert (tmp_path / "a" / "one.txt").read_bytes() == b"1"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b"]
    assert write_outputs(tmp_path, {"a/one.txt": b"1"}) == ([], ["a/one.txt"])


def dead_build_folder(out, name=".staging-dead"):
    folder = out / name
    folder.mkdir(parents=True)
    (folder / LOCK).write_bytes(b"")
    (folder / "0.part").write_bytes(b"half a deck")
    return folder


def test_a_staging_folder_of_a_dead_build_is_removed(tmp_path):
    folder = dead_build_folder(tmp_path)
    assert sweep(tmp_path) == [folder]
    assert not folder.exists()


def test_a_staging_folder_of_a_living_build_is_kept(tmp_path):
    folder = dead_build_folder(tmp_path, ".staging-alive")
    fd = os.open(folder / LOCK, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # held, as by a build still running
    try:
        assert sweep(tmp_path) == []
        assert folder.exists()
    finally:
        os.close(fd)
    assert sweep(tmp_path) == [folder]


def test_a_folder_without_a_lock_is_removed_only_when_old(tmp_path):
    young = tmp_path / ".ccrl-new-young"
    young.mkdir()
    old = tmp_path / ".ccrl-new-old"
    old.mkdir()
    long_ago = time.time() - staging.STALE_SECONDS - 10
    os.utime(old, (long_ago, long_ago))
    assert sweep(tmp_path) == [old]
    assert young.exists()


def test_only_staging_folders_are_swept(tmp_path):
    (tmp_path / ".staging-file").write_bytes(b"not a folder")
    (tmp_path / ".staging-link").symlink_to(tmp_path)
    (tmp_path / "mine").mkdir()
    assert sweep(tmp_path) == []
    assert (tmp_path / "mine").exists() and (tmp_path / ".staging-file").exists()


def test_a_staging_folder_is_locked_while_its_build_lives(tmp_path):
    s = Staging(tmp_path)
    s.add("a/one.txt", b"1")
    assert s.folder is not None and s.folder.name.startswith(".staging-")
    assert sweep(tmp_path) == []
    s.commit()
    assert not list(tmp_path.glob(".staging-*"))


def test_a_new_build_sweeps_before_it_stages(tmp_path):
    folder = dead_build_folder(tmp_path)
    write_outputs(tmp_path, {"a/one.txt": b"1"})
    assert not folder.exists()


def test_a_folder_linked_out_of_the_output_folder_is_refused(tmp_path):
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / "course").symlink_to(elsewhere)
    with pytest.raises(BuildError, match="refusing to write outside the output folder"):
        write_outputs(out, {"course/a/deck.pptx": b"deck"})
    assert list(elsewhere.iterdir()) == []
    assert not list(out.glob(".staging-*"))


def test_an_output_that_is_a_link_is_replaced_not_followed(tmp_path):
    out = tmp_path / "out"
    (out / "a").mkdir(parents=True)
    victim = tmp_path / "victim"
    victim.write_bytes(b"precious")
    (out / "a" / "deck.pptx").symlink_to(victim)
    write_outputs(out, {"a/deck.pptx": b"deck"})
    assert victim.read_bytes() == b"precious"
    assert (out / "a" / "deck.pptx").read_bytes() == b"deck"
    assert not (out / "a" / "deck.pptx").is_symlink()


def test_a_folder_in_the_way_fails_before_anything_moves(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_bytes(b"old")
    (tmp_path / "b" / "two.txt").mkdir(parents=True)
    with pytest.raises(BuildError, match="a folder of that name is in the way"):
        write_outputs(tmp_path, {"a/one.txt": b"new", "b/two.txt": b"2"})
    assert (tmp_path / "a" / "one.txt").read_bytes() == b"old"


@pytest.mark.parametrize("bad", ["../evil", "/etc/passwd", "a/../../b", "", "a\\..\\b"])
def test_a_target_outside_the_output_folder_is_refused(tmp_path, bad):
    with pytest.raises(BuildError, match="outside the output folder"):
        staging.safe_target(tmp_path, bad)
