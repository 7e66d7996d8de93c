"""Cameras and microphones that watch desks or listen to interviews.

Employees must not be placed under camera surveillance, confidential conversations must not be
seen or heard by anyone without need-to-know, building cameras need signage, and recordings are
kept at most 30 days ([TVL], [DT-VIDEO] and the [AALBORG] case in docs/references.md).

Cameras and webcams: the field of view is the sector given by position, direction, angle and
range, clipped by the walls. It fills the camera's own room and continues into a neighbouring
room only through a window in the partition, a glazed partition (a partition whose construction
names glass) or a door that stands open, inside the cone the opening leaves (one room beyond;
rooms are taken as convex). A seat counts as seen when the view comes within
:data:`SEAT_RADIUS` of it, a person's reach.

Microphones and smart speakers are listeners: the privacy engine tells what they hear of every
interview position (:func:`roomplan.privacy.listen.heard_at`), judged like a person standing there.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import shapely
from shapely.geometry import Point, Polygon

from roomplan.i18n import DEFAULT_LANG, fmt_num, t
from roomplan.plan.model import Device, Door, Plan
from roomplan.privacy.criteria import Criteria
from roomplan.privacy.listen import heard_at

CAMERAS = ("camera", "webcam")
LISTENERS = ("microphone", "smart_speaker")

MAX_RETENTION_DAYS = 30
"""Longest lawful retention of recordings [days] (tv-overvågningsloven § 4c, stk. 4)."""

SEAT_RADIUS = 0.3
"""A seat counts as seen when the view comes this close [m]."""

MIN_AREA = 0.05
"""A room counts as seen when this much of its floor is in view [m²]."""

ARC_STEP_DEG = 3.0
"""Angular step of the view's arc [°]."""

SEVERITIES = ("high", "medium", "low")

RULES = (
    "employee_surveillance",
    "confidential_view",
    "overhears_interview",
    "signage",
    "retention",
    "retention_unknown",
)
"""The rules a device can break, most serious first; each has ``device.rule.<rule>``,
``device.fix.<rule>`` and ``device.law.<rule>`` in the catalogues."""


# -- geometry ----------------------------------------------------------------------
def sector(device: Device, step_deg: float = ARC_STEP_DEG) -> Polygon:
    """The device's view before walls: a disc sector of ``range_m`` [m] and ``fov_deg`` [°]
    around ``direction_deg`` (counter-clockwise from +x)."""
    x, y = device.position
    if device.fov_deg >= 360:
        return Point(x, y).buffer(device.range_m, quad_segs=32)
    half = device.fov_deg / 2
    n = max(2, math.ceil(device.fov_deg / step_deg) + 1)
    angles = [
        math.radians(device.direction_deg - half + device.fov_deg * k / (n - 1)) for k in range(n)
    ]
    arc = [(x + device.range_m * math.cos(a), y + device.range_m * math.sin(a)) for a in angles]
    return Polygon([(x, y), *arc])


def _cone(apex: tuple[float, float], segment, reach: float) -> Polygon | None:
    """The wedge behind ``segment`` as seen from ``apex``, out to ``reach`` [m] from it."""
    (ax, ay), (bx, by) = segment
    px, py = apex
    a0 = math.atan2(ay - py, ax - px)
    a1 = math.atan2(by - py, bx - px)
    sweep = (a1 - a0 + math.pi) % (2 * math.pi) - math.pi  # the short way round, under 180°
    if abs(sweep) < 1e-9 or min(math.hypot(ax - px, ay - py), math.hypot(bx - px, by - py)) < 1e-9:
        return None
    n = max(2, math.ceil(abs(math.degrees(sweep)) / ARC_STEP_DEG) + 1)
    step = abs(sweep) / (n - 1)
    radius = (reach + 1.0) / math.cos(step / 2)  # the chords stay beyond reach
    arc = [
        (
            px + radius * math.cos(a0 + sweep * k / (n - 1)),
            py + radius * math.sin(a0 + sweep * k / (n - 1)),
        )
        for k in range(n)
    ]
    cone = Polygon([(ax, ay), *arc, (bx, by)])
    return cone if cone.is_valid else cone.buffer(0)


def _glazed(construction: str) -> bool:
    words = construction.lower()
    return "glas" in words or "glaz" in words


