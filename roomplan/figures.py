"""Interactive figures with plotly for the app: the plan coloured by privacy status, the
weekday × time heatmap of private-space use, and the scenario comparison.

Every colour comes with its meaning in words (legend and hover), never colour alone.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go

from roomplan.capacity import Heatmap
from roomplan.capacity.week import WEEKDAYS
from roomplan.i18n import default_lang, fmt_num, t
from roomplan.plan.model import Plan

STATUS_COLOURS = {
    "private": "#B7D7A8",  # DKFDS success, lightened so names stay readable
    "conditional": "#FFE4A0",  # warning
    "never": "#F2A7A7",  # error
    "none": "#F5F5F5",  # grey background
}
INK = "#1A1A1A"
PRIMARY = "#004D99"
ALERT = "#CC0000"


PLOTLY_TEXTS = (
    ("Download plot as a png", "plotly.download_png"),
    ("Download plot", "plotly.download"),
    ("Zoom", "plotly.zoom"),
    ("Pan", "plotly.pan"),
    ("Box Select", "plotly.box_select"),
    ("Lasso Select", "plotly.lasso_select"),
    ("Zoom in", "plotly.zoom_in"),
    ("Zoom out", "plotly.zoom_out"),
    ("Autoscale", "plotly.autoscale"),
    ("Reset axes", "plotly.reset_axes"),
    ("Reset view", "plotly.reset_view"),
    ("Toggle Spike Lines", "plotly.spikes"),
    ("Show closest data on hover", "plotly.hover_closest"),
    ("Compare data on hover", "plotly.hover_compare"),
    ("Produced with Plotly.js", "plotly.produced"),
    ("Double-click to zoom back out", "plotly.double_click"),
    ("Snapshot succeeded", "plotly.snapshot_ok"),
    ("Taking snapshot - this may take a few seconds", "plotly.snapshot_busy"),
    ("Sorry, there was a problem downloading your snapshot!", "plotly.snapshot_failed"),
)
"""Plotly.js's own texts (the toolbar's titles, its messages) and their catalogue keys."""


def plot_config(lang: str | None = None) -> dict[str, Any]:
    """Plotly.js settings in the user's language: the toolbar's texts and the decimal and
    thousands marks, as a locale given with the chart (Plotly bundles English only)."""
    name = lang or default_lang()
    decimal, thousands = fmt_num(1000.5, 1, name)[-2], fmt_num(1000.5, 1, name)[1]
    dictionary = {text: t(key, name) for text, key in PLOTLY_TEXTS}
    locale = {"dictionary": dictionary, "format": {"decimal": decimal, "thousands": thousands}}
    return {"locale": name, "locales": {name: locale}, "displaylogo": False}


def _rings(polygon) -> tuple[list[float | None], list[float | None]]:
    xs: list[float | None] = []
    ys: list[float | None] = []
    for part in getattr(polygon, "geoms", [polygon]):
        if part.is_empty or part.geom_type != "Polygon":
            continue
        x, y = part.exterior.xy
        xs += [*x, None]
        ys += [*y, None]
    return xs, ys


@dataclass(frozen=True)
class FigureOptions:
    """How :func:`plan_figure` draws: the language, camera ``views`` (device id -> the area
    it sees), the ``selected`` room outlined, the height [px]."""

    lang: str | None = None
    views: Mapping[str, Any] | None = None
    selected: str | None = None
    height: int = 560


def plan_figure(
    plan: Plan,
    statuses: Mapping[str, str] | None = None,
    details: Mapping[str, str] | None = None,
    options: FigureOptions | None = None,
) -> go.Figure:
    """The plan: rooms filled by ``statuses`` (room id -> a status of
    :data:`roomplan.privacy.STATUSES`), hover with name, kind, area, desks and ``details``
    (room id -> lines, the verdict and its conditions say); one marker per room (customdata =
    room id) to select it; desks, doors, devices and camera views; the selected room
    outlined."""
    o = options or FigureOptions()
    statuses = statuses or {}
    fig = go.Figure()
    for trace in (
        *_room_traces(plan, statuses, o),
        _room_markers(plan, statuses, details or {}, o.lang),
        *_desk_traces(plan, o.lang),
        *_door_traces(plan, o.lang),
        *_view_traces(o.views or {}, o.lang),
        *_device_traces(plan, o.lang),
    ):
        fig.add_trace(trace)
    fig.update_yaxes(scaleanchor="x", scaleratio=1, visible=False)
    fig.update_xaxes(visible=False)
    fig.update_layout(
        height=o.height,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        plot_bgcolor="white",
        legend={"orientation": "h", "y": -0.05},
        dragmode="pan",
        clickmode="event+select",
        font={"family": "IBM Plex Sans, Arial, sans-serif", "color": INK},
    )
    return fig


def _room_traces(plan: Plan, statuses: Mapping[str, str], o: FigureOptions) -> list[go.Scatter]:
    """Each room filled by its status; one legend entry per status."""
    traces, shown = [], set()
    for room in plan.rooms:
        status = statuses.get(room.id, "none")
        xs, ys = _rings(room.polygon)
        traces.append(
            go.Scatter(
                x=xs,
                y=ys,
                fill="toself",
                fillcolor=STATUS_COLOURS.get(status, "#FFFFFF"),
                line={
                    "color": PRIMARY if room.id == o.selected else INK,
                    "width": 3 if room.id == o.selected else 1,
                },
                mode="lines",
                name=t(f"status.{status}", o.lang),
                legendgroup=status,
                showlegend=status not in shown,
                hoverinfo="skip",
            )
        )
        shown.add(status)
    return traces


HOVER_WIDTH = 70
"""Characters a line of a room's hover text is wrapped at."""


