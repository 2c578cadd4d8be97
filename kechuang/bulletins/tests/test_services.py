"""Generate, edit, publish, copy and delete bulletins (figures injected: see conftest)."""

from decimal import Decimal

import pytest

from kechuang.bulletins import services
from kechuang.bulletins.models import Bulletin, BulletinStatus
from kechuang.bulletins.rendering import document_for, render
from kechuang.bulletins.sources import FixedSource
from kechuang.core.exceptions import Conflict, NotInScope, RoleNotAllowed, ValidationFailed
from kechuang.core.models import AuditEvent
from kechuang.core.scoping import Roles
from kechuang.core.testing.factories import UserFactory, ZoneFactory, user_with_role

from .conftest import city_source

pytestmark = pytest.mark.django_db

OVERVIEW = "subjects.overview"


@pytest.fixture
def bureau():
    return UserFactory(role=Roles.BUREAU, division_code="340400")


@pytest.fixture
def draft(bureau, source):
    return services.bulletin_generate(
        actor=bureau, division_code="340400", period="2023", source=source
    )


def events(bulletin) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type="bulletins.bulletin", object_id=str(bulletin.pk))
        .order_by("id")
        .values_list("verb", flat=True)
    )


def test_generate_writes_a_draft_with_its_snapshot(bureau, draft):
    assert draft.status == BulletinStatus.DRAFT
    assert draft.title == "2023 年淮南市科技创新主要指标情况"
    assert draft.issuer == "淮南市科学技术局"
    assert draft.series == "340400"
    assert draft.issue_number is None
    assert draft.created_by == bureau
    hnte = draft.snapshot["figures"]["hnte_count"]
    assert hnte["value"] == "9068" and hnte["unit"] == "家"
    assert hnte["records_url"] == "/orgs/?division=340400&indicator=hnte_count"
    assert [c["division_name"] for c in draft.snapshot["children"]] == [
        "田家庵区",
        "凤台县",
        "寿县",
    ]
    assert draft.snapshot["period_label"] == "2023 年"
    assert events(draft) == ["bulletin.generated"]
    overview = document_for(draft).paragraphs()[0].text
    assert overview == (
        "全市现有 18 家创新型领军企业、9068 家高企、20173 家科小，民企占比分别达到 56%、90%、95%。"
    )


def test_generate_checks_scope_role_template_and_period(source):
    county = UserFactory(role=Roles.BUREAU, division_code="340421")
    with pytest.raises(NotInScope) as caught:
        services.bulletin_generate(
            actor=county, division_code="340400", period="2023", source=source
        )
    assert caught.value.field == "division_code"
    hefei = UserFactory(role=Roles.BUREAU, division_code="340100")
    with pytest.raises(NotInScope):
        services.bulletin_generate(
            actor=hefei, division_code="340400", period="2023", source=source
        )
    with pytest.raises(RoleNotAllowed):
        services.bulletin_generate(
            actor=user_with_role(Roles.ENTERPRISE),
            division_code="340400",
            period="2023",
            source=source,
        )
    with pytest.raises(ValidationFailed) as caught:
        services.bulletin_generate(
            actor=county, division_code="340421", period="2023-07", source=source
        )
    assert caught.value.field == "period"
    with pytest.raises(ValidationFailed) as caught:
        services.bulletin_generate(
            actor=county, division_code="340421", period="2023", template="weekly", source=source
        )
    assert caught.value.field == "template"
    with pytest.raises(ValidationFailed) as caught:
        services.bulletin_generate(
            actor=user_with_role(Roles.ADMIN), division_code="349999", period="2023", source=source
        )
    assert caught.value.field == "division_code"
    assert not Bulletin.objects.exists()


def test_a_county_bulletin_has_no_children_tables(source):
    county = UserFactory(role=Roles.BUREAU, division_code="340421")
    bulletin = services.bulletin_generate(
        actor=county, division_code="340421", period="2023", source=source
    )
    assert bulletin.snapshot["children"] == []
    document = document_for(bulletin)
    assert document.paragraphs()[0].text.startswith("全县现有 18 家")
    assert {b.kind for s in document.sections for b in s.blocks} == {"paragraph"}
    assert bulletin.issuer == "凤台县科学技术局"


