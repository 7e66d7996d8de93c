"""The exact answer: an integer program over a time grid, solved with HiGHS (scipy.optimize.milp).

Variables, on the week's grid of ticks (10 minutes by default):

- ``x[c, p, d, s]``: caseworker c starts an interview at space p on day d at tick s (it lasts
  ``interview_ticks``);
- ``u[c, R, d, t]``: c is in room R at tick t without interviewing: the move into the room
  (setting up) or waiting there for the next interview.

The rules of the memo, each one family of constraints (see :func:`build`):

1. a caseworker is in one place at a time;
2. a room holds one caseworker at a time (interviewing, setting up or waiting);
3. the move: an interview in a room starts only after ``move_ticks`` in that room (setting up,
   or the previous interview there); the first move of the day is made before opening;
4. the move back: a desk interview starts only ``move_ticks`` after the caseworker left a room;
5. a wait in a room leads to an interview there (nobody parks in a room);
6. privacy: while an interview is held at p, every blocker of p (a colleague in earshot
   without need-to-know) is away or in an interview room, and every conflicting space is idle;
7. the windowless limit: at most ``windowless_ticks`` a day per caseworker in windowless rooms;
8. weekly caps per caseworker, and the demand per day.

The objective is the most interviews, then as few ticks in rooms outside interviews (moves,
waits) and in windowless rooms as possible; the secondary weights are too small to trade away
an interview.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from roomplan.capacity.schedule import Interview, Schedule, Stay
from roomplan.capacity.spaces import Space
from roomplan.capacity.week import Week
from roomplan.plan.model import Plan

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class Instance:
    """What the integer program needs: the plan (for staff and need-to-know), the week, the
    private spaces, the interviewing caseworkers with their weekly caps, and the demand per day
    (None: no limit, to find the capacity)."""

    plan: Plan
    week: Week
    spaces: tuple[Space, ...]
    caps: dict[str, int]
    demand: tuple[int | None, ...]

    @property
    def caseworkers(self) -> tuple[str, ...]:
        return tuple(self.caps)


@dataclass
class Solved:
    """A solved (part of the) model: the schedule, its size, the proven bound on it, whether
    it is proven optimal, and the solver's time."""

    schedule: Schedule
    interviews: int
    bound: float
    optimal: bool
    seconds: float
    status: str
    variables: int = 0
    constraints: int = 0


@dataclass
class _Model:
    cols: list = field(default_factory=list)  # (kind, c, p, d, s)
    cost: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    cols_of_row: list = field(default_factory=list)
    vals: list = field(default_factory=list)
    upper: list = field(default_factory=list)
    integer: list = field(default_factory=list)
    high: list = field(default_factory=list)
    n_rows: int = 0

    def var(self, key, cost: float, integer: bool = True, high: float = 1.0) -> int:
        self.cols.append(key)
        self.cost.append(cost)
        self.integer.append(integer)
        self.high.append(high)
        return len(self.cols) - 1

    def row(self, terms: dict[int, float] | list[tuple[int, float]], upper: float) -> None:
        items = terms.items() if isinstance(terms, dict) else terms
        any_term = False
        for col, val in items:
            if val:
                self.rows.append(self.n_rows)
                self.cols_of_row.append(col)
                self.vals.append(val)
                any_term = True
        if any_term:
            self.upper.append(upper)
            self.n_rows += 1


def _can_set_up(tk: list[tuple[int, int]], here: list[bool], s: int, k: int) -> bool:
    """Whether a caseworker can be in the room for the ``k`` ticks before tick ``s``: inside
    the same open period, or before opening (staff arrive before the citizens do)."""
    for i in range(s - k, s):
        if i < 0:
            if tk[s][1] != 0:
                return False
        elif tk[i][1] != tk[s][1] or not here[i]:
            return False
    return True


POOL = "pool:"


