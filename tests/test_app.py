"""The Streamlit app: it runs on the bundled plan, and `make run` serves it."""

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]


def test_app_shows_the_slagelse_plan():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert "Østre Skole" in at.title[0].value
    assert "12 borde" in at.success[0].value


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode()


def test_make_run_serves_the_page():
    port = free_port()
    proc = subprocess.Popen(
        ["make", "-s", "run", f"PORT={port}"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 150
        while True:
            try:
                assert fetch(f"http://127.0.0.1:{port}/_stcore/health").strip() == "ok"
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"the app did not start:\n{proc.stdout.read().decode()}")
                time.sleep(0.5)
        page = fetch(f"http://127.0.0.1:{port}/")
        assert '<div id="root">' in page
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
