"""Recommendations: the catalogue, its measures on a plan, and the search for the cheapest."""

from __future__ import annotations

import json
import math
import pickle

import pytest
from shapely import box

from roomplan.capacity import CapacityOptions, plan_capacity
from roomplan.capacity.week import DayHours, Week
from roomplan.plan import Defaults, Desk, Door, Plan, Rating, Room, Staff
from roomplan.plan.edit import BOOTH_RW, EditError, add_booth
from roomplan.recommend.advice import RecommendOptions, recommend
from roomplan.recommend.candidates import applied, candidates, cost_of
from roomplan.recommend.catalogue import (
    CatalogueError,
    Cost,
    parse_catalogue,
    read_catalogue,
)
from roomplan.scenarios import Edit


# -- a site small enough to search quickly --------------------------------------------------
def small_site() -> Plan:
    """Three caseworkers share an office; the interview room is heard in the waiting room
    through a 37 dB wall; a storage room could take a booth."""
    rooms = (
        Room("K", "Kontor", "office", box(0, 0, 9, 4), windows=True),
        Room("R", "Samtalerum", "interview", box(9, 0, 12, 4), windows=True),
        # citizens waiting and talking: 40 dB(A) of background
        Room("W", "Venteværelse", "waiting", box(12, 0, 15, 4), windows=True, noise_dba=40.0),
        Room("X", "Lager", "other", box(15, 0, 21, 4), windows=True),
        Room("G", "Gang", "corridor", box(0, 4, 21, 6)),
    )
    doors = tuple(
        Door(f"D{r}", (r, "G"), ((x, 4.0), (x + 0.9, 4.0)), 2.1, Rating(30.0))
        for r, x in (("K", 1.0), ("R", 10.0), ("W", 13.0), ("X", 19.5))
    )
    desks = tuple(
        Desk(f"K-{k}", "K", (x, 1.5), (x, 2.5)) for k, x in (("A", 1.5), ("B", 4.5), ("C", 7.5))
    )
    staff = (Staff("S1", desk="K-A"), Staff("S2", desk="K-B"), Staff("S3", desk="K-C"))
    plan = Plan(
        "small",
        rooms,
        doors,
        desks=desks,
        staff=staff,
        defaults=Defaults(partitions={"default": Rating(52.0)}),
    )
    return plan.with_partition_rating("R", "W", Rating(37.0))


def one_morning() -> Week:
    closed = DayHours(closed=True)
    return Week(hours=(DayHours("09:00", "12:00", None), closed, closed, closed, closed))


WALL_M2 = 2000.0
BOOTH = 90000.0


def two_measures(booth: float = BOOTH) -> dict:
    """A catalogue of a better wall and a booth (either lets the small site hold 6)."""
    return {
        "measures": [
            {
                "id": "wall-52",
                "op": "wall",
                "value": 52,
                "unit": "m2",
                "cost": [WALL_M2 / 2, WALL_M2, WALL_M2 * 2],
                "disruption": "major_building",
                "lead_weeks": 12,
                "source": "assumption",
                "name": {"da": "Bedre væg", "en": "Better wall"},
            },
            {
                "id": "booth",
                "op": "booth",
                "value": 30,
                "unit": "booth",
                "cost": [booth / 2, booth, booth * 2],
                "disruption": "light_building",
                "lead_weeks": 8,
                "source": "assumption",
                "name": "Samtaleboks",
            },
        ]
    }


def small_options(booth: float = BOOTH, **changes) -> RecommendOptions:
    fields = {
        "targets": (6,),
        "catalogue": parse_catalogue(two_measures(booth)),
        "processes": 1,
        "scheduler": None,
    }
    fields.update(changes)
    return RecommendOptions(**fields)


# -- the catalogue ----------------------------------------------------------------------------
def test_bundled_catalogue_covers_the_memo_and_its_alternatives():
    cat = read_catalogue()
    ops = {m.op for m in cat.measures}
    assert {
        "split_office",
        "to_office",
        "door",
        "wall",
        "masking",
        "booth",
        "move_time",
        "need_to_know",
        "hours",
        "booking",
        "windowless",
    } <= ops
    assert {m.slot for m in cat.measures if m.op == "to_office"} == {"room-use", "relocate"}
    for m in cat.measures:
        assert m.cost.low <= m.cost.typical <= m.cost.high
        assert m.label("da") and m.label("en")
        assert m.source  # "assumption" where no priced source
    # what is written is what is read back
    assert parse_catalogue(cat.as_dict()) == cat


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda m: m.pop("cost"), ["wall-52", "cost"]),
        (lambda m: m.update(cost=[3, 2, 1]), ["wall-52", "low"]),
        (lambda m: m.update(op="paint"), ["wall-52", "paint"]),
        (lambda m: m.update(disruption="some"), ["wall-52", "some"]),
        (lambda m: m.update(unit="km"), ["wall-52", "km"]),
        (lambda m: m.update(lead_weeks=-1), ["wall-52", "lead_weeks"]),
        (lambda m: m.update(value="thick"), ["wall-52", "thick", "20", "75"]),
        (lambda m: m.update(op="hours", value="morning"), ["wall-52", "morning", "09:00-15:00"]),
        (lambda m: m.update(op="booking", value="weekly"), ["wall-52", "weekly", "hours"]),
    ],
)
def test_a_bad_measure_is_named_with_its_field_and_the_fix(change, words):
    data = two_measures()
    change(data["measures"][0])
    with pytest.raises(CatalogueError) as err:
        parse_catalogue(data)
    for word in words:
        assert word in err.value.message("en")


def test_duplicate_ids_and_bad_files_are_refused(tmp_path):
    data = two_measures()
    data["measures"][1]["id"] = "wall-52"
    with pytest.raises(CatalogueError, match="wall-52"):
        parse_catalogue(data)
    broken = tmp_path / "measures.json"
    broken.write_text('{"measures": [', encoding="utf-8")
    with pytest.raises(CatalogueError) as err:
        read_catalogue(broken)
    assert "line 1" in err.value.message("en")
    with pytest.raises(CatalogueError, match="missing.json"):
        read_catalogue(tmp_path / "missing.json")


