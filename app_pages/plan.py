"""Plan page: the floor plan coloured by privacy, and the selected room's side table."""

import logging
import os

import streamlit as st

from app_pages import common
from app_pages.common import state, tr
from roomplan.access import AccessDenied
from roomplan.capacity import Estimate
from roomplan.capacity.peaks import busy_demand
from roomplan.devices import audit_devices
from roomplan.figures import FigureOptions, plan_figure
from roomplan.i18n import fmt_num
from roomplan.plan.edit import (
    EditError,
    apply_rows,
    room_tables,
    set_kind,
    set_masking,
    set_noise,
)
from roomplan.plan.model import ROOM_KINDS
from roomplan.privacy import text as words

common.header()
plan = common.plan()
result = common.privacy()
lang = common.lang()


def figure(e: Estimate) -> str:
    """A fast answer's figure: the number when proven, else the interval proven."""
    if e.proven:
        return fmt_num(e.held, 0, lang)
    return tr("app.between", lower=fmt_num(e.held, 0, lang), upper=fmt_num(e.bound, 0, lang))


def of_demand(e: Estimate, demand: int) -> str:
    """A figure with the demand it answers (the demand may change between edits)."""
    return tr("app.of_demand", held=figure(e), demand=fmt_num(demand, 0, lang))


def verdict() -> None:
    """The week's answer first: held of the demand and in a busy week; after edits, the
    change, the history and undo."""
    demand = common.options().demand
    now = common.quick()
    busy = busy_demand(demand)
    sure = tr("app.sure_proven" if now.proven else "app.sure_interval")
    text = tr("app.plan_verdict", held=figure(now), demand=fmt_num(demand, 0, lang), sure=sure)
    text += " " + tr("app.plan_busy", busy=fmt_num(busy, 0, lang), held=figure(common.quick(busy)))
    steps = state.get("undo", [])
    if steps and steps[-1]["asked"] == common.asked():  # the same week and demand
        before = steps[-1]["before"]
        text += " " + tr("app.plan_change", before=figure(before), after=figure(now))
    (st.success if now.proven and now.held >= demand else st.warning)(common.plain(text))
    if not steps:
        return
    undo_col, history_col = st.columns([1, 3])
    # a callback: the page then runs once, on the plan as it was
    undo_col.button(tr("app.undo"), key=f"undo-{state.get('edits', 0)}", on_click=common.undo)
    with history_col.expander(tr("app.history", n=len(steps))):
        # each edit's figure after it is the next one's before (at the demand asked then)
        afters = [(s["before"], s["asked"][1]) for s in steps[1:]] + [(now, demand)]
        st.dataframe(
            [
                {
                    tr("col.change"): ", ".join(s["rooms"]) or "-",
                    tr("col.before"): of_demand(s["before"], s["asked"][1]),
                    tr("col.after"): of_demand(*after),
                }
                for s, after in zip(steps, afters, strict=True)
            ],
            hide_index=True,
            width="stretch",
        )


verdict()
statuses = {r.room: r.status for r in result.rooms}


def _edit_now(change) -> None:
    """An edit made in a widget's callback (``change``: plan -> edited plan): kept with its
    undo step, or refused with the reason shown and the controls reset. Callbacks run before
    the page, outside app.py's guard: an unforeseen failure is said here the same way."""
    try:
        now = common.plan()
        new = change(now)
        if new != now:  # an edit that changes nothing is no step to undo
            common.edit(new)
    except (EditError, AccessDenied) as exc:
        state["edit_error"] = exc.message(common.lang())
        state["resets"] = state.get("resets", 0) + 1
    except Exception as exc:
        logging.getLogger("roomplan").exception("edit failed")
        if os.environ.get(common.RAISE):  # the tests: a failure must fail its test
            raise
        state["edit_error"] = tr("app.failed", error=type(exc).__name__)
        state["resets"] = state.get("resets", 0) + 1


def _kind_changed(rid: str, key: str, kind_words: list[str]) -> None:
    kind = ROOM_KINDS[kind_words.index(state[key])]
    _edit_now(lambda p: set_kind(p, rid, kind) if p.room(rid).kind != kind else p)


def _masking_changed(rid: str, key: str) -> None:
    masking = state[key]
    _edit_now(lambda p: set_masking(p, rid, masking or None))


def _noise_changed(rid: str, keys: tuple[str, str]) -> None:
    noise, measured = state[keys[0]], state[keys[1]]
    _edit_now(lambda p: set_noise(p, rid, noise, measured=measured))


def condition_line(pid: str) -> str:
    """When one interview position is private: "desk 1.01-A (S01): only while ..."."""
    when = words.condition_text(result, result.position(pid), lang)
    return f"{words.position_name(plan, pid, lang)}: {when}"


conditions = {r.room: [condition_line(p) for p in r.positions] for r in result.rooms}
# the hover says the room's status and, a line each, when its positions are private
details = {
    r.room: "\n".join([words.room_text(result, r, lang), *conditions[r.room]]) for r in result.rooms
}
views = audit_devices(plan).views if plan.devices else None

room_ids = [r.id for r in plan.rooms]
if state.get("room") not in room_ids:
    state["room"] = next((r.id for r in plan.rooms if r.kind == "office"), room_ids[0])
if state.get("w_room") not in room_ids:
    state["w_room"] = state["room"]
common.keep("room")  # the room chosen in the list, before the plan outlines it

