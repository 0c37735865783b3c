"""What one build is asked to do, and where its templates come from."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from ccrl_kit.errors import BuildError

FORMATS = ("pptx", "html", "pdf", "docx")
def builtin_workspace() -> Path:
    """The workspace shipped with the tool: inside the installed package, or (in a source
    checkout) the repository root."""
    packaged = Path(__file__).parent / "data" / "workspace"
    if (packaged / "modules").is_dir():
        return packaged
    return Path(__file__).resolve().parents[2]


BUILTIN_TEMPLATES = builtin_workspace() / "templates"


@dataclass(frozen=True)
class Settings:
    workspace: Path
    course: str | None = None
    audiences: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    formats: tuple[str, ...] = FORMATS
    out: Path | None = None
    templates: Path | None = None
    paper: str = "a4"
    deck_template: Path | None = None
    participants: Path | None = None
    minutes: int | None = None
    jobs: int = 1
    force: bool = False  # build for an audience the course does not list


def template_path(settings: Settings) -> list[Path]:
    """Where templates are looked up: --templates, the workspace's templates/, built-ins."""
    candidates = [settings.templates, settings.workspace / "templates", BUILTIN_TEMPLATES]
    return [p for p in candidates if p is not None and p.is_dir()]


def find_template(search: list[Path], name: str) -> Path:
    for folder in search:
        if (folder / name).is_file():
            return folder / name
    raise BuildError(f"template '{name}' not found in: {', '.join(str(p) for p in search)}")


def build_timestamp() -> dt.datetime:
    """The time stamped into outputs: SOURCE_DATE_EPOCH if set, else a fixed date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).replace(tzinfo=None)
    return dt.datetime(2025, 1, 1)
