"""The app in a real browser: Playwright driving Debian's Chromium against `streamlit run`.

Uploads the repo's DXF through the Library page, works on it, runs the capacity page and checks
the verdict and the heatmap; screenshots go to the test's temporary folder. Without Chromium
the test is skipped, except in CI (CI=true), where `.ci/run` installs it and a skip would hide
a broken setup."""

import os

import pytest

from tests.browser import (
    ROOT,
    browser_page,
    capacity_verdict,
    chromium,
    opened,
    served,
    wait_idle,
)

DXF = ROOT / "floorplans" / "slagelse-oestre-skole.dxf"

if chromium() is None:
    if os.environ.get("CI") == "true":
        pytest.fail("Chromium is missing: .ci/run installs Debian's chromium", pytrace=False)
    pytest.skip("Chromium is not installed (apt-get install chromium)", allow_module_level=True)


def test_upload_the_dxf_then_run_capacity(tmp_path):
    with served(tmp_path / "library.sqlite") as url, browser_page() as page:
        opened(page, url)
        page.screenshot(path=str(tmp_path / "1-plan.png"))

        page.get_by_role("link", name="Bibliotek").click()
        page.get_by_text("Upload en plan").wait_for(timeout=30_000)
        page.locator("input[type=file]").set_input_files(str(DXF))
        page.get_by_text("Lag i tegningen").wait_for(timeout=60_000)
        page.get_by_role("button", name="Gem i biblioteket").wait_for(timeout=60_000)
        page.get_by_label("Planens navn i biblioteket").fill("Slagelse fra DXF")
        page.get_by_role("button", name="Gem i biblioteket").click()
        page.get_by_text("Gemt som Slagelse fra DXF v1").wait_for(timeout=60_000)
        wait_idle(page)
        page.screenshot(path=str(tmp_path / "2-library.png"))

        verdict = capacity_verdict(page)
        page.get_by_text("Brug af private rum").wait_for(timeout=60_000)
        heatmap = page.locator(".js-plotly-plot .heatmaplayer")
        heatmap.first.wait_for(state="attached", timeout=60_000)
        wait_idle(page)
        page.screenshot(path=str(tmp_path / "3-capacity.png"), full_page=True)
        assert "92 af de 237" in verdict.first.inner_text()
        assert page.get_by_text("Slagelse fra DXF v1").count() >= 1
        for name in ("1-plan.png", "2-library.png", "3-capacity.png"):
            assert (tmp_path / name).stat().st_size > 10_000


def test_adopt_a_recommendation_and_see_its_figure_on_the_capacity_page(tmp_path):
    with served(tmp_path / "library.sqlite") as url, browser_page() as page:
        opened(page, url)
        page.get_by_role("link", name="Anbefaling").click()
        page.get_by_text("Intet budgetloft").wait_for(timeout=30_000)
        page.get_by_text("Intet budgetloft").click()  # the budget field's 0 kr. now counts
        wait_idle(page)
        page.get_by_role("button", name="Find anbefaling").click()
        page.get_by_text("Samtaletid 9-15 alle åbne dage", exact=False).first.wait_for(
            timeout=180_000
        )
        wait_idle(page)
        page.screenshot(path=str(tmp_path / "1-recommendation.png"), full_page=True)
        page.get_by_role("button", name="Vedtag som ny planversion").click()
        page.get_by_text("Anbefalingen er vedtaget").first.wait_for(timeout=60_000)
        verdict = capacity_verdict(page)
        page.screenshot(path=str(tmp_path / "2-capacity.png"), full_page=True)
        assert "100 af de 237" in verdict.first.inner_text()


def test_the_opening_hours_survive_adopting_a_scenario(tmp_path):
    # issue 15: after the Capacity page, adopting a scenario left the hours fields blank and
    # the next edit counted the other days as closed
    with served(tmp_path / "library.sqlite") as url, browser_page() as page:
        opened(page, url)
        capacity_verdict(page)
        page.get_by_role("link", name="Scenarier").click()
        page.get_by_label("Ny åbningstid alle dage (valgfri)").fill("08:30-15:30")
        page.get_by_label("Ny åbningstid alle dage (valgfri)").press("Enter")
        wait_idle(page)
        page.get_by_role("button", name="Tilføj scenarie").click()
        wait_idle(page)
        page.get_by_role("button", name="Sammenlign med planen som den er").click()
        page.get_by_role("button", name="Vedtag som ny planversion").wait_for(timeout=180_000)
        page.get_by_role("button", name="Vedtag som ny planversion").click()
        page.get_by_text("Scenariet er gemt som", exact=False).first.wait_for(timeout=60_000)
        wait_idle(page)
        capacity_verdict(page)
        days = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag")
        values = [page.get_by_label(day, exact=True).first.input_value() for day in days]
        page.screenshot(path=str(tmp_path / "hours.png"), full_page=True)
        assert values == ["08:30-15:30"] * 5
        assert page.get_by_text("Mindst én dag skal være åben").count() == 0
        monday = page.get_by_label("mandag", exact=True).first
        monday.fill("08:00-15:30")
        monday.press("Enter")
        wait_idle(page)
        page.get_by_text("ugentlige samtaler kan holdes privat").wait_for(timeout=120_000)
        after = [page.get_by_label(day, exact=True).first.input_value() for day in days]
        assert after == ["08:00-15:30"] + ["08:30-15:30"] * 4
