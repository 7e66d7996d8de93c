"""The privacy answers: who would overhear each interview position, on what condition a
room is private, its weakest element, and each partition against the design guidance."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from roomplan import acoustics as ac
from roomplan.memo import has_need_to_know
from roomplan.plan.model import Plan
from roomplan.privacy.assess import VERDICTS, PairMetrics, Transfer
from roomplan.privacy.criteria import TRANSIENT_KINDS, Criteria

STATUSES = ("private", "conditional", "never", "none")
"""private: no one can overhear it; conditional: private only while named desks are empty
and named interview positions are not in use; never: someone always present (the waiting
room) would hear it; none: the room has no interview position."""


@dataclass(frozen=True)
class Guidance:
    """A design value for the sound reduction between rooms."""

    key: str
    required_rw: float
    source: str


CONFIDENTIAL = Guidance(
    "br18_confidential",
    52.0,
    "BR18 guidance for office buildings: rooms requiring confidentiality to other rooms, "
    "R'w ≥ 52 dB (DOMAIN.md 3.5)",
)
"""The guidance every partition of a room with interview positions is checked against."""

REFERENCE_GUIDANCE = (
    Guidance("br18_office_office", 35.0, "BR18: office to office with door, R'w ≥ 35 dB"),
    Guidance("br18_office_corridor", 30.0, "BR18: office to corridor with door, R'w 30 dB"),
    Guidance("br18_meeting", 40.0, "BR18: meeting room with door, R'w ≥ 40 dB"),
    Guidance(
        "ss25268_high_b",
        52.0,
        "SS 25268 class B, high confidentiality: R'w 52 dB (44 from the corridor)",
    ),
    Guidance("fgi2018_consultation", 50.0, "FGI 2018: consultation room to public space, STC 50"),
)
"""Other guidance, shown for comparison in the report (DOMAIN.md 3.5)."""


ROLE_ORDER = {"always": 0, "blocks": 1, "exempt": 2, "exposure": 3}


@dataclass(frozen=True)
class Hearing:
    """A listener who would overhear an interview position.

    role: "blocks" (while the desk is occupied or the position in use), "always" (someone
    is always there in opening hours), "exposure" (passers-by), "exempt" (a colleague with
    need-to-know). path: the features the sound passes, talker side first (empty in the
    same room). raised_only: heard only with the check voice."""

    listener: str
    kind: str
    room: str
    staff: str | None
    role: str
    path: tuple[str, ...]
    level_dba: float
    snr_uni32: float
    privacy_index: float
    sii: float
    spc: float
    verdict: str
    raised_only: bool = False


@dataclass(frozen=True)
class PositionAnswer:
    """Whether an interview position is private, and on what condition.

    empty_desks: desks that must be empty (their occupant away or elsewhere) unless the
    occupant has need-to-know; idle_positions: other interview positions that must not be in
    use; always: listeners always present; exposure: passers-by who would hear it;
    exempt: desks whose occupant has need-to-know for this desk's caseworker."""

    position: str
    room: str
    desk: str | None
    caseworker: str | None
    status: str
    empty_desks: tuple[str, ...]
    idle_positions: tuple[str, ...]
    always: tuple[str, ...]
    exposure: tuple[str, ...]
    exempt: tuple[str, ...]
    hearings: tuple[Hearing, ...]


@dataclass(frozen=True)
class PartitionCheck:
    """A partition of a room with interview positions against :data:`CONFIDENTIAL`.

    composite_rw: wall, doors and glazing together [dB]; weakest: the element letting the
    most sound through (a door or window id, or "wall")."""

    partition: str
    rooms: tuple[str, str]
    kind: str
    wall_rw: float
    composite_rw: float
    required_rw: float
    passes: bool
    weakest: str


@dataclass(frozen=True)
class RoomAnswer:
    """A room's privacy: status over its interview positions, the weakest element (the one
    carrying most sound to the listener hearing it best), the rooms where it is heard, and
    the interview positions it overhears (for waiting rooms and corridors)."""

    room: str
    kind: str
    status: str
    positions: tuple[str, ...]
    weakest: str | None
    weakest_kind: str | None
    heard_in: tuple[str, ...]
    exposure_in: tuple[str, ...]
    overhears: tuple[str, ...]
    partitions: tuple[PartitionCheck, ...]


