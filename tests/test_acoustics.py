"""The physics against its references (docs/references.md) and the SII oracle."""

import numpy as np
import pytest

from roomplan import acoustics as ac


def test_composite_partition_example():
    assert ac.composite_reduction([8, 2], [45, 25]) == pytest.approx(31.8, abs=0.05)
    undercut = 0.010 * 0.9
    assert ac.composite_reduction([8, 2 - undercut], [45, 25], undercut) == pytest.approx(
        28.1, abs=0.05
    )
    assert ac.gap_limited_reduction(10, undercut) == pytest.approx(30.5, abs=0.05)


def test_composite_per_band_broadcasts():
    bands = ac.rating_spectrum(np.array([45.0, 25.0]))  # (2, 18)
    per_band = ac.composite_reduction(np.array([8.0, 2.0]), bands)
    assert per_band.shape == (18,)
    assert per_band[5] == pytest.approx(31.8, abs=0.05)  # 500 Hz carries the rating


@pytest.mark.parametrize("snr", [-15, -9, 0, 3, 15])
def test_sti_for_a_flat_snr(snr):
    assert ac.sti_from_snr(np.full(7, float(snr))) == pytest.approx((snr + 15) / 30)


def test_ai_is_zero_when_speech_is_12_db_under_the_noise_in_every_band():
    noise = ac.noise_band_levels(40.0)
    assert ac.articulation_index(noise - 12, noise) == 0
    assert ac.articulation_index(noise - 20, noise) == 0
    assert ac.privacy_index(ac.articulation_index(noise - 12, noise)) == 100
    assert ac.articulation_index(noise - 11, noise) > 0
    assert ac.articulation_index(noise + 30, noise) == pytest.approx(1.0, abs=0.01)


def test_iso3382_example():
    r_d, r_p = ac.iso3382_distances(57.4, 45.0, 7.0)
    assert r_d == pytest.approx(3.4, abs=0.05)
    assert r_p == pytest.approx(8.3, abs=0.05)


def test_standard_speech_levels():
    assert ac.overall_level(ac.speech_band_levels("normal")) == pytest.approx(62.35, abs=0.05)
    assert ac.overall_level(ac.speech_band_levels("loud")) == pytest.approx(74.85, abs=0.05)
    dba = [float(ac.a_weighted_level(ac.speech_band_levels(e))) for e in ac.EFFORTS]
    assert dba == pytest.approx([59, 66, 74, 82], abs=1.0)
    with pytest.raises(ValueError):
        ac.speech_band_levels("whisper")


def test_a_weighting_reference_values():
    assert ac.a_weighting(1000) == pytest.approx(0.0, abs=0.01)
    # IEC 61672-1 table at the nominal bands
    assert ac.A_WEIGHTS[[0, 5, 8, 17]] == pytest.approx([-13.4, -3.2, 0.0, -1.1], abs=0.05)


def test_noise_spectrum_has_the_asked_a_weighted_level_and_slope():
    levels = ac.noise_band_levels(np.array([30.0, 45.0]))
    assert ac.a_weighted_level(levels) == pytest.approx([30.0, 45.0])
    assert levels[0, 5] - levels[0, 8] == pytest.approx(5.0)  # 500 Hz to 1 kHz: one octave


def privacy_range_samples(n=600, seed=7):
    """Speech spectra near or below noise: the standard spectra lowered 15-45 dB with
    ±3 dB band jitter against shaped noise of 28-50 dB(A)."""
    rng = np.random.default_rng(seed)
    efforts = rng.choice(ac.EFFORTS, n)
    speech = np.array([ac.speech_band_levels(e) for e in efforts]) - rng.uniform(15, 45, (n, 1))
    speech += rng.normal(0, 3, (n, 18))
    noise = ac.noise_band_levels(rng.uniform(28, 50, n), rng.uniform(-7, -3)) + rng.normal(
        0, 2, (n, 18)
    )
    return speech, noise


