"""/api/docs in headless Chromium: Swagger UI draws the operations from local files only, under its CSP.

Checking the HTML (test_api.py) is not enough: Swagger UI's bundle could still fetch fonts, a validator
badge or the spec from elsewhere at run time. Here every request the browser makes is recorded.
"""

import os
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytestmark = [pytest.mark.browser]

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture
def chromium(monkeypatch):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's flush after the test must still run
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        yield browser
        browser.close()


def test_docs_render_from_local_assets_only(chromium, live_server):
    page = chromium.new_page()
    requests, console_errors = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{live_server.url}/api/docs")
    page.wait_for_selector(".opblock", timeout=15_000)  # an operation drawn from /api/openapi.json
    assert page.locator(".opblock").count() >= 12
    assert "/api/core/people" in page.content()

    origin = urlparse(live_server.url).netloc
    outside = [
        url
        for url in requests
        if urlparse(url).scheme in ("http", "https") and urlparse(url).netloc != origin
    ]
    assert outside == [], outside
    assert any(url.endswith("/static/ninja/swagger-ui-bundle.js") for url in requests)
    assert not [e for e in console_errors if "Content Security Policy" in e], console_errors