@dataclass(frozen=True)
class PrivacyResult:
    """Everything :func:`roomplan.privacy.assess_privacy` found.

    ``metrics`` holds the pair arrays for the criteria's voice, ``check`` those for the
    check voice (or None); pair p joins ``talkers.ids[transfer.talker[p]]`` and
    ``listeners.ids[transfer.listener[p]]``."""

    plan: Plan
    criteria: Criteria
    transfer: Transfer
    metrics: PairMetrics
    check: PairMetrics | None
    positions: tuple[PositionAnswer, ...]
    rooms: tuple[RoomAnswer, ...]
    partitions: tuple[PartitionCheck, ...]

    @property
    def n_pairs(self) -> int:
        return len(self.transfer.talker)

    @cached_property
    def _positions(self) -> dict[str, PositionAnswer]:
        return {p.position: p for p in self.positions}

    @cached_property
    def _rooms(self) -> dict[str, RoomAnswer]:
        return {r.room: r for r in self.rooms}

    def position(self, position_id: str) -> PositionAnswer:
        return self._positions[position_id]

    def room(self, room_id: str) -> RoomAnswer:
        return self._rooms[room_id]

    def pair_rows(
        self, talker: str | None = None, only_failing: bool = False
    ) -> list[dict[str, Any]]:
        """Pairs as rows (talker, listener, metrics), optionally for one talker position."""
        tr, m = self.transfer, self.metrics
        ids_t, ids_l = tr.talkers.ids[tr.talker], tr.listeners.ids[tr.listener]
        sel = np.ones(self.n_pairs, dtype=bool)
        if talker is not None:
            sel &= ids_t == talker
        if only_failing:
            sel &= ~m.acceptable
        return [
            {
                "talker": ids_t[p],
                "listener": ids_l[p],
                "level_dba": float(m.level_dba[p]),
                "snr_uni32": float(m.snr_uni32[p]),
                "privacy_index": float(m.privacy_index[p]),
                "sii": float(m.sii[p]),
                "spc": None if np.isnan(m.spc[p]) else float(m.spc[p]),
                "verdict": VERDICTS[m.verdict[p]],
                "acceptable": bool(m.acceptable[p]),
                "path": list(self.path(p)),
            }
            for p in np.flatnonzero(sel)
        ]

    def path(self, p: int) -> tuple[str, ...]:
        """Features along pair ``p``'s strongest path (doors, windows, partition ids)."""
        return tuple(self.transfer.model.elements.feature[e] for e in self.transfer.path(p))


# -- building the answers --------------------------------------------------------------
def answer(
    plan: Plan, criteria: Criteria, tr: Transfer, metrics: PairMetrics, check: PairMetrics | None
) -> tuple[tuple[PositionAnswer, ...], tuple[RoomAnswer, ...], tuple[PartitionCheck, ...]]:
    """The position, room and partition answers for one evaluation."""
    listeners, talkers = tr.listeners, tr.talkers
    occupants = plan.occupants
    failing = ~metrics.acceptable
    failing_check = ~check.acceptable if check is not None else np.zeros_like(failing)
    by_talker: dict[int, list[int]] = {}
    for p in np.flatnonzero(failing | failing_check):
        by_talker.setdefault(int(tr.talker[p]), []).append(int(p))

    def features(p: int) -> tuple[str, ...]:
        return tuple(tr.model.elements.feature[e] for e in tr.path(p))

    positions = []
    for t, tid in enumerate(talkers.ids.tolist()):
        desk = talkers.desk[t]
        caseworker = occupants.get(desk) if desk is not None else None
        hearings, empty, idle, always, exposure, exempt = [], [], [], [], [], []
        for p in by_talker.get(t, []):
            lid = listeners.ids[tr.listener[p]]
            kind = listeners.kind[tr.listener[p]]
            staff = None
            if kind == "desk":
                occupant = occupants.get(listeners.desk[tr.listener[p]])
                if occupant is None:
                    continue  # nobody sits there
                staff = occupant.id
                role = (
                    "exempt" if caseworker and has_need_to_know(occupant, caseworker) else "blocks"
                )
            elif kind in ("chair", "room"):
                role = "blocks"
            elif kind == "waiting" or (kind in TRANSIENT_KINDS and criteria.transient_occupied):
                role = "always"
            else:
                role = "exposure"
            raised_only = bool(not failing[p])
            source = check if raised_only and check is not None else metrics
            hearings.append(
                Hearing(
                    listener=lid,
                    kind=kind,
                    room=listeners.room[tr.listener[p]],
                    staff=staff,
                    role=role,
                    path=features(p),
                    level_dba=float(source.level_dba[p]),
                    snr_uni32=float(source.snr_uni32[p]),
                    privacy_index=float(source.privacy_index[p]),
                    sii=float(source.sii[p]),
                    spc=float(source.spc[p]),
                    verdict=VERDICTS[source.verdict[p]],
                    raised_only=raised_only,
                )
            )
            if raised_only:
                continue
            if role == "exempt":
                exempt.append(listeners.desk[tr.listener[p]])
            elif role == "blocks" and kind == "desk":
                empty.append(listeners.desk[tr.listener[p]])
            elif role == "blocks":
                idle.append(f"desk:{listeners.desk[tr.listener[p]]}" if kind == "chair" else lid)
            else:
                (always if role == "always" else exposure).append(lid)
        status = "never" if always else ("conditional" if empty or idle else "private")
        hearings.sort(key=lambda h: (h.raised_only, ROLE_ORDER[h.role], -h.snr_uni32))
        positions.append(
            PositionAnswer(
                position=tid,
                room=talkers.room[t],
                desk=desk,
                caseworker=caseworker.id if caseworker else None,
                status=status,
                empty_desks=tuple(dict.fromkeys(empty)),
                idle_positions=tuple(dict.fromkeys(idle)),
                always=tuple(always),
                exposure=tuple(exposure),
                exempt=tuple(dict.fromkeys(exempt)),
                hearings=tuple(hearings),
            )
        )

    partitions = _partition_checks(plan, tr)
    rooms = _room_answers(plan, tr, metrics, positions, partitions)
    return tuple(positions), rooms, partitions


