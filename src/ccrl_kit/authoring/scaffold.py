"""Authoring helpers: a new workspace (``ccrl init``) and commented skeletons (``ccrl new``).

Adding to an existing file is a text insertion at a position the YAML parser gives, so the
author's comments and layout stay as they were; the edited workspace is validated before the
command ends, and restored if it does not validate.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from ccrl_kit.content.model import SLUG
from ccrl_kit.errors import CcrlError, ContentError
from ccrl_kit.settings import builtin_workspace

PARTS = ("modules", "audiences", "courses", "templates")
KINDS = {"module": "modules", "case-study": "modules", "audience": "audiences",
         "course": "courses"}
SCHEMA_DIR = "schemas"
SCHEMA_KINDS = ("module", "audience", "course", "workspace")
NEW_MINUTES = 30  # the length of a new module or case skeleton

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# ---------------------------------------------------------------------------------------------
# ccrl init


def init_workspace(target: Path, *, example: bool = False) -> list[str]:
    """Make a workspace in ``target`` (new or empty): a blank one with a small example module,
    or (``example``) a copy of the shipped course. Returns what it made."""
    if target.exists() and not target.is_dir():
        raise CcrlError(f"{target}: not a folder")
    try:
        if target.exists() and any(target.iterdir()):
            raise CcrlError(f"{target}: folder is not empty; choose a new folder")
    except OSError as exc:
        raise _os_error(exc, target) from None
    created = not target.exists()
    try:
        made = sorted([*_copy_workspace(target, example), write_schemas(target)])
        (target / "output").mkdir()
        (target / ".gitignore").write_text("output/\n", encoding="utf-8")
    except OSError as exc:
        _remove_partial(target, created)
        raise _os_error(exc, target) from None
    return made


def _copy_workspace(target: Path, example: bool) -> list[str]:
    target.mkdir(parents=True, exist_ok=True)
    source = builtin_workspace()
    made = []
    parts = PARTS if example else ("templates",)
    for part in parts:
        shutil.copytree(source / part, target / part,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        made.append(part + "/")
    if example:
        if (source / "ccrl.yaml").is_file():
            shutil.copyfile(source / "ccrl.yaml", target / "ccrl.yaml")
            made.append("ccrl.yaml")
        return made
    starter = resources.files("ccrl_kit.authoring").joinpath("starter")
    for part in ("modules", "audiences", "courses"):
        (target / part).mkdir()
        for item in sorted(starter.joinpath(part).iterdir(), key=lambda p: p.name):
            if item.name.endswith(".yaml"):
                (target / part / item.name).write_text(item.read_text("utf-8"), encoding="utf-8")
        made.append(part + "/")
    (target / "ccrl.yaml").write_text(starter.joinpath("ccrl.yaml").read_text("utf-8"),
                                      encoding="utf-8")
    made.append("ccrl.yaml")
    return made


def _remove_partial(target: Path, created: bool) -> None:
    """Remove what a failed ``init`` made (the folder too, if it made it)."""
    if created:
        shutil.rmtree(target, ignore_errors=True)
    elif target.is_dir():
        for child in target.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child, ignore_errors=True)
            else:
                child.unlink(missing_ok=True)


def write_schemas(workspace: Path) -> str:
    from ccrl_kit.authoring.schema import schema_for

    folder = workspace / SCHEMA_DIR
    folder.mkdir(exist_ok=True)
    for kind in SCHEMA_KINDS:
        (folder / f"{kind}.schema.json").write_text(
            json.dumps(schema_for(kind), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return SCHEMA_DIR + "/"


# ---------------------------------------------------------------------------------------------
# ccrl new


def check_id(ident: str) -> None:
    if not SLUG.fullmatch(ident) or len(ident) > 64:
        shown = ident.encode("unicode_escape").decode("ascii")
        raise CcrlError(f"'{shown}' is not a valid id: use lower-case letters, digits and "
                        "single hyphens (e.g. my-topic), at most 64 characters")


def _require_workspace(workspace: Path) -> None:
    if not any((workspace / kind).is_dir() for kind in ("modules", "audiences", "courses")):
        raise CcrlError(f"{workspace}: not a ccrl workspace (no modules/, audiences/ or "
                        "courses/ folder); make one with 'ccrl init DIR'")


def _existing(workspace: Path, folder: str, ident: str) -> Path | None:
    for suffix in (".yaml", ".yml"):
        path = workspace / folder / f"{ident}{suffix}"
        if path.exists() or path.is_symlink():
            return path
    return None


def _required(workspace: Path, folder: str, ident: str) -> Path:
    """The file of an existing ``ident`` in ``folder`` (courses, modules); otherwise an error
    listing the ones there are."""
    found = _existing(workspace, folder, ident)
    if found is None:
        known = ", ".join(_ids(workspace, folder)) or "none"
        raise CcrlError(f"no {folder[:-1]} '{ident}' in this workspace ({folder}: {known}); "
                        "nothing written")
    return found


def _ids(workspace: Path, folder: str) -> list[str]:
    try:
        return sorted(p.stem for p in (workspace / folder).iterdir()
                      if p.suffix in (".yaml", ".yml"))
    except OSError:
        return []


def skeleton(workspace: Path, kind: str, ident: str, **values: str) -> str:
    """The commented skeleton of ``kind`` for ``ident``, filled in from the workspace."""
    audiences = _ids(workspace, "audiences")
    modules = _ids(workspace, "modules")
    schema_kind = "module" if kind == "case-study" else kind
    text = (resources.files("ccrl_kit.authoring") / "skeletons" / f"{kind}.yaml").read_text(
        "utf-8")
    fill = {
        "{id}": ident,
        "{title}": ident.replace("-", " ").capitalize(),
        "{schema}": f"../{SCHEMA_DIR}/{schema_kind}.schema.json",
        "{audience}": audiences[0] if audiences else "everyone",
        "{module}": modules[0] if modules else ident,
        **{f"{{{k}}}": v for k, v in values.items()},
    }
    for key, value in fill.items():
        text = text.replace(key, value)
    if kind == "module" and not audiences:
        text = text.replace("\n        audiences: [everyone]   # limit any list item to some "
                            "audiences", "")
    return text


def new_file(workspace: Path, kind: str, ident: str) -> Path:
    """Write a commented skeleton of ``kind`` (module, audience or course) named ``ident``."""
    check_id(ident)
    _require_workspace(workspace)
    folder = KINDS[kind]
    existing = _existing(workspace, folder, ident)
    if existing:
        raise CcrlError(f"{existing.relative_to(workspace)} already exists")
    path = workspace / folder / f"{ident}.yaml"
    _write(path, skeleton(workspace, kind, ident), workspace)
    return path


@dataclass(frozen=True)
class Added:
    """What ``ccrl new ... --course/--module`` changed, for the report."""

    written: tuple[str, ...]  # files written or edited, relative to the workspace
    lines: tuple[str, ...]  # what to tell the user


def new_module_in_course(workspace: Path, ident: str, course_id: str) -> Added:
    """A new module file, added as a session to the last day of ``course_id``.

    Refuses (writing nothing) when the course does not exist or the day has an ``end`` the
    module would overflow; otherwise reports the day's new end time."""
    from ccrl_kit.content.workspace import load_workspace

    check_id(ident)
    _require_workspace(workspace)
    course_file = _required(workspace, "courses", course_id)
    existing = _existing(workspace, "modules", ident)
    if existing:
        raise CcrlError(f"{existing.relative_to(workspace)} already exists")
    ws = load_workspace(workspace)
    course = ws.courses[course_id]
    day = len(course.days) - 1
    shown_course = str(course_file.relative_to(workspace))
    before = _day_ends(ws, course_id, day)
    after = {aid: end + NEW_MINUTES for aid, end in before.items()}
    _refuse_overflow(course.days[day], day, shown_course, f"'{ident}' ({NEW_MINUTES} min)",
                     after)
    module_text = skeleton(workspace, "module", ident)
    course_text = _read(course_file, shown_course)
    new_course = _insert_session(course_text, shown_course, day, ident)
    module_path = workspace / "modules" / f"{ident}.yaml"
    _transaction(workspace, {module_path: module_text, course_file: new_course})
    budget = (f"; its {course.minutes}-minute budget then drops optional parts to fit"
              if course.minutes else "")
    return Added(
        (f"modules/{ident}.yaml", shown_course),
        (f"added '{ident}' ({NEW_MINUTES} min) to day {day + 1} of {shown_course}, which "
         f"{_change(before, after)}{budget}",))


