"""The package type-checks clean under mypy (its settings are in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import ROOT


@pytest.mark.slow  # a first run (no .mypy_cache, as in CI) takes 10-17 s on two cores
def test_mypy_is_clean():
    pytest.importorskip("mypy", reason="mypy is not installed (it is in the test extra)")
    done = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-1000:]
    assert "Success: no issues found" in done.stdout, done.stdout[-3000:]
