"""The private spaces, as the privacy engine found them: the capacity model reads here who
must be away and which positions must be idle, and never re-derives it from acoustics."""

from __future__ import annotations

from dataclasses import dataclass, replace

from roomplan.capacity.week import STAFF_ROOM, Week
from roomplan.memo import has_need_to_know
from roomplan.plan.model import Plan
from roomplan.privacy.result import PrivacyResult


@dataclass(frozen=True)
class Space:
    """An interview position that can ever be private.

    kind: "desk" (only its owner holds interviews there) or "room" (any caseworker, after the
    move); blockers: staff whose presence at their desks makes it not private (for a desk, the
    owner's colleagues without need-to-know; for a room, everyone who can hear it, need-to-know
    being checked per caseworker); conflicts: other spaces that must hold no interview at the
    same time; windowless: a room without windows; staff_rooms: staff rooms (lunch room,
    kitchen) whose colleagues would hear it when they are there (:func:`in_use` makes the
    times :class:`~roomplan.capacity.week.Week` states blockers)."""

    id: str
    room: str
    kind: str
    owner: str | None
    blockers: tuple[str, ...]
    conflicts: tuple[str, ...]
    windowless: bool
    staff_rooms: tuple[str, ...] = ()

    def blocks(self, plan: Plan, blocker: str, caseworker: str) -> bool:
        """Whether ``blocker`` at their desk stops ``caseworker``'s interview here: not when the
        blocker has need-to-know for the caseworker (memo rule); a staff room in use always
        does (colleagues of every kind eat there)."""
        if blocker.startswith(STAFF_ROOM):
            return True
        return not has_need_to_know(plan.member(blocker), plan.member(caseworker))


def in_use(spaces: tuple[Space, ...], week: Week) -> tuple[Space, ...]:
    """``spaces`` with each staff room that hears one and that ``week`` says is in use at
    some time among its blockers (as :data:`~roomplan.capacity.week.STAFF_ROOM` and its id):
    present only while in use, and never moving away."""
    used = {u.room for u in week.rooms_in_use}
    out = []
    for p in spaces:
        extra = tuple(
            f"{STAFF_ROOM}{r}"
            for r in p.staff_rooms
            if r in used and f"{STAFF_ROOM}{r}" not in p.blockers
        )
        out.append(replace(p, blockers=p.blockers + extra) if extra else p)
    return tuple(out)


def private_spaces(result: PrivacyResult) -> tuple[Space, ...]:
    """Every interview position that is not "never" private, with its conditions."""
    plan = result.plan
    usable = {a.position for a in result.positions if a.status != "never"}
    out = []
    for a in result.positions:
        if a.position not in usable:
            continue
        blockers = tuple(
            dict.fromkeys(plan.occupants[d].id for d in a.empty_desks if d in plan.occupants)
        )
        conflicts = tuple(q for q in a.idle_positions if q in usable and q != a.position)
        room = plan.room(a.room)
        owner = a.caseworker
        # staff rooms that follow it, shown beside its status as exposure
        staff_rooms = tuple(
            dict.fromkeys(
                h.room
                for h in a.hearings
                if h.role == "exposure" and h.kind == "staff" and not h.raised_only
            )
        )
        if owner is not None and not plan.member(owner).holds_interviews:
            continue  # the desk of someone who holds no interviews
        # a desk with its caseworker is theirs; a table nobody sits at is for anyone, like a room
        out.append(
            Space(
                id=a.position,
                room=a.room,
                kind="desk" if owner else "room",
                owner=owner,
                blockers=blockers,
                conflicts=conflicts,
                windowless=not room.windows and owner is None,
                staff_rooms=staff_rooms,
            )
        )
    # conflicts both ways: if p must be idle for q, q must be idle for p
    ids = {s.id for s in out}
    both = {s.id: set(s.conflicts) for s in out}
    for s in out:
        for q in s.conflicts:
            if q in ids:
                both[q].add(s.id)
    return tuple(replace(s, conflicts=tuple(sorted(both[s.id]))) for s in out)