# -- measures on a plan -----------------------------------------------------------------------
def test_a_wall_shared_by_two_rooms_is_paid_once(slagelse):
    cat = read_catalogue()
    wall = cat.measure("wall-52")
    pool = {c.id: c for c in candidates(slagelse, Week(), CapacityOptions(), cat)}
    a, b = pool["wall-52@1.11"], pool["wall-52@1.12"]
    shared = slagelse.partition("1.11", "1.12")
    shared_cost = wall.cost.typical * round(shared.length * shared.height, 1)
    assert cost_of([a, b]).typical == pytest.approx(a.cost.typical + b.cost.typical - shared_cost)
    # and each alone costs its walls' area at the catalogue's price per square metre
    walls = [p for p in slagelse.partitions if "1.11" in p.rooms and p.rating.rw < 52]
    area = sum(round(p.length * p.height, 1) for p in walls)
    assert a.cost.typical == pytest.approx(wall.cost.typical * area)


def test_alternatives_exclude_each_other_and_edits_apply_in_order(slagelse):
    cat = read_catalogue()
    pool = {c.id: c for c in candidates(slagelse, Week(), CapacityOptions(), cat)}
    assert pool["door-35@D1.01"].slots == pool["door-42@D1.01"].slots
    # the walls of an office upgraded, then the office split: the pieces keep the new wall
    plan, _, _ = applied(
        slagelse, Week(), CapacityOptions(), [pool["split-office@1.01"], pool["wall-52@1.01"]]
    )
    pieces = [r.id for r in plan.rooms if r.id.startswith("1.01")]
    assert len(pieces) == 3
    assert all(plan.partition("1.00", r).rating.rw == 52 for r in pieces)


def test_every_candidate_is_described_in_words_without_its_key(slagelse):
    # "Samtaletid 9-15 ...: all", "1.06<-S02" and "opening-hours@all" reached the Danish
    # recommendation; the key stays in the JSON
    pool = candidates(slagelse, Week(), CapacityOptions(), read_catalogue())
    by_op = {c.measure.op: c for c in pool}
    assert {"to_office", "hours", "booth", "door", "wall"} <= set(by_op)
    for c in pool:
        for lang in ("da", "en"):
            for text in (c.describe(lang), c.short(lang)):
                assert "@" not in text and "<-" not in text and "->" not in text, text
                assert not text.endswith(": all") and not text.endswith(":"), text
    by_id = {c.id: c for c in pool}
    assert by_id["interview-to-office@1.06<-S02"].describe("da").endswith(": 1.06 til S02")
    assert by_id["relocate-colleague@S03->1.14"].short("da") == (
        "Kollega uden borgersamtaler flytter til en anden arbejdsplads: S03 til 1.14"
    )
    hours = by_op["hours"]  # "Samtaletid 9-15 alle åbne dage", not "...: alle åbne dage"
    assert hours.describe("da") == hours.measure.label("da")
    assert hours.short("en") == "Interview hours 9-15 on every open day"
    assert by_id["door-42@D1.11"].short("da") == "Lyddør, tætnet dørsæt: D1.11"
    assert by_id["door-42@D1.11"].describe("da") == "Lyddør, tætnet dørsæt (R'w 42 dB): D1.11"
    for lang in ("da", "en"):  # the front's column tells every option apart
        shorts = [c.short(lang) for c in pool]
        assert len(set(shorts)) == len(shorts), lang


def test_measures_whose_names_differ_only_in_details_stay_apart_in_a_table():
    # a library's catalogue with "Dør (35 dB)" and "Dør (42 dB)" read "Dør: D1" twice
    raw = two_measures()
    door = {**raw["measures"][0], "op": "door", "unit": "door", "value": 35, "slot": "door"}
    raw["measures"] = [
        {**door, "id": "door-35", "name": {"da": "Dør (35 dB)", "en": "Door (35 dB)"}},
        {**door, "id": "door-42", "value": 42, "name": {"da": "Dør (42 dB)", "en": "Door"}},
        raw["measures"][1],
    ]
    cat = parse_catalogue(raw)
    pool = {c.id: c for c in candidates(small_site(), one_morning(), CapacityOptions(), cat)}
    assert pool["door-35@DR"].short("da") == "Dør (35 dB): DR"
    assert pool["door-42@DR"].short("da") == "Dør (42 dB): DR"
    assert pool["door-35@DR"].short("en") == "Door (35 dB): DR"  # "Door" stays the other's
    assert pool["door-42@DR"].short("en") == "Door: DR"
    assert pool["booth@X"].short("da") == "Samtaleboks: X"
    assert cat.as_dict() == parse_catalogue(cat.as_dict()).as_dict()  # nothing new saved


def test_site_measures_change_the_week_and_the_booking_only_where_they_help():
    cat = read_catalogue()
    plan = small_site()
    week = Week(move_minutes=10, windowless_hours=3)
    pool = {c.id: c for c in candidates(plan, week, CapacityOptions(), cat)}
    _, new_week, options = applied(
        plan,
        week,
        CapacityOptions(),
        [pool["network@all"], pool["windowless-5h@all"], pool["booking-by-hours@all"]],
    )
    assert new_week.move_minutes == 5 and new_week.windowless_hours == 5
    assert options.spread == "hours"
    # nothing to gain, no candidate: the move already short, every day already 9-15
    short = Week(move_minutes=0, hours=(DayHours("09:00", "15:00"),) * 5)
    ids = {c.id for c in candidates(plan, short, CapacityOptions(spread="hours"), cat)}
    assert not ids & {"network@all", "opening-hours@all", "booking-by-hours@all"}


def test_week_edits_never_make_the_week_worse_and_refuse_nonsense():
    week = Week(move_minutes=5, windowless_hours=6)
    assert Edit("move_time", "all", 8).week(week).move_minutes == 5
    assert Edit("windowless", "all", 4).week(week).windowless_hours == 6
    with pytest.raises(EditError) as err:
        Edit("move_time", "all", "soon").week(week)
    assert "soon" in err.value.message("en")
    with pytest.raises(EditError, match="weekly"):
        Edit("booking", "all", "weekly").options(CapacityOptions())


