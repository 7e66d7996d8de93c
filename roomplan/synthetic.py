"""Generated floors for benchmarks and tests: wings of offices and interview rooms on both
sides of a corridor, with a waiting room at the head of each wing.

Deterministic for a given size and seed, valid by construction (checked on creation).
"""

from __future__ import annotations

import numpy as np
from shapely import box

from roomplan.plan.checks import check_plan
from roomplan.plan.model import Defaults, Desk, Door, Plan, Rating, Room, Staff
from roomplan.plan.problems import PlanError

ROOM_WIDTH = 3.6
ROOM_DEPTH = 5.0
CORRIDOR_WIDTH = 2.0
ROOMS_PER_SIDE = 12
"""Rooms on each side of a wing's corridor: a fire section of about 24 rooms."""

DEFAULTS = Defaults(
    partitions={
        "default": Rating(40.0, "stud wall", "generated"),
        "corridor/office": Rating(42.0, "masonry", "generated"),
        "corridor/interview": Rating(42.0, "masonry", "generated"),
    },
    door=Rating(25.0, "solid-core door, poor seals", "generated"),
)


def _wing(
    w: int, length: float, waiting_door: Rating
) -> tuple[list[Room], Door, float, float, float]:
    """Wing ``w``'s corridor and waiting room, the door between them, and the wing's y
    coordinates: (rooms, door, y0, corridor y0, corridor y1)."""
    y0 = w * (2 * ROOM_DEPTH + CORRIDOR_WIDTH)
    cy0, cy1 = y0 + ROOM_DEPTH, y0 + ROOM_DEPTH + CORRIDOR_WIDTH
    corridor, waiting = f"W{w}-G", f"W{w}-V"
    rooms = [
        Room(corridor, "Gang", "corridor", box(0, cy0, length, cy1), rt60=0.9),
        Room(
            waiting,
            "Venteværelse",
            "waiting",
            box(0, cy1, 2 * ROOM_WIDTH, cy1 + ROOM_DEPTH),
            windows=True,
        ),
    ]
    door = Door(
        f"D{waiting}",
        (waiting, corridor),
        ((ROOM_WIDTH * 0.5, cy1), (ROOM_WIDTH * 1.5, cy1)),
        2.1,
        waiting_door,
    )
    return rooms, door, y0, cy0, cy1


def _side_room(
    w: int, side: int, i: int, kind: str, y0: float, cy0: float, cy1: float, door: Rating
) -> tuple[Room, Door]:
    """The ``i``-th room on ``side`` (0 south, 1 north) of wing ``w``'s corridor, with its
    door to the corridor."""
    x0 = (i + (2 if side else 0)) * ROOM_WIDTH
    ry0, ry1 = (y0, cy0) if side == 0 else (cy1, cy1 + ROOM_DEPTH)
    rid = f"W{w}-{'S' if side == 0 else 'N'}{i:02d}"
    room = Room(
        rid,
        rid,
        kind,
        box(x0, ry0, x0 + ROOM_WIDTH, ry1),
        windows=True,
        noise_dba=35.0 if kind == "office" else 30.0,
    )
    wall_y = cy0 if side == 0 else cy1
    return room, Door(
        f"D{rid}", (rid, f"W{w}-G"), ((x0 + 2.5, wall_y), (x0 + 3.4, wall_y)), 2.1, door
    )


def _checked(name: str, rooms, doors, desks, staff, defaults: Defaults) -> Plan:
    plan = Plan(
        name=name,
        rooms=tuple(rooms),
        doors=tuple(doors),
        desks=tuple(desks),
        staff=tuple(staff),
        defaults=defaults,
    )
    problems = check_plan(plan)
    if problems:
        raise PlanError(problems)
    return plan


