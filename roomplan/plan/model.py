"""The plan model: immutable values in metres.

A :class:`Plan` holds rooms, doors, windows, desks, screens, staff and devices.
Partitions are not stored: they are derived from the rooms' shared edges
(:mod:`roomplan.plan.geometry`), so moving a wall cannot leave a stale partition.
Edits return new values (``plan.replace(...)``, ``room.replace(...)``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Any, Self

from shapely import LineString, Point, Polygon

Coord = tuple[float, float]

ROOM_KINDS = ("office", "interview", "waiting", "corridor", "staff", "other")
"""Room kinds. Interviews happen in offices and interview rooms; waiting rooms and
corridors hold members of the public; staff rooms (lunch room, kitchen) colleagues at times."""

KINDS_IN_WORDS = (
    "office (kontor), interview (samtalerum), waiting (venteværelse), "
    "corridor (gang), staff (frokoststue, personalerum), other (andet)"
)
"""The room kinds with the Danish words users know them by, for error messages."""

DEVICE_KINDS = ("camera", "webcam", "microphone", "smart_speaker")


def _freeze(mapping: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping or {}))


def room_pair(a: str, b: str) -> tuple[str, str]:
    """The two room ids in the order partitions are keyed by."""
    return (a, b) if a <= b else (b, a)


@dataclass(frozen=True)
class _Value:
    """Shared behaviour of the plan's values. They pickle (to worker processes) as their
    fields alone: read-only mappings as plain ones, frozen again on arrival, and values
    derived once per plan (look-ups, partitions, the spatial index) made again when asked."""

    def __getstate__(self) -> dict[str, Any]:
        names = {f.name for f in dataclasses.fields(self)}
        return {
            k: dict(v) if isinstance(v, MappingProxyType) else v
            for k, v in self.__dict__.items()
            if k in names
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        for k, v in state.items():
            object.__setattr__(self, k, _freeze(v) if isinstance(v, dict) else v)

    def replace(self, **changes: Any) -> Self:
        """A copy with ``changes`` applied (the value itself never changes)."""
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True)
class Rating(_Value):
    """A sound reduction rating of a building element.

    rw: field sound reduction index R'w [dB] (ISO 717-1).
    construction: what the element is built of, in words.
    source: where the value comes from, or that it is an assumption.
    measured: the value was measured in the field (ISO 16283-1), not assumed.
    """

    rw: float
    construction: str = ""
    source: str = ""
    measured: bool = False


@dataclass(frozen=True)
class Room(_Value):
    """A room: a polygon [m] with what the acoustics and the schedule need.

    ceiling_height [m]; noise_dba: background noise [dB(A)] without masking;
    masking_dba: sound masking level [dB(A)] or None; rt60: reverberation time [s];
    noise_measured: the background noise was measured in the room in use, not assumed.
    """

    id: str
    name: str
    kind: str
    polygon: Polygon
    ceiling_height: float = 2.7
    windows: bool = False
    noise_dba: float = 35.0
    masking_dba: float | None = None
    rt60: float = 0.6
    noise_measured: bool = False

    @property
    def area(self) -> float:
        """Floor area [m²]."""
        return float(self.polygon.area)

    @property
    def volume(self) -> float:
        """Volume [m³]."""
        return self.area * self.ceiling_height


@dataclass(frozen=True)
class Opening(_Value):
    """A door or window: a segment [m] along a wall between ``rooms``.

    ``rooms[1]`` is None for an opening to the outside. ``is_open`` marks a door that
    normally stands open (or a doorway without a leaf): it then transmits like a hole.
    ``gap_m2`` is the area of open gaps around a closed leaf (undercut) [m²].
    """

    id: str
    rooms: tuple[str, str | None]
    segment: tuple[Coord, Coord]
    height: float
    rating: Rating
    is_open: bool = False
    gap_m2: float = 0.0

    @property
    def width(self) -> float:
        """Width of the opening [m]."""
        return self.line.length

    @property
    def area(self) -> float:
        """Area of the opening [m²]."""
        return self.width * self.height

    @cached_property
    def line(self) -> LineString:
        return LineString(self.segment)


@dataclass(frozen=True)
class Door(Opening):
    """A door (see :class:`Opening`)."""


@dataclass(frozen=True)
class Window(Opening):
    """A window or glazed panel (see :class:`Opening`); between two rooms it is glazing
    in the partition, to the outside it is a window in the facade."""


@dataclass(frozen=True)
class Desk(_Value):
    """A workplace: the caseworker's seat and, if interviews are held at it, the
    citizen's chair (positions [m]). ``room`` is the room the seat lies in."""

    id: str
    room: str
    seat: Coord
    chair: Coord | None = None

    @cached_property
    def point(self) -> Point:
        return Point(self.seat)