def pooled(spaces: Sequence[Space]) -> tuple[list[Space], dict[str, int]]:
    """Interview rooms with no conditions (nobody can hear them, no conflicts) are
    interchangeable: each class (windowless or not) becomes one pooled space holding as many
    caseworkers as it has rooms. Stays are intervals, so a pool never holding more than k at a
    time can always be given k actual rooms afterwards (:func:`_schedule`). Returns the spaces
    for the program and each one's size."""
    free = [p for p in spaces if p.kind == "room" and not p.blockers and not p.conflicts]
    out = [p for p in spaces if p not in free]
    size = {p.id: 1 for p in out}
    for windowless in (False, True):
        members = [p for p in free if p.windowless == windowless]
        if len(members) == 1:
            out.append(members[0])
            size[members[0].id] = 1
        elif members:
            pid = f"{POOL}{'dark' if windowless else 'light'}:" + ",".join(p.id for p in members)
            out.append(Space(pid, pid, "room", None, (), (), windowless))
            size[pid] = len(members)
    return out, size


def _day_ticks(week: Week, day: int) -> list[tuple[int, int]]:
    """(minute, segment) of each open tick of ``day``."""
    out = []
    for k, (start, n) in enumerate(week.segments(day)):
        out += [(start + i * week.tick, k) for i in range(n)]
    return out


