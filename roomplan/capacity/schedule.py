"""A weekly schedule: interviews, and the caseworkers' stays in interview rooms."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, replace

from roomplan.capacity.week import WEEKDAYS, hhmm, minutes
from roomplan.i18n import t
from roomplan.plan.model import Plan
from roomplan.privacy.text import position_name


@dataclass(frozen=True)
class Interview:
    """One interview: who, which weekday (0 = Monday), from and to [minutes after midnight],
    where (the interview position, e.g. "room:1.06" or "desk:1.02-A", and its room)."""

    caseworker: str
    day: int
    start: int
    end: int
    space: str
    room: str


@dataclass(frozen=True)
class Stay:
    """A caseworker in an interview room, from arriving (the move, setting up) to leaving."""

    caseworker: str
    day: int
    room: str
    space: str
    start: int
    end: int


@dataclass(frozen=True)
class Schedule:
    """Interviews and room stays, sorted by day, time and caseworker."""

    interviews: tuple[Interview, ...] = ()
    stays: tuple[Stay, ...] = ()

    def __len__(self) -> int:
        return len(self.interviews)

    def per_day(self) -> list[int]:
        """Interviews per weekday."""
        out = [0] * len(WEEKDAYS)
        for i in self.interviews:
            out[i.day] += 1
        return out

    def on_day(self, day: int) -> Schedule:
        """The interviews and stays of one day."""
        return Schedule(
            tuple(i for i in self.interviews if i.day == day),
            tuple(s for s in self.stays if s.day == day),
        )

    def per_caseworker(self) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for i in self.interviews:
            out[i.caseworker] += 1
        return dict(out)

    def room_changes(self) -> int:
        """Times a caseworker moves into an interview room (each costs the move)."""
        return len(self.stays)

    def minutes_in(self, rooms: set[str]) -> dict[tuple[str, int], int]:
        """(caseworker, day) -> minutes spent in ``rooms``."""
        out: dict[tuple[str, int], int] = defaultdict(int)
        for s in self.stays:
            if s.room in rooms:
                out[(s.caseworker, s.day)] += s.end - s.start
        return dict(out)

    def to_csv(self, plan: Plan, lang: str | None = None) -> str:
        """The schedule as CSV, a row per interview and per stay in an interview room (from
        the move in to leaving), so the file alone can be checked: what, caseworker, weekday,
        start, end, place and room, by name."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([t(f"schedule.{c}", lang) for c in COLUMNS])
        rows = [("stay", s.caseworker, s.day, s.start, s.end, s.space, s.room) for s in self.stays]
        rows += [
            ("interview", i.caseworker, i.day, i.start, i.end, i.space, i.room)
            for i in self.interviews
        ]
        rows.sort(key=lambda r: (r[2], r[3], r[0] != "stay", r[1], r[5]))
        for kind, who, day, start, end, space, room in rows:
            writer.writerow(
                [
                    t(f"schedule.{kind}", lang),
                    who,
                    t(f"weekday.{WEEKDAYS[day]}", lang),
                    hhmm(start),
                    hhmm(end),
                    position_name(plan, space, lang),
                    plan.room(room).name,
                ]
            )
        return out.getvalue()


COLUMNS = ("what", "caseworker", "day", "start", "end", "place", "room")
"""The CSV's columns (:meth:`Schedule.to_csv`)."""


def from_csv(text: str, plan: Plan, positions: list[str], lang: str | None = None) -> Schedule:
    """A schedule read back from :meth:`Schedule.to_csv` for ``plan``; ``positions`` are the
    interview position ids its places may name. ValueError names the row that cannot be read."""
    place = {position_name(plan, p, lang): p for p in positions}
    room = {r.name: r.id for r in plan.rooms}
    day = {t(f"weekday.{d}", lang): k for k, d in enumerate(WEEKDAYS)}
    kind = {t(f"schedule.{k}", lang): k for k in ("interview", "stay")}
    rows = list(csv.reader(io.StringIO(text)))
    interviews, stays = [], []
    for n, row in enumerate(rows[1:], start=2):
        try:
            what, who, weekday, start, end, where, in_room = row
            values = (who, day[weekday], minutes(start), minutes(end), place[where], room[in_room])
            if kind[what] == "interview":
                interviews.append(Interview(*values))
            else:
                c, d, a, b, p, r = values
                stays.append(Stay(c, d, r, p, a, b))
        except (ValueError, KeyError):
            raise ValueError(f"row {n} cannot be read: {row}") from None
    return Schedule(tuple(interviews), tuple(stays))


def moved(schedule: Schedule, day: int) -> Schedule:
    """A day's schedule moved to another weekday with the same hours and presence."""
    return Schedule(
        tuple(replace(i, day=day) for i in schedule.interviews),
        tuple(replace(s, day=day) for s in schedule.stays),
    )


def merged(parts: list[Schedule]) -> Schedule:
    interviews = sorted(
        (i for p in parts for i in p.interviews),
        key=lambda i: (i.day, i.start, i.caseworker, i.space),
    )
    stays = sorted(
        (s for p in parts for s in p.stays), key=lambda s: (s.day, s.start, s.caseworker, s.space)
    )
    return Schedule(tuple(interviews), tuple(stays))
