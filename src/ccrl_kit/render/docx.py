"""Stage 5d, render Word: a handout plan -> .docx bytes with real heading styles, to edit.

It draws what the plan holds. The participant plan's course has every facilitator-only field
emptied, so the same code serves both documents without leaking anything.
"""

from __future__ import annotations

import datetime as dt
import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_BREAK
from docx.shared import Mm, Pt, RGBColor

from ccrl_kit.plan.documents import HandoutPlan
from ccrl_kit.render.ooxml import normalise_package
from ccrl_kit.resolve import types as r

NAVY = RGBColor(0x1F, 0x3A, 0x5F)
PAPER = {"a4": (Mm(210), Mm(297)), "letter": (Mm(215.9), Mm(279.4))}


def render_docx(plan: HandoutPlan, paper: str, timestamp: dt.datetime) -> bytes:
    doc = Document()
    _setup(doc, plan, paper, timestamp)
    w = _Writer(doc, plan)
    w.cover()
    w.schedule()
    if plan.kind == "participant-handout":
        w.knowledge_check(plan.labels["knowledge_check_before"], answers=False)
    for module in plan.course.modules:
        w.module(module)
    if plan.kind == "participant-handout":
        w.knowledge_check(plan.labels["knowledge_check_after"], answers=False)
    else:
        w.knowledge_check(f"{plan.labels['knowledge_check']} — {plan.labels['answer_key']}",
                          answers=True)
    w.glossary()
    if plan.evaluation:
        w.evaluation()
    buffer = io.BytesIO()
    doc.save(buffer)
    return normalise_package(buffer.getvalue(), timestamp)


def _setup(doc, plan: HandoutPlan, paper: str, timestamp: dt.datetime) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAPER[paper]
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))
    styles = doc.styles
    styles["Normal"].font.name = "Noto Serif"
    styles["Normal"].font.size = Pt(10.5)
    for level in (1, 2, 3):
        style = styles[f"Heading {level}"]
        style.font.name = "Noto Sans"
        style.font.color.rgb = NAVY
        style.paragraph_format.keep_with_next = True
    styles["Title"].font.name = "Noto Sans"
    styles["Title"].font.color.rgb = NAVY
    props = doc.core_properties
    props.title = f"{plan.kind_label} — {plan.course.title}"
    props.author = plan.course.organiser
    props.last_modified_by = plan.course.organiser
    props.language = plan.language
    props.revision = 1
    props.created = props.modified = props.last_printed = timestamp
    props.comments = ""


