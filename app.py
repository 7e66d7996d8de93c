"""roomplan in the browser: `make run` starts this on the bundled Slagelse plan."""

import os
from pathlib import Path

import streamlit as st

from roomplan import PlanError, load_plan
from roomplan.cli import summary_line
from roomplan.drawing import draw_plan
from roomplan.i18n import t

ROOT = Path(__file__).parent
DEFAULT_PLAN = ROOT / os.environ.get("ROOMPLAN_PLAN", "floorplans/slagelse-oestre-skole.json")

st.set_page_config(page_title="roomplan", layout="wide")
lang = "da"
plans = sorted((ROOT / "floorplans").glob("*.json")) + sorted((ROOT / "floorplans").glob("*.dxf"))
choice = st.selectbox(
    t("app.plan_file", lang),
    plans,
    index=plans.index(DEFAULT_PLAN) if DEFAULT_PLAN in plans else 0,
    format_func=lambda p: p.name,
)
try:
    plan = load_plan(choice)
except PlanError as exc:
    st.error(t("app.plan_invalid", lang))
    st.table([p.as_row(lang) for p in exc.problems])
else:
    st.title(plan.name)
    st.success(summary_line(plan, lang))
    st.pyplot(draw_plan(plan, lang=lang))
