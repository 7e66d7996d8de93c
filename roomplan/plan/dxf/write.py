"""A plan written as a DXF drawing for CAD, in the conventions the reader takes.

Danish layer names (rum, rumtekst, dør, vindue, bord, stol, skærm, kamera), millimetres by
default, door and window blocks centred on the opening with their attributes.
"""

from __future__ import annotations

import io
import math
from typing import Any

from roomplan.plan.dxf.read import DOOR_WIDTH
from roomplan.plan.model import Plan


def write_dxf(plan: Plan, *, units: str = "mm") -> bytes:
    """A DXF drawing of ``plan`` in the conventions :func:`read_dxf` reads, with
    Danish layer names. ``units``: "mm" (the CAD default) or "m"."""
    w = _Writer({"mm": 1000.0, "m": 1.0}[units])
    w.doc.header["$INSUNITS"] = 4 if units == "mm" else 6
    w.rooms(plan)
    w.openings(plan)
    w.desks(plan)
    w.screens(plan)
    w.devices(plan)
    stream = io.StringIO()
    w.doc.write(stream)
    return stream.getvalue().encode("utf-8")


class _Writer:
    """A new drawing with roomplan's layers and blocks, ``factor`` drawing units a metre."""

    LAYERS = (
        ("rum", 7),
        ("rumtekst", 3),
        ("dør", 1),
        ("vindue", 5),
        ("bord", 2),
        ("stol", 6),
        ("skærm", 4),
        ("kamera", 1),
    )

    def __init__(self, factor: float):
        import ezdxf

        self.factor = factor
        self.doc = ezdxf.new("R2010", setup=False)
        for layer, colour in self.LAYERS:
            self.doc.layers.add(layer, color=colour)
        half = DOOR_WIDTH * factor / 2
        self.block("DOOR", half, ("ID", "RW", "CONSTRUCTION", "SOURCE", "OPEN"))
        self.block("WINDOW", half, ("ID", "RW", "CONSTRUCTION", "SOURCE"))
        self.block("DESK", 0.3 * factor, ("ID", "STAFF", "ROLE", "INTERVIEWS", "NTK"))
        self.block("CHAIR", 0.2 * factor, ())
        camera = ("ID", "KIND", "FOV", "RANGE", "RECORDING", "RETENTION", "SIGNAGE")
        self.block("CAMERA", 0.1 * factor, camera)
        self.msp = self.doc.modelspace()

    def block(self, name: str, half: float, attrs: tuple[str, ...]) -> None:
        b = self.doc.blocks.new(name)
        b.add_line((-half, 0), (half, 0))
        height = {"height": 0.05 * self.factor}
        for i, tag in enumerate(attrs):
            b.add_attdef(tag, (0, -0.1 * self.factor * (i + 1)), dxfattribs=height)

    def s(self, p) -> tuple[float, float]:
        return (p[0] * self.factor, p[1] * self.factor)

    def insert(self, name, layer, at, rotation=0.0, xscale=1.0, values=None) -> None:
        attribs = {"layer": layer, "rotation": rotation, "xscale": xscale}
        ref = self.msp.add_blockref(name, self.s(at), dxfattribs=attribs)
        ref.add_auto_attribs({k: str(v) for k, v in (values or {}).items()})

    def rooms(self, plan: Plan) -> None:
        for room in plan.rooms:
            self.msp.add_lwpolyline(
                [self.s(c) for c in room.polygon.exterior.coords[:-1]],
                close=True,
                dxfattribs={"layer": "rum"},
            )
            at = room.polygon.representative_point()
            self.msp.add_text(
                f"{room.id} {room.name}",
                height=0.25 * self.factor,
                dxfattribs={"layer": "rumtekst", "insert": self.s((at.x, at.y))},
            )

    def openings(self, plan: Plan) -> None:
        for layer, block_name, openings in (
            ("dør", "DOOR", plan.doors),
            ("vindue", "WINDOW", plan.windows),
        ):
            for o in openings:
                (x0, y0), (x1, y1) = o.segment
                angle = math.degrees(math.atan2(y1 - y0, x1 - x0))
                values = {
                    "ID": o.id,
                    "RW": o.rating.rw,
                    "CONSTRUCTION": o.rating.construction,
                    "SOURCE": o.rating.source,
                }
                if block_name == "DOOR":
                    values["OPEN"] = "ja" if o.is_open else "nej"
                middle = ((x0 + x1) / 2, (y0 + y1) / 2)
                self.insert(block_name, layer, middle, angle, o.width / DOOR_WIDTH, values)

    def desks(self, plan: Plan) -> None:
        for desk in plan.desks:
            member = plan.occupants.get(desk.id)
            values: dict[str, Any] = {"ID": desk.id}
            if member is not None:
                values.update(
                    STAFF=member.id,
                    ROLE=member.role,
                    INTERVIEWS=member.max_interviews if member.holds_interviews else 0,
                    NTK=",".join(member.need_to_know),
                )
            self.insert("DESK", "bord", desk.seat, values=values)
            if desk.chair is not None:
                self.insert("CHAIR", "stol", desk.chair)

    def screens(self, plan: Plan) -> None:
        for screen in plan.screens:
            self.msp.add_line(
                self.s(screen.segment[0]),
                self.s(screen.segment[1]),
                dxfattribs={"layer": "skærm", "thickness": screen.height * self.factor},
            )

    def devices(self, plan: Plan) -> None:
        for dev in plan.devices:
            values = {
                "ID": dev.id,
                "KIND": dev.kind,
                "FOV": dev.fov_deg,
                "RANGE": dev.range_m,
                "RECORDING": "ja" if dev.recording else "nej",
                "RETENTION": "" if dev.retention_days is None else dev.retention_days,
                "SIGNAGE": "ja" if dev.signage else "nej",
            }
            self.insert("CAMERA", "kamera", dev.position, dev.direction_deg, values=values)