def test_a_booth_is_a_windowless_interview_room_in_a_free_corner(slagelse):
    plan = add_booth(slagelse, "1.15")
    booth = plan.rooms[-1]
    host = plan.room("1.15")
    assert booth.kind == "interview" and not booth.windows
    assert booth.polygon.area == pytest.approx(2.2 * 2.0)
    assert host.polygon.area == pytest.approx(slagelse.room("1.15").polygon.area - 4.4)
    assert plan.partition(booth.id, "1.15").rating.rw == BOOTH_RW
    # clear of the host's doors and windows
    for o in (*plan.doors, *plan.windows):
        if "1.15" in o.rooms:
            assert booth.polygon.distance(o.line) >= 1.0 - 1e-9
    with pytest.raises(EditError) as err:
        add_booth(slagelse, "1.11")  # 7 m², no corner free of the door
    assert "1.11" in err.value.message("en")


def test_plans_pickle_for_worker_processes(slagelse):
    assert slagelse.partitions  # derived once here; made again on arrival, not carried
    again = pickle.loads(pickle.dumps(slagelse))
    assert again == slagelse
    assert [p.rating for p in again.partitions] == [p.rating for p in slagelse.partitions]


# -- the search -------------------------------------------------------------------------------
def test_the_cheaper_of_two_measures_is_recommended_and_costs_decide():
    plan, week = small_site(), one_morning()
    before = plan_capacity(plan, week, CapacityOptions(demand=6))
    assert before.held == 0  # the room is heard in the waiting room, the office is shared

    wall_first = recommend(plan, week, small_options())
    option = wall_first.option("demand")
    assert option is not None and option.holds(0)
    assert [c.id for c in option.chosen] == ["wall-52@R"]
    area = plan.partition("R", "W").length * plan.partition("R", "W").height
    assert option.cost.typical == pytest.approx(WALL_M2 * round(area, 1))
    assert wall_first.reachable == (True,)

    booth_first = recommend(plan, week, small_options(booth=5000.0))
    option = booth_first.option("demand")
    assert option is not None and [c.id for c in option.chosen] == ["booth@X"]
    assert option.cost == Cost(2500.0, 5000.0, 10000.0)


def test_a_lead_time_of_one_week_is_said_in_the_singular():
    # "klar om ca. 1 uger"
    from roomplan.recommend.text import option_lines

    doc = two_measures(booth=5000.0)
    doc["measures"][1]["lead_weeks"] = 1
    options = small_options(catalogue=parse_catalogue(doc))
    answer = recommend(small_site(), one_morning(), options)
    option = answer.option("demand")
    assert option is not None and [c.id for c in option.chosen] == ["booth@X"]
    assert "klar om ca. 1 uge." in " ".join(option_lines(answer, option, "da"))
    assert "ready in about 1 week." in " ".join(option_lines(answer, option, "en"))


def test_an_option_holds_what_plan_capacity_says_on_its_edited_plan():
    plan, week = small_site(), one_morning()
    answer = recommend(plan, week, small_options())
    for option in answer.options:
        for i, target in enumerate(answer.targets):
            again = plan_capacity(option.plan, option.week, option.options.replace(demand=target))
            assert (option.results[i].held, option.results[i].held_bound) == (
                again.held,
                again.held_bound,
            )
            assert option.results[i].schedule == again.schedule


def test_a_target_out_of_reach_is_said_so_with_the_best_reachable():
    plan, week = small_site(), one_morning()
    answer = recommend(plan, week, small_options(targets=(40,)))
    assert answer.reachable == (False,)  # not even every measure together holds 40
    assert answer.everything is not None and answer.everything.figures[0].cannot
    best = answer.option("demand")
    assert best is not None and not best.holds(0) and best.results[0].held > 0


def test_the_front_within_a_budget_holds_only_what_the_budget_buys():
    # the Slagelse front under --budget 300000 listed 315.800 kr. holding 263 while the
    # target line said no selection was found for 263
    plan, week = small_site(), one_morning()
    wall = WALL_M2 * 4.0 * 2.7  # the 37 dB wall R|W, 4 m long, rooms 2.7 m high
    assert wall < 95000.0 < BOOTH + wall
    free = recommend(plan, week, small_options(targets=(40,)))
    assert max(p.cost.typical for p in free.fronts[0]) == pytest.approx(BOOTH + wall)
    within = recommend(plan, week, small_options(targets=(40,), budget_dkk=95000.0))
    assert [p.cost.typical for p in within.fronts[0]] == pytest.approx([0.0, wall])
    assert all(o.cost.typical <= 95000.0 for o in within.options)


def test_the_demand_s_option_is_the_cheapest_that_holds_it_whichever_search_found_it(
    monkeypatch,
):
    # on Slagelse the first greedy run stopped at 232-237 of 237 for 259.000 kr.; the busy
    # week's run then found 237 for 279.000 kr., yet the first was shown as the cheapest for
    # the demand while the headline said 279.000 kr.
    from types import SimpleNamespace

    from roomplan.recommend import advice
    from roomplan.recommend.evaluate import Figure
    from roomplan.recommend.search import Point

    pool = candidates(
        small_site(), one_morning(), CapacityOptions(), parse_catalogue(two_measures())
    )
    wall = next(c for c in pool if c.measure.id == "wall-52")
    booth = next(c for c in pool if c.measure.id == "booth")
    short = Point((wall,), (Figure(6, 4, 6), Figure(8, 4, 8)))
    holds = Point((booth, wall), (Figure(6, 6, 6), Figure(8, 7, 8)))
    search = SimpleNamespace(points={}, affordable=lambda p: True)
    runs = iter([short, holds])

    def greedy(search, pool, chosen, i):
        point = next(runs, None)  # the demand's run, the busy week's, then no gentler one
        if point is not None:
            search.points[point.chosen] = point
        return point

    monkeypatch.setattr(advice, "greedy", greedy)
    monkeypatch.setattr(advice, "pruned", lambda search, point, i: point)
    found = advice._found(search, pool, (6, 8))
    assert found["demand"] == holds
    assert advice._options(found) == [("demand", holds.chosen)]  # the busy week adds nothing


