"""Plan edits and scenarios: each edit gives a consistent plan or a clear refusal."""

import pytest

from roomplan.plan.checks import check_plan
from roomplan.plan.edit import (
    EditError,
    add_need_to_know,
    apply_rows,
    move_staff,
    room_tables,
    set_door,
    set_kind,
    set_masking,
    set_wall,
    split_office,
)
from roomplan.privacy import assess_privacy
from roomplan.scenarios import (
    NAMED,
    Edit,
    Scenario,
    best_text,
    changed_rooms,
    compare,
    named,
    ready_edits,
)

OFFICES = ("1.01", "1.02", "1.03", "1.04", "1.05")


def test_splitting_an_office_gives_one_office_per_desk_each_with_a_door(slagelse):
    plan = split_office(slagelse, "1.01")
    assert check_plan(plan) == []
    new = [r for r in plan.rooms if r.id.startswith("1.01")]
    assert [r.id for r in new] == ["1.01a", "1.01b", "1.01c"]
    assert sum(r.area for r in new) == pytest.approx(slagelse.room("1.01").area)
    for room in new:
        assert room.kind == "office"
        assert len(plan.desks_in(room.id)) == 1
        assert any(room.id in d.rooms and "1.00" in d.rooms for d in plan.doors)
    # the staff keep their desks, which moved into the new rooms
    assert {plan.occupants[d.id].id for r in new for d in plan.desks_in(r.id)} == {
        "S01",
        "S02",
        "S03",
    }
    assert slagelse.room("1.01").id == "1.01"  # the plan it came from is unchanged


def test_splitting_every_shared_office_makes_colleagues_stop_blocking_each_other(slagelse):
    plan = slagelse
    for office in OFFICES:
        plan = split_office(plan, office)
    result = assess_privacy(plan)
    for answer in result.positions:
        if answer.desk is None:
            continue
        same_room = {d for d in answer.empty_desks if plan.desk(d).room == answer.room}
        assert not same_room, answer.position


@pytest.mark.parametrize(
    "edit, key",
    [
        (lambda p: split_office(p, "1.10"), "cannot_split"),
        (lambda p: set_kind(p, "1.01", "interview"), "room_occupied"),
        (lambda p: set_kind(p, "1.01", "kitchen"), "unknown_kind"),
        (lambda p: set_kind(p, "9.99", "office"), "unknown_room"),
        (lambda p: set_door(p, "D1.11", 200), "bad_rating"),
        (lambda p: set_door(p, "nope", 35), "unknown_door"),
        (lambda p: set_wall(p, "1.01", "1.07", 52), "no_wall"),
        (lambda p: set_masking(p, "1.10", 90), "bad_masking"),
        (lambda p: add_need_to_know(p, ["S01", "X"], "team"), "bad_group"),
        (lambda p: move_staff(p, "S99", "1.06"), "unknown_staff"),
    ],
)
def test_impossible_edits_are_refused_with_words(slagelse, edit, key):
    with pytest.raises(EditError) as err:
        edit(slagelse)
    assert err.value.key == key
    assert err.value.message("da") and err.value.message("en") != err.value.message("da")


def test_turning_an_interview_room_into_an_office_for_a_caseworker(slagelse):
    plan = move_staff(slagelse, "S06", "1.06")
    assert plan.room("1.06").kind == "office"
    desk = plan.desk(plan.member("S06").desk)
    assert desk.room == "1.06" and desk.chair is not None
    assert check_plan(plan) == []
    assert "1.02-C" not in {d.id for d in plan.desks}


def test_side_tables_round_trip_and_apply(slagelse):
    tables = room_tables(slagelse, "1.11")
    assert apply_rows(slagelse, "1.11", tables) is slagelse  # nothing changed
    tables["doors"][0]["rw"] = 35
    tables["walls"] = [dict(row, rw=52) for row in tables["walls"]]
    plan = apply_rows(slagelse, "1.11", tables)
    assert plan.door("D1.11").rating.rw == 35
    assert plan.partition("1.11", "1.10").rating.rw == 52
    desks = room_tables(slagelse, "1.01")
    desks["desks"][0]["staff"] = None  # an empty cell
    assert apply_rows(slagelse, "1.01", desks).occupants.get("1.01-A") is None


