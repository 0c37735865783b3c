"""Small hand-made inputs for the document plans and renderers: a resolved course, a numbered
deck plan, a document with every kind of block, a brand with a logo."""

from __future__ import annotations

import datetime as dt
import zlib
from pathlib import Path

from ccrl_kit.plan import blocks as b
from ccrl_kit.plan.deck import DeckPlan, Frame, Para, Slide
from ccrl_kit.resolve import types as r

REPORT = "Trip report, 13–22 September 2025, "
SECRETS = ("SAY-alpha", "SENSITIVE-beta", "OUTSIDE-gamma", "PROMPT-delta", "THEME-epsilon",
           "ROADMAP-zeta", "EPILOGUE-eta", "PURPOSE-theta", "NOTE-iota", "ANSWER-kappa",
           "EXPLAIN-lambda", "TRICKY-mu", "SUGGEST-nu", "PREP-xi", "MATERIAL-omicron",
           "ROOM-pi", "MODNOTE-rho", "ACTNOTE-sigma", "ACTSENS-tau", "CASESENS-upsilon", "ALTERNATE-phi")


def _q(text: str, minutes: int = 5, tag: str = "") -> r.Question:
    return r.Question(text, minutes, facilitator=r.QuestionGuide((f"PROMPT-delta {tag}",),
                                                                 (f"THEME-epsilon {tag}",)))


def sample_course(facilitators: tuple[str, ...] = ("Aigerim Sultanova",), *,
                  checks: bool = True) -> r.Course:
    """Two modules on one day; with ``checks`` the schedule holds the knowledge check
    before and after the course and a closing session."""
    intro = r.Module(
        id="intro", title="Introduction", summary="What the course is about.", minutes=30,
        optional=False,
        objectives=(r.Line("Name the four contexts.", (1,)),),
        key_messages=(r.Line("Four contexts interact.", (1, 2)),),
        sections=(
            r.Section("contexts", "Four contexts", 10,
                      bullets=(r.Line("Historical, security, geopolitical, legal.", (1,)),),
                      chart=r.Chart("bar", "Communities by year", "A bar chart of counts.",
                                    ("2011", "2024"), (("Communities", (4551.0, 3890.5)),),
                                    "Registered communities", (2,), (("Mean", 4220.0),),
                                    (1,)),
                      facilitator=r.SectionNotes(("SAY-alpha one",), ("SENSITIVE-beta one",),
                                                 (r.Line("OUTSIDE-gamma one", (3,)),))),
            r.Section("numbers", "The numbers", 5,
                      figure=r.KeyFigure("3,890", "registered communities in 2024", (2,)),
                      table=r.Table("Fines", "A table of fines.", ("Offence", "Fine"),
                                    (("First", "50 MCI"), ("Repeat", "100 MCI")), (2,))),
        ),
        questions=(_q("Which context matters most in your work?", 10, "intro"),
                   _q("Who decides?", 0, "intro2"),
                   r.Question("ALTERNATE-phi spare question", 0, alternate=True)),
        knowledge_check=(r.CheckItem("How many contexts?", ("Two", "Four"),
                                     r.AnswerKey("Four", "EXPLAIN-lambda one")),),
        glossary=(r.GlossaryEntry("CRA", "Committee for Religious Affairs."),),
        sources=(r.Source(1, "report-intro", "report", REPORT + "Introduction."),
                 r.Source(2, "report-legal", "report", REPORT + "Legal context."),
                 r.Source(3, "outside-a", "outside", "An outside study, 2022.",
                          "https://example.org/study")),
        facilitator=r.ModuleNotes(
            preparation=(r.Line("PREP-xi print the handouts"),),
            materials=(r.Line("MATERIAL-omicron flipchart"),),
            room_setup="ROOM-pi tables of four",
            tricky_questions=(r.Tricky("TRICKY-mu is this legal?", "SUGGEST-nu yes"),),
            sensitivity=(r.Line("SENSITIVE-beta module"),),
            notes=(r.Line("MODNOTE-rho start on time"),),
        ),
    )
    cases = r.Module(
        id="cases", title="Cases and practice", summary="Deciding with the facts.", minutes=45,
        optional=False,
        objectives=(r.Line("Decide a case."),),
        key_messages=(r.Line("Facts first.", (1,)),),
        case_studies=(r.CaseStudy(
            "pastor", "The pastor", 20, (r.Line("A pastor was fined.", (1,)),),
            (r.Line("The fine was 50 MCI.", (2,)),), "You are the official: what do you do?",
            (_q("What are the risks?", 0, "case"),), (1,), "a district official",
            teaching_note=r.TeachingNote(
                "PURPOSE-theta", ((5, "ROADMAP-zeta facts"), (15, "ROADMAP-zeta talk")),
                "EPILOGUE-eta it ended well", ("NOTE-iota keep time",),
                ("CASESENS-upsilon careful",))),),
        activities=(r.Activity(
            "map", "Map the line", "small-groups", 15, competency="comparative",
            skill="negotiation", purpose="Find the line.", materials=(r.Line("Cards"),),
            steps=(r.Line("Form groups. (2 minutes)"), r.Line("Sort the cards.")),
            roles=(r.RoleCard("officer", "The officer", (r.Line("You enforce the law."),)),
                   r.RoleCard("believer", "The believer", (r.Line("You meet to pray."),))),
            report_back=(3, 2),
            debrief=(_q("Where did you disagree?", 0, "debrief"),),
            facilitator=r.ActivityNotes(("ACTNOTE-sigma collect cards",),
                                        ("ACTSENS-tau no one outed",))),),
        questions=(_q("What would you change?", 10, "cases"),),
        knowledge_check=(r.CheckItem("What comes first?", ("Facts", "Opinions"),
                                     r.AnswerKey("ANSWER-kappa Facts", "EXPLAIN-lambda two")),),
        sources=(r.Source(1, "report-legal", "report", REPORT + "Legal context, in full."),
                 r.Source(2, "report-fn10", "report", REPORT + "footnote 10."),),
    )
    day = r.Day(1, dt.date(2026, 3, 2), (
        r.Session("module", "Introduction", dt.time(9, 0), dt.time(9, 30), 30, "intro"),
        r.Session("pre-check", "", dt.time(9, 30), dt.time(9, 40), 10),
        r.Session("break", "", dt.time(9, 40), dt.time(9, 45), 5),
        r.Session("module", "Cases and practice", dt.time(9, 45), dt.time(10, 30), 45, "cases"),
        r.Session("post-check", "", dt.time(10, 30), dt.time(10, 40), 10),
        r.Session("other", "Evaluation and certificates", dt.time(10, 40), dt.time(10, 50), 10),
    ) if checks else (
        r.Session("module", "Introduction", dt.time(9, 0), dt.time(9, 30), 30, "intro"),
        r.Session("break", "", dt.time(9, 30), dt.time(9, 45), 15),
        r.Session("module", "Cases and practice", dt.time(9, 45), dt.time(10, 30), 45, "cases"),
    ))
    return r.Course(
        id="mini", title="Religious literacy for public officials in the Republic of Kazakhstan",
        subtitle="A short course", organiser="Test Organiser", city="Astana",
        venue="Hotel Hall", facilitators=facilitators, language="en",
        audience=r.Audience("police", "Police officers", "Officers.", ("Prevention.",)),
        days=(day,), modules=(intro, cases),
        glossary=(r.GlossaryEntry("CRA", "Committee for Religious Affairs."),),
        knowledge_check=(*intro.knowledge_check, *cases.knowledge_check) if checks else (),
        check_minutes=(10, 10) if checks else (0, 0),
    )


