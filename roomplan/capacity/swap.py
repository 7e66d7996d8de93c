"""Caseworkers who can take each other's day: the weekly caps kept by swapping, not solving.

Two caseworkers can swap their day, every rule still kept, when on that day they are in at
the same times, share the same need-to-know, and either

- neither holds a desk interview that day and no interview that day needs either of them away
  from their desk (their place in the plan does not matter that day), or
- they are twins: exchanging the two, with their desks, maps the plan's private spaces onto
  themselves (the same conditions and conflicts, mirrored), as colleagues in a symmetric
  shared office are.

:func:`balanced` gives the busiest days to whoever has the most cap left.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from roomplan.capacity.problem import Problem
from roomplan.capacity.schedule import Schedule
from roomplan.capacity.spaces import Space


def _desk_of(spaces: list[Space]) -> dict[str, str]:
    return {p.owner: p.id for p in spaces if p.kind == "desk" and p.owner}


def _twins(problem: Problem, a: str, b: str) -> bool:
    """Whether exchanging ``a`` and ``b`` (and their desks) maps every space onto one."""
    plan = problem.plan
    if set(plan.member(a).need_to_know) != set(plan.member(b).need_to_know):
        return False
    spaces = list(problem.spaces)
    desk = _desk_of(spaces)
    if (a in desk) != (b in desk):
        return False
    people = {a: b, b: a}
    places = {desk[a]: desk[b], desk[b]: desk[a]} if a in desk else {}
    by_id = {p.id: p for p in spaces}
    for p in spaces:
        q = by_id.get(places.get(p.id, p.id))
        if q is None or (q.kind, q.windowless) != (p.kind, p.windowless):
            return False
        if q.owner != (people.get(p.owner, p.owner) if p.owner else None):
            return False
        if set(q.blockers) != {people.get(o, o) for o in p.blockers}:
            return False
        if set(q.conflicts) != {places.get(c, c) for c in p.conflicts}:
            return False
    return True


def twin_classes(problem: Problem) -> list[list[str]]:
    """Caseworkers grouped by twins (any permutation within a group keeps every rule)."""
    parent = {c: c for c in problem.caps}

    def root(c: str) -> str:
        while parent[c] != c:
            c = parent[c]
        return c

    people = sorted(problem.caps)
    for i, a in enumerate(people):
        for b in people[i + 1 :]:
            if root(a) != root(b) and _twins(problem, a, b):
                parent[root(b)] = root(a)
    groups: dict[str, list[str]] = {}
    for c in people:
        groups.setdefault(root(c), []).append(c)
    return sorted(groups.values())


def _classes(problem: Problem, schedule: Schedule, day: int, twins: list[list[str]]):
    """This day's groups of caseworkers who may take each other's day."""
    by_id = {p.id: p for p in problem.spaces}
    today = [i for i in schedule.interviews if i.day == day]
    needed = {o for i in today for o in by_id[i.space].blockers}
    at_desk = {i.caseworker for i in today if by_id[i.space].kind == "desk"}
    grid = problem.grids[day]
    plan = problem.plan
    groups: dict[tuple, list[str]] = {}
    twin_of = {c: k for k, group in enumerate(twins) for c in group}
    for c in problem.caps:
        present = grid.present[c]
        if c not in needed and c not in at_desk:
            key: tuple = ("any", present, tuple(sorted(plan.member(c).need_to_know)))
        else:
            key = ("twin", twin_of[c], present)
        groups.setdefault(key, []).append(c)
    return [sorted(g) for _, g in sorted(groups.items(), key=lambda kv: repr(kv[0]))]


def balanced(problem: Problem, schedule: Schedule) -> Schedule:
    """``schedule`` with caseworkers' days exchanged so the weekly caps are kept as far as
    giving the busiest days to those with the most cap left reaches."""
    twins = twin_classes(problem)
    desk = _desk_of(list(problem.spaces))
    counts = {(c, d): n for d in problem.open_days for c, n in _per_caseworker(schedule, d).items()}
    left = dict(problem.caps)
    plans: list[tuple[int, list[str]]] = [
        (d, group) for d in problem.open_days for group in _classes(problem, schedule, d, twins)
    ]
    # the groups' fixed members first: a group of one keeps its own day
    plans.sort(key=lambda dg: (len(dg[1]) > 1, dg[0]))
    mapping: dict[tuple[int, str], str] = {}
    for d, group in plans:
        roles = sorted(group, key=lambda c: (-counts.get((c, d), 0), c))
        takers = sorted(group, key=lambda c: (-left[c], c))
        for role, taker in zip(roles, takers, strict=True):
            mapping[(d, role)] = taker
            left[taker] -= counts.get((role, d), 0)
    rooms = {p.id: p.room for p in problem.spaces}
    return _relabelled(schedule, mapping, desk, rooms)


def _per_caseworker(schedule: Schedule, day: int) -> dict[str, int]:
    out: dict[str, int] = {}
    for i in schedule.interviews:
        if i.day == day:
            out[i.caseworker] = out.get(i.caseworker, 0) + 1
    return out


def _relabelled(
    schedule: Schedule,
    mapping: Mapping[tuple[int, str], str],
    desk: Mapping[str, str],
    rooms: Mapping[str, str],
) -> Schedule:
    """Each (day, caseworker)'s interviews and stays given to ``mapping``'s caseworker, desk
    interviews moved to the new caseworker's desk."""
    interviews = []
    for i in schedule.interviews:
        who = mapping.get((i.day, i.caseworker), i.caseworker)
        if who != i.caseworker and desk.get(i.caseworker) == i.space:
            interviews.append(replace(i, caseworker=who, space=desk[who], room=rooms[desk[who]]))
        else:
            interviews.append(replace(i, caseworker=who))
    stays = [
        replace(s, caseworker=mapping.get((s.day, s.caseworker), s.caseworker))
        for s in schedule.stays
    ]
    return Schedule(
        tuple(sorted(interviews, key=lambda i: (i.day, i.start, i.caseworker, i.space))),
        tuple(sorted(stays, key=lambda s: (s.day, s.start, s.caseworker, s.space))),
    )


