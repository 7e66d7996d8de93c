"""Interview capacity: the week model, peaks, bounds, the exact answer against brute force,
every schedule against an independent checker, and the Slagelse verdicts."""

import functools
import itertools
import json
import random

import pytest
from shapely import box

from roomplan.capacity import Absence, DayHours, Week, plan_capacity, spread_demand
from roomplan.capacity import text as words
from roomplan.capacity.peaks import demand_percentile
from roomplan.capacity.schedule import Interview, Schedule, Stay
from roomplan.cli import main
from roomplan.plan import Defaults, Desk, Door, Plan, Rating, Room, Staff
from roomplan.privacy import assess_privacy
from tests.checker import check
from tests.conftest import SLAGELSE


# -- the week -------------------------------------------------------------------------
def test_default_week_and_spread():
    week = Week()
    assert week.tick == 10 and week.interview_ticks == 3 and week.move_ticks == 1
    assert week.segments(0) == [(540, 18), (750, 15)]  # 9-12 and 12:30-15
    assert week.segments(4) == [(540, 18), (750, 3)]  # Friday 9-12, 12:30-13
    assert spread_demand(237) == (48, 48, 47, 47, 47)
    assert sum(spread_demand(237, "hours")) == 237
    assert spread_demand(10, (1, 0, 0, 0, 1)) == (5, 0, 0, 0, 5)
    assert Week(move_minutes=15).tick == 15 and Week(move_minutes=0).tick == 30


@pytest.mark.parametrize(
    "bad",
    [
        lambda: DayHours("15:00", "09:00"),
        lambda: DayHours("25:00", "26:00"),
        lambda: Absence("S1", 7),
        lambda: Absence("S1", 0, "10:00"),
        lambda: Week(move_minutes=-1),
        lambda: Week(hours=()),
        lambda: spread_demand(10, (1, 2)),
        lambda: spread_demand(-1),
    ],
)
def test_bad_week_input_is_a_clear_error(bad):
    with pytest.raises(ValueError) as info:
        bad()
    assert str(info.value) and "Traceback" not in str(info.value)


def test_absences():
    week = Week(absences=(Absence("S1", 0), Absence("S2", 1, "09:00", "10:00")))
    assert not week.available("S1", 0, 600) and week.available("S1", 1, 600)
    assert not week.available("S2", 1, 590) and week.available("S2", 1, 600)


def test_peaks_match_the_memo_reference():
    assert demand_percentile(237, 0.95) == 263
    assert demand_percentile(237, 0.99) == 274
    assert demand_percentile(47.4, 0.95) == 59
    assert demand_percentile(237, 0.95, variance_factor=2.0) == 274


@pytest.mark.parametrize("factor", [1.0, 1.5, 2.0, 3.0])
def test_percentiles_agree_with_scipy(factor):
    from scipy import stats

    for mean in (0.5, 3, 12.3, 47.4, 237, 474, 1500, 3000):
        for q in (0.9, 0.95, 0.99):
            if factor == 1:
                ref = stats.poisson.ppf(q, mean)
            else:
                ref = stats.nbinom.ppf(q, mean / (factor - 1), 1 / factor)
            assert demand_percentile(mean, q, factor) == int(ref), (mean, q)


# -- small plans: exact against brute force -----------------------------------------------
def small_plan(rng: random.Random) -> Plan:
    """A two-desk office and two interview rooms on a corridor, with random walls and doors."""
    rooms = (
        Room("K", "Kontor", "office", box(0, 0, 6, 4), windows=True),
        Room(
            "R1",
            "Samtalerum 1",
            "interview",
            box(6, 0, 9, 4),
            windows=rng.random() < 0.5,
            noise_dba=30,
        ),
        Room(
            "R2",
            "Samtalerum 2",
            "interview",
            box(9, 0, 12, 4),
            windows=rng.random() < 0.5,
            noise_dba=30,
        ),
        Room("G", "Gang", "corridor", box(0, 4, 12, 6)),
    )
    doors = tuple(
        Door(f"D{r}", (r, "G"), ((x, 4.0), (x + 0.9, 4.0)), 2.1, Rating(rng.choice([25.0, 45.0])))
        for r, x in (("K", 1.0), ("R1", 7.0), ("R2", 10.0))
    )
    desks = (Desk("K-A", "K", (1.5, 1.5), (1.5, 2.5)), Desk("K-B", "K", (4.5, 1.5), (4.5, 2.5)))
    groups = ("team",) if rng.random() < 0.3 else ()
    staff = (
        Staff("S1", desk="K-A", max_interviews=rng.randint(1, 3), need_to_know=groups),
        Staff("S2", desk="K-B", max_interviews=rng.randint(1, 3), need_to_know=groups),
    )
    plan = Plan(
        name="small",
        rooms=rooms,
        doors=doors,
        desks=desks,
        staff=staff,
        defaults=Defaults(partitions={"default": Rating(rng.choice([30.0, 60.0]))}),
    )
    for a, b in (("K", "R1"), ("R1", "R2")):
        plan = plan.with_partition_rating(a, b, Rating(rng.choice([30.0, 60.0])))
    return plan


