"""The capacity answer in words, Danish or English (through :mod:`roomplan.i18n`)."""

from __future__ import annotations

from typing import Any

from roomplan.capacity.bounds import Bottleneck
from roomplan.capacity.result import CapacityResult, Peak
from roomplan.capacity.week import WEEKDAYS, RoomUse, hhmm
from roomplan.i18n import fmt_num, t
from roomplan.plan.model import Plan


def _and(items: list[str], lang: str | None) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {t('word.and', lang)} {items[-1]}"


def _people(ids: list[str] | tuple[str, ...], lang: str | None, most: int = 6) -> str:
    ids = list(ids)
    if len(ids) <= most:
        return _and(ids, lang)
    return t("capacity.and_more", lang, first=", ".join(ids[:most]), n=len(ids) - most)


def times_text(ranges, lang: str | None = None) -> str:
    """ "mandag 09:00-12:00 og 13:00-15:00; tirsdag ..." from (day, start, end) minutes."""
    by_day: dict[int, list[str]] = {}
    for day, start, end in ranges:
        by_day.setdefault(day, []).append(f"{hhmm(start)}-{hhmm(end)}")
    # the same hours on several days are said once
    groups: dict[tuple, list[int]] = {}
    for day, spans in by_day.items():
        groups.setdefault(tuple(spans), []).append(day)
    parts = []
    for same, days in groups.items():
        names = _and([t(f"weekday.{WEEKDAYS[d]}", lang) for d in days], lang)
        parts.append(f"{names} {_and(list(same), lang)}")
    return "; ".join(parts)


def figure(value: int, bound: int, lang: str | None = None) -> str:
    """A figure as proven ("92") or as the interval proven ("92-96")."""
    if bound > value:
        return f"{fmt_num(value, 0, lang)}–{fmt_num(bound, 0, lang)}"
    return fmt_num(value, 0, lang)


def held_figure(result: CapacityResult, lang: str | None = None) -> str:
    """Interviews of the demand held privately: proven, or the interval proven."""
    return figure(result.held, result.held_bound, lang)


def capacity_figure(result: CapacityResult, lang: str | None = None) -> str:
    """Interviews the week could hold at most: proven, or the interval proven."""
    return figure(result.capacity, result.capacity_bound, lang)


def reason_text(result: CapacityResult, lang: str | None = None) -> str:
    """Why a figure is not proven, and what would settle it ("" when both are proven)."""
    reason = result.reason
    if reason is None:
        return ""
    return t(
        f"capacity.reason_{reason}",
        lang,
        work=fmt_num(result.work, 0, lang),
        seconds=fmt_num(sum(result.seconds.values()), 0, lang),
    )


def verdict(result: CapacityResult, lang: str | None = None) -> str:
    """The answer in one sentence, with the interval and its reason when not proven."""
    demand = fmt_num(result.demand, 0, lang)
    if result.can_hold:
        key = "capacity.verdict_yes" if result.capacity_proven else "capacity.verdict_yes_open"
        sentence = t(
            key,
            lang,
            demand=demand,
            headroom=fmt_num(result.headroom, 0, lang),
            most=fmt_num(max(result.capacity_bound - result.demand, 0), 0, lang),
        )
    elif result.held_proven:
        sentence = t(
            "capacity.verdict_no",
            lang,
            held=fmt_num(result.held, 0, lang),
            demand=demand,
            short=fmt_num(result.shortfall, 0, lang),
        )
    else:
        sentence = t(
            "capacity.verdict_open",
            lang,
            held=fmt_num(result.held, 0, lang),
            bound=fmt_num(result.held_bound, 0, lang),
            demand=demand,
        )
    reason = reason_text(result, lang)
    return f"{sentence} {reason}" if reason else sentence


def headline(
    result: CapacityResult,
    name: str,
    other: CapacityResult,
    other_name: str,
    lang: str | None = None,
) -> str:
    """Two plans' answers side by side in one sentence: the difference is the news, said
    only when both figures are proven."""
    diff = other.held - result.held
    if result.held_proven and other.held_proven:
        change = ("+" if diff >= 0 else "−") + fmt_num(abs(diff), 0, lang)
        key = "capacity.headline"
    else:
        change = ""
        key = "capacity.headline_open"
    return t(
        key,
        lang,
        a=name,
        b=other_name,
        held_a=held_figure(result, lang),
        held_b=held_figure(other, lang),
        demand=fmt_num(result.demand, 0, lang),
        diff=change,
    )


