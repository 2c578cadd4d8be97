"""Screenshots of the main pages, taken with headless chromium (Debian's package).

    uv run python scripts/screenshots.py --base-url http://127.0.0.1:8000 \
        --username huainan --password demo12345 [--out var/screenshots]

Saves login, home, organization list and detail, import page, platform list, the statistics
dashboard and the bulletin list as PNG
files, and fails when a page asks for anything outside the site (the UI must reach no CDN).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--lang=zh-CN",
]
PAGES = [
    ("02-home", "/"),
    ("03-organization-list", "/orgs/"),
    ("05-import", "/import/"),
    ("06-platform-list", "/platforms/"),
    ("07-stats-dashboard", "/stats/"),
    ("08-bulletins", "/bulletins/"),
]


def take(base_url: str, username: str, password: str, out: Path) -> list[str]:
    """Save the screenshots; return the URLs requested outside ``base_url``'s host."""
    out.mkdir(parents=True, exist_ok=True)
    host = urlsplit(base_url).hostname
    outside: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="zh-CN")
        page.on(
            "request",
            lambda r: (
                outside.append(r.url)
                if r.url.startswith("http") and urlsplit(r.url).hostname != host
                else None
            ),
        )

        def shot(name: str) -> None:
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(out / f"{name}.png"), full_page=True)
            print(f"{out / name}.png  {page.url}")

        page.goto(urljoin(base_url, "/accounts/login/"))
        shot("01-login")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        if "/accounts/login/" in page.url:
            raise SystemExit(f"login failed for {username}")
        for name, path in PAGES:
            page.goto(urljoin(base_url, path))
            shot(name)
            if name == "03-organization-list":
                link = page.locator("#results-table tbody a").first
                if link.count():
                    detail = link.get_attribute("href")
                    page.goto(urljoin(base_url, detail))
                    shot("04-organization-detail")
        browser.close()
    return outside


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--username", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--out", type=Path, default=Path("var/screenshots"))
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} not found: apt-get install chromium fonts-noto-cjk", file=sys.stderr)
        return 2
    outside = take(args.base_url, args.username, args.password, args.out)
    if outside:
        print("requests outside the site:", *sorted(set(outside)), sep="\n  ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
