"""Ranked search kept in step with the database: matches for a need, visibility and scope from
the database, writes applied after commit, rebuilds, ``kechuang match`` and ``kechuang reindex``."""

import io
import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command

from kechuang.core.testing.factories import OrganizationFactory, user_with_role
from kechuang.market import search
from kechuang.market.models import Achievement

from .factories import AchievementFactory, ExpertFactory, NeedFactory

pytestmark = pytest.mark.django_db(transaction=True)  # the index follows commits

SEAL = dict(
    title="耐高压聚氨酯密封圈材料",
    abstract="研制耐磨聚氨酯复合密封材料，用于矿山液压支架，三十五兆帕下无泄漏。",
    keywords="聚氨酯；密封；液压支架",
    field="新材料",
)
BATTERY = dict(
    title="锂离子电池正极材料回收工艺",
    abstract="从废旧锂离子电池中回收镍钴锰，湿法冶金，回收率百分之九十八。",
    keywords="锂离子电池；回收；湿法冶金",
    field="新能源与节能",
)
SENSOR = dict(
    title="煤矿井下瓦斯光纤传感器",
    abstract="基于光纤光栅的瓦斯浓度在线监测传感器，本质安全，适用于煤矿井下。",
    keywords="光纤传感；瓦斯监测",
    field="电子信息",
)


@pytest.fixture
def library():
    university = OrganizationFactory(kind="university", division_code="340403")
    items = {
        name: AchievementFactory(owner=university, patent_number="", type="know_how", **data)
        for name, data in (("seal", SEAL), ("battery", BATTERY), ("sensor", SENSOR))
    }
    search.rebuild("achievements")
    return items


def ids(found):
    return [match.object.pk for match in found]


def test_a_need_finds_the_achievement_that_answers_it_first_with_shared_terms(library):
    need = NeedFactory(
        title="液压支架密封件寿命短",
        description="矿用液压支架密封件磨损快，需要耐高压耐磨的聚氨酯密封材料。" * 3,
        keywords="密封；聚氨酯",
    )
    found = search.matches_for(need, "achievements", user=None, limit=3)
    assert found[0].object == library["seal"]
    assert {"聚氨酯", "液压支架"} <= set(found[0].matched_terms)
    assert library["sensor"].pk not in ids(found)  # shares no term
    assert found[0].score > 5 * found[1].score  # the battery shares 材料 only


def test_filters_and_the_database_decide_what_is_shown(library):
    query = "聚氨酯 密封 锂离子电池 光纤"
    everything = search.search("achievements", query, user=None, limit=10)
    assert set(ids(everything)) == {a.pk for a in library.values()}
    energy = search.search(
        "achievements", query, user=None, limit=10, filters={"field": {"新能源与节能"}}
    )
    assert ids(energy) == [library["battery"].pk]
    # withdrawn a moment ago, or shown to registered users only: gone for anonymous visitors
    Achievement.objects.filter(pk=library["seal"].pk).update(status="withdrawn")
    library["sensor"].visibility = "registered"
    library["sensor"].save()
    public = search.search("achievements", query, user=AnonymousUser(), limit=10)
    assert ids(public) == [library["battery"].pk]
    signed_in = search.search("achievements", query, user=user_with_role("enterprise"), limit=10)
    assert library["sensor"].pk in ids(signed_in)


def test_writes_reach_the_index_after_commit(library):
    added = AchievementFactory(
        title="石墨烯导热膜制备技术",
        abstract="高导热石墨烯膜的连续化制备，面向手机散热。",
        keywords="石墨烯；导热膜",
        patent_number="",
        type="know_how",
    )
    assert ids(search.search("achievements", "石墨烯导热膜", user=None)) == [added.pk]
    added.title, added.abstract, added.keywords = "碳化硅功率器件封装", "功率模块封装。", "碳化硅"
    added.save()
    assert search.search("achievements", "石墨烯", user=None) == []
    assert ids(search.search("achievements", "碳化硅", user=None)) == [added.pk]
    pk = added.pk
    added.delete()
    assert pk not in search.store("achievements").current()