def generated_floor(n_rooms: int, interview_share: float = 0.2, seed: int = 0) -> Plan:
    """A floor of ``n_rooms`` offices and interview rooms (plus one corridor and one waiting
    room per wing of up to 24 rooms). Offices hold two desks with chairs, so a floor has
    about four listening positions per room."""
    rng = np.random.default_rng(seed)
    rooms: list[Room] = []
    doors: list[Door] = []
    desks: list[Desk] = []
    staff: list[Staff] = []
    wings = -(-n_rooms // (2 * ROOMS_PER_SIDE))
    left = n_rooms
    for w in range(wings):
        per_side = min(ROOMS_PER_SIDE, -(-left // 2))
        wing, door, y0, cy0, cy1 = _wing(w, (per_side + 2) * ROOM_WIDTH, Rating(25.0, "door"))
        rooms += wing
        doors.append(door)
        for side in (0, 1):
            count = min(per_side, left)
            for i in range(count):
                kind = "interview" if rng.random() < interview_share else "office"
                room, door = _side_room(w, side, i, kind, y0, cy0, cy1, DEFAULTS.door)
                rooms.append(room)
                doors.append(door)
                if kind == "office":
                    rid, (x0, ry0, _, ry1) = room.id, room.polygon.bounds
                    near = ry0 + 1.2 if side == 0 else ry1 - 1.2
                    far = ry1 - 1.2 if side == 0 else ry0 + 1.2
                    step = 1.0 if side == 0 else -1.0
                    for tag, (x, y) in (("A", (x0 + 0.9, near)), ("B", (x0 + 2.7, far))):
                        chair_y = y + step if tag == "A" else y - step
                        desks.append(Desk(f"{rid}-{tag}", rid, (x, y), (x, chair_y)))
                        staff.append(Staff(f"S{len(staff) + 1:04d}", desk=f"{rid}-{tag}"))
            left -= count
    return _checked(f"generated floor, {n_rooms} rooms", rooms, doors, desks, staff, DEFAULTS)


def generated_site(
    offices: int = 24, interview_rooms: int = 20, caseworkers: int = 60, seed: int = 0
) -> Plan:
    """A jobcenter floor for the capacity benchmark: shared offices (``caseworkers`` spread
    over ``offices``, two or three each) and interview rooms along one corridor per wing, a
    waiting room with a closed door at the head of each wing. Walls between rooms are heavy
    (56 dB, above BR18's 52 for confidential rooms), doors acoustic door sets (40 dB): interview
    rooms are private, a shared office only while the colleagues in it are away."""
    rng = np.random.default_rng(seed)
    per_office = [
        caseworkers // offices + (1 if i < caseworkers % offices else 0) for i in range(offices)
    ]
    kinds = ["office"] * offices + ["interview"] * interview_rooms
    rng.shuffle(kinds)
    rooms: list[Room] = []
    doors: list[Door] = []
    desks: list[Desk] = []
    staff: list[Staff] = []
    wall = Rating(56.0, "double stud wall, insulated", "generated")
    defaults = Defaults(
        partitions={"default": wall}, door=Rating(40.0, "acoustic door set", "generated")
    )
    per_wing = 2 * ROOMS_PER_SIDE
    wings = -(-len(kinds) // per_wing)
    office_index = 0
    for w in range(wings):
        chunk = kinds[w * per_wing : (w + 1) * per_wing]
        per_side = -(-len(chunk) // 2)
        wing, door, y0, cy0, cy1 = _wing(
            w, (per_side + 2) * ROOM_WIDTH, Rating(30.0, "glazed door, closed")
        )
        rooms += wing
        doors.append(door)
        for k, kind in enumerate(chunk):
            side, i = k % 2, k // 2
            room, door = _side_room(w, side, i, kind, y0, cy0, cy1, defaults.door)
            rooms.append(room)
            doors.append(door)
            if kind != "office":
                continue
            rid, (x0, ry0, _, ry1) = room.id, room.polygon.bounds
            n = per_office[office_index]
            office_index += 1
            for j in range(n):
                x = x0 + 0.6 + j * (ROOM_WIDTH - 1.2) / max(n - 1, 1)
                near, step = (ry0 + 1.2, 1.0) if side == 0 else (ry1 - 1.2, -1.0)
                did = f"{rid}-{'ABC'[j]}"
                desks.append(Desk(did, rid, (x, near), (x, near + step)))
                staff.append(Staff(f"S{len(staff) + 1:03d}", desk=did))
    name = f"generated site, {caseworkers} caseworkers"
    return _checked(name, rooms, doors, desks, staff, defaults)
