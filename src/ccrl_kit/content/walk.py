"""One walk over the typed model, and the index of every reference it holds.

Cross-checks (validation) and lint both read a workspace through these two functions instead of
walking raw YAML dictionaries: a path here is the same path a loaded :class:`Document` places
(``("sections", 2, "bullets", 0, "text")``), so every finding gets its file, line and column.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from ccrl_kit.content import model as m

Path = tuple[str | int, ...]


def walk(obj: Any, path: Path = ()) -> Iterator[tuple[Path, Any]]:
    """Every value under ``obj`` (a model, a list, a mapping), depth first, with its path.
    Localizable texts (``{lang: text}``) are yielded whole, not entered; a module's
    ``overrides`` are left out (each audience's variant is a model of its own)."""
    yield path, obj
    if isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            if name == "overrides":
                continue
            yield from walk(getattr(obj, name), (*path, name))
    elif isinstance(obj, list):
        for i, value in enumerate(obj):
            yield from walk(value, (*path, i))
    elif isinstance(obj, dict) and not is_text(obj):
        for key, value in obj.items():
            yield from walk(value, (*path, key))


def is_text(value: Any) -> bool:
    """Whether ``value`` is a localizable text as the model stores it: ``{lang: text}``."""
    return isinstance(value, dict) and bool(value) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items())


def texts(obj: Any) -> Iterator[tuple[Path, str, str]]:
    """Every human-readable text under ``obj``: (path, language key, text); ids, urls and
    file names are not texts."""
    for path, value in walk(obj):
        if is_text(value) and (not path or path[-1] not in _NOT_TEXT):
            for lang, text in value.items():
                yield path, lang, text


_NOT_TEXT = {"id", "url", "file", "country", "kind"}


@dataclass(frozen=True)
class Ref:
    """One id a file cites: ``kind`` is source | audience | module | course | part | file."""

    kind: str
    ident: str
    path: Path


def references(obj: Any) -> list[Ref]:
    """Every reference under ``obj`` (a module, an audience, a course or the workspace's
    settings), in file order."""
    found: list[Ref] = []
    for path, value in walk(obj):
        if isinstance(value, m.Item) and value.audiences:
            found += [Ref("audience", a, (*path, "audiences", i))
                      for i, a in enumerate(value.audiences)]
        if isinstance(value, m.Objective):
            found += [Ref("part", p, (*path, "parts", i)) for i, p in enumerate(value.parts)]
        if isinstance(value, m.Image | m.Logo):
            found.append(Ref("file", value.file, (*path, "file")))
        if isinstance(value, m.Session) and value.module:
            found.append(Ref("module", value.module, (*path, "module")))
        sources = getattr(value, "sources", None) if isinstance(value, BaseModel) else None
        if sources and not isinstance(value, m.Module) and all(
                isinstance(s, str) for s in sources):
            found += [Ref("source", s, (*path, "sources", i)) for i, s in enumerate(sources)]
    if isinstance(obj, m.Audience):
        found += [Ref("module", mid, ("modules", i)) for i, mid in enumerate(obj.modules or [])]
        found += [Ref("module", mid, ("questions", mid)) for mid in obj.questions]
    if isinstance(obj, m.Course):
        found += [Ref("audience", a, ("audiences", i)) for i, a in enumerate(obj.audiences)]
    if isinstance(obj, m.Module):
        found += [Ref("audience", a, ("overrides", a)) for a in obj.overrides]
    if isinstance(obj, m.WorkspaceConfig) and obj.default_course:
        found.append(Ref("course", obj.default_course, ("default_course",)))
    return found
