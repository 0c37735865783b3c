"""What the printed documents share: one numbering of the sources for the whole course, the
cover, clock times and durations, and the blocks for a section's table, chart and timeline."""

from __future__ import annotations

import datetime as dt
import os
from typing import Protocol

from ccrl_kit.plan import blocks as b
from ccrl_kit.resolve import types as r
from ccrl_kit.resolve.labels import Labels


class Cited(Protocol):
    """Text with the numbers of the sources it cites: a line, an objective."""

    @property
    def text(self) -> str: ...

    @property
    def sources(self) -> tuple[int, ...]: ...


class Citations:
    """The course's sources numbered once: the trip report's parts first, then outside
    sources, each in the order the course first cites it.

    Modules number their sources from 1 each; a source cited by several modules (the same id)
    gets one number here, with the fullest of its citations.
    """

    def __init__(self, course: r.Course):
        seen: dict[str, r.Source] = {}
        order: list[str] = []
        for module in course.modules:
            for source in module.sources:
                key = f"{source.kind}:{source.id}"
                if key not in seen:
                    order.append(key)
                    seen[key] = source
                elif len(source.citation) > len(seen[key].citation):
                    seen[key] = r.Source(0, source.id, source.kind, source.citation,
                                         source.url or seen[key].url)
        order.sort(key=lambda k: seen[k].kind != "report")  # stable: report parts first
        self.sources = tuple(r.Source(n, seen[k].id, seen[k].kind, seen[k].citation, seen[k].url)
                             for n, k in enumerate(order, 1))
        number = {f"{s.kind}:{s.id}": s.number for s in self.sources}
        self._map = {(m.id, s.number): number[f"{s.kind}:{s.id}"]
                     for m in course.modules for s in m.sources}

    def mark(self, module: str, numbers: tuple[int, ...]) -> str:
        """A citation mark, "[3, 12]", for a module's own source numbers ("" for none)."""
        found = sorted({self._map[(module, n)] for n in numbers if (module, n) in self._map})
        return f"[{', '.join(map(str, found))}]" if found else ""

    def line(self, module: str, line: Cited) -> b.Rich:
        mark = self.mark(module, line.sources)
        return b.rich(line.text, b.Span(f" {mark}", "ref") if mark else "")

    def lines(self, module: str, lines: tuple[Cited, ...]) -> tuple[b.Rich, ...]:
        return tuple(self.line(module, x) for x in lines)

    def bibliography(self, labels: Labels) -> tuple[b.Block, ...]:
        """The one source list of a document: the report's parts under its shared title."""
        report = [s for s in self.sources if s.kind == "report"]
        outside = [s for s in self.sources if s.kind != "report"]
        shared = _shared_prefix([s.citation for s in report]) if len(report) > 1 else ""
        found: list[b.Block] = [b.Heading(labels["sources"], 1)]
        if report:
            if shared:
                found.append(b.Paragraph(b.rich(b.Span(shared.rstrip(" ,:;"), "strong"))))
            found.append(b.ListBlock(tuple(_entry(s, len(shared)) for s in report), "plain"))
        if outside:
            if report:
                found.append(b.Paragraph(b.rich(b.Span(labels["other_sources"], "strong"))))
            found.append(b.ListBlock(tuple(_entry(s, 0) for s in outside), "plain"))
        return tuple(found)


def _entry(source: r.Source, cut: int) -> b.Rich:
    text = source.citation[cut:]
    text = text[:1].upper() + text[1:]
    return b.rich(b.Span(f"[{source.number}] ", "strong"), text,
                  b.Span(f" {source.url}", url=source.url) if source.url else "")


def _shared_prefix(texts: list[str]) -> str:
    """The longest start all ``texts`` share, cut after a comma (or nothing if short)."""
    prefix = os.path.commonprefix(texts)  # noqa: RUF071 - text, not paths
    cut = prefix.rfind(", ")
    return prefix[: cut + 2] if cut >= 30 else ""