class _Writer:
    def __init__(self, doc, plan: HandoutPlan):
        self.doc = doc
        self.plan = plan
        self.L = plan.labels
        self._styles: dict[str, str] = {}

    def paragraph(self, text: str = "", style: str | None = None):
        """A new paragraph in ``style``. The style id is set directly: python-docx would scan
        every style of the document, twice, for each paragraph."""
        p = self.doc.add_paragraph(text)
        if style:
            if style not in self._styles:
                self._styles[style] = self.doc.styles[style].style_id
            p._p.style = self._styles[style]
        return p

    def para(self, text: str, style: str | None = None, *, bold: bool = False,
             italic: bool = False):
        p = self.paragraph(style=style)
        run = p.add_run(text)
        run.bold = bold
        run.italic = italic
        return p

    def lines(self, items, style: str = "List Bullet") -> None:
        for item in items:
            text = item if isinstance(item, str) else item.text
            refs = f" [{', '.join(map(str, item.sources))}]" if getattr(item, "sources", ()) else ""
            self.para(text + refs, style)

    def heading(self, text: str, level: int) -> None:
        self.paragraph(text, f"Heading {level}")

    def labelled(self, label: str, text: str) -> None:
        p = self.doc.add_paragraph()
        p.add_run(f"{label}: ").bold = True
        p.add_run(text)

    def table(self, header: list[str], rows: list[list[str]], caption: str = "") -> None:
        if caption:
            self.para(caption, bold=True).paragraph_format.keep_with_next = True
        t = self.doc.add_table(rows=1, cols=len(header))
        t.style = "Table Grid"
        for cell, text in zip(t.rows[0].cells, header, strict=True):
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for row in rows:
            cells = t.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                cell.text = text
        for row in t.rows:  # a row never splits across pages
            tr_pr = row._tr.get_or_add_trPr()
            tr_pr.append(tr_pr.makeelement(
                "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}cantSplit", {}))
        self.doc.add_paragraph()

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def cover(self) -> None:
        self.para(self.plan.kind_label.upper(), bold=True)
        self.paragraph(self.plan.course.title, "Title")
        if self.plan.course.subtitle:
            self.para(self.plan.course.subtitle, italic=True)
        for term, value in self.plan.cover:
            if term:
                self.labelled(term, value)
            else:
                self.para(value)
        self.page_break()

    def schedule(self) -> None:
        self.heading(self.L["schedule"], 1)
        for title, day in zip(self.plan.day_titles, self.plan.course.days, strict=True):
            rows = [[f"{s.start:%H:%M}–{s.end:%H:%M}", s.title or self.L.get(s.kind, s.kind),
                     self.L.minutes(s.minutes)] for s in day.sessions]
            self.table([self.L["time"], self.L["session"], self.L["total"]], rows, title)

    def question(self, q: r.Question) -> None:
        text = q.text + (f" ({self.L.minutes(q.minutes)})" if q.minutes else "")
        self.para(text, bold=True)
        if q.facilitator.prompts:
            self.lines([f"{self.L['prompts']}: {p}" for p in q.facilitator.prompts])
        if q.facilitator.themes:
            self.lines([f"{self.L['themes']}: {t}" for t in q.facilitator.themes])
        if self.plan.kind == "participant-handout":
            for _ in range(3):
                self.para("_" * 80)

    def module(self, m: r.Module) -> None:
        self.page_break()
        self.heading(m.title, 1)
        self.para(f"{self.L.minutes(m.minutes)}", italic=True)
        self.para(m.summary)
        self.heading(self.L["learning_objectives"], 2)
        self.lines(m.objectives)
        fn = m.facilitator
        for key, items in (("materials", fn.materials), ("preparation", fn.preparation)):
            if items:
                self.heading(self.L[key], 3)
                self.lines(items)
        if fn.room_setup:
            self.labelled(self.L["room_setup"], fn.room_setup)
        plan_rows = self.plan.session_plans.get(m.id, ())
        if plan_rows:
            self.table([self.L["time"], self.L["session"], self.L["total"]],
                       [[p.offset, p.title, self.L.minutes(p.minutes)] for p in plan_rows],
                       self.L["session_plan"])
        for s in m.sections:
            self.section(s)
        for c in m.case_studies:
            self.case(c)
        for a in m.activities:
            self.activity(a)
        if m.questions:
            self.heading(self.L["discussion"], 2)
            for q in m.questions:
                self.question(q)
        self.heading(self.L["key_messages"], 2)
        self.lines(m.key_messages)
        if fn.tricky_questions or fn.sensitivity or fn.outside_sources or fn.notes:
            self.heading(self.L["facilitator_notes"], 2)
            self.lines(fn.notes)
            for t in fn.tricky_questions:
                self.para(t.question, bold=True)
                self.labelled(self.L["suggested_answer"], t.answer)
            if fn.sensitivity:
                self.heading(self.L["sensitivity_alerts"], 3)
                self.lines(fn.sensitivity)
            if fn.outside_sources:
                self.heading(self.L["outside_sources"], 3)
                self.lines(fn.outside_sources)
        self.heading(self.L["sources"], 2)
        for s in m.sources:
            self.para(f"[{s.number}] {s.citation}" + (f" {s.url}" if s.url else ""))

    def section(self, s: r.Section) -> None:
        self.heading(s.title, 2)
        self.lines(s.bullets)
        for q in s.quotes:
            who = ", ".join(x for x in (q.speaker, q.role, q.city) if x)
            self.para(f"{self.L['quote_open']}{q.text}{self.L['quote_close']} — {who}",
                      italic=True)
        if s.table:
            self.table(list(s.table.columns), [list(row) for row in s.table.rows], s.table.caption)
        if s.chart:
            header = [s.chart.value_label or "", *(name for name, _ in s.chart.series)]
            rows = [[cat, *(f"{values[i]:g}" for _, values in s.chart.series)]
                    for i, cat in enumerate(s.chart.categories)]
            self.table(header, rows, s.chart.caption)
        if s.timeline:
            self.para(s.timeline.caption, bold=True)
            self.lines([f"{e.when}: {e.text}" for e in s.timeline.events])
        notes = s.facilitator
        if notes.say or notes.sensitivity or notes.outside_sources:
            self.para(self.L["speaker_notes"], bold=True)
            self.lines(notes.say)
            self.lines([f"{self.L['sensitivity_alerts']}: {x}" for x in notes.sensitivity])
            self.lines([f"{self.L['outside_sources']}: {x.text}" for x in notes.outside_sources])

    def case(self, c: r.CaseStudy) -> None:
        self.heading(f"{self.L['case_study']}: {c.title}", 2)
        self.heading(self.L["background"], 3)
        self.lines(c.background)
        self.heading(self.L["facts"], 3)
        self.lines(c.facts)
        self.labelled(self.L["decision_point"], c.decision_point)
        self.heading(self.L["questions"], 3)
        for q in c.questions:
            self.question(q)
        note = c.teaching_note
        if note:
            self.heading(self.L["teaching_note"], 3)
            if note.purpose:
                self.labelled(self.L["purpose"], note.purpose)
            self.table([self.L["time"], self.L["road_map"]],
                       [[self.L.minutes(mins), text] for mins, text in note.road_map])
            self.labelled(self.L["epilogue"], note.epilogue)
            self.lines(note.notes)
            self.lines([f"{self.L['sensitivity_alerts']}: {x}" for x in note.sensitivity])

    def activity(self, a: r.Activity) -> None:
        grouping = self.L.get(f"grouping_{a.grouping}", a.grouping)
        self.heading(f"{self.L['activity']}: {a.title}", 2)
        self.para(f"{grouping} · {self.L.minutes(a.minutes)}", italic=True)
        if a.purpose:
            self.labelled(self.L["purpose"], a.purpose)
        if a.materials:
            self.lines(a.materials)
        self.lines(a.steps, "List Number")
        if a.debrief and self.plan.kind == "facilitator-guide":
            self.heading(self.L["debrief"], 3)
            for q in a.debrief:
                self.question(q)
        self.lines(a.facilitator.notes)
        self.lines([f"{self.L['sensitivity_alerts']}: {x}" for x in a.facilitator.sensitivity])

    def knowledge_check(self, title: str, *, answers: bool) -> None:
        self.page_break()
        self.heading(title, 1)
        if not answers and self.plan.check_intro:
            self.para(self.plan.check_intro)
        number = 0
        for m in self.plan.course.modules:
            for k in m.knowledge_check:
                number += 1
                self.para(f"{number}. {k.question}", bold=True)
                for letter, option in zip("abcdefgh", k.options, strict=False):
                    self.para(f"{letter}) {option}")
                if answers and k.answer_key:
                    self.labelled(self.L["answer"], k.answer_key.answer)
                    self.labelled(self.L["explanation"], k.answer_key.explanation)

    def glossary(self) -> None:
        self.page_break()
        self.heading(self.L["glossary"], 1)
        for g in self.plan.course.glossary:
            self.labelled(g.term, g.definition)

    def evaluation(self) -> None:
        ev = self.plan.evaluation
        self.page_break()
        self.heading(ev["title"], 1)
        self.para(ev["intro"])
        self.table(["", *ev["scale"]], [[item, *("☐" for _ in ev["scale"])]
                                        for item in ev["ratings"]])
        for q in ev["open"]:
            self.para(q, bold=True)
            for _ in range(3):
                self.para("_" * 80)
