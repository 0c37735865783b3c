"""How much of a course is written in each language, and how much would be shown from a
fallback language instead: per module (``ccrl i18n``) and per document (a build's warnings)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from pydantic import BaseModel

from ccrl_kit.content.languages import DEFAULT_KEY, fallback_chain, is_language
from ccrl_kit.content.model import Course, Item, Module

# fields that hold facilitator-only material (never in the participant handout)
FACILITATOR = ("facilitator", "teaching_note")


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


@dataclass(frozen=True)
class Share:
    """Characters of text, and how many of them come from each fallback language."""

    chars: int = 0
    fallback: dict[str, int] = field(default_factory=dict)  # language -> characters

    @property
    def fallback_chars(self) -> int:
        return sum(self.fallback.values())

    @property
    def ratio(self) -> float:
        return self.fallback_chars / self.chars if self.chars else 0.0

    def __add__(self, other: Share) -> Share:
        merged = dict(self.fallback)
        for lang, n in other.fallback.items():
            merged[lang] = merged.get(lang, 0) + n
        return Share(self.chars + other.chars, merged)


def _is_text(obj: object) -> bool:
    return (isinstance(obj, dict) and bool(obj) and all(isinstance(v, str) for v in obj.values())
            and all(k == DEFAULT_KEY or is_language(k) for k in obj))


def texts(obj: object, *, audience: str | None = None,
          participant_only: bool = False) -> Iterator[dict[str, str]]:
    """Every localizable text under ``obj`` (a model), overrides excluded; only what
    ``audience`` sees if given, and no facilitator-only material if ``participant_only``."""
    if isinstance(obj, BaseModel):
        if (audience is not None and isinstance(obj, Item) and obj.audiences is not None
                and audience not in obj.audiences):
            return
        for name in type(obj).model_fields:
            if name == "overrides" or (participant_only and name in FACILITATOR):
                continue
            yield from texts(getattr(obj, name), audience=audience,
                             participant_only=participant_only)
    elif isinstance(obj, (list, tuple)):
        for value in obj:
            yield from texts(value, audience=audience, participant_only=participant_only)
    elif _is_text(obj):
        yield obj  # type: ignore[misc]


def neutral(text: dict[str, str]) -> bool:
    """Text with no letters in it ("2011", "1920s–1991" has some) reads the same in every
    language and needs no translation."""
    return not any(ch.isalpha() for value in text.values() for ch in value)


def module_coverage(module: Module, languages: Sequence[str] = ("en", "ru", "kk"),
                    default_language: str = "en") -> list[Coverage]:
    found = list(texts(module))
    rows = []
    for lang in languages:
        keys = {lang, DEFAULT_KEY} if lang == default_language else {lang}
        done = sum(1 for t in found if neutral(t) or any(t.get(k, "").strip() for k in keys))
        rows.append(Coverage(module.id, lang, len(found), done, lang in module.drafts))
    return rows


Limits = tuple[frozenset[str], ...]  # the audiences: lists of the items that hold a text


def entries(obj: object) -> dict[Limits, list[tuple[dict[str, str], bool]]]:
    """Every localizable text under ``obj``, grouped by the ``audiences:`` lists of the items
    that hold it (an audience sees it if it is in every one), each marked facilitator-only or
    not; overrides excluded."""
    found: dict[Limits, list[tuple[dict[str, str], bool]]] = {}
    stack: list[tuple[object, Limits, bool]] = [(obj, (), False)]
    while stack:
        value, limits, private = stack.pop()
        if isinstance(value, BaseModel):
            if isinstance(value, Item) and value.audiences is not None:
                limits = (*limits, frozenset(value.audiences))
            for name, field_value in value.__dict__.items():
                if name != "overrides" and field_value is not None and not isinstance(
                        field_value, (str, int, float)):
                    stack.append((field_value, limits, private or name in FACILITATOR))
        elif isinstance(value, (list, tuple)):
            stack.extend((v, limits, private) for v in reversed(value))
        elif _is_text(value):
            found.setdefault(limits, []).append((value, private))  # type: ignore[arg-type]
        elif isinstance(value, dict):
            stack.extend((v, limits, private) for v in value.values())
    return found


def text_share(course: Course, parts: Sequence[object], lang: str, *, audience: str | None,
               participant_only: bool, cache: dict | None = None) -> Share:
    """How much of the text of ``parts`` (models), as ``audience`` sees it in ``lang``, is
    shown from another language of the course's fallback chain (in characters). ``cache``
    keeps what is worked out for each part between calls on the same models."""
    cache = {} if cache is None else cache
    share = Share()
    for part in parts:
        if id(part) not in cache:
            cache[id(part)] = (part, entries(part), {})  # holding the part keeps its id its own
        _, groups, done = cache[id(part)]
        for limits, items in groups.items():
            if audience is not None and any(audience not in allowed for allowed in limits):
                continue
            key = (limits, lang, participant_only)
            if key not in done:
                done[key] = _share(course, items, lang, participant_only)
            share = share + done[key]
    return share


def _share(course: Course, items: list[tuple[dict[str, str], bool]], lang: str,
           participant_only: bool) -> Share:
    chain = fallback_chain(course, lang)
    default = course.languages[0]
    own = {lang, DEFAULT_KEY} if lang == default else {lang}
    total = 0
    by: dict[str, int] = {}
    for text, private in items:
        if private and participant_only:
            continue
        code = next((c for c in chain if c in text and text[c].strip()), None)
        if code is None:
            continue  # shown in no language: nothing on the page
        size = len(text[code].strip())
        total += size
        if code not in own and not neutral(text):
            shown = code or default
            by[shown] = by.get(shown, 0) + size
    return Share(total, by)
