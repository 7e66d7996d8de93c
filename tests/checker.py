"""An independent check of a weekly schedule against the memo's rules.

It shares no code with the integer program: it reads the plan, the week and the privacy
engine's answers (who must be away, which positions must be idle), and walks the schedule
minute by minute.
"""

from __future__ import annotations

from roomplan.capacity.schedule import Schedule, from_csv
from roomplan.capacity.week import Week
from roomplan.memo import has_need_to_know
from roomplan.plan.model import Plan
from roomplan.privacy.result import PrivacyResult


def check(
    plan: Plan,
    privacy: PrivacyResult,
    week: Week,
    schedule: Schedule,
    caps: dict[str, int],
    demand: tuple[int | None, ...],
) -> list[str]:
    """Every rule the schedule breaks (empty when it keeps them all)."""
    bad: list[str] = []
    step = week.tick
    answers = {a.position: a for a in privacy.positions}
    windowless = {r.id for r in plan.rooms if not r.windows}
    # a place nobody sits at is used like an interview room, with a stay (spaces.py)
    interview_rooms = {a.room for a in privacy.positions if a.caseworker is None}

    def open_period(day: int, minute: int):
        for start, n in week.segments(day):
            if start <= minute < start + n * step:
                return start, start + n * step
        return None

    stays_of: dict[tuple[str, int], list] = {}
    for s in schedule.stays:
        stays_of.setdefault((s.caseworker, s.day), []).append(s)

    def in_a_room(person: str, day: int, minute: int) -> bool:
        return any(s.start <= minute < s.end for s in stays_of.get((person, day), ()))

    def period_index(day: int, minute: int) -> int | None:
        for k, (start, n) in enumerate(week.segments(day)):
            if start <= minute < start + n * step:
                return k
        return None

    # interviews: length, opening hours, presence, places
    for i in schedule.interviews:
        where = f"{i.caseworker} {i.day} {i.start} {i.space}"
        if i.end - i.start != week.interview_minutes:
            bad.append(f"wrong length: {where}")
        period = open_period(i.day, i.start)
        if period is None or i.end > period[1]:
            bad.append(f"outside opening hours: {where}")
        for m in range(i.start, i.end, step):
            if not week.available(i.caseworker, i.day, m):
                bad.append(f"caseworker away: {where}")
                break
        answer = answers.get(i.space)
        if answer is None or answer.status == "never":
            bad.append(f"never private: {where}")
            continue
        if (
            answer.desk is not None
            and answer.caseworker is not None
            and answer.caseworker != i.caseworker
        ):
            bad.append(f"someone else's desk: {where}")
        # privacy, minute by minute
        for m in range(i.start, i.end, step):
            for desk in answer.empty_desks:
                other = plan.occupants.get(desk)
                if other is None or other.id == i.caseworker:
                    continue
                if has_need_to_know(other, plan.member(i.caseworker)):
                    continue
                if week.available(other.id, i.day, m) and not in_a_room(other.id, i.day, m):
                    bad.append(f"{other.id} at desk {desk} hears {where} at {m}")
            for h in answer.hearings:  # colleagues in a staff room at the week's stated times
                if (
                    h.role == "exposure"
                    and h.kind == "staff"
                    and not h.raised_only  # the check voice alone sets no condition
                    and any(
                        u.room == h.room and u.covers(i.day, m, m + step) for u in week.rooms_in_use
                    )
                ):
                    bad.append(f"staff room {h.room} in use hears {where} at {m}")
            for q in answer.idle_positions:
                if any(
                    j.space == q and j.day == i.day and j.start <= m < j.end
                    for j in schedule.interviews
                ):
                    bad.append(f"{q} in use during {where}")
                # whoever sits in a room that hears it listens, unless they have need-to-know
                if week.rooms_listen and q in answers and answers[q].caseworker is None:
                    for s in schedule.stays:
                        if (
                            s.space == q
                            and s.day == i.day
                            and s.start <= m < s.end
                            and s.caseworker != i.caseworker
                            and not has_need_to_know(
                                plan.member(s.caseworker), plan.member(i.caseworker)
                            )
                        ):
                            bad.append(f"{s.caseworker} in {q} hears {where} at {m}")

    # one interview per space, one place per person
    by_space: dict[tuple[str, int], list] = {}
    by_person: dict[tuple[str, int], list] = {}
    for i in schedule.interviews:
        by_space.setdefault((i.space, i.day), []).append(i)
        by_person.setdefault((i.caseworker, i.day), []).append(i)
    for group in (*by_space.values(), *by_person.values()):
        group.sort(key=lambda i: i.start)
        for a, b in zip(group, group[1:], strict=False):
            if b.start < a.end:
                bad.append(f"double booked: {a} / {b}")

    # stays: one person per room, one stay at a time, the move, the move back
    by_room: dict[tuple[str, int], list] = {}
    for s in schedule.stays:
        by_room.setdefault((s.room, s.day), []).append(s)
        inside = [
            i
            for i in schedule.interviews
            if i.caseworker == s.caseworker
            and i.day == s.day
            and i.room == s.room
            and s.start <= i.start
            and i.end <= s.end
        ]
        if not inside:
            bad.append(f"a stay without an interview: {s}")
            continue
        if any(not week.available(s.caseworker, s.day, m) for m in range(s.start, s.end, step)):
            bad.append(f"in a room while away: {s}")
        first = min(i.start for i in inside)
        period = open_period(s.day, first)
        k = period_index(s.day, first)
        # the move is made before opening, or before any period when moves in breaks are set
        moved_before = (
            period is not None
            and first == period[0]
            and s.start == first
            and k is not None
            and (k == 0 or week.move_in_breaks)
        )
        if first - s.start < week.move_minutes and not moved_before:
            bad.append(f"no time for the move: {s}")
        if first - s.start > week.move_minutes:
            bad.append(f"parked in a room before the first interview: {s}")
        if max(i.end for i in inside) != s.end:
            bad.append(f"parked in a room after the last interview: {s}")
        if period is None or s.start < period[0] or s.end > period[1]:
            bad.append(f"a stay outside one open period: {s}")
    for group in (*by_room.values(), *stays_of.values()):
        group.sort(key=lambda s: s.start)
        for a, b in zip(group, group[1:], strict=False):
            if b.start < a.end:
                bad.append(f"two at once: {a} / {b}")
    for i in schedule.interviews:
        if i.room in interview_rooms and answers[i.space].caseworker is None:
            if not any(
                s.room == i.room and s.start <= i.start and i.end <= s.end
                for s in stays_of.get((i.caseworker, i.day), ())
            ):
                bad.append(f"room interview outside a stay: {i}")
        else:
            for m in range(i.start - week.move_minutes, i.end, step):
                if in_a_room(i.caseworker, i.day, m):
                    bad.append(f"desk interview without the move back: {i}")
                    break
        for s in stays_of.get((i.caseworker, i.day), ()):
            if s.room != i.room and s.start < i.end and i.start < s.end:
                bad.append(f"interview while in another room: {i}")

    # windowless limit, caps, demand
    for (person, day), stays in stays_of.items():
        dark = sum(s.end - s.start for s in stays if s.room in windowless)
        if dark > week.windowless_hours * 60 + 1e-9:
            bad.append(f"{person} {dark} min in windowless rooms on day {day}")
    for person, n in schedule.per_caseworker().items():
        if n > caps.get(person, 0):
            bad.append(f"{person} over the cap: {n}")
    for day, n in enumerate(schedule.per_day()):
        if demand[day] is not None and n > demand[day]:
            bad.append(f"day {day} over the demand: {n}")
    return bad


def check_csv(
    plan: Plan,
    privacy: PrivacyResult,
    week: Week,
    text: str,
    caps: dict[str, int],
    demand: tuple[int | None, ...],
    lang: str | None = None,
) -> list[str]:
    """Every rule broken by the schedule a CSV export describes, read from the file alone."""
    positions = [a.position for a in privacy.positions]
    return check(plan, privacy, week, from_csv(text, plan, positions, lang), caps, demand)