def build(
    inst: Instance,
    days: Sequence[int],
    day_caps: dict[tuple[str, int], int] | None = None,
):
    """The integer program for ``days``: (model, tick tables). ``day_caps`` limits each
    caseworker per day (a share of the weekly cap)."""
    plan, week = inst.plan, inst.week
    spaces, size = pooled(inst.spaces)
    workers = inst.caseworkers
    is_worker = set(workers)
    D, K = week.interview_ticks, week.move_ticks
    rooms = [p for p in spaces if p.kind == "room"]
    m = _Model()
    n_u = sum(len(_day_ticks(week, d)) for d in days) * max(len(workers), 1) * max(len(rooms), 1)
    # the secondary terms together weigh under half an interview: they never cost one
    eps_wait = 0.3 / (n_u + 1)
    eps_dark = 0.05 / (n_u * 4 + 1)
    ticks = {d: _day_ticks(week, d) for d in days}
    present = {}  # (staff, d) -> list of bools
    staff_ids = {s.id for s in plan.staff}
    for d in days:
        for sid in staff_ids:
            present[(sid, d)] = [week.available(sid, d, minute) for minute, _ in ticks[d]]

    # a space needs its interviewing blockers in rooms at once, one person per room (waiting
    # counts: a conflicting room may hold someone who is not interviewing)
    room_slots = {p.id: sum(size[r.id] for r in rooms) - (p.kind == "room") for p in spaces}

    x_at = defaultdict(list)  # (c, p, d, t) -> x columns covering tick t
    x_start = {}  # (c, p, d, s) -> column
    last_start: dict[tuple[str, str, int], int] = {}
    u_col = {}  # (c, p, d, t) -> column
    for d in days:
        tk = ticks[d]
        n = len(tk)
        for c in workers:
            here = present[(c, d)]
            for p in spaces:
                if p.kind == "desk" and p.owner != c:
                    continue
                # blockers who are not caseworkers sit at their desks whenever they are in
                blocking = [o for o in p.blockers if o != c and p.blocks(plan, o, c)]
                fixed = [o for o in blocking if o not in is_worker]
                moving = [o for o in blocking if o in is_worker]
                for s in range(n):
                    if s + D > n or tk[s + D - 1][1] != tk[s][1]:
                        continue
                    if not all(here[s : s + D]):
                        continue
                    if p.kind == "room" and not _can_set_up(tk, here, s, K):
                        continue
                    if any(any(present[(o, d)][s : s + D]) for o in fixed):
                        continue
                    if (
                        max(sum(present[(o, d)][i] for o in moving) for i in range(s, s + D))
                        > room_slots[p.id]
                    ):
                        continue
                    col = m.var(
                        ("x", c, p.id, d, s), -1.0 + (eps_dark * D if p.windowless else 0.0)
                    )
                    x_start[(c, p.id, d, s)] = col
                    last_start[(c, p.id, d)] = s
                    for i in range(s, s + D):
                        x_at[(c, p.id, d, i)].append(col)
            for p in rooms:
                last = last_start.get((c, p.id, d), -1)
                for t in range(n - 1):
                    # a wait must lead to an interview of c in p later the same day
                    if here[t] and tk[t + 1][1] == tk[t][1] and t < last:
                        u_col[(c, p.id, d, t)] = m.var(
                            ("u", c, p.id, d, t), eps_wait + (eps_dark if p.windowless else 0.0)
                        )

    def in_room(c: str, d: int, t: int) -> list[int]:
        return [
            col
            for p in rooms
            for col in (*x_at.get((c, p.id, d, t), ()), u_col.get((c, p.id, d, t)))
            if col is not None
        ]

    room_ids = {p.id for p in rooms}
    for d in days:
        n = len(ticks[d])
        for c in workers:
            for t in range(n):
                # 1. one place at a time
                terms = [(col, 1.0) for p in spaces for col in x_at.get((c, p.id, d, t), ())]
                terms += [(u_col[(c, p.id, d, t)], 1.0) for p in rooms if (c, p.id, d, t) in u_col]
                if len(terms) > 1:
                    m.row(terms, 1.0)
        for p in rooms:
            for t in range(n):
                # 2. a room holds one caseworker (a pool of rooms as many as it has rooms)
                terms = [(col, 1.0) for c in workers for col in x_at.get((c, p.id, d, t), ())]
                terms += [
                    (u_col[(c, p.id, d, t)], 1.0) for c in workers if (c, p.id, d, t) in u_col
                ]
                if len(terms) > size[p.id]:
                    m.row(terms, float(size[p.id]))
    for (c, pid, d, s), col in x_start.items():
        for k in range(1, K + 1):
            if pid in room_ids and s - k >= 0:
                # 3. the move: in the room for the K ticks before the interview
                before = [u_col.get((c, pid, d, s - k))] + list(x_at.get((c, pid, d, s - k), ()))
                m.row([(col, 1.0)] + [(b, -1.0) for b in before if b is not None], 0.0)
            elif s - k >= 0:
                # 4. the move back to the desk
                m.row([(col, 1.0)] + [(b, 1.0) for b in in_room(c, d, s - k)], 1.0)
    for (c, pid, d, t), col in u_col.items():
        # 5. a wait leads to an interview in the same room ...
        nxt = [u_col.get((c, pid, d, t + 1)), x_start.get((c, pid, d, t + 1))]
        m.row([(col, 1.0)] + [(b, -1.0) for b in nxt if b is not None], 0.0)
        # ... and follows one there, unless it is the move just before the first interview
        tk = ticks[d]
        before = []
        if t > 0 and tk[t - 1][1] == tk[t][1]:  # nobody waits in a room over lunch
            before = [u_col.get((c, pid, d, t - 1)), *x_at.get((c, pid, d, t - 1), ())]
        before += [x_start.get((c, pid, d, t + k)) for k in range(1, K + 1)]
        m.row([(col, 1.0)] + [(b, -1.0) for b in before if b is not None], 0.0)
    by_id = {p.id: p for p in spaces}
    done_pairs = set()
    for p in spaces:
        users = [c for c in workers if p.kind == "room" or p.owner == c]
        for d in days:
            n = len(ticks[d])
            for o in p.blockers:
                if o not in is_worker:
                    continue
                for t in range(n):
                    if not present[(o, d)][t]:
                        continue
                    # 6a. privacy: a blocker in earshot is away or in an interview room
                    terms = [
                        (col, 1.0)
                        for c in users
                        if c != o and p.blocks(plan, o, c)
                        for col in x_at.get((c, p.id, d, t), ())
                    ]
                    if terms:
                        m.row(terms + [(b, -1.0) for b in in_room(o, d, t)], 0.0)
            for q in p.conflicts:
                key = (min(p.id, q), max(p.id, q), d)
                if q not in by_id or key in done_pairs:
                    continue
                done_pairs.add(key)
                for t in range(n):
                    # 6b. privacy: the conflicting space is idle
                    terms = [
                        (col, 1.0)
                        for c in workers
                        for sid in (p.id, q)
                        for col in x_at.get((c, sid, d, t), ())
                    ]
                    if len(terms) > 1:
                        m.row(terms, 1.0)
    _counting_cuts(
        m, inst, days, ticks, present, x_at, u_col, rooms, sum(size[r.id] for r in rooms)
    )
    dark = [p for p in rooms if p.windowless]
    if dark:
        for c in workers:
            for d in days:
                # 7. the windowless limit
                terms: dict[int, float] = defaultdict(float)
                for p in dark:
                    for t in range(len(ticks[d])):
                        for col in x_at.get((c, p.id, d, t), ()):
                            terms[col] += 1.0
                        if (c, p.id, d, t) in u_col:
                            terms[u_col[(c, p.id, d, t)]] += 1.0
                if terms and sum(terms.values()) > week.windowless_ticks:
                    m.row(terms, float(week.windowless_ticks))
    _break_symmetry(m, inst, days, ticks, present, x_start)
    per_worker: dict[str, list[int]] = defaultdict(list)
    per_worker_day: dict[tuple[str, int], list[int]] = defaultdict(list)
    per_day: dict[int, list[int]] = defaultdict(list)
    for (c, _pid, d, _s), col in x_start.items():
        per_worker[c].append(col)
        per_worker_day[(c, d)].append(col)
        per_day[d].append(col)
    for c, cols in per_worker.items():
        # 8. caps
        if len(cols) > inst.caps[c]:
            m.row([(col, 1.0) for col in cols], float(inst.caps[c]))
    for (c, d), cols in per_worker_day.items():
        cap = (day_caps or {}).get((c, d))
        if cap is not None and len(cols) > cap:
            m.row([(col, 1.0) for col in cols], float(cap))
    for d, cols in per_day.items():
        # 8. demand
        if inst.demand[d] is not None and len(cols) > inst.demand[d]:
            m.row([(col, 1.0) for col in cols], float(inst.demand[d]))
    return m, ticks


