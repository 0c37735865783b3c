"""Stage 2, validate: plain data -> typed model, collecting every problem in every file."""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from ccrl_kit.content.loader import Document
from ccrl_kit.content.model import Module
from ccrl_kit.errors import Problem

M = TypeVar("M", bound=BaseModel)


def validate(doc: Document, model: type[M]) -> tuple[M | None, list[Problem]]:
    """Validate one loaded document; return the model, or ``None`` and its problems."""
    return _validate(doc, model, doc.data, ())


# a module's fields an audience cannot replace
NOT_OVERRIDDEN = ("id", "overrides")


def validate_overrides(doc: Document, module: Module) -> tuple[dict[str, Module], list[Problem]]:
    """Each audience's variant of a valid module: its ``overrides:`` laid over its fields and
    validated like them, every problem placed on the override's own lines."""
    variants: dict[str, Module] = {}
    problems: list[Problem] = []
    base = {k: v for k, v in doc.data.items() if k != "overrides"}
    for aid, override in module.overrides.items():
        refused = [k for k in override if k in NOT_OVERRIDDEN]
        for key in refused:
            line, col = doc.where(("overrides", aid, key), key=True)
            problems.append(Problem(doc.file, line, col, f"overrides.{aid}.{key}", (
                f"'{key}' cannot be overridden for an audience")))
        if refused:
            continue
        variant, found = _validate(doc, Module, {**base, **override}, ("overrides", aid),
                                   set(override))
        problems.extend(found)
        if variant is not None:
            variants[aid] = variant
    return variants, problems


def _validate(doc: Document, model: type[M], data: Any, prefix: tuple,
              overridden: set[str] | None = None) -> tuple[M | None, list[Problem]]:
    """Validate ``data``; a problem at a top-level key in ``overridden`` (or at none) is shown
    at ``prefix`` + its path in ``doc`` (where an override's lines are)."""
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        problems = [_problem(doc, model, err, prefix, overridden)
                    for err in exc.errors(include_url=False)]
    # "unknown field 'objectivs' — did you mean 'objectives'?" already says it is missing
    suggested = {(p.field.rpartition(".")[0], p.suggestion)
                 for p in problems if p.code == "unknown-field" and p.suggestion}
    return None, [p for p in problems
                  if not (p.code == "missing-field"
                          and (p.field.rpartition(".")[0], p.subject) in suggested)]


def field_name(loc: tuple[Any, ...]) -> str:
    """``('objectives', 2, 'text')`` -> ``objectives[2].text``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _problem(doc: Document, model: type[BaseModel], err: ErrorDetails, prefix: tuple = (),
             overridden: set[str] | None = None) -> Problem:
    loc = tuple(p for p in err["loc"] if not _is_internal(p))
    if prefix and (not loc or overridden is None or loc[0] in overridden):
        at = (*prefix, *loc)  # where the text is in the file
    else:
        at = loc
    kind = err["type"]
    message = str(err["msg"]).removeprefix("Value error, ")
    if kind == "extra_forbidden":
        name = str(loc[-1])
        message = f"unknown field '{name}'"
        close = difflib.get_close_matches(name, _fields_at(model, loc[:-1]), n=1, cutoff=0.6)
        if close:
            message += f" — did you mean '{close[0]}'?"
        line, col = doc.where(at, key=True)
        return Problem(doc.file, line, col, field_name(at), message, code="unknown-field",
                       subject=name, suggestion=close[0] if close else "")
    if kind == "missing":
        message = f"missing required field '{loc[-1]}'"
        line, col = doc.where(at[:-1])
        return Problem(doc.file, line, col, field_name(at), message, code="missing-field",
                       subject=str(loc[-1]))
    if kind in _TYPE_NAMES:
        message = f"expected {_TYPE_NAMES[kind]}, got {_describe(err.get('input'))}"
    elif kind in _LIMITS:
        message = _LIMITS[kind].format(**err.get("ctx", {}))
    elif message.startswith("Input should be "):
        message = "expected " + message.removeprefix("Input should be ")
    line, col = doc.where(at)
    return Problem(doc.file, line, col, field_name(at), message)


_TYPE_NAMES = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping of field: value",
    "model_attributes_type": "a mapping of field: value",
    "date_type": "a date like 2025-09-13",
    "date_parsing": "a date like 2025-09-13",
    "date_from_datetime_parsing": "a date like 2025-09-13",
}


_LIMITS = {
    "greater_than_equal": "must be at least {ge}",
    "greater_than": "must be more than {gt}",
    "less_than_equal": "must be at most {le}",
    "less_than": "must be less than {lt}",
    "too_short": "needs at least {min_length} item(s)",
    "too_long": "allows at most {max_length} item(s)",
    "string_too_short": "must not be empty",
    "string_too_long": "must be at most {max_length} characters",
}


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        short = value if len(value) <= 30 else value[:27] + "..."
        return f"text '{short}'"
    return f"{type(value).__name__} {value!r}"


def _is_internal(part: Any) -> bool:
    """pydantic adds validator names (``function-before[...]``) to some locations."""
    return isinstance(part, str) and ("[" in part or part.startswith("function-"))


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The field names valid at ``loc`` inside ``model`` (for 'did you mean')."""
    current: Any = model
    for part in loc:
        current = _step(current, part)
        if current is None:
            return []
    current = _unwrap(current)
    return list(current.model_fields) if _is_model(current) else []


def _step(tp: Any, part: Any) -> Any:
    tp = _unwrap(tp)
    if isinstance(part, int):
        args = typing.get_args(tp)
        return args[0] if typing.get_origin(tp) is list and args else None
    if _is_model(tp):
        info = tp.model_fields.get(part)
        return info.annotation if info else None
    if typing.get_origin(tp) is dict:
        return typing.get_args(tp)[1]
    return None


def _unwrap(tp: Any) -> Any:
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(tp) if a is not type(None)]
            tp = next((a for a in options if _is_model(_unwrap(a))), options[0])
        else:
            return tp


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)