def new_case(workspace: Path, ident: str, module_id: str) -> Added:
    """A case-study skeleton appended to ``module_id``'s file; the module's ``minutes:`` grows
    by the case's length, which every course day that has an ``end`` must still fit."""
    from ccrl_kit.content.workspace import load_workspace

    check_id(ident)
    _require_workspace(workspace)
    module_file = _required(workspace, "modules", module_id)
    ws = load_workspace(workspace)
    module = ws.modules[module_id]
    taken = ({s.id for s in module.sections} | {c.id for c in module.case_studies}
             | {a.id for a in module.activities})
    if ident in taken:
        raise CcrlError(f"module '{module_id}' already has a part with id '{ident}'")
    shown = str(module_file.relative_to(workspace))
    lines = [f"added case study '{ident}' ({NEW_MINUTES} min) to {shown}: the module now "
             f"lasts {module.minutes + NEW_MINUTES} minutes (was {module.minutes})"]
    for cid, course in ws.courses.items():
        for d, day in enumerate(course.days):
            if not any(s.module == module_id for s in day.sessions):
                continue
            before = _day_ends(ws, cid, d)
            takes = _takers(ws, cid, module_id)
            after = {aid: end + (NEW_MINUTES if aid in takes else 0)
                     for aid, end in before.items()}
            where = str((_existing(workspace, "courses", cid) or workspace / "courses" / cid)
                        .relative_to(workspace))
            _refuse_overflow(day, d, where, f"case study '{ident}' ({NEW_MINUTES} min)", after)
            lines.append(f"day {d + 1} of {where} {_change(before, after)}")
    text = _read(module_file, shown)
    snippet = skeleton(workspace, "case-study", ident, source=module.sources[0].id)
    edited = _insert_case(text, shown, snippet)
    edited = _set_minutes(edited, shown, module.minutes + NEW_MINUTES)
    _transaction(workspace, {module_file: edited})
    return Added((shown,), tuple(lines))