def test_better_walls_and_door_make_the_small_room_private(slagelse):
    base = assess_privacy(slagelse).position("room:1.11").status
    fixed = Scenario(
        "1.11",
        (
            Edit("door", "D1.11", 35.0),
            Edit("wall", "1.10|1.11", 56.0),
            Edit("wall", "1.11|1.12", 56.0),
            Edit("wall", "1.00|1.11", 56.0),
            Edit("wall", "1.11|1.14", 56.0),
        ),
    ).apply(slagelse)
    assert base == "never"
    assert assess_privacy(fixed).position("room:1.11").status != "never"


def test_ready_edits_and_named_scenarios(slagelse):
    ops = {e.op for e in ready_edits(slagelse)}
    assert {"split_office", "door", "wall", "masking", "need_to_know", "to_office"} <= ops
    for name in NAMED:
        scenario = named(slagelse, name, "en")
        assert scenario.edits and check_plan(scenario.apply(slagelse)) == []
    with pytest.raises(EditError):
        named(slagelse, "demolish")


def test_compare_puts_the_baseline_first_and_splitting_helps(slagelse):
    split = Scenario("split", tuple(Edit("split_office", r) for r in OFFICES))
    hours = Scenario("long days", (Edit("hours", "all", "08:00-16:00"),))
    base, s, h = compare(slagelse, [split, hours])
    assert base.name == "" and base.row("en")["Scenario"] == "The plan as it is"
    assert s.capacity.held > base.capacity.held
    assert set(s.rooms_changed) >= {"1.01a", "1.05b"}
    assert h.capacity.week.hours[0].open == "08:00"
    assert h.capacity.held >= base.capacity.held
    assert s.moves >= 0 and s.windowless_hours >= 0
    assert changed_rooms(slagelse, slagelse) == ()


def test_bad_opening_hours_in_a_scenario_are_refused(slagelse):
    from roomplan.capacity import Week

    with pytest.raises(EditError):
        Scenario("x", (Edit("hours", "all", "late"),)).week(Week())
    with pytest.raises(EditError):
        Edit("demolish", "1.01")


def test_a_split_keeps_windows_doors_and_devices(slagelse):
    from roomplan.plan.model import Device

    camera = Device("C1", "camera", "1.01", (4.5, 4.5), direction_deg=180.0)
    plan = split_office(slagelse.replace(devices=(camera,)), "1.01")
    assert len(plan.windows) == len(slagelse.windows)
    assert any("1.01b" in w.rooms for w in plan.windows) and plan.room("1.01b").windows
    assert "D1.01" in {d.id for d in plan.doors}  # the old door stays, in the piece it is in
    assert plan.devices[0].room == "1.01c"
    # a ready edit on the old door still applies after the split
    Scenario("x", (Edit("split_office", "1.01"), Edit("door", "D1.01", 35.0))).apply(slagelse)


def test_a_desk_row_that_would_leave_someone_without_a_desk_is_refused(slagelse):
    with pytest.raises(EditError) as err:
        apply_rows(slagelse, "1.01", {"desks": [{"id": "1.01-A", "staff": "S04"}]})
    assert err.value.key == "desk_taken" and "S01" in err.value.message("en")
    emptied = apply_rows(slagelse, "1.01", {"desks": [{"id": "1.01-A", "staff": None}]})
    assert emptied.member("S01").desk is None  # asked for explicitly


def test_new_hours_for_every_day_leave_closed_days_closed():
    from roomplan.capacity import DayHours, Week

    week = Week(hours=(DayHours(),) * 4 + (DayHours(closed=True),))
    longer = Edit("hours", "all", "08:00-16:00").week(week)
    assert longer.hours[0].open == "08:00" and longer.hours[4].closed


