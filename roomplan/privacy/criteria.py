"""What the information-security coordinator decides: how loud, how private, which noise.

The defaults follow the standards in ``docs/references.md`` ([ANSI-S3.5-1997],
[ASTM-E1130], [GOVER-BRADLEY]): normal voice with a raised-voice check (citizens
under stress speak up); speech must not be intelligible to anyone without need-to-know in
another room, and nobody without need-to-know may be in the same room. One measure decides
and labels: SNRuni32 (Gover & Bradley 2004), intelligible above −16 dB. The Privacy Index and
SII are reported as metrics only; a second threshold beside it would let a pair read
"PI 99 %, intelligible".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from roomplan.acoustics import EFFORTS

LISTENER_KINDS = ("desk", "chair", "room", "waiting", "corridor", "staff", "other")
"""Kinds of listening positions (see :mod:`roomplan.privacy.positions`)."""

TRANSIENT_KINDS = ("corridor", "staff", "other")
"""Places people pass through or use at times: corridors (passers-by on the way to the
waiting room), staff rooms (colleagues without need-to-know at lunch), other rooms (archives,
toilets). By default they are exposure: said beside the status with the same criterion, not
counted in it; ``transient_occupied`` counts them as always in use."""


@dataclass(frozen=True)
class Criteria:
    """The privacy requirement and the assumptions behind it.

    effort: vocal effort assumed for every interview (normal, raised, loud, shout);
    check_effort: a second effort reported beside it, or None;
    max_snr_uni32 [dB]: the criterion, a listener in another room must not get more; above
    it the speech is labelled intelligible (Gover & Bradley 2004: the threshold of
    intelligibility, −16 dB);
    audible_db [dB SNRuni32]: above it and up to the criterion, audible but not intelligible
    (Gover & Bradley 2004: the threshold of audibility, −22 dB);
    masking: room id -> sound masking level [dB(A)], replacing the room's own;
    transient_occupied: count corridors and other rooms as always occupied;
    screen_cap_db: the most a desk screen can reduce under the ceiling [dB] (hard ceiling
    about 3, absorbent 5-10; check).
    """

    effort: str = "normal"
    check_effort: str | None = "raised"
    max_snr_uni32: float = -16.0
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
        if self.audible_db > self.max_snr_uni32:
            raise ValueError("audible_db must not exceed max_snr_uni32")
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
            "audible_db": self.audible_db,
            "masking": dict(self.masking),
            "transient_occupied": self.transient_occupied,
            "screen_cap_db": self.screen_cap_db,
        }
