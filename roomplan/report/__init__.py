"""The assessment report for the information-security coordinator.

``build_report(plan)`` computes what the report says (a :class:`Report` value);
``render(report, "pdf" | "html" | "md" | "csv")`` lays it out. Danish by default.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from roomplan import memo
from roomplan.capacity import Budget, CapacityOptions, PlanCache, Week, plan_capacity
from roomplan.devices import audit_devices
from roomplan.plan.model import Plan
from roomplan.privacy import Criteria
from roomplan.report.content import Report, Section, Table, build, outcomes_for
from roomplan.report.recommended import Advice
from roomplan.report.render import FORMATS, render
from roomplan.scenarios import Scenario


@dataclass(frozen=True)
class ReportOptions:
    """What a report is asked about besides the plan. lang: "da" or "en"; demand: interviews
    a week; week: hours and rules (:class:`roomplan.capacity.Week`); criteria: the privacy
    criteria; scenarios: ranked as measures; author, version: for the title page; date:
    defaults to today (inject it for a reproducible report); budget: the work each capacity
    answer may take (:class:`roomplan.capacity.Budget`); advice: the recommended measures and
    the sensitivity (:class:`roomplan.report.recommended.Advice`)."""

    lang: str = "da"
    demand: int = memo.WEEKLY_DEMAND
    week: Week | None = None
    criteria: Criteria | None = None
    scenarios: Sequence[Scenario] = ()
    author: str = ""
    version: str = ""
    date: dt.date | None = None
    budget: Budget | None = None
    advice: Advice | None = None


def build_report(plan: Plan, options: ReportOptions | None = None) -> Report:
    """Everything the report on ``plan`` says: privacy, capacity at the demand and its peaks,
    devices, the scenarios ranked as measures, the recommendation and how sure it is when
    given, the legal basis, the assumptions (see :class:`ReportOptions`)."""
    o = options or ReportOptions()
    week = o.week or Week()
    cache = PlanCache(plan, o.criteria)
    capacity_options = CapacityOptions(demand=o.demand, budget=o.budget or Budget())
    capacity = plan_capacity(plan, week, capacity_options, cache=cache)
    outcomes = outcomes_for(plan, o.scenarios, week, capacity_options, o.criteria)
    return build(
        plan,
        cache.privacy,
        capacity,
        lang=o.lang,
        outcomes=outcomes,
        devices=audit_devices(plan, cache.privacy.criteria),
        author=o.author,
        version=o.version,
        date=o.date,
        advice=o.advice,
    )


__all__ = [
    "FORMATS",
    "Advice",
    "Report",
    "ReportOptions",
    "Section",
    "Table",
    "build",
    "build_report",
    "render",
]
