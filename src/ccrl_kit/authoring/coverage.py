"""``ccrl i18n``: per course and language, how much of each module is written in that language,
what is still a draft, and where the fixed wording comes from."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ccrl_kit.content.coverage import module_coverage
from ccrl_kit.content.languages import fallback_chain, is_language, unknown_language
from ccrl_kit.content.workspace import Workspace
from ccrl_kit.errors import CcrlError

WIDTH = 20


def coverage_table(ws: Workspace, course_id: str | None,
                   extra: Sequence[str] = ()) -> Iterator[str]:
    """Lines of the table: one block per course (or the one named), a column per language
    of the course and per ``extra`` language."""
    from ccrl_kit.resolve.labels import Labels, catalogues

    for code in extra:
        if not is_language(code):
            raise CcrlError(unknown_language(code))
    if course_id is not None and course_id not in ws.courses:
        raise CcrlError(f"unknown course '{course_id}' (known: {', '.join(sorted(ws.courses))})")
    for cid in [course_id] if course_id else list(ws.courses):
        course = ws.courses[cid]
        languages = list(dict.fromkeys((*course.languages, *extra)))
        default = course.languages[0]
        chains = {lang: fallback_chain(course, lang) for lang in languages}
        yield f"{cid}: " + "; ".join(_chain(lang, chains[lang], default) for lang in languages)
        yield f"{'module':<26}" + "".join(f"{lang:>{WIDTH}}" for lang in languages)
        totals = {lang: [0, 0] for lang in languages}
        for mid in dict.fromkeys(course.modules):
            if mid not in ws.modules:
                continue
            cells = []
            for c in module_coverage(ws.modules[mid], languages, default):
                totals[c.language][0] += c.translated
                totals[c.language][1] += c.texts
                cell = f"{c.translated}/{c.texts} {c.percent:>3}%" + (" draft" if c.draft else "")
                cells.append(f"{cell:>{WIDTH}}")
            yield f"{mid:<26}" + "".join(cells)
        yield f"{'all modules':<26}" + "".join(
            f"{_percent(*totals[lang]):>{WIDTH}}" for lang in languages)
        wording = []
        for lang in languages:
            share = Labels(lang, chains[lang]).share()
            own = 100 - round(100 * share.ratio)
            source = catalogues(lang, chains[lang])
            cell = f"{own}%" if lang in source[:1] else f"0%, from {source[0]}"
            wording.append(f"{cell:>{WIDTH}}")
        yield f"{'fixed wording':<26}" + "".join(wording)
        yield ""
    yield ("draft: translated for the course, awaiting review by a native speaker (the "
           "module's 'drafts:' list). Text missing in a language is shown in the next language "
           "of its chain; a build warns when more than 5% of a document is shown that way.")


def _chain(lang: str, chain: tuple[str, ...], default: str) -> str:
    shown = [c or default for c in chain[1:]]
    order = list(dict.fromkeys(c for c in shown if c != lang))
    return f"{lang} → {' → '.join(order)}" if order else lang


def _percent(done: int, total: int) -> str:
    return f"{round(100 * done / total) if total else 100}%"