def sample_deck(*, first: int = 1, checks: bool = True) -> DeckPlan:
    """The deck of :func:`sample_course` as the deck plan gives it: every slide numbered as
    shown (``first`` for the title slide), with its module, the part it shows and preview
    frames."""

    def frame(text: str) -> tuple[Frame, ...]:
        return (Frame(0, 0, 12192000, 900000, "shape", fill="primary"),
                Frame(400000, 200000, 11000000, 600000, "text", text, 32, True,
                      colour="light"),
                Frame(400000, 1200000, 11000000, 4000000, "text", "Body of " + text, 20))

    specs = [  # kind, title, module, part
        ("title", "Religious literacy", "", "title"), ("agenda", "Agenda", "", "agenda"),
        ("divider", "Introduction", "intro", "opening"),
        ("bullets", "Four contexts", "intro", "contexts"),
        ("chart", "Communities by year", "intro", "contexts"),
        ("table", "Fines", "intro", "numbers"), ("table", "Fines (cont.)", "intro", "numbers"),
        ("discussion", "Discussion", "intro", "discussion"),
        ("recap", "Key messages", "intro", "recap"),
        ("check", "Knowledge check before the course", "", "pre-check"),
        ("divider", "Cases and practice", "cases", "opening"),
        ("case", "Case study: The pastor", "cases", "pastor"),
        ("case", "The facts: The pastor", "cases", "pastor"),
        ("decision", "Decision point: The pastor", "cases", "pastor"),
        ("question", "Questions: The pastor", "cases", "pastor"),
        ("activity", "Activity: Map the line", "cases", "map"),
        ("discussion", "Discussion", "cases", "discussion"),
        ("recap", "Key messages", "cases", "recap"),
        ("check", "Knowledge check after the course", "", "post-check"),
        ("evaluation", "Evaluation", "", "evaluation"),
        ("closing", "Thank you", "", "closing"),
        ("sources", "Sources", "", "sources"),
    ]
    if not checks:
        specs = [x for x in specs if x[0] != "check"]
    slides = tuple(
        Slide(kind, "Title and Content", title, number=first + i, module=module, part=part,
              preview=frame(title), body=(Para("text"),))
        for i, (kind, title, module, part) in enumerate(specs))
    return DeckPlan("Religious literacy", "Test Organiser", "en", slides)