def one_day_week(rng: random.Random) -> Week:
    closing = rng.choice(["10:00", "10:10", "10:20"])
    hours = (DayHours("09:00", closing, lunch=None),) + (DayHours(closed=True),) * 4
    return Week(
        hours=hours, move_minutes=rng.choice([0, 10]), windowless_hours=rng.choice([0.5, 1.0, 3.0])
    )


def candidate_stays(interviews: list[Interview], week: Week, rooms: set[str]) -> list[list[Stay]]:
    """Every way the caseworkers could be in rooms for ``interviews``: each room interview's
    stay starts with the move (or at opening); consecutive interviews in a room may share a
    stay (waiting between them) or not."""
    opening = week.segments(0)[0][0]
    per: dict[tuple[str, str], list[Interview]] = {}
    for i in interviews:
        if i.room in rooms:
            per.setdefault((i.caseworker, i.room), []).append(i)
    options = []
    for (c, room), items in per.items():
        items.sort(key=lambda i: i.start)
        gaps = len(items) - 1
        choices = []
        for joins in itertools.product([False, True], repeat=gaps):
            stays, start = [], None
            for k, i in enumerate(items):
                if start is None:
                    start = i.start if i.start == opening else i.start - week.move_minutes
                if k == gaps or not joins[k]:
                    stays.append(Stay(c, i.day, room, i.space, start, i.end))
                    start = None
            choices.append(stays)
        options.append(choices)
    return [[s for part in combo for s in part] for combo in itertools.product(*options)] or [[]]


def brute_force(plan: Plan, week: Week) -> int:
    """The most interviews of any schedule the checker accepts, by enumeration."""
    privacy = assess_privacy(plan)
    spaces = [a for a in privacy.positions if a.status != "never"]
    caps = {s.id: s.max_interviews for s in plan.staff}
    rooms = {a.room for a in spaces if a.desk is None}
    start, n = week.segments(0)[0]
    starts = [start + k * week.tick for k in range(n - week.interview_ticks + 1)]
    singles = {c: [] for c in caps}
    for c in caps:
        for a in spaces:
            if a.desk is not None and a.caseworker != c:
                continue
            for s in starts:
                singles[c].append(
                    Interview(c, 0, s, s + week.interview_minutes, a.position, a.room)
                )
    best = 0
    per_person = {}
    for c, options in singles.items():
        chosen = [()]
        for k in range(1, caps[c] + 1):
            chosen += [
                combo
                for combo in itertools.combinations(options, k)
                if all(
                    b.start >= a.end
                    for a, b in zip(
                        sorted(combo, key=lambda i: i.start),
                        sorted(combo, key=lambda i: i.start)[1:],
                        strict=False,
                    )
                )
            ]
        per_person[c] = chosen
    for combo in itertools.product(*per_person.values()):
        interviews = sorted(
            (i for part in combo for i in part), key=lambda i: (i.start, i.caseworker)
        )
        if len(interviews) <= best:
            continue
        for stays in candidate_stays(interviews, week, rooms):
            schedule = Schedule(tuple(interviews), tuple(sorted(stays, key=lambda s: s.start)))
            if not check(plan, privacy, week, schedule, caps, (None,) * 5):
                best = len(interviews)
                break
    return best


@functools.cache
def brute_force_of(seed: int) -> int:
    rng = random.Random(seed)
    return brute_force(small_plan(rng), one_day_week(rng))


@pytest.mark.parametrize("seed", range(12))
def test_exact_optimum_equals_brute_force(seed):
    rng = random.Random(seed)
    plan, week = small_plan(rng), one_day_week(rng)
    result = plan_capacity(plan, week, demand=100, spread=(1, 0, 0, 0, 0), time_limit=20)
    assert result.optimal
    assert result.capacity == brute_force_of(seed)
    privacy = assess_privacy(plan)
    assert check(plan, privacy, week, result.schedule, result.caps, result.demand_per_day) == []


# -- Slagelse --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def baseline(slagelse):
    return plan_capacity(slagelse, time_limit=30)


@pytest.fixture(scope="module")
def split(slagelse_split):
    return plan_capacity(slagelse_split, time_limit=20)


def test_every_schedule_passes_the_checker(slagelse, slagelse_split, baseline, split):
    for plan, result in ((slagelse, baseline), (slagelse_split, split)):
        privacy = assess_privacy(plan)
        for schedule in (result.schedule, result.lower_schedule):
            assert (
                check(plan, privacy, result.week, schedule, result.caps, result.demand_per_day)
                == []
            )


