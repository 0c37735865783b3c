"""Stage 3, resolve: (course, audience, language) -> one resolved course. A pure function."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ccrl_kit.content import model as m
from ccrl_kit.content.languages import fallback_chain
from ccrl_kit.content.model import DEFAULT_KEY
from ccrl_kit.content.timing import for_audience, session_minutes
from ccrl_kit.content.workspace import Workspace
from ccrl_kit.errors import BuildError
from ccrl_kit.resolve import types as r
from ccrl_kit.resolve.budget import fit_budget


@dataclass(frozen=True)
class _Ctx:
    audience: str
    chain: tuple[str, ...]
    source_numbers: dict[str, int]
    root: Path = Path(".")

    def text(self, value: dict[str, str] | None) -> str:
        if not value:
            return ""
        for code in self.chain:
            if value.get(code, "").strip():
                return value[code].strip()
        return ""

    def texts(self, values: Sequence[dict[str, str]]) -> tuple[str, ...]:
        return tuple(self.text(v) for v in values)

    def shown(self, items: Sequence[m.Item]) -> list:
        return [i for i in items if for_audience(i, self.audience)]

    def refs(self, ids: Sequence[str]) -> tuple[int, ...]:
        return tuple(sorted({self.source_numbers[i] for i in ids if i in self.source_numbers}))

    def targeted(self, item: m.Item) -> bool:
        return item.audiences is not None and self.audience in item.audiences

    def line(self, item: m.TextItem) -> r.Line:
        return r.Line(self.text(item.text), self.refs(item.sources))

    def lines(self, items: Sequence[m.TextItem]) -> tuple[r.Line, ...]:
        return tuple(self.line(i) for i in self.shown(items))


def resolve(ws: Workspace, course_id: str, audience_id: str, lang: str,
            minutes: int | None = None) -> r.Course:
    """The course ``course_id`` as ``audience_id`` sees it, in ``lang``, within ``minutes``
    (default: the smaller of the course's and the audience's budgets, if any)."""
    course = ws.courses[course_id]
    audience = ws.audiences[audience_id]
    chain = fallback_chain(course, lang)
    ctx = _Ctx(audience_id, chain, {}, ws.root)
    modules = tuple(
        _module(ws.module_for(mid, audience_id), audience, chain, ws.root)
        for mid in _module_order(course, audience)
    )
    checks = _check_minutes(course)
    budgets = [b for b in (minutes, course.minutes, audience.minutes) if b]
    dropped: tuple[str, ...] = ()
    if budgets:
        limit = minutes or min(budgets)
        modules, checks, dropped = fit_budget(modules, checks, limit, set(audience.optional))
    by_id = {mod.id: mod for mod in modules}
    days = tuple(_day(n, day, by_id, checks, ctx) for n, day in enumerate(course.days, 1))
    glossary = {g.term.casefold(): g for mod in modules for g in mod.glossary}
    return r.Course(
        id=course.id,
        title=ctx.text(course.title),
        subtitle=ctx.text(course.subtitle),
        organiser=ctx.text(course.organiser),
        city=ctx.text(course.city),
        venue=ctx.text(course.venue),
        facilitators=tuple(course.facilitators),
        language=lang,
        audience=r.Audience(
            audience.id,
            ctx.text(audience.name),
            ctx.text(audience.participants),
            tuple(ctx.text(n.text) for n in audience.needs),
        ),
        days=days,
        modules=modules,
        glossary=tuple(glossary[k] for k in sorted(glossary)),
        dropped=dropped,
        brand=_brand(course.brand or ws.config.brand, ws.root, ctx),
        signatories=tuple(r.Signatory(s.name, ctx.text(s.title)) for s in course.signatories),
        knowledge_check=tuple(k for mod in modules for k in mod.knowledge_check)
        if any(checks) else (),
        check_minutes=checks,
    )


def _check_minutes(course: m.Course) -> tuple[int, int]:
    """Minutes of the knowledge checks the schedule holds before and after the course."""
    sessions = [s for d in course.days for s in d.sessions]
    return (sum(s.minutes or 0 for s in sessions if s.kind == "pre-check"),
            sum(s.minutes or 0 for s in sessions if s.kind == "post-check"))


def _brand(brand: m.Brand | None, root: Path, ctx: _Ctx) -> r.Brand:
    if brand is None:
        return r.Brand()
    logo = brand.logo
    return r.Brand(
        organisation=ctx.text(brand.organisation),
        logo=str((root / logo.file).resolve()) if logo else "",
        logo_alt=ctx.text(logo.alt) if logo else "",
        primary=(brand.primary or "").upper(),
        accent=(brand.accent or "").upper(),
        heading_font=brand.fonts.heading or "",
        body_font=brand.fonts.body or "",
    )


def _module_order(course: m.Course, audience: m.Audience) -> list[str]:
    """The course's modules, in the audience's order where the audience chooses."""
    if audience.modules is None:
        return course.modules
    return [mid for mid in audience.modules if mid in course.modules]


def _module(module: m.Module, audience: m.Audience, chain: tuple[str, ...],
            root: Path) -> r.Module:
    shown_sources = [s for s in module.sources if for_audience(s, audience.id)]
    numbers = {s.id: n for n, s in enumerate(shown_sources, 1)}
    ctx = _Ctx(audience.id, chain, numbers, root)
    extra = audience.questions.get(module.id, [])
    questions = ctx.shown([*module.questions, *extra])
    objectives = module.objectives  # numbered as written: check items name them by number
    return r.Module(
        id=module.id,
        title=ctx.text(module.title),
        summary=ctx.text(module.summary),
        minutes=session_minutes(module, audience),
        optional=module.optional,
        objectives=tuple(
            r.Objective(ctx.text(o.text), ctx.refs(o.sources), tuple(o.parts))
            for o in ctx.shown(objectives)
        ),
        key_messages=ctx.lines(module.key_messages),
        sections=tuple(_section(s, ctx) for s in ctx.shown(module.sections)),
        case_studies=tuple(_case(c, ctx) for c in ctx.shown(module.case_studies)),
        activities=tuple(_activity(a, ctx) for a in ctx.shown(module.activities)),
        questions=tuple(_question(q, ctx) for q in questions),
        knowledge_check=tuple(
            r.CheckItem(
                ctx.text(k.question),
                ctx.texts(k.options),
                r.AnswerKey(ctx.text(k.facilitator.answer), ctx.text(k.facilitator.explanation)),
                module=module.id,
                objective=ctx.text(objectives[k.objective - 1].text) if k.objective else "",
            )
            for k in ctx.shown(module.knowledge_check)
        ),
        glossary=tuple(
            r.GlossaryEntry(ctx.text(g.term), ctx.text(g.definition))
            for g in ctx.shown(module.glossary)
        ),
        sources=tuple(
            r.Source(numbers[s.id], s.id, s.kind, ctx.text(s.citation), s.url or "")
            for s in shown_sources
        ),
        facilitator=_module_notes(module.facilitator, ctx),
    )


def _section(s: m.Section, ctx: _Ctx) -> r.Section:
    return r.Section(
        id=s.id,
        title=ctx.text(s.title),
        minutes=s.minutes,
        bullets=ctx.lines(s.bullets),
        quotes=tuple(
            r.Quote(ctx.text(q.text), ctx.text(q.speaker), ctx.text(q.role), ctx.text(q.city),
                    ctx.refs(q.sources))
            for q in ctx.shown(s.quotes)
        ),
        table=_table(s.table, ctx) if s.table else None,
        chart=_chart(s.chart, ctx) if s.chart else None,
        timeline=_timeline(s.timeline, ctx) if s.timeline else None,
        map=_map(s.map, ctx) if s.map else None,
        figure=r.KeyFigure(ctx.text(s.figure.value), ctx.text(s.figure.label),
                           ctx.refs(s.figure.sources)) if s.figure else None,
        callout=ctx.line(s.callout) if s.callout else None,
        image=_image(s.image, ctx),
        links=_links(s.links, ctx),
        sources=ctx.refs(s.sources),
        targeted=ctx.targeted(s),
        facilitator=r.SectionNotes(
            ctx.texts(s.facilitator.say),
            ctx.texts(s.facilitator.sensitivity),
            ctx.lines(s.facilitator.outside_sources),
        ),
    )


def _table(t: m.TableData, ctx: _Ctx) -> r.Table:
    return r.Table(ctx.text(t.caption), ctx.text(t.alt), ctx.texts(t.columns),
                   tuple(ctx.texts(row) for row in t.rows), ctx.refs(t.sources))


def _chart(c: m.ChartData, ctx: _Ctx) -> r.Chart:
    order = list(range(len(c.categories)))
    if c.sort != "none":  # by the first series
        order.sort(key=lambda i: c.series[0].values[i], reverse=c.sort == "descending")
    picked = {i for i, cat in enumerate(c.categories) if set(cat.values()) & set(c.highlight)}
    return r.Chart(
        c.kind, ctx.text(c.caption), ctx.text(c.alt),
        tuple(ctx.text(c.categories[i]) for i in order),
        tuple((ctx.text(s.name), tuple(s.values[i] for i in order)) for s in c.series),
        ctx.text(c.value_label), ctx.refs(c.sources),
        references=tuple((ctx.text(x.name), x.value) for x in c.references),
        highlight=tuple(n for n, i in enumerate(order) if i in picked),
    )


def _timeline(t: m.TimelineData, ctx: _Ctx) -> r.Timeline:
    events = tuple(r.Event(ctx.text(e.when), ctx.text(e.text), e.year) for e in t.events)
    eras = tuple(r.Era(e.start, e.end, ctx.text(e.label)) for e in t.eras)
    return r.Timeline(ctx.text(t.caption), ctx.text(t.alt), events, ctx.refs(t.sources), eras)


def _map(x: m.MapData, ctx: _Ctx) -> r.Map:
    return r.Map(
        ctx.text(x.caption), ctx.text(x.alt), x.country,
        tuple(r.Place(ctx.text(p.name), p.lat, p.lon, p.group) for p in x.places),
        tuple((group, ctx.text(label)) for group, label in x.legend.items()),
        ctx.refs(x.sources),
    )


def _image(image: m.Image | None, ctx: _Ctx) -> r.Image | None:
    if image is None:
        return None
    return r.Image(str((ctx.root / image.file).resolve()), ctx.text(image.alt),
                   ctx.text(image.credit), ctx.text(image.licence), ctx.text(image.caption))


def _links(links: Sequence[m.Link], ctx: _Ctx) -> tuple[r.Link, ...]:
    return tuple(r.Link(ctx.text(x.text), x.url) for x in links)


def _question(q: m.Question, ctx: _Ctx) -> r.Question:
    return r.Question(
        ctx.text(q.text), q.minutes, q.alternate, ctx.targeted(q),
        r.QuestionGuide(ctx.texts(q.facilitator.prompts), ctx.texts(q.facilitator.themes)),
    )


def _activity(a: m.Activity, ctx: _Ctx) -> r.Activity:
    return r.Activity(
        id=a.id,
        title=ctx.text(a.title),
        grouping=a.grouping,
        minutes=a.minutes,
        competency=a.competency or "",
        skill=a.skill or "",
        purpose=ctx.text(a.purpose),
        materials=ctx.lines(a.materials),
        steps=ctx.lines(a.steps),
        roles=tuple(r.RoleCard(c.id, ctx.text(c.title), ctx.lines(c.brief))
                    for c in ctx.shown(a.roles)),
        report_back=(a.report_back.groups, a.report_back.minutes) if a.report_back else None,
        image=_image(a.image, ctx),
        links=_links(a.links, ctx),
        targeted=ctx.targeted(a),
        debrief=tuple(_question(q, ctx) for q in ctx.shown(a.debrief)),
        facilitator=r.ActivityNotes(ctx.texts(a.facilitator.notes),
                                    ctx.texts(a.facilitator.sensitivity)),
    )


def _case(c: m.CaseStudy, ctx: _Ctx) -> r.CaseStudy:
    note = c.teaching_note
    decision = _decision_point(c, ctx)
    return r.CaseStudy(
        id=c.id,
        title=ctx.text(c.title),
        minutes=c.minutes,
        background=ctx.lines(c.background),
        facts=ctx.lines(c.facts),
        decision_point=ctx.text(decision.text) if decision else "",
        role=ctx.text(decision.role) if decision else "",
        questions=tuple(_question(q, ctx) for q in ctx.shown(c.questions)),
        sources=ctx.refs(c.sources),
        image=_image(c.image, ctx),
        links=_links(c.links, ctx),
        targeted=ctx.targeted(c),
        teaching_note=r.TeachingNote(
            ctx.text(note.purpose),
            tuple((step.minutes, ctx.text(step.text)) for step in note.road_map),
            ctx.text(note.epilogue),
            ctx.texts(note.notes),
            ctx.texts(note.sensitivity),
        ),
    )


def _decision_point(c: m.CaseStudy, ctx: _Ctx) -> m.DecisionPoint | None:
    """The decision point written for this audience, else the one written for everyone."""
    shown = ctx.shown(c.decision_point)
    return next((d for d in shown if d.audiences), shown[0] if shown else None)


def _module_notes(n: m.ModuleNotes, ctx: _Ctx) -> r.ModuleNotes:
    return r.ModuleNotes(
        preparation=ctx.lines(n.preparation),
        materials=ctx.lines(n.materials),
        room_setup=ctx.text(n.room_setup),
        tricky_questions=tuple(
            r.Tricky(ctx.text(t.question), ctx.text(t.answer))
            for t in ctx.shown(n.tricky_questions)
        ),
        sensitivity=ctx.lines(n.sensitivity),
        outside_sources=ctx.lines(n.outside_sources),
        notes=ctx.lines(n.notes),
    )


def _day(number: int, day: m.Day, modules: dict[str, r.Module], checks: tuple[int, int],
         ctx: _Ctx) -> r.Day:
    clock = dt.datetime.combine(dt.date(2000, 1, 1), dt.time.fromisoformat(day.start))
    sessions: list[r.Session] = []
    for s in day.sessions:
        if s.module and s.module not in modules:
            continue  # the audience does not take this module
        if (s.kind == "pre-check" and not checks[0]) or (s.kind == "post-check" and not checks[1]):
            continue  # dropped to fit a time budget
        if s.module:
            minutes, title = modules[s.module].minutes, modules[s.module].title
        else:
            minutes, title = s.minutes or 0, ctx.text(s.title)
        end = clock + dt.timedelta(minutes=minutes)
        if end.date() != clock.date():
            raise BuildError(f"day {number} runs past midnight")
        sessions.append(r.Session(s.kind, title, clock.time(), end.time(), minutes, s.module or ""))
        clock = end
    return r.Day(number, day.date, tuple(sessions))


def plain_text(value: dict[str, str] | None, lang: str = "en") -> str:
    """The text of ``value`` in ``lang`` or, failing that, any language (for listings)."""
    if not value:
        return ""
    return value.get(lang) or value.get(DEFAULT_KEY) or next(iter(value.values()))
