"""Every talker-listener pair: the received speech, the intelligibility metrics, a verdict.

:func:`transfer` runs the propagation once per plan (cached while the plan lives);
:func:`evaluate` turns it into levels and metrics for a :class:`Criteria`, which is cheap,
so changing the voice, masking or thresholds does not redo the geometry.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np

from roomplan import acoustics as ac
from roomplan.plan.model import Plan
from roomplan.privacy.criteria import Criteria
from roomplan.privacy.positions import Positions, Talkers, listener_positions, talker_positions
from roomplan.privacy.propagation import AcousticModel, Reach

VERDICTS = ("inaudible", "audible", "intelligible")


@dataclass(frozen=True)
class Transfer:
    """Sound transfer of a plan, independent of voice and noise.

    For each pair p: ``talker[p]``/``listener[p]`` (indices into ``talkers``/``listeners``),
    ``h[p]`` mean-square pressure per watt per band [1/m²] (18), ``last[p]`` the element heard
    most (-1: same room), ``mouth[p]`` the talker's mouth used (the louder of seat and chair).
    ``reaches`` keeps, per talker room index, the propagation for tracing paths."""

    model: AcousticModel
    listeners: Positions
    talkers: Talkers
    talker: np.ndarray
    listener: np.ndarray
    h: np.ndarray
    last: np.ndarray
    mouth: np.ndarray
    reaches: dict[int, tuple[Reach, np.ndarray]]

    def path(self, p: int) -> list[int]:
        """Element indices along pair ``p``'s strongest path (empty: same room)."""
        if self.last[p] < 0:
            return []
        room = self.talkers.room[self.talker[p]]
        reach, mouth_rows = self.reaches[self.model.room_index[room]]
        k = int(np.flatnonzero(mouth_rows == self.mouth[p])[0])
        listener_room = self.model.room_index[self.listeners.room[self.listener[p]]]
        return reach.path(self.model, listener_room, k, int(self.last[p]))


_CACHE: dict[tuple[int, float], Transfer] = {}


def transfer(plan: Plan, screen_cap_db: float = 3.0) -> Transfer:
    """The sound transfer of ``plan`` (cached for as long as the plan value lives)."""
    key = (id(plan), screen_cap_db)
    if key not in _CACHE:
        _CACHE[key] = _transfer(plan, screen_cap_db)
        weakref.finalize(plan, _CACHE.pop, key, None)
    return _CACHE[key]


def _transfer(plan: Plan, screen_cap_db: float) -> Transfer:
    listeners = listener_positions(plan)
    talkers = talker_positions(plan)
    model = AcousticModel(plan, listeners, screen_cap_db)
    weights = 10 ** ((ac.speech_band_levels("normal") + ac.A_WEIGHTS) / 10)
    rows: dict[str, list] = {"talker": [], "listener": [], "h": [], "last": [], "mouth": []}
    reaches = {}
    talker_room = np.array([model.room_index[r] for r in talkers.room], dtype=int)
    for room in np.unique(talker_room):
        in_room = np.flatnonzero(talker_room == room)
        mouth_rows = np.flatnonzero(np.isin(talkers.mouth_of, in_room))
        reach = model.reach(int(room), talkers.mouth_xy[mouth_rows])
        reaches[int(room)] = (reach, mouth_rows)
        for r, h in reach.h.items():
            here = model.room_listeners[r]
            loudness = h @ weights  # (K, L)
            for t in in_room:
                ks = np.flatnonzero(talkers.mouth_of[mouth_rows] == t)
                best = ks[loudness[ks].argmax(axis=0)]  # (L,)
                keep = _not_own(talkers, t, listeners, here)
                cols = np.flatnonzero(keep)
                rows["talker"].append(np.full(len(cols), t))
                rows["listener"].append(here[cols])
                rows["h"].append(h[best[cols], cols])
                rows["last"].append(reach.last[r][best[cols], cols])
                rows["mouth"].append(mouth_rows[best[cols]])
    n_bands = len(ac.BANDS_HZ)

    def cat(name, dtype, shape=()):
        parts = rows[name]
        return np.concatenate(parts).astype(dtype) if parts else np.zeros((0, *shape), dtype=dtype)

    return Transfer(
        model=model,
        listeners=listeners,
        talkers=talkers,
        talker=cat("talker", int),
        listener=cat("listener", int),
        h=cat("h", float, (n_bands,)).reshape(-1, n_bands),
        last=cat("last", int),
        mouth=cat("mouth", int),
        reaches=reaches,
    )