def png(width: int = 4, height: int = 2, rgb: tuple[int, int, int] = (31, 58, 95)) -> bytes:
    """A small valid PNG of one colour."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (len(data).to_bytes(4, "big") + kind + data
                + zlib.crc32(kind + data).to_bytes(4, "big"))

    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + b"\x08\x02\x00\x00\x00"
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))


SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20" viewBox="0 0 40 20">'
       b'<rect width="40" height="20" fill="#C2410C"/></svg>')


def every_block(folder: Path, **brand) -> b.Document:
    """A document holding one block of every kind (images written into ``folder``)."""
    photo = folder / "photo.png"
    photo.write_bytes(png())
    logo = folder / "logo.svg"
    logo.write_bytes(SVG)
    frames = (b.Frame(0, 0, 12192000, 900000, "shape", fill="primary"),
              b.Frame(400000, 200000, 11000000, 600000, "text", "Slide title", 32, True,
                      colour="light"))
    slide = b.SlideRef(7, "Slide 7", "Slide title", (12192000, 6858000), frames)
    blocks = (
        b.Cover("Facilitator guide", "A course title", "A subtitle", (("Audience", "Police"),),
                "Not for participants."),
        b.Contents("Contents", "Update the field."),
        b.PageBreak(), b.RunningHeader("Part one"),
        b.Heading("Part one", 1, "Day 1 · 09:00–10:00"),
        b.Paragraph(b.rich("Plain, ", b.Span("strong", "strong"), " and a ",
                           b.Span("link", url="https://example.org/inline"),
                           b.Span(" [1]", "ref")), "lead"),
        b.ListBlock((b.rich("one"), b.rich("two")), "bullet"),
        b.ListBlock((b.rich("first"), b.rich("second")), "number"),
        b.ListBlock((b.rich("tick me"),), "check"),
        b.ListBlock((b.rich("[1] plain entry"),), "plain"),
        b.Definitions((("Term", "What it means."),), 2),
        b.Table(("Time", "Session"), ((b.rich("09:00–10:00"), b.rich("Opening")),
                                      (b.rich("10:00–10:15"), b.rich("Break"))),
                caption="Schedule", widths=(1, 3), style="schedule", quiet_rows=(1,)),
        b.Chart("Counts", "Bars of counts.", ("A", "B"), ("n",), ((3.0, 5.0),),
                (("3", "5"),), "people", highlight=(1,), references=(("Mean", 4.0, "4"),)),
        b.Timeline("Events", "A timeline.", (("1991", "Independence"), ("2011", "A law"))),
        b.Quote(b.rich("“A quote.”"), "— Someone, Astana"),
        b.Figure(str(photo), "A blue rectangle.", "A photo", "Photo: Someone", "CC BY 4.0", 0.3),
        b.Link("Watch the video", "https://example.org/video", "QR code: https://example.org/video"),
        b.Callout("alert", "Sensitivity alerts", (b.ListBlock((b.rich("careful"),)),)),
        b.Callout("card", "Task card", (b.Paragraph(b.rich("Do this.")),)),
        b.Question("1.", "What do you think?", lines=3),
        b.Question("2.", "Pick one", ("Yes", "No"), ("a)", "b)")),
        b.Rating(("1", "2", "3"), ("It was useful.",)),
        b.Step("09:40–09:55", "Four contexts", "15 minutes · Slide 7", (slide,),
               (b.ListBlock((b.rich("Say this."),)),)),
        b.Keep((b.Paragraph(b.rich("kept")), b.Paragraph(b.rich("together")))),
    )
    return b.Document("facilitator-guide", "en", "Facilitator guide — A course title",
                      "Test Organiser", "A course title", "Page {page} of {pages}", "a4",
                      blocks, b.Brand(name="Org", logo=str(logo), logo_alt="Org logo", **brand))
