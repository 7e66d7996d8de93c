"""Scenarios page: combine ready edits, compare with the plan as it is, adopt one."""

import streamlit as st

from app_pages import common
from app_pages.common import state, tr
from roomplan.access import AccessDenied
from roomplan.figures import scenario_figure
from roomplan.library import LibraryError
from roomplan.plan.edit import EditError
from roomplan.plan.model import Plan
from roomplan.scenarios import Edit, Scenario, best_text, compare, ready_edits

common.header()
plan = common.plan()
lang = common.lang()
menu = ready_edits(plan)
scenarios: list[Scenario] = state.setdefault("scenarios", [])


def still_fitting(
    others: list[Scenario], adopted: Plan
) -> tuple[list[Scenario], list[tuple[str, str]]]:
    """The other scenarios that still apply to the adopted plan, and those that no longer
    do with the reason (a split of an office already split)."""
    kept, dropped = [], []
    for s in others:
        try:
            s.apply(adopted)
        except EditError as exc:
            dropped.append((s.name, exc.message(lang)))
        else:
            kept.append(s)
    return kept, dropped


def default_name() -> str:
    """ "Scenario n" with the lowest n no scenario is named."""
    taken = {s.name for s in state.get("scenarios", [])}
    n = next(k for k in range(1, len(taken) + 2) if tr("app.scenario_default", n=k) not in taken)
    return tr("app.scenario_default", n=n)


def fresh_builder() -> None:
    """Empty fields for the next scenario (new widget keys: the browser drops what it held)."""
    common.set_inputs({"sc_name": default_name(), "sc_edits": [], "sc_hours": ""})


st.subheader(tr("app.new_scenario"))
name = st.text_input(
    tr("app.scenario_name"),
    key=common.widget_key("sc_name", default_name()),
)
chosen = st.multiselect(
    tr("app.ready_edits"),
    menu,
    key=common.widget_key("sc_edits", []),
    format_func=lambda e: e.describe(lang),
    placeholder=tr("app.pick_edits"),
)
hours = st.text_input(
    tr("app.scenario_hours"), key=common.widget_key("sc_hours", ""), placeholder="08:30-15:30"
)
common.keep("sc_name", "sc_edits", "sc_hours")
if st.button(tr("app.add_scenario"), type="primary"):
    edits = list(chosen)
    if hours.strip():
        edits.append(Edit("hours", "all", hours.strip()))
    if not edits or not name.strip():
        st.warning(tr("app.scenario_empty"))
    else:
        try:
            scenario = Scenario(name.strip(), tuple(edits))
            scenario.apply(plan)  # refuse an impossible combination now, not at comparison
            scenario.week(common.week())
        except EditError as exc:
            st.error(common.plain(exc.message(lang)))
        else:
            scenarios.append(scenario)
            state.pop("comparison", None)
            fresh_builder()
            st.rerun()

if scenarios:
    st.subheader(tr("app.scenarios"))
    for k, s in enumerate(list(scenarios)):
        c1, c2 = st.columns([5, 1])
        c1.markdown(
            f"**{common.plain(s.name)}**: "
            + common.plain("; ".join(e.describe(lang) for e in s.edits))
        )
        if c2.button(tr("app.remove"), key=f"remove-{k}"):
            scenarios.pop(k)
            state.pop("comparison", None)
            st.rerun()

    if common.interrupted("compare"):
        st.info(tr("app.compare_cancelled"))
    if st.button(tr("app.compare")):
        stop = st.empty()
        with stop:
            common.cancel_button("compare")
        bar = st.progress(0.0, text=tr("app.solving"))
        try:
            outcomes = compare(
                plan,
                scenarios,
                common.week(),
                common.options(),
                criteria=common.criteria(),
                progress=lambda f, m: bar.progress(f, text=tr("app.solving")),
            )
        except EditError as exc:  # a scenario no longer fits the plan as edited
            st.error(common.plain(exc.message(lang)))
        except Exception:
            common.finished("compare")  # a failure, not a cancellation
            raise
        else:
            state["comparison"] = (common.answers_key("comparison"), outcomes)
        common.finished("compare")
        stop.empty()
        bar.empty()

comparison = state.get("comparison")
if comparison and comparison[0] == common.answers_key("comparison"):
    outcomes = comparison[1]
    rows = [o.row(lang) for o in outcomes]
    st.subheader(tr("app.comparison"))
    st.markdown(common.plain(best_text(outcomes, lang)))
    st.dataframe(
        rows,
        hide_index=True,
        width="stretch",
        column_config={tr("scenario.col.rooms"): st.column_config.TextColumn(width="large")},
    )
    st.plotly_chart(
        scenario_figure(
            [o.name or tr("scenario.baseline") for o in outcomes],
            [o.capacity.held for o in outcomes],
            [o.capacity.held_bound for o in outcomes],
            int(state.get("demand", 237)),
            lang,
        ),
        width="stretch",
        config=common.plot_config(),
    )
    st.caption(tr("app.to_recommend"))
    st.page_link("app_pages/recommend.py", label=tr("nav.recommend"), icon=":material/lightbulb:")
    st.subheader(tr("app.adopt"))
    pick = st.selectbox(
        tr("app.adopt_which"),
        list(range(1, len(outcomes))),
        format_func=lambda i: outcomes[i].name,
    )
    note = st.text_input(tr("app.note"), value="")
    author = common.author_input()
    if st.button(tr("app.adopt_button"), type="primary"):
        chosen_outcome = outcomes[pick]
        lib = common.library()
        if lib is None:
            st.error(tr("app.no_library"))
        else:
            text = "; ".join(e.describe(lang) for e in chosen_outcome.edits)
            try:
                version = lib.add(
                    chosen_outcome.plan,
                    name=common.version_name(lib),
                    note=(note + " — " if note else "") + text,
                    by=common.who(author),
                    source=tr("app.from_scenario", name=chosen_outcome.name),
                )
            except (LibraryError, AccessDenied) as exc:
                st.error(common.plain(exc.message(lang)))
            else:
                common.set_plan(chosen_outcome.plan, version.id, version.label, dirty=False)
                # opening hours are part of a scenario too: the week follows the adoption
                common.set_hours(scenarios[pick - 1].week(common.week()).hours)
                kept, dropped = still_fitting(
                    [s for k, s in enumerate(scenarios) if k != pick - 1], chosen_outcome.plan
                )
                state["scenarios"] = kept
                state.pop("comparison", None)
                state["adopted"] = (version.label, dropped)
                fresh_builder()
                st.rerun()
if state.get("adopted"):
    label, dropped = state.pop("adopted")
    st.success(common.plain(tr("app.adopted", version=label)))
    for scenario_name, why in dropped:
        st.warning(common.plain(tr("app.scenario_dropped", name=scenario_name, why=why)))
