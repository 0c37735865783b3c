"""Timings are data: a module lasts the sum of its timed parts, for a given audience.

Validation, lint and the resolver all call :func:`module_minutes`, so the length a course
declares and the schedule a build prints can never disagree.
"""

from __future__ import annotations

from ccrl_kit.content.model import Audience, Item, Module


def for_audience(item: Item, audience: str | None) -> bool:
    """Whether a list item is shown to ``audience`` (``None``: every item)."""
    return audience is None or item.audiences is None or audience in item.audiences


def module_minutes(module: Module, audience: Audience | str | None) -> int:
    """The minutes of every timed part of ``module`` that ``audience`` sees, the audience's own
    extra discussion questions included; alternate questions are untimed."""
    aid = audience.id if isinstance(audience, Audience) else audience
    extra = audience.questions.get(module.id, []) if isinstance(audience, Audience) else []
    parts = [*module.sections, *module.case_studies, *module.activities]
    questions = [q for q in (*module.questions, *extra) if not q.alternate]
    return sum(p.minutes for p in (*parts, *questions) if for_audience(p, aid))
