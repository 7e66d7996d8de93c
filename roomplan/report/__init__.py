"""The assessment report for the information-security coordinator.

``build_report(plan)`` computes what the report says (a :class:`Report` value);
``render(report, "pdf" | "html" | "md" | "csv")`` lays it out. Danish by default.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from roomplan import memo
from roomplan.capacity import Budget, CapacityOptions, PlanCache, Week, plan_capacity
from roomplan.devices import audit_devices
from roomplan.plan.model import Plan
from roomplan.privacy import Criteria
from roomplan.report.content import Report, Section, Table, build, outcomes_for
from roomplan.report.recommended import Advice
from roomplan.report.render import FORMATS, render
from roomplan.scenarios import Scenario


def build_report(
    plan: Plan,
    *,
    lang: str = "da",
    demand: int = memo.WEEKLY_DEMAND,
    week: Week | None = None,
    criteria: Criteria | None = None,
    scenarios: Sequence[Scenario] = (),
    author: str = "",
    version: str = "",
    date: dt.date | None = None,
    budget: Budget | None = None,
    advice: Advice | None = None,
) -> Report:
    """Everything the report on ``plan`` says: privacy, capacity at ``demand`` and its peaks,
    devices, the ``scenarios`` ranked as measures, the legal basis, the assumptions.
    ``date`` defaults to today (inject it for a reproducible report); budget: the work each
    capacity answer may take (:class:`roomplan.capacity.Budget`); advice: the recommended
    measures and the sensitivity (:class:`roomplan.report.recommended.Advice`)."""
    week = week or Week()
    cache = PlanCache(plan, criteria)
    options = CapacityOptions(demand=demand, budget=budget or Budget())
    capacity = plan_capacity(plan, week, options, cache=cache)
    outcomes = outcomes_for(plan, scenarios, week, options, criteria)
    return build(
        plan,
        cache.privacy,
        capacity,
        lang=lang,
        outcomes=outcomes,
        devices=audit_devices(plan, cache.privacy.criteria),
        author=author,
        version=version,
        date=date,
        advice=advice,
    )


__all__ = ["FORMATS", "Advice", "Report", "Section", "Table", "build", "build_report", "render"]