def test_sii_agrees_with_the_reference_package():
    from speech_intelligibility_index.sii import sii as reference

    speech, noise = privacy_range_samples()
    ours = ac.sii_full(speech, noise)
    theirs = np.array(
        [
            reference(s - ac.BANDWIDTH_DB, n - ac.BANDWIDTH_DB)
            for s, n in zip(speech, noise, strict=True)
        ]
    )
    in_range = theirs <= 0.45
    assert in_range.sum() >= 200
    assert np.max(np.abs(ours[in_range] - theirs[in_range])) < 0.03
    assert np.max(np.abs(ours - theirs)) < 0.03  # and outside the privacy range too


def test_sii_audibility_form():
    noise = ac.noise_band_levels(40.0)
    assert ac.sii(noise - 15, noise) == 0
    assert ac.sii(noise + 15, noise) == pytest.approx(1.0)
    assert ac.sii(noise, noise) == pytest.approx(0.5)


def test_snr_uni32_floors_each_band_at_minus_32():
    noise = ac.noise_band_levels(40.0)
    assert ac.snr_uni32(noise - 50, noise) == -32
    assert ac.snr_uni32(noise - 10, noise) == pytest.approx(-10)


def test_speech_privacy_class():
    noise = np.full(18, 20.0)
    assert ac.speech_privacy_class(np.full(18, 55.0), noise) == pytest.approx(75.0)
    assert ac.spc_class(75.0) == "standard_privacy"
    assert ac.spc_class(91) == "very_high_security" and ac.spc_class(60) == "none"


def test_rating_spectrum_is_the_iso717_curve_at_the_rating():
    spectrum = ac.rating_spectrum(np.array([37.0, 52.0]))
    assert spectrum[:, 5].tolist() == [37.0, 52.0]  # 500 Hz
    assert spectrum[1, 0] == 39 and spectrum[1, -1] == 56
    assert (ac.rating_spectrum(0.0) >= 0).all()


def test_room_acoustics():
    a = ac.sabine_absorption(100.0, 0.5)
    assert a == pytest.approx(32.0)
    lw = ac.sound_power_level(59.0)
    assert lw == pytest.approx(70.0, abs=0.1)
    near, far = ac.room_level(lw, 1.0, a), ac.room_level(lw, 20.0, a)
    assert near > far
    assert far == pytest.approx(lw + 10 * np.log10(4 / a), abs=0.1)  # reverberant field
    assert ac.transmitted_level(60.0, 40.0, 10.0, 10.0) == pytest.approx(20.0)


def test_long_room_decay():
    k = ac.long_room_decay(2.0, 2.7, 0.07)
    assert 4.34 * k == pytest.approx(0.88, abs=0.05)  # dB per metre in a 2 m corridor
    near, far = ac.long_room_reverberant(np.array([0.0, 10.0]), 2.0, 2.7, k)
    assert 10 * np.log10(near / far) == pytest.approx(10 * np.log10(np.e) * 10 * k, rel=1e-9)


def test_maekawa_screen():
    delta = ac.barrier_path_difference(1.0, 1.0, 1.6)
    assert delta > 0
    loss = ac.maekawa_loss(delta, cap_db=30.0)
    assert np.all(np.diff(loss) >= 0)  # more loss at higher frequency
    assert loss[5] == pytest.approx(10 * np.log10(3 + 20 * 2 * delta * 500 / 343), abs=0.01)
    assert ac.maekawa_loss(delta, cap_db=3.0).max() == 3.0  # a hard ceiling caps it
    low = ac.barrier_path_difference(1.0, 1.0, 1.0)  # below the line of sight
    assert low < 0 and ac.maekawa_loss(low).max() == 0


def test_functions_broadcast_over_pairs():
    speech = np.tile(ac.speech_band_levels(), (4, 3, 1)) - 40
    noise = ac.noise_band_levels(np.full((4, 3), 35.0))
    for f in (ac.sii, ac.sii_full, ac.articulation_index, ac.snr_uni32):
        assert f(speech, noise).shape == (4, 3)
