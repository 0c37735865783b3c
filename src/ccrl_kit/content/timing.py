"""Timings are data: a module lasts the sum of its timed parts, for a given audience."""

from __future__ import annotations

from ccrl_kit.content.model import Item, Module


def for_audience(item: Item, audience: str | None) -> bool:
    """Whether a list item is shown to ``audience`` (``None``: every item)."""
    return audience is None or item.audiences is None or audience in item.audiences


def module_minutes(module: Module, audience: str | None) -> int:
    """The minutes of every timed part of ``module`` that ``audience`` sees."""
    parts = [*module.sections, *module.case_studies, *module.activities, *module.questions]
    return module.knowledge_check_minutes + sum(
        p.minutes for p in parts if for_audience(p, audience)
    )
