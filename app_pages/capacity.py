"""Capacity page: parameters, the bounds first, then the exact answer with its schedule."""

import streamlit as st

from app_pages import common
from app_pages.common import keep, state, tr, widget_key
from roomplan.capacity import Absence
from roomplan.capacity import text as words
from roomplan.capacity.week import (
    DEFAULT_HOURS,
    WEEKDAYS,
    parse_absences,
    parse_hours,
    parse_room_uses,
)
from roomplan.figures import heatmap_figure
from roomplan.i18n import fmt_num
from roomplan.privacy.text import position_name

common.header()
plan = common.plan()
lang = common.lang()

with st.expander(tr("app.parameters"), expanded=True):
    c1, c2, c3, c4 = st.columns(4)
    c1.number_input(
        tr("app.demand"), min_value=0, max_value=100_000, step=1, key=widget_key("demand", 237)
    )
    c2.selectbox(
        tr("app.spread"),
        ["even", "hours"],
        key=widget_key("spread", "even"),
        format_func=lambda s: tr(f"spread.{s}"),
    )
    c3.number_input(
        tr("app.move"), min_value=0, max_value=60, step=5, key=widget_key("move_minutes", 10)
    )
    # half hours, in the language's decimals ("3,0 t"): a number field shows "3.00"
    limit = float(state.get("windowless_hours", 3.0))
    c4.select_slider(
        tr("app.windowless"),
        sorted({k / 2 for k in range(21)} | {limit}),
        key=widget_key("windowless_hours", 3.0),
        format_func=lambda h: tr("app.hours_value", h=fmt_num(h, 1, lang)),
    )
    keep("demand", "spread", "move_minutes", "windowless_hours")
    st.checkbox(tr("app.move_in_lunch"), key=widget_key("move_in_lunch", False))
    keep("move_in_lunch")
    st.markdown(f"**{tr('app.hours')}**")
    cols = st.columns(len(WEEKDAYS))
    hours, bad = [], []
    before = state.get("hours", DEFAULT_HOURS)
    for d, (day, col) in enumerate(zip(WEEKDAYS, cols, strict=True)):
        default = DEFAULT_HOURS[d]
        text = col.text_input(
            tr(f"weekday.{day}"), key=widget_key(f"hours_{day}", f"{default.open}-{default.close}")
        )
        keep(f"hours_{day}")
        try:
            if not text.strip():  # an empty field never closes a day without a word
                raise ValueError(text)
            hours.append(parse_hours(text))
        except ValueError:
            bad.append(tr(f"weekday.{day}"))
            hours.append(before[d])
    if bad:
        st.error(tr("app.bad_hours", days=", ".join(bad)))
    if all(h.closed for h in hours):
        st.error(tr("app.all_closed"))  # the hours before stay in force
    else:
        state["hours"] = tuple(hours)
    staff = [s.id for s in plan.staff if s.holds_interviews]
    st.markdown(f"**{tr('app.absent')}**")
    absences = []
    cols = st.columns(len(WEEKDAYS))
    for d, (day, col) in enumerate(zip(WEEKDAYS, cols, strict=True)):
        away = col.multiselect(
            tr(f"weekday.{day}"),
            staff,
            key=widget_key(f"away_{day}", []),
            placeholder=tr("app.nobody"),
        )
        keep(f"away_{day}")
        absences += [Absence(s, d) for s in away]
    times = st.text_area(
        tr("app.away_times"),
        key=widget_key("away_times", ""),
        placeholder="S03 11:30-12:00\nS12 tir 13:00-15:00",
        help=tr("app.away_times_help"),
    )
    keep("away_times")
    try:
        absences += list(parse_absences(times, [s.id for s in plan.staff], common.lang()))
    except ValueError as exc:
        st.error(common.plain(str(exc)))  # the entries before stay in force
        absences += [a for a in state.get("absences", ()) if a.start is not None]
    state["absences"] = tuple(absences)
    staff_rooms = [r.id for r in plan.rooms if r.kind == "staff"]
    if staff_rooms:
        used = st.text_area(
            tr("app.staff_rooms"),
            key=widget_key("staff_rooms", ""),
            placeholder=f"{staff_rooms[0]} 11:30-13:00",
            help=tr("app.staff_rooms_help"),
        )
        keep("staff_rooms")
        try:
            state["rooms_in_use"] = parse_room_uses(used, staff_rooms, common.lang())
        except ValueError as exc:
            st.error(common.plain(str(exc)))  # the times before stay in force

bounds = common.bounds()
demand = int(state.get("demand", 237))
quick = st.empty()  # the quick answer, until the exact one is there
quick.info(
    tr(
        "app.bounds",
        lower=fmt_num(bounds.lower, 0, lang),
        upper=fmt_num(bounds.upper, 0, lang),
        demand=fmt_num(demand, 0, lang),
    )
)

bar = st.progress(0.0, text=tr("app.solving"))


def progress(fraction: float, message: str) -> None:
    bar.progress(min(max(fraction, 0.0), 1.0), text=tr("app.solving"))


result = common.capacity(progress)
bar.empty()
quick.empty()

verdict = words.verdict(result, lang)
if result.can_hold:
    st.success(common.plain(verdict))
else:
    st.error(common.plain(verdict))
st.markdown(common.plain(words.bottleneck_text(result, plan, lang)))
st.caption(common.plain(words.memo_text(result, lang)))
for line in words.assumption_lines(result, plan, lang):
    st.caption(common.plain(line))

st.subheader(tr("app.heatmap"), help=tr("app.heatmap_help"))
st.plotly_chart(
    heatmap_figure(result.heatmap(plan), lang), width="stretch", config=common.plot_config()
)

use = result.utilisation()
for col, part, title, who in zip(
    st.columns(2),
    ("spaces", "caseworkers"),
    ("app.use_spaces", "app.use_people"),
    ("col.space", "col.staff"),
    strict=True,
):
    col.subheader(tr(title))
    col.dataframe(
        [
            {
                tr(who): position_name(plan, k, lang) if part == "spaces" else k,
                tr("col.use"): f"{fmt_num(100 * v, 0, lang)} %",
            }
            for k, v in sorted(use[part].items())
        ],
        hide_index=True,
        width="stretch",
    )

st.subheader(tr("app.peaks"))
st.caption(tr("app.peaks_help", f=fmt_num(common.options().variance_factor, 1, lang)))
st.dataframe(words.peak_rows(result, lang), hide_index=True, width="stretch")

st.subheader(tr("app.schedule"))
csv_text = result.schedule.to_csv(plan, lang)
st.download_button(
    tr("app.download_csv"),
    csv_text.encode("utf-8"),
    file_name=f"{tr('app.schedule_file')}.csv",
    mime="text/csv",
)
st.dataframe(
    [
        {
            tr("col.staff"): i.caseworker,
            tr("col.day"): tr(f"weekday.{WEEKDAYS[i.day]}"),
            tr("col.start"): f"{i.start // 60:02d}:{i.start % 60:02d}",
            tr("col.place"): position_name(plan, i.space, lang),
        }
        for i in result.schedule.interviews
    ],
    hide_index=True,
    width="stretch",
    height=300,
)
