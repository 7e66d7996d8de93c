"""A DXF drawing as roomplan reads it: opened once, its unit, and its entities with the
layer each counts on, block references on unassigned layers exploded.

CAD draws a floor as a block more often than not (an xref bound into the drawing, a
floor copied as a block); the rooms and labels inside such blocks are read as if drawn
in model space. An entity inside a block on layer "0" takes the layer of the block
reference, as CAD shows it. The work is bounded: the number of entities an explosion
would give is counted from the block definitions before any is made.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from roomplan.plan.dxf.conventions import SYMBOL_ROLES, layer_role, stamp_text
from roomplan.plan.problems import MAX_BYTES, PlanError, Problem

INSUNITS_METRES = {1: 0.0254, 2: 0.3048, 4: 0.001, 5: 0.01, 6: 1.0, 14: 0.1}
"""$INSUNITS code -> metres per drawing unit (inches, feet, mm, cm, m, dm)."""

UNIT_NAMES = {0.0254: "in", 0.3048: "ft", 0.001: "mm", 0.01: "cm", 1.0: "m", 0.1: "dm"}

MAX_ENTITIES = 400_000
"""Most entities read from one drawing, block contents counted as often as they are
referenced: a 20 MB file holds at most about this many directly."""

MAX_DEPTH = 8
"""Deepest nesting of block references followed."""


@dataclass(frozen=True)
class Item:
    """One entity as read: the ezdxf entity (a virtual copy for one inside a block), the
    layer it counts on, and how a message names it."""

    entity: Any
    layer: str
    handle: str  # inside a block: the block reference's handle, "-", the entity's number
    block: str = ""

    @property
    def kind(self) -> str:
        return self.entity.dxftype()

    @property
    def where(self) -> str:
        block = f" (block {self.block})" if self.block else ""
        return f"DXF handle {self.handle}{block}, layer {self.layer}"


def open_drawing(data: bytes | bytearray | memoryview):
    """The ezdxf document of DXF bytes; PlanError when it is too large or not DXF."""
    return _open_bytes(bytes(data))


@functools.lru_cache(maxsize=2)
def _open_bytes(data: bytes):
    """The drawing, read once for the layers, the units and the plan of one upload (the
    document is only read, never changed)."""
    if len(data) > MAX_BYTES:
        raise PlanError([Problem("too_large", params={"size": len(data), "limit": MAX_BYTES})])
    from ezdxf import recover

    doc = _read_strict(data)
    if doc is not None:
        return doc
    try:
        doc, _auditor = recover.read(io.BytesIO(data))
    except Exception as exc:  # ezdxf raises many types on damaged input
        reason = str(exc).strip() or type(exc).__name__
        raise PlanError(
            [Problem("unreadable", params={"reason": f"not a DXF drawing ({reason[:80]})"})]
        ) from None
    return doc


BINARY_DXF = b"AutoCAD Binary DXF\r\n\x1a\x00"


def _read_strict(data: bytes) -> Any:
    """The drawing by ezdxf's strict reader (two to three times faster than its recovery,
    which a 20 MB upload needs), then audited; None when the drawing needs recovering."""
    import ezdxf
    from ezdxf.filemanagement import dxf_stream_info

    if data.startswith(BINARY_DXF) or b"\\U+" in data or b"\\M+" in data:
        return None  # binary, or letters written as escapes that only recovery decodes
    try:
        # the header names the encoding of drawings older than R2007 (later ones are UTF-8)
        encoding = dxf_stream_info(io.StringIO(data.decode("latin-1"), newline=None)).encoding
        doc = ezdxf.read(io.StringIO(data.decode(encoding), newline=None))
        auditor = doc.audit()
    except Exception:  # noqa: BLE001 - any doubt goes to the recovering reader
        return None
    return None if auditor.has_errors else doc


def drawing_unit(doc) -> float | None:
    """Metres per drawing unit from $INSUNITS, or None when the drawing does not say."""
    return INSUNITS_METRES.get(doc.header.get("$INSUNITS", 0))


def attributes(insert) -> dict[str, str]:
    """A block reference's attributes, tag (upper case) -> text."""
    return {a.dxf.tag.upper(): a.dxf.text.strip() for a in insert.attribs}