def _break_symmetry(m: _Model, inst: Instance, days, ticks, present, x_start) -> None:
    """Caseworkers who differ in nothing the model sees (same hours, cap and need-to-know, no
    usable desk, blocking no space) can swap schedules; ordering their daily counts removes
    the copies without losing any schedule's size."""
    plan = inst.plan
    blocking = {o for p in inst.spaces for o in p.blockers}
    owners = {p.owner for p in inst.spaces if p.kind == "desk"}
    classes: dict[tuple, list[str]] = defaultdict(list)
    for c in inst.caseworkers:
        if c in blocking or c in owners:
            continue
        hours = tuple(tuple(present[(c, d)]) for d in days)
        classes[(hours, inst.caps[c], tuple(sorted(plan.member(c).need_to_know)))].append(c)
    cols: dict[tuple[str, int], list[int]] = defaultdict(list)
    for (c, _pid, d, _s), col in x_start.items():
        cols[(c, d)].append(col)
    for members in classes.values():
        for a, b in zip(members, members[1:], strict=False):
            for d in days:
                # interviews of b that day <= interviews of a
                m.row(
                    [(col, 1.0) for col in cols[(b, d)]] + [(col, -1.0) for col in cols[(a, d)]],
                    0.0,
                )


def _counting_cuts(
    m: _Model, inst: Instance, days, ticks, present, x_at, u_col, rooms, n_rooms: int
) -> None:
    """Valid inequalities that make the linear relaxation count rooms (they cut off no schedule).

    A desk interview needs all its interviewing blockers in rooms at once, one per room. So
    (a) two desks whose blockers together outnumber the rooms are never in use together, and
    (b) while a desk with |B| blockers is in use, at most R - |B| others are in rooms (added
    where the blockers take more than half the rooms; elsewhere it rarely bites)."""
    plan, workers = inst.plan, set(inst.caseworkers)
    desks = [p for p in inst.spaces if p.kind == "desk"]
    for d in days:
        for t in range(len(ticks[d])):
            need = {}
            for p in desks:
                blockers = {
                    o
                    for o in p.blockers
                    if o in workers
                    and o != p.owner
                    and present[(o, d)][t]
                    and p.blocks(plan, o, p.owner)
                }
                cols = list(x_at.get((p.owner, p.id, d, t), ()))
                if cols:
                    need[p.id] = (blockers, cols)
            ids = sorted(need)
            for i, a in enumerate(ids):
                for b in ids[i + 1 :]:
                    if len(need[a][0] | need[b][0]) > n_rooms:
                        m.row([(c, 1.0) for c in need[a][1] + need[b][1]], 1.0)  # (a)
            for blockers, cols in need.values():
                if 2 * len(blockers) <= n_rooms:
                    continue  # the blockers take few of the rooms: the cut would rarely bite
                others = [
                    col
                    for c in workers - blockers
                    for r in rooms
                    for col in (*x_at.get((c, r.id, d, t), ()), u_col.get((c, r.id, d, t)))
                    if col is not None
                ]
                if others:
                    m.row(
                        [(c, float(len(blockers))) for c in cols] + [(c, 1.0) for c in others],
                        float(n_rooms),
                    )  # (b)


