"""DXF drawings of a plan as architects' CAD programs draw them, for the import tests.

Written here with ezdxf from the plan's geometry, independently of roomplan's own DXF
writer, in the conventions issue 14 lists: discipline-prefixed layers (A-RUM, A-DØR or
A-DOER, A-VINDUE, A-VAEG; AIA's A-AREA, A-AREA-IDEN, A-DOOR, A-GLAZ), door blocks drawn as
a unit leaf with its swing and inserted at the hinge (scaled, mirrored, or as the
anonymous block of a dynamic block), labels name first in formatted MTEXT with an area
line, room stamps with RUMNR/RUMNAVN attributes, rooms drawn as loose LINEs, the whole
floor inside (nested) blocks, walls with a thickness, and map coordinates: rotated and
offset like UTM, in millimetres, centimetres or metres.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

import ezdxf
from shapely import Polygon

LAYERS = {
    "plain": {
        "room": "rum",
        "label": "rumtekst",
        "door": "dør",
        "window": "vindue",
        "desk": "bord",
        "wall": "væg",
    },
    "danish": {
        "room": "A-RUM",
        "label": "A-RUM-TEKST",
        "door": "A-DØR",
        "window": "A-VINDUE",
        "desk": "A-BORD",
        "wall": "A-VÆG",
    },
    "ascii": {
        "room": "A-RUM",
        "label": "A-RUMNR",
        "door": "A-DOER",
        "window": "A-VINDUE",
        "desk": "A-BORD",
        "wall": "A-VAEG",
    },
    "aia": {
        "room": "A-AREA",
        "label": "A-AREA-IDEN",
        "door": "A-DOOR",
        "window": "A-GLAZ",
        "desk": "A-DESK",
        "wall": "A-WALL",
    },
}
UNITS = {"mm": (4, 1000.0), "cm": (5, 100.0), "m": (6, 1.0)}


@dataclass(frozen=True)
class Style:
    """How one drawing is made."""

    layers: str = "plain"
    units: str = "mm"
    rooms: str = "polyline"  # or "lines": every edge a LINE
    labels: str = "id_first"  # "name_first" MTEXT, "stamp" block, "two_texts"
    doors: str = "centred"  # "hinge", "mirrored", "dynamic"
    nesting: int = 0  # 0: model space; 1: a floor block; 2: wings in a floor block
    wall: float = 0.0  # wall thickness [m]: rooms drawn by their inner faces
    rotation: float = 0.0  # [deg] about the plan's origin
    offset: tuple[float, float] = (0.0, 0.0)  # [m], e.g. UTM (east, north)
    desks: bool = True


class _Drawing:
    def __init__(self, plan, style: Style):
        self.plan, self.style = plan, style
        self.layer = LAYERS[style.layers]
        code, self.factor = UNITS[style.units]
        self.doc = ezdxf.new("R2010", setup=False)
        self.doc.header["$INSUNITS"] = code
        for name in self.layer.values():
            self.doc.layers.add(name)
        self.door_block()
        self.doc.blocks.new("WIN").add_line((-0.5, 0), (0.5, 0))
        desk = self.doc.blocks.new("BORD")
        desk.add_lwpolyline([(-0.8, 0), (0.8, 0), (0.8, 0.8), (-0.8, 0.8)], close=True)
        for i, tag in enumerate(("ID", "STAFF", "INTERVIEWS", "NTK")):
            desk.add_attdef(tag, (0, -0.1 * (i + 1)), dxfattribs={"height": 0.05})
        stamp = self.doc.blocks.new("RUMSTEMPEL")
        stamp.add_lwpolyline([(0, 0), (1.2, 0), (1.2, 0.6), (0, 0.6)], close=True)
        for i, tag in enumerate(("RUMNR", "RUMNAVN", "AREAL")):
            stamp.add_attdef(tag, (0.1, 0.45 - 0.2 * i), dxfattribs={"height": 0.12})

    # -- coordinates: model space or block space, in drawing units -------------------
    def local(self, p) -> tuple[float, float]:
        """A plan point [m] in the coordinates the entities are written in."""
        x, y = p
        if self.style.nesting == 0:
            a = math.radians(self.style.rotation)
            x, y = x * math.cos(a) - y * math.sin(a), x * math.sin(a) + y * math.cos(a)
            x, y = x + self.style.offset[0], y + self.style.offset[1]
        return (x * self.factor, y * self.factor)

    def angle(self, deg: float) -> float:
        return deg + (self.style.rotation if self.style.nesting == 0 else 0.0)

    def door_block(self) -> None:
        # a unit door: the leaf open at 90 degrees and its swing, the hinge at (0, 0)
        b = self.doc.blocks.new("DØR-1")
        b.add_line((0, 0), (0, 1))
        b.add_arc((0, 0), 1, 0, 90)
        b.add_attdef("ID", (0.1, -0.2), dxfattribs={"height": 0.1})
        c = self.doc.blocks.new("DOOR-C")
        c.add_line((-0.5, 0), (0.5, 0))
        c.add_attdef("ID", (0, -0.2), dxfattribs={"height": 0.1})

    # -- what is drawn -----------------------------------------------------------------
    def draw(self, space) -> None:
        for room in self.plan.rooms:
            self.room(space, room)
        for door in self.plan.doors:
            self.door(space, door)
        for w in self.plan.windows:
            (x0, y0), (x1, y1) = w.segment
            deg = math.degrees(math.atan2(y1 - y0, x1 - x0))
            mid = ((x0 + x1) / 2, (y0 + y1) / 2)
            s = w.width * self.factor
            attribs = {"layer": self.layer["window"], "rotation": self.angle(deg)}
            space.add_blockref("WIN", self.local(mid), dxfattribs={**attribs, "xscale": s})
        if self.style.desks:
            for desk in self.plan.desks:
                self.desk(space, desk)

    def outline(self, room) -> list[tuple[float, float]]:
        poly = room.polygon
        if self.style.wall > 0:
            poly = poly.buffer(-self.style.wall / 2, join_style="mitre")
        return [(float(x), float(y)) for x, y in poly.exterior.coords[:-1]]

    def room(self, space, room) -> None:
        pts = [self.local(p) for p in self.outline(room)]
        if self.style.rooms == "lines":
            for a, b in zip(pts, pts[1:] + pts[:1], strict=True):
                space.add_line(a, b, dxfattribs={"layer": self.layer["room"]})
        else:
            space.add_lwpolyline(pts, close=True, dxfattribs={"layer": self.layer["room"]})
        if self.style.wall > 0:  # the wall's outer face, on the wall layer
            outer = room.polygon.buffer(self.style.wall / 2, join_style="mitre")
            ring = [self.local((x, y)) for x, y in outer.exterior.coords[:-1]]
            space.add_lwpolyline(ring, close=True, dxfattribs={"layer": self.layer["wall"]})
        self.label(space, room)

    def label(self, space, room) -> None:
        at = room.polygon.representative_point()
        here = self.local((at.x, at.y))
        h = 0.2 * self.factor
        layer = self.layer["label"]
        area = f"{room.area:.1f} m²".replace(".", ",")
        if self.style.labels == "id_first":
            text = f"{room.id} {room.name}"
            space.add_text(text, height=h, dxfattribs={"layer": layer, "insert": here})
        elif self.style.labels == "name_first":
            text = "{\\fArial|b1;" + room.name + "}\\P" + room.id + "\\P" + area
            space.add_mtext(text, dxfattribs={"layer": layer, "insert": here, "char_height": h})
        elif self.style.labels == "two_texts":
            space.add_text(room.id, height=h, dxfattribs={"layer": layer, "insert": here})
            lower = self.local((at.x, at.y - 0.3))
            space.add_text(room.name, height=h, dxfattribs={"layer": layer, "insert": lower})
        else:  # a room stamp, on an annotation layer no role knows
            ref = space.add_blockref(
                "RUMSTEMPEL",
                here,
                dxfattribs={
                    "layer": "A-ANNO-STEMPEL",
                    "xscale": self.factor,
                    "yscale": self.factor,
                },
            )
            ref.add_auto_attribs({"RUMNR": room.id, "RUMNAVN": room.name, "AREAL": area})

    def door(self, space, door) -> None:
        (x0, y0), (x1, y1) = door.segment
        deg = math.degrees(math.atan2(y1 - y0, x1 - x0))
        w = door.width * self.factor
        attribs = {"layer": self.layer["door"]}
        kind = self.style.doors
        if kind == "centred":
            mid = ((x0 + x1) / 2, (y0 + y1) / 2)
            attribs.update(rotation=self.angle(deg), xscale=w, yscale=w)
            ref = space.add_blockref("DOOR-C", self.local(mid), dxfattribs=attribs)
        elif kind == "hinge":
            attribs.update(rotation=self.angle(deg), xscale=w, yscale=w)
            ref = space.add_blockref("DØR-1", self.local((x0, y0)), dxfattribs=attribs)
        elif kind == "mirrored":  # hinged at the far end, the block mirrored
            attribs.update(rotation=self.angle(deg), xscale=-w, yscale=w)
            ref = space.add_blockref("DØR-1", self.local((x1, y1)), dxfattribs=attribs)
        else:  # the anonymous block a dynamic block's stretched width is stored in
            block = self.doc.blocks.new_anonymous_block("U")
            block.add_line((0, 0), (0, w))
            block.add_arc((0, 0), w, 0, 90)
            block.add_attdef("ID", (0.1 * w, -0.2 * w), dxfattribs={"height": 0.1 * w})
            attribs.update(rotation=self.angle(deg))
            ref = space.add_blockref(block.name, self.local((x0, y0)), dxfattribs=attribs)
        ref.add_auto_attribs({"ID": door.id})

    def desk(self, space, desk) -> None:
        member = self.plan.occupants.get(desk.id)
        values = {"ID": desk.id}
        if member is not None:
            values.update(
                STAFF=member.id,
                INTERVIEWS=str(member.max_interviews if member.holds_interviews else 0),
                NTK=",".join(member.need_to_know),
            )
        scale = {"xscale": self.factor, "yscale": self.factor, "rotation": self.angle(0)}
        ref = space.add_blockref(
            "BORD", self.local(desk.seat), dxfattribs={"layer": self.layer["desk"], **scale}
        )
        ref.add_auto_attribs(values)

    # -- the drawing ----------------------------------------------------------------------
    def build(self) -> bytes:
        msp = self.doc.modelspace()
        if self.style.nesting == 0:
            self.draw(msp)
        else:
            floor = self.doc.blocks.new("ETAGE")
            if self.style.nesting == 2:
                wing = self.doc.blocks.new("FLOJ")
                self.draw(wing)
                floor.add_blockref("FLOJ", (0, 0), dxfattribs={"layer": "0"})
            else:
                self.draw(floor)
            at = (self.style.offset[0] * self.factor, self.style.offset[1] * self.factor)
            msp.add_blockref(
                "ETAGE", at, dxfattribs={"layer": "A-ETAGE", "rotation": self.style.rotation}
            )
        stream = io.StringIO()
        self.doc.write(stream)
        return stream.getvalue().encode()


def drawing(plan, style: Style) -> bytes:
    """``plan`` drawn in ``style``, as DXF bytes."""
    return _Drawing(plan, style).build()


def inner_area(room, style: Style) -> float:
    """The area [m²] the drawing gives a room: inside its walls' inner faces."""
    if style.wall <= 0:
        return room.area
    return Polygon(room.polygon).buffer(-style.wall / 2, join_style="mitre").area
