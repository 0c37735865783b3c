"""Content checks that validation cannot express, each with a rule id and a fix hint.

Warnings by default; ``ccrl lint --strict`` makes them errors.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ccrl_kit.authoring.terminology import find_terms
from ccrl_kit.content.languages import is_language
from ccrl_kit.content.loader import Document
from ccrl_kit.content.timing import module_minutes
from ccrl_kit.content.validate import field_name
from ccrl_kit.content.workspace import Workspace

MAX_BULLETS = 8
MAX_WORDS = 35
LATEST_END = 18 * 60 + 30  # a training day that ends after 18:30 overruns


@dataclass(frozen=True, order=True)
class Finding:
    file: str
    line: int
    col: int
    rule: str
    message: str
    hint: str

    def format(self, level: str) -> str:
        return (f"{self.file}:{self.line}:{self.col}: {level}: {self.rule}: {self.message} "
                f"({self.hint})")


def _walk(data: object, path: tuple = ()) -> Iterator[tuple[tuple, object]]:
    yield path, data
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _walk(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _walk(value, (*path, i))


def _find(doc: Document, path: tuple, rule: str, message: str, hint: str) -> Finding:
    line, col = doc.where(path)
    where = field_name(path)
    return Finding(doc.file, line, col, rule, f"{where}: {message}" if where else message, hint)


def lint(ws: Workspace) -> list[Finding]:
    found: list[Finding] = []
    for doc in ws.documents.values():
        found.extend(_terminology(doc))
    for mid, module in ws.modules.items():
        doc = ws.document("modules", mid)
        found.extend(_density(doc))
        found.extend(_sources(doc))
        found.extend(_questions(doc))
        found.extend(_alt_text(doc))
        del module
    for cid, course in ws.courses.items():
        found.extend(_days(ws, cid))
        found.extend(_translations(ws, cid))
        del course
    return sorted(set(found))


def _terminology(doc: Document) -> Iterator[Finding]:
    for path, value in _walk(doc.data):
        if isinstance(value, str) and path and path[-1] not in ("url", "id"):
            for rule, term in find_terms(value):
                yield _find(doc, path, rule.id, f"'{term}'", rule.hint)


def _texts(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        inner = value.get("text", value)
        if isinstance(inner, dict):
            return [v for k, v in inner.items() if is_language(k) and isinstance(v, str)]
        return [inner] if isinstance(inner, str) else []
    return []


def _density(doc: Document) -> Iterator[Finding]:
    for i, section in enumerate(doc.data.get("sections") or []):
        bullets = section.get("bullets") or [] if isinstance(section, dict) else []
        if len(bullets) > MAX_BULLETS:
            yield _find(doc, ("sections", i, "bullets"), "density-bullets",
                        f"{len(bullets)} bullets", f"a slide reads best with at most "
                        f"{MAX_BULLETS}: split the section")
        for j, bullet in enumerate(bullets):
            words = max((len(t.split()) for t in _texts(bullet)), default=0)
            if words > MAX_WORDS:
                yield _find(doc, ("sections", i, "bullets", j), "density-words",
                            f"{words} words", f"keep a bullet under {MAX_WORDS} words; move "
                            "detail to the facilitator notes")


_FACT = re.compile(r"\d")


def _sources(doc: Document) -> Iterator[Finding]:
    """A bullet or case fact with a figure or date in it, and no source."""
    places = [("sections", "bullets"), ("case_studies", "facts")]
    for outer, inner in places:
        for i, block in enumerate(doc.data.get(outer) or []):
            if not isinstance(block, dict) or (block.get("sources") and outer == "sections"):
                continue
            for j, item in enumerate(block.get(inner) or []):
                cites = isinstance(item, dict) and item.get("sources")
                if not cites and any(_FACT.search(t) for t in _texts(item)):
                    yield _find(doc, (outer, i, inner, j), "source-missing",
                                "a figure or date without a source",
                                "add 'sources: [id]' naming where it comes from")


def _questions(doc: Document) -> Iterator[Finding]:
    for i, q in enumerate(doc.data.get("questions") or []):
        if not isinstance(q, dict) or not (q.get("facilitator") or {}).get("prompts"):
            yield _find(doc, ("questions", i), "prompts-missing",
                        "discussion question without facilitator prompts",
                        "add facilitator: {prompts: [...], themes: [...]}")
        elif not q.get("minutes"):
            yield _find(doc, ("questions", i), "timing-question",
                        "discussion question without minutes",
                        "give it 'minutes:' so the session plan adds up")


def _alt_text(doc: Document) -> Iterator[Finding]:
    for i, section in enumerate(doc.data.get("sections") or []):
        for kind in ("table", "chart", "timeline"):
            data = section.get(kind) if isinstance(section, dict) else None
            if isinstance(data, dict):
                alts = _texts(data.get("alt", ""))
                if not alts or min(len(a) for a in alts) < 40:
                    yield _find(doc, ("sections", i, kind, "alt"), "alt-text",
                                f"the {kind}'s alt text is too short for a screen reader",
                                "describe every figure it shows, in words")


def _days(ws: Workspace, cid: str) -> Iterator[Finding]:
    course = ws.courses[cid]
    doc = ws.document("courses", cid)
    for d, day in enumerate(course.days):
        h, m = map(int, day.start.split(":"))
        for aid in course.audiences:
            if aid not in ws.audiences:
                continue
            total = sum(module_minutes(ws.modules[s.module], ws.audiences[aid])
                        if s.module in ws.modules else (s.minutes or 0) for s in day.sessions)
            end = h * 60 + m + total
            if end > LATEST_END:
                yield _find(doc, ("days", d), "timing-day",
                            f"day {d + 1} ends at {end // 60:02d}:{end % 60:02d} for "
                            f"'{aid}'", "a training day should end by 18:30: move a module")
                break


def _translations(ws: Workspace, cid: str) -> Iterator[Finding]:
    """Texts missing in a course language that has no fallback to cover them."""
    from ccrl_kit.content.coverage import neutral, texts

    course = ws.courses[cid]
    default = course.languages[0]
    for lang in course.languages[1:]:
        if course.fallback.get(lang):
            continue
        for mid in dict.fromkeys(course.modules):
            if mid not in ws.modules:
                continue
            missing = [t for t in texts(ws.modules[mid])
                       if not t.get(lang, "").strip() and not neutral(t)]
            if missing:
                doc = ws.document("modules", mid)
                yield Finding(doc.file, 1, 1, "translation-missing",
                              f"{len(missing)} texts have no '{lang}' version (course '{cid}' "
                              f"teaches in {lang}, default {default})",
                              f"translate them, or set 'fallback: {{{lang}: [...]}}' in the "
                              "course")
