"""What the assessment report says, as a value: built once, rendered to any format.

Everything the reader sees is decided here (words from the translation layer, numbers from the
privacy, capacity, devices and scenario results); the renderers only lay it out.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Protocol

from roomplan import __version__, memo
from roomplan.capacity import (
    Budget,
    CapacityOptions,
    CapacityResult,
    DayStore,
    Estimate,
    PlanCache,
    capacity_estimate,
)
from roomplan.capacity import text as capacity_words
from roomplan.capacity.peaks import BUSY_QUANTILE, busy_demand
from roomplan.capacity.week import WEEKDAYS, Week
from roomplan.devices import DeviceFindings, audit_devices
from roomplan.i18n import fmt_date, fmt_num, t
from roomplan.plan.files import plan_bytes
from roomplan.plan.model import ROOM_KINDS, Plan
from roomplan.privacy import FIELDS, Criteria, PrivacyResult, sound_fields
from roomplan.privacy import text as privacy_words
from roomplan.report.risk import residual, risks
from roomplan.scenarios import Outcome, Scenario, evaluate, ranked


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] = ()  # relative column widths for paged formats


@dataclass(frozen=True)
class Section:
    title: str
    paragraphs: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
    bullets: tuple[str, ...] = ()
    appendix: bool = False  # after the numbered sections, lettered


class AdviceSections(Protocol):
    """What to change and how sure (:class:`roomplan.report.recommended.Advice`)."""

    def sections(self, lang: str) -> tuple[Section, ...]: ...


@dataclass(frozen=True)
class Report:
    """The report: title page facts (``meta``: label, value), the conclusion, the plan figure
    (SVG, text as paths), the sections in order, and the schedule as CSV."""

    lang: str
    title: str
    meta: tuple[tuple[str, str], ...]
    conclusion: str
    figure_svg: bytes
    figure_caption: str
    sections: tuple[Section, ...]
    schedule_csv: str
    date: dt.date | None = None  # the report's date, also the PDF's creation date
    author: str = ""
    fingerprint: str = ""  # sha256 of what the report says, but its approvals (see build)


FONT = "DejaVu Sans"
"""The report's font family (shipped with matplotlib): the plan's labels are laid out in it,
and the PDF registers its files under this name, so fpdf2 draws them in the same font."""


def figure_svg(plan: Plan, privacy: PrivacyResult, devices: DeviceFindings, lang: str) -> bytes:
    """The plan coloured by privacy status as SVG, byte for byte the same for the same plan."""
    import matplotlib

    from roomplan.drawing import DrawingOptions, draw_plan, save_figure
    from roomplan.figures import STATUS_COLOURS

    fills = {r.room: STATUS_COLOURS[r.status] for r in privacy.rooms}
    legend = {STATUS_COLOURS[s]: t(f"status.{s}", lang) for s in STATUS_COLOURS}
    # labels stay text, not glyph outlines: searchable in the PDF and HTML, and fpdf2 draws
    # some 50 texts much faster than 400 glyph references
    with matplotlib.rc_context(
        {"svg.fonttype": "none", "svg.hashsalt": "roomplan", "font.family": FONT}
    ):
        options = DrawingOptions(lang=lang, views=devices.views or None)
        fig = draw_plan(plan, fills, legend, options)
        out = io.BytesIO()
        save_figure(fig, out, format="svg", metadata={"Date": None})
    return out.getvalue()


@dataclass(frozen=True)
class Signoff:
    """An approval of a report of the plan version: who, when (ISO time), the approved
    report's sha256, and a note."""

    who: str
    at: str
    report_sha256: str
    note: str = ""


@dataclass(frozen=True)
class ReportOptions:
    """What a report is asked about besides the plan. lang: "da" or "en"; demand: interviews
    a week; week: hours and rules (:class:`roomplan.capacity.Week`); criteria: the privacy
    criteria; scenarios: ranked as measures; author, version: for the title page; date:
    defaults to today (inject it for a reproducible report); budget: the work each capacity
    answer may take (:class:`roomplan.capacity.Budget`); advice: the recommended measures and
    the sensitivity (:class:`roomplan.report.recommended.Advice`); approvals: the approvals of
    reports of this plan version (an approval section; None leaves it out)."""

    lang: str = "da"
    demand: int = memo.WEEKLY_DEMAND
    week: Week | None = None
    criteria: Criteria | None = None
    scenarios: Sequence[Scenario] = ()
    author: str = ""
    version: str = ""
    date: dt.date | None = None
    budget: Budget | None = None
    advice: AdviceSections | None = None
    approvals: Sequence[Signoff] | None = None