def _room_markers(
    plan: Plan, statuses: Mapping[str, str], details: Mapping[str, str], lang: str | None
) -> go.Scatter:
    """One marker per room: its hover text and the handle to select it."""
    pts = [r.polygon.representative_point() for r in plan.rooms]
    hover = []
    for room in plan.rooms:
        desks = plan.desks_in(room.id)
        staff = [plan.occupants[d.id].id for d in desks if d.id in plan.occupants]
        lines = [
            f"<b>{_esc(room.id)} {_esc(room.name)}</b>",
            f"{t('kind.' + room.kind, lang)}, {fmt_num(room.area, 1, lang)} m²",
            t("fig.desks", lang, n=len(desks), staff=_esc(", ".join(staff)) or "-"),
            t(f"status.{statuses.get(room.id, 'none')}", lang),
        ]
        for line in (details.get(room.id) or "").splitlines():
            lines += [_esc(part) for part in textwrap.wrap(line, HOVER_WIDTH)]
        hover.append("<br>".join(lines))
    return go.Scatter(
        x=[p.x for p in pts],
        y=[p.y for p in pts],
        mode="markers+text",
        text=[_esc(r.id) for r in plan.rooms],
        textposition="top center",
        textfont={"size": 11, "color": INK},
        marker={"size": 12, "color": PRIMARY, "symbol": "circle-open", "line": {"width": 2}},
        customdata=[r.id for r in plan.rooms],  # data, not shown
        hovertext=hover,
        hoverinfo="text",
        name=t("fig.rooms", lang),
        showlegend=False,
    )


def _desk_traces(plan: Plan, lang: str | None) -> list[go.Scatter]:
    if not plan.desks:
        return []
    return [
        go.Scatter(
            x=[d.seat[0] for d in plan.desks],
            y=[d.seat[1] for d in plan.desks],
            mode="markers",
            marker={"size": 7, "color": PRIMARY, "symbol": "square"},
            hovertext=[
                f"{_esc(d.id)}: {_esc(getattr(plan.occupants.get(d.id), 'id', '-'))}"
                for d in plan.desks
            ],
            hoverinfo="text",
            name=t("fig.desk", lang),
        )
    ]


def _door_traces(plan: Plan, lang: str | None) -> list[go.Scatter]:
    dx: list[float | None] = []
    dy: list[float | None] = []
    for door in plan.doors:
        (ax, ay), (bx, by) = door.segment
        dx += [ax, bx, None]
        dy += [ay, by, None]
    if not dx:
        return []
    return [
        go.Scatter(
            x=dx,
            y=dy,
            mode="lines",
            line={"color": "#1B86C3", "width": 5},
            name=t("fig.door", lang),
            hoverinfo="skip",
        )
    ]


def _view_traces(views: Mapping[str, Any], lang: str | None) -> list[go.Scatter]:
    traces = []
    for dev_id, view in views.items():
        xs, ys = _rings(view)
        if xs:
            traces.append(
                go.Scatter(
                    x=xs,
                    y=ys,
                    fill="toself",
                    fillcolor="rgba(204,0,0,0.18)",
                    line={"color": ALERT, "width": 1, "dash": "dot"},
                    mode="lines",
                    name=t("fig.view", lang, device=_esc(dev_id)),
                    hoverinfo="skip",
                )
            )
    return traces


