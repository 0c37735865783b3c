"""The pipeline: load -> validate -> resolve -> plan -> render -> write, for each output."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from ccrl_kit.errors import BuildError
from ccrl_kit.workspace import Workspace, load_workspace

FORMATS = ("pptx", "html", "pdf", "docx")
BUILTIN_TEMPLATES = Path(__file__).parent / "data" / "templates"


@dataclass(frozen=True)
class Settings:
    workspace: Path
    course: str | None = None
    audiences: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    formats: tuple[str, ...] = FORMATS
    out: Path | None = None
    templates: Path | None = None
    paper: str = "a4"
    deck_template: Path | None = None
    participants: Path | None = None
    minutes: int | None = None


@dataclass
class Report:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    dropped: dict[str, tuple[str, ...]] = field(default_factory=dict)  # target -> what went


def template_path(settings: Settings) -> list[Path]:
    """Where templates are looked up: --templates, the workspace's templates/, built-ins."""
    candidates = [settings.templates, settings.workspace / "templates", BUILTIN_TEMPLATES]
    return [p for p in candidates if p is not None and p.is_dir()]


def find_template(search: list[Path], name: str) -> Path:
    for folder in search:
        if (folder / name).is_file():
            return folder / name
    raise BuildError(f"template '{name}' not found in: {', '.join(str(p) for p in search)}")


def build_timestamp() -> dt.datetime:
    """The time stamped into outputs: SOURCE_DATE_EPOCH if set, else a fixed date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).replace(tzinfo=None)
    return dt.datetime(2025, 1, 1)


def choose_course(ws: Workspace, wanted: str | None) -> str:
    if wanted:
        key = Path(wanted).stem if wanted.endswith((".yaml", ".yml")) else wanted
        if key not in ws.courses:
            raise BuildError(f"unknown course '{wanted}' (known: {', '.join(sorted(ws.courses))})")
        return key
    if "ccrl-kazakhstan" in ws.courses:
        return "ccrl-kazakhstan"
    if len(ws.courses) == 1:
        return next(iter(ws.courses))
    raise BuildError("several courses here: name one (ccrl build COURSE)")


def build(settings: Settings) -> Report:
    from ccrl_kit.i18n import Labels
    from ccrl_kit.model import LANGUAGES
    from ccrl_kit.plan_deck import plan_deck
    from ccrl_kit.resolve import resolve
    from ccrl_kit.write import write_outputs

    ws = load_workspace(settings.workspace)
    course_id = choose_course(ws, settings.course)
    course = ws.courses[course_id]
    audiences = settings.audiences or tuple(course.audiences)
    for aid in audiences:
        if aid not in ws.audiences:
            raise BuildError(f"unknown audience '{aid}' (known: {', '.join(sorted(ws.audiences))})")
    languages = settings.languages or (course.languages[0],)
    for code in languages:
        for lang in code.split("+"):
            if lang not in LANGUAGES:
                raise BuildError(f"unknown language '{lang}' (known: {', '.join(LANGUAGES)}; "
                                 "two joined by '+' make a bilingual deck, e.g. en+ru)")
    search = template_path(settings)
    stamp = build_timestamp()
    names: tuple[str, ...] = ()
    if settings.participants:
        from ccrl_kit.participants import read_names

        names = read_names(settings.participants)
    files: dict[str, bytes] = {}
    dropped: dict[str, tuple[str, ...]] = {}
    for aid in audiences:
        for lang in languages:
            if "+" in lang:
                files[f"{course_id}/{aid}/{lang}/deck.pptx"] = _bilingual_deck(
                    ws, course_id, aid, lang, settings, search, stamp)
                continue
            labels = Labels(lang)
            resolved = resolve(ws, course_id, aid, lang, settings.minutes)
            if resolved.dropped:
                dropped[f"{aid}/{lang}"] = resolved.dropped
            deck = plan_deck(resolved, labels)
            base = f"{course_id}/{aid}/{lang}"
            if "pptx" in settings.formats:
                from ccrl_kit.render_pptx import render_pptx

                files[f"{base}/deck.pptx"] = render_pptx(
                    deck, settings.deck_template or find_template(search, "deck.pptx"),
                    find_template(search, "fonts/NotoSans-Regular.ttf").parent,
                    continued=labels["continued"], timestamp=stamp,
                )
            if {"html", "pdf", "docx"} & set(settings.formats):
                files.update(_handouts(resolved, deck, labels, search, base, settings, stamp,
                                       names))
    out = settings.out or settings.workspace / "output"
    written, unchanged = write_outputs(out, files)
    return Report(written, unchanged, dropped)


def _bilingual_deck(ws, course_id, aid, code, settings, search, stamp) -> bytes:
    """A deck in two languages ("en+ru"): the first large, the second smaller under it."""
    from ccrl_kit.i18n import Labels
    from ccrl_kit.plan_deck import merge_bilingual, plan_deck
    from ccrl_kit.render_pptx import render_pptx
    from ccrl_kit.resolve import resolve

    main, second = code.split("+", 1)
    plans = [plan_deck(resolve(ws, course_id, aid, lang, settings.minutes), Labels(lang))
             for lang in (main, second)]
    labels = Labels(main)
    return render_pptx(
        merge_bilingual(*plans), settings.deck_template or find_template(search, "deck.pptx"),
        find_template(search, "fonts/NotoSans-Regular.ttf").parent,
        continued=f"{labels['continued']} {Labels(second)['continued']}", timestamp=stamp,
    )


def _handouts(resolved, deck, labels, search, base, settings, stamp, names) -> dict[str, bytes]:
    from ccrl_kit.plan_handouts import (
        plan_certificates,
        plan_facilitator_guide,
        plan_participant_handout,
    )
    from ccrl_kit.render_html import make_environment, render_html

    env = make_environment(search)
    files: dict[str, bytes] = {}
    css_base = find_template(search, "handout.css").parent
    wanted = set(settings.formats)
    for plan in (plan_facilitator_guide(resolved, deck, labels),
                 plan_participant_handout(resolved, labels)):
        if wanted & {"html", "pdf"}:
            html = render_html(plan, env, settings.paper)
        if "html" in wanted:
            files[f"{base}/{plan.kind}.html"] = html.encode("utf-8")
        if "pdf" in wanted:
            from ccrl_kit.render_pdf import render_pdf

            files[f"{base}/{plan.kind}.pdf"] = render_pdf(html, css_base)
        if "docx" in wanted:
            from ccrl_kit.render_docx import render_docx

            files[f"{base}/{plan.kind}.docx"] = render_docx(plan, settings.paper, stamp)
    if "pdf" in wanted:
        from ccrl_kit.render_pdf import render_pdf

        certificates = plan_certificates(resolved, names, labels)
        files[f"{base}/certificates.pdf"] = render_pdf(
            render_html(certificates, env, settings.paper), css_base)
    return files