# ---------------------------------------------------------------------------------------------
# Timings of a course day


def _takers(ws, course_id: str, module_id: str) -> set[str]:
    """The audiences of a course that take ``module_id``."""
    course = ws.courses[course_id]
    return {aid for aid in course.audiences if aid in ws.audiences and (
        ws.audiences[aid].modules is None or module_id in ws.audiences[aid].modules)}


def _day_ends(ws, course_id: str, day: int) -> dict[str, int]:
    """For each audience of the course: the minute of the day (from midnight) a day ends,
    counted as the build counts it (the audience's own modules and questions)."""
    from ccrl_kit.content.timing import module_minutes

    course = ws.courses[course_id]
    d = course.days[day]
    h, m = map(int, d.start.split(":"))
    ends: dict[str, int] = {}
    for aid in course.audiences:
        audience = ws.audiences.get(aid)
        if audience is None:
            continue
        total = 0
        for s in d.sessions:
            if s.module:
                if s.module in ws.modules and (audience.modules is None
                                               or s.module in audience.modules):
                    total += module_minutes(ws.modules[s.module], audience)
            else:
                total += s.minutes or 0
        ends[aid] = h * 60 + m + total
    return ends


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _span(ends: dict[str, int]) -> str:
    low, high = min(ends.values()), max(ends.values())
    return _clock(low) if low == high else f"{_clock(low)}–{_clock(high)} (by audience)"


def _change(before: dict[str, int], after: dict[str, int]) -> str:
    if not after:
        return "no audience of the course takes it"
    return f"now ends at {_span(after)} (was {_span(before)})"


def _refuse_overflow(day, index: int, shown: str, what: str, after: dict[str, int]) -> None:
    if not after:
        return
    latest = max(after.values())
    if latest >= 24 * 60:
        raise CcrlError(f"{shown}: adding {what} would run day {index + 1} past midnight; "
                        "nothing written")
    if day.end is None:
        return
    h, m = map(int, day.end.split(":"))
    if latest > h * 60 + m:
        raise CcrlError(
            f"{shown}: day {index + 1} ends at {day.end} ('end:'), and {what} would run it to "
            f"{_clock(latest)}; nothing written. Move the day's 'end:' or make room first, "
            "then run the command again")


# ---------------------------------------------------------------------------------------------
# Text edits that keep the author's comments


def _compose(text: str, shown: str) -> yaml.MappingNode:
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise CcrlError(f"{shown}: cannot edit it: {exc}") from None
    if not isinstance(root, yaml.MappingNode):
        raise CcrlError(f"{shown}: cannot edit it: not a mapping")
    return root


