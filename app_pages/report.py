"""Report page: preview the assessment report; the files are built only when asked for."""

import streamlit as st

from app_pages import common
from app_pages.common import state, tr
from roomplan.report import Advice, ReportOptions, build, render

common.header()
plan = common.plan()
lang = common.lang()

author = st.text_input(tr("report.author"), key=common.widget_key("author", ""))
common.keep("author")
comparison = state.get("comparison")
outcomes = comparison[1] if comparison and comparison[0] == common.answers_key("comparison") else []
if outcomes:
    st.caption(tr("app.report_scenarios", n=len(outcomes) - 1))

# the recommendation and the sensitivity of this plan and week, when asked on Anbefaling
kept = state.get("recommendation")
recommendation = kept[1] if kept and kept[0][1] == common.answers_key("recommend") else None
kept = state.get("sensitivity")
swings = kept[1] if kept and kept[0] == ("sensitivity", common.answers_key("sensitivity")) else None
advice = Advice(recommendation, swings) if recommendation or swings else None
if advice is None:
    st.caption(tr("app.report_no_advice"))

privacy = common.privacy()
capacity = common.capacity()
report = build(
    plan,
    privacy,
    capacity,
    ReportOptions(
        lang=lang,
        author=author,
        advice=advice,
        version=state.get("version_label", "") + (" *" if state.get("dirty") else ""),
    ),
    outcomes=outcomes,
)

st.header(common.plain(report.title))
st.info(common.plain(report.conclusion))

formats = {"pdf": "application/pdf", "html": "text/html", "md": "text/markdown", "csv": "text/csv"}
cols = st.columns(len(formats))
for col, (fmt, mime) in zip(cols, formats.items(), strict=True):
    key, signature = f"report-{fmt}", report  # the whole report: any change makes it stale
    if col.button(tr(f"app.make_{fmt}"), key=f"make-{fmt}"):
        state[key] = (signature, render(report, fmt))
    made = state.get(key)
    if made and made[0] == signature:
        col.download_button(
            tr("app.download", fmt=fmt.upper()),
            made[1],
            file_name=f"{tr('app.report_file')}.{fmt}",
            mime=mime,
            key=f"download-{fmt}",
        )

st.image(report.figure_svg.decode("utf-8"), caption=report.figure_caption)
for i, section in enumerate(report.sections, 1):
    with st.expander(f"{i}\\. {common.plain(section.title)}", expanded=i == 1):
        for p in section.paragraphs:
            st.markdown(common.plain(p))
        for table in section.tables:
            st.dataframe(
                [dict(zip(table.header, row, strict=True)) for row in table.rows],
                hide_index=True,
                width="stretch",
            )
        for b in section.bullets:
            st.markdown("- " + common.plain(b))
