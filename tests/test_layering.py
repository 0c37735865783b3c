"""The package reads as the pipeline: a lower stage never imports a higher one, renderers draw
plans only, and the light commands stay light."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "ccrl_kit"
STAGES = ["content", "resolve", "plan", "render", "build", "authoring", "cli", "__main__"]
BASE = {"errors", "settings", "files", "pictures", "__init__"}


def _stage(module: str) -> str:
    """``ccrl_kit.plan.deck`` -> ``plan``; base modules -> themselves."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "ccrl_kit":
                found += [(node.lineno, f"ccrl_kit.{a.name}") for a in node.names]
            elif node.module.startswith("ccrl_kit."):
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("ccrl_kit.")]
    return found


def _modules() -> list[tuple[Path, str]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).with_suffix("")
        out.append((path, rel.parts[0]))
    return out


@pytest.mark.parametrize("path,stage", _modules(), ids=lambda x: str(x).split("ccrl_kit/")[-1])
def test_a_stage_imports_only_lower_stages(path, stage):
    allowed_above = -1 if stage in BASE else STAGES.index(stage)
    wrong = []
    for line, name in _imports(path):
        target = _stage(name)
        if target in BASE or target == stage:
            continue
        if target in STAGES and (stage in BASE or STAGES.index(target) > allowed_above):
            wrong.append(f"line {line}: {name}")
    assert not wrong, f"{path.name} ({stage}) imports a higher stage: {wrong}"


@pytest.mark.parametrize("path", [p for p, s in _modules() if s in ("render", "plan")],
                         ids=lambda p: str(p).split("ccrl_kit/")[-1])
def test_plans_never_read_the_model_and_renderers_read_only_plans(path):
    stage = path.relative_to(PACKAGE).parts[0]
    forbidden = {"content", "resolve"} if stage == "render" else {"content"}
    wrong = [f"line {line}: {name}" for line, name in _imports(path)
             if _stage(name) in forbidden]
    assert not wrong, f"{path.name} reaches past its plans: {wrong}"
