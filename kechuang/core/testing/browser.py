"""Browser tests: Debian's chromium driven by Playwright against pytest-django's live server.

    from kechuang.core.testing.browser import BROWSER_TEST, outside_hosts
    pytestmark = BROWSER_TEST

    def test_something(live_server, browser_page): ...

``browser_page`` (registered in the root conftest) records every URL the page requests in
``page.requested``, so a test can check that nothing outside the site is asked for (no CDN).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connections

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}

BROWSER_TEST = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason="chromium not installed (/usr/bin/chromium); apt-get install chromium",
    ),
]


def outside_hosts(urls: list[str]) -> set[str]:
    """The hosts other than this machine among ``urls``."""
    hosts = {urlsplit(url).hostname for url in urls if url.startswith(("http:", "https:", "ws"))}
    return {host for host in hosts if host not in LOCAL_HOSTS}


@pytest.fixture
def browser_page(monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are plain
    # synchronous queries (the live server answers from its own thread).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        page.requested = requested
        yield page
        browser.close()
        # While Playwright's loop runs, the test's ORM calls get connections of their own (asgiref
        # context); close them here, or the test database cannot be dropped at the end.
        connections.close_all()
