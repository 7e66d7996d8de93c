"""A weekly schedule: interviews, and the caseworkers' stays in interview rooms."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass

from roomplan.capacity.week import WEEKDAYS, hhmm
from roomplan.i18n import t


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

    def to_csv(self, names: dict[str, str] | None = None, lang: str | None = None) -> str:
        """The schedule as CSV: caseworker, weekday, start, end, place, room."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(
            [
                t(f"schedule.{c}", lang)
                for c in ("caseworker", "day", "start", "end", "place", "room")
            ]
        )
        for i in self.interviews:
            writer.writerow(
                [
                    i.caseworker,
                    t(f"weekday.{WEEKDAYS[i.day]}", lang),
                    hhmm(i.start),
                    hhmm(i.end),
                    (names or {}).get(i.space, i.space),
                    i.room,
                ]
            )
        return out.getvalue()