@dataclass(frozen=True)
class Screen(_Value):
    """A free-standing screen between desks: a segment [m] with its height [m]."""

    id: str
    room: str
    segment: tuple[Coord, Coord]
    height: float = 1.4
    absorbent: bool = False

    @cached_property
    def line(self) -> LineString:
        return LineString(self.segment)


@dataclass(frozen=True)
class Staff(_Value):
    """A member of staff. ``need_to_know`` names the groups whose cases this person may
    hear (substitute, rotation, joint cases): colleagues sharing a group are not
    eavesdroppers on each other's interviews (forvaltningsloven § 32)."""

    id: str
    role: str = "sagsbehandler"
    desk: str | None = None
    holds_interviews: bool = True
    max_interviews: int = 36
    need_to_know: tuple[str, ...] = ()


@dataclass(frozen=True)
class Device(_Value):
    """A camera, webcam, microphone or smart speaker at ``position`` [m].

    direction_deg: where it points, degrees counter-clockwise from +x;
    fov_deg: horizontal field of view [°]; range_m: how far it sees or hears [m];
    recording: stores what it captures (else live only); retention_days: how long;
    signage: the area is signposted as surveilled.
    """

    id: str
    kind: str
    room: str
    position: Coord
    direction_deg: float = 0.0
    fov_deg: float = 90.0
    range_m: float = 10.0
    recording: bool = False
    retention_days: int | None = None
    signage: bool = False

    @cached_property
    def point(self) -> Point:
        return Point(self.position)


@dataclass(frozen=True)
class PartitionRating(_Value):
    """The rating of the partition between two named rooms, overriding the default."""

    rooms: tuple[str, str]
    rating: Rating


@dataclass(frozen=True)
class Defaults(_Value):
    """Plan-level defaults, used where a feature does not say.

    ``partitions`` maps a partition kind to its rating. The kind of a partition is the
    two room kinds joined by ``/`` in alphabetical order (``"corridor/office"``);
    ``"default"`` covers the rest.
    """

    ceiling_height: float = 2.7
    door_height: float = 2.1
    noise_dba: Mapping[str, float] = field(default_factory=dict)
    rt60: Mapping[str, float] = field(default_factory=dict)
    partitions: Mapping[str, Rating] = field(default_factory=dict)
    door: Rating = Rating(
        20.0, "hollow-core door, ordinary gaps", "[TYPICAL] docs/references.md (19-20 dB)"
    )
    window: Rating = Rating(26.0, "ordinary window", "[TYPICAL] docs/references.md")

    def __post_init__(self) -> None:
        for name in ("noise_dba", "rt60", "partitions"):
            object.__setattr__(self, name, _freeze(getattr(self, name)))

    def partition_rating(self, kind: str) -> Rating:
        """The default rating of a partition of ``kind`` (see the class docstring)."""
        return self.partitions.get(kind) or self.partitions.get("default") or FALLBACK_WALL


FALLBACK_WALL = Rating(
    38.0,
    "single stud wall, one gypsum layer each side, no insulation",
    "[TYPICAL] docs/references.md (38-40 dB, assumed); used when the plan gives no default",
)


