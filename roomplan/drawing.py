"""The plan drawn with matplotlib: rooms, names, doors, windows, desks, screens,
devices and a scale bar. Rooms are filled by kind, or by the colours a caller passes
(the privacy status, say), with a legend that says what each colour means."""

from __future__ import annotations

import math
import re
import threading
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from matplotlib.figure import Figure
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as MplPath

from roomplan.i18n import t
from roomplan.plan.model import ROOM_KINDS, Plan

KIND_COLOURS = {
    "office": "#D6E4F0",
    "interview": "#DCEBD2",
    "waiting": "#FFF1CC",
    "corridor": "#ECECEC",
    "staff": "#F3E8F5",
    "other": "#F7F7F7",
}
INK = "#1A1A1A"
PRIMARY = "#004D99"
ALERT = "#CC0000"


def _polygon_path(polygon) -> MplPath:
    rings = [polygon.exterior, *polygon.interiors]
    vertices, codes = [], []
    for ring in rings:
        xy = list(ring.coords)
        vertices += xy
        codes += [MplPath.MOVETO] + [MplPath.LINETO] * (len(xy) - 2) + [MplPath.CLOSEPOLY]
    return MplPath(vertices, codes)


@dataclass(frozen=True)
class DrawingOptions:
    """How :func:`draw_plan` draws: the language, a title, the width [in], and camera
    ``views`` (device id -> the polygon it sees, :func:`roomplan.devices.field_of_view`),
    drawn as shaded cones."""

    lang: str | None = None
    title: str | None = None
    width_in: float = 11.0
    views: Mapping[str, Any] | None = None


def draw_plan(
    plan: Plan,
    fills: Mapping[str, str] | None = None,
    legend: Mapping[str, str] | None = None,
    options: DrawingOptions | None = None,
) -> Figure:
    """A figure of ``plan``.

    fills: room id -> colour, replacing the colours by kind; legend: colour -> label
    for those fills (without it the legend names the room kinds)."""
    o = options or DrawingOptions()
    xmin, ymin, xmax, ymax = _bounds(plan)
    aspect = (ymax - ymin) / max(xmax - xmin, 1e-9)
    fig = Figure(figsize=(o.width_in, max(3.0, o.width_in * aspect + 1.2)), layout="constrained")
    ax = fig.add_subplot()
    _draw_rooms(ax, plan, fills or {})
    _draw_openings(ax, plan)
    _draw_desks(ax, plan)
    _draw_devices(ax, plan, o.views or {})
    _scale_bar(ax, xmin, ymin, xmax, o.lang)
    _legend(ax, plan, legend, o.lang)
    ax.set_xlim(xmin - 0.5, xmax + 0.5)
    ax.set_ylim(ymin - 1.6, ymax + 0.5)
    ax.set_aspect("equal")
    ax.axis("off")
    if o.title is not None:
        ax.set_title(_one_line(o.title), fontsize=11, color=INK, loc="left", parse_math=False)
    return fig


_SAVING = threading.Lock()
"""Held while a figure is saved (see :func:`save_figure`)."""


def save_figure(fig: Figure, out: Any, **kwargs: Any) -> None:
    """``fig`` written to ``out`` (a path or a file) by ``Figure.savefig`` with ``kwargs``.
    A label character the font lacks is drawn as its missing-glyph box (the PDF report
    shows U+FFFD) without matplotlib's warning, which names a source file, on stderr."""
    # catch_warnings swaps the process's filter list: app sessions (threads) save one at a time
    with _SAVING, warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from font")
        fig.savefig(out, **kwargs)


def _draw_rooms(ax, plan: Plan, fills: Mapping[str, str]) -> None:
    for room in plan.rooms:
        colour = fills.get(room.id, KIND_COLOURS.get(room.kind, "#FFFFFF"))
        ax.add_patch(
            PathPatch(_polygon_path(room.polygon), facecolor=colour, edgecolor=INK, lw=1.2)
        )
        at = room.polygon.representative_point()
        size = 7 if room.area > 12 else 6
        ax.text(
            at.x,
            at.y,
            f"{_one_line(room.id)}\n{_one_line(room.name)}",
            ha="center",
            va="center",
            fontsize=size,
            color=INK,
            parse_math=False,  # names are text: "$" is not mathematics (wrap=True would parse it)
        )