def test_zone_staff_write_bulletins_of_their_zone_only(source):
    zone, other = ZoneFactory(name="淮南高新区"), ZoneFactory()
    staff = user_with_role(Roles.ZONE, zone=zone)
    bulletin = services.bulletin_generate(actor=staff, zone=zone, period="2023", source=source)
    assert bulletin.zone == zone and bulletin.division_code == zone.division_code
    assert bulletin.series == f"zone-{zone.pk}"
    assert bulletin.issuer == "淮南高新区管委会"
    assert bulletin.title == "2023 年淮南高新区科技创新主要指标情况"
    assert document_for(bulletin).paragraphs()[0].text.startswith("全区现有")
    with pytest.raises(NotInScope):
        services.bulletin_generate(actor=staff, zone=other, period="2023", source=source)
    with pytest.raises(NotInScope):
        services.bulletin_generate(
            actor=staff, division_code=zone.division_code, period="2023", source=source
        )


def test_editing_text_keeps_the_numbers_bound(bureau, draft):
    text = (
        "截至{period}末，{area}共有高新技术企业 {hnte_count:count}，"
        "民企占 {hnte_private_share:pct1}。"
    )
    updated = services.bulletin_update_text(
        actor=bureau, bulletin=draft, texts={OVERVIEW: text}, title="新标题"
    )
    assert updated.title == "新标题"
    assert document_for(updated).paragraphs()[0].text == (
        "截至2023 年末，全市共有高新技术企业 9068 家，民企占 90.1%。"
    )
    assert events(draft) == ["bulletin.generated", "bulletin.updated"]
    event = AuditEvent.objects.filter(verb="bulletin.updated").get()
    assert event.data == {"title": "新标题", OVERVIEW: text}
    # Nothing changed: nothing written.
    services.bulletin_update_text(actor=bureau, bulletin=updated, texts={OVERVIEW: text})
    assert events(draft).count("bulletin.updated") == 1


@pytest.mark.parametrize(
    ("texts", "field", "message"),
    [
        ({OVERVIEW: "共有 {hnte_cnt} 家"}, OVERVIEW, "未知的指标：hnte_cnt"),
        ({OVERVIEW: "占比 {hnte_private_share:pct7}"}, OVERVIEW, "未知的数字格式：pct7"),
        ({"nope": "x"}, "nope", "简报中没有段落 nope"),
    ],
)
def test_editing_refuses_unknown_placeholders(bureau, draft, texts, field, message):
    with pytest.raises(ValidationFailed) as caught:
        services.bulletin_update_text(actor=bureau, bulletin=draft, texts=texts)
    assert caught.value.field == field
    assert message in caught.value.message
    draft.refresh_from_db()
    assert "{leading_innovator_count}" in draft.body["sections"][0]["blocks"][0]["text"]


def test_an_empty_title_is_refused(bureau, draft):
    with pytest.raises(ValidationFailed) as caught:
        services.bulletin_update_text(actor=bureau, bulletin=draft, title="  ")
    assert caught.value.field == "title"


def test_publish_numbers_issues_per_series_and_year(bureau, source):
    def publish(**place):
        bulletin = services.bulletin_generate(actor=bureau, period="2023", source=source, **place)
        return services.bulletin_publish(actor=bureau, bulletin=bulletin)

    first, second = publish(division_code="340400"), publish(division_code="340400")
    county = publish(division_code="340421")
    assert (first.issue_number, second.issue_number, county.issue_number) == (1, 2, 1)
    assert first.status == BulletinStatus.PUBLISHED and first.published_by == bureau
    assert first.published_at is not None and first.issue_label == "第 1 期"
    assert events(first) == ["bulletin.generated", "bulletin.published"]
    assert document_for(first).issue_label == "第 1 期"


