"""Sound from a talker to every listener: the plan turned into rooms and radiating elements.

Each partition is cut into elements: pieces of wall at most :data:`ELEMENT_LENGTH` long,
and each door and window in it. A talker of sound power W in room 0 gives

- listeners in room 0: direct plus reverberant sound, W·(Q/(4πr²)·10^(−ΔL/10) + 4/A₀),
  ΔL being a screen's loss on the direct sound (Maekawa, capped);
- each element e of room 0 an incident intensity I = W/(4πd²) + W/A₀ (direct plus the
  diffuse field's W/A), and a transmitted power Wₑ = I·Sₑ·τₑ;
- listeners in the next room: Σₑ Wₑ·(1/(Sₑ + 2πd²) + 4/A₁), the element radiating into a
  half space (its own area bounds the near field) plus the receiving room's diffuse field;
- elements of the next room the same incident intensity from those sources, and onward.

At the partition the level difference is about R (the ASTM E2638 eavesdropper); inside the
receiving room it tends to L₁ − R + 10·lg(S/A₂). In a long room (:data:`LONG_ROOM_ASPECT`), a
corridor, the diffuse term 4/A is replaced by the decaying reverberant field of the
one-dimensional diffusion model: loud near the door the talker is behind, quieter further along.

Sound walks from room to room through at most :data:`MAX_WALLS` partitions, never straight back
into the room it came from and never into the talker's room again; energy is summed over all
such walks. A walk is dropped once it carries less than :data:`NEGLIGIBLE` of the talker's power.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from roomplan import acoustics as ac
from roomplan.plan.model import Plan
from roomplan.privacy.positions import Positions

ELEMENT_LENGTH = 1.0
"""Walls are cut into radiating pieces at most this long [m]."""

MAX_WALLS = 3
"""A path crosses at most this many partitions."""

LONG_ROOM_ASPECT = 3.0
"""A room at least this many times longer than wide is a long room (a corridor): its
reverberant sound decays along its length (:func:`roomplan.acoustics.long_room_reverberant`)
instead of filling it evenly."""

NEGLIGIBLE = 1e-9
"""Paths are dropped below this mean-square pressure per watt [1/m²], 90 dB under the
talker's power level: for speech (Lw 70-85 dB) that is below 0 dB, far under any background."""


@dataclass(frozen=True)
class Elements:
    """Radiating elements of all partitions, as parallel arrays.

    xy [m] (E, 2); area [m²] (E,); tau (E, 18) transmission coefficient per band;
    rooms (E, 2) room indices on either side; kind "wall"/"door"/"window"; feature: the
    door or window id, or the partition id for wall pieces; partition index (E,)."""

    xy: np.ndarray
    area: np.ndarray
    tau: np.ndarray
    rooms: np.ndarray
    kind: np.ndarray
    feature: np.ndarray
    partition: np.ndarray


@dataclass
class Reach:
    """What one talker room's sound reaches. Per receiving room index: ``h`` the
    mean-square pressure per watt (K mouths, L listeners, 18 bands) at its listeners
    (``self.model.room_listeners``), ``last`` the element each listener hears most (K, L)
    (-1 in the talker's own room). ``parent[(e, r)]`` is, per mouth, the element before
    element e on its strongest walk into room r (-1 for the talker room's own walls)."""

    h: dict[int, np.ndarray] = field(default_factory=dict)
    last: dict[int, np.ndarray] = field(default_factory=dict)
    best: dict[int, np.ndarray] = field(default_factory=dict)
    parent: dict[tuple[int, int], np.ndarray] = field(default_factory=dict)
    parent_power: dict[tuple[int, int], np.ndarray] = field(default_factory=dict)

    def path(self, model: AcousticModel, room: int, k: int, last: int) -> list[int]:
        """Element indices from the talker room outward to the one heard last."""
        out, e, r = [], last, room
        while e >= 0 and len(out) <= MAX_WALLS:
            out.append(e)
            source = model.other(e, r)
            e, r = int(self.parent[(e, r)][k]), source
        return out[::-1]


