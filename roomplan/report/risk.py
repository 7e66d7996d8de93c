"""The report's risk assessment: the risk of unauthorised disclosure (GDPR [GDPR] Art. 32) that
each finding carries, and the risk a measure leaves.

Risk is likelihood times consequence [ISO-27005]. The consequence of an overheard interview is
taken as high for every interview (it may concern health, money and family), so a risk's level
follows its likelihood, which the findings give: an interview that has no private space, a
position nobody can make private by scheduling, a position private only while colleagues are
away, a device that sees or hears a desk or an interview room. See docs/references.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from roomplan.capacity import CapacityResult, Estimate
from roomplan.devices import SEVERITIES, DeviceFindings
from roomplan.i18n import fmt_num, t
from roomplan.plan.model import Plan
from roomplan.privacy import PrivacyResult
from roomplan.privacy import text as privacy_words

NAMES_SHOWN = 6  # positions named in a risk's basis; the rest are counted


@dataclass(frozen=True)
class Risk:
    """One risk: ``key`` ("week", "busy", "never", "conditional", "devices"), its ``level``
    ("low", "medium" or "high", as the devices' severities) and its basis and treatment in words."""

    key: str
    level: str
    basis: str
    treatment: str


def missing(held: int, bound: int, demand: int) -> tuple[int, int]:
    """Interviews a week [count] of ``demand`` that cannot be held privately, as the interval
    proven: (demand - bound, demand - held), neither below 0. ``held``: a schedule holds this
    many; ``bound``: no schedule holds more."""
    return max(demand - bound, 0), max(demand - held, 0)


def shortfall_level(low: int, high: int) -> str:
    """High when interviews are proven to lack a private space, medium when they may, low
    when every one is proven to have one."""
    return "high" if low > 0 else "medium" if high > 0 else "low"


def _shortfall_text(low: int, high: int, demand: int, lang: str) -> str:
    n = fmt_num(demand, 0, lang)
    if high == 0:
        return t("risk.none_missing", lang, demand=n)
    if low == high:
        return t("risk.missing", lang, n=fmt_num(high, 0, lang), demand=n)
    span = f"{fmt_num(low, 0, lang)}–{fmt_num(high, 0, lang)}"
    return t("risk.missing_interval", lang, n=span, demand=n)


def residual(result: CapacityResult, lang: str) -> str:
    """The risk a plan leaves for the interviews of its demand: level and why."""
    low, high = missing(result.held, result.held_bound, result.demand)
    level = t(f"risk.level.{shortfall_level(low, high)}", lang)
    return f"{level}: {_shortfall_text(low, high, result.demand, lang)}"


def _names(plan: Plan, ids: list[str], lang: str) -> str:
    shown = ", ".join(privacy_words.position_name(plan, pid, lang) for pid in ids[:NAMES_SHOWN])
    if len(ids) > NAMES_SHOWN:
        shown += " " + t("risk.more", lang, n=len(ids) - NAMES_SHOWN)
    return shown


def _positions(plan: Plan, privacy: PrivacyResult, status: str, lang: str) -> Risk:
    """Interview positions of ``status`` ("never" or "conditional")."""
    ids = [p.position for p in privacy.positions if p.status == status]
    if not ids:
        return Risk(status, "low", t("risk.no_positions", lang), "-")
    basis = t(f"risk.{status}_basis", lang, n=len(ids), names=_names(plan, ids, lang))
    level = "high" if status == "never" else "medium"
    return Risk(status, level, basis, t(f"risk.treat.{status}", lang))


def _busy(busy: Estimate, demand: int, quantile: float, lang: str) -> Risk:
    """A busy week (the ``quantile`` of Poisson demand, ``demand`` interviews) with its fast
    answer ``busy``, solved at that demand: the demand falls on the days as the week's does,
    so what the week holds with unlimited demand would overstate it."""
    low, high = missing(busy.held, busy.bound, demand)
    basis = t(
        "risk.busy_basis",
        lang,
        every=fmt_num(round(1 / (1 - quantile)), 0, lang),
        q=fmt_num(100 * quantile, 0, lang),
        said=_shortfall_text(low, high, demand, lang),
    )
    treatment = t("risk.treat.capacity", lang) if high else "-"
    return Risk("busy", shortfall_level(low, high), basis, treatment)


def _devices(devices: DeviceFindings, lang: str) -> Risk:
    """As serious as the most serious finding (a camera on a desk is high, missing signage
    medium, an unknown retention low)."""
    n = len(devices.findings)
    if not n:
        return Risk("devices", "low", t("device.none", lang), "-")
    level = min((f.severity for f in devices.findings), key=SEVERITIES.index)
    return Risk("devices", level, t("risk.devices_basis", lang, n=n), t("risk.treat.devices", lang))


def risks(
    plan: Plan,
    privacy: PrivacyResult,
    capacity: CapacityResult,
    devices: DeviceFindings,
    busy: tuple[int, float, Estimate] | None,
    lang: str,
) -> tuple[Risk, ...]:
    """The risks of the plan as it is, in the order a reader weighs them. busy: a busy
    week's demand, its quantile and the fast answer at that demand (None: no such row)."""
    low, high = missing(capacity.held, capacity.held_bound, capacity.demand)
    out = [
        Risk(
            "week",
            shortfall_level(low, high),
            t("risk.week_basis", lang, said=_shortfall_text(low, high, capacity.demand, lang)),
            t("risk.treat.capacity", lang) if high else "-",
        )
    ]
    if busy is not None:
        demand, quantile, answer = busy
        out.append(_busy(answer, demand, quantile, lang))
    out += [_positions(plan, privacy, s, lang) for s in ("never", "conditional")]
    if plan.devices:
        out.append(_devices(devices, lang))
    return tuple(out)