def build(
    plan: Plan,
    privacy: PrivacyResult,
    capacity: CapacityResult,
    options: ReportOptions | None = None,
    outcomes: Sequence[Outcome] = (),
    devices: DeviceFindings | None = None,
) -> Report:
    """The report from results already computed (see :func:`roomplan.report.build_report`):
    ``options`` gives the language, title-page facts and the advice (its demand, week and
    budget are those ``capacity`` was asked with)."""
    o = options or ReportOptions()
    lang, author, version, advice = o.lang, o.author, o.version, o.advice
    devices = devices if devices is not None else audit_devices(plan, privacy.criteria)
    date = o.date or dt.date.today()
    sha = hashlib.sha256(plan_bytes(plan)).hexdigest()
    meta: tuple[tuple[str, str], ...] = (
        (t("report.site", lang), plan.site or plan.name),
        (t("report.plan", lang), plan.name),
        (t("report.version", lang), version or "-"),
        ("sha256", sha),
        (t("report.tool", lang), f"roomplan {__version__}"),
        (t("report.date", lang), fmt_date(date, lang)),
        (t("report.author", lang), author or "-"),
    )
    sections = [
        _rooms(plan, privacy, lang),
        _hearings(plan, privacy, lang),
        _capacity(plan, capacity, lang),
    ]
    if plan.devices:
        sections.append(_devices(devices, lang))
    sections += [
        _risk(plan, privacy, capacity, devices, _busy(plan, privacy, capacity, outcomes, o), lang),
        _measures(plan, privacy, capacity, outcomes, lang),
        *(advice.sections(lang) if advice is not None else ()),
        _assumptions(plan, privacy.criteria, capacity.week, capacity, lang),
        _law(plan, lang),
        _glossary(lang),
        _listeners(plan, privacy, lang),
    ]
    title = t("report.title", lang, site=plan.site or plan.name)
    conclusion = _conclusion(plan, privacy, capacity, devices, lang)
    schedule_csv = capacity.schedule.to_csv(plan, lang)
    # what an approval approves: what the report says, not who printed it or when (nor who
    # approved it since)
    facts = [m for m in meta if m[0] not in (t("report.date", lang), t("report.author", lang))]
    said = [title, facts, conclusion, [asdict(s) for s in sections], schedule_csv]
    fingerprint = hashlib.sha256(json.dumps(said, ensure_ascii=False).encode()).hexdigest()
    meta += ((t("report.fingerprint", lang), fingerprint),)
    if o.approvals is not None:
        # before the glossary and the appendix
        sections.insert(len(sections) - 2, _approvals(o.approvals, fingerprint, lang))
    return Report(
        lang=lang,
        title=title,
        meta=meta,
        conclusion=conclusion,
        figure_svg=figure_svg(plan, privacy, devices, lang),
        figure_caption=t("report.figure", lang),
        sections=tuple(sections),
        schedule_csv=schedule_csv,
        date=date,
        author=author,
        fingerprint=fingerprint,
    )


def _conclusion(plan, privacy, capacity, devices, lang) -> str:
    positions = privacy.positions
    count = {
        s: sum(1 for p in positions if p.status == s) for s in ("private", "conditional", "never")
    }
    parts = [
        t(
            "report.conclusion.privacy",
            lang,
            n=len(positions),
            **{s: t(f"report.count.{s}", lang, n=n) for s, n in count.items()},
        ),
        capacity_words.verdict(capacity, lang),
    ]
    peak = next((p for p in capacity.peaks if p.period == "week" and p.variance_factor == 1), None)
    if peak is not None:
        key = "peak_yes" if peak.holds else "peak_no" if peak.settled else "peak_open"
        parts.append(
            t(
                f"report.conclusion.{key}",
                lang,
                q=fmt_num(100 * peak.quantile, 0, lang),
                demand=fmt_num(peak.demand, 0, lang),
                held=fmt_num(peak.held or 0, 0, lang),
                bound=fmt_num(peak.held_bound or 0, 0, lang),
            )
        )
    if plan.devices:
        parts.append(t("report.conclusion.devices", lang, n=len(devices.findings)))
    return " ".join(parts)


