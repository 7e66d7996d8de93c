"""What the information-security coordinator decides: how loud, how private, which noise.

The defaults follow the standards in ``docs/references.md`` ([ANSI-S3.5-1997],
[ASTM-E1130], [GOVER-BRADLEY]): normal voice with a raised-voice check (citizens
under stress speak up); speech must not be intelligible to anyone without need-to-know in
another room (SNRuni32 ≤ −16 dB and Privacy Index ≥ 95, ASTM E1130 "confidential"), and
nobody without need-to-know may be in the same room.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from roomplan.acoustics import EFFORTS

LISTENER_KINDS = ("desk", "chair", "room", "waiting", "corridor", "other")
"""Kinds of listening positions (see :mod:`roomplan.privacy.positions`)."""

TRANSIENT_KINDS = ("corridor", "other")
"""Places people pass through or use now and then (corridors, kitchens, archives): by
default they are reported as exposure, not counted as occupied."""


@dataclass(frozen=True)
class Criteria:
    """The privacy requirement and the assumptions behind it.

    effort: vocal effort assumed for every interview (normal, raised, loud, shout);
    check_effort: a second effort reported beside it, or None;
    max_snr_uni32 [dB] and min_privacy_index [%]: a listener in another room must not get
    more than the first nor less than the second (Gover & Bradley 2004; ASTM E1130);
    intelligible_db / audible_db [dB SNRuni32]: the verdict's thresholds (check);
    masking: room id -> sound masking level [dB(A)], replacing the room's own;
    transient_occupied: count corridors and other rooms as always occupied;
    screen_cap_db: the most a desk screen can reduce under the ceiling [dB] (hard ceiling
    about 3, absorbent 5-10; check).
    """

    effort: str = "normal"
    check_effort: str | None = "raised"
    max_snr_uni32: float = -16.0
    min_privacy_index: float = 95.0
    intelligible_db: float = -16.0
    audible_db: float = -22.0
    masking: Mapping[str, float] = field(default_factory=dict)
    transient_occupied: bool = False
    screen_cap_db: float = 3.0

    def __post_init__(self) -> None:
        for name in ("effort", "check_effort"):
            value = getattr(self, name)
            if value is not None and value not in EFFORTS:
                raise ValueError(
                    f"{name}: unknown vocal effort {value!r}; use one of {', '.join(EFFORTS)}"
                )
        if self.audible_db > self.intelligible_db:
            raise ValueError("audible_db must not exceed intelligible_db")
        if not 0 <= self.min_privacy_index <= 100:
            raise ValueError("min_privacy_index is a percentage between 0 and 100")
        masking = dict(self.masking)
        for room, level in masking.items():
            if not 0 <= float(level) <= 80:
                raise ValueError(f"masking for room {room}: {level} dB(A) is outside 0-80")
        object.__setattr__(self, "masking", MappingProxyType(masking))

    def replace(self, **changes: Any) -> Criteria:
        return replace(self, **changes)

    def as_dict(self) -> dict[str, Any]:
        return {
            "effort": self.effort,
            "check_effort": self.check_effort,
            "max_snr_uni32": self.max_snr_uni32,
            "min_privacy_index": self.min_privacy_index,
            "intelligible_db": self.intelligible_db,
            "audible_db": self.audible_db,
            "masking": dict(self.masking),
            "transient_occupied": self.transient_occupied,
            "screen_cap_db": self.screen_cap_db,
        }
