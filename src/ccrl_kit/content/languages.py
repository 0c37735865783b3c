"""Language codes: any language CLDR (through Babel) has data for, written as BCP 47 tags.

``en``, ``ru``, ``kk`` ship with their own catalogue of fixed wording and with the course's
text; every other code Babel knows (``ky``, ``uz``, ``tg``, ``tk``, ``tr``, ``pt-BR``, ...) is
accepted too: its text falls back through the course's fallback chain, its plurals, units and
dates still come from CLDR for the real language.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ccrl_kit.content.model import Course



def _shipped() -> tuple[str, ...]:
    """The languages with a catalogue of fixed wording in ``ccrl_kit/locales`` (adding a
    catalogue there is all it takes): English, Russian, Kazakh first."""
    from importlib import resources

    found = {p.name.removesuffix(".yaml") for p in
             resources.files("ccrl_kit").joinpath("locales").iterdir()
             if p.name.endswith(".yaml")}
    first = [code for code in ("en", "ru", "kk") if code in found]
    return (*first, *sorted(found - set(first)))


SHIPPED = _shipped()
DEFAULT_KEY = ""  # a plain string: the text in the course's default language

# language, then optional script, region or variant subtags: ky, pt-BR, sr-Latn, uz-Cyrl-UZ
_TAG = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")


def is_language(code: object) -> bool:
    """Whether ``code`` is a language tag Babel has locale data for."""
    return isinstance(code, str) and _known(code)


@cache
def _known(code: str) -> bool:
    if not _TAG.fullmatch(code):
        return False
    from babel import localedata

    return localedata.exists(code.replace("-", "_"))


def babel_locale(code: str):
    """The Babel ``Locale`` of a language tag (``pt-BR`` -> ``pt_BR``)."""
    from babel import Locale

    return Locale.parse(code.replace("-", "_"))


def language_name(code: str) -> str:
    """The English name of a language ("Kyrgyz"), or the code itself."""
    try:
        return babel_locale(code).get_display_name("en") or code
    except Exception:
        return code


def unknown_language(code: str) -> str:
    """The message for a code that is not a language, with a suggestion where one is likely."""
    guess = suggest(code)
    hint = (f"did you mean '{guess}' ({language_name(guess)})?" if guess else
            "use a language code such as en, ru, kk, ky, uz, tg, tk or tr")
    return f"unknown language code '{code}': {hint}"


def suggest(code: str) -> str | None:
    """The language a mistyped ``code`` most likely means: another spelling of a tag
    (``KY``, ``ky_KG``), a three-letter code (``kir``), a language's English name
    (``Kyrgyz``), or the main language of a country code (``kg`` -> ``ky``)."""
    from babel import Locale
    from babel.core import get_global
    from babel.languages import get_territory_language_info

    text = code.strip()
    parts = re.split(r"[-_]", text)
    spelled = "-".join([parts[0].lower(), *(p.upper() if len(p) == 2 else p.title()
                                            for p in parts[1:])])
    if spelled != code and is_language(spelled):
        return spelled
    alias = get_global("language_aliases").get(text.lower().replace("-", "_"))
    if alias and is_language(alias.replace("_", "-")):
        return alias.replace("_", "-")
    names = {name.casefold(): key for key, name in Locale("en").languages.items()}
    named = names.get(text.casefold())
    if named and is_language(named):
        return named
    if re.fullmatch(r"[A-Za-z]{2}", text):
        spoken = get_territory_language_info(text.upper())
        ranked = sorted(spoken.items(), key=lambda kv: (
            kv[1].get("official_status") is None, -float(kv[1].get("population_percent") or 0)))
        for lang, _ in ranked:
            if is_language(lang):
                return lang
    return None


def fallback_chain(course: Course, lang: str) -> tuple[str, ...]:
    """Languages to try, in order, for text in ``lang``: its configured fallbacks, the course's
    default language (a plain string is written in it), then the shipped languages."""
    chain = [lang, *course.fallback.get(lang, [])]
    default = course.languages[0]
    if default not in chain:
        chain.append(default)
    chain.append(DEFAULT_KEY)
    chain.extend(code for code in SHIPPED if code not in chain)
    return tuple(chain)
