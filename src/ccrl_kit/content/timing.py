"""Timings are data: a module lasts the sum of its timed parts, for a given audience.

Validation (a module's stated minutes, a course day's end) and the build (the schedule's clock
times, the time budget) both count with these functions, on the module as the audience sees it
(its ``overrides:`` applied: :meth:`Workspace.module_for`).
"""

from __future__ import annotations

from ccrl_kit.content.model import Activity, Audience, CaseStudy, Item, Module, Question, Section


def for_audience(item: Item, audience: str | None) -> bool:
    """Whether a list item is shown to ``audience`` (``None``: every item)."""
    return audience is None or item.audiences is None or audience in item.audiences


def module_minutes(module: Module, audience: Audience | str | None) -> int:
    """The minutes of every timed part of ``module`` that ``audience`` sees (alternate
    questions are untimed); an audience's own extra questions are :func:`session_minutes`'."""
    aid = audience.id if isinstance(audience, Audience) else audience
    parts: list[Section | CaseStudy | Activity | Question] = [
        *module.sections, *module.case_studies, *module.activities,
        *(q for q in module.questions if not q.alternate)]
    return sum(p.minutes for p in parts if for_audience(p, aid))


def session_minutes(module: Module, audience: Audience) -> int:
    """How long ``audience`` spends on ``module`` (its variant for that audience): the module's
    timed parts it sees and the extra discussion questions the audience adds to it."""
    extra = audience.questions.get(module.id, [])
    return module_minutes(module, audience.id) + sum(
        q.minutes for q in extra if for_audience(q, audience.id) and not q.alternate)