def _rooms(plan: Plan, privacy: PrivacyResult, lang: str) -> Section:
    rows = []
    for r in privacy.rooms:  # every room, so the reader finds each one by its name
        fix = privacy_words.fix_text(privacy, r.room, lang) or "-"
        failing = [c for c in r.partitions if not c.passes]
        br18 = []
        if failing:
            items = ", ".join(
                f"{c.rooms[1] if c.rooms[0] == r.room else c.rooms[0]}: "
                f"{fmt_num(c.composite_rw, 0, lang)} < {fmt_num(c.required_rw, 0, lang)} dB "
                f"({privacy_words.weakest_word(c, lang)})"
                for c in failing
            )
            br18 = [t("report.br18_fail", lang, items=items)]
        rows.append(
            (
                privacy_words.room_name(plan, r.room),
                t(f"kind.{r.kind}", lang),
                privacy_words.room_text(privacy, r, lang),
                fix,
                " ".join(br18)
                if br18 and r.positions
                else (t("report.br18_ok", lang) if r.positions else "-"),
            )
        )
    header = tuple(
        t(k, lang)
        for k in (
            "col.room",
            "report.col.kind",
            "col.status",
            "col.verdict_fix",
            "report.col.br18",
        )
    )
    return Section(
        t("report.s.rooms", lang),
        paragraphs=(t("report.rooms_intro", lang),),
        tables=(Table(header, tuple(rows), (1.4, 1, 1, 3, 1, 2.4)),),
    )


def _heard(privacy: PrivacyResult, pid: str) -> list[tuple]:
    """The listeners of position ``pid`` (grouped as the privacy text groups them, the one
    that decides its status first), but those only exposed."""
    answer = privacy.position(pid)
    # in the answer's order: those always there, then those who block, the exempt, and
    # those who hear a raised voice only; the loudest first within each
    return [(h, n) for h, n in privacy_words.grouped(answer.hearings) if h.role != "exposure"]


def _counts(h) -> bool:
    """A listener who counts against the position: no need to know, a normal voice."""
    return h.role in ("always", "blocks") and not h.raised_only


def _hearing_cells(privacy: PrivacyResult, room: str, h, n: int, lang: str) -> tuple[str, ...]:
    """Listener, role, path, SNRuni32, PI and verdict of one (grouped) hearing of a talker in
    ``room``."""
    plan = privacy.plan
    return (
        privacy_words.listener_name(plan, h.listener, lang) + (f" (+{n - 1})" if n > 1 else ""),
        privacy_words.role_word(h, lang),
        privacy_words.path_text(privacy, h, room, lang),
        fmt_num(h.snr_uni32, 0, lang),
        fmt_num(h.privacy_index, 0, lang),
        privacy_words.verdict_word(h.verdict, lang)
        + (f" ({t('privacy.raised_only', lang)})" if h.raised_only else ""),
    )


def _hearings(plan: Plan, privacy: PrivacyResult, lang: str) -> Section:
    """One row per interview position: how many listening places without a need to know can
    follow it at a normal voice, and the listener that decides its status; every listener is
    in the appendix (:func:`_listeners`)."""
    rows = []
    for r in privacy.rooms:
        for pid in r.positions:
            heard = _heard(privacy, pid)
            if not heard:
                continue
            h, n = heard[0]
            listener, _, path, snr, _, verdict = _hearing_cells(privacy, r.room, h, n, lang)
            rows.append(
                (
                    privacy_words.position_name(plan, pid, lang),
                    fmt_num(sum(k for g, k in heard if _counts(g)), 0, lang),
                    listener,
                    path,
                    snr,
                    verdict,
                )
            )
    keys = ("report.col.position", "report.col.heard_by", "report.col.deciding", "col.path")
    header = tuple(t(k, lang) for k in (*keys, "report.col.snr", "col.verdict"))
    return Section(
        t("report.s.hearings", lang),
        paragraphs=(t("report.hearings_intro", lang),),
        tables=(Table(header, tuple(rows), (1.3, 0.8, 1.4, 2.4, 0.8, 1)),) if rows else (),
    )