def _not_own(talkers: Talkers, t: int, listeners: Positions, here: np.ndarray) -> np.ndarray:
    """Listeners that are not the talker's own seat, chair or table."""
    desk = talkers.desk[t]
    if desk is not None:
        return listeners.desk[here] != desk
    return listeners.ids[here] != talkers.ids[t]


@dataclass(frozen=True)
class PairMetrics:
    """Levels and metrics of every pair for one vocal effort (arrays over pairs).

    speech: received band levels [dB] (P, 18); noise: background band levels at the
    listener [dB] (P, 18); level_dba [dB(A)]; snr_uni32 [dB]; ai; privacy_index [%]; sii;
    spc [dB] (NaN in the talker's own room); verdict: index into VERDICTS; acceptable:
    meets the criteria for a listener in another room."""

    effort: str
    speech: np.ndarray
    noise: np.ndarray
    level_dba: np.ndarray
    snr_uni32: np.ndarray
    ai: np.ndarray
    privacy_index: np.ndarray
    sii: np.ndarray
    spc: np.ndarray
    verdict: np.ndarray
    acceptable: np.ndarray


def noise_levels(plan: Plan, criteria: Criteria) -> dict[str, np.ndarray]:
    """Background band levels [dB] per room id: the room's noise and its masking (the
    criteria's masking for the room if given, else the room's own), added energetically."""
    out = {}
    for room in plan.rooms:
        masking = criteria.masking.get(room.id, room.masking_dba)
        levels = ac.noise_band_levels(room.noise_dba)
        if masking is not None:
            levels = ac.add_levels(levels, ac.noise_band_levels(masking))
        out[room.id] = levels
    return out


def evaluate(tr: Transfer, plan: Plan, criteria: Criteria, effort: str) -> PairMetrics:
    """Levels, metrics and verdicts of every pair of ``tr`` for a vocal ``effort``."""
    lw = ac.sound_power_level(ac.speech_band_levels(effort))
    with np.errstate(divide="ignore"):
        speech = lw + 10 * np.log10(np.maximum(tr.h, 1e-30))
    noise_by_room = noise_levels(plan, criteria)
    rooms = tr.listeners.room[tr.listener]
    noise = np.array([noise_by_room[r] for r in rooms]).reshape(-1, len(ac.BANDS_HZ))
    snr = ac.snr_uni32(speech, noise)
    ai = ac.articulation_index(speech, noise)
    pi = ac.privacy_index(ai)
    sii = np.zeros(len(speech))
    audible = np.any(speech - noise > -15, axis=-1)  # elsewhere every band is inaudible: SII = 0
    if audible.any():
        sii[audible] = ac.sii_full(speech[audible], noise[audible])
    same_room = rooms == tr.talkers.room[tr.talker]
    absorption = tr.model.absorption[[tr.model.room_index[r] for r in tr.talkers.room[tr.talker]]]
    source_room = lw + 10 * np.log10(4 / absorption)[:, None]
    spc = np.where(same_room, np.nan, ac.speech_privacy_class(source_room - speech, noise))
    verdict = np.where(snr > criteria.intelligible_db, 2, np.where(snr > criteria.audible_db, 1, 0))
    acceptable = ~same_room & (snr <= criteria.max_snr_uni32) & (pi >= criteria.min_privacy_index)
    return PairMetrics(
        effort=effort,
        speech=speech,
        noise=noise,
        level_dba=ac.a_weighted_level(speech),
        snr_uni32=snr,
        ai=ai,
        privacy_index=pi,
        sii=sii,
        spc=spc,
        verdict=verdict,
        acceptable=acceptable,
    )