def door_and_wall() -> dict:
    """A catalogue of a better wall and two better doors (a room may need a door and walls)."""
    raw = two_measures()
    wall = raw["measures"][0]
    door = {**wall, "op": "door", "unit": "door", "slot": "door", "name": "Dør"}
    raw["measures"] = [
        wall,
        {**door, "id": "door-35", "value": 35, "cost": [2500, 5000, 10000]},
        {**door, "id": "door-42", "value": 42, "cost": [5000, 10000, 20000]},
    ]
    return raw


def test_door_and_wall_pairs_are_asked_best_bound_first_and_only_while_one_can_win():
    # on Slagelse every door with its room's walls was asked at once when no single measure
    # helped: 6 questions of 12-15 s, where the max-flow bounds rule most of them out
    from types import SimpleNamespace

    from roomplan.recommend import search as s
    from roomplan.recommend.evaluate import Figure
    from roomplan.recommend.search import Point

    plan = small_site().with_partition_rating("K", "G", Rating(40.0))
    pool = candidates(plan, one_morning(), CapacityOptions(), parse_catalogue(door_and_wall()))
    by_id = {c.id: c for c in pool}

    def pair(door: str, room: str) -> tuple:
        return s._canonical((by_id[f"{door}@D{room}"], by_id[f"wall-52@{room}"]))

    # 2000 kr/m2 x 4 m x 2.7 m of the wall R|W, 9 m of K|G, and the door
    i35, i42, o35, o42 = (
        pair("door-35", "R"),
        pair("door-42", "R"),
        pair("door-35", "K"),
        pair("door-42", "K"),
    )
    assert [cost_of(p).typical for p in (i35, i42, o35, o42)] == pytest.approx(
        [26600, 31600, 53600, 58600]
    )
    current = Point((), (Figure(20, 4, 4),))

    def run(optimistic: dict, actual: dict, budget: float | None = None):
        asked = []

        def evaluate(selections):
            asked.extend(selections)
            return [Point(c, (Figure(20, actual[c], actual[c]),)) for c in selections]

        search = SimpleNamespace(
            plan=plan,
            budget_dkk=budget,
            left=lambda: 100,
            affordable=lambda p: budget is None or p.cost.typical <= budget,
            evaluate=evaluate,
            optimistic=lambda sels: [(Figure(20, 4, optimistic[c]),) for c in sels],
        )
        best = s._pairs(search, pool, current, 0)
        return best.chosen if best else None, asked

    # the interview room's pairs, asked first (two at once), gain 6 for 26600: the office's
    # could gain at most 2 for 53600 and are not asked
    bounds = {i35: 10, i42: 10, o35: 6, o42: 6}
    best, asked = run(bounds, {i35: 10, i42: 10})
    assert best == i35 and asked == [i35, i42]
    # with bounds that let the office's pairs win, they are asked first, and lose
    bounds = {i35: 10, i42: 10, o35: 20, o42: 20}
    best, asked = run(bounds, {i35: 10, i42: 10, o35: 6, o42: 6})
    assert best == i35 and asked == [o35, o42, i35, i42]
    assert run(bounds, {i35: 10, i42: 10, o35: 20, o42: 20}) == (o35, [o35, o42])
    # over the budget, the office's pairs are never asked, however much they could hold
    assert run(bounds, {i35: 10, i42: 10}, budget=50000.0) == (i35, [i35, i42])


def test_a_measure_that_would_pass_the_budget_is_not_asked_again():
    # a ratio kept from an earlier step was asked again on a dearer selection, and the
    # answer thrown away as over budget
    from types import SimpleNamespace

    from roomplan.recommend import search as s
    from roomplan.recommend.evaluate import Figure
    from roomplan.recommend.search import Point

    plan = small_site().with_partition_rating("K", "G", Rating(40.0))
    pool = candidates(plan, one_morning(), CapacityOptions(), parse_catalogue(door_and_wall()))
    by_id = {c.id: c for c in pool}
    current = Point((by_id["wall-52@K"],), (Figure(20, 4, 8),))  # 48.600 kr.
    asked = []

    def evaluate(selections):
        asked.extend(selections)
        return [Point(c, (Figure(20, 6, 6),)) for c in selections]

    search = SimpleNamespace(
        plan=plan,
        budget_dkk=60000.0,
        left=lambda: 100,
        affordable=lambda p: p.cost.typical <= 60000.0,
        evaluate=evaluate,
    )
    stale = {c.id: 1e-6 for c in pool}
    stale["wall-52@R"] = 1.0  # 21.600 kr. more: over the budget
    best = s._step(search, pool, current, 0, stale, 2)
    assert best is not None and by_id["wall-52@R"] not in best.chosen
    assert all(cost_of(c).typical <= 60000.0 for c in asked) and asked
    assert stale["wall-52@R"] == -math.inf


def test_the_headline_counts_the_measures_in_words():
    # "held with 1 measure(s)", and "held with 0 measure(s)" where the plan holds as it is
    from roomplan.recommend import text as words

    answer = recommend(small_site(), one_morning(), small_options())
    assert words.target_line(answer, 0, "en").startswith(
        "Target 6 interviews a week: held with 1 measure for about DKK 21,600"
    )
    assert words.target_line(answer, 0, "da").startswith("Mål 6 samtaler om ugen: holdes med 1 ")
    private = small_site().with_partition_rating("R", "W", Rating(52.0))
    answer = recommend(private, one_morning(), small_options(targets=(2,)))
    assert answer.baseline[0].reaches
    assert words.target_line(answer, 0, "en") == (
        "Target 2 interviews a week: held as the plan is, with no measure."
    )
    assert words.target_line(answer, 0, "da") == (
        "Mål 2 samtaler om ugen: holdes som planen er, uden tiltag."
    )


