"""What-if: ready edits a manager combines into scenarios, compared with the plan as it is.

A :class:`Scenario` is a name, a list of :class:`Edit` values and optionally other opening hours.
Applied to a copy of the plan it gives a new plan; :func:`compare` runs privacy and capacity on
the baseline and each scenario and reports, side by side, the private interview capacity, the
shortfall or headroom, the rooms changed, the moves and the windowless hours.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from roomplan.capacity import (
    CapacityOptions,
    CapacityResult,
    DayStore,
    Estimate,
    PlanCache,
    capacity_estimate,
    plan_capacity,
)
from roomplan.capacity import text as capacity_words
from roomplan.capacity.peaks import busy_demand
from roomplan.capacity.week import WEEKDAYS, Week, parse_hours
from roomplan.i18n import DEFAULT_LANG, fmt_num, t
from roomplan.plan import edit as edits
from roomplan.plan.model import Plan
from roomplan.privacy import Criteria, PrivacyResult

OPS = (
    "split_office",
    "to_office",
    "to_interview",
    "door",
    "wall",
    "masking",
    "need_to_know",
    "hours",
    "booth",
    "move_time",
    "windowless",
    "booking",
)
"""The ready edits. target/value per op: split_office room/R'w of the new walls [dB] or -;
to_office room/staff id or -; to_interview room/-; door door id/R'w [dB]; wall "a|b"/R'w [dB];
masking room/level [dB(A)]; need_to_know "S01,S02"/group name; hours "all" or weekday 0-4 /
"HH:MM-HH:MM"; booth host room/R'w [dB] or -; move_time "all"/minutes; windowless
"all"/hours a day; booking "all"/how demand falls on the days ("hours": as the opening hours)."""

WEEK_OPS = ("hours", "move_time", "windowless")
"""Edits of the week rather than the plan."""

PLAN_OPS = tuple(op for op in OPS if op not in (*WEEK_OPS, "booking"))
"""Edits of the plan itself."""

UPGRADED_DOOR_RW = 35.0
"""A solid-core door with seals [dB] ([TYPICAL] in docs/references.md: 30-35 dB)."""

BR18_WALL_RW = 52.0
"""R'w between a confidential room and other rooms [dB] ([BR18] in docs/references.md)."""

MASKING_DBA = 42.0
"""Sound masking in open areas [dB(A)] ([MASKING] in docs/references.md: 40-45 dB(A))."""


@dataclass(frozen=True)
class Edit:
    """One ready edit (see :data:`OPS`)."""

    op: str
    target: str
    value: Any = None

    def __post_init__(self) -> None:
        if self.op not in OPS:
            raise edits.EditError("unknown_op", op=self.op, allowed=", ".join(OPS))

    def apply(self, plan: Plan) -> Plan:
        op, target, value = self.op, self.target, self.value
        if op == "split_office":
            if value is None:
                return edits.split_office(plan, target)
            return edits.split_office(plan, target, wall_rw=float(value))
        if op == "to_office":
            if value:
                return edits.move_staff(plan, str(value), target)
            return edits.set_kind(plan, target, "office")
        if op == "to_interview":
            return edits.set_kind(plan, target, "interview")
        if op == "door":
            return edits.set_door(plan, target, float(value), is_open=False)
        if op == "wall":
            a, _, b = target.partition("|")
            return edits.set_wall(plan, a, b, float(value))
        if op == "masking":
            return edits.set_masking(plan, target, None if value is None else float(value))
        if op == "need_to_know":
            return edits.add_need_to_know(plan, target.split(","), str(value))
        if op == "booth":
            if value is None:
                return edits.add_booth(plan, target)
            return edits.add_booth(plan, target, float(value))
        return plan  # the week's and the booking's edits leave the plan as it is

    def week(self, week: Week) -> Week:
        if self.op == "move_time":
            return week.replace(move_minutes=min(week.move_minutes, _whole(self.value, 0, 60)))
        if self.op == "windowless":
            limit = _number(self.value, 0, 24)
            return week.replace(windowless_hours=max(week.windowless_hours, limit))
        if self.op != "hours":
            return week
        hours = list(week.hours)
        try:
            days = range(len(hours)) if self.target == "all" else [_weekday(self.target)]
        except (ValueError, TypeError) as exc:
            raise edits.EditError("bad_day", day=self.target) from exc
        try:
            for d in days:
                if self.target == "all" and hours[d].closed:
                    continue  # "every day" means every open day
                hours[d] = parse_hours(str(self.value), hours[d].lunch)
        except (ValueError, IndexError) as exc:
            raise edits.EditError("bad_hours", value=self.value) from exc
        return week.replace(hours=tuple(hours))

    def options(self, options: CapacityOptions) -> CapacityOptions:
        """The capacity question after a booking rule (how the demand falls on the days)."""
        if self.op != "booking":
            return options
        if self.value not in ("even", "hours"):
            raise edits.EditError("bad_booking", value=self.value)
        return options.replace(spread=self.value)

    def describe(self, lang: str | None = None) -> str:
        value = self.value
        if isinstance(value, float):
            value = fmt_num(value, 0, lang)
        key = f"scenario.op.{self.op}"
        if self.op == "to_office" and value:
            key += "_for"  # a named caseworker moves in
        if self.op == "booking":
            key += f"_{self.value}"
        return t(key, lang, target=self._target_words(lang), value=value or "-")

    def _target_words(self, lang: str | None) -> str:
        """The target as the user reads it: hours name their day, or every open day."""
        if self.op != "hours":
            return self.target
        if self.target == "all":
            return t("weekday.every_open", lang)
        try:
            return t(f"weekday.{WEEKDAYS[_weekday(self.target)]}", lang)
        except ValueError:
            return self.target  # refused when applied (bad_hours)


