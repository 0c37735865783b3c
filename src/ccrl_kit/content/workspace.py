"""Load and validate a whole workspace: every module, audience and course, all problems at once."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from ccrl_kit.content.loader import Document, LoadError, load_file
from ccrl_kit.content.model import Audience, Course, Module, WorkspaceConfig
from ccrl_kit.content.timing import module_minutes
from ccrl_kit.content.validate import field_name, validate
from ccrl_kit.errors import ContentError, Problem

KINDS: dict[str, type[BaseModel]] = {"modules": Module, "audiences": Audience, "courses": Course}


@dataclass
class Workspace:
    root: Path
    modules: dict[str, Module] = field(default_factory=dict)
    audiences: dict[str, Audience] = field(default_factory=dict)
    courses: dict[str, Course] = field(default_factory=dict)
    documents: dict[str, Document] = field(default_factory=dict)  # keyed by "kind/id"
    present: dict[str, set[str]] = field(default_factory=dict)  # ids of files, valid or not
    config: WorkspaceConfig = field(default_factory=WorkspaceConfig)  # ccrl.yaml

    @property
    def default_course(self) -> str | None:
        """The course ``ccrl build`` builds when none is named: ccrl.yaml's, or the only one."""
        if self.config.default_course:
            return self.config.default_course
        return next(iter(self.courses)) if len(self.courses) == 1 else None

    def document(self, kind: str, ident: str) -> Document:
        return self.documents[f"{kind}/{ident}"]


def yaml_files(root: Path, kind: str) -> list[Path]:
    folder = root / kind
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def load_workspace(root: Path) -> Workspace:
    """Load and validate everything under ``root``; raise ContentError listing every problem."""
    ws = Workspace(root)
    problems: list[Problem] = []
    if not any((root / kind).is_dir() for kind in KINDS):
        raise ContentError([Problem(str(root), message=(
            "not a ccrl workspace: no modules/, audiences/ or courses/ folder here "
            "(use -C DIR, or 'ccrl init DIR' to make one)"))])
    for kind, model in KINDS.items():
        ws.present[kind] = set()
        for path in yaml_files(root, kind):
            ws.present[kind].add(path.stem)
            shown = f"{kind}/{path.name}"
            try:
                doc = load_file(path, shown)
            except LoadError as exc:
                problems.append(exc.problem)
                continue
            obj, found = validate(doc, model)
            problems.extend(found)
            if obj is None:
                continue
            if obj.id != path.stem:
                line, col = doc.where(("id",))
                problems.append(Problem(shown, line, col, "id", (
                    f"id '{obj.id}' does not match the file name '{path.name}' "
                    f"(rename the file to {obj.id}{path.suffix} or change the id)")))
                continue
            ws.documents[f"{kind}/{obj.id}"] = doc
            getattr(ws, kind)[obj.id] = obj
    problems.extend(_load_config(ws))
    problems.extend(_cross_references(ws))
    problems.extend(_files(ws))
    if problems:
        raise ContentError(problems)
    return ws


CONFIG = "ccrl.yaml"


def _load_config(ws: Workspace) -> list[Problem]:
    path = ws.root / CONFIG
    if not path.is_file():
        return []
    try:
        doc = load_file(path, CONFIG)
    except LoadError as exc:
        return [exc.problem]
    config, problems = validate(doc, WorkspaceConfig)
    if config is None:
        return problems
    ws.documents["config/ccrl"] = doc
    ws.config = config
    if config.default_course and config.default_course not in ws.courses:
        line, col = doc.where(("default_course",))
        known = ", ".join(sorted(ws.courses)) or "none"
        return [Problem(CONFIG, line, col, "default_course",
                        f"unknown course '{config.default_course}' (known: {known})")]
    return []


def _files(ws: Workspace) -> list[Problem]:
    """Every image and logo a file names exists inside the workspace."""
    problems: list[Problem] = []
    root = ws.root.resolve()
    for doc in ws.documents.values():
        for path, value in _file_refs(doc.data, ()):
            target = (ws.root / value).resolve()
            line, col = doc.where(path)
            if not target.is_relative_to(root):
                problems.append(Problem(doc.file, line, col, field_name(path),
                                        f"'{value}' is outside the workspace"))
            elif not target.is_file():
                problems.append(Problem(doc.file, line, col, field_name(path),
                                        f"no file '{value}' in the workspace"))
    return problems


