"""Fit a resolved course into a time budget by dropping optional items, in a stated order.

The order (what goes first):

1. modules the audience marks optional, last one first;
2. discussion questions beyond the first of each module, from the last module backwards;
3. the knowledge checks before and after the course;
4. activities, last module first;
5. case studies beyond the first of the course, last one first;
6. content sections beyond the first two of each module, from the last module backwards.

Steps 2 and 4-6 run first over items written for every audience, and only then, in the same
order, over items written for this audience: a police briefing drops every generic section
before it touches its police sections or the activity written for officers. An objective whose
every part has gone goes with them. Every drop is reported. If the course is still too long,
:class:`BudgetError` says by how much.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from ccrl_kit.errors import BuildError
from ccrl_kit.resolve import types as r


class BudgetError(BuildError):
    """The course cannot be made to fit its time budget."""


@dataclass
class _State:
    mods: list[r.Module]
    checks: tuple[int, int]
    optional: set[str]
    dropped: list[str]

    @property
    def total(self) -> int:
        return sum(m.minutes for m in self.mods) + sum(self.checks)


def fit_budget(modules: tuple[r.Module, ...], checks: tuple[int, int], minutes: int,
               optional: set[str]) -> tuple[tuple[r.Module, ...], tuple[int, int], tuple[str, ...]]:
    """Drop items until the course lasts at most ``minutes``; return what is left and what
    went."""
    state = _State(list(modules), checks, optional, [])
    steps: list[Callable[[_State], bool]] = [
        _drop_module, partial(_drop_question, targeted=False), _drop_checks,
        *(partial(step, targeted=False) for step in (_drop_activity, _drop_case, _drop_section)),
        *(partial(step, targeted=True)
          for step in (_drop_question, _drop_activity, _drop_case, _drop_section)),
    ]
    for step in steps:
        while state.total > minutes and step(state):
            pass
    if state.total > minutes:
        raise BudgetError(
            f"the course cannot fit {minutes} minutes: after dropping every optional item it "
            f"still lasts {state.total} minutes. Choose fewer modules (the audience's "
            "'modules:' or the course's sessions) or a longer budget."
        )
    return tuple(state.mods), state.checks, tuple(state.dropped)


def _drop_module(state: _State) -> bool:
    for i in reversed(range(len(state.mods))):
        if state.mods[i].id in state.optional:
            m = state.mods.pop(i)
            state.dropped.append(f"module '{m.id}' ({m.minutes} min)")
            return True
    return False


def _drop_checks(state: _State) -> bool:
    if not any(state.checks):
        return False
    state.dropped.append(f"knowledge checks before and after the course ({sum(state.checks)} min)")
    state.checks = (0, 0)
    return True


def _drop_last(state: _State, field: str, keep: int, targeted: bool,
               describe: Callable[[r.Module, Any], str]) -> bool:
    """Drop one of ``field`` from the last module that has more than ``keep`` of them: its
    last item written for everyone (``targeted`` false) or for this audience (true)."""
    for i in reversed(range(len(state.mods))):
        module = state.mods[i]
        items = getattr(module, field)
        if len(items) <= keep:
            continue
        candidates = [n for n in range(keep, len(items)) if items[n].targeted == targeted
                      and not getattr(items[n], "alternate", False)]  # alternates: untimed
        if not candidates:
            continue
        n = candidates[-1]
        item = items[n]
        state.dropped.append(describe(module, item))
        rest: dict[str, Any] = {field: (*items[:n], *items[n + 1:])}
        state.mods[i] = _without_orphans(
            replace(module, minutes=module.minutes - item.minutes, **rest),
            getattr(item, "id", None))
        return True
    return False


def _without_orphans(module: r.Module, gone: str | None) -> r.Module:
    """Drop the objectives taught only by parts that have gone."""
    if gone is None:
        return module
    parts: list[r.Section | r.CaseStudy | r.Activity] = [
        *module.sections, *module.case_studies, *module.activities]
    left = {x.id for x in parts}
    kept = tuple(o for o in module.objectives if not o.parts or set(o.parts) & left)
    return replace(module, objectives=kept or module.objectives[:1])


def _drop_question(state: _State, targeted: bool) -> bool:
    return _drop_last(state, "questions", 1, targeted, lambda m, q: (
        f"discussion question in '{m.id}' ({q.minutes} min): {q.text}"))


def _drop_activity(state: _State, targeted: bool) -> bool:
    return _drop_last(state, "activities", 0, targeted, lambda m, a: (
        f"activity '{a.id}' of '{m.id}' ({a.minutes} min)"))


def _drop_case(state: _State, targeted: bool) -> bool:
    if sum(len(m.case_studies) for m in state.mods) <= 1:
        return False  # the course keeps one case
    return _drop_last(state, "case_studies", 0, targeted, lambda m, c: (
        f"case study '{c.id}' of '{m.id}' ({c.minutes} min)"))


def _drop_section(state: _State, targeted: bool) -> bool:
    return _drop_last(state, "sections", 2, targeted, lambda m, s: (
        f"section '{s.id}' of '{m.id}' ({s.minutes} min)"))
