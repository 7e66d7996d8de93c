"""The privacy answers: who would overhear each interview position, on what condition a
room is private, what would change that, and each partition against the design guidance."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from roomplan import acoustics as ac
from roomplan.memo import has_need_to_know
from roomplan.plan.model import Plan
from roomplan.privacy.assess import VERDICTS, PairMetrics, Transfer
from roomplan.privacy.criteria import TRANSIENT_KINDS, Criteria

if TYPE_CHECKING:
    from roomplan.plan.geometry import Partition
    from roomplan.privacy.fixes import RoomFix

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
    "R'w ≥ 52 dB (BR18); SS 25268 class B, high confidentiality, the same",
)
"""The requirement of a partition between a room with interview positions and another room."""

CONFIDENTIAL_CORRIDOR = Guidance(
    "ss25268_b_corridor",
    44.0,
    "SS 25268 class B, high confidentiality: R'w ≥ 44 dB from the corridor, door included",
)
"""The requirement of a partition with a door between such a room and a corridor, where a
door is needed and people only pass ([SS-25268])."""

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
"""Other guidance, shown for comparison in the report ([BR18], [SS-25268], [FGI-2018] in
docs/references.md)."""


ROLE_ORDER = {"always": 0, "blocks": 1, "exempt": 2, "exposure": 3}


@dataclass(frozen=True)
class Hearing:
    """A listener who would overhear an interview position.

    role: "blocks" (while the desk is occupied or the position in use), "always" (someone
    is always there in opening hours: the loudest place per room), "exposure" (passers-by: the
    loudest place per room), "exempt" (a colleague with need-to-know). pair: the pair index,
    for the path (:meth:`PrivacyResult.path`). raised_only: heard only with the check voice."""

    listener: str
    kind: str
    room: str
    staff: str | None
    role: str
    pair: int
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
    """A partition of a room with interview positions against its requirement
    (:func:`requirement`): ``guidance`` its key, ``required_rw`` its value [dB].

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
    guidance: str = CONFIDENTIAL.key


@dataclass(frozen=True)
class RoomAnswer:
    """A room's privacy: status over its interview positions, the rooms where it is heard,
    and the interview positions it overhears (for waiting rooms and corridors). What changes
    its verdict: :meth:`PrivacyResult.fix`."""

    room: str
    kind: str
    status: str
    positions: tuple[str, ...]
    heard_in: tuple[str, ...]
    exposure_in: tuple[str, ...]
    overhears: tuple[str, ...]
    partitions: tuple[PartitionCheck, ...]


@dataclass(frozen=True)
class PrivacyResult:
    """Everything :func:`roomplan.privacy.assess_privacy` found.

    ``metrics`` holds the pair arrays for the criteria's voice, ``check`` those for the
    check voice (or None); pair p joins ``talkers.ids[transfer.talker[p]]`` and
    ``listeners.ids[transfer.listener[p]]``. Paths and fixes are found on demand."""

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

    def path(self, pair: int) -> tuple[str, ...]:
        """Features along a pair's strongest path, talker side first: doors, windows and
        partition ids ("1.11|1.12" for a wall); empty in the same room."""
        return tuple(self.transfer.model.elements.feature[e] for e in self.transfer.path(pair))

    @cached_property
    def _fixes(self) -> dict[str, Any]:
        return {}

    @cached_property
    def _trials(self) -> dict[str, dict]:
        """Upgraded plans tried by the fixes and their sound transfers, shared by every room,
        and each room's trials (:func:`roomplan.privacy.fixes.room_fix`)."""
        return {"transfers": {}, "seen": {}}

    def fix(self, room_id: str) -> RoomFix:
        """What changes the room's verdict, found by trying upgrades
        (:func:`roomplan.privacy.fixes.room_fix`); computed once per room, on demand."""
        from roomplan.privacy.fixes import room_fix

        if room_id not in self._fixes:
            self._fixes[room_id] = room_fix(self, room_id)
        return self._fixes[room_id]

    def pair_rows(
        self, talker: str | None = None, only_failing: bool = False
    ) -> list[dict[str, Any]]:
        """Pairs as rows (talker, listener, metrics, path), optionally for one talker position."""
        tr, m = self.transfer, self.metrics
        sel = np.ones(self.n_pairs, dtype=bool)
        if talker is not None:
            sel &= tr.talkers.ids[tr.talker] == talker
        if only_failing:
            sel &= ~m.acceptable
        return [
            {
                "talker": tr.talkers.ids[tr.talker[p]],
                "listener": tr.listeners.ids[tr.listener[p]],
                "level_dba": float(m.level_dba[p]),
                "snr_uni32": float(m.snr_uni32[p]),
                "privacy_index": float(m.privacy_index[p]),
                "sii": float(m.sii[p]),
                "spc": None if np.isnan(m.spc[p]) else float(m.spc[p]),
                "verdict": VERDICTS[m.verdict[p]],
                "acceptable": bool(m.acceptable[p]),
                "path": list(self.path(int(p))),
            }
            for p in np.flatnonzero(sel)
        ]


