"""The memo's rules as a constraint program (OR-Tools CP-SAT) on the week's grid of ticks.

Variables, for each open day ``d`` (ticks of ``Week.tick`` minutes, 10 by default):

- ``x[c, p, d, s]``: caseworker ``c`` starts an interview at space ``p`` at tick ``s``; it lasts
  ``D = interview_ticks`` ticks;
- ``y[c, r, d, t]``: ``c`` is in interview room ``r`` at tick ``t``: setting up (the move),
  interviewing or waiting between two interviews there.

Each rule of the memo is one function below and nowhere else:

1. :func:`_one_place`: a caseworker is in one place at a time; a room holds one caseworker
   (a pool of ``k`` interchangeable rooms holds ``k``);
2. :func:`_stays`: a room interview lies inside a stay in that room; a stay starts with the
   move (``move_minutes`` in the room before its first interview, made before the open period
   where :meth:`Week.move_before` allows it) and ends when an interview ends: nobody parks in a
   room;
3. :func:`_move_back`: a desk interview starts ``move_minutes`` after the caseworker left a room;
4. :func:`_privacy`: while an interview is held at ``p``, every colleague whose desk hears it
   and who lacks need-to-know (:func:`roomplan.memo.has_need_to_know`) is away or in an
   interview room that does not hear ``p`` (a staff room in use at the week's stated times is
   such a colleague who cannot move, :func:`roomplan.capacity.spaces.in_use`); no space that
   hears ``p`` holds an interview; and
   (:attr:`Week.rooms_listen`) every interview room that hears ``p`` is empty of colleagues
   without need-to-know;
5. :func:`_windowless`: at most ``windowless_hours`` a day in windowless rooms;
6. :func:`_limits`: weekly caps, the demand per day, and limits per day when given.

:func:`_cuts` adds valid inequalities: they remove no schedule, but make the linear relaxation
count rooms, so the optimum is proven fast.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from roomplan.capacity.problem import DayGrid, Problem, pooled
from roomplan.capacity.spaces import Space

Var = cp_model.IntVar
XKey = tuple[str, str, int, int]  # caseworker, space, day, start tick
YKey = tuple[str, str, int, int]  # caseworker, room, day, tick


@dataclass
class Built:
    """A built model: the CP-SAT model, its variables, and the spaces it uses (pools
    included) with their sizes."""

    model: cp_model.CpModel
    x: dict[XKey, Var] = field(default_factory=dict)
    y: dict[YKey, Var] = field(default_factory=dict)
    spaces: list[Space] = field(default_factory=list)
    size: dict[str, int] = field(default_factory=dict)
    days: tuple[int, ...] = ()

    def count(self) -> cp_model.LinearExpr:
        """The number of interviews (the objective)."""
        return cp_model.LinearExpr.sum(list(self.x.values()))

    def day_count(self, day: int) -> cp_model.LinearExpr:
        return cp_model.LinearExpr.sum([v for k, v in self.x.items() if k[2] == day])

    def room_time(self) -> cp_model.LinearExpr:
        """Ticks spent in interview rooms (the second objective: fewer moves and waits),
        windowless rooms counted twice."""
        dark = {p.id for p in self.spaces if p.windowless}
        return cp_model.LinearExpr.weighted_sum(
            list(self.y.values()), [2 if k[1] in dark else 1 for k in self.y]
        )


@dataclass
class _Day:
    """What the rule functions share while one day is built."""

    problem: Problem
    grid: DayGrid
    built: Built
    movable: tuple[str, ...]  # the caseworkers who can move to rooms, in a fixed order
    cov: dict[tuple[str, str, int], list[Var]] = field(default_factory=dict)
    # (caseworker, space) -> who must leave for an interview there, and where they can go:
    # the same for every tick and day, and costly on a large floor
    away: dict[tuple[str, str], tuple[list[str], list[str], int]] = field(default_factory=dict)

    @property
    def d(self) -> int:
        return self.grid.day

    def covering(self, c: str, p: str, t: int) -> list[Var]:
        """The starts of ``c``'s interviews at ``p`` that cover tick ``t``."""
        return self.cov.get((c, p, t), [])

    def in_room(self, c: str, t: int, rooms: Sequence[Space]) -> list[Var]:
        y = self.built.y
        return [y[k] for r in rooms if (k := (c, r.id, self.d, t)) in y]