def relaxation_bound(inst: Instance, days: Sequence[int], day_caps=None) -> int:
    """The linear relaxation's bound on the interviews of ``days`` (the secondary penalties
    weigh under half an interview, so rounding recovers the count)."""
    m, _ = build(inst, days, day_caps)
    n = len(m.cols)
    if n == 0:
        return 0
    a = sp.csr_matrix((m.vals, (m.rows, m.cols_of_row)), shape=(m.n_rows, n))
    relaxed = linprog(
        np.asarray(m.cost),
        A_ub=a if m.n_rows else None,
        b_ub=np.asarray(m.upper, dtype=float) if m.n_rows else None,
        bounds=np.column_stack([np.zeros(n), np.asarray(m.high, dtype=float)]),
        method="highs",
    )
    if relaxed.status != 0:
        return int(sum(1 for key in m.cols if key[0] == "x"))
    return int(np.floor(-relaxed.fun + 0.5 + 1e-9))


def solve(inst: Instance, days: Sequence[int], time_limit: float, day_caps=None) -> Solved:
    """Build and solve the program for ``days``: the best schedule found and a proven bound.

    1. The linear relaxation bounds the interviews (its penalties are under half an interview).
    2. Fixing the starts the relaxation decides (0 or 1) leaves a small program whose schedule
       is feasible for the whole; if it reaches the bound it is optimal.
    3. Otherwise HiGHS searches the whole program for at least one interview more, within the
       time left; proving there is none proves the schedule optimal.
    """
    started = time.perf_counter()
    m, ticks = build(inst, days, day_caps)
    n = len(m.cols)
    if n == 0:
        return Solved(Schedule(), 0, 0.0, True, time.perf_counter() - started, "empty")
    cost = np.asarray(m.cost)
    integer = np.asarray(m.integer, dtype=float)
    top = np.asarray(m.high, dtype=float)
    a = sp.csr_matrix((m.vals, (m.rows, m.cols_of_row)), shape=(m.n_rows, n))
    upper = np.asarray(m.upper, dtype=float)
    is_x = np.array([key[0] == "x" for key in m.cols])

    def interviews(values: np.ndarray) -> int:
        return int(np.round(values[is_x]).sum())

    relaxed = linprog(
        cost,
        A_ub=a if m.n_rows else None,
        b_ub=upper if m.n_rows else None,
        bounds=np.column_stack([np.zeros(n), top]),
        method="highs",
    )
    bound = float(np.floor(-relaxed.fun + 0.5 + 1e-9)) if relaxed.status == 0 else float(is_x.sum())
    best, status = None, "relaxation"
    if relaxed.status == 0:
        low = np.zeros(n)
        high = top.copy()
        decided = is_x & ((relaxed.x < 0.01) | (relaxed.x > 0.99))
        low[decided & (relaxed.x > 0.99)] = 1.0
        high[decided & (relaxed.x < 0.01)] = 0.0
        fixed = _milp(cost, a, upper, low, high, integer, min(time_limit, 10.0))
        if fixed.x is not None:
            best, status = fixed.x, "rounded"
    found = interviews(best) if best is not None else 0
    if found < bound:
        left = max(time_limit - (time.perf_counter() - started), 1.0)
        more = sp.vstack([a, sp.csr_matrix(-is_x.astype(float))]) if best is not None else a
        more_upper = np.append(upper, -(found + 1.0)) if best is not None else upper
        search = _milp(
            cost, more, more_upper, np.zeros(n), top, integer, left, gap=0.45 / max(bound, 1.0)
        )
        if search.x is not None and interviews(search.x) > found:
            best, found, status = search.x, interviews(search.x), search.message
        if search.status == 2:  # no schedule with one interview more: the one found is optimal
            bound, status = float(found), "optimal"
        elif getattr(search, "mip_dual_bound", None) is not None and np.isfinite(
            search.mip_dual_bound
        ):
            bound = min(bound, float(np.floor(-search.mip_dual_bound + 0.5 + 1e-9)))
        if search.status == 0:
            bound = float(found)
    bound = max(bound, float(found))
    chosen = [m.cols[i] for i in np.flatnonzero(best > 0.5)] if best is not None else []
    schedule = _schedule(inst, chosen, ticks)
    return Solved(
        schedule,
        len(schedule),
        bound,
        bound <= len(schedule),
        time.perf_counter() - started,
        status,
        n,
        m.n_rows,
    )


