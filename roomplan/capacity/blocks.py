"""A fast good schedule from whole blocks: each caseworker takes one role per open period.

In every open period (morning, afternoon) a caseworker either sits in an interview room for the
period (after the move, or set up before opening), holds interviews at their own desk while every
colleague who could hear it is in an interview room, or does neither. Interviews run back to back
from the start. The program over these roles is small (a few binaries per caseworker and period)
and covers the whole week at once, so the weekly caps are kept exactly; its schedule keeps every
rule of :mod:`.exact`. It is a lower bound: mixing roles within a period can do better, which
the exact program looks for. Where the blocks already hold the whole demand, they are optimal.

Spaces used: pooled interview rooms (no conditions) and desks without conflicting spaces; a
desk whose blocker is not a caseworker is used only while that person is away all period.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp

from roomplan.capacity.exact import POOL, Instance, pooled
from roomplan.capacity.schedule import Interview, Schedule, Stay


def block_schedule(
    inst: Instance,
    days: list[int],
    time_limit: float = 10.0,
    day_caps: dict[tuple[str, int], int] | None = None,
) -> Schedule:
    """The best schedule of whole-period roles for ``days`` (see the module docstring)."""
    week, plan = inst.week, inst.plan
    spaces, size = pooled(inst.spaces)
    # interview rooms free of conditions: the pools, and a lone one as a pool of one
    pools = [
        p
        for p in spaces
        if p.id.startswith(POOL) or (p.kind == "room" and not p.blockers and not p.conflicts)
    ]
    # a desk's conflicting spaces are other desks (kept idle below) or rooms the blocks never use
    desks = [p for p in spaces if p.kind == "desk" and p.owner in inst.caps]
    owner_of = {p.id: p.owner for p in desks}
    workers = list(inst.caseworkers)
    I, K = week.interview_minutes, week.move_minutes  # noqa: E741
    dark_limit = week.windowless_hours * 60

    cols: list[tuple] = []
    high: list[float] = []
    cost: list[float] = []

    def var(key: tuple, top: float, value: float) -> int:
        cols.append(key)
        high.append(top)
        cost.append(value)
        return len(cols) - 1

    rows: list[list[tuple[int, float]]] = []
    upper: list[float] = []

    def row(terms: list[tuple[int, float]], bound: float) -> None:
        if terms:
            rows.append(terms)
            upper.append(bound)

    def whole(staff: str, d: int, start: int, end: int) -> bool:
        return all(week.available(staff, d, m) for m in range(start, end, week.tick))

    periods = {}  # (d, s) -> (start, end, setup)
    for d in days:
        for s, (start, n) in enumerate(week.segments(d)):
            periods[(d, s)] = (start, start + n * week.tick, 0 if s == 0 else K)
    room_n: dict[tuple, int] = {}  # (c, d, s, pool) -> count column
    room_r: dict[tuple, int] = {}
    desk_n: dict[tuple, int] = {}
    desk_r: dict[tuple, int] = {}
    for (d, s), (start, end, setup) in periods.items():
        for c in workers:
            if not whole(c, d, start, end):
                continue
            most = (end - start - setup) // I
            for p in pools:
                if most <= 0 or (p.windowless and setup + I > dark_limit):
                    continue
                room_r[(c, d, s, p.id)] = var(("r", c, d, s, p.id), 1, 0.01 + 0.001 * p.windowless)
                room_n[(c, d, s, p.id)] = var(("n", c, d, s, p.id), most, -1.0)
                row([(room_n[(c, d, s, p.id)], 1.0), (room_r[(c, d, s, p.id)], -most)], 0.0)
                # nobody parks in a room: a room role holds at least one interview
                row([(room_r[(c, d, s, p.id)], 1.0), (room_n[(c, d, s, p.id)], -1.0)], 0.0)
        for p in desks:
            c = p.owner
            most = (end - start) // I
            if most <= 0 or not whole(c, d, start, end):
                continue
            blocking = [o for o in p.blockers if o != c and p.blocks(plan, o, c)]
            fixed = [o for o in blocking if o not in inst.caps]
            if any(
                any(week.available(o, d, m) for m in range(start, end, week.tick)) for o in fixed
            ):
                continue
            desk_r[(c, d, s)] = var(("dr", c, d, s, p.id), 1, 0.0)
            desk_n[(c, d, s)] = var(("dn", c, d, s, p.id), most, -1.0)
            row([(desk_n[(c, d, s)], 1.0), (desk_r[(c, d, s)], -most)], 0.0)
            for o in blocking:
                if o in fixed:
                    continue
                if not any(o == c2 for c2 in workers) or not whole(o, d, start, end):
                    if any(week.available(o, d, m) for m in range(start, end, week.tick)):
                        row([(desk_r[(c, d, s)], 1.0)], 0.0)  # present and not free to move
                    continue
                theirs = [k for k in room_r if k[0] == o and k[1] == d and k[2] == s]
                # the colleague is in an interview room for the whole of c's desk interviews
                row(
                    [(desk_r[(c, d, s)], 1.0)] + [(room_r[k], -1.0) for k in theirs],
                    0.0,
                )
                row(
                    [(desk_n[(c, d, s)], float(I))] + [(room_n[k], -float(I)) for k in theirs],
                    float(setup),
                )
    if not cols:
        return Schedule()
    for (d, s), (start, _end, _setup) in periods.items():
        for c in workers:
            # one role a period
            terms = [(room_r[k], 1.0) for k in room_r if k[:3] == (c, d, s)]
            if (c, d, s) in desk_r:
                terms.append((desk_r[(c, d, s)], 1.0))
            if len(terms) > 1:
                row(terms, 1.0)
            # back at the desk only after the move: not straight after a room without a break
            if s > 0 and (c, d, s) in desk_r:
                prev_end = periods[(d, s - 1)][1]
                if start - prev_end < K:
                    row(
                        [(desk_r[(c, d, s)], 1.0)]
                        + [(room_r[k], 1.0) for k in room_r if k[:3] == (c, d, s - 1)],
                        1.0,
                    )
        for p in pools:
            row([(room_r[k], 1.0) for k in room_r if k[1:] == (d, s, p.id)], float(size[p.id]))
        for p in desks:
            # conflicting desks are not used in the same period
            mine = desk_r.get((p.owner, d, s))
            for q in p.conflicts:
                other = desk_r.get((owner_of.get(q), d, s))
                if mine is not None and other is not None and q > p.id:
                    row([(mine, 1.0), (other, 1.0)], 1.0)
    for d in days:
        # the windowless limit, counted as the stays are
        for c in workers:
            terms = []
            for k, col in room_n.items():
                if k[0] == c and k[1] == d and _pool(pools, k[3]).windowless:
                    terms.append((col, float(I)))
                    terms.append((room_r[k], float(periods[(d, k[2])][2])))
            if terms:
                row(terms, float(dark_limit))
        if inst.demand[d] is not None:
            row(
                [(col, 1.0) for k, col in (*room_n.items(), *desk_n.items()) if k[1] == d],
                float(inst.demand[d]),
            )
    for c in workers:
        row(
            [(col, 1.0) for k, col in (*room_n.items(), *desk_n.items()) if k[0] == c],
            float(inst.caps[c]),
        )
        for (cc, d), n in (day_caps or {}).items():
            if cc == c and d in days:
                row(
                    [
                        (col, 1.0)
                        for k, col in (*room_n.items(), *desk_n.items())
                        if k[:2] == (c, d)
                    ],
                    float(n),
                )
    data, ri, ci = [], [], []
    for i, terms in enumerate(rows):
        for col, value in terms:
            ri.append(i)
            ci.append(col)
            data.append(value)
    a = sp.csr_matrix((data, (ri, ci)), shape=(len(rows), len(cols)))
    result = milp(
        np.asarray(cost),
        integrality=np.ones(len(cols)),
        bounds=Bounds(np.zeros(len(cols)), np.asarray(high, dtype=float)),
        constraints=[LinearConstraint(a, -np.inf, np.asarray(upper))],
        options={"time_limit": max(time_limit, 0.5), "presolve": True},
    )
    if result.x is None:
        return Schedule()
    return _to_schedule(inst, cols, np.round(result.x).astype(int), periods, pools)


def _pool(pools, pid: str):
    return next(p for p in pools if p.id == pid)


def _to_schedule(inst: Instance, cols, values, periods, pools) -> Schedule:
    week = inst.week
    I = week.interview_minutes  # noqa: E741
    by_id = {p.id: p for p in inst.spaces}
    counts = {key: int(v) for key, v in zip(cols, values, strict=True) if key[0] in ("n", "dn")}
    interviews: list[Interview] = []
    stays: list[Stay] = []
    taken: dict[tuple, list[str]] = defaultdict(list)
    for key, n in sorted(counts.items(), key=lambda kv: kv[0][1:]):
        if n <= 0:
            continue
        if key[0] == "n":
            _, c, d, s, pid = key
            start, end, setup = periods[(d, s)]
            members = pid.split(":", 2)[2].split(",") if pid.startswith(POOL) else [pid]
            space = by_id[next(m for m in members if m not in taken[(d, s, pid)])]
            taken[(d, s, pid)].append(space.id)
            first = start + setup
            stays.append(Stay(c, d, space.room, space.id, start, first + n * I))
        else:
            _, c, d, s, sid = key
            start, end, setup = periods[(d, s)]
            space, first = by_id[sid], start
        for k in range(n):
            interviews.append(
                Interview(c, d, first + k * I, first + (k + 1) * I, space.id, space.room)
            )
    interviews.sort(key=lambda i: (i.day, i.start, i.caseworker))
    stays.sort(key=lambda s: (s.day, s.start, s.caseworker))
    return Schedule(tuple(interviews), tuple(stays))