def start_candidates(problem: Problem, days: Sequence[int]) -> int:
    """How many interview starts the program for ``days`` could have at most, counted
    without building it: every open tick, for each caseworker who holds interviews, each
    (pooled) interview room and their own desk. Building costs about this many variables
    (:func:`roomplan.capacity.solve.affordable`)."""
    spaces, _ = pooled(problem.spaces)
    rooms = sum(1 for p in spaces if p.kind == "room")
    owners = {p.owner for p in spaces if p.kind == "desk"}
    per_tick = sum(rooms + (c in owners) for c, cap in problem.caps.items() if cap > 0)
    return sum(len(problem.grids[d]) for d in days) * per_tick


def build(
    problem: Problem,
    days: Sequence[int],
    day_caps: Mapping[tuple[str, int], int] | None = None,
    day_limits: Mapping[int, int] | None = None,
    cuts: bool = True,
) -> Built:
    """The program for ``days`` of ``problem``, maximising the interviews held.

    day_caps: (caseworker, day) -> most interviews that day; day_limits: day -> most
    interviews that day (a proven bound from solving the day alone); cuts: add the valid
    inequalities of :func:`_cuts` (off for the benchmark's plain baseline)."""
    spaces, size = pooled(problem.spaces)
    built = Built(cp_model.CpModel(), spaces=spaces, size=size, days=tuple(days))
    # sorted, never a set: the model must not depend on the process's hash seed
    movable = tuple(sorted(c for c, cap in problem.caps.items() if cap > 0))
    away: dict[tuple[str, str], tuple[list[str], list[str], int]] = {}  # the same every day
    for d in days:
        day = _Day(problem, problem.grids[d], built, movable, away=away)
        _starts(day)
        _room_ticks(day)
        _one_place(day)
        _stays(day)
        _move_back(day)
        _privacy(day)
        _windowless(day)
        if cuts:
            _cuts(day)
    _limits(problem, built, day_caps or {}, day_limits or {})
    built.model.maximize(built.count())
    return built


def _rooms(day: _Day) -> list[Space]:
    return [p for p in day.built.spaces if p.kind == "room"]


def _blockers(day: _Day, p: Space, c: str) -> list[str]:
    """Staff who must not be at their desks while ``c`` interviews at ``p``."""
    plan = day.problem.plan
    return [o for o in p.blockers if o != c and p.blocks(plan, o, c)]


def _refuge(day: _Day, p: Space) -> list[Space]:
    """The interview rooms where a colleague can wait out an interview at ``p``: not ``p``,
    and (rooms listen) not one that hears it."""
    hears = set(p.conflicts) if day.problem.week.rooms_listen else set()
    week = day.problem.week
    return [
        r
        for r in _rooms(day)
        if r.id != p.id and r.id not in hears and not (r.windowless and not week.windowless_ticks)
    ]


def _can_start(day: _Day, c: str, p: Space, s: int) -> bool:
    """Whether ``c`` could start an interview at ``p`` at tick ``s`` at all: inside one open
    period, in for it, the move possible (rooms), the blockers who cannot move away, and no
    more blockers in at once than rooms to go to."""
    g, week = day.grid, day.problem.week
    D, K = week.interview_ticks, week.move_ticks
    end = s + D
    if end > g.period_end[s] or not g.in_all(c, s, end):
        return False
    if p.kind == "room":
        if p.windowless and D + (K if s - K >= g.period_start[s] else 0) > week.windowless_ticks:
            return False
        if s - K >= g.period_start[s]:
            if not g.in_all(c, s - K, s):
                return False
        elif K and not (s == g.period_start[s] and week.move_before(g.period[s])):
            return False
    blocking, moving, room = _away(day, c, p)
    if any(g.in_any(o, s, end) for o in blocking if o not in day.movable):
        return False
    return all(sum(g.present[o][t] for o in moving) <= room for t in range(s, end))