def _get(node: yaml.Node, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if k.value == key:
                return v
    return None


def _block_end(lines: list[str], item_line: int, dash_col: int) -> int:
    """The index of the line after a block-list item that starts on ``item_line``: the item
    runs while lines are blank, comments or indented deeper than its dash; trailing blank and
    comment lines at the dash's depth or less belong to what follows."""
    end = item_line + 1
    last = item_line + 1
    while end < len(lines):
        stripped = lines[end].strip()
        indent = len(lines[end]) - len(lines[end].lstrip())
        if stripped and indent <= dash_col and not stripped.startswith("#"):
            break
        end += 1
        if stripped and (indent > dash_col):
            last = end
    return last


def _dash(lines: list[str], item: yaml.Node) -> int:
    """The column of the ``-`` that starts a block-list item."""
    line = lines[item.start_mark.line]
    col = line.rfind("-", 0, item.start_mark.column)
    return col if col >= 0 else max(0, item.start_mark.column - 2)


def _indent(block: str, spaces: int) -> str:
    pad = " " * spaces
    return "".join(pad + ln if ln.strip() else ln for ln in block.splitlines(keepends=True))


def _insert_session(text: str, shown: str, day: int, module_id: str) -> str:
    """``- module: ID`` appended to a day's sessions (before its closing knowledge check)."""
    root = _compose(text, shown)
    days = _get(root, "days")
    sessions = _get(days.value[day], "sessions") if isinstance(days, yaml.SequenceNode) else None
    if not isinstance(sessions, yaml.SequenceNode) or sessions.flow_style or not sessions.value:
        raise CcrlError(f"{shown}: cannot add the module: write day {day + 1}'s sessions as a "
                        "block list ('- module: ...' lines); nothing written")
    lines = text.splitlines(keepends=True)
    items = sessions.value
    last = items[-1]
    closing = _get(last, "post_check") is not None or getattr(_get(last, "kind"), "value",
                                                               "") == "post-check"
    col = _dash(lines, last)
    at = last.start_mark.line if closing else _block_end(lines, last.start_mark.line, col)
    if at > 0 and not lines[at - 1].endswith("\n"):
        lines[at - 1] += "\n"
    lines.insert(at, f"{' ' * col}- module: {module_id}\n")
    return "".join(lines)


# where a new 'case_studies:' goes: after 'sections:', else before the first of these
_AFTER_CASES = ("activities", "questions", "knowledge_check", "glossary", "facilitator",
                "sources")


def _insert_case(text: str, shown: str, snippet: str) -> str:
    root = _compose(text, shown)
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    cases = _get(root, "case_studies")
    if isinstance(cases, yaml.SequenceNode) and cases.value:
        if cases.flow_style:
            raise CcrlError(f"{shown}: cannot add the case: write 'case_studies:' as a block "
                            "list; nothing written")
        last = cases.value[-1]
        col = _dash(lines, last)
        at = _block_end(lines, last.start_mark.line, col)
        lines.insert(at, _indent(snippet, col - 2))
        return "".join(lines)
    if cases is not None:  # "case_studies: []" or an empty value
        key_line = next(k.start_mark.line for k, _ in root.value if k.value == "case_studies")
        if cases.end_mark.line != key_line:
            raise CcrlError(f"{shown}: cannot add the case to 'case_studies:'; nothing written")
        lines[key_line] = "case_studies:\n"
        lines.insert(key_line + 1, snippet)
        return "".join(lines)
    keys = {k.value: k.start_mark.line for k, _ in root.value}
    if "sections" in keys:
        following = [line for line in keys.values() if line > keys["sections"]]
    else:
        following = [keys[k] for k in _AFTER_CASES if k in keys]
    at = min(following) if following else len(lines)
    while at > 0 and lines[at - 1].startswith("#"):  # a comment above a key is about that key
        at -= 1
    lines.insert(at, "case_studies:\n" + snippet + "\n")
    return "".join(lines)


def _set_minutes(text: str, shown: str, minutes: int) -> str:
    """The module's top-level ``minutes:`` set to ``minutes``, in place."""
    node = _get(_compose(text, shown), "minutes")
    if not isinstance(node, yaml.ScalarNode) or node.start_mark.line != node.end_mark.line:
        raise CcrlError(f"{shown}: cannot update 'minutes:'; nothing written")
    lines = text.splitlines(keepends=True)
    line = lines[node.start_mark.line]
    start, end = node.start_mark.column, node.end_mark.column
    lines[node.start_mark.line] = line[:start] + str(minutes) + line[end:]
    return "".join(lines)


# ---------------------------------------------------------------------------------------------
# Files


def _read(path: Path, shown: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise _os_error(exc, shown, "read") from None


def _write(path: Path, text: str, workspace: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        raise _os_error(exc, path.relative_to(workspace)) from None


def _transaction(workspace: Path, files: dict[Path, str]) -> None:
    """Write every file, then validate the workspace; on any failure put every file back as
    it was (and remove the new ones)."""
    from ccrl_kit.content.workspace import load_workspace

    saved: dict[Path, str | None] = {}
    try:
        for path, text in files.items():
            saved[path] = path.read_text(encoding="utf-8") if path.exists() else None
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        load_workspace(workspace)
    except BaseException as exc:
        for path, old in saved.items():
            try:
                if old is None:
                    path.unlink(missing_ok=True)
                else:
                    path.write_text(old, encoding="utf-8")
            except OSError:
                pass
        if isinstance(exc, OSError):
            raise _os_error(exc, workspace) from None
        if isinstance(exc, ContentError):
            raise CcrlError("the edit would leave the workspace invalid, so nothing was "
                            "written:\n" + exc.format_message()) from None
        raise


def _os_error(exc: OSError, where: object, verb: str = "write") -> CcrlError:
    """One line for a file the system refuses (read-only folder, no permission, full disk)."""
    name = exc.filename if exc.filename else where
    return CcrlError(f"cannot {verb} {name}: {exc.strerror or exc}")
