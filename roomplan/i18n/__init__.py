"""The one translation layer: every string a user sees comes from here.

Catalogues are flat JSON files (``da.json``, ``en.json``) keyed by dotted names; values
are ``str.format`` templates. Danish is the default. Numbers and dates follow the
language's conventions ("1.234,5" and "22. november 2026" in Danish).
"""

from __future__ import annotations

import datetime as _dt
import json
import numbers
import os
from collections.abc import Mapping
from functools import cache
from importlib import resources

LANGS = ("da", "en")
DEFAULT_LANG = "da"


@cache
def catalogue(lang: str) -> dict[str, str]:
    """All strings of ``lang``."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGS)}")
    text = resources.files(__package__).joinpath(f"{lang}.json").read_text(encoding="utf-8")
    return json.loads(text)


def default_lang() -> str:
    """The language from ``ROOMPLAN_LANG`` if it names a known one, else Danish."""
    lang = os.environ.get("ROOMPLAN_LANG", DEFAULT_LANG)
    return lang if lang in LANGS else DEFAULT_LANG


def t(key: str, lang: str | None = None, /, **params: object) -> str:
    """The text for ``key`` in ``lang``, with ``params`` filled in.

    A key missing from one catalogue falls back to the other language, then to the
    key itself, so a gap shows as a visible key rather than an error for the user. A key
    given in forms for a count (``key.zero``, ``key.one``, ``key.other``; a missing form
    falls back to ``key.other``) takes the form for the count ``n``."""
    lang = lang or default_lang()
    if key not in catalogue(lang) and f"{key}.other" in catalogue(lang):
        count = _count(params.get("n"))
        key = _form(key, count, lang) if count is not None else f"{key}.other"
        if count is not None:
            params = {**params, "n": count}  # 1.0 reads "1 uge"
    template = catalogue(lang).get(key)
    if template is None:
        template = next((catalogue(o)[key] for o in LANGS if key in catalogue(o)), key)
    if not params:
        return template
    try:
        return template.format_map(params)
    except (KeyError, IndexError, ValueError):
        return template


def _count(n: object) -> int | None:
    """``n`` as a whole count (an int, a numpy int, 1.0, "1"), or None."""
    if isinstance(n, bool):
        return None
    if isinstance(n, numbers.Real) and float(n).is_integer():
        return int(float(n))
    if isinstance(n, str) and n.strip().isdigit():
        return int(n)
    return None


def _form(key: str, n: int, lang: str) -> str:
    """``key.zero``, ``key.one`` or ``key.other`` for the count ``n`` (a form the catalogue
    lacks falls back to ``key.other``)."""
    form = "zero" if n == 0 else "one" if n == 1 else "other"
    return f"{key}.{form}" if f"{key}.{form}" in catalogue(lang) else f"{key}.other"


def pick(texts: Mapping[str, str], lang: str | None = None) -> str:
    """A text given in several languages by data (a catalogue's measure name): the one in
    ``lang``, else Danish, else any; "" when there is none."""
    lang = lang or default_lang()
    return texts.get(lang) or texts.get(DEFAULT_LANG) or next(iter(texts.values()), "")


def has(key: str, lang: str | None = None) -> bool:
    """Whether ``key`` is in the catalogue."""
    return key in catalogue(lang or default_lang())


def fmt_num(value: float, decimals: int = 0, lang: str | None = None) -> str:
    """``value`` with thousands separators: "1.234,5" (da) or "1,234.5" (en)."""
    text = f"{value:,.{decimals}f}"
    if text.startswith("-") and not text.strip("-0,."):
        text = text[1:]  # no "-0,0"
    if (lang or default_lang()) == "da":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def fmt_date(day: _dt.date, lang: str | None = None) -> str:
    """A date in words: "22. november 2026" (da) or "22 November 2026" (en)."""
    lang = lang or default_lang()
    month = t(f"month.{day.month}", lang)
    if lang == "da":
        return f"{day.day}. {month} {day.year}"
    return f"{day.day} {month} {day.year}"
