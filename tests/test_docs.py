"""Every YAML example in docs/authoring.md validates against the model.

Each example starts with a comment naming its file (``# modules/x.yaml``, ``# ccrl.yaml``);
an example marked ``(part)`` is laid over a minimal valid file of that kind.
"""

from __future__ import annotations

import re
import textwrap

import pytest
import yaml

from ccrl_kit.content.loader import load_text
from ccrl_kit.content.model import Audience, Course, Module, WorkspaceConfig
from ccrl_kit.content.validate import validate

from .conftest import MINIMAL_AUDIENCES, MINIMAL_COURSE, MINIMAL_MODULE, ROOT

DOC = ROOT / "docs" / "authoring.md"
KINDS = {"modules": (Module, MINIMAL_MODULE), "courses": (Course, MINIMAL_COURSE),
         "audiences": (Audience, textwrap.dedent(MINIMAL_AUDIENCES["audiences/police.yaml"])),
         "ccrl.yaml": (WorkspaceConfig, "{}")}


def examples() -> list[tuple[int, str]]:
    text = DOC.read_text(encoding="utf-8")
    found = []
    for match in re.finditer(r"^( *)```yaml\n(.*?)^\1```", text, re.S | re.M):
        line = text[: match.start()].count("\n") + 1
        found.append((line, textwrap.dedent(match.group(2))))
    return found


def test_the_guide_has_its_examples():
    assert len(examples()) >= 8


@pytest.mark.parametrize(("line", "block"), examples(), ids=lambda v: str(v)[:12])
def test_every_yaml_example_validates(line, block):
    first = block.splitlines()[0]
    named = re.fullmatch(r"# (modules|courses|audiences)/[a-z0-9-]+\.yaml( \(part\))?|"
                         r"# (ccrl\.yaml)", first)
    assert named, f"docs/authoring.md:{line}: the example should start with '# <file>'"
    kind = named.group(1) or named.group(3)
    model, base = KINDS[kind]
    doc = load_text(block, f"docs/authoring.md:{line}")
    if named.group(2):  # a part of a file: over a minimal valid one
        data = {**yaml.safe_load(base), **doc.data}
        doc = load_text(yaml.safe_dump(data, allow_unicode=True), f"docs/authoring.md:{line}")
    obj, problems = validate(doc, model)
    assert not problems, [str(p) for p in problems]
    if isinstance(obj, Module) and not named.group(2):  # a whole module cites its own sources
        listed = {s.id for s in obj.sources}
        cited = set(re.findall(r"sources: \[([^\]]*)\]", block))
        assert {c.strip() for group in cited for c in group.split(",")} <= listed
