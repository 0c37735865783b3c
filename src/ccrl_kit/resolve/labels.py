"""Fixed wording of every output, per language, from the catalogs in ``locales/``.

Plural forms and dates come from Babel (CLDR data), so "2 минуты" and "5 минут" are right.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from importlib import resources

import yaml

from ccrl_kit.errors import BuildError


@cache
def _catalog(lang: str) -> dict:
    try:
        text = resources.files("ccrl_kit").joinpath("locales", f"{lang}.yaml").read_text("utf-8")
    except FileNotFoundError:
        raise BuildError(f"no message catalog for language '{lang}'") from None
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


class Labels:
    """The fixed wording of one language: ``labels["agenda"]``, ``labels.minutes(5)``."""

    def __init__(self, lang: str):
        self.lang = lang
        self._messages = {**_catalog("en"), **_catalog(lang)}

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
        from babel import Locale

        forms = self._messages[key]
        category = Locale.parse(self.lang).plural_form(n)
        return (forms.get(category) or forms["other"]).format(n=n)

    def minutes(self, n: int) -> str:
        return self.plural("minutes", n)

    def hours(self, n: float) -> str:
        if n == int(n):
            return self.plural("hours", int(n))
        from babel.numbers import format_decimal

        return self._messages["hours"]["other"].format(n=format_decimal(n, locale=self.lang))

    def date(self, value: dt.date) -> str:
        from babel.dates import format_date

        return format_date(value, format="long", locale=self.lang)

    def date_range(self, dates: tuple[dt.date, ...]) -> str:
        """First to last date, e.g. "March 2–3, 2026"; CLDR has no full-month interval."""
        if not dates:
            return ""
        first, last = min(dates), max(dates)
        if first == last:
            return self.date(first)
        if (first.year, first.month) == (last.year, last.month):
            from babel.dates import get_month_names

            month = get_month_names("wide", "format", locale=self.lang)[first.month]
            return self.format("date_range_month", first=first.day, last=last.day,
                               month=month, year=first.year)
        return f"{self.date(first)} – {self.date(last)}"

    def clock(self, value: dt.time) -> str:
        return value.strftime("%H:%M")
