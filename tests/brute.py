"""The most interviews of any schedule by enumeration, on plans small enough to try them all.

Shares no code with the constraint program: it lists every set of interview starts each
caseworker could hold, every way their room interviews could make stays (each stay starts
with the move, consecutive interviews in a room may share one), and asks the independent
checker (:mod:`tests.checker`) which schedules keep every rule.
"""

from __future__ import annotations

import itertools
import random

from shapely import box

from roomplan.capacity.schedule import Interview, Schedule, Stay
from roomplan.capacity.week import Absence, DayHours, Week
from roomplan.plan import Defaults, Desk, Door, Plan, Rating, Room, Staff
from roomplan.privacy import assess_privacy
from tests.checker import check


def small_plan(rng: random.Random) -> Plan:
    """A two-desk office and two interview rooms on a corridor, with random walls, doors,
    windows, need-to-know and caps: desks private only while the colleague is away, rooms
    that may hear each other."""
    talks = tuple(
        Room(f"R{k}", f"Samtalerum {k}", "interview", box(x, 0, x + 3, 4),
             windows=rng.random() < 0.5, noise_dba=30)
        for k, x in ((1, 6), (2, 9))
    )  # fmt: skip
    rooms = (
        Room("K", "Kontor", "office", box(0, 0, 6, 4), windows=True),
        *talks,
        Room("G", "Gang", "corridor", box(0, 4, 12, 6)),
    )
    doors = tuple(
        Door(f"D{r}", (r, "G"), ((x, 4.0), (x + 0.9, 4.0)), 2.1, Rating(rng.choice([25.0, 45.0])))
        for r, x in (("K", 1.0), ("R1", 7.0), ("R2", 10.0))
    )
    desks = (Desk("K-A", "K", (1.5, 1.5), (1.5, 2.5)), Desk("K-B", "K", (4.5, 1.5), (4.5, 2.5)))
    groups = ("team",) if rng.random() < 0.3 else ()
    staff = (
        Staff("S1", desk="K-A", max_interviews=rng.randint(1, 3), need_to_know=groups),
        Staff("S2", desk="K-B", max_interviews=rng.randint(1, 3), need_to_know=groups),
    )
    plan = Plan(
        name="small",
        rooms=rooms,
        doors=doors,
        desks=desks,
        staff=staff,
        defaults=Defaults(partitions={"default": Rating(rng.choice([30.0, 60.0]))}),
    )
    for a, b in (("K", "R1"), ("R1", "R2")):
        plan = plan.with_partition_rating(a, b, Rating(rng.choice([30.0, 60.0])))
    return plan


def small_week(rng: random.Random) -> Week:
    """One open day of one or two short periods (a lunch between), the other rules random."""
    if rng.random() < 0.35:
        hours = DayHours("09:00", "10:20", lunch=("09:30", "09:40"))
    else:
        hours = DayHours("09:00", rng.choice(["10:00", "10:10", "10:20"]), lunch=None)
    absences = ()
    if rng.random() < 0.3:
        absences = (Absence(rng.choice(["S1", "S2"]), 0, "09:00", "09:20"),)
    return Week(
        hours=(hours,) + (DayHours(closed=True),) * 4,
        move_minutes=rng.choice([0, 10]),
        windowless_hours=rng.choice([0.5, 1.0, 3.0]),
        absences=absences,
        move_in_breaks=rng.random() < 0.5,
        rooms_listen=rng.random() < 0.7,
    )


def two_day_week(rng: random.Random) -> Week:
    """Two short open days (the weekly caps shared between them), the other rules random."""
    day = DayHours("09:00", rng.choice(["09:50", "10:00"]), lunch=None)
    return Week(
        hours=(day, day) + (DayHours(closed=True),) * 3,
        move_minutes=rng.choice([0, 10]),
        windowless_hours=rng.choice([0.5, 3.0]),
        rooms_listen=rng.random() < 0.7,
    )


def candidate_stays(interviews: list[Interview], week: Week, rooms: set[str]) -> list[list[Stay]]:
    """Every way the caseworkers could be in rooms for ``interviews``: a stay starts with the
    move (before the period where that is allowed, else inside it), consecutive interviews in
    a room within one period may share a stay (waiting between them) or not."""
    periods = [(start, start + n * week.tick) for start, n in week.segments(0)]

    def period(minute: int) -> int:
        return next(k for k, (a, b) in enumerate(periods) if a <= minute < b)

    per: dict[tuple[str, str, int], list[Interview]] = {}
    for i in interviews:
        if i.room in rooms:
            per.setdefault((i.caseworker, i.room, i.day), []).append(i)
    options = []
    for (c, room, _day), items in per.items():
        items.sort(key=lambda i: i.start)
        gaps = len(items) - 1
        choices = []
        for joins in itertools.product([False, True], repeat=gaps):
            if any(
                j and period(items[k].start) != period(items[k + 1].start)
                for k, j in enumerate(joins)
            ):
                continue
            stays, start = [], None
            for k, i in enumerate(items):
                if start is None:
                    k_period = period(i.start)
                    before = i.start == periods[k_period][0] and (
                        k_period == 0 or week.move_in_breaks
                    )
                    start = i.start if before else i.start - week.move_minutes
                if k == gaps or not joins[k]:
                    stays.append(Stay(c, i.day, room, i.space, start, i.end))
                    start = None
            choices.append(stays)
        options.append(choices)
    return [[s for part in combo for s in part] for combo in itertools.product(*options)] or [[]]


def brute_force(plan: Plan, week: Week) -> int:
    """The most interviews of any schedule the checker accepts, by enumeration."""
    privacy = assess_privacy(plan)
    spaces = [a for a in privacy.positions if a.status != "never"]
    caps = {s.id: s.max_interviews for s in plan.staff}
    rooms = {a.room for a in spaces if a.desk is None}
    starts = [
        (d, start + k * week.tick)
        for d in range(5)
        for start, n in week.segments(d)
        for k in range(n - week.interview_ticks + 1)
    ]
    per_person = {}
    for c in caps:
        options = [
            Interview(c, d, s, s + week.interview_minutes, a.position, a.room)
            for a in spaces
            if a.desk is None or a.caseworker == c
            for d, s in starts
        ]
        chosen: list[tuple] = [()]
        for k in range(1, caps[c] + 1):
            for combo in itertools.combinations(options, k):
                ordered = sorted(combo, key=lambda i: (i.day, i.start))
                if all(
                    b.day != a.day or b.start >= a.end
                    for a, b in zip(ordered, ordered[1:], strict=False)
                ):
                    chosen.append(combo)
        per_person[c] = chosen
    best = 0
    for combo in itertools.product(*per_person.values()):
        interviews = sorted(
            (i for part in combo for i in part), key=lambda i: (i.start, i.caseworker)
        )
        if len(interviews) <= best:
            continue
        for stays in candidate_stays(interviews, week, rooms):
            schedule = Schedule(
                tuple(interviews), tuple(sorted(stays, key=lambda s: (s.day, s.start)))
            )
            if not check(plan, privacy, week, schedule, caps, (None,) * 5):
                best = len(interviews)
                break
    return best
