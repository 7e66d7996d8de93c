"""The capacity answer as a value: verdict, bounds, schedule, margins, peaks, utilisation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from roomplan.capacity.bounds import Bottleneck
from roomplan.capacity.schedule import Schedule
from roomplan.capacity.spaces import Space
from roomplan.capacity.week import WEEKDAYS, Week, hhmm
from roomplan.plan.model import Plan


@dataclass(frozen=True)
class Peak:
    """A percentile of demand (a week's or a day's) and whether it can be held privately:
    ``held`` of it (a schedule shows it) and at most ``held_bound`` (proven). For a week,
    from the days with the week's spread (:func:`roomplan.capacity.capacity_estimate`): a
    capacity above the demand is not enough, as each day is asked its share. For a day,
    ``capacity`` and ``held`` are the weakest weekday's, ``held_bound`` the least any
    weekday is proven to hold."""

    period: str  # "week" or "day"
    quantile: float
    variance_factor: float
    demand: int
    capacity: int
    held: int | None = None
    held_bound: int | None = None

    @property
    def holds(self) -> bool:
        """Proven to fit."""
        if self.held is None:
            return self.capacity >= self.demand
        return self.held >= self.demand

    @property
    def settled(self) -> bool:
        """Proven either way (a week between its figures is open)."""
        return self.held is None or self.holds or (self.held_bound or 0) < self.demand


@dataclass(frozen=True)
class Heatmap:
    """Shares of the private spaces (0-1) per weekday (rows) and tick (columns labelled
    "HH:MM"): ``in_use`` holding an interview, ``taken`` in use or blocked (not free)."""

    labels: tuple[str, ...]
    in_use: tuple[tuple[float, ...], ...]
    taken: tuple[tuple[float, ...], ...]


@dataclass(frozen=True)
class CapacityResult:
    """Whether the week's interviews fit into private spaces.

    held: interviews held privately at the demand, by ``schedule``; held_bound: proven most;
    capacity: interviews the week could hold with unlimited demand (per weekday in
    ``capacity_per_day``), capacity_bound its proven most; held_status, capacity_status: why
    the search for each stopped ("optimal": proven; "budget": the deterministic work budget
    ran out first; "safety_net": the wall-clock safety net did, see
    :mod:`roomplan.capacity.solve`); lower/upper: the max-flow bounds on ``held`` and their
    minimum cuts (upper: as if every office were always private; lower: offices only while
    colleagues are rostered away); work: deterministic work done; seconds: time per stage.
    :meth:`full_times` says when the schedule leaves no private space free."""

    plan_name: str
    week: Week
    demand: int
    demand_per_day: tuple[int | None, ...]
    spread: Any
    caps: dict[str, int]
    spaces: tuple[Space, ...]
    lower: int
    upper: int
    lower_schedule: Schedule
    upper_cut: Bottleneck
    lower_cut: Bottleneck
    held: int
    held_bound: int
    schedule: Schedule
    capacity: int
    capacity_bound: int
    capacity_per_day: tuple[int, ...]
    peaks: tuple[Peak, ...]
    held_status: str = "optimal"
    capacity_status: str = "optimal"
    work: float = 0.0
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def can_hold(self) -> bool:
        return self.held >= self.demand

    @property
    def shortfall(self) -> int:
        """Interviews of the demand that cannot be held privately."""
        return max(self.demand - self.held, 0)

    @property
    def headroom(self) -> int:
        """Interviews more than the demand that would still fit."""
        return max(self.capacity - self.demand, 0)

    @property
    def held_proven(self) -> bool:
        """No schedule holds more of the demand: ``held`` is the optimum."""
        return self.held >= self.held_bound

    @property
    def capacity_proven(self) -> bool:
        return self.capacity >= self.capacity_bound

    @property
    def optimal(self) -> bool:
        """Both numbers proven: nothing better exists."""
        return self.held_proven and self.capacity_proven

    @property
    def reason(self) -> str | None:
        """Why a figure is not proven: "budget", "safety_net" or "not_searched"
        (:data:`roomplan.capacity.solve.STATUSES`; None when both are)."""
        for proven, status in (
            (self.held_proven, self.held_status),
            (self.capacity_proven, self.capacity_status),
        ):
            if not proven:
                return status if status != "optimal" else "budget"
        return None

    @property
    def gap(self) -> float:
        """The proven relative gap on ``held`` (0 when optimal)."""
        return (self.held_bound - self.held) / self.held_bound if self.held_bound else 0.0

    @property
    def open_days(self) -> list[int]:
        return [d for d in range(len(WEEKDAYS)) if self.week.segments(d)]

    def memo_arithmetic(self) -> dict[str, float]:
        """The memo's reckoning beside the exact answer: demand per day and per room per day
        with the memo's five rooms, and what the exact schedule holds per day and per space."""
        days = len(self.open_days) or 1
        used = {i.space for i in self.schedule.interviews}
        return {
            "demand_per_day": self.demand / days,
            "demand_per_room_per_day": self.demand / days / 5,
            "held_per_day": self.held / days,
            "held_per_space_per_day": self.held / days / len(used) if used else 0.0,
            "spaces_used": float(len(used)),
        }

    def utilisation(self) -> dict[str, dict[str, float]]:
        """Share of open time in interviews, per space and per caseworker (0-1)."""
        week = self.week
        open_minutes = sum(n * week.tick for d in range(len(WEEKDAYS)) for _, n in week.segments(d))
        spaces: dict[str, float] = {p.id: 0.0 for p in self.spaces}
        people: dict[str, float] = {c: 0.0 for c in self.caps}
        for i in self.schedule.interviews:
            spaces[i.space] = spaces.get(i.space, 0.0) + (i.end - i.start)
            people[i.caseworker] = people.get(i.caseworker, 0.0) + (i.end - i.start)
        available = {
            c: sum(
                week.tick
                for d in range(len(WEEKDAYS))
                for s, n in week.segments(d)
                for k in range(n)
                if week.available(c, d, s + k * week.tick)
            )
            for c in self.caps
        }
        return {
            "spaces": {k: v / open_minutes if open_minutes else 0.0 for k, v in spaces.items()},
            "caseworkers": {
                c: v / available[c] if available[c] else 0.0 for c, v in people.items()
            },
        }

    def full_times(self, plan) -> tuple[list[tuple[int, int, int]], list[str]]:
        """When every private space is in use or blocked in the schedule, as (day, start, end)
        minute ranges, and the caseworkers who then still have time and cap left: the bottleneck
        of the exact answer. A space is blocked while a conflicting space holds an interview, a
        colleague in earshot sits at their desk, or (a desk) its caseworker is elsewhere."""
        week = self.week
        in_use, in_room = self._occupancy()
        busy_people = {(c, d, m) for (_, d, m), c in in_use.items()}
        counts = self.schedule.per_caseworker()
        full, waiting = [], set()
        for d in range(len(WEEKDAYS)):
            for start, n in week.segments(d):
                for k in range(n):
                    m = start + k * week.tick
                    if any(self._free(plan, p, d, m, in_use, in_room) for p in self.spaces):
                        continue
                    full.append((d, m, m + week.tick))
                    waiting |= {
                        c
                        for c in self.caps
                        if counts.get(c, 0) < self.caps[c]
                        and week.available(c, d, m)
                        and (c, d, m) not in busy_people
                    }
        merged: list[list[int]] = []
        for d, a, b in full:
            if merged and merged[-1][0] == d and merged[-1][2] == a:
                merged[-1][2] = b
            else:
                merged.append([d, a, b])
        return [(d, a, b) for d, a, b in merged], sorted(waiting)

    def _occupancy(self) -> tuple[dict[tuple[str, int, int], str], set[tuple[str, int, int]]]:
        """Who interviews in which space at each tick, (space, day, minute) -> caseworker, and
        the (caseworker, day, minute) ticks spent in an interview room, from the schedule."""
        tick = self.week.tick
        in_use = {
            (i.space, i.day, m): i.caseworker
            for i in self.schedule.interviews
            for m in range(i.start, i.end, tick)
        }
        in_room = {
            (s.caseworker, s.day, m)
            for s in self.schedule.stays
            for m in range(s.start, s.end, tick)
        }
        return in_use, in_room

    def _free(self, plan, p: Space, d: int, m: int, in_use, in_room) -> bool:
        week = self.week
        if (p.id, d, m) in in_use or any((q, d, m) in in_use for q in p.conflicts):
            return False
        if week.rooms_listen and any(
            (s.space in p.conflicts) and s.day == d and s.start <= m < s.end
            for s in self.schedule.stays
        ):
            return False
        owner = p.owner
        if owner is not None and (not week.available(owner, d, m) or (owner, d, m) in in_room):
            return False
        at_desk = [o for o in p.blockers if week.available(o, d, m) and (o, d, m) not in in_room]
        if owner is not None:
            return not any(p.blocks(plan, o, owner) for o in at_desk)
        return not at_desk

    def heatmap(self, plan: Plan) -> Heatmap:
        """Per weekday and tick of the day, the share of the private spaces in use and the
        share taken (in use or blocked, as :meth:`full_times` counts: 1 when none is free),
        from the schedule."""
        week = self.week
        starts = sorted(
            {
                s + k * week.tick
                for d in range(len(WEEKDAYS))
                for s, n in week.segments(d)
                for k in range(n)
            }
        )
        in_use, in_room = self._occupancy()
        n = max(len(self.spaces), 1)
        used = [[0.0] * len(starts) for _ in WEEKDAYS]
        taken = [[0.0] * len(starts) for _ in WEEKDAYS]
        col = {m: k for k, m in enumerate(starts)}
        for d in range(len(WEEKDAYS)):
            for m, _ in week.ticks(d):
                k = col[m]
                used[d][k] = sum((p.id, d, m) in in_use for p in self.spaces) / n
                free = sum(self._free(plan, p, d, m, in_use, in_room) for p in self.spaces)
                taken[d][k] = (len(self.spaces) - free) / n
        return Heatmap(
            tuple(hhmm(m) for m in starts),
            tuple(tuple(row) for row in used),
            tuple(tuple(row) for row in taken),
        )