# -- building the answers --------------------------------------------------------------
@dataclass(frozen=True)
class _Evaluation:
    """One evaluation's pairs: the transfer, the metrics (and the check voice's), each
    pair's listener kind, and whether its listener is only passing by."""

    tr: Transfer
    metrics: PairMetrics
    check: PairMetrics | None
    kinds: np.ndarray
    transient: np.ndarray
    failing: np.ndarray


def answer(
    plan: Plan,
    criteria: Criteria,
    tr: Transfer,
    metrics: PairMetrics,
    check: PairMetrics | None,
    guidance: bool = True,
) -> tuple[tuple[PositionAnswer, ...], tuple[RoomAnswer, ...], tuple[PartitionCheck, ...]]:
    """The position, room and partition answers for one evaluation; without ``guidance`` no
    partition is checked against it (a trial that needs only the verdicts)."""
    kinds = tr.listeners.kind[tr.listener]
    ev = _Evaluation(
        tr,
        metrics,
        check,
        kinds,
        np.isin(kinds, TRANSIENT_KINDS) & (not criteria.transient_occupied),
        ~metrics.acceptable,
    )
    shown, crowd_listeners = _shown_pairs(ev)
    by_talker: dict[int, list[int]] = {}
    for p in shown.tolist():
        by_talker.setdefault(tr.talker[p], []).append(p)
    positions = [
        _position(plan, ev, t, by_talker.get(t, []), crowd_listeners)
        for t in range(len(tr.talkers.ids))
    ]
    partitions = _partition_checks(plan, tr) if guidance else ()
    rooms = _room_answers(plan, positions, partitions)
    return tuple(positions), rooms, partitions


def _shown_pairs(ev: _Evaluation) -> tuple[np.ndarray, dict[tuple[int, bool], list[str]]]:
    """The pairs each position lists, and who of a crowd hears it (by talker and whether
    passing by). People always or now and then present in a room give one hearing per talker
    and room, the loudest place there; the others are listed by id (always, exposure)."""
    tr, metrics = ev.tr, ev.metrics
    failing_any = ev.failing | (~ev.check.acceptable if ev.check is not None else False)
    crowd = ev.transient | (ev.kinds == "waiting") | np.isin(ev.kinds, TRANSIENT_KINDS)
    candidates = np.flatnonzero(failing_any)
    exposure = candidates[crowd[candidates]]
    order = np.lexsort(
        (-metrics.snr_uni32[exposure], tr.listener_room[exposure], tr.talker[exposure])
    )
    exposure = exposure[order]
    first = np.r_[
        True, (np.diff(tr.talker[exposure]) != 0) | (np.diff(tr.listener_room[exposure]) != 0)
    ]
    first = first[: len(exposure)]
    crowd_listeners: dict[tuple[int, bool], list[str]] = {}
    for p in exposure[ev.failing[exposure]]:
        crowd_listeners.setdefault((int(tr.talker[p]), bool(ev.transient[p])), []).append(
            tr.listeners.ids[tr.listener[p]]
        )
    shown = np.sort(np.concatenate([candidates[~crowd[candidates]], exposure[first]]))
    return shown, crowd_listeners


def _hearing_role(plan: Plan, ev: _Evaluation, p: int, caseworker) -> tuple[str, str | None]:
    """What a listener of pair ``p`` means for the interview (see :data:`ROLE_ORDER`) and
    the staff member sitting there; ("", None) for a desk nobody sits at."""
    kind = ev.kinds[p]
    if kind == "desk":
        occupant = plan.occupants.get(ev.tr.listeners.desk[ev.tr.listener[p]])
        if occupant is None:
            return "", None  # nobody sits there
        exempt = caseworker and has_need_to_know(occupant, caseworker)
        return ("exempt" if exempt else "blocks"), occupant.id
    if kind in ("chair", "room"):
        return "blocks", None
    if kind == "waiting" or kind in TRANSIENT_KINDS:
        return ("always" if not ev.transient[p] else "exposure"), None
    return "exposure", None


