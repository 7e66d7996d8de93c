"""What every page shares: the language, the plan library, the plan being worked on and the
answers for it. Pages only lay out what the public API computes."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import streamlit as st

from roomplan import PlanError, figures, load_plan
from roomplan.access import AccessDenied, Identity, allowed, require
from roomplan.capacity import (
    CapacityOptions,
    DayStore,
    Estimate,
    PlanCache,
    Week,
    capacity_bounds,
    capacity_estimate,
    plan_capacity,
)
from roomplan.capacity.week import DEFAULT_HOURS
from roomplan.i18n import t
from roomplan.library import ENV as LIBRARY_ENV
from roomplan.library import Library, LibraryError, default_path
from roomplan.plan.model import Plan
from roomplan.privacy import Criteria
from roomplan.report.render import markdown_text
from roomplan.scenarios import changed_rooms

ROOT = Path(__file__).resolve().parents[1]
FLOORPLANS = ROOT / "floorplans"
DEFAULT_PLAN = os.environ.get("ROOMPLAN_PLAN", "floorplans/slagelse-oestre-skole.json")
BUNDLED = [
    FLOORPLANS / "slagelse-oestre-skole.json",
    FLOORPLANS / "slagelse-oestre-skole-split.json",
    FLOORPLANS / "aalborg-it-2020.json",
]

state = st.session_state


def lang() -> str:
    return state.get("lang", "da")


def tr(key: str, **params: Any) -> str:
    return t(key, lang(), **params)


def cancel_button(name: str) -> None:
    """A button that stops the computation started below it: a click reruns the page, which
    stops the script at its next progress report; :func:`interrupted` says so then."""
    st.button(tr("app.cancel"), key=f"cancel-{name}", icon=":material/stop_circle:")
    state[f"running-{name}"] = True


def finished(name: str) -> None:
    state.pop(f"running-{name}", None)


def interrupted(name: str) -> bool:
    """Whether the computation ``name`` was stopped before it finished (cancelled, or the
    user went elsewhere): once, then forgotten."""
    return bool(state.pop(f"running-{name}", False))


def plot_config() -> dict[str, Any]:
    """Plotly's toolbar and numbers in the user's language."""
    return figures.plot_config(lang())


NARROW_CSS = """
@media (max-width: 1100px) {
  [data-testid="stHorizontalBlock"] { flex-wrap: wrap; }
  [data-testid="stHorizontalBlock"] > [data-testid="stColumn"] { min-width: 200px; }
}
"""
"""Below 1,100 px columns wrap rather than shrink under 200 px: labels stop overlapping and
the plan takes the width while its side table goes below it (Streamlit wraps only at 640)."""


RAISE = "ROOMPLAN_RAISE"
"""Set by tests/conftest.py: a failure the app would say in words fails its test instead."""

STREAMLIT_TEXTS = (
    ("Skip to main content", "app.skip_to_content"),
    ("Select all", "app.select_all"),
    ("No results", "app.no_results"),
    ("Choose an option", "app.choose_option"),
)
"""Streamlit's own English texts the user meets (the skip link, a multiselect's list, a
select's placeholder) and their catalogue keys."""

STREAMLIT_NAMES = (
    ("Open", "app.open"),
    ("Close", "app.close"),
    ("Clear all", "app.clear_all"),
)
"""The names Streamlit gives its select buttons for screen readers (attributes only, inside
its selects: a user's text that reads "Open" stays as it is)."""