def see_through(plan: Plan, room_id: str) -> list[tuple[str, Any]]:
    """The openings a camera in ``room_id`` sees through: (neighbour room id, segment or line)
    for each window to another room, each door standing open and each glazed partition."""
    out: list[tuple[str, Any]] = []
    for opening in (*plan.windows, *plan.doors):
        a, b = opening.rooms
        if room_id not in opening.rooms or a is None or b is None:
            continue
        if isinstance(opening, Door) and not opening.is_open:
            continue
        out.append((b if a == room_id else a, opening.segment))
    for part in plan.partitions:
        if room_id in part.rooms and _glazed(part.rating.construction):
            other = part.rooms[1] if part.rooms[0] == room_id else part.rooms[0]
            lines = getattr(part.geometry, "geoms", [part.geometry])
            out.extend((other, tuple(line.coords)[:2]) for line in lines)
    return out


def field_of_view(plan: Plan, device: Device) -> Polygon:
    """What ``device`` sees [m²]: its sector inside its own room, and through the openings it
    sees through into the rooms beyond (see the module docstring)."""
    view = sector(device)
    if not device.room or device.room not in {r.id for r in plan.rooms}:
        return view
    own = plan.room(device.room).polygon
    parts = [view.intersection(own)]
    for other, segment in see_through(plan, device.room):
        cone = _cone(device.position, segment, device.range_m)
        if cone is None:
            continue
        beyond = view.intersection(cone).intersection(plan.room(other).polygon)
        if not beyond.is_empty:
            parts.append(beyond)
    seen = shapely.union_all(parts)
    return seen if not seen.is_empty else Polygon()


# -- findings ------------------------------------------------------------------------
@dataclass(frozen=True)
class DeviceFinding:
    """One device breaking one rule: ``covers`` names what it sees or hears (desk, room or
    interview position ids); ``params`` fill in the words."""

    device: str
    rule: str
    severity: str
    covers: tuple[str, ...] = ()
    params: dict[str, Any] = field(default_factory=dict)

    def _params(self, lang: str) -> dict[str, Any]:
        return {
            "device": self.device,
            **{
                k: fmt_num(v, 0, lang) if isinstance(v, float) else v
                for k, v in self.params.items()
            },
        }

    def message(self, lang: str = DEFAULT_LANG) -> str:
        return t(f"device.rule.{self.rule}", lang, **self._params(lang))

    def fix(self, lang: str = DEFAULT_LANG) -> str:
        return t(f"device.fix.{self.rule}", lang, **self._params(lang))

    def law(self, lang: str = DEFAULT_LANG) -> str:
        return t(f"device.law.{self.rule}", lang)

    def as_row(self, lang: str = DEFAULT_LANG) -> dict[str, str]:
        return {
            t("col.device", lang): self.device,
            t("col.severity", lang): t(f"severity.{self.severity}", lang),
            t("col.finding", lang): self.message(lang),
            t("col.law", lang): self.law(lang),
            t("col.fix", lang): self.fix(lang),
        }


@dataclass(frozen=True)
class DeviceFindings:
    """Every finding of a plan's devices, most serious first, and each camera's view."""

    plan: Plan
    findings: tuple[DeviceFinding, ...]
    views: dict[str, Polygon]

    def __len__(self) -> int:
        return len(self.findings)

    def __iter__(self) -> Iterator[DeviceFinding]:
        return iter(self.findings)

    def of(self, device_id: str) -> tuple[DeviceFinding, ...]:
        return tuple(f for f in self.findings if f.device == device_id)

    def rules(self, device_id: str | None = None) -> set[str]:
        """The rules broken (by one device, or by any)."""
        return {f.rule for f in self.findings if device_id in (None, f.device)}

    def rows(self, lang: str = DEFAULT_LANG) -> list[dict[str, str]]:
        return [f.as_row(lang) for f in self.findings]

    def as_dict(self, lang: str = DEFAULT_LANG) -> dict[str, Any]:
        """The JSON form (the CLI's ``--json``)."""
        return {
            "plan": self.plan.name,
            "devices": len(self.plan.devices),
            "findings": [
                {
                    "device": f.device,
                    "rule": f.rule,
                    "severity": f.severity,
                    "covers": list(f.covers),
                    "message": f.message(lang),
                    "law": f.law(lang),
                    "fix": f.fix(lang),
                }
                for f in self.findings
            ],
        }