def _device_traces(plan: Plan, lang: str | None) -> list[go.Scatter]:
    if not plan.devices:
        return []
    return [
        go.Scatter(
            x=[d.position[0] for d in plan.devices],
            y=[d.position[1] for d in plan.devices],
            mode="markers+text",
            text=[_esc(d.id) for d in plan.devices],
            textposition="bottom center",
            marker={"size": 11, "color": ALERT, "symbol": "triangle-up"},
            hovertext=[f"{_esc(d.id)}: {t('device.kind.' + d.kind, lang)}" for d in plan.devices],
            hoverinfo="text",
            name=t("fig.devices", lang),
        )
    ]


def heatmap_figure(heat: Heatmap, lang: str | None = None) -> go.Figure:
    """Share of the private spaces taken (in use, or blocked by an interview or a colleague
    in earshot) per weekday and time, with the share in use on hover (from
    :meth:`roomplan.capacity.CapacityResult.heatmap`): 100 % is when no private space is free."""
    days = [t(f"weekday.{d}", lang) for d in WEEKDAYS]
    use = [[round(100 * v) for v in row] for row in heat.in_use]
    fig = go.Figure(
        go.Heatmap(
            z=[[round(100 * v) for v in row] for row in heat.taken],
            x=list(heat.labels),
            y=days,
            customdata=use,
            colorscale=[[0, "#F5F5F5"], [0.5, "#1B86C3"], [1, "#004D99"]],
            zmin=0,
            zmax=100,
            colorbar={"title": {"text": "%"}},
            hovertemplate=t("figure.heat_hover", lang) + "<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(height=300, margin={"l": 10, "r": 10, "t": 10, "b": 10})
    return fig


def scenario_figure(
    names: Sequence[str],
    held: Sequence[int],
    bounds: Sequence[int],
    demand: int,
    lang: str | None = None,
) -> go.Figure:
    """Interviews held privately per scenario, against the weekly demand; a figure not
    proven carries a bar up to its proven bound."""
    labels = [
        fmt_num(h, 0, lang) if b <= h else f"{fmt_num(h, 0, lang)}–{fmt_num(b, 0, lang)}"
        for h, b in zip(held, bounds, strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            x=[_esc(n) for n in names],
            y=list(held),
            marker_color=PRIMARY,
            text=labels,
            textposition="outside",
            name=t("scenario.col.held", lang),
            error_y=_up_to_bound(held, bounds),
        )
    )
    _target_line(fig, demand, lang)
    fig.update_layout(height=360, margin={"l": 10, "r": 10, "t": 30, "b": 10})
    return fig


def front_figure(
    costs: Sequence[float],
    held: Sequence[int],
    bounds: Sequence[int],
    target: int,
    lang: str | None = None,
) -> go.Figure:
    """Cost [DKK] against interviews held towards ``target``: the cheapest way found to each
    figure, a range up to the proven bound where the search did not prove it."""
    fig = go.Figure(
        go.Scatter(
            x=list(costs),
            y=list(held),
            mode="lines+markers",
            line_shape="hv",
            marker_color=PRIMARY,
            name=t("recommend.col.held", lang),
            error_y=_up_to_bound(held, bounds),
        )
    )
    _target_line(fig, target, lang)
    fig.update_layout(
        height=320,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        xaxis_title=t("recommend.col.cost", lang),
        yaxis_title=t("recommend.col.held", lang),
    )
    return fig


def _up_to_bound(held: Sequence[int], bounds: Sequence[int]) -> dict:
    """Error bars from each figure held up to its proven bound (none where proven)."""
    return {
        "type": "data",
        "symmetric": False,
        "array": [max(b - h, 0) for h, b in zip(held, bounds, strict=True)],
        "arrayminus": [0] * len(held),
    }


def _target_line(fig: go.Figure, target: int, lang: str | None) -> None:
    fig.add_hline(
        y=target,
        line_dash="dash",
        line_color=ALERT,
        annotation_text=t("fig.demand", lang, n=target),
    )


def _esc(text: str) -> str:
    """Names from files shown as text: plotly hover is HTML-like."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
