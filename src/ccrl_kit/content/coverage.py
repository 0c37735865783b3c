"""How much of each module is translated into each language, and how much is still a draft."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pydantic import BaseModel

from ccrl_kit.content.model import DEFAULT_KEY, LANGUAGES, Module


@dataclass(frozen=True)
class Coverage:
    module: str
    language: str
    texts: int
    translated: int
    draft: bool

    @property
    def percent(self) -> int:
        return round(100 * self.translated / self.texts) if self.texts else 100


def texts(obj: object) -> Iterator[dict[str, str]]:
    """Every localizable text under ``obj`` (a model), overrides excluded."""
    if isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            if name != "overrides":
                yield from texts(getattr(obj, name))
    elif isinstance(obj, list):
        for value in obj:
            yield from texts(value)
    elif (isinstance(obj, dict) and obj and all(k in (*LANGUAGES, DEFAULT_KEY) for k in obj)
          and all(isinstance(v, str) for v in obj.values())):
        yield obj


def neutral(text: dict[str, str]) -> bool:
    """Text with no letters in it ("2011", "1920s–1991" has some) reads the same in every
    language and needs no translation."""
    return not any(ch.isalpha() for value in text.values() for ch in value)


def module_coverage(module: Module, default_language: str = "en") -> list[Coverage]:
    found = list(texts(module))
    rows = []
    for lang in LANGUAGES:
        keys = {lang, DEFAULT_KEY} if lang == default_language else {lang}
        done = sum(1 for t in found if neutral(t) or any(t.get(k, "").strip() for k in keys))
        rows.append(Coverage(module.id, lang, len(found), done, lang in module.drafts))
    return rows
