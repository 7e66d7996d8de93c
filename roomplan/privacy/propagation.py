"""Sound from a talker to every listener: the plan turned into rooms and radiating elements.

Each partition is cut into elements: pieces of wall at most :data:`ELEMENT_LENGTH` long, and
each door and window in it. An element carries sound both ways; each direction is a
*directed element* (``2e`` into ``rooms[e, 1]``, ``2e + 1`` into ``rooms[e, 0]``).
A talker of sound power W in room 0 gives

- listeners in room 0: direct plus reverberant sound, W·(Q/(4πr²)·10^(−ΔL/10) + 4/A₀),
  ΔL being a screen's loss on the direct sound (Maekawa, capped);
- each element e of room 0 a transmitted power Wₑ = (W·Ωₑ/4π + Sₑ·W/A₀)·τₑ: the direct
  sound falling on it (Ωₑ the solid angle it fills seen from the mouth, about Sₑ/d² far
  away and never more than half the talker's power close by) plus the diffuse field's W/A
  per unit area;
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

The couplings do not depend on the talker, so they are two sparse matrices built once per plan:
G (directed element → directed element through the room between them) and R (directed element →
listener in the room it enters). They do not depend on the band either: a rated element passes
τ_b = t·c_b, its single-number rating t = 10^(−R'w/10) times the ISO 717-1 curve's shape c_b
(:func:`roomplan.acoustics.rating_spectrum`), and an opening passes τ = 1. A walk through k rated
elements therefore carries c_b^k times a band-free power, and all talkers propagate together in
MAX_WALLS + 1 channels (k = 0, 1, ...) instead of 18 bands, one sparse product per wall
(:meth:`AcousticModel.transfer`). :meth:`AcousticModel.trace` follows one talker band by band to
name the path a listener hears it by. An element rated below :data:`OPENING_RW` is an opening.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, replace

import numpy as np
import scipy.sparse as sp
import shapely

from roomplan import acoustics as ac
from roomplan.plan.model import Opening, Plan
from roomplan.privacy.positions import Positions

ELEMENT_LENGTH = 1.0
"""Walls are cut into radiating pieces at most this long [m]."""

MAX_WALLS = 3
"""A path crosses at most this many partitions."""

LONG_ROOM_ASPECT = 3.0
"""A room at least this many times longer than wide is a long room (a corridor): its
reverberant sound decays along its length (:func:`roomplan.acoustics.long_room_reverberant`)
instead of filling it evenly."""

FLAT_ROOM_RATIO = 4.0
"""A room whose width (of its smallest enclosing rectangle) is at least this many times its
height, and not long, is a flat room (an open plan, a large waiting hall): its reverberant sound
is the images in floor and ceiling (:func:`roomplan.acoustics.flat_room_transfer`), which fall
off with distance, instead of the even 4/A of a diffuse room."""

FLAT_ROOM_FILL = 0.8
"""A flat room fills at least this share of its smallest enclosing rectangle."""

FLOOR_ABSORPTION = 0.1
"""Absorption coefficient taken for the floor and walls of a flat room (carpet, furniture);
the ceiling gets the rest of what the reverberation time needs."""

NEGLIGIBLE = 1e-9
"""Walks are dropped below this power per watt of talker power, 90 dB under the talker's
power level: for speech (Lw 70-85 dB) that is below 0 dB, far under any background."""

OPENING_RW = 52.0 - float(ac.ISO717_REFERENCE[0]) + ac.RATED_SPECTRUM_OFFSET_DB
"""Elements rated below this [dB] count as openings (τ = 1): their rated spectrum
(:func:`roomplan.acoustics.rating_spectrum`) would give them a negative reduction at 160 Hz."""

NEAREST_WALL = 0.05
"""A mouth is taken at least this far from a wall's plane [m]."""

N_BANDS = len(ac.BANDS_HZ)
CHANNELS = MAX_WALLS + 1
SHAPE = ac.transmission_coefficient(ac.rating_spectrum(52.0) - 52.0)
"""c_b: the band shape of a rated element's transmission coefficient, τ_b = 10^(−R'w/10)·c_b."""


