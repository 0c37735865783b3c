"""Content checks that validation cannot express, each with a rule id and a fix hint.

Warnings by default; ``ccrl lint --strict`` makes them errors. Every rule reads the typed model
through :mod:`ccrl_kit.content.walk` (the same walk the cross-checks use), so every finding
names its file, line and column.

The rules carry the course-design standards: slide density, sources for figures, discussion
questions that have prompts and 10–15 minutes, at most two plenary questions a module for each
audience, report-backs of at least two minutes a group, activities that name the CCRL
competency and skill they practise, 15–20 knowledge-check items, no block of more than 90
minutes without a break, alt text, terminology and translations.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ccrl_kit.authoring.terminology import find_terms
from ccrl_kit.content import model as m
from ccrl_kit.content.loader import Document
from ccrl_kit.content.timing import for_audience
from ccrl_kit.content.validate import field_name
from ccrl_kit.content.walk import Path, texts, walk
from ccrl_kit.content.workspace import Workspace
from ccrl_kit.errors import printable

MAX_BULLETS = 6
MAX_WORDS = 25
PLENARY_MINUTES = (10, 15)
PLENARY_PER_MODULE = 2
REPORT_BACK_PER_GROUP = 2
CHECK_ITEMS = (15, 20)
LONGEST_BLOCK = 90  # minutes without a break
LATEST_END = 18 * 60 + 30  # a training day that ends after 18:30 overruns
MIN_ALT = 40


@dataclass(frozen=True, order=True)
class Finding:
    file: str
    line: int
    col: int
    rule: str
    message: str
    hint: str

    def format(self, level: str) -> str:
        return printable(f"{self.file}:{self.line}:{self.col}: {level}: {self.rule}: "
                         f"{self.message} ({self.hint})")


def _find(doc: Document, path: Path, rule: str, message: str, hint: str) -> Finding:
    line, col = doc.where(path)
    where = field_name(path)
    return Finding(doc.file, line, col, rule, f"{where}: {message}" if where else message, hint)


def lint(ws: Workspace) -> list[Finding]:
    found: list[Finding] = []
    for key, doc in ws.documents.items():
        kind, _, ident = key.partition("/")
        obj = ws.config if kind == "config" else getattr(ws, kind)[ident]
        found.extend(_terminology(doc, obj))
    for mid, module in ws.modules.items():
        doc = ws.document("modules", mid)
        for rule in (_density, _sources, _questions, _activities, _alt_text, _objectives):
            found.extend(rule(doc, module))
        found.extend(_plenary(ws, doc, module))
    for cid in ws.courses:
        found.extend(_days(ws, cid))
        found.extend(_checks(ws, cid))
        found.extend(_translations(ws, cid))
    return sorted(set(found))


def _terminology(doc: Document, obj: object) -> Iterator[Finding]:
    for path, _, text in texts(obj):
        for rule, term in find_terms(text):
            yield _find(doc, path, rule.id, f"'{term}'", rule.hint)


def _words(text: dict[str, str]) -> int:
    return max((len(t.split()) for t in text.values()), default=0)


def _density(doc: Document, module: m.Module) -> Iterator[Finding]:
    for i, section in enumerate(module.sections):
        if len(section.bullets) > MAX_BULLETS:
            yield _find(doc, ("sections", i, "bullets"), "density-bullets",
                        f"{len(section.bullets)} bullets", "a slide reads best with at most "
                        f"{MAX_BULLETS}: split the section or move detail to the notes")
        for j, bullet in enumerate(section.bullets):
            words = _words(bullet.text)
            if words > MAX_WORDS:
                yield _find(doc, ("sections", i, "bullets", j), "density-words",
                            f"{words} words", f"keep a bullet to {MAX_WORDS} words; move "
                            "detail to the facilitator notes")


_FACT = re.compile(r"\d")


def _sources(doc: Document, module: m.Module) -> Iterator[Finding]:
    """A bullet or case fact with a figure or date in it, and no source."""
    places: list[tuple[Path, list[m.TextItem], list[str]]] = []
    places += [(("sections", i, "bullets"), s.bullets, s.sources)
               for i, s in enumerate(module.sections)]
    places += [(("case_studies", i, "facts"), c.facts, [])
               for i, c in enumerate(module.case_studies)]
    for path, items, covering in places:
        if covering:
            continue  # the section's own sources cover its points
        for j, item in enumerate(items):
            if not item.sources and any(_FACT.search(t) for t in item.text.values()):
                yield _find(doc, (*path, j), "source-missing",
                            "a figure or date without a source",
                            "add 'sources: [id]' naming where it comes from")


def _questions(doc: Document, module: m.Module) -> Iterator[Finding]:
    low, high = PLENARY_MINUTES
    for i, q in enumerate(module.questions):
        if not q.facilitator.prompts:
            yield _find(doc, ("questions", i), "prompts-missing",
                        "discussion question without facilitator prompts",
                        "add facilitator: {prompts: [...], themes: [...]}")
        if not q.alternate and not low <= q.minutes <= high:
            at: Path = ("questions", i)
            if q.minutes:
                at = ("questions", i, "minutes")
            yield _find(doc, at, "timing-plenary", f"a plenary question of {q.minutes} minutes",
                        f"give it {low}-{high} minutes, or make it 'alternate: true'")


def _plenary(ws: Workspace, doc: Document, module: m.Module) -> Iterator[Finding]:
    """At most two plenary questions a module for each audience (the rest are alternates)."""
    for aid, audience in ws.audiences.items():
        variant = ws.module_for(module.id, aid)
        asked = [q for q in (*variant.questions, *audience.questions.get(module.id, []))
                 if not q.alternate and for_audience(q, aid)]
        if len(asked) > PLENARY_PER_MODULE:
            yield _find(doc, ("questions",), "plenary-count",
                        f"{len(asked)} plenary questions for '{aid}'",
                        f"keep {PLENARY_PER_MODULE} at most; mark the others "
                        "'alternate: true': they stay in the facilitator guide")


def _activities(doc: Document, module: m.Module) -> Iterator[Finding]:
    for i, a in enumerate(module.activities):
        if not a.competency or not a.skill:
            missing = " and ".join(x for x, v in (("competency", a.competency),
                                                  ("skill", a.skill)) if not v)
            yield _find(doc, ("activities", i), "ccrl-practice",
                        f"the activity does not name the CCRL {missing} it practises",
                        "add 'competency: personal|comparative|collaborative' and "
                        "'skill: evaluation|negotiation|communication'")
        if a.report_back and a.report_back.minutes < REPORT_BACK_PER_GROUP * a.report_back.groups:
            groups, minutes = a.report_back.groups, a.report_back.minutes
            yield _find(doc, ("activities", i, "report_back"), "timing-report-back",
                        f"{groups} groups report in {minutes} minutes",
                        f"allow at least {REPORT_BACK_PER_GROUP} minutes a group: "
                        f"{REPORT_BACK_PER_GROUP * groups} minutes")


def _alt_text(doc: Document, module: m.Module) -> Iterator[Finding]:
    for path, value in walk(module):
        if isinstance(value, m.TableData | m.ChartData | m.TimelineData | m.MapData | m.Image) \
                and min(len(a) for a in value.alt.values()) < MIN_ALT:
                what = type(value).__name__.removesuffix("Data").lower()
                yield _find(doc, (*path, "alt"), "alt-text",
                            f"the {what}'s alt text is too short for a screen reader",
                            "describe every figure it shows, in words")


def _objectives(doc: Document, module: m.Module) -> Iterator[Finding]:
    for i, objective in enumerate(module.objectives):
        if not objective.parts:
            yield _find(doc, ("objectives", i), "objective-parts",
                        "the objective names no section, case study or activity that "
                        "teaches it", "add 'parts: [ids]': a shortened course keeps an "
                        "objective only while a part of it is taught")


def _days(ws: Workspace, cid: str) -> Iterator[Finding]:
    """A day ends by 18:30 and never runs more than 90 minutes without a break, for every
    audience: checked on the schedule a build prints (overrides, extra questions and the
    course's time budget applied)."""
    from ccrl_kit.errors import BuildError
    from ccrl_kit.resolve.resolver import resolve

    course = ws.courses[cid]
    doc = ws.document("courses", cid)
    for aid in course.audiences:
        if aid not in ws.audiences:
            continue
        try:
            resolved = resolve(ws, cid, aid, course.languages[0])
        except BuildError as exc:
            yield _find(doc, (), "timing-budget", f"{exc.format_message()} (for '{aid}')",
                        "shorten the course or raise its time budget")
            continue
        for d, day in enumerate(resolved.days):
            block, block_start = 0, None
            for s, session in enumerate(day.sessions):
                if session.kind in ("break", "lunch"):
                    block, block_start = 0, None
                    continue
                block_start = block_start or session.start
                block += session.minutes
                if block > LONGEST_BLOCK:
                    yield _find(doc, ("days", d, "sessions", s), "timing-block",
                                f"day {d + 1} runs {block} minutes without a break from "
                                f"{block_start:%H:%M} for '{aid}'",
                                f"break at least every {LONGEST_BLOCK} minutes")
                    break
            if day.sessions:
                end = day.sessions[-1].end
                if end.hour * 60 + end.minute > LATEST_END:
                    yield _find(doc, ("days", d), "timing-day",
                                f"day {d + 1} ends at {end:%H:%M} for '{aid}'",
                                "a training day should end by 18:30: move a module")


def _checks(ws: Workspace, cid: str) -> Iterator[Finding]:
    """A course that schedules knowledge checks asks 15–20 items, for every audience."""
    course = ws.courses[cid]
    if not any(s.kind in ("pre-check", "post-check") for d in course.days for s in d.sessions):
        return
    low, high = CHECK_ITEMS
    doc = ws.document("courses", cid)
    for aid in course.audiences:
        if aid not in ws.audiences:
            continue
        n = sum(1 for mid in dict.fromkeys(course.modules) if mid in ws.modules
                for k in ws.module_for(mid, aid).knowledge_check if for_audience(k, aid))
        if not low <= n <= high:
            yield _find(doc, ("days",), "check-items",
                        f"the knowledge check has {n} items for '{aid}'",
                        f"ask {low}-{high} items, the same before and after the course")
            return


def _translations(ws: Workspace, cid: str) -> Iterator[Finding]:
    """Texts missing in a course language that has no fallback to cover them."""
    from ccrl_kit.content.coverage import neutral
    from ccrl_kit.content.coverage import texts as localizable

    course = ws.courses[cid]
    default = course.languages[0]
    for lang in course.languages[1:]:
        if course.fallback.get(lang):
            continue
        for mid in dict.fromkeys(course.modules):
            if mid not in ws.modules:
                continue
            missing = [t for t in localizable(ws.modules[mid])
                       if not t.get(lang, "").strip() and not neutral(t)]
            if missing:
                doc = ws.document("modules", mid)
                yield Finding(doc.file, 1, 1, "translation-missing",
                              f"{len(missing)} texts have no '{lang}' version (course '{cid}' "
                              f"teaches in {lang}, default {default})",
                              f"translate them, or set 'fallback: {{{lang}: [...]}}' in the "
                              "course")