# ---------------------------------------------------------------------------------------------
# Times and durations


def clock(labels: Labels, value: dt.time) -> str:
    return labels.clock(value)


def clock_range(labels: Labels, start: dt.time, end: dt.time) -> str:
    return f"{labels.clock(start)}–{labels.clock(end)}"


def add_minutes(value: dt.time, minutes: int) -> dt.time:
    return (dt.datetime.combine(dt.date(2000, 1, 1), value) + dt.timedelta(minutes=minutes)).time()


def duration(labels: Labels, minutes: int) -> str:
    """A length of time as people say it: "45 minutes", "2 hours", "12 h 30 min"."""
    return labels.duration(minutes)


def day_title(labels: Labels, day: r.Day) -> str:
    head = labels.format("day_n", n=day.number)
    return f"{head} · {labels.date(day.date)}" if day.date else head


def session_title(labels: Labels, session: r.Session) -> str:
    return session.title or labels.get(session.kind, session.kind)


def schedule_rows(course: r.Course, module: str) -> tuple[r.Day, r.Session] | None:
    """The day and session in which ``module`` runs (None if the schedule leaves it out)."""
    for day in course.days:
        for session in day.sessions:
            if session.module == module:
                return day, session
    return None


# ---------------------------------------------------------------------------------------------
# Shared blocks


def cover(label: str, course: r.Course, labels: Labels, *, facilitators: bool,
          note: str = "") -> b.Cover:
    rows = [
        (labels["audience"], course.audience.name),
        (labels["dates"], labels.date_range(course.dates)),
        (labels["place"], ", ".join(x for x in (course.venue, course.city) if x)),
        (labels["facilitators"], ", ".join(course.facilitators) if facilitators else ""),
        (labels["organiser"], course.organiser),
        (labels["length"], duration(labels, course.minutes)),
    ]
    return b.Cover(label, course.title, course.subtitle, tuple((k, v) for k, v in rows if v),
                   note)


def schedule_table(course: r.Course, day: r.Day, labels: Labels) -> b.Table:
    """A day's sessions with their clock times (participants' schedule)."""
    rows, quiet = [], []
    for i, s in enumerate(day.sessions):
        rows.append((b.rich(clock_range(labels, s.start, s.end)),
                     b.rich(session_title(labels, s)), b.rich(duration(labels, s.minutes))))
        if s.kind != "module":
            quiet.append(i)
    return b.Table((labels["time"], labels["session"], labels["length"]), tuple(rows),
                   caption=day_title(labels, day), widths=(1.1, 4, 1.2), style="schedule",
                   quiet_rows=tuple(quiet))


def number_text(labels: Labels, value: float) -> str:
    from babel.numbers import format_decimal

    return format_decimal(value, locale=labels.lang, format="#,##0.##")


def section_visuals(section: r.Section, module: str, cite: Citations,
                    labels: Labels) -> tuple[b.Block, ...]:
    """A section's table, chart and timeline as blocks."""
    found: list[b.Block] = []
    if section.table:
        t = section.table
        found.append(b.Table(t.columns, tuple(tuple(b.rich(c) for c in row) for row in t.rows),
                             caption=t.caption, caption_refs=cite.mark(module, t.sources),
                             widths=column_widths(t.columns, t.rows)))
    if section.chart:
        c = section.chart
        names = tuple(name for name, _ in c.series)
        values = tuple(tuple(v) for _, v in c.series)
        found.append(b.Chart(
            c.caption, c.alt, c.categories, names, values,
            tuple(tuple(number_text(labels, v) for v in row) for row in values),
            c.value_label, cite.mark(module, c.sources), c.highlight,
            tuple((name, v, number_text(labels, v)) for name, v in c.references)))
    if section.timeline:
        line = section.timeline
        found.append(b.Timeline(line.caption, line.alt,
                                tuple((e.when, e.text) for e in line.events),
                                cite.mark(module, line.sources)))
    return tuple(found)


