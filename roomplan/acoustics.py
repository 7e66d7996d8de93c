"""Speech-privacy acoustics: pure physics over numpy arrays, nothing about plans.

Spectra are arrays whose last axis is the 18 one-third-octave bands 160-8000 Hz of
ANSI S3.5-1997 (:data:`BANDS_HZ`), in dB; every function broadcasts over the leading axes,
so one call handles every talker-listener pair at once. Band *levels* are dB SPL in the
band; *spectrum levels* are dB per Hz (band level minus 10·lg bandwidth).

Values marked (check) are typical figures not yet read in the standard itself (see
``docs/references.md``);
they are module constants or parameters, so they can be corrected in one place.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

Array = NDArray[np.float64]

# -- bands and standard tables ---------------------------------------------------------
BANDS_HZ = np.array(
    [
        160,
        200,
        250,
        315,
        400,
        500,
        630,
        800,
        1000,
        1250,
        1600,
        2000,
        2500,
        3150,
        4000,
        5000,
        6300,
        8000,
    ],
    dtype=float,
)
"""Centre frequencies of the 18 one-third-octave bands of ANSI S3.5-1997 [Hz]."""

BANDWIDTH_DB = 15.65 + np.arange(18.0)
"""10·lg(bandwidth [Hz]) of each band (ANSI S3.5-1997 Table 3): 15.65 dB at 160 Hz."""

SII_IMPORTANCE = np.array(
    [
        0.0083,
        0.0095,
        0.0150,
        0.0289,
        0.0440,
        0.0578,
        0.0653,
        0.0711,
        0.0818,
        0.0844,
        0.0882,
        0.0898,
        0.0868,
        0.0844,
        0.0771,
        0.0527,
        0.0364,
        0.0185,
    ]
)
"""Band importance for average speech, one-third-octave procedure (ANSI S3.5-1997 Table 3)."""

SPEECH_SPECTRUM_LEVEL = {
    "normal": np.array(
        [
            32.41,
            34.48,
            34.75,
            33.98,
            34.59,
            34.27,
            32.06,
            28.30,
            25.01,
            23.00,
            20.15,
            17.32,
            13.18,
            11.55,
            9.33,
            5.31,
            2.59,
            1.13,
        ]
    ),
    "raised": np.array(
        [
            33.81,
            33.92,
            38.98,
            38.57,
            39.11,
            40.15,
            38.78,
            36.37,
            33.86,
            31.89,
            28.58,
            25.32,
            22.35,
            20.15,
            16.78,
            11.47,
            7.67,
            5.07,
        ]
    ),
    "loud": np.array(
        [
            35.29,
            37.76,
            41.55,
            43.78,
            43.30,
            44.85,
            45.55,
            44.05,
            42.16,
            40.53,
            37.70,
            34.39,
            30.98,
            28.21,
            25.41,
            18.35,
            13.87,
            11.39,
        ]
    ),
    "shout": np.array(
        [
            30.77,
            36.65,
            42.50,
            46.51,
            47.40,
            49.24,
            51.21,
            51.44,
            51.31,
            49.63,
            47.65,
            44.32,
            40.80,
            38.13,
            34.41,
            28.24,
            23.45,
            20.72,
        ]
    ),
}
"""Standard speech spectrum level at 1 m in front of the talker [dB SPL per Hz]
(ANSI S3.5-1997 Table 3), by vocal effort."""

EFFORTS = tuple(SPEECH_SPECTRUM_LEVEL)

INTERNAL_NOISE_LEVEL = np.array(
    [
        0.6,
        -1.7,
        -3.9,
        -6.1,
        -8.2,
        -9.7,
        -10.8,
        -11.9,
        -12.5,
        -13.5,
        -15.4,
        -17.7,
        -21.2,
        -24.2,
        -25.9,
        -23.6,
        -15.8,
        -7.1,
    ]
)
"""Reference internal noise spectrum level [dB per Hz] (ANSI S3.5-1997 Table 3): the
threshold of hearing expressed as a masking noise, for the full SII procedure."""

OCTAVE_HZ = np.array([250, 500, 1000, 2000, 4000, 8000], dtype=float)
OCTAVE_IMPORTANCE = np.array([0.0617, 0.1671, 0.2373, 0.2648, 0.2142, 0.0549])
"""Octave-band importance of the SII octave procedure (ANSI S3.5-1997 Table 4)."""

AI_WEIGHTS = np.array(
    [
        0.0004,
        0.0010,
        0.0010,
        0.0014,
        0.0014,
        0.0020,
        0.0020,
        0.0024,
        0.0030,
        0.0037,
        0.0038,
        0.0034,
        0.0034,
        0.0024,
        0.0020,
    ]
)
"""Articulation Index weights per 1/3-octave band 200-5000 Hz (ASTM E1130, ANSI S3.5-1969)."""

AI_BANDS = slice(1, 16)  # 200-5000 Hz within BANDS_HZ
SPC_BANDS = slice(0, 16)  # 160-5000 Hz within BANDS_HZ (ASTM E2638)

STI_ALPHA = np.array([0.085, 0.127, 0.230, 0.233, 0.309, 0.224, 0.173])
STI_BETA = np.array([0.085, 0.078, 0.065, 0.011, 0.047, 0.095])
"""Octave weights (alpha) and redundancy factors (beta) for 125-8000 Hz (IEC 60268-16 rev. 4)."""

ISO717_REFERENCE = np.array(
    [39, 42, 45, 48, 51, 52, 53, 54, 55, 56, 56, 56, 56, 56, 56, 56, 56, 56], dtype=float
)
"""ISO 717-1 airborne reference curve at BANDS_HZ [dB], its value at 500 Hz being the
single-number rating; above 3150 Hz, where the standard defines none, held at 56 dB."""

ISO717_RATING_CURVE = np.array(
    [33, 36, 39, 42, 45, 48, 51, 52, 53, 54, 55, 56, 56, 56, 56, 56], dtype=float
)
"""ISO 717-1 reference curve over the 16 rating bands 100-3150 Hz [dB] [ISO-717-1]."""

RATED_SPECTRUM_OFFSET_DB = 2.0
"""How far a rated element's modelled spectrum lies under the reference curve shifted to its
rating [dB]. The rating shifts the curve up while the unfavourable deviations over its 16 bands
sum to at most 32 dB, so the curve itself rates R'w + 2; 2 dB under it, the deviations sum to
exactly 32 dB at R'w and the spectrum rates R'w [ISO-717-1]."""

NOISE_SLOPE_DB_PER_OCTAVE = -5.0
"""Spectral slope of background and masking noise: the neutral shape of room criterion
(RC) curves and of typical masking systems (check)."""

MOUTH_HEIGHT = 1.2
"""Height of a seated talker's mouth and a seated listener's ears [m]."""

Q_SPEECH = 1.0
"""Directivity factor of the talker (1: omnidirectional; speech is about 2 in front, less
behind, so 1 neither favours nor penalises a listener's side)."""

SPEED_OF_SOUND = 343.0
"""[m/s] at 20 °C."""


# -- spectra -------------------------------------------------------------------------
def speech_band_levels(effort: str = "normal") -> Array:
    """Standard speech band levels at 1 m [dB SPL] for ``effort`` (normal, raised, loud,
    shout): spectrum level plus bandwidth (ANSI S3.5-1997 Table 3)."""
    if effort not in SPEECH_SPECTRUM_LEVEL:
        raise ValueError(f"unknown vocal effort {effort!r}; use one of {', '.join(EFFORTS)}")
    return SPEECH_SPECTRUM_LEVEL[effort] + BANDWIDTH_DB


def a_weighting(f_hz: ArrayLike) -> Array:
    """A-weighting [dB] at frequencies ``f_hz`` (IEC 61672-1 analytic form)."""
    f2 = np.asarray(f_hz, dtype=float) ** 2
    ra = (12194.0**2 * f2**2) / (
        (f2 + 20.6**2) * np.sqrt((f2 + 107.7**2) * (f2 + 737.9**2)) * (f2 + 12194.0**2)
    )
    return 20 * np.log10(ra) + 2.0


EXACT_BANDS_HZ = 1000.0 * 10 ** (np.arange(-8, 10) / 10)
"""Exact midband frequencies of BANDS_HZ (IEC 61260: base-10 one-third octaves) [Hz]."""

A_WEIGHTS = a_weighting(EXACT_BANDS_HZ)
"""A-weighting of each band [dB] at its exact midband frequency (IEC 61672-1 table values)."""


def energy_sum(levels: ArrayLike, axis: int = -1) -> Array:
    """Energetic sum of levels [dB] along ``axis``: 10·lg Σ 10^(L/10)."""
    levels = np.asarray(levels, dtype=float)
    with np.errstate(divide="ignore"):
        return 10 * np.log10(np.sum(np.exp(levels * (np.log(10) / 10)), axis=axis))


def a_weighted_level(band_levels: ArrayLike) -> Array:
    """A-weighted total [dB(A)] of band levels over BANDS_HZ."""
    return energy_sum(np.asarray(band_levels, dtype=float) + A_WEIGHTS)


def overall_level(band_levels: ArrayLike) -> Array:
    """Unweighted total [dB] of band levels."""
    return energy_sum(band_levels)


def noise_band_levels(
    dba: ArrayLike, slope_db_per_octave: float = NOISE_SLOPE_DB_PER_OCTAVE
) -> Array:
    """Band levels [dB] of a noise with A-weighted total ``dba`` [dB(A)] and a straight
    spectral slope [dB/octave] (:data:`NOISE_SLOPE_DB_PER_OCTAVE`). Shape (..., 18)."""
    shape = slope_db_per_octave * np.log2(BANDS_HZ / 1000.0)
    shape = shape - a_weighted_level(shape)
    return np.asarray(dba, dtype=float)[..., None] + shape


def add_levels(*levels: ArrayLike) -> Array:
    """Energetic sum of level arrays [dB] that broadcast together (NaN counts as silence)."""
    total = sum(np.where(np.isnan(x), 0.0, 10 ** (np.asarray(x, dtype=float) / 10)) for x in levels)
    with np.errstate(divide="ignore"):
        return 10 * np.log10(total)


# -- intelligibility and privacy metrics -----------------------------------------------
def sii(speech: ArrayLike, noise: ArrayLike, importance: ArrayLike = SII_IMPORTANCE) -> Array:
    """Speech Intelligibility Index, audibility form (ANSI S3.5-1997 Eq. 12-14 without
    masking spread, self-masking and level distortion): Σ I·clip((S − N + 15)/30, 0, 1).

    speech, noise: band levels [dB] (..., 18). Close to the full procedure where speech is
    near or below the noise, the range that matters for privacy (:func:`sii_full`)."""
    snr = np.asarray(speech, dtype=float) - np.asarray(noise, dtype=float)
    return np.sum(np.asarray(importance) * np.clip((snr + 15) / 30, 0, 1), axis=-1)


_LN10_10 = np.log(10) / 10  # 10^(x/10) = exp(x·ln10/10)
_LOWER_I, _LOWER_J = np.tril_indices(18, k=-1)  # band i receives from lower band j
_SPREAD_LOG = np.log10(0.89 * BANDS_HZ[_LOWER_I] / BANDS_HZ[_LOWER_J])
_KAPPA = 0.6 * (10 * np.log10(BANDS_HZ) - 6.353) - 80.0  # Eq. 7 without the 0.6·B term
# exponent of Eq. 9, B_j + 3.32·C_j·lg(0.89 f_i/f_j), as slope·B_j + offset, in natural units
_SPREAD_SLOPE = _LN10_10 * (1 + 3.32 * 0.6 * _SPREAD_LOG)
_SPREAD_OFFSET = _LN10_10 * 3.32 * _KAPPA[_LOWER_J] * _SPREAD_LOG
_SPREAD_SUM = (np.arange(18)[None, :] == _LOWER_I[:, None]).astype(
    float
)  # triangle entry -> band i


def sii_full(
    speech: ArrayLike,
    noise: ArrayLike,
    importance: ArrayLike = SII_IMPORTANCE,
    hearing_threshold: ArrayLike = 0.0,
) -> Array:
    """Speech Intelligibility Index, full one-third-octave procedure (ANSI S3.5-1997
    section 4: self-speech masking, upward spread of masking, internal noise, level
    distortion). speech, noise: band levels [dB] (..., 18); hearing_threshold [dB HL]."""
    e = np.asarray(speech, dtype=float) - BANDWIDTH_DB  # spectrum levels (3.6)
    n = np.asarray(noise, dtype=float) - BANDWIDTH_DB
    e, n = np.broadcast_arrays(e, n)
    v = e - 24.0  # self-speech masking (Eq. 5)
    b = np.maximum(v, n)  # (4.3.2.2)
    # upward spread of masking from every lower band j into band i (Eq. 7 and 9)
    spread = np.exp(b[..., _LOWER_J] * _SPREAD_SLOPE + _SPREAD_OFFSET) @ _SPREAD_SUM
    z = 10 * np.log10(np.exp(n * _LN10_10) + spread)
    z[..., 0] = b[..., 0]
    x = INTERNAL_NOISE_LEVEL + np.asarray(hearing_threshold, dtype=float)  # (Eq. 10)
    d = np.maximum(z, x)  # disturbance (4.5)
    level_distortion = np.minimum(
        1.0, 1 - (e - SPEECH_SPECTRUM_LEVEL["normal"] - 10) / 160
    )  # (Eq. 11)
    k = np.clip((e - d + 15) / 30, 0, 1)  # (Eq. 12)
    return np.sum(np.asarray(importance) * level_distortion * k, axis=-1)


def articulation_index(speech: ArrayLike, noise: ArrayLike) -> Array:
    """Articulation Index (ASTM E1130 / ANSI S3.5-1969): Σ W·clip(S + 12 − N, 0, 30) over
    the 1/3-octave bands 200-5000 Hz. speech, noise: band levels [dB] (..., 18)."""
    diff = (
        np.asarray(speech, dtype=float)[..., AI_BANDS]
        + 12
        - np.asarray(noise, dtype=float)[..., AI_BANDS]
    )
    return np.sum(AI_WEIGHTS * np.clip(diff, 0, 30), axis=-1)


def privacy_index(ai: ArrayLike) -> Array:
    """Privacy Index [%] from the Articulation Index (ASTM E1130): (1 − AI)·100.
    Confidential privacy: PI ≥ 95; normal privacy: PI ≥ 80."""
    return (1 - np.asarray(ai, dtype=float)) * 100


def snr_uni32(speech: ArrayLike, noise: ArrayLike) -> Array:
    """Uniformly weighted signal-to-noise ratio SNRuni32 [dB] (Gover & Bradley, JASA
    116(6), 2004; ASTM E2638): mean over the 16 bands 160-5000 Hz of max(S − N, −32).
    speech: received speech band levels, noise: background band levels [dB] (..., 18).
    Speech becomes intelligible above about −16 dB and audible above about −22 dB (check)."""
    diff = (
        np.asarray(speech, dtype=float)[..., SPC_BANDS]
        - np.asarray(noise, dtype=float)[..., SPC_BANDS]
    )
    return np.mean(np.maximum(diff, -32.0), axis=-1)


def speech_privacy_class(level_difference: ArrayLike, noise: ArrayLike) -> Array:
    """Speech Privacy Class (ASTM E2638): mean level difference plus mean background noise
    over the 16 bands 160-5000 Hz [dB]. Classes [SPC-CRITERIA] (check): ≥ 70 minimal privacy,
    ≥ 75 standard privacy, ≥ 80 standard security, ≥ 85 high security, ≥ 90 very high
    security."""
    ld = np.asarray(level_difference, dtype=float)[..., SPC_BANDS]
    return np.mean(ld, axis=-1) + np.mean(np.asarray(noise, dtype=float)[..., SPC_BANDS], axis=-1)


SPC_CLASSES = (
    (90.0, "very_high_security"),
    (85.0, "high_security"),
    (80.0, "standard_security"),
    (75.0, "standard_privacy"),
    (70.0, "minimal_privacy"),
)
"""Speech privacy classes of ASTM E2638 values, highest first [SPC-CRITERIA] (check)."""


def spc_class(spc: float) -> str:
    """The ASTM E2638 class name of a Speech Privacy Class value, or "none"."""
    return next((name for limit, name in SPC_CLASSES if spc >= limit), "none")


def transmission_index(snr: ArrayLike) -> Array:
    """Transmission index from a signal-to-noise ratio [dB] (IEC 60268-16, noise only):
    clip((SNR + 15)/30, 0, 1)."""
    return np.clip((np.asarray(snr, dtype=float) + 15) / 30, 0, 1)


def sti_from_snr(snr_octaves: ArrayLike) -> Array:
    """Speech Transmission Index from octave-band SNRs 125-8000 Hz [dB] (..., 7), for
    noise without reverberation (IEC 60268-16 rev. 4, with redundancy correction):
    Σα·TI − Σβ·√(TI_k·TI_k+1). For a flat SNR it equals (SNR + 15)/30."""
    ti = transmission_index(snr_octaves)
    return np.sum(STI_ALPHA * ti, axis=-1) - np.sum(
        STI_BETA * np.sqrt(ti[..., :-1] * ti[..., 1:]), axis=-1
    )


def iso3382_distances(
    l_speech_1m: ArrayLike, noise: ArrayLike, d2s: ArrayLike
) -> tuple[Array, Array]:
    """Distraction and privacy distances rD, rP [m] of an open-plan office (ISO 3382-3).

    l_speech_1m: A-weighted speech level at 1 m [dB]; noise: A-weighted background [dB];
    d2s: spatial decay rate of speech per distance doubling [dB]. The speech level falls as
    L(r) = L1m − D2,S·log2(r); STI = (SNR + 15)/30 for a flat SNR, so rD (STI = 0.50) is
    where the speech meets the noise and rP (STI = 0.20) where it is 9 dB below it."""
    margin = np.asarray(l_speech_1m, dtype=float) - np.asarray(noise, dtype=float)
    d2s = np.asarray(d2s, dtype=float)
    return 2 ** (margin / d2s), 2 ** ((margin + 9.0) / d2s)


# -- building elements ---------------------------------------------------------------
def rating_spectrum(rw: ArrayLike, reference: ArrayLike = ISO717_REFERENCE) -> Array:
    """Sound reduction per band [dB] of an element rated R'w (or Rw) [dB]: the ISO 717-1
    reference curve shifted to the rating and lowered by :data:`RATED_SPECTRUM_OFFSET_DB`, so
    that the rating procedure (:func:`iso717_rating`) gives back exactly R'w; floored at
    0 dB. Real walls deviate (mass-law slope, coincidence dip): a single number carries no more
    than this. ``reference`` is the curve at the bands wanted (default BANDS_HZ; use
    :data:`ISO717_RATING_CURVE` for the rating bands). Shape (..., bands)."""
    shift = np.asarray(rw, dtype=float)[..., None] - 52.0 - RATED_SPECTRUM_OFFSET_DB
    return np.maximum(np.asarray(reference, dtype=float) + shift, 0.0)


def iso717_rating(reduction: ArrayLike, step: float = 1.0) -> Array:
    """Single-number rating Rw or R'w [dB] of sound reductions in the 16 one-third-octave
    bands 100-3150 Hz [dB] (..., 16) by ISO 717-1: the reference curve is shifted in ``step``
    dB steps as far up as the unfavourable deviations (curve above the measurement) sum to at
    most 32.0 dB; the rating is the shifted curve at 500 Hz [ISO-717-1]."""
    r = np.asarray(reduction, dtype=float)
    # at the lowest shift no band lies under the curve; each further step adds at least one
    # deviation of ``step``, so 32 dB is passed within 32/step + 1 steps
    lowest = np.floor(np.min(r - ISO717_RATING_CURVE, axis=-1) / step) * step
    shifts = lowest[..., None] + step * np.arange(int(np.ceil(32 / step)) + 2)
    curve = ISO717_RATING_CURVE + shifts[..., None]
    unfavourable = np.maximum(curve - r[..., None, :], 0.0).sum(axis=-1)
    ok = unfavourable <= 32.0 + 1e-9  # the standard's values are given to 0.1 dB
    best = np.take_along_axis(
        shifts, (ok.shape[-1] - 1 - np.argmax(ok[..., ::-1], axis=-1))[..., None], axis=-1
    )[..., 0]
    return best + 52.0


def rectangle_solid_angle(
    distance: ArrayLike, x1: ArrayLike, x2: ArrayLike, y1: ArrayLike, y2: ArrayLike
) -> Array:
    """Solid angle [sr] of the rectangle [x1, x2] × [y1, y2] [m] of a plane at ``distance``
    [m] from a point, its coordinates measured from the foot of the perpendicular: the sum of
    the four corner rectangles, each arctan(x·y / (d·√(d² + x² + y²))) (Kuttruff, Room
    Acoustics [SABINE], the view factor of a rectangle)."""
    d = np.maximum(np.asarray(distance, dtype=float), 1e-9)

    def corner(x: ArrayLike, y: ArrayLike) -> Array:
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        return np.arctan(x * y / (d * np.sqrt(d**2 + x**2 + y**2)))

    return corner(x2, y2) - corner(x1, y2) - corner(x2, y1) + corner(x1, y1)


def incident_fraction(
    perpendicular: ArrayLike,
    along: ArrayLike,
    width: ArrayLike,
    bottom: ArrayLike,
    top: ArrayLike,
) -> Array:
    """Share [–] of an omnidirectional talker's power that falls on a vertical wall piece
    ``width`` [m] wide between heights ``bottom`` and ``top`` [m], the talker's mouth
    (:data:`MOUTH_HEIGHT`) ``perpendicular`` [m] in front of the wall and ``along`` [m] beside
    the piece's centre: Ω/4π, the integral of cos θ/(4πr²) over the piece. Far away it is the
    point-source S/(4πd²); near the wall it stays under 1/2 where S/(4πd²) grows without
    bound."""
    along = np.asarray(along, dtype=float)
    half = np.asarray(width, dtype=float) / 2
    return rectangle_solid_angle(
        perpendicular,
        -half - along,
        half - along,
        np.asarray(bottom, dtype=float) - MOUTH_HEIGHT,
        np.asarray(top, dtype=float) - MOUTH_HEIGHT,
    ) / (4 * np.pi)


def transmission_coefficient(reduction: ArrayLike) -> Array:
    """τ = 10^(−R/10) from a sound reduction R [dB]."""
    return 10 ** (-np.asarray(reduction, dtype=float) / 10)


def composite_reduction(
    areas: ArrayLike, reductions: ArrayLike, gap_area: ArrayLike = 0.0
) -> Array:
    """Composite sound reduction [dB] of elements side by side (wall, door, glazing):
    R = −10·lg(Σ S·τ / Σ S), with open gaps (τ = 1) of total area ``gap_area`` [m²] added.

    areas [m²] (..., n); reductions [dB] (..., n) or (..., n, bands). Example ([SABINE] in
    docs/references.md):
    8 m² of R 45 beside a 2 m² door of R 25 gives 31.8 dB; a 10 mm × 0.9 m undercut, 28.1 dB."""
    areas = np.asarray(areas, dtype=float)
    reductions = np.asarray(reductions, dtype=float)
    if reductions.ndim == areas.ndim + 1:
        areas = areas[..., None]
        axis = -2
    else:
        axis = -1
    gap = np.asarray(gap_area, dtype=float)
    total = np.sum(areas, axis=axis) + gap
    return -10 * np.log10(
        (np.sum(areas * transmission_coefficient(reductions), axis=axis) + gap) / total
    )


def gap_limited_reduction(area: ArrayLike, gap_area: ArrayLike) -> Array:
    """The most an element of ``area`` [m²] with an open gap of ``gap_area`` [m²] can
    reduce [dB]: 10·lg(S/Sa)."""
    return 10 * np.log10(np.asarray(area, dtype=float) / np.asarray(gap_area, dtype=float))


# -- rooms and propagation -------------------------------------------------------------
def sabine_absorption(volume: ArrayLike, rt60: ArrayLike) -> Array:
    """Equivalent absorption area A [m²] from volume [m³] and reverberation time [s]:
    A = 0.16·V/T (Sabine)."""
    return 0.16 * np.asarray(volume, dtype=float) / np.asarray(rt60, dtype=float)


def sound_power_level(level_1m: ArrayLike, q: float = Q_SPEECH) -> Array:
    """Sound power level Lw [dB] of a source giving ``level_1m`` [dB] at 1 m in the free
    field: Lw = L(1 m) + 10·lg(4π/Q), about +11 dB for Q = 1."""
    return np.asarray(level_1m, dtype=float) + 10 * np.log10(4 * np.pi / q)


def room_level(
    lw: ArrayLike,
    distance: ArrayLike,
    absorption: ArrayLike,
    q: float = Q_SPEECH,
    direct_loss: ArrayLike = 0.0,
) -> Array:
    """Level [dB] at ``distance`` [m] from a source of power level ``lw`` [dB] in a room of
    absorption area ``absorption`` [m²]: direct plus reverberant field,
    L = Lw + 10·lg(Q/(4πr²)·10^(−ΔL/10) + 4/A), where ``direct_loss`` ΔL [dB] is a screen's
    insertion loss on the direct sound only."""
    r = np.maximum(np.asarray(distance, dtype=float), 0.1)
    direct = q / (4 * np.pi * r**2) * 10 ** (-np.asarray(direct_loss, dtype=float) / 10)
    return np.asarray(lw, dtype=float) + 10 * np.log10(
        direct + 4 / np.asarray(absorption, dtype=float)
    )


def long_room_decay(width: ArrayLike, height: ArrayLike, mean_absorption: ArrayLike) -> Array:
    """Decay constant k [1/m] of the reverberant energy along a long room (corridor), from
    the one-dimensional diffusion model of long rooms [PICAUT-1997]: k = (P/S)·√(3ᾱ)/4 with
    cross-section S = width·height [m²], its perimeter P [m] and the mean absorption
    coefficient ᾱ. The level falls 4.34·k dB per metre."""
    w, h, a = (np.asarray(v, dtype=float) for v in (width, height, mean_absorption))
    return 2 * (w + h) / (w * h) * np.sqrt(3 * a) / 4


def long_room_reverberant(
    distance: ArrayLike, width: ArrayLike, height: ArrayLike, decay: ArrayLike
) -> Array:
    """Reverberant mean-square pressure per watt [1/m²] at ``distance`` [m] along a long
    room from a source, by the one-dimensional diffusion model (see :func:`long_room_decay`):
    w(x) = W/(2·S·D·k)·e^(−k·x) with diffusion coefficient D = 4Sc/(3P), so
    p²/(ρc·W) = 3P/(8·S²·k)·e^(−k·x). It replaces 4/A of a diffuse room."""
    w, h, k = (np.asarray(v, dtype=float) for v in (width, height, decay))
    s, p = w * h, 2 * (w + h)
    return 3 * p / (8 * s**2 * k) * np.exp(-k * np.asarray(distance, dtype=float))


def flat_room_transfer(
    distance: ArrayLike,
    height: float,
    floor_absorption: float,
    ceiling_absorption: float,
    source_height: float = MOUTH_HEIGHT,
    receiver_height: float = MOUTH_HEIGHT,
) -> Array:
    """Mean-square pressure per watt [1/m²] at horizontal ``distance`` [m] from an
    omnidirectional source in a flat room (height [m] small beside its width and length,
    the walls far): the direct sound plus its mirror images in floor and ceiling, each
    reflection keeping 1 − α of the energy (Kuttruff, Room Acoustics [SABINE], flat rooms).
    Under an absorbent ceiling the level falls 5-8 dB per distance doubling, as ISO 3382-3
    measures in furnished open-plan offices [ISO-3382-3], where the diffuse field 4/A falls
    by under 2 dB; under a hard one about 3-4 dB."""
    r2 = np.asarray(distance, dtype=float) ** 2
    keep_f, keep_c = 1.0 - floor_absorption, 1.0 - ceiling_absorption
    both = keep_f * keep_c
    # images until their weight is under 1e-9 (at most 400 each way: with both planes hard
    # the series converges like 1/n²)
    n_max = 400 if both >= 1.0 else min(400, int(np.ceil(np.log(1e-9) / np.log(max(both, 1e-9)))))
    n = np.arange(-n_max, n_max + 1, dtype=float)
    dz_up = 2 * n * height + source_height - receiver_height  # |n| floor, |n| ceiling
    w_up = both ** np.abs(n)
    dz_down = 2 * n * height - source_height - receiver_height
    floors = np.where(n >= 1, n - 1, -n + 1)
    ceilings = np.abs(n)
    w_down = keep_f**floors * keep_c**ceilings
    dz2 = np.concatenate([dz_up, dz_down]) ** 2
    w = np.concatenate([w_up, w_down])
    flat = r2.reshape(-1)
    out = np.empty_like(flat)
    step = max(1, 2_000_000 // len(w))  # distances per block: about 16 MB of work at a time
    for start in range(0, len(flat), step):
        block = flat[start : start + step, None]
        out[start : start + step] = np.sum(w / (4 * np.pi * (block + dz2)), axis=-1)
    return out.reshape(r2.shape)


def flat_room_ceiling_absorption(
    area: float,
    height: float,
    perimeter: float,
    rt60: float,
    floor: float = 0.1,
    walls: float = 0.1,
) -> float:
    """The ceiling's absorption coefficient [–] a flat room of floor ``area`` [m²],
    ``height`` and ``perimeter`` [m] needs for its reverberation time ``rt60`` [s] (Sabine),
    the floor and walls taken at ``floor`` and ``walls``: in an open plan the ceiling carries
    most of the absorption. Between 0.02 and 0.98."""
    total = float(sabine_absorption(area * height, rt60))
    ceiling = (total - floor * area - walls * perimeter * height) / area
    return float(min(max(ceiling, 0.02), 0.98))


def transmitted_level(
    l1: ArrayLike, reduction: ArrayLike, area: ArrayLike, absorption: ArrayLike
) -> Array:
    """Diffuse level [dB] in a receiving room: L2 = L1 − R + 10·lg(S/A2), with L1 the source
    room level, R [dB], S the partition area [m²] and A2 the receiving room's absorption [m²]."""
    return (
        np.asarray(l1, dtype=float)
        - np.asarray(reduction, dtype=float)
        + 10 * np.log10(np.asarray(area, dtype=float) / np.asarray(absorption, dtype=float))
    )


def barrier_path_difference(
    d_source: ArrayLike,
    d_receiver: ArrayLike,
    height: ArrayLike,
    source_height: float = MOUTH_HEIGHT,
    receiver_height: float = MOUTH_HEIGHT,
) -> Array:
    """Path difference δ [m] over the top of a screen of ``height`` [m] standing
    ``d_source`` and ``d_receiver`` [m] (horizontally) from source and receiver. Negative
    when the screen does not break the line of sight."""
    ds, dr, h = (np.asarray(v, dtype=float) for v in (d_source, d_receiver, height))
    over = np.hypot(ds, h - source_height) + np.hypot(dr, h - receiver_height)
    straight = np.hypot(ds + dr, source_height - receiver_height)
    # the line of sight passes the screen at this height
    sight = source_height + (receiver_height - source_height) * ds / np.maximum(ds + dr, 1e-9)
    return np.where(h > sight, over - straight, -(over - straight))


def maekawa_loss(
    path_difference: ArrayLike, cap_db: ArrayLike = 3.0, f_hz: ArrayLike = BANDS_HZ
) -> Array:
    """Screen insertion loss [dB] per band: 10·lg(3 + 20N) with Fresnel number N = 2δ/λ
    (Maekawa 1968), 0 when the screen does not block the line of sight, and at most
    ``cap_db``: sound over the screen by the ceiling limits a screen to about 0-3 dB under a
    hard ceiling and 5-10 dB under an absorbent one (check). Shape (..., bands)."""
    delta = np.asarray(path_difference, dtype=float)[..., None]
    n = 2 * delta * np.asarray(f_hz, dtype=float) / SPEED_OF_SOUND
    loss = 10 * np.log10(3 + 20 * np.maximum(n, 0.0))
    return np.where(delta > 0, np.minimum(loss, np.asarray(cap_db, dtype=float)[..., None]), 0.0)