def _listeners(plan: Plan, privacy: PrivacyResult, lang: str) -> Section:
    """The appendix: every listening place that can follow each interview position."""
    tables = []
    keys = ("col.listener", "col.role", "col.path", "report.col.snr", "report.col.pi")
    header = tuple(t(k, lang) for k in ("report.col.position", *keys, "col.verdict"))
    for r in privacy.rooms:
        for pid in r.positions:
            name = privacy_words.position_name(plan, pid, lang)
            rows = tuple(
                (name, *_hearing_cells(privacy, r.room, h, n, lang))
                for h, n in _heard(privacy, pid)
            )
            if rows:
                tables.append(Table(header, rows, (1.3, 1.3, 1, 2.6, 0.7, 0.6, 1)))
    return Section(
        t("report.s.listeners", lang),
        paragraphs=(t("report.listeners_intro", lang),),
        tables=tuple(tables),
        appendix=True,
    )


def _count(n: int | None, lang: str) -> str:
    """A count, or a dash where there is none (a day without a demand limit)."""
    return "–" if n is None else fmt_num(n, 0, lang)


def _capacity(plan: Plan, capacity: CapacityResult, lang: str) -> Section:
    per_day = capacity.schedule.per_day()
    days = Table(
        (t("col.day", lang), t("report.col.demand", lang), t("report.col.held", lang)),
        tuple(
            (
                t(f"weekday.{d}", lang),
                _count(capacity.demand_per_day[k], lang),
                fmt_num(per_day[k], 0, lang),
            )
            for k, d in enumerate(WEEKDAYS)
        ),
    )
    peaks = capacity_words.peak_rows(capacity, lang)
    peak_table = Table(tuple(peaks[0]) if peaks else (), tuple(tuple(r.values()) for r in peaks))
    return Section(
        t("report.s.capacity", lang),
        paragraphs=(
            capacity_words.verdict(capacity, lang),
            capacity_words.bottleneck_text(capacity, plan, lang),
            capacity_words.memo_text(capacity, lang),
            t(
                "report.capacity_most",
                lang,
                capacity=capacity_words.capacity_figure(capacity, lang),
                bound=fmt_num(capacity.capacity_bound, 0, lang),
            ),
            *capacity_words.assumption_lines(capacity, plan, lang),
        ),
        tables=(days, peak_table) if peaks else (days,),
    )


def _devices(devices: DeviceFindings, lang: str) -> Section:
    if not devices.findings:
        return Section(t("report.s.devices", lang), paragraphs=(t("device.none", lang),))
    rows = tuple(tuple(r.values()) for r in devices.rows(lang))
    header = tuple(devices.rows(lang)[0])
    return Section(
        t("report.s.devices", lang), tables=(Table(header, rows, (0.7, 0.7, 2.4, 2, 2)),)
    )


def _busy(
    plan: Plan,
    privacy: PrivacyResult,
    capacity: CapacityResult,
    outcomes: Sequence[Outcome],
    o: ReportOptions,
) -> tuple[int, float, Estimate]:
    """A busy week's demand, its quantile and the fast answer at it: the baseline outcome's
    when given (the scenarios' comparison has it), else solved here."""
    demand = busy_demand(capacity.demand)
    base = next((b for b in outcomes if not b.name and b.plan == plan), None)
    asked = (capacity.demand, capacity.week, capacity.spread)
    if (
        base is not None
        and base.busy is not None
        and asked
        == (
            base.capacity.demand,
            base.capacity.week,
            base.capacity.spread,
        )
    ):
        return demand, BUSY_QUANTILE, base.busy
    options = CapacityOptions(demand=demand, spread=capacity.spread, budget=o.budget or Budget())
    cache = PlanCache(plan, privacy.criteria, privacy=privacy)
    busy = capacity_estimate(plan, capacity.week, options, cache=cache, known=capacity)
    return demand, BUSY_QUANTILE, busy


def _risk(plan, privacy, capacity, devices: DeviceFindings, busy, lang: str) -> Section:
    """Each finding's risk of unauthorised disclosure and how it is treated."""
    rows = tuple(
        (t(f"risk.name.{r.key}", lang), t(f"risk.level.{r.level}", lang), r.basis, r.treatment)
        for r in risks(plan, privacy, capacity, devices, busy, lang)
    )
    keys = ("report.col.risk", "report.col.level", "report.col.basis", "report.col.treatment")
    return Section(
        t("report.s.risk", lang),
        paragraphs=(t("report.risk_intro", lang),),
        tables=(Table(tuple(t(k, lang) for k in keys), rows, (1.6, 0.7, 3, 2)),),
    )


