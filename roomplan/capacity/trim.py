"""Fewer interviews, every rule kept: a schedule cut down to a demand, or to the weekly caps.

Dropping a desk interview changes nothing else. Dropping a room interview shortens its stay
(it now ends with the last interview left, or starts with the move before the first) or ends
it, which only frees rooms, time and windowless hours, except that a colleague who sat in that
room so that someone else could interview at their desk may now be back too early. So a drop
is taken only if every interview left still has each colleague who would hear it in a room
that does not hear it (:func:`_still_private`). Interviews are dropped latest first: desk
interviews, then those at spaces with conditions, then the rest.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import replace

from roomplan.capacity.problem import Problem
from roomplan.capacity.schedule import Interview, Schedule, Stay
from roomplan.capacity.spaces import Space


def trimmed(
    problem: Problem,
    schedule: Schedule,
    targets: Mapping[int, int],
) -> Schedule:
    """``schedule`` with at most ``targets[day]`` interviews a day, as far as drops keep every
    rule (a day where none does keeps more: the caller checks)."""
    by_id = {p.id: p for p in problem.spaces}
    interviews: list[Interview] = []
    stays: list[Stay] = []
    for day in sorted({i.day for i in schedule.interviews} | set(targets)):
        mine = [i for i in schedule.interviews if i.day == day]
        theirs = [s for s in schedule.stays if s.day == day]
        kept, kept_stays = _day(problem, by_id, mine, theirs, targets.get(day))
        interviews += kept
        stays += kept_stays
    interviews.sort(key=lambda i: (i.day, i.start, i.caseworker, i.space))
    stays.sort(key=lambda s: (s.day, s.start, s.caseworker, s.space))
    return Schedule(tuple(interviews), tuple(stays))


def within_caps(problem: Problem, schedule: Schedule, caps: Mapping[str, int]) -> Schedule:
    """``schedule`` with each caseworker's interviews cut to their weekly cap in ``caps``,
    latest day first, as far as drops keep every rule (the caller checks the caps)."""
    by_id = {p.id: p for p in problem.spaces}
    counts = schedule.per_caseworker()
    excess = {c: n - caps.get(c, 0) for c, n in counts.items() if n > caps.get(c, 0)}
    interviews: list[Interview] = []
    stays: list[Stay] = []
    for day in sorted({i.day for i in schedule.interviews}, reverse=True):
        mine = [i for i in schedule.interviews if i.day == day]
        theirs = [s for s in schedule.stays if s.day == day]
        kept, kept_stays = _day(problem, by_id, mine, theirs, None, excess)
        interviews += kept
        stays += kept_stays
    interviews.sort(key=lambda i: (i.day, i.start, i.caseworker, i.space))
    stays.sort(key=lambda s: (s.day, s.start, s.caseworker, s.space))
    return Schedule(tuple(interviews), tuple(stays))


def _day(
    problem: Problem,
    by_id: dict[str, Space],
    interviews: list[Interview],
    stays: list[Stay],
    target: int | None,
    excess: dict[str, int] | None = None,
) -> tuple[list[Interview], list[Stay]]:
    """The day cut to ``target`` interviews, or each caseworker's interviews cut by their
    ``excess`` (decremented as drops are made)."""
    needs = _needs(problem, by_id, interviews)
    stays_of: dict[str, list[Stay]] = defaultdict(list)
    for st in stays:
        stays_of[st.caseworker].append(st)
    kept = set(range(len(interviews)))

    order = sorted(
        range(len(interviews)),
        key=lambda k: (
            by_id[interviews[k].space].kind != "desk",
            not by_id[interviews[k].space].blockers,
            -interviews[k].start,
        ),
    )

    def wanted() -> bool:
        if excess is not None:
            return any(n > 0 for n in excess.values())
        return target is not None and len(kept) > target

    while order and wanted():
        for k in order:
            i = interviews[k]
            if excess is not None and excess.get(i.caseworker, 0) <= 0:
                continue
            mine = [interviews[j] for j in kept if interviews[j].caseworker == i.caseworker]
            left = _shortened(problem, stays_of[i.caseworker], mine, i)
            waiting = [interviews[j] for j in needs.get(i.caseworker, ()) if j in kept and j != k]
            if _still_private(problem, by_id, waiting, left, i.caseworker):
                kept.discard(k)
                stays_of[i.caseworker] = left
                order.remove(k)
                if excess is not None:
                    excess[i.caseworker] -= 1
                break
        else:
            break  # no drop keeps every rule
    return [interviews[k] for k in sorted(kept)], [s for v in stays_of.values() for s in v]


def _needs(
    problem: Problem, by_id: dict[str, Space], interviews: list[Interview]
) -> dict[str, list[int]]:
    """For each caseworker, the interviews (by index) that need them away from their desk."""
    plan = problem.plan
    out: dict[str, list[int]] = defaultdict(list)
    for k, i in enumerate(interviews):
        p = by_id[i.space]
        for o in p.blockers:
            if o != i.caseworker and o in problem.caps and p.blocks(plan, o, i.caseworker):
                out[o].append(k)
    return out


def _shortened(
    problem: Problem, stays: list[Stay], interviews: list[Interview], gone: Interview
) -> list[Stay]:
    """``gone``'s caseworker's stays once ``gone`` is dropped (``interviews``: theirs)."""
    move = problem.week.move_minutes
    out = []
    for s in stays:
        if not (s.space == gone.space and s.start <= gone.start and gone.end <= s.end):
            out.append(s)
            continue
        inside = [
            j
            for j in interviews
            if j is not gone and j.space == s.space and s.start <= j.start and j.end <= s.end
        ]
        if not inside:
            continue
        first = min(j.start for j in inside)
        start = s.start if first - s.start <= move else first - move
        out.append(replace(s, start=start, end=max(j.end for j in inside)))
    return out


def _still_private(
    problem: Problem,
    by_id: dict[str, Space],
    waiting: list[Interview],
    stays: list[Stay],
    who: str,
) -> bool:
    """Whether each interview in ``waiting`` (those that need ``who`` away) still has
    ``who`` in a room that does not hear it, whenever ``who`` is in."""
    week = problem.week
    for i in waiting:
        p = by_id[i.space]
        hears = set(p.conflicts) if week.rooms_listen else set()
        for m in range(i.start, i.end, week.tick):
            if week.available(who, i.day, m) and not any(
                s.day == i.day and s.start <= m < s.end and s.space != p.id and s.space not in hears
                for s in stays
            ):
                return False
    return True
