"""Speech-privacy engine: time to assess a plan, against a plain Python loop over pairs.

    python bench/privacy.py

For the Slagelse plan and generated floors of 50, 200 and 500 rooms (about four listening
positions per room) it prints the time of ``assess_privacy`` on a freshly read plan (listening
positions, elements and couplings, propagation, metrics and answers), the pairs evaluated, and
the same work done pair by pair with plain Python loops (:mod:`roomplan.privacy.reference`
plus per-pair metrics). On the generated floors the loop is timed on a sample of talkers and
scaled to all pairs. Then the time to find what changes each room's verdict on both bundled
plans (``PrivacyResult.fix``), against trials that re-assess every tried plan in full.
"""

from __future__ import annotations

import gc
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from roomplan import acoustics as ac  # noqa: E402
from roomplan import load_plan  # noqa: E402
from roomplan.privacy import assess_privacy  # noqa: E402
from roomplan.privacy.assess import noise_levels, transfer  # noqa: E402
from roomplan.privacy.criteria import Criteria  # noqa: E402
from roomplan.privacy.fixes import room_fix  # noqa: E402
from roomplan.privacy.reference import reference_transfer  # noqa: E402
from roomplan.synthetic import generated_floor  # noqa: E402

LOOP_SAMPLE = 12  # talker mouths timed with the loop on the generated floors


def timed(make, repeat: int = 3) -> tuple[float, object]:
    """Best time of ``assess_privacy`` over ``repeat`` freshly made plans (so nothing is
    cached between runs); the plan itself is made, read and checked before the clock starts."""
    best, value = float("inf"), None
    for _ in range(repeat):
        plan = make()
        gc.collect()
        start = time.perf_counter()
        value = assess_privacy(plan)
        best = min(best, time.perf_counter() - start)
    return best, value


def loop_baseline(plan, mouths: list[int] | None) -> tuple[float, int]:
    """Seconds and mouth-listener pairs for the plain loop over the given mouths (all if None)."""
    tr = transfer(plan)
    model, talkers = tr.model, tr.talkers
    lw = ac.sound_power_level(ac.speech_band_levels("normal"))
    noise = noise_levels(plan, Criteria())
    rooms = [model.room_index[talkers.room[t]] for t in talkers.mouth_of]
    chosen = range(len(rooms)) if mouths is None else mouths
    pairs = 0
    start = time.perf_counter()
    for k in chosen:
        for listener, h in reference_transfer(model, talkers.mouth_xy[k], rooms[k]).items():
            speech = lw + 10 * np.log10(np.maximum(h, 1e-30))
            background = noise[model.listener_room[listener]]
            ac.snr_uni32(speech, background)
            ac.privacy_index(ac.articulation_index(speech, background))
            ac.sii_full(speech, background)
            pairs += 1
    return time.perf_counter() - start, pairs


def main() -> int:
    cases = [("Slagelse", lambda: load_plan(ROOT / "floorplans" / "slagelse-oestre-skole.json"))]
    cases += [(f"{n} rooms", lambda n=n: generated_floor(n)) for n in (50, 200, 500)]
    print(
        f"{'plan':<10} {'rooms':>6} {'listeners':>9} {'talkers':>7} {'pairs':>9} "
        f"{'engine s':>9} {'loop s':>9} {'speed-up':>9}"
    )
    for name, make in cases:
        seconds, result = timed(make)
        plan = result.plan
        n_mouths = len(result.transfer.talkers.mouth_xy)
        if name == "Slagelse":
            loop_s, _ = loop_baseline(plan, None)
            note = ""
        else:
            sample = np.linspace(0, n_mouths - 1, min(LOOP_SAMPLE, n_mouths)).astype(int).tolist()
            sample_s, sample_pairs = loop_baseline(plan, sample)
            all_pairs = len(
                result.transfer.model.transfer(
                    result.transfer.talkers.mouth_xy,
                    np.array(
                        [
                            result.transfer.model.room_index[result.transfer.talkers.room[t]]
                            for t in result.transfer.talkers.mouth_of
                        ]
                    ),
                ).mouth
            )
            loop_s = sample_s / sample_pairs * all_pairs
            note = (
                f"  (loop timed on {len(sample)} of {n_mouths} talker mouths, scaled to all pairs)"
            )
        print(
            f"{name:<10} {len(plan.rooms):>6} {len(result.transfer.listeners):>9} "
            f"{len(result.transfer.talkers):>7} {result.n_pairs:>9} {seconds:>9.3f} {loop_s:>9.1f} "
            f"{loop_s / seconds:>8.0f}x{note}"
        )
    print("targets: 500-room floor under 2 s, at least 20x the loop")
    fixes()
    return 0


def fixes() -> None:
    """What changes each room's verdict (PrivacyResult.fix): trials on verdicts only, masking
    through the criteria, against re-assessing every tried plan in full; the same fixes."""
    print()
    print(f"{'fixes':<10} {'rooms':>6} {'s':>7} | {'baseline s':>10} {'ratio':>6}")
    for name in ("slagelse-oestre-skole", "slagelse-oestre-skole-split"):
        plan = load_plan(ROOT / "floorplans" / f"{name}.json")
        result = assess_privacy(plan)
        rooms = [r.room for r in result.rooms if r.status in ("conditional", "never")]
        times, found = {}, {}
        for label, full in (("fast", False), ("full", True)):
            again = assess_privacy(load_plan(ROOT / "floorplans" / f"{name}.json"))
            start = time.perf_counter()
            found[label] = [room_fix(again, r, full_trials=full) for r in rooms]
            times[label] = time.perf_counter() - start
        same = "same" if found["fast"] == found["full"] else "DIFFERENT"
        print(
            f"{name[-5:] if name.endswith('split') else 'Slagelse':<10} {len(rooms):>6} "
            f"{times['fast']:>7.2f} | {times['full']:>10.2f} "
            f"{times['full'] / times['fast']:>5.1f}x  ({same} fixes)"
        )


if __name__ == "__main__":
    sys.exit(main())