def audit_devices(plan: Plan, criteria: Criteria | None = None) -> DeviceFindings:
    """The findings for every camera, webcam, microphone and smart speaker of ``plan``.
    ``criteria`` decide what a microphone overhears (the privacy defaults when None)."""
    findings: list[DeviceFinding] = []
    views = {d.id: field_of_view(plan, d) for d in plan.devices if d.kind in CAMERAS}
    for device in plan.devices:
        if device.kind in CAMERAS:
            findings += _camera_findings(plan, device, views[device.id])
        findings += _retention_findings(device)
    listeners = [d for d in plan.devices if d.kind in LISTENERS and d.room]
    if listeners:
        findings += _listener_findings(plan, listeners, criteria)
    order = {s: i for i, s in enumerate(SEVERITIES)}
    rank = {r: i for i, r in enumerate(RULES)}
    findings.sort(key=lambda f: (order[f.severity], rank[f.rule], f.device))
    return DeviceFindings(plan, tuple(findings), views)


def _near(view: Polygon, xy: tuple[float, float]) -> bool:
    return not view.is_empty and view.distance(Point(xy)) <= SEAT_RADIUS


def _camera_findings(plan: Plan, device: Device, view: Polygon) -> list[DeviceFinding]:
    out = []
    occupants = plan.occupants
    seats = [d for d in plan.desks if _near(view, d.seat)]
    if seats:
        ids = tuple(d.id for d in seats)
        staff = [occupants[d].id for d in ids if d in occupants]
        out.append(
            DeviceFinding(
                device.id,
                "employee_surveillance",
                "high",
                ids,
                {"desks": ", ".join(ids), "n": len(ids), "staff": ", ".join(staff) or "-"},
            )
        )
    chairs = [d.id for d in plan.desks if d.chair is not None and _near(view, d.chair)]
    rooms = [
        r.id
        for r in plan.rooms
        if r.kind == "interview" and view.intersection(r.polygon).area >= MIN_AREA
    ]
    if chairs or rooms:
        covers = tuple(f"room:{r}" for r in rooms) + tuple(f"desk:{c}" for c in chairs)
        what = [plan.room(r).name or r for r in rooms] + chairs
        out.append(
            DeviceFinding(device.id, "confidential_view", "high", covers, {"what": ", ".join(what)})
        )
    if not device.signage:
        public = [
            r.id
            for r in plan.rooms
            if r.kind == "waiting" and view.intersection(r.polygon).area >= MIN_AREA
        ]
        entrances = [
            door.id
            for door in plan.doors
            if None in door.rooms
            and _near(view, tuple(door.line.interpolate(0.5, normalized=True).coords[0]))
        ]
        if public or entrances or device.kind == "camera":
            covers = tuple(public) + tuple(entrances)
            out.append(
                DeviceFinding(
                    device.id,
                    "signage",
                    "medium",
                    covers,
                    {"what": ", ".join(covers) or "-"},
                )
            )
    return out


def _retention_findings(device: Device) -> list[DeviceFinding]:
    if not device.recording:
        return []
    if device.retention_days is None:
        return [DeviceFinding(device.id, "retention_unknown", "low")]
    if device.retention_days > MAX_RETENTION_DAYS:
        return [
            DeviceFinding(
                device.id,
                "retention",
                "medium",
                params={"days": device.retention_days, "max": MAX_RETENTION_DAYS},
            )
        ]
    return []


def _listener_findings(
    plan: Plan, devices: list[Device], criteria: Criteria | None
) -> list[DeviceFinding]:
    heard = heard_at(plan, [(d.room, d.position) for d in devices], criteria)
    out = []
    for i, device in enumerate(devices):
        mine = [k for k in range(len(heard.point)) if heard.point[k] == i]
        bad = [k for k in mine if not heard.acceptable[k]]
        if not bad:
            continue
        strongest = max(bad, key=lambda k: heard.snr_uni32[k])
        normal = any(
            heard.same_room[k] or heard.effort[k] == (criteria or Criteria()).effort for k in bad
        )
        out.append(
            DeviceFinding(
                device.id,
                "overhears_interview",
                "high" if normal else "medium",
                tuple(str(heard.talker[k]) for k in bad),
                {
                    "what": ", ".join(str(heard.talker[k]) for k in bad),
                    "snr": float(heard.snr_uni32[strongest]),
                },
            )
        )
    return out
