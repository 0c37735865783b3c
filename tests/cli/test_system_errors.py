"""What the operating system refuses (unreadable files, read-only folders) is one line, never
a traceback, in validate, new and init."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccrl_kit.cli import main


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def test_an_unreadable_folder_is_one_line_in_validate(minimal, monkeypatch):
    import os

    real = os.listdir

    def refuse(path):
        if Path(path).name == "modules":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "listdir", refuse)
    result = run("-C", str(minimal), "validate")
    assert result.exit_code == 1
    assert "modules/: cannot read folder: Permission denied" in result.output.splitlines()


def _without_root_rights(*args: str) -> subprocess.CompletedProcess:
    """``ccrl ARGS`` as root without the right to ignore file permissions."""
    return subprocess.run(["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--",
                           sys.executable, "-c", "from ccrl_kit.cli import main; main()", *args],
                          capture_output=True, text=True)


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"),
                    reason="real permissions are tested as root through setpriv")
@pytest.mark.slow
def test_real_permissions_give_one_line_in_validate_new_and_init(tmp_path):
    ws = tmp_path / "ws"
    assert run("init", str(ws)).exit_code == 0
    module = ws / "modules" / "opening.yaml"
    module.chmod(0o000)
    done = _without_root_rights("-C", str(ws), "validate")
    assert (done.returncode, done.stderr) == (
        1, "modules/opening.yaml: cannot read file: Permission denied\n1 problem found\n")
    module.chmod(0o644)
    (ws / "audiences").chmod(0o555)
    done = _without_root_rights("-C", str(ws), "new", "audience", "judges")
    assert (done.returncode, done.stderr) == (
        1, f"error: cannot write {ws}/audiences/judges.yaml: Permission denied\n")
    (ws / "courses" / "my-course.yaml").chmod(0o444)  # the module file is written, then undone
    done = _without_root_rights("-C", str(ws), "new", "module", "x", "--course", "my-course")
    assert done.returncode == 1 and done.stderr.count("\n") == 1
    assert "Permission denied" in done.stderr and not (ws / "modules" / "x.yaml").exists()
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    done = _without_root_rights("init", str(locked / "new"))
    assert (done.returncode, done.stderr) == (
        1, f"error: cannot write {locked}/new: Permission denied\n")
    for folder in (ws / "audiences", locked):
        folder.chmod(0o755)
