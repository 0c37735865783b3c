"""Load and validate a whole workspace: every module, audience and course, all problems at once."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from ccrl_kit.content.loader import Document, load_file
from ccrl_kit.content.model import Audience, Course, Module, WorkspaceConfig
from ccrl_kit.content.timing import module_minutes, session_minutes
from ccrl_kit.content.validate import field_name, validate, validate_overrides
from ccrl_kit.content.walk import Ref, references
from ccrl_kit.errors import ContentError, Problem
from ccrl_kit.files import FileError

T = TypeVar("T")
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
    variants: dict[tuple[str, str], Module] = field(default_factory=dict)  # (module, audience)

    def document(self, kind: str, ident: str) -> Document:
        return self.documents[f"{kind}/{ident}"]

    def path(self, kind: str, ident: str) -> Path:
        """The file an item was loaded from (``.yaml`` or ``.yml``)."""
        return self.root / self.documents[f"{kind}/{ident}"].file

    def module_for(self, module_id: str, audience_id: str | None) -> Module:
        """The module as ``audience_id`` sees it: its ``overrides:`` for them applied."""
        if audience_id is not None and (module_id, audience_id) in self.variants:
            return self.variants[(module_id, audience_id)]
        return self.modules[module_id]

    def minutes(self, module_id: str, audience_id: str) -> int:
        """How long an audience spends on a module, overrides and extra questions counted:
        the one count that validation and the build share."""
        return session_minutes(self.module_for(module_id, audience_id),
                               self.audiences[audience_id])


SUFFIXES = (".yaml", ".yml")


def yaml_files(root: Path, kind: str) -> list[Path]:
    """The YAML files (``.yaml`` or ``.yml``) of one folder of the workspace, hidden files
    skipped."""
    folder = root / kind
    if not folder.is_dir():
        return []
    return [folder / n for n in sorted(os.listdir(folder))
            if not n.startswith(".") and Path(n).suffix.lower() in SUFFIXES]


def _listing(root: Path, kind: str) -> tuple[list[Path], set[str], list[Problem]]:
    """The files of one folder, the ids given by two files (``x.yaml`` and ``x.yml``), and
    the problems of both."""
    try:
        found = yaml_files(root, kind)
    except OSError as exc:
        return [], set(), [Problem(f"{kind}/", message=(
            f"cannot read folder: {exc.strerror or exc}"))]
    by_id: dict[str, list[Path]] = {}
    for path in found:
        by_id.setdefault(path.stem, []).append(path)
    problems = []
    for ident, paths in by_id.items():
        if len(paths) > 1:
            names = " and ".join(f"{kind}/{p.name}" for p in paths)
            problems.append(Problem(f"{kind}/{paths[0].name}", message=(
                f"{names} both define '{ident}': keep one of them")))
    return found, {i for i, paths in by_id.items() if len(paths) > 1}, problems


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
        paths, ambiguous, found = _listing(root, kind)
        problems.extend(found)
        for path in paths:
            ws.present[kind].add(path.stem)
            if path.stem in ambiguous:
                continue
            shown = f"{kind}/{path.name}"
            try:
                doc = load_file(path, shown, inside=root)
            except FileError as exc:
                problems.append(exc.problem)
                continue
            obj: Any
            obj, found = _validated(doc, model)
            problems.extend(found)
            if obj is None:
                continue
            if obj.id != path.stem:
                line, col = doc.where(("id",))
                problems.append(Problem(shown, line, col, "id", (
                    f"id '{obj.id}' does not match the file name '{path.name}' "
                    f"(rename the file to {obj.id}{path.suffix} or change the id)")))
                continue
            if isinstance(obj, Module):
                variants, found = _overridden(doc, obj)
                problems.extend(found)
                ws.variants.update({(obj.id, aid): v for aid, v in variants.items()})
            ws.documents[f"{kind}/{obj.id}"] = doc
            getattr(ws, kind)[obj.id] = obj
    problems.extend(_load_config(ws))
    problems.extend(_duplicates(ws))
    problems.extend(_cross_references(ws))
    if problems:
        raise ContentError(problems)
    return ws


def _memo(doc: Document, key: object, make: Callable[[], T]) -> T:
    """What ``make()`` derives from ``doc`` alone, made once per loaded document (the loader
    gives the same document again only for the same bytes)."""
    if key not in doc.memo:
        doc.memo[key] = make()
    return doc.memo[key]


def _validated(doc: Document, model: type[BaseModel]) -> tuple[Any, list[Problem]]:
    return _memo(doc, ("model", model), lambda: validate(doc, model))


def _overridden(doc: Document, module: Module) -> tuple[dict[str, Module], list[Problem]]:
    return _memo(doc, "overrides", lambda: validate_overrides(doc, module))


def _references(doc: Document, key: object, obj: object) -> list[Ref]:
    return _memo(doc, ("references", key), lambda: references(obj))


CONFIG = "ccrl.yaml"


def _load_config(ws: Workspace) -> list[Problem]:
    path = ws.root / CONFIG
    if not path.is_file():
        return []
    try:
        doc = load_file(path, CONFIG, inside=ws.root)
    except FileError as exc:
        return [exc.problem]
    config, problems = _validated(doc, WorkspaceConfig)
    if config is None:
        return problems
    ws.documents["config/ccrl"] = doc
    ws.config = config
    return []


# lists whose entries must differ: (kind, list, field of an entry, what it is)
_UNIQUE = (
    ("modules", "sources", "id", "source"),
    ("modules", "sections", "id", "section"),
    ("modules", "case_studies", "id", "case study"),
    ("modules", "activities", "id", "activity"),
    ("audiences", "modules", None, "module"),
    ("audiences", "optional", None, "module"),
    ("courses", "audiences", None, "audience"),
    ("courses", "languages", None, "language"),
)


def _duplicates(ws: Workspace) -> list[Problem]:
    """An id given twice in one list (two sources 'report-fn8' would print two numbers for one
    source, or hide one)."""
    problems: list[Problem] = []
    for key, doc in ws.documents.items():
        kind = key.partition("/")[0]
        holders: list[tuple[tuple, dict]] = [((), doc.data)]
        if kind == "modules":
            holders += [(("overrides", aid), over)
                        for aid, over in (doc.data.get("overrides") or {}).items()]
        for where, holder in holders:
            for of_kind, name, attr, what in _UNIQUE:
                entries = holder.get(name) if of_kind == kind else None
                if isinstance(entries, list):
                    problems.extend(_twice(doc, (*where, name), entries, attr, what))
    return problems


def _twice(doc: Document, path: tuple, entries: list, attr: str | None,
           what: str) -> list[Problem]:
    problems = []
    first: dict[str, int] = {}
    for i, entry in enumerate(entries):
        value = entry.get(attr) if attr and isinstance(entry, dict) else entry
        if not isinstance(value, str):
            continue
        if value not in first:
            first[value] = i
            continue
        at = (*path, i, attr) if attr else (*path, i)
        line, col = doc.where(at)
        was, _ = doc.where((*path, first[value]))
        problems.append(Problem(doc.file, line, col, field_name(at), (
            f"{what} '{value}' is listed twice (first on line {was})")))
    return problems


def _cross_references(ws: Workspace) -> list[Problem]:
    """Every id a file cites names something that exists: checked on the reference index of
    the typed model (:func:`ccrl_kit.content.walk.references`)."""
    problems: list[Problem] = []
    known: dict[str, Mapping[str, object]] = {
        "module": ws.modules, "audience": ws.audiences, "course": ws.courses}
    files = {"module": "modules", "audience": "audiences", "course": "courses"}
    for key, doc in ws.documents.items():
        kind, _, ident = key.partition("/")
        obj = ws.config if kind == "config" else getattr(ws, kind)[ident]
        shared: dict[str, None] = (
            {s.id: None for s in obj.sources} if isinstance(obj, Module) else {})
        for ref in _references(doc, None, obj):
            if ref.kind in known and ref.ident not in known[ref.kind]:
                if ref.ident in ws.present.get(files[ref.kind], ()):
                    continue  # the file exists but is invalid: its own problems are reported
                problems.append(_unknown(doc, ref, known[ref.kind]))
            elif ref.kind == "source" and ref.ident not in shared:
                problems.append(_unknown(doc, ref, shared))
            elif ref.kind == "file":
                problems.extend(_missing_file(ws, doc, ref))
    for cid, course in ws.courses.items():
        problems.extend(_schedule_problems(ws, cid, course))
    for mid, module in ws.modules.items():
        named = {r.ident for r in _references(ws.document("modules", mid), None, module)
                 if r.kind == "audience"} & set(ws.audiences)
        problems.extend(_variant_references(ws, mid))
        problems.extend(_stated_minutes(ws, mid, named))
    return problems


def _unknown(doc: Document, ref: Ref, known: Mapping[str, object]) -> Problem:
    line, col = doc.where(ref.path)
    choices = ", ".join(sorted(known)) or "none"
    return Problem(doc.file, line, col, field_name(ref.path),
                   f"unknown {ref.kind} '{ref.ident}' (known: {choices})",
                   code="unknown-reference", subject=ref.kind)


def _missing_file(ws: Workspace, doc: Document, ref: Ref) -> list[Problem]:
    """An image or logo a file names must be a file inside the workspace."""
    root = ws.root.resolve()
    target = (ws.root / ref.ident).resolve()
    if not target.is_relative_to(root):
        message = f"'{ref.ident}' is outside the workspace"
    elif not target.is_file():
        message = f"no file '{ref.ident}' in the workspace"
    else:
        return []
    line, col = doc.where(ref.path)
    return [Problem(doc.file, line, col, field_name(ref.path), message, code="missing-file",
                    subject=ref.ident)]


def _variant_references(ws: Workspace, mid: str) -> list[Problem]:
    """Each audience's variant of a module cites only sources it lists: the text an override
    gives is checked on the override's lines; shared text citing a source the variant's own
    ``sources:`` leave out is reported on those."""
    doc = ws.document("modules", mid)
    shared = {s.id for s in ws.modules[mid].sources}
    problems: list[Problem] = []
    for aid, override in ws.modules[mid].overrides.items():
        variant = ws.variants.get((mid, aid))
        if variant is None:
            continue
        listed = {s.id: None for s in variant.sources}
        for ref in _references(doc, aid, variant):
            if ref.kind != "source" or ref.ident in listed:
                continue
            if ref.path[0] in override:  # text the override gives
                problems.append(_unknown(doc, Ref(ref.kind, ref.ident,
                                                  ("overrides", aid, *ref.path)), listed))
            elif ref.ident in shared:
                line, col = doc.where(("overrides", aid, "sources"))
                problems.append(Problem(doc.file, line, col, f"overrides.{aid}.sources", (
                    f"source '{ref.ident}' (cited by {field_name(ref.path)}) is missing from "
                    "the sources of this audience's variant"), code="unknown-reference",
                    subject="source"))
    return problems


def _stated_minutes(ws: Workspace, mid: str, named: set[str]) -> list[Problem]:
    """A module's timed parts add up to its stated minutes for every audience it writes
    variants for (an audience it never names sees only the shared parts; a course's day end
    catches a short day)."""
    doc = ws.document("modules", mid)
    totals: dict[tuple[int, int, tuple], list[str]] = {}
    audiences: list[str | None] = [*sorted(named)] or [None]
    for aid in audiences:
        variant = ws.module_for(mid, aid)
        at = ("overrides", aid, "minutes") if aid and "minutes" in (
            doc.data.get("overrides") or {}).get(aid, {}) else ("minutes",)
        key = (variant.minutes, module_minutes(variant, aid), at)
        totals.setdefault(key, []).append(aid or "everyone")
    problems = []
    for (stated, total, at), who in sorted(totals.items()):
        if total != stated:
            line, col = doc.where(at)
            names = ", ".join(f"'{a}'" for a in who)
            problems.append(Problem(doc.file, line, col, field_name(at), (
                f"the module states {stated} minutes but its timed parts add up to "
                f"{total} for audience{'s' if len(who) > 1 else ''} {names}")))
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
            total = sum(ws.minutes(s.module, aid) if s.module else (s.minutes or 0)
                        for s in day.sessions)
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
