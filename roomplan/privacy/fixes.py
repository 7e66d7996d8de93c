"""The fix that changes a room's verdict, found by trying it.

A room's *weakest element* is not the element on the loudest path: it is what, improved, makes
the room private or lifts a condition. So the fix is searched for by re-assessing the plan with
upgraded elements (doors, glazing, the walls of the room) and kept only when the re-assessment
shows it works: every upgrade named here has been verified on the edited plan.

The deciding listeners of a room are those outside it who make it never private (someone
always present, such as the waiting room) or private only on a condition (a colleague's desk,
another interview position). Listeners in the room itself are not lifted by any element: that
is organisational (who sits where), and said so.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from roomplan.plan.model import Plan, Rating
from roomplan.privacy.assess import Transfer, rerated_transfer

if TYPE_CHECKING:
    from roomplan.privacy.result import PrivacyResult

UPGRADE_STEPS: dict[str, tuple[float, ...]] = {
    "door": (35.0, 42.0),
    "window": (42.0,),
    "wall": (52.0,),
    "masking": (40.0, 45.0),
}
"""What an element is tried at, lowest first: R'w [dB] of a door with seals and a closer
(35, BR18 office-office with door) or an acoustic door set (42); acoustic glazing (42); a
wall to the guidance for rooms requiring confidentiality (52, [BR18]); sound masking [dB(A)]
in a listener's room at the usual 40-45 dB(A) ([MASKING]). An element already at or above a
step is not tried at it."""


TRY_ORDER: tuple[tuple[str, float], ...] = (
    ("masking", 40.0),
    ("door", 35.0),
    ("door", 42.0),
    ("window", 42.0),
    ("masking", 45.0),
    ("wall", 52.0),
)
"""The order single upgrades are tried in, least work first: a masking system, a door with
seals, an acoustic door or glazing, louder masking, and last a wall (building work). Kinds are
compared by this order, never by their numbers (dB(A) of masking is not dB of R'w)."""


@dataclass(frozen=True)
class Upgrade:
    """An element raised from ``before`` to ``after``: R'w [dB] of a door or window (its id)
    or a wall (its partition id, "1.10|1.11"); the masking level [dB(A)] of a room (its id;
    ``before`` None when it has none)."""

    feature: str
    kind: str
    before: float | None
    after: float


@dataclass(frozen=True)
class FixStep:
    """Upgrades that lift a room's deciding listeners: ``lifts`` "always" (those always
    present, so the room is no longer never private) or "outside" (every listener outside the
    room); ``status_after`` the room's status with them, found by re-assessment."""

    lifts: str
    upgrades: tuple[Upgrade, ...]
    status_after: str


@dataclass(frozen=True)
class RoomFix:
    """What changes a room's verdict.

    steps: the fixes found, the smaller first (a never-private room may first need only the
    upgrades that silence the waiting room); listener/path: the deciding listener outside the
    room heard best (someone always present first) and the elements its sound passes, or,
    when no step lifts every such listener, the one left with every upgrade made; same_room:
    others in the room itself decide the verdict too, which no element changes; tried: the
    upgrades the search could try, each element at its highest step."""

    room: str
    status: str
    steps: tuple[FixStep, ...]
    listener: str | None
    path: tuple[str, ...]
    same_room: bool
    tried: tuple[Upgrade, ...] = ()


def _deciding(result: PrivacyResult, room_id: str) -> list:
    """Hearings of the room's positions, outside the room, that decide its status."""
    out = []
    for p in result.room(room_id).positions:
        for h in result.position(p).hearings:
            if not h.raised_only and h.room != room_id and h.role in ("always", "blocks"):
                out.append(h)
    return out


def _same_room(result: PrivacyResult, room_id: str) -> bool:
    return any(
        h.room == room_id and h.role == "blocks" and not h.raised_only
        for p in result.room(room_id).positions
        for h in result.position(p).hearings
    )


def _candidates(
    plan: Plan, room_id: str, listener_rooms: set[str], masking: Mapping[str, float]
) -> list[Upgrade]:
    """Every upgrade of an element between ``room_id`` and another room, and masking in the
    ``listener_rooms`` above what they have (``masking``: the criteria's, else the room's),
    at each step, in the order they are tried (:data:`TRY_ORDER`)."""
    out = []
    doors = {d.id: d for d in plan.doors}
    windows = {w.id: w for w in plan.windows}
    for part in plan.partitions:
        if room_id not in part.rooms:
            continue
        for step in UPGRADE_STEPS["wall"]:
            if part.rating.rw < step:
                out.append(Upgrade(part.id, "wall", part.rating.rw, step))
        for kind, table, ids in (("door", doors, part.doors), ("window", windows, part.windows)):
            for fid in ids:
                element = table[fid]
                for step in UPGRADE_STEPS[kind]:
                    if element.is_open or element.rating.rw < step:
                        out.append(Upgrade(fid, kind, element.rating.rw, step))
    for room in plan.rooms:
        if room.id in listener_rooms and room.id != room_id:
            level = masking.get(room.id, room.masking_dba)
            for step in UPGRADE_STEPS["masking"]:
                if level is None or level < step:
                    out.append(Upgrade(room.id, "masking", level, step))
    return sorted(out, key=lambda u: (TRY_ORDER.index((u.kind, u.after)), u.feature))


def apply_upgrades(plan: Plan, upgrades: tuple[Upgrade, ...]) -> Plan:
    """``plan`` with each upgrade made: doors closed and rated, walls and glazing rated,
    masking switched on."""
    for u in upgrades:
        rating = Rating(u.after, source="roomplan: upgrade tried")
        if u.kind == "wall":
            a, b = u.feature.split("|")
            plan = plan.with_partition_rating(a, b, rating)
        elif u.kind == "door":
            door = plan.door(u.feature)
            plan = plan.with_door(door.replace(rating=rating, is_open=False, gap_m2=0.0))
        elif u.kind == "window":
            windows = tuple(
                w.replace(rating=rating) if w.id == u.feature else w for w in plan.windows
            )
            plan = plan.replace(windows=windows)
        else:
            plan = plan.with_room(plan.room(u.feature).replace(masking_dba=u.after))
    return plan


class _Trial:
    """Re-assessments of one room under sets of upgrades, each set tried once, against a
    goal: no deciding listener of the kinds in ``roles`` left outside the room. Only the
    room's own positions are heard (no other decides its verdict) and only the verdicts
    computed (the check voice only adds hearings that decide nothing); an upgraded plan keeps
    the geometry of the plan (:func:`~roomplan.privacy.assess.rerated_transfer`), and masking
    goes in through the criteria, so trials that differ only in masking, or only in the room,
    share one sound transfer. ``full``: each trial a plain :func:`assess_privacy` of the
    upgraded plan, masking made on the plan too (the benchmark's baseline; the same fixes,
    slower)."""

    def __init__(self, result: PrivacyResult, room_id: str, full: bool = False):
        self.plan, self.room_id, self.full = result.plan, room_id, full
        self.criteria = result.criteria
        self.base = result.transfer
        # the rooms of one result share their upgraded plans (the baseline's trials do not)
        shared = {"transfers": {}, "seen": {}} if full else result._trials
        self.transfers: dict[tuple[Upgrade, ...], tuple[Plan, Transfer]] = shared["transfers"]
        self.seen: dict[tuple, PrivacyResult] = shared["seen"]
        self.roles: tuple[str, ...] = ("always", "blocks")

    def for_goal(self, roles: tuple[str, ...]) -> _Trial:
        """The same trials (shared cache) judged against another goal."""
        other = copy.copy(self)
        other.roles = roles
        return other

    def result(self, upgrades: tuple[Upgrade, ...]) -> PrivacyResult:
        from roomplan.privacy import _assess, assess_privacy

        key = tuple(sorted(upgrades, key=lambda u: (u.feature, u.after)))
        seen = (self.room_id, key)
        if seen not in self.seen and self.full:
            self.seen[seen] = assess_privacy(apply_upgrades(self.plan, key), self.criteria)
        if seen not in self.seen:
            built = tuple(u for u in key if u.kind != "masking")
            if built not in self.transfers:
                plan = apply_upgrades(self.plan, built)
                self.transfers[built] = plan, rerated_transfer(self.base, plan)
            plan, tr = self.transfers[built]
            masking = dict(self.criteria.masking)
            masking.update({u.feature: u.after for u in key if u.kind == "masking"})
            criteria = self.criteria.replace(masking=masking)
            room = tr.of_room(self.room_id)
            self.seen[seen] = _assess(plan, criteria, verdicts_only=True, tr=room)
        return self.seen[seen]

    def works(self, upgrades: tuple[Upgrade, ...]) -> bool:
        left = _deciding(self.result(upgrades), self.room_id)
        return not any(h.role in self.roles for h in left)


def _one_per_element(upgrades: list[Upgrade]) -> list[Upgrade]:
    """The highest step of each element."""
    best: dict[str, Upgrade] = {}
    for u in upgrades:
        if u.feature not in best or u.after > best[u.feature].after:
            best[u.feature] = u
    return list(best.values())


def _smallest(trial: _Trial, candidates: list[Upgrade]) -> tuple[Upgrade, ...] | None:
    """Few upgrades that work together, or None when even all of them do not: one alone if
    one does (the lowest step first), else all at their highest step less those not needed
    (building work before masking is dropped first, so masking stays where walls fail)."""
    strongest = tuple(_one_per_element(candidates))
    if not strongest or not trial.works(strongest):
        return None
    for u in candidates:
        if trial.works((u,)):
            return (u,)
    kept = list(strongest)
    for u in sorted(strongest, key=lambda u: u.kind == "masking"):
        rest = tuple(x for x in kept if x is not u)
        if trial.works(rest):
            kept = list(rest)
    return tuple(kept)


def _lowest_steps(trial: _Trial, fix: tuple[Upgrade, ...], candidates: list[Upgrade]):
    """Each upgrade of ``fix`` lowered to the lowest step that still works."""
    out = list(fix)
    for i, u in enumerate(out):
        for lower in sorted(
            (c for c in candidates if c.feature == u.feature and c.after < u.after),
            key=lambda c: c.after,
        ):
            tried = (*out[:i], lower, *out[i + 1 :])
            if trial.works(tried):
                out[i] = lower
                break
    return tuple(out)


def _loudest(hearings: list):
    return max(hearings, key=lambda h: (h.role == "always", h.snr_uni32))


def _step(trial: _Trial, candidates: list[Upgrade], lifts: str) -> FixStep | None:
    trial = trial.for_goal(("always",) if lifts == "always" else ("always", "blocks"))
    fix = _smallest(trial, candidates)
    if fix is None:
        return None
    fix = _lowest_steps(trial, fix, candidates)
    return FixStep(lifts, fix, trial.result(fix).room(trial.room_id).status)


def room_fix(result: PrivacyResult, room_id: str, full_trials: bool = False) -> RoomFix:
    """The fix of ``room_id`` in a :class:`~roomplan.privacy.result.PrivacyResult`: the
    fewest element upgrades (:data:`UPGRADE_STEPS`) found that lift the listeners outside the
    room who decide its verdict, verified by re-assessing the upgraded plan; first those
    always present (a never-private room), then all of them; or, when all the upgrades
    together do not, the listener and path that remain. ``full_trials`` re-assesses every
    tried plan in full (the benchmark's baseline)."""
    answer = result.room(room_id)
    deciding = _deciding(result, room_id)
    same = _same_room(result, room_id)
    if not deciding:
        return RoomFix(room_id, answer.status, (), None, (), same)
    trial = _Trial(result, room_id, full_trials)
    listener_rooms = {h.room for h in deciding}
    candidates = _candidates(result.plan, room_id, listener_rooms, result.criteria.masking)
    steps = []
    if any(h.role == "always" for h in deciding):
        first = _step(trial, candidates, "always")
        if first is not None:
            steps.append(first)
    full = _step(trial, candidates, "outside")
    if full is not None and steps and set(full.upgrades) == set(steps[0].upgrades):
        steps[0] = full  # what silences those always present silences everyone: one step
    elif full is not None:
        steps.append(full)
    loudest, origin = _loudest(deciding), result
    if full is None:
        origin = trial.result(tuple(_one_per_element(candidates)))
        loudest = _loudest(_deciding(origin, room_id))
    return RoomFix(
        room_id,
        answer.status,
        tuple(steps),
        loudest.listener,
        origin.path(loudest.pair),
        same,
        tuple(_one_per_element(candidates)),
    )
