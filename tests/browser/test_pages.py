"""The web UI in headless chromium: sign in, filter the organization list, open a detail page.

Drives Debian's chromium package through Playwright against pytest-django's live server and
checks that no page asks for anything outside the site (no CDN, no web fonts).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from kechuang.core.testing.browser import BROWSER_TEST, outside_hosts
from kechuang.core.testing.factories import (
    EnterpriseYearFactory,
    OrganizationFactory,
    QualificationFactory,
    UserFactory,
    uscc_for,
)

pytestmark = BROWSER_TEST


@pytest.fixture
def registry():
    """A bureau user of 淮南市, enterprises in two of its counties and one in 合肥市."""
    today = timezone.localdate()
    UserFactory(username="huainan", display_name="王科长", role="bureau", division_code="340400")
    fengtai = OrganizationFactory(name="凤台新材料科技有限公司", division_code="340421")
    OrganizationFactory(name="寿县智能装备有限公司", division_code="340422")
    OrganizationFactory(name="淮南师范学院", kind="university", division_code="340403")
    OrganizationFactory(
        name="合肥瑶海电子有限公司", division_code="340102", uscc=uscc_for(900004, "340102")
    )
    EnterpriseYearFactory(organization=fengtai, year=2024, revenue=Decimal("52000000.00"))
    QualificationFactory(
        organization=fengtai,
        kind="hnte",
        number="GR2024340400001",
        granted_on=today - dt.timedelta(days=30),
        valid_until=today + dt.timedelta(days=1000),
    )
    return fengtai


def test_sign_in_filter_and_open_an_organization(live_server, registry, browser_page):
    page = browser_page
    page.goto(f"{live_server.url}/orgs/")
    assert "/accounts/login/" in page.url  # signed out: sent to the login page

    page.fill("input[name=username]", "huainan")
    page.fill("input[name=password]", "pass12345")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/orgs/")
    assert "王科长" in page.locator("header").first.inner_text()
    table = page.locator("#results-table tbody")
    assert table.locator("tr").count() == 3
    assert "合肥瑶海电子有限公司" not in table.inner_text()

    # A select filter swaps only the table (htmx) and puts the filter in the address.
    page.select_option("select[name=kind]", "university")
    page.wait_for_url("**/orgs/?*kind=university*")
    page.wait_for_function("document.querySelectorAll('#results-table tbody tr').length === 1")
    assert "淮南师范学院" in table.inner_text()

    # The search box, then the qualification filter.
    page.select_option("select[name=kind]", "")
    page.fill("input[name=q]", "凤台")
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**q=*")
    page.wait_for_function("document.querySelectorAll('#results-table tbody tr').length === 1")
    assert "凤台新材料科技有限公司" in table.inner_text()
    page.fill("input[name=q]", "")
    page.select_option("select[name=qualification]", "hnte")
    page.wait_for_url("**qualification=hnte*")
    page.wait_for_function("document.querySelectorAll('#results-table tbody tr').length === 1")

    page.click("#results-table tbody a:has-text('凤台新材料科技有限公司')")
    page.wait_for_url(f"{live_server.url}/orgs/{registry.pk}/")
    assert page.locator("h2.page-title").inner_text().startswith("凤台新材料科技有限公司")
    assert "5,200.00" in page.locator("#facts").inner_text()
    assert "GR2024340400001" in page.locator("#qualifications").inner_text()
    assert "有效" in page.locator("#qualifications").inner_text()
    assert "变更历史" in page.content()

    assert page.requested, "the browser made no request"
    assert outside_hosts(page.requested) == set()


def test_home_page_draws_its_chart_from_local_files(live_server, registry, browser_page):
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "huainan")
    page.fill("input[name=password]", "pass12345")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("#home-counts").inner_text().count("\n") > 0
    page.wait_for_selector("#chart-divisions svg")
    # ECharts draws the axis labels after the SVG element appears (and later under load).
    page.wait_for_function(
        "document.querySelector('#chart-divisions').textContent.includes('凤台县')"
    )
    assert any("/static/vendor/echarts/echarts.min.js" in url for url in page.requested)
    assert outside_hosts(page.requested) == set()