def _draw_openings(ax, plan: Plan) -> None:
    """Windows, doors (dotted when kept open) and screens."""
    for w in plan.windows:
        (x0, y0), (x1, y1) = w.segment
        ax.plot([x0, x1], [y0, y1], color="#1B86C3", lw=4, solid_capstyle="butt")
    for d in plan.doors:
        (x0, y0), (x1, y1) = d.segment
        ax.plot([x0, x1], [y0, y1], color="white", lw=4, solid_capstyle="butt")
        style = ":" if d.is_open else "-"
        ax.plot([x0, x1], [y0, y1], color=PRIMARY, lw=1.5, ls=style)
    for s in plan.screens:
        (x0, y0), (x1, y1) = s.segment
        ax.plot([x0, x1], [y0, y1], color="#6B6B6B", lw=2.5)


def _draw_desks(ax, plan: Plan) -> None:
    for desk in plan.desks:
        ax.plot(*desk.seat, marker="s", color=PRIMARY, ms=6)
        if desk.chair is not None:
            ax.plot(*desk.chair, marker="o", mfc="white", mec=PRIMARY, ms=5)
        member = plan.occupants.get(desk.id)
        if member is not None:
            ax.annotate(
                member.id,
                desk.seat,
                xytext=(4, -9),
                textcoords="offset points",
                fontsize=5.5,
                color=INK,
                parse_math=False,
            )


def _draw_devices(ax, plan: Plan, views: Mapping[str, Any]) -> None:
    """Cameras and microphones with their direction, and what each camera sees."""
    for view in views.values():
        for part in getattr(view, "geoms", [view]):
            if not part.is_empty and part.geom_type == "Polygon":
                ax.add_patch(
                    PathPatch(_polygon_path(part), facecolor=ALERT, alpha=0.18, edgecolor="none")
                )
    for dev in plan.devices:
        ax.plot(*dev.position, marker="^", color=ALERT, ms=7)
        ax.annotate(
            dev.id,
            dev.position,
            xytext=(5, 4),
            textcoords="offset points",
            fontsize=6,
            parse_math=False,
        )
        a = math.radians(dev.direction_deg)
        ax.annotate(
            "",
            xy=(dev.position[0] + 0.8 * math.cos(a), dev.position[1] + 0.8 * math.sin(a)),
            xytext=dev.position,
            arrowprops={"arrowstyle": "->", "color": ALERT},
        )


def _legend(ax, plan: Plan, legend: Mapping[str, str] | None, lang: str | None) -> None:
    """What each fill means: the caller's ``legend``, else the room kinds drawn."""
    if legend:
        handles = [Patch(facecolor=c, edgecolor=INK, label=label) for c, label in legend.items()]
    else:
        kinds = [k for k in ROOM_KINDS if any(r.kind == k for r in plan.rooms)]
        handles = [
            Patch(facecolor=KIND_COLOURS[k], edgecolor=INK, label=t(f"kind.{k}", lang))
            for k in kinds
        ]
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.02),
        ncol=min(len(handles), 5),
        frameon=False,
        fontsize=8,
    )


def _one_line(text: str) -> str:
    """A name from a file as one line of text: control characters become spaces."""
    return re.sub(r"[\x00-\x1f\x7f]+", " ", str(text))


def _bounds(plan: Plan) -> tuple[float, float, float, float]:
    xs, ys = [], []
    for r in plan.rooms:
        x0, y0, x1, y1 = r.polygon.bounds
        xs += [x0, x1]
        ys += [y0, y1]
    return (min(xs, default=0), min(ys, default=0), max(xs, default=1), max(ys, default=1))


def _scale_bar(ax, xmin: float, ymin: float, xmax: float, lang: str | None) -> None:
    span = xmax - xmin
    length = next((n for n in (1, 2, 5, 10, 20, 50, 100, 200, 500) if n >= span / 8), 1000)
    y = ymin - 1.0
    ax.plot([xmin, xmin + length], [y, y], color=INK, lw=2)
    for x in (xmin, xmin + length):
        ax.plot([x, x], [y - 0.12, y + 0.12], color=INK, lw=1)
    ax.text(
        xmin + length / 2,
        y + 0.15,
        t("drawing.scale", lang, metres=length),
        ha="center",
        va="bottom",
        fontsize=7,
        color=INK,
    )