def test_publishing_freezes_the_values_as_a_statistics_snapshot(bureau, draft):
    from kechuang.stats.selectors import snapshot_values

    published = services.bulletin_publish(actor=bureau, bulletin=draft)
    assert published.stats_snapshot is not None
    assert "第 1 期" in str(published.stats_snapshot)
    frozen = {(v.division, v.indicator): v.value for v in snapshot_values(published.stats_snapshot)}
    figures = published.snapshot["figures"]
    assert len(frozen) == len(figures) + sum(
        len(c["figures"]) for c in published.snapshot["children"]
    )
    assert frozen[("340400", "hnte_count")] == 9068
    assert frozen[("340400", "rd_intensity")] == Decimal("0.0321")
    assert frozen[("340421", "hnte_count")] == 3100
    assert events(draft) == ["bulletin.generated", "bulletin.published"]


def test_a_published_bulletin_is_read_only(bureau, draft):
    published = services.bulletin_publish(actor=bureau, bulletin=draft)
    with pytest.raises(Conflict):
        services.bulletin_update_text(actor=bureau, bulletin=published, texts={OVERVIEW: "x"})
    with pytest.raises(Conflict):
        services.bulletin_publish(actor=bureau, bulletin=published)
    with pytest.raises(Conflict):
        services.bulletin_delete(actor=bureau, bulletin=published)
    assert Bulletin.objects.get().issue_number == 1


def test_a_published_bulletin_renders_from_its_snapshot_whatever_the_source_says(bureau, draft):
    published = services.bulletin_publish(actor=bureau, bulletin=draft)
    before = {fmt: render(document_for(published), fmt) for fmt in ("html", "md")}
    # The figures change (new records): a copy that refreshes sees them, the original does not.
    changed = city_source(hnte_count="9100", hnte_private_share="0.5")
    refreshed = services.bulletin_copy(
        actor=bureau, bulletin=published, refresh=True, source=changed
    )
    published = Bulletin.objects.get(pk=published.pk)
    assert {fmt: render(document_for(published), fmt) for fmt in ("html", "md")} == before
    assert "9068 家高企" in document_for(published).paragraphs()[0].text
    assert "9100 家高企" in document_for(refreshed).paragraphs()[0].text
    assert refreshed.is_draft and refreshed.copied_from == published
    assert refreshed.issue_number is None


def test_copy_keeps_the_text_and_values(bureau, draft):
    services.bulletin_update_text(actor=bureau, bulletin=draft, texts={OVERVIEW: "{hnte_count}"})
    copy = services.bulletin_copy(actor=bureau, bulletin=draft)
    assert copy.pk != draft.pk and copy.is_draft
    assert copy.body == Bulletin.objects.get(pk=draft.pk).body
    assert copy.snapshot == draft.snapshot
    assert events(copy) == ["bulletin.copied"]


def test_out_of_scope_bulletins_cannot_be_touched(draft):
    hefei = UserFactory(role=Roles.BUREAU, division_code="340100")
    for call in (
        lambda: services.bulletin_update_text(actor=hefei, bulletin=draft, title="x"),
        lambda: services.bulletin_publish(actor=hefei, bulletin=draft),
        lambda: services.bulletin_copy(actor=hefei, bulletin=draft),
        lambda: services.bulletin_delete(actor=hefei, bulletin=draft),
    ):
        with pytest.raises(NotInScope):
            call()


def test_drafts_can_be_deleted(bureau, draft):
    pk = draft.pk
    services.bulletin_delete(actor=bureau, bulletin=draft)
    assert not Bulletin.objects.filter(pk=pk).exists()
    assert AuditEvent.objects.filter(verb="bulletin.deleted", object_id=str(pk)).exists()


def test_a_fixed_source_takes_bare_numbers(bureau):
    source = FixedSource(
        {"hnte_count": 12, "hnte_private_share": "0.75", "gazelle_count": None},
        {"340421": {"hnte_count": 12}},
        units={"hnte_count": "家", "hnte_private_share": "%"},
    )
    bulletin = services.bulletin_generate(
        actor=bureau, division_code="340400", period="2023", source=source
    )
    figures = bulletin.snapshot["figures"]
    assert figures["hnte_count"] | {"definition": None} == {
        "label": "hnte_count",
        "unit": "家",
        "value": "12",
        "records_url": "",
        "definition": None,
        "note": "",
    }
    assert figures["gazelle_count"]["value"] is None
    assert bulletin.snapshot["children"][0]["division_name"] == "凤台县"
