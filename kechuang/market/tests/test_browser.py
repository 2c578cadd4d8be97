"""供需大厅 in a real browser: a visitor types into the search box, the results update in place
with the shared terms highlighted, and a result opens its public page."""

from kechuang.core.testing.browser import BROWSER_TEST, outside_hosts
from kechuang.core.testing.factories import OrganizationFactory

from .factories import AchievementFactory

pytestmark = BROWSER_TEST


def test_a_visitor_searches_the_hall_and_opens_a_result(live_server, browser_page):
    university = OrganizationFactory(kind="university", name="安徽理工大学")
    AchievementFactory(
        owner=university,
        title="耐磨聚氨酯密封材料",
        abstract="用于矿山液压支架的耐磨聚氨酯复合密封材料，已完成中试。",
        keywords="聚氨酯；密封",
        patent_number="",
        type="know_how",
    )
    AchievementFactory(
        owner=university,
        title="煤矿瓦斯光纤传感器",
        abstract="基于光纤光栅的瓦斯浓度在线监测。",
        keywords="光纤；瓦斯",
        patent_number="",
        type="know_how",
    )
    page = browser_page
    page.goto(f"{live_server.url}/market/hall/")
    assert page.locator("#hall-list .hall-title").count() == 2  # newest first, no query

    page.fill("#hall-q", "液压支架 密封")
    page.wait_for_function(
        "document.querySelectorAll('#hall-list .hall-title').length === 1"
    )  # htmx swapped the results in place
    assert page.locator("#hall-list mark").first.inner_text() in {"液压支架", "密封", "聚氨酯"}
    assert "q=" in page.url  # the address follows the search, to be shared

    page.select_option("#id_type", "invention_patent")  # a filter narrows in place too
    page.wait_for_function("document.querySelectorAll('#hall-list .hall-title').length === 0")
    page.select_option("#id_type", "")
    page.wait_for_function("document.querySelectorAll('#hall-list .hall-title').length === 1")

    page.click("#hall-list .hall-title")  # leaving the search box must not search again
    page.wait_for_url(f"{live_server.url}/market/hall/achievements/*/")
    assert page.locator("h2.page-title").inner_text() == "耐磨聚氨酯密封材料"
    assert "安徽理工大学" in page.content()
    assert outside_hosts(page.requested) == set()