def _away(day: _Day, c: str, p: Space) -> tuple[list[str], list[str], int]:
    """The blockers of ``c`` at ``p``, those of them who can move, and how many of those
    the rooms they can go to hold at once."""
    key = (c, p.id)
    if key not in day.away:
        blocking = _blockers(day, p, c)
        moving = [o for o in blocking if o in day.movable]
        day.away[key] = (blocking, moving, _slots(day, _refuge(day, p), moving))
    return day.away[key]


def _starts(day: _Day) -> None:
    built, d = day.built, day.d
    D = day.problem.week.interview_ticks
    for c in day.problem.caseworkers:
        if c not in day.movable:
            continue
        for p in built.spaces:
            if p.kind == "desk" and p.owner != c:
                continue
            for s in range(len(day.grid)):
                if _can_start(day, c, p, s):
                    v = built.model.new_bool_var(f"x[{c},{p.id},{d},{s}]")
                    built.x[(c, p.id, d, s)] = v
                    for t in range(s, s + D):
                        day.cov.setdefault((c, p.id, t), []).append(v)


def _room_ticks(day: _Day) -> None:
    """y for each tick a caseworker could be in a room: in, and between the move before the
    period's first possible interview there and the end of its last."""
    built, g, d = day.built, day.grid, day.d
    D, K = day.problem.week.interview_ticks, day.problem.week.move_ticks
    starts: dict[tuple[str, str, int], list[int]] = defaultdict(list)
    for c, p, dd, s in built.x:
        if dd == d:
            starts[(c, p, g.period[s])].append(s)
    rooms = {r.id for r in _rooms(day)}
    for (c, r, _), ss in starts.items():
        if r not in rooms:
            continue
        lo = max(min(ss) - K, g.period_start[min(ss)])
        for t in range(lo, max(ss) + D):
            if g.present[c][t]:
                built.y[(c, r, d, t)] = built.model.new_bool_var(f"y[{c},{r},{d},{t}]")


def _one_place(day: _Day) -> None:
    """Rule 1: one place at a time for a caseworker; one caseworker a room (k a pool)."""
    built, d = day.built, day.d
    rooms = _rooms(day)
    desks = [p for p in built.spaces if p.kind == "desk"]
    for c in day.movable:
        mine = [p for p in desks if p.owner == c]
        for t in range(len(day.grid)):
            lits = day.in_room(c, t, rooms) + [v for p in mine for v in day.covering(c, p.id, t)]
            if len(lits) > 1:
                built.model.add_at_most_one(lits)
    for r in rooms:
        for t in range(len(day.grid)):
            lits = [v for c in day.movable if (v := built.y.get((c, r.id, d, t))) is not None]
            if len(lits) > built.size[r.id]:
                built.model.add(cp_model.LinearExpr.sum(lits) <= built.size[r.id])


def _stays(day: _Day) -> None:
    """Rule 2: a room interview lies in a stay; a stay starts with the move and ends when an
    interview there ends (nobody parks in a room)."""
    built, g, d, week = day.built, day.grid, day.d, day.problem.week
    D, K = week.interview_ticks, week.move_ticks
    m = built.model
    rooms = {r.id for r in _rooms(day)}
    for (c, p, dd, s), x in built.x.items():
        if dd != d or p not in rooms:
            continue
        for t in range(max(s - K, g.period_start[s]), s):
            m.add_implication(x, built.y[(c, p, d, t)])  # the move
    for (c, p, t), starts in day.cov.items():
        if p in rooms:  # one interview at a time, inside the stay
            m.add(cp_model.LinearExpr.sum(starts) <= built.y[(c, p, d, t)])
    for (c, r, dd, t), y in built.y.items():
        if dd != d:
            continue
        first, last = g.period_start[t], g.period_end[t] - 1
        before = built.y.get((c, r, d, t - 1)) if t > first else None
        after = built.y.get((c, r, d, t + 1)) if t < last else None
        arrive = [built.x.get((c, r, d, t + K))] if t + K <= last else []
        if t == first and week.move_before(g.period[t]):
            arrive.append(built.x.get((c, r, d, t)))
        ends = [built.x.get((c, r, d, t - D + 1))] if t - D + 1 >= first else []
        # arriving at t: the interview starts after the move (or now, moved before the period)
        m.add_bool_or([y.Not(), *(v for v in (before, *arrive) if v is not None)])
        # leaving after t: an interview ends at t
        m.add_bool_or([y.Not(), *(v for v in (after, *ends) if v is not None)])


