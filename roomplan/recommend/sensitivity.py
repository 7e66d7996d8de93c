"""How sure the verdict is: what the plan holds at the low and high end of each assumed value.

A plan's wall and door ratings and background noise are mostly assumed (the memo gives none).
The values that share an assumption (every wall of one construction, every door of one kind,
the background noise of one kind of room) are moved together to the low and the high end of
their plausible range, and the plan's capacity asked at each end. The groups whose range moves
the verdict most are the field measurements to make first: a level difference to ISO 16283-1
([ISO-16283-1] in docs/references.md) for a wall or door, the background L_Aeq for a room.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from roomplan.capacity import CapacityOptions, Week
from roomplan.plan.model import Plan, Rating
from roomplan.recommend.evaluate import Figure, Job, Runner, map_distinct

SPREAD_DB = {"wall": 5.0, "door": 5.0, "noise": 5.0, "all": 5.0}
"""Half the plausible range of an assumed value [dB, dB(A)]: field results of one construction
scatter by a few dB with workmanship, gaps and flanking, and background noise by the
ventilation and the street; *assumed* until measured (docs/references.md, [TYPICAL])."""


@dataclass(frozen=True)
class Assumed:
    """Values that share one assumption. kind: "wall", "door" or "noise"; what: the
    construction or room kind; value [dB or dB(A)]; elements: partitions ("a|b"), door ids or
    room ids. Kind "all": every group (``parts``) moved at once, ``value`` 0 [dB]."""

    kind: str
    what: str
    value: float
    elements: tuple[str, ...]
    parts: tuple[Assumed, ...] = ()

    @property
    def low(self) -> float:
        return self.value - SPREAD_DB[self.kind]

    @property
    def high(self) -> float:
        return self.value + SPREAD_DB[self.kind]

    def end(self, plan: Plan, high: bool) -> Plan:
        """``plan`` with the group at the high (True) or low end of its range."""
        if self.kind == "all":
            for part in self.parts:
                plan = part.end(plan, high)
            return plan
        return self.at(plan, self.high if high else self.low)

    def at(self, plan: Plan, value: float) -> Plan:
        """``plan`` with every element of the group at ``value``."""
        if self.kind == "wall":
            for pid in self.elements:
                a, _, b = pid.partition("|")
                rating = plan.partition(a, b).rating
                plan = plan.with_partition_rating(a, b, _moved(rating, value))
            return plan
        if self.kind == "door":
            for did in self.elements:
                door = plan.door(did)
                plan = plan.with_door(door.replace(rating=_moved(door.rating, value)))
            return plan
        rooms = tuple(
            r.replace(noise_dba=value) if r.id in self.elements else r for r in plan.rooms
        )
        return plan.replace(rooms=rooms)


def _moved(rating: Rating, value: float) -> Rating:
    return rating.replace(rw=min(max(value, 10.0), 75.0))


def assumed_values(plan: Plan) -> tuple[Assumed, ...]:
    """The groups of assumed values in ``plan``: walls by rating and construction, doors by
    rating and construction (a measured rating is not assumed and moves with none), background
    noise by room kind and level."""
    walls: dict[tuple[float, str], list[str]] = {}
    for p in plan.partitions:
        if not p.rating.measured:
            walls.setdefault((p.rating.rw, p.rating.construction), []).append(p.id)
    doors: dict[tuple[float, str], list[str]] = {}
    for d in plan.doors:
        if not d.rating.measured:
            doors.setdefault((d.rating.rw, d.rating.construction), []).append(d.id)
    noise: dict[tuple[float, str], list[str]] = {}
    for r in plan.rooms:
        if r.noise_measured:
            continue
        level = r.noise_dba if r.noise_dba is not None else plan.defaults.noise_dba.get(r.kind)
        if level is not None:
            noise.setdefault((level, r.kind), []).append(r.id)
    out = [Assumed("wall", what, rw, tuple(ids)) for (rw, what), ids in sorted(walls.items())]
    out += [Assumed("door", what, rw, tuple(ids)) for (rw, what), ids in sorted(doors.items())]
    out += [Assumed("noise", kind, v, tuple(ids)) for (v, kind), ids in sorted(noise.items())]
    return tuple(out)


def measured_elements(plan: Plan) -> tuple[str, ...]:
    """What was measured in the field, not assumed: partitions ("a|b") and doors whose rating
    is measured, rooms whose background noise is."""
    out = [p.id for p in plan.partitions if p.rating.measured]
    out += [d.id for d in plan.doors if d.rating.measured]
    out += [r.id for r in plan.rooms if r.noise_measured]
    return tuple(out)


@dataclass(frozen=True)
class Swing:
    """What the plan holds towards the demand with one group at its low and its high end."""

    assumed: Assumed
    low: Figure
    high: Figure

    @property
    def size(self) -> int:
        """Interviews between the two ends (at least the schedules' difference)."""
        return abs(self.high.held - self.low.held)

    @property
    def decides(self) -> bool:
        """Whether the verdict (the demand held or not) differs between the ends."""
        return self.low.reaches != self.high.reaches


def sensitivity(
    plan: Plan,
    week: Week | None = None,
    options: CapacityOptions | None = None,
    runner: Runner | None = None,
) -> tuple[Figure, tuple[Swing, ...]]:
    """The plan's figure as assumed and each group's swing, largest first (the measurements
    to make first lead), then every group moved at once (kind "all")."""
    week = week or Week()
    options = (options or CapacityOptions()).replace(threads=1)
    groups = assumed_values(plan)
    if len(groups) > 1:
        groups += (Assumed("all", "", 0.0, (), groups),)
    jobs = [Job(plan, week, options, (options.demand,))]
    for g in groups:
        jobs += [Job(g.end(plan, high), week, options, (options.demand,)) for high in (False, True)]
    own = runner or Runner(1)
    try:
        answers = map_distinct(own, jobs)
    finally:
        if runner is None:
            own.close()
    swings = [Swing(g, answers[1 + 2 * k][0], answers[2 + 2 * k][0]) for k, g in enumerate(groups)]
    # every value at once closes the table: the most the assumptions together can move
    swings.sort(
        key=lambda s: (s.assumed.kind == "all", -s.decides, -s.size, s.assumed.kind, s.assumed.what)
    )
    return answers[0][0], tuple(swings)


def first_to_measure(swings: Sequence[Swing], most: int = 3) -> list[Swing]:
    """The groups whose range moves the answer, largest first (at most ``most``)."""
    return [s for s in swings if s.size > 0 and s.assumed.kind != "all"][:most]