def cut_text(cut: Bottleneck, which: str, value: int, demand: int, lang: str | None = None) -> str:
    """What a bound's minimum cut says, in a sentence."""
    key = f"capacity.{which}_{cut.limited_by}"
    return t(
        key,
        lang,
        value=fmt_num(value, 0, lang),
        demand=fmt_num(demand, 0, lang),
        times=times_text(cut.busy, lang) or "-",
        people=_people(cut.waiting, lang) or "-",
    )


def bottleneck_text(result: CapacityResult, plan: Plan, lang: str | None = None) -> str:
    """The exact answer's bottleneck: when no private space is free, and who could still work."""
    if result.can_hold:
        return t("capacity.no_bottleneck", lang)
    full, waiting = result.full_times(plan)
    if not full:
        return t("capacity.bottleneck_people", lang)
    return t(
        "capacity.bottleneck",
        lang,
        times=times_text(full, lang),
        people=_people(waiting, lang) or "-",
        n=len(waiting),
    )


def memo_text(result: CapacityResult, lang: str | None = None) -> str:
    """The memo's arithmetic beside the exact answer."""
    m = result.memo_arithmetic()
    return t(
        "capacity.memo",
        lang,
        per_day=fmt_num(m["demand_per_day"], 1, lang),
        per_room=fmt_num(m["demand_per_room_per_day"], 1, lang),
        held_day=fmt_num(m["held_per_day"], 1, lang),
        spaces=fmt_num(m["spaces_used"], 0, lang),
        held_space=fmt_num(m["held_per_space_per_day"], 1, lang),
    )


def assumption_lines(result: CapacityResult, plan: Plan, lang: str | None = None) -> list[str]:
    """The settings the answer rests on, in words: the move after lunch, who without
    interviews sits at their desk when, and whether a colleague waiting in a room listens."""
    week = result.week
    lines = [t("capacity.rule_lunch_" + ("break" if week.move_in_breaks else "open"), lang)]
    quiet = [s.id for s in plan.staff if not s.holds_interviews and s.desk]
    away = {a.staff for a in week.absences}
    seated = [s for s in quiet if s not in away]
    if seated:
        lines.append(t("capacity.rule_seated", lang, n=len(seated), people=_people(seated, lang)))
    if not week.rooms_listen:
        lines.append(t("capacity.rule_rooms_deaf", lang))
    return lines + _staff_room_lines(result, lang)


def _staff_room_lines(result: CapacityResult, lang: str | None) -> list[str]:
    """When the staff rooms that hear an interview position are in use: the week's stated
    times, or the assumption that they are used only in the lunch break."""
    heard: dict[str, list[str]] = {}
    for p in result.spaces:
        for r in p.staff_rooms:
            heard.setdefault(r, []).append(p.room)
    lines = []
    for room, rooms in sorted(heard.items()):
        uses = [u for u in result.week.rooms_in_use if u.room == room]
        places = _and(list(dict.fromkeys(rooms)), lang)
        if not uses:
            lines.append(t("capacity.rule_staff_rooms_lunch", lang, rooms=room, heard=places))
            continue
        times = _and([_use_text(u, lang) for u in uses], lang)
        lines.append(
            t("capacity.rule_staff_rooms_used", lang, rooms=room, times=times, heard=places)
        )
    return lines


def _use_text(use: RoomUse, lang: str | None) -> str:
    """ "hver dag 11:30-13:00", "fredag hele dagen", "hele ugen"."""
    if use.day is None and use.start is None:
        return t("capacity.staff_room_always", lang)
    day = (
        t("capacity.staff_room_every_day", lang)
        if use.day is None
        else t(f"weekday.{WEEKDAYS[use.day]}", lang).lower()
    )
    hours = f"{use.start}-{use.end}" if use.start else t("capacity.staff_room_all_day", lang)
    return f"{day} {hours}"