TRANSLATE_JS = """
(() => {
  const ATTRS = ["placeholder", "aria-label", "title"];
  if (!window.roomplanOriginal) window.roomplanOriginal = new WeakMap();
  const originals = window.roomplanOriginal;  // what Streamlit wrote, before any swap
  const lookup = (table, v) => (Object.hasOwn(table, v) ? table[v] : undefined);
  // the text as Streamlit wrote it, kept for the texts swapped until Streamlit writes another
  const firstOf = (node, name, now) => {
    const k = (originals.get(node) || {})[name];
    return k && (now === k.first || now === k.said) ? k.first : now;
  };
  const record = (node, name, first, said) => {
    const kept = originals.get(node) || {};
    kept[name] = {first, said};
    originals.set(node, kept);
  };
  const SELECTS = "[data-baseweb], [data-testid=stSelectbox], [data-testid=stMultiSelect]";
  const swapAttrs = (el) => {
    const inSelect = el.closest(SELECTS);
    for (const a of ATTRS) {
      const now = el.getAttribute(a);
      if (now === null) continue;
      const first = firstOf(el, a, now);
      let said = lookup(window.roomplanTexts, first);
      if (said === undefined && inSelect) said = lookup(window.roomplanNames, first);
      if (said === undefined || said === now) continue;
      record(el, a, first, said);
      el.setAttribute(a, said);
    }
  };
  const swapText = (n) => {
    const first = firstOf(n, "text", n.nodeValue);
    const said = lookup(window.roomplanTexts, first);
    if (said === undefined || said === n.nodeValue) return;
    record(n, "text", first, said);
    n.nodeValue = said;
  };
  const swap = (root) => {
    if (root.nodeType === Node.TEXT_NODE) return swapText(root);
    if (root.nodeType !== Node.ELEMENT_NODE || root.closest(".js-plotly-plot")) return;
    const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) swapText(n);
    swapAttrs(root);
    root.querySelectorAll("[placeholder],[aria-label],[title]").forEach(swapAttrs);
  };
  swap(document.body);
  if (!window.roomplanObserver) {
    window.roomplanObserver = new MutationObserver((changes) => {
      for (const c of changes) {
        if (c.type === "attributes") swapAttrs(c.target);
        for (const node of c.addedNodes) swap(node);
      }
    });
    window.roomplanObserver.observe(document.body, {
      childList: true, subtree: true, attributes: true, attributeFilter: ATTRS,
    });
  }
})();
"""
"""Streamlit's texts of :data:`STREAMLIT_TEXTS` and :data:`STREAMLIT_NAMES` replaced where
they appear, now and in what Streamlit adds later (a dropdown's list is drawn when it opens),
from what Streamlit wrote, so a change of language swaps them again. A function scope: the
script runs again whenever the language changes."""


def page_setup() -> None:
    """The page says its language (screen readers, the browser's translation offer), and
    Streamlit's own texts speak it (:data:`STREAMLIT_TEXTS`): Streamlit writes lang="en" and
    English there itself; columns wrap on a narrow window (:data:`NARROW_CSS`)."""
    texts = json.dumps({english: tr(key) for english, key in STREAMLIT_TEXTS})
    names = json.dumps({english: tr(key) for english, key in STREAMLIT_NAMES})
    st.html(
        f"<style>{NARROW_CSS}</style><script>"
        f"document.documentElement.lang = {json.dumps(lang())};"
        f"window.roomplanTexts = {texts};"
        f"window.roomplanNames = {names};"
        f"{TRANSLATE_JS}"
        "</script>",
        unsafe_allow_javascript=True,
    )


@st.cache_resource(show_spinner=False)
def _library(location: str) -> Library:
    # one per server process and location: opening checks the schema, seeding reads all
    lib = Library(location)
    lib.seed(BUNDLED)
    return lib


def library() -> Library | None:
    """The plan library, seeded with the bundled plans on first start; None (with the reason
    shown) when it cannot be used, so the app still works on the bundled plans."""
    try:
        return _library(os.environ.get(LIBRARY_ENV) or str(default_path()))
    except LibraryError as exc:
        st.warning(plain(exc.message(lang())))
        return None


def who(typed: str = "") -> Identity:
    """Who does an action: the signed-in identity, or (without sign-in) the local user under
    the name typed into the form."""
    identity = state.get("identity")
    if identity is not None and identity.signed_in:
        return identity
    return Identity.local(typed or state.get("who", ""))


def signed_in() -> bool:
    identity = state.get("identity")
    return identity is not None and identity.signed_in


def author_input() -> str:
    """The name field of a save form: only without sign-in (signed in, the identity is it)."""
    if signed_in():
        return ""
    typed = st.text_input(tr("app.author"), key=widget_key("who", ""))
    keep("who")  # the name typed once is the local user's for the other actions too
    return typed


def may(action: str) -> bool:
    """Whether this session's identity may do ``action``; if not, says why (the role it
    needs). The library checks again before it writes."""
    if allowed(who(), action):
        return True
    st.error(plain(AccessDenied(who(), action).message(lang())))
    return False


def _default_plan() -> tuple[Plan, int | None, str]:
    lib = library()
    wanted = Path(DEFAULT_PLAN).name
    if lib is not None:
        try:
            for v in lib.versions():
                if v.source == wanted:
                    return lib.load(v.id), v.id, v.label
        except LibraryError as exc:
            st.warning(plain(exc.message(lang())))
    path = ROOT / DEFAULT_PLAN
    return load_plan(path), None, path.name


