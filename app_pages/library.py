"""Library page: upload plans (JSON/GeoJSON or DXF), see every problem, keep versions."""

import streamlit as st

from app_pages import common
from app_pages.common import state, tr
from roomplan import PlanError
from roomplan.access import AccessDenied
from roomplan.cli import summary_line
from roomplan.library import LibraryError
from roomplan.plan.dxf import ROLES, dxf_layers, dxf_units, parse_mapping
from roomplan.plan.files import import_plan, sniff_format
from roomplan.plan.problems import MAX_BYTES

AUDIT_ROWS = 50  # the newest entries of the audit trail shown (the library keeps all)

common.header()
lang = common.lang()
lib = common.library()

# -- the plan being worked on, saved as a version ---------------------------------------
if state.get("dirty") and lib is not None:
    with st.form("save"):
        st.markdown(f"**{tr('app.save_title')}**")
        note = st.text_input(tr("app.note"))
        author = common.author_input()
        if st.form_submit_button(tr("app.save"), type="primary"):
            try:
                v = lib.add(
                    common.plan(),
                    name=common.version_name(lib),
                    note=note,
                    by=common.who(author),
                    source=tr("app.edited"),
                )
            except (LibraryError, PlanError, AccessDenied) as exc:
                st.error(common.plain(common.problem_text(exc)))
            else:
                common.set_plan(common.plan(), v.id, v.label, dirty=False)
                st.rerun()

# -- upload -------------------------------------------------------------------------------
st.subheader(tr("app.upload"))
upload = st.file_uploader(tr("app.upload_help"), type=["json", "geojson", "dxf"], key="upload")
if upload is not None and common.may("upload"):  # only facilities' files are read at all
    data = upload.getvalue()
    # what the bytes are beats what the name says (a JSON plan saved as .dxf)
    fmt = sniff_format(data) or ("dxf" if upload.name.lower().endswith(".dxf") else "json")
    options = {}
    problems = None
    if len(data) > MAX_BYTES:
        st.error(tr("app.too_big", mb=MAX_BYTES // (1024 * 1024)))
        st.stop()
    if fmt == "dxf":
        try:
            layers = dxf_layers(data)
            units = dxf_units(data)
        except PlanError as exc:
            problems = exc.problems
            layers, units = [], None
        if layers:
            st.markdown(f"**{tr('app.layers')}**")
            rows = [
                {tr("col.layer"): name, tr("col.role"): role or "-", tr("col.entities"): n}
                for name, role, n in layers
            ]
            st.dataframe(rows, hide_index=True, width="stretch")
            mapping = st.text_input(
                tr("app.layer_map"),
                value="",
                placeholder="A-AREA=room; A-DOOR=door",
                help=tr("app.layer_map_help", roles=", ".join(ROLES)),
            )
            try:
                if parse_mapping(mapping):
                    options["layer_map"] = parse_mapping(mapping)
            except ValueError as exc:
                st.error(common.plain(tr("app.bad_layer_map", item=str(exc))))
            if units is None:
                scale = st.number_input(
                    tr("app.scale"),
                    min_value=0.0,
                    value=0.0,
                    format="%.4f",
                    help=tr("app.scale_help"),
                )
                if scale > 0:
                    options["scale"] = scale
    notices: tuple = ()
    if problems is None:
        try:
            plan, notices = import_plan(data, fmt, **options)
        except PlanError as exc:
            problems = exc.problems
    if problems:
        st.error(common.plain(tr("app.problems", n=len(problems), name=upload.name)))
        st.dataframe([p.as_row(lang) for p in problems], hide_index=True, width="stretch")
    else:
        st.success(common.plain(summary_line(plan, lang)))
        if notices:
            with st.expander(tr("app.import_notices", n=len(notices)), expanded=True):
                st.markdown("\n".join(f"- {common.plain(n.message(lang))}" for n in notices))
        if state.get("dirty"):
            st.warning(tr("app.unsaved_lost"))
        with st.form("add"):
            name = st.text_input(tr("app.plan_name"), value=plan.name or upload.name)
            note = st.text_input(tr("app.note"))
            author = common.author_input()
            if st.form_submit_button(tr("app.add"), type="primary"):
                if lib is None:
                    st.error(tr("app.no_library"))
                else:
                    try:
                        v = lib.add(
                            plan,
                            name=name,
                            note=note,
                            by=common.who(author),
                            source=upload.name,
                            upload=True,
                        )
                    except (LibraryError, AccessDenied) as exc:
                        st.error(common.plain(exc.message(lang)))
                    else:
                        common.set_plan(plan, v.id, v.label, dirty=False)
                        state["added"] = v.label
                        st.rerun()
if state.get("added"):
    st.success(common.plain(tr("app.added", version=state.pop("added"))))

# -- the versions -------------------------------------------------------------------------
if lib is not None:
    st.subheader(tr("app.versions"))
    try:
        versions = lib.versions()
    except LibraryError as exc:
        st.error(common.plain(exc.message(lang)))
        versions = []
    st.dataframe(
        [
            {
                tr("col.plan"): v.name,
                tr("col.version"): v.version,
                tr("col.time"): v.created.replace("T", " ")[:16],
                tr("col.author"): v.author,
                tr("col.note"): v.note,
                tr("col.source"): v.source,
                "sha256": v.sha256[:12],
            }
            for v in versions
        ],
        hide_index=True,
        width="stretch",
    )
    if versions:
        ids = [v.id for v in versions]
        current = state.get("version_id")
        pick = st.selectbox(
            tr("app.pick_version"),
            ids,
            index=ids.index(current) if current in ids else 0,
            format_func=lambda i: next(v.label for v in versions if v.id == i),
        )
        if state.get("dirty"):
            st.warning(tr("app.unsaved_lost"))
        if st.button(tr("app.work_on"), disabled=pick == current and not state.get("dirty")):
            try:
                chosen = lib.load(pick)
            except LibraryError as exc:
                st.error(common.plain(exc.message(lang)))
            else:
                v = next(v for v in versions if v.id == pick)
                common.set_plan(chosen, v.id, v.label, dirty=False)
                st.rerun()

        chosen_version = next(v for v in versions if v.id == pick)
        st.caption(common.plain(tr("app.adopt_version_help", name=chosen_version.name)))
        if st.button(tr("app.adopt_version"), key="adopt-version"):
            try:  # the library checks the role, and records a refusal too
                adopted = lib.adopt(pick, by=common.who())
            except (LibraryError, AccessDenied) as exc:
                st.error(common.plain(exc.message(lang)))
            else:
                st.success(common.plain(tr("app.adopted_version", version=adopted.label)))
        try:
            in_force = lib.adopted(chosen_version.name)
        except LibraryError as exc:
            st.error(common.plain(exc.message(lang)))
        else:
            st.caption(
                common.plain(tr("app.in_force", version=in_force.label))
                if in_force
                else tr("app.none_in_force")
            )

    # -- who did what -------------------------------------------------------------------
    st.subheader(tr("app.audit"), help=tr("app.audit_help"))
    try:
        trail = lib.audit(limit=AUDIT_ROWS)
    except LibraryError as exc:
        st.error(common.plain(exc.message(lang)))
        trail = []
    # a plain table (not a canvas grid): screen readers and search in the page find the names
    st.table(
        [
            {
                tr("col.time"): e.at.replace("T", " ")[:19],
                tr("col.who"): e.who,
                tr("col.action"): tr(f"action.{e.action}"),
                tr("col.outcome"): tr(f"outcome.{e.outcome}"),
                tr("col.detail"): e.detail,
            }
            for e in trail
        ],
    )