def test_a_budget_too_small_for_any_measure_recommends_nothing():
    plan, week = small_site(), one_morning()
    answer = recommend(plan, week, small_options(budget_dkk=1000.0))
    assert answer.candidates == 0
    assert answer.reachable == (False,)
    option = answer.option("demand")
    assert option is None or not option.chosen


def test_the_answer_is_the_same_in_worker_processes():
    plan, week = small_site(), one_morning()
    here = recommend(plan, week, small_options())
    there = recommend(plan, week, small_options(processes=2))
    assert [(o.role, [c.id for c in o.chosen]) for o in here.options] == [
        (o.role, [c.id for c in o.chosen]) for o in there.options
    ]
    assert [o.results[0].schedule for o in here.options] == [
        o.results[0].schedule for o in there.options
    ]
    assert here.questions == there.questions


def test_the_catalogue_file_round_trips(tmp_path):
    path = tmp_path / "measures.json"
    path.write_text(json.dumps(read_catalogue().as_dict()), encoding="utf-8")
    assert read_catalogue(path) == read_catalogue()


def test_the_answer_is_the_same_on_a_dask_cluster():
    distributed = pytest.importorskip("distributed")
    plan, week = small_site(), one_morning()
    here = recommend(plan, week, small_options())
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        there = recommend(plan, week, small_options(scheduler=cluster.scheduler_address))
    assert [(o.role, [c.id for c in o.chosen]) for o in here.options] == [
        (o.role, [c.id for c in o.chosen]) for o in there.options
    ]
    assert here.fronts == there.fronts


def test_an_unreachable_scheduler_is_said_so():
    plan, week = small_site(), one_morning()
    with pytest.raises(ValueError, match="tcp://127.0.0.1:9"):
        recommend(plan, week, small_options(scheduler="tcp://127.0.0.1:9"))


# -- the command line -------------------------------------------------------------------------
def test_cli_recommend_within_a_budget_says_what_it_reaches(capsys):
    from roomplan.cli import main

    code = main(
        ["recommend", "floorplans/slagelse-oestre-skole.json", "--budget", "0", "--processes",
         "1", "--json", "--lang", "en"]
    )  # fmt: skip
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert out["targets"] == [237, 263]  # the demand and its 95th percentile week
    assert out["reachable"] == [False, False]
    (option,) = out["options"]
    assert [m["id"] for m in option["measures"]] == ["opening-hours@all"]
    # the figure is plan_capacity's on the edited plan: Friday open 9-15 like the other days
    from roomplan.plan import load_plan

    plan = load_plan("floorplans/slagelse-oestre-skole.json")
    friday = Week().replace(hours=(Week().hours[0],) * 5)
    again = plan_capacity(plan, friday, CapacityOptions(demand=237))
    assert option["results"][0]["held"] == again.held
    assert "DKK 0" in out["verdicts"][0] and "within DKK 0" in out["verdicts"][0]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--budget", "-5"], ["0"]),
        (["--budget", "nan"], ["0"]),
        (["--catalogue", "no-such-file.json"], ["no-such-file.json"]),
        (["--processes", "0"], ["64"]),
    ],
)
def test_cli_recommend_bad_input_names_the_fix(args, words, capsys):
    from roomplan.cli import main

    code = main(["--lang", "en", "recommend", "floorplans/slagelse-oestre-skole.json", *args])
    assert code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    for word in words:
        assert word in err


# -- how sure ---------------------------------------------------------------------------------
def test_the_assumption_that_decides_the_verdict_is_named_first():
    from roomplan.recommend.sensitivity import first_to_measure, sensitivity

    # the interview room's wall to the waiting room is assumed 45 dB: at 40 the room is heard
    # there, at 50 it is private; nothing else in this plan changes the answer as much
    plan = small_site().with_partition_rating("R", "W", Rating(45.0, "stud wall", "assumed"))
    week, options = one_morning(), CapacityOptions(demand=6)
    base, swings = sensitivity(plan, week, options)
    assert (base.held, base.bound) == (0, 0)
    wall = next(s for s in swings if s.assumed.what == "stud wall")
    assert wall.assumed.elements == ("R|W",)
    assert (wall.assumed.low, wall.assumed.high) == (40.0, 50.0)
    for figure, rw in ((wall.low, 40.0), (wall.high, 50.0)):
        edited = plan.with_partition_rating("R", "W", Rating(rw, "stud wall", "assumed"))
        assert figure.held == plan_capacity(edited, week, options).held
    assert wall.decides and wall in first_to_measure(swings)
    assert all(s.decides for s in swings[: swings.index(wall)])  # what decides comes first
    # last: every assumed value at its high end at once, asked on a plan edited by hand
    together = swings[-1]
    assert together.assumed.kind == "all" and together not in first_to_measure(swings)
    high = plan
    for p in plan.partitions:
        a, b = p.rooms
        high = high.with_partition_rating(a, b, p.rating.replace(rw=p.rating.rw + 5))
    for d in plan.doors:
        high = high.with_door(d.replace(rating=d.rating.replace(rw=d.rating.rw + 5)))
    high = high.replace(rooms=tuple(r.replace(noise_dba=r.noise_dba + 5) for r in plan.rooms))
    assert together.high.held == plan_capacity(high, week, options).held
    # a value far from deciding anything is not among the measurements to make first
    door = next(s for s in swings if s.assumed.kind == "door")
    assert door.size == 0 and door not in first_to_measure(swings)
    # what the CLI prints and writes: the measurement to make first, by name
    from roomplan.recommend import text as words

    said = words.sensitivity_lines(base, swings, "en")
    assert said[-1].startswith("Measure these first") and "'stud wall'" in said[-1]
    assert words.sensitivity_dict(base, swings)["measure_first"][0] in (
        "wall:stud wall",
        "noise:waiting",
    )


