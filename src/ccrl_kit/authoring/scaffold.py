"""Authoring helpers: a new workspace (``ccrl init``) and commented skeletons (``ccrl new``)."""

from __future__ import annotations

import json
import re
import shutil
from importlib import resources
from pathlib import Path

from ccrl_kit.content.model import SLUG
from ccrl_kit.errors import CcrlError
from ccrl_kit.settings import builtin_workspace

PARTS = ("modules", "audiences", "courses", "templates")
KINDS = {"module": "modules", "case-study": "modules", "audience": "audiences",
         "course": "courses"}
SCHEMA_DIR = "schemas"


def init_workspace(target: Path) -> list[str]:
    """Copy the built-in workspace to ``target`` (which must be new or empty)."""
    if target.exists() and any(target.iterdir()):
        raise CcrlError(f"{target}: folder is not empty; choose a new folder")
    source = builtin_workspace()
    made = []
    for part in PARTS:
        shutil.copytree(source / part, target / part,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        made.append(part + "/")
    if (source / "ccrl.yaml").is_file():
        shutil.copy2(source / "ccrl.yaml", target / "ccrl.yaml")
        made.append("ccrl.yaml")
    (target / "output").mkdir()
    made.append(write_schemas(target))
    (target / ".gitignore").write_text("output/\n", encoding="utf-8")
    return made


def write_schemas(workspace: Path) -> str:
    from ccrl_kit.authoring.schema import schema_for

    folder = workspace / SCHEMA_DIR
    folder.mkdir(exist_ok=True)
    for kind in ("module", "audience", "course"):
        (folder / f"{kind}.schema.json").write_text(
            json.dumps(schema_for(kind), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return SCHEMA_DIR + "/"


def new_file(workspace: Path, kind: str, ident: str) -> Path:
    """Write a commented skeleton of ``kind`` named ``ident``; return its path."""
    if not SLUG.match(ident):
        raise CcrlError(f"'{ident}' is not a valid id: use lower-case letters, digits and "
                        "single hyphens (e.g. my-topic)")
    folder = workspace / KINDS[kind]
    path = folder / f"{ident}.yaml"
    if path.exists():
        raise CcrlError(f"{path.relative_to(workspace)} already exists")
    audiences = sorted(p.stem for p in (workspace / "audiences").glob("*.yaml"))
    modules = sorted(p.stem for p in (workspace / "modules").glob("*.yaml"))
    schema_kind = "module" if kind == "case-study" else kind
    skeleton = resources.files("ccrl_kit.authoring").joinpath("skeletons", f"{kind}.yaml")
    text = skeleton.read_text("utf-8")
    values = {
        "{id}": ident,
        "{title}": ident.replace("-", " ").capitalize(),
        "{schema}": f"../{SCHEMA_DIR}/{schema_kind}.schema.json",
        "{audience}": audiences[0] if audiences else "everyone",
        "{module}": modules[0] if modules else ident,
    }
    for key, value in values.items():
        text = text.replace(key, value)
    if kind == "module" and not audiences:
        text = re.sub(r"\n\s+audiences: \[everyone\].*", "", text)
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def add_to_course(workspace: Path, module_id: str, minutes: int, course_file: Path) -> bool:
    """Append ``module_id`` to the last day of a course, moving that day's end time if it
    has one. Returns False (changing nothing) if the file is not laid out as expected."""
    lines = course_file.read_text(encoding="utf-8").splitlines(keepends=True)
    last_module = max((i for i, ln in enumerate(lines)
                       if re.match(r"\s+- (module|break|lunch):", ln)), default=None)
    if last_module is None:
        return False
    indent = re.match(r"(\s+)-", lines[last_module]).group(1)
    lines.insert(last_module + 1, f"{indent}- module: {module_id}\n")
    day_start = max(i for i, ln in enumerate(lines[:last_module]) if re.match(r"\s+- ", ln)
                    and ("start:" in ln or "date:" in ln))
    for i in range(day_start, last_module + 1):
        m = re.match(r'(\s+end:\s*)"?(\d\d?):(\d\d)"?(.*)$', lines[i], re.S)
        if m:
            total = int(m.group(2)) * 60 + int(m.group(3)) + minutes
            if total >= 24 * 60:
                return False
            lines[i] = f'{m.group(1)}"{total // 60:02d}:{total % 60:02d}"{m.group(4)}'
            break
    course_file.write_text("".join(lines), encoding="utf-8")
    return True