def _move_back(day: _Day) -> None:
    """Rule 3: no desk interview within ``move_minutes`` of being in a room."""
    built, g, d, week = day.built, day.grid, day.d, day.problem.week
    rooms = _rooms(day)
    desks = {p.id for p in built.spaces if p.kind == "desk"}
    for (c, p, dd, s), x in built.x.items():
        if dd != d or p not in desks:
            continue
        begin = g.minutes[s] - week.move_minutes
        for t in range(s - 1, -1, -1):
            if g.minutes[t] < begin:
                break
            for y in day.in_room(c, t, rooms):
                built.model.add_bool_or([x.Not(), y.Not()])


def _privacy(day: _Day) -> None:
    """Rule 4: nobody without need-to-know hears an interview."""
    built, g = day.built, day.grid
    m = built.model
    for p in built.spaces:
        refuge = _refuge(day, p)
        for c in day.movable:
            for o in _blockers(day, p, c):
                if o not in day.movable:
                    continue  # kept away by the starts (_can_start)
                for t in range(len(g)):
                    starts = day.covering(c, p.id, t)
                    if starts and g.present[o][t]:
                        away = day.in_room(o, t, refuge)
                        for x in starts:
                            m.add_bool_or([x.Not(), *away])
    for clique in conflict_cliques(built.spaces):
        for t in range(len(g)):
            lits = [v for q in clique for c in day.movable for v in day.covering(c, q, t)]
            if len(lits) > 1:
                m.add_at_most_one(lits)
    if day.problem.week.rooms_listen:
        _rooms_listen(day)


def _rooms_listen(day: _Day) -> None:
    """Rule 4, rooms: an interview room that hears an interview is empty of colleagues
    without need-to-know. Between two rooms that hear each other this means their stays never
    overlap: the later arrival would hear the other's next interview, or be heard in its own
    (each stay ends with an interview). Where nobody shares need-to-know, that is one
    constraint per tick on the rooms' occupants."""
    built, g, d = day.built, day.grid, day.d
    m, plan = built.model, day.problem.plan
    by_id = {p.id: p for p in built.spaces}
    rooms = [p for p in built.spaces if p.kind == "room"]
    shared = _shared_need_to_know(day)
    if not shared:
        for clique in conflict_cliques(rooms):
            for t in range(len(g)):
                lits = [
                    v
                    for q in clique
                    for c in day.movable
                    if (v := built.y.get((c, q, d, t))) is not None
                ]
                if len(lits) > 1:
                    m.add_at_most_one(lits)
    for p in built.spaces:
        if not shared and p.kind == "room":
            continue  # the stays above cover it
        heard = [by_id[i] for i in p.conflicts if i in by_id and by_id[i].kind == "room"]
        for q in heard:
            for c in day.movable:
                hearers = [o for o in day.movable if o != c and q.blocks(plan, o, c)]
                for t in range(len(g)):
                    starts = day.covering(c, p.id, t)
                    inside = [v for o in hearers if (v := built.y.get((o, q.id, d, t))) is not None]
                    if starts and inside:
                        m.add_at_most_one(starts + inside)


def _shared_need_to_know(day: _Day) -> bool:
    """Whether any two caseworkers may hear each other's interviews (need-to-know)."""
    plan = day.problem.plan
    groups = [set(plan.member(c).need_to_know) for c in sorted(day.movable)]
    return any(a & b for i, a in enumerate(groups) for b in groups[i + 1 :])


def _slots(day: _Day, rooms: Sequence[Space], people: Sequence[str]) -> int:
    """At most how many of ``people`` can be in ``rooms`` at once: the rooms' places, and
    when rooms listen and the people share no need-to-know, one per set of rooms that hear
    each other (their stays never overlap, :func:`_rooms_listen`)."""
    size = day.built.size
    plan = day.problem.plan
    groups = [set(plan.member(o).need_to_know) for o in people]
    shared = any(a & b for i, a in enumerate(groups) for b in groups[i + 1 :])
    if not day.problem.week.rooms_listen or shared:
        return sum(size[r.id] for r in rooms)
    left = {r.id: r for r in rooms}
    total = 0
    while left:  # a greedy cover by cliques: each counts its largest room once
        first = left.pop(min(left))
        clique = [first]
        for rid in sorted(left):
            if all(rid in q.conflicts for q in clique):
                clique.append(left[rid])
        for q in clique[1:]:
            left.pop(q.id)
        total += max(size[q.id] for q in clique)
    return total