def _position(
    plan: Plan,
    ev: _Evaluation,
    t: int,
    pairs: list[int],
    crowd_listeners: dict[tuple[int, bool], list[str]],
) -> PositionAnswer:
    """The answer for talker position ``t`` from its shown ``pairs``."""
    listeners, talkers = ev.tr.listeners, ev.tr.talkers
    desk = talkers.desk[t]
    caseworker = plan.occupants.get(desk) if desk is not None else None
    hearings, empty, idle, exempt = [], [], [], []
    for p in pairs:
        li = ev.tr.listener[p]
        lid, kind = listeners.ids[li], ev.kinds[p]
        role, staff = _hearing_role(plan, ev, p, caseworker)
        if not role:
            continue
        raised_only = not ev.failing[p]
        source = ev.check if raised_only and ev.check is not None else ev.metrics
        hearings.append(
            Hearing(
                listener=lid,
                kind=kind,
                room=listeners.room[li],
                staff=staff,
                role=role,
                pair=p,
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
            exempt.append(listeners.desk[li])
        elif role == "blocks" and kind == "desk":
            empty.append(listeners.desk[li])
        elif role == "blocks":
            idle.append(f"desk:{listeners.desk[li]}" if kind == "chair" else lid)
    always = crowd_listeners.get((t, False), [])
    status = "never" if always else ("conditional" if empty or idle else "private")
    hearings.sort(key=lambda h: (h.raised_only, ROLE_ORDER[h.role], -h.snr_uni32))
    return PositionAnswer(
        position=str(talkers.ids[t]),
        room=talkers.room[t],
        desk=desk,
        caseworker=caseworker.id if caseworker else None,
        status=status,
        empty_desks=tuple(dict.fromkeys(empty)),
        idle_positions=tuple(dict.fromkeys(idle)),
        always=tuple(always),
        exposure=tuple(crowd_listeners.get((t, True), ())),
        exempt=tuple(dict.fromkeys(exempt)),
        hearings=tuple(hearings),
    )


def requirement(plan: Plan, part: Partition) -> Guidance:
    """The requirement of a partition: towards a corridor through a wall with a door,
    :data:`CONFIDENTIAL_CORRIDOR`; towards any other room, :data:`CONFIDENTIAL`."""
    kinds = {plan.room(r).kind for r in part.rooms}
    if "corridor" in kinds and part.doors:
        return CONFIDENTIAL_CORRIDOR
    return CONFIDENTIAL


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
        need = requirement(plan, part)
        out.append(
            PartitionCheck(
                partition=part.id,
                rooms=part.rooms,
                kind=part.kind,
                wall_rw=part.rating.rw,
                composite_rw=round(composite, 1),
                required_rw=need.required_rw,
                passes=composite >= need.required_rw,
                weakest=weakest,
                guidance=need.key,
            )
        )
    return tuple(out)


def _room_answers(
    plan: Plan, positions: list[PositionAnswer], partitions: tuple[PartitionCheck, ...]
) -> tuple[RoomAnswer, ...]:
    by_room: dict[str, list[PositionAnswer]] = {}
    overhears: dict[str, set[str]] = {}
    for pa in positions:
        by_room.setdefault(pa.room, []).append(pa)
        for h in pa.hearings:
            if h.room != pa.room and not h.raised_only:
                overhears.setdefault(h.room, set()).add(pa.position)
    checks: dict[str, list[PartitionCheck]] = {}
    for c in partitions:
        for r in c.rooms:
            checks.setdefault(r, []).append(c)
    out = []
    for room in plan.rooms:
        mine = by_room.get(room.id, [])
        statuses = {p.status for p in mine}
        if not mine:
            status = "none"
        elif len(statuses) == 1:
            status = statuses.pop()
        else:
            status = "conditional"
        heard, exposed = [], []
        for pa in mine:
            for h in pa.hearings:
                if h.raised_only or h.room == room.id:
                    continue
                if h.role in ("blocks", "always"):
                    heard.append(h.room)
                elif h.role == "exposure":
                    exposed.append(h.room)
        out.append(
            RoomAnswer(
                room=room.id,
                kind=room.kind,
                status=status,
                positions=tuple(p.position for p in mine),
                heard_in=tuple(dict.fromkeys(heard)),
                exposure_in=tuple(dict.fromkeys(exposed)),
                overhears=tuple(sorted(overhears.get(room.id, ()))),
                partitions=tuple(checks.get(room.id, ())),
            )
        )
    return tuple(out)