@dataclass(frozen=True)
class Elements:
    """Radiating elements of all partitions, as parallel arrays.

    xy [m] (E, 2); area [m²] (E,); open_area [m²]: the part passing sound freely (an open
    door, a gap); rated: area times 10^(−R'w/10) of the rest [m²]; rooms (E, 2) room indices
    on either side; kind "wall"/"door"/"window"; feature: the door or window id, or the
    partition id for wall pieces; partition index (E,). The piece as a rectangle in its wall:
    tangent (E, 2) a unit vector along the wall, width [m], bottom and top [m] above the
    floor; ``area`` may be less than width·(top − bottom) where openings are cut out.
    """

    xy: np.ndarray
    area: np.ndarray
    open_area: np.ndarray
    rated: np.ndarray
    rooms: np.ndarray
    kind: np.ndarray
    feature: np.ndarray
    partition: np.ndarray
    tangent: np.ndarray
    width: np.ndarray
    bottom: np.ndarray
    top: np.ndarray

    def direct_share(self, mouths: np.ndarray, element: np.ndarray) -> np.ndarray:
        """Share [–] of a talker's power falling straight onto each element from mouths[i]
        (n, 2) to element[i] (n,): the piece's solid angle over 4π
        (:func:`roomplan.acoustics.incident_fraction`), less its cut-out openings."""
        offset = mouths - self.xy[element]
        t = self.tangent[element]
        along = np.einsum("ij,ij->i", offset, t)
        perpendicular = np.abs(offset[:, 0] * t[:, 1] - offset[:, 1] * t[:, 0])
        width, bottom, top = self.width[element], self.bottom[element], self.top[element]
        whole = ac.incident_fraction(
            np.maximum(perpendicular, NEAREST_WALL), along, width, bottom, top
        )
        return whole * self.area[element] / (width * (top - bottom))


@dataclass(frozen=True)
class Received:
    """Mean-square pressure per watt [1/m²] at listeners: for each pair, the ``mouth``
    (row of the mouths given), the ``listener`` index and ``h`` per band (P, 18)."""

    mouth: np.ndarray
    listener: np.ndarray
    h: np.ndarray