class AcousticModel:
    """The plan's geometry prepared for propagation: rooms, elements, listeners, screens.

    Built once per plan (it holds no criteria), so the privacy answers can be recomputed
    cheaply for other voices, noise or masking."""

    def __init__(self, plan: Plan, listeners: Positions, screen_cap_db: float = 3.0):
        self.plan = plan
        self.room_ids = [r.id for r in plan.rooms]
        self.room_index = {rid: i for i, rid in enumerate(self.room_ids)}
        self.absorption = np.array([ac.sabine_absorption(r.volume, r.rt60) for r in plan.rooms])
        self.elements = _elements(plan, self.room_index)
        n_rooms = len(self.room_ids)
        rooms = self.elements.rooms
        self.room_elements: list[np.ndarray] = [
            np.flatnonzero((rooms[:, 0] == i) | (rooms[:, 1] == i)) for i in range(n_rooms)
        ]
        # the room on the other side of each element, seen from each of its rooms
        self._across = {(int(e), int(a)): int(b) for e, (a, b) in enumerate(rooms)}
        self._across.update({(int(e), int(b)): int(a) for e, (a, b) in enumerate(rooms)})
        self.listeners = listeners
        room_of = np.array([self.room_index[r] for r in listeners.room], dtype=int)
        self.room_listeners = [np.flatnonzero(room_of == i) for i in range(n_rooms)]
        self.screens = _screens(plan, self.room_index, n_rooms)
        self.screen_cap_db = screen_cap_db
        self.long = [_long_room(r, a) for r, a in zip(plan.rooms, self.absorption, strict=True)]

    def reverberant(self, r: int, d2: np.ndarray) -> np.ndarray | float:
        """Reverberant mean-square pressure per watt [1/m²] in room ``r`` at squared
        distances ``d2`` [m²] from a source: 4/A, or the decaying field of a long room."""
        if self.long[r] is None:
            return 4 / self.absorption[r]
        width, height, k = self.long[r]
        return ac.long_room_reverberant(np.sqrt(d2), width, height, k)

    def other(self, e: int, r: int) -> int:
        """The room across element ``e`` from room ``r``."""
        return self._across[(e, r)]

    # -- one talker room -------------------------------------------------------------
    def reach(self, room: int, mouths: np.ndarray) -> Reach:
        """Mean-square pressure per watt at every listener reached from ``mouths`` (K, 2)
        in room index ``room``: walks through at most MAX_WALLS partitions that never turn
        straight back and never re-enter the talker's room, energy summed over them."""
        el = self.elements
        out = Reach()
        k = len(mouths)

        here = self.room_listeners[room]
        if len(here):
            d2 = _sq_dist(mouths, self.listeners.xy[here])
            loss = self._screen_loss(room, mouths, self.listeners.xy[here])
            direct = ac.Q_SPEECH / (4 * np.pi * np.maximum(d2, 0.01))
            reverberant = np.broadcast_to(self.reverberant(room, d2), d2.shape)
            out.h[room] = direct[..., None] * 10 ** (-loss / 10) + reverberant[..., None]
            out.last[room] = np.full((k, len(here)), -1)
            out.best[room] = np.full((k, len(here)), np.inf)

        own = self.room_elements[room]
        d2 = _sq_dist(mouths, el.xy[own])
        incident = 1 / (4 * np.pi * np.maximum(d2, 0.01)) + self.reverberant(room, d2) / 4
        power = incident[..., None] * (el.area[own, None] * el.tau[own])[None]
        states = {}
        for r, (idx, w) in self._by_next_room(own, power, room).items():
            states[(r, room)] = (idx, w)
            for e in idx:
                out.parent[(int(e), r)] = np.full(k, -1)
        for depth in range(MAX_WALLS):
            next_states: dict[tuple[int, int], tuple[list, list]] = {}
            for (r, prev), (idx, w) in states.items():
                self._receive(out, r, idx, w)
                if depth == MAX_WALLS - 1:
                    continue
                outgoing = np.array(
                    [e for e in self.room_elements[r] if self.other(int(e), r) not in (prev, room)],
                    dtype=int,
                )
                if len(outgoing) == 0:
                    continue
                d2 = _sq_dist(el.xy[idx], el.xy[outgoing])
                g = 1 / (el.area[idx, None] + 2 * np.pi * d2) + self.reverberant(r, d2) / 4
                contrib = w[:, :, None, :] * g[None, :, :, None]  # (K, n, m, 18)
                w_out = contrib.sum(axis=1) * (el.area[outgoing, None] * el.tau[outgoing])[None]
                keep = w_out.max(axis=(0, 2)) > NEGLIGIBLE
                if not keep.any():
                    continue
                band_sum = contrib.sum(axis=-1)  # (K, n, m)
                strongest, strength = band_sum.argmax(axis=1), band_sum.max(axis=1)
                for j in np.flatnonzero(keep):
                    e = int(outgoing[j])
                    key = (e, self.other(e, r))
                    parent = idx[strongest[:, j]]
                    if (
                        key in out.parent
                    ):  # a later walk through the same element: keep the stronger
                        better = strength[:, j] > out.parent_power[key]
                        parent = np.where(better, parent, out.parent[key])
                        strength[:, j] = np.maximum(strength[:, j], out.parent_power[key])
                    out.parent[key] = parent
                    out.parent_power[key] = strength[:, j]
                for rr, (i2, w2) in self._by_next_room(outgoing[keep], w_out[:, keep], r).items():
                    bucket = next_states.setdefault((rr, r), ([], []))
                    bucket[0].append(i2)
                    bucket[1].append(w2)
            states = {
                key: (np.concatenate(i), np.concatenate(w, axis=1))
                for key, (i, w) in next_states.items()
            }
            if not states:
                break
        return out

    def _receive(self, out: Reach, r: int, idx: np.ndarray, w: np.ndarray) -> None:
        here = self.room_listeners[r]
        if len(here) == 0:
            return
        el = self.elements
        d2 = _sq_dist(el.xy[idx], self.listeners.xy[here])
        g = 1 / (el.area[idx, None] + 2 * np.pi * d2) + self.reverberant(r, d2)
        h = np.einsum("knb,nl->klb", w, g)
        band_sum = np.einsum("knb,nl->knl", w, g)
        strongest, strength = idx[band_sum.argmax(axis=1)], band_sum.max(axis=1)
        if r in out.h:
            out.h[r] = out.h[r] + h
            better = strength > out.best[r]
            out.last[r] = np.where(better, strongest, out.last[r])
            out.best[r] = np.maximum(strength, out.best[r])
        else:
            out.h[r], out.last[r], out.best[r] = h, strongest, strength

    def _by_next_room(
        self, idx: np.ndarray, power: np.ndarray, r: int
    ) -> dict[int, tuple[np.ndarray, np.ndarray]]:
        groups: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        if len(idx) == 0:
            return groups
        others = np.array([self.other(int(e), r) for e in idx])
        for rr in np.unique(others):
            sel = others == rr
            groups[int(rr)] = (idx[sel], power[:, sel])
        return groups

    def _screen_loss(self, room: int, mouths: np.ndarray, points: np.ndarray) -> np.ndarray:
        """Screen loss [dB] (K, L, 18) on the direct path, the largest of the screens crossed."""
        loss = np.zeros((len(mouths), len(points), len(ac.BANDS_HZ)))
        segments, heights = self.screens[room]
        for (p, q), h in zip(segments, heights, strict=True):
            t, u = _crossing(mouths, points, np.asarray(p), np.asarray(q))
            hit = (t > 0) & (t < 1) & (u >= 0) & (u <= 1)
            if not hit.any():
                continue
            span = np.sqrt(_sq_dist(mouths, points))
            delta = ac.barrier_path_difference(t * span, (1 - t) * span, h)
            this = ac.maekawa_loss(np.where(hit, delta, -1.0), self.screen_cap_db)
            loss = np.maximum(loss, this)
        return loss


