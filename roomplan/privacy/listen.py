"""What a listener at any point hears of the interviews: a microphone, a smart speaker.

The same propagation and metrics as the privacy answers (:mod:`.assess`), with the listening
points given by the caller instead of the plan's seats, so a device is judged exactly as a
person sitting where it stands.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from roomplan import acoustics as ac
from roomplan.plan.model import Plan
from roomplan.privacy.assess import noise_levels
from roomplan.privacy.criteria import Criteria
from roomplan.privacy.positions import Positions, talker_positions
from roomplan.privacy.propagation import AcousticModel


@dataclass(frozen=True)
class Heard:
    """Interview positions heard at the given points (arrays over pairs).

    point: index into the points given; talker: interview position id; effort: the louder voice
    that fails the criteria ("" when none does); snr_uni32 [dB] and privacy_index [%] for the
    criteria's voice; same_room: the point is in the talker's room; acceptable: meets the
    criteria for a listener in another room with every voice checked."""

    point: np.ndarray
    talker: np.ndarray
    snr_uni32: np.ndarray
    privacy_index: np.ndarray
    same_room: np.ndarray
    acceptable: np.ndarray
    effort: np.ndarray


def heard_at(
    plan: Plan,
    points: Sequence[tuple[str, tuple[float, float]]],
    criteria: Criteria | None = None,
) -> Heard:
    """What listeners at ``points`` ((room id, (x, y) [m]) each) hear of every interview
    position of ``plan`` under ``criteria``: every pair with some energy, the louder of a
    talker's two mouths speaking for it."""
    criteria = criteria or Criteria()
    n = len(points)
    listeners = Positions(
        ids=np.array([f"point:{i}" for i in range(n)], dtype=object),
        kind=np.array(["point"] * n, dtype=object),
        room=np.array([room for room, _ in points], dtype=object),
        xy=np.array([xy for _, xy in points], dtype=float).reshape(-1, 2),
        desk=np.array([None] * n, dtype=object),
    )
    talkers = talker_positions(plan)
    model = AcousticModel(plan, listeners, criteria.screen_cap_db)
    mouth_room = np.array([model.room_index[talkers.room[t]] for t in talkers.mouth_of], dtype=int)
    received = model.transfer(talkers.mouth_xy, mouth_room)
    talker = talkers.mouth_of[received.mouth]
    # of a talker's mouths, the louder at the point
    order = np.lexsort((-received.h.sum(axis=1), talker * max(n, 1) + received.listener))
    key = (talker * max(n, 1) + received.listener)[order]
    first = order[np.r_[True, key[1:] != key[:-1]]] if len(order) else order
    talker, point, h = talker[first], received.listener[first], received.h[first]
    noise = noise_levels(plan, criteria)[model.listener_room[point]]
    same_room = model.listener_room[point] == mouth_room[received.mouth[first]]

    def judge(effort: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        speech = ac.sound_power_level(ac.speech_band_levels(effort)) + 10 * np.log10(
            np.maximum(h, 1e-30)
        )
        snr = ac.snr_uni32(speech, noise) if len(h) else np.zeros(0)
        pi = ac.privacy_index(ac.articulation_index(speech, noise)) if len(h) else np.zeros(0)
        ok = ~same_room & (snr <= criteria.max_snr_uni32)
        return snr, pi, ok

    snr, pi, ok = judge(criteria.effort)
    effort = np.where(ok, "", criteria.effort).astype(object)
    if criteria.check_effort and criteria.check_effort != criteria.effort:
        _, _, ok_check = judge(criteria.check_effort)
        effort = np.where(ok & ~ok_check, criteria.check_effort, effort).astype(object)
        ok = ok & ok_check
    return Heard(
        point=point,
        talker=talkers.ids[talker],
        snr_uni32=snr,
        privacy_index=pi,
        same_room=same_room,
        acceptable=ok,
        effort=effort,
    )
