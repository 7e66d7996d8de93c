"""Can the week's interviews be held privately? Bounds first, then the exact answer.

``plan_capacity(plan)`` reads who can hear whom from the privacy engine
(:func:`roomplan.privacy.assess_privacy`), turns it into private spaces with their conditions
(:mod:`.spaces`), bounds the answer with two max-flows (:mod:`.bounds`) and finds the best
schedule with an integer program (:mod:`.exact`), solved day by day: the days share nothing but
the weekly caps, and identical days are solved once.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from roomplan import memo
from roomplan.capacity.blocks import block_schedule
from roomplan.capacity.bounds import Bottleneck, lower_bound, upper_bound
from roomplan.capacity.exact import Instance, Solved, relaxation_bound, solve
from roomplan.capacity.peaks import PERCENTILES, demand_percentile
from roomplan.capacity.result import CapacityResult, Peak
from roomplan.capacity.schedule import Schedule
from roomplan.capacity.spaces import Space, private_spaces
from roomplan.capacity.week import WEEKDAYS, Absence, DayHours, Week, spread_demand
from roomplan.plan.model import Plan
from roomplan.privacy import Criteria, PrivacyResult, assess_privacy

Progress = Callable[[float, str], None]


def caps_of(plan: Plan, week: Week) -> dict[str, int]:
    """Weekly caps of the caseworkers who hold interviews (the week's cap overrides theirs)."""
    return {
        s.id: (week.max_interviews if week.max_interviews is not None else s.max_interviews)
        for s in plan.staff
        if s.holds_interviews
    }


@dataclass(frozen=True)
class Bounds:
    """The fast answer, before the exact one: at least ``lower`` and at most ``upper``
    interviews of the demand can be held privately; the cuts say why (:mod:`.bounds`)."""

    lower: int
    upper: int
    lower_cut: Bottleneck
    upper_cut: Bottleneck
    lower_schedule: Schedule
    seconds: float


def capacity_bounds(
    plan: Plan,
    week: Week | None = None,
    demand: int = memo.WEEKLY_DEMAND,
    spread: str | tuple[float, ...] = "even",
    *,
    criteria: Criteria | None = None,
    privacy: PrivacyResult | None = None,
) -> Bounds:
    """The max-flow bounds alone, in well under a second: what to show while the exact
    answer (:func:`plan_capacity`) is being found."""
    started = time.perf_counter()
    week = week or Week()
    privacy = privacy or assess_privacy(plan, criteria)
    inst = Instance(
        plan,
        week,
        private_spaces(privacy),
        caps_of(plan, week),
        spread_demand(demand, spread, week),
    )
    upper, upper_cut = upper_bound(inst)
    lower, lower_schedule, lower_cut = lower_bound(inst)
    return Bounds(lower, upper, lower_cut, upper_cut, lower_schedule, time.perf_counter() - started)


def plan_capacity(
    plan: Plan,
    week: Week | None = None,
    demand: int = memo.WEEKLY_DEMAND,
    spread: str | tuple[float, ...] = "even",
    *,
    criteria: Criteria | None = None,
    privacy: PrivacyResult | None = None,
    time_limit: float = 60.0,
    variance_factor: float = 2.0,
    progress: Progress | None = None,
    decompose: bool = True,
    bounds: Bounds | None = None,
    mip_gap: float = 0.01,
    reuse: CapacityResult | None = None,
) -> CapacityResult:
    """How many of ``demand`` weekly interviews ``plan`` can hold privately, and how.

    week: opening hours, move, windowless limit, absences (the defaults of :class:`Week`);
    spread: how demand falls on the weekdays (:func:`spread_demand`); privacy: a result to
    reuse (else assessed with ``criteria``); time_limit: seconds for the exact answer, after
    which the best schedule found is returned with its proven gap; variance_factor: the second
    peak model (variance over mean); progress(fraction, message): called as stages finish;
    decompose: solve day by day, starting from whole-period blocks (False: the whole week as
    one program, the benchmark's baseline); bounds: the result of :func:`capacity_bounds` for
    the same arguments, when already shown, to reuse; mip_gap: a schedule proven within this
    share of the best possible is accepted without searching further; reuse: an earlier result
    for the same plan and week whose capacity (which does not depend on the demand) is taken
    over instead of solved again."""
    report = progress or (lambda fraction, message: None)
    week = week or Week()
    privacy = privacy or assess_privacy(plan, criteria)
    spaces = private_spaces(privacy)
    caps = caps_of(plan, week)
    per_day = spread_demand(demand, spread, week)
    seconds: dict[str, float] = {}

    started = time.perf_counter()
    held_inst = Instance(plan, week, spaces, caps, per_day)
    free_inst = Instance(plan, week, spaces, caps, (None,) * len(WEEKDAYS))
    bounds = bounds or capacity_bounds(plan, week, demand, spread, privacy=privacy)
    upper, upper_cut = bounds.upper, bounds.upper_cut
    lower, lower_schedule, lower_cut = bounds.lower, bounds.lower_schedule, bounds.lower_cut
    free_upper, _ = upper_bound(free_inst)
    seconds["bounds"] = time.perf_counter() - started
    report(0.1, "bounds")

    started = time.perf_counter()
    deadline = started + time_limit
    # the same spaces, caps and week give the same capacity, whatever the demand
    reusable = (
        reuse is not None and reuse.week == week and reuse.caps == caps and reuse.spaces == spaces
    )
    free: Schedule | None = None
    free_bound = 0
    if decompose:
        days = [d for d in range(len(WEEKDAYS)) if week.segments(d)]
        # whole-period blocks first: the weekly caps kept exactly, in seconds
        blocks = block_schedule(held_inst, days, min(15.0, 0.25 * time_limit))
        report(0.3, "blocks")
        target = min(upper, sum(per_day), sum(caps.values()))
        if blocks and len(blocks) >= target * (1 - mip_gap):
            held, held_bound = blocks, target
            if not reusable:
                free = block_schedule(free_inst, days, min(10.0, 0.15 * time_limit))
                free_bound = _relaxation(free_inst, days, deadline, free_upper)
        else:
            held, held_bound, held_days, day_bounds = _by_day(held_inst, deadline, report, 0.3, 0.6)
            if len(blocks) > len(held):
                held = blocks
            if not reusable:
                free, free_bound = _capacity(free_inst, held_days, day_bounds, deadline, report)
                free_blocks = block_schedule(free_inst, days, min(5.0, 0.1 * time_limit))
                if len(free_blocks) > len(free):
                    free = free_blocks
    else:
        held_solved = solve(held_inst, range(len(WEEKDAYS)), time_limit / 2)
        held, held_bound = held_solved.schedule, int(held_solved.bound)
        free_solved = solve(
            free_inst, range(len(WEEKDAYS)), max(deadline - time.perf_counter(), 1.0)
        )
        free, free_bound = free_solved.schedule, int(free_solved.bound)
    seconds["exact"] = time.perf_counter() - started
    report(1.0, "exact")

    if len(lower_schedule) > len(held):  # the flow's schedule is valid too
        held = lower_schedule
    held_bound = min(held_bound, upper, sum(per_day), sum(caps.values()))
    if free is None and reuse is not None and reuse.capacity >= len(held):
        capacity, free_bound = reuse.capacity, reuse.capacity_bound
        capacity_per_day = reuse.capacity_per_day
    else:
        solved_free = free is not None
        free = free if free is not None else held
        counts = free.per_caseworker()
        if any(n > caps.get(c, 0) for c, n in counts.items()):  # days solved apart broke a cap
            free = held
        if len(free) < len(held):  # capacity is at least what the demand got
            free = held
        free_bound = min(free_bound if solved_free else free_upper, free_upper, sum(caps.values()))
        capacity, capacity_per_day = len(free), tuple(free.per_day())
    peaks = _peaks(demand, week, capacity, capacity_per_day, variance_factor)
    return CapacityResult(
        plan_name=plan.name,
        week=week,
        demand=demand,
        demand_per_day=per_day,
        spread=spread,
        caps=caps,
        spaces=spaces,
        lower=lower,
        upper=upper,
        lower_schedule=lower_schedule,
        upper_cut=upper_cut,
        lower_cut=lower_cut,
        held=len(held),
        held_bound=max(held_bound, len(held)),
        schedule=held,
        capacity=capacity,
        capacity_bound=max(free_bound, capacity),
        capacity_per_day=capacity_per_day,
        peaks=peaks,
        seconds=seconds,
    )


def _day_type(inst: Instance, day: int) -> tuple:
    """What makes one day's program differ from another's: hours and who is in when."""
    week = inst.week
    minutes = [s + k * week.tick for s, n in week.segments(day) for k in range(n)]
    staff = sorted(s.id for s in inst.plan.staff)
    return (
        tuple(week.segments(day)),
        tuple(week.available(s, day, m) for s in staff for m in minutes),
    )


def _shift(schedule: Schedule, day: int) -> Schedule:
    """A day's schedule moved to another weekday."""
    return Schedule(
        tuple(
            i.__class__(i.caseworker, day, i.start, i.end, i.space, i.room)
            for i in schedule.interviews
        ),
        tuple(
            s.__class__(s.caseworker, day, s.room, s.space, s.start, s.end) for s in schedule.stays
        ),
    )


def _merge(parts: list[Schedule]) -> Schedule:
    interviews = sorted(
        (i for p in parts for i in p.interviews), key=lambda i: (i.day, i.start, i.caseworker)
    )
    stays = sorted(
        (s for p in parts for s in p.stays), key=lambda s: (s.day, s.start, s.caseworker)
    )
    return Schedule(tuple(interviews), tuple(stays))


def _by_day(
    inst: Instance, deadline: float, report: Progress, start: float, end: float
) -> tuple[Schedule, int, dict[int, Solved], dict[int, int]]:
    """Each weekday solved on its own, identical days once. Should the week then break a
    caseworker's cap, the days are solved again with the cap shared out over them as daily
    limits. The bound stays that of the days without shares, which no weekly schedule can beat
    (returned per day too)."""
    days = [d for d in range(len(WEEKDAYS)) if inst.week.segments(d)]
    shares = _share_caps(inst, days)
    # when a cap could bind, keep half the time for solving again with shared-out caps
    now = time.perf_counter()
    first_deadline = now + (deadline - now) / 2 if shares else deadline
    solved, bounds = _solve_days(inst, days, first_deadline, report, start, end)
    week = _merge([solved[d].schedule for d in days])
    counts = week.per_caseworker()
    if any(counts.get(c, 0) > cap for c, cap in inst.caps.items()):
        capped, _ = _solve_days(
            inst, days, max(deadline, time.perf_counter() + 2.0), report, start, end, caps=shares
        )
        solved = capped
        week = _merge([solved[d].schedule for d in days])
    return week, sum(bounds.values()), solved, bounds


def _solve_days(
    inst: Instance,
    days: list[int],
    deadline: float,
    report: Progress,
    start: float,
    end: float,
    caps=None,
) -> tuple[dict[int, Solved], dict[int, int]]:
    types: dict[tuple, list[int]] = defaultdict(list)
    for d in days:
        own = tuple(sorted((c, n) for (c, dd), n in (caps or {}).items() if dd == d))
        types[(_day_type(inst, d), inst.demand[d], own)].append(d)
    solved: dict[int, Solved] = {}
    bounds: dict[int, int] = {}
    # the small days first: time they do not need goes to the larger ones
    ordered = sorted(types.values(), key=lambda g: (inst.week.open_hours(g[0]), g[0]))
    for k, group in enumerate(ordered):
        left = max(deadline - time.perf_counter(), 1.0)
        first = solve(inst, [group[0]], left / (len(ordered) - k), caps or None)
        for d in group:
            bounds[d] = int(first.bound)
            solved[d] = (
                first
                if d == group[0]
                else Solved(
                    _shift(first.schedule, d),
                    first.interviews,
                    first.bound,
                    first.optimal,
                    0.0,
                    first.status,
                )
            )
        report(start + (end - start) * (k + 1) / len(ordered), f"day {group}")
    return solved, bounds


def _share_caps(inst: Instance, days: list[int]) -> dict[tuple[str, int], int]:
    """Each weekly cap shared over the days by opening hours (largest remainders first), for the
    caseworkers whose time alone would let them exceed it."""
    week = inst.week
    hours = {d: week.open_hours(d) for d in days}
    total = sum(hours.values())
    most = {d: sum(n // week.interview_ticks for _, n in week.segments(d)) for d in days}
    shares = {}
    for c, cap in inst.caps.items():
        if sum(most.values()) <= cap or not total:
            continue
        exact = {d: cap * hours[d] / total for d in days}
        floor = {d: math.floor(v) for d, v in exact.items()}
        for d in sorted(days, key=lambda d: floor[d] - exact[d])[: cap - sum(floor.values())]:
            floor[d] += 1
        shares.update({(c, d): n for d, n in floor.items()})
    return shares


def _capacity(
    inst: Instance,
    held_days: dict[int, Solved],
    day_bounds: dict[int, int],
    deadline: float,
    report: Progress,
) -> tuple[Schedule, int]:
    """What each day could hold with unlimited demand. A day proven unable to meet its demand
    (its bound without cap shares is below it) is already at capacity; the others are solved
    again without the demand, in the time left (their bound says how far the headroom is
    proven)."""
    parts, bound = [], 0
    met = [
        d
        for d in held_days
        if inst.demand[d] is not None and day_bounds.get(d, 0) >= inst.demand[d]
    ]
    for d, s in held_days.items():
        if d not in met:
            parts.append(s.schedule)
            bound += day_bounds[d]
    if met:
        free = Instance(inst.plan, inst.week, inst.spaces, inst.caps, (None,) * len(WEEKDAYS))
        schedule, sub_bound, _, _ = _by_day(
            _only(free, met), max(deadline, time.perf_counter() + 2.0), report, 0.6, 0.95
        )
        parts.append(schedule)
        bound += sub_bound
    return _merge(parts), bound


def _relaxation(inst: Instance, days: list[int], deadline: float, fallback: int) -> int:
    """The sum of the days' linear relaxations (identical days once), if time allows."""
    types: dict[tuple, list[int]] = defaultdict(list)
    for d in days:
        types[(_day_type(inst, d), inst.demand[d])].append(d)
    total = 0
    for group in types.values():
        if time.perf_counter() > deadline:
            return fallback
        total += relaxation_bound(inst, [group[0]]) * len(group)
    return min(total, fallback)


def _only(inst: Instance, days: list[int]) -> Instance:
    """The instance with every day but ``days`` closed."""
    hours = tuple(h if d in days else DayHours(closed=True) for d, h in enumerate(inst.week.hours))
    return Instance(inst.plan, inst.week.replace(hours=hours), inst.spaces, inst.caps, inst.demand)


def _peaks(
    demand: int, week: Week, capacity: int, per_day: tuple[int, ...], variance_factor: float
) -> tuple[Peak, ...]:
    days = [d for d in range(len(WEEKDAYS)) if week.segments(d)]
    weakest = min((per_day[d] for d in days), default=0)
    out = []
    for factor in dict.fromkeys((1.0, variance_factor)):
        for q in PERCENTILES:
            out.append(Peak("week", q, factor, demand_percentile(demand, q, factor), capacity))
            out.append(
                Peak(
                    "day",
                    q,
                    factor,
                    demand_percentile(demand / max(len(days), 1), q, factor),
                    weakest,
                )
            )
    return tuple(out)


__all__ = [
    "Absence",
    "Bounds",
    "CapacityResult",
    "DayHours",
    "Peak",
    "Schedule",
    "Space",
    "Week",
    "capacity_bounds",
    "plan_capacity",
    "private_spaces",
    "spread_demand",
]