class AcousticModel:
    """The plan's geometry prepared for propagation: rooms, directed elements, listeners,
    screens, and the coupling matrices G and R. Built once per plan (it holds no criteria),
    so the privacy answers can be recomputed cheaply for other voices, noise or masking."""

    def __init__(self, plan: Plan, listeners: Positions, screen_cap_db: float = 3.0):
        self.plan = plan
        self.room_ids = [r.id for r in plan.rooms]
        self.room_index = {rid: i for i, rid in enumerate(self.room_ids)}
        self.absorption = np.array([ac.sabine_absorption(r.volume, r.rt60) for r in plan.rooms])
        fields = [_field(r, a) for r, a in zip(plan.rooms, self.absorption, strict=True)]
        self.is_long = np.array([f == "long" for f, _ in fields], dtype=bool)
        self.long_params = np.array(
            [x if f == "long" else (1.0, 1.0, 1.0) for f, x in fields]
        ).reshape(-1, 3)
        self.is_flat = np.array([f == "flat" for f, _ in fields], dtype=bool)
        self.flat_params = np.array([x if f == "flat" else (1.0, 0.0) for f, x in fields]).reshape(
            -1, 2
        )
        self.elements = el = _elements(plan, self.room_index)
        self.listeners = listeners
        self.listener_room = np.array([self.room_index[r] for r in listeners.room], dtype=int)
        self.screens = _screens(plan, self.room_index, len(self.room_ids))
        self.screen_cap_db = screen_cap_db

        # directed elements: 2e enters rooms[e, 1] from rooms[e, 0]; 2e + 1 the other way
        self.d_element = np.repeat(np.arange(len(el.area)), 2)
        self.d_from = el.rooms.ravel()
        self.d_into = el.rooms[:, ::-1].ravel()
        self.g = self._coupling_g()
        self.r = self._coupling_r()
        self._pass_through(el)

    def rerated(self, plan: Plan) -> AcousticModel:
        """This model for ``plan``, the same plan with doors, windows or walls rated, opened
        or closed differently (a trial of upgrades): the geometry and the couplings G and R
        are kept; only what each element passes is computed again."""
        other = copy.copy(self)
        other.plan = plan
        other.elements = _rerated(self.elements, plan)
        other._pass_through(other.elements)
        return other

    def _pass_through(self, el: Elements) -> None:
        """What the directed elements pass: open area and rated area S·τ, per band, and the
        couplings weighted by them."""
        self.open_area = el.open_area[self.d_element]
        self.rated = el.rated[self.d_element]
        self.radiating = (
            self.open_area[:, None] + self.rated[:, None] * SHAPE
        )  # S·τ per band (2E, 18)
        self.g_open = self.g.multiply(self.open_area[None, :]).tocsr()
        self.g_rated = self.g.multiply(self.rated[None, :]).tocsr()
        # the most a watt (loudest band) through directed element i passes on through one more
        onward = self.g.multiply((self.open_area + SHAPE.max() * self.rated)[None, :]).tocsr()
        self.onward = (
            onward.max(axis=1).toarray().ravel() if onward.nnz else np.zeros(len(self.d_from))
        )

    # -- the room's field ------------------------------------------------------------
    def reverberant(self, rooms: np.ndarray, d2: np.ndarray) -> np.ndarray:
        """Reverberant mean-square pressure per watt [1/m²] in ``rooms`` (room indices) at
        squared distances ``d2`` [m²] from a source: 4/A, or the decaying field of a long room."""
        rooms, d2 = np.broadcast_arrays(np.asarray(rooms), np.asarray(d2, dtype=float))
        out = 4 / self.absorption[rooms]
        long = self.is_long[rooms]
        if long.any():
            width, height, k = self.long_params[rooms[long]].T
            out = out.copy()
            out[long] = ac.long_room_reverberant(np.sqrt(d2[long]), width, height, k)
        flat = self.is_flat[rooms]
        if flat.any():
            out = out.copy()
            for r in np.unique(rooms[flat]):
                sel = rooms == r
                out[sel] = _flat_reverberant(d2[sel], *self.flat_params[r])
        return out

    def on_wall(self, rooms: np.ndarray) -> np.ndarray:
        """The share of the reverberant mean-square pressure that falls on a wall as intensity:
        1/4 in a diffuse room; in a flat room the images in floor and ceiling arrive nearly
        head-on, taken as 1 (an upper bound, about 1 dB over integrating each image)."""
        return np.where(self.is_flat[np.asarray(rooms)], 1.0, 0.25)

    def _radiated(
        self,
        src_area: np.ndarray,
        rooms: np.ndarray,
        d2: np.ndarray,
        diffuse: float | np.ndarray,
    ) -> np.ndarray:
        """From an element of area ``src_area`` radiating into a half space: 1/(S + 2πd²) plus
        ``diffuse`` times the reverberant field (1 at a listener; 1/4 as intensity on a wall)."""
        return 1 / (src_area + 2 * np.pi * d2) + diffuse * self.reverberant(rooms, d2)

    def _coupling_g(self) -> sp.csr_matrix:
        """G[i, j]: intensity on directed element j per watt through directed element i, for j
        leaving the room i enters, except straight back into the room i came from."""
        el, n = self.elements, len(self.d_from)
        i, j = _in_same_room(self.d_into, self.d_from)
        keep = self.d_into[j] != self.d_from[i]
        i, j = i[keep], j[keep]
        d2 = _pair_sq_dist(el.xy[self.d_element[i]], el.xy[self.d_element[j]])
        values = self._radiated(
            el.area[self.d_element[i]], self.d_into[i], d2, self.on_wall(self.d_into[i])
        )
        return sp.csr_matrix((values, (i, j)), shape=(n, n))

    def _coupling_r(self) -> sp.csr_matrix:
        """R[i, l]: mean-square pressure per watt at listener l through directed element i."""
        el = self.elements
        i, li = _in_same_room(self.d_into, self.listener_room)
        d2 = _pair_sq_dist(el.xy[self.d_element[i]], self.listeners.xy[li])
        values = self._radiated(el.area[self.d_element[i]], self.d_into[i], d2, 1.0)
        return sp.csr_matrix((values, (i, li)), shape=(len(self.d_from), len(self.listener_room)))

    # -- all talkers at once -----------------------------------------------------------
    def first_walls(self, mouths: np.ndarray, rooms: np.ndarray) -> sp.csr_matrix:
        """Band-free power per watt through each directed element leaving each mouth's room,
        in channels: a sparse matrix with a row per (mouth, channel), ``row = mouth·CHANNELS + k``;
        channel 0 holds what passes openings, channel 1 what passes rated elements."""
        el = self.elements
        m, d = _in_same_room(rooms, self.d_from)
        d2 = _pair_sq_dist(mouths[m], el.xy[self.d_element[d]])
        e = self.d_element[d]
        direct = el.direct_share(mouths[m], e) / el.area[e]
        incident = direct + self.reverberant(rooms[m], d2) * self.on_wall(rooms[m])
        rows = np.concatenate([m * CHANNELS, m * CHANNELS + 1])
        cols = np.concatenate([d, d])
        vals = np.concatenate([incident * self.open_area[d], incident * self.rated[d]])
        keep = vals > 0
        return sp.csr_matrix(
            (vals[keep], (rows[keep], cols[keep])), shape=(len(mouths) * CHANNELS, len(self.d_from))
        )

    def same_room(self, mouths: np.ndarray, rooms: np.ndarray) -> Received:
        """Direct and reverberant sound at the listeners in each mouth's own room."""
        m, li = _in_same_room(rooms, self.listener_room)
        d2 = _pair_sq_dist(mouths[m], self.listeners.xy[li])
        direct = ac.Q_SPEECH / (4 * np.pi * np.maximum(d2, 0.01))
        h = np.repeat((direct + self.reverberant(rooms[m], d2))[:, None], N_BANDS, axis=1)
        for r in {int(x) for x in rooms} & {
            int(x) for x, (segs, _) in enumerate(self.screens) if segs
        }:
            sel = np.flatnonzero(rooms[m] == r)
            loss = self._screen_loss(r, mouths[m[sel]], self.listeners.xy[li[sel]])
            h[sel] = (
                direct[sel, None] * 10 ** (-loss / 10)
                + self.reverberant(rooms[m[sel]], d2[sel])[:, None]
            )
        return Received(m, li, h)

    def transfer(self, mouths: np.ndarray, rooms: np.ndarray) -> Received:
        """Mean-square pressure per watt at every listener reached from every mouth (M, 2)
        in room indices ``rooms`` (M,): the same room plus the walks through partitions."""
        n_rows = len(mouths) * CHANNELS
        channel = np.tile(np.arange(CHANNELS), len(mouths))
        talker_room = np.repeat(rooms, CHANNELS)
        loudest = SHAPE.max() ** channel  # a channel's power in its loudest band, per unit
        w = self.first_walls(mouths, rooms)
        total = w
        for _depth in range(MAX_WALLS - 1):
            row = np.repeat(np.arange(n_rows), np.diff(w.indptr))
            w = _drop(w, w.data * loudest[row] * self.onward[w.indices] <= NEGLIGIBLE)
            if w.nnz == 0:
                break
            # through an opening a walk keeps its channel; through a rated element it moves up one
            w = (w @ self.g_open + _next_channel(w @ self.g_rated)).tocsr()
            row = np.repeat(np.arange(n_rows), np.diff(w.indptr))
            w = _drop(
                w,
                (w.data * loudest[row] <= NEGLIGIBLE)
                | (self.d_into[w.indices] == talker_room[row]),
            )
            total = total + w
        heard = (total @ self.r).tocoo()
        mouth, k = np.divmod(heard.row, CHANNELS)
        n_l = len(self.listener_room)
        pairs, inverse = np.unique(mouth.astype(np.int64) * n_l + heard.col, return_inverse=True)
        by_channel = np.zeros((len(pairs), CHANNELS))
        np.add.at(by_channel, (inverse, k), heard.data)
        h = by_channel @ SHAPE ** np.arange(CHANNELS)[:, None]  # (P, 18)
        walls = Received(mouth=pairs // n_l, listener=pairs % n_l, h=h)
        near = self.same_room(mouths, rooms)
        return Received(
            mouth=np.concatenate([near.mouth, walls.mouth]),
            listener=np.concatenate([near.listener, walls.listener]),
            h=np.concatenate([near.h, walls.h]),
        )

    # -- one talker, to explain ---------------------------------------------------------
    def trace(self, mouth: np.ndarray, room: int, listener: int) -> list[int]:
        """The elements (talker side first) along the strongest walk from ``mouth`` (2,) in
        room index ``room`` to ``listener``; empty when the listener is in the same room."""
        if self.listener_room[listener] == room:
            return []
        channels = self.first_walls(mouth[None], np.array([room])).toarray()  # (CHANNELS, 2E)
        w = channels[0][:, None] + channels[1][:, None] * SHAPE  # (2E, 18)
        layers, parents = [w], []
        for _depth in range(MAX_WALLS - 1):
            live = np.flatnonzero(w.max(axis=1) > 0)
            block = self.g[live].tocoo()
            strength = w[live].sum(axis=1)[block.row] * block.data
            nxt = np.zeros_like(w)
            np.add.at(nxt, block.col, w[live][block.row] * block.data[:, None])
            nxt *= self.radiating
            nxt[self.d_into == room] = 0.0
            nxt[nxt <= NEGLIGIBLE] = 0.0
            parent = np.full(len(w), -1)
            order = np.lexsort((strength, block.col))  # by target, strongest source last
            cols = block.col[order]
            last = np.flatnonzero(np.r_[cols[1:] != cols[:-1], True]) if len(cols) else cols
            parent[cols[last]] = live[block.row[order][last]]
            layers.append(nxt)
            parents.append(parent)
            w = nxt
        column = self.r[:, listener].toarray().ravel()
        score = [(layer.sum(axis=1) * column) for layer in layers]
        depth = int(np.argmax([s.max() for s in score]))
        d = int(np.argmax(score[depth]))
        chain = [d]
        for k in range(depth, 0, -1):
            d = int(parents[k - 1][d])
            chain.append(d)
        return [int(self.d_element[x]) for x in reversed(chain)]

    def _screen_loss(self, room: int, mouths: np.ndarray, points: np.ndarray) -> np.ndarray:
        """Screen loss [dB] (n, 18) on the direct path from mouths[i] to points[i]: the largest
        of the screens in ``room`` that the path crosses."""
        loss = np.zeros((len(mouths), N_BANDS))
        segments, heights = self.screens[room]
        for (p, q), h in zip(segments, heights, strict=True):
            t, u = _crossing(mouths, points, np.asarray(p, dtype=float), np.asarray(q, dtype=float))
            hit = (t > 0) & (t < 1) & (u >= 0) & (u <= 1)
            if not hit.any():
                continue
            span = np.sqrt(_pair_sq_dist(mouths, points))
            delta = ac.barrier_path_difference(t * span, (1 - t) * span, h)
            loss = np.maximum(loss, ac.maekawa_loss(np.where(hit, delta, -1.0), self.screen_cap_db))
        return loss


def _in_same_room(room_a: np.ndarray, room_b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every index pair (i, j) with room_a[i] == room_b[j], without a loop over rooms."""
    room_a, room_b = np.asarray(room_a, dtype=int), np.asarray(room_b, dtype=int)
    if len(room_a) == 0 or len(room_b) == 0:
        return np.zeros(0, dtype=int), np.zeros(0, dtype=int)
    order = np.argsort(room_b, kind="stable")
    rooms = np.arange(max(room_a.max(), room_b.max()) + 1)
    start = np.searchsorted(room_b[order], rooms)
    count = (np.searchsorted(room_b[order], rooms, side="right") - start)[room_a]
    i = np.repeat(np.arange(len(room_a)), count)
    within = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    return i, order[np.repeat(start[room_a], count) + within]


def _drop(m: sp.csr_matrix, mask: np.ndarray) -> sp.csr_matrix:
    """``m`` without the entries where ``mask`` is true."""
    m = m.copy()
    m.data[mask] = 0.0
    m.eliminate_zeros()
    return m


def _next_channel(m: sp.csr_matrix) -> sp.csr_matrix:
    """Rows moved up one channel: (mouth, k) -> (mouth, k + 1). The last channel is never full
    here, since a walk of MAX_WALLS elements is not passed on."""
    m = m.tocsr()
    indptr = np.concatenate([[0], m.indptr[:-1]])
    end = indptr[-1]
    return sp.csr_matrix((m.data[:end], m.indices[:end], indptr), shape=m.shape)


def _csr(rows, cols, vals, shape) -> sp.csr_matrix:
    if not rows:
        return sp.csr_matrix(shape)
    return sp.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=shape
    )


def _received(ms, ls, hs) -> Received:
    if not ms:
        return Received(np.zeros(0, dtype=int), np.zeros(0, dtype=int), np.zeros((0, N_BANDS)))
    return Received(np.concatenate(ms), np.concatenate(ls), np.concatenate(hs))


FIELDS = ("diffuse", "long", "flat")
"""The models of a room's reverberant field: Sabine's diffuse field 4/A [SABINE], the
one-dimensional diffusion of a long room [PICAUT-1997], the floor and ceiling images of a flat
room [SABINE]."""


def sound_fields(plan: Plan) -> dict[str, str]:
    """Each room's reverberant field (:data:`FIELDS`) by room id, as :class:`AcousticModel`
    takes it."""
    return {r.id: _field(r, float(ac.sabine_absorption(r.volume, r.rt60)))[0] for r in plan.rooms}


def _field(room, absorption: float) -> tuple[str, tuple | None]:
    """A room's field and its parameters: long when :data:`LONG_ROOM_ASPECT` times longer
    than wide (:func:`_long_room`), else flat (:func:`_flat_room`), else diffuse."""
    long = _long_room(room, absorption)
    if long is not None:
        return "long", long
    flat = _flat_room(room)
    return ("flat", flat) if flat is not None else ("diffuse", None)


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


def _flat_room(room) -> tuple[float, float] | None:
    """(height [m], ceiling absorption) of a flat room, or None. The room must also fill most
    of its enclosing rectangle (:data:`FLAT_ROOM_FILL`): an L-shaped hall of two narrow wings
    is not an open floor."""
    box = room.polygon.minimum_rotated_rectangle
    xy = np.asarray(box.exterior.coords)
    width = float(np.hypot(*np.diff(xy[:3], axis=0).T).min())
    height = room.ceiling_height
    if width < FLAT_ROOM_RATIO * height or room.area < FLAT_ROOM_FILL * box.area:
        return None
    ceiling = ac.flat_room_ceiling_absorption(
        room.area, height, room.polygon.length, room.rt60, FLOOR_ABSORPTION, FLOOR_ABSORPTION
    )
    return height, ceiling


def _flat_reverberant(d2: np.ndarray, height: float, ceiling: float) -> np.ndarray:
    """The images of a flat room without the direct sound, per watt [1/m²]."""
    r2 = np.maximum(d2, 1e-4)
    whole = ac.flat_room_transfer(np.sqrt(r2), height, FLOOR_ABSORPTION, ceiling)
    return whole - 1 / (4 * np.pi * r2)


def _pair_sq_dist(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Squared distances between a[i] and b[i] [m²]."""
    d = a - b
    return np.einsum("ij,ij->i", d, d)


def _crossing(
    a: np.ndarray, b: np.ndarray, p: np.ndarray, q: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Where segments a[i]→b[i] cross segment p→q: fractions t along a→b and u along p→q
    (n,); outside [0, 1] when they do not cross."""
    r = b - a
    s = q - p
    denom = r[:, 0] * s[1] - r[:, 1] * s[0]
    ap = p - a
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (ap[:, 0] * s[1] - ap[:, 1] * s[0]) / denom
        u = (ap[:, 0] * r[:, 1] - ap[:, 1] * r[:, 0]) / denom
    parallel = np.abs(denom) < 1e-12
    return np.where(parallel, -1.0, t), np.where(parallel, -1.0, u)


def _elements(plan: Plan, room_index: dict[str, int]) -> Elements:
    """Doors, windows and wall pieces of every partition, as :class:`Elements`. Doors stand on
    the floor; a window is taken centred on the mouth height (its sill is not in the plan, and
    that is where it passes the most direct sound)."""
    rows: list[tuple] = []
    doors = {d.id: d for d in plan.doors}
    windows = {w.id: w for w in plan.windows}
    for i, part in enumerate(plan.partitions):
        ab = (room_index[part.rooms[0]], room_index[part.rooms[1]])
        openings = [doors[x] for x in part.doors] + [windows[x] for x in part.windows]
        for o in openings:
            (x0, y0), (x1, y1) = o.segment
            mid = ((x0 + x1) / 2, (y0 + y1) / 2)
            gap = _opening(o)
            bottom = 0.0
            if o.id in windows:
                bottom = min(max(ac.MOUTH_HEIGHT - o.height / 2, 0.0), part.height - o.height)
            span = (x1 - x0, y1 - y0), o.width, max(bottom, 0.0), max(bottom, 0.0) + o.height
            kind = "door" if o.id in doors else "window"
            rows.append((mid, o.area, gap, o.rating.rw, ab, kind, o.id, i, span))
        wall_area = max(part.area - sum(o.area for o in openings), 0.0)
        if wall_area <= 0:
            continue
        lines = list(getattr(part.geometry, "geoms", [part.geometry]))
        total = sum(line.length for line in lines)
        for line in lines:
            n = max(1, math.ceil(line.length / ELEMENT_LENGTH))
            ends = shapely.get_coordinates(
                shapely.line_interpolate_point(line, np.arange(n + 1) / n, normalized=True)
            )
            points = shapely.get_coordinates(
                shapely.line_interpolate_point(line, (np.arange(n) + 0.5) / n, normalized=True)
            )
            for k, p in enumerate(points):
                span = tuple(ends[k + 1] - ends[k]), line.length / n, 0.0, part.height
                share = wall_area * line.length / total / n
                rw = part.rating.rw
                rows.append(((p[0], p[1]), share, 0.0, rw, ab, "wall", part.id, i, span))
    return _as_elements(rows)


def _opening(o: Opening) -> float:
    """The area [m²] a door or window passes freely: all of it when open, else its gap."""
    return o.area if o.is_open else min(o.gap_m2, o.area)


def _rerated(el: Elements, plan: Plan) -> Elements:
    """``el`` with the ratings and openings of ``plan``'s doors, windows and walls (the
    same elements: only how much each passes changes)."""
    doors = {d.id: d for d in plan.doors}
    windows = {w.id: w for w in plan.windows}
    walls = {p.id: p for p in plan.partitions}
    rw = np.empty(len(el.area))
    gap = np.zeros(len(el.area))
    for k, (kind, feature) in enumerate(zip(el.kind, el.feature, strict=True)):
        if kind == "wall":
            rw[k] = walls[feature].rating.rw
            continue
        o = doors[feature] if kind == "door" else windows[feature]
        rw[k], gap[k] = o.rating.rw, _opening(o)
    open_area = np.where(rw < OPENING_RW, el.area, gap)
    return replace(el, open_area=open_area, rated=(el.area - open_area) * 10 ** (-rw / 10))


def _as_elements(rows: list[tuple]) -> Elements:
    """Elements from rows (xy, area, open area, R'w, rooms, kind, feature, partition,
    (direction, width, bottom, top)); an element rated under :data:`OPENING_RW` is open."""
    n = len(rows)
    area = np.array([r[1] for r in rows], dtype=float)
    rw = np.array([r[3] for r in rows], dtype=float)
    open_area = np.where(rw < OPENING_RW, area, np.array([r[2] for r in rows], dtype=float))
    direction = np.array([r[8][0] for r in rows], dtype=float).reshape(n, 2)
    length = np.hypot(direction[:, 0], direction[:, 1])
    return Elements(
        xy=np.array([r[0] for r in rows], dtype=float).reshape(n, 2),
        area=area,
        open_area=open_area,
        rated=(area - open_area) * 10 ** (-rw / 10),
        rooms=np.array([r[4] for r in rows], dtype=int).reshape(n, 2),
        kind=np.array([r[5] for r in rows], dtype=object),
        feature=np.array([r[6] for r in rows], dtype=object),
        partition=np.array([r[7] for r in rows], dtype=int),
        tangent=direction / np.where(length > 0, length, 1.0)[:, None],
        width=np.array([max(r[8][1], 1e-6) for r in rows], dtype=float),
        bottom=np.array([r[8][2] for r in rows], dtype=float),
        top=np.array([max(r[8][3], r[8][2] + 1e-6) for r in rows], dtype=float),
    )


def _screens(plan: Plan, room_index: dict[str, int], n_rooms: int):
    out: list[tuple[list, list]] = [([], []) for _ in range(n_rooms)]
    for s in plan.screens:
        segments, heights = out[room_index[s.room]]
        segments.append(s.segment)
        heights.append(s.height)
    return out