left, right = st.columns([3, 2], gap="medium")
with left:
    options = FigureOptions(lang=lang, views=views, selected=state["room"])
    fig = plan_figure(plan, statuses, details, options)
    event = st.plotly_chart(
        fig,
        width="stretch",
        config=common.plot_config(),
        on_select="rerun",
        selection_mode="points",
        key=f"plan-figure-{state.get('edits', 0)}",
    )
    picked = [p.get("customdata") for p in (event or {}).get("selection", {}).get("points", [])]
    picked = [p for p in picked if p in room_ids]
    # only a new click selects: the chart keeps its last selection across reruns
    if picked and picked[0] != state.get("last_pick"):
        state["last_pick"] = state["room"] = state["w_room"] = picked[0]
        st.rerun()
    counts = {s: sum(1 for r in result.rooms if r.status == s) for s in statuses.values()}
    st.caption(" · ".join(f"{common.status_words(s)}: {n}" for s, n in sorted(counts.items())))
    with st.expander(tr("app.plan_as_text")):  # the figure's text alternative
        st.dataframe(
            [
                {
                    tr("col.room"): words.room_name(plan, r.room),
                    tr("col.kind"): tr(f"kind.{r.kind}"),
                    tr("col.status"): tr(f"status.{r.status}"),
                    tr("col.when"): " ".join(conditions[r.room]) or "-",
                }
                for r in result.rooms
            ],
            hide_index=True,
            width="stretch",
        )

with right:
    rid = st.selectbox(
        tr("app.room"),
        room_ids,
        key=common.widget_key("room", room_ids[0]),
        format_func=lambda r: f"{r} {plan.room(r).name}",
    )
    common.keep("room")
    room = plan.room(rid)
    answer = result.room(rid)
    st.markdown(f"**{common.plain(words.room_text(result, answer, lang))}**")
    for line in conditions[rid]:
        st.markdown("- " + common.plain(line))
    # the controls' keys: new for a new plan (edits) and after a refused edit (resets), which
    # leaves the plan and its answers as they are
    n = f"{state.get('edits', 0)}.{state.get('resets', 0)}"

    def apply(change) -> None:
        """Make the edit and show the page again; a refused edit resets the controls."""
        try:
            new = change()
            if new is not plan:
                common.edit(new)
        except (EditError, AccessDenied) as exc:
            state["edit_error"] = exc.message(lang)
            state["resets"] = state.get("resets", 0) + 1
            st.rerun()
        if new is not plan:
            st.rerun()

    # the room's own values change in callbacks, before the page runs: the page then draws
    # the edited plan once, its verdict first, rather than the old plan and then again
    kind_words = [tr(f"kind.{k}") for k in ROOM_KINDS]
    key = f"kind-{rid}-{n}-{lang}"
    st.selectbox(
        tr("app.kind"),
        kind_words,
        index=ROOM_KINDS.index(room.kind),
        key=key,
        on_change=_kind_changed,
        args=(rid, key, kind_words),
    )
    key = f"masking-{rid}-{n}"
    st.number_input(
        tr("app.masking"),
        min_value=0.0,
        max_value=80.0,
        value=float(room.masking_dba or 0.0),
        step=1.0,
        format="%.0f",
        help=tr("app.masking_help"),
        key=key,
        on_change=_masking_changed,
        args=(rid, key),
    )
    noise_col, measured_col = st.columns([3, 2], vertical_alignment="bottom")
    keys = (f"noise-{rid}-{n}", f"noise-measured-{rid}-{n}")
    noise_col.number_input(
        tr("app.noise"),
        min_value=0.0,
        max_value=120.0,
        value=float(room.noise_dba),
        step=1.0,
        format="%.0f",
        help=tr("app.noise_help"),
        key=keys[0],
        on_change=_noise_changed,
        args=(rid, keys),
    )
    measured_col.checkbox(
        tr("app.noise_measured"),
        value=room.noise_measured,
        key=keys[1],
        on_change=_noise_changed,
        args=(rid, keys),
    )

    tables = room_tables(plan, rid)
    staff_ids = [s.id for s in plan.staff]
    edited = {}
    config = {
        "doors": {
            "id": st.column_config.TextColumn(tr("col.door"), disabled=True),
            "to": st.column_config.TextColumn(tr("col.to"), disabled=True),
            "rw": st.column_config.NumberColumn("R'w [dB]", min_value=10, max_value=60, step=1),
            "open": st.column_config.CheckboxColumn(tr("col.open")),
            "measured": st.column_config.CheckboxColumn(tr("col.measured")),
        },
        "walls": {
            "room": st.column_config.TextColumn(tr("col.neighbour"), disabled=True),
            "rw": st.column_config.NumberColumn("R'w [dB]", min_value=20, max_value=75, step=1),
            "measured": st.column_config.CheckboxColumn(tr("col.measured")),
            "length": st.column_config.NumberColumn(tr("col.length"), disabled=True),
        },
        "desks": {
            "id": st.column_config.TextColumn(tr("col.desk"), disabled=True),
            "staff": st.column_config.SelectboxColumn(tr("col.staff"), options=staff_ids),
            "chair": st.column_config.CheckboxColumn(tr("col.chair"), disabled=True),
        },
        "screens": {
            "id": st.column_config.TextColumn(tr("col.screen"), disabled=True),
            "height": st.column_config.NumberColumn(
                tr("col.height"), min_value=0.5, max_value=2.5, step=0.1
            ),
            "remove": st.column_config.CheckboxColumn(tr("col.remove")),
        },
    }
    for name, rows in tables.items():
        if not rows:
            continue
        st.markdown(f"**{tr('app.table.' + name)}**")
        edited[name] = st.data_editor(
            rows,
            column_config=config[name],
            hide_index=True,
            width="stretch",
            key=f"table-{name}-{rid}-{n}",
        )
    if edited and any(edited[k] != tables[k] for k in edited):
        apply(lambda: apply_rows(plan, rid, edited))
    if state.get("edit_error"):
        st.error(common.plain(state.pop("edit_error")))
    if state.get("dirty"):
        st.info(tr("app.save_hint"))
