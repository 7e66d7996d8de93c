"""The catalogue's measures made concrete on one plan: which door, which wall, which office.

A :class:`Candidate` is a measure on a target (door D1.11, the walls of room 1.11, office 1.01,
the whole site) with the edits it makes and the elements it pays for. Costs add up per element,
so two candidates that both upgrade the wall between 1.11 and 1.12 pay for it once
(:func:`cost_of`). Candidates that share a slot are alternatives (one new door per door).

Which targets a measure applies to follows what the measure is for: better doors on offices
and interview rooms, better walls round them, masking in waiting rooms and corridors, a split
for each shared office, a large (windowed) interview room given to a caseworker from a shared
office, a booth in a large room that is no one's workplace, a colleague who holds no interviews
moved out of a shared office, a need-to-know group of the caseworkers sharing an office
(docs/references.md, [FVL]), and the site-wide
changes of the week and the booking.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from roomplan.capacity import CapacityOptions, Week
from roomplan.capacity.week import DayHours, parse_hours
from roomplan.i18n import t
from roomplan.plan.edit import EditError
from roomplan.plan.model import Plan
from roomplan.recommend.catalogue import DISRUPTIONS, ZERO, Catalogue, Cost, Measure
from roomplan.scenarios import Edit

CONFIDENTIAL = ("office", "interview")
BOOTH_HOST_KINDS = ("waiting", "staff", "other")
BOOTH_HOST_AREA = 18.0
"""Least floor area of a room that takes a booth [m²]: the booth and room to pass by."""

WORKPLACE_AREA = 10.0
"""Least floor area of a windowed room a colleague may be moved to as a workplace [m²]."""

APPLY_ORDER = (
    "door",
    "wall",
    "masking",
    "need_to_know",
    "to_office",
    "to_interview",
    "booth",
    "split_office",
    "hours",
    "move_time",
    "windowless",
    "booking",
)
"""Element upgrades before the rooms they belong to are split (a split office keeps the
ratings of its old walls and doors); a caseworker moves before the office is split."""

MONOTONE_OPS = frozenset(
    {"door", "wall", "masking", "need_to_know", "split_office", "booth", "move_time"}
    | {"windowless", "hours"}
)
"""Measures that only add sound insulation, a space, a need-to-know or time: adding one never
lowers what a plan can hold. Moving people (``to_office``) and the booking rule can."""


@dataclass(frozen=True)
class Candidate:
    """A measure on one target. elements: (element, cost) it pays for, an element once in any
    selection; slots: alternatives exclude each other (a door gets one new door)."""

    measure: Measure
    target: str
    edits: tuple[Edit, ...]
    elements: tuple[tuple[str, Cost], ...]
    slots: tuple[str, ...]

    @property
    def id(self) -> str:
        return f"{self.measure.id}@{self.target}"

    @property
    def cost(self) -> Cost:
        return cost_of([self])

    @property
    def monotone(self) -> bool:
        return self.measure.op in MONOTONE_OPS

    def describe(self, lang: str | None = None) -> str:
        """The measure's name and where it applies, in words (a site-wide measure's name
        says it all)."""
        return _named(self.measure.label(lang), self.where(lang))

    def short(self, lang: str | None = None) -> str:
        """:meth:`describe` with the name cut before its details (a table's cell)."""
        return _named(self.measure.short_label(lang), self.where(lang))

    def where(self, lang: str | None = None) -> str:
        """The target in words: a room, door or wall by its id, a room given to a
        caseworker, a colleague moved, or "" for the whole site."""
        if "<-" in self.target:
            room, who = self.target.split("<-", 1)
            return t("recommend.where.room_for", lang, room=room, staff=who)
        if "->" in self.target:
            who, place = self.target.split("->", 1)
            return t("recommend.where.moved", lang, staff=who, place=place)
        return "" if self.target == "all" else self.target


def _named(name: str, where: str) -> str:
    return f"{name}: {where}" if where else name


def cost_of(chosen: Iterable[Candidate]) -> Cost:
    """The cost of a selection: each element paid once (DKK)."""
    paid: dict[str, Cost] = {}
    for c in chosen:
        for element, cost in c.elements:
            paid.setdefault(element, cost)
    total = ZERO
    for cost in paid.values():
        total = total + cost
    return total


def disruption_of(chosen: Iterable[Candidate]) -> str:
    """The most disruptive measure of a selection ("none" for none)."""
    levels = [DISRUPTIONS.index(c.measure.disruption) for c in chosen]
    return DISRUPTIONS[max(levels, default=0)]


class Selection:
    """What a selection of measures (``self.chosen``) costs, disturbs and takes."""

    chosen: tuple[Candidate, ...]

    @property
    def cost(self) -> Cost:
        return cost_of(self.chosen)

    @property
    def disruption(self) -> str:
        return disruption_of(self.chosen)

    @property
    def lead_weeks(self) -> float:
        """Weeks until every measure is in use: the longest lead time."""
        return max((c.measure.lead_weeks for c in self.chosen), default=0.0)


def compatible(chosen: Sequence[Candidate], other: Candidate) -> bool:
    """Whether ``other`` may join ``chosen``: no shared slot."""
    taken = {s for c in chosen for s in c.slots}
    return not taken.intersection(other.slots) and other not in chosen


def applied(
    plan: Plan, week: Week, options: CapacityOptions, chosen: Sequence[Candidate]
) -> tuple[Plan, Week, CapacityOptions]:
    """The plan, week and capacity question with ``chosen`` made, in :data:`APPLY_ORDER`."""
    edits = [e for c in chosen for e in c.edits]
    edits.sort(key=lambda e: APPLY_ORDER.index(e.op))
    for e in dict.fromkeys(edits):
        plan = e.apply(plan)
        week = e.week(week)
        options = e.options(options)
    return plan, week, options


def candidates(
    plan: Plan, week: Week, options: CapacityOptions, catalogue: Catalogue
) -> tuple[Candidate, ...]:
    """Every measure of ``catalogue`` on every target of ``plan`` it applies to and would
    change, in a fixed order."""
    out: list[Candidate] = []
    for m in catalogue.measures:
        out += _for(plan, week, options, m)
    return tuple(out)


def _for(plan: Plan, week: Week, options: CapacityOptions, m: Measure) -> list[Candidate]:
    rule = {
        "door": _doors,
        "wall": _walls,
        "masking": _masking,
        "split_office": _splits,
        "booth": _booths,
        "need_to_know": _groups,
        "to_interview": _to_interview,
    }.get(m.op)
    if rule is not None:
        return rule(plan, m)
    if m.op == "to_office":
        return _relocations(plan, m) if m.slot == "relocate" else _large_rooms(plan, m)
    return _site(plan, week, options, m)


def _one(m: Measure, target: str, edits: Sequence[Edit], quantity: float, slot: str) -> Candidate:
    element = f"{m.id}:{target}" if m.unit == "site" else f"{m.slot}:{target}"
    return Candidate(m, target, tuple(edits), ((element, m.cost * quantity),), (slot,))


def _doors(plan: Plan, m: Measure) -> list[Candidate]:
    out = []
    for door in plan.doors:
        rooms = [plan.room(r) for r in door.rooms if r is not None]
        if any(r.kind in CONFIDENTIAL for r in rooms) and door.rating.rw < float(m.value):
            edit = Edit("door", door.id, float(m.value))
            out.append(_one(m, door.id, [edit], 1, f"door:{door.id}"))
    return out


def _walls(plan: Plan, m: Measure) -> list[Candidate]:
    """One candidate per confidential room: all its walls below the rating, each wall an
    element paid once (the wall between two rooms serves both)."""
    out = []
    for room in plan.rooms:
        if room.kind not in CONFIDENTIAL:
            continue
        parts = [p for p in plan.partitions if room.id in p.rooms and p.rating.rw < float(m.value)]
        if not parts:
            continue
        edits = tuple(Edit("wall", "|".join(p.rooms), float(m.value)) for p in parts)
        elements = tuple(
            (f"wall:{'|'.join(p.rooms)}", m.cost * round(p.length * p.height, 1)) for p in parts
        )
        out.append(Candidate(m, room.id, edits, elements, (f"wall:{room.id}",)))
    return out


def _masking(plan: Plan, m: Measure) -> list[Candidate]:
    return [
        _one(m, r.id, [Edit("masking", r.id, float(m.value))], 1, f"masking:{r.id}")
        for r in plan.rooms
        if r.kind in ("waiting", "corridor") and (r.masking_dba or 0) < float(m.value)
    ]


def _shared_offices(plan: Plan) -> list[str]:
    return [r.id for r in plan.rooms if r.kind == "office" and len(plan.desks_in(r.id)) >= 2]


def _splits(plan: Plan, m: Measure) -> list[Candidate]:
    value = None if m.value is None else float(m.value)
    return [
        _one(m, rid, [Edit("split_office", rid, value)], 1, f"split:{rid}")
        for rid in _shared_offices(plan)
    ]


def _seated(plan: Plan, room_id: str) -> list[str]:
    return [plan.occupants[d.id].id for d in plan.desks_in(room_id) if d.id in plan.occupants]


def _groups(plan: Plan, m: Measure) -> list[Candidate]:
    """A rotation group of the caseworkers who share an office: only colleagues who hold
    interviews can take over each other's cases ([FVL]); a colleague who holds none is
    never made a member to open a desk."""
    out = []
    for rid in _shared_offices(plan):
        seated = [s for s in _seated(plan, rid) if plan.member(s).holds_interviews]
        if len(seated) >= 2:
            edit = Edit("need_to_know", ",".join(seated), f"team-{rid}")
            out.append(_one(m, rid, [edit], 1, f"need-to-know:{rid}"))
    return out


def _fits(plan: Plan, edit: Edit) -> bool:
    try:
        edit.apply(plan)
    except EditError:
        return False
    return True


def _booths(plan: Plan, m: Measure) -> list[Candidate]:
    out = []
    for r in plan.rooms:
        if r.kind in BOOTH_HOST_KINDS and r.polygon.area >= BOOTH_HOST_AREA:
            edit = Edit("booth", r.id, None if m.value is None else float(m.value))
            if _fits(plan, edit):
                out.append(_one(m, r.id, [edit], 1, f"booth:{r.id}"))
    return out


def _large_rooms(plan: Plan, m: Measure) -> list[Candidate]:
    """Each windowed interview room given to a caseworker from the most crowded shared office
    (its last interviewing caseworker; the next room to the next office's)."""
    offices = sorted(_shared_offices(plan), key=lambda rid: (-len(plan.desks_in(rid)), rid))
    movers = [
        next(s for s in reversed(_seated(plan, rid)) if plan.member(s).holds_interviews)
        for rid in offices
        if any(plan.member(s).holds_interviews for s in _seated(plan, rid))
    ]
    out = []
    for room in plan.rooms:
        if room.kind != "interview" or not room.windows:
            continue
        for who in movers:
            edit = Edit("to_office", room.id, who)
            if _fits(plan, edit):
                movers.remove(who)
                slots = (f"room-use:{room.id}", f"staff:{who}")
                out.append(Candidate(m, f"{room.id}<-{who}", (edit,), _paid(m, room.id), slots))
                break
    return out


def _paid(m: Measure, target: str) -> tuple[tuple[str, Cost], ...]:
    return ((f"{m.id}:{target}", m.cost),)


def _relocations(plan: Plan, m: Measure) -> list[Candidate]:
    """Each colleague who holds no interviews and shares an office, moved to the first
    windowed room that is no one's workplace and has room for a desk."""
    places = [
        r.id
        for r in plan.rooms
        if r.kind == "other" and r.windows and r.polygon.area >= WORKPLACE_AREA
    ]
    out = []
    for rid in _shared_offices(plan):
        for sid in _seated(plan, rid):
            if plan.member(sid).holds_interviews:
                continue
            for place in places:
                edit = Edit("to_office", place, sid)
                if _fits(plan, edit):
                    target = f"{sid}->{place}"
                    out.append(Candidate(m, target, (edit,), _paid(m, sid), (f"staff:{sid}",)))
                    break
    return out


def _to_interview(plan: Plan, m: Measure) -> list[Candidate]:
    return [
        _one(m, r.id, [Edit("to_interview", r.id)], 1, f"room-use:{r.id}")
        for r in plan.rooms
        if r.kind == "office"
        and not _seated(plan, r.id)
        and _fits(plan, Edit("to_interview", r.id))
    ]


def _site(plan: Plan, week: Week, options: CapacityOptions, m: Measure) -> list[Candidate]:
    """A site-wide change of the week or the booking, if it changes anything."""
    if m.op == "hours":
        return _longer_hours(week, m)
    edit = Edit(m.op, "all", m.value)
    try:
        new_week, new_options = edit.week(week), edit.options(options)
    except EditError:
        return []
    if new_week == week and new_options == options:
        return []
    return [_one(m, "all", [edit], 1, m.slot or m.id)]


def _longer_hours(week: Week, m: Measure) -> list[Candidate]:
    """The hours on each open day that is shorter than them (never shorter hours)."""
    try:
        opened = _length(parse_hours(str(m.value)))
    except ValueError:
        return []
    days = [d for d, h in enumerate(week.hours) if not h.closed and _length(h) < opened]
    if not days:
        return []
    edits = [Edit("hours", str(d), m.value) for d in days]
    return [_one(m, "all", edits, 1, m.slot or m.id)]


def _length(hours: DayHours) -> int:
    return sum(end - start for start, end in hours.open_minutes())
