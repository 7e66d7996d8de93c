"""Every talker-listener pair: the received speech, the intelligibility metrics, a verdict.

:func:`transfer` runs the propagation once per plan (cached while the plan lives);
:func:`evaluate` turns it into levels and metrics for a :class:`Criteria`, which is cheap,
so changing the voice, masking or thresholds does not redo the geometry.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from roomplan import acoustics as ac
from roomplan.plan.model import Plan
from roomplan.privacy.criteria import Criteria
from roomplan.privacy.positions import Positions, Talkers, listener_positions, talker_positions
from roomplan.privacy.propagation import AcousticModel

VERDICTS = ("inaudible", "audible", "intelligible")


@dataclass(frozen=True)
class Transfer:
    """Sound transfer of a plan, independent of voice and noise.

    For each pair p: ``talker[p]``/``listener[p]`` (indices into ``talkers``/``listeners``),
    ``h[p]`` mean-square pressure per watt per band [1/m²] (18) from the talker's louder mouth
    (seat or chair) ``mouth[p]``; ``talker_room[p]``/``listener_room[p]`` room indices."""

    model: AcousticModel
    listeners: Positions
    talkers: Talkers
    talker: np.ndarray
    listener: np.ndarray
    h: np.ndarray
    mouth: np.ndarray
    talker_room: np.ndarray
    listener_room: np.ndarray

    @cached_property
    def mean_log_h(self) -> np.ndarray:
        """Mean over the 16 bands 160-5000 Hz of 10·lg h [dB] per pair (for the SPC)."""
        return 10 * np.log10(np.maximum(self.h[:, ac.SPC_BANDS], 1e-30)).mean(axis=1)

    def path(self, p: int) -> list[int]:
        """Element indices along pair ``p``'s strongest path, talker side first (empty:
        same room). Traced on demand."""
        return self._trace(int(self.mouth[p]), int(self.listener[p]))

    def of_room(self, room_id: str) -> Transfer:
        """The pairs whose talker is in room ``room_id``, and those talkers alone: answers
        computed from it hold for that room's positions only (a trial of a room's fix)."""
        keep = np.flatnonzero(self.talkers.room[self.talker] == room_id)
        talkers = self.talkers.in_room(room_id)
        position = np.full(len(self.talkers), -1)
        position[np.flatnonzero(self.talkers.room == room_id)] = np.arange(len(talkers))
        mouth = np.full(len(self.talkers.mouth_of), -1)
        mine = np.flatnonzero(self.talkers.room[self.talkers.mouth_of] == room_id)
        mouth[mine] = np.arange(len(mine))
        return Transfer(
            model=self.model,
            listeners=self.listeners,
            talkers=talkers,
            talker=position[self.talker[keep]],
            listener=self.listener[keep],
            h=self.h[keep],
            mouth=mouth[self.mouth[keep]],
            talker_room=self.talker_room[keep],
            listener_room=self.listener_room[keep],
        )

    @cached_property
    def _traces(self) -> dict:
        return {}

    def _trace(self, mouth: int, listener: int) -> list[int]:
        key = (mouth, listener)
        if key not in self._traces:
            room = self.model.room_index[self.talkers.room[self.talkers.mouth_of[mouth]]]
            self._traces[key] = self.model.trace(self.talkers.mouth_xy[mouth], room, listener)
        return self._traces[key]


_CACHE: dict[tuple[int, float], Transfer] = {}


def transfer(plan: Plan, screen_cap_db: float = 3.0) -> Transfer:
    """The sound transfer of ``plan`` (cached for as long as the plan value lives)."""
    key = (id(plan), screen_cap_db)
    if key not in _CACHE:
        _CACHE[key] = _transfer(plan, screen_cap_db)
        weakref.finalize(plan, _CACHE.pop, key, None)
    return _CACHE[key]


def rerated_transfer(base: Transfer, plan: Plan) -> Transfer:
    """The sound transfer of ``plan``: ``base``'s plan with doors, windows or walls rated,
    opened or closed differently (a trial of upgrades). Positions and geometry are
    ``base``'s (:meth:`AcousticModel.rerated`); only the propagation is run again."""
    return _pairs(base.model.rerated(plan), base.listeners, base.talkers)


def _transfer(plan: Plan, screen_cap_db: float) -> Transfer:
    listeners = listener_positions(plan)
    model = AcousticModel(plan, listeners, screen_cap_db)
    return _pairs(model, listeners, talker_positions(plan))


def _pairs(model: AcousticModel, listeners: Positions, talkers: Talkers) -> Transfer:
    """Every pair of a talker and a listener it reaches, through ``model``."""
    mouth_room = np.array([model.room_index[talkers.room[t]] for t in talkers.mouth_of], dtype=int)
    received = model.transfer(talkers.mouth_xy, mouth_room)
    talker = talkers.mouth_of[received.mouth]
    # a talker is not its own listener: its seat, chair or table
    keep = (_own_listener(talkers, listeners)[talker] != received.listener) & (
        _own_chair(talkers, listeners)[talker] != received.listener
    )
    rows = np.flatnonzero(keep)
    # of a talker's mouths, the one louder at the listener speaks for the position
    loudness = received.h[rows] @ (10 ** ((ac.speech_band_levels("normal") + ac.A_WEIGHTS) / 10))
    key = talker[rows].astype(np.int64) * len(listeners) + received.listener[rows]
    order = np.lexsort((-loudness, key))
    first = (
        np.r_[True, key[order][1:] != key[order][:-1]] if len(order) else np.zeros(0, dtype=bool)
    )
    rows = rows[order[first]]
    talker, listener, mouth = talker[rows], received.listener[rows], received.mouth[rows]
    h = received.h[rows]
    return Transfer(
        model=model,
        listeners=listeners,
        talkers=talkers,
        talker=talker,
        listener=listener,
        h=h,
        mouth=mouth,
        talker_room=mouth_room[mouth],
        listener_room=model.listener_room[listener],
    )


