"""The week the interviews must fit into: opening hours, lunch, the time grid, who is in.

Every default is here (:data:`DEFAULT_HOURS`, :class:`Week`'s fields) and shown with every
result. The memo's own numbers (30-minute interviews, 36 a week, the 10-minute move, the
windowless limit) come from :mod:`roomplan.memo`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

from roomplan import memo
from roomplan.i18n import t
from roomplan.plan.native import MAX_CAP

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")


def minutes(hhmm: str) -> int:
    """ "09:30" -> 570 minutes after midnight."""
    hours, _, mins = hhmm.partition(":")
    value = int(hours) * 60 + int(mins or 0)
    if not 0 <= value <= 24 * 60 or not (0 <= int(mins or 0) < 60):
        raise ValueError(t("week.bad_time", None, value=hhmm))
    return value


def hhmm(value: int) -> str:
    """570 -> "09:30"."""
    return f"{value // 60:02d}:{value % 60:02d}"


@dataclass(frozen=True)
class DayHours:
    """Opening hours of one weekday ("09:00"-"15:00"), with a lunch break when no interviews
    are held, or closed."""

    open: str = "09:00"
    close: str = "15:00"
    lunch: tuple[str, str] | None = ("12:00", "12:30")
    closed: bool = False

    def __post_init__(self) -> None:
        if not self.closed and minutes(self.close) <= minutes(self.open):
            raise ValueError(t("week.close_before_open", None, open=self.open, close=self.close))
        if self.lunch is not None and minutes(self.lunch[1]) <= minutes(self.lunch[0]):
            raise ValueError(t("week.bad_span", None, start=self.lunch[0], end=self.lunch[1]))

    def open_minutes(self) -> list[tuple[int, int]]:
        """The open periods as (start, end) minutes after midnight, lunch taken out."""
        if self.closed:
            return []
        start, end = minutes(self.open), minutes(self.close)
        if self.lunch is None:
            return [(start, end)]
        a, b = minutes(self.lunch[0]), minutes(self.lunch[1])
        return [(s, e) for s, e in ((start, min(a, end)), (max(b, start), end)) if e > s]


def parse_hours(text: str, lunch: tuple[str, str] | None = ("12:00", "12:30")) -> DayHours:
    """A weekday's hours as people write them: "09:00-15:00" (with ``lunch``), or "closed"
    ("lukket", "-", empty). ValueError says how to write them."""
    words = str(text).strip().lower()
    if words in (t("word.closed", "da"), t("word.closed", "en"), "-", ""):
        return DayHours(closed=True)
    start, sep, end = words.partition("-")
    try:
        if not sep:
            raise ValueError(words)
        return DayHours(start.strip(), end.strip(), lunch)
    except ValueError:
        raise ValueError(t("week.bad_hours", None, value=text)) from None


def _weekday(word: str) -> int | None:
    """A weekday by its key, its name or the first three letters of its name (da or en)."""
    word = word.strip().lower()
    for d, key in enumerate(WEEKDAYS):
        names = {key, t(f"weekday.{key}", "da").lower(), t(f"weekday.{key}", "en").lower()}
        if word in names or word in {n[:3] for n in names}:
            return d
    return None


def _entries(
    text: str, ids: tuple[str, ...] | list[str], key: str, lang: str | None
) -> list[tuple]:
    """Entries "ID [weekday] [HH:MM-HH:MM]", one per line or ";", as (id, day, start, end);
    ``ids``: the ids allowed; ValueError worded by ``key`` names the entry it cannot read."""
    out = []
    for entry in (e.strip() for e in text.replace(";", "\n").splitlines()):
        if not entry:
            continue
        words = entry.split()
        try:
            if words[0] not in ids:
                raise ValueError(words[0])
            day = _weekday(words[1]) if len(words) > 1 and "-" not in words[1] else None
            if len(words) > 1 and "-" not in words[1] and day is None:
                raise ValueError(words[1])
            times = [w for w in words[1:] if "-" in w]
            if len(words) > 1 + (day is not None) + len(times) or len(times) > 1:
                raise ValueError(entry)
            begin, end = times[0].split("-") if times else (None, None)
            Absence(words[0], day, begin, end)  # the times checked
            out.append((words[0], day, begin, end))
        except (ValueError, IndexError):
            raise ValueError(t(key, lang, entry=entry)) from None
    return out


def parse_absences(
    text: str, staff: tuple[str, ...] | list[str], lang: str | None = None
) -> tuple[Absence, ...]:
    """Who is away from their desk when, as people write it, one entry per line or ";":
    "S03 11:30-12:00" (every day), "S12 tue 13:00-15:00", "S05 fri" (all Friday).
    ``staff``: the ids allowed. ValueError says (in ``lang``) which entry cannot be read and
    how to write it."""
    out = []
    for who, day, begin, end in _entries(text, staff, "week.bad_absence", lang):
        if day is None and begin is None:  # a whole week away: no desk to hear from
            raise ValueError(t("week.bad_absence", lang, entry=who))
        out.append(Absence(who, day, begin, end))
    return tuple(out)


def parse_room_uses(
    text: str, rooms: tuple[str, ...] | list[str], lang: str | None = None
) -> tuple[RoomUse, ...]:
    """When staff rooms are in use, as people write it, one entry per line or ";":
    "1.15 11:30-13:00" (every day), "1.15 fri 11:00-12:00", "1.15 wed" (all Wednesday), "1.15"
    (all week). ``rooms``: the staff rooms' ids. ValueError says (in ``lang``) which entry
    cannot be read."""
    return tuple(RoomUse(*e) for e in _entries(text, rooms, "week.bad_room_use", lang))


DEFAULT_HOURS = (
    DayHours("09:00", "15:00"),
    DayHours("09:00", "15:00"),
    DayHours("09:00", "15:00"),
    DayHours("09:00", "15:00"),
    DayHours("09:00", "13:00"),
)
"""Citizen interview hours, an assumption (the memo gives none): Monday to Thursday 9-15,
Friday 9-13, lunch 12:00-12:30. With the 10-minute move made before opening but, after lunch,
inside opening hours (:attr:`Week.move_in_breaks` False), a room holds 6 + 4 = 10 interviews a
day Monday-Thursday and 6 on Friday: the memo's "almost 10 per room per day". With the move
made in the lunch break it holds 6 + 5 = 11 and 7."""


@dataclass(frozen=True)
class Absence:
    """A staff member away from their desk: a whole weekday (day 0-4 with no times) or part of
    one ("13:00"-"15:00": a meeting, part-time, lunch, the archive). ``day`` None means every
    weekday (a rostered lunch or archive hour). Staff who hold no interviews are at their desks
    all opening hours unless an absence says otherwise."""

    staff: str
    day: int | None
    start: str | None = None
    end: str | None = None

    def __post_init__(self) -> None:
        if self.day is not None and not (
            isinstance(self.day, int) and 0 <= self.day < len(WEEKDAYS)
        ):
            raise ValueError(t("week.bad_day", None, value=self.day))
        if (self.start is None) != (self.end is None):
            raise ValueError(t("week.half_absence", None))
        if (
            self.start is not None
            and self.end is not None
            and minutes(self.end) <= minutes(self.start)
        ):
            raise ValueError(t("week.bad_span", None, start=self.start, end=self.end))

    def covers(self, day: int, start_minute: int, end_minute: int) -> bool:
        """Whether the absence overlaps [start_minute, end_minute) of ``day``."""
        return _covers(self, day, start_minute, end_minute)


def _covers(when: Absence | RoomUse, day: int, start_minute: int, end_minute: int) -> bool:
    """Whether a weekday (None: every one) and span (None: all day) overlap
    [start_minute, end_minute) of ``day``."""
    if when.day is not None and day != when.day:
        return False
    if when.start is None or when.end is None:
        return True
    return start_minute < minutes(when.end) and minutes(when.start) < end_minute


STAFF_ROOM = "staffroom:"
"""Prefix that makes a staff room in use (:class:`RoomUse`) one of the people a position
must be free of: the colleagues in it at the stated times, who have no need-to-know."""


@dataclass(frozen=True)
class RoomUse:
    """A staff room (lunch room, kitchen) in use by colleagues without need-to-know: a whole
    weekday (day 0-4 with no times), part of one, or (``day`` None) every weekday. While it is
    in use, no interview is held where it hears one."""

    room: str
    day: int | None
    start: str | None = None
    end: str | None = None

    def __post_init__(self) -> None:
        Absence(self.room, self.day, self.start, self.end)  # the same checks, the same words

    def covers(self, day: int, start_minute: int, end_minute: int) -> bool:
        """Whether the use overlaps [start_minute, end_minute) of ``day``."""
        return _covers(self, day, start_minute, end_minute)


@dataclass(frozen=True)
class Week:
    """The week's time and rules.

    hours: opening hours per weekday; interview_minutes, move_minutes: an interview's length
    and the time lost when a caseworker changes room (memo); windowless_hours: the most a
    caseworker may spend in a windowless room a day; max_interviews: a weekly cap for everyone,
    or None to use each staff member's own (``Staff.max_interviews``); absences: who is away when.

    move_in_breaks: whether the move into an interview room may be made in a break between
    open periods (the lunch break), as the day's first move is made before opening. Default
    False: lunch is the staff's own break, so the first interview in a room after lunch starts
    ``move_minutes`` after it ends. rooms_listen: whether a colleague setting up or waiting in an
    interview room hears what a person sitting there hears (default True, the memo's rule that
    nobody without need-to-know may hear an interview). False counts only interviews held in a
    room that overhears, the rule of roomplan before 2026-11, kept to compare figures.

    rooms_in_use: when staff rooms are in use by colleagues without need-to-know
    (:class:`RoomUse`). Default none in opening hours, an assumption stated with every result:
    colleagues eat in the lunch break, when no interview is held.
    """

    hours: tuple[DayHours, ...] = DEFAULT_HOURS
    interview_minutes: int = memo.INTERVIEW_MINUTES
    move_minutes: int = memo.MOVE_MINUTES
    windowless_hours: float = memo.WINDOWLESS_HOURS_PER_DAY
    max_interviews: int | None = None
    absences: tuple[Absence, ...] = field(default_factory=tuple)
    move_in_breaks: bool = False
    rooms_listen: bool = True
    rooms_in_use: tuple[RoomUse, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if len(self.hours) != len(WEEKDAYS):
            raise ValueError(t("week.five_days", None))
        if self.interview_minutes <= 0 or self.move_minutes < 0:
            raise ValueError(t("week.bad_minutes", None))
        if self.windowless_hours < 0:
            raise ValueError(t("week.bad_windowless", None))
        if self.max_interviews is not None and not 0 <= self.max_interviews <= MAX_CAP:
            raise ValueError(t("week.bad_cap", None, most=MAX_CAP))

    def replace(self, **changes: Any) -> Week:
        return replace(self, **changes)

    @property
    def tick(self) -> int:
        """Minutes per step of the time grid: fine enough for both the interview and the move."""
        return (
            math.gcd(self.interview_minutes, self.move_minutes)
            if self.move_minutes
            else self.interview_minutes
        )

    @property
    def interview_ticks(self) -> int:
        return self.interview_minutes // self.tick

    @property
    def move_ticks(self) -> int:
        return self.move_minutes // self.tick

    @property
    def windowless_ticks(self) -> int:
        """The windowless limit in ticks (rounded down)."""
        return int(self.windowless_hours * 60 // self.tick)

    def segments(self, day: int) -> list[tuple[int, int]]:
        """The open periods of ``day`` on the grid: (first minute, number of ticks)."""
        out = []
        for start, end in self.hours[day].open_minutes():
            n = (end - start) // self.tick
            if n > 0:
                out.append((start, n))
        return out

    def available(self, staff: str, day: int, minute: int) -> bool:
        """Whether ``staff`` is in during the tick starting at ``minute`` of ``day`` (for a
        staff room, :data:`STAFF_ROOM` and its id: whether it is in use)."""
        if staff.startswith(STAFF_ROOM):
            room = staff[len(STAFF_ROOM) :]
            return any(
                u.room == room and u.covers(day, minute, minute + self.tick)
                for u in self.rooms_in_use
            )
        return not any(
            a.staff == staff and a.covers(day, minute, minute + self.tick) for a in self.absences
        )

    def ticks(self, day: int) -> list[tuple[int, int]]:
        """(first minute, open period) of each open tick of ``day``, in order."""
        return [
            (start + k * self.tick, period)
            for period, (start, n) in enumerate(self.segments(day))
            for k in range(n)
        ]

    def presence(self, staff: str, day: int) -> tuple[bool, ...]:
        """Whether ``staff`` is in, for each open tick of ``day`` (:meth:`ticks`); a staff
        room (:data:`STAFF_ROOM`): whether it is in use."""
        if staff.startswith(STAFF_ROOM):
            return tuple(self.available(staff, day, m) for m, _ in self.ticks(day))
        mine = [a for a in self.absences if a.staff == staff]
        return tuple(
            not any(a.covers(day, m, m + self.tick) for a in mine) for m, _ in self.ticks(day)
        )

    def move_before(self, period: int) -> bool:
        """Whether the move into a room for an open period's first interview may be made
        before the period starts: before opening always, after a break if
        :attr:`move_in_breaks`."""
        return period == 0 or self.move_in_breaks

    def open_hours(self, day: int) -> float:
        """Hours open for interviews on ``day``."""
        return sum(n for _, n in self.segments(day)) * self.tick / 60

    def as_dict(self) -> dict[str, Any]:
        return {
            "hours": [
                None
                if h.closed
                else {"open": h.open, "close": h.close, "lunch": list(h.lunch) if h.lunch else None}
                for h in self.hours
            ],
            "interview_minutes": self.interview_minutes,
            "move_minutes": self.move_minutes,
            "windowless_hours": self.windowless_hours,
            "max_interviews": self.max_interviews,
            "absences": [
                {"staff": a.staff, "day": a.day, "start": a.start, "end": a.end}
                for a in self.absences
            ],
            "move_in_breaks": self.move_in_breaks,
            "rooms_listen": self.rooms_listen,
            "rooms_in_use": [
                {"room": u.room, "day": u.day, "start": u.start, "end": u.end}
                for u in self.rooms_in_use
            ],
            "tick_minutes": self.tick,
        }


def spread_demand(
    total: int, spread: str | tuple[float, ...] = "even", week: Week | None = None
) -> tuple[int, ...]:
    """The weekly demand per weekday, in whole interviews summing to ``total``.

    spread: "even" (the same each open day, the memo's 47.4 a day), "hours" (in proportion
    to the open hours), or five weights or counts per weekday."""
    week = week or Week()
    open_days = [d for d in range(len(WEEKDAYS)) if week.segments(d)]
    if spread == "even":
        weights = [1.0 if d in open_days else 0.0 for d in range(len(WEEKDAYS))]
    elif spread == "hours":
        weights = [week.open_hours(d) for d in range(len(WEEKDAYS))]
    else:
        weights = [float(w) for w in spread]
        if len(weights) != len(WEEKDAYS) or any(w < 0 for w in weights) or not sum(weights):
            raise ValueError(t("week.bad_spread", None))
    if total < 0:
        raise ValueError(t("week.bad_demand", None))
    scale = sum(weights)
    if not scale:
        raise ValueError(t("week.no_open_days", None))
    exact = [total * w / scale for w in weights]
    out = [math.floor(x) for x in exact]
    for d in sorted(range(len(out)), key=lambda i: out[i] - exact[i])[: total - sum(out)]:
        out[d] += 1  # largest remainders first
    return tuple(out)
