"""Factories of market records, for this app's tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from kechuang.core.testing.factories import OrganizationFactory
from kechuang.market.models import (
    Achievement,
    Docking,
    Expert,
    MatchEvent,
    TechContract,
    TechNeed,
)

DESCRIPTION = (
    "公司生产的矿用液压支架在高应力工况下密封件磨损快，平均寿命不足六个月，"
    "希望与高校合作研发耐磨、耐高压的新型聚氨酯复合密封材料，并完成井下工业性试验，"
    "目标使用寿命提高一倍以上。"
)
ABSTRACT = (
    "本成果研制了一种碳纤维增强聚氨酯复合密封材料，通过界面改性提高了材料的耐磨性与抗撕裂性能，"
    "在三十五兆帕压力下连续运行两千小时无泄漏，已完成中试，可用于矿山液压支架和工程机械密封。"
)


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TechNeed

    enterprise = factory.SubFactory(OrganizationFactory)
    division_code = factory.SelfAttribute("enterprise.division_code")
    zone = factory.SelfAttribute("enterprise.zone")
    title = factory.Sequence(lambda n: f"矿用液压支架耐磨密封材料研发{n}")
    description = DESCRIPTION
    field = "新材料"
    keywords = "密封材料；聚氨酯；液压支架"
    budget_min = Decimal("500000.00")
    budget_max = Decimal("2000000.00")
    mode = "joint_development"
    status = "published"
    visibility = "public"
    published_on = dt.date(2024, 3, 15)


class AchievementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Achievement

    owner = factory.SubFactory(OrganizationFactory, kind="university")
    division_code = factory.SelfAttribute("owner.division_code")
    zone = factory.SelfAttribute("owner.zone")
    title = factory.Sequence(lambda n: f"碳纤维增强聚氨酯复合密封材料{n}")
    abstract = ABSTRACT
    type = "invention_patent"
    patent_number = "ZL201710601862.3"
    field = "新材料"
    keywords = "聚氨酯；复合材料；密封"
    maturity = "pilot"
    transfer_mode = "transfer"
    price = Decimal("800000.00")
    status = "published"
    visibility = "public"
    published_on = dt.date(2024, 4, 1)


class ExpertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expert

    name = factory.Sequence(lambda n: f"王教授{n}")
    employer = factory.SubFactory(OrganizationFactory, kind="university")
    division_code = factory.SelfAttribute("employer.division_code")
    zone = factory.SelfAttribute("employer.zone")
    title = "教授"
    fields = "新材料；先进制造"
    keywords = "高分子材料；摩擦学"
    bio = "长期从事矿山机械密封与摩擦学研究。"
    phone = "13905541234"
    visibility = "registered"


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MatchEvent
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"淮南市产学研对接会{n}")
    kind = "docking_fair"
    date = dt.date(2024, 6, 18)
    place = "淮南市科技馆"
    division_code = "340421"

    @factory.post_generation
    def participants(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.participants.set(extracted)


class DockingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Docking

    need = factory.SubFactory(NeedFactory)
    achievement = factory.SubFactory(AchievementFactory)
    enterprise = factory.SelfAttribute("need.enterprise")
    counterpart_org = factory.SelfAttribute("achievement.owner")
    division_code = factory.SelfAttribute("need.division_code")
    zone = factory.SelfAttribute("need.zone")
    source = "recommended"
    stage = "recommended"
    recommended_on = dt.date(2024, 5, 6)


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TechContract

    registration_number = factory.Sequence(lambda n: f"2024340421{n:06d}")
    type = "development"
    title = factory.Sequence(lambda n: f"耐磨密封材料联合开发{n}")
    seller = factory.SubFactory(OrganizationFactory, kind="university")
    buyer = factory.SubFactory(OrganizationFactory)
    buyer_name = factory.SelfAttribute("buyer.name")
    contract_amount = Decimal("1500000.00")
    tech_amount = Decimal("1200000.00")
    signed_on = dt.date(2024, 6, 1)
    registered_on = dt.date(2024, 6, 20)
    division_code = factory.SelfAttribute("seller.division_code")
    zone = factory.SelfAttribute("seller.zone")


def schema_records(place) -> dict[str, list]:
    """One record of each market endpoint at ``place`` (for tests/test_schema.py), keyed by
    the endpoint's path segment."""
    counterpart = OrganizationFactory(
        kind="university", division_code=place.division_code, zone=place.zone
    )
    need = NeedFactory(enterprise=place.organization)
    docking = DockingFactory(need=need, achievement=AchievementFactory(owner=counterpart))
    expert = ExpertFactory(employer=counterpart)
    expert.achievements.add(docking.achievement)
    return {
        "needs": [need.pk],
        "achievements": [docking.achievement_id],
        "experts": [expert.pk],
        "dockings": [docking.pk],
        "events": [EventFactory(division_code=place.division_code, participants=[counterpart]).pk],
        "contracts": [ContractFactory(seller=counterpart, buyer=place.organization).pk],
    }