def plan() -> Plan:
    """The plan being worked on (the default from the library on first use)."""
    if "plan" not in state:
        try:
            p, vid, label = _default_plan()
        except PlanError as exc:
            st.error(tr("app.plan_invalid"))
            st.dataframe([x.as_row(lang()) for x in exc.problems])
            st.stop()
        set_plan(p, vid, label, dirty=False)
    return state["plan"]


def set_plan(p: Plan, version_id: int | None, label: str, dirty: bool = True) -> None:
    if version_id != state.get("version_id") and not dirty:
        # scenarios and comparisons belong to the plan they were made on
        state["scenarios"] = []
        state.pop("comparison", None)
    if not dirty:  # a plan loaded as it is saved: the edits before it are gone
        state["undo"] = []
    state["plan"] = p
    state["version_id"] = version_id
    state["version_label"] = label
    state["dirty"] = dirty
    state["edits"] = state.get("edits", 0) + 1  # fresh editor widgets for the new plan
    state["revision_of"] = p


def edit(p: Plan) -> None:
    """An edit of the plan being worked on: kept unsaved until saved as a version, and
    undoable (:func:`undo`); the fast answer before it is kept for the history. Only roles
    that may edit (:class:`AccessDenied` otherwise)."""
    require(who(), "edit")
    before = plan()
    step = {
        "plan": before,
        "version": (state.get("version_id"), state.get("version_label", ""), state["dirty"]),
        "rooms": changed_rooms(before, p),
        "before": quick(),
        "asked": asked(),
    }
    steps = state.setdefault("undo", [])
    steps.append(step)
    del steps[:-UNDO_STEPS]
    set_plan(p, state.get("version_id"), state.get("version_label", ""), dirty=True)


UNDO_STEPS = 20
"""The most edits kept to undo (each keeps a whole plan)."""


def asked() -> tuple[str, int]:
    """The week and the demand a figure answers."""
    return repr(week()), options().demand


def undo() -> None:
    """The plan as it was before the last edit (nothing when there is none)."""
    if not state.get("undo"):
        return
    step = state["undo"].pop()
    version_id, label, dirty = step["version"]
    state["plan"] = step["plan"]
    state["version_id"], state["version_label"], state["dirty"] = version_id, label, dirty
    state["edits"] = state.get("edits", 0) + 1
    state["revision_of"] = step["plan"]


def quick(demand: int | None = None) -> Estimate:
    """The fast answer for the plan as it is (each day solved exactly, the weekly caps kept
    without the week's search): a schedule and a proven most, at the demand or ``demand``."""
    o = options() if demand is None else options().replace(demand=demand)
    kind = f"quick-{o.demand}"
    hit = cached(kind)
    if hit is None:
        hit = capacity_estimate(plan(), week(), o, cache=cache())
        remember(kind, hit)
    return hit


def criteria() -> Criteria:
    c = state.get("criteria")
    return c if c is not None else Criteria()


@st.cache_resource
def day_store() -> DayStore:
    """The days' capacities shared by every session of this server: a plan with the same
    private spaces and staff (the bundled plan opened again, an edit nobody hears) solves no
    day twice."""
    return DayStore()


def cache() -> PlanCache:
    """The answers kept for the plan as it is now and the criteria: privacy, bounds and the
    days' capacities (so a change of demand or week re-solves only what it must)."""
    key = (revision(), repr(criteria()))
    kept = state.get("plan_cache")
    if kept is None or kept[0] != key:
        kept = (key, PlanCache(plan(), criteria(), days=day_store()))
        state["plan_cache"] = kept
    return kept[1]


def privacy():
    """The privacy answers for the plan and criteria (the geometry is reused per plan)."""
    return cache().privacy


def week() -> Week:
    hours = state.get("hours", DEFAULT_HOURS)
    staff_rooms = {r.id for r in plan().rooms if r.kind == "staff"}
    return Week(
        hours=tuple(hours),
        move_minutes=int(state.get("move_minutes", 10)),
        windowless_hours=float(state.get("windowless_hours", 3.0)),
        absences=tuple(state.get("absences", ())),
        move_in_breaks=bool(state.get("move_in_lunch", False)),
        # the stated uses of this plan's staff rooms only (another plan's are kept for it)
        rooms_in_use=tuple(u for u in state.get("rooms_in_use", ()) if u.room in staff_rooms),
    )


