"""The assessment report for the information-security coordinator.

``build_report(plan)`` computes what the report says (a :class:`Report` value);
``render(report, "pdf" | "html" | "md" | "csv")`` lays it out. Danish by default.
"""

from __future__ import annotations

from roomplan.capacity import Budget, CapacityOptions, PlanCache, Week
from roomplan.devices import audit_devices
from roomplan.plan.model import Plan
from roomplan.report.content import (
    Report,
    ReportOptions,
    Section,
    Signoff,
    Table,
    build,
    outcomes_for,
)
from roomplan.report.recommended import Advice
from roomplan.report.render import FORMATS, render
from roomplan.scenarios import evaluate


def build_report(plan: Plan, options: ReportOptions | None = None) -> Report:
    """Everything the report on ``plan`` says: privacy, capacity at the demand and its peaks,
    devices, the scenarios ranked as measures, the recommendation and how sure it is when
    given, the legal basis, the assumptions (see :class:`ReportOptions`)."""
    o = options or ReportOptions()
    week = o.week or Week()
    cache = PlanCache(plan, o.criteria)
    capacity_options = CapacityOptions(demand=o.demand, budget=o.budget or Budget())
    # the plan as it is, with its busy week, sharing the cache's days
    base = evaluate(plan, None, week, capacity_options, criteria=o.criteria, cache=cache)
    outcomes = outcomes_for(plan, o.scenarios, week, capacity_options, o.criteria)
    devices = audit_devices(plan, cache.privacy.criteria)
    return build(plan, cache.privacy, base.capacity, o, [base, *outcomes], devices)


__all__ = [
    "FORMATS",
    "Advice",
    "Report",
    "ReportOptions",
    "Signoff",
    "Section",
    "Table",
    "build",
    "build_report",
    "render",
]
