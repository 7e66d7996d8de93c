"""Who can hear an interview: the plan plus standard speech-privacy acoustics.

``assess_privacy(plan)`` evaluates every interview position against every listening
position (:mod:`.positions`), through the rooms, walls and doors between them
(:mod:`.propagation`), and answers per position, room and partition (:mod:`.result`).
"""

from __future__ import annotations

from roomplan.plan.model import Plan
from roomplan.privacy.assess import VERDICTS, PairMetrics, Transfer, evaluate, transfer
from roomplan.privacy.criteria import Criteria
from roomplan.privacy.propagation import FIELDS, sound_fields
from roomplan.privacy.result import (
    CONFIDENTIAL,
    STATUSES,
    Hearing,
    PartitionCheck,
    PositionAnswer,
    PrivacyResult,
    RoomAnswer,
    answer,
)


def assess_privacy(plan: Plan, criteria: Criteria | None = None) -> PrivacyResult:
    """Who would overhear each interview position of ``plan`` under ``criteria`` (the
    defaults of :class:`Criteria` when None). The geometry is computed once per plan value
    and reused, so a new criteria costs only the metrics."""
    return _assess(plan, criteria or Criteria())


def _assess(
    plan: Plan, criteria: Criteria, verdicts_only: bool = False, tr: Transfer | None = None
) -> PrivacyResult:
    """:func:`assess_privacy`; ``verdicts_only`` leaves out what no status depends on (the
    SII, the check voice, the partitions against the guidance), for trials of a fix; ``tr``
    a transfer of ``plan`` to use instead of the whole plan's (a room's trial)."""
    tr = tr or transfer(plan, criteria.screen_cap_db)
    metrics = evaluate(tr, plan, criteria, criteria.effort, None if verdicts_only else True)
    check = None
    if criteria.check_effort and criteria.check_effort != criteria.effort and not verdicts_only:
        check = evaluate(tr, plan, criteria, criteria.check_effort, sii_all=False)
    positions, rooms, partitions = answer(
        plan, criteria, tr, metrics, check, guidance=not verdicts_only
    )
    return PrivacyResult(
        plan=plan,
        criteria=criteria,
        transfer=tr,
        metrics=metrics,
        check=check,
        positions=positions,
        rooms=rooms,
        partitions=partitions,
    )


__all__ = [
    "CONFIDENTIAL",
    "STATUSES",
    "VERDICTS",
    "Criteria",
    "Hearing",
    "PairMetrics",
    "PartitionCheck",
    "PositionAnswer",
    "PrivacyResult",
    "RoomAnswer",
    "Transfer",
    "FIELDS",
    "assess_privacy",
    "sound_fields",
]