def _gain(o: Outcome, base: CapacityResult, lang: str) -> str:
    """The interviews a measure adds, or "-" when either figure is not proven."""
    if not (o.capacity.held_proven and base.held_proven):
        return "-"
    diff = o.capacity.held - base.held
    return ("+" if diff >= 0 else "") + fmt_num(diff, 0, lang)


def _measures(plan, privacy, capacity, outcomes: Sequence[Outcome], lang: str) -> Section:
    # gains against the baseline computed with the scenarios, when it came with them
    base = next((o.capacity for o in outcomes if not o.name), capacity)
    scored = [o for o in outcomes if o.name]
    if scored:
        order = ranked(scored)
        rows = tuple(
            (
                o.name,
                "; ".join(e.describe(lang) for e in o.edits),
                capacity_words.held_figure(o.capacity, lang),
                _gain(o, base, lang),
                residual(o.capacity, lang),
            )
            for o in (order if order is not None else scored)
        )
        header = tuple(
            t(k, lang)
            for k in (
                "scenario.col.name",
                "report.col.edits",
                "scenario.col.held",
                "report.col.gain",
                "report.col.residual",
            )
        )
        return Section(
            t("report.s.measures", lang),
            paragraphs=(
                t(
                    "report.measures_ranked" if order is not None else "report.measures_open",
                    lang,
                    base=capacity_words.held_figure(base, lang),
                ),
                t("report.residual_intro", lang),
            ),
            tables=(Table(header, rows, (1.2, 2.6, 0.9, 0.8, 1.6)),),
        )
    bullets = []
    for r in privacy.rooms:
        if r.status in ("conditional", "never") and r.positions:
            fix = privacy.fix(r.room)
            if fix.same_room:
                bullets.append(
                    t("report.measure_same_room", lang, room=privacy_words.room_name(plan, r.room))
                )
            element = privacy_words.fix_text(privacy, r.room, lang, same_room=False)
            if element:
                bullets.append(
                    t(
                        "report.measure_weakest",
                        lang,
                        room=privacy_words.room_name(plan, r.room),
                        element=element,
                    )
                )
    return Section(
        t("report.s.measures", lang),
        paragraphs=(t("report.measures_unranked", lang),),
        bullets=tuple(bullets),
    )


def _law(plan: Plan, lang: str) -> Section:
    """The legal basis; the camera surveillance act only where the plan has cameras."""
    keys = ["art5c", "art5f", "art32", "fvl32"]
    if any(d.kind in ("camera", "webcam") for d in plan.devices):
        keys.append("tvo")
    return Section(t("report.s.law", lang), bullets=tuple(t(f"report.law.{k}", lang) for k in keys))


def _wall_kind(kind: str, lang: str) -> str:
    """A partition kind of the plan's defaults ("corridor/office", "default") in words."""
    kinds = kind.split("/")
    if kind == "default":
        return t("report.a.wall_default", lang)
    if len(kinds) == 2 and all(k in ROOM_KINDS for k in kinds):
        a, b = (t(f"kind.{k}", lang) for k in kinds)
        return t("report.a.wall_between", lang, a=a, b=b)
    return t("report.a.wall", lang, kind=kind)