def _explodes(insert, layer: str, layer_map: Mapping[str, str] | None) -> bool:
    """Whether a block reference is read for what is inside it: not a symbol (door, desk,
    ...) and not a room stamp."""
    if layer_role(layer, layer_map) in SYMBOL_ROLES:
        return False
    return stamp_text(attributes(insert)) is None


def _block_sizes(doc) -> dict[str, int]:
    """Block name -> entities it gives when exploded, nested blocks counted as often as
    referenced (a block that refers to itself counts as too many)."""
    sizes: dict[str, int] = {}

    def size(name: str, depth: int) -> int:
        if name in sizes:
            return sizes[name]
        block = doc.blocks.get(name)
        if block is None:
            return 0
        if depth > MAX_DEPTH:
            return MAX_ENTITIES + 1
        sizes[name] = MAX_ENTITIES + 1  # until counted: a cycle is too many
        total = 0
        for e in block:
            total += 1
            if e.dxftype() == "INSERT":
                total += size(e.dxf.name, depth + 1) * max(1, _count(e))
            if total > MAX_ENTITIES:
                break
        sizes[name] = total
        return total

    for block in doc.blocks:
        if not block.name.lower().startswith(("*model_space", "*paper_space")):
            size(block.name, 0)
    return sizes


def _count(insert) -> int:
    return int(insert.dxf.get("row_count", 1)) * int(insert.dxf.get("column_count", 1))


@dataclass
class Walk:
    """The entities of a drawing's model space as read, and what the walk did."""

    items: list[Item]
    exploded: dict[str, int]  # block name -> references exploded


def walk(doc, layer_map: Mapping[str, str] | None = None) -> Walk:
    """Every entity of model space, block references on layers other than the symbol
    layers exploded (nested ones too); PlanError when the drawing would give more than
    :data:`MAX_ENTITIES`."""
    sizes = _block_sizes(doc)
    out = Walk([], {})
    total = 0
    for e in doc.modelspace():
        total += 1
        if e.dxftype() == "INSERT" and _explodes(e, e.dxf.layer, layer_map):
            total += sizes.get(e.dxf.name, 0) * max(1, _count(e))
        if total > MAX_ENTITIES:
            where = f"DXF handle {e.dxf.handle}, layer {e.dxf.layer}"
            params = {"limit": MAX_ENTITIES, "block": e.dxf.get("name", "-")}
            raise PlanError([Problem("dxf_too_many_entities", where, "", params)])
    for e in doc.modelspace():
        top = Item(e, e.dxf.layer, str(e.dxf.handle))
        out.items.extend(_read(top, layer_map, out, 0))
    return out


def _read(item: Item, layer_map, out: Walk, depth: int) -> Iterator[Item]:
    e = item.entity
    if e.dxftype() != "INSERT" or not _explodes(e, item.layer, layer_map) or depth >= MAX_DEPTH:
        yield item
        return
    name = e.dxf.name
    out.exploded[name] = out.exploded.get(name, 0) + 1
    parts = e.multi_insert() if _count(e) > 1 else [e]
    n = 0
    for part in parts:
        try:
            inner = list(part.virtual_entities())
        except Exception:  # ezdxf: a block it cannot transform (non-uniform arcs, ...)
            yield item
            continue
        for v in inner:
            n += 1
            # entities on layer 0 take the layer of the block reference, as CAD shows them
            layer = item.layer if v.dxf.layer == "0" else v.dxf.layer
            block = f"{item.block}/{name}" if item.block else name
            inner_item = Item(v, layer, f"{item.handle}-{n}", block)
            yield from _read(inner_item, layer_map, out, depth + 1)


def layers_of(doc, layer_map: Mapping[str, str] | None = None) -> dict[str, int]:
    """Layer -> entities on it as read (inside exploded blocks too), sorted by name."""
    counts: dict[str, int] = {}
    for item in walk(doc, layer_map).items:
        counts[item.layer] = counts.get(item.layer, 0) + 1
    return dict(sorted(counts.items()))