def _own_listener(talkers: Talkers, listeners: Positions) -> np.ndarray:
    """For each talker, the listener index of its own seat or table (-1 if none)."""
    index = listeners.index()
    return np.array([index.get(tid, -1) for tid in talkers.ids], dtype=int)


def _own_chair(talkers: Talkers, listeners: Positions) -> np.ndarray:
    """For each talker at a desk, the listener index of its citizen's chair (-1 if none)."""
    index = listeners.index()
    return np.array(
        [index.get(f"chair:{d}", -1) if d is not None else -1 for d in talkers.desk], dtype=int
    )


@dataclass(frozen=True)
class PairMetrics:
    """Levels and metrics of every pair for one vocal effort (arrays over pairs).

    level_dba: received speech [dB(A)]; snr_uni32 [dB]; ai; privacy_index [%]; sii (NaN where
    not computed); spc [dB] (NaN in the talker's own room); verdict: index into VERDICTS;
    acceptable: meets the criteria for a listener in another room. The band levels of a pair:
    :func:`spectra`."""

    effort: str
    level_dba: np.ndarray
    snr_uni32: np.ndarray
    ai: np.ndarray
    privacy_index: np.ndarray
    sii: np.ndarray
    spc: np.ndarray
    verdict: np.ndarray
    acceptable: np.ndarray


def noise_levels(plan: Plan, criteria: Criteria) -> np.ndarray:
    """Background band levels [dB] per room, in plan order (R, 18): the room's noise and its
    masking (the criteria's masking for the room if given, else the room's own), added
    energetically."""
    noise = ac.noise_band_levels(np.array([r.noise_dba for r in plan.rooms], dtype=float))
    masking = np.array([criteria.masking.get(r.id, r.masking_dba) for r in plan.rooms], dtype=float)
    masked = ~np.isnan(masking)
    if masked.any():
        noise[masked] = ac.add_levels(noise[masked], ac.noise_band_levels(masking[masked]))
    return noise


def spectra(
    tr: Transfer, plan: Plan, criteria: Criteria, effort: str, pairs: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Received speech and background band levels [dB] (n, 18) of ``pairs`` for ``effort``."""
    lw = ac.sound_power_level(ac.speech_band_levels(effort))
    speech = lw + 10 * np.log10(np.maximum(tr.h[pairs], 1e-30))
    return speech, noise_levels(plan, criteria)[tr.listener_room[pairs]]


def evaluate(
    tr: Transfer, plan: Plan, criteria: Criteria, effort: str, sii_all: bool | None = True
) -> PairMetrics:
    """Levels, metrics and verdicts of every pair of ``tr`` for a vocal ``effort``.

    Where the speech is more than 32 dB under the noise in every band the metrics are known
    without band levels: SNRuni32 −32 dB, AI 0, PI 100 %, SII 0. With ``sii_all`` False the SII
    (the costliest metric) is computed only for pairs that fail the criteria (for a check voice,
    whose passing pairs are never shown); the others get NaN. With None it is computed for no
    pair (NaN): the verdicts do not use it."""
    lw = ac.sound_power_level(ac.speech_band_levels(effort))
    level_dba = 10 * np.log10(np.maximum(tr.h @ 10 ** ((lw + ac.A_WEIGHTS) / 10), 1e-30))
    noise = noise_levels(plan, criteria)
    # h above this per listener room and band brings speech within 32 dB of the noise
    floor = 10 ** ((noise - 32 - lw) / 10)[:, ac.SPC_BANDS]
    heard = np.flatnonzero((tr.h[:, ac.SPC_BANDS] > floor[tr.listener_room]).any(axis=1))
    speech, noise_here = spectra(tr, plan, criteria, effort, heard)
    n = len(tr.h)
    snr, ai, sii = np.full(n, -32.0), np.zeros(n), np.zeros(n)
    snr[heard] = ac.snr_uni32(speech, noise_here)
    ai[heard] = ac.articulation_index(speech, noise_here)
    pi = ac.privacy_index(ai)
    same_room = tr.listener_room == tr.talker_room
    acceptable = ~same_room & (snr <= criteria.max_snr_uni32)
    audible = (speech - noise_here).max(axis=1) > -15  # elsewhere every band is inaudible: SII = 0
    if sii_all is None:
        sii[:] = np.nan
    else:
        if not sii_all:
            sii[acceptable] = np.nan
            audible &= ~acceptable[heard]
        sii[heard[audible]] = ac.sii_full(speech[audible], noise_here[audible])
    # SPC = mean(source room level − received) + mean(noise): the voice cancels out
    mean_noise = noise[:, ac.SPC_BANDS].mean(axis=1)[tr.listener_room]
    spc = 10 * np.log10(4 / tr.model.absorption[tr.talker_room]) - tr.mean_log_h + mean_noise
    spc = np.where(same_room, np.nan, spc)
    verdict = np.where(snr > criteria.max_snr_uni32, 2, np.where(snr > criteria.audible_db, 1, 0))
    return PairMetrics(
        effort=effort,
        level_dba=level_dba,
        snr_uni32=snr,
        ai=ai,
        privacy_index=pi,
        sii=sii,
        spc=spc,
        verdict=verdict,
        acceptable=acceptable,
    )