def _windowless(day: _Day) -> None:
    """Rule 5: at most ``windowless_hours`` a day in windowless rooms, the move counted."""
    built, d = day.built, day.d
    limit = day.problem.week.windowless_ticks
    dark = [r for r in _rooms(day) if r.windowless]
    for c in day.movable:
        ticks = [
            y
            for r in dark
            for t in range(len(day.grid))
            if (y := built.y.get((c, r.id, d, t))) is not None
        ]
        if len(ticks) > limit:
            built.model.add(cp_model.LinearExpr.sum(ticks) <= limit)


def _limits(
    problem: Problem,
    built: Built,
    day_caps: Mapping[tuple[str, int], int],
    day_limits: Mapping[int, int],
) -> None:
    """Rule 6: weekly caps, the demand per day, and the limits per day when given."""
    by_c: dict[str, list[Var]] = defaultdict(list)
    by_cd: dict[tuple[str, int], list[Var]] = defaultdict(list)
    by_d: dict[int, list[Var]] = defaultdict(list)
    for (c, _p, d, _s), x in built.x.items():
        by_c[c].append(x)
        by_cd[(c, d)].append(x)
        by_d[d].append(x)
    m = built.model
    for c, xs in by_c.items():
        if len(xs) > problem.caps[c]:
            m.add(cp_model.LinearExpr.sum(xs) <= problem.caps[c])
    for key, xs in by_cd.items():
        if key in day_caps and len(xs) > day_caps[key]:
            m.add(cp_model.LinearExpr.sum(xs) <= day_caps[key])
    for d, xs in by_d.items():
        for most in (problem.demand[d], day_limits.get(d)):
            if most is not None and len(xs) > most:
                m.add(cp_model.LinearExpr.sum(xs) <= most)


def conflict_cliques(spaces: Sequence[Space]) -> list[list[str]]:
    """The maximal sets of spaces that all overhear each other (Bron-Kerbosch with pivot):
    at most one of them holds an interview at a time. Every conflicting pair is in one."""
    ids = {p.id for p in spaces}
    adj = {p.id: {q for q in p.conflicts if q in ids} for p in spaces}
    out: list[list[str]] = []

    def grow(r: set[str], p: set[str], x: set[str]) -> None:
        if not p and not x:
            if len(r) > 1:
                out.append(sorted(r))
            return
        pivot = max(p | x, key=lambda v: (len(adj[v] & p), v))
        for v in sorted(p - adj[pivot]):
            grow(r | {v}, p & adj[v], x & adj[v])
            p = p - {v}
            x = x | {v}

    grow(set(), {p.id for p in spaces if adj[p.id]}, set())
    return sorted(out)


def _cuts(day: _Day) -> None:
    """Valid inequalities: what a period can hold in a room or among spaces that overhear
    each other, and how many colleagues desk interviews send to the rooms at once."""
    _period_cuts(day)
    _blocker_cuts(day)


