"""Fixed wording of every output, per language, from the catalogues in ``locales/``.

A language without a catalogue of its own (any language CLDR knows: ``ky``, ``uz``, ``tr``, ...)
takes its wording through the course's fallback chain from a shipped catalogue; plural forms,
units of time and dates still come from Babel (CLDR data) for the real language, so "2 минуты",
"5 минут" and "3 саат, 5 мүнөт" are right.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import cache
from importlib import resources

import yaml

from ccrl_kit.content.coverage import Share
from ccrl_kit.content.languages import SHIPPED, babel_locale
from ccrl_kit.content.workspace import Workspace
from ccrl_kit.errors import BuildError


@cache
def _catalog(lang: str) -> dict:
    try:
        text = (resources.files("ccrl_kit") / "locales" / f"{lang}.yaml").read_text("utf-8")
    except FileNotFoundError:
        raise BuildError(f"no message catalog for language '{lang}'") from None
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def catalogues(lang: str, chain: Sequence[str] = ()) -> tuple[str, ...]:
    """The shipped catalogues the wording of ``lang`` comes from, first choice first: its own,
    those of its fallback chain, and English last."""
    return tuple(code for code in dict.fromkeys((lang, *chain, "en")) if code in SHIPPED)


class Labels:
    """The fixed wording of one language: ``labels["agenda"]``, ``labels.minutes(5)``.

    ``chain`` is the course's fallback chain for ``lang``: where ``lang`` has no catalogue (or
    a catalogue lacks an entry) the wording comes from the first of those languages that has it.
    """

    def __init__(self, lang: str, chain: Sequence[str] = ()):
        self.lang = lang
        self._locale = babel_locale(lang)
        self._messages: dict = {}
        self._source: dict[str, str] = {}  # entry -> the catalogue it came from
        for code in reversed(catalogues(lang, chain)):
            for key, value in _catalog(code).items():
                self._messages[key] = value
                self._source[key] = code

    def own(self, key: str) -> bool:
        """Whether an entry is written in this language (not taken from a fallback)."""
        return self._source.get(key) == self.lang

    def __getitem__(self, key: str) -> str:
        value = self._messages[key]
        if not isinstance(value, str):
            raise KeyError(key)
        return value

    def get(self, key: str, default: str = "") -> str:
        value = self._messages.get(key, default)
        return value if isinstance(value, str) else default

    def texts(self, key: str) -> tuple[str, ...]:
        """A list entry of the catalog (e.g. the evaluation form's questions)."""
        return tuple(self._messages[key])

    def strings(self) -> dict[str, str]:
        """Every plain entry, for templates."""
        return {k: v for k, v in self._messages.items() if isinstance(v, str)}

    def format(self, key: str, **values: object) -> str:
        return self[key].format(**values)

    def plural(self, key: str, n: int) -> str:
        """A plural entry, by the plural rule of the language its text is written in."""
        forms = self._messages[key]
        source = self._source.get(key, self.lang)
        locale = self._locale if source == self.lang else babel_locale(source)
        return (forms.get(locale.plural_form(n)) or forms["other"]).format(n=n)

    def _unit(self, key: str, unit: str, n: int) -> str:
        """``n`` of a unit of time: from the language's own catalogue, else from CLDR."""
        if self.own(key):
            return self.plural(key, n)
        from babel.units import format_unit

        return format_unit(n, unit, length="long", locale=self._locale)

    def minutes(self, n: int) -> str:
        return self._unit("minutes", "duration-minute", n)

    def duration(self, minutes: int) -> str:
        """A length of time as people say it: "45 minutes", "2 hours", "3 h 5 min"."""
        hours, rest = divmod(int(minutes), 60)
        if not hours:
            return self.minutes(rest)
        if not rest:
            return self._unit("hours", "duration-hour", hours)
        if self.own("duration_hm"):
            return self.format("duration_hm", h=hours, m=rest)
        from babel.lists import format_list

        return format_list([self._unit("hours", "duration-hour", hours),
                            self._unit("minutes", "duration-minute", rest)],
                           style="unit", locale=self._locale)

    def hours(self, n: float) -> str:
        """Hours; a fraction of an hour is said as hours and minutes ("3 h 5 min")."""
        if n == int(n):
            return self._unit("hours", "duration-hour", int(n))
        return self.duration(round(n * 60))

    def date(self, value: dt.date) -> str:
        from babel.dates import format_date

        return format_date(value, format="long", locale=self._locale)

    def date_range(self, dates: tuple[dt.date, ...]) -> str:
        """First to last date, e.g. "March 2–3, 2026"; CLDR has no full-month interval, so a
        language's own catalogue says how one reads (other languages take CLDR's)."""
        if not dates:
            return ""
        first, last = min(dates), max(dates)
        if first == last:
            return self.date(first)
        if not self.own("date_range_month"):
            from babel.dates import format_interval

            return format_interval(first, last, "yMMMMd", locale=self._locale)
        if (first.year, first.month) == (last.year, last.month):
            from babel.dates import get_month_names

            month = get_month_names("wide", "format", locale=self._locale)[first.month]
            return self.format("date_range_month", first=first.day, last=last.day,
                               month=month, year=first.year)
        return f"{self.date(first)} – {self.date(last)}"

    def clock(self, value: dt.time) -> str:
        return value.strftime("%H:%M")

    def share(self) -> Share:
        """How much of the fixed wording (in characters) is written in this language."""
        by: dict[str, int] = {}
        total = 0
        for key, value in self._messages.items():
            size = _size(value)
            total += size
            if size and not self.own(key):
                by[self._source[key]] = by.get(self._source[key], 0) + size
        return Share(total, by)


def _size(value: object) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        return sum(_size(v) for v in value.values())
    if isinstance(value, list):
        return sum(_size(v) for v in value)
    return 0


def fallback_warnings(ws: Workspace, course_id: str, audiences: Sequence[str],
                      languages: Sequence[str], kinds: Sequence[str]) -> list[str]:
    """A line per document whose course text is more than 5% fallback (saying the share, and
    "mostly fallback" beyond half), or whose fixed wording comes from another language."""
    from ccrl_kit.content.coverage import text_share
    from ccrl_kit.content.languages import fallback_chain, language_name

    course = ws.courses[course_id]
    found: list[str] = []
    cache: dict = {}
    shares: dict[tuple, Share] = {}
    wordings: dict[str, Share] = {}
    for aid in audiences:
        audience = ws.audiences[aid]
        order = course.modules if audience.modules is None else [
            mid for mid in audience.modules if mid in course.modules]
        modules = [ws.modules[mid] for mid in dict.fromkeys(order) if mid in ws.modules]
        for code in languages:
            langs = code.split("+")
            if code not in wordings:
                wordings[code] = sum((Labels(lang, fallback_chain(course, lang)).share()
                                      for lang in langs), Share())
            wording = wordings[code]
            for kind in kinds:
                if len(langs) > 1 and kind != "deck":
                    continue
                parts: list[object] = (
                    [course] if kind == "certificates" else [course, audience, *modules])
                public = kind != "facilitator-guide"
                share = Share()
                for lang in langs:
                    key = (aid, lang, public, kind == "certificates")
                    if key not in shares:
                        shares[key] = text_share(course, parts, lang, audience=aid,
                                                 participant_only=public, cache=cache)
                    share = share + shares[key]
                if share.ratio <= FALLBACK_WARNING and wording.ratio <= FALLBACK_WARNING:
                    continue
                names = " and ".join(f"{x} ({language_name(x)})" for x in langs)
                what = "text" if kind == "facilitator-guide" else "participant-facing text"
                if share.ratio > FALLBACK_WARNING:
                    lead = "mostly fallback: " if share.ratio > 0.5 else ""
                    line = (f"{lead}{_percent(share.ratio)} of its {what} is not in {names}, "
                            f"but shown in {_languages(share)}")
                else:
                    line = f"its {what} is in {names}"
                if wording.ratio > FALLBACK_WARNING:
                    line += ("; its fixed wording (headings, labels) is shown in "
                             f"{_languages(wording)}")
                found.append(f"{aid}/{code}/{kind}: {line} (see 'ccrl i18n -l {langs[-1]}')")
    return found


def _languages(share: Share) -> str:
    """ "en 62%, ru 38%": where the fallback text comes from, the largest part first."""
    ranked = sorted(share.fallback.items(), key=lambda kv: -kv[1])
    return ", ".join(f"{lang} {_percent(n / share.chars)}" for i, (lang, n) in enumerate(ranked)
                     if not i or n / share.chars >= 0.005)


FALLBACK_WARNING = 0.05  # a document with more fallback text than this gets a warning


def _percent(ratio: float) -> str:
    value = 100 * ratio
    return f"{value:.1f}%" if value < 10 else f"{value:.0f}%"