def test_the_sensitivity_asks_each_distinct_question_once():
    from roomplan.recommend.evaluate import Job, Runner, figures_of, question
    from roomplan.recommend.sensitivity import assumed_values, sensitivity

    class Counting(Runner):
        def __init__(self, processes: int) -> None:
            super().__init__(processes)
            self.asked: list[Job] = []

        def map(self, jobs, fn=figures_of):
            self.asked.extend(jobs)
            return super().map(jobs, fn)

    plan = small_site().with_partition_rating("R", "W", Rating(45.0, "stud wall", "assumed"))
    week, options = one_morning(), CapacityOptions(demand=6)
    runner = Counting(1)
    base, swings = sensitivity(plan, week, options, runner)
    questions = [question(j) for j in runner.asked]
    assert len(questions) == len(set(questions))
    # the groups' ends ask fewer questions than there are ends (many leave the spaces as
    # they are), and each figure is what its own edited plan gives when asked alone
    ends = 2 * len(assumed_values(plan)) + 2 + 1
    assert len(runner.asked) < ends
    one = options.replace(threads=1)
    for s in swings:
        for high, figure in ((False, s.low), (True, s.high)):
            (alone,) = figures_of(Job(s.assumed.end(plan, high), week, one, (6,)))
            assert figure == alone, (s.assumed.what, high)
    (alone,) = figures_of(Job(plan, week, one, (6,)))
    assert base == alone


def test_a_measured_rating_is_kept_in_the_file_and_is_no_longer_an_assumption(doc, tmp_path):
    from roomplan.plan import PlanError, load_plan, save_plan
    from roomplan.recommend.sensitivity import assumed_values

    door = next(f for f in doc["features"] if f["properties"]["feature"] == "door")
    door["properties"].update(rw=31, measured=True, source="ISO 16283-1, 2026-11-20")
    plan = load_plan(json.dumps(doc).encode())
    measured = next(d for d in plan.doors if d.rating.measured)
    assert measured.rating.rw == 31
    again = load_plan(save_plan(plan, tmp_path / "plan.json"))
    assert again == plan  # written and read back, still measured
    groups = assumed_values(plan)
    assert not any(measured.id in g.elements for g in groups)
    assert any(g.kind == "door" for g in groups)  # the other door is still assumed
    room = next(f for f in doc["features"] if f["properties"]["feature"] == "room")
    room["properties"].update(noise_dba=38, noise_measured=True)
    plan = load_plan(json.dumps(doc).encode())
    assert load_plan(save_plan(plan, tmp_path / "plan.json")) == plan
    assert plan.room(room["id"]).noise_measured
    assert not any(room["id"] in g.elements for g in assumed_values(plan) if g.kind == "noise")
    door["properties"]["measured"] = "yes"
    with pytest.raises(PlanError) as err:
        load_plan(json.dumps(doc).encode())
    assert "measured" in "\n".join(err.value.lines("en"))


def test_need_to_know_groups_hold_only_caseworkers(slagelse):
    # a rotation partner must be able to take over the case: the administrative colleagues
    # in offices 1.01 and 1.05 are never made members; 1.05 has no group to offer
    pool = candidates(slagelse, Week(), CapacityOptions(), read_catalogue())
    groups = {c.target: c.edits[0].target for c in pool if c.measure.op == "need_to_know"}
    assert groups["1.01"] == "S01,S02"
    assert "1.05" not in groups
    for members in groups.values():
        assert all(slagelse.member(s).holds_interviews for s in members.split(","))


# -- one budget over several sites ------------------------------------------------------------
def test_allocation_is_the_best_combination_within_the_budget():
    import itertools
    import random

    from roomplan.recommend.portfolio import allocate

    rng = random.Random(7)
    for _ in range(200):
        sites = []
        for _ in range(rng.randint(1, 4)):
            n = rng.randint(1, 4)
            costs = sorted(rng.sample(range(0, 50), n))
            costs[0] = 0  # the plan as it is
            helds = sorted(rng.sample(range(0, 30), n))
            sites.append(list(zip([float(c) for c in costs], helds, strict=True)))
        budget = rng.choice([None, float(rng.randint(0, 120))])
        picks = allocate(sites, budget)
        combos = [
            (sum(s[k][1] for s, k in zip(sites, ks, strict=True)),
             sum(s[k][0] for s, k in zip(sites, ks, strict=True)))
            for ks in itertools.product(*(range(len(s)) for s in sites))
        ]  # fmt: skip
        within = [(h, c) for h, c in combos if budget is None or c <= budget]
        most = max(h for h, _ in within)
        cheapest = min(c for h, c in within if h == most)
        assert picks is not None
        assert sum(s[k][1] for s, k in zip(sites, picks, strict=True)) == most
        assert sum(s[k][0] for s, k in zip(sites, picks, strict=True)) == cheapest


