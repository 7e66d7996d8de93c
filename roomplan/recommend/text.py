"""A recommendation in words and as JSON, Danish or English (through :mod:`roomplan.i18n`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from roomplan.capacity import text as capacity_words
from roomplan.i18n import fmt_num, t
from roomplan.recommend.advice import Option, Recommendation
from roomplan.recommend.catalogue import Cost
from roomplan.recommend.evaluate import Figure
from roomplan.recommend.portfolio import Portfolio
from roomplan.recommend.search import Point, held
from roomplan.recommend.sensitivity import Assumed, Swing, first_to_measure


def money(cost: Cost, lang: str | None = None) -> str:
    """ "ca. 259.000 kr. (167.400-416.400)": the typical cost and its range (DKK)."""
    return t(
        "recommend.money",
        lang,
        typical=fmt_num(cost.typical, 0, lang),
        low=fmt_num(cost.low, 0, lang),
        high=fmt_num(cost.high, 0, lang),
    )


def target_line(answer: Recommendation, i: int, lang: str | None = None) -> str:
    """What the search found for target ``i``, in one sentence."""
    target = fmt_num(answer.targets[i], 0, lang)
    holding = [o for o in answer.options if o.holds(i)]
    if holding:
        best = min(holding, key=lambda o: (o.cost.typical, o.role))
        return t(
            "recommend.target_held",
            lang,
            target=target,
            n=len(best.chosen),
            money=money(best.cost, lang),
        )
    if answer.reachable[i] is False:
        most = answer.everything
        reach = capacity_words.figure(held(most, i), most.figures[i].bound, lang) if most else "0"
        key = "target_impossible" if answer.budget_dkk is None else "target_over_budget"
        budget = fmt_num(answer.budget_dkk or 0, 0, lang)
        return t(f"recommend.{key}", lang, target=target, most=reach, budget=budget)
    return t("recommend.target_not_found", lang, target=target)


def option_lines(answer: Recommendation, option: Option, lang: str | None = None) -> list[str]:
    """An option: its title, cost, disruption, lead time, figures and measures."""
    figures = ", ".join(
        t(
            "recommend.figure",
            lang,
            target=fmt_num(answer.targets[i], 0, lang),
            held=capacity_words.held_figure(r, lang),
        )
        for i, r in enumerate(option.results)
    )
    lines = [
        t(f"recommend.role.{option.role}", lang),
        t(
            "recommend.summary",
            lang,
            money=money(option.cost, lang),
            disruption=t(f"recommend.disruption.{option.disruption}", lang),
            weeks=t("count.weeks", lang, n=round(option.lead_weeks)),  # about: whole weeks
        ),
        t("recommend.figures", lang, figures=figures),
    ]
    for r in option.results:
        reason = capacity_words.reason_text(r, lang)
        if reason and not r.held_proven and reason not in lines:
            lines.append(reason)  # why a held figure is an interval, once
    for c in option.chosen:
        lines.append(t("recommend.measure", lang, what=c.describe(lang), money=money(c.cost, lang)))
    if not option.chosen:
        lines.append(t("recommend.no_measures", lang))
    return lines


def front_rows(answer: Recommendation, i: int, lang: str | None = None) -> list[dict[str, str]]:
    """The front of target ``i`` as table rows: typical cost, interviews held towards it
    (at least .. at most, as the search found them), and the measures."""
    return [_row(p, i, lang) for p in answer.fronts[i]]


def _row(point: Point, i: int, lang: str | None) -> dict[str, str]:
    f = point.figures[i]
    return {
        t("recommend.col.cost", lang): fmt_num(point.cost.typical, 0, lang),
        t("recommend.col.held", lang): capacity_words.figure(
            min(f.held, f.demand), min(f.bound, f.demand), lang
        ),
        t("recommend.col.measures", lang): "; ".join(c.short(lang) for c in point.chosen) or "-",
    }


def disruption_rows(answer: Recommendation, lang: str | None = None) -> list[dict[str, str]]:
    """Cost against disruption: for each most disruption allowed, the cheapest selection
    found that holds the first target (a level that adds nothing cheaper is left out)."""
    rows, last = [], None
    for level, point in answer.by_disruption:
        if point is None or (last is not None and point.cost.typical >= last):
            continue
        last = point.cost.typical
        rows.append(
            {
                t("recommend.col.disruption", lang): t(f"recommend.disruption.{level}", lang),
                **_row(point, 0, lang),
            }
        )
    return rows


def baseline_line(answer: Recommendation, lang: str | None = None) -> str:
    """What the plan as it is holds towards each target."""
    held = ", ".join(figure_text(f, lang) for f in answer.baseline)
    return t("recommend.baseline", lang, held=held)


def search_line(answer: Recommendation, lang: str | None = None) -> str:
    """How much the search asked, and that each option was asked again in full."""
    return t(
        "recommend.search_note",
        lang,
        questions=answer.questions,
        candidates=answer.candidates,
        ranked=answer.ranked,
    )


def lines(answer: Recommendation, lang: str | None = None) -> list[str]:
    """The whole recommendation as the CLI prints it."""
    out = [target_line(answer, i, lang) for i in range(len(answer.targets))]
    out.append(baseline_line(answer, lang))
    for option in answer.options:
        out.append("")
        out += option_lines(answer, option, lang)
    for i in range(len(answer.targets)):
        rows = front_rows(answer, i, lang)
        if rows:
            out.append("")
            out.append(t("recommend.front", lang, target=fmt_num(answer.targets[i], 0, lang)))
            keys = list(rows[0])
            out.append(" | ".join(keys))
            out += [" | ".join(row[k] for k in keys) for row in rows]
    rows = disruption_rows(answer, lang)
    if rows:
        out.append("")
        out.append(t("recommend.by_disruption", lang, target=fmt_num(answer.targets[0], 0, lang)))
        keys = list(rows[0])
        out.append(" | ".join(keys))
        out += [" | ".join(row[k] for k in keys) for row in rows]
    out.append("")
    out.append(search_line(answer, lang))
    if answer.exhausted:
        out.append(t("recommend.exhausted", lang))
    out.append(t("recommend.cost_note", lang))
    return out


def as_dict(answer: Recommendation, lang: str | None = None) -> dict[str, Any]:
    """The JSON form of a :class:`Recommendation` (``docs/recommend.md``)."""
    return {
        "plan": answer.plan.name,
        "targets": list(answer.targets),
        "verdicts": [target_line(answer, i, lang) for i in range(len(answer.targets))],
        "reachable": list(answer.reachable),
        "baseline": [{"held": f.held, "bound": f.bound} for f in answer.baseline],
        "options": [_option_dict(answer, o, lang) for o in answer.options],
        "fronts": [
            [
                {
                    "cost": p.cost.typical,
                    "held": min(p.figures[i].held, p.figures[i].demand),
                    "bound": min(p.figures[i].bound, p.figures[i].demand),
                    "measures": [c.id for c in p.chosen],
                }
                for p in answer.fronts[i]
            ]
            for i in range(len(answer.targets))
        ],
        "by_disruption": [
            {
                "most": level,
                "cost": p.cost.typical,
                "held": min(p.figures[0].held, p.figures[0].demand),
                "measures": [c.id for c in p.chosen],
            }
            for level, p in answer.by_disruption
            if p is not None
        ],
        "questions": answer.questions,
        "ranked": answer.ranked,
        "candidates": answer.candidates,
        "exhausted": answer.exhausted,
    }


def _option_dict(answer: Recommendation, option: Option, lang: str | None) -> dict[str, Any]:
    return {
        "role": option.role,
        "cost": {"low": option.cost.low, "typical": option.cost.typical, "high": option.cost.high},
        "disruption": option.disruption,
        "lead_weeks": option.lead_weeks,
        "rooms_changed": list(option.rooms_changed),
        "measures": [
            {
                "id": c.id,
                "measure": c.measure.id,
                "target": c.target,
                "text": c.describe(lang),
                "cost": c.cost.typical,
                "source": c.measure.source,
            }
            for c in option.chosen
        ],
        "results": [
            {
                "target": answer.targets[i],
                "held": r.held,
                "held_bound": r.held_bound,
                "held_proven": r.held_proven,
                "holds": option.holds(i),
                "reason": capacity_words.reason_text(r, lang),
            }
            for i, r in enumerate(option.results)
        ],
    }


def sensitivity_lines(base: Figure, swings: Sequence[Swing], lang: str | None = None) -> list[str]:
    """How sure the verdict is: each assumed value's low and high end, the ones that decide
    the verdict first, then the measurements to make first."""
    header, rows = sensitivity_table(swings, lang)
    out = [t("sensitivity.title", lang, held=figure_text(base, lang)), " | ".join(header)]
    out += [" | ".join(row) for row in rows]
    out.append(measure_first_line(swings, lang))
    return out


def sensitivity_table(
    swings: Sequence[Swing], lang: str | None = None
) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """The sensitivity as a header and rows: what is assumed, its value, what the plan holds
    at the low and the high end, and whether the verdict changes between them."""
    header = tuple(
        t(f"sensitivity.col.{c}", lang) for c in ("what", "value", "low", "high", "decides")
    )
    rows: list[tuple[str, ...]] = []
    for s in swings:
        a = s.assumed
        value, low, high = (fmt_num(x, 0, lang) for x in (a.value, a.low, a.high))
        if a.kind == "all":
            value, low, high = "±" + high, "-" + high, "+" + high
        rows.append(
            (
                _assumed_name(a, lang),
                value,
                f"{low}: {figure_text(s.low, lang)}",
                f"{high}: {figure_text(s.high, lang)}",
                t("word.yes" if s.decides else "word.no", lang),
            )
        )
    return header, rows


def _assumed_name(a: Assumed, lang: str | None) -> str:
    if a.kind == "all":
        return t("sensitivity.kind.all", lang)
    if a.kind == "noise":
        what = t(f"kind.{a.what}", lang)
    else:
        what = a.what or t("sensitivity.unnamed", lang)
    return t(f"sensitivity.kind.{a.kind}", lang, what=what)


def measure_first_line(swings: Sequence[Swing], lang: str | None = None) -> str:
    """The field measurements to make first, or that none would move the figure."""
    first = first_to_measure(swings)
    if not first:
        return t("sensitivity.robust", lang)
    names = "; ".join(
        t(
            f"sensitivity.measure.{s.assumed.kind}",
            lang,
            what=t(f"kind.{s.assumed.what}", lang)
            if s.assumed.kind == "noise"
            else s.assumed.what or t("sensitivity.unnamed", lang),
        )
        for s in first
    )
    return t("sensitivity.first", lang, items=names)


def figure_text(f: Figure, lang: str | None = None) -> str:
    """ "237 of 237" or "200-237 of 237": a figure towards its demand, an interval where it is
    not proven."""
    return t(
        "recommend.figure",
        lang,
        target=fmt_num(f.demand, 0, lang),
        held=capacity_words.figure(min(f.held, f.demand), min(f.bound, f.demand), lang),
    )


def sensitivity_dict(base: Figure, swings: Sequence[Swing]) -> dict[str, Any]:
    """The JSON form of :func:`roomplan.recommend.sensitivity.sensitivity`'s answer."""
    return {
        "held": base.held,
        "bound": base.bound,
        "assumed": [
            {
                "kind": s.assumed.kind,
                "what": s.assumed.what,
                "value": s.assumed.value,
                "elements": list(s.assumed.elements),
                "low": {"value": s.assumed.low, "held": s.low.held, "bound": s.low.bound},
                "high": {"value": s.assumed.high, "held": s.high.held, "bound": s.high.bound},
                "decides": s.decides,
            }
            for s in swings
        ],
        "measure_first": [s.assumed.kind + ":" + s.assumed.what for s in first_to_measure(swings)],
    }