def _assumptions(plan: Plan, criteria: Criteria, week: Week, capacity, lang: str) -> Section:
    hours = "; ".join(
        f"{t(f'weekday.{d}', lang)} "
        + (t("word.closed", lang) if h.closed else f"{h.open}-{h.close}")
        for d, h in zip(WEEKDAYS, week.hours, strict=True)
    )
    rows = [
        (
            t("report.a.effort", lang),
            t(f"effort.{criteria.effort}", lang),
            t("report.src.ansi", lang),
        ),
        (
            t("report.a.criterion", lang),
            f"SNRuni32 ≤ {fmt_num(criteria.max_snr_uni32, 0, lang)} dB",
            t("report.src.gover", lang),
        ),
        (t("report.a.demand", lang), fmt_num(capacity.demand, 0, lang), t("report.src.memo", lang)),
        (t("report.a.length", lang), f"{week.interview_minutes} min", t("report.src.memo", lang)),
        (
            t("report.a.cap", lang),
            fmt_num(memo.MAX_INTERVIEWS_PER_WEEK, 0, lang),
            t("report.src.memo", lang),
        ),
        (t("report.a.move", lang), f"{week.move_minutes} min", t("report.src.memo", lang)),
        (
            t("report.a.windowless", lang),
            f"{fmt_num(week.windowless_hours, 1, lang)} h",
            t("report.src.memo", lang),
        ),
        (t("report.a.hours", lang), hours, t("report.src.hours", lang)),
        (t("report.a.peaks", lang), t("report.peaks_model", lang), t("report.src.peaks", lang)),
        (t("report.a.fields", lang), _fields(plan, lang), t("report.src.fields", lang)),
    ]
    for kind, rating in sorted(plan.defaults.partitions.items()):
        rows.append(
            (
                _wall_kind(kind, lang),
                f"R'w {fmt_num(rating.rw, 0, lang)} dB — {rating.construction}",
                rating.source or "-",
            )
        )
    # measured values replace the assumptions above for their element: said as measured
    measured = [(p.id, p.rating) for p in plan.partitions if p.rating.measured]
    measured += [(d.id, d.rating) for d in plan.doors if d.rating.measured]
    for element, rating in measured:
        rows.append(
            (
                t("report.a.measured", lang, element=element),
                f"R'w {fmt_num(rating.rw, 0, lang)} dB — {rating.construction}",
                rating.source or "-",
            )
        )
    for room in plan.rooms:
        if room.noise_measured:
            rows.append(
                (
                    t("report.a.measured_noise", lang, room=room.name),
                    f"L_Aeq {fmt_num(room.noise_dba, 0, lang)} dB(A)",
                    t("report.src.measured_noise", lang),
                )
            )
    return Section(
        t("report.s.assumptions", lang),
        tables=(
            Table(
                (
                    t("report.col.parameter", lang),
                    t("report.col.value", lang),
                    t("report.col.source", lang),
                ),
                tuple(rows),
                (1.4, 2, 2.6),
            ),
        ),
        bullets=tuple(plan.notes),
    )


def _fields(plan: Plan, lang: str) -> str:
    """Which rooms get which model of their reverberant field, by name and id."""
    fields = sound_fields(plan)
    parts = []
    for field in FIELDS:
        names = [privacy_words.room_name(plan, r.id) for r in plan.rooms if fields[r.id] == field]
        if names:
            parts.append(t(f"report.field.{field}", lang, rooms=", ".join(names)))
    return "; ".join(parts)


def _approvals(approvals: Sequence[Signoff], fingerprint: str, lang: str) -> Section:
    """Who approved reports of this plan version, and whether they approved this report
    (the same content fingerprint) or another edition of it."""
    if not approvals:
        return Section(t("report.approvals", lang), paragraphs=(t("report.approvals_none", lang),))
    this, other = t("report.approved_this", lang), t("report.approved_other", lang)
    rows = tuple(
        (
            a.who,
            a.at.replace("T", " ")[:16],
            a.report_sha256[:16],
            this if a.report_sha256 == fingerprint else other,
            a.note or "-",
        )
        for a in approvals
    )
    keys = ("col.who", "col.time", "col.report", "col.applies", "col.note")
    return Section(
        t("report.approvals", lang),
        paragraphs=(t("report.approvals_intro", lang),),
        tables=(Table(tuple(t(k, lang) for k in keys), rows, (3, 2, 2, 2, 3)),),
    )


def _glossary(lang: str) -> Section:
    return Section(
        t("report.s.glossary", lang),
        bullets=tuple(t(f"report.g.{k}", lang) for k in ("spc", "pi", "sii", "snr", "rw")),
    )


def outcomes_for(
    plan: Plan,
    scenarios: Sequence[Scenario],
    week: Week | None,
    options: CapacityOptions | None,
    criteria: Criteria | None,
) -> list[Outcome]:
    """Each scenario evaluated (the baseline is the report's own capacity); scenarios with
    the same private spaces share their days."""
    cache = PlanCache(plan, criteria, days=DayStore())
    return [evaluate(plan, s, week, options, criteria=criteria, cache=cache) for s in scenarios]
