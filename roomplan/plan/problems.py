"""Problems found in a plan, and the error that carries all of them.

A problem names the feature (an id, or a DXF handle and layer), the field, what is
wrong and how to fix it. Its words come from the translation layer, so the same
problem reads in Danish or English.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from roomplan.i18n import DEFAULT_LANG, has, t

MAX_BYTES = 20 * 1024 * 1024
"""Largest plan file read [bytes]."""

MAX_FEATURES = 20_000
"""Most features (rooms, doors, desks, ...) in one plan."""


def _number(value: float, lang: str) -> str:
    """A number in a message: no thousands separators (coordinates read as one number), at
    most three decimals, or three significant digits below 1, in the language's form ("0,35"
    in Danish)."""
    text = f"{value:.3f}" if abs(value) >= 1 else f"{value:.3g}"
    if "." in text and "e" not in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang == "da" else text


COUNTED = ("doors", "windows")
"""Message parameters that are counts of things, said with the thing in its number."""


def _shown(params: dict[str, Any], lang: str) -> dict[str, Any]:
    """Message parameters in the language: feature types in words, numbers in its form."""
    out = dict(params)
    if "what" in out:  # a feature type: "door" reads "dør" in Danish
        out["what"] = t(f"feature.{out['what']}", lang)
    if has(f"expected.{out.get('expected')}", lang):  # a value's type: "number" is "et tal"
        out["expected"] = t(f"expected.{out['expected']}", lang)
    for k, v in out.items():
        if isinstance(v, float) and math.isfinite(v):
            out[k] = _number(v, lang)
        elif k in COUNTED and isinstance(v, int):  # "1 dør", "2 døre"
            out[k] = t(f"count.{k}", lang, n=v)
    return out


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a plan. ``code`` selects the words in the catalogue
    (``problem.<code>`` and ``fix.<code>``); ``params`` fill them in."""

    code: str
    feature: str = ""
    field: str = ""
    params: dict[str, Any] = dataclasses.field(default_factory=dict)

    def message(self, lang: str = DEFAULT_LANG) -> str:
        return t(f"problem.{self.code}", lang, **_shown(self.params, lang))

    def fix(self, lang: str = DEFAULT_LANG) -> str:
        return t(f"fix.{self.code}", lang, **_shown(self.params, lang))

    def as_row(self, lang: str = DEFAULT_LANG) -> dict[str, str]:
        """The problem as a table row (feature, field, problem, fix)."""
        return {
            t("col.feature", lang): self.feature or "-",
            t("col.field", lang): self.field or "-",
            t("col.problem", lang): self.message(lang),
            t("col.fix", lang): self.fix(lang),
        }

    def line(self, lang: str = DEFAULT_LANG) -> str:
        """The problem on one line, as the CLI prints it."""
        where = self.feature or t("word.file", lang)
        if self.field:
            where += f" [{self.field}]"
        return f"{where}: {self.message(lang)} {t('word.fix', lang)}: {self.fix(lang)}"


class PlanError(ValueError):
    """A plan could not be read; ``problems`` lists everything found wrong."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = tuple(problems)
        super().__init__("; ".join(p.line("en") for p in self.problems[:5]))

    def lines(self, lang: str = DEFAULT_LANG) -> list[str]:
        return [p.line(lang) for p in self.problems]


@dataclass(frozen=True)
class Notice:
    """Something a reader assumed or did that the user should know (units taken from the
    file, ratings left at their defaults, layers not read). ``code`` selects the words
    ``notice.<code>`` in the catalogue; ``params`` fill them in."""

    code: str
    params: dict[str, Any] = dataclasses.field(default_factory=dict)

    def message(self, lang: str = DEFAULT_LANG) -> str:
        return t(f"notice.{self.code}", lang, **_shown(self.params, lang))