def test_bounds_bracket_the_exact_answer(baseline, split):
    for r in (baseline, split):
        assert r.lower <= r.held <= r.held_bound <= r.upper
        assert r.held <= r.capacity <= r.capacity_bound
        assert len(r.lower_schedule) == r.lower


def test_slagelse_baseline_verdict(slagelse, baseline):
    assert baseline.optimal and baseline.held == baseline.held_bound
    assert not baseline.can_hold and baseline.shortfall == 237 - baseline.held
    assert len(baseline.schedule) == baseline.held and baseline.held > 0
    text = words.verdict(baseline, "en")
    assert f"only {baseline.held} of the 237" in text
    bottleneck = words.bottleneck_text(baseline, slagelse, "en")
    assert bottleneck.startswith("Bottleneck: no private space is free") and "S0" in bottleneck
    assert baseline.seconds["exact"] < 5


def test_slagelse_split_verdict_and_headline(slagelse_split, split, baseline):
    assert split.held > 0 and not split.can_hold
    assert split.held_bound >= split.held
    # the headline: the memo's split, as drawn, changes the private capacity by this much
    assert split.held != baseline.held
    text = words.verdict(split, "da")
    assert "237" in text


def test_memo_arithmetic_and_peaks(baseline):
    m = baseline.memo_arithmetic()
    assert m["demand_per_day"] == pytest.approx(47.4)
    assert m["demand_per_room_per_day"] == pytest.approx(9.48)
    week95 = next(
        p
        for p in baseline.peaks
        if p.period == "week" and p.quantile == 0.95 and p.variance_factor == 1
    )
    assert week95.demand == 263 and week95.capacity == baseline.capacity and not week95.holds


def test_rules_move_the_answer(slagelse, baseline):
    no_move = plan_capacity(slagelse, Week(move_minutes=0), time_limit=20)
    assert no_move.capacity > baseline.capacity
    dark = plan_capacity(slagelse, Week(windowless_hours=0), time_limit=20)
    assert dark.capacity < baseline.capacity
    assert all(i.room not in ("1.12", "1.13") for i in dark.schedule.interviews)
    away = plan_capacity(
        slagelse,
        Week(
            absences=tuple(
                Absence(s, d)
                for s in ("S01", "S02", "S04", "S05", "S06", "S07", "S08", "S09", "S10")
                for d in range(5)
            )
        ),
        time_limit=20,
    )
    assert away.capacity < baseline.capacity and {
        i.caseworker for i in away.schedule.interviews
    } <= {"S11"}


def test_demand_below_capacity_gives_headroom(slagelse):
    result = plan_capacity(slagelse, demand=40, time_limit=20)
    assert result.can_hold and result.held == 40 and result.headroom == result.capacity - 40
    assert words.verdict(result, "en").startswith("Yes: all 40")
    assert words.bottleneck_text(result, slagelse, "en").startswith("No bottleneck")


def test_utilisation_heatmap_and_csv(slagelse, baseline):
    use = baseline.utilisation()
    assert 0 < use["spaces"]["room:1.07"] <= 1
    assert sum(use["caseworkers"].values()) > 0
    labels, grid = baseline.heatmap()
    assert labels[0] == "09:00" and len(grid) == 5 and max(max(r) for r in grid) <= 1
    csv_text = baseline.schedule.to_csv(lang="da")
    assert csv_text.splitlines()[0] == "Sagsbehandler,Dag,Start,Slut,Sted,Rum"
    assert len(csv_text.splitlines()) == baseline.held + 1