def peak_fits(p: Peak, lang: str | None = None) -> str:
    """Whether a peak fits: "yes", "no: at most 71 of 73", or open with its interval."""
    if p.holds or p.held is None:
        return t("word.yes" if p.holds else "word.no", lang)
    numbers = {
        "held": fmt_num(p.held, 0, lang),
        "bound": fmt_num(p.held_bound or 0, 0, lang),
        "demand": fmt_num(p.demand, 0, lang),
    }
    return t("peak.fits_no" if p.settled else "peak.fits_open", lang, **numbers)


def peak_rows(result: CapacityResult, lang: str | None = None) -> list[dict[str, str]]:
    """The peak table: period, percentile, variance, demand, capacity, held or not."""
    rows = []
    for p in result.peaks:
        rows.append(
            {
                t("peak.period", lang): t(f"peak.{p.period}", lang),
                t("peak.percentile", lang): t(
                    f"peak.quantile_value_{p.period}",
                    lang,
                    q=fmt_num(100 * p.quantile, 0, lang),
                    every=fmt_num(round(1 / (1 - p.quantile)), 0, lang),
                ),
                t("peak.model", lang): t("peak.poisson", lang)
                if p.variance_factor == 1
                else t("peak.overdispersed", lang, f=fmt_num(p.variance_factor, 1, lang)),
                t("peak.demand", lang): fmt_num(p.demand, 0, lang),
                t("peak.capacity", lang): fmt_num(p.capacity, 0, lang),
                t("peak.holds", lang): peak_fits(p, lang),
            }
        )
    return rows


def as_dict(result: CapacityResult, plan: Plan, lang: str | None = None) -> dict[str, Any]:
    """The JSON form of a :class:`CapacityResult` (``docs/capacity.md``)."""
    full, waiting = result.full_times(plan)
    use = result.utilisation()
    return {
        "plan": result.plan_name,
        "verdict": verdict(result, lang),
        "demand": result.demand,
        "demand_per_day": list(result.demand_per_day),
        "held": result.held,
        "held_bound": result.held_bound,
        "held_proven": result.held_proven,
        "held_status": result.held_status,
        "capacity_proven": result.capacity_proven,
        "capacity_status": result.capacity_status,
        "optimal": result.optimal,
        "gap": round(result.gap, 4),
        "reason": reason_text(result, lang),
        "shortfall": result.shortfall,
        "headroom": result.headroom,
        "capacity": result.capacity,
        "capacity_bound": result.capacity_bound,
        "capacity_per_day": list(result.capacity_per_day),
        "bounds": {
            "lower": result.lower,
            "upper": result.upper,
            "lower_text": cut_text(result.lower_cut, "lower", result.lower, result.demand, lang),
            "upper_text": cut_text(result.upper_cut, "upper", result.upper, result.demand, lang),
        },
        "bottleneck": {
            "text": bottleneck_text(result, plan, lang),
            "full": [{"day": WEEKDAYS[d], "start": hhmm(a), "end": hhmm(b)} for d, a, b in full],
            "caseworkers_with_time": waiting,
        },
        "memo": {k: round(v, 2) for k, v in result.memo_arithmetic().items()},
        "peaks": [
            {
                "period": p.period,
                "quantile": p.quantile,
                "variance_factor": p.variance_factor,
                "demand": p.demand,
                "capacity": p.capacity,
                "held": p.held,
                "held_bound": p.held_bound,
                "holds": p.holds,
                "settled": p.settled,
            }
            for p in result.peaks
        ],
        "utilisation": {k: {i: round(v, 3) for i, v in d.items()} for k, d in use.items()},
        "room_changes": result.schedule.room_changes(),
        "windowless_minutes": sum(
            result.schedule.minutes_in({p.room for p in result.spaces if p.windowless}).values()
        ),
        "defaults": {"week": result.week.as_dict(), "spread": result.spread, "caps": result.caps},
        "work": round(result.work, 3),
        "seconds": {k: round(v, 3) for k, v in result.seconds.items()},
        "schedule": [
            {
                "caseworker": i.caseworker,
                "day": WEEKDAYS[i.day],
                "start": hhmm(i.start),
                "end": hhmm(i.end),
                "space": i.space,
                "room": i.room,
            }
            for i in result.schedule.interviews
        ],
    }