def _file_refs(data: object, path: tuple) -> list[tuple[tuple, str]]:
    """The ``file:`` of every ``image:`` and ``logo:`` mapping, with its path."""
    found: list[tuple[tuple, str]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("image", "logo") and isinstance(value, dict) and isinstance(
                    value.get("file"), str):
                found.append(((*path, key, "file"), value["file"]))
            else:
                found.extend(_file_refs(value, (*path, key)))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found.extend(_file_refs(value, (*path, i)))
    return found


def _cross_references(ws: Workspace) -> list[Problem]:
    problems: list[Problem] = []

    def unknown(kind: str, ident: str, path: tuple, what: str, known: dict) -> None:
        if what.split("'")[1] in ws.present.get(_KIND_OF[what.split()[0]], ()):
            return  # the file exists but is invalid: its own problems are reported
        doc = ws.document(kind, ident)
        line, col = doc.where(path)
        choices = ", ".join(sorted(known)) or "none"
        problems.append(
            Problem(doc.file, line, col, field_name(path), f"unknown {what} (known: {choices})")
        )

    for aid, audience in ws.audiences.items():
        for i, mid in enumerate(audience.modules or []):
            if mid not in ws.modules:
                unknown("audiences", aid, ("modules", i), f"module '{mid}'", ws.modules)
        for mid in audience.questions:
            if mid not in ws.modules:
                unknown("audiences", aid, ("questions", mid), f"module '{mid}'", ws.modules)
    for cid, course in ws.courses.items():
        for i, aid in enumerate(course.audiences):
            if aid not in ws.audiences:
                unknown("courses", cid, ("audiences", i), f"audience '{aid}'", ws.audiences)
        for d, day in enumerate(course.days):
            for s, session in enumerate(day.sessions):
                if session.module and session.module not in ws.modules:
                    unknown("courses", cid, ("days", d, "sessions", s, "module"),
                            f"module '{session.module}'", ws.modules)
    for cid, course in ws.courses.items():
        problems.extend(_schedule_problems(ws, cid, course))
    for mid, module in ws.modules.items():
        doc = ws.document("modules", mid)
        listed = {s.id: None for s in module.sources}
        for path, key, ref in _references(doc.data, ()):
            if key == "sources" and ref not in listed:
                unknown("modules", mid, path, f"source '{ref}'", listed)
            elif key == "audiences" and ref not in ws.audiences:
                unknown("modules", mid, path, f"audience '{ref}'", ws.audiences)
        # the module's length holds for every audience it writes variants for (an audience it
        # never names sees only the shared parts; a course's day end catches a short day)
        named = sorted({ref for _, key, ref in _references(doc.data, ()) if key == "audiences"}
                       & set(ws.audiences))
        totals: dict[int, list[str]] = {}
        for aid in named or [None]:
            totals.setdefault(module_minutes(module, aid), []).append(aid or "everyone")
        for total, who in sorted(totals.items()):
            if total != module.minutes:
                line, col = doc.where(("minutes",))
                names = ", ".join(f"'{a}'" for a in who)
                problems.append(Problem(doc.file, line, col, "minutes", (
                    f"the module states {module.minutes} minutes but its timed parts add up to "
                    f"{total} for audience{'s' if len(who) > 1 else ''} {names}")))
        for aid in module.overrides:
            if aid not in ws.audiences:
                unknown("modules", mid, ("overrides", aid), f"audience '{aid}'", ws.audiences)
    return problems


def _schedule_problems(ws: Workspace, cid: str, course: Course) -> list[Problem]:
    """A day with an ``end`` must add up to it, for every audience of the course."""
    problems: list[Problem] = []
    doc = ws.document("courses", cid)
    for d, day in enumerate(course.days):
        if day.end is None or any(s.module and s.module not in ws.modules for s in day.sessions):
            continue
        length = _minutes_of_day(day.start, day.end)
        for aid in course.audiences:
            if aid not in ws.audiences:
                continue
            total = sum(
                module_minutes(ws.modules[s.module], ws.audiences[aid]) if s.module
                else (s.minutes or 0)
                for s in day.sessions
            )
            if total != length:
                line, col = doc.where(("days", d, "end"))
                problems.append(Problem(doc.file, line, col, f"days[{d}].end", (
                    f"the sessions of day {d + 1} add up to {total} minutes for audience "
                    f"'{aid}', but {day.start}–{day.end} is {length} minutes")))
                break
    return problems


def _minutes_of_day(start: str, end: str) -> int:
    (h1, m1), (h2, m2) = (map(int, start.split(":")), map(int, end.split(":")))
    return (h2 * 60 + m2) - (h1 * 60 + m1)


_KIND_OF = {"module": "modules", "audience": "audiences", "course": "courses",
            "source": "sources"}


def _references(data: object, path: tuple) -> list[tuple[tuple, str, str]]:
    """Every id a module file cites in a ``sources: [...]`` or ``audiences: [...]`` list
    (not the module's own list of source definitions), with its path."""
    found: list[tuple[tuple, str, str]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            cites = key == "audiences" or (key == "sources" and path)  # top level: definitions
            if cites and isinstance(value, list):
                found.extend(((*path, key, i), key, v) for i, v in enumerate(value)
                             if isinstance(v, str))
            else:
                found.extend(_references(value, (*path, key)))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found.extend(_references(value, (*path, i)))
    return found
