"""Fit a resolved course into a time budget by dropping optional items, in a stated order.

The order (what goes first):

1. modules the audience marks optional, last one first;
2. discussion questions beyond the first of each module, from the last module backwards;
3. knowledge checks, last module first;
4. activities, last module first;
5. case studies beyond the first of the course, last one first;
6. content sections beyond the first two of each module, from the last module backwards.

Every drop is reported. If the course is still too long, :class:`BudgetError` says by how much.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from ccrl_kit.errors import BuildError
from ccrl_kit.resolve import types as r


class BudgetError(BuildError):
    """The course cannot be made to fit its time budget."""


def _total(modules: list[r.Module]) -> int:
    return sum(m.minutes for m in modules)


def fit_budget(modules: tuple[r.Module, ...], minutes: int,
               optional: set[str]) -> tuple[tuple[r.Module, ...], tuple[str, ...]]:
    """Drop items from ``modules`` until they last at most ``minutes``; say what went."""
    mods = list(modules)
    dropped: list[str] = []
    steps: list[Callable[[], bool]] = [
        lambda: _drop_module(mods, optional, dropped),
        lambda: _drop_question(mods, dropped),
        lambda: _drop_check(mods, dropped),
        lambda: _drop_activity(mods, dropped),
        lambda: _drop_case(mods, dropped),
        lambda: _drop_section(mods, dropped),
    ]
    for step in steps:
        while _total(mods) > minutes and step():
            pass
    if _total(mods) > minutes:
        raise BudgetError(
            f"the course cannot fit {minutes} minutes: after dropping every optional item it "
            f"still lasts {_total(mods)} minutes. Choose fewer modules (the audience's "
            "'modules:' or the course's sessions) or a longer budget."
        )
    return tuple(mods), tuple(dropped)


def _shorter(module: r.Module, minutes: int, **changes) -> r.Module:
    return replace(module, minutes=module.minutes - minutes, **changes)


def _drop_module(mods: list[r.Module], optional: set[str], dropped: list[str]) -> bool:
    for i in reversed(range(len(mods))):
        if mods[i].id in optional:
            m = mods.pop(i)
            dropped.append(f"module '{m.id}' ({m.minutes} min)")
            return True
    return False


def _drop_last(mods: list[r.Module], dropped: list[str], field: str, keep: int,
               describe: Callable[[r.Module, object], str]) -> bool:
    """Drop the last of ``field`` from the last module that has more than ``keep`` of them."""
    for i in reversed(range(len(mods))):
        items = getattr(mods[i], field)
        if len(items) > keep:
            item = items[-1]
            dropped.append(describe(mods[i], item))
            mods[i] = _shorter(mods[i], item.minutes, **{field: items[:-1]})
            return True
    return False


def _drop_question(mods: list[r.Module], dropped: list[str]) -> bool:
    return _drop_last(mods, dropped, "questions", 1, lambda m, q: (
        f"discussion question in '{m.id}' ({q.minutes} min): {q.text}"))


def _drop_check(mods: list[r.Module], dropped: list[str]) -> bool:
    for i in reversed(range(len(mods))):
        m = mods[i]
        if m.knowledge_check_minutes:
            mods[i] = _shorter(m, m.knowledge_check_minutes, knowledge_check_minutes=0)
            dropped.append(f"knowledge check of '{m.id}' ({m.knowledge_check_minutes} min)")
            return True
    return False


def _drop_activity(mods: list[r.Module], dropped: list[str]) -> bool:
    return _drop_last(mods, dropped, "activities", 0, lambda m, a: (
        f"activity '{a.id}' of '{m.id}' ({a.minutes} min)"))


def _drop_case(mods: list[r.Module], dropped: list[str]) -> bool:
    if sum(len(m.case_studies) for m in mods) <= 1:
        return False  # the course keeps one case
    return _drop_last(mods, dropped, "case_studies", 0, lambda m, c: (
        f"case study '{c.id}' of '{m.id}' ({c.minutes} min)"))


def _drop_section(mods: list[r.Module], dropped: list[str]) -> bool:
    return _drop_last(mods, dropped, "sections", 2, lambda m, s: (
        f"section '{s.id}' of '{m.id}' ({s.minutes} min)"))
