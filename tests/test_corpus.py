"""A corpus of broken workspaces, each with the exact message a trainer must see.

Each folder of ``tests/corpus/`` holds files laid over the minimal workspace and an
``expected.txt`` with the exact standard error of ``ccrl validate``. The build must fail the
same way, and neither may show a traceback.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ccrl_kit.cli import main

CORPUS = Path(__file__).parent / "corpus"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())


def overlay(ws: Path, case: str) -> None:
    for src in (CORPUS / case).rglob("*"):
        if src.is_file() and src.name != "expected.txt":
            dst = ws / src.relative_to(CORPUS / case)
            dst.parent.mkdir(parents=True, exist_ok=True)
            dst.write_bytes(src.read_bytes())


@pytest.mark.parametrize("case", CASES)
def test_each_broken_workspace_gets_its_exact_message(minimal, case):
    overlay(minimal, case)
    expected = (CORPUS / case / "expected.txt").read_text(encoding="utf-8")
    for command in (["validate"], ["build", "-f", "html"]):
        result = CliRunner().invoke(main, ["-C", str(minimal), *command])
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output
        assert isinstance(result.exception, SystemExit)
        assert result.stderr == expected
    assert not (minimal / "output").exists()


def test_the_corpus_covers_every_kind_of_bad_input():
    assert {"syntax-error", "tab-indent", "duplicate-key", "unknown-key", "wrong-type",
            "missing-field", "empty-file", "not-utf8", "id-mismatch", "id-not-slug",
            "unknown-module", "unknown-audience", "unknown-language", "unknown-source",
            "schedule-adds-up", "billion-laughs", "object-tag",
            # overrides are validated where they are written, timings counted as the build does
            "override-typo", "override-id", "override-timings", "override-drops-a-cited-source",
            "extra-question-timings",
            # one id, one file, one entry
            "yaml-and-yml", "duplicate-source-id", "duplicate-section-id", "duplicate-audience",
            "id-ends-in-newline",
            # numbers finite, text free of control and bidi characters
            "chart-not-finite", "control-character-escaped", "control-character-raw",
            "bidi-override", "bidi-escaped",
            # encodings, and positions counted in characters
            "utf16-bom", "utf16-no-bom", "position-after-non-ascii", "not-utf8-after-non-ascii",
            "crlf-position"} <= set(CASES)


def test_a_file_over_the_size_limit_is_refused(minimal):
    (minimal / "modules" / "huge.yaml").write_bytes(b"# padding\n" * 200_000)
    result = CliRunner().invoke(main, ["-C", str(minimal), "validate"])
    assert result.exit_code == 1
    assert result.stderr == (
        "modules/huge.yaml: file is 2,000,000 bytes, over the limit of 1,048,576 bytes\n"
        "1 problem found\n")
