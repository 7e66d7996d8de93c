"""The memo's rules and numbers, each in one place ("Samtalekontorer", Slagelse Jobcenter).

Where a rule is enforced, the code refers here: the privacy engine for who may hear an
interview, the capacity model for the move cost, the windowless limit and the caps.
"""

from __future__ import annotations

from roomplan.plan.model import Staff

INTERVIEW_MINUTES = 30
"""An interview lasts half an hour ("af en halv times varighed")."""

MAX_INTERVIEWS_PER_WEEK = 36
"""A caseworker holds up to 36 interviews a week ("op til 36 samtaler om ugen")."""

WEEKLY_DEMAND = 237
"""Interview slots offered each week ("237 samtaletidspunkter")."""

MOVE_MINUTES = 10
"""Moving from the office to an interview room often costs 10 minutes to re-establish the
network connection ("ofte 10 min til at genskabe deres netværksforbindelse")."""

WINDOWLESS_HOURS_PER_DAY = 3.0
"""The small windowless rooms are too closed to sit in all day ("ikke ... en hel dag"); the
memo gives no number, so this limit per caseworker and day is a setting (assumption)."""


def has_need_to_know(listener: Staff, caseworker: Staff) -> bool:
    """Whether ``listener`` may hear ``caseworker``'s interviews: the same person, or a
    colleague who shares a need-to-know group (a designated substitute or rotation partner
    who may take over the case). Everyone else without need-to-know must not hear them
    (forvaltningsloven § 32; GDPR art. 5(1)(c))."""
    return listener.id == caseworker.id or bool(
        set(listener.need_to_know) & set(caseworker.need_to_know)
    )