def test_cli_capacity(tmp_path, capsys):
    out = tmp_path / "plan.csv"
    assert main(["capacity", str(SLAGELSE), "--schedule-csv", str(out), "--time-limit", "20"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("Nej: kun ") and "Flaskehals" in printed and "263" in printed
    assert out.read_text(encoding="utf-8").startswith("Sagsbehandler")
    assert main(["capacity", str(SLAGELSE), "--json", "--interviews", "40", "--lang", "en"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["held"] == 40 and data["verdict"].startswith("Yes") and data["schedule"]
    assert main(["capacity", str(SLAGELSE), "--spread", "1,2"]) == 2
    assert main(["capacity", str(SLAGELSE), "--move-minutes", "-5"]) == 2
    assert "Traceback" not in capsys.readouterr().err


# -- whole-period blocks -----------------------------------------------------------------
def _instance(plan, week, demand):
    from roomplan.capacity import caps_of
    from roomplan.capacity.exact import Instance
    from roomplan.capacity.spaces import private_spaces

    privacy = assess_privacy(plan)
    per_day = demand if isinstance(demand, tuple) else spread_demand(demand, "hours", week)
    return privacy, Instance(plan, week, private_spaces(privacy), caps_of(plan, week), per_day)


@pytest.mark.parametrize("seed", range(12))
def test_blocks_keep_every_rule_and_never_beat_the_optimum(seed):
    from roomplan.capacity.blocks import block_schedule

    rng = random.Random(seed)
    plan, week = small_plan(rng), one_day_week(rng)
    privacy, inst = _instance(plan, week, (100, 0, 0, 0, 0))
    blocks = block_schedule(inst, [0])
    assert check(plan, privacy, week, blocks, inst.caps, inst.demand) == []
    assert len(blocks) <= brute_force_of(seed)


def test_blocks_on_a_generated_site_share_offices_and_keep_the_weekly_caps():
    from roomplan.capacity.blocks import block_schedule
    from roomplan.synthetic import generated_site

    plan = generated_site(offices=6, interview_rooms=4, caseworkers=15)
    week = Week()
    privacy, inst = _instance(plan, week, 400)
    blocks = block_schedule(inst, [0, 1, 2, 3, 4])
    assert check(plan, privacy, week, blocks, inst.caps, inst.demand) == []
    assert any(i.space.startswith("desk:") for i in blocks.interviews)  # colleagues in rooms
    assert max(blocks.per_caseworker().values()) <= 36
    result = plan_capacity(plan, week, 400, "hours", privacy=privacy, time_limit=30)
    assert result.held >= len(blocks)
    assert check(plan, privacy, week, result.schedule, result.caps, result.demand_per_day) == []


def test_cli_headline_compares_two_plans(capsys):
    from tests.conftest import SLAGELSE_SPLIT

    code = main(["capacity", str(SLAGELSE), "--compare", str(SLAGELSE_SPLIT), "--time-limit", "15"])
    assert code == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("Slagelse Jobcenter, Østre Skole: 92 af 237")
    assert "(enkeltkontorer)" in first and "(+" in first


def test_blocks_never_count_an_empty_room_role_as_away():
    # a move as long as an interview: a room role after lunch could hold nothing
    from roomplan.capacity.blocks import block_schedule
    from roomplan.synthetic import generated_site

    plan = generated_site(offices=3, interview_rooms=2, caseworkers=7)
    staff = tuple(s.replace(max_interviews=0) if s.id != "S004" else s for s in plan.staff)
    rooms = tuple(r.replace(windows=False) if r.kind == "interview" else r for r in plan.rooms)
    plan = plan.replace(staff=staff, rooms=rooms)
    week = Week(move_minutes=30, windowless_hours=3.5)
    privacy, inst = _instance(plan, week, 200)
    blocks = block_schedule(inst, [0, 1, 2, 3, 4])
    assert check(plan, privacy, week, blocks, inst.caps, inst.demand) == []


def test_capacity_bound_is_not_taken_from_days_solved_under_cap_shares():
    rooms = (
        Room("K", "K", "office", box(0, 0, 4, 4), windows=True),
        Room("R1", "R1", "interview", box(4, 0, 8, 4), windows=True, noise_dba=30),
        Room("G", "G", "corridor", box(0, 4, 8, 6)),
    )
    doors = tuple(
        Door(f"D{r}", (r, "G"), ((x, 4.0), (x + 0.9, 4.0)), 2.1, Rating(45.0))
        for r, x in (("K", 1.0), ("R1", 5.0))
    )
    plan = Plan(
        name="t",
        rooms=rooms,
        doors=doors,
        desks=(Desk("K-A", "K", (1.5, 1.5)),),
        staff=(Staff("S1", desk="K-A", max_interviews=12),),
        defaults=Defaults(partitions={"default": Rating(60.0)}),
    )
    hours = (DayHours("09:00", "15:00", lunch=None),) * 2 + (DayHours(closed=True),) * 3
    week = Week(hours=hours, absences=(Absence("S1", 0, "10:00", "15:00"),))
    result = plan_capacity(plan, week, demand=30, time_limit=20)
    whole = plan_capacity(plan, week, demand=30, time_limit=20, decompose=False)
    assert result.capacity_bound >= whole.capacity == 12
    assert result.capacity == 12


def test_reusing_the_capacity_gives_the_same_answer(slagelse, baseline):
    again = plan_capacity(slagelse, demand=150, time_limit=20, reuse=baseline)
    fresh = plan_capacity(slagelse, demand=150, time_limit=20)
    assert again.held == fresh.held
    assert (again.capacity, again.capacity_bound) == (fresh.capacity, fresh.capacity_bound)
    other_week = plan_capacity(slagelse, Week(move_minutes=0), 150, time_limit=20, reuse=baseline)
    assert other_week.capacity >= baseline.capacity  # a different week is solved, not reused