def test_an_expert_is_found_by_fields_keywords_and_achievements(library):
    expert = ExpertFactory(
        fields="新材料", keywords="摩擦学", bio="从事矿山机械研究。", visibility="public"
    )
    expert.achievements.add(library["sensor"])
    found = search.search("experts", "瓦斯 光纤 传感器", user=None)
    assert ids(found) == [expert.pk]


def test_a_rebuild_is_a_new_version_and_first_use_builds_the_index(library):
    before = search.store("achievements").current_version()
    assert search.rebuild("achievements") != before
    need = NeedFactory(title="瓦斯监测光纤传感器需求")
    found = search.search("needs", "光纤 瓦斯", user=None)  # never built: built on first use
    assert ids(found) == [need.pk]


def _run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_match_command(library):
    need = NeedFactory(keywords="聚氨酯；密封")
    rows = json.loads(_run("match", "--need", str(need.pk), "--limit", "2"))
    assert rows[0]["id"] == library["seal"].pk
    assert {"id", "title", "score", "matched_terms"} <= set(rows[0])
    rows = json.loads(_run("match", "--text", "废旧锂电池回收镍钴", "--kind", "achievements"))
    assert rows[0]["title"] == BATTERY["title"]
    text = _run("match", "--text", "光纤传感", "--format", "csv")
    assert text.splitlines()[0].startswith("编号,名称,得分,匹配词")
    with pytest.raises(CommandError, match="不存在"):
        _run("match", "--need", "999999")
    with pytest.raises(CommandError, match="1–100"):
        _run("match", "--text", "x", "--limit", "0")


def test_reindex_command(library):
    before = search.store("achievements").current_version()
    _run("reindex", "achievements")
    assert search.store("achievements").current_version() != before
    with pytest.raises(CommandError, match="未知的索引"):
        _run("reindex", "patents")


def test_the_index_page_rebuilds_as_a_background_job(client, library):
    from django.urls import reverse

    from kechuang.core.models import Job

    url = reverse("market:search-index")
    client.force_login(user_with_role("enterprise"))
    assert client.get(url).status_code == 403
    client.force_login(user_with_role("bureau"))
    page = client.get(url)
    assert [row["indexed"] for row in page.context["indexes"]][0] == 3
    before = search.store("achievements").current_version()

    response = client.post(url, {"kind": "achievements"})

    job = Job.objects.get()
    assert response["Location"] == reverse("core:job", args=[job.pk])
    assert job.status == "done" and job.done == job.total > 0  # eager without a broker
    assert job.result["version"] == search.store("achievements").current_version() != before
    assert client.post(url, {"kind": "patents"}).status_code == 404


def test_the_matches_endpoint_and_the_ranked_list(api_client, library):
    need = NeedFactory(keywords="聚氨酯；密封；液压支架")
    api_client.force_authenticate(user_with_role("bureau"))
    url = f"/api/v1/needs/{need.pk}/matches/"

    rows = api_client.get(url, {"kind": "achievements", "limit": 2}).json()

    assert rows[0]["id"] == library["seal"].pk and rows[0]["kind"] == "achievements"
    assert rows[0]["score"] > 0 and "聚氨酯" in rows[0]["matched_terms"]
    assert len(rows) <= 2
    assert api_client.get(url, {"kind": "contracts"}).status_code == 400
    assert api_client.get(url, {"limit": 0}).status_code == 400
    back = api_client.get(
        f"/api/v1/achievements/{library['seal'].pk}/matches/", {"kind": "needs"}
    ).json()
    assert [row["id"] for row in back] == [need.pk]
    ranked = api_client.get("/api/v1/achievements/", {"q": "锂离子电池 回收"}).json()
    assert [row["id"] for row in ranked["results"]][0] == library["battery"].pk
    # a private need of another city: out of scope → 404
    far = NeedFactory(enterprise=OrganizationFactory(division_code="340102"), visibility="private")
    assert api_client.get(f"/api/v1/needs/{far.pk}/matches/").status_code == 404
