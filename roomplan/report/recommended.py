"""The report's sections on what to change and how sure the answer is: the recommended measures
with their cost, disruption, lead time and figures, and the sensitivity of the verdict to the
assumed values with the field measurements to make first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from roomplan.capacity import text as capacity_words
from roomplan.i18n import fmt_num, t
from roomplan.recommend import text as words
from roomplan.recommend.advice import Recommendation
from roomplan.recommend.evaluate import Figure
from roomplan.recommend.sensitivity import Swing
from roomplan.report.content import Section, Table
from roomplan.report.risk import residual


def recommendation_section(answer: Recommendation, lang: str) -> Section:
    """The options found, one row each, after what each target needs and the plan as it is."""
    header = tuple(
        t(f"report.col.{c}", lang)
        for c in ("option", "measures", "cost", "disruption", "lead", "held_targets", "residual")
    )
    rows = tuple(
        (
            t(f"recommend.role_short.{o.role}", lang),
            "; ".join(c.describe(lang) for c in o.chosen) or t("recommend.none_needed", lang),
            words.money(o.cost, lang),
            t(f"recommend.disruption.{o.disruption}", lang),
            fmt_num(o.lead_weeks, 0, lang),
            ", ".join(
                t(
                    "recommend.figure",
                    lang,
                    target=fmt_num(answer.targets[i], 0, lang),
                    held=capacity_words.held_figure(r, lang),
                )
                for i, r in enumerate(o.results)
            ),
            "; ".join(
                f"{fmt_num(answer.targets[i], 0, lang)}: {residual(r, lang)}"
                for i, r in enumerate(o.results)
            ),
        )
        for o in answer.options
    )
    paragraphs = [words.target_line(answer, i, lang) for i in range(len(answer.targets))]
    paragraphs.append(words.baseline_line(answer, lang))
    paragraphs.append(words.search_line(answer, lang))
    paragraphs.append(t("report.recommend_costs", lang))
    paragraphs.append(t("report.residual_intro", lang))
    return Section(
        t("report.s.recommendation", lang),
        paragraphs=tuple(paragraphs),
        tables=(Table(header, rows, (1, 2.6, 1, 0.9, 0.6, 1.2, 1.6)),) if rows else (),
    )


def sensitivity_section(base: Figure, swings: Sequence[Swing], lang: str) -> Section:
    """The verdict at the low and high end of each assumed value, and what to measure first."""
    header, rows = words.sensitivity_table(swings, lang)
    title = words.sensitivity_lines(base, (), lang)[0]
    return Section(
        t("report.s.sensitivity", lang),
        paragraphs=(title, words.measure_first_line(swings, lang), t("report.measured", lang)),
        tables=(Table(header, tuple(rows), (2.4, 0.7, 1.6, 1.6, 0.9)),) if rows else (),
    )


@dataclass(frozen=True)
class Advice:
    """The report's part on what to change: a recommendation and/or the sensitivity
    ((figure as assumed, swings) of :func:`roomplan.recommend.sensitivity.sensitivity`)."""

    recommendation: Recommendation | None = None
    sensitivity: tuple[Figure, tuple[Swing, ...]] | None = None

    def sections(self, lang: str) -> tuple[Section, ...]:
        out = []
        if self.recommendation is not None:
            out.append(recommendation_section(self.recommendation, lang))
        if self.sensitivity is not None:
            out.append(sensitivity_section(*self.sensitivity, lang))
        return tuple(out)
