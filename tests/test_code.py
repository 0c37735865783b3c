"""The code stays ruff clean, and the CLI starts without the heavy renderers."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import ROOT


def test_ruff_is_clean():
    pytest.importorskip("ruff")  # in the test extra: run from this Python, whatever PATH says
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "src", "tests", "templates",
                           "bench", "scripts"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout


@pytest.mark.slow
@pytest.mark.parametrize("command", [["--help"], ["list"], ["validate"]])
def test_light_commands_import_no_renderer(command):
    code = (
        "import sys; from ccrl_kit.cli import main\n"
        f"try:\n    main({command!r} if {command!r} == ['--help'] else ['-C', {str(ROOT)!r}, *{command!r}])\n"
        "except SystemExit:\n    pass\n"
        "heavy = [m for m in ('pptx', 'typst', 'docx', 'jinja2') if m in sys.modules]\n"
        "print('HEAVY:' + ','.join(heavy))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "HEAVY:\n" in done.stdout, done.stdout[-300:]
