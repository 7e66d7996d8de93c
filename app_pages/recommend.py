"""Anbefaling: what to change so the interviews can be held privately, at what cost; adopt one."""

import json

import streamlit as st

from app_pages import common
from app_pages.common import state, tr
from roomplan.access import AccessDenied
from roomplan.capacity.peaks import busy_demand
from roomplan.figures import FigureOptions, front_figure, plan_figure
from roomplan.i18n import fmt_num
from roomplan.library import Library, LibraryError
from roomplan.privacy import assess_privacy
from roomplan.recommend import (
    Catalogue,
    CatalogueError,
    Cost,
    RecommendOptions,
    parse_catalogue,
    read_catalogue,
    recommend,
)
from roomplan.recommend import text as words
from roomplan.recommend.evaluate import Runner
from roomplan.recommend.sensitivity import measured_elements, sensitivity


def library_catalogue(lib: Library | None) -> tuple[Catalogue, str]:
    """The plan library's catalogue of measures (the bundled one until one is saved), and
    where it comes from in words; a damaged one is said and the bundled one used."""
    try:
        saved = lib.catalogue() if lib is not None else None
        if saved is not None:
            version, data = saved
            return parse_catalogue(json.loads(data)), tr(
                "app.catalogue_library", created=version.created, author=version.author or "-"
            )
    except (LibraryError, CatalogueError, ValueError) as exc:
        known = isinstance(exc, LibraryError | CatalogueError)
        message = exc.message(common.lang()) if known else ""
        st.error(common.plain(message or str(exc)))
    return read_catalogue(), tr("app.catalogue_bundled")


common.header()
plan = common.plan()
lang = common.lang()
demand = common.options().demand

st.caption(tr("app.recommend_intro"))
c1, c2, c3 = st.columns(3)
target = c1.number_input(tr("app.target_demand"), 0, 100_000, demand, step=1)
peak = c2.number_input(tr("app.target_peak"), 0, 100_000, busy_demand(demand), step=1)
budget = c3.number_input(tr("app.budget_dkk"), 0, 100_000_000, 0, step=10_000)
no_budget = c3.checkbox(tr("app.no_budget"), value=True)

lib = common.library()
if "catalogue" not in state:
    state["catalogue"], state["catalogue_from"] = library_catalogue(lib)
catalogue = state["catalogue"]
with st.expander(tr("app.catalogue")):
    st.caption(common.plain(state["catalogue_from"]))
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
    left, right = st.columns(2)
    left.download_button(
        tr("app.catalogue_download"),
        json.dumps(catalogue.as_dict(), ensure_ascii=False, indent=1),
        file_name="measures.json",
        mime="application/json",
    )
    if lib is not None and right.button(tr("app.catalogue_save")):
        try:
            saved = lib.add_catalogue(
                json.dumps(catalogue.as_dict(), ensure_ascii=False, indent=1).encode("utf-8"),
                by=common.who(),
            )
        except (LibraryError, AccessDenied) as exc:
            st.error(common.plain(exc.message(lang)))
        else:
            state["catalogue_from"] = tr("app.catalogue_saved", created=saved.created)
            st.success(common.plain(state["catalogue_from"]))

key = ("recommendation", common.answers_key("recommend"), target, peak, budget, no_budget)
if common.interrupted("recommend"):
    st.info(tr("app.search_cancelled"))
if st.button(tr("app.find_recommendation"), type="primary") and common.may("recommend"):
    stop = st.empty()
    with stop:
        common.cancel_button("recommend")
    bar = st.progress(0.0, text=tr("app.searching"))
    try:
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
    except ValueError as exc:  # e.g. the Dask scheduler set for the site cannot be reached
        st.error(common.plain(str(exc)))
    except Exception:
        common.finished("recommend")  # a failure, not a cancellation
        raise
    else:
        state["recommendation"] = (key, answer)
    common.finished("recommend")
    stop.empty()
    bar.empty()

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
                plan_figure(option.plan, statuses, options=FigureOptions(lang=lang, height=320)),
                width="stretch",
                config=common.plot_config(),
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
        st.plotly_chart(fig, width="stretch", config=common.plot_config(), key=f"front-{i}")
    rows = words.disruption_rows(answer, lang)
    if rows:
        st.markdown(
            common.plain(tr("recommend.by_disruption", target=fmt_num(answer.targets[0], 0, lang)))
        )
        st.dataframe(rows, hide_index=True)
    st.caption(common.plain(words.lines(answer, lang)[-1]))

    st.subheader(tr("app.adopt"))
    roles = [o.role for o in answer.options]
    pick = st.selectbox(
        tr("app.adopt_which"), roles, format_func=lambda r: tr(f"recommend.role.{r}")
    )
    author = common.author_input()
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
                        by=common.who(author),
                        source=tr("app.from_recommendation"),
                    )
                    common.set_plan(option.plan, version.id, version.label, dirty=False)
                    state["adopted_recommendation"] = version.label
                else:
                    state["adopted_recommendation"] = state.get("version_label", "")
            except (LibraryError, AccessDenied) as exc:
                st.error(common.plain(exc.message(lang)))
            else:
                # the week's and the booking's measures are part of the option too
                common.set_hours(option.week.hours)
                common.set_inputs(
                    {
                        "move_minutes": option.week.move_minutes,
                        "windowless_hours": option.week.windowless_hours,
                        "spread": option.options.spread,
                    }
                )
                state.pop("recommendation", None)
                st.rerun()
st.subheader(tr("app.how_sure"))
st.caption(tr("app.how_sure_intro"))
measured = measured_elements(plan)
if measured:
    st.markdown(common.plain(tr("app.measured_list", items=", ".join(measured))))
sensitivity_key = ("sensitivity", common.answers_key("sensitivity"))
if st.button(tr("app.find_sensitivity")):
    where = RecommendOptions()  # local processes, or the scheduler set for the site
    try:
        with st.spinner(tr("app.searching")), Runner(where.processes, where.scheduler) as runner:
            swings = sensitivity(plan, common.week(), common.options(), runner)
    except ValueError as exc:
        st.error(common.plain(str(exc)))
    else:
        state["sensitivity"] = (sensitivity_key, swings)
kept_sensitivity = state.get("sensitivity")
if kept_sensitivity and kept_sensitivity[0] == sensitivity_key:
    base, swings = kept_sensitivity[1]
    lines = words.sensitivity_lines(base, swings, lang)
    st.markdown(common.plain(lines[0]))
    header, rows = words.sensitivity_table(swings, lang)
    st.dataframe([dict(zip(header, r, strict=True)) for r in rows], hide_index=True)
    st.markdown(common.plain(lines[-1]))
if state.get("adopted_recommendation"):
    st.success(
        common.plain(tr("app.adopted_recommendation", version=state.pop("adopted_recommendation")))
    )