def _period_cuts(day: _Day) -> None:
    """Interviews in a room, or among spaces that overhear each other, never overlap: a
    period of n ticks holds at most n // D of them, less the move before the first one
    (rooms) when it cannot be made before the period. Where the rooms hold one colleague at
    a time (one room, or rooms that hear each other, :func:`_rooms_listen`), a stay holds at
    most a caseworker's cap and what the windowless limit allows, and each further stay
    starts with a move: :func:`period_most`."""
    built, g, d, week = day.built, day.grid, day.d, day.problem.week
    D, K = week.interview_ticks, week.move_ticks
    by_id = {p.id: p for p in built.spaces}
    groups = [[r.id] for r in _rooms(day) if built.size[r.id] == 1]
    groups += conflict_cliques(built.spaces)
    periods = sorted({(g.period_start[t], g.period_end[t], g.period[t]) for t in range(len(g))})
    alone = week.rooms_listen and not _shared_need_to_know(day)
    cap = max((day.problem.caps[c] for c in day.movable), default=0)
    starts: dict[str, list[tuple[int, Var]]] = defaultdict(list)  # space -> (tick, start)
    for (_c, q, dd, s), v in built.x.items():
        if dd == d:
            starts[q].append((s, v))
    for group in groups:
        rooms_only = all(by_id[q].kind == "room" for q in group)
        one_at_a_time = rooms_only and (len(group) == 1 or alone)
        dark = all(by_id[q].windowless for q in group)  # a stay in a light room has no limit
        for a, b, k in periods:
            if one_at_a_time:
                stay = Stays(D, K, cap, week.windowless_ticks if dark else None)
                most = period_most(b - a, week.move_before(k), stay)
            else:
                setup = K if rooms_only and not week.move_before(k) else 0
                most = (b - a - setup) // D
            xs = [v for q in group for s, v in starts[q] if a <= s < b]
            if len(xs) > most:
                built.model.add(cp_model.LinearExpr.sum(xs) <= most)


