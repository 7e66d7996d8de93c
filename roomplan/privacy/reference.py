"""The propagation written plainly: Python loops over mouths, elements, listeners and bands.

It follows the same physics and walk rules as :mod:`roomplan.privacy.propagation` without
its sparse matrices, channels or pruning, so it serves two purposes: the test oracle for the
vectorised engine, and the baseline the benchmark (``bench/privacy.py``) measures it against.
"""

from __future__ import annotations

import math

from roomplan import acoustics as ac
from roomplan.privacy.propagation import (
    FLOOR_ABSORPTION,
    MAX_WALLS,
    N_BANDS,
    NEAREST_WALL,
    SHAPE,
    AcousticModel,
)


def _reverberant(model: AcousticModel, room: int, distance: float) -> float:
    if model.is_flat[room]:
        height, ceiling = (float(x) for x in model.flat_params[room])
        r2 = max(distance * distance, 1e-4)
        images = ac.flat_room_transfer(math.sqrt(r2), height, FLOOR_ABSORPTION, ceiling)
        return float(images) - 1 / (4 * math.pi * r2)
    if not model.is_long[room]:
        return 4 / float(model.absorption[room])
    width, height, k = (float(x) for x in model.long_params[room])
    section, perimeter = width * height, 2 * (width + height)
    return 3 * perimeter / (8 * section**2 * k) * math.exp(-k * distance)


def _screen_loss(model: AcousticModel, room: int, a, b) -> list[float]:
    """The largest Maekawa loss of the screens crossed by the line a→b, per band [dB]."""
    best = [0.0] * N_BANDS
    segments, heights = model.screens[room]
    for (p, q), h in zip(segments, heights, strict=True):
        rx, ry = b[0] - a[0], b[1] - a[1]
        sx, sy = q[0] - p[0], q[1] - p[1]
        denom = rx * sy - ry * sx
        if abs(denom) < 1e-12:
            continue
        t = ((p[0] - a[0]) * sy - (p[1] - a[1]) * sx) / denom
        u = ((p[0] - a[0]) * ry - (p[1] - a[1]) * rx) / denom
        if not (0 < t < 1 and 0 <= u <= 1):
            continue
        span = math.hypot(rx, ry)
        ds, dr = t * span, (1 - t) * span
        m = ac.MOUTH_HEIGHT
        if h <= m:
            continue
        delta = math.hypot(ds, h - m) + math.hypot(dr, h - m) - (ds + dr)
        for band, f in enumerate(ac.BANDS_HZ):
            n = 2 * delta * f / ac.SPEED_OF_SOUND
            best[band] = max(best[band], min(10 * math.log10(3 + 20 * n), model.screen_cap_db))
    return best


def reference_transfer(model: AcousticModel, mouth, room: int) -> dict[int, list[float]]:
    """Mean-square pressure per watt per band at every listener reached from ``mouth`` (x, y)
    in room index ``room``: listener index -> 18 values."""
    el = model.elements
    listeners = model.listeners.xy
    out: dict[int, list[float]] = {}
    # the talker's own room
    for li in range(len(listeners)):
        if model.listener_room[li] != room:
            continue
        d2 = max((mouth[0] - listeners[li][0]) ** 2 + (mouth[1] - listeners[li][1]) ** 2, 0.01)
        loss = _screen_loss(model, room, mouth, listeners[li])
        direct = ac.Q_SPEECH / (4 * math.pi * d2)
        rev = _reverberant(model, room, math.sqrt(d2))
        out[li] = [direct * 10 ** (-loss[b] / 10) + rev for b in range(N_BANDS)]
    n_dir = len(model.d_from)

    def radiating(d: int, band: int) -> float:
        return float(model.open_area[d] + model.rated[d] * SHAPE[band])

    # walls of the talker's room
    layer: dict[int, list[float]] = {}
    for d in range(n_dir):
        if model.d_from[d] != room:
            continue
        e = model.d_element[d]
        dx, dy = mouth[0] - el.xy[e][0], mouth[1] - el.xy[e][1]
        tx, ty = el.tangent[e]
        perpendicular = max(abs(dx * ty - dy * tx), NEAREST_WALL)
        width, bottom, top = el.width[e], el.bottom[e], el.top[e]
        share = float(ac.incident_fraction(perpendicular, dx * tx + dy * ty, width, bottom, top))
        share *= el.area[e] / (width * (top - bottom))  # less the openings cut out of it
        d2 = dx * dx + dy * dy
        on_wall = 1.0 if model.is_flat[room] else 0.25  # images arrive head-on in a flat room
        incident = share / el.area[e] + _reverberant(model, room, math.sqrt(d2)) * on_wall
        layer[d] = [incident * radiating(d, b) for b in range(N_BANDS)]
    for depth in range(MAX_WALLS):
        for d, power in layer.items():
            into, e = model.d_into[d], model.d_element[d]
            for li in range(len(listeners)):
                if model.listener_room[li] != into:
                    continue
                d2 = (el.xy[e][0] - listeners[li][0]) ** 2 + (el.xy[e][1] - listeners[li][1]) ** 2
                g = 1 / (el.area[e] + 2 * math.pi * d2) + _reverberant(model, into, math.sqrt(d2))
                h = out.setdefault(li, [0.0] * N_BANDS)
                for b in range(N_BANDS):
                    h[b] += power[b] * g
        if depth == MAX_WALLS - 1:
            break
        nxt: dict[int, list[float]] = {}
        for d, power in layer.items():
            here, came_from, e = model.d_into[d], model.d_from[d], model.d_element[d]
            for j in range(n_dir):
                if model.d_from[j] != here or model.d_into[j] in (came_from, room):
                    continue
                f = model.d_element[j]
                d2 = (el.xy[e][0] - el.xy[f][0]) ** 2 + (el.xy[e][1] - el.xy[f][1]) ** 2
                on_wall = 1.0 if model.is_flat[here] else 0.25
                g = (
                    1 / (el.area[e] + 2 * math.pi * d2)
                    + _reverberant(model, here, math.sqrt(d2)) * on_wall
                )
                acc = nxt.setdefault(j, [0.0] * N_BANDS)
                for b in range(N_BANDS):
                    acc[b] += power[b] * g * radiating(j, b)
        layer = nxt
    return out
