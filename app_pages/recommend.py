"""Anbefaling: what to change so the interviews can be held privately, at what cost; adopt one."""

import streamlit as st

from app_pages import common
from app_pages.common import state, tr
from roomplan.capacity.peaks import demand_percentile
from roomplan.figures import front_figure, plan_figure
from roomplan.library import LibraryError
from roomplan.privacy import assess_privacy
from roomplan.recommend import CatalogueError, Cost, RecommendOptions, read_catalogue, recommend
from roomplan.recommend import text as words

common.header()
plan = common.plan()
lang = common.lang()
demand = common.options().demand

st.caption(tr("app.recommend_intro"))
c1, c2, c3 = st.columns(3)
target = c1.number_input(tr("app.target_demand"), 0, 100_000, demand, step=1)
peak = c2.number_input(tr("app.target_peak"), 0, 100_000, demand_percentile(demand, 0.95), step=1)
budget = c3.number_input(tr("app.budget_dkk"), 0, 100_000_000, 0, step=10_000)
no_budget = c3.checkbox(tr("app.no_budget"), value=True)

catalogue = state.get("catalogue") or read_catalogue()
with st.expander(tr("app.catalogue")):
    rows = [
        {
            tr("app.col.measure"): m.label(lang),
            tr("app.col.unit"): m.unit,
            tr("app.col.low"): m.cost.low,
            tr("app.col.typical"): m.cost.typical,
            tr("app.col.high"): m.cost.high,
            tr("app.col.disruption"): tr(f"recommend.disruption.{m.disruption}"),
            tr("app.col.source"): m.source,
        }
        for m in catalogue.measures
    ]
    edited = st.data_editor(
        rows,
        hide_index=True,
        disabled=[tr("app.col.measure"), tr("app.col.unit"), tr("app.col.disruption")],
        key="catalogue_editor",
    )
    for m, row in zip(catalogue.measures, edited, strict=True):
        cost = (row[tr("app.col.low")], row[tr("app.col.typical")], row[tr("app.col.high")])
        if cost != (m.cost.low, m.cost.typical, m.cost.high):
            numbers = all(isinstance(x, int | float) for x in cost)
            if numbers and 0 <= cost[0] <= cost[1] <= cost[2]:
                catalogue = catalogue.with_cost(m.id, Cost(*map(float, cost)))
            else:
                bad = CatalogueError("bad_cost", measure=m.label(lang))
                st.error(common.plain(bad.message(lang)))
    state["catalogue"] = catalogue

key = ("recommendation", common.answers_key("recommend"), target, peak, budget, no_budget)
if st.button(tr("app.find_recommendation"), type="primary"):
    bar = st.progress(0.0, text=tr("app.searching"))
    answer = recommend(
        plan,
        common.week(),
        RecommendOptions(
            targets=tuple(dict.fromkeys((int(target), int(peak)))),
            catalogue=catalogue,
            capacity=common.options(),
            budget_dkk=None if no_budget else float(budget),
        ),
        progress=lambda f, m: bar.progress(min(f, 1.0), text=tr("app.searching")),
    )
    bar.empty()
    state["recommendation"] = (key, answer)

kept = state.get("recommendation")
if kept and kept[0] == key:
    answer = kept[1]
    for i in range(len(answer.targets)):
        st.markdown(common.plain(words.target_line(answer, i, lang)))
    columns = st.columns(max(1, len(answer.options)))
    for column, option in zip(columns, answer.options, strict=False):
        with column:
            lines = words.option_lines(answer, option, lang)
            st.subheader(common.plain(lines[0]))
            for line in lines[1:]:
                st.markdown(common.plain(line))
            privacy = assess_privacy(option.plan)
            statuses = {r.room: r.status for r in privacy.rooms}
            st.plotly_chart(
                plan_figure(option.plan, statuses, lang=lang, height=320),
                width="stretch",
                key=f"plan-{option.role}",
            )
    for i, target_i in enumerate(answer.targets):
        points = answer.fronts[i]
        figures = [p.figures[i] for p in points]
        fig = front_figure(
            [p.cost.typical for p in points],
            [min(f.held, f.demand) for f in figures],
            [min(f.bound, f.demand) for f in figures],
            target_i,
            lang,
        )
        st.plotly_chart(fig, width="stretch", key=f"front-{i}")
    st.caption(common.plain(words.lines(answer, lang)[-1]))

    st.subheader(tr("app.adopt"))
    roles = [o.role for o in answer.options]
    pick = st.selectbox(
        tr("app.adopt_which"), roles, format_func=lambda r: tr(f"recommend.role.{r}")
    )
    author = st.text_input(tr("app.author"), value="")
    if st.button(tr("app.adopt_recommendation"), type="primary"):
        option = answer.options[roles.index(pick)]
        text = "; ".join(c.describe(lang) for c in option.chosen)
        lib = common.library()
        if option.plan != plan and lib is None:
            st.error(tr("app.no_library"))
        else:
            try:
                if option.plan != plan:
                    version = lib.add(
                        option.plan,
                        name=common.version_name(lib),
                        note=text,
                        author=author,
                        source=tr("app.from_recommendation"),
                    )
                    common.set_plan(option.plan, version.id, version.label, dirty=False)
                    state["adopted_recommendation"] = version.label
                else:
                    state["adopted_recommendation"] = state.get("version_label", "")
            except LibraryError as exc:
                st.error(common.plain(exc.message(lang)))
            else:
                # the week's and the booking's measures are part of the option too
                common.set_hours(option.week.hours)
                for name, value in (
                    ("move_minutes", option.week.move_minutes),
                    ("windowless_hours", option.week.windowless_hours),
                    ("spread", option.options.spread),
                ):
                    state[name] = state[f"w_{name}"] = value
                state.pop("recommendation", None)
                st.rerun()
if state.get("adopted_recommendation"):
    st.success(
        common.plain(tr("app.adopted_recommendation", version=state.pop("adopted_recommendation")))
    )