@dataclass(frozen=True)
class Stays:
    """What bounds a stay in a room: interviews of ``interview`` ticks after a move of
    ``move`` ticks, at most ``cap`` interviews (a caseworker's weekly cap), and at most
    ``windowless`` ticks in it, the move counted when made in the period (None: no limit)."""

    interview: int
    move: int
    cap: int
    windowless: int | None = None

    def most(self, moved_before: bool) -> int:
        """The most interviews of one stay."""
        if self.windowless is None:
            return self.cap
        inside = self.windowless - (0 if moved_before else self.move)
        return max(0, min(self.cap, inside // self.interview))


def period_most(ticks: int, move_before: bool, stays: Stays) -> int:
    """The most interviews a room that holds one colleague at a time can hold in an open
    period of ``ticks``: some number of stays one after another, each its move and at most
    :meth:`Stays.most` interviews; the first stay's move made before the period where
    ``move_before``."""
    D, K = stays.interview, stays.move
    best = 0
    for k in range(1, ticks // max(D, 1) + 2):
        moves = k - 1 if move_before else k
        time_allows = (ticks - moves * K) // D
        if time_allows < 0:
            break
        first = stays.most(move_before)
        stays_allow = first + (k - 1) * stays.most(False)
        best = max(best, min(time_allows, stays_allow))
    return best


def _blocker_cuts(day: _Day) -> None:
    """Desk interviews send colleagues to the rooms, and the rooms hold few at once (their
    places, or one per set of rooms that hear each other, :func:`_slots`). So:

    - among desks that overhear each other (one at a time), the sum of |present blockers| x
      interviewing <= those blockers in rooms;
    - two desks whose blockers together outnumber the places never interview at once;
    - a desk with many blockers leaves few places: |B| x interviewing + others in rooms <=
      the places."""
    built, g = day.built, day.grid
    rooms = _rooms(day)
    total = _slots(day, rooms, day.movable)
    desks = {p.id: p for p in built.spaces if p.kind == "desk" and p.owner in day.movable}
    moving = {
        p.id: [o for o in _blockers(day, p, p.owner or "") if o in day.movable]
        for p in desks.values()
    }
    overhear = conflict_cliques(list(desks.values()))
    crowded: dict[tuple, list[list[str]]] = {}
    most: dict[tuple, int | None] = {}
    m = built.model
    for t in range(len(g)):
        present = {q: [o for o in moving[q] if g.present[o][t]] for q in desks}
        for clique in overhear:
            terms, who = [], set()
            for q in clique:
                for v in day.covering(desks[q].owner or "", q, t):
                    terms.append((v, len(present[q])))
                who |= set(present[q])
            if len(terms) > 1 and who:
                inside = [v for o in sorted(who) for v in day.in_room(o, t, rooms)]
                lhs = cp_model.LinearExpr.weighted_sum([v for v, _ in terms], [n for _, n in terms])
                m.add(lhs <= cp_model.LinearExpr.sum(inside))
        key = tuple(sorted((q, tuple(v)) for q, v in present.items()))
        if key not in crowded:
            crowded[key] = _crowded(desks, present, total)
        for clique in crowded[key]:
            lits = [v for q in clique for v in day.covering(desks[q].owner or "", q, t)]
            if len(lits) > 1:
                m.add_at_most_one(lits)
        _most_desks_cut(day, t, desks, present, total, most)
        for q, p in desks.items():
            starts = day.covering(p.owner or "", q, t)
            if not starts or 2 * len(present[q]) <= total:
                continue
            others = [
                v
                for o in day.movable
                if o not in present[q] and o != p.owner
                for v in day.in_room(o, t, rooms)
            ]
            if others:
                n = len(present[q])
                m.add(
                    cp_model.LinearExpr.weighted_sum(starts, [n] * len(starts))
                    + cp_model.LinearExpr.sum(others)
                    <= total
                )


def _most_desks_cut(
    day: _Day,
    t: int,
    desks: Mapping[str, Space],
    present: Mapping[str, list[str]],
    total: int,
    memo: dict[tuple, int | None],
) -> None:
    """At tick ``t`` no more desks interview than :func:`most_desks` allows (``memo``: the
    answers so far, by who is in and which desks can interview)."""
    at = {q: xs for q in desks if (xs := day.covering(desks[q].owner or "", q, t))}
    key = (tuple(sorted((q, tuple(present[q])) for q in at)), tuple(sorted(at)))
    if key not in memo:
        memo[key] = most_desks({q: desks[q] for q in at}, present, total)
    k = memo[key]
    if k is not None and len(at) > k:
        lits = [x for q in sorted(at) for x in at[q]]
        day.built.model.add(cp_model.LinearExpr.sum(lits) <= k)


def _crowded(desks: dict[str, Space], present: dict[str, list[str]], total: int) -> list[list[str]]:
    """Sets of desks any two of which need more colleagues in rooms at once than there are
    places: at most one of each set holds an interview at a time."""
    ids = sorted(q for q in desks if present[q])
    clash = {
        q: {r for r in ids if r != q and len(set(present[q]) | set(present[r])) > total}
        for q in ids
    }
    pseudo = [
        Space(q, desks[q].room, "desk", desks[q].owner, (), tuple(sorted(clash[q])), False)
        for q in ids
    ]
    return conflict_cliques(pseudo)


MOST_DESKS_NODES = 20_000
"""The search for :func:`most_desks` gives up (no cut) after this many steps: a fixed count,
so the program is the same on every machine."""


def most_desks(
    desks: Mapping[str, Space], present: Mapping[str, Sequence[str]], total: int
) -> int | None:
    """The most desks that can hold interviews at once: no two overhear each other, no owner
    is a colleague another needs away, and the colleagues sent to the rooms (``present``:
    desk -> its blockers in) fit the ``total`` places. Pairs alone (:func:`_crowded`) let the
    relaxation hold half of a third desk at every tick. None when the search gives up."""
    ids = sorted(desks)
    best = 0
    steps = 0

    def fits(q: str, chosen: list[str], away: frozenset[str]) -> frozenset[str] | None:
        p = desks[q]
        for r in chosen:
            if r in p.conflicts or q in desks[r].conflicts:
                return None
            if p.owner in present[r] or desks[r].owner in present[q]:
                return None
        need = away | set(present[q])
        return need if len(need) <= total else None

    def grow(i: int, chosen: list[str], away: frozenset[str]) -> bool:
        nonlocal best, steps
        steps += 1
        if steps > MOST_DESKS_NODES:
            return False
        best = max(best, len(chosen))
        for j in range(i, len(ids)):
            if len(chosen) + len(ids) - j <= best:
                break
            need = fits(ids[j], chosen, away)
            if need is not None and not grow(j + 1, [*chosen, ids[j]], need):
                return False
        return True

    return best if grow(0, [], frozenset()) else None


def days_alike(problem: Problem, a: int, b: int) -> bool:
    """Whether two weekdays pose the same program (same hours and presence)."""
    ga, gb = problem.grids[a], problem.grids[b]
    return ga.minutes == gb.minutes and ga.present == gb.present


__all__ = ["Built", "Stays", "build", "conflict_cliques", "days_alike", "period_most"]
