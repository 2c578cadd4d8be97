"""供需大厅: anonymous browsing and ranked search with highlights, filters, pages, public
detail pages (404 otherwise), and an enterprise's own needs with recommended achievements."""

import pytest
from django.urls import reverse

from kechuang.core.testing.factories import OrganizationFactory, user_with_role

from .factories import AchievementFactory, NeedFactory

pytestmark = pytest.mark.django_db(transaction=True)  # the index follows commits

HALL = reverse("market:hall")


@pytest.fixture
def university():
    return OrganizationFactory(kind="university", name="安徽理工大学")


def achievement(owner, title, abstract, **extra):
    extra.setdefault("keywords", "")
    return AchievementFactory(
        owner=owner, title=title, abstract=abstract, patent_number="", type="know_how", **extra
    )


def test_anonymous_visitors_search_published_public_achievements(client, university):
    seal = achievement(university, "聚氨酯密封材料", "耐磨聚氨酯密封，用于液压支架。")
    achievement(university, "光纤瓦斯传感器", "煤矿瓦斯在线监测。")
    achievement(university, "聚氨酯密封内部版", "聚氨酯密封。", visibility="registered")
    achievement(university, "聚氨酯密封草稿", "聚氨酯密封。", status="draft")

    response = client.get(HALL, {"q": "聚氨酯 密封"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "<mark>聚氨酯</mark>" in page
    items = [item["object"] for item in response.context["page_obj"].object_list]
    assert items == [seal]
    assert "按相关度排列" in page


def test_a_long_list_of_shared_terms_is_cut_to_ten(client, university):
    words = [
        "聚氨酯",
        "密封",
        "液压",
        "支架",
        "光纤",
        "瓦斯",
        "传感器",
        "煤矿",
        "监测",
        "轴承",
        "齿轮",
        "电机",
    ]
    achievement(university, "综合装备", "，".join(words))
    item = client.get(HALL, {"q": " ".join(words)}).context["page_obj"].object_list[0]
    assert len(item["terms"]) == 10 and item["more_terms"] == 2


def test_without_a_query_the_newest_first_with_filters_and_pages(client, university):
    for n in range(25):
        achievement(university, f"新材料成果{n}", "新材料。", field="新材料", maturity="pilot")
    achievement(university, "实验室成果", "新材料。", field="新材料", maturity="lab")

    first = client.get(HALL, {"kind": "achievements", "field": "新材料", "maturity": "pilot"})
    assert first.context["paginator"].count == 25
    assert len(first.context["page_obj"].object_list) == 20
    second = client.get(HALL, {"field": "新材料", "maturity": "pilot", "page": 2})
    assert len(second.context["page_obj"].object_list) == 5
    partial = client.get(HALL, {"q": "新材料"}, headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode() and partial.status_code == 200


def test_needs_tab_and_a_bad_filter_is_explained(client):
    need = NeedFactory(title="液压支架密封件寿命短")
    response = client.get(HALL, {"kind": "needs", "q": "液压支架"})
    assert [i["object"] for i in response.context["page_obj"].object_list] == [need]
    bad = client.get(HALL, {"kind": "achievements", "maturity": "moon"})
    assert bad.status_code == 200 and "检索条件有误" in bad.content.decode()


def test_public_detail_pages_and_404(client, university):
    seal = achievement(university, "聚氨酯密封材料", "耐磨聚氨酯密封。", keywords="聚氨酯；密封")
    need = NeedFactory(title="聚氨酯密封件需求", keywords="聚氨酯；密封")
    hidden = achievement(university, "内部成果", "内部。", visibility="private")

    page = client.get(reverse("market:hall-detail", args=["achievements", seal.pk]))
    assert page.status_code == 200
    assert [item["object"] for item in page.context["related"]] == [need]
    assert (
        client.get(reverse("market:hall-detail", args=["achievements", hidden.pk])).status_code
        == 404
    )
    assert client.get(reverse("market:hall-detail", args=["patents", seal.pk])).status_code == 404


def test_an_enterprise_sees_its_needs_with_recommended_achievements(client, university):
    company = OrganizationFactory()
    user = user_with_role("enterprise", organization=company)
    seal = achievement(university, "聚氨酯密封材料", "耐磨聚氨酯密封。", keywords="聚氨酯；密封")
    NeedFactory(enterprise=company, title="聚氨酯密封件寿命短", keywords="聚氨酯")
    NeedFactory(enterprise=company, title="草稿需求", status="draft")
    NeedFactory(title="别家的需求")

    client.force_login(user)
    response = client.get(reverse("market:hall-mine"))

    assert response.status_code == 200
    entries = response.context["entries"]
    assert {e["object"].title for e in entries} == {"聚氨酯密封件寿命短", "草稿需求"}
    published = next(e for e in entries if e["listed"])
    assert [item["object"] for item in published["matches"]] == [seal]
    client.force_login(user_with_role("bureau"))
    assert client.get(reverse("market:hall-mine")).status_code == 403