def _weekday(target: str) -> int:
    """The weekday ``target`` names, 0 (Monday) to 4 (Friday); ValueError for any other."""
    day = int(target)
    if not 0 <= day < len(WEEKDAYS):
        raise ValueError(f"no weekday {target}")
    return day


@dataclass(frozen=True)
class Scenario:
    """A named set of edits, applied in order to a copy of the plan."""

    name: str
    edits: tuple[Edit, ...] = ()

    def apply(self, plan: Plan) -> Plan:
        new = plan
        for e in self.edits:
            new = e.apply(new)
        notes = tuple(e.describe(DEFAULT_LANG) for e in self.edits if e.op in PLAN_OPS)
        return new.replace(name=f"{plan.name} – {self.name}", notes=plan.notes + notes)

    def week(self, week: Week) -> Week:
        for e in self.edits:
            week = e.week(week)
        return week

    def options(self, options: CapacityOptions) -> CapacityOptions:
        for e in self.edits:
            options = e.options(options)
        return options

    def with_edit(self, e: Edit) -> Scenario:
        return Scenario(self.name, (*self.edits, e))


def _number(value: Any, low: float, high: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    if not low <= number <= high:
        raise edits.EditError("bad_number", value=value, low=low, high=high)
    return number


def _whole(value: Any, low: int, high: int) -> int:
    number = _number(value, low, high)
    if number != int(number):
        raise edits.EditError("bad_number", value=value, low=low, high=high)
    return int(number)


def ready_edits(plan: Plan) -> list[Edit]:
    """The edits that make sense on ``plan``: split each shared office, turn each interview
    room into an office and each empty office into an interview room, better doors on offices
    and interview rooms, BR18 walls round interview rooms, masking in waiting rooms and
    corridors, need-to-know for colleagues sharing an office."""
    out = []
    for room in plan.rooms:
        desks = plan.desks_in(room.id)
        if room.kind == "office" and len(desks) >= 2:
            out.append(Edit("split_office", room.id))
        if room.kind == "interview":
            out.append(Edit("to_office", room.id))
        if room.kind == "office" and not any(d.id in plan.occupants for d in desks):
            out.append(Edit("to_interview", room.id))
        if room.kind in ("waiting", "corridor"):
            out.append(Edit("masking", room.id, MASKING_DBA))
        if room.kind == "office" and len(desks) >= 2:
            seated = [plan.occupants[d.id].id for d in desks if d.id in plan.occupants]
            if len(seated) >= 2:
                out.append(Edit("need_to_know", ",".join(seated), f"team-{room.id}"))
    confidential = {r.id for r in plan.rooms if r.kind in ("office", "interview")}
    for door in plan.doors:
        if any(r in confidential for r in door.rooms) and door.rating.rw < UPGRADED_DOOR_RW:
            out.append(Edit("door", door.id, UPGRADED_DOOR_RW))
    for part in plan.partitions:
        kinds = {plan.room(r).kind for r in part.rooms}
        if "interview" in kinds and part.rating.rw < BR18_WALL_RW:
            out.append(Edit("wall", "|".join(part.rooms), BR18_WALL_RW))
    return out


NAMED = ("split-offices", "better-doors", "br18-walls", "masking", "need-to-know")
"""The scenarios known by name (the CLI's ``--scenario``), built from :func:`ready_edits`."""


def named(plan: Plan, name: str, lang: str | None = None) -> Scenario:
    """A ready scenario by name (see :data:`NAMED`): every shared office split, every door of
    an office or interview room upgraded, BR18 walls round the interview rooms, masking in the
    waiting rooms and corridors, or need-to-know in each shared office."""
    ops = {
        "split-offices": "split_office",
        "better-doors": "door",
        "br18-walls": "wall",
        "masking": "masking",
        "need-to-know": "need_to_know",
    }
    if name not in ops:
        raise edits.EditError("unknown_scenario", name=name, allowed=", ".join(NAMED))
    chosen = tuple(e for e in ready_edits(plan) if e.op == ops[name])
    if not chosen:
        raise edits.EditError("empty_scenario", name=name)
    return Scenario(t(f"scenario.named.{name}", lang), chosen)


@dataclass(frozen=True)
class Outcome:
    """A plan (the baseline, named "", or a scenario's) with its privacy and capacity."""

    name: str
    plan: Plan
    privacy: PrivacyResult
    capacity: CapacityResult
    rooms_changed: tuple[str, ...] = ()
    edits: tuple[Edit, ...] = field(default_factory=tuple)
    busy: Estimate | None = None
    """Held in a busy week (:func:`roomplan.capacity.peaks.busy_demand`), the fast answer."""

    @property
    def busy_demand(self) -> int:
        return busy_demand(self.capacity.demand)

    @property
    def moves(self) -> int:
        """Room changes in the schedule: into an interview room and back, per stay."""
        return 2 * len(self.capacity.schedule.stays)

    @property
    def windowless_hours(self) -> float:
        """Hours a week caseworkers spend in windowless rooms in the schedule [h]."""
        dark = {r.id for r in self.plan.rooms if not r.windows}
        return sum(s.end - s.start for s in self.capacity.schedule.stays if s.room in dark) / 60

    def row(self, lang: str | None = None) -> dict[str, Any]:
        """The outcome as a table row; a figure not proven is shown as its interval."""
        c = self.capacity
        if c.held_proven and c.capacity_proven:
            margin = fmt_num(c.headroom if c.can_hold else -c.shortfall, 0, lang)
        else:
            low = (c.capacity if c.can_hold else c.held) - c.demand
            high = (c.capacity_bound if c.can_hold else c.held_bound) - c.demand
            margin = capacity_words.figure(low, high, lang)
        busy = self.busy
        demand, busy_demand = (fmt_num(d, 0, lang) for d in (c.demand, self.busy_demand))
        return {
            t("scenario.col.name", lang): self.name or t("scenario.baseline", lang),
            t("scenario.col.held_of", lang, demand=demand): capacity_words.held_figure(c, lang),
            t("scenario.col.busy", lang, demand=busy_demand): (
                capacity_words.figure(busy.held, busy.bound, lang) if busy else "-"
            ),
            t("scenario.col.margin", lang): margin,
            t("scenario.col.rooms", lang): ", ".join(self.rooms_changed) or "-",
            t("scenario.col.moves", lang): self.moves,
            t("scenario.col.windowless", lang): round(self.windowless_hours, 1),
        }


def changed_rooms(before: Plan, after: Plan) -> tuple[str, ...]:
    """Rooms added, removed or changed, and rooms whose doors or walls changed."""
    old = {r.id: r for r in before.rooms}
    new = {r.id: r for r in after.rooms}
    out = {rid for rid in old.keys() ^ new.keys()}
    out |= {rid for rid in old.keys() & new.keys() if old[rid] != new[rid]}
    # a new door or wall changes the confidential rooms it serves, not the corridor
    touched = set()
    old_doors = {d.id: d for d in before.doors}
    for d in after.doors:
        if old_doors.get(d.id) != d:
            touched |= {r for r in d.rooms if r is not None}
    old_walls = {p.rooms: p.rating for p in before.partitions}
    for p in after.partitions:
        if old_walls.get(p.rooms) != p.rating:
            touched |= set(p.rooms)
    out |= {r for r in touched if r in new and new[r].kind in ("office", "interview")}
    return tuple(sorted(out))


def evaluate(
    plan: Plan,
    scenario: Scenario | None = None,
    week: Week | None = None,
    options: CapacityOptions | None = None,
    *,
    criteria: Criteria | None = None,
    cache: PlanCache | None = None,
) -> Outcome:
    """Privacy and capacity of ``plan`` with ``scenario`` applied (None: as it is). cache:
    the answers kept for ``plan`` itself (under ``criteria``); a scenario that edits the plan
    gets a cache of its own sharing its day store."""
    week = week or Week()
    options = options or CapacityOptions()
    new = scenario.apply(plan) if scenario else plan
    week = scenario.week(week) if scenario else week
    options = scenario.options(options) if scenario else options
    if cache is None:
        cache = PlanCache(new, criteria)
    elif new != plan:
        cache = cache.sibling(new)
    capacity = plan_capacity(new, week, options, cache=cache)
    busy = options.replace(demand=busy_demand(options.demand))
    return Outcome(
        name=scenario.name if scenario else "",
        plan=new,
        privacy=cache.privacy,
        capacity=capacity,
        rooms_changed=changed_rooms(plan, new) if scenario else (),
        edits=scenario.edits if scenario else (),
        busy=capacity_estimate(new, week, busy, cache=cache, known=capacity),
    )


def compare(
    plan: Plan,
    scenarios: Sequence[Scenario],
    week: Week | None = None,
    options: CapacityOptions | None = None,
    *,
    criteria: Criteria | None = None,
    progress: Callable[[float, str], None] | None = None,
) -> list[Outcome]:
    """The baseline and each scenario, in that order; scenarios whose private spaces are the
    baseline's (a door nobody hears through) share its days (:class:`DayStore`)."""
    out = []
    runs: list[Scenario | None] = [None, *scenarios]
    cache = PlanCache(plan, criteria, days=DayStore())
    for k, s in enumerate(runs):
        out.append(evaluate(plan, s, week, options, criteria=criteria, cache=cache))
        if progress:
            progress((k + 1) / len(runs), s.name if s else "baseline")
    return out


def ranked(outcomes: Sequence[Outcome]) -> list[Outcome] | None:
    """The outcomes best first (:func:`_order`), or None when a figure is not proven: an
    interval is never ranked as if it were final."""
    if not all(o.capacity.held_proven for o in outcomes):
        return None
    return sorted(outcomes, key=lambda o: _order(o, o.capacity.held))


def _order(o: Outcome, held: int) -> tuple:
    """Best first: the most held; on a tie the plan as it is (no change), then the fewest
    moves, then the name."""
    return (-held, bool(o.name), o.moves, o.name)


def best_text(outcomes: Sequence[Outcome], lang: str | None = None) -> str:
    """Which outcome holds most for the demand and which in a busy week, in words; when a
    figure is not proven, that nothing is ranked yet and why."""
    if len(outcomes) < 2:
        return ""
    parts = []
    for key, held, proven in (
        ("demand", lambda o: o.capacity.held, lambda o: o.capacity.held_proven),
        ("busy", lambda o: o.busy.held, lambda o: o.busy is not None and o.busy.proven),
    ):
        demand = outcomes[0].capacity.demand if key == "demand" else outcomes[0].busy_demand
        if not all(proven(o) for o in outcomes):
            parts.append(t(f"scenario.best_{key}_unproven", lang, demand=fmt_num(demand, 0, lang)))
            continue
        top = min(outcomes, key=lambda o: _order(o, held(o)))
        name = top.name or t("scenario.baseline", lang)
        parts.append(
            t(
                f"scenario.best_{key}" if top.name else f"scenario.best_{key}_baseline",
                lang,
                name=name,
                held=fmt_num(held(top), 0, lang),
                demand=fmt_num(demand, 0, lang),
            )
        )
    return " ".join(parts)