def test_one_budget_goes_where_it_holds_the_most(tmp_path, capsys):
    from roomplan.cli import main
    from roomplan.plan.files import save_plan
    from roomplan.recommend.portfolio import portfolio

    plan, week = small_site(), one_morning()
    partition = plan.partition("R", "W")
    wall = WALL_M2 * round(partition.length * partition.height, 1)
    sites = [(plan.replace(name="a"), week), (plan.replace(name="b"), week)]
    one_wall = portfolio(sites, small_options(budget_dkk=wall * 1.5), demands=[3, 6])
    assert [[c.id for c in s.chosen] for s in one_wall.sites] == [[], ["wall-52@R"]]
    assert one_wall.held == 6 and one_wall.cost.typical == pytest.approx(wall)
    for site, demand in zip(one_wall.sites, (3, 6), strict=True):
        edited, w, o = applied(site.recommendation.plan, week, CapacityOptions(), site.chosen)
        again = plan_capacity(edited, w, o.replace(demand=demand))
        assert (site.result.held, site.result.held_bound) == (again.held, again.held_bound)

    both = portfolio(sites, small_options(budget_dkk=wall * 2.5), demands=[3, 6])
    assert both.held == 9 and both.cost.typical == pytest.approx(2 * wall)

    for site, _ in sites:
        save_plan(site, tmp_path / f"{site.name}.json")
    catalogue = tmp_path / "measures.json"
    catalogue.write_text(json.dumps(two_measures()), encoding="utf-8")
    args = ["--lang", "en", "recommend", str(tmp_path / "a.json"), str(tmp_path / "b.json")]
    common = ["--catalogue", str(catalogue), "--processes", "1", "--move-minutes", "10"]
    three = ["--interviews", "3", "--interviews", "6", "--interviews", "1"]
    assert main([*args, *common, *three]) == 2
    said = capsys.readouterr().err
    assert "given 3 times, for 2 plans" in said and "once per plan" in said
    assert main([*args[:-1], *common, *three[:4]]) == 2  # "for 1 plan(s)"
    assert "given 2 times, for 1 plan: give it once." in capsys.readouterr().err
    assert main([*args, *common, "--target", "4"]) == 2
    assert "--target" in capsys.readouterr().err
    budget = ["--budget", str(wall * 1.5), "--interviews", "3", "--interviews", "6", "--json"]
    assert main([*args, *common, *budget]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [s["measures"] for s in out["sites"]] == [[], ["wall-52@R"]]
    assert [s["held"] for s in out["sites"]] == [0, 6] and out["held"] == 6
    assert main([*args, *common, *budget[:-1]]) == 0
    printed = capsys.readouterr().out
    assert "6 of 9 interviews a week" in printed and "b: 6 of 6 held" in printed


def test_a_portfolio_hands_each_site_the_days_its_search_solved(monkeypatch):
    import roomplan.recommend.portfolio as portfolio_module

    handed = []
    full = portfolio_module.full_answers
    monkeypatch.setattr(
        portfolio_module, "full_answers", lambda job: handed.append(job) or full(job)
    )
    plan, week = small_site(), one_morning()
    sites = [(plan.replace(name="a"), week), (plan.replace(name="b"), week)]
    answer = portfolio_module.portfolio(sites, small_options(budget_dkk=1e6), demands=[3, 6])
    assert len(handed) == 2
    for job in handed:
        assert job.days.days and all(key for key, _ in job.days.days)
    # the same figures as each edited plan asked from nothing
    for site, demand in zip(answer.sites, (3, 6), strict=True):
        edited, w, o = applied(site.recommendation.plan, week, CapacityOptions(), site.chosen)
        again = plan_capacity(edited, w, o.replace(demand=demand))
        assert (site.result.held, site.result.held_bound) == (again.held, again.held_bound)


def test_allocation_of_nothing_within_budget_is_none():
    from roomplan.recommend.portfolio import allocate

    assert allocate([[(5.0, 1)]], 1.0) is None
    assert allocate([[(0.0, 0), (5.0, 1)], [(0.0, 2)]], 4.0) == (0, 0)


def test_a_measured_value_entered_in_the_side_tables_replaces_the_assumption():
    from roomplan.plan.edit import apply_rows, room_tables, set_noise
    from roomplan.recommend.sensitivity import assumed_values

    plan = small_site()
    tables = room_tables(plan, "R")
    wall = next(row for row in tables["walls"] if row["room"] == "W")
    assert wall["measured"] is False
    wall.update(rw=53.0, measured=True)
    door = tables["doors"][0]
    door.update(measured=True)  # the assumed value was right: only marked as measured
    measured = apply_rows(plan, "R", tables)
    rating = measured.partition("R", "W").rating
    assert (rating.rw, rating.measured) == (53.0, True) and "16283" in rating.source
    assert measured.door(door["id"]).rating.measured
    assert measured.door(door["id"]).rating.rw == plan.door(door["id"]).rating.rw
    assert room_tables(measured, "R")["walls"] == tables["walls"]
    elements = {e for g in assumed_values(measured) for e in g.elements}
    assert "R|W" not in elements and door["id"] not in elements
    # the measured value changes the answer: 53 dB keeps the interview room private
    week, options = one_morning(), CapacityOptions(demand=6)
    assert plan_capacity(measured, week, options).held > plan_capacity(plan, week, options).held

    quiet = set_noise(plan, "W", 30.0, measured=True)
    assert quiet.room("W").noise_measured and quiet.room("W").noise_dba == 30.0
    assert "W" not in {e for g in assumed_values(quiet) if g.kind == "noise" for e in g.elements}
    with pytest.raises(EditError, match="0-120"):
        set_noise(plan, "W", 130.0)


def test_the_report_says_the_measures_their_cost_and_what_to_measure_first():
    import datetime as dt
    from dataclasses import replace

    from roomplan.recommend import text as words
    from roomplan.recommend.sensitivity import sensitivity
    from roomplan.report import Advice, ReportOptions, build_report, render

    plan = small_site().with_partition_rating("R", "W", Rating(45.0, "stud wall", "assumed"))
    week = one_morning()
    answer = recommend(plan, week, small_options())
    swings = sensitivity(plan, week, CapacityOptions(demand=6))
    advice = Advice(answer, swings)
    options = ReportOptions(week=week, demand=6, date=dt.date(2026, 11, 30), advice=advice)
    report = build_report(plan, options)
    titles = [s.title for s in report.sections]
    measures = titles.index("Hvad der bør ændres: tiltag, pris og gener")
    assert titles[measures - 1] == "Anbefalede tiltag"  # the weakest elements, as before
    assert titles[measures + 1] == "Hvor sikkert svaret er, og hvad der bør måles"
    assert titles[measures + 2 : measures + 4] == ["Forudsætninger og kilder", "Retsgrundlag"]
    section = report.sections[measures]
    rows = section.tables[0].rows  # the wall; without major building work, the booth
    assert [r[0] for r in rows] == ["Billigst for ugens behov", "Uden større byggearbejde"]
    row, option = rows[0], answer.options[0]
    assert row[1] == option.chosen[0].describe("da")
    assert row[2] == words.money(option.cost, "da")
    assert "6 af 6" in row[5]
    assert row[6] == "6: Lav: alle 6 samtaler kan holdes privat (bevist)"  # what the option leaves
    sens = report.sections[measures + 1]
    assert len(sens.tables[0].rows) == len(swings[1])
    assert any("stud wall" in p and "ISO 16283-1" in p for p in sens.paragraphs)
    md = render(report, "md").decode("utf-8")
    assert "Hvad der bør ændres" in md and "Bedre væg" in md
    # without advice the report has neither section
    plain = build_report(plan, replace(options, advice=None))
    assert len(plain.sections) == len(report.sections) - 2


def test_cost_against_disruption_gives_the_cheapest_at_each_level():
    from roomplan.recommend import text as words

    plan, week = small_site(), one_morning()
    answer = recommend(plan, week, small_options())
    levels = dict(answer.by_disruption)
    assert levels["none"] is None and levels["organisational"] is None
    booth, wall = levels["light_building"], levels["major_building"]
    assert booth is not None and [c.id for c in booth.chosen] == ["booth@X"]
    assert wall is not None and [c.id for c in wall.chosen] == ["wall-52@R"]
    rows = words.disruption_rows(answer, "en")
    assert [r["At most"] for r in rows] == ["light building work", "major building work"]
    assert rows[0]["Cost (typical, DKK)"] == "90,000"
    gentle = answer.option("gentle")
    assert gentle is not None and gentle.chosen == booth.chosen
    out = words.as_dict(answer, "en")["by_disruption"]
    assert [d["most"] for d in out] == ["light_building", "major_building"]


def test_cli_report_with_the_recommendation_and_how_sure(tmp_path, capsys):
    from roomplan.cli import main
    from roomplan.plan.files import save_plan

    path = save_plan(small_site(), tmp_path / "small.json")
    out = tmp_path / "r.md"
    args = ["--lang", "en", "report", str(path), "--out", str(out), "--interviews", "6"]
    assert main([*args, "--recommend", "--sensitivity", "--date", "2026-11-30"]) == 0
    text = out.read_text(encoding="utf-8").replace("\\", "")  # Markdown's escapes
    assert "What to change: measures, cost and disruption" in text
    assert "How sure the answer is, and what to measure" in text
    assert "every assumed value above at once" in text
    assert main([*args, "--date", "2026-11-30"]) == 0
    assert "What to change" not in out.read_text(encoding="utf-8")


def test_an_option_s_full_answer_asks_only_what_is_held():
    # the week's most without a demand limit is the slow search when the weekly caps bind,
    # and no option is judged by it: full_answers leaves it as its interval
    import random

    from roomplan.capacity import PlanCache
    from roomplan.recommend.advice import full_answers
    from roomplan.recommend.evaluate import Job
    from tests.brute import small_plan, two_day_week

    rng = random.Random(1011)  # caps bind: the capacity would be searched (5 of at most 5)
    plan, week = small_plan(rng), two_day_week(rng)
    options = CapacityOptions(demand=4, spread=(1, 1, 0, 0, 0), threads=1)
    (answer,) = full_answers(Job(plan, week, options, (4,)))
    full = plan_capacity(plan, week, options, cache=PlanCache(plan))
    assert (answer.held, answer.held_bound) == (full.held, full.held_bound) == (4, 4)
    assert answer.capacity_status == "not_searched" and full.capacity_status == "optimal"
    assert answer.capacity <= full.capacity == 5 <= answer.capacity_bound


@pytest.mark.parametrize("seed", [1007, 1011, 1018, 1031])
def test_an_option_s_full_answer_starts_from_the_days_its_question_solved(seed, monkeypatch):
    # the search's question solves each day (unpolished) in a worker; the option's full
    # answer, in another, searched those days again (the need-to-know option's hard day: 25 s
    # twice). The days now travel with the job: only their polish is left, the same answer
    import dataclasses
    import random

    import roomplan.capacity.engine as engine
    from roomplan.recommend.advice import full_answers
    from roomplan.recommend.evaluate import Job, answered, figures_of
    from tests.brute import small_plan, two_day_week

    rng = random.Random(seed)
    plan, week = small_plan(rng), two_day_week(rng)
    options = CapacityOptions(demand=4, spread=(1, 1, 0, 0, 0), threads=1)
    job = Job(plan, week, options, (4, 6))
    figures, days = answered(job)
    assert days.days and figures == figures_of(job)
    searches = []
    solve_both = engine.solve_both
    monkeypatch.setattr(
        engine, "solve_both", lambda *a, **k: searches.append(1) or solve_both(*a, **k)
    )
    fresh = full_answers(job)
    from_scratch = len(searches)
    seeded = full_answers(dataclasses.replace(job, days=days))
    assert from_scratch > 0 and len(searches) == from_scratch  # no day searched again
    assert [(r.held, r.held_bound, r.schedule) for r in seeded] == [
        (r.held, r.held_bound, r.schedule) for r in fresh
    ]
    # another plan's days are refused, not used
    other = small_plan(random.Random(seed + 1))
    with pytest.raises(ValueError, match="other private spaces"):
        full_answers(dataclasses.replace(job, plan=other, days=days))
    # a day the wall clock stopped may differ from run to run: it does not travel
    from roomplan.capacity import PlanCache

    cache = PlanCache(plan)
    cache.take_days(days)
    (key, solved), *_ = days.days
    cache.keep_day(key, dataclasses.replace(solved, status="safety_net"))
    assert key not in dict(cache.solved_days().days)


def test_the_recommendation_hands_each_option_the_days_its_search_solved(monkeypatch):
    import roomplan.recommend.advice as advice

    handed = []
    full = advice.full_answers
    monkeypatch.setattr(advice, "full_answers", lambda job: handed.append(job) or full(job))
    answer = recommend(small_site(), one_morning(), small_options())
    assert handed and answer.options
    for job in handed:
        assert job.days.days and all(key for key, _ in job.days.days)
    # the same figures as each edited plan asked from nothing (see the test above)
    for option in answer.options:
        again = plan_capacity(option.plan, option.week, option.options.replace(demand=6))
        assert (option.results[0].held, option.results[0].held_bound) == (
            again.held,
            again.held_bound,
        )


def test_a_short_name_is_never_empty():
    doc = two_measures()
    doc["measures"][0]["name"] = {"da": ": kun detaljer", "en": "(details only)"}
    pool = candidates(small_site(), one_morning(), CapacityOptions(), parse_catalogue(doc))
    wall = next(c for c in pool if c.measure.id == "wall-52")
    assert wall.short("da") == ": kun detaljer: R" and wall.short("en") == "(details only): R"