def handed_over(problem: Problem, schedule: Schedule) -> Schedule:
    """``schedule`` with stays in interview rooms handed from caseworkers over their weekly
    cap to colleagues with cap left, where every rule still holds: the colleague is in and
    free for the stay and the moves round it, shares the same need-to-know, has windowless
    time left, and the one who hands over is not needed away from their desk then."""
    plan = problem.plan
    by_id = {p.id: p for p in problem.spaces}
    dark = {p.room for p in problem.spaces if p.windowless}
    interviews = list(schedule.interviews)
    stays = list(schedule.stays)
    count = schedule.per_caseworker()
    for k, stay in enumerate(list(stays)):
        giver = stay.caseworker
        if count.get(giver, 0) <= problem.caps.get(giver, 0):
            continue
        inside = [
            i
            for i in interviews
            if i.caseworker == giver
            and i.day == stay.day
            and i.space == stay.space
            and stay.start <= i.start
            and i.end <= stay.end
        ]
        needed = any(
            giver in by_id[i.space].blockers
            and i.caseworker != giver
            and i.day == stay.day
            and i.start < stay.end
            and stay.start < i.end
            and by_id[i.space].blocks(plan, giver, i.caseworker)
            for i in interviews
        )
        if needed:
            continue
        groups = set(plan.member(giver).need_to_know)
        takers = sorted(problem.caps, key=lambda c: (count.get(c, 0) - problem.caps[c], c))
        for taker in takers:
            if taker == giver or set(plan.member(taker).need_to_know) != groups:
                continue
            if count.get(taker, 0) + len(inside) > problem.caps[taker]:
                continue
            if not _free(problem, taker, stay, interviews, stays, dark):
                continue
            stays[k] = replace(stay, caseworker=taker)
            moved = set(map(id, inside))
            interviews = [replace(i, caseworker=taker) if id(i) in moved else i for i in interviews]
            count[giver] -= len(inside)
            count[taker] = count.get(taker, 0) + len(inside)
            break
    return Schedule(
        tuple(sorted(interviews, key=lambda i: (i.day, i.start, i.caseworker, i.space))),
        tuple(sorted(stays, key=lambda s: (s.day, s.start, s.caseworker, s.space))),
    )


def _free(problem: Problem, who: str, stay, interviews, stays, dark: set[str]) -> bool:
    """Whether ``who`` can take ``stay``: in all of it, nothing else within the move round
    it, and windowless time left that day."""
    week = problem.week
    day, move = stay.day, week.move_minutes
    if any(not week.available(who, day, m) for m in range(stay.start, stay.end, week.tick)):
        return False
    lo, hi = stay.start - move, stay.end + move
    if any(
        i.caseworker == who and i.day == day and i.start < hi and lo < i.end for i in interviews
    ):
        return False
    if any(s.caseworker == who and s.day == day and s.start < hi and lo < s.end for s in stays):
        return False
    if stay.room in dark:
        used = sum(
            s.end - s.start
            for s in stays
            if s.caseworker == who and s.day == day and s.room in dark
        )
        return used + stay.end - stay.start <= week.windowless_hours * 60
    return True