def _partition_checks(plan: Plan, tr: Transfer) -> tuple[PartitionCheck, ...]:
    confidential = set(tr.talkers.room.tolist())
    openings = {o.id: o for o in (*plan.doors, *plan.windows)}
    out = []
    for part in plan.partitions:
        if not confidential & set(part.rooms):
            continue
        items = [openings[x] for x in (*part.doors, *part.windows)]
        wall_area = max(part.area - sum(o.area for o in items), 1e-9)
        areas = [wall_area] + [o.area for o in items]
        rw = [part.rating.rw] + [0.0 if o.is_open else o.rating.rw for o in items]
        gaps = sum(o.gap_m2 for o in items if not o.is_open)
        composite = float(ac.composite_reduction(areas, rw, gaps))
        leak = [a * float(ac.transmission_coefficient(r)) for a, r in zip(areas, rw, strict=True)]
        weakest = "wall" if int(np.argmax(leak)) == 0 else items[int(np.argmax(leak)) - 1].id
        out.append(
            PartitionCheck(
                partition=part.id,
                rooms=part.rooms,
                kind=part.kind,
                wall_rw=part.rating.rw,
                composite_rw=round(composite, 1),
                required_rw=CONFIDENTIAL.required_rw,
                passes=composite >= CONFIDENTIAL.required_rw,
                weakest=weakest,
            )
        )
    return tuple(out)


def _room_answers(
    plan: Plan,
    tr: Transfer,
    metrics: PairMetrics,
    positions: list[PositionAnswer],
    partitions: tuple[PartitionCheck, ...],
) -> tuple[RoomAnswer, ...]:
    by_room: Mapping[str, list[PositionAnswer]] = {}
    for pa in positions:
        by_room.setdefault(pa.room, []).append(pa)
    talker_room = tr.talkers.room[tr.talker]
    listener_room = tr.listeners.room[tr.listener]
    other = talker_room != listener_room
    out = []
    for room in plan.rooms:
        mine = by_room.get(room.id, [])
        statuses = {p.status for p in mine}
        if not mine:
            status = "none"
        elif statuses == {"private"}:
            status = "private"
        elif statuses == {"never"}:
            status = "never"
        else:
            status = "conditional"
        heard, exposed = [], []
        for pa in mine:
            for h in pa.hearings:
                if h.raised_only or h.room == room.id:
                    continue
                (
                    heard
                    if h.role in ("blocks", "always")
                    else exposed
                    if h.role == "exposure"
                    else []
                ).append(h.room)
        weakest, weakest_kind = None, None
        sel = np.flatnonzero((talker_room == room.id) & other)
        if len(sel):
            blocking = [p for p in sel if not metrics.acceptable[p]]
            p = max(blocking or sel, key=lambda q: metrics.snr_uni32[q])
            path = tr.path(int(p))
            if path:
                weakest = tr.model.elements.feature[path[0]]
                weakest_kind = tr.model.elements.kind[path[0]]
        if any(
            h.room == room.id and h.role == "blocks" and not h.raised_only
            for pa in mine
            for h in pa.hearings
        ):
            weakest, weakest_kind = room.id, "same_room"
        overhears = sorted(
            {
                pa.position
                for pa in positions
                if pa.room != room.id
                for h in pa.hearings
                if h.room == room.id and not h.raised_only
            }
        )
        out.append(
            RoomAnswer(
                room=room.id,
                kind=room.kind,
                status=status,
                positions=tuple(p.position for p in mine),
                weakest=weakest,
                weakest_kind=weakest_kind,
                heard_in=tuple(dict.fromkeys(heard)),
                exposure_in=tuple(dict.fromkeys(exposed)),
                overhears=tuple(overhears),
                partitions=tuple(c for c in partitions if room.id in c.rooms),
            )
        )
    return tuple(out)
