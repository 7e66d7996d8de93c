"""Report page: preview the assessment report; the files are built only when asked for."""

import streamlit as st

from app_pages import common
from app_pages.common import state, tr
from roomplan.access import AccessDenied
from roomplan.capacity.peaks import busy_demand
from roomplan.library import LibraryError
from roomplan.report import Advice, ReportOptions, Signoff, build, render
from roomplan.scenarios import Outcome

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

# the approvals of this version's reports (a plan with unsaved edits has none)
lib = common.library()
version_id = None if state.get("dirty") else state.get("version_id")
approvals = None
if lib is not None and version_id is not None:
    try:
        approvals = [
            Signoff(a.who, a.at, a.report_sha256, a.note) for a in lib.approvals(version_id)
        ]
    except LibraryError as exc:
        st.warning(common.plain(exc.message(lang)))

privacy = common.privacy()
capacity = common.capacity()
if not outcomes:  # the plan as it is with its busy week, from this session's answers
    busy = common.quick(busy_demand(capacity.demand))
    outcomes = [Outcome("", plan, privacy, capacity, busy=busy)]
report = build(
    plan,
    privacy,
    capacity,
    ReportOptions(
        lang=lang,
        author=author or (common.who().shown if common.signed_in() else ""),
        advice=advice,
        version=state.get("version_label", "") + (" *" if state.get("dirty") else ""),
        approvals=approvals,
    ),
    outcomes=outcomes,
)

st.header(common.plain(report.title))
st.info(common.plain(report.conclusion))


def _exported(fmt: str) -> bool:
    """Whether this identity may take the report out of roomplan; recorded in the audit
    trail (a refusal too) when there is a library."""
    who = common.who(author)
    try:
        if lib is not None:
            lib.record(who, "export_report", version_id, detail=fmt)
        elif not common.may("export_report"):
            return False
    except (LibraryError, AccessDenied) as exc:
        st.error(common.plain(exc.message(lang)))
        return False
    return True


formats = {"pdf": "application/pdf", "html": "text/html", "md": "text/markdown", "csv": "text/csv"}
cols = st.columns(len(formats))
for col, (fmt, mime) in zip(cols, formats.items(), strict=True):
    key, signature = f"report-{fmt}", report  # the whole report: any change makes it stale
    if col.button(tr(f"app.make_{fmt}"), key=f"make-{fmt}") and _exported(fmt):
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

# an approval is of what the report says (its content sha256), of a saved plan version
if version_id is None or lib is None:
    st.caption(tr("app.approve_unsaved"))
elif st.button(tr("app.approve"), help=tr("app.approve_help"), key="approve"):
    try:  # the library checks the role and records a refusal too
        lib.approve(version_id, report.fingerprint, by=common.who(author))
    except (LibraryError, AccessDenied) as exc:
        st.error(common.plain(exc.message(lang)))
    else:
        state["approved"] = report.fingerprint
        st.rerun()
if state.get("approved"):
    st.success(tr("app.approved", sha=state.pop("approved")[:16]))

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
