"""Fast bounds from max-flow (scipy.sparse.csgraph.maximum_flow), before the exact answer.

Both networks run source -> caseworker (weekly cap) -> caseworker's slot -> space's slot ->
weekday (that day's demand) -> sink, one unit per interview.

- Upper bound: every office always private. Slots are the interview's length; an interview
  maps to the slot its start falls in, and neither a person nor a space can start two in one
  slot, so every schedule is a flow here: no schedule holds more.
- Lower bound: slots are the interview plus the move, so every interview has its own move; a
  space is used only while everyone who could hear it is rostered away; conflicting spaces are
  thinned out; windowless rooms only within the day's first windowless hours. Every flow here is
  a schedule that keeps all the rules, and it is returned as one.

The upper bound's minimum cut says what limits the week: the hours when every private space
is taken while caseworkers still have time, and who those caseworkers are.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import breadth_first_order, maximum_flow

from roomplan.capacity.problem import Problem as Instance
from roomplan.capacity.schedule import Interview, Schedule, Stay
from roomplan.capacity.spaces import Space

BIG = 10**6


@dataclass(frozen=True)
class Slot:
    day: int
    start: int  # minute the slot begins
    ticks: int  # the slot's length in ticks


@dataclass(frozen=True)
class Bottleneck:
    """The upper bound's minimum cut in facts: ``busy`` (day, start minute, end minute) ranges
    when every private space is taken; ``waiting`` caseworkers with time and cap left;
    ``demand_met`` per weekday."""

    busy: tuple[tuple[int, int, int], ...]
    waiting: tuple[str, ...]
    demand_met: tuple[bool, ...]
    limited_by: str  # "demand", "spaces" or "caseworkers"


class _Graph:
    def __init__(self) -> None:
        self.index: dict[object, int] = {"source": 0, "sink": 1}
        self.edges: dict[tuple[int, int], int] = {}

    def node(self, key: object) -> int:
        if key not in self.index:
            self.index[key] = len(self.index)
        return self.index[key]

    def edge(self, a: object, b: object, cap: int) -> None:
        """An edge of capacity ``cap`` (given again, the edge keeps the larger capacity)."""
        if cap > 0:
            key = (self.node(a), self.node(b))
            self.edges[key] = max(self.edges.get(key, 0), int(cap))

    def flow(self):
        n = len(self.index)
        rows, cols = zip(*self.edges, strict=True) if self.edges else ((), ())
        caps = np.fromiter(self.edges.values(), dtype=np.int32, count=len(self.edges))
        graph = sp.csr_matrix((caps, (rows, cols)), shape=(n, n), dtype=np.int32)
        result = maximum_flow(graph, 0, 1)
        return result.flow_value, result.flow.tocsr(), graph


def _slots(inst: Instance, length: int) -> list[tuple[Slot, list[int]]]:
    """Slots of ``length`` ticks in every open period, with the ticks' minutes."""
    week = inst.week
    out = []
    for day in range(len(week.hours)):
        for start, n in week.segments(day):
            for k in range(n // length):
                first = start + k * length * week.tick
                out.append(
                    (Slot(day, first, length), [first + i * week.tick for i in range(length)])
                )
    return out


def _can_start(inst: Instance, c: str, slot: Slot, minutes: list[int]) -> bool:
    """Whether ``c`` can start an interview in the upper bound's ``slot``: some start in it
    leaves the whole interview inside the open period, with ``c`` in."""
    week = inst.week
    need = week.interview_ticks
    period_end = next(
        s + n * week.tick for s, n in week.segments(slot.day) if s <= slot.start < s + n * week.tick
    )
    for first in minutes:
        span = [first + i * week.tick for i in range(need)]
        if span[-1] + week.tick <= period_end and all(week.available(c, slot.day, t) for t in span):
            return True
    return False


def upper_bound(inst: Instance) -> tuple[int, Bottleneck]:
    """The most interviews any schedule could hold (every office always private), and its
    minimum cut in facts."""
    g = _Graph()
    week = inst.week
    for c in inst.caseworkers:
        g.edge("source", ("c", c), inst.caps[c])
    usable: dict[tuple, list[str]] = defaultdict(list)
    for slot, minutes in _slots(inst, week.interview_ticks):
        for c in inst.caseworkers:
            if not _can_start(inst, c, slot, minutes):
                continue
            g.edge(("c", c), ("cs", c, slot), 1)
            for p in inst.spaces:
                if p.kind == "room" or p.owner == c:
                    g.edge(("cs", c, slot), ("ps", p.id, slot), 1)
                    usable[(slot.day, slot.start)].append(p.id)
        for p in inst.spaces:
            g.edge(("ps", p.id, slot), ("day", slot.day), 1)
    for d, demand in enumerate(inst.demand):
        g.edge(("day", d), "sink", BIG if demand is None else demand)
    value, flow, graph = g.flow()
    return int(value), _cut(inst, g, flow, graph, usable)


def _cut(inst: Instance, g: _Graph, flow, graph, usable) -> Bottleneck:
    residual = (graph - flow).tocsr()  # the flow is skew-symmetric: reverse edges get its value
    residual.data = (residual.data > 0).astype(np.int8)
    residual.eliminate_zeros()
    reach = set(breadth_first_order(residual, 0, directed=True, return_predecessors=False).tolist())
    flow = flow.tocsr()
    key_of: dict[int, Any] = {v: k for k, v in g.index.items()}
    waiting = sorted(
        key_of[i][1] for i in reach if isinstance(key_of[i], tuple) and key_of[i][0] == "c"
    )
    # a space's slot on the source side whose unit went on to its day: taken (one look-up of
    # all of them, not one per slot)
    at = [(i, key_of[i][2]) for i in reach if isinstance(key_of[i], tuple) and key_of[i][0] == "ps"]
    rows = [i for i, _ in at]
    cols = [g.index[("day", slot.day)] for _, slot in at]
    used = np.asarray(flow[rows, cols]).ravel() if at else np.zeros(0)
    taken = {(s.day, s.start, s.ticks) for (_, s), u in zip(at, used, strict=True) if u >= 1}
    busy = _ranges(sorted(taken), inst.week.tick)
    days = np.asarray(flow[:, 1].todense()).ravel()
    met = []
    for d in range(len(inst.demand)):
        i = g.index.get(("day", d))
        met.append(i is None or inst.demand[d] is None or days[i] >= inst.demand[d])
    if all(met):
        limited = "demand"
    elif waiting:
        limited = "spaces"
    else:
        limited = "caseworkers"
    return Bottleneck(tuple(busy), tuple(waiting), tuple(met), limited)


def _ranges(slots: list[tuple[int, int, int]], tick: int) -> list[tuple[int, int, int]]:
    out: list[list[int]] = []
    for day, start, ticks in slots:
        end = start + ticks * tick
        if out and out[-1][0] == day and out[-1][2] == start:
            out[-1][2] = end
        else:
            out.append([day, start, end])
    return [(d, a, b) for d, a, b in out]


def _thin(spaces: tuple[Space, ...]) -> list[Space]:
    """A set of spaces without conflicts among them: rooms first, then the fewest conflicts."""
    chosen: list[Space] = []
    for p in sorted(
        spaces, key=lambda p: (p.kind != "room", len(p.conflicts), len(p.blockers), p.id)
    ):
        if not any(q.id in p.conflicts or p.id in q.conflicts for q in chosen):
            chosen.append(p)
    return chosen


def lower_bound(inst: Instance) -> tuple[int, Schedule, Bottleneck]:
    """A schedule keeping every rule, from a flow on the conservative network, and the
    network's minimum cut in facts."""
    week = inst.week
    plan = inst.plan
    g = _Graph()
    length = week.interview_ticks + week.move_ticks
    for c in inst.caseworkers:
        g.edge("source", ("c", c), inst.caps[c])
    spaces = _thin(inst.spaces)
    usable: dict[tuple, list[str]] = defaultdict(list)
    first_open = {
        d: (week.segments(d)[0][0] if week.segments(d) else 0) for d in range(len(week.hours))
    }
    for slot, minutes in _slots(inst, length):
        span_end = slot.start + length * week.tick
        for p in spaces:
            g.edge(("ps", p.id, slot), ("day", slot.day), 1)
        for c in inst.caseworkers:
            if not all(week.available(c, slot.day, t) for t in minutes):
                continue
            for p in spaces:
                if p.kind == "desk" and p.owner != c:
                    continue
                blockers = [o for o in p.blockers if o != c and p.blocks(plan, o, c)]
                if any(week.available(o, slot.day, t) for o in blockers for t in minutes):
                    continue
                if p.windowless and span_end > first_open[slot.day] + week.windowless_hours * 60:
                    continue
                g.edge(("c", c), ("cs", c, slot), 1)
                g.edge(("cs", c, slot), ("ps", p.id, slot), 1)
    for d, demand in enumerate(inst.demand):
        g.edge(("day", d), "sink", BIG if demand is None else demand)
    value, flow, graph = g.flow()
    cut = _cut(inst, g, flow, graph, usable)
    key_of: dict[int, Any] = {v: k for k, v in g.index.items()}
    interviews, stays = [], []
    by_id = {p.id: p for p in inst.spaces}
    coo = flow.tocoo()
    for i, j, f in zip(coo.row, coo.col, coo.data, strict=True):
        a, b = key_of[i], key_of[j]
        if f < 1 or not (
            isinstance(a, tuple) and a[0] == "cs" and isinstance(b, tuple) and b[0] == "ps"
        ):
            continue
        c, slot, p = a[1], a[2], by_id[b[1]]
        start = slot.start + week.move_minutes
        interviews.append(
            Interview(c, slot.day, start, start + week.interview_minutes, p.id, p.room)
        )
        if p.kind == "room":
            stays.append(
                Stay(c, slot.day, p.room, p.id, slot.start, start + week.interview_minutes)
            )
    interviews.sort(key=lambda i: (i.day, i.start, i.caseworker))
    stays.sort(key=lambda s: (s.day, s.start, s.caseworker))
    return int(value), Schedule(tuple(interviews), tuple(stays)), cut
