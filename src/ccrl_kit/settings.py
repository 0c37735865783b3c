"""What one build is asked to do, and where its templates come from."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from ccrl_kit.errors import BuildError

FORMATS = ("pptx", "html", "pdf", "docx")
# the kinds of slide a deck template's layouts draw (the keys of ccrl.yaml's layouts:)
LAYOUT_ROLES = ("Title", "Section", "Title and Content", "Two Content", "Quote", "Case Study",
                "Question", "Table or Chart", "Closing")


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
    keep_external: bool = False  # keep a deck template's links to files elsewhere


def template_path(settings: Settings) -> list[Path]:
    """Where templates are looked up: --templates, the workspace's templates/, built-ins."""
    candidates = [settings.templates, settings.workspace / "templates", BUILTIN_TEMPLATES]
    return [p for p in candidates if p is not None and p.is_dir()]


def find_template(search: list[Path], name: str) -> Path:
    for folder in search:
        if (folder / name).is_file():
            return folder / name
    raise BuildError(f"template '{name}' not found in: {', '.join(str(p) for p in search)}")


# a zip archive (pptx, docx) cannot hold a later time
LATEST_EPOCH = int(dt.datetime(2107, 12, 31, 23, 59, 59, tzinfo=dt.timezone.utc).timestamp())


def build_timestamp() -> dt.datetime:
    """The time stamped into outputs: SOURCE_DATE_EPOCH if set, else a fixed date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return dt.datetime(2025, 1, 1)
    if not (epoch.isascii() and epoch.isdigit()) or int(epoch) > LATEST_EPOCH:
        shown = epoch if len(epoch) <= 40 else epoch[:37] + "..."
        raise BuildError(
            f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01 UTC, "
            f"at most {LATEST_EPOCH} (the year 2107); got '{shown}'")
    return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).replace(tzinfo=None)
