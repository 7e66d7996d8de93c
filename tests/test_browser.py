"""The app in a real browser: Playwright driving Debian's Chromium against `streamlit run`.

Uploads the repo's DXF through the Library page, works on it, runs the capacity page and checks
the verdict and the heatmap; screenshots go to the test's temporary folder. Without Chromium
the test is skipped, except in CI (CI=true), where `.ci/run` installs it and a skip would hide
a broken setup."""

import os
import secrets

import pytest

from roomplan.library import Library
from tests.browser import (
    ROOT,
    browser_page,
    capacity_verdict,
    choose,
    chromium,
    free_port,
    opened,
    plan_verdict,
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
        page.get_by_text("Optagede private rum").wait_for(timeout=60_000)
        heatmap = page.locator(".js-plotly-plot .heatmaplayer")
        heatmap.first.wait_for(state="attached", timeout=60_000)
        wait_idle(page)
        page.screenshot(path=str(tmp_path / "3-capacity.png"), full_page=True)
        assert "92 af de 237" in verdict.first.inner_text()
        assert page.get_by_text("Slagelse fra DXF v1").count() >= 1
        for name in ("1-plan.png", "2-library.png", "3-capacity.png"):
            assert (tmp_path / name).stat().st_size > 10_000


def test_the_first_screen_answers_an_edit_is_undone_and_the_report_downloads(tmp_path):
    # issue 15: the walk of a manager's first visit, and a coordinator taking the report away
    with served(tmp_path / "library.sqlite") as url, browser_page() as page:
        opened(page, url)
        assert "Denne uge: 92 af 237 samtaler kan holdes privat (bevist)." in (
            plan_verdict(page).inner_text()
        )
        wait_idle(page)
        choose(page, "Rum", "1.07")
        choose(page, "Rumtype", "andet rum")
        change = page.get_by_text("Siden seneste ændring: 92 →", exact=False).first
        change.wait_for(timeout=120_000)
        after = int(change.inner_text().split("→")[1].strip(" .").split()[0])
        assert after < 92  # a large interview room no longer holds interviews
        page.screenshot(path=str(tmp_path / "1-edited.png"), full_page=True)
        page.get_by_role("button", name="Fortryd seneste ændring").click()
        wait_idle(page)
        page.get_by_text("Siden seneste ændring").wait_for(state="detached", timeout=60_000)
        assert "92 af 237" in plan_verdict(page).inner_text()

        page.get_by_role("link", name="Rapport").click()
        page.get_by_role("button", name="Lav PDF").click()
        get = page.get_by_role("button", name="Hent PDF")
        get.wait_for(timeout=120_000)
        with page.expect_download(timeout=60_000) as download:
            get.click()
        path = tmp_path / "report.pdf"
        download.value.save_as(path)
        data = path.read_bytes()
        assert data.startswith(b"%PDF") and len(data) > 50_000
        assert download.value.suggested_filename.endswith(".pdf")


def test_a_language_change_keeps_the_choices_shown_in_words(tmp_path):
    # a select showed its Danish choice on the English page, and the windowless slider fell to
    # its first place ("0.0 h"), after the language changed
    with served(tmp_path / "library.sqlite") as url, browser_page() as page:
        opened(page, url)
        capacity_verdict(page)
        choose(page, "Fordeling over ugen", "Efter åbningstid")
        page.get_by_text("Fordeling over ugen").wait_for(timeout=30_000)
        choose(page, "Sprog", "English")
        page.get_by_text("Spread over the week").wait_for(timeout=60_000)
        verdict = page.get_by_text("weekly interviews can be held privately", exact=False)
        verdict.first.wait_for(timeout=120_000)
        wait_idle(page)
        spread = page.locator('[data-testid="stSelectbox"]').filter(has_text="Spread over")
        slider = page.locator('[data-testid="stSlider"]').filter(has_text="Windowless")
        page.screenshot(path=str(tmp_path / "english.png"), full_page=True)
        assert spread.locator("input").input_value(timeout=30_000) == "By opening hours"
        # Streamlit's own texts follow the language back to English
        page.wait_for_function("() => document.documentElement.lang === 'en'", timeout=30_000)
        assert page.locator('[aria-label="Åbn"], [placeholder="Vælg en mulighed"]').count() == 0
        assert page.locator('[aria-label="Open"]').count() > 0
        assert "3.0 h" in slider.inner_text(timeout=30_000)


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


def _signin_secrets(folder, app_port: int, oidc_port: int):
    """A secrets.toml for the app signing in against the test's identity provider."""
    path = folder / "secrets.toml"
    path.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{app_port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "roomplan"\n'
        'client_secret = "roomplan-test-secret"\n'
        f'server_metadata_url = "http://localhost:{oidc_port}/.well-known/openid-configuration"\n'
        "[roomplan]\n"
        'roles_claim = "groups"\n'
        "[roomplan.groups]\n"
        'rp-readers = "viewer"\n'
        'rp-facilities = "facilities"\n',
        encoding="utf-8",
    )
    return path


def _sign_in(page, url: str, subject: str) -> None:
    """Through the identity provider's own pages: the app's button, then the user."""
    page.goto(url)
    page.get_by_role("button", name="Log ind").click()
    page.get_by_role("button", name=subject).click()  # the provider's predefined user
    page.get_by_text("Slagelse Jobcenter, Østre Skole v1").wait_for(timeout=90_000)


def _adopt_first_version(page) -> None:
    page.get_by_role("link", name="Bibliotek").click()
    page.get_by_role("button", name="Tag versionen i brug").click()
    wait_idle(page)


def test_sign_in_roles_are_checked_by_the_server_and_audited(tmp_path):
    from oidc_provider_mock import User, run_server_in_thread

    users = [
        User(
            sub="vera",
            claims={"name": "Vera Viewer", "email": "vera@example.dk", "groups": ["rp-readers"]},
        ),
        User(
            sub="frida",
            claims={
                "name": "Frida Facilities",
                "email": "frida@example.dk",
                "groups": ["rp-facilities"],
            },
        ),
    ]
    library = tmp_path / "library.sqlite"
    with run_server_in_thread(user_claims=users) as provider:
        port = free_port()
        secrets_toml = _signin_secrets(tmp_path, port, provider.server_port)
        args = ["--secrets.files", str(secrets_toml)]
        with served(library, port=port, args=args) as url:
            with browser_page() as page:
                page.goto(url)
                # nothing of the plan before signing in
                page.get_by_role("button", name="Log ind").wait_for(timeout=60_000)
                assert page.get_by_text("Slagelse Jobcenter, Østre Skole").count() == 0
                _sign_in(page, url, "vera")
                page.get_by_text("Logget ind som Vera Viewer · roller: læser").wait_for()
                _adopt_first_version(page)  # shown to her, refused by the server
                page.get_by_text("Vera Viewer må ikke tage en planversion i brug").wait_for()
                page.get_by_text("Ingen version er taget i brug endnu.").wait_for()
            with browser_page() as page:  # a new browser: a new sign-in
                _sign_in(page, url, "frida")
                _adopt_first_version(page)
                page.get_by_text("er nu den gældende plan").wait_for()
                trail = page.get_by_role("table").last
                trail.get_by_text("Frida Facilities").wait_for()
                assert trail.get_by_text("Vera Viewer").count() == 1
                page.screenshot(path=str(tmp_path / "audit.png"), full_page=True)
    audit = [(e.who, e.action, e.outcome) for e in Library(library).audit() if e.action == "adopt"]
    assert audit == [
        ("Frida Facilities", "adopt", "done"),
        ("Vera Viewer", "adopt", "refused"),
    ]


def test_the_page_speaks_danish_to_the_browser(tmp_path):
    # issue 15: the page said lang="en" on Danish content; the skip link and the plot's
    # toolbar were in English
    with served(tmp_path / "library.sqlite") as url, browser_page() as page:
        opened(page, url)
        wait_idle(page)
        page.wait_for_function("() => document.documentElement.lang === 'da'", timeout=30_000)
        skip = page.locator('[data-testid="stSkipToContent"]')
        assert skip.text_content() == "Gå til hovedindholdet"
        page.locator(".js-plotly-plot").first.hover()
        page.locator('.modebar-btn[data-title="Zoom ind"]').first.wait_for(
            state="attached", timeout=30_000
        )
        assert page.locator('.modebar-btn[data-title="Zoom in"]').count() == 0
        # a multiselect's list: Streamlit draws "Select all" when it opens
        page.get_by_role("link", name="Kapacitet").click()
        page.get_by_text("Fraværende hele dagen").wait_for(timeout=60_000)
        wait_idle(page)
        page.locator('[data-testid="stMultiSelect"]').first.click()
        listbox = page.locator('[role="listbox"]').first
        listbox.wait_for(timeout=30_000)
        page.wait_for_function(
            "() => document.querySelector('[role=listbox]').innerText.includes('Vælg alle')",
            timeout=30_000,
        )
        assert "Select all" not in listbox.inner_text()
        # what a screen reader hears of a select: its button and placeholder, in Danish too
        page.keyboard.press("Escape")
        english = '[aria-label="Open"], [placeholder="Choose an option"], [aria-label="Clear all"]'
        page.wait_for_function(f"() => !document.querySelector('{english}')", timeout=30_000)
        assert page.locator('[aria-label="Åbn"]').count() > 0


def test_a_long_search_can_be_cancelled(tmp_path):
    # issue 15: no way to cancel a long computation
    with served(tmp_path / "library.sqlite") as url, browser_page() as page:
        opened(page, url)
        page.get_by_role("link", name="Anbefaling").click()
        page.get_by_role("button", name="Find anbefaling").click()
        cancel = page.get_by_role("button", name="Afbryd")
        cancel.wait_for(timeout=30_000)
        cancel.click()
        page.get_by_text("Søgningen blev afbrudt").wait_for(timeout=60_000)
        wait_idle(page)
        assert page.get_by_role("button", name="Vedtag som ny planversion").count() == 0


def _overlapping(boxes: list[dict]) -> list[tuple[int, int]]:
    def meet(a, b):
        return (
            a["x"] < b["x"] + b["width"] - 1
            and b["x"] < a["x"] + a["width"] - 1
            and a["y"] < b["y"] + b["height"] - 1
            and b["y"] < a["y"] + a["height"] - 1
        )

    return [(i, j) for i in range(len(boxes)) for j in range(i) if meet(boxes[i], boxes[j])]


def test_an_800_pixel_window_wraps_columns_rather_than_squeezing_them(tmp_path):
    # issue 15: at 800 px labels overlapped and the plan was squeezed beside its side table
    with served(tmp_path / "library.sqlite") as url, browser_page(width=800) as page:
        opened(page, url)
        wait_idle(page)
        main = page.locator('[data-testid="stMainBlockContainer"]').bounding_box()
        plan = page.locator(".js-plotly-plot").first
        plan.wait_for(timeout=60_000)
        assert plan.bounding_box()["width"] > 0.9 * main["width"]
        capacity_verdict(page)
        page.get_by_text("fredag").first.wait_for(timeout=60_000)
        page.wait_for_function(
            "() => !document.querySelector('[data-testid=stSkeleton]')", timeout=60_000
        )
        labels = page.locator('[data-testid="stWidgetLabel"]')
        boxes = [labels.nth(k).bounding_box() for k in range(labels.count())]
        boxes = [b for b in boxes if b and b["width"] > 0]
        assert len(boxes) >= 10 and _overlapping(boxes) == []
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 800  # nothing cut off to the right
