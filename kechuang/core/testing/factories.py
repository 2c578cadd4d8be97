"""Factories shared by every app's tests. Demo data and tests build records the same way."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from kechuang.accounts.models import User
from kechuang.core.identifiers import make_uscc
from kechuang.core.scoping import Roles
from kechuang.orgs.models import EnterpriseYear, Organization, Qualification
from kechuang.platforms.models import Platform
from kechuang.regions.models import Zone

HUAINAN_COUNTY = "340421"  # 凤台县
HUAINAN = "340400"


def uscc_for(n: int, division_code: str = HUAINAN_COUNTY) -> str:
    """A valid USCC (91 = enterprise registered with market regulation) numbered ``n``."""
    return make_uscc(f"91{division_code}{n:09d}")


class ZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Zone

    name = factory.Sequence(lambda n: f"测试高新区{n}")
    kind = "hitech"
    level = "provincial"
    division_code = HUAINAN_COUNTY
    approved_on = dt.date(2012, 5, 1)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    # Far from the small numbers tests pass to uscc_for() for the rows of their files.
    uscc = factory.Sequence(lambda n: uscc_for(n + 500_000))
    name = factory.Sequence(lambda n: f"测试科技有限公司{n}")
    kind = "enterprise"
    division_code = HUAINAN_COUNTY
    ownership = "private"
    industry_code = "3911"
    hightech_field = "01"
    founded_on = dt.date(2015, 3, 1)


class EnterpriseYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EnterpriseYear

    organization = factory.SubFactory(OrganizationFactory)
    year = 2023
    employees = 120
    rd_staff = 18
    revenue = Decimal("52000000.00")
    rd_expense = Decimal("2600000.00")
    rd_expense_domestic = Decimal("2500000.00")
    hightech_revenue = Decimal("36000000.00")
    total_assets = Decimal("80000000.00")
    net_assets = Decimal("30000000.00")
    total_cost = Decimal("45000000.00")
    tax_paid = Decimal("1800000.00")
    value_added = Decimal("15000000.00")
    land_area_mu = Decimal("35.50")
    energy_tce = Decimal("820.00")
    class_i_ip = 2
    class_ii_ip = 6
    invention_patents = 2


class QualificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Qualification

    organization = factory.SubFactory(OrganizationFactory)
    kind = "hnte"
    number = factory.Sequence(lambda n: f"GR2023340{n:05d}")
    level = "national"
    granted_on = dt.date(2023, 10, 16)
    valid_until = dt.date(2026, 10, 15)


class PlatformFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Platform

    name = factory.Sequence(lambda n: f"测试工程技术研究中心{n}")
    kind = "eng_research_center"
    level = "provincial"
    host = factory.SubFactory(OrganizationFactory)
    division_code = factory.SelfAttribute("host.division_code")
    recognised_on = dt.date(2020, 6, 1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Roles.BUREAU
    division_code = HUAINAN
    password = factory.PostGenerationMethodCall("set_password", "pass12345")

    @factory.post_generation
    def persist(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def user_with_role(role: str, *, zone=None, organization=None, **kwargs) -> User:
    """A user of ``role`` with the scope the role needs: bureau 淮南市 (unless
    ``division_code`` is given), zone staff a zone, organization roles an organization."""
    if role == Roles.ADMIN:
        kwargs.setdefault("is_staff", True)
        kwargs.setdefault("is_superuser", True)
        kwargs.setdefault("division_code", "")
        return UserFactory(role=role, **kwargs)
    if role == Roles.BUREAU:
        return UserFactory(role=role, **kwargs)
    kwargs.setdefault("division_code", "")
    if role == Roles.ZONE:
        return UserFactory(role=role, zone=zone or ZoneFactory(), **kwargs)
    return UserFactory(role=role, organization=organization or OrganizationFactory(), **kwargs)
