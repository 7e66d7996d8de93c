"""roomplan in the browser: `make run` starts this on the bundled Slagelse plan.

The pages live in app_pages/ and only lay out what the public API computes."""

import logging
import os

import streamlit as st

from app_pages import common, signin
from roomplan.i18n import LANGS, default_lang, t

st.set_page_config(page_title="roomplan", page_icon=":material/meeting_room:", layout="wide")

if "lang" not in st.session_state:
    st.session_state["lang"] = default_lang()  # ROOMPLAN_LANG, else Danish
with st.sidebar:
    st.selectbox(
        t("app.language", common.lang()),
        LANGS,
        key="lang",
        format_func=lambda code: t(f"lang.{code}", code),
        on_change=common.language_changed,
    )

lang = common.lang()
with st.sidebar:
    common.page_setup()
# who is using the app, before any page shows a plan: signed in, or the one local user
st.session_state["identity"] = signin.gate(common.library(), lang)
pages = [
    st.Page("app_pages/plan.py", title=t("nav.plan", lang), icon=":material/map:", default=True),
    st.Page("app_pages/recommend.py", title=t("nav.recommend", lang), icon=":material/lightbulb:"),
    st.Page("app_pages/privacy.py", title=t("nav.privacy", lang), icon=":material/hearing:"),
    st.Page("app_pages/capacity.py", title=t("nav.capacity", lang), icon=":material/event:"),
    st.Page("app_pages/scenarios.py", title=t("nav.scenarios", lang), icon=":material/compare:"),
    st.Page("app_pages/library.py", title=t("nav.library", lang), icon=":material/folder:"),
    st.Page("app_pages/report.py", title=t("nav.report", lang), icon=":material/description:"),
]
page = st.navigation(pages)
try:
    page.run()
except Exception as exc:  # never a traceback for the user: say what failed and keep going
    if type(exc).__name__ in ("StopException", "RerunException", "RerunData"):
        raise
    logging.getLogger("roomplan").exception("page failed")  # the details go to the server log
    if os.environ.get(common.RAISE):  # the tests: a failing page must fail its test, not hide
        raise
    st.error(t("app.failed", lang, error=type(exc).__name__))