@dataclass(frozen=True)
class Plan(_Value):
    """A floor plan. Coordinates are metres in a local system.

    Lookups (``plan.room(id)``), the derived partitions and the spatial index are
    computed once per plan value; an edit makes a new plan that computes its own.
    """

    name: str
    rooms: tuple[Room, ...]
    doors: tuple[Door, ...] = ()
    windows: tuple[Window, ...] = ()
    desks: tuple[Desk, ...] = ()
    screens: tuple[Screen, ...] = ()
    staff: tuple[Staff, ...] = ()
    devices: tuple[Device, ...] = ()
    partition_ratings: tuple[PartitionRating, ...] = ()
    defaults: Defaults = field(default_factory=Defaults)
    site: str = ""
    description: str = ""
    notes: tuple[str, ...] = ()

    # -- look-ups ---------------------------------------------------------------
    @cached_property
    def _by_id(self) -> dict[str, dict[str, Any]]:
        return {
            "room": {r.id: r for r in self.rooms},
            "door": {d.id: d for d in self.doors},
            "window": {w.id: w for w in self.windows},
            "desk": {d.id: d for d in self.desks},
            "screen": {s.id: s for s in self.screens},
            "staff": {s.id: s for s in self.staff},
            "device": {d.id: d for d in self.devices},
        }

    def room(self, room_id: str) -> Room:
        return self._by_id["room"][room_id]

    def desk(self, desk_id: str) -> Desk:
        return self._by_id["desk"][desk_id]

    def door(self, door_id: str) -> Door:
        return self._by_id["door"][door_id]

    def member(self, staff_id: str) -> Staff:
        return self._by_id["staff"][staff_id]

    @cached_property
    def occupants(self) -> Mapping[str, Staff]:
        """Desk id -> the staff member who sits there."""
        return MappingProxyType({s.desk: s for s in self.staff if s.desk is not None})

    def desks_in(self, room_id: str) -> tuple[Desk, ...]:
        return tuple(d for d in self.desks if d.room == room_id)

    def rooms_of_kind(self, kind: str) -> tuple[Room, ...]:
        return tuple(r for r in self.rooms if r.kind == kind)

    # -- derived geometry ---------------------------------------------------------
    @cached_property
    def index(self):
        """Spatial index of the rooms (:class:`roomplan.plan.geometry.RoomIndex`)."""
        from roomplan.plan.geometry import RoomIndex

        return RoomIndex(self.rooms)

    @cached_property
    def partitions(self):
        """The partitions between rooms, derived from shared edges
        (tuple of :class:`roomplan.plan.geometry.Partition`)."""
        from roomplan.plan.geometry import derive_partitions

        return derive_partitions(self)

    @cached_property
    def _partition_by_rooms(self) -> dict[tuple[str, str], Any]:
        return {p.rooms: p for p in self.partitions}

    def partition(self, a: str, b: str):
        """The partition between rooms ``a`` and ``b``, or None if they share no wall."""
        return self._partition_by_rooms.get(room_pair(a, b))

    # -- edits ---------------------------------------------------------------------
    def with_room(self, room: Room) -> Plan:
        """A copy with ``room`` replacing the room of the same id."""
        return self.replace(rooms=tuple(room if r.id == room.id else r for r in self.rooms))

    def with_door(self, door: Door) -> Plan:
        """A copy with ``door`` replacing the door of the same id."""
        return self.replace(doors=tuple(door if d.id == door.id else d for d in self.doors))

    def with_partition_rating(self, a: str, b: str, rating: Rating) -> Plan:
        """A copy where the partition between ``a`` and ``b`` has ``rating``."""
        key = room_pair(a, b)
        kept = tuple(p for p in self.partition_ratings if room_pair(*p.rooms) != key)
        return self.replace(partition_ratings=kept + (PartitionRating(key, rating),))

    def summary(self) -> dict[str, Any]:
        """Counts for a one-line description of the plan."""
        kinds = {k: 0 for k in ROOM_KINDS}
        for r in self.rooms:
            kinds[r.kind] += 1
        desk_rooms = {d.id: d.room for d in self.desks}
        office_sizes: dict[str, int] = {}
        for d in self.desks:
            if self.room(d.room).kind == "office":
                office_sizes[d.room] = office_sizes.get(d.room, 0) + 1
        return {
            "rooms": len(self.rooms),
            "kinds": kinds,
            "office_sizes": sorted(office_sizes.values(), reverse=True),
            "interview_rooms_windowless": sum(
                1 for r in self.rooms if r.kind == "interview" and not r.windows
            ),
            "desks": len(self.desks),
            "staff": len(self.staff),
            "interviewing": sum(1 for s in self.staff if s.holds_interviews),
            "staff_without_desk": sum(
                1 for s in self.staff if s.desk is None or s.desk not in desk_rooms
            ),
            "doors": len(self.doors),
            "devices": len(self.devices),
        }