def capacity_params() -> dict[str, Any]:
    return {
        "demand": int(state.get("demand", 237)),
        "spread": state.get("spread", "even"),
    }


def options() -> CapacityOptions:
    p = capacity_params()
    return CapacityOptions(demand=p["demand"], spread=p["spread"])


def revision() -> int:
    """Counts every plan change in this session (ids of freed plans are reused). A plan put
    in place by any other way than :func:`set_plan` counts too: answers kept for the plan
    before must never be shown for it."""
    current = state.get("plan")
    if state.get("revision_of") is not current:
        state["revision_of"] = current
        state["edits"] = state.get("edits", 0) + 1
    return int(state.get("edits", 0))


def answers_key(kind: str) -> tuple:
    """What an answer depends on: the plan's revision, the criteria, the week, the demand."""
    return (kind, revision(), repr(criteria()), repr(week()), repr(capacity_params()))


def cached(kind: str):
    return state.get("answers", {}).get(answers_key(kind))


def remember(kind: str, value) -> None:
    answers = state.setdefault("answers", {})
    if len(answers) > 20:
        answers.clear()
    answers[answers_key(kind)] = value


def bounds():
    return capacity_bounds(plan(), week(), options(), cache=cache())


def capacity(progress=None):
    hit = cached("capacity")
    if hit is None:
        hit = plan_capacity(plan(), week(), options(), cache=cache(), progress=progress)
        remember("capacity", hit)
    return hit


def status_words(status: str) -> str:
    return tr(f"status.{status}")


def header() -> None:
    """The plan's name and version on every page, and whether it has unsaved edits."""
    p = plan()
    st.title(plain(p.name))
    label = state.get("version_label", "")
    if state.get("dirty"):
        st.caption(plain(tr("app.unsaved", version=label)))
    else:
        st.caption(plain(tr("app.version", version=label)))


def _key(name: str) -> str:
    generation = state.get("input_generation", {}).get(name, 0)
    return f"w_{name}" if not generation else f"w_{name}#{generation}"


def widget_key(name: str, default: Any) -> str:
    """A widget key whose value outlives page switches (Streamlit drops the state of widgets
    not shown): the widget starts from the kept value; :func:`keep` stores it back."""
    key = _key(name)
    if key not in state:
        state[key] = state.get(name, default)
    return key


def keep(*names: str) -> None:
    for name in names:
        if _key(name) in state:
            state[name] = state[_key(name)]


def set_inputs(values: dict[str, Any]) -> None:
    """Give inputs of a page not shown new values (an adoption sets the week): each gets a
    new widget key, so the browser shows the value set rather than what it held before."""
    generation = dict(state.get("input_generation", {}))
    for name, value in values.items():
        state.pop(_key(name), None)
        generation[name] = generation.get(name, 0) + 1
        state[name] = value
    state["input_generation"] = generation


LANG_WORDED = ("spread", "windowless_hours", "sc_edits")
"""Kept inputs whose options are shown in the language's words: a language change gives them
new widgets, or the browser goes on showing the old words and the slider loses its place."""


def language_changed() -> None:
    """The language selector's callback: the worded inputs start again from their values
    (a widget's own when it changed in the same run)."""
    kept = {name: state.get(_key(name), state.get(name)) for name in LANG_WORDED}
    set_inputs({name: value for name, value in kept.items() if value is not None})


def plain(text: str) -> str:
    """Text from a plan shown as it is: no Markdown, HTML, maths or emoji codes."""
    return markdown_text(text)


def problem_text(exc: Exception) -> str:
    """An error of the library or the plan in the user's language."""
    if isinstance(exc, LibraryError | AccessDenied):
        return exc.message(lang())
    if isinstance(exc, PlanError):
        return " ".join(p.line(lang()) for p in exc.problems[:5])
    return tr("app.failed", error=type(exc).__name__)


def version_name(lib: Library) -> str:
    """The library name the plan being worked on is saved under: its version's name."""
    vid = state.get("version_id")
    if vid is not None:
        try:
            return lib.get(vid).name
        except LibraryError:
            pass
    return plan().name


def set_hours(hours) -> None:
    """Opening hours for the week, and the capacity page's inputs showing them."""
    from roomplan.capacity.week import WEEKDAYS

    state["hours"] = tuple(hours)
    texts = {
        f"hours_{day}": t("word.closed", lang()) if h.closed else f"{h.open}-{h.close}"
        for day, h in zip(WEEKDAYS, hours, strict=True)
    }
    set_inputs(texts)