def portfolio_lines(answer: Portfolio, lang: str | None = None) -> list[str]:
    """What one budget buys over several sites, site by site, as the CLI prints it."""
    budget = (
        t("portfolio.budget", lang, budget=fmt_num(answer.budget_dkk, 0, lang))
        if answer.budget_dkk is not None
        else ""
    )
    out = [
        t(
            "portfolio.title",
            lang,
            n=len(answer.sites),
            budget=budget,
            held=fmt_num(answer.held, 0, lang),
            demand=fmt_num(answer.demand, 0, lang),
            money=money(answer.cost, lang),
        )
    ]
    for site in answer.sites:
        out.append("")
        out.append(
            t(
                "portfolio.site",
                lang,
                site=site.name,
                held=capacity_words.held_figure(site.result, lang),
                demand=fmt_num(site.result.demand, 0, lang),
                money=money(site.cost, lang),
                disruption=t(f"recommend.disruption.{site.disruption}", lang),
            )
        )
        for c in site.chosen:
            what = c.describe(lang)
            out.append(t("recommend.measure", lang, what=what, money=money(c.cost, lang)))
        if not site.chosen:
            out.append(t("recommend.no_measures", lang))
        out.append(target_line(site.recommendation, 0, lang))
    out.append("")
    out.append(t("portfolio.note", lang))
    out.append(t("recommend.cost_note", lang))
    return out


def portfolio_dict(answer: Portfolio, lang: str | None = None) -> dict[str, Any]:
    """The JSON form of a :class:`~roomplan.recommend.portfolio.Portfolio`."""
    return {
        "budget_dkk": answer.budget_dkk,
        "held": answer.held,
        "demand": answer.demand,
        "cost": {"low": answer.cost.low, "typical": answer.cost.typical, "high": answer.cost.high},
        "sites": [
            {
                "plan": s.name,
                "demand": s.result.demand,
                "held": s.result.held,
                "held_bound": s.result.held_bound,
                "held_proven": s.result.held_proven,
                "cost": {"low": s.cost.low, "typical": s.cost.typical, "high": s.cost.high},
                "disruption": s.disruption,
                "measures": [c.id for c in s.chosen],
                "recommendation": as_dict(s.recommendation, lang),
            }
            for s in answer.sites
        ],
    }
