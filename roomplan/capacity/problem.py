"""The capacity problem as the solvers see it: who interviews, where, on which time grid.

A :class:`Problem` is the plan (for staff and need-to-know), the week, the private spaces read
from the privacy answer, each caseworker's weekly cap and the demand per weekday. A
:class:`DayGrid` is one weekday on the week's grid of ticks, with who is in at each tick.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from roomplan.capacity.spaces import Space, in_use
from roomplan.capacity.week import STAFF_ROOM, WEEKDAYS, Week
from roomplan.plan.model import Plan

POOL = "pool:"
"""Prefix of a pooled space: interchangeable interview rooms held as one (:func:`pooled`)."""


def caps_of(plan: Plan, week: Week) -> dict[str, int]:
    """Weekly caps of the caseworkers who hold interviews (the week's cap overrides theirs)."""
    return {
        s.id: (week.max_interviews if week.max_interviews is not None else s.max_interviews)
        for s in plan.staff
        if s.holds_interviews
    }


@dataclass(frozen=True)
class DayGrid:
    """One weekday on the grid: each open tick's first minute and open period, and who is in.

    present: staff id -> in at each tick; period_start: index of the first tick of each
    tick's open period; period_end: one past its last."""

    day: int
    minutes: tuple[int, ...]
    period: tuple[int, ...]
    period_start: tuple[int, ...]
    period_end: tuple[int, ...]
    present: Mapping[str, tuple[bool, ...]]

    def __len__(self) -> int:
        return len(self.minutes)

    @classmethod
    def of(cls, week: Week, day: int, staff: Sequence[str]) -> DayGrid:
        ticks = week.ticks(day)
        starts: dict[int, int] = {}
        ends: dict[int, int] = {}
        for i, (_, k) in enumerate(ticks):
            starts.setdefault(k, i)
            ends[k] = i + 1
        return cls(
            day=day,
            minutes=tuple(m for m, _ in ticks),
            period=tuple(k for _, k in ticks),
            period_start=tuple(starts[k] for _, k in ticks),
            period_end=tuple(ends[k] for _, k in ticks),
            present={s: week.presence(s, day) for s in staff},
        )

    def in_all(self, staff: str, start: int, end: int) -> bool:
        """Whether ``staff`` is in at every tick of [start, end)."""
        return all(self.present[staff][start:end])

    def in_any(self, staff: str, start: int, end: int) -> bool:
        return any(self.present[staff][start:end])

    def slots(self, staff: str, length: int) -> int:
        """How many interviews of ``length`` ticks fit, one after another, in the times
        ``staff`` is in within each open period: no day holds more of theirs."""
        n = run = 0
        for t, here in enumerate(self.present[staff]):
            if t and self.period[t] != self.period[t - 1]:
                run = 0
            run = run + 1 if here else 0
            if run == length:
                n, run = n + 1, 0
        return n


@dataclass(frozen=True)
class Problem:
    """What the solvers need: the plan, the week, the private spaces, the interviewing
    caseworkers with their weekly caps, and the demand per weekday (None: no limit)."""

    plan: Plan
    week: Week
    spaces: tuple[Space, ...]
    caps: Mapping[str, int]
    demand: tuple[int | None, ...] = (None,) * len(WEEKDAYS)

    def __post_init__(self) -> None:
        # staff rooms in use this week keep the positions they hear idle (spaces.in_use)
        object.__setattr__(self, "spaces", in_use(tuple(self.spaces), self.week))

    @property
    def caseworkers(self) -> tuple[str, ...]:
        return tuple(self.caps)

    @property
    def open_days(self) -> list[int]:
        return [d for d in range(len(WEEKDAYS)) if self.week.segments(d)]

    @cached_property
    def grids(self) -> dict[int, DayGrid]:
        staff = [s.id for s in self.plan.staff]
        staff += sorted({o for p in self.spaces for o in p.blockers if o.startswith(STAFF_ROOM)})
        return {d: DayGrid.of(self.week, d, staff) for d in self.open_days}

    def with_demand(self, demand: tuple[int | None, ...]) -> Problem:
        return Problem(self.plan, self.week, self.spaces, self.caps, demand)


def pooled(spaces: Sequence[Space]) -> tuple[list[Space], dict[str, int]]:
    """Interview rooms with no conditions (nobody can hear them, they hear nobody) are
    interchangeable: each class (windowless or not) becomes one pooled space holding as many
    caseworkers as it has rooms. Stays are intervals, so a pool never holding more than k at a
    time can always be given k actual rooms afterwards (:func:`rooms_for_pools`). Returns the
    spaces for the model and each one's size."""
    free = [p for p in spaces if p.kind == "room" and not p.blockers and not p.conflicts]
    out = [p for p in spaces if p not in free]
    size = {p.id: 1 for p in out}
    for windowless in (False, True):
        members = [p for p in free if p.windowless == windowless]
        if len(members) == 1:
            out.append(members[0])
            size[members[0].id] = 1
        elif members:
            pid = f"{POOL}{'dark' if windowless else 'light'}:" + ",".join(p.id for p in members)
            out.append(Space(pid, pid, "room", None, (), (), windowless))
            size[pid] = len(members)
    return out, size


def pool_members(pool_id: str) -> list[str]:
    """The interview positions a pooled space stands for."""
    return pool_id.split(":", 2)[2].split(",")


def day_key(problem: Problem, day: int) -> Hashable:
    """Everything a day's capacity program depends on besides the plan: the week's rules, the
    day's open ticks, who is in when, and caps that could bind within one day:
    days with the same key have the same program."""
    week, grid = problem.week, problem.grids[day]
    most = len(grid) // max(week.interview_ticks, 1)
    caps = tuple(sorted((c, n) for c, n in problem.caps.items() if n < most))
    rules = (
        week.tick,
        week.interview_minutes,
        week.move_minutes,
        week.windowless_hours,
        week.move_in_breaks,
        week.rooms_listen,
    )
    presence = tuple(sorted(grid.present.items()))
    return (rules, grid.minutes, grid.period, presence, caps)
