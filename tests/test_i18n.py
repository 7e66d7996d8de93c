"""The translation layer: both catalogues complete and consistent, formats per language."""

import ast
import datetime as dt
import re
import string
from pathlib import Path

import pytest

from roomplan.i18n import LANGS, catalogue, fmt_date, fmt_num, t

PACKAGE = Path(__file__).resolve().parents[1] / "roomplan"


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_catalogues_have_the_same_keys_and_placeholders():
    da, en = catalogue("da"), catalogue("en")
    assert set(da) == set(en)
    for key in da:
        assert fields(da[key]) == fields(en[key]), key
        assert da[key].strip() and en[key].strip(), key


def used_problem_codes() -> set[str]:
    """Every problem code the package can raise, read from its source."""
    codes = set()
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                if name in ("Problem", "problem") and isinstance(node.args[0].value, str):
                    codes.add(node.args[0].value)
    return codes


def test_every_problem_has_a_message_and_a_fix_in_every_language():
    codes = used_problem_codes()
    assert len(codes) > 30
    for lang in LANGS:
        for code in codes:
            assert f"problem.{code}" in catalogue(lang), (lang, code)
            assert f"fix.{code}" in catalogue(lang), (lang, code)


def test_danish_is_the_default(monkeypatch):
    monkeypatch.delenv("ROOMPLAN_LANG", raising=False)
    assert t("kind.interview") == "samtalerum"
    monkeypatch.setenv("ROOMPLAN_LANG", "en")
    assert t("kind.interview") == "interview room"
    monkeypatch.setenv("ROOMPLAN_LANG", "xx")
    assert t("kind.interview") == "samtalerum"


def test_placeholders_are_filled_and_user_text_is_not_interpreted():
    assert t("problem.unknown_room", "en", room="{0} {x}") == "No room with id {0} {x}."


@pytest.mark.parametrize(
    ("value", "decimals", "da", "en"),
    [
        (1234.5, 1, "1.234,5", "1,234.5"),
        (237, 0, "237", "237"),
        (-0.04, 1, "0,0", "0.0"),
        (-16.25, 2, "-16,25", "-16.25"),
        (1234567, 0, "1.234.567", "1,234,567"),
    ],
)
def test_numbers(value, decimals, da, en):
    assert fmt_num(value, decimals, "da") == da
    assert fmt_num(value, decimals, "en") == en


def test_dates():
    day = dt.date(2026, 11, 22)
    assert fmt_date(day, "da") == "22. november 2026"
    assert fmt_date(day, "en") == "22 November 2026"


def test_no_user_text_in_code_outside_the_catalogues():
    """Danish letters in string literals of the package are a sign of a string that
    bypasses the translation layer (docstrings and comments are fine)."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        # docstrings, and the bare strings documenting constants
        docstrings = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr)}
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
                and re.search("[æøåÆØÅ]", node.value)
            ):
                offenders.append(f"{path.name}:{node.lineno}: {node.value[:40]}")
    # DXF layer names and label words, the kind list for messages, names of generated rooms
    allowed = {"conventions.py", "write.py", "model.py", "synthetic.py"}
    assert [o for o in offenders if o.split(":")[0] not in allowed] == []


ONE = [  # key, params with a count of 1, what Danish and English say
    ("notice.dxf_stamps", {}, "1 rumtekst blev læst", "1 room label was read"),
    ("notice.dxf_labels_unread", {"labels": "x"}, "1 tekst på", "1 text on"),
    ("capacity.and_more", {"first": "S01"}, "S01 og 1 anden", "S01 and 1 more"),
    ("app.problems", {"name": "a.json"}, "1 problem.", "1 problem."),
    ("fig.desks", {"staff": "S01"}, "1 bord: S01", "1 desk: S01"),
    ("app.report_scenarios", {}, "tager scenariet", "includes the scenario"),
    ("risk.more", {}, "og 1 mere", "and 1 more"),
    ("report.conclusion.devices", {}, "giver 1 fund", "give 1 finding "),
    ("portfolio.title", {"budget": "", "held": 1, "demand": 1, "money": "0"},
     "over 1 matrikel:", "over 1 site:"),
]  # fmt: skip


@pytest.mark.parametrize(("key", "params", "da", "en"), ONE)
def test_a_count_of_one_is_said_in_the_singular(key, params, da, en):
    # "1 problemer", "1 borde", "de 1 scenarier": t() takes a key's form for the count n
    assert da in t(key, "da", n=1, **params) and en in t(key, "en", n=1, **params)
    many = t(key, "da", n=3, **params)
    assert "3" in many
    assert da not in many and en not in t(key, "en", n=3, **params)


def test_the_devices_summary_needs_no_plural():
    assert (
        t("device.summary", "da", n=1, devices=1)
        == "Fund: 1. Enheder med kamera eller mikrofon i planen: 1."
    )
    assert (
        t("device.summary", "en", n=1, devices=1)
        == "Findings: 1. Devices with a camera or microphone in the plan: 1."
    )


def test_a_count_from_numpy_or_given_as_text_still_finds_a_form():
    import numpy as np

    assert t("fig.desks", "da", n=np.int64(1), staff="S01") == "1 bord: S01"
    assert t("fig.desks", "da", n="3", staff="S01") == "3 borde: S01"  # never the bare key


@pytest.mark.parametrize(("n", "form"), [(1.0, "1 uge"), ("1", "1 uge"), (2.0, "2 uger")])
def test_a_whole_count_of_any_type_takes_its_form(n, form):
    assert t("count.weeks", "da", n=n) == form


def test_every_room_kind_has_its_plural():
    from roomplan.plan.model import ROOM_KINDS

    for lang in LANGS:
        for kind in ROOM_KINDS:
            assert f"kinds.{kind}" in catalogue(lang), (lang, kind)
