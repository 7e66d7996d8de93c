"""Privacy page: the criteria, and per room and interview position who can overhear it."""

import streamlit as st

from app_pages import common
from app_pages.common import state, tr
from roomplan.acoustics import EFFORTS
from roomplan.devices import audit_devices
from roomplan.privacy import Criteria
from roomplan.privacy import text as words

common.header()
plan = common.plan()
lang = common.lang()
current = common.criteria()

with st.expander(tr("app.criteria"), expanded=True):
    c1, c2, c3 = st.columns(3)
    effort = c1.selectbox(
        tr("app.effort"),
        EFFORTS,
        index=EFFORTS.index(current.effort),
        format_func=lambda e: tr(f"effort.{e}"),
    )
    check = c2.selectbox(
        tr("app.check_effort"),
        ["-", *EFFORTS],
        index=(["-", *EFFORTS]).index(current.check_effort or "-"),
        format_func=lambda e: tr(f"effort.{e}") if e != "-" else tr("app.none"),
    )
    snr = c3.number_input(
        tr("app.max_snr"),
        min_value=-32.0,
        max_value=0.0,
        value=current.max_snr_uni32,
        step=1.0,
        format="%.0f",
    )
    masked_room = st.selectbox(
        tr("app.masking_room"),
        [r.id for r in plan.rooms],
        format_func=lambda r: f"{r} {plan.room(r).name}",
    )
    level = st.number_input(
        tr("app.masking"),
        min_value=0.0,
        max_value=80.0,
        value=float(current.masking.get(masked_room, 0.0)),
        step=1.0,
        format="%.0f",
        help=tr("app.masking_help"),
    )
    masking = dict(current.masking)
    if level:
        masking[masked_room] = level
    else:
        masking.pop(masked_room, None)
    wanted = Criteria(
        effort=effort,
        check_effort=None if check == "-" else check,
        max_snr_uni32=snr,
        audible_db=min(Criteria().audible_db, snr),  # a strict criterion lowers the label too
        masking=masking,
    )
    if wanted != current:
        state["criteria"] = wanted
        st.rerun()

result = common.privacy()
st.subheader(tr("app.rooms"))
st.dataframe(
    [
        {
            tr("col.room"): f"{r.room} {plan.room(r.room).name}",
            tr("col.status"): common.status_words(r.status),
            tr("col.exposure"): words.exposure_text(result, r, lang) or "-",
            tr("col.verdict_fix"): words.fix_text(result, r.room, lang) or "-",
        }
        for r in result.rooms
        if r.positions or r.overhears
    ],
    hide_index=True,
    width="stretch",
)

st.subheader(tr("app.positions"))
for room in result.rooms:
    for pid in room.positions:
        answer = result.position(pid)
        title = f"{words.position_name(plan, pid, lang)} — {common.status_words(answer.status)}"
        with st.expander(common.plain(title)):
            st.markdown(common.plain(words.condition_text(result, answer, lang)))
            rows = []
            for h, n in words.grouped(answer.hearings):
                rows.append(
                    {
                        tr("col.listener"): words.listener_name(plan, h.listener, lang),
                        tr("col.role"): words.role_word(h, lang),
                        tr("col.path"): words.path_text(result, h, answer.room, lang),
                        "SNRuni32 [dB]": round(h.snr_uni32, 1),
                        "PI [%]": round(h.privacy_index, 0),
                        "SII": round(h.sii, 2) if h.sii == h.sii else None,
                        tr("col.verdict"): words.verdict_word(h.verdict, lang),
                        tr("col.also"): n - 1,
                    }
                )
            if rows:
                st.dataframe(rows, hide_index=True, width="stretch")

failing = [c for r in result.rooms for c in r.partitions if not c.passes and r.positions]
if failing:
    st.subheader(tr("app.partitions"))
    for c in {id(c): c for c in failing}.values():
        st.markdown("- " + common.plain(words.partition_text(plan, c, lang)))

if plan.devices:
    st.subheader(tr("app.devices"))
    found = audit_devices(plan, common.criteria())
    if found.findings:
        st.dataframe(found.rows(lang), hide_index=True, width="stretch")
    else:
        st.success(tr("device.none"))