def test_the_busy_week_holds_at_least_what_the_week_holds(slagelse):
    # issue 15: the comparison's busy week (263) for office 1.02 split read 108-142, below the
    # 128 the same plan holds, proven, of 237: a schedule for 237 serves 263 too when no day
    # asks less, and no week holds more than the proven most with unlimited demand
    from roomplan.capacity import CapacityOptions, plan_capacity

    split = Scenario("split 1.02", (Edit("split_office", "1.02"),))
    base, s = compare(slagelse, [split])
    assert (s.capacity.held, s.capacity.held_bound) == (128, 128)
    assert s.busy_demand == 263
    exact = plan_capacity(split.apply(slagelse), options=CapacityOptions(demand=263))
    assert exact.held_proven
    assert (s.busy.held, s.busy.bound) == (exact.held, exact.held)
    assert s.row("en")["In a busy week (263)"] == str(exact.held)
    assert (base.busy.held, base.busy.bound) == (92, 92)
    assert "Best for the week's 237 interviews: split 1.02, where 128 interviews" in best_text(
        [base, s], "en"
    )


def test_a_known_answer_is_trusted_only_where_it_proves_something(slagelse):
    from dataclasses import replace

    from roomplan.capacity import (
        Estimate,
        Schedule,
        _narrowed,
        capacity_estimate,
        plan_capacity,
        spread_demand,
    )

    plan = Scenario("split 1.02", (Edit("split_office", "1.02"),)).apply(slagelse)
    known = plan_capacity(plan)  # 128 of 237, proven (test above)
    weak = Estimate(100, 150, Schedule())
    busy = spread_demand(263)
    assert (_narrowed(weak, known, busy).held, _narrowed(weak, known, busy).bound) == (128, 128)
    # a day asking less now, or no limit in known: its schedule may not fit this demand
    assert _narrowed(weak, known, spread_demand(200)).held == 100
    assert _narrowed(weak, replace(known, demand_per_day=(None,) * 5), busy).held == 100
    with pytest.raises(ValueError, match="another plan"):
        capacity_estimate(slagelse, known=known)


def test_the_comparison_ranks_only_proven_figures_and_a_tie_keeps_the_plan(slagelse):
    from dataclasses import replace

    base, door = compare(slagelse, [Scenario("door", (Edit("door", "D1.01", 35.0),))])
    assert door.capacity.held == base.capacity.held  # a door nobody hears through
    said = best_text([base, door], "en")
    assert "no scenario holds more than the plan as it is (92)" in said
    unproven = replace(door, capacity=replace(door.capacity, held_bound=door.capacity.held + 5))
    said = best_text([base, unproven], "en")
    assert "cannot be ranked yet" in said and "Best for" not in said


def test_an_hours_edit_names_its_days_in_words():
    # "Åbningstid 09:00-15:00 (all)" and "(4)" were shown in the app and the report
    from roomplan.scenarios import Edit

    every, friday = Edit("hours", "all", "09:00-15:00"), Edit("hours", "4", "09:00-15:00")
    assert every.describe("da") == "Åbningstid 09:00-15:00 (alle åbne dage)"
    assert every.describe("en") == "Opening hours 09:00-15:00 (every open day)"
    assert friday.describe("da") == "Åbningstid 09:00-15:00 (fredag)"
    assert friday.describe("en") == "Opening hours 09:00-15:00 (Friday)"


def test_an_hours_edit_on_no_such_day_is_shown_as_given_and_refused_when_applied():
    from roomplan.capacity import Week
    from roomplan.plan.edit import EditError
    from roomplan.scenarios import Edit

    for day in ("9", "-1", "5"):  # -1 edited Friday's hours
        bad = Edit("hours", day, "09:00-15:00")
        assert bad.describe("da") == f"Åbningstid 09:00-15:00 ({day})"
        with pytest.raises(EditError) as refused:
            bad.week(Week())
        assert refused.value.message("da").startswith(f"Ugedagen '{day}' findes ikke")
