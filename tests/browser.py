"""Helpers for driving the app in Debian's Chromium with Playwright (tests and bench/app.py)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium() -> str | None:
    """Debian's Chromium, if installed (`.ci/run` installs it)."""
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(proc, port: int, what: str, timeout_s: float = 150) -> None:
    """Until the app of ``proc`` answers its health check on 127.0.0.1:``port``."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.read().strip() == b"ok":
                    return
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not start:\n{proc.stdout.read().decode()}")
        time.sleep(0.3)


def stopped(proc) -> None:
    """The process group of ``proc`` ended (the app and what it started). Waiting for
    ``proc`` alone is not enough: `make` ends at once and left its Streamlit running."""
    os.killpg(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + 20
    while group_alive(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    if group_alive(proc.pid):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=20)


def group_alive(pgid: int) -> list[int]:
    """The running (not zombie) processes of process group ``pgid``, from /proc."""
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended while we looked
        if int(fields[2]) == pgid and fields[0] != "Z":
            alive.append(int(stat.parent.name))
    return alive


@contextmanager
def made_run(port: int, env: dict):
    """`make run` on ``port`` with ``env``, as a user starts it; yields once it answers."""
    proc = subprocess.Popen(
        ["make", "-s", "run", f"PORT={port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_healthy(proc, port, "make run")
        yield proc
    finally:
        stopped(proc)


@contextmanager
def served(library: Path, timeout_s: float = 120, port: int | None = None, args=()):
    """The app served by `streamlit run` on a free port (or ``port``), with more command-line
    ``args``; yields its URL."""
    port = port or free_port()
    env = {**os.environ, "ROOMPLAN_LIBRARY": str(library)}
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py")]
    cmd += ["--server.port", str(port), "--server.headless", "true", *args]
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(proc, port, "the app", timeout_s)
        yield url
    finally:
        stopped(proc)


@contextmanager
def browser_page(width: int = 1400):
    """A Playwright page in Debian's Chromium, ``width`` pixels wide."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium(), args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": 1000}, locale="da-DK")
            yield page
        finally:
            browser.close()


def wait_idle(page, timeout_ms: float = 60_000) -> None:
    """Until Streamlit has finished running the script (no 'running' indicator)."""
    page.wait_for_timeout(200)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
        timeout=timeout_ms,
    )


def opened(page, url: str) -> None:
    """The app at ``url``, once the bundled plan's first version is shown."""
    page.goto(url)
    page.get_by_text("Slagelse Jobcenter, Østre Skole v1").wait_for(timeout=90_000)


def capacity_verdict(page):
    """The Capacity page, once its exact verdict is shown: the verdict's locator."""
    page.get_by_role("link", name="Kapacitet").click()
    verdict = page.get_by_text("ugentlige samtaler kan holdes privat")
    verdict.wait_for(timeout=120_000)
    wait_idle(page)
    return verdict


def choose(page, label: str, option: str) -> None:
    """Pick ``option`` (the start of its text) in the Streamlit selectbox labelled ``label``."""
    page.get_by_label(label, exact=True).first.click()
    page.get_by_role("option").filter(has_text=option).first.click()
    wait_idle(page)


def plan_verdict(page):
    """The Plan page's verdict for the week ("Denne uge: ..."), once shown."""
    verdict = page.get_by_text("Denne uge:", exact=False).first
    verdict.wait_for(timeout=120_000)
    return verdict