def _long_room(room, absorption: float) -> tuple[float, float, float] | None:
    """(width [m], height [m], decay constant [1/m]) of a long room, or None."""
    box = room.polygon.minimum_rotated_rectangle
    xy = np.asarray(box.exterior.coords)
    sides = np.hypot(*np.diff(xy[:3], axis=0).T)
    width, length = float(sides.min()), float(sides.max())
    if width <= 0 or length / width < LONG_ROOM_ASPECT:
        return None
    surface = 2 * room.area + room.polygon.length * room.ceiling_height
    mean_alpha = min(absorption / surface, 0.99)
    return (
        width,
        room.ceiling_height,
        float(ac.long_room_decay(width, room.ceiling_height, mean_alpha)),
    )


def _sq_dist(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Squared distances (len(a), len(b)) [m²]."""
    d = a[:, None, :] - b[None, :, :]
    return np.einsum("ijk,ijk->ij", d, d)


def _crossing(
    a: np.ndarray, b: np.ndarray, p: np.ndarray, q: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Where segments a[i]→b[j] cross segment p→q: fractions t along a→b and u along p→q
    (K, L); outside [0, 1] when they do not cross."""
    r = b[None, :, :] - a[:, None, :]
    s = q - p
    denom = r[..., 0] * s[1] - r[..., 1] * s[0]
    ap = p[None, None, :] - a[:, None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (ap[..., 0] * s[1] - ap[..., 1] * s[0]) / denom
        u = (ap[..., 0] * r[..., 1] - ap[..., 1] * r[..., 0]) / denom
    parallel = np.abs(denom) < 1e-12
    return np.where(parallel, -1.0, t), np.where(parallel, -1.0, u)


def _elements(plan: Plan, room_index: dict[str, int]) -> Elements:
    xy, area, tau, rooms, kind, feature, partition = [], [], [], [], [], [], []

    def add(p, s, t, ab, k, f, i):
        xy.append(p)
        area.append(s)
        tau.append(t)
        rooms.append(ab)
        kind.append(k)
        feature.append(f)
        partition.append(i)

    doors = {d.id: d for d in plan.doors}
    windows = {w.id: w for w in plan.windows}
    for i, part in enumerate(plan.partitions):
        ab = (room_index[part.rooms[0]], room_index[part.rooms[1]])
        openings = [doors[x] for x in part.doors] + [windows[x] for x in part.windows]
        for o in openings:
            mid = o.line.interpolate(0.5, normalized=True)
            s = o.area
            if o.is_open:
                t = np.ones(len(ac.BANDS_HZ))
            else:
                leaf = max(s - o.gap_m2, 0.0)
                t = (
                    leaf * ac.transmission_coefficient(ac.rating_spectrum(o.rating.rw)) + o.gap_m2
                ) / s
            add((mid.x, mid.y), s, t, ab, "door" if o.id in doors else "window", o.id, i)
        wall_area = max(part.area - sum(o.area for o in openings), 0.0)
        if wall_area <= 0:
            continue
        t_wall = ac.transmission_coefficient(ac.rating_spectrum(part.rating.rw))
        lines = list(getattr(part.geometry, "geoms", [part.geometry]))
        total = sum(line.length for line in lines)
        for line in lines:
            n = max(1, math.ceil(line.length / ELEMENT_LENGTH))
            for j in range(n):
                p = line.interpolate((j + 0.5) / n, normalized=True)
                add((p.x, p.y), wall_area * line.length / total / n, t_wall, ab, "wall", part.id, i)
    n_bands = len(ac.BANDS_HZ)
    return Elements(
        xy=np.array(xy, dtype=float).reshape(-1, 2),
        area=np.array(area, dtype=float),
        tau=np.array(tau, dtype=float).reshape(-1, n_bands),
        rooms=np.array(rooms, dtype=int).reshape(-1, 2),
        kind=np.array(kind, dtype=object),
        feature=np.array(feature, dtype=object),
        partition=np.array(partition, dtype=int),
    )


def _screens(plan: Plan, room_index: dict[str, int], n_rooms: int):
    out = [([], []) for _ in range(n_rooms)]
    for s in plan.screens:
        segments, heights = out[room_index[s.room]]
        segments.append(s.segment)
        heights.append(s.height)
    return out