def column_widths(columns: tuple[str, ...], rows: tuple[tuple[str, ...], ...]
                  ) -> tuple[float, ...]:
    """Relative column widths from what the columns hold: room for the longest word, and more
    where the text is long."""
    widths = []
    for i, name in enumerate(columns):
        cells = [name, *(row[i] for row in rows if i < len(row))]
        word = max(len(w) for cell in cells for w in (cell.split() or [""]))
        mean = sum(len(cell) for cell in cells) / len(cells)
        widths.append(round(max(6.0, word, (word + mean) / 2), 1))
    return tuple(widths)


def quote_block(q: r.Quote, module: str, cite: Citations, labels: Labels) -> b.Quote:
    mark = cite.mark(module, q.sources)
    text = b.rich(f"{labels['quote_open']}{q.text}{labels['quote_close']}",
                  b.Span(f" {mark}", "ref") if mark else "")
    return b.Quote(text, "— " + ", ".join(x for x in (q.speaker, q.role, q.city) if x))


def labelled(label: str, text: str) -> b.Paragraph:
    """"Label: text" with the label in bold."""
    return b.Paragraph(b.rich(b.Span(f"{label}: ", "strong"), text))


def option_marks(labels: Labels, n: int) -> tuple[str, ...]:
    letters = labels["option_letters"]
    return tuple(f"{letters[i]})" for i in range(min(n, len(letters))))


def decision_block(case: r.CaseStudy, labels: Labels) -> b.Callout:
    """The case's decision point as this audience meets it: the role, then the decision."""
    body: list[b.Block] = []
    if case.role:
        body.append(b.Paragraph(b.rich(b.Span(labels.format("deck_your_role", role=case.role),
                                              "strong"))))
    body.append(b.Paragraph(b.rich(case.decision_point)))
    return b.Callout("decision", labels["decision_point"], tuple(body))


def activity_meta(a: r.Activity, labels: Labels) -> str:
    """"Small groups · 30 minutes · Comparative competency · Skill: communication"."""
    parts = [labels.get(f"grouping_{a.grouping}", a.grouping), duration(labels, a.minutes)]
    if a.competency:
        parts.append(labels.get(f"competency_{a.competency}", a.competency))
    if a.skill:
        parts.append(labels.get(f"skill_{a.skill}", a.skill))
    return " · ".join(parts)


def report_back(a: r.Activity, labels: Labels) -> str:
    if not a.report_back:
        return ""
    groups, minutes = a.report_back
    return labels.format("deck_report_back", groups=groups, minutes=labels.minutes(minutes))


def role_cards(a: r.Activity, labels: Labels) -> list[b.Block]:
    """Each role of a role-play on a card to cut out and hand to the player."""
    return [b.Callout("card", f"{labels['role_card']}: {card.title}",
                      (b.ListBlock(tuple(b.rich(x.text) for x in card.brief)),))
            for card in a.roles]


def media_blocks(image: r.Image | None, links: tuple[r.Link, ...],
                 labels: Labels) -> list[b.Block]:
    """A part's picture (with its credit and licence) and its links (a QR code in print)."""
    found: list[b.Block] = []
    if image is not None:
        found.append(b.Figure(image.path, image.alt, image.caption, image.credit,
                              image.licence, 0.8))
    found += [b.Link(x.text, x.url, labels.format("qr_alt", url=x.url)) for x in links]
    return found


def brand_block(brand: r.Brand) -> b.Brand:
    """The course's brand for the documents; empty fields keep the project's own look."""
    base = b.Brand()
    return b.Brand(
        name=brand.organisation, logo=brand.logo, logo_alt=brand.logo_alt,
        primary=brand.primary or base.primary, accent=brand.accent or base.accent,
        heading_font=brand.heading_font or base.heading_font,
        body_font=brand.body_font or base.body_font,
    )