def _milp(cost, a, upper, low, high, integer, time_limit: float, gap: float = 1e-6):
    return milp(
        cost,
        integrality=integer,
        bounds=Bounds(low, high),
        constraints=[LinearConstraint(a, -np.inf, upper)] if a.shape[0] else [],
        options={"time_limit": max(time_limit, 0.5), "presolve": True, "mip_rel_gap": gap},
    )


def _schedule(inst: Instance, chosen: list, ticks: dict[int, list[tuple[int, int]]]) -> Schedule:
    week = inst.week
    by_id = {p.id: p for p in inst.spaces}
    starts = []
    in_room: dict[tuple[str, int], dict[int, str]] = defaultdict(dict)
    for kind, c, pid, d, s in chosen:
        if kind == "x":
            starts.append((c, pid, d, s))
            if pid.startswith(POOL) or by_id[pid].kind == "room":
                for i in range(s, s + week.interview_ticks):
                    in_room[(c, d)][i] = pid
        else:
            in_room[(c, d)][s] = pid
    runs = []  # (c, d, pid, first tick, last tick)
    for (c, d), at in in_room.items():
        run = None
        for i in sorted(at):
            same_period = run and ticks[d][i][1] == ticks[d][run[4]][1]
            if run and at[i] == run[2] and i == run[4] + 1 and same_period:
                run[4] = i
                continue
            if run:
                runs.append(tuple(run))
            run = [c, d, at[i], i, i]
        if run:
            runs.append(tuple(run))
    # a pool's stays are intervals: hand out its rooms first come, first served
    room_of: dict[tuple[str, int, int], str] = {}
    for d in {r[1] for r in runs}:
        for pool in {r[2] for r in runs if r[1] == d and r[2].startswith(POOL)}:
            free_at: dict[str, int] = {rid: -1 for rid in pool.split(":", 2)[2].split(",")}
            for c, _d, _p, first, last in sorted(
                (r for r in runs if r[1] == d and r[2] == pool), key=lambda r: r[3]
            ):
                rid = next(r for r, t in sorted(free_at.items(), key=lambda kv: kv[1]) if t < first)
                free_at[rid] = last
                for i in range(first, last + 1):
                    room_of[(c, d, i)] = rid
    interviews = []
    for c, pid, d, s in starts:
        space = by_id[room_of[(c, d, s)]] if pid.startswith(POOL) else by_id[pid]
        start = ticks[d][s][0]
        interviews.append(
            Interview(c, d, start, start + week.interview_minutes, space.id, space.room)
        )
    stays = []
    for c, d, pid, first, last in runs:
        space = by_id[room_of[(c, d, first)]] if pid.startswith(POOL) else by_id[pid]
        stays.append(
            Stay(c, d, space.room, space.id, ticks[d][first][0], ticks[d][last][0] + week.tick)
        )
    interviews.sort(key=lambda i: (i.day, i.start, i.caseworker))
    stays.sort(key=lambda s: (s.day, s.start, s.caseworker))
    return Schedule(tuple(interviews), tuple(stays))
